import { AsyncLocalStorage } from 'node:async_hooks';
import { UpstreamError } from './errors.js';
import type { Layer, UpstreamResponse } from './types.js';
import { BufferedBody } from './body.js';

/**
 * What one GraphQL operation may spend upstream. It travels with the operation through
 * AsyncLocalStorage, so every upstream call the operation causes, however deep in a client, is
 * counted, deduplicated and bounded by the same deadline without threading a parameter through
 * every client method. Work outside an operation (the /files route, /readyz, start-up) has none.
 */
export interface OperationBudget {
  /** Who the operation runs for: the concurrency queues share each upstream fairly between these. */
  caller: string;
  /** The request's id (`x-request-id`, or one the gateway made): in every log line and error of the operation. */
  readonly requestId?: string;
  /** Aborted when the operation's deadline passes. */
  readonly signal: AbortSignal;
  readonly deadlineMs: number;
  /** Upstream requests this operation may still start (deduplicated ones do not count). */
  readonly maxRequests: number;
  requests: number;
  /** Identical idempotent upstream requests of this operation share one answer. */
  readonly memo: Map<string, Promise<UpstreamResponse>>;
  /** Bytes the memo holds; past MEMO_MAX_BYTES answers are no longer kept for sharing. */
  memoBytes: number;
  /** Values a source derived from upstream answers (a parsed feed), shared within the operation. */
  readonly values: Map<string, unknown>;
}

/** What one operation's shared answers may hold in memory; answers past it are used once and dropped. */
export const MEMO_MAX_BYTES = 64 * 1024 * 1024;

const scope = new AsyncLocalStorage<OperationBudget>();

export function createBudget(opts: { caller: string; deadlineMs: number; maxRequests: number; requestId?: string }): OperationBudget & { dispose(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineError(opts.deadlineMs)), opts.deadlineMs);
  timer.unref();
  return {
    caller: opts.caller,
    requestId: opts.requestId,
    signal: controller.signal,
    deadlineMs: opts.deadlineMs,
    maxRequests: opts.maxRequests,
    requests: 0,
    memo: new Map(),
    memoBytes: 0,
    values: new Map(),
    dispose() {
      clearTimeout(timer);
      // Requests still in flight after the answer was sent (a cancelled sibling) are not needed any more.
      controller.abort(OPERATION_ENDED);
      // An upstream connection opened during the operation keeps its async context, this budget, for
      // as long as the pool keeps the connection: what the budget holds (shared answers, per-operation
      // loaders and lists) is let go here, not when the connection closes.
      this.memo.clear();
      this.memoBytes = 0;
      this.values.clear();
    },
  };
}

export const runInOperation = <T>(budget: OperationBudget, fn: () => T): T => scope.run(budget, fn);
export const currentOperation = (): OperationBudget | undefined => scope.getStore();
/** Runs work shared between operations (a token fetch) outside any one operation's budget. */
export const outsideOperation = <T>(fn: () => T): T => scope.exit(fn);

/** Why requests still in flight are cut when their operation has answered: not the upstream's fault. */
export class OperationEndedError extends Error {
  override readonly name = 'OperationEndedError';
  constructor() {
    super('the operation already answered');
  }
}

/** One reason for every operation: its stack says nothing, and capturing one per operation cost 0.5 % of the CPU. */
const OPERATION_ENDED = new OperationEndedError();

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(readonly deadlineMs: number) {
    super(`the operation's deadline of ${deadlineMs} ms passed`);
  }
}

/** An operation asked more of the upstreams than MAX_UPSTREAM_REQUESTS allows; the upstream was not asked. */
export class RequestLimitError extends UpstreamError {
  constructor(source: string, readonly limit: number) {
    super(`This operation needs more than ${limit} upstream requests (MAX_UPSTREAM_REQUESTS); ${source} was not asked. Ask for fewer items or split the query.`, {
      code: 'REQUEST_LIMIT_EXCEEDED',
      source,
      local: true,
    });
    this.name = 'RequestLimitError';
  }
}

/** The deadline as an upstream error of the source that did not answer in time. */
export function deadlineError(source: string, route: string, deadlineMs: number, reason?: unknown): UpstreamError {
  // Cut because the operation had answered: local, so neither the breaker nor the health log counts it.
  if (reason instanceof OperationEndedError) return new UpstreamError(`${source}: request cut, the operation already answered (${route})`, { code: 'UPSTREAM_TIMEOUT', source, route, local: true });
  return new UpstreamError(`${source} did not answer within the operation's deadline of ${deadlineMs} ms (${route})`, { code: 'UPSTREAM_TIMEOUT', source, route });
}

/** Resolves with `promise`, or rejects when `signal` aborts first (the promise itself goes on). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}

const authIds = new WeakMap<object, number>();
let nextAuthId = 0;
const authId = (auth: object | undefined) => {
  if (!auth) return 0;
  let id = authIds.get(auth);
  if (id === undefined) authIds.set(auth, (id = ++nextAuthId));
  return id;
};

/**
 * The outermost layer: counts the operation's upstream requests against its cap and makes
 * identical reads (GETs, and POSTs marked `read`) once, until the operation writes something.
 * Requests that stream (`stream: true`) are neither buffered nor shared. The key holds the credentials in use (headers, token provider), so two connections
 * never share an answer.
 */
export const withOperationBudget = (source: string, onLimit: () => void = () => {}): Layer => (next) => async (req) => {
  const op = currentOperation();
  if (!op) return next(req);
  if (op.signal.aborted) throw deadlineError(source, req.route, op.deadlineMs, op.signal.reason);
  const isRead = req.method === 'GET' || req.read === true;
  // A write may change what a later read answers: reads after it are asked afresh.
  if (!isRead) {
    op.memo.clear();
    op.memoBytes = 0;
  }
  const who = `${authId(req.auth)}|${req.basic?.username ?? ''}`;
  const key = isRead && req.idempotent && !req.stream ? `${source}\u0000${req.method}\u0000${req.path}\u0000${who}\u0000${JSON.stringify(req.headers ?? {})}\u0000${req.body ?? ''}` : null;
  if (key) {
    const shared = op.memo.get(key);
    if (shared) return cloneResponse(await shared);
  }
  if (op.requests >= op.maxRequests) {
    onLimit();
    throw new RequestLimitError(source, op.maxRequests);
  }
  op.requests++;
  if (!key) return next(req);
  const first = next(req);
  op.memo.set(key, first);
  // A failed request is not remembered: a later field may try again.
  first.catch(() => op.memo.delete(key));
  const res = await first;
  const size = res.body instanceof BufferedBody ? res.body.bytes.length : 0;
  if (op.memoBytes + size > MEMO_MAX_BYTES) op.memo.delete(key);
  else op.memoBytes += size;
  return cloneResponse(res);
};

function cloneResponse(res: UpstreamResponse): UpstreamResponse {
  return res.body instanceof BufferedBody ? { ...res, body: res.body.clone() } : res;
}

/**
 * A value computed once per operation (a parsed upstream list that several fields read), like a
 * per-request DataLoader but reachable from a source's own code. Outside an operation it is
 * computed each time. A failure is not kept.
 */
export function perOperation<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const op = currentOperation();
  if (!op || op.signal.aborted) return compute();
  const known = op.values.get(key) as Promise<T> | undefined;
  if (known) return known;
  const p = compute();
  op.values.set(key, p);
  p.catch(() => op.values.delete(key));
  return p;
}

/** Forgets what `perOperation` keeps under `key` (after a write that changes it). */
export function forgetInOperation(key: string): void {
  currentOperation()?.values.delete(key);
}

/** Like `perOperation` for a value made at once (a DataLoader that batches one operation's loads). */
export function perOperationValue<T>(key: string, create: () => T): T {
  const op = currentOperation();
  if (!op || op.signal.aborted) return create();
  const known = op.values.get(key) as T | undefined;
  if (known !== undefined) return known;
  const v = create();
  op.values.set(key, v as never);
  return v;
}
