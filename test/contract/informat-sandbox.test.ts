import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_SCOPE_PREFIX, SAMPLE_ACCESS_GROUP, SAMPLE_INVOICE_ID, SECOND_ACCESS_GROUP, startInformatSandbox, type InformatSandbox } from '../../src/sandbox/informat/index.js';
import { seedInformat } from '../../src/sandbox/informat/seed.js';

/** The sandbox behaves as the Informat document describes, seen over HTTP as any client would. */
let sb: InformatSandbox;
let token: string;
const AG = SAMPLE_ACCESS_GROUP.identifier;

async function tokenFor(scope: string, client = sb.client) {
  const res = await fetch(`${sb.identityUrl}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function graphql(query: string, variables: Record<string, unknown> = {}, bearer: string | null = token) {
  const res = await fetch(`${sb.apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `BEARER ${bearer}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

beforeAll(async () => {
  sb = await startInformatSandbox({ invoicesPerGroup: 30, pdfDelayMs: 100 });
  token = (await tokenFor(READ_SCOPE_PREFIX + AG)).body.access_token;
});
afterAll(async () => sb.close());

describe('identity server', () => {
  it('issues a token for one scope with the documented body', async () => {
    const { status, body } = await tokenFor(READ_SCOPE_PREFIX + AG);
    expect(status).toBe(200);
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', scope: READ_SCOPE_PREFIX + AG });
  });

  it('refuses several scopes in one request, unknown scopes and wrong secrets', async () => {
    expect((await tokenFor(`${READ_SCOPE_PREFIX}${AG} ${READ_SCOPE_PREFIX}${SECOND_ACCESS_GROUP.identifier}`)).body.error).toBe('invalid_scope');
    expect((await tokenFor(`${READ_SCOPE_PREFIX}nope_1`)).body.error).toBe('invalid_scope');
    expect((await tokenFor(READ_SCOPE_PREFIX + AG, { clientId: sb.client.clientId, clientSecret: 'wrong' } as never)).body.error).toBe('invalid_client');
  });
});

describe('GraphQL endpoint', () => {
  it('answers 401 with WWW-Authenticate: Bearer without a token, and 403 for another access group', async () => {
    const none = await graphql('{ accessGroup(accessGroupIdentifier: "x") { guid } }', {}, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const other = await graphql(`{ accessGroup(accessGroupIdentifier: "${SECOND_ACCESS_GROUP.identifier}") { guid } }`);
    expect(other.status).toBe(403);
  });

  it('answers the document sample query with decimals printed as .NET does', async () => {
    const r = await graphql('query($ag: String!, $id: UUID!) { accessGroup(accessGroupIdentifier: $ag) { guid name invoice(invoiceId: $id) { total paid open paymentReference } } }', { ag: AG, id: SAMPLE_INVOICE_ID });
    expect(r.text).toContain('"guid":"f451ca37-411c-49ea-a544-29598ea22b82","name":"ToegangsgroepABC"');
    expect(r.text).toContain('"total":65.10,"paid":0.00,"open":65.10,"paymentReference":"000282332442"');
  });

  it('selects groups by either school-year format and filters with and/or/in', async () => {
    const q = (sy: string, where: string) => graphql(`{ accessGroup(accessGroupIdentifier: "${AG}") { invoiceGroups(schoolYear: "${sy}"${where}) { id invoiceGroupType } } }`);
    const student = JSON.parse((await q('2022-23', '')).text).data.accessGroup.invoiceGroups;
    expect(student.every((g: any) => g.invoiceGroupType !== 'REGISTRATION')).toBe(true);
    const reg = JSON.parse((await q('01/09/2022-31/08/2023', '')).text).data.accessGroup.invoiceGroups;
    expect(reg.map((g: any) => g.invoiceGroupType)).toEqual(['REGISTRATION']);
    const ids = student.slice(0, 2).map((g: any) => g.id);
    const picked = JSON.parse((await q('2022-23', `, where: {or: [{id: {in: [${ids.join(',')}]}}, {invoiceGroupType: {eq: STAFF}}]}`)).text).data.accessGroup.invoiceGroups;
    expect(picked).toHaveLength(3);
    const none = JSON.parse((await q('2020-21', ', where: {id: {eq: 123456}}')).text).data.accessGroup.invoiceGroups;
    expect(none).toEqual([]);
  });

  it('filters invoices with the documented operators', async () => {
    const r = await graphql(`{ accessGroup(accessGroupIdentifier: "${AG}") { invoiceGroups(schoolYear: "2020-21", where: {id: {eq: 8053}}) {
      invoices(where: {or: [{and: [{open: {neq: 0}}, {total: {gte: 25.5}}]}, {changed: {gte: "2020-05-01"}}]}) { total open changed } } } }`);
    const invoices = JSON.parse(r.text).data.accessGroup.invoiceGroups[0].invoices;
    expect(invoices.length).toBeGreaterThan(0);
    for (const i of invoices) expect((i.open !== 0 && i.total >= 25.5) || Date.parse(i.changed) >= Date.parse('2020-05-01')).toBe(true);
  });
});

describe('payments', () => {
  const pay = (invoiceId: string, body: Record<string, unknown>, ag = AG) =>
    fetch(`${sb.apiUrl}/api/payments/${ag}/${invoiceId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ invoiceId, ...body }),
    });

  it('follows the document table, and registering twice registers twice', async () => {
    const inv = [...sb.data.invoices.values()].find((i) => i.accessGroup === AG && i.booked && i.deelboek === 31 && i.invoiceType === 'INVOICE' && Number(i.paid) === 0)!;
    const total = Number(inv.total);
    const first = (await (await pay(inv.invoiceId, { paymentReference: inv.paymentReference, amountPaid: total, datePaid: '2024-01-05' })).json()) as any;
    expect(first.openAmount).toBe(0);
    const second = (await (await pay(inv.invoiceId, { paymentReference: inv.paymentReference, amountPaid: total, datePaid: '2024-01-06' })).json()) as any;
    expect(second.openAmount).toBeCloseTo(-total, 2);
    expect(second.totalPaid).toBeCloseTo(2 * total, 2);
  });

  it('answers the documented errors', async () => {
    const inv = [...sb.data.invoices.values()].find((i) => i.accessGroup === AG && i.booked && i.deelboek === 31)!;
    const ogm = await pay(inv.invoiceId, { paymentReference: '000000000097', amountPaid: 1, datePaid: '2024-01-05' });
    expect([ogm.status, await ogm.text()]).toEqual([400, 'Invoice – OGM mismatch']);
    const other = [...sb.data.invoices.values()].find((i) => i.accessGroup === SECOND_ACCESS_GROUP.identifier)!;
    expect((await pay(other.invoiceId, { paymentReference: other.paymentReference, amountPaid: 1, datePaid: '2024-01-05' })).status).toBe(403);
    const bad = await fetch(`${sb.apiUrl}/api/payments/${AG}/${inv.invoiceId}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"amountPaid": 10,50' });
    expect(bad.status).toBe(500);
  });
});

describe('PDFs', () => {
  it('gives 400 while no PDF exists, 202 on create, and the PDF after the delay', async () => {
    const url = (kind: string) => `${sb.apiUrl}/api/${kind}/${AG}/${SAMPLE_INVOICE_ID}/pdf`;
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(url('download'), { headers: auth })).status).toBe(400);
    expect((await fetch(url('create'), { method: 'POST', headers: auth })).status).toBe(202);
    expect((await fetch(url('download'), { headers: auth })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 150));
    const pdf = await fetch(url('download'), { headers: auth });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('seed data', () => {
  it('is deterministic and holds at least 5,000 invoices, both kinds, paid and open', () => {
    const a = seedInformat({ seed: 7 });
    const b = seedInformat({ seed: 7 });
    expect([...a.invoices.keys()]).toEqual([...b.invoices.keys()]);
    const all = [...a.invoices.values()];
    expect(all.length).toBeGreaterThanOrEqual(5000);
    expect(all.some((i) => i.invoiceType === 'CREDIT_NOTE')).toBe(true);
    expect(all.some((i) => Number(i.paid) === 0)).toBe(true);
    expect(all.some((i) => Number(i.paid) !== 0)).toBe(true);
    expect(new Set(a.groups.map((g) => g.schoolYear)).size).toBeGreaterThanOrEqual(5);
    expect([...seedInformat({ seed: 8 }).invoices.keys()]).not.toEqual([...a.invoices.keys()]);
  });
});
