import { MAX_DOCUMENT_BYTES } from './businessDocument.js';
import { readXml } from './safeXml.js';

/**
 * What a UBL invoice or credit note says, read safely (`readXml`): number, dates, parties with their
 * endpoints, payment reference, lines and totals as the exact decimal strings written in it. Used for
 * `Message.invoice` of documents that arrive as UBL, and by the tests that read back what the gateway
 * wrote.
 */

export interface UblParty {
  endpoint: string | null;
  name: string | null;
  vatNumber: string | null;
  /** The legal name (BT-27/BT-44) alone, for the rules that require it. */
  legalName: string | null;
  hasAddress: boolean;
  countryCode: string | null;
  /** Every identifier the party states with a scheme: endpoint, party identifications, legal entity id. */
  schemedIds: { where: string; scheme: string; value: string }[];
}

export interface UblAllowanceCharge {
  charge: boolean;
  amount: string;
  category: string | null;
  percent: string | null;
}

export interface UblInvoice {
  kind: 'INVOICE' | 'CREDIT_NOTE';
  customizationId: string | null;
  typeCode: string | null;
  orderReference: string | null;
  allowanceCharges: UblAllowanceCharge[];
  number: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string | null;
  buyerReference: string | null;
  paymentId: string | null;
  seller: UblParty;
  buyer: UblParty;
  lines: { description: string; quantity: string | null; unitPrice: string | null; total: string; taxPercent: string | null; taxCategory: string | null }[];
  vat: { category: string | null; percent: string | null; taxable: string; tax: string; exemptionReason: string | null }[];
  totals: { lineTotal: string | null; taxExclusive: string | null; taxInclusive: string | null; allowanceTotal: string | null; chargeTotal?: string | null; prepaid?: string | null; rounding?: string | null; tax: string | null; payable: string | null };
  attachments: { filename: string | null; mimeCode: string | null; bytes: number }[];
}

type Node = Record<string, unknown>;
const text = (v: unknown): string | null => (typeof v === 'string' ? v.trim() : v && typeof v === 'object' && '#text' in v ? String((v as Node)['#text']).trim() : null);
const attr = (v: unknown, name: string): string | null => (v && typeof v === 'object' && typeof (v as Node)[`@_${name}`] === 'string' ? ((v as Node)[`@_${name}`] as string) : null);
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v && typeof v === 'object' ? [v as Node] : []);
const at = (n: unknown, ...path: string[]): unknown => path.reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (Array.isArray(cur) ? (cur[0] as Node | undefined)?.[k] : (cur as Node)[k]) : undefined), n);

function partyOf(p: unknown): UblParty {
  const party = at(p, 'Party');
  const ep = at(party, 'EndpointID');
  const scheme = attr(ep, 'schemeID');
  const value = text(ep);
  const schemed = (where: string, v: unknown) => {
    const sch = attr(v, 'schemeID');
    const val = text(v);
    return sch && val ? [{ where, scheme: sch, value: val }] : [];
  };
  const address = at(party, 'PostalAddress');
  return {
    endpoint: scheme && value ? `${scheme}:${value}` : null,
    name: text(at(party, 'PartyLegalEntity', 'RegistrationName')) ?? text(at(party, 'PartyName', 'Name')),
    vatNumber: text(at(party, 'PartyTaxScheme', 'CompanyID')),
    legalName: text(at(party, 'PartyLegalEntity', 'RegistrationName')),
    hasAddress: Boolean(address),
    countryCode: text(at(address, 'Country', 'IdentificationCode')),
    schemedIds: [
      ...schemed('EndpointID', ep),
      ...list((party as Node | undefined)?.PartyIdentification).flatMap((i) => schemed('PartyIdentification/ID', i.ID)),
      ...schemed('PartyLegalEntity/CompanyID', at(party, 'PartyLegalEntity', 'CompanyID')),
    ],
  };
}

export function readUblInvoice(xml: string): { ok: true; invoice: UblInvoice } | { ok: false; message: string } {
  const read = readXml(xml, { maxBytes: MAX_DOCUMENT_BYTES, what: 'document', parser: { ignoreAttributes: false, removeNSPrefix: true, isArray: (name) => ['InvoiceLine', 'CreditNoteLine', 'TaxSubtotal', 'AdditionalDocumentReference', 'TaxTotal', 'PaymentMeans', 'AllowanceCharge', 'PartyIdentification'].includes(name) } });
  if (!read.ok) return { ok: false, message: read.message };
  if (read.root !== 'Invoice' && read.root !== 'CreditNote') return { ok: false, message: `A ${read.root} is not an invoice or credit note.` };
  const credit = read.root === 'CreditNote';
  const d = read.doc[read.root] as Node;
  const taxTotal = list(d.TaxTotal).find((t) => list(t.TaxSubtotal).length > 0) ?? list(d.TaxTotal)[0];
  const totals = d.LegalMonetaryTotal as Node | undefined;
  return {
    ok: true,
    invoice: {
      kind: credit ? 'CREDIT_NOTE' : 'INVOICE',
      customizationId: text(d.CustomizationID),
      typeCode: text(credit ? d.CreditNoteTypeCode : d.InvoiceTypeCode),
      orderReference: text(at(d.OrderReference, 'ID')),
      allowanceCharges: list(d.AllowanceCharge).map((a) => ({ charge: text(a.ChargeIndicator) === 'true', amount: text(a.Amount) ?? '0', category: text(at(a, 'TaxCategory', 'ID')), percent: text(at(a, 'TaxCategory', 'Percent')) })),
      number: text(d.ID),
      issueDate: text(d.IssueDate),
      dueDate: text(d.DueDate) ?? text(at(list(d.PaymentMeans)[0], 'PaymentDueDate')),
      currency: text(d.DocumentCurrencyCode),
      buyerReference: text(d.BuyerReference),
      paymentId: text(at(list(d.PaymentMeans)[0], 'PaymentID')),
      seller: partyOf(d.AccountingSupplierParty),
      buyer: partyOf(d.AccountingCustomerParty),
      lines: list(credit ? d.CreditNoteLine : d.InvoiceLine).map((l) => ({
        description: text(at(l, 'Item', 'Name')) ?? text(at(l, 'Item', 'Description')) ?? '',
        quantity: text(credit ? l.CreditedQuantity : l.InvoicedQuantity),
        unitPrice: text(at(l, 'Price', 'PriceAmount')),
        total: text(l.LineExtensionAmount) ?? '0',
        taxPercent: text(at(l, 'Item', 'ClassifiedTaxCategory', 'Percent')),
        taxCategory: text(at(l, 'Item', 'ClassifiedTaxCategory', 'ID')),
      })),
      vat: list(taxTotal?.TaxSubtotal).map((s) => ({
        category: text(at(s, 'TaxCategory', 'ID')),
        percent: text(at(s, 'TaxCategory', 'Percent')),
        taxable: text(s.TaxableAmount) ?? '0',
        tax: text(s.TaxAmount) ?? '0',
        exemptionReason: text(at(s, 'TaxCategory', 'TaxExemptionReason')) ?? text(at(s, 'TaxCategory', 'TaxExemptionReasonCode')),
      })),
      totals: {
        lineTotal: text(totals?.LineExtensionAmount),
        taxExclusive: text(totals?.TaxExclusiveAmount),
        taxInclusive: text(totals?.TaxInclusiveAmount),
        allowanceTotal: text(totals?.AllowanceTotalAmount),
        chargeTotal: text(totals?.ChargeTotalAmount),
        prepaid: text(totals?.PrepaidAmount),
        rounding: text(totals?.PayableRoundingAmount),
        tax: text(taxTotal?.TaxAmount),
        payable: text(totals?.PayableAmount),
      },
      attachments: list(d.AdditionalDocumentReference).flatMap((r) => {
        const obj = at(r, 'Attachment', 'EmbeddedDocumentBinaryObject');
        if (!obj) return [];
        const b64 = text(obj) ?? '';
        return [{ filename: attr(obj, 'filename'), mimeCode: attr(obj, 'mimeCode'), bytes: Buffer.from(b64, 'base64').length }];
      }),
    },
  };
}
