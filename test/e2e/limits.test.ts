import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AG, startStack, type Stack } from '../helpers/stack.js';

/**
 * Hostile shapes are refused before any upstream call, or bounded while they run; well-behaved
 * work of the same size goes through. Counted in upstream calls, never in milliseconds.
 */
let stack: Stack;
const informatCalls = () => stack.sandbox.api.calls('POST /graphql').length;
const codaboxCalls = () => stack.codabox.server.calls().length;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

async function post(body: string) {
  const res = await fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as any };
}

describe('refused before execution, with no upstream call', () => {
  it('refuses nested feed lists by cost, stating cost and limit (the query that once took the process down)', async () => {
    const before = codaboxCalls();
    const q = '{ feeds { entries(first:100) { edges { node { id feed { entries(first:100) { edges { node { id feed { entries(first:100) { edges { node { id } } } } } } } } } } } } }';
    const healthz = fetch(`${stack.gateway.url}/healthz`);
    const { status, body } = await stack.gql(q);
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', limit: 50_000, option: 'MAX_QUERY_COST' });
    expect(body.errors[0].extensions.actual).toBeGreaterThan(50_000);
    expect(body.errors[0].message).toMatch(/estimated cost is \d+; the limit is 50000/);
    expect(codaboxCalls()).toBe(before);
    expect((await healthz).status).toBe(200);
  });

  it('judges the same operation afresh for other variables: a page size within the limit runs, a larger one is refused', async () => {
    const q = 'query($n: Int!) { feeds { entries(first: $n) { edges { node { id feed { entries(first: $n) { edges { node { id } } } } } } } } }';
    for (const round of [1, 2]) {
      const small = await stack.gql(q, { n: 2 });
      expect(small.status, `round ${round}`).toBe(200);
      const before = codaboxCalls();
      const large = await stack.gql(q, { n: 500 });
      expect(large.status, `round ${round}`).toBe(400);
      expect(large.body.errors[0].extensions.code).toBe('COST_LIMIT_EXCEEDED');
      expect(codaboxCalls()).toBe(before);
    }
    expect(await stack.metric('gateway_operations_refused_total', { code: 'COST_LIMIT_EXCEEDED' })).toBeGreaterThanOrEqual(2);
  });

  it('refuses 5,000 aliases by token count and 60 aliases by the alias limit', async () => {
    const before = informatCalls();
    const many = Array.from({ length: 5000 }, (_, i) => `a${i}: invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }) { totalCount }`).join(' ');
    const r1 = await stack.gql(`{ ${many} }`);
    expect(r1.status).toBe(400);
    expect(['QUERY_TOO_LARGE', 'TOKEN_LIMIT_EXCEEDED']).toContain(r1.body.errors[0].extensions.code);
    const sixty = Array.from({ length: 60 }, (_, i) => `a${i}: connections { name }`).join(' ');
    const r2 = await stack.gql(`{ ${sixty} }`);
    expect(r2.status).toBe(400);
    expect(r2.body.errors[0].extensions).toMatchObject({ code: 'ALIAS_LIMIT_EXCEEDED', limit: 50, actual: 60 });
    expect(informatCalls()).toBe(before);
  });

  it('refuses a 4.95 MB query of __typename by its size before parsing it', async () => {
    const { status, body } = await post(JSON.stringify({ query: `{ ${'__typename '.repeat(450_000)}}` }));
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_LARGE', option: 'MAX_QUERY_BYTES', limit: 100_000 });
  });

  it('answers nesting 5,000 levels deep with the depth error, not a stack overflow', async () => {
    const q = `{ ${'feeds { feed: entries { edges { node { '.repeat(1250)}id${' } } } }'.repeat(1250)} }`;
    const { status, body } = await stack.gql(q);
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('DEPTH_LIMIT_EXCEEDED');
    expect(JSON.stringify(body)).not.toMatch(/call stack/i);
  });

  it('measures depth through fragments and refuses too many root fields', async () => {
    // 16 fragments of 6 levels each, spread inside one another.
    const chain = Array.from({ length: 16 }, (_, i) => `fragment C${i} on InvoiceGroup { invoices { edges { node { informat { invoiceGroup { ${i < 15 ? `...C${i + 1}` : 'id'} } } } } } }`).join(' ');
    const deep = await stack.gql(`{ invoiceGroups(schoolYear: "2020-21", accessGroup: "${AG}") { ...C0 } } ${chain}`);
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].extensions.code).toBe('DEPTH_LIMIT_EXCEEDED');
    const roots = await stack.gql(`{ ${'connections { name } '.repeat(21)}}`);
    expect(roots.status).toBe(400);
    expect(roots.body.errors[0].extensions).toMatchObject({ code: 'ROOT_FIELD_LIMIT_EXCEEDED', limit: 20, actual: 21 });
  });
});

describe('well-behaved work of the same size goes through', () => {
  it('a page of 500 invoices with their lines', async () => {
    const { body } = await stack.gql(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2023-24" }, first: 500) {
      totalCount edges { node { id kind issueDate total { amount } open { amount } paymentReference { formatted }
      recipient { firstName lastName } lines { group description quantity unitPrice { amount } total { amount } } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.invoices.edges.length).toBeGreaterThan(100);
  });

  it('feeds { entries(first: 100) { details files } } over every feed', async () => {
    const { body } = await stack.gql(`{ feeds { name entries(first: 100) { edges { node { model files { name url }
      details { __typename ... on BankStatement { iban movementCount } ... on Invoice { number total { amount } } ... on SocialDocument { vatNumber } } } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.feeds.length).toBeGreaterThan(0);
  });

  it('capabilities of 1,000 parties', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `0208:${String(1_000_000_000 + i * 97).padStart(10, '0')}`);
    const { status, body } = await stack.gql('query($ids: [String!]!) { parties(identifiers: $ids) { capabilities { reachable } } }', { ids });
    expect(status).toBe(200);
    expect(body.data.parties).toHaveLength(1000);
    expect(body.errors?.filter((e: any) => /LIMIT/.test(e.extensions?.code ?? '')) ?? []).toEqual([]);
  });
});

describe('upstream requests within one operation', () => {
  it('makes identical upstream requests once: 20 aliases of the same list cost one Informat call', async () => {
    const before = informatCalls();
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 5) { totalCount }`).join(' ');
    const { body } = await stack.gql(`{ ${aliases} }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.a0.totalCount).toBe(body.data.a19.totalCount);
    expect(informatCalls() - before).toBe(1);
  });

  it('asks each invoice group once when every invoice of a page asks for its group\'s invoices', async () => {
    const before = informatCalls();
    const { body } = await stack.gql(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 100) {
      edges { node { id informat { invoiceGroup { id invoices(first: 100) { totalCount } } } } } } }`);
    expect(body.errors).toBeUndefined();
    const groups = new Set(body.data.invoices.edges.map((e: any) => e.node.informat.invoiceGroup.id));
    expect(informatCalls() - before).toBe(1 + groups.size);
    expect(groups.size).toBeLessThan(10);
  });
});

describe('bounds while an operation runs', () => {
  let bounded: Stack;
  beforeAll(async () => {
    bounded = await startStack({
      env: {
        MAX_UPSTREAM_REQUESTS: '3',
        OPERATION_TIMEOUT_MS: '1500',
        UPSTREAM_HEADERS_TIMEOUT_MS: '10000',
        UPSTREAM_BODY_TIMEOUT_MS: '10000',
        UPSTREAM_MAX_BODY_BYTES: '200000',
        API_KEYS: 'burst:burst-key-0123456789abcdef,calm:calm-key-0123456789abcdef',
      },
    });
  });
  afterAll(async () => bounded?.close());
  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  it('past MAX_UPSTREAM_REQUESTS the remaining fields get REQUEST_LIMIT_EXCEEDED and the rest is answered', async () => {
    const before = bounded.sandbox.api.calls('POST /graphql').length;
    const years = ['2020-21', '2021-22', '2022-23', '2023-24', '2024-25'];
    const q = `{ ${years.map((y, i) => `y${i}: invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "${y}" }, first: 1) { totalCount }`).join(' ')} }`;
    const { status, body } = await bounded.gql(q, undefined, as('burst-key-0123456789abcdef'));
    expect(status).toBe(200);
    const answered = Object.values(body.data).filter((v) => v !== null);
    expect(answered).toHaveLength(3);
    expect(body.errors).toHaveLength(2);
    for (const e of body.errors) expect(e.extensions).toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED', limit: 3, source: 'INFORMAT' });
    expect(bounded.sandbox.api.calls('POST /graphql').length - before).toBe(3);
  });

  it('a hanging upstream ends at the deadline with partial data, and /healthz answers meanwhile', async () => {
    bounded.sandbox.api.inject('POST /graphql', { hang: true, times: 1 });
    const pending = bounded.gql(`{ connections { name } invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 1) { totalCount } }`, undefined, as('calm-key-0123456789abcdef'));
    expect((await fetch(`${bounded.gateway.url}/healthz`)).status).toBe(200);
    const { body } = await pending;
    expect(body.data.connections.length).toBeGreaterThan(0);
    expect(body.data.invoices).toBeNull();
    expect(body.errors[0].extensions.code).toBe('UPSTREAM_TIMEOUT');
    expect(body.errors[0].message).toMatch(/deadline of 1500 ms/);
  });

  it('a body trickled slowly is cut at the deadline and counted by the breaker', async () => {
    const failuresBefore = await bounded.metric('gateway_upstream_requests_total', { upstream: 'INFORMAT', status: 'error' });
    bounded.sandbox.api.inject('POST /graphql', { trickleBytesPerSecond: 200, times: 1 });
    const { body } = await bounded.gql(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2021-22" }, first: 1) { totalCount } }`, undefined, as('calm-key-0123456789abcdef'));
    expect(body.data.invoices).toBeNull();
    expect(body.errors[0].extensions.code).toBe('UPSTREAM_TIMEOUT');
    expect(await bounded.metric('gateway_upstream_requests_total', { upstream: 'INFORMAT', status: 'error' })).toBeGreaterThan(failuresBefore);
  });

  it('refuses an upstream body over UPSTREAM_MAX_BODY_BYTES without reading it whole', async () => {
    const { body } = await bounded.gql(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2023-24" }, first: 500) { edges { node { id lines { description } } } } }`, undefined, as('calm-key-0123456789abcdef'));
    expect(body.data.invoices).toBeNull();
    expect(body.errors[0].extensions.code).toBe('UPSTREAM_REJECTED');
    expect(body.errors[0].message).toMatch(/larger than 200000 bytes/);
  });
});

describe('fair sharing of an upstream between callers', () => {
  let fair: Stack;
  beforeAll(async () => {
    fair = await startStack({ env: { UPSTREAM_MAX_CONCURRENCY: '1', MAX_UPSTREAM_REQUESTS: '100', API_KEYS: 'burst:burst-key-0123456789abcdef,calm:calm-key-0123456789abcdef' } });
  });
  afterAll(async () => fair?.close());

  it("serves a second caller's request before the first caller's queued burst", async () => {
    fair.sandbox.api.latencyMs = 20;
    const start = fair.sandbox.api.calls('POST /graphql').length;
    // 20 distinct lists (different `minTotal`), so none are deduplicated.
    const burst = Array.from({ length: 20 }, (_, i) => `b${i}: invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21", minTotal: "${i}.01" }, first: 1) { totalCount }`).join(' ');
    const a = fair.gql(`{ ${burst} }`, undefined, { authorization: 'Bearer burst-key-0123456789abcdef' });
    // Let the burst fill the queue, then the calm caller asks once.
    while (fair.sandbox.api.calls('POST /graphql').length - start < 2) await new Promise((r) => setTimeout(r, 5));
    const b = fair.gql(`{ calm: invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21", minTotal: "999.99" }, first: 1) { totalCount } }`, undefined, { authorization: 'Bearer calm-key-0123456789abcdef' });
    await Promise.all([a, b]);
    fair.sandbox.api.latencyMs = 0;
    const order = fair.sandbox.api.calls('POST /graphql').slice(start).map((c) => (c.body.includes('999.99') ? 'calm' : 'burst'));
    expect(order).toHaveLength(21);
    // Without fair sharing the calm request would be last (index 20); with it, it is next in turn.
    expect(order.indexOf('calm')).toBeLessThanOrEqual(4);
  });
});
