import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceGid, startStack, type Stack } from '../helpers/stack.js';
import { SECOND_ACCESS_GROUP } from '../../src/sandbox/informat/index.js';

describe('Informat tokens', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack.close());

  it('shares one token request among 25 concurrent queries for one access group', async () => {
    const before = stack.sandbox.identity.calls('POST /connect/token').length;
    const results = await Promise.all(
      Array.from({ length: 25 }, () => stack.gql('query($id: ID!) { invoice(id: $id) { total { amount } } }', { id: invoiceGid() })),
    );
    for (const r of results) expect(r.body.data.invoice.total.amount).toBe('65.10');
    expect(stack.sandbox.identity.calls('POST /connect/token').length - before).toBe(1);
    expect(await stack.metric('gateway_upstream_token_requests_total', { upstream: 'INFORMAT', outcome: 'ok' })).toBe(1);
  });

  it('refreshes a token Informat no longer accepts, once, and answers anyway', async () => {
    stack.sandbox.expireTokens();
    const tokenCalls = stack.sandbox.identity.calls('POST /connect/token').length;
    const apiCalls = stack.sandbox.api.calls('POST /graphql').length;
    const r = await stack.gql('query($id: ID!) { invoice(id: $id) { total { amount } } }', { id: invoiceGid() });
    expect(r.body.errors).toBeUndefined();
    expect(stack.sandbox.identity.calls('POST /connect/token').length - tokenCalls).toBe(1);
    // One refused (401) call, then the same query with the new token.
    expect(stack.sandbox.api.calls('POST /graphql').length - apiCalls).toBe(2);
  });

  it('sends the client secret only to the identity server, in a form body, one scope per token', async () => {
    const calls = stack.sandbox.identity.calls('POST /connect/token');
    for (const c of calls) {
      expect(c.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      const scope = new URLSearchParams(c.body).get('scope')!;
      expect(scope).not.toMatch(/\s/);
    }
    for (const c of stack.sandbox.api.calls()) expect(c.body + JSON.stringify(c.headers)).not.toContain(stack.sandbox.client.clientSecret);
  });
});

describe('tokens that expire by the clock', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Tokens live 2 s and the gateway renews 1 s early: a query after 1.2 s must fetch a new one first.
    stack = await startStack({ sandbox: { tokenTtlSeconds: 2 }, env: { TOKEN_REFRESH_MARGIN_SECONDS: '1' } });
  });
  afterAll(async () => stack.close());

  it('renews before expiry instead of waiting for a 401', async () => {
    await stack.gql('query($id: ID!) { invoice(id: $id) { id } }', { id: invoiceGid() });
    await new Promise((r) => setTimeout(r, 1200));
    const api = stack.sandbox.api.calls('POST /graphql').length;
    const r = await stack.gql('query($id: ID!) { invoice(id: $id) { id } }', { id: invoiceGid() });
    expect(r.body.errors).toBeUndefined();
    expect(stack.sandbox.identity.calls('POST /connect/token')).toHaveLength(2);
    expect(stack.sandbox.api.calls('POST /graphql').length - api).toBe(1);
  });
});

describe('callers', () => {
  let stack: Stack;
  const ALL = 'all-key-0123456789abcdef';
  const ONE = 'one-key-0123456789abcdef';
  beforeAll(async () => {
    stack = await startStack({ env: { API_KEYS: `backoffice:${ALL},school-b:${ONE}:${SECOND_ACCESS_GROUP.identifier}` } });
  });
  afterAll(async () => stack.close());

  it('answers 401 UNAUTHENTICATED without a key or with a wrong one, and asks nothing upstream', async () => {
    const before = stack.sandbox.api.calls().length;
    const none = await stack.gql('{ connections { name } }');
    expect(none.status).toBe(401);
    expect(none.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await stack.gql('{ connections { name } }', {}, { authorization: 'Bearer not-a-key-at-all-xxxx' });
    expect(wrong.status).toBe(401);
    expect(stack.sandbox.api.calls().length).toBe(before);
  });

  it('accepts a key as a bearer token or as X-API-Key', async () => {
    const a = await stack.gql('{ connections { name } }', {}, { authorization: `Bearer ${ALL}` });
    const b = await stack.gql('{ connections { name } }', {}, { 'x-api-key': ALL });
    // Every configured connection: both Informat access groups, MAPI, CodaBox and both Ibanity suppliers.
    expect(a.body.data.connections).toHaveLength(6);
    expect(b.body.data.connections).toEqual(a.body.data.connections);
  });

  it('limits a caller to its connections: others are FORBIDDEN and not listed', async () => {
    const headers = { authorization: `Bearer ${ONE}` };
    const conns = await stack.gql('{ connections { name } }', {}, headers);
    expect(conns.body.data.connections).toEqual([{ name: SECOND_ACCESS_GROUP.identifier }]);
    const denied = await stack.gql('query($id: ID!) { invoice(id: $id) { id } }', { id: invoiceGid() }, headers);
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    // With a single usable access group, accessGroup may be left out.
    const own = await stack.gql('{ invoices(filter: { source: INFORMAT, schoolYear: "2023-24" }, first: 1) { totalCount } }', {}, headers);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.invoices.totalCount).toBeGreaterThan(0);
    const pay = await stack.gql(
      'mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { payment { id } userErrors { code } } }',
      { i: { invoiceId: invoiceGid(), amount: '1.00', date: '2024-01-02', idempotencyKey: 'k-forbidden' } },
      headers,
    );
    expect(pay.body.data.registerPayment.userErrors).toEqual([{ code: 'FORBIDDEN' }]);
  });

  it('tells GraphiQL users to send a key', async () => {
    const res = await fetch(`${stack.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await res.text()).toContain('your API key');
  });
});

