import { useConnection } from '../src/auth/access.js';
import type { Scope } from '../src/auth/caller.js';
import type { GatewayContext } from '../src/context.js';
import { badInput, forbidden } from '../src/server/errors.js';

/** For queries: the client of a connection, or a GraphQL error saying why not (mutations answer userErrors instead). */
export function connectionFor<S extends 'INFORMAT' | 'MAPI' | 'CODABOX'>(ctx: GatewayContext, source: S, name: string | null | undefined, scope: Scope = 'read', field?: string[]) {
  const r = useConnection(ctx.caller, ctx.upstreams, source, name, scope);
  if (r.ok) return r;
  if (r.code === 'BAD_USER_INPUT') throw badInput(r.message, field);
  throw forbidden(r.message);
}

/** Informat connections are access groups. */
export const informatFor = (ctx: GatewayContext, accessGroup: string | null | undefined, scope: Scope = 'read') => connectionFor(ctx, 'INFORMAT', accessGroup, scope, ['accessGroup']);
