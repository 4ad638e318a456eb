import type { SourceName } from '../domain/globalId.js';
import type { InformatClient } from '../upstreams/informat/index.js';
import type { MapiClient } from '../upstreams/mapi/index.js';
import type { CodaboxClient } from '../upstreams/codabox/index.js';
import type { Upstreams } from '../upstreams/registry.js';
import type { Caller, Scope } from './caller.js';
import { quote } from '../domain/quote.js';

/**
 * The one door from resolvers to upstream connections. Every resolver gets its client here, so
 * that access rules (which caller may use which connection, for reading or writing) live in one
 * place and change in one place.
 */

export type AccessDenied = { ok: false; code: 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_CONFIGURED'; message: string };
export type Granted<C> = { ok: true; name: string; client: C };

interface ClientsBySource {
  INFORMAT: InformatClient;
  MAPI: MapiClient;
  CODABOX: CodaboxClient;
}

function entryOf(upstreams: Upstreams, source: SourceName) {
  return source === 'INFORMAT' ? upstreams.informat : source === 'MAPI' ? upstreams.mapi : source === 'CODABOX' ? upstreams.codabox : null;
}

/** Informat and MAPI serve every connection with one client; CodaBox has one per connection. */
function clientOf(upstreams: Upstreams, source: SourceName, name: string): unknown {
  if (source === 'CODABOX') return upstreams.codabox!.clients.get(name);
  return source === 'INFORMAT' ? upstreams.informat!.client : upstreams.mapi!.client;
}

/**
 * Whether the caller's key opens connection `name` of `source`. Grants name their source
 * (`CODABOX/acme`, or `CODABOX/*` for all of it, claimed ones included); a bare name (`acme`)
 * opens only a connection of that name that exists, so a key for the MAPI connection `mapi` never
 * opens a CodaBox connection someone claims under the same name.
 */
export function mayUse(caller: Caller, source: SourceName, name: string, exists: boolean): boolean {
  if (caller.connections === '*') return true;
  const c = caller.connections;
  return c.has(`${source}/${name}`) || c.has(`${source}/*`) || (exists && c.has(name));
}

/** Connections of a source this caller may use. */
export function usableConnections(caller: Caller, upstreams: Upstreams, source: SourceName): string[] {
  const all = entryOf(upstreams, source)?.connections ?? [];
  return all.filter((n) => mayUse(caller, source, n, true));
}

/**
 * Picks the connection of `source` a request may use: the one named, or the caller's only one.
 * `scope` is what the resolver will do with it.
 */
export function useConnection<S extends keyof ClientsBySource>(
  caller: Caller,
  upstreams: Upstreams,
  source: S,
  name: string | null | undefined,
  scope: Scope,
): Granted<ClientsBySource[S]> | AccessDenied {
  const entry = entryOf(upstreams, source);
  if (!entry) return { ok: false, code: 'NOT_CONFIGURED', message: `No ${source} connection is configured on this gateway.` };
  if (!caller.scopes.has(scope)) return { ok: false, code: 'FORBIDDEN', message: `This caller may not ${scope === 'write' ? 'change' : 'read'} ${source} data.` };
  if (name) {
    if (!entry.connections.includes(name)) return { ok: false, code: 'FORBIDDEN', message: `${source} connection ${quote(name)} is not configured or not open to this caller.` };
    if (!mayUse(caller, source, name, true)) return { ok: false, code: 'FORBIDDEN', message: `${source} connection ${quote(name)} is not configured or not open to this caller.` };
    return { ok: true, name, client: clientOf(upstreams, source, name) as ClientsBySource[S] };
  }
  const usable = entry.connections.filter((n) => mayUse(caller, source, n, true));
  if (usable.length === 1) return { ok: true, name: usable[0]!, client: clientOf(upstreams, source, usable[0]!) as ClientsBySource[S] };
  if (usable.length === 0) return { ok: false, code: 'FORBIDDEN', message: `This caller may use no ${source} connection.` };
  return { ok: false, code: 'BAD_USER_INPUT', message: `Several ${source} connections are configured (${usable.join(', ')}); name one.` };
}
