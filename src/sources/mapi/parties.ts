import { perOperation } from '../../http/index.js';
import type { PartiesCapability, ReachabilityCapability, RecordsCapability } from '../types.js';
import { BATCH_LIMIT, type MapiClient } from './client.js';

/** MAPI knows a party's name, by its primary identifier; asked once per operation and party. */
export function mapiParties(connection: string, client: MapiClient): PartiesCapability {
  const facts: PartiesCapability['facts'] = async (party) => {
    const primary = party.identifiers[0];
    // A party known only by name (a CodaBox client without a number) cannot be looked up.
    if (!primary) return null;
    const known = await perOperation(`mapi-party|${connection}|${primary.iso6523}`, () => client.party(primary.iso6523));
    return known ? { name: known.name, email: null, address: null, bankAccounts: [] } : null;
  };
  return { facts, knows: async (party) => (await facts(party)) !== null };
}

/** MAPI's batch capability query: at most BATCH_LIMIT identifiers of one scheme per call. */
export const mapiReachability = (client: MapiClient): ReachabilityCapability => ({
  batchLimit: BATCH_LIMIT,
  lookup: (scheme, values, documentType) => client.capabilities(scheme, values, documentType),
});

/** The invoice a message carries, by the message's ID (MAPI invoices are the messages' metadata). */
export const mapiRecords = (client: MapiClient): RecordsCapability => ({
  async invoice(local) {
    const m = await client.message(local);
    return m && (m.documentType === 'INVOICE' || m.documentType === 'CREDIT_NOTE') ? client.invoiceOf(m) : null;
  },
});
