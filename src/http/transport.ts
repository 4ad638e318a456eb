import { Pool, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { inSpan, SpanKind, SpanStatusCode, tracingEnabled, withTraceHeaders } from '../telemetry/tracing.js';
import type { Layer, Send, UpstreamResponse } from './types.js';
import { fromTransportError, fromStatus, malformed, UpstreamError } from './errors.js';
import { retryAfterMs, withRetry, type RetryPolicy } from './retry.js';
import { CircuitBreaker, withBreaker, type BreakerPolicy, type BreakerState } from './breaker.js';
import { Semaphore, withConcurrencyLimit } from './limiter.js';
import { withBasic, withBearer } from './oauth2.js';
import { currentOperation, deadlineError, withOperationBudget } from './operation.js';
import { BufferedBody, bodyTooLarge, readLimited } from './body.js';
import { withResponseCache, type ResponseCacheStore } from './responseCache.js';

export interface TransportOptions {
  /** Upstream name used in metrics and errors: `INFORMAT`, `CODABOX`, ... */
  source: string;
  baseUrl: string;
  timeouts: { connectMs: number; headersMs: number; bodyMs: number };
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  maxConcurrency: number;
  /** Largest response body read whole (streamed downloads are not limited). */
  maxBodyBytes: number;
  /** Where failures, recoveries and breaker changes are logged, once per change. */
  log?: Logger;
  /** Keep-alive connections per origin. */
  connections?: number;
  /** TLS options for the connection, e.g. a client certificate for mTLS (`cert`, `key`, `ca`). */
  tls?: { cert?: string | Buffer; key?: string | Buffer; passphrase?: string; ca?: string | Buffer; rejectUnauthorized?: boolean };
  metrics: Metrics;
  /** Breaker to share, so that a token endpoint and its API can fail together. */
  sharedBreaker?: CircuitBreaker;
  /** Reads kept across operations for `ttlMs` (CACHE_TTL_SECONDS of the source); absent: none. */
  cache?: { store: ResponseCacheStore; ttlMs: number };
}

export interface Transport {
  readonly source: string;
  readonly baseUrl: string;
  send: Send;
  breakerState(): BreakerState;
  close(): Promise<void>;
}

const BREAKER_GAUGE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

function stateOf(status: number): string {
  return String(status);
}

/**
 * One transport per upstream origin: an undici pool with timeouts, and the layers every call goes
 * through, outermost first: circuit breaker, retry (idempotent requests only), concurrency cap,
 * bearer auth with refresh-on-401, metrics per attempt.
 */
export function createTransport(opts: TransportOptions): Transport {
  const url = new URL(opts.baseUrl);
  const basePath = url.pathname.replace(/\/$/, '');
  const pool = new Pool(url.origin, {
    connections: opts.connections ?? 64,
    connect: { timeout: opts.timeouts.connectMs, ...(opts.tls ?? {}) },
    headersTimeout: opts.timeouts.headersMs,
    bodyTimeout: opts.timeouts.bodyMs,
    keepAliveTimeout: 10_000,
  });
  const { metrics, source } = opts;

  /**
   * One attempt. The operation's deadline aborts it, body included; bodies not streamed to a
   * caller are read whole here, within the size limit, so that a body trickling in slowly or
   * breaking off counts as this attempt's failure (for retries and the breaker), not later.
   */
  const dispatch: Send = async (req) => {
    const op = currentOperation();
    try {
      const res = await pool.request({
        method: req.method,
        path: basePath + req.path,
        headers: req.headers,
        body: req.body,
        signal: op?.signal,
      } as Dispatcher.RequestOptions);
      if (req.stream) return { status: res.statusCode, headers: res.headers, body: res.body };
      const bytes = await readLimited(res.body, opts.maxBodyBytes, () => bodyTooLarge(source, req.route, opts.maxBodyBytes));
      return { status: res.statusCode, headers: res.headers, body: new BufferedBody(bytes) };
    } catch (err) {
      if (op?.signal.aborted) throw deadlineError(source, req.route, op.deadlineMs, op.signal.reason);
      // Under TLS 1.3 a server that refuses the client certificate (missing, or of another CA) closes
      // the connection after the handshake, so the client sees a socket closed before any answer.
      if (opts.tls && (err as { code?: unknown }).code === 'UND_ERR_SOCKET') {
        throw new UpstreamError(`${source} closed the TLS connection before answering: with client certificates this is how a server refuses a missing or unknown certificate; check the certificate, its key and the CA (${req.route})`, { code: 'UPSTREAM_UNAVAILABLE', source, route: req.route, cause: err });
      }
      throw fromTransportError(err, source, req.route);
    }
  };

  const withMetrics: Layer = (next) => async (req) => {
    const end = metrics.upstreamDuration.startTimer({ upstream: source, route: req.route });
    try {
      const res = await next(req);
      metrics.upstreamRequests.inc({ upstream: source, route: req.route, status: stateOf(res.status) });
      return res;
    } catch (err) {
      metrics.upstreamRequests.inc({ upstream: source, route: req.route, status: 'error' });
      throw err;
    } finally {
      end();
    }
  };

  /** A span per attempt, and its trace context passed on to the upstream (`traceparent`); nothing when tracing is off. */
  const withTracing: Layer = (next) => (!tracingEnabled() ? next : (req) =>
    inSpan(`${req.method} ${source}`, SpanKind.CLIENT, { 'http.request.method': req.method, 'upstream.source': source, 'upstream.route': req.route, 'server.address': url.host }, async (span) => {
      const res = await next({ ...req, headers: withTraceHeaders(req.headers) });
      span.setAttribute('http.response.status_code', res.status);
      if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return res;
    }));

  const breaker =
    opts.sharedBreaker ??
    new CircuitBreaker(source, opts.breaker, (state) => {
      metrics.breakerState.set({ upstream: source }, BREAKER_GAUGE[state]);
      if (state === 'open') opts.log?.warn({ upstream: source }, `${source}: circuit opened after repeated failures; calls fail fast for ${opts.breaker.resetAfterMs} ms`);
      else if (state === 'closed') opts.log?.info({ upstream: source }, `${source}: circuit closed; calls go through again`);
    });
  metrics.breakerState.set({ upstream: source }, 0);
  const limiter = new Semaphore(opts.maxConcurrency);

  const layers: Layer[] = [
    // Outermost: a cached answer is no upstream request (it does not count against the operation's cap).
    ...(opts.cache ? [withResponseCache({ store: opts.cache.store, source, ttlMs: opts.cache.ttlMs, onOutcome: (outcome) => metrics.cache.inc({ source, outcome }) })] : []),
    withOperationBudget(source, () => metrics.requestLimitHits.inc({ upstream: source })),
    withHealthLog(source, opts.log),
    withBreaker(breaker),
    withRetry(opts.retry, (route) => metrics.retries.inc({ upstream: source, route })),
    withConcurrencyLimit(limiter, source),
    withBasic,
    withBearer,
    withMetrics,
    withTracing,
  ];
  const send = layers.reduceRight<Send>((next, layer) => layer(next), dispatch);

  return {
    source,
    baseUrl: opts.baseUrl,
    send,
    breakerState: () => breaker.state,
    close: () => pool.close(),
  };
}

/**
 * Logs an upstream's failures once per change: the first failure after a success (with its code
 * and the upstream's detail), and the first success after failures. A failing upstream under load
 * leaves two lines, not one per call.
 */
function withHealthLog(source: string, log: Logger | undefined): Layer {
  let failing = false;
  const failed = (route: string, code: string, detail?: string) => {
    if (failing) return;
    failing = true;
    log?.warn({ upstream: source, route, code, detail }, `${source} is failing (${code} on ${route})`);
  };
  return (next) => async (req) => {
    try {
      const res = await next(req);
      if (res.status >= 500) failed(req.route, `HTTP ${res.status}`);
      else if (failing) {
        failing = false;
        log?.info({ upstream: source, route: req.route }, `${source} answers again`);
      }
      return res;
    } catch (err) {
      if (err instanceof UpstreamError && !err.local && (err.code === 'UPSTREAM_UNAVAILABLE' || err.code === 'UPSTREAM_TIMEOUT')) failed(req.route, err.code, err.detail ?? (err.cause as Error | undefined)?.message);
      throw err;
    }
  };
}

/**
 * Parsed JSON by the bytes it came from. The bytes of an answer shared within an operation, or kept
 * by the response cache, are one Buffer: parsed once, however many fields or operations read them.
 * The parsed value is shared, so nobody may change it (wire schemas and mappings only read).
 */
const parsedBodies = new WeakMap<Buffer, unknown>();

/** Reads a JSON body; a body that is not JSON is an UPSTREAM_REJECTED error naming the route. */
export async function readJson(res: UpstreamResponse, source: string, route: string): Promise<unknown> {
  const bytes = res.body instanceof BufferedBody ? res.body.bytes : null;
  if (bytes && parsedBodies.has(bytes)) return parsedBodies.get(bytes);
  const value = await parseJsonBody(res, source, route);
  if (bytes) parsedBodies.set(bytes, value);
  return value;
}

async function parseJsonBody(res: UpstreamResponse, source: string, route: string): Promise<unknown> {
  let text: string;
  try {
    text = await res.body.text();
  } catch (err) {
    throw fromTransportError(err, source, route);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw malformed(source, route, 'body is not valid JSON', err);
  }
}

/** Reads a body as text, mapping a connection lost mid-body to an upstream error. */
export async function readText(res: UpstreamResponse, source: string, route: string): Promise<string> {
  try {
    return await res.body.text();
  } catch (err) {
    throw fromTransportError(err, source, route);
  }
}

/** Throws the mapped error for a non-2xx status, after reading a short detail from the body. */
export async function expectOk(res: UpstreamResponse, source: string, route: string): Promise<void> {
  if (res.status >= 200 && res.status < 300) return;
  const detail = (await readText(res, source, route).catch(() => '')).slice(0, 300);
  const wait = res.status === 429 || res.status === 503 ? retryAfterMs(res) : null;
  throw fromStatus(res.status, source, route, detail || undefined, wait === null ? undefined : Math.ceil(wait / 1000));
}

