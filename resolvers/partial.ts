import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../src/context.js';

/**
 * Sources that failed inside a list that still answered with the others' items: each becomes an
 * error of the response at the list's path, formatted like any other (code, `source`).
 */
export function reportFailures(ctx: GatewayContext, info: GraphQLResolveInfo, failures: readonly { key: string; error: unknown }[]): void {
  for (const f of failures) {
    const original = f.error instanceof Error ? f.error : new Error(String(f.error));
    ctx.partialErrors.push(new GraphQLError(original.message, { path: responsePathAsArray(info.path), originalError: original }));
  }
}
