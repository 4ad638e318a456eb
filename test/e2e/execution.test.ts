import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { AG, invoiceGid, startStack, type Stack } from '../helpers/stack.js';
import type { Gateway } from '../../src/gateway.js';

/**
 * Compiled execution (EXECUTION=compiled, the default) must answer exactly as graphql-js
 * (EXECUTION=graphql-js): the same status and the same body, errors included, for reads that
 * succeed, fail upstream, fail on input, take fragments and directives, and for introspection and
 * federation. Both gateways share the simulators; reads only, so the order does not matter.
 */

let stack: Stack;
let interpreted: Gateway;
beforeAll(async () => {
  stack = await startStack({ env: { UPSTREAM_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '1000' } });
  interpreted = await stack.replica({ EXECUTION: 'graphql-js' });
});
afterAll(async () => {
  await interpreted.close();
  await stack.close();
});

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { requestId?: string } }[] };
  // The request id differs per request by design.
  for (const e of body.errors ?? []) delete e.extensions?.requestId;
  return { status: res.status, body };
}

/** The same operation on both gateways; the answers must be equal. Returns the compiled answer. */
async function same(query: string, variables?: Record<string, unknown>) {
  const compiled = await post(stack.gateway.url, query, variables);
  const reference = await post(interpreted.url, query, variables);
  expect(compiled).toEqual(reference);
  return compiled;
}

const PAGE = `query($y: String!, $lines: Boolean!) { invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: $y }, first: 25) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { __typename id kind issueDate total { amount currency } open { amount } paymentReference { formatted }
    recipient { firstName lastName className } lines @include(if: $lines) { group description quantity total { amount } } ...Docs } } } }
  fragment Docs on Invoice { documents { name contentType } }`;

describe('compiled execution answers as graphql-js does', () => {
  it('a page of invoices with fragments, aliases and @include', async () => {
    const r = await same(PAGE, { y: '2020-21', lines: true });
    expect((r.body.data as any).invoices.edges).toHaveLength(25);
    await same(PAGE, { y: '2020-21', lines: false });
  });

  it('node and an interface selection, with an ID that names nothing', async () => {
    await same(`query($id: ID!) { node(id: $id) { __typename id ... on Invoice { total { amount } recipient { lastName } } } }`, { id: invoiceGid() });
    await same(`{ node(id: "bm9wZQ==") { id } }`);
  });

  it('variable coercion errors: BAD_USER_INPUT with HTTP 400', async () => {
    const r = await same(`query($n: Int!) { invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: $n) { totalCount } }`, { n: 'ten' });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    await same(`query($n: Int!) { invoices(first: $n) { totalCount } }`);
  });

  it('an argument a resolver refuses', async () => {
    const r = await same(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 5, after: "not-a-cursor") { totalCount } }`);
    expect(r.body.errors).toBeDefined();
  });

  it('an upstream failing under one alias: the error with its path, locations and code, the sibling intact', async () => {
    stack.sandbox.api.inject('POST /graphql', { status: 500, match: 'invoiceId' });
    try {
      const r = await same(`{
        a: invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 1) { totalCount }
        b: invoiceGroups(accessGroup: "${AG}", schoolYear: "2020-21") { name } }`);
      expect(r.body.errors?.[0]).toMatchObject({ path: ['a'], locations: [{ line: 2, column: 9 }], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'INFORMAT' } });
    } finally {
      stack.sandbox.api.clearFaults();
    }
  });

  it('a mutation refused on its input: typed userErrors', async () => {
    const r = await same('mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { invoice { id } userErrors { code field message } } }', {
      i: { invoiceId: invoiceGid(), amount: '1.005', date: '2020-11-20', idempotencyKey: 'execution-equivalence-1' },
    });
    expect((r.body.data as any).registerPayment.userErrors.length).toBeGreaterThan(0);
  });

  it('introspection and the federation fields', async () => {
    await same(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    await same('{ _service { sdl } }');
    await same('query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Invoice { id total { amount } } } }', {
      r: [{ __typename: 'Invoice', id: invoiceGid() }, { __typename: 'Invoice', id: 'bm9wZQ==' }],
    });
  });
});
