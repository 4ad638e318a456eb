import type { GatewayContext } from '../src/context.js';
import { badInput } from '../src/server/errors.js';

/** A connection's `first`: the field's default when absent, refused outside 0..MAX_PAGE_SIZE. */
export function checkFirst(ctx: GatewayContext, first: number | null | undefined, fallback = 50): number {
  const n = first ?? fallback;
  if (n < 0 || n > ctx.settings.maxPageSize) throw badInput(`first must be between 0 and ${ctx.settings.maxPageSize}.`, ['first']);
  return n;
}
