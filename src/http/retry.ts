import { setTimeout as sleep } from 'node:timers/promises';
import { BufferedBody } from './body.js';

const emptyBody = () => new BufferedBody(Buffer.alloc(0));
import type { Layer, UpstreamResponse } from './types.js';
import { UpstreamError } from './errors.js';
import { currentOperation } from './operation.js';

/**
 * Waits before the next attempt, or says there is no time for one: an attempt that could only
 * start after the operation's deadline is not made, and the last answer stands.
 */
async function pause(ms: number): Promise<boolean> {
  const op = currentOperation();
  if (!op) {
    await sleep(ms);
    return true;
  }
  if (op.signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal: op.signal });
    return true;
  } catch {
    return false;
  }
}

export interface RetryPolicy {
  /** Extra attempts after the first. @default 2 */
  retries: number;
  /** Base of the exponential backoff, in ms. @default 100 */
  baseDelayMs: number;
  /** Longest wait between attempts, in ms; a longer Retry-After ends the attempts. @default 2000 */
  maxDelayMs: number;
}

/** Statuses worth another try: overload and transient server failures. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Full jitter: a uniform wait in [0, min(max, base·2^attempt)] spreads retries of many callers. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** The wait an answer's Retry-After asks for (seconds or an HTTP date), in ms; null without one. */
export function retryAfterMs(res: Pick<UpstreamResponse, 'headers'>, now = Date.now()): number | null {
  const raw = res.headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/**
 * Retries idempotent requests on transport failures and retryable statuses. Requests that are not
 * idempotent (a payment registration) are sent exactly once, whatever happens.
 */
export const withRetry = (policy: RetryPolicy, onRetry: (route: string) => void): Layer => (next) => async (req) => {
  if (!req.idempotent || policy.retries <= 0) return next(req);
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= policy.retries;
    let res: UpstreamResponse;
    try {
      res = await next(req);
    } catch (err) {
      const retryable = err instanceof UpstreamError && (err.code === 'UPSTREAM_UNAVAILABLE' || err.code === 'UPSTREAM_TIMEOUT');
      if (last || !retryable || (err as UpstreamError).local) throw err;
      if (!(await pause(backoffDelay(policy, attempt)))) throw err;
      onRetry(req.route);
      continue;
    }
    if (last || !RETRY_STATUSES.has(res.status)) return res;
    // An upstream that asks for more patience than the gateway has is not called again early: the
    // answer stands, and the caller's error says when to come back (retryAfterSeconds).
    const asked = retryAfterMs(res);
    if (asked !== null && asked > policy.maxDelayMs) return res;
    const wait = asked ?? backoffDelay(policy, attempt);
    const op = currentOperation();
    if (op?.signal.aborted) return res;
    await res.body.dump();
    if (!(await pause(wait))) return { ...res, body: emptyBody() };
    onRetry(req.route);
  }
};
