import { decodeCursor, InvalidCursorError } from '../../domain/cursor.js';
import { parsePartyIdentifier } from '../../domain/identifiers.js';
import type { PartyModel } from '../../domain/models.js';
import { pageByKey } from '../../domain/page.js';
import type { PartiesCapability, ReachabilityCapability } from '../types.js';
import type { IbanityClient } from './client.js';
import { supplierParty, toSourceCapability, toSupplier } from './map.js';
import type { SupplierDirectory } from './suppliers.js';

/** Ibanity knows the application's suppliers as parties (offboarded ones included: they still were). */
export function ibanityParties(connection: string, directory: SupplierDirectory): PartiesCapability {
  const parties = async () => (await directory.all()).map((s) => supplierParty(connection, toSupplier(connection, s))).filter((p): p is PartyModel => p !== null);
  const find = async (party: PartyModel) => {
    const wanted = new Set(party.identifiers.map((i) => i.iso6523.toUpperCase()));
    return (await parties()).find((p) => p.identifiers.some((i) => wanted.has(i.iso6523.toUpperCase()))) ?? null;
  };
  const LIST = 'ibanity-parties';
  return {
    async facts(party) {
      const p = await find(party);
      return p ? { name: p.name, email: p.email, address: p.address, bankAccounts: p.bankAccounts } : null;
    },
    async get(local) {
      const ids = parsePartyIdentifier(local);
      return ids ? find({ identifiers: ids } as PartyModel) : null;
    },
    async search(query, first, after, order = 'name') {
      const list = `${LIST}:${order}`;
      const cursor = after === null ? null : decodeCursor(after, list);
      if (after !== null && !cursor) throw new InvalidCursorError();
      const q = query?.trim().toLowerCase().replace(/[\s.]/g, '') ?? '';
      const hits = (await parties()).filter((p) => !q || (p.name ?? '').toLowerCase().replace(/\s/g, '').includes(q) || p.identifiers.some((i) => i.value.toLowerCase().includes(q.replace(/^be/, ''))));
      const name = (p: PartyModel) => (p.name ?? '').toLowerCase();
      return pageByKey(hits, (p) => (order === 'company' ? [p.enterpriseNumber ?? '', name(p), p.identifiers[0]!.iso6523] : [name(p), p.identifiers[0]!.iso6523]), list, first, cursor);
    },
  };
}

/**
 * Ibanity's customer search: one reference per call, so the loader asks one identifier at a time with
 * at most `concurrency` in flight. A 404 customerNotFound is NOT_FOUND, not an error.
 */
export const ibanityReachability = (client: IbanityClient, concurrency: number): ReachabilityCapability => ({
  batchLimit: 1,
  concurrency,
  async lookup(scheme, values, documentType) {
    const out = new Map<string, ReturnType<typeof toSourceCapability>>();
    for (const value of values) {
      const found = await client.customerSearch(`${scheme}:${value}`);
      out.set(`${scheme}:${value.toUpperCase()}`, toSourceCapability(documentType, found, new Date().toISOString()));
    }
    return out;
  },
});
