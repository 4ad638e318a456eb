import { normalizeEnterpriseNumber } from './identifiers.js';
import { decimalFromWire } from './money.js';
import { readXml } from './safeXml.js';

/**
 * CodaBox's documented checks of a sales invoice before upload ("Sales Invoices - copy to
 * accountant"), in the document's order, as far as they can be made without CodaBox: size, root,
 * well-formed UBL of the expected shape, supported format, supplier VAT, embedded PDF. Duplicates and
 * the previous-year rule need CodaBox's own history and are reported from its answer.
 *
 * Full XSD validation needs the OASIS UBL 2.1 schemas, which no package of the registry ships: the
 * shape check below covers the elements CodaBox reads, not every rule of the XSD.
 */

export const MAX_UPLOAD_BYTES = 1024 * 1024;
export const SUPPORTED_CUSTOMIZATIONS = [
  'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
  'urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214',
];

export interface UploadProblem {
  code: 'FILE_TOO_BIG' | 'INVALID_ROOT' | 'INVALID_XML' | 'FORMAT_NOT_SUPPORTED' | 'SUPPLIER_VAT_MISSING' | 'SUPPLIER_VAT_MISMATCH' | 'PDF_MISSING';
  message: string;
}

export interface SalesInvoiceHead {
  kind: 'INVOICE' | 'CREDIT_NOTE';
  number: string;
  issueDate: string;
  currency: string | null;
  total: string | null;
  folder: string | null;
  supplierEnterpriseNumber: string;
}

const NS: Record<string, string> = { Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2', CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2' };
const text = (v: unknown): string | null => (typeof v === 'string' ? v.trim() : v && typeof v === 'object' && '#text' in (v as object) ? String((v as Record<string, unknown>)['#text']).trim() : null);

export function checkSalesInvoice(xml: string, clientEnterpriseNumber: string | null): { ok: true; head: SalesInvoiceHead; text: string } | { ok: false; problems: UploadProblem[] } {
  const fail = (code: UploadProblem['code'], message: string) => ({ ok: false as const, problems: [{ code, message }] });
  const read = readXml(xml, { maxBytes: MAX_UPLOAD_BYTES, what: 'file', parser: { ignoreAttributes: false, removeNSPrefix: true, isArray: (n) => n === 'AdditionalDocumentReference' } });
  if (!read.ok) return fail(read.code === 'TOO_LARGE' ? 'FILE_TOO_BIG' : 'INVALID_XML', read.message);
  const { doc, root } = read;
  if (root !== 'Invoice' && root !== 'CreditNote') return fail('INVALID_ROOT', 'The root element must be <Invoice> or <CreditNote>.');
  const r = doc[root];
  // The parser drops namespace declarations; read the root's start tag (it may use a prefix).
  const start = new RegExp(`<(?:[A-Za-z0-9_]+:)?${root}\\b[^>]*>`).exec(xml)?.[0] ?? '';
  if (!start.includes(`="${NS[root]}"`)) return fail('INVALID_XML', `The root element is not in the UBL 2.1 ${root} namespace.`);
  const missing = ['CustomizationID', 'ID', 'IssueDate', 'AccountingSupplierParty', 'AccountingCustomerParty', 'LegalMonetaryTotal', root === 'Invoice' ? 'InvoiceLine' : 'CreditNoteLine'].filter((k) => r[k] === undefined);
  if (missing.length) return fail('INVALID_XML', `The UBL document lacks ${missing.join(', ')}.`);
  const customization = text(r.CustomizationID) ?? '';
  if (!SUPPORTED_CUSTOMIZATIONS.some((c) => customization.startsWith(c))) return fail('FORMAT_NOT_SUPPORTED', 'Only Peppol BIS 3.0 and UBL.BE invoices can be uploaded (BIS 2 and others are not supported).');

  const problems: UploadProblem[] = [];
  const party = r.AccountingSupplierParty?.Party ?? {};
  // CodaBox reads PartyLegalEntity/CompanyID (9925: BE + number, 9956 or none: the number); PartyTaxScheme as a fallback.
  const candidates = [text(party.PartyLegalEntity?.CompanyID), text(party.PartyTaxScheme?.CompanyID)].filter((x): x is string => Boolean(x));
  const supplier = candidates.map((c) => normalizeEnterpriseNumber(c)).find((x): x is string => x !== null) ?? null;
  if (!supplier) problems.push({ code: 'SUPPLIER_VAT_MISSING', message: 'The supplier has no Belgian VAT or enterprise number in PartyLegalEntity/CompanyID.' });
  else if (clientEnterpriseNumber && supplier !== clientEnterpriseNumber) {
    problems.push({ code: 'SUPPLIER_VAT_MISMATCH', message: `The supplier VAT BE${supplier} is not the VAT of this CodaBox client (BE${clientEnterpriseNumber}).` });
  }
  const refs = (r.AdditionalDocumentReference ?? []) as Record<string, any>[];
  const hasPdf = refs.some((ref) => {
    const obj = ref.Attachment?.EmbeddedDocumentBinaryObject;
    return obj && obj['@_mimeCode'] === 'application/pdf' && (text(obj) ?? '').length > 0;
  });
  if (!hasPdf) problems.push({ code: 'PDF_MISSING', message: 'The invoice must embed its PDF (AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject, application/pdf).' });
  if (problems.length) return { ok: false, problems };

  const folder = refs.find((ref) => text(ref.DocumentType) === 'codabox-folder');
  const payable = r.LegalMonetaryTotal?.PayableAmount;
  return {
    ok: true,
    text: read.text,
    head: {
      kind: root === 'Invoice' ? 'INVOICE' : 'CREDIT_NOTE',
      number: text(r.ID) ?? '',
      issueDate: text(r.IssueDate) ?? '',
      currency: text(r.DocumentCurrencyCode),
      total: text(payable) ? decimalFromWire(text(payable)!) : null,
      folder: folder ? text(folder.ID) : null,
      supplierEnterpriseNumber: supplier!,
    },
  };
}

/** Adds CodaBox's folder reference to a UBL document that has none, where UBL's element order allows it. */
export function withFolder(xml: string, folder: string): string {
  if (/<cbc:DocumentType>\s*codabox-folder\s*<\/cbc:DocumentType>/.test(xml)) return xml;
  const ref = `<cac:AdditionalDocumentReference><cbc:ID>${folder.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</cbc:ID><cbc:DocumentType>codabox-folder</cbc:DocumentType></cac:AdditionalDocumentReference>`;
  const at = xml.search(/<cac:(ProjectReference|Signature|AccountingSupplierParty)[\s>]/);
  return at < 0 ? xml : `${xml.slice(0, at)}${ref}\n    ${xml.slice(at)}`;
}
