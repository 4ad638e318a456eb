import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';
import { gatewayEnvFor } from '../helpers/gatewayEnv.js';
import { redisAvailable } from '../helpers/redis.js';

/** Per-caller rate limits: requests and cost per minute, 429 with Retry-After, counted per replica or in Redis. */
const redisUp = await redisAvailable();

const post = async (url: string, query: string, key: string) => {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
};

describe('rate limits in one replica', () => {
  let stack: Stack;
  const a = `caller-a-${randomBytes(8).toString('hex')}`;
  const b = `caller-b-${randomBytes(8).toString('hex')}`;
  const c = `caller-c-${randomBytes(8).toString('hex')}`;
  beforeAll(async () => {
    stack = await startStack({ env: { API_KEYS: `a:${a},b:${b},c:${c}`, RATE_LIMIT_REQUESTS_PER_MINUTE: '5', RATE_LIMIT_COST_PER_MINUTE: '150' } });
  });
  afterAll(async () => stack?.close());

  it('answers 429 with Retry-After past the requests per minute, for that caller only, asking nothing upstream', async () => {
    for (let i = 0; i < 5; i++) expect((await post(stack.gateway.url, '{ connections { name } }', a)).status).toBe(200);
    const before = stack.mapi.server.calls().length;
    const refused = await post(stack.gateway.url, '{ parties(identifiers: ["KT:1111118899"]) { name } }', a);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 5 });
    expect(stack.mapi.server.calls().length).toBe(before);
    expect((await post(stack.gateway.url, '{ connections { name } }', b)).status).toBe(200);
  });

  it('counts the estimated cost of operations: a caller past its cost per minute is refused before anything runs', async () => {
    // Each costs more than 150 by the schema's weights; the first is let through and uses up the minute.
    const heavy = '{ parties(identifiers: ["KT:1111118899", "KT:2222228899", "KT:3333338899", "KT:4444448899", "BE0840559537"]) { name address { city } email sources bankAccounts { iban } } }';
    const first = await post(stack.gateway.url, heavy, c);
    expect(first.status).toBe(200);
    const before = stack.mapi.server.calls().length;
    const second = await post(stack.gateway.url, heavy, c);
    expect(second.status).toBe(429);
    expect(second.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(stack.mapi.server.calls().length).toBe(before);
  });
});

const pgUp = await postgresAvailable();

/** Two replicas share one caller's count through the store each case names. */
const SHARED: [string, boolean, string, () => Promise<{ env: Record<string, string>; drop(): Promise<void> }>][] = [
  ['Redis', redisUp, 'no Redis at 127.0.0.1:6379', async () => ({ env: { RATE_LIMIT_STORE: 'redis://127.0.0.1:6379' }, drop: async () => {} })],
  ['PostgreSQL', pgUp, 'no PostgreSQL at 127.0.0.1:5432', async () => {
    const db = await createTestDatabase();
    return { env: { RATE_LIMIT_STORE: 'postgres', DATABASE_URL: db.url }, drop: db.drop };
  }],
];

for (const [name, up, why, storeOf] of SHARED) {
  (up ? describe : describe.skip)(`rate limits shared by two replicas in ${name}${up ? '' : ` [skipped: ${why}]`}`, () => {
    let stack: Stack;
    let second: Gateway;
    let store: Awaited<ReturnType<typeof storeOf>>;
    // Names and keys of this run only: the store outlives the test, and counts by caller.
    const run = randomBytes(6).toString('hex');
    const key = `shared-${run}-0123456789`;
    beforeAll(async () => {
      store = await storeOf();
      const env = { API_KEYS: `shared-${run}:${key}`, RATE_LIMIT_REQUESTS_PER_MINUTE: '4', ...store.env };
      stack = await startStack({ env });
      // A second replica: the same configuration, its own process state.
      const upstreams = await gatewayEnvFor({ INFORMAT: stack.sandbox, MAPI: stack.mapi, CODABOX: stack.codabox, IBANITY: stack.ibanity });
      second = await startGateway(loadConfig({ ...upstreams, PORT: '0', DATA_DIR: `${stack.dataDir}-2`, LOG_LEVEL: 'silent', ...env }), { log: pino({ level: 'silent' }) });
    });
    afterAll(async () => {
      await second?.close();
      await stack?.close();
      await store?.drop();
    });

    it('counts one caller across both replicas', async () => {
      for (let i = 0; i < 2; i++) expect((await post(stack.gateway.url, '{ connections { name } }', key)).status).toBe(200);
      for (let i = 0; i < 2; i++) expect((await post(second.url, '{ connections { name } }', key)).status).toBe(200);
      expect((await post(second.url, '{ connections { name } }', key)).status).toBe(429);
      expect((await post(stack.gateway.url, '{ connections { name } }', key)).status).toBe(429);
    });
  });
}
