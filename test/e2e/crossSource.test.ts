import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schoolYearOf } from '../../src/domain/invoiceFilter.js';
import { feedId } from '../../src/sources/codabox/index.js';
import { AG, startStack, type Stack } from '../helpers/stack.js';

/**
 * What no single upstream offers: one list of every source's invoices, one party per company, bank
 * movements of every feed, and statements reconciled with open Informat invoices exactly once.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { MAX_UPSTREAM_REQUESTS: '3000' } });
});
afterAll(async () => stack.close());

const YEAR = schoolYearOf(new Date());
const FEED_889 = feedId('codabox', 889);
const INFORMAT_PAYMENTS = 'POST /api/payments/:accessGroup/:invoiceId';

describe('invoices without a source', () => {
  const LIST = 'query($f: InvoiceFilter!, $after: String) { invoices(filter: $f, first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id source direction issueDate } } } }';

  it('lists every source the caller may read, each invoice once across pages, newest first where a source lists by date', async () => {
    const seen = new Set<string>();
    const bySource = new Map<string, string[]>();
    let after: string | null = null;
    for (let page = 0; page < 40; page++) {
      const { body }: { body: any } = await stack.gql(LIST.replace('first: 100', 'first: 500'), { f: { accessGroup: AG }, after });
      expect(body.errors).toBeUndefined();
      for (const e of body.data.invoices.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
        bySource.set(e.node.source, [...(bySource.get(e.node.source) ?? []), e.node.issueDate ?? '']);
      }
      if (!body.data.invoices.pageInfo.hasNextPage) break;
      after = body.data.invoices.pageInfo.endCursor;
    }
    expect([...bySource.keys()].sort()).toEqual(['CODABOX', 'IBANITY', 'INFORMAT', 'MAPI']);
    // MAPI lists its messages newest first, so its invoices come out in issue-date order.
    const mapi = bySource.get('MAPI')!.filter(Boolean);
    expect([...mapi].sort().reverse()).toEqual(mapi);
  });

  it('filters every source with the same meaning: INBOUND has no Informat invoice, minTotal holds for all', async () => {
    const { body } = await stack.gql('query($f: InvoiceFilter!) { invoices(filter: $f, first: 200) { edges { node { source direction total { amount } } } } }', { f: { direction: 'INBOUND', minTotal: '100' } });
    expect(body.errors).toBeUndefined();
    const nodes = body.data.invoices.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n: any) => n.direction === 'INBOUND' && Number(n.total.amount) >= 100 && n.source !== 'INFORMAT')).toBe(true);
    // CodaBox's purchase invoices are INBOUND, its sales invoices OUTBOUND: the same filter on its feeds.
    const { body: cb } = await stack.gql('{ invoices(filter: { source: CODABOX, direction: OUTBOUND, minTotal: "500" }, first: 50) { edges { node { source direction total { amount } } } } }');
    expect(cb.errors).toBeUndefined();
    expect(cb.data.invoices.edges.length).toBeGreaterThan(0);
    expect(cb.data.invoices.edges.every((e: any) => e.node.source === 'CODABOX' && e.node.direction === 'OUTBOUND' && Number(e.node.total.amount) >= 500)).toBe(true);
  });

  it('answers the other sources when one fails, with an error naming the one that failed', async () => {
    stack.mapi.server.inject('GET /messages', { status: 503, body: 'down' });
    try {
      const { body } = await stack.gql(LIST, { f: { accessGroup: AG } });
      expect(body.data.invoices.edges.length).toBeGreaterThan(0);
      expect(body.data.invoices.edges.some((e: any) => e.node.source === 'MAPI')).toBe(false);
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({ path: ['invoices'], extensions: { source: 'MAPI' } });
    } finally {
      stack.mapi.server.clearFaults();
    }
  });
});

describe('one party per company', () => {
  it('searchParties without a source merges what CodaBox and Ibanity know of one company into one party', async () => {
    const { body } = await stack.gql('{ searchParties(query: "0840559537", first: 10) { edges { node { id name sources identifiers { iso6523 } } } } }');
    expect(body.errors).toBeUndefined();
    const nodes = body.data.searchParties.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(1);
    expect(nodes[0].sources).toEqual(['CODABOX', 'IBANITY']);
    expect(nodes[0].identifiers.map((i: any) => i.iso6523)).toEqual(['0208:0840559537', '9925:BE0840559537']);
    // The same ID as the party asked by identifier, in any spelling.
    const { body: one } = await stack.gql('{ party(identifier: "9925:be0840559537") { id } }');
    expect(one.data.party.id).toBe(nodes[0].id);
  });

  it('pages a merged search with stable cursors, each party once', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    for (let i = 0; i < 8; i++) {
      const { body }: { body: any } = await stack.gql('query($after: String) { searchParties(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }', { after });
      expect(body.errors).toBeUndefined();
      for (const e of body.data.searchParties.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
      }
      if (!body.data.searchParties.pageInfo.hasNextPage) break;
      after = body.data.searchParties.pageInfo.endCursor;
    }
    expect(seen.size).toBeGreaterThan(300);
  });

  it('looks up what the sources know of many parties once per company, whatever the spelling, a bounded number at a time', async () => {
    const ids = stack.mapi.belgianParties().slice(1500, 1560);
    const spelled = [...ids, ...ids.map((i) => `BE${i.split(':')[1]}`)];
    stack.mapi.server.resetCalls();
    stack.codabox.server.resetCalls();
    stack.mapi.server.latencyMs = 5;
    const { body } = await stack.gql('query($ids: [String!]!) { parties(identifiers: $ids) { name sources } }', { ids: spelled }).finally(() => (stack.mapi.server.latencyMs = 0));
    expect(body.errors).toBeUndefined();
    expect(body.data.parties).toHaveLength(120);
    // MAPI knows these under 0208: one read each, the other spelling adds none.
    const reads = stack.mapi.server.calls('GET /parties/:id');
    expect(new Set(reads.map((c) => c.path)).size).toBe(reads.length);
    expect(reads.length).toBe(60);
    expect(stack.mapi.server.peakInFlight('GET /parties/:id')).toBeLessThanOrEqual(8);
    // CodaBox is asked each company once too (by enterprise number), not once per spelling.
    expect(stack.codabox.server.calls('GET /search/clients/').length).toBeLessThanOrEqual(60);
    expect(body.data.parties[0]).toEqual(body.data.parties[60]);
  });

  it('refuses an invalid enterprise number, saying which rule it breaks', async () => {
    const { body } = await stack.gql('{ party(identifier: "0840559538") { id } }');
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toContain('check digits');
  });
});

describe('payments(filter)', () => {
  const PAYMENTS = 'query($f: PaymentFilter, $after: String) { payments(filter: $f, first: 5, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id amount { amount } date statementNumber sequenceNumber communication } } } }';

  it("lists the movements of a feed's statements in delivery order, each once, across pages that end inside a statement", async () => {
    const ids: string[] = [];
    const dates: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const { body }: { body: any } = await stack.gql(PAYMENTS, { f: { feedId: FEED_889 }, after });
      expect(body.errors).toBeUndefined();
      for (const e of body.data.payments.edges) {
        ids.push(e.node.id);
        dates.push(e.node.date);
      }
      if (!body.data.payments.pageInfo.hasNextPage) break;
      after = body.data.payments.pageInfo.endCursor;
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Feed 889's statements hold 12 + 1 + 4 movements (the document's example 1 among them), and those a test delivered.
    const delivered = stack.codabox.data.feeds.get(889)!.download.filter((e) => e.document_model === 'coda').reduce((n, e) => n + Number(e.metadata.movement_count), 0);
    expect(ids.length).toBe(delivered);
    expect(dates.slice(0, 13).every((d) => d === '2016-03-10')).toBe(true);
  });

  it('reads the classic CODA file when the connection may not download CODA+, with the same movements', async () => {
    const q = '{ payments(filter: { feedId: "' + FEED_889 + '", since: "2015-10-17", until: "2015-10-19" }, first: 50) { edges { node { amount { amount } communication statementNumber sequenceNumber } } } }';
    const viaXml = await stack.gql(q);
    stack.codabox.allowFormats('fiduciary', 'coda', ['cod', 'pdf']);
    stack.codabox.server.resetCalls();
    try {
      const viaCoda = await stack.gql(q);
      expect(viaCoda.body.errors).toBeUndefined();
      expect(viaCoda.body.data.payments.edges.map((e: any) => e.node.amount.amount)).toEqual(viaXml.body.data.payments.edges.map((e: any) => e.node.amount.amount));
      expect(viaCoda.body.data.payments.edges).toHaveLength(4);
      expect(stack.codabox.server.calls().some((c) => c.path.includes('/cod/'))).toBe(true);
      expect(stack.codabox.server.calls().some((c) => c.path.includes('/xml/'))).toBe(false);
    } finally {
      stack.codabox.allowFormats('fiduciary', 'coda', ['cod', 'pdf', 'xml']);
    }
  });
});

describe('bank statements reconciled with open Informat invoices, exactly once', () => {
  const MATCHES = 'query($feed: ID!) { paymentMatches(feedId: $feed, accessGroup: "' + AG + '") { id confidence reason applied payment { amount { amount } paymentReference { raw } } invoice { id open { amount } } } }';
  const APPLY = 'mutation($ids: [ID!]!, $key: String!) { applyPaymentMatches(input: { matchIds: $ids, idempotencyKey: $key }) { applied { id applied invoice { id open { amount } } } userErrors { code message field } } }';

  it('proposes the matches of a delivered CODA statement, registers each payment once however often it is applied, and the open amounts drop', async () => {
    // Three open invoices of this school year, paid by a statement the bank delivers through CodaBox.
    const { body: open } = await stack.gql(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "${YEAR}", openOnly: true, kind: INVOICE }, first: 3) { edges { node { id open { amount } paymentReference { raw formatted } } } } }`);
    const invoices = open.data.invoices.edges.map((e: any) => e.node);
    expect(invoices).toHaveLength(3);
    const half = (Number(invoices[2].open.amount) / 2).toFixed(2);
    stack.codabox.deliverStatement(889, {
      iban: 'BE68539007547034',
      date: new Date().toISOString().slice(0, 10),
      statement: 77,
      movements: [
        { amount: invoices[0].open.amount, name: 'Ouder Een', account: 'BE71096123456769', communication: invoices[0].paymentReference.formatted },
        { amount: invoices[1].open.amount, name: 'Ouder Twee', account: 'BE71096123456769', communication: invoices[1].paymentReference.formatted },
        // Half of the third, its reference in free text.
        { amount: half, name: 'Ouder Drie', account: 'BE71096123456769', communication: `schoolrekening ${invoices[2].paymentReference.formatted.replace(/\+/g, '')}` },
      ],
    });

    const { body } = await stack.gql(MATCHES, { feed: FEED_889 });
    expect(body.errors).toBeUndefined();
    const ours = body.data.paymentMatches.filter((m: any) => invoices.some((i: any) => i.id === m.invoice?.id));
    expect(ours.map((m: any) => [m.invoice.id, m.confidence, m.applied])).toEqual([
      [invoices[0].id, 1, false],
      [invoices[1].id, 1, false],
      [invoices[2].id, 0.9, false],
    ]);
    expect(ours[2].reason).toContain('partial payment');

    stack.sandbox.api.resetCalls();
    const ids = ours.map((m: any) => m.id);
    // Twice with one key, once with another key, and twice at the same time: each movement registered once.
    const first = await stack.gql(APPLY, { ids, key: 'statement-77' });
    expect(first.body.data.applyPaymentMatches.userErrors).toEqual([]);
    expect(first.body.data.applyPaymentMatches.applied).toHaveLength(3);
    await stack.gql(APPLY, { ids, key: 'statement-77' });
    await stack.gql(APPLY, { ids, key: 'statement-77-again' });
    await Promise.all([stack.gql(APPLY, { ids, key: 'race-a' }), stack.gql(APPLY, { ids, key: 'race-b' })]);
    expect(stack.sandbox.api.calls(INFORMAT_PAYMENTS)).toHaveLength(3);

    const after = await stack.gql('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Invoice { id open { amount } payments { kind amount { amount } statementNumber invoice { id } } } } }', { ids: invoices.map((i: any) => i.id) });
    const [a, b, c] = after.body.data.nodes;
    expect(Number(a.open.amount)).toBe(0);
    expect(Number(b.open.amount)).toBe(0);
    expect(Number(c.open.amount)).toBeCloseTo(Number(invoices[2].open.amount) - Number(half), 2);
    expect(c.payments).toEqual([{ kind: 'BANK_TRANSACTION', amount: { amount: half }, statementNumber: 77, invoice: { id: c.id } }]);

    // Asked again, the movements are shown as applied, not proposed anew.
    const again = await stack.gql(MATCHES, { feed: FEED_889 });
    const mine = again.body.data.paymentMatches.filter((m: any) => invoices.some((i: any) => i.id === m.invoice?.id));
    expect(mine.map((m: any) => m.applied)).toEqual([true, true, true]);
  });

  it('refuses a movement already registered on another invoice, and a forged match ID', async () => {
    const { body } = await stack.gql(MATCHES, { feed: FEED_889 });
    const applied = body.data.paymentMatches.find((m: any) => m.applied);
    const other = body.data.paymentMatches.find((m: any) => !m.applied && m.invoice && m.invoice.id !== applied.invoice.id);
    expect(applied).toBeDefined();
    const [paymentId] = JSON.parse(Buffer.from(applied.id.slice(3), 'base64url').toString('utf8'));
    const otherInvoice = other?.invoice.id ?? JSON.parse(Buffer.from(body.data.paymentMatches.at(-1).id.slice(3), 'base64url').toString('utf8'))[1];
    const forgedPair = `pm_${Buffer.from(JSON.stringify([paymentId, otherInvoice])).toString('base64url')}`;
    stack.sandbox.api.resetCalls();
    const r = await stack.gql(APPLY, { ids: [forgedPair, 'pm_nonsense'], key: 'forged' });
    expect(r.body.data.applyPaymentMatches.userErrors.map((e: any) => [e.code, e.field])).toEqual([
      ['ALREADY_APPLIED', ['input', 'matchIds', '0']],
      ['INVALID_ID', ['input', 'matchIds', '1']],
    ]);
    expect(stack.sandbox.api.calls(INFORMAT_PAYMENTS)).toHaveLength(0);
  });
});
