import { setTimeout as sleep } from 'node:timers/promises';
import { generateKeyPair, SignJWT } from 'jose';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxPki } from '../../src/sandbox/tls.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * Ibanity through the gateway, over HTTPS with the client certificate, against the sandbox: sending
 * as a supplier (structured and raw), the AUTO channel choice, inbound documents, onboarding,
 * capability lookups with both sources, and signed webhooks.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ibanity: { stepMs: 60, onboardingDelayMs: 60 } });
});
afterAll(async () => stack?.close());
beforeEach(() => {
  stack.ibanity.server.resetCalls();
  stack.ibanity.server.clearFaults();
  stack.mapi.server.resetCalls();
});

const SEND = `mutation($i: SendInvoiceInput!) { sendInvoice(input: $i) { channel userErrors { code message field }
  message { id status upstreamStatus direction documentType documentNumber sender { name } receiver { identifiers { iso6523 } } documents { name url } } } }`;
const SEND_DOC = 'mutation($i: SendDocumentInput!) { sendDocument(input: $i) { channel userErrors { code message field } message { id status } } }';
const BREWERY = { identifier: '0208:0739484052', name: 'Brouwerij Sandbox BV', vatNumber: 'BE0739484052', street: 'Veldstraat 12', postalCode: '9000', city: 'Gent', countryCode: 'BE', iban: 'BE71096123456769' };
const RECEIVER = { identifier: 'BE0840559537', name: 'Peppol Test Receiver NV', countryCode: 'BE', city: 'Brussel' };
const invoice = (key: string, over: Record<string, unknown> = {}) => ({
  number: `IB-${key}`,
  issueDate: '2026-11-20',
  dueDate: '2026-12-20',
  buyerReference: 'PO-77',
  paymentReference: '+++090/9337/55493+++',
  seller: BREWERY,
  buyer: RECEIVER,
  lines: [
    { description: 'Vat bier', quantity: '3', unitPrice: '10.333', taxPercent: '21' },
    { description: 'Boek', quantity: '1', unitPrice: '19.99', taxPercent: '6', taxCategory: 'AA' },
    { description: 'Leeggoed', quantity: '2', unitPrice: '0.10', taxPercent: '0', taxCategory: 'Z' },
  ],
  allowances: [{ reason: 'Trouwe klant', amount: '2.50', taxPercent: '21' }],
  idempotencyKey: `ib-${key}`,
  ...over,
});
const POST_INVOICE = 'POST /einvoicing/peppol/suppliers/:supplierId/invoices';
const SEARCH = 'POST /einvoicing/peppol/customer-searches';

async function waitFor(id: string, status: string) {
  for (let i = 0; i < 60; i++) {
    const { body } = await stack.gql('query($id: ID!) { node(id: $id) { ... on Message { status upstreamStatus validation { rule message } } } }', { id });
    if (body.data?.node?.status === status) return body.data.node;
    await sleep(50);
  }
  throw new Error(`message ${id} never reached ${status}`);
}

describe('Ibanity over mTLS', () => {
  it('asks the customer search the way the blog post\'s fix does, and shows the formats as the party\'s capabilities', async () => {
    const { body } = await stack.gql('{ party(identifier: "BE0840559537") { capabilities { status reachable formats { source name customizationId } } } }');
    expect(body.errors).toBeUndefined();
    const ibanity = body.data.party.capabilities.formats.filter((f: any) => f.source === 'IBANITY');
    expect(ibanity.map((f: any) => f.name)).toEqual(['Peppol BIS Billing 3.0', 'UBL.BE']);
    const [call] = stack.ibanity.server.calls(SEARCH);
    expect(call!.headers['content-type']).toBe('application/vnd.api+json');
    expect(JSON.parse(call!.body)).toEqual({ data: { type: 'peppolCustomerSearch', attributes: { customerReference: '0208:0840559537' } } });
  });

  it('fails with UPSTREAM_UNAVAILABLE naming TLS when its client certificate is not one the sandbox trusts, and leaves the rest of the answer', async () => {
    const other = await sandboxPki();
    await stack.restart({ IBANITY_CERT: other.client.certPem, IBANITY_KEY: other.client.keyPem });
    try {
      const { body } = await stack.gql('{ connections { name } peppolSuppliers(connection: "ibanity", first: 1) { totalCount } }');
      expect(body.data.connections.length).toBeGreaterThan(0);
      expect(body.data.peppolSuppliers).toBeNull();
      expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'IBANITY' });
      expect(body.errors[0].message).toMatch(/TLS/);
    } finally {
      await stack.restart();
    }
  });
});

describe('sending through Ibanity', () => {
  it('sends a structured invoice as Peppol UBL; it reaches DELIVERED and the receiving supplier sees it as inbound', async () => {
    const { body } = await stack.gql(SEND, { i: invoice('deliver', { channel: 'IBANITY' }) });
    expect(body.data.sendInvoice.userErrors).toEqual([]);
    const sent = body.data.sendInvoice.message;
    expect(sent).toMatchObject({ status: 'QUEUED', upstreamStatus: 'created', direction: 'OUTBOUND', documentType: 'INVOICE', documentNumber: 'IB-deliver', sender: { name: 'Brouwerij Sandbox BV' } });
    expect(sent.receiver.identifiers[0].iso6523).toBe('0208:0840559537');
    // What was posted is the UBL the gateway wrote, and the download hands the same document back.
    const posted = stack.ibanity.server.calls(POST_INVOICE);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.headers['content-type']).toBe('application/xml');
    const xml = await (await fetch(sent.documents[0].url)).text();
    expect(xml).toBe(posted[0]!.body);
    expect(xml).toContain('<cbc:PaymentID>090933755493</cbc:PaymentID>');

    await waitFor(sent.id, 'DELIVERED');
    const inbound = await stack.gql('{ messages(filter: { source: IBANITY, direction: INBOUND, reference: "IB-deliver" }, connection: "ibanity-receiver") { edges { node { direction status documentNumber sender { identifiers { iso6523 } } invoice { total { amount } paymentReference { structured formatted } } } } } }');
    expect(inbound.body.errors).toBeUndefined();
    expect(inbound.body.data.messages.edges.map((e: any) => e.node)).toEqual([
      { direction: 'INBOUND', status: 'DELIVERED', documentNumber: 'IB-deliver', sender: { identifiers: [{ iso6523: '0208:0739484052' }, { iso6523: '9925:BE0739484052' }] }, invoice: { total: { amount: '55.88' }, paymentReference: { structured: true, formatted: '+++090/9337/55493+++' } } },
    ]);
  });

  it('sends once per key: a replay answers the same message, other input under the key is refused', async () => {
    const first = await stack.gql(SEND, { i: invoice('once', { channel: 'IBANITY' }) });
    const again = await stack.gql(SEND, { i: invoice('once', { channel: 'IBANITY' }) });
    expect(again.body.data.sendInvoice.message.id).toBe(first.body.data.sendInvoice.message.id);
    expect(stack.ibanity.server.calls(POST_INVOICE)).toHaveLength(1);
    const other = await stack.gql(SEND, { i: invoice('once', { channel: 'IBANITY', number: 'IB-other' }) });
    expect(other.body.data.sendInvoice.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('reports an answer lost after the POST as OUTCOME_UNKNOWN and does not send again', async () => {
    stack.ibanity.server.inject(POST_INVOICE, { drop: true, times: 1 });
    const lost = await stack.gql(SEND, { i: invoice('lost', { channel: 'IBANITY' }) });
    expect(lost.body.data.sendInvoice.userErrors[0].code).toBe('OUTCOME_UNKNOWN');
    const retry = await stack.gql(SEND, { i: invoice('lost', { channel: 'IBANITY' }) });
    expect(retry.body.data.sendInvoice.userErrors[0].code).toBe('OUTCOME_UNKNOWN');
    expect(stack.ibanity.server.calls(POST_INVOICE)).toHaveLength(1);
  });

  it('shows what Ibanity could not deliver as FAILED with its error code', async () => {
    const { body } = await stack.gql(SEND, { i: invoice('nobody', { channel: 'IBANITY', buyer: { ...RECEIVER, identifier: '0208:0433670865' } }) });
    const failed = await waitFor(body.data.sendInvoice.message.id, 'FAILED');
    expect(failed).toMatchObject({ upstreamStatus: 'send-error', validation: [{ rule: 'error-customer-not-registered' }] });
  });

  it('refuses locally what Ibanity would mark invalid, and sends nothing', async () => {
    const notSupplier = await stack.gql(SEND, { i: invoice('stranger', { channel: 'IBANITY', seller: { ...BREWERY, identifier: '0208:0203201340', vatNumber: 'BE0203201340' } }) });
    expect(notSupplier.body.data.sendInvoice.userErrors.map((e: any) => [e.code, e.field.join('.')])).toEqual([
      ['SUPPLIER_MISMATCH', 'input.seller.identifier'],
      ['SUPPLIER_MISMATCH', 'input.seller.identifier'],
    ]);
    const doctype = await stack.gql(SEND_DOC, { i: { channel: 'IBANITY', connection: 'ibanity', receiver: 'BE0840559537', xml: '<!DOCTYPE x [<!ENTITY e "e">]><Invoice/>', idempotencyKey: 'doc-doctype' } });
    expect(doctype.body.data.sendDocument.userErrors[0].code).toBe('INVALID_DOCUMENT');
    const notXml = await stack.gql(SEND_DOC, { i: { channel: 'IBANITY', connection: 'ibanity', receiver: 'BE0840559537', xml: 'this is not xml', idempotencyKey: 'doc-notxml' } });
    expect(notXml.body.data.sendDocument.userErrors[0].code).toBe('INVALID_DOCUMENT');
    const order = await stack.gql(SEND_DOC, { i: { channel: 'IBANITY', connection: 'ibanity', receiver: 'BE0840559537', xml: '<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>', idempotencyKey: 'doc-order' } });
    expect(order.body.data.sendDocument.userErrors[0].code).toBe('UNSUPPORTED_DOCUMENT');
    // A complete invoice (the rules pass), but from a company that is not this supplier.
    const template = (await stack.gql(SEND, { i: invoice('template-seller', { channel: 'IBANITY' }) })).body.data.sendInvoice.message.documents[0].url;
    const otherSeller = (await (await fetch(template)).text()).replaceAll('0739484052', '0203201340');
    stack.ibanity.server.resetCalls();
    const mismatch = await stack.gql(SEND_DOC, { i: { channel: 'IBANITY', connection: 'ibanity', receiver: 'BE0840559537', xml: otherSeller, idempotencyKey: 'doc-seller' } });
    expect(mismatch.body.data.sendDocument.userErrors[0]).toMatchObject({ code: 'SUPPLIER_MISMATCH', field: ['input', 'xml'] });
    expect(stack.ibanity.server.calls().filter((c) => c.method === 'POST' && c.route.includes('invoices'))).toEqual([]);
  });

  it('sends a ready-made UBL as it is', async () => {
    const ubl = (await stack.gql(SEND, { i: invoice('template', { channel: 'IBANITY' }) })).body.data.sendInvoice.message.documents[0].url;
    const xml = (await (await fetch(ubl)).text()).replace('IB-template', 'IB-raw');
    stack.ibanity.server.resetCalls();
    const { body } = await stack.gql(SEND_DOC, { i: { channel: 'IBANITY', receiver: 'BE0840559537', xml, idempotencyKey: 'doc-raw' } });
    expect(body.data.sendDocument).toMatchObject({ channel: 'IBANITY', userErrors: [] });
    expect(stack.ibanity.server.calls(POST_INVOICE)[0]!.body).toBe(xml);
  });
});

describe('channel AUTO', () => {
  const auto = (key: string, buyer: Record<string, unknown>, seller: Record<string, unknown> = BREWERY) => stack.gql(SEND, { i: invoice(key, { buyer: { email: 'ap@buyer.example', ...buyer }, seller, allowances: [] }) });

  it('picks Ibanity for a receiver only Ibanity reaches', async () => {
    const { body } = await auto('auto-ib', RECEIVER);
    expect(body.data.sendInvoice).toMatchObject({ channel: 'IBANITY', userErrors: [] });
  });

  it('picks MAPI for a receiver only MAPI reaches', async () => {
    const mapiOnly = stack.mapi.belgianParties().find((id) => stack.mapi.parties.get(id)!.profiles.includes('BISENUBL-3.0'))!;
    const { body } = await auto('auto-mapi', { identifier: mapiOnly, name: 'MAPI party', countryCode: 'BE' });
    expect(body.data.sendInvoice).toMatchObject({ channel: 'MAPI', userErrors: [] });
    expect(stack.ibanity.server.calls(POST_INVOICE)).toEqual([]);
  });

  it('prefers Ibanity where both reach the receiver, and MAPI when the seller is no Ibanity supplier', async () => {
    const both = { identifier: '9944:NL840559537B01', name: 'Nederlandse Testontvanger BV', countryCode: 'NL' };
    const { body } = await auto('auto-both', both);
    expect(body.data.sendInvoice).toMatchObject({ channel: 'IBANITY', userErrors: [] });
    const icelandic = { identifier: 'KT:1111118899', name: 'Supplier Company', vatNumber: 'IS123456', countryCode: 'IS' };
    const viaMapi = await auto('auto-both-mapi', both, icelandic);
    expect(viaMapi.body.data.sendInvoice).toMatchObject({ channel: 'MAPI', userErrors: [] });
  });

  it('says NOT_REACHABLE when no network reaches the receiver, and sends nothing', async () => {
    const { body } = await auto('auto-none', { identifier: '0208:0433670865', name: 'Nobody', countryCode: 'BE' });
    expect(body.data.sendInvoice.userErrors[0].code).toBe('NOT_REACHABLE');
    expect(stack.ibanity.server.calls(POST_INVOICE)).toEqual([]);
  });

  it('follows AUTO_CHANNEL_ORDER where both networks reach the receiver', async () => {
    await stack.restart({ AUTO_CHANNEL_ORDER: 'MAPI,IBANITY' });
    try {
      const { body } = await auto('auto-order', { identifier: '9944:NL840559537B01', name: 'Nederlandse Testontvanger BV', countryCode: 'NL' });
      expect(body.data.sendInvoice).toMatchObject({ channel: 'MAPI', userErrors: [] });
    } finally {
      await stack.restart();
    }
  });
});

describe('answering a received invoice through Ibanity', () => {
  it('posts the business status to Ibanity, and refuses statuses Ibanity cannot pass on', async () => {
    const inbound = await stack.gql('{ messages(filter: { source: IBANITY, direction: INBOUND }, connection: "ibanity-receiver", first: 1) { edges { node { id } } } }');
    const id = inbound.body.data.messages.edges[0].node.id;
    const RESPOND = 'mutation($i: RespondToInvoiceInput!) { respondToInvoice(input: $i) { channel userErrors { code field } message { id } } }';
    const ok = await stack.gql(RESPOND, { i: { messageId: id, status: 'ACCEPTED', idempotencyKey: 'answer-1' } });
    expect(ok.body.data.respondToInvoice).toMatchObject({ channel: 'IBANITY', userErrors: [], message: { id } });
    const posted = stack.ibanity.server.calls('POST /einvoicing/peppol/inbound-documents/:documentId/business-statuses');
    expect(posted.map((c) => JSON.parse(c.body).data.attributes.code)).toEqual(['accepted']);
    const paid = await stack.gql(RESPOND, { i: { messageId: id, status: 'PAID', idempotencyKey: 'answer-2' } });
    expect(paid.body.data.respondToInvoice.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'status'] }]);
  });
});

describe('suppliers as parties', () => {
  it('lists Ibanity\'s suppliers with searchParties(source: IBANITY), and a supplier\'s party names Ibanity among its sources', async () => {
    const { body } = await stack.gql('{ searchParties(source: IBANITY, connection: "ibanity", query: "brouwerij") { edges { node { name enterpriseNumber sources bankAccounts { iban } address { city } } } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.searchParties.edges.map((e: any) => e.node)).toEqual([{ name: 'Brouwerij Sandbox BV', enterpriseNumber: '0739484052', sources: ['IBANITY'], bankAccounts: [{ iban: 'BE71096123456769' }], address: { city: 'Gent' } }]);
  });
});

describe('onboarding suppliers', () => {
  const ONBOARD = 'mutation($i: OnboardPeppolSupplierInput!) { onboardPeppolSupplier(input: $i) { supplier { id onboardingStatus upstreamOnboardingStatus names ibans party { enterpriseNumber } } userErrors { code message field } } }';
  const company = (key: string, over: Record<string, unknown> = {}) => ({
    enterpriseNumber: '0203.201.340', names: ['Drukkerij Nieuw BV'], ibans: ['BE71 0961 2345 6769'], email: 'info@drukkerij.example', contactEmail: 'jan@drukkerij.example', phoneNumber: '+3292345678',
    street: 'Kouter', streetNumber: '5', postalCode: '9000', city: 'Gent', idempotencyKey: key, ...over,
  });

  it('checks input locally first: a bad enterprise number and IBAN never reach Ibanity', async () => {
    const { body } = await stack.gql(ONBOARD, { i: company('bad', { enterpriseNumber: '0203201341', ibans: ['BE00 0000 0000 0000'] }) });
    expect(body.data.onboardPeppolSupplier.userErrors.map((e: any) => [e.code, e.field.join('.')])).toEqual([['INVALID_IDENTIFIER', 'input.enterpriseNumber'], ['INVALID_INPUT', 'input.ibans.0']]);
    expect(stack.ibanity.server.calls('POST /einvoicing/suppliers')).toEqual([]);
  });

  it('puts Ibanity\'s own refusal on the field it names: a company already registered', async () => {
    const { body } = await stack.gql(ONBOARD, { i: company('taken', { enterpriseNumber: 'BE0739484052' }) });
    expect(body.data.onboardPeppolSupplier.userErrors).toEqual([{ code: 'ALREADY_REGISTERED', message: 'Ibanity refused the supplier: A supplier already exists with this enterprise identification', field: ['input', 'enterpriseNumber'] }]);
  });

  it('onboards once per key, then the supplier is ONBOARDED with registrations; changes and offboarding follow', async () => {
    const first = await stack.gql(ONBOARD, { i: company('new') });
    expect(first.body.data.onboardPeppolSupplier.userErrors).toEqual([]);
    const s = first.body.data.onboardPeppolSupplier.supplier;
    expect(s).toMatchObject({ onboardingStatus: 'CREATED', upstreamOnboardingStatus: 'CREATED', names: ['Drukkerij Nieuw BV'], ibans: ['BE71096123456769'], party: { enterpriseNumber: '0203201340' } });
    const replay = await stack.gql(ONBOARD, { i: company('new') });
    expect(replay.body.data.onboardPeppolSupplier.supplier.id).toBe(s.id);
    expect(stack.ibanity.server.calls('POST /einvoicing/suppliers')).toHaveLength(1);

    await sleep(200);
    // The sandbox announces the registrations by webhook; the gateway drops what it knew.
    const party = await stack.gql('{ party(identifier: "0203201340") { sources peppolSupplier { onboardingStatus registrations { identifier { iso6523 } status } } } }');
    expect(party.body.data.party.sources).toContain('IBANITY');
    expect(party.body.data.party.peppolSupplier).toEqual({ onboardingStatus: 'ONBOARDED', registrations: [{ identifier: { iso6523: '0208:0203201340' }, status: 'REGISTERED' }, { identifier: { iso6523: '9925:BE0203201340' }, status: 'REGISTERED' }] });

    const UPDATE = 'mutation($i: UpdatePeppolSupplierInput!) { updatePeppolSupplier(input: $i) { supplier { names city: address { city } } userErrors { code field } } }';
    const renamed = await stack.gql(UPDATE, { i: { supplierId: s.id, names: ['Drukkerij Nieuw BV', 'Drukkerij Gent'], city: 'Gentbrugge' } });
    expect(renamed.body.data.updatePeppolSupplier).toEqual({ supplier: { names: ['Drukkerij Nieuw BV', 'Drukkerij Gent'], city: { city: 'Gentbrugge' } }, userErrors: [] });
    const patch = JSON.parse(stack.ibanity.server.calls('PATCH /einvoicing/suppliers/:supplierId')[0]!.body);
    // The kept name goes back with its id; the new one without.
    expect(patch.data.attributes.names[0].id).toBeTruthy();
    expect(patch.data.attributes.names[1]).toEqual({ value: 'Drukkerij Gent' });
    expect(Object.keys(patch.data.attributes).sort()).toEqual(['city', 'names']);

    const off = await stack.gql('mutation($i: OffboardPeppolSupplierInput!) { offboardPeppolSupplier(input: $i) { supplier { onboardingStatus } userErrors { code } } }', { i: { supplierId: s.id } });
    expect(off.body.data.offboardPeppolSupplier).toEqual({ supplier: { onboardingStatus: 'OFFBOARDED' }, userErrors: [] });
  });
});

describe('capability lookups with both sources', () => {
  const CAPS = 'query($ids: [String!]!) { parties(identifiers: $ids) { capabilities { reachable } } }';

  it('300 parties: at most 300 customer searches, never more than the concurrency in flight, duplicates once, none again within the TTL, beside MAPI batches', async () => {
    // Two schemes: the bound holds for the request, not per scheme.
    const unique = [...stack.mapi.belgianParties().slice(1000, 1249), '9944:NL840559537B01'];
    // 50 of them again in another spelling: the same companies.
    const ids = [...unique, ...unique.slice(0, 50).map((id) => `BE${id.split(':')[1]}`)];
    expect(ids).toHaveLength(300);
    // A little latency, so that searches overlap and the bound is what holds them back.
    stack.ibanity.server.latencyMs = 10;
    const { body } = await stack.gql(CAPS, { ids }).finally(() => (stack.ibanity.server.latencyMs = 0));
    expect(body.errors).toBeUndefined();
    const searches = stack.ibanity.server.calls(SEARCH);
    const refs = searches.map((c) => String(JSON.parse(c.body).data.attributes.customerReference));
    // Each company once under its first identifier; those not found once more under their VAT number (9925).
    expect(refs.filter((r) => !r.startsWith('9925:'))).toHaveLength(250);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs.length).toBeLessThanOrEqual(300);
    expect(stack.ibanity.server.peakInFlight(SEARCH)).toBe(8);
    const batches = stack.mapi.server.calls('POST /parties/transactions').filter((c) => !c.body.includes('"pending"'));
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(250 / 120));

    stack.ibanity.server.resetCalls();
    await stack.gql(CAPS, { ids });
    expect(stack.ibanity.server.calls(SEARCH)).toEqual([]);
  });
});

describe('webhooks', () => {
  const event = (id: string) => JSON.stringify({ data: { id, type: 'eInvoicing.inbound.document.new', attributes: { createdAt: new Date().toISOString() }, relationships: { supplier: { data: { id: stack.ibanity.suppliers.receiver, type: 'supplier' } } } } });
  const deliver = (body: string, signature: string | null) => fetch(`${stack.gateway.url}/webhooks/ibanity`, { method: 'POST', headers: { 'content-type': 'application/vnd.api+json', ...(signature ? { signature } : {}) }, body });

  it('accepts a valid delivery once; a repeat is answered without acting again', async () => {
    const body = event('6f1c5e0a-1d2b-4c3d-8e4f-5a6b7c8d9e01');
    const sig = await stack.ibanity.webhooks.sign(body);
    const a = await deliver(body, sig);
    expect(a.status).toBe(200);
    expect(await a.json()).toMatchObject({ status: 'processed' });
    const b = await deliver(body, sig);
    expect(await b.json()).toMatchObject({ status: 'duplicate' });
    expect(await stack.metric('gateway_webhook_deliveries_total', { source: 'IBANITY', outcome: 'processed' })).toBeGreaterThanOrEqual(1);
  });

  it('rejects a tampered body, an expired signature, a key Ibanity does not publish, and no signature with 401', async () => {
    const body = event('6f1c5e0a-1d2b-4c3d-8e4f-5a6b7c8d9e02');
    const sig = await stack.ibanity.webhooks.sign(body);
    expect((await deliver(body.replace('inbound', 'outbound'), sig)).status).toBe(401);
    const expired = await stack.ibanity.webhooks.sign(body, { issuedAt: Math.floor(Date.now() / 1000) - 600, expiresInSeconds: 60 });
    expect((await deliver(body, expired)).status).toBe(401);
    // Same key id, another key: the signature does not verify.
    const { privateKey } = await generateKeyPair('RS512');
    const kid = stack.ibanity.webhooks.jwks().keys[0]!.kid!;
    const forged = await new SignJWT({ digest: createHash('sha512').update(body).digest('base64') }).setProtectedHeader({ alg: 'RS512', kid }).setAudience(stack.ibanity.application.clientId).setIssuedAt().setExpirationTime('1m').sign(privateKey);
    expect((await deliver(body, forged)).status).toBe(401);
    expect((await deliver(body, null)).status).toBe(401);
    expect(await stack.metric('gateway_webhook_deliveries_total', { source: 'IBANITY', outcome: 'rejected' })).toBeGreaterThanOrEqual(4);
  });

  it('receives the sandbox\'s own events for what happens there', async () => {
    await stack.gql(SEND, { i: invoice('hooked', { channel: 'IBANITY' }) });
    for (let i = 0; i < 40 && !stack.ibanity.webhooks.deliveries.some((d) => d.type === 'eInvoicing.inbound.document.new'); i++) await sleep(50);
    expect(stack.ibanity.webhooks.deliveries.filter((d) => d.type === 'eInvoicing.inbound.document.new').map((d) => d.status)).toContain(200);
  });
});
