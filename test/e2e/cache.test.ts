import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AG, invoiceGid, startStack, type Stack } from '../helpers/stack.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';
import { redisAvailable } from '../helpers/redis.js';

/** The response cache (CACHE_TTL_SECONDS): counted in upstream calls, never in time. */

const KEY_A = 'cache-key-a-0123456789abcdef';
const KEY_B = 'cache-key-b-0123456789abcdef';
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const PAGE = `query Page { invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 20) { edges { node { id open { amount } } } } }`;
const GRAPHQL = 'POST /graphql';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: {
      CACHE_TTL_SECONDS: 'INFORMAT=60,CODABOX=60',
      API_KEYS: [`a:${KEY_A}:*:invoices:read|payments:write|feeds:read`, `b:${KEY_B}:*:invoices:read`].join(','),
    },
  });
});
afterAll(async () => stack.close());

describe('response cache', () => {
  it('answers a repeat of the same page from the cache, for the same caller only', async () => {
    stack.sandbox.api.resetCalls();
    const first = await stack.gql(PAGE, {}, as(KEY_A));
    expect(first.body.errors).toBeUndefined();
    expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(1);
    const again = await stack.gql(PAGE, {}, as(KEY_A));
    expect(again.body).toEqual(first.body);
    expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(1);
    expect(await stack.metric('gateway_cache_total', { source: 'INFORMAT', outcome: 'hit' })).toBeGreaterThanOrEqual(1);
    // Another caller's entries are its own.
    await stack.gql(PAGE, {}, as(KEY_B));
    expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(2);
  });

  it("reads afresh what the gateway's own mutation changed: a payment registration makes the next page ask Informat", async () => {
    await stack.gql(PAGE, {}, as(KEY_A));
    stack.sandbox.api.resetCalls();
    await stack.gql(PAGE, {}, as(KEY_A));
    expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(0);
    const pay = await stack.gql('mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { invoice { open { amount } } userErrors { code } } }', { i: { invoiceId: invoiceGid(), amount: '1.00', date: '2020-11-20', idempotencyKey: 'cache-invalidation-1' } }, as(KEY_A));
    expect(pay.body.data.registerPayment.userErrors).toEqual([]);
    stack.sandbox.api.resetCalls();
    const after = await stack.gql(`{ invoice(id: "${invoiceGid()}") { open { amount } } }`, {}, as(KEY_A));
    expect(after.body.data.invoice.open.amount).toBe(pay.body.data.registerPayment.invoice.open.amount);
    expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(1);
    await stack.gql(PAGE, {}, as(KEY_A));
    expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(2);
  });

  it('keeps CodaBox feeds between operations: a repeat of the feed page makes no CodaBox call', async () => {
    const Q = '{ feeds { id entries(first: 20) { edges { node { id } } } } }';
    await stack.gql(Q, {}, as(KEY_A));
    stack.codabox.server.resetCalls();
    const again = await stack.gql(Q, {}, as(KEY_A));
    expect(again.body.errors).toBeUndefined();
    expect(stack.codabox.server.calls()).toHaveLength(0);
  });
});

const sharedUp = (await redisAvailable()) && (await postgresAvailable());

describe.skipIf(!sharedUp)(`response cache in Redis, shared by replicas${sharedUp ? '' : ' [skipped: needs Redis at 127.0.0.1:6379 and PostgreSQL at 127.0.0.1:5432]'}`, () => {
  it("serves one replica from the other's entry, and a write through either makes both read afresh", async () => {
    const db = await createTestDatabase();
    // A Redis database of its own, emptied first: the keys of other runs do not count here.
    const url = `redis://127.0.0.1:6379/${9 + (process.pid % 5)}`;
    const { Redis } = await import('ioredis');
    const admin = new Redis(url);
    await admin.flushdb();
    const env = { CACHE_TTL_SECONDS: 'INFORMAT=60', CACHE_URL: url, DATABASE_URL: db.url };
    const one = await stack.replica(env);
    const two = await stack.replica(env);
    const ask = async (g: typeof one, query: string, variables: Record<string, unknown> = {}) =>
      (await (await fetch(`${g.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...as(KEY_A) }, body: JSON.stringify({ query, variables }) })).json()) as any;
    try {
      stack.sandbox.api.resetCalls();
      await ask(one, PAGE);
      await ask(two, PAGE);
      expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(1);
      const pay = await ask(one, 'mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { userErrors { code } } }', { i: { invoiceId: invoiceGid(), amount: '1.00', date: '2020-11-21', idempotencyKey: 'cache-invalidation-redis' } });
      expect(pay.data.registerPayment.userErrors).toEqual([]);
      stack.sandbox.api.resetCalls();
      await ask(two, PAGE);
      expect(stack.sandbox.api.calls(GRAPHQL)).toHaveLength(1);
    } finally {
      await one.close();
      await two.close();
      await admin.flushdb();
      admin.disconnect();
      await db.drop();
    }
  });
});
