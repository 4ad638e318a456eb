import type { Caller } from '../auth/caller.js';
import type { Upstreams } from '../sources/registry.js';

/** What a service needs of the request: who asks, and the configured upstreams. */
export interface RequestContext {
  caller: Caller;
  upstreams: Upstreams;
}
