import { z } from 'zod';
import type { SourceName } from '../domain/globalId.js';
import type { CapabilityCache } from '../loaders/capabilities.js';
import type { ConnectDeps, SourceRuntime } from './types.js';
import { informat, type InformatConfig, type InformatRuntime } from './informat/index.js';
import { mapi, type MapiConfig, type MapiRuntime } from './mapi/index.js';
import { codabox, type CodaboxConfig, type CodaboxRuntime } from './codabox/index.js';
import { ibanity, type IbanityConfig, type IbanityRuntime } from './ibanity/index.js';

/**
 * The one list of sources. Adding an upstream is one folder under `src/sources/`, its line here
 * (with its config and runtime types below), and its schema file.
 */
export const SOURCES = [informat, mapi, codabox, ibanity] as const;

/** Each source's settings; null when not configured. */
export interface SourceConfigs {
  INFORMAT: InformatConfig | null;
  IBANITY: IbanityConfig | null;
  MAPI: MapiConfig | null;
  CODABOX: CodaboxConfig | null;
}

/** Each configured source's connections. */
export interface Runtimes {
  INFORMAT?: InformatRuntime;
  IBANITY?: IbanityRuntime;
  MAPI?: MapiRuntime;
  CODABOX?: CodaboxRuntime;
}

/** The configured upstreams, and the capability answers shared by all requests. */
export interface Upstreams {
  sources: Runtimes;
  capabilityCache: CapabilityCache;
}

/** Every source's environment options, for the configuration schema. */
export const sourceOptions = (): z.ZodRawShape => Object.assign({}, ...SOURCES.map((s) => s.config.options));

/** Each source's settings from the validated environment. */
export function configureSources(env: Record<string, unknown>): SourceConfigs {
  return Object.fromEntries(SOURCES.map((s) => [s.name, s.config.configure(env)])) as unknown as SourceConfigs;
}

/** Opens every configured source's connections. */
export async function connectSources(configs: SourceConfigs, deps: (source: SourceName) => ConnectDeps): Promise<Runtimes> {
  const out: Record<string, SourceRuntime> = {};
  for (const s of SOURCES) {
    const cfg = configs[s.name as keyof SourceConfigs];
    if (cfg) out[s.name] = await s.connect(cfg as never, deps(s.name));
  }
  return out as Runtimes;
}

/** The runtimes that are configured, in registry order. */
export const runtimesOf = (u: Upstreams): SourceRuntime[] => SOURCES.map((s) => u.sources[s.name as keyof Runtimes]).filter((r): r is NonNullable<typeof r> => Boolean(r)) as SourceRuntime[];

export interface ConnectionInfo {
  name: string;
  source: SourceName;
  healthy: boolean;
  detail: string;
}

/** Every configured connection, for `connections` and /readyz. */
export function listConnections(u: Upstreams): ConnectionInfo[] {
  return runtimesOf(u).flatMap((r) => {
    const state = r.breakerState();
    return r.connections().map((c) => ({ name: c.name, source: r.source, healthy: state !== 'open', detail: `${r.label}; circuit ${state}` }));
  });
}
