/**
 * Persistence behind one interface. SQLite (embedded default) implements it now; a PostgreSQL
 * implementation for several replicas must pass the same contract tests (test/contract/store.test.ts).
 */

/**
 * States of one idempotency key:
 * - `reserved`: the request is being prepared; nothing was sent upstream yet.
 * - `sending`: the non-repeatable upstream call is about to be or has been made.
 * - `completed`: the outcome is known and stored in `result`.
 * - `unknown`: the call was made but its outcome was lost (timeout, dropped connection).
 */
export type IdempotencyState = 'reserved' | 'sending' | 'completed' | 'unknown';

export type BeginOutcome =
  | { kind: 'started' }
  | { kind: 'completed'; result: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in-progress'; startedAt: number }
  | { kind: 'unknown'; startedAt: number; detail: string | null };

export interface IdempotencyKey {
  /** Whose key it is: keys of different callers never collide. */
  caller: string;
  /** Which mutation, e.g. `registerPayment`. */
  operation: string;
  key: string;
}

export interface IdempotencyLedger {
  /**
   * Claims a key for a request with the given fingerprint. A `reserved` claim older than
   * `leaseMs` is taken over (nothing was sent); a `sending` one older than that is `unknown`.
   */
  begin(k: IdempotencyKey, fingerprint: string, now: number, leaseMs: number): Promise<BeginOutcome>;
  /** Records that the non-repeatable call is about to be made. */
  markSending(k: IdempotencyKey, now: number): Promise<void>;
  complete(k: IdempotencyKey, result: unknown, now: number): Promise<void>;
  markUnknown(k: IdempotencyKey, detail: string, now: number): Promise<void>;
  /** Forgets a key whose request provably changed nothing upstream, so it may be used again. */
  release(k: IdempotencyKey): Promise<void>;
  /** The stored result of a completed key; null for a key not (or not yet) completed. */
  result(k: IdempotencyKey): Promise<unknown | null>;
}

/** Credentials claimed at run time (CodaBox), stored sealed: the store never holds them in clear. */
export interface CredentialStore {
  put(source: string, connection: string, sealed: string, now: number): Promise<void>;
  list(source: string): Promise<{ connection: string; sealed: string }[]>;
}

/**
 * Documents the gateway wrote and sent, by the upstream's id for them, for upstreams that cannot
 * hand a sent document back (Ibanity keeps no copy to download).
 */
export interface SentDocumentStore {
  put(source: string, connection: string, local: string, body: string, now: number): Promise<void>;
  get(source: string, connection: string, local: string): Promise<string | null>;
}

/**
 * Bank transactions registered as payments on invoices through the gateway (`applyPaymentMatches`),
 * so that an invoice lists them and a payment names its invoice. One row per bank transaction.
 */
export interface PaymentLinkStore {
  put(link: { invoiceId: string; transactionKey: string; payment: string }, now: number): Promise<void>;
  byInvoice(invoiceIds: readonly string[]): Promise<{ invoiceId: string; transactionKey: string; payment: string }[]>;
  byTransaction(transactionKeys: readonly string[]): Promise<{ invoiceId: string; transactionKey: string; payment: string }[]>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly ledger: IdempotencyLedger;
  readonly credentials: CredentialStore;
  readonly sentDocuments: SentDocumentStore;
  readonly paymentLinks: PaymentLinkStore;
  /** Cheap liveness check for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
