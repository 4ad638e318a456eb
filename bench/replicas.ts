import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pino from 'pino';
import type { SourceName } from '../src/domain/globalId.js';
import { SAMPLE_INVOICE_ID, type InformatSandbox } from '../src/sandbox/informat/index.js';
import { SOURCES } from '../src/sources/registry.js';
import type { SandboxSettings, StartedSandbox } from '../src/sources/types.js';
import { invoiceId } from '../src/sources/informat/index.js';
import { gatewayEnvFor } from '../test/helpers/gatewayEnv.js';
import { spawnGateway } from '../test/helpers/gatewayProcess.js';
import { createTestDatabase, postgresAvailable } from '../test/helpers/postgres.js';

const SETTINGS: SandboxSettings = { seed: 42, latencyMs: 0, invoicesPerGroup: 40, pdfDelayMs: 50, tokenTtlSeconds: 3600, mapiParties: 2400, ibanityStepMs: 1000, dataDir: '' };
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const KEY = 'bench-key-0123456789abcdef';

type Figures = { rps: number; p50: number; p99: number; errors: number };

/** A mixed workload: invoice pages, party capability checks, and payments (each its own key). */
function workload(ag: string, invoice: string) {
  let n = 0;
  const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
  return [
    { method: 'POST' as const, body: body(`{ invoices(filter: { source: INFORMAT, accessGroup: "${ag}", schoolYear: "2023-24" }, first: 20) { edges { node { id total { amount } open { amount } } } } }`) },
    { method: 'POST' as const, body: body('{ parties(identifiers: ["KT:1111118899", "BE0840559537"]) { capabilities { reachable } } }') },
    { method: 'POST' as const, body: body(`{ invoices(filter: { source: INFORMAT, accessGroup: "${ag}", schoolYear: "2022-23" }, first: 20) { edges { node { id } } } }`) },
    {
      method: 'POST' as const,
      setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body('mutation($i: RegisterPaymentInput!) { registerPayment(input: $i) { payment { id } userErrors { code } } }', { i: { invoiceId: invoice, amount: '0.01', date: '2024-03-01', idempotencyKey: `bench-${process.pid}-${Date.now()}-${n++}` } }) }),
    },
  ];
}

async function run(urls: string[], headers: Record<string, string>, requests: ReturnType<typeof workload>, connections: number, duration = DURATION): Promise<Figures> {
  const each = Math.max(1, Math.floor(connections / urls.length));
  const results = await Promise.all(urls.map((url) => autocannon({ url: `${url}/graphql`, headers: { 'content-type': 'application/json', ...headers }, connections: each, duration, requests })));
  return {
    rps: results.reduce((s, r) => s + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((s, r) => s + r.errors + r.non2xx, 0),
  };
}
const fmt = (label: string, f: Figures) => `  ${label.padEnd(40)} ${f.rps.toFixed(0).padStart(6)} req/s   p50 ${f.p50.toFixed(0).padStart(4)} ms   p99 ${f.p99.toFixed(0).padStart(5)} ms   non-2xx/errors ${f.errors}`;

/**
 * The mixed workload through two replicas on PostgreSQL beside one replica on SQLite, and what
 * verifying a JWT costs per request (API key against RS256 token, one client, a query that asks no
 * upstream).
 */
export async function replicasBench(): Promise<void> {
  if (!(await postgresAvailable())) {
    console.log('replicas: skipped, no PostgreSQL at 127.0.0.1:5432\n');
    return;
  }
  const started: StartedSandbox<unknown>[] = [];
  const handles: Partial<Record<SourceName, unknown>> = {};
  for (const s of SOURCES) {
    const one = await (await s.sandbox!()).start(SETTINGS, pino({ level: 'silent' }));
    started.push(one);
    handles[s.name] = one.handle;
  }
  const informat = handles.INFORMAT as InformatSandbox;
  const ag = informat.accessGroups[0]!;
  const invoice = invoiceId(ag, SAMPLE_INVOICE_ID);
  const base = { ...(await gatewayEnvFor(handles)), API_KEYS: `bench:${KEY}`, INFORMAT_ACCESS_GROUPS: ag, RATE_LIMIT_REQUESTS_PER_MINUTE: '0', RATE_LIMIT_COST_PER_MINUTE: '0' };
  const requests = workload(ag, invoice);
  const auth = { authorization: `Bearer ${KEY}` };

  const sqlite = await spawnGateway({ ...base, DATA_DIR: `/tmp/gw-bench-sqlite-${process.pid}` });
  await run([sqlite.url], auth, requests, CONNECTIONS, 2);
  const one = await run([sqlite.url], auth, requests, CONNECTIONS);
  await sqlite.stop();

  const db = await createTestDatabase();
  const pgEnv = { ...base, DATABASE_URL: db.url, CREDENTIALS_KEY: 'bench-credentials-key-0123456789abcdef', DOWNLOAD_SIGNING_KEY: 'bench-signing-key-0123456789abcdef' };
  const replicas = [await spawnGateway({ ...pgEnv, DATA_DIR: `/tmp/gw-bench-r1-${process.pid}` }), await spawnGateway({ ...pgEnv, DATA_DIR: `/tmp/gw-bench-r2-${process.pid}` })];
  await run(replicas.map((r) => r.url), auth, requests, CONNECTIONS, 2);
  const two = await run(replicas.map((r) => r.url), auth, requests, CONNECTIONS);
  for (const r of replicas) await r.stop();
  await db.drop();

  console.log(`mixed workload (invoice pages, capability checks, payments 1 in 4), ${CONNECTIONS} clients, ${DURATION} s, on this machine's cores:`);
  console.log(fmt('one replica, SQLite', one));
  console.log(fmt('two replicas, one PostgreSQL', two));

  // JWT against API key: one client, a query that needs no upstream.
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const idp = http.createServer((_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  const token = await new SignJWT({ scope: 'admin', gateway_connections: '*' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://idp.bench/').setAudience('gw').setSubject('bench').setIssuedAt().setExpirationTime('1h').sign(privateKey);
  const g = await spawnGateway({ ...base, DATA_DIR: `/tmp/gw-bench-jwt-${process.pid}`, AUTH_JWKS_URL: `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks`, AUTH_ISSUER: 'https://idp.bench/', AUTH_AUDIENCE: 'gw' });
  const cheap = [{ method: 'POST' as const, body: JSON.stringify({ query: '{ connections { name } }' }) }];
  await run([g.url], auth, cheap, 1, 2);
  const keyRun = await run([g.url], auth, cheap, 1);
  await run([g.url], { authorization: `Bearer ${token}` }, cheap, 1, 2);
  const jwtRun = await run([g.url], { authorization: `Bearer ${token}` }, cheap, 1);
  await g.stop();
  idp.close();
  const perRequest = (f: Figures) => 1e6 / f.rps;
  console.log(`\nJWT verification, 1 client, { connections { name } }:`);
  console.log(fmt('API key', keyRun));
  console.log(fmt('RS256 JWT (JWKS cached)', jwtRun));
  console.log(`  time per request: ${perRequest(keyRun).toFixed(0)} µs with a key, ${perRequest(jwtRun).toFixed(0)} µs with a JWT: ${(perRequest(jwtRun) - perRequest(keyRun)).toFixed(0)} µs for the JWT\n`);

  for (const s of started) await s.close();
}
