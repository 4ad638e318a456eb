import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, type DocumentNode, type GraphQLSchema } from 'graphql';
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
  const verdicts = new WeakMap<DocumentNode, Map<string, Verdict>>();
  const refuse = (r: LimitRefusal) => {
    onRefused(r);
    throw refusalError(r);
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, operationName, request, contextValue }) {
          if (!operation) return;
          // Variables that do not fit their types are refused by execution before any resolver
          // runs (BAD_USER_INPUT); the cost of an operation that will not run is not asked.
          const vars = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          const verdict = remembered(verdicts, document, operationName, vars.errors ? null : vars.coerced, () => {
            const shape = checkShape(document, operation, limits);
            if (shape || vars.errors) return { refusal: shape, cost: 0 };
            return checkCost(schema, estimator, document, operationName ?? undefined, vars.coerced, costLimits);
          });
          if (verdict.refusal) refuse(verdict.refusal);
          if (vars.errors) return;
          const cost = verdict.cost;
          // Counted against the caller's cost per minute before anything runs (may refuse with 429).
          await onCost(contextValue, cost);
        },
      };
    },
  };
}

interface Verdict {
  refusal: LimitRefusal | null;
  cost: number;
}

/** Variable sets remembered per document; beyond that, checks run each time (never an unbounded memo). */
const VARIABLE_SETS_PER_DOCUMENT = 32;
const MAX_VARIABLES_KEY = 2048;

/**
 * The shape and cost verdict of a document, operation and variables, computed once: Apollo hands
 * the same parsed document to every request with the same text (its bounded document cache), and a
 * dashboard asks the same operation with the same variables again and again. The memo lives as long
 * as Apollo keeps the document.
 */
function remembered(
  verdicts: WeakMap<DocumentNode, Map<string, Verdict>>,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null,
  compute: () => Verdict,
): Verdict {
  let key: string;
  try {
    key = `${operationName ?? ''}\n${variables === null ? '!' : JSON.stringify(variables)}`;
  } catch {
    return compute();
  }
  if (key.length > MAX_VARIABLES_KEY) return compute();
  let byKey = verdicts.get(document);
  const known = byKey?.get(key);
  if (known) return known;
  const verdict = compute();
  if (!byKey) verdicts.set(document, (byKey = new Map()));
  if (byKey.size < VARIABLE_SETS_PER_DOCUMENT) byKey.set(key, verdict);
  return verdict;
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
