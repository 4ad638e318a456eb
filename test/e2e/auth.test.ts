import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

type KeyLike = CryptoKey;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AG, invoiceGid, startStack, type Stack } from '../helpers/stack.js';

/**
 * Callers and what they may do: JWTs checked against a JWKS served over HTTP (as an identity
 * provider would), API keys with scopes, `@requiresScopes` per field and per mutation, and the
 * operators' endpoints.
 */
const ISSUER = 'https://idp.test/';
const AUDIENCE = 'be-einvoicing-gateway';
const KEYS = {
  reader: 'reader-key-0123456789abcdef',
  admin: 'admin-key-0123456789abcdef',
  payer: 'payer-key-0123456789abcdef',
};
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

let stack: Stack;
let jwks: { keys: JWK[] };
let jwksFetches = 0;
let idp: http.Server;
let signing: { kid: string; key: KeyLike };

const token = async (claims: Record<string, unknown>, opts: { kid?: string; key?: KeyLike; iss?: string; aud?: string; exp?: number | string; nbf?: number } = {}) => {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? signing.kid })
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setSubject('svc-billing')
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m');
  if (opts.nbf !== undefined) jwt = jwt.setNotBefore(opts.nbf);
  return jwt.sign(opts.key ?? signing.key);
};
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  signing = { kid: 'key-1', key: privateKey };
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
  idp = http.createServer((_req, res) => {
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  const jwksUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks`;
  stack = await startStack({
    env: {
      AUTH_JWKS_URL: jwksUrl,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_JWKS_COOLDOWN_SECONDS: '1',
      METRICS_TOKEN,
      API_KEYS: [`reader:${KEYS.reader}:*:invoices:read|messages:read|feeds:read|parties:read`, `admin:${KEYS.admin}:*:admin`, `payer:${KEYS.payer}:INFORMAT/*:invoices:read|payments:write`].join(','),
    },
  });
});
afterAll(async () => {
  await stack?.close();
  idp?.close();
});

describe('JWT callers', () => {
  it('accept a valid token: its scope claim and connections claim decide what it may do', async () => {
    const t = await token({ scope: 'invoices:read unknown:scope', gateway_connections: [`INFORMAT/${AG}`] });
    const { status, body } = await stack.gql('{ connections { name source } invoice(id: "' + invoiceGid() + '") { id } }', {}, bearer(t));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.connections).toEqual([{ name: AG, source: 'INFORMAT' }]);
    expect(body.data.invoice.id).toBe(invoiceGid());
  });

  const refusals: [string, () => Promise<string>, RegExp][] = [
    ['a signature by another key under a known kid', async () => token({ scope: 'admin' }, { key: (await generateKeyPair('RS256')).privateKey }), /signature does not verify/],
    ['an expired token', () => token({ scope: 'admin' }, { exp: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['a token not valid yet (nbf)', () => token({ scope: 'admin' }, { nbf: Math.floor(Date.now() / 1000) + 600 }), /"nbf" claim/],
    ['another issuer', () => token({ scope: 'admin' }, { iss: 'https://evil.test/' }), /"iss" claim/],
    ['another audience', () => token({ scope: 'admin' }, { aud: 'some-other-api' }), /"aud" claim/],
    ['an unknown kid', () => token({ scope: 'admin' }, { kid: 'key-unknown' }), /key the gateway does not know/],
    ['alg none', async () => `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, scope: 'admin', exp: 9999999999 })).toString('base64url')}.`, /algorithm|not valid/],
  ];
  for (const [name, make, reason] of refusals) {
    it(`refuse ${name} with 401 UNAUTHENTICATED, asking nothing upstream`, async () => {
      const before = stack.sandbox.api.calls().length;
      const { status, body } = await stack.gql(`{ invoice(id: "${invoiceGid()}") { id } }`, {}, bearer(await make()));
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].message).toMatch(reason);
      expect(stack.sandbox.api.calls().length).toBe(before);
    });
  }

  it('fetch the JWKS again once for a rotated key, and not for every unknown kid after it (AUTH_JWKS_COOLDOWN_SECONDS)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    jwks = { keys: [...jwks.keys, { ...(await exportJWK(publicKey)), kid: 'key-2', alg: 'RS256', use: 'sig' }] };
    await new Promise((r) => setTimeout(r, 1100));
    const before = jwksFetches;
    const rotated = await token({ scope: 'parties:read', gateway_connections: '*' }, { kid: 'key-2', key: privateKey });
    const first = await stack.gql('{ party(identifier: "BE0840559537") { vatNumber } }', {}, bearer(rotated));
    expect(first.body.data.party.vatNumber).toBe('BE0840559537');
    expect(jwksFetches - before).toBe(1);
    for (let i = 0; i < 5; i++) expect((await stack.gql('{ connections { name } }', {}, bearer(await token({}, { kid: `key-nope-${i}` })))).status).toBe(401);
    expect(jwksFetches - before).toBe(1);
  });
});

describe('scopes, per field and per mutation', () => {
  it('a read-only key reads but cannot run any mutation, each refused as FORBIDDEN naming the scope', async () => {
    const read = await stack.gql(`{ invoice(id: "${invoiceGid()}") { id } }`, {}, bearer(KEYS.reader));
    expect(read.body.data.invoice.id).toBe(invoiceGid());
    const mutations = [
      `registerPayment(input: { invoiceId: "${invoiceGid()}", amount: "1.00", date: "2024-03-01", idempotencyKey: "ro" }) { userErrors { code } }`,
      'sendDocument(input: { receiver: "BE0840559537", xml: "<Invoice/>", idempotencyKey: "ro" }) { userErrors { code } }',
      'acknowledgeFeedEntries(input: { feedId: "x", upTo: "y" }) { userErrors { code } }',
      'requestCodaboxAccess(input: { vat: "BE0840559537", purpose: GET_DOCUMENTS }) { userErrors { code } }',
      'offboardPeppolSupplier(input: { supplierId: "x" }) { userErrors { code } }',
    ];
    for (const m of mutations) {
      const { body } = await stack.gql(`mutation { ${m} }`, {}, bearer(KEYS.reader));
      expect(body.errors?.[0]?.extensions?.code, m).toBe('FORBIDDEN');
      expect(body.errors[0].message).toMatch(/needs the scope/);
    }
    expect(stack.sandbox.api.calls('POST /api/payments').length + stack.ibanity.server.calls().filter((c) => c.method !== 'GET').length).toBe(0);
  });

  it('refuses only the field a token may not read; the rest of the answer stays', async () => {
    const t = await token({ scope: 'parties:read', gateway_connections: '*' });
    const { body } = await stack.gql(`{ party(identifier: "BE0840559537") { vatNumber } invoice(id: "${invoiceGid()}") { id } }`, {}, bearer(t));
    expect(body.data.party.vatNumber).toBe('BE0840559537');
    expect(body.data.invoice).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ path: ['invoice'], extensions: { code: 'FORBIDDEN', requiredScopes: [['invoices:read']] } });
  });

  it('node(id) and nodes(ids) of a record the caller may not read are null with FORBIDDEN; the others resolve', async () => {
    const t = await token({ scope: 'parties:read', gateway_connections: '*' });
    const party = (await stack.gql('{ party(identifier: "BE0840559537") { id } }', {}, bearer(t))).body.data.party.id;
    const one = await stack.gql(`{ node(id: "${invoiceGid()}") { id } }`, {}, bearer(t));
    expect(one.body.data.node).toBeNull();
    expect(one.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const many = await stack.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [invoiceGid(), party] }, bearer(t));
    expect(many.body.data.nodes).toEqual([null, { id: party }]);
    expect(many.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([[['nodes', 0], 'FORBIDDEN']]);
  });

  it('a key with payments:write on Informat registers payments; its lists hold only its connections', async () => {
    const { body } = await stack.gql(`mutation { registerPayment(input: { invoiceId: "${invoiceGid()}", amount: "1.00", date: "2024-03-01", idempotencyKey: "payer-1" }) { payment { id } userErrors { code } } }`, {}, bearer(KEYS.payer));
    expect(body.data.registerPayment.userErrors).toEqual([]);
    const conns = await stack.gql('{ connections { source } }', {}, bearer(KEYS.payer));
    expect(new Set(conns.body.data.connections.map((c: any) => c.source))).toEqual(new Set(['INFORMAT']));
    const feeds = await stack.gql('{ feeds { id } }', {}, bearer(KEYS.payer));
    expect(feeds.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('GraphiQL shows what each field needs: the directive is in the schema', async () => {
    const { body } = await stack.gql('{ __schema { directives { name } } }', {}, bearer(KEYS.reader));
    expect(body.data.__schema.directives.map((d: any) => d.name)).toContain('requiresScopes');
  });
});

describe('operators\' endpoints', () => {
  it('/metrics needs an admin caller or METRICS_TOKEN; /readyz shows its checks only to them; /healthz stays open', async () => {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.gateway.url}${path}`, { headers });
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/metrics', bearer(KEYS.reader))).status).toBe(401);
    expect((await get('/metrics', bearer(KEYS.admin))).status).toBe(200);
    expect((await get('/metrics', bearer(METRICS_TOKEN))).status).toBe(200);
    expect((await get('/metrics', bearer(await token({ scope: 'admin' })))).status).toBe(200);
    expect(await (await get('/readyz')).json()).toEqual({ ready: true });
    expect((await (await get('/readyz', bearer(KEYS.admin))).json() as any).checks.length).toBeGreaterThan(3);
    expect((await get('/healthz')).status).toBe(200);
  });
});
