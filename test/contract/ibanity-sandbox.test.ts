import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIbanitySandbox, type IbanitySandbox } from '../../src/sandbox/ibanity/index.js';
import { sandboxPki } from '../../src/sandbox/tls.js';
import { writeUbl } from '../../src/sandbox/ubl.js';

/**
 * The Ibanity sandbox behaves as upstream-specs/ibanity.md and the blog post describe, seen the way a
 * developer's script sees it: HTTPS with the application's client certificate, a token, JSON:API.
 */
let sb: IbanitySandbox;
let agent: Agent;
let token = '';
const STEP = 40;

const call = async (method: string, path: string, opts: { body?: string | Buffer; headers?: Record<string, string>; dispatcher?: Agent } = {}) => {
  const res = await request(`${sb.url}${path}`, { method: method as 'GET', dispatcher: opts.dispatcher ?? agent, headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.api+json', ...opts.headers }, body: opts.body });
  const text = await res.body.text();
  let json: any = text;
  try {
    json = JSON.parse(text);
  } catch {
    // raw XML or empty
  }
  return { status: res.statusCode, json, text };
};
const json = (method: string, path: string, body: unknown) => call(method, path, { body: JSON.stringify(body), headers: { 'content-type': 'application/vnd.api+json' } });

beforeAll(async () => {
  sb = await startIbanitySandbox({ bulkSuppliers: 30, stepMs: STEP, onboardingDelayMs: STEP });
  agent = new Agent({ connect: { cert: sb.pki.client.certPem, key: sb.pki.client.keyPem, ca: sb.pki.caPem } });
  const basic = Buffer.from(`${sb.application.clientId}:${sb.application.clientSecret}`).toString('base64');
  const res = await call('POST', '/einvoicing/oauth2/token', { body: 'grant_type=client_credentials', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } });
  expect(res.status).toBe(200);
  expect(res.json).toMatchObject({ expires_in: 300, token_type: 'Bearer' });
  token = res.json.access_token;
});
afterAll(async () => {
  await agent?.close();
  await sb?.close();
});

describe('Ibanity sandbox: transport and auth', () => {
  it('refuses a TLS connection without a client certificate, for the token call too', async () => {
    const bare = new Agent({ connect: { ca: sb.pki.caPem } });
    await expect(call('POST', '/einvoicing/oauth2/token', { dispatcher: bare, body: 'grant_type=client_credentials' })).rejects.toThrow();
    await bare.close();
  });

  it('refuses a client certificate of another CA', async () => {
    const other = await sandboxPki();
    const stranger = new Agent({ connect: { cert: other.client.certPem, key: other.client.keyPem, ca: sb.pki.caPem } });
    await expect(call('GET', '/einvoicing/suppliers', { dispatcher: stranger })).rejects.toThrow();
    await stranger.close();
  });

  it('answers 401 without a token, and the token endpoint refuses a wrong secret', async () => {
    expect((await call('GET', '/einvoicing/suppliers', { headers: { authorization: '' } })).status).toBe(401);
    const bad = Buffer.from(`${sb.application.clientId}:wrong`).toString('base64');
    const res = await call('POST', '/einvoicing/oauth2/token', { body: 'grant_type=client_credentials', headers: { authorization: `Basic ${bad}`, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_client');
  });
});

describe('Ibanity sandbox: customer search (the blog post)', () => {
  const search = { type: 'peppolCustomerSearch', attributes: { customerReference: '9925:BE0840559537' } };

  it('reproduces the blog post\'s 400: the body form-encoded, or JSON without the data wrapper', async () => {
    const form = await call('POST', '/einvoicing/peppol/customer-searches', { body: 'type=peppolCustomerSearch&attributes=customerReference', headers: { 'content-type': 'application/vnd.api+json' } });
    expect(form.status).toBe(400);
    expect(form.json.errors[0]).toMatchObject({ code: 'invalidPayload', detail: 'The submitted payload could not be parsed.' });
    const unwrapped = await json('POST', '/einvoicing/peppol/customer-searches', search);
    expect(unwrapped.status).toBe(400);
    expect(unwrapped.json.errors[0].code).toBe('invalidPayload');
  });

  it('finds a documented test receiver with its four formats, and nothing else', async () => {
    const ok = await json('POST', '/einvoicing/peppol/customer-searches', { data: search });
    expect(ok.status).toBe(200);
    expect(ok.json.data.attributes.supportedDocumentFormats.map((f: any) => f.localName)).toEqual(['Invoice', 'Invoice', 'CreditNote', 'CreditNote']);
    const missing = await json('POST', '/einvoicing/peppol/customer-searches', { data: { ...search, attributes: { customerReference: '9925:BE0433670865' } } });
    expect(missing.status).toBe(404);
    expect(missing.json.errors[0]).toEqual({ code: 'customerNotFound', detail: 'Customer not found: 9925:BE0433670865' });
  });
});

describe('Ibanity sandbox: suppliers', () => {
  it('lists the blog post\'s supplier as it printed it, with paging meta', async () => {
    const page = await call('GET', '/einvoicing/suppliers?page[number]=0&page[size]=10');
    expect(page.json.meta.paging).toMatchObject({ number: 0, size: 10, total: 33 });
    const blog = page.json.data.find((s: any) => s.id === sb.suppliers.blog);
    expect(blog.attributes).toMatchObject({ onboardingStatus: 'CREATED', peppolReceiver: false, createdAt: '2025-01-18T15:10:56.719000Z', names: [{ value: 'Company' }, { value: 'Company S.A.' }] });
    expect((await call('GET', '/einvoicing/suppliers?page[size]=5000')).json.errors[0].code).toBe('invalidParameter');
  });

  it('answers a non-UUID id with invalidParameter', async () => {
    const res = await call('GET', '/einvoicing/suppliers/not-a-uuid');
    expect(res.status).toBe(400);
    expect(res.json.errors[0]).toEqual({ code: 'invalidParameter', detail: "The parameter 'supplierId' expected type is: 'uuid'" });
  });

  it('validates a new supplier: blank fields, empty lists and bad Belgian numbers, each with its pointer', async () => {
    const res = await json('POST', '/einvoicing/suppliers', { data: { type: 'supplier', attributes: { enterpriseIdentification: { enterpriseNumber: '0123456789', vatNumber: 'BE0123456788' }, names: [], ibans: [] } } });
    expect(res.status).toBe(400);
    const pointers = res.json.errors.map((e: any) => e.source.pointer).sort();
    expect(pointers).toEqual(
      ['city', 'contactEmail', 'country', 'email', 'enterpriseIdentification/enterpriseNumber', 'enterpriseIdentification/vatNumber', 'homepage', 'ibans', 'names', 'phoneNumber', 'street', 'streetNumber', 'zip'].map((f) => `/data/attributes/${f}`),
    );
  });

  const valid = (kbo: string) => ({
    data: { type: 'supplier', attributes: { enterpriseIdentification: { enterpriseNumber: kbo, vatNumber: `BE${kbo}` }, names: [{ value: 'Nieuw BV' }], ibans: [{ value: 'BE71096123456769' }], city: 'Gent', contactEmail: 'a@b.be', country: 'Belgium', email: 'c@d.be', homepage: '', phoneNumber: '+32', street: 'Straat', streetNumber: '1', zip: '9000', peppolReceiver: true } },
  });

  it('creates a supplier CREATED that becomes ONBOARDED and registered; a second one with the same number is 409 alreadyRegistered', async () => {
    const created = await json('POST', '/einvoicing/suppliers', valid('0203201340'));
    expect(created.status).toBe(201);
    expect(created.json.data.attributes.onboardingStatus).toBe('CREATED');
    const again = await json('POST', '/einvoicing/suppliers', valid('0203201340'));
    expect(again.status).toBe(409);
    expect(again.json.errors[0]).toEqual({ code: 'alreadyRegistered', detail: 'A supplier already exists with this enterprise identification' });
    await sleep(STEP * 3);
    const id = created.json.data.id;
    expect((await call('GET', `/einvoicing/suppliers/${id}`)).json.data.attributes.onboardingStatus).toBe('ONBOARDED');
    const regs = await call('GET', `/einvoicing/peppol/suppliers/${id}/registrations`);
    expect(regs.json.data.map((r: any) => [r.attributes.type, r.attributes.status])).toEqual([['enterprise-number', 'registered'], ['vat-number', 'registered']]);
    // The registration change is announced by webhook.
    expect(sb.webhooks.events.some((e) => e.type === 'eInvoicing.peppol.registrations.updated' && e.body.includes(id))).toBe(true);
  });

  it('updates names as a whole list (kept entries keep their id) and offboards on DELETE', async () => {
    const created = await json('POST', '/einvoicing/suppliers', valid('0415196424'));
    const id = created.json.data.id;
    const kept = created.json.data.attributes.names[0];
    const patched = await json('PATCH', `/einvoicing/suppliers/${id}`, { data: { id, type: 'supplier', attributes: { names: [kept, { value: 'Tweede naam' }] } } });
    expect(patched.json.data.attributes.names[0]).toEqual(kept);
    expect(patched.json.data.attributes.names[1].value).toBe('Tweede naam');
    expect(patched.json.data.attributes.city).toBe('Gent');
    const gone = await call('DELETE', `/einvoicing/suppliers/${id}`);
    expect(gone.json.data.attributes.onboardingStatus).toBe('OFFBOARDED');
  });

  it('reports a registration already held by another access point', async () => {
    const created = await json('POST', '/einvoicing/suppliers', valid('0143824670'));
    await sleep(STEP * 3);
    const regs = await call('GET', `/einvoicing/peppol/suppliers/${created.json.data.id}/registrations`);
    expect(regs.json.data[0].attributes).toMatchObject({ value: '0143824670', status: 'registration-failed', reason: 'already-registered', accessPoints: ['Billit'] });
  });
});

describe('Ibanity sandbox: documents', () => {
  const ubl = (kind: 'Invoice' | 'CreditNote', supplier: string, customer: string) =>
    writeUbl({
      kind, number: `T-${Math.random().toString(36).slice(2, 8)}`, issueDate: '2026-11-20', dueDate: null, currency: 'EUR', buyerReference: 'R', paymentId: null,
      supplier: { name: 'Brouwerij Sandbox BV', identifier: supplier, vat: 'BE0739484052', country: 'BE' }, customer: { name: 'Receiver', identifier: customer, country: 'BE' },
      lines: [{ id: '1', name: 'x', quantity: '1', unitCode: 'C62', unitPrice: '10.00', lineTotal: '10.00', taxPercent: '21', taxCategory: 'S' }], taxExclusive: '10.00', tax: '2.10', payable: '12.10',
    });
  const send = (plural: string, body: string) => call('POST', `/einvoicing/peppol/suppliers/${sb.suppliers.onboarded}/${plural}`, { body, headers: { 'content-type': 'application/xml' } });
  const statusOf = async (plural: string, id: string) => (await call('GET', `/einvoicing/peppol/suppliers/${sb.suppliers.onboarded}/${plural}/${id}`)).json.data.attributes;

  it('moves a sent invoice created → sending → sent with a transmissionId, and the receiving supplier gets it as inbound', async () => {
    const posted = await send('invoices', ubl('Invoice', '0208:0739484052', '0208:0840559537'));
    expect(posted.status).toBe(201);
    expect(posted.json.data).toMatchObject({ type: 'peppolInvoice', attributes: { status: 'created' }, relationships: { supplier: { data: { id: sb.suppliers.onboarded, type: 'supplier' } } } });
    await sleep(STEP * 3);
    const sent = await statusOf('invoices', posted.json.data.id);
    expect(sent.status).toBe('sent');
    const inbound = await call('GET', `/einvoicing/peppol/inbound-documents?supplierId=${sb.suppliers.receiver}&fromCreatedAt=2020-01-01T00:00:00Z`);
    const arrived = inbound.json.data.find((d: any) => d.attributes.transmissionId === sent.transmissionId);
    expect(arrived).toBeDefined();
    const xml = await call('GET', `/einvoicing/peppol/inbound-documents/${arrived.id}`, { headers: { accept: 'application/xml' } });
    expect(xml.text).toContain('<cbc:EndpointID schemeID="0208">0840559537</cbc:EndpointID>');
    expect(sb.webhooks.events.some((e) => e.type === 'eInvoicing.inbound.document.new' && e.body.includes(arrived.id))).toBe(true);
    // The receiver answers; the sender sees the answer on its document.
    const answer = await json('POST', `/einvoicing/peppol/inbound-documents/${arrived.id}/business-statuses`, { data: { type: 'peppolInboundDocumentBusinessStatus', attributes: { code: 'accepted' } } });
    expect(answer.status).toBe(201);
    expect((await statusOf('invoices', posted.json.data.id)).businessStatus).toBe('accepted');
  });

  it('ends invalid for non-XML (invalid-type), a root on the wrong endpoint (invalid-format) and another seller (invalid-identifiers)', async () => {
    const cases: [string, string, string][] = [
      ['invoices', 'this is not xml', 'invalid-type'],
      ['credit-notes', ubl('Invoice', '0208:0739484052', '0208:0840559537'), 'invalid-format'],
      ['invoices', ubl('Invoice', '0208:0840559537', '0208:0840559537'), 'invalid-identifiers'],
    ];
    const ids = await Promise.all(cases.map(async ([plural, body]) => (await send(plural, body)).json.data.id as string));
    await sleep(STEP * 2);
    for (const [i, [plural, , code]] of cases.entries()) {
      const a = await statusOf(plural, ids[i]!);
      expect(a.status).toBe('invalid');
      expect(a.errors[0].code).toBe(code);
    }
  });

  it('ends send-error for a receiver not on the network', async () => {
    const posted = await send('invoices', ubl('Invoice', '9925:BE0739484052', '0208:0433670865'));
    await sleep(STEP * 3);
    expect(await statusOf('invoices', posted.json.data.id)).toMatchObject({ status: 'send-error', errors: [{ code: 'error-customer-not-registered' }] });
  });

  it('lists outbound documents by status-change time (required) and supplier', async () => {
    expect((await call('GET', '/einvoicing/peppol/documents')).json.errors[0].code).toBe('invalidParameter');
    const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString();
    const all = await call('GET', `/einvoicing/peppol/documents?fromStatusChanged=${weekAgo}&supplierId=${sb.suppliers.onboarded}`);
    expect(all.json.data.length).toBeGreaterThan(0);
    const none = await call('GET', `/einvoicing/peppol/documents?fromStatusChanged=2100-01-01T00:00:00Z&toStatusChanged=2100-01-02T00:00:00Z`);
    expect(none.json.data).toEqual([]);
    // ibanity-dotnet PeppolOutboundDocuments: from within 7 days of to (now when absent).
    const tooLong = await call('GET', `/einvoicing/peppol/documents?fromStatusChanged=2020-01-01T00:00:00Z&supplierId=${sb.suppliers.onboarded}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.errors[0].code).toBe('invalidParameter');
  });
});
