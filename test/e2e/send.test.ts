import { describeWithShared, readShared } from '../helpers/shared.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { encodeGlobalId } from '../../src/domain/globalId.js';
import { parsePartyIdentifier } from '../../src/domain/identifiers.js';
import { writePeppolInvoice } from '../../src/domain/peppolUbl.js';

let stack: Stack;
beforeAll(async () => {
  // Short header timeout: a slow MAPI answer is "lost" and the send is retried.
  stack = await startStack({ env: { UPSTREAM_HEADERS_TIMEOUT_MS: '400' } });
});
afterAll(async () => stack.close());
beforeEach(() => {
  stack.mapi.server.resetCalls();
  stack.mapi.server.clearFaults();
});

const SEND = `mutation($i: SendInvoiceInput!) { sendInvoice(input: $i) { channel userErrors { code message field }
  message { id status upstreamStatus direction documentType documentNumber receiver { name } documents { name url } } } }`;
const SUBMIT = 'POST /transactions/submit-invoice';
const SUPPLIER = '0196:1111118899';

const seller = { identifier: 'KT:1111118899', name: 'Supplier Company', vatNumber: 'IS123456', countryCode: 'IS' };
const invoice = (key: string, over: Record<string, unknown> = {}) => ({
  number: `INV-${key}`,
  issueDate: '2026-11-20',
  dueDate: '2026-12-20',
  buyerReference: 'PO-77',
  seller,
  buyer: { identifier: 'KT:2222228899', name: 'Customer Company', countryCode: 'IS', email: 'ap@customer.example' },
  lines: [
    { description: 'Widgets', quantity: '3', unitPrice: '0.333', taxPercent: '21' },
    { description: 'Service', quantity: '1.5', unitPrice: '19.99', taxPercent: '6', unitCode: 'HUR' },
  ],
  idempotencyKey: key,
  ...over,
});

async function waitForStatus(id: string, status: string) {
  for (let i = 0; i < 100; i++) {
    const { body } = await stack.gql('query($id: ID!) { message(id: $id) { status upstreamStatus } }', { id });
    if (body.data.message.status === status) return body.data.message;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`message ${id} never reached ${status}`);
}

describe('sendInvoice through MAPI', () => {
  it('checks the receiver, sends exact amounts, and the message goes through to DELIVERED with an inbound copy', async () => {
    const { body } = await stack.gql(SEND, { i: invoice('send-1') });
    expect(body.errors).toBeUndefined();
    const r = body.data.sendInvoice;
    expect(r.userErrors).toEqual([]);
    expect(r.channel).toBe('MAPI');
    expect(r.message).toMatchObject({ direction: 'OUTBOUND', documentType: 'INVOICE', documentNumber: 'INV-send-1', receiver: { name: 'Customer Company' } });
    expect(['QUEUED', 'DELIVERED']).toContain(r.message.status);
    // The capability check asked MAPI before anything was sent.
    expect(stack.mapi.server.calls('POST /parties/transactions').length).toBeGreaterThanOrEqual(1);
    const sent = stack.mapi.server.calls(SUBMIT);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toContain('"taxableAmount":1.00');
    expect(sent[0]!.body).toContain('"taxAmount":1.80');
    expect(sent[0]!.body).toContain('"payableAmount":33.00');

    expect((await waitForStatus(r.message.id, 'DELIVERED')).upstreamStatus).toBe('delivered');
    const uniqueId = Buffer.from(r.message.id, 'base64url').toString().split(':').at(-1)!;
    expect(stack.mapi.messages.get(uniqueId, '0196:2222228899')).toMatchObject({ transfer: 'inbound', status: 'pendingdelivery' });
    const xml = await (await fetch(r.message.documents[0].url)).text();
    expect(xml).toContain('<cbc:PayableAmount currencyID="EUR">33.00</cbc:PayableAmount>');

    // The message reads back as the invoice it carries, from MAPI's transaction metadata.
    const back = await stack.gql('query($id: ID!) { message(id: $id) { invoice { source kind number issueDate total { amount currency } open { amount } seller { name vatNumber } buyer { name email } lines { description quantity unitPrice { amount } taxPercent total { amount } } } } }', { id: r.message.id });
    expect(back.body.data.message.invoice).toEqual({
      source: 'MAPI', kind: 'INVOICE', number: 'INV-send-1', issueDate: '2026-11-20',
      total: { amount: '33.00', currency: 'EUR' }, open: { amount: '33.00' },
      seller: { name: 'Supplier Company', vatNumber: 'IS123456' }, buyer: { name: 'Customer Company', email: 'ap@customer.example' },
      lines: [
        { description: 'Widgets', quantity: '3', unitPrice: { amount: '0.333' }, taxPercent: '21', total: { amount: '1.00' } },
        { description: 'Service', quantity: '1.5', unitPrice: { amount: '19.99' }, taxPercent: '6', total: { amount: '29.99' } },
      ],
    });
  });

  it('creates one message for a replayed send, without calling MAPI again', async () => {
    const first = await stack.gql(SEND, { i: invoice('send-replay') });
    stack.mapi.server.resetCalls();
    const again = await stack.gql(SEND, { i: invoice('send-replay') });
    expect(again.body.data.sendInvoice.message.id).toBe(first.body.data.sendInvoice.message.id);
    expect(stack.mapi.server.calls(SUBMIT)).toHaveLength(0);
    expect(stack.mapi.messages.ownedBy(SUPPLIER).filter((m) => m.documentNo === 'INV-send-replay')).toHaveLength(1);
  });

  it('answers a replay with the first outcome, without checking the receiver again', async () => {
    // No capability cache, so only the idempotency ledger can spare the replay its lookup.
    await stack.restart({ CAPABILITY_CACHE_TTL_SECONDS: '0' });
    try {
      const first = await stack.gql(SEND, { i: invoice('send-replay-nocheck') });
      expect(first.body.data.sendInvoice.userErrors).toEqual([]);
      stack.mapi.server.resetCalls();
      // Even with MAPI's capability lookup down, the replay is the message the first send created.
      stack.mapi.server.inject('POST /parties/transactions', { status: 503 });
      const again = await stack.gql(SEND, { i: invoice('send-replay-nocheck') });
      expect(again.body.data.sendInvoice).toMatchObject({ userErrors: [], message: { id: first.body.data.sendInvoice.message.id } });
      expect(stack.mapi.server.calls('POST /parties/transactions')).toHaveLength(0);
    } finally {
      stack.mapi.server.clearFaults();
      await stack.restart();
    }
  });

  it('refuses the same key for another invoice', async () => {
    await stack.gql(SEND, { i: invoice('send-reuse') });
    const other = await stack.gql(SEND, { i: invoice('send-reuse', { number: 'INV-other' }) });
    expect(other.body.data.sendInvoice.userErrors[0]).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'] });
  });

  it('creates one message when MAPI\'s answer is lost and the send is retried', async () => {
    // MAPI creates the message but answers after the gateway gave up waiting; the retry meets the duplicate id.
    // undici checks timeouts on a coarse timer, so the delay is well past the 400 ms headers timeout.
    stack.mapi.server.inject(SUBMIT, { latencyMs: 1500, times: 1 });
    const { body } = await stack.gql(SEND, { i: invoice('send-lost') });
    await new Promise((r) => setTimeout(r, 1600));
    expect(body.data.sendInvoice.userErrors).toEqual([]);
    expect(stack.mapi.server.calls(SUBMIT).length).toBeGreaterThanOrEqual(2);
    expect(stack.mapi.messages.ownedBy(SUPPLIER).filter((m) => m.documentNo === 'INV-send-lost')).toHaveLength(1);
  });

  it('sends a credit note with correct-with-credit', async () => {
    // Customer Company Two registered BISENUBL, which covers credit notes.
    const buyer = { identifier: 'KT:3333338899', name: 'Customer Company Two', countryCode: 'IS', email: 'ap@two.example' };
    const { body } = await stack.gql(SEND, { i: invoice('send-cn', { kind: 'CREDIT_NOTE', number: 'CN-1', buyer }) });
    expect(body.data.sendInvoice.message.documentType).toBe('CREDIT_NOTE');
    expect(stack.mapi.server.calls('POST /transactions/correct-with-credit')).toHaveLength(1);
  });

  it('does not send to a party that cannot receive invoices', async () => {
    const unreachable = [...stack.mapi.parties.values()].find((p) => p.profiles.length === 0 && !p.pendingFirst)!;
    const { body } = await stack.gql(SEND, { i: invoice('send-nowhere', { buyer: { identifier: unreachable.identifier, name: unreachable.name, countryCode: 'BE' } }) });
    expect(body.data.sendInvoice.userErrors[0].code).toBe('NOT_REACHABLE');
    expect(stack.mapi.server.calls(SUBMIT)).toHaveLength(0);
  });

  it('reports input problems before anything is sent, and MAPI validation as VALIDATION_FAILED', async () => {
    const bad = await stack.gql(SEND, { i: invoice('send-bad', { seller: { ...seller, vatNumber: null }, lines: [] }) });
    expect(bad.body.data.sendInvoice.userErrors.map((e: any) => e.field.join('.'))).toEqual(['input.seller.vatNumber', 'input.lines']);
    const currency = await stack.gql(SEND, { i: invoice('send-xyz', { currency: 'XYZ', channel: 'MAPI' }) });
    expect(currency.body.data.sendInvoice.userErrors[0].code).toBe('VALIDATION_FAILED');
    expect(currency.body.data.sendInvoice.userErrors[0].message).toContain('currencyCode');
    // Ibanity sends only as one of its suppliers: this Icelandic seller is none of them.
    const ibanity = await stack.gql(SEND, { i: invoice('send-ib', { channel: 'IBANITY' }) });
    expect(ibanity.body.data.sendInvoice.userErrors.map((e: any) => e.code)).toEqual(['SUPPLIER_MISMATCH', 'SUPPLIER_MISMATCH']);
  });

  it('shows a processing failure as FAILED', async () => {
    stack.mapi.failNextProcessing('failed', 'INV-send-fail');
    const { body } = await stack.gql(SEND, { i: invoice('send-fail') });
    await waitForStatus(body.data.sendInvoice.message.id, 'FAILED');
  });
});

describeWithShared('testdata/peppol-examples', 'sendDocument', () => {
  const example = readShared('testdata/peppol-examples/base-example.xml');
  // The Peppol example's buyer, pointed at a sandbox party.
  const toCustomer = example.replace('<cbc:EndpointID schemeID="0002">FR23342</cbc:EndpointID>', '<cbc:EndpointID schemeID="0196">2222228899</cbc:EndpointID>');
  const DOC = 'mutation($i: SendDocumentInput!) { sendDocument(input: $i) { channel userErrors { code message } message { documentType documentNumber } } }';

  it('sends a Peppol example invoice after the capability check', async () => {
    const { body } = await stack.gql(DOC, { i: { receiver: 'KT:2222228899', xml: toCustomer, idempotencyKey: 'doc-1' } });
    expect(body.data.sendDocument.userErrors).toEqual([]);
    expect(body.data.sendDocument.message).toEqual({ documentType: 'INVOICE', documentNumber: 'Snippet1' });
    const call = stack.mapi.server.calls('POST /messages/create-business-transaction')[0]!;
    expect(new URL(call.path, 'http://x').searchParams.get('transactionGroupIdentifier')).toBe('SubmitInvoice');
    expect(call.body).toBe(toCustomer);
    // A raw document carries no metadata to read the invoice from.
    const id = (await stack.gql('{ messages(filter: { reference: "Snippet1" }) { edges { node { id } } } }')).body.data.messages.edges[0].node.id;
    expect((await stack.gql('query($id: ID!) { message(id: $id) { invoice { id } } }', { id })).body.data.message.invoice).toBeNull();
  });

  it('refuses documents with a DOCTYPE and ones the receiver cannot take', async () => {
    const xxe = await stack.gql(DOC, { i: { receiver: 'KT:2222228899', xml: '<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>', idempotencyKey: 'doc-xxe' } });
    expect(xxe.body.data.sendDocument.userErrors[0].code).toBe('INVALID_DOCUMENT');
    const order = await stack.gql(DOC, { i: { receiver: 'KT:4444448899', xml: '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>', idempotencyKey: 'doc-order' } });
    expect(order.body.data.sendDocument.userErrors[0].code).toBe('NOT_REACHABLE');
    expect(stack.mapi.server.calls('POST /messages/create-business-transaction')).toHaveLength(0);
  });
});

describe('respondToInvoice', () => {
  const RESPOND = 'mutation($i: RespondToInvoiceInput!) { respondToInvoice(input: $i) { userErrors { code field } message { id documentType receiver { name } } } }';
  const cn = encodeGlobalId({ type: 'Message', source: 'MAPI', connection: 'mapi', local: '5c4c5450-bf3e-4a83-965b-d4a0b9f0dd0c' });

  it('answers the sender of a received credit note, once per key', async () => {
    const i = { messageId: cn, status: 'REJECTED', reason: 'PricesIncorrect', action: 'IssueNewInvoice', note: 'Unit price differs from contract', idempotencyKey: 'resp-1' };
    const { body } = await stack.gql(RESPOND, { i });
    expect(body.data.respondToInvoice.userErrors).toEqual([]);
    expect(body.data.respondToInvoice.message).toMatchObject({ documentType: 'BILLING_RESPONSE', receiver: { name: 'Customer Company' } });
    const sent = JSON.parse(stack.mapi.server.calls('POST /transactions/submit-billing-response')[0]!.body);
    expect(sent).toMatchObject({
      messageHandling: { receiverIdentifier: '0196:2222228899' },
      billingResponse: {
        status: 'Rejected', reason: 'PricesIncorrect', reasonDescription: 'Unit price differs from contract', documentReference: { documentNo: 'CN19104518' },
        actions: [{ type: 'IssueNewInvoice', description: 'Unit price differs from contract' }],
      },
    });
    await stack.gql(RESPOND, { i });
    expect(stack.mapi.server.calls('POST /transactions/submit-billing-response')).toHaveLength(1);
  });

  it('needs a reason to reject, and answers only received invoices', async () => {
    const noReason = await stack.gql(RESPOND, { i: { messageId: cn, status: 'REJECTED', action: 'PayNow', idempotencyKey: 'resp-2' } });
    expect(noReason.body.data.respondToInvoice.userErrors.map((e: any) => e.code)).toEqual(['REASON_REQUIRED', 'INVALID_ACTION']);
    const outbound = encodeGlobalId({ type: 'Message', source: 'MAPI', connection: 'mapi', local: 'd1abd08e-d4a4-45f5-bb52-118c74bba786' });
    const wrong = await stack.gql(RESPOND, { i: { messageId: outbound, status: 'ACCEPTED', idempotencyKey: 'resp-3' } });
    expect(wrong.body.data.respondToInvoice.userErrors[0].code).toBe('NOT_AN_INVOICE');
  });
});

describe('sendInvoice refuses business-invalid input before anything is sent', () => {
  it('answers each rule with its field, and MAPI is not asked', async () => {
    const line = { description: 'Widgets', quantity: '3', unitPrice: '1', taxPercent: '21' };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ lines: [{ ...line, taxPercent: '-5' }] }, ['input', 'lines', '0', 'taxPercent']],
      [{ lines: [{ ...line, taxPercent: '1000' }] }, ['input', 'lines', '0', 'taxPercent']],
      [{ lines: [{ ...line, unitCode: '<x>' }] }, ['input', 'lines', '0', 'unitCode']],
      [{ lines: [{ ...line, quantity: '123456789012345678901234567890' }] }, ['input', 'lines', '0', 'quantity']],
      [{ lines: [{ ...line, unitPrice: '1.1234567' }] }, ['input', 'lines', '0', 'unitPrice']],
      [{ lines: [{ ...line, taxCategory: 'Z' }] }, ['input', 'lines', '0', 'taxPercent']],
      [{ dueDate: '2026-11-01' }, ['input', 'dueDate']],
      [{ number: 'N'.repeat(1_000_000) }, ['input', 'number']],
    ];
    for (const [over, field] of cases) {
      const { body } = await stack.gql(SEND, { i: invoice(`bad-${field.join('.')}`, over) });
      expect(body.errors, JSON.stringify(over).slice(0, 80)).toBeUndefined();
      expect(body.data.sendInvoice.userErrors.map((e: any) => e.field)).toContainEqual(field);
      expect(JSON.stringify(body).length).toBeLessThan(5000);
    }
    // A 100,000-digit quantity is refused by the Decimal scalar itself, before any resolver.
    const huge = await stack.gql(SEND, { i: invoice('huge', { lines: [{ ...line, quantity: '9'.repeat(100_000) }] }) });
    expect(huge.body.errors[0].extensions.code, JSON.stringify(huge.body).slice(0, 600)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(huge.body).length).toBeLessThan(2000);
    expect(stack.mapi.server.calls()).toHaveLength(0);
  });
});

describe('sendDocument reads XML safely', () => {
  const SEND_DOC = 'mutation($i: SendDocumentInput!) { sendDocument(input: $i) { userErrors { code message field } message { id } } }';
  /** A complete invoice from Supplier Company to Customer Company, with the declaration and number given. */
  const ubl = (head = '<?xml version="1.0" encoding="UTF-8"?>', number = 'DOC-1') =>
    writePeppolInvoice({
      kind: 'INVOICE', number, issueDate: '2026-11-20', dueDate: null, currency: 'EUR', buyerReference: 'PO-1', orderReference: null, paymentReference: null, pdf: null, allowances: [],
      seller: { ids: parsePartyIdentifier('KT:1111118899')!, name: 'Supplier Company', vatNumber: 'IS123456', street: null, postalCode: null, city: 'Reykjavik', countryCode: 'IS', email: null, iban: null },
      buyer: { ids: parsePartyIdentifier('KT:2222228899')!, name: 'Customer Company', vatNumber: null, street: null, postalCode: null, city: 'Reykjavik', countryCode: 'IS', email: null, iban: null },
      lines: [{ itemNumber: null, description: 'Widgets', quantity: '1', unitCode: 'C62', unitPrice: '10', taxPercent: '24', taxCategory: 'S', exemptionReason: null }],
    }).replace('<?xml version="1.0" encoding="UTF-8"?>', head);

  it('answers XML nested past 100 levels and a NUL character as userErrors', async () => {
    const deep = `<Invoice>${'<a>'.repeat(150)}x${'</a>'.repeat(150)}</Invoice>`;
    const nested = await stack.gql(SEND_DOC, { i: { receiver: 'KT:2222228899', xml: deep, idempotencyKey: 'deep-1' } });
    expect(nested.body.errors).toBeUndefined();
    expect(nested.body.data.sendDocument.userErrors[0]).toMatchObject({ code: 'INVALID_DOCUMENT', field: ['input', 'xml'] });
    expect(nested.body.data.sendDocument.userErrors[0].message).toMatch(/more than 100 levels/);
    const nul = await stack.gql(SEND_DOC, { i: { receiver: 'KT:2222228899', xml: ubl(undefined, '<cbc:ID>A\u0000B</cbc:ID>'), idempotencyKey: 'nul-1' } });
    expect(nul.body.data.sendDocument.userErrors[0].message).toMatch(/U\+0000/);
    expect(stack.mapi.server.calls('POST /messages/create-business-transaction')).toHaveLength(0);
  });

  it('sends a document declared ISO-8859-1 or UTF-16 as UTF-8 bytes that say UTF-8', async () => {
    for (const [i, declared] of ['ISO-8859-1', 'UTF-16'].entries()) {
      const { body } = await stack.gql(SEND_DOC, { i: { receiver: 'KT:2222228899', xml: ubl(`<?xml version="1.0" encoding="${declared}"?>`, `Café-${i}`), idempotencyKey: `enc-${i}` } });
      expect(body.data.sendDocument.userErrors).toEqual([]);
    }
    const sent = stack.mapi.server.calls('POST /messages/create-business-transaction');
    expect(sent).toHaveLength(2);
    for (const call of sent) {
      expect(call.body).toContain('encoding="UTF-8"');
      expect(call.body).toMatch(/Café-[01]/);
    }
  });
});

describe('a replay whose message MAPI no longer knows', () => {
  it('says so with a userError and sends nothing again', async () => {
    const first = await stack.gql(SEND, { i: invoice('forgotten-1') });
    const id = first.body.data.sendInvoice.message.id as string;
    const uniqueId = Buffer.from(id, 'base64url').toString().split(':').slice(3).join(':');
    stack.mapi.messages.forget(uniqueId);
    const before = stack.mapi.server.calls(SUBMIT).length;
    const replay = await stack.gql(SEND, { i: invoice('forgotten-1') });
    expect(replay.body.data.sendInvoice.message).toBeNull();
    expect(replay.body.data.sendInvoice.userErrors[0]).toMatchObject({ code: 'MESSAGE_NOT_FOUND', field: ['input', 'idempotencyKey'] });
    expect(stack.mapi.server.calls(SUBMIT)).toHaveLength(before);
  });
});

