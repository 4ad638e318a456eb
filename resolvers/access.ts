import { useConnection } from '../src/auth/access.js';
import type { Scope } from '../src/auth/caller.js';
import type { GatewayContext } from '../src/context.js';
import { badInput, forbidden } from '../src/server/errors.js';

/** For queries: the client of a connection, or a GraphQL error saying why not. */
export function informatFor(ctx: GatewayContext, accessGroup: string | null | undefined, scope: Scope = 'read') {
  const r = useConnection(ctx.caller, ctx.upstreams, 'INFORMAT', accessGroup, scope);
  if (r.ok) return r;
  if (r.code === 'BAD_USER_INPUT') throw badInput(r.message, ['accessGroup']);
  throw forbidden(r.message);
}
