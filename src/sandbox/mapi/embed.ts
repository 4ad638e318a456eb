import type { MapiConfig } from '../../sources/mapi/config.js';
import type { EmbeddedSandbox } from '../../sources/types.js';
import { MAPI_SANDBOX_USERS, startMapiSandbox } from './index.js';

/** MAPI on loopback, acting for the document's Supplier Company. */
export const embedded: EmbeddedSandbox<MapiConfig> = {
  async start(s) {
    const mapi = await startMapiSandbox({ seed: s.seed, bulkParties: s.mapiParties });
    mapi.server.latencyMs = s.latencyMs;
    const user = MAPI_SANDBOX_USERS[0]!;
    return {
      config: { name: 'mapi', baseUrl: mapi.url, username: user.username, password: user.password, batchCapabilitiesPath: '/parties/transactions', fallbackEmail: 'invoices@sandbox.example' },
      urls: { mapi: mapi.url },
      close: () => mapi.close(),
    };
  },
};
