import { usableConnections, useCapability, type AccessDenied } from '../auth/access.js';
import type { Scope } from '../auth/caller.js';
import type { UserErrorModel } from '../domain/paymentInput.js';
import type { SourceName } from '../domain/globalId.js';
import type { Capabilities, CapabilityName } from '../sources/types.js';
import type { Served } from '../auth/access.js';
import { runtimesOf } from '../sources/registry.js';
import type { RequestContext } from './context.js';
import { AccessError } from './errors.js';

/** The capability a query needs, or an AccessError saying why the caller may not have it. */
export function capabilityFor<K extends CapabilityName>(ctx: RequestContext, cap: K, source: SourceName | null | undefined, connection: string | null | undefined, scope: Scope = 'read', field?: string[]) {
  const r = useCapability(ctx.caller, ctx.upstreams, cap, source, connection, scope);
  if (!r.ok) throw new AccessError(r, field);
  return r;
}

/** For mutations: the capability, or the refusal to answer as a userError (`deniedAsUserError`). */
export function tryCapability<K extends CapabilityName>(ctx: RequestContext, cap: K, source: SourceName | null | undefined, connection: string | null | undefined, scope: Scope) {
  return useCapability(ctx.caller, ctx.upstreams, cap, source, connection, scope);
}

/** The access door's refusal as a mutation's userError on the input that named the connection. */
export function deniedAsUserError(denied: AccessDenied, field: string[]): UserErrorModel {
  return { code: denied.code === 'NOT_CONFIGURED' ? 'NOT_CONFIGURED' : 'FORBIDDEN', message: denied.message, field };
}

/** Whether a source's connections offer a capability (configured or not for this caller). */
export const offers = (ctx: RequestContext, source: SourceName, cap: CapabilityName) =>
  runtimesOf(ctx.upstreams).some((r) => r.source === source && r.connections().some((c) => c.capabilities[cap]));

/**
 * For acts of a whole upstream account rather than one connection (Ibanity onboarding: every
 * supplier connection shares one application): the connection named, else the caller's first
 * usable one that offers the capability.
 */
export function anyConnectionFor<K extends CapabilityName>(ctx: RequestContext, cap: K, connection: string | null | undefined, scope: Scope) {
  if (connection) return tryCapability(ctx, cap, null, connection, scope);
  for (const r of runtimesOf(ctx.upstreams)) {
    for (const name of usableConnections(ctx.caller, ctx.upstreams, r.source)) {
      if (!r.connection(name)?.capabilities[cap]) continue;
      const got = tryCapability(ctx, cap, r.source, name, scope);
      if (got.ok) return got;
    }
  }
  return tryCapability(ctx, cap, null, null, scope);
}

/**
 * Every connection this caller may read that offers `cap` (of `source` when one is named), in
 * registry and configuration order: what a list across all sources draws from.
 */
export function everyConnectionWith<K extends CapabilityName>(ctx: RequestContext, cap: K, source?: SourceName | null): Served<K>[] {
  return runtimesOf(ctx.upstreams)
    .filter((r) => !source || r.source === source)
    .flatMap((r) =>
      usableConnections(ctx.caller, ctx.upstreams, r.source).flatMap((name) => {
        const capability = r.connection(name)?.capabilities[cap];
        return capability ? [{ ok: true as const, source: r.source, name, capability: capability as NonNullable<Capabilities[K]> }] : [];
      }),
    );
}
