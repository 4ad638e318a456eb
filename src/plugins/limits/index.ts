import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, type GraphQLSchema } from 'graphql';
import type { Config } from '../../config.js';
import { checkCost, costEstimator } from './cost.js';
import { refusalBody, refusalError, type LimitRefusal } from './errors.js';
import { checkShape } from './shape.js';
import { checkQueryText } from './text.js';

export { checkQueryText } from './text.js';
export { refusalBody, type LimitRefusal } from './errors.js';

/**
 * Operation limits, all checked before execution starts, so a refused operation makes no upstream
 * call: the query text (size, tokens, bracket nesting) before Apollo parses it, then the parsed
 * operation's depth, aliases, root fields and cost once Apollo has picked it. Limits during
 * execution (upstream requests per operation, the deadline) live in the transport (`src/http/operation.ts`).
 */
export function limitsPlugin<C extends object>(schema: GraphQLSchema, config: Pick<Config, 'limits' | 'maxPageSize'>, onRefused: (r: LimitRefusal) => void, onCost: (ctx: C, cost: number) => Promise<void> = async () => {}): ApolloServerPlugin<C> {
  const limits = config.limits;
  const costLimits = { maxCost: limits.maxCost, defaultListSize: limits.defaultListSize, maxPageSize: config.maxPageSize };
  const estimator = costEstimator(schema, costLimits);
  const refuse = (r: LimitRefusal) => {
    onRefused(r);
    throw refusalError(r);
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, operationName, request, contextValue }) {
          if (!operation) return;
          const shape = checkShape(document, operation, limits);
          if (shape) refuse(shape);
          // Variables that do not fit their types are refused by execution before any resolver
          // runs (BAD_USER_INPUT); the cost of an operation that will not run is not asked.
          const vars = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          if (vars.errors) return;
          const { cost, refusal } = checkCost(schema, estimator, document, operationName ?? undefined, vars.coerced, costLimits);
          if (refusal) refuse(refusal);
          // Counted against the caller's cost per minute before anything runs (may refuse with 429).
          await onCost(contextValue, cost);
        },
      };
    },
  };
}

/**
 * The text check for an HTTP GraphQL request (a POST body, a batch of them, or GET's `query`):
 * the body of the 400 answer, or null to go on.
 */
export function checkRequestText(body: unknown, query: unknown, config: Pick<Config, 'limits'>): { errors: unknown[] } | null {
  const texts: unknown[] = [];
  if (Array.isArray(body)) texts.push(...body.map((b) => (b as { query?: unknown } | null)?.query));
  else if (body && typeof body === 'object') texts.push((body as { query?: unknown }).query);
  if (query && typeof query === 'object') texts.push((query as { query?: unknown }).query);
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    const r = checkQueryText(text, config.limits);
    if (r) return refusalBody(r);
  }
  return null;
}
