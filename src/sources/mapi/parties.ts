import { perOperation } from '../../http/index.js';
import type { PartiesCapability, ReachabilityCapability, RecordsCapability } from '../types.js';
import { BATCH_LIMIT, type MapiClient } from './client.js';

/**
 * MAPI knows a party's name under the identifier it was registered with: a Belgian company under
 * 0208 or under 9925, so both are asked (in that order) before MAPI is said not to know it.
 */
export function mapiParties(connection: string, client: MapiClient): PartiesCapability {
  const facts: PartiesCapability['facts'] = async (party) => {
    // A party known only by name (a CodaBox client without a number) cannot be looked up.
    for (const id of party.identifiers) {
      const known = await perOperation(`mapi-party|${connection}|${id.iso6523}`, () => client.party(id.iso6523));
      if (known) return { name: known.name, email: null, address: null, bankAccounts: [] };
    }
    return null;
  };
  return { facts };
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
