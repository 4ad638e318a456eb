import { z } from 'zod';
import { ConfigError, connectionName } from '../../configOptions.js';
import type { SourceConfig } from '../types.js';

export interface MapiConfig {
  name: string;
  baseUrl: string;
  username: string;
  password: string;
  batchCapabilitiesPath: string;
  /** Where MAPI e-mails a document nobody on the network can receive, when the input names no address. */
  fallbackEmail: string | null;
}

/** MAPI's options (README, *Configuration*). Configured when MAPI_USERNAME is set. */
export const mapiConfig: SourceConfig<MapiConfig> = {
  options: {
    MAPI_BASE_URL: z.url().default('https://mapi-sandbox.unimaze.com/api/v1'),
    MAPI_USERNAME: z.string().optional(),
    MAPI_PASSWORD: z.string().optional(),
    MAPI_CONNECTION_NAME: connectionName.default('mapi'),
    MAPI_BATCH_CAPABILITIES_PATH: z.string().startsWith('/').default('/parties/transactions'),
    MAPI_FALLBACK_EMAIL: z.email().optional(),
  },
  configure(e) {
    if (!e.MAPI_USERNAME) return null;
    if (!e.MAPI_PASSWORD) throw new ConfigError('MAPI_PASSWORD is required when MAPI_USERNAME is set');
    return {
      name: e.MAPI_CONNECTION_NAME as string,
      baseUrl: e.MAPI_BASE_URL as string,
      username: e.MAPI_USERNAME as string,
      password: e.MAPI_PASSWORD as string,
      batchCapabilitiesPath: e.MAPI_BATCH_CAPABILITIES_PATH as string,
      fallbackEmail: (e.MAPI_FALLBACK_EMAIL as string | undefined) ?? null,
    };
  },
};
