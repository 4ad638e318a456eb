import { createIdentityServer, READ_SCOPE_PREFIX, type SandboxClient } from './routes/identity.js';
import { createApiServer } from './routes/api.js';
import { seedInformat, SAMPLE_ACCESS_GROUP, SECOND_ACCESS_GROUP, SAMPLE_INVOICE_ID, LARGE_PDF_INVOICE_ID } from './seed.js';
import type { InformatData } from './model.js';

export { SAMPLE_ACCESS_GROUP, SECOND_ACCESS_GROUP, SAMPLE_INVOICE_ID, LARGE_PDF_INVOICE_ID, READ_SCOPE_PREFIX };
export type { InformatData };

export interface InformatSandboxOptions {
  seed?: number;
  invoicesPerGroup?: number;
  /** Lifetime of issued tokens. @default 3600 (the document's) */
  tokenTtlSeconds?: number;
  /** Delay before a requested PDF appears. @default 2000 */
  pdfDelayMs?: number;
  host?: string;
  identityPort?: number;
  apiPort?: number;
  now?: () => number;
}

export const SANDBOX_CLIENT = { clientId: 'informat_customer_sandbox', clientSecret: 'sandbox-secret' } as const;

/**
 * The Informat sandbox: identity server and Invoice API, two real HTTP servers on loopback,
 * seeded with the document's examples and bulk data. The default client may use both access groups.
 */
export async function startInformatSandbox(opts: InformatSandboxOptions = {}) {
  const now = opts.now ?? Date.now;
  const data = seedInformat({ seed: opts.seed, invoicesPerGroup: opts.invoicesPerGroup });
  const clients: SandboxClient[] = [
    { ...SANDBOX_CLIENT, scopes: data.accessGroups.map((a) => READ_SCOPE_PREFIX + a.identifier) },
    // A client allowed only the second access group, to show out-of-scope answers.
    { clientId: 'informat_customer_other', clientSecret: 'other-secret', scopes: [READ_SCOPE_PREFIX + SECOND_ACCESS_GROUP.identifier] },
  ];
  const identity = createIdentityServer(clients, { tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600, now });
  const api = createApiServer(data, identity, { pdfDelayMs: opts.pdfDelayMs ?? 2000, now });
  const host = opts.host ?? '127.0.0.1';
  const identityUrl = await identity.server.listen(opts.identityPort ?? 0, host);
  const apiUrl = await api.listen(opts.apiPort ?? 0, host);
  return {
    data,
    identity: identity.server,
    api,
    identityUrl,
    apiUrl,
    client: SANDBOX_CLIENT,
    accessGroups: data.accessGroups.map((a) => a.identifier),
    expireTokens: () => identity.expireAll(),
    async close() {
      await Promise.all([identity.server.close(), api.close()]);
    },
  };
}

export type InformatSandbox = Awaited<ReturnType<typeof startInformatSandbox>>;
