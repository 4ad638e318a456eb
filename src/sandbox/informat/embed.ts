import type { InformatConfig } from '../../sources/informat/config.js';
import type { EmbeddedSandbox } from '../../sources/types.js';
import { READ_SCOPE_PREFIX, startInformatSandbox, type InformatSandbox } from './index.js';

/** Informat's identity server and API on loopback, with both sample access groups. */
export const embedded: EmbeddedSandbox<InformatConfig> = {
  async start(s, _log, options = {}) {
    const sandbox = await startInformatSandbox({ seed: s.seed, invoicesPerGroup: s.invoicesPerGroup, pdfDelayMs: s.pdfDelayMs, tokenTtlSeconds: s.tokenTtlSeconds, ...options });
    sandbox.api.latencyMs = s.latencyMs;
    return {
      config: {
        apiUrl: sandbox.apiUrl,
        tokenUrl: `${sandbox.identityUrl}/connect/token`,
        clientId: sandbox.client.clientId,
        clientSecret: sandbox.client.clientSecret,
        accessGroups: sandbox.accessGroups,
        scopePrefix: READ_SCOPE_PREFIX,
      },
      handle: sandbox,
      urls: { informatApi: sandbox.apiUrl, informatIdentity: sandbox.identityUrl },
      close: () => sandbox.close(),
    };
  },
  env(handle) {
    const sandbox = handle as InformatSandbox;
    return {
      INFORMAT_API_URL: sandbox.apiUrl,
      INFORMAT_TOKEN_URL: `${sandbox.identityUrl}/connect/token`,
      INFORMAT_CLIENT_ID: sandbox.client.clientId,
      INFORMAT_CLIENT_SECRET: sandbox.client.clientSecret,
      INFORMAT_ACCESS_GROUPS: sandbox.accessGroups.join(','),
    };
  },
};
