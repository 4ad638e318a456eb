import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../src/services/nodes.js';
import { AG, invoiceGid, startStack, type Stack } from '../helpers/stack.js';
import { feedId } from '../../src/sources/codabox/index.js';

/**
 * node(id) resolves every Node type the schema has, from every source that hands one out: each ID is
 * taken from a real query, fetched back with node(id), and must come back as the same object.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const typeOf = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':').slice(0, 2).join(':');

describe('node(id) round trips', () => {
  it('fetches back an object of every Node type, from every source', async () => {
    const ids = new Set<string>();
    const add = (id: string | null | undefined) => id && ids.add(id);

    // Informat: an invoice group and an invoice; a payment registered through the gateway.
    const groups = await stack.gql(`{ invoiceGroups(accessGroup: "${AG}", schoolYear: "2020-21") { id invoices(first: 1) { edges { node { id } } } } }`);
    add(groups.body.data.invoiceGroups[0].id);
    add(groups.body.data.invoiceGroups[0].invoices.edges[0].node.id);
    const paid = await stack.gql('mutation($id: ID!) { registerPayment(input: { invoiceId: $id, amount: "1.00", date: "2024-03-01", idempotencyKey: "node-roundtrip" }) { payment { id } userErrors { code } } }', { id: invoiceGid() });
    expect(paid.body.data.registerPayment.userErrors).toEqual([]);
    add(paid.body.data.registerPayment.payment.id);

    // MAPI: a message, the invoice it carries, a party.
    const msgs = await stack.gql('{ messages(filter: { direction: OUTBOUND, documentType: INVOICE }, first: 20) { edges { node { id invoice { id } receiver { id } } } } }');
    const withInvoice = msgs.body.data.messages.edges.map((e: any) => e.node).find((n: any) => n.invoice);
    add(withInvoice.id);
    add(withInvoice.invoice.id);
    add((await stack.gql('{ party(identifier: "KT:2222228899") { id } }')).body.data.party.id);

    // CodaBox: a feed, its entries, a feed invoice, a statement movement, a client party from a search.
    const feed = await stack.gql('query($id: ID!) { feed(id: $id) { id entries(first: 10) { edges { node { id details { ... on Invoice { id } ... on BankStatement { payments { id } } } } } } } }', { id: feedId('codabox', 889) });
    add(feed.body.data.feed.id);
    for (const e of feed.body.data.feed.entries.edges) {
      add(e.node.id);
      add(e.node.details.id);
      add(e.node.details.payments?.[0]?.id);
    }
    add((await stack.gql('{ searchParties(query: "Client X") { edges { node { id } } } }')).body.data.searchParties.edges[0].node.id);

    // Ibanity: a supplier, a received document and the invoice it carries.
    const suppliers = await stack.gql('{ peppolSuppliers(connection: "ibanity", first: 3) { edges { node { id } } } }');
    add(suppliers.body.data.peppolSuppliers.edges[0].node.id);
    const inbound = await stack.gql('{ messages(filter: { source: IBANITY, direction: INBOUND }, connection: "ibanity-receiver", first: 1) { edges { node { id invoice { id } } } } }', {}, {});
    expect(inbound.body.errors).toBeUndefined();
    add(inbound.body.data.messages.edges[0]?.node.id);
    add(inbound.body.data.messages.edges[0]?.node.invoice?.id);

    const kinds = new Set([...ids].map(typeOf));
    for (const t of NODE_TYPES) expect([...kinds].some((k) => k.startsWith(`${t}:`)), `an ID of type ${t}`).toBe(true);
    for (const source of ['INFORMAT', 'MAPI', 'CODABOX', 'IBANITY']) expect([...kinds].some((k) => k.endsWith(`:${source}`)), `an ID from ${source}`).toBe(true);

    const list = [...ids];
    const { body } = await stack.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }', { ids: list });
    expect(body.errors).toBeUndefined();
    expect(body.data.nodes.map((n: any) => n?.id)).toEqual(list);
    expect(body.data.nodes.map((n: any) => n.__typename)).toEqual(list.map((id) => typeOf(id).split(':')[0]));
    expect(kinds.size).toBeGreaterThanOrEqual(9);
  });

  it('a registered payment is its caller\'s: another caller gets null', async () => {
    await stack.restart({ API_KEYS: 'a:aaaaaaaaaaaaaaaaaaaa,b:bbbbbbbbbbbbbbbbbbbb' });
    const pay = await stack.gql('mutation($id: ID!) { registerPayment(input: { invoiceId: $id, amount: "1.00", date: "2024-03-02", idempotencyKey: "mine" }) { payment { id amount { amount } } } }', { id: invoiceGid() }, { authorization: 'Bearer aaaaaaaaaaaaaaaaaaaa' });
    const id = pay.body.data.registerPayment.payment.id;
    const q = 'query($id: ID!) { node(id: $id) { ... on Payment { id amount { amount } invoice { id } } } }';
    expect((await stack.gql(q, { id }, { authorization: 'Bearer aaaaaaaaaaaaaaaaaaaa' })).body.data.node).toMatchObject({ id, amount: { amount: '1.00' }, invoice: { id: invoiceGid() } });
    expect((await stack.gql(q, { id }, { authorization: 'Bearer bbbbbbbbbbbbbbbbbbbb' })).body.data.node).toBeNull();
    await stack.restart();
  });
});
