import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { gatewayEnvFor } from '../helpers/gatewayEnv.js';
import { encodeGlobalId } from '../../src/domain/globalId.js';
import { AG, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { API_KEYS: 'full:full-key-0123456789abcdef,ag-only:ag-key-0123456789abcdef:f451ca37-411c-49ea-a544-29598ea22b82_123456,mapi-bare:mapi-key-0123456789abcdef:mapi' },
  });
});
afterAll(async () => stack?.close());

const FULL = { authorization: 'Bearer full-key-0123456789abcdef' };
const AG_ONLY = { authorization: 'Bearer ag-key-0123456789abcdef' };
const MAPI_BARE = { authorization: 'Bearer mapi-key-0123456789abcdef' };

describe('what a caller may not use is said, not hidden', () => {
  it('a key without MAPI gets FORBIDDEN on capabilities, and a key without CodaBox gets FORBIDDEN on feeds', async () => {
    const caps = await stack.gql('{ party(identifier: "KT:2222228899") { identifiers { iso6523 } capabilities { status } } }', undefined, AG_ONLY);
    expect(caps.body.data.party.identifiers[0].iso6523).toBe('0196:2222228899');
    expect(caps.body.errors[0]).toMatchObject({ path: ['party', 'capabilities'], extensions: { code: 'FORBIDDEN' } });
    expect(caps.body.errors[0].message).toMatch(/MAPI/);
    const feeds = await stack.gql('{ feeds { id } connections { name } }', undefined, AG_ONLY);
    expect(feeds.body.data.feeds).toBeNull();
    expect(feeds.body.data.connections).toEqual([{ name: AG }]);
    expect(feeds.body.errors[0]).toMatchObject({ path: ['feeds'], extensions: { code: 'FORBIDDEN' } });
  });

  it('a grant of the MAPI connection "mapi" does not open a CodaBox connection claimed as "mapi"', async () => {
    stack.codabox.issueToken('invoicing', 'mapitoken0001');
    const { body } = await stack.gql('mutation { claimCodaboxCredentials(input: { token: "mapitoken0001", connection: "mapi" }) { connection { name } userErrors { code field } } }', undefined, MAPI_BARE);
    expect(body.data.claimCodaboxCredentials).toEqual({ connection: null, userErrors: [{ code: 'FORBIDDEN', field: ['input', 'connection'] }] });
    // The token is still unspent: CodaBox was not asked.
    expect(stack.codabox.server.calls().filter((c) => c.path.includes('mapitoken0001'))).toHaveLength(0);
  });
});

describe('input is bounded and checked before any upstream call', () => {
  it('an Informat invoice ID whose local part is not a UUID costs no Informat call', async () => {
    const before = stack.sandbox.api.calls().length;
    const bad = encodeGlobalId({ type: 'Invoice', source: 'INFORMAT', connection: AG, local: 'not-a-uuid' });
    const q = await stack.gql('query($id: ID!) { invoice(id: $id) { id } }', { id: bad }, FULL);
    expect(q.body).toEqual({ data: { invoice: null } });
    const m = await stack.gql('mutation($id: ID!) { requestInvoicePdf(invoiceId: $id) { userErrors { code } } registerPayment(input: { invoiceId: $id, amount: "1.00", date: "2024-01-01", idempotencyKey: "nu-1" }) { userErrors { code } } }', { id: bad }, FULL);
    expect(m.body.data.requestInvoicePdf.userErrors[0].code).toBe('INVALID_ID');
    expect(m.body.data.registerPayment.userErrors[0].code).toBe('INVALID_ID');
    expect(stack.sandbox.api.calls().length).toBe(before);
  });

  it('1 MB strings are refused without being sent upstream or echoed back whole', async () => {
    const before = stack.sandbox.api.calls().length + stack.mapi.server.calls().length + stack.codabox.server.calls().length;
    const big = 'x'.repeat(1_000_000);
    const answers = await Promise.all([
      stack.gql('query($i: String!) { party(identifier: $i) { id } }', { i: big }, FULL),
      stack.gql('query($ag: String!) { invoices(filter: { source: INFORMAT, accessGroup: $ag, schoolYear: "2020-21" }) { totalCount } }', { ag: big }, FULL),
      stack.gql('query($y: String!) { invoices(filter: { source: INFORMAT, accessGroup: "' + AG + '", schoolYear: $y }) { totalCount } }', { y: big }, FULL),
      stack.gql('query($q: String!) { searchParties(query: $q) { totalCount } }', { q: big }, FULL),
      stack.gql('query($id: ID!) { node(id: $id) { id } }', { id: big }, FULL),
      stack.gql('query($m: Decimal!) { invoices(filter: { source: INFORMAT, accessGroup: "' + AG + '", schoolYear: "2020-21", minTotal: $m }) { totalCount } }', { m: '9'.repeat(1_000_000) }, FULL),
    ]);
    for (const a of answers) {
      expect(JSON.stringify(a.body).length).toBeLessThan(3000);
      if (a.body.errors) expect(['BAD_USER_INPUT', 'FORBIDDEN']).toContain(a.body.errors[0].extensions.code);
    }
    expect(stack.sandbox.api.calls().length + stack.mapi.server.calls().length + stack.codabox.server.calls().length).toBe(before);
  });
});

describe('upstream error bodies stay in the log', () => {
  it('a CodaBox 404 body naming an internal host and a password never reaches the caller', async () => {
    stack.codabox.server.inject('GET /delivery/pod-client/', { status: 404, body: '{"detail":"db at 10.1.2.3:5432 user=admin password=hunter2 not found"}', headers: { 'content-type': 'application/json' }, times: 1 });
    const { body } = await stack.gql('{ feeds { id } }', undefined, FULL);
    expect(body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', source: 'CODABOX' });
    expect(JSON.stringify(body)).not.toMatch(/hunter2|10\.1\.2\.3/);
  });
});

describe('download links and proxies', () => {
  const FILES = '{ feeds { entries(first: 1) { edges { node { files { url } } } } } }';
  const firstUrl = (body: any): string => body.data.feeds[0].entries.edges[0].node.files[0].url;
  it('ignores X-Forwarded-Host and -Proto from a caller when no proxy is trusted', async () => {
    const { body } = await stack.gql(FILES, undefined, { ...FULL, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    const url = firstUrl(body);
    expect(url.startsWith(`${stack.gateway.url}/files/`)).toBe(true);
    expect(url).not.toContain('evil.example');
  });

  it('believes them from a configured proxy (TRUSTED_PROXIES)', async () => {
    await stack.restart({ TRUSTED_PROXIES: '127.0.0.1' });
    const { body } = await stack.gql(FILES, undefined, { ...FULL, 'x-forwarded-host': 'gw.example', 'x-forwarded-proto': 'https' });
    expect(firstUrl(body)).toMatch(/^https:\/\/gw\.example\/files\//);
    await stack.restart();
  });
});

describe('CORS', () => {
  it('is off by default, and answers a configured origin\'s preflight and request', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.gateway.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    expect((await preflight('https://app.example')).headers.get('access-control-allow-origin')).toBeNull();
    await stack.restart({ CORS_ORIGINS: 'https://app.example' });
    const ok = await preflight('https://app.example');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/content-type/);
    expect((await preflight('https://other.example')).headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers: { origin: 'https://app.example', 'content-type': 'application/json', ...FULL }, body: JSON.stringify({ query: '{ connections { name } }' }) });
    expect(post.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(((await post.json()) as any).data.connections.length).toBeGreaterThan(0);
    // CSRF prevention still holds for a simple (non-preflighted) request.
    const simple = await fetch(`${stack.gateway.url}/graphql?query=${encodeURIComponent('{ connections { name } }')}`, { headers: { origin: 'https://app.example', ...FULL } });
    expect(simple.status).toBe(400);
    await stack.restart();
  });
});

describe('logs', () => {
  let gateway: Gateway;
  let lines: any[] = [];
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gw-log-'));
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(...String(chunk).trim().split('\n').map((l) => JSON.parse(l))), done()) });
    const env = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...(await gatewayEnvFor({ INFORMAT: stack.sandbox, MAPI: stack.mapi, CODABOX: stack.codabox })), UPSTREAM_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '3' };
    gateway = await startGateway(loadConfig(env), { log: pino({ level: 'debug' }, sink) });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('redact download tokens, GET variables and api_key values at debug, and tag request lines debug', async () => {
    lines = [];
    await fetch(`${gateway.url}/files/SECRET-TOKEN-123`);
    await fetch(`${gateway.url}/graphql?query=${encodeURIComponent('query($x: String!) { party(identifier: $x) { id } }')}&variables=${encodeURIComponent('{"x":"BE0840559537-SECRET"}')}&api_key=KEY-SECRET`, { headers: { 'apollo-require-preflight': '1' } });
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/SECRET/);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.map((l) => l.url)).toEqual(['/files/[redacted]', '/graphql?query=[redacted]&variables=[redacted]&api_key=[redacted]']);
    expect(requests.every((l) => l.level === 20)).toBe(true);
  });

  it('log an upstream failing and recovering once each, and the breaker opening, at info or above', async () => {
    lines = [];
    stack.sandbox.api.inject('POST /graphql', { status: 503, times: 5 });
    for (let i = 0; i < 5; i++) await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "202${i}-2${i + 1}" }, first: 1) { totalCount } }` }) });
    const failing = lines.filter((l) => l.level >= 30 && /INFORMAT is failing/.test(l.msg));
    expect(failing).toHaveLength(1);
    expect(lines.filter((l) => l.level >= 40 && /circuit opened/.test(l.msg))).toHaveLength(1);
  });
});
