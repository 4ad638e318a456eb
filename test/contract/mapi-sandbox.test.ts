import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAPI_SANDBOX_USERS, startMapiSandbox, type MapiSandbox } from '../../src/sandbox/mapi/index.js';

/** The MAPI sandbox behaves as the vendor document and upstream-specs/mapi.md describe, seen over HTTP. */
let sb: MapiSandbox;
const user = MAPI_SANDBOX_USERS[0]!;
const auth = { authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}` };
const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { ...auth, ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
};

beforeAll(async () => {
  sb = await startMapiSandbox({ bulkParties: 50, bulkMessages: 20, processingDelayMs: 5 });
});
afterAll(async () => sb.close());

const party = (id: string, name: string) => ({ name, identifier: id, vatNumber: 'IS123456', address: { countryCode: 'IS' } });
const invoiceBody = (over: Record<string, unknown> = {}) => ({
  messageHandling: { receiverIdentifier: 'KT:2222228899', fallbackEmailAddress: 'x@y.example' },
  invoice: {
    invoiceNo: 'T-1', issueDate: '2026-11-20T00:00:00Z', currencyCode: 'EUR', buyerReference: 'R',
    supplier: party('KT:1111118899', 'Supplier Company'), customer: party('KT:2222228899', 'Customer Company'),
    invoiceLines: [{ itemNo: '1', name: 'A', quantity: 2, unitOfMeasure: { unit: 'Piece' }, unitPriceAmount: 10, taxCategoryType: 'StandardRated', taxableAmount: 20, taxAmount: 4.2, taxPercentage: 21 }],
    ...over,
  },
});
const uuid = () => crypto.randomUUID();

describe('authentication', () => {
  it('needs HTTP Basic everywhere but the display route', async () => {
    const res = await fetch(`${sb.url}/messages`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
  });
});

describe('parties', () => {
  it('treats KT and 0196 alike and refuses unknown identifier types with 422', async () => {
    expect((await call('GET', '/parties/KT:1111118899')).json).toEqual({ identifier: 'KT:1111118899', name: 'Supplier Company' });
    expect((await call('GET', '/parties/0196:1111118899')).json.name).toBe('Supplier Company');
    const bad = await call('GET', '/parties/XX:1/transactions?action=SubmitInvoice');
    expect(bad.status).toBe(422);
    expect(bad.json.statusCode).toBe('422');
  });

  it('limits the batch query to 120 identifiers and answers PendingLookup once for unknown ones', async () => {
    expect((await call('POST', '/parties/transactions?action=SubmitInvoice&idType=KT', Array.from({ length: 121 }, (_, i) => String(i)))).status).toBe(400);
    const first = await call('POST', '/parties/transactions?action=SubmitInvoice&idType=KT', ['9999999999', '1111118899']);
    expect(first.json.map((e: any) => e.status)).toEqual(['PendingLookup', 'Ready']);
    const again = await call('POST', '/parties/transactions?action=SubmitInvoice&idType=KT', ['9999999999']);
    expect(again.json[0].status).toBe('NoRecordFound');
    expect((await call('POST', '/parties/transactions?action=SubmitData&idType=KT', ['1'])).json.message).toBe("Could not find transaction group 'SubmitData'");
  });
});

describe('transactions', () => {
  it('creates a delivered message with the computed payable amount', async () => {
    const id = uuid();
    const r = await call('POST', `/transactions/submit-invoice?messageId=${id}&more=false`, invoiceBody());
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ uniqueId: id, status: 'received', transfer: 'outbound', action: 'SubmitInvoice', validationStatus: 'approved' });
    const back = await call('GET', `/transactions/submit-invoice?messageId=${id}`);
    expect(back.json.invoice.payableAmount).toBe(24.2);
    await new Promise((r) => setTimeout(r, 30));
    expect((await call('GET', `/messages/${id}`)).json.status).toBe('delivered');
  });

  it('states the expected amount when payableAmount is wrong, and creates nothing', async () => {
    const id = uuid();
    const r = await call('POST', `/transactions/submit-invoice?messageId=${id}&more=false`, invoiceBody({ payableAmount: 25 }));
    expect(r.status).toBe(422);
    expect(r.json.message).toContain('24.20');
    expect((await call('GET', `/messages/${id}`)).status).toBe(404);
  });

  it('answers 400 dictionaries for missing fields, tax fields given in part and unknown currencies', async () => {
    const r = await call('POST', `/transactions/submit-invoice?messageId=${uuid()}&more=false`, invoiceBody({
      currencyCode: 'XYZ',
      invoiceLines: [{ itemNo: '1', name: 'A', quantity: 1, unitOfMeasure: { unit: 'Piece' }, unitPriceAmount: 1, taxPercentage: 21 }],
    }));
    expect(r.status).toBe(400);
    expect(Object.keys(r.json)).toEqual(expect.arrayContaining(['invoice.currencyCode', 'invoice.invoiceLines[0].taxableAmount']));
    expect((await call('POST', '/transactions/submit-invoice?more=false', invoiceBody())).json).toEqual({ messageId: ['The messageId field is required.'] });
  });

  it('refuses a second message with the same id and keeps the first', async () => {
    const id = uuid();
    await call('POST', `/transactions/submit-invoice?messageId=${id}&more=false`, invoiceBody());
    const again = await call('POST', `/transactions/submit-invoice?messageId=${id}&more=false`, invoiceBody({ invoiceNo: 'T-2' }));
    expect(again.status).toBe(422);
    expect((await call('GET', `/messages/${id}`)).json.documentNo).toBe('T-1');
  });

  it('keeps a message open with more=true until a document closes it', async () => {
    const id = uuid();
    expect((await call('POST', `/transactions/submit-invoice?messageId=${id}&more=true`, invoiceBody())).json.status).toBe('notset');
    const add = await call('POST', `/messages/${id}/documents?Name=Timesheet&ContentType=application/pdf&More=false`, '%PDF-1.4', { 'content-type': 'application/octet-stream' });
    expect(add.json.status).toBe('received');
    expect(add.json.documents.map((d: any) => [d.index, d.name, d.attachmentType])).toEqual([[0, 'Invoice', 'Core'], [1, 'Timesheet', 'Attached']]);
    const closed = await call('POST', `/messages/${id}/documents?Name=More&ContentType=text/plain&More=false`, 'x', { 'content-type': 'application/octet-stream' });
    expect(closed.status).toBe(422);
  });

  it('takes raw documents (octet-stream or base64) and refuses other media types with 415', async () => {
    const xml = '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>RAW-1</cbc:ID><cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0196">2222228899</cbc:EndpointID></cac:Party></cac:AccountingCustomerParty></Invoice>';
    const b64 = await call('POST', `/messages/create-business-transaction?messageId=${uuid()}&transactionGroupIdentifier=SubmitInvoice&more=false`, Buffer.from(xml).toString('base64'), { 'content-type': 'application/base64' });
    expect(b64.json).toMatchObject({ documentNo: 'RAW-1', destinationParty: { name: 'Customer Company' } });
    expect((await call('POST', `/messages/create-business-transaction?messageId=${uuid()}&transactionGroupIdentifier=SubmitInvoice&more=false`, xml, { 'content-type': 'application/json' })).status).toBe(415);
    expect((await call('POST', `/messages/create-business-transaction?messageId=${uuid()}&transactionGroupIdentifier=Nope&more=false`, xml, { 'content-type': 'application/octet-stream' })).status).toBe(422);
  });

  it('does not validate create-message documents (validationStatus unknown)', async () => {
    const r = await call('POST', `/messages/create-message?MessageId=${uuid()}&DestinationPartyInfo=KT:2222228899&Service=urn:x&Action=SubmitDocument&Name=Edi&ContentType=text/plain&More=false`, 'UNB+UNOC', { 'content-type': 'application/octet-stream' });
    expect(r.json.validationStatus).toBe('unknown');
    const missing = await call('POST', `/messages/create-message?MessageId=${uuid()}&More=false`, 'x', { 'content-type': 'application/octet-stream' });
    expect(Object.keys(missing.json)).toEqual(['DestinationPartyInfo', 'Service', 'Action', 'Name', 'ContentType']);
  });
});

describe('messages', () => {
  it('pages with Offset a multiple of Limit (at most 100), newest first', async () => {
    expect((await call('GET', '/messages?Offset=5&Limit=10')).status).toBe(400);
    expect((await call('GET', '/messages?Limit=101')).status).toBe(400);
    const page = await call('GET', '/messages?Limit=5');
    const times = page.json.map((m: any) => m.timeReceived);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('shows documents anonymously by reference id, raw or as HTML', async () => {
    const m = (await call('GET', '/messages/d1abd08e-d4a4-45f5-bb52-118c74bba786')).json;
    const ref = m.documents[0].referenceId;
    expect(ref).toBe('d1abd08ed4a445f5bb52118c74bba786:KT:1111118899:0:ae47dbywk');
    const html = await fetch(`${sb.url}/messages/display/${encodeURIComponent(ref)}`);
    expect(html.headers.get('content-type')).toContain('text/html');
    const raw = await fetch(`${sb.url}/messages/display/${encodeURIComponent(ref)}?ct=raw`);
    expect(await raw.text()).toContain('<cbc:ID>INV19093078</cbc:ID>');
  });
});
