import type { Layer } from './types.js';
import { currentOperation } from './operation.js';
import { UpstreamError } from './errors.js';

interface Waiter {
  grant: () => void;
  cancel: () => void;
}

/**
 * A counting semaphore that shares its slots fairly: waiters queue per key (the caller), and a
 * freed slot goes to the next key in turn, so one caller's burst of 500 requests waits behind its
 * own queue while another caller's single request is served next. Within one key, arrival order.
 */
export class Semaphore {
  private active = 0;
  private readonly queues = new Map<string, Waiter[]>();
  private waitingCount = 0;

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${max}`);
  }

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waitingCount;
  }

  /**
   * Waits for a slot. `signal` gives up the wait (the operation's deadline); the rejection is
   * `onAbort()`. The returned function frees the slot; calling it twice frees it once.
   */
  async acquire(key = '', signal?: AbortSignal, onAbort: () => Error = () => new Error('aborted')): Promise<() => void> {
    if (this.active < this.max) {
      this.active++;
    } else {
      if (signal?.aborted) throw onAbort();
      await new Promise<void>((resolve, reject) => {
        const abort = () => {
          waiter.cancel();
          reject(onAbort());
        };
        const waiter: Waiter = {
          grant: () => {
            signal?.removeEventListener('abort', abort);
            resolve();
          },
          cancel: () => {
            const q = this.queues.get(key);
            const at = q?.indexOf(waiter) ?? -1;
            if (q && at >= 0) {
              q.splice(at, 1);
              this.waitingCount--;
              if (q.length === 0) this.queues.delete(key);
            }
          },
        };
        signal?.addEventListener('abort', abort, { once: true });
        const q = this.queues.get(key);
        if (q) q.push(waiter);
        else this.queues.set(key, [waiter]);
        this.waitingCount++;
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.handOn();
    };
  }

  /** Gives the freed slot to the first waiter of the key whose turn it is (Map order, rotated). */
  private handOn(): void {
    const next = this.queues.entries().next();
    if (next.done) {
      this.active--;
      return;
    }
    const [key, q] = next.value;
    const waiter = q.shift()!;
    this.waitingCount--;
    // Moving the key to the back of the Map is the round robin.
    this.queues.delete(key);
    if (q.length) this.queues.set(key, q);
    waiter.grant();
  }
}

/**
 * Caps requests in flight to one upstream, shared fairly between callers. The slot is held until
 * the response is read (for buffered bodies) or its headers arrive (for streamed downloads).
 * Waiting ends at the operation's deadline, as UPSTREAM_TIMEOUT that the breaker does not count:
 * the upstream was never asked.
 */
export const withConcurrencyLimit = (sem: Semaphore, source: string): Layer => (next) => async (req) => {
  const op = currentOperation();
  const release = await sem.acquire(op?.caller ?? '', op?.signal, () =>
    new UpstreamError(`${source} was busy: the request waited in the gateway's queue until the operation's deadline (${req.route})`, { code: 'UPSTREAM_TIMEOUT', source, route: req.route, local: true }),
  );
  try {
    return await next(req);
  } finally {
    release();
  }
};
