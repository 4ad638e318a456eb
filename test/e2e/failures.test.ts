import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AG, invoiceGid, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  // Short timeouts keep the suite quick; retries on (2) as by default; breaker threshold high so
  // these tests see each failure as it is (the breaker has its own test below).
  stack = await startStack({ env: { UPSTREAM_HEADERS_TIMEOUT_MS: '300', UPSTREAM_BODY_TIMEOUT_MS: '300', BREAKER_FAILURE_THRESHOLD: '50' } });
});
afterAll(async () => stack.close());
beforeEach(() => {
  stack.sandbox.api.clearFaults();
  stack.sandbox.api.resetCalls();
});

const GRAPHQL = 'POST /graphql';
/** A query with a sibling that does not need Informat and one that does. */
const WITH_SIBLING = `query($id: ID!) { connections { name } invoice(id: $id) { total { amount } } }`;

describe('one failing upstream keeps the rest of the answer', () => {
  it('Informat answering 500: UPSTREAM_UNAVAILABLE, retried, siblings intact', async () => {
    stack.sandbox.api.inject(GRAPHQL, { status: 500, body: 'boom' });
    const { status, body } = await stack.gql(WITH_SIBLING, { id: invoiceGid() });
    expect(status).toBe(200);
    expect(body.data.connections.map((c: any) => c.name)).toEqual(expect.arrayContaining(stack.sandbox.accessGroups));
    expect(body.data.invoice).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ path: ['invoice'], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'INFORMAT', upstreamStatus: 500 } });
    // First try plus two retries.
    expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(3);
    expect(await stack.metric('gateway_upstream_retries_total', { upstream: 'INFORMAT' })).toBeGreaterThanOrEqual(2);
  });

  it('recovers when a retry succeeds', async () => {
    stack.sandbox.api.inject(GRAPHQL, { status: 503, times: 1 });
    const { body } = await stack.gql(WITH_SIBLING, { id: invoiceGid() });
    expect(body.errors).toBeUndefined();
    expect(body.data.invoice.total.amount).toBe('65.10');
    expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(2);
  });

  it('Informat not answering in time: UPSTREAM_TIMEOUT', async () => {
    stack.sandbox.api.inject(GRAPHQL, { hang: true });
    const { body } = await stack.gql(WITH_SIBLING, { id: invoiceGid() });
    expect(body.data.connections.map((c: any) => c.name)).toEqual(expect.arrayContaining(stack.sandbox.accessGroups));
    expect(body.errors[0]).toMatchObject({ path: ['invoice'], extensions: { code: 'UPSTREAM_TIMEOUT', source: 'INFORMAT' } });
  });

  it('Informat sending malformed JSON: UPSTREAM_REJECTED, not retried', async () => {
    stack.sandbox.api.inject(GRAPHQL, { malformed: true });
    const { body } = await stack.gql(WITH_SIBLING, { id: invoiceGid() });
    expect(body.data.connections.map((c: any) => c.name)).toEqual(expect.arrayContaining(stack.sandbox.accessGroups));
    expect(body.errors[0]).toMatchObject({ path: ['invoice'], extensions: { code: 'UPSTREAM_REJECTED', source: 'INFORMAT' } });
    expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(1);
  });

  it('Informat dropping the connection: UPSTREAM_UNAVAILABLE', async () => {
    stack.sandbox.api.inject(GRAPHQL, { drop: true });
    const { body } = await stack.gql(WITH_SIBLING, { id: invoiceGid() });
    expect(body.data.connections.map((c: any) => c.name)).toEqual(expect.arrayContaining(stack.sandbox.accessGroups));
    expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'INFORMAT' });
  });

  it('Informat sending JSON of the wrong shape: UPSTREAM_REJECTED naming the path', async () => {
    // The gateway asks for invoices by ID under aliases (i0, i1, …); see invoicesQuery.
    const bad = JSON.stringify({ data: { accessGroup: { i0: { invoiceId: 'cac965e9-e889-4dd5-a3d7-a7a25dfb31f8', invoiceType: 'INVOICE', total: 'lots' } } } });
    stack.sandbox.api.inject(GRAPHQL, { status: 200, body: bad, headers: { 'content-type': 'application/json' } });
    const { body } = await stack.gql(WITH_SIBLING, { id: invoiceGid() });
    expect(body.data.connections.map((c: any) => c.name)).toEqual(expect.arrayContaining(stack.sandbox.accessGroups));
    expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_REJECTED', source: 'INFORMAT' });
    expect(body.errors[0].message).toContain('accessGroup.i0.total');
  });

  it('a failing list in one alias leaves the other alias intact', async () => {
    // Only the request that lists invoices (it selects `invoiceId`) fails.
    stack.sandbox.api.inject(GRAPHQL, { status: 500, match: 'invoiceId' });
    const { body } = await stack.gql(`{
      a: invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 1) { totalCount }
      b: invoiceGroups(accessGroup: "${AG}", schoolYear: "2020-21") { name } }`);
    expect(body.errors.map((e: any) => e.path)).toEqual([['a']]);
    expect(body.data.a).toBeNull();
    expect(body.data.b).toHaveLength(2);
  });
});

describe('the circuit breaker', () => {
  let tripped: Stack;
  beforeAll(async () => {
    tripped = await startStack({ env: { UPSTREAM_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '3', BREAKER_RESET_MS: '300' } });
  });
  afterAll(async () => tripped.close());

  it('opens after consecutive failures, fails fast while open, and closes after a good trial', async () => {
    tripped.sandbox.api.inject(GRAPHQL, { status: 502 });
    for (let i = 0; i < 3; i++) await tripped.gql(WITH_SIBLING, { id: invoiceGid() });
    const sent = tripped.sandbox.api.calls(GRAPHQL).length;
    const open = await tripped.gql(WITH_SIBLING, { id: invoiceGid() });
    expect(open.body.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(open.body.errors[0].message).toContain('circuit open');
    expect(tripped.sandbox.api.calls(GRAPHQL).length).toBe(sent);
    const health = await tripped.gql('{ connections { source healthy detail } }');
    const informat = health.body.data.connections.filter((c: any) => c.source === 'INFORMAT');
    expect(informat).toHaveLength(2);
    expect(informat.every((c: any) => c.healthy === false && c.detail.includes('open'))).toBe(true);
    // Another upstream's circuit is its own.
    expect(health.body.data.connections.find((c: any) => c.source === 'MAPI').healthy).toBe(true);
    expect(await tripped.metric('gateway_upstream_breaker_state', { upstream: 'INFORMAT' })).toBe(2);

    tripped.sandbox.api.clearFaults();
    await new Promise((r) => setTimeout(r, 350));
    const healed = await tripped.gql(WITH_SIBLING, { id: invoiceGid() });
    expect(healed.body.errors).toBeUndefined();
    expect(await tripped.metric('gateway_upstream_breaker_state', { upstream: 'INFORMAT' })).toBe(0);
  });
});

describe('payments are never retried', () => {
  it('sends a payment that failed with 503 exactly once and reports OUTCOME_UNKNOWN', async () => {
    const inv = [...stack.sandbox.data.invoices.values()].find((i) => i.accessGroup === AG && i.booked && i.deelboek === 31 && Number(i.paid) === 0 && i.invoiceType === 'INVOICE')!;
    stack.sandbox.api.inject('POST /api/payments/:accessGroup/:invoiceId', { status: 503 });
    const { body } = await stack.gql(
      'mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { userErrors { code } } }',
      { i: { invoiceId: invoiceGid(inv.invoiceId), amount: '1.00', date: '2024-03-01', idempotencyKey: 'no-retry' } },
    );
    expect(body.data.registerPayment.userErrors).toEqual([{ code: 'OUTCOME_UNKNOWN' }]);
    expect(stack.sandbox.api.calls('POST /api/payments/:accessGroup/:invoiceId')).toHaveLength(1);
  });
});
