import type { SourceName } from '../domain/globalId.js';
import type { Transport } from '../http/index.js';
import type { InformatClient } from './informat/index.js';
import type { MapiClient } from './mapi/index.js';
import type { CodaboxClient, CodaboxOnboarding } from './codabox/index.js';
import type { CapabilityCache } from '../loaders/capabilities.js';

/** The configured upstream accounts. Each source lists its connections by name. */
export interface Upstreams {
  informat: { client: InformatClient; transport: Transport; connections: string[] } | null;
  mapi: { client: MapiClient; transport: Transport; connections: string[] } | null;
  /** CodaBox: one software key, a client per connection (configured or claimed at run time). */
  codabox: { transport: Transport; clients: Map<string, CodaboxClient>; connections: string[]; onboarding: CodaboxOnboarding; connect(name: string, username: string, password: string): void } | null;
  /** Final capability answers shared by all requests. */
  capabilityCache: CapabilityCache;
}

export interface ConnectionInfo {
  name: string;
  source: SourceName;
  healthy: boolean;
  detail: string;
}

/** Every configured connection, for `connections` and /readyz. */
export function listConnections(u: Upstreams): ConnectionInfo[] {
  const out: ConnectionInfo[] = [];
  if (u.informat) {
    const state = u.informat.transport.breakerState();
    for (const name of u.informat.connections) {
      out.push({ name, source: 'INFORMAT', healthy: state !== 'open', detail: `Informat access group; circuit ${state}` });
    }
  }
  if (u.mapi) {
    const state = u.mapi.transport.breakerState();
    for (const name of u.mapi.connections) out.push({ name, source: 'MAPI', healthy: state !== 'open', detail: `Unimaze MAPI; circuit ${state}` });
  }
  if (u.codabox) {
    const state = u.codabox.transport.breakerState();
    for (const name of u.codabox.connections) out.push({ name, source: 'CODABOX', healthy: state !== 'open', detail: `CodaBox API v2; circuit ${state}` });
  }
  return out;
}
