import { parsePartyIdentifier } from './identifiers.js';
import type { DocumentModel, InvoiceModel, PartyModel } from './models.js';
import { toPaymentReference } from './ogm.js';
import type { UblInvoice, UblParty } from './ublInvoiceReader.js';

/** What a UBL document says of a party, as a party (by its Peppol endpoint); `partyId` makes its ID. */
export function partyFromUbl(p: UblParty, partyId: (iso6523: string) => string): PartyModel | null {
  const ids = p.endpoint ? parsePartyIdentifier(p.endpoint) : null;
  if (!ids) return null;
  const kbo = ids.find((i) => i.scheme === '0208')?.value ?? null;
  return { id: partyId(ids[0]!.iso6523), name: p.name, identifiers: ids, enterpriseNumber: kbo, vatNumber: p.vatNumber ?? (kbo ? `BE${kbo}` : null), address: null, email: null, bankAccounts: [], sources: [] };
}

/** A UBL invoice or credit note in the unified model; the caller says whose record it is. */
export function invoiceFromUbl(
  ubl: UblInvoice,
  record: Pick<InvoiceModel, 'id' | 'source' | 'direction' | 'createdAt'> & { documents: DocumentModel[]; partyId: (iso6523: string) => string },
): InvoiceModel {
  const currency = ubl.currency ?? 'EUR';
  const money = (amount: string | null) => ({ amount: amount ?? '0.00', currency });
  return {
    id: record.id,
    source: record.source,
    direction: record.direction,
    kind: ubl.kind,
    number: ubl.number,
    issueDate: ubl.issueDate,
    dueDate: ubl.dueDate,
    total: money(ubl.totals.payable),
    paid: null,
    open: null,
    paymentReference: ubl.paymentId ? toPaymentReference(ubl.paymentId) : null,
    seller: partyFromUbl(ubl.seller, record.partyId),
    buyer: partyFromUbl(ubl.buyer, record.partyId),
    recipient: null,
    lines: ubl.lines.map((l) => ({ group: null, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice ? money(l.unitPrice) : null, discount: null, discountPercent: null, taxPercent: l.taxPercent, accountCode: null, total: money(l.total) })),
    documents: record.documents,
    payments: [],
    createdAt: record.createdAt,
    updatedAt: null,
    informat: null,
  };
}
