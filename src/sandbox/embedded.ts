import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { startInformatSandbox } from './informat/index.js';
import { MAPI_SANDBOX_USERS, startMapiSandbox } from './mapi/index.js';
import { startCodaboxSandbox } from './codabox/index.js';

/** The CodaBox connections of the embedded default: the document's accountant, and an invoicing-software client. */
export const EMBEDDED_CODABOX = { accountant: 'codabox', shop: 'shop' } as const;

/**
 * The embedded default: the three simulators on loopback and the configuration that points the
 * gateway at them, with every upstream the sandbox stands in for. `main.ts` loads this module only
 * when the sandbox is on, so production runs never load simulator code.
 */
export async function startEmbeddedSandboxes(config: Config, log: Logger): Promise<{ config: Config; close(): Promise<void> }> {
  const closers: (() => Promise<void>)[] = [];
  const informat = await startInformatSandbox({
    seed: config.sandbox.seed,
    invoicesPerGroup: config.sandbox.invoicesPerGroup,
    pdfDelayMs: config.sandbox.pdfDelayMs,
    tokenTtlSeconds: config.sandbox.tokenTtlSeconds,
  });
  informat.api.latencyMs = config.sandbox.latencyMs;
  closers.push(() => informat.close());
  const mapi = await startMapiSandbox({ seed: config.sandbox.seed, bulkParties: config.sandbox.mapiParties });
  mapi.server.latencyMs = config.sandbox.latencyMs;
  closers.push(() => mapi.close());
  const codabox = await startCodaboxSandbox({
    seed: config.sandbox.seed,
    // CodaBox e-mails the token to the client; the sandbox's "mail" is this log line and its outbox route.
    onMail: ({ vat, email, token }) => log.info({ vat, email, token }, `CodaBox sandbox mailed a credentials token to ${vat}: claim it with claimCodaboxCredentials(input: { token: "${token}", connection: "…" })`),
  });
  codabox.server.latencyMs = config.sandbox.latencyMs;
  closers.push(() => codabox.close());
  const accountant = codabox.users.find((u) => u.kind === 'fiduciary')!;
  const shop = codabox.users.find((u) => u.kind === 'invoicing')!;
  const user = MAPI_SANDBOX_USERS[0]!;

  const own = config.sources;
  let next: Config = {
    ...config,
    sources: {
    INFORMAT: own.INFORMAT ?? {
      apiUrl: informat.apiUrl,
      tokenUrl: `${informat.identityUrl}/connect/token`,
      clientId: informat.client.clientId,
      clientSecret: informat.client.clientSecret,
      accessGroups: informat.accessGroups,
      scopePrefix: 'api_informat_invoices.invoices.read.',
    },
    MAPI: own.MAPI ?? { name: 'mapi', baseUrl: mapi.url, username: user.username, password: user.password, batchCapabilitiesPath: '/parties/transactions', fallbackEmail: 'invoices@sandbox.example' },
    CODABOX: own.CODABOX ?? {
      baseUrl: codabox.url,
      softwareKey: codabox.softwareKey,
      connection: { name: EMBEDDED_CODABOX.accountant, username: accountant.username, password: accountant.password },
      more: [{ name: EMBEDDED_CODABOX.shop, username: shop.username, password: shop.password }],
    },
    },
  };
  log.info({ informatApi: informat.apiUrl, informatIdentity: informat.identityUrl, mapi: mapi.url, codabox: codabox.url, codaboxOutbox: `${codabox.url}/sandbox/outbox/` }, 'sandbox upstreams started (Informat, MAPI, CodaBox)');

  if (!next.credentialsKey) {
    // The quick start can claim CodaBox credentials: a key kept beside the store, readable by this user only.
    const keyFile = join(next.dataDir, 'credentials.key');
    mkdirSync(next.dataDir, { recursive: true, mode: 0o700 });
    if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
    next = { ...next, credentialsKey: readFileSync(keyFile, 'utf8').trim() };
    log.warn({ keyFile }, 'CREDENTIALS_KEY is not set: claimed credentials are sealed with a key generated in DATA_DIR (sandbox only; set CREDENTIALS_KEY in production)');
  }

  return {
    config: next,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
