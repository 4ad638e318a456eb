import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

const BATCH = 'POST /parties/transactions';
const CAPS = 'query($ids: [String!]!) { parties(identifiers: $ids) { identifiers { iso6523 } capabilities { status reachable formats { name source syntax viaTransformation } } } }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack.close());
beforeEach(() => {
  stack.mapi.server.resetCalls();
  stack.mapi.server.clearFaults();
});

const schemeOf = (c: { path: string }) => new URL(c.path, 'http://x').searchParams.get('idType');

/**
 * Batch calls of one scheme (0208 by default; the VAT fallback asks 9925 for those not found), split
 * into first asks and re-asks of pending answers (the re-asks repeat earlier identifiers).
 */
function batchCalls(scheme = '0208') {
  const seen = new Set<string>();
  let first = 0;
  let reask = 0;
  for (const c of stack.mapi.server.calls(BATCH).filter((x) => schemeOf(x) === scheme)) {
    const ids = JSON.parse(c.body) as string[];
    expect(ids.length).toBeLessThanOrEqual(120);
    if (ids.every((id) => seen.has(id))) reask++;
    else first++;
    for (const id of ids) seen.add(id);
  }
  return { first, reask };
}

describe('Party.capabilities batching', () => {
  it('asks MAPI about 500 parties in ⌈500/120⌉ = 5 batch calls, re-asking only pending ones, a bounded number of times', async () => {
    const ids = stack.mapi.belgianParties().slice(0, 500);
    const { body } = await stack.gql(CAPS, { ids });
    expect(body.errors).toBeUndefined();
    const parties = body.data.parties;
    expect(parties).toHaveLength(500);
    const calls = batchCalls();
    expect(calls.first).toBe(5);
    // Some seeded parties answer PendingLookup first: re-asked, at most CAPABILITY_PENDING_RETRIES (2) times.
    expect(calls.reask).toBeGreaterThan(0);
    expect(calls.reask).toBeLessThanOrEqual(2);
    // Those not found under 0208 are asked again under 9925, batched the same way.
    const notFound = parties.filter((p: any) => p.capabilities.status === 'NOT_FOUND').length;
    expect(batchCalls('9925').first).toBeLessThanOrEqual(Math.ceil(notFound / 120));
    expect(await stack.metric('gateway_capability_batches_total', { source: 'MAPI', kind: 'first' })).toBeGreaterThanOrEqual(5);
    // Names were not asked for, so no party was looked up one by one.
    expect(stack.mapi.server.calls('GET /parties/:id')).toHaveLength(0);
    // Every answer is final after the re-ask, and agrees with the sandbox's records.
    for (const p of parties) {
      const rec = stack.mapi.parties.get(p.identifiers[0].iso6523)!;
      const canInvoice = rec.profiles.some((x) => ['BISENUBL-3.0', 'BISENCII-3.0', 'BII05-1.0', 'BII04-1.0'].includes(x));
      expect(p.capabilities.status).toBe(canInvoice ? 'READY' : 'NOT_FOUND');
      expect(p.capabilities.reachable).toBe(canInvoice);
    }
    const ubl = parties.find((p: any) => stack.mapi.parties.get(p.identifiers[0].iso6523)!.profiles[0] === 'BISENUBL-3.0');
    expect(ubl.capabilities.formats[0]).toEqual({ name: 'BISENUBL-3.0', source: 'MAPI', syntax: 'UBL', viaTransformation: false });
  });

  it('asks once per distinct party: duplicates and other spellings add no calls', async () => {
    const ids = stack.mapi.belgianParties().slice(600, 700);
    const kbo = ids.map((i) => i.split(':')[1]!);
    const spelled = [...ids, ...ids, ...kbo.map((k) => `BE${k}`), ...kbo.map((k) => `${k.slice(0, 4)}.${k.slice(4, 7)}.${k.slice(7)}`)];
    const { body } = await stack.gql(CAPS, { ids: spelled });
    expect(body.data.parties).toHaveLength(400);
    expect(batchCalls().first).toBe(1);
  });

  it('answers a repeat within the TTL from the cache, without calling MAPI', async () => {
    const ids = stack.mapi.belgianParties().slice(0, 500);
    // The first test asked these; final answers are cached for CAPABILITY_CACHE_TTL_SECONDS.
    const { body } = await stack.gql(CAPS, { ids });
    expect(body.errors).toBeUndefined();
    expect(stack.mapi.server.calls(BATCH)).toHaveLength(0);
    expect(await stack.metric('gateway_capability_cache_total', { outcome: 'hit' })).toBeGreaterThanOrEqual(500);
  });

  it('groups by identifier scheme: Belgian and Icelandic parties make one call per scheme', async () => {
    const ids = [...stack.mapi.belgianParties().slice(800, 810), 'KT:1111118899', '0196:3333338899'];
    await stack.gql(CAPS, { ids });
    const types = stack.mapi.server.calls(BATCH).map(schemeOf);
    // One call per scheme asked; 9925 only as the fallback of Belgian parties not found under 0208.
    expect(types.filter((t) => t === '0208')).toHaveLength(1);
    expect(types.filter((t) => t === '0196')).toHaveLength(1);
    expect(types.every((t) => ['0196', '0208', '9925'].includes(t!))).toBe(true);
  });

  it('resolves the document\'s PendingLookup for Customer Company on a re-ask', async () => {
    const { body } = await stack.gql(CAPS, { ids: ['KT:2222228899'] });
    expect(body.data.parties[0].capabilities.status).toBe('READY');
    // BII04 registered, BISENUBL reachable by transformation (the document's GET sample).
    expect(body.data.parties[0].capabilities.formats.map((f: any) => [f.name, f.viaTransformation])).toEqual([
      ['BII04-1.0', false],
      ['BISENUBL-3.0', true],
      ['BISENCII-3.0', true],
      ['BII05-1.0', true],
    ]);
    expect(batchCalls('0196')).toEqual({ first: 1, reask: 1 });
  });

  it('answers PENDING when MAPI is still looking after the bounded re-asks', async () => {
    const first8 = '08972221';
    const kbo = first8 + String(97 - (Number(first8) % 97)).padStart(2, '0');
    const unknown = [`0208:${kbo}`];
    stack.mapi.server.inject(BATCH, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ identifierType: '0208', identifier: kbo, status: 'PendingLookup', result: [] }]) });
    const { body } = await stack.gql(CAPS, { ids: unknown });
    expect(body.data.parties[0].capabilities).toMatchObject({ status: 'PENDING', reachable: false });
    expect(batchCalls()).toEqual({ first: 1, reask: 2 });
  });

  it('asks per document type', async () => {
    const q = 'query($id: String!) { party(identifier: $id) { response: capabilities(documentType: BILLING_RESPONSE) { status } order: capabilities(documentType: ORDER) { status formats { name } } } }';
    const { body } = await stack.gql(q, { id: 'KT:1111118899' });
    expect(body.data.party.response.status).toBe('READY');
    expect(body.data.party.order).toEqual({ status: 'READY', formats: [{ name: 'BISORD-3.0' }] });
    const actions = stack.mapi.server.calls(BATCH).map((c) => new URL(c.path, 'http://x').searchParams.get('action'));
    expect(actions.sort()).toEqual(['SubmitBillingResponse', 'SubmitOrder']);
  });

  it('keeps the rest of the answer when MAPI fails', async () => {
    stack.mapi.server.inject(BATCH, { status: 503 });
    const ids = stack.mapi.belgianParties().slice(900, 903);
    const { body } = await stack.gql(`query($ids: [String!]!) { connections { source } parties(identifiers: $ids) { capabilities { status } } }`, { ids });
    expect(body.data.connections.length).toBeGreaterThan(0);
    // Each party stays; only its capabilities are null, with the error naming MAPI.
    expect(body.data.parties).toEqual([{ capabilities: null }, { capabilities: null }, { capabilities: null }]);
    expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'MAPI' });
  });
});

describe('party and parties', () => {
  it('names a party MAPI knows, in any identifier spelling, KT and 0196 alike', async () => {
    const { body } = await stack.gql('{ a: party(identifier: "KT:1111118899") { name identifiers { iso6523 } sources } b: party(identifier: "0196:1111118899") { name } }');
    expect(body.data.a).toEqual({ name: 'Supplier Company', identifiers: [{ iso6523: '0196:1111118899' }], sources: ['MAPI'] });
    expect(body.data.b.name).toBe('Supplier Company');
    // Both spellings are one party: one name lookup.
    expect(stack.mapi.server.calls('GET /parties/:id')).toHaveLength(1);
  });

  it('gives a Belgian company its enterprise and VAT numbers, and both Peppol identifiers', async () => {
    const id = stack.mapi.belgianParties()[0]!;
    const kbo = id.split(':')[1]!;
    const { body } = await stack.gql('query($id: String!) { party(identifier: $id) { id name enterpriseNumber vatNumber identifiers { scheme value } } }', { id: `BE${kbo}` });
    expect(body.data.party).toMatchObject({ name: stack.mapi.parties.get(id)!.name, enterpriseNumber: kbo, vatNumber: `BE${kbo}`, identifiers: [{ scheme: '0208', value: kbo }, { scheme: '9925', value: `BE${kbo}` }] });
    const again = await stack.gql('query($id: ID!) { node(id: $id) { ... on Party { enterpriseNumber } } }', { id: body.data.party.id });
    expect(again.body.data.node.enterpriseNumber).toBe(kbo);
  });

  it('refuses an identifier that is not one, and keeps the other items', async () => {
    const single = await stack.gql('{ party(identifier: "0208:0739484059") { name } }');
    expect(single.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['identifier'] });
    const list = await stack.gql('{ parties(identifiers: ["KT:1111118899", "nonsense"]) { name } }');
    expect(list.body.data.parties).toEqual([{ name: 'Supplier Company' }, null]);
    expect(list.body.errors[0]).toMatchObject({ path: ['parties', 1], extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('CAPABILITY_VAT_FALLBACK', () => {
  const Q = '{ party(identifier: "0202.239.951") { capabilities { status reachable identifier { iso6523 } } } }';
  const schemes = () => stack.mapi.server.calls(BATCH).map(schemeOf);

  it('on (the default): asks 9925 after 0208 is not found, and names the identifier that answered, whatever the spelling asked', async () => {
    for (const spelling of ['0202.239.951', 'BE0202239951', '9925:be0202239951', '0208:0202239951']) {
      stack.mapi.server.resetCalls();
      const { body } = await stack.gql(`{ party(identifier: "${spelling}") { capabilities { status reachable identifier { iso6523 } } } }`);
      expect(body.data.party.capabilities).toEqual({ status: 'READY', reachable: true, identifier: { iso6523: '9925:BE0202239951' } });
      expect(schemes().filter((t) => t === '9925').length).toBeLessThanOrEqual(1);
    }
  });

  it('off: a company registered only under its VAT number is NOT_FOUND, and only 0208 is asked', async () => {
    await stack.restart({ CAPABILITY_VAT_FALLBACK: 'false' });
    try {
      stack.mapi.server.resetCalls();
      const { body } = await stack.gql(Q);
      expect(body.data.party.capabilities).toEqual({ status: 'NOT_FOUND', reachable: false, identifier: { iso6523: '0208:0202239951' } });
      expect(schemes().every((t) => t === '0208')).toBe(true);
    } finally {
      await stack.restart();
    }
  });
});
