import type { InformatConfig } from '../../sources/informat/config.js';
import type { EmbeddedSandbox } from '../../sources/types.js';
import { READ_SCOPE_PREFIX, startInformatSandbox } from './index.js';

/** Informat's identity server and API on loopback, with both sample access groups. */
export const embedded: EmbeddedSandbox<InformatConfig> = {
  async start(s) {
    const sandbox = await startInformatSandbox({ seed: s.seed, invoicesPerGroup: s.invoicesPerGroup, pdfDelayMs: s.pdfDelayMs, tokenTtlSeconds: s.tokenTtlSeconds });
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
      urls: { informatApi: sandbox.apiUrl, informatIdentity: sandbox.identityUrl },
      close: () => sandbox.close(),
    };
  },
};
