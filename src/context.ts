import type { GraphQLError } from 'graphql';
import type { Caller } from './auth/caller.js';
import type { Once } from './idempotency/once.js';
import type { Loaders } from './loaders/index.js';
import type { UrlSigner } from './server/signedUrls.js';
import type { Upstreams } from './sources/registry.js';
import type { RequestContext } from './services/context.js';
import type { OfficialRules } from './validation/official.js';

/** The few options resolvers apply themselves. */
export interface RequestSettings {
  maxPageSize: number;
  vatFallback: boolean;
}

/** What every resolver gets: who asks, what it may reach, and this request's loaders. Built fresh per request. */
export interface GatewayContext extends RequestContext {
  caller: Caller;
  /** Who is counted for rate limits and fair queues: the caller, or a keyless caller's address. */
  callerKey: string;
  upstreams: Upstreams;
  once: Once;
  signer: UrlSigner;
  /** Origin download URLs are built on (PUBLIC_URL, or the request's own origin). */
  baseUrl: string;
  /** The request settings resolvers read (not the whole configuration). */
  settings: RequestSettings;
  /** DataLoaders of this request only. */
  loaders: Loaders;
  /** The official validation rules, when configured (VALIDATION_ARTEFACTS_DIR). */
  officialRules: OfficialRules;
  /** Errors of sources that failed inside a field that still answered (a list across sources); added to the response's errors. */
  partialErrors: GraphQLError[];
}
