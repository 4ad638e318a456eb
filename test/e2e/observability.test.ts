import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AG, startStack, type Stack } from '../helpers/stack.js';

/** Request ids, the operation metrics, trusted documents and the introspection switch, over HTTP. */

let stack: Stack;
const dir = mkdtempSync(join(tmpdir(), 'gw-trusted-'));
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('request ids', () => {
  it('echoes a caller x-request-id, puts it in every error, and makes one when there is none or it is not a plain token', async () => {
    const mine = await post({ query: '{ invoice(id: "bm9wZQ") { id } }' }, { 'x-request-id': 'req-42.alpha:7' });
    expect(mine.headers.get('x-request-id')).toBe('req-42.alpha:7');
    expect(mine.body.errors[0].extensions.requestId).toBe('req-42.alpha:7');

    const none = await post({ query: '{ connections { name } }' });
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await post({ query: '{ connections { name } }' }, { 'x-request-id': 'evil id with spaces' });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(odd.headers.get('x-request-id')).not.toBe(none.headers.get('x-request-id'));
  });
});

describe('operation metrics', () => {
  it('counts latency by operation name, errors by code, upstream requests per operation and DataLoader batch sizes', async () => {
    await post({ query: `query InvoicesForMetrics { invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 5) { edges { node { id } } } }` });
    await post({ query: '{ invoice(id: "bm9wZQ") { id } }' });
    await post({ query: '{ parties(identifiers: ["BE0840559537", "0202.239.951"]) { capabilities { reachable } } }' });
    expect(await stack.metric('gateway_graphql_operation_duration_seconds_count', { operation: 'InvoicesForMetrics', type: 'query' })).toBe(1);
    expect(await stack.metric('gateway_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBeGreaterThanOrEqual(1);
    expect(await stack.metric('gateway_upstream_requests_per_operation_count')).toBeGreaterThanOrEqual(3);
    expect(await stack.metric('gateway_dataloader_batch_size_count', { loader: 'capabilities' })).toBeGreaterThanOrEqual(1);
  });

  it('keeps operation names a caller makes up from growing the metrics without bound', async () => {
    await Promise.all(Array.from({ length: 120 }, (_, i) => post({ query: `query Random${i} { connections { name } }` })));
    const text = await (await fetch(`${stack.gateway.url}/metrics`, { headers: { authorization: 'Bearer stack-metrics-token-0123456789abcdef' } })).text();
    const names = new Set([...text.matchAll(/gateway_graphql_operation_duration_seconds_count\{operation="([^"]+)"/g)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(103);
    expect(names.has('other')).toBe(true);
  });
});

describe('trusted documents', () => {
  const CONNECTIONS = 'query Connections { connections { name source } }';
  const INVOICES = `query Page($first: Int) { invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: $first) { edges { node { id } } } }`;
  const hash = (t: string) => createHash('sha256').update(t).digest('hex');

  beforeAll(async () => {
    // The client preset's persisted-documents.json: sha256 of each operation's text.
    writeFileSync(join(dir, 'persisted-documents.json'), JSON.stringify({ [hash(CONNECTIONS)]: CONNECTIONS, [hash(INVOICES)]: INVOICES }));
    // Apollo's manifest format, with Relay-like ids.
    writeFileSync(join(dir, 'apollo-manifest.json'), JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'relay-1', name: 'Connections', type: 'query', body: CONNECTIONS }] }));
    await stack.restart({ TRUSTED_DOCUMENTS_FILE: join(dir, 'persisted-documents.json'), TRUSTED_DOCUMENTS_ONLY: 'true' });
  });
  afterAll(async () => stack.restart());

  it('runs a manifest operation by documentId, by the client preset hash and with variables, and refuses free text', async () => {
    const byDocumentId = await post({ documentId: `sha256:${hash(CONNECTIONS)}` });
    expect(byDocumentId.body.errors, JSON.stringify(byDocumentId.body.errors)).toBeUndefined();
    expect(byDocumentId.body.data.connections.length).toBeGreaterThan(0);
    const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash(INVOICES) } }, variables: { first: 2 } });
    expect(byHash.body.errors).toBeUndefined();
    expect(byHash.body.data.invoices.edges).toHaveLength(2);
    // A GET with the id in the URL, as a CDN-cached client sends it.
    const get = await fetch(`${stack.gateway.url}/graphql?documentId=${hash(CONNECTIONS)}`, { headers: { 'apollo-require-preflight': 'true' } });
    const got = (await get.json()) as any;
    expect(got.errors, JSON.stringify(got.errors)).toBeUndefined();
    expect(got.data.connections.length).toBeGreaterThan(0);

    const free = await post({ query: '{ connections { name } }' });
    expect(free.status).toBe(400);
    expect(free.body.errors[0].extensions.code).toBe('TRUSTED_DOCUMENTS_ONLY');
    // The manifest's own text is the same operation: it runs.
    expect((await post({ query: CONNECTIONS })).body.data.connections.length).toBeGreaterThan(0);
  });

  it('never registers an unknown hash (automatic persisted queries are off) and names an unknown id', async () => {
    const text = '{ connections { detail } }';
    const register = await post({ query: text, extensions: { persistedQuery: { version: 1, sha256Hash: hash(text) } } });
    expect(register.status).toBe(400);
    expect(register.body.errors[0].extensions.code).toBe('TRUSTED_DOCUMENTS_ONLY');
    const again = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash(text) } } });
    expect(again.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it("reads Apollo's manifest format, with Relay's doc_id", async () => {
    await stack.restart({ TRUSTED_DOCUMENTS_FILE: join(dir, 'apollo-manifest.json'), TRUSTED_DOCUMENTS_ONLY: 'true' });
    expect((await post({ doc_id: 'relay-1' })).body.data.connections.length).toBeGreaterThan(0);
    expect((await post({ query: INVOICES })).status).toBe(400);
  });
});

describe('INTROSPECTION=false', () => {
  beforeAll(async () => stack.restart({ INTROSPECTION: 'false' }));
  afterAll(async () => stack.restart());

  it('refuses introspection and gives no field suggestions', async () => {
    const intro = await post({ query: '{ __schema { types { name } } }' });
    expect(intro.body.errors[0].message).toMatch(/introspection/i);
    const typo = await post({ query: '{ conections { name } }' });
    expect(typo.body.errors[0].message).not.toMatch(/Did you mean/);
    const withIntro = await stack.gql('{ connections { name } }');
    expect(withIntro.body.errors).toBeUndefined();
  });
});
