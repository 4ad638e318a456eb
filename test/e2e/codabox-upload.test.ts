import { describeWithShared, readShared } from '../helpers/shared.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
const example = readShared('testdata/peppol-examples/base-example.xml');
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');

/** The Peppol example with Client X (BE0840559537) as supplier and its PDF embedded. */
function invoice(over: { number?: string; date?: string; supplier?: string; pdf?: boolean; customization?: string } = {}): string {
  let xml = example
    .replace('<cbc:CompanyID>GB983294</cbc:CompanyID>', `<cbc:CompanyID schemeID="9925">${over.supplier ?? 'BE0840559537'}</cbc:CompanyID>`)
    .replace('<cbc:ID>Snippet1</cbc:ID>', `<cbc:ID>${over.number ?? 'Snippet1'}</cbc:ID>`)
    .replace('<cbc:IssueDate>2017-11-13</cbc:IssueDate>', `<cbc:IssueDate>${over.date ?? '2017-11-13'}</cbc:IssueDate>`);
  if (over.customization) xml = xml.replace(/<cbc:CustomizationID>[^<]+/, `<cbc:CustomizationID>${over.customization}`);
  if (over.pdf !== false) {
    xml = xml.replace('<cac:AccountingSupplierParty>', `<cac:AdditionalDocumentReference><cbc:ID>invoice.pdf</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="invoice.pdf">${PDF}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>\n    <cac:AccountingSupplierParty>`);
  }
  return xml;
}

const UPLOAD = 'mutation($i: UploadSalesInvoiceInput!) { uploadSalesInvoice(input: $i) { accepted invoice { kind number issueDate total { amount currency } } userErrors { code message } } }';
const upload = async (xml: string, extra: Record<string, unknown> = {}) => (await stack.gql(UPLOAD, { i: { connection: 'shop', xml, ...extra } })).body.data.uploadSalesInvoice;

describeWithShared('testdata/peppol-examples', 'uploadSalesInvoice', () => {
  beforeAll(async () => {
    stack = await startStack();
    // The invoicing software's client (Client X) claims its credentials.
    stack.codabox.issueToken('invoicing', 'shoptoken0001');
    const claim = await stack.gql('mutation { claimCodaboxCredentials(input: { token: "shoptoken0001", connection: "shop" }) { userErrors { code } } }');
    expect(claim.body.data.claimCodaboxCredentials.userErrors).toEqual([]);
  });
  afterAll(async () => stack.close());

  it('answers XML nested past 100 levels as a userError', async () => {
    const r = await upload(`<Invoice>${'<a>'.repeat(150)}x${'</a>'.repeat(150)}</Invoice>`);
    expect(r).toMatchObject({ accepted: false, userErrors: [{ code: 'INVALID_XML' }] });
    expect(r.userErrors[0].message).toMatch(/more than 100 levels/);
  });

  it('uploads a Peppol BIS 3 invoice with its PDF for the accountant', async () => {
    expect(await upload(invoice())).toEqual({
      accepted: true,
      invoice: { kind: 'INVOICE', number: 'Snippet1', issueDate: '2017-11-13', total: { amount: '1656.25', currency: 'EUR' } },
      userErrors: [],
    });
    const call = stack.codabox.server.calls('POST /ubl/sales-invoice/upload/').at(-1)!;
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.body).toContain('name="file"; filename="Snippet1.xml"');
  });

  it('reports CodaBox\'s own refusals: the same number and year, and a previous year after the current one', async () => {
    expect((await upload(invoice())).userErrors.map((e: any) => e.code)).toEqual(['DUPLICATE_INVOICE']);
    expect((await upload(invoice({ number: 'OLD-1', date: '2016-12-30' }))).userErrors.map((e: any) => e.code)).toEqual(['PREVIOUS_YEAR']);
  });

  it('files by folder: the same number is a new invoice in another accountant book', async () => {
    const inBook = await upload(invoice(), { folder: 'book1' });
    expect(inBook.accepted).toBe(true);
    expect(stack.codabox.server.calls('POST /ubl/sales-invoice/upload/').at(-1)!.body).toContain('<cbc:DocumentType>codabox-folder</cbc:DocumentType>');
  });

  it('refuses each documented problem before sending anything', async () => {
    const before = stack.codabox.server.calls('POST /ubl/sales-invoice/upload/').length;
    const cases: [string, string][] = [
      [invoice() + `<!--${'x'.repeat(1024 * 1024)}-->`, 'FILE_TOO_BIG'],
      ['<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>', 'INVALID_ROOT'],
      [invoice().replace('</Invoice>', ''), 'INVALID_XML'],
      [invoice({ customization: 'urn:www.cenbii.eu:transaction:biitrns010:ver2.0:extended:urn:www.peppol.eu:bis:peppol4a:ver2.0' }), 'FORMAT_NOT_SUPPORTED'],
      // A 9925 identifier that is no Belgian VAT number breaks the gateway's own rules, which run before CodaBox's checks.
      [invoice({ supplier: 'GB983294' }), 'VALIDATION_FAILED'],
      [invoice({ supplier: 'BE0010015348' }), 'SUPPLIER_VAT_MISMATCH'],
      [invoice({ pdf: false, number: 'NOPDF' }), 'PDF_MISSING'],
    ];
    for (const [xml, code] of cases) expect((await upload(xml)).userErrors.map((e: any) => e.code), code).toEqual([code]);
    // The rule it breaks is named.
    expect((await upload(invoice({ supplier: 'GB983294' }))).userErrors[0].message).toMatch(/^BE-VAT-9925|PEPPOL/);
    expect(stack.codabox.server.calls('POST /ubl/sales-invoice/upload/')).toHaveLength(before);
  });

  it('answers FORBIDDEN for a connection that may not upload (an accountant\'s)', async () => {
    const r = (await stack.gql(UPLOAD, { i: { connection: 'codabox', xml: invoice({ number: 'ACC-1' }) } })).body.data.uploadSalesInvoice;
    expect(r.userErrors.map((e: any) => e.code)).toEqual(['FORBIDDEN']);
  });
});
