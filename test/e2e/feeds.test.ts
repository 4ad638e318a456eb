import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { feedId } from '../../src/sources/codabox/index.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack.close());

const ENTRIES = /* GraphQL */ `
  query($id: ID!, $kind: FeedKind, $first: Int, $after: String) { feed(id: $id) { name entries(kind: $kind, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind model files { name folder format contentType url }
      details {
        __typename
        ... on BankStatement { iban bic currency firstStatementNumber lastStatementNumber newBalanceDate movementCount extensionZone }
        ... on SocialDocument { vatNumber socialWelfareId fileCounter accountingPeriod creationDate }
        ... on Invoice { source direction kind number issueDate dueDate total { amount currency } paymentReference { raw structured } seller { name bankAccounts { iban bic } } }
      } } } } } }`;

describe('feeds', () => {
  it('lists the pod-client\'s feed clients', async () => {
    const { body } = await stack.gql('{ feeds { id name source client { name sources } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.feeds.map((f: any) => f.name)).toEqual(['Client 1', 'Client 2', 'Client 3']);
    expect(body.data.feeds[0]).toMatchObject({ id: feedId('codabox', 889), source: 'CODABOX', client: { name: 'Client 1', sources: ['CODABOX'] } });
    expect((await stack.gql('{ feeds(source: INFORMAT) { id } }')).body.data.feeds).toEqual([]);
  });

  it('shows the documented feed of client 889 with its details and CodaBox file names', async () => {
    const { body } = await stack.gql(ENTRIES, { id: feedId('codabox', 889), first: 10 });
    expect(body.errors).toBeUndefined();
    const nodes = body.data.feed.entries.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.model)).toEqual(['CODA', 'CODA', 'SODA', 'PURCHASE_INVOICE', 'SALES_INVOICE', 'CODA', 'PURCHASE_INVOICE']);
    const [coda, , soda, purchase, sales, , pdfOnly] = nodes;
    expect(coda.details).toEqual({
      __typename: 'BankStatement', iban: 'BE32974000031203', bic: 'CDBXBE33', currency: 'EUR', firstStatementNumber: 1, lastStatementNumber: 1,
      newBalanceDate: '2016-03-10', movementCount: 12, extensionZone: '035',
    });
    expect(coda.files.map((f: any) => [f.name, f.folder, f.contentType])).toEqual([
      ['2016-001-BE32974000031203-160310.cod', '/CLIENT1/2016/BE32974000031203/', 'text/plain'],
      ['2016-001-BE32974000031203-160310.pdf', '/CLIENT1/2016/BE32974000031203/pdf/', 'application/pdf'],
      ['2016-001-BE32974000031203-160310.xml', '/CLIENT1/2016/BE32974000031203/', 'application/xml'],
    ]);
    expect(soda.details).toEqual({ __typename: 'SocialDocument', vatNumber: 'BE0010021583', socialWelfareId: 'group_s', fileCounter: '0001', accountingPeriod: '201508', creationDate: '2015-10-23' });
    expect(soda.files.map((f: any) => f.name)).toEqual(['0001-soda-group_s-BE0010021583-201508-20151023.pdf', '0001-soda-group_s-BE0010021583-201508-20151023.xml']);
    expect(purchase.details).toEqual({
      __typename: 'Invoice', source: 'CODABOX', direction: 'INBOUND', kind: 'INVOICE', number: 'FACT20151029', issueDate: '2015-10-29', dueDate: '2015-11-30',
      total: { amount: '299.60', currency: 'EUR' }, paymentReference: { raw: '15700004', structured: false },
      seller: { name: 'tresfase', bankAccounts: [{ iban: 'BE03974000000103', bic: 'CDBXBE33' }] },
    });
    expect(purchase.files.map((f: any) => [f.name, f.folder])).toEqual([
      ['2015-00000003-tresfase.pdf', '/CLIENT1/2015/Invoices-IN-01/pdf/'],
      ['2015-00000003-tresfase.xml', '/CLIENT1/2015/Invoices-IN-01/'],
    ]);
    expect(sales.details).toMatchObject({ __typename: 'Invoice', direction: 'OUTBOUND', number: 'FACT-1600002', total: { amount: '200.00' } });
    expect(sales.files.map((f: any) => [f.name, f.folder])).toEqual([
      ['2016-00000002-FACT-1600002.pdf', '/CLIENT1/2016/Invoices-OUT-01-folder2/pdf/'],
      ['2016-00000002-FACT-1600002.xml', '/CLIENT1/2016/Invoices-OUT-01-folder2/'],
    ]);
    // A purchase invoice that came as a PDF has no xml to offer.
    expect(pdfOnly.files.map((f: any) => f.format)).toEqual(['pdf']);
  });

  it('reads the four payments of CODA+ example 1 from the statement', async () => {
    const { body } = await stack.gql('query($id: ID!) { feed(id: $id) { entries(first: 10) { edges { node { details { ... on BankStatement { iban payments { source kind amount { amount currency } date communication counterparty { name iban } statementNumber sequenceNumber } } } } } } } }', { id: feedId('codabox', 889) });
    const statement = body.data.feed.entries.edges.map((e: any) => e.node.details).find((d: any) => d.iban === 'BE27974000004133');
    expect(statement.payments.map((p: any) => [p.amount.amount, p.communication, p.counterparty.name])).toEqual([
      ['99.99', 'Facture20151010', "François l'embrouille"],
      ['2377.65', 'Facture20151012', 'My company SA'],
      ['1349.15', 'Facture20151013', 'Codabox SA'],
      ['13.34', 'Facture20151014', 'Codabox SA'],
    ]);
    expect(statement.payments[0]).toMatchObject({ source: 'CODABOX', kind: 'BANK_TRANSACTION', date: '2015-10-17', counterparty: { iban: 'BE05977000008210' } });
    expect(statement.payments.map((p: any) => [p.statementNumber, p.sequenceNumber])).toEqual([[201, 1], [201, 2], [202, 1], [203, 1]]);
  });

  it('gives every generated statement its movements, and balances that add up', async () => {
    const { body } = await stack.gql('query($id: ID!) { feed(id: $id) { entries(first: 40) { edges { node { details { ... on BankStatement { movementCount payments { amount { amount } communication paymentReference { structured } } } } } } } } }', { id: feedId('codabox', 890) });
    expect(body.errors).toBeUndefined();
    const statements = body.data.feed.entries.edges.map((e: any) => e.node.details).filter((d: any) => d.payments);
    expect(statements.length).toBeGreaterThan(5);
    for (const s of statements) expect(s.payments.length).toBe(s.movementCount);
    // Some movements carry a structured communication (OGM), as Belgian transfers do.
    expect(statements.flatMap((s: any) => s.payments).some((p: any) => p.paymentReference?.structured)).toBe(true);
  });

  it('streams files through signed gateway URLs with CodaBox\'s content type', async () => {
    const { body } = await stack.gql(ENTRIES, { id: feedId('codabox', 889), first: 1 });
    const cod = body.data.feed.entries.edges[0].node.files[0];
    const res = await fetch(cod.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('2016-001-BE32974000031203-160310.cod');
    const text = Buffer.from(await res.arrayBuffer()).toString('latin1');
    for (const line of text.split('\r\n').filter(Boolean)) expect(line).toHaveLength(128);
  });

  it('pages through a long feed with first/after, each entry exactly once', async () => {
    const expected = stack.codabox.data.feeds.get(890)!.download.length;
    const seen = new Set<string>();
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const { body }: { body: any } = await stack.gql('query($id: ID!, $after: String) { feed(id: $id) { entries(first: 70, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }', { id: feedId('codabox', 890), after });
      for (const e of body.data.feed.entries.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
      }
      expect(body.data.feed.entries.totalCount).toBe(expected);
      if (!body.data.feed.entries.pageInfo.hasNextPage) break;
      after = body.data.feed.entries.pageInfo.endCursor;
    }
    expect(seen.size).toBe(expected);
  });

  it('shows the redownload feed', async () => {
    const { body } = await stack.gql(ENTRIES, { id: feedId('codabox', 889), kind: 'REDOWNLOAD' });
    expect(body.data.feed.entries.edges.map((e: any) => [e.node.kind, e.node.details.firstStatementNumber])).toEqual([['REDOWNLOAD', 2]]);
  });

  it('acknowledges entries: they and the ones before them leave the feed', async () => {
    const id = feedId('codabox', 891);
    const before = (await stack.gql(ENTRIES, { id, first: 5 })).body.data.feed.entries;
    const upTo = before.edges[2].node.id;
    const { body } = await stack.gql('mutation($i: AcknowledgeFeedEntriesInput!) { acknowledgeFeedEntries(input: $i) { userErrors { code } feed { entries { totalCount edges { node { id } } } } } }', { i: { feedId: id, upTo } });
    expect(body.data.acknowledgeFeedEntries.userErrors).toEqual([]);
    const after = body.data.acknowledgeFeedEntries.feed.entries;
    expect(after.totalCount).toBe(before.totalCount - 3);
    expect(after.edges[0].node.id).toBe(before.edges[3].node.id);
    const put = stack.codabox.server.calls('PUT /delivery/feed/:id/');
    expect(JSON.parse(put.at(-1)!.body)).toEqual({ feed_offset: Buffer.from(upTo, 'base64url').toString().split('/').at(-1) });

    // A client retrying the same acknowledgement succeeds, and CodaBox is not asked again.
    const ACK = 'mutation($i: AcknowledgeFeedEntriesInput!) { acknowledgeFeedEntries(input: $i) { userErrors { code message } feed { entries { totalCount } } } }';
    const again = await stack.gql(ACK, { i: { feedId: id, upTo } });
    expect(again.body.data.acknowledgeFeedEntries).toEqual({ userErrors: [], feed: { entries: { totalCount: after.totalCount } } });
    expect(stack.codabox.server.calls('PUT /delivery/feed/:id/')).toHaveLength(put.length);
    // An offset the feed never had is still refused, in CodaBox's words.
    const never = await stack.gql(ACK, { i: { feedId: id, upTo: '00000000-0000-4000-8000-000000000000' } });
    expect(never.body.data.acknowledgeFeedEntries.userErrors[0]).toMatchObject({ code: 'OFFSET_NOT_IN_FEED', message: "Offset should be part of the feed's feed entries" });
  });

  it('reads a feed from CodaBox once per request, however many entries and pages ask for it', async () => {
    const id = feedId('codabox', 890);
    const ids = (await stack.gql(ENTRIES, { id, first: 6 })).body.data.feed.entries.edges.map((e: any) => e.node.id);
    const before = stack.codabox.server.calls('GET /delivery/feed/:id/').length;
    const { body } = await stack.gql('query($id: ID!, $ids: [ID!]!) { feed(id: $id) { a: entries(first: 2) { totalCount } b: entries(first: 3) { totalCount } } nodes(ids: $ids) { id } }', { id, ids });
    expect(body.errors).toBeUndefined();
    expect(body.data.nodes.map((n: any) => n.id)).toEqual(ids);
    expect(stack.codabox.server.calls('GET /delivery/feed/:id/').length - before).toBe(1);
  });

  it('reads the feed afresh after acknowledging within the same operation', async () => {
    const id = feedId('codabox', 891);
    const edges = (await stack.gql(ENTRIES, { id, first: 2 })).body.data.feed.entries.edges;
    expect(edges).toHaveLength(2);
    const ACK = `mutation($id: ID!, $u1: ID!, $u2: ID!) {
      a: acknowledgeFeedEntries(input: { feedId: $id, upTo: $u1 }) { userErrors { code } feed { entries { totalCount } } }
      b: acknowledgeFeedEntries(input: { feedId: $id, upTo: $u2 }) { userErrors { code } feed { entries { totalCount } } } }`;
    const { body } = await stack.gql(ACK, { id, u1: edges[0].node.id, u2: edges[1].node.id });
    expect([body.data.a.userErrors, body.data.b.userErrors]).toEqual([[], []]);
    expect(body.data.b.feed.entries.totalCount).toBe(body.data.a.feed.entries.totalCount - 1);
  });

  it('never calls CodaBox without the trailing slash (no redirect can turn a PUT into a GET)', async () => {
    expect(stack.codabox.server.calls().length).toBeGreaterThan(0);
    expect(stack.codabox.server.calls('(pre-route)')).toHaveLength(0);
    for (const c of stack.codabox.server.calls()) expect(c.path.split('?')[0]!.endsWith('/')).toBe(true);
  });
});
