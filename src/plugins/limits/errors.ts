import { GraphQLError } from 'graphql';

/** Codes of operations refused before execution; each names the option that sets its limit. */
export type LimitCode =
  | 'QUERY_TOO_LARGE'
  | 'TOKEN_LIMIT_EXCEEDED'
  | 'DEPTH_LIMIT_EXCEEDED'
  | 'ALIAS_LIMIT_EXCEEDED'
  | 'ROOT_FIELD_LIMIT_EXCEEDED'
  | 'COST_LIMIT_EXCEEDED';

export interface LimitRefusal {
  code: LimitCode;
  message: string;
  /** The configuration option that sets this limit, its value, and what the operation needed. */
  option: string;
  limit: number;
  actual: number;
}

/** A refusal as the GraphQL error callers get: HTTP 400, nothing executed, nothing asked upstream. */
export function refusalError(r: LimitRefusal): GraphQLError {
  return new GraphQLError(r.message, {
    extensions: { code: r.code, limit: r.limit, actual: r.actual, option: r.option, http: { status: 400 } },
  });
}

/** The same refusal as a whole GraphQL response body, for checks made before Apollo sees the request. */
export function refusalBody(r: LimitRefusal): { errors: unknown[] } {
  return { errors: [{ message: r.message, extensions: { code: r.code, limit: r.limit, actual: r.actual, option: r.option } }] };
}
