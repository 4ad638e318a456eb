import type { MapiConfig } from '../../sources/mapi/config.js';
import type { EmbeddedSandbox } from '../../sources/types.js';
import { MAPI_SANDBOX_USERS, startMapiSandbox, type MapiSandbox } from './index.js';

/** MAPI on loopback, acting for the document's Supplier Company. */
export const embedded: EmbeddedSandbox<MapiConfig> = {
  async start(s, _log, options = {}) {
    const mapi = await startMapiSandbox({ seed: s.seed, bulkParties: s.mapiParties, ...options });
    mapi.server.latencyMs = s.latencyMs;
    const user = MAPI_SANDBOX_USERS[0]!;
    return {
      config: { name: 'mapi', baseUrl: mapi.url, username: user.username, password: user.password, batchCapabilitiesPath: '/parties/transactions', fallbackEmail: 'invoices@sandbox.example' },
      handle: mapi,
      urls: { mapi: mapi.url },
      close: () => mapi.close(),
    };
  },
  env(handle) {
    const user = MAPI_SANDBOX_USERS[0]!;
    return { MAPI_BASE_URL: (handle as MapiSandbox).url, MAPI_USERNAME: user.username, MAPI_PASSWORD: user.password };
  },
};
