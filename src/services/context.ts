import type { Caller } from '../auth/caller.js';
import type { Once } from '../idempotency/once.js';
import type { Loaders } from '../loaders/index.js';
import type { Upstreams } from '../sources/registry.js';
import type { SourceName } from '../domain/globalId.js';
import type { PaymentLinkStore } from '../store/types.js';

/** What a service needs of the request: who asks, the configured upstreams, the ledger and the request's loaders. */
export interface RequestContext {
  caller: Caller;
  upstreams: Upstreams;
  once: Once;
  loaders: Loaders;
  /** Bank movements registered on invoices (applyPaymentMatches) and payments registered through the gateway. */
  paymentLinks: PaymentLinkStore;
  /** With channel AUTO, which network sends when several can deliver (AUTO_CHANNEL_ORDER). */
  channelOrder: readonly SourceName[];
}
