import type { IdempotencyKey, IdempotencyLedger } from '../store/types.js';

/**
 * Exactly-once execution of a non-repeatable upstream call per idempotency key.
 *
 * The ledger is written before anything is sent (`reserved`), again just before the call that must
 * not happen twice (`sending`), and after it (`completed`, or `unknown` when the answer was lost).
 * Concurrent requests with one key in this process share one execution; across processes the
 * ledger's row decides. A lost answer is never retried blindly: it is reported until a person
 * checks upstream and uses a new key.
 */

export type WorkResult<T> =
  /** The upstream changed: store and replay this value for the key. */
  | { kind: 'done'; value: T }
  /** Nothing changed upstream (a definite refusal): return the value once and free the key. */
  | { kind: 'nothing-changed'; value: T };

export type OnceResult<T> =
  | { kind: 'fresh'; value: T }
  | { kind: 'replayed'; value: T }
  | { kind: 'mismatch' }
  | { kind: 'in-progress'; startedAt: number }
  | { kind: 'unknown'; startedAt: number; detail: string | null };

export interface WorkControl {
  /** Call right before the non-repeatable request; after this, a failure means "outcome unknown". */
  sending(): Promise<void>;
}

export class OutcomeUnknownError extends Error {
  override readonly name = 'OutcomeUnknownError';
  constructor(readonly detail: string, options?: { cause?: unknown }) {
    super(detail, options);
  }
}

export function createOnce(ledger: IdempotencyLedger, opts: { leaseMs: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const inflight = new Map<string, { fingerprint: string; promise: Promise<OnceResult<unknown>> }>();

  async function execute<T>(k: IdempotencyKey, fingerprint: string, work: (ctl: WorkControl) => Promise<WorkResult<T>>): Promise<OnceResult<T>> {
    const begun = await ledger.begin(k, fingerprint, now(), opts.leaseMs);
    switch (begun.kind) {
      case 'completed':
        return { kind: 'replayed', value: begun.result as T };
      case 'mismatch':
      case 'in-progress':
      case 'unknown':
        return begun;
      case 'started':
        break;
    }
    let sent = false;
    try {
      const r = await work({
        sending: async () => {
          await ledger.markSending(k, now());
          sent = true;
        },
      });
      if (r.kind === 'done') await ledger.complete(k, r.value, now());
      else await ledger.release(k);
      return { kind: 'fresh', value: r.value };
    } catch (err) {
      if (!sent) {
        await ledger.release(k);
        throw err;
      }
      const detail = (err as Error)?.message ?? String(err);
      await ledger.markUnknown(k, detail, now());
      throw new OutcomeUnknownError(detail, { cause: err });
    }
  }

  return {
    /** What a completed key stored (for reading back what the gateway did, e.g. a payment by ID). */
    result: (k: IdempotencyKey) => ledger.result(k),
    async run<T>(k: IdempotencyKey, fingerprint: string, work: (ctl: WorkControl) => Promise<WorkResult<T>>): Promise<OnceResult<T>> {
      const id = JSON.stringify([k.caller, k.operation, k.key]);
      const running = inflight.get(id);
      if (running) {
        if (running.fingerprint !== fingerprint) return { kind: 'mismatch' };
        const shared = (await running.promise) as OnceResult<T>;
        return shared.kind === 'fresh' ? { kind: 'replayed', value: shared.value } : shared;
      }
      const promise = execute(k, fingerprint, work);
      inflight.set(id, { fingerprint, promise });
      try {
        return await promise;
      } finally {
        inflight.delete(id);
      }
    },
  };
}

export type Once = ReturnType<typeof createOnce>;
