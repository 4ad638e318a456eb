import DataLoader from 'dataloader';
import { useConnection } from '../auth/access.js';
import type { Caller } from '../auth/caller.js';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { BATCH_LIMIT } from '../upstreams/mapi/index.js';
import type { Upstreams } from '../upstreams/registry.js';
import { createCapabilityLoader, type CapabilitySource } from './capabilities.js';

export { CapabilityCache, type CapabilityKey } from './capabilities.js';

/**
 * The loaders of one request. Made fresh for every request and caller, so no cached answer of one
 * caller is ever seen by another (the shared capability cache holds only upstream facts, and only
 * sources this caller may use are asked).
 */
export function createLoaders(caller: Caller, upstreams: Upstreams, config: Config, metrics: Metrics) {
  const sources: CapabilitySource[] = [];
  const mapi = useConnection(caller, upstreams, 'MAPI', null, 'read');
  if (mapi.ok) {
    sources.push({ name: 'MAPI', batchLimit: BATCH_LIMIT, lookup: (scheme, values, documentType) => mapi.client.capabilities(scheme, values, documentType) });
  }
  return {
    capabilities: createCapabilityLoader(sources, upstreams.capabilityCache, config.capabilities, {
      batch: (source, kind) => metrics.capabilityBatches.inc({ source, kind }),
      cache: (outcome) => metrics.capabilityCache.inc({ outcome }),
    }),
    /** MAPI party names by `scheme:value`; null when MAPI does not know the party or may not be asked. */
    mapiParties: new DataLoader<string, { identifier: string; name: string | null } | null>((ids) =>
      Promise.all(ids.map((id) => (mapi.ok ? mapi.client.party(id).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))) : null))),
    ),
    /** CodaBox pod-clients by connection, asked once per request however many feeds are read. */
    codaboxPods: new DataLoader<string, Awaited<ReturnType<import('../upstreams/codabox/index.js').CodaboxClient['podClient']>>>((names) =>
      Promise.all(names.map((n) => upstreams.codabox!.clients.get(n)!.podClient().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))))),
    ),
    /** Whether a MAPI connection serves this caller, and its name. */
    mapiConnection: mapi.ok ? mapi.name : null,
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
