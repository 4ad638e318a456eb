import { SandboxServer } from '../server.js';
import { createRandom } from '../random.js';
import { sandboxPki, type SandboxPki } from '../tls.js';
import { JSON_API, errors } from './jsonapi.js';
import { registerPeppolRoutes } from './routes/peppol.js';
import { registerSupplierRoutes } from './routes/suppliers.js';
import { registerTokenRoutes, type Application } from './routes/token.js';
import { BLOG_SUPPLIER_ID, ONBOARDED_SUPPLIER_ID, RECEIVER_SUPPLIER_ID, seedInbound, seedSuppliers, TEST_RECEIVERS } from './seed.js';
import { createState } from './state.js';
import { createWebhookSender } from './webhooks.js';
import { DEFAULT_VARIANTS, type IbanityVariants } from './variants.js';

export { WEBHOOK_ISSUER } from './webhooks.js';
export { IBANITY_VARIANT_VALUES, type IbanityVariants } from './variants.js';

export interface IbanitySandboxOptions {
  seed?: number;
  /** Generated suppliers besides the three named ones, for paging. @default 250 */
  bulkSuppliers?: number;
  /** Documents waiting for the receiving test supplier at start. @default 3 */
  inboundDocuments?: number;
  /** Time between an outbound document's steps (created → sending → sent). @default 2000 */
  stepMs?: number;
  /** Time before a created supplier is onboarded. @default 2000 */
  onboardingDelayMs?: number;
  /** Whether the UBL root must match the endpoint (the real sandbox does not check it). @default true */
  checkRoot?: boolean;
  tokenTtlSeconds?: number;
  /** Where the CA and certificates are kept, so a restart keeps them; fresh ones per start when absent. */
  pkiDir?: string;
  /**
   * The application id webhook JWTs name as their audience (ibanity-ruby and ibanity-java check
   * `aud` against the application id, which need not be the OAuth2 client id). @default the client id
   */
  applicationId?: string;
  /** Behaviours the vendor does not document, one of each plausible kind (see IbanityVariants). */
  variants?: Partial<IbanityVariants>;
  /** Where webhook events are POSTed. */
  webhookUrl?: string;
  now?: () => number;
  host?: string;
  port?: number;
}

/** The blog post's application id and the sandbox secret every example uses. */
export const IBANITY_APPLICATION: Application = { clientId: '69d85961-7d68-474d-9ac2-426fdc71bab8', clientSecret: 'valid_client_secret' };

/** Routes served without a bearer token (the client certificate is still required). */
const OPEN = new Set(['POST /einvoicing/oauth2/token', 'GET /webhooks/keys']);

/**
 * The Ibanity e-invoicing sandbox: HTTPS on loopback that refuses any connection without a client
 * certificate of its CA, OAuth2 client credentials, JSON:API suppliers, customer searches, outbound
 * and inbound Peppol documents on a clock, and signed webhooks.
 */
export async function startIbanitySandbox(opts: IbanitySandboxOptions = {}) {
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 42;
  const pki: SandboxPki = await sandboxPki(opts.pkiDir);
  const server = new SandboxServer('ibanity');
  const webhookAudience = opts.applicationId ?? IBANITY_APPLICATION.clientId;
  const webhooks = await createWebhookSender({ audience: webhookAudience, now });
  const variants: IbanityVariants = { ...DEFAULT_VARIANTS, ...opts.variants };
  webhooks.target = opts.webhookUrl ?? null;
  const state = createState({ suppliers: seedSuppliers(seed, opts.bulkSuppliers ?? 250), inbound: seedInbound(seed, opts.inboundDocuments ?? 3), stepMs: opts.stepMs ?? 2000, checkRoot: opts.checkRoot ?? true, now, webhooks, variants });

  const authorized = registerTokenRoutes(server, IBANITY_APPLICATION, { ttlSeconds: opts.tokenTtlSeconds ?? 300, now });
  server.guard = (req, routeKey) => {
    state.tick();
    if (OPEN.has(routeKey)) return null;
    const accept = String(req.headers.accept ?? '*/*');
    if (!/vnd\.api\+json|\*\/\*|application\/xml|application\/json/.test(accept)) return errors(406, { code: 'notAcceptable', detail: `Accept ${accept} is not served; ask for ${JSON_API}` });
    return authorized(req);
  };
  registerSupplierRoutes(server, state, createRandom(seed + 13), { onboardingDelayMs: opts.onboardingDelayMs ?? 2000, now });
  registerPeppolRoutes(server, state, webhooks, now);
  // The clock also moves without requests, so webhooks go out on time.
  const timer = setInterval(() => state.tick(), 100);
  timer.unref();

  const url = await server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.caPem });
  return {
    server,
    url,
    pki,
    application: IBANITY_APPLICATION,
    webhookAudience,
    /** The undocumented behaviours in force; tests switch them between calls. */
    variants,
    state,
    webhooks,
    suppliers: { blog: BLOG_SUPPLIER_ID, onboarded: ONBOARDED_SUPPLIER_ID, receiver: RECEIVER_SUPPLIER_ID },
    testReceivers: TEST_RECEIVERS,
    /** Where events go from now on (the gateway's URL is known only once it listens). */
    sendWebhooksTo(target: string | null) {
      webhooks.target = target;
    },
    close: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}

export type IbanitySandbox = Awaited<ReturnType<typeof startIbanitySandbox>>;
