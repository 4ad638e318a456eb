import type { Layer } from './types.js';

/** A counting semaphore: at most `max` holders, the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${max}`);
  }

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async acquire(): Promise<() => void> {
    if (this.active < this.max) {
      this.active++;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/**
 * Caps requests in flight to one upstream. The slot is held until the response headers arrive;
 * streaming a body does not hold it, so a slow download cannot starve queries.
 */
export const withConcurrencyLimit = (sem: Semaphore): Layer => (next) => async (req) => {
  const release = await sem.acquire();
  try {
    return await next(req);
  } finally {
    release();
  }
};
