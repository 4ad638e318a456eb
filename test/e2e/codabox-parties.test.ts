import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack.close());

const SEARCH = 'query($q: String, $first: Int, $after: String) { searchParties(query: $q, source: CODABOX, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name enterpriseNumber vatNumber sources } } } }';

describe('CodaBox parties', () => {
  it('pages through all clients with first/after, each exactly once', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 10; i++) {
      const { body }: { body: any } = await stack.gql(SEARCH, { first: 150, after });
      expect(body.errors).toBeUndefined();
      total = body.data.searchParties.totalCount;
      for (const e of body.data.searchParties.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
      }
      if (!body.data.searchParties.pageInfo.hasNextPage) break;
      after = body.data.searchParties.pageInfo.endCursor;
    }
    expect(total).toBe(stack.codabox.clients.length);
    expect(seen.size).toBe(stack.codabox.clients.length);
    for (const c of stack.codabox.server.calls('GET /search/clients/')) expect(Number(new URL(c.path, 'http://x').searchParams.get('limit'))).toBeLessThanOrEqual(150);
  });

  it('finds a client by name and shows its bank accounts and address from its details', async () => {
    const { body } = await stack.gql('{ searchParties(query: "client x", source: CODABOX) { totalCount edges { node { name enterpriseNumber vatNumber identifiers { iso6523 } bankAccounts { iban bic currency type } address { city postalCode lines } sources } } } }');
    expect(body.data.searchParties.totalCount).toBe(1);
    expect(body.data.searchParties.edges[0].node).toEqual({
      name: 'Client X', enterpriseNumber: '0840559537', vatNumber: 'BE0840559537',
      identifiers: [{ iso6523: '0208:0840559537' }, { iso6523: '9925:BE0840559537' }],
      bankAccounts: [
        { iban: 'BE20977000017931', bic: 'CDBXBE33', currency: null, type: 'current' },
        { iban: 'BE46977000017948', bic: 'CDBXBE33', currency: 'USD', type: 'savings' },
      ],
      address: { city: 'Gent', postalCode: '9000', lines: ['Kortrijksesteenweg 1', '9000 Gent'] },
      sources: ['CODABOX', 'IBANITY'],
    });
  });

  it('finds a CodaBox client by enterprise number in any usual spelling', async () => {
    const ids = new Set<string>();
    for (const id of ['BE0840559537', 'BE 0840.559.537', '0840.559.537', '840559537', '0208:0840559537', '9925:BE0840559537', '9925:be0840559537']) {
      const { body } = await stack.gql('query($id: String!) { party(identifier: $id) { id name sources bankAccounts { iban } } }', { id });
      expect(body.errors).toBeUndefined();
      const { id: partyId, ...rest } = body.data.party;
      ids.add(partyId);
      // Ibanity (its supplier, the test receiver) and CodaBox (client X) know the company: Ibanity's word
      // counts first (PARTY_AUTHORITY), so the merged party has its name and accounts.
      expect(rest).toEqual({ name: 'Peppol Test Receiver NV', sources: ['CODABOX', 'IBANITY'], bankAccounts: [{ iban: 'BE68539007547034' }] });
    }
    // One company, one ID, whatever the spelling.
    expect(ids.size).toBe(1);
  });

  it('searches by enterprise number in any spelling', async () => {
    for (const query of ['0840.559.537', 'BE0840559537', '0840 559 537']) {
      const { body } = await stack.gql('query($q: String!) { searchParties(query: $q, source: CODABOX) { totalCount edges { node { name } } } }', { q: query });
      expect(body.data.searchParties).toEqual({ totalCount: 1, edges: [{ node: { name: 'Client X' } }] });
    }
  });

  it('finds a CodaBox fiduciary by its enterprise number too', async () => {
    const { body } = await stack.gql('{ party(identifier: "BE0010013269") { name email sources address { city postalCode } bankAccounts { iban } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.party).toEqual({ name: 'fiduciary 1', email: 'contact@fiduciary1.com', sources: ['CODABOX'], address: { city: 'Bruxelles', postalCode: '1000' }, bankAccounts: [] });
  });

  it('refuses a cursor of another search', async () => {
    const first = await stack.gql(SEARCH, { q: 'a', first: 2 });
    const other = await stack.gql(SEARCH, { q: 'b', first: 2, after: first.body.data.searchParties.pageInfo.endCursor });
    expect(other.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['after'] });
  });
});

describe('several configured CodaBox connections', () => {
  let multi: Stack;
  beforeAll(async () => {
    // An accountant's connection from CODABOX_USERNAME and an invoicing client's from CODABOX_CONNECTIONS.
    multi = await startStack({ env: {} });
    await multi.restart({ CODABOX_CONNECTIONS: JSON.stringify([{ name: 'shop', softwareKey: multi.codabox.softwareKey, username: 'invoicing', password: 'invoicing-sandbox-secret' }]) });
  });
  afterAll(async () => multi.close());

  it('serves each connection with its own credentials: the accountant sees three feeds, the shop one, CODA only', async () => {
    const { body } = await multi.gql('{ feeds { id name entries(first: 50) { edges { node { model } } } } }');
    expect(body.errors).toBeUndefined();
    const byConnection = (name: string) => body.data.feeds.filter((f: any) => Buffer.from(f.id, 'base64url').toString().split(':')[2] === name);
    expect(byConnection('codabox').map((f: any) => f.name)).toEqual(['Client 1', 'Client 2', 'Client 3']);
    expect(byConnection('shop').map((f: any) => f.name)).toEqual(['Client 1']);
    expect(new Set(byConnection('shop')[0].entries.edges.map((e: any) => e.node.model))).toEqual(new Set(['CODA']));
    expect(new Set(byConnection('codabox')[0].entries.edges.map((e: any) => e.node.model)).size).toBeGreaterThan(1);
  });
});
