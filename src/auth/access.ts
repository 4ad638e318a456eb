import type { SourceName } from '../domain/globalId.js';
import { runtimesOf, type Runtimes, type Upstreams } from '../sources/registry.js';
import type { Capabilities, CapabilityName, SourceRuntime } from '../sources/types.js';
import type { Caller, Scope } from './caller.js';
import { quote } from '../domain/quote.js';

/**
 * The one door from resolvers and services to upstream connections. Every caller of a client gets
 * it here, so that access rules (which caller may use which connection, for reading or writing)
 * live in one place and change in one place. It knows sources only through the registry.
 */

export type AccessDenied = { ok: false; code: 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_CONFIGURED'; message: string };
export type Granted<C> = { ok: true; name: string; client: C };

/** The client type of each source, as its runtime holds it. */
export type ClientOf<S extends keyof Runtimes> = NonNullable<Runtimes[S]> extends SourceRuntime<infer C> ? C : never;

const runtimeOf = (upstreams: Upstreams, source: SourceName): SourceRuntime | undefined => upstreams.sources[source as keyof Runtimes] as SourceRuntime | undefined;

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
  const all = (runtimeOf(upstreams, source)?.connections() ?? []).map((c) => c.name);
  return all.filter((n) => mayUse(caller, source, n, true));
}

/**
 * Picks the connection of `source` a request may use: the one named, or the caller's only one.
 * `scope` is what the caller will do with it.
 */
export function useConnection<S extends keyof Runtimes>(caller: Caller, upstreams: Upstreams, source: S, name: string | null | undefined, scope: Scope): Granted<ClientOf<S>> | AccessDenied {
  const runtime = runtimeOf(upstreams, source);
  if (!runtime) return { ok: false, code: 'NOT_CONFIGURED', message: `No ${source} connection is configured on this gateway.` };
  const refused = `${source} connection ${quote(name ?? '')} is not configured or not open to this caller.`;
  if (name) {
    const conn = runtime.connection(name);
    if (!conn || !mayUse(caller, source, name, true)) return { ok: false, code: 'FORBIDDEN', message: refused };
    return { ok: true, name, client: conn.client as ClientOf<S> };
  }
  const usable = runtime.connections().filter((c) => mayUse(caller, source, c.name, true));
  if (usable.length === 1) return { ok: true, name: usable[0]!.name, client: usable[0]!.client as ClientOf<S> };
  if (usable.length === 0) return { ok: false, code: 'FORBIDDEN', message: `This caller may use no ${source} connection.` };
  return { ok: false, code: 'BAD_USER_INPUT', message: `Several ${source} connections are configured (${usable.map((c) => c.name).join(', ')}); name one.` };
}

export type Served<K extends CapabilityName> = { ok: true; source: SourceName; name: string; capability: NonNullable<Capabilities[K]> };

/**
 * The connection that serves capability `cap` for this caller: of `source` when one is named, else
 * of the sources that offer it, the first in registry order that has the connection named (or, with
 * none named, any connection the caller may use); the connection named, else the caller's only one.
 * So `messages` without a source reads MAPI before Ibanity, as the README says.
 */
export function useCapability<K extends CapabilityName>(caller: Caller, upstreams: Upstreams, cap: K, source: SourceName | null | undefined, name: string | null | undefined, scope: Scope): Served<K> | AccessDenied {
  const offering = runtimesOf(upstreams).filter((r) => (source ? r.source === source : true) && r.connections().some((c) => c.capabilities[cap]));
  if (offering.length === 0) return { ok: false, code: 'NOT_CONFIGURED', message: source ? `${source} offers no ${cap} on this gateway.` : `No source offering ${cap} is configured on this gateway.` };
  const runtime =
    offering.length === 1
      ? offering[0]!
      : (offering.find((r) => (name ? Boolean(r.connection(name)?.capabilities[cap]) : usableConnections(caller, upstreams, r.source).some((n) => r.connection(n)?.capabilities[cap]))) ?? offering[0]!);
  const conn = useConnection(caller, upstreams, runtime.source as keyof Runtimes, name, scope);
  if (!conn.ok) return conn;
  const capability = runtime.connection(conn.name)?.capabilities[cap];
  if (!capability) return { ok: false, code: 'NOT_CONFIGURED', message: `${runtime.source} connection ${quote(conn.name)} offers no ${cap}.` };
  return { ok: true, source: runtime.source, name: conn.name, capability: capability as NonNullable<Capabilities[K]> };
}
