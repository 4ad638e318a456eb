import type { Caller } from '../auth/caller.js';
import { usableConnections, type AccessDenied } from '../auth/access.js';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { runtimesOf, type Upstreams } from '../sources/registry.js';
import { createCapabilityLoader, type CapabilitySource } from './capabilities.js';
import { createPartyLoader, type PartySource } from './parties.js';
import type { SourceName } from '../domain/globalId.js';

/**
 * Which source's word counts for a party's name, address, e-mail and bank accounts when several
 * know it: Ibanity's suppliers were checked when they were onboarded (KYC), CodaBox's clients and
 * fiduciaries are the accountant's records, MAPI knows little more than a name.
 */
export const PARTY_AUTHORITY: readonly SourceName[] = ['IBANITY', 'CODABOX', 'MAPI'];

export { CapabilityCache, type CapabilityKey } from './capabilities.js';

/**
 * The loaders of one request. Made fresh for every request and caller, so no cached answer of one
 * caller is ever seen by another (the shared capability cache holds only upstream facts, and only
 * sources this caller may use are asked).
 */
export function createLoaders(caller: Caller, upstreams: Upstreams, config: Pick<Config, 'capabilities'>, metrics: Metrics) {
  // Every source that answers reachability, through the caller's first usable connection of it.
  const offering = runtimesOf(upstreams).filter((r) => r.connections().some((c) => c.capabilities.reachability));
  const sources: CapabilitySource[] = offering.flatMap((r) => {
    const name = usableConnections(caller, upstreams, r.source)[0];
    const reachability = name ? r.connection(name)?.capabilities.reachability : undefined;
    return reachability ? [{ name: r.source, batchLimit: reachability.batchLimit, concurrency: reachability.concurrency, lookup: reachability.lookup }] : [];
  });
  const refusal: AccessDenied | null = sources.length
    ? null
    : offering.length
      ? { ok: false, code: 'FORBIDDEN', message: `This caller may use no ${offering.map((r) => r.source).join(' or ')} connection, so it may not ask what parties can receive.` }
      : { ok: false, code: 'NOT_CONFIGURED', message: 'No source that knows what parties can receive (MAPI, Ibanity) is configured on this gateway.' };
  // Every source that knows parties, through the caller's first usable connection of it, most authoritative first.
  const partySources: PartySource[] = runtimesOf(upstreams)
    .flatMap((r) => {
      const name = usableConnections(caller, upstreams, r.source)[0];
      const parties = name ? r.connection(name)?.capabilities.parties : undefined;
      return parties ? [{ source: r.source, parties }] : [];
    })
    .sort((a, b) => rank(a.source) - rank(b.source));
  return {
    parties: createPartyLoader(partySources, (size) => metrics.loaderBatchSize.observe({ loader: 'parties' }, size)),
    partySources,
    capabilities: createCapabilityLoader(sources, upstreams.capabilityCache, config.capabilities, {
      batch: (source, kind, size) => {
        metrics.capabilityBatches.inc({ source, kind });
        metrics.loaderBatchSize.observe({ loader: 'capabilities' }, size);
      },
      cache: (outcome) => metrics.capabilityCache.inc({ outcome }),
    }),
    /** Why no capability source may be asked for this caller; null when one may. */
    capabilityRefusal: refusal,
  };
}

const rank = (s: SourceName) => (PARTY_AUTHORITY.includes(s) ? PARTY_AUTHORITY.indexOf(s) : PARTY_AUTHORITY.length);

export type Loaders = ReturnType<typeof createLoaders>;
