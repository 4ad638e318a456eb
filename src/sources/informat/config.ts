import { z } from 'zod';
import { ConfigError, list } from '../../configOptions.js';
import type { SourceConfig } from '../types.js';

export interface InformatConfig {
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  accessGroups: string[];
  scopePrefix: string;
}

/** Informat's options (README, *Configuration*). Configured when INFORMAT_CLIENT_ID is set. */
export const informatConfig: SourceConfig<InformatConfig> = {
  options: {
    INFORMAT_API_URL: z.url().default('https://invoiceapi.informatsoftware.be'),
    INFORMAT_TOKEN_URL: z.url().default('https://www.identityserver.be/connect/token'),
    INFORMAT_CLIENT_ID: z.string().optional(),
    INFORMAT_CLIENT_SECRET: z.string().optional(),
    INFORMAT_ACCESS_GROUPS: list,
    INFORMAT_SCOPE_PREFIX: z.string().default('api_informat_invoices.invoices.read.'),
  },
  configure(e) {
    const groups = e.INFORMAT_ACCESS_GROUPS as string[];
    if (!e.INFORMAT_CLIENT_ID) {
      if (groups.length > 0) throw new ConfigError('INFORMAT_ACCESS_GROUPS is set but INFORMAT_CLIENT_ID is not: set INFORMAT_CLIENT_ID and INFORMAT_CLIENT_SECRET too (the sandbox brings its own access groups)');
      return null;
    }
    if (!e.INFORMAT_CLIENT_SECRET || groups.length === 0) throw new ConfigError('INFORMAT_CLIENT_SECRET and INFORMAT_ACCESS_GROUPS are required when INFORMAT_CLIENT_ID is set');
    for (const ag of groups) {
      if (!/^[A-Za-z0-9_.-]+$/.test(ag)) throw new ConfigError(`INFORMAT_ACCESS_GROUPS: "${ag}" is not an access group identifier`);
    }
    return {
      apiUrl: e.INFORMAT_API_URL as string,
      tokenUrl: e.INFORMAT_TOKEN_URL as string,
      clientId: e.INFORMAT_CLIENT_ID as string,
      clientSecret: e.INFORMAT_CLIENT_SECRET as string,
      accessGroups: groups,
      scopePrefix: e.INFORMAT_SCOPE_PREFIX as string,
    };
  },
};
