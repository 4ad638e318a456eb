/**
 * One error class for everything that goes wrong talking to an upstream. `code` is stable and is
 * what callers see as `extensions.code`; messages are for people. Codes are chosen from error
 * classes and HTTP statuses, never from message text.
 */

export type UpstreamErrorCode =
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_REJECTED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  /** The operation used up MAX_UPSTREAM_REQUESTS; this call was not made. */
  | 'REQUEST_LIMIT_EXCEEDED';

export interface UpstreamErrorOptions {
  code: UpstreamErrorCode;
  source: string;
  route?: string;
  status?: number;
  cause?: unknown;
  /** What the upstream said, for the log only: upstream bodies can hold internal details. */
  detail?: string;
  /** Raised by the gateway itself (its queue, its deadline): not the upstream's fault. */
  local?: boolean;
  /** The upstream's Retry-After, in seconds, when it asked to be left alone for longer than the gateway waits. */
  retryAfterSeconds?: number;
}

export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode;
  readonly source: string;
  readonly route: string | undefined;
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly local: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, opts: UpstreamErrorOptions) {
    super(message, { cause: opts.cause });
    this.name = 'UpstreamError';
    this.code = opts.code;
    this.source = opts.source;
    this.route = opts.route;
    this.status = opts.status;
    this.detail = opts.detail;
    this.local = opts.local ?? false;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Maps a thrown transport error (undici or Node) to an UpstreamError by its `code`. */
export function fromTransportError(err: unknown, source: string, route: string): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const tls = tlsProblem(err);
  if (tls) return new UpstreamError(`${source} refused the TLS connection (${tls}): check the client certificate, its key and the CA (${route})`, { code: 'UPSTREAM_UNAVAILABLE', source, route, cause: err });
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return new UpstreamError(`${source} did not answer in time (${route})`, { code: 'UPSTREAM_TIMEOUT', source, route, cause: err });
  }
  return new UpstreamError(`${source} is unreachable (${route})`, { code: 'UPSTREAM_UNAVAILABLE', source, route, cause: err });
}

/** The TLS failure behind a transport error (a refused or missing client certificate, an unknown CA), if it is one. */
function tlsProblem(err: unknown): string | null {
  for (let e = err as { code?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (/^ERR_SSL|^ERR_TLS|CERT|UNABLE_TO_VERIFY|SELF_SIGNED|DEPTH_ZERO/.test(code)) return code;
  }
  return null;
}

/**
 * Maps an unexpected HTTP status to an UpstreamError. The upstream's body (`detail`) is kept for
 * the log and never put in the message callers see: it can name internal hosts or hold secrets.
 */
export function fromStatus(status: number, source: string, route: string, detail?: string, retryAfterSeconds?: number): UpstreamError {
  const o = { source, route, status, detail, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
  if (status === 403) return new UpstreamError(`${source} refused access (${route})`, { code: 'FORBIDDEN', ...o });
  if (status === 404) return new UpstreamError(`${source} has no such resource (${route})`, { code: 'NOT_FOUND', ...o });
  if (status === 401) return new UpstreamError(`${source} refused the gateway's credentials (${route})`, { code: 'UPSTREAM_REJECTED', ...o });
  if (status === 408 || status === 504) return new UpstreamError(`${source} timed out (${route})`, { code: 'UPSTREAM_TIMEOUT', ...o });
  if (status >= 500 || status === 429) return new UpstreamError(`${source} failed with HTTP ${status} (${route})${retryAfterSeconds === undefined ? '' : `; it asks to be called again in ${retryAfterSeconds} s`}`, { code: 'UPSTREAM_UNAVAILABLE', ...o });
  return new UpstreamError(`${source} rejected the request with HTTP ${status} (${route})`, { code: 'UPSTREAM_REJECTED', ...o });
}

/** A response body that does not have the documented shape. */
export function malformed(source: string, route: string, what: string, cause?: unknown): UpstreamError {
  return new UpstreamError(`${source} sent an unexpected response (${route}): ${what}`, { code: 'UPSTREAM_REJECTED', source, route, cause });
}
