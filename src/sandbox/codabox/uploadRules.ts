import type { SandboxRequest, SandboxResponse } from '../server.js';

/**
 * CodaBox's sales-invoice upload as the document describes it: multipart field `file`, and its
 * checks with their documented messages, including the ones that need CodaBox's own history
 * (same number and year in a folder; a previous year after the current one).
 */

const bad = (message: string): SandboxResponse => ({ status: 400, body: { file: [message] } });
const SUPPORTED = ['urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0', 'urn:cen.eu:en16931:2017#conformant#urn:UBL.BE:1.0.0.20180214'];

export function multipartFile(req: SandboxRequest): { filename: string; content: Buffer } | null {
  const type = String(req.headers['content-type'] ?? '');
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!type.startsWith('multipart/form-data') || !boundary) return null;
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let pos = req.body.indexOf(sep);
  while (pos >= 0) {
    const next = req.body.indexOf(sep, pos + sep.length);
    if (next < 0) break;
    const part = req.body.subarray(pos + sep.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    if (/name="file"/.test(headers)) {
      return { filename: /filename="([^"]*)"/.exec(headers)?.[1] ?? '', content: part.subarray(headerEnd + 4) };
    }
    pos = next;
  }
  return null;
}

export function createUploadHandler() {
  /** Uploaded invoices per client and folder: number@year, and the latest year. */
  const history = new Map<string, { numbers: Set<string>; maxYear: number }>();

  return (req: SandboxRequest, clientVat: string): SandboxResponse => {
    const file = multipartFile(req);
    if (!file) return bad('No file was submitted.');
    if (file.content.length > 1024 * 1024) return bad('File too big max 1 Mb');
    if (!file.filename.toLowerCase().endsWith('.xml')) return bad('Invalid file type, only XMLs are allowed.');
    const xml = file.content.toString('utf8');
    const root = /^\s*(?:<\?xml[^>]*\?>)?\s*(?:<!--[\s\S]*?-->\s*)*<(?:[A-Za-z0-9_]+:)?([A-Za-z]+)[\s>]/.exec(xml)?.[1];
    if (root !== 'Invoice' && root !== 'CreditNote') return bad('Invalid XML root tag: only <Invoice> or <CreditNote> are allowed.');
    const needed = [`urn:oasis:names:specification:ubl:schema:xsd:${root}-2`, '<cbc:ID>', '<cbc:IssueDate>', 'AccountingSupplierParty', 'AccountingCustomerParty', 'LegalMonetaryTotal'];
    if (/<!DOCTYPE/i.test(xml) || needed.some((n) => !xml.includes(n)) || (xml.match(/</g)?.length ?? 0) !== (xml.match(/>/g)?.length ?? 0)) {
      return bad('Invalid XML document: syntax error or XSD validation failed.');
    }
    const customization = /<cbc:CustomizationID>([^<]+)<\/cbc:CustomizationID>/.exec(xml)?.[1]?.trim() ?? '';
    if (!SUPPORTED.some((s) => customization.startsWith(s))) return bad('Format is not supported.');
    const legal = /<cac:AccountingSupplierParty>[\s\S]*?<cac:PartyLegalEntity>[\s\S]*?<cbc:CompanyID(?:\s+schemeID="(\d+)")?\s*>([^<]+)<\/cbc:CompanyID>/.exec(xml);
    const number = legal ? legal[2]!.trim().toUpperCase().replace(/^BE/, '').replace(/[.\s]/g, '') : '';
    if (`BE${number}` !== clientVat) return bad("The supplier VAT doesn't match the currently logged in user's VAT.");
    const id = /<cbc:ID>([^<]+)<\/cbc:ID>/.exec(xml)![1]!.trim();
    const year = Number(/<cbc:IssueDate>(\d{4})/.exec(xml)?.[1] ?? 0);
    const folder = /<cac:AdditionalDocumentReference>\s*<cbc:ID>([^<]+)<\/cbc:ID>\s*<cbc:DocumentType>codabox-folder<\/cbc:DocumentType>/.exec(xml)?.[1] ?? '';
    const key = `${clientVat}|${folder}`;
    const h = history.get(key) ?? { numbers: new Set<string>(), maxYear: 0 };
    if (h.numbers.has(`${id}@${year}`)) return bad('An invoice with the same year and number exists already in the given folder.');
    if (year < h.maxYear) return bad('It is not allowed to upload an invoice for the previous year.');
    if (!/<cbc:EmbeddedDocumentBinaryObject[^>]*mimeCode="application\/pdf"[^>]*>\s*[A-Za-z0-9+/=]/.test(xml)) return bad("Ubl file doesn't contain invoice pdf in embeddedDocumentBinaryObject tag");
    h.numbers.add(`${id}@${year}`);
    h.maxYear = Math.max(h.maxYear, year);
    history.set(key, h);
    return { status: 201, body: { invoice_number: id, invoice_date_year: year, invoice_folder: folder || null } };
  };
}
