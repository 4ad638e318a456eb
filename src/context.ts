import type { Logger } from 'pino';
import type { Caller } from './auth/caller.js';
import type { Config } from './config.js';
import type { Once } from './idempotency/once.js';
import type { Loaders } from './loaders/index.js';
import type { Metrics } from './metrics.js';
import type { UrlSigner } from './server/signedUrls.js';
import type { Store } from './store/types.js';
import type { Upstreams } from './sources/registry.js';

/** What every resolver gets: who asks, and the gateway's shared parts. Built fresh per request. */
export interface GatewayContext {
  caller: Caller;
  upstreams: Upstreams;
  store: Store;
  once: Once;
  signer: UrlSigner;
  /** Origin download URLs are built on (PUBLIC_URL, or the request's own origin). */
  baseUrl: string;
  config: Config;
  metrics: Metrics;
  log: Logger;
  /** DataLoaders of this request only. */
  loaders: Loaders;
}
