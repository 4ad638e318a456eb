import { z } from 'zod';
import { ConfigError, connectionName } from '../../configOptions.js';
import type { SourceConfig } from '../types.js';

export interface CodaboxConfig {
  baseUrl: string;
  /** X-Software-Company key of this software; every CodaBox connection uses it. */
  softwareKey: string;
  /** A connection from configured credentials; others are claimed at run time with claimCodaboxCredentials. */
  connection: { name: string; username: string; password: string } | null;
  /** More configured connections (CODABOX_CONNECTIONS), each with its own software key where it has one. */
  more: { name: string; softwareKey?: string; username: string; password: string }[];
}

const Connections = z
  .string()
  .default('[]')
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array' });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.object({ name: connectionName, softwareKey: z.string().min(1).optional(), username: z.string().min(1), password: z.string().min(1) })));

/** CodaBox's options (README, *Configuration*). Configured when a software key or CODABOX_CONNECTIONS is set. */
export const codaboxConfig: SourceConfig<CodaboxConfig> = {
  options: {
    CODABOX_BASE_URL: z.url().default('https://sandbox-api.codabox.com/v2'),
    CODABOX_SOFTWARE_KEY: z.string().optional(),
    CODABOX_USERNAME: z.string().optional(),
    CODABOX_PASSWORD: z.string().optional(),
    CODABOX_CONNECTION_NAME: connectionName.default('codabox'),
    CODABOX_CONNECTIONS: Connections,
  },
  configure(e) {
    const more = e.CODABOX_CONNECTIONS as CodaboxConfig['more'];
    const key = e.CODABOX_SOFTWARE_KEY as string | undefined;
    const configured = Boolean(key) || more.length > 0;
    if (more.some((c) => !c.softwareKey) && !key) throw new ConfigError('CODABOX_CONNECTIONS: a connection without softwareKey needs CODABOX_SOFTWARE_KEY');
    const names = [e.CODABOX_USERNAME ? e.CODABOX_CONNECTION_NAME : null, ...more.map((c) => c.name)].filter(Boolean);
    if (new Set(names).size !== names.length) throw new ConfigError('CODABOX_CONNECTIONS: connection names must be unique (CODABOX_CONNECTION_NAME included)');
    if (e.CODABOX_USERNAME && !configured) throw new ConfigError('CODABOX_SOFTWARE_KEY is required when CODABOX_USERNAME is set');
    if (e.CODABOX_USERNAME && !e.CODABOX_PASSWORD) throw new ConfigError('CODABOX_PASSWORD is required when CODABOX_USERNAME is set');
    if (!configured) return null;
    return {
      baseUrl: e.CODABOX_BASE_URL as string,
      softwareKey: key ?? more[0]!.softwareKey!,
      connection: e.CODABOX_USERNAME ? { name: e.CODABOX_CONNECTION_NAME as string, username: e.CODABOX_USERNAME as string, password: e.CODABOX_PASSWORD as string } : null,
      more,
    };
  },
};
