import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { UpstreamError } from '../http/errors.js';
import { InvalidCursorError } from '../domain/cursor.js';
import { InvalidInputError } from '../domain/inputError.js';
import { AccessError } from '../services/errors.js';
import { currentOperation, RequestLimitError } from '../http/operation.js';
import { quote } from '../domain/quote.js';

/**
 * Errors callers see. Codes are the contract (`extensions.code`); upstream failures keep their
 * upstream as `extensions.source`. Anything unexpected is logged and shown without internals.
 */

export type GatewayErrorCode = 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'NOT_CONFIGURED';

export function gatewayError(code: GatewayErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const badInput = (message: string, field?: string[]) => gatewayError('BAD_USER_INPUT', message, field ? { field } : {});
export const forbidden = (message: string) => gatewayError('FORBIDDEN', message);
export const notConfigured = (message: string) => gatewayError('NOT_CONFIGURED', message);

const MAX_MESSAGE = 500;

/** Long quoted values cut to a preview, and the whole message to MAX_MESSAGE characters. */
function shorten(message: string): string {
  const cut = message.replace(/"((?:[^"\\]|\\.){60,}?)"/g, (_m, inner: string) => quote(inner));
  return cut.length > MAX_MESSAGE ? `${cut.slice(0, MAX_MESSAGE)}…` : cut;
}

/**
 * Apollo's formatError: enrich upstream errors, mask internal ones. What an upstream said in an
 * error body goes to the log (`onUpstream`), never to the caller.
 */
export function formatError(log: (err: unknown) => void, onUpstream: (err: UpstreamError) => void = () => {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const out = format(formatted, error);
    // The request's id, so a caller can quote it and an operator find the request's log lines.
    const requestId = currentOperation()?.requestId;
    return requestId ? { ...out, extensions: { ...out.extensions, requestId } } : out;
  };

  function format(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    if (original instanceof RequestLimitError) {
      return { ...formatted, message: original.message, extensions: { code: original.code, source: original.source, limit: original.limit } };
    }
    if (original instanceof UpstreamError) {
      onUpstream(original);
      return {
        ...formatted,
        message: original.message,
        extensions: {
          code: original.code,
          source: original.source,
          ...(original.route ? { route: original.route } : {}),
          ...(original.status ? { upstreamStatus: original.status } : {}),
          ...(original.retryAfterSeconds !== undefined ? { retryAfterSeconds: original.retryAfterSeconds } : {}),
        },
      };
    }
    if (original instanceof AccessError) {
      return { ...formatted, message: original.message, extensions: { code: original.code, ...(original.code === 'BAD_USER_INPUT' && original.field ? { field: original.field } : {}) } };
    }
    if (original instanceof InvalidInputError) {
      return { ...formatted, message: original.message, extensions: { code: 'BAD_USER_INPUT', ...(original.field ? { field: original.field } : {}) } };
    }
    if (original instanceof InvalidCursorError) {
      return { ...formatted, message: original.message, extensions: { code: 'BAD_USER_INPUT', field: ['after'] } };
    }
    const code = formatted.extensions?.code;
    // graphql-js echoes an invalid variable value whole ("got invalid value …"): a 1 MB value
    // must not come back in the error.
    if (formatted.message.length > MAX_MESSAGE) formatted = { ...formatted, message: shorten(formatted.message) };
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      log(original);
      return { ...formatted, message: 'Internal error; it has been logged.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    // Apollo adds a stack trace in development; callers never need it.
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
}
