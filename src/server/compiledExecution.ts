import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';

/**
 * Compiled execution (graphql-jit) behind Apollo Server's executor seam, with answers a caller
 * cannot tell from graphql-js's: the same data, and errors with the same message, path, locations,
 * extensions and original error, so `formatError` and the error codes work unchanged.
 *
 * Apollo still parses, validates and runs every plugin; only execution changes. A document is
 * compiled once per operation name and kept as long as Apollo keeps the parsed document (a
 * WeakMap on Apollo's own bounded document cache), so hostile callers cannot grow it.
 *
 * Variables are coerced by graphql-js first: its errors (which Apollo answers as BAD_USER_INPUT
 * with HTTP 400) come out word for word; graphql-jit then coerces the same raw values again.
 */

type JitError = Error & { locations?: GraphQLError['locations']; path?: (string | number)[]; originalError?: Error & { extensions?: Record<string, unknown> } };

/** A graphql-js GraphQLError for one of graphql-jit's, as graphql-js's `locatedError` would make it. */
export function toGraphQLError(e: JitError): GraphQLError {
  const original = e.originalError;
  // A resolver that threw a located GraphQLError keeps it, as graphql-js does.
  if (original instanceof GraphQLError && original.path) return original;
  const err = new GraphQLError(e.message, {
    path: e.path,
    originalError: original ?? e,
    extensions: original?.extensions,
  });
  if (e.locations?.length) (err as { locations: GraphQLError['locations'] }).locations = e.locations;
  if (!original) err.stack = e.stack;
  return err;
}

export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();

  const compile = (document: DocumentNode, operationName: string | null | undefined): CompiledQuery | ExecutionResult => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let q = byName.get(key);
    if (!q) {
      // Leaf values go out through each scalar's own serialize, as in graphql-js; no compiled stringify.
      q = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
      byName.set(key, q);
    }
    return q;
  };

  const executor: GatewayExecutor = async (rc) => {
    const operation = rc.operation;
    const variables = rc.request.variables ?? {};
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const q = compile(rc.document, rc.request.operationName ?? operation.name?.value);
    if (!isCompiledQuery(q)) return q;
    const result = await q.query(undefined, rc.context, variables);
    return result.errors ? { ...result, errors: result.errors.map((e) => toGraphQLError(e as JitError)) } : result;
  };

  return {
    async load() {
      return { schema, executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
  };
}
