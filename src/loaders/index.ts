import DataLoader from 'dataloader';
import { useConnection } from '../auth/access.js';
import type { Caller } from '../auth/caller.js';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { BATCH_LIMIT } from '../sources/mapi/index.js';
import type { Upstreams } from '../sources/registry.js';
import { createCapabilityLoader, type CapabilitySource } from './capabilities.js';
import { asError, perKey } from './batching.js';

export { CapabilityCache, type CapabilityKey } from './capabilities.js';

/**
 * The CodaBox connection used when a question names none (party lookups, searches): the configured
 * one when the caller may use it, else the caller's only one.
 */
export function defaultCodabox(caller: Caller, upstreams: Upstreams, config: Config) {
  const runtime = upstreams.sources.CODABOX;
  if (!runtime) return null;
  const preferred = runtime.configuredNames[0];
  if (preferred) {
    const r = useConnection(caller, upstreams, 'CODABOX', preferred, 'read');
    if (r.ok) return r;
  }
  const r = useConnection(caller, upstreams, 'CODABOX', null, 'read');
  return r.ok ? r : null;
}

type WireFiduciaryT = Awaited<ReturnType<import('../sources/codabox/index.js').CodaboxClient['fiduciaries']>>[number];

/** A CodaBox client or fiduciary found for an enterprise number. */
export type CodaboxKnown =
  | { kind: 'client'; connection: string; id: string; name: string }
  | { kind: 'fiduciary'; connection: string; id: string; name: string; legalEntity: WireFiduciaryT['legal_entity']; email: string | null };

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
    mapiParties: perKey((id: string) => (mapi.ok ? mapi.client.party(id) : Promise.resolve(null))),
    /** CodaBox client details by `connection|clientId`. */
    codaboxClients: perKey((key: string) => {
      const [conn, id] = key.split('|') as [string, string];
      return upstreams.sources.CODABOX!.connection(conn)!.client.client(id);
    }),
    /**
     * What CodaBox knows of an enterprise number (10 digits), on the caller's default connection: a
     * client (searched), else a fiduciary (the list, asked once per request).
     */
    codaboxByKbo: new DataLoader<string, CodaboxKnown | null>((kbos) => {
      const conn = defaultCodabox(caller, upstreams, config);
      let fiduciaries: ReturnType<NonNullable<typeof conn>['client']['fiduciaries']> | null = null;
      return Promise.all(
        kbos.map(async (kbo): Promise<CodaboxKnown | null | Error> => {
          if (!conn) return null;
          try {
            const found = (await conn.client.searchClients({ enterprise_num: `BE${kbo}`, limit: '1' })).results[0];
            if (found) return { kind: 'client', connection: conn.name, id: found.id, name: found.name };
            fiduciaries ??= conn.client.fiduciaries();
            const fid = (await fiduciaries).find((f) => f.legal_entity.enterprise_num?.replace(/^BE/i, '') === kbo);
            return fid ? { kind: 'fiduciary', connection: conn.name, id: fid.id, name: fid.name, legalEntity: fid.legal_entity, email: fid.contact_email ?? null } : null;
          } catch (err) {
            return asError(err);
          }
        }),
      );
    }),
    /** Whether a MAPI connection serves this caller, and its name. */
    mapiConnection: mapi.ok ? mapi.name : null,
    /** Why no capability source may be asked for this caller; null when one may. */
    capabilityRefusal: sources.length ? null : mapi.ok ? null : mapi,
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
