import type { Layer } from './types.js';
import { UpstreamError } from './errors.js';

export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. @default 5 */
  failureThreshold: number;
  /** How long it stays open before one trial request is let through, in ms. @default 10000 */
  resetAfterMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Circuit breaker per upstream. Failures are transport errors and 5xx answers, counted per logical
 * request (after retries). While open, calls fail at once with UPSTREAM_UNAVAILABLE instead of
 * piling onto a sick upstream; after `resetAfterMs` one trial request decides.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private current: BreakerState = 'closed';

  constructor(
    private readonly source: string,
    private readonly policy: BreakerPolicy,
    private readonly onChange: (state: BreakerState) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.policy.resetAfterMs) return 'half-open';
    return this.current;
  }

  /** Throws when no request may go through now; returns whether this request is the half-open trial. */
  admit(route: string): boolean {
    const state = this.state;
    if (state === 'closed') return false;
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      this.set('half-open');
      return true;
    }
    throw new UpstreamError(`${this.source} is failing; requests are paused for a few seconds (circuit open)`, {
      code: 'UPSTREAM_UNAVAILABLE',
      source: this.source,
      route,
    });
  }

  /** A trial that ended without an answer either way: the next request may try. */
  release(trial: boolean): void {
    if (trial) this.trialInFlight = false;
  }

  success(trial: boolean): void {
    if (trial) this.trialInFlight = false;
    this.failures = 0;
    if (this.current !== 'closed') this.set('closed');
  }

  failure(trial: boolean): void {
    if (trial) this.trialInFlight = false;
    this.failures++;
    if (trial || this.failures >= this.policy.failureThreshold) {
      this.openedAt = this.now();
      this.set('open');
    }
  }

  private set(state: BreakerState): void {
    this.current = state;
    this.onChange(state);
  }
}

export const withBreaker = (breaker: CircuitBreaker): Layer => (next) => async (req) => {
  const trial = breaker.admit(req.route);
  try {
    const res = await next(req);
    if (res.status >= 500) breaker.failure(trial);
    else breaker.success(trial);
    return res;
  } catch (err) {
    // A deadline that passed while the request waited in the gateway's own queue says nothing of the upstream.
    if (err instanceof UpstreamError && err.local) {
      breaker.release(trial);
      throw err;
    }
    const counts = err instanceof UpstreamError ? err.code === 'UPSTREAM_UNAVAILABLE' || err.code === 'UPSTREAM_TIMEOUT' : true;
    if (counts) breaker.failure(trial);
    else breaker.success(trial);
    throw err;
  }
};
