import { useConnection } from '../src/auth/access.js';
import type { Scope } from '../src/auth/caller.js';
import type { GatewayContext } from '../src/context.js';
import { badInput, forbidden, notConfigured } from '../src/server/errors.js';
import type { AccessDenied } from '../src/auth/access.js';

/** For queries: the client of a connection, or a GraphQL error saying why not (mutations answer userErrors instead). */
export function connectionFor<S extends 'INFORMAT' | 'MAPI' | 'CODABOX'>(ctx: GatewayContext, source: S, name: string | null | undefined, scope: Scope = 'read', field?: string[]) {
  const r = useConnection(ctx.caller, ctx.upstreams, source, name, scope);
  if (r.ok) return r;
  throw deniedError(r, field);
}

/** A refusal of the access door as the GraphQL error of the field that asked. */
export function deniedError(r: AccessDenied, field?: string[]) {
  if (r.code === 'BAD_USER_INPUT') return badInput(r.message, field);
  if (r.code === 'NOT_CONFIGURED') return notConfigured(r.message);
  return forbidden(r.message);
}

/** Informat connections are access groups. */
export const informatFor = (ctx: GatewayContext, accessGroup: string | null | undefined, scope: Scope = 'read') => connectionFor(ctx, 'INFORMAT', accessGroup, scope, ['accessGroup']);
