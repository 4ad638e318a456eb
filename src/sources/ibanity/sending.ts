import { writePeppolInvoice } from '../../domain/peppolUbl.js';
import type { UserErrorModel } from '../../domain/paymentInput.js';
import { readUblInvoice } from '../../domain/ublInvoiceReader.js';
import type { Store } from '../../store/types.js';
import type { SendingCapability, SendResult } from '../types.js';
import type { IbanityClient } from './client.js';
import { messageLocal } from './ids.js';
import { parseMessageLocal } from './ids.js';
import { supplierIdentifiers, toSupplier } from './map.js';
import { refusalErrors, type SupplierDirectory } from './suppliers.js';

const BUSINESS_STATUS = { ACKNOWLEDGED: 'acknowledged', ACCEPTED: 'accepted', REJECTED: 'rejected' } as const;

/**
 * Sending as one supplier. Ibanity takes no idempotency key on documents, so the gateway's ledger
 * is what keeps a key from sending twice (`honoursToken: false`). What Ibanity would only report
 * later as `invalid` is refused here where it can be told: a seller that is not this supplier, a
 * supplier not onboarded, a root other than Invoice or CreditNote.
 */
export function ibanitySending(connection: string, supplierId: string, client: IbanityClient, directory: SupplierDirectory, store: Store): SendingCapability {
  const supplier = async () => {
    const s = await directory.byId(supplierId);
    return s ? toSupplier(connection, s) : null;
  };
  /** Why this supplier may not send a document whose seller endpoint is `endpoints`; null when it may. */
  const checkSeller = async (endpoints: string[], field: string[]): Promise<UserErrorModel | null> => {
    const s = await supplier();
    if (!s) return { code: 'NOT_CONFIGURED', message: `Ibanity has no supplier ${supplierId} (connection "${connection}"): check IBANITY_SUPPLIERS.`, field: ['input', 'connection'] };
    if (s.onboardingStatus !== 'ONBOARDED') return { code: 'SUPPLIER_NOT_ONBOARDED', message: `Supplier ${s.names[0] ?? s.supplierId} is ${s.upstreamOnboardingStatus.toLowerCase()}, not onboarded: Ibanity does not send for it yet.`, field: ['input', 'connection'] };
    const own = new Set(supplierIdentifiers(s).map((i) => i.iso6523.toUpperCase()));
    if (!endpoints.some((e) => own.has(e.toUpperCase()))) {
      return { code: 'SUPPLIER_MISMATCH', message: `The seller (${endpoints.join(', ') || 'no endpoint'}) is not supplier ${s.names[0] ?? s.supplierId} (${[...own].join(', ')}) of connection "${connection}"; Ibanity would mark the document invalid-identifiers.`, field };
    }
    return null;
  };
  const sent = async (kind: 'invoice' | 'credit-note', xml: string, filename: string): Promise<SendResult> => {
    const r = await client.send(supplierId, kind, xml, filename);
    if (!r.ok) return { ok: false, error: refusalErrors(r, 'the document')[0]! };
    const local = messageLocal({ kind, id: r.value.id });
    // Ibanity keeps no copy to download: the gateway keeps what it sent, for `Message.documents`.
    await store.sentDocuments.put('IBANITY', connection, local, xml, Date.now());
    return { ok: true, local };
  };
  return {
    honoursToken: false,
    precheckInvoice: (invoice) => checkSeller(invoice.seller.ids.map((i) => i.iso6523), ['input', 'seller', 'identifier']),
    async precheckDocument(xml) {
      const read = readUblInvoice(xml);
      if (!read.ok) return { code: 'UNSUPPORTED_DOCUMENT', message: `Ibanity sends UBL invoices and credit notes only: ${read.message}`, field: ['input', 'xml'] };
      return checkSeller(read.invoice.seller.endpoint ? [read.invoice.seller.endpoint.replace(/^(\d{4}):/, '$1:')] : [], ['input', 'xml']);
    },
    sendInvoice: (invoice) => sent(invoice.kind === 'CREDIT_NOTE' ? 'credit-note' : 'invoice', writePeppolInvoice(invoice), `${invoice.number}.xml`),
    sendDocument: (xml, documentType) => sent(documentType === 'CREDIT_NOTE' ? 'credit-note' : 'invoice', xml, 'document.xml'),
    responseActions: [],
    async respond(original, response) {
      const local = parseMessageLocal(original.uniqueId);
      if (!local || local.kind !== 'inbound') return { ok: false, error: { code: 'NOT_AN_INVOICE', message: 'Only a document received through Ibanity can be answered through it.', field: ['input', 'messageId'] } };
      const code = BUSINESS_STATUS[response.status as keyof typeof BUSINESS_STATUS];
      if (!code) return { ok: false, error: { code: 'INVALID_INPUT', message: `Ibanity passes on ACKNOWLEDGED, ACCEPTED or REJECTED, not ${response.status}.`, field: ['input', 'status'] } };
      const r = await client.postBusinessStatus(local.id, code);
      if (!r.ok) return { ok: false, error: refusalErrors(r, 'the answer')[0]! };
      return { ok: true, local: original.uniqueId };
    },
  };
}
