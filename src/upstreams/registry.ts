import type { SourceName } from '../domain/globalId.js';
import type { Transport } from '../http/index.js';
import type { InformatClient } from './informat/index.js';

/** The configured upstream accounts. Each source lists its connections by name. */
export interface Upstreams {
  informat: { client: InformatClient; transport: Transport; connections: string[] } | null;
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
  return out;
}
