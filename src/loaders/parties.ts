import DataLoader from 'dataloader';
import type { SourceName } from '../domain/globalId.js';
import type { PartyModel } from '../domain/models.js';
import type { PartiesCapability, PartyFacts } from '../sources/types.js';
import { createLimiter } from './batching.js';

/**
 * What every source knows of the parties of one request, asked once per party: the parties a
 * request touches in one tick (a page of invoices' sellers, `parties(identifiers)`) go out as one
 * batch, every source asked in parallel, at most PARTY_LOOKUPS_IN_FLIGHT lookups of one source at a
 * time (no source has a lookup of several companies in one call: MAPI reads one party, CodaBox
 * searches one enterprise number, Ibanity's supplier list is read once per operation).
 */

export const PARTY_LOOKUPS_IN_FLIGHT = 8;

export interface PartySource {
  source: SourceName;
  parties: PartiesCapability;
}

export interface PartyKnowledge {
  /** What each source that knows the party knows, in the order the sources were given. */
  found: { source: SourceName; facts: PartyFacts }[];
  /** Sources whose lookup failed. */
  failed: { source: SourceName; error: unknown }[];
}

/** The key of a party: its first identifier (one company, whatever its spelling), else its ID. */
export const partyKey = (p: PartyModel) => p.identifiers[0]?.iso6523.toUpperCase() ?? p.id;

export function createPartyLoader(sources: readonly PartySource[], onBatch: (size: number) => void = () => {}) {
  return new DataLoader<PartyModel, PartyKnowledge, string>(
    async (parties) => {
      onBatch(parties.length);
      const perSource = await Promise.all(
        sources.map((s) => {
          const limit = createLimiter(PARTY_LOOKUPS_IN_FLIGHT);
          return Promise.all(parties.map((p) => limit(() => s.parties.facts(p)).then((facts) => ({ facts }), (error: unknown) => ({ error }))));
        }),
      );
      return parties.map((_, i) => {
        const k: PartyKnowledge = { found: [], failed: [] };
        sources.forEach((s, j) => {
          const r = perSource[j]![i]!;
          if ('error' in r) k.failed.push({ source: s.source, error: r.error });
          else if (r.facts) k.found.push({ source: s.source, facts: r.facts });
        });
        return k;
      });
    },
    { cacheKeyFn: partyKey },
  );
}
