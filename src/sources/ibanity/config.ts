import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, connectionName, int } from '../../configOptions.js';
import type { SourceConfig } from '../types.js';

export interface IbanityConfig {
  /** API origin; the e-invoicing product is under `/einvoicing`, the webhook keys under `/webhooks/keys`. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** The application's client certificate, its key and (for a private CA, like the sandbox's) the CA, as PEM. */
  tls: { cert: string; key: string; passphrase?: string; ca?: string };
  /** Each connection is one supplier of the application, in configuration order. */
  suppliers: { name: string; supplierId: string }[];
  /** Customer searches in flight at once, per request. */
  searchConcurrency: number;
  /** How far back the outbound document list looks when the filter names no `since`. */
  lookbackDays: number;
  /** How many 7-day windows one sent-documents list may ask for (how far back `since` may reach). */
  maxWindows: number;
  /** The webhook signature's `aud`: the application id (Ibanity's Ruby and Java SDKs), the client id by default. */
  applicationId: string;
  /** The webhook signature's `iss` (the SDKs check it against the API's base URI). */
  webhookIssuer: string;
}

/** A PEM given inline, or the path of a file holding it. */
const pemOrFile = (name: string, value: string): string => {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  if (!existsSync(value)) throw new ConfigError(`${name}: neither PEM text nor an existing file (${value})`);
  return readFileSync(value, 'utf8');
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `name=supplierId,name2=supplierId2`. */
const Suppliers = z
  .string()
  .default('')
  .transform((s, ctx) =>
    s.split(',').map((x) => x.trim()).filter(Boolean).map((entry) => {
      const [name, id] = entry.split('=').map((x) => x.trim()) as [string, string | undefined];
      if (!id || !UUID.test(id) || !connectionName.safeParse(name).success) ctx.addIssue({ code: 'custom', message: `"${entry}" is not name=supplier-uuid` });
      return { name, supplierId: (id ?? '').toLowerCase() };
    }),
  );

/** Ibanity's options (README, *Configuration*). Configured when IBANITY_CLIENT_ID is set. */
export const ibanityConfig: SourceConfig<IbanityConfig> = {
  options: {
    IBANITY_API_URL: z.url().default('https://api.ibanity.com'),
    IBANITY_CLIENT_ID: z.string().optional(),
    IBANITY_CLIENT_SECRET: z.string().optional(),
    IBANITY_CERT: z.string().optional(),
    IBANITY_KEY: z.string().optional(),
    IBANITY_KEY_PASSPHRASE: z.string().optional(),
    IBANITY_CA: z.string().optional(),
    IBANITY_SUPPLIERS: Suppliers,
    IBANITY_SEARCH_CONCURRENCY: int(8, 1),
    IBANITY_DOCUMENTS_LOOKBACK_DAYS: int(6, 1),
    IBANITY_DOCUMENTS_MAX_WINDOWS: int(13, 1),
    IBANITY_APPLICATION_ID: z.string().optional(),
    IBANITY_WEBHOOK_ISSUER: z.string().default('https://api.ibanity.com'),
  },
  configure(e) {
    if (!e.IBANITY_CLIENT_ID) return null;
    for (const k of ['IBANITY_CLIENT_SECRET', 'IBANITY_CERT', 'IBANITY_KEY'] as const) if (!e[k]) throw new ConfigError(`${k} is required when IBANITY_CLIENT_ID is set (Ibanity needs the client certificate on every call)`);
    const suppliers = e.IBANITY_SUPPLIERS as IbanityConfig['suppliers'];
    if (new Set(suppliers.map((s) => s.name)).size !== suppliers.length) throw new ConfigError('IBANITY_SUPPLIERS: connection names must be unique');
    return {
      apiUrl: (e.IBANITY_API_URL as string).replace(/\/$/, ''),
      clientId: e.IBANITY_CLIENT_ID as string,
      clientSecret: e.IBANITY_CLIENT_SECRET as string,
      tls: {
        cert: pemOrFile('IBANITY_CERT', e.IBANITY_CERT as string),
        key: pemOrFile('IBANITY_KEY', e.IBANITY_KEY as string),
        ...(e.IBANITY_KEY_PASSPHRASE ? { passphrase: e.IBANITY_KEY_PASSPHRASE as string } : {}),
        ...(e.IBANITY_CA ? { ca: pemOrFile('IBANITY_CA', e.IBANITY_CA as string) } : {}),
      },
      suppliers,
      searchConcurrency: e.IBANITY_SEARCH_CONCURRENCY as number,
      lookbackDays: e.IBANITY_DOCUMENTS_LOOKBACK_DAYS as number,
      maxWindows: e.IBANITY_DOCUMENTS_MAX_WINDOWS as number,
      applicationId: (e.IBANITY_APPLICATION_ID as string | undefined) || (e.IBANITY_CLIENT_ID as string),
      webhookIssuer: (e.IBANITY_WEBHOOK_ISSUER as string).replace(/\/$/, ''),
    };
  },
};
