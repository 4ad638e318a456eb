import { composeServices } from '@apollo/composition';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AG, invoiceGid, startStack, type Stack } from '../helpers/stack.js';

/**
 * The gateway as an Apollo Federation v2 subgraph: composed with a second small subgraph that
 * extends Invoice with a field, run as a supergraph by @apollo/gateway, and asked queries that need
 * both subgraphs.
 */

const APPROVALS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  "An invoice, as the approvals service knows it: by the e-invoicing gateway's ID."
  type Invoice @key(fields: "id") {
    id: ID!
    "Where the invoice is in the approval flow."
    approvalStatus: String!
  }

  type Query {
    "Invoices somebody still has to approve."
    invoicesAwaitingApproval: [Invoice!]!
  }
`;

let stack: Stack;
let approvals: { server: ApolloServer; url: string; entityCalls: number[] };
let supergraph: { server: ApolloServer; url: string };
let gatewaySdl: string;
const awaiting = [invoiceGid()];

async function ask(query: string): Promise<any> {
  const res = await fetch(supergraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return res.json();
}

beforeAll(async () => {
  stack = await startStack();
  const entityCalls: number[] = [];
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(APPROVALS_SDL),
      resolvers: {
        Query: { invoicesAwaitingApproval: () => awaiting.map((id) => ({ id, approvalStatus: 'PENDING' })) },
        Invoice: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, approvalStatus: ref.id.length % 2 ? 'APPROVED' : 'PENDING' }) },
      } as never,
    }),
    plugins: [
      {
        async requestDidStart({ request }) {
          // How many representations each _entities request carried.
          if (request.query?.includes('_entities')) entityCalls.push((request.variables?.representations as unknown[]).length);
        },
      },
    ],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  approvals = { server, url, entityCalls };

  gatewaySdl = (await stack.gql('{ _service { sdl } }')).body.data._service.sdl;
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs: [{ name: 'einvoicing', url: `${stack.gateway.url}/graphql` }, { name: 'approvals', url }] }),
    buildService: ({ url: u }) => new RemoteGraphQLDataSource({ url: u }),
  });
  const router = new ApolloServer({ gateway });
  const started = await startStandaloneServer(router, { listen: { port: 0, host: '127.0.0.1' } });
  supergraph = { server: router, url: started.url };
}, 60_000);

afterAll(async () => {
  await supergraph?.server.stop();
  await approvals?.server.stop();
  await stack?.close();
});

describe('Apollo Federation v2 subgraph', () => {
  it('serves _service { sdl } with an entity key on every Node type, and composes with a second subgraph that extends Invoice', () => {
    for (const type of ['Invoice', 'InvoiceGroup', 'Payment', 'Party', 'Message', 'Feed', 'FeedEntry', 'PeppolSupplier']) {
      expect(gatewaySdl).toMatch(new RegExp(`type ${type}[^{]*@key\\(fields: "id"\\)`));
    }
    const composed = composeServices([
      { name: 'einvoicing', typeDefs: parse(gatewaySdl), url: `${stack.gateway.url}/graphql` },
      { name: 'approvals', typeDefs: parse(APPROVALS_SDL), url: approvals.url },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    expect(composed.supergraphSdl).toContain('approvalStatus');
  });

  it('resolves a page of invoices with a field of the other subgraph, in one _entities call for the page', async () => {
    approvals.entityCalls.length = 0;
    const r = await ask(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 10) { edges { node { id total { amount } approvalStatus } } } }`);
    expect(r.errors).toBeUndefined();
    const nodes = r.data.invoices.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(10);
    expect(nodes.every((n: any) => ['APPROVED', 'PENDING'].includes(n.approvalStatus) && n.total.amount)).toBe(true);
    expect(approvals.entityCalls).toEqual([10]);
  });

  it("resolves the other subgraph's references to invoices through the gateway's own loaders: one _entities call, one Informat request", async () => {
    const page = await stack.gql(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2021-22" }, first: 5) { edges { node { id } } } }`);
    awaiting.splice(0, awaiting.length, invoiceGid(), ...page.body.data.invoices.edges.map((e: any) => e.node.id));
    stack.sandbox.api.resetCalls();
    const r = await ask('{ invoicesAwaitingApproval { id approvalStatus total { amount } recipient { firstName } } }');
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    expect(r.data.invoicesAwaitingApproval).toHaveLength(6);
    expect(r.data.invoicesAwaitingApproval.map((i: any) => i.id)).toEqual(awaiting);
    expect(r.data.invoicesAwaitingApproval.every((i: any) => i.total.amount && i.recipient.firstName)).toBe(true);
    // Six references, two school years: still one Informat request (the gateway's per-request invoice loader).
    expect(stack.sandbox.api.calls('POST /graphql')).toHaveLength(1);
  });

  it('answers null for a key that names nothing or another type, like node(id)', async () => {
    const r = await stack.gql('query($r: [_Any!]!) { _entities(representations: $r) { ... on Invoice { id } } }', {
      r: [
        { __typename: 'Invoice', id: 'bm90LWFuLWlk' },
        { __typename: 'Invoice', id: invoiceGid() },
      ],
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities).toEqual([null, { id: invoiceGid() }]);
  });
});
