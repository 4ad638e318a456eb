import { decodeGlobalId } from '../src/domain/globalId.js';
import type { Resolvers } from '../src/generated/graphql.js';
import type { GatewayContext } from '../src/context.js';
import type { GraphQLResolveInfo } from 'graphql';
import { listConnections } from '../src/sources/registry.js';
import { usableConnections } from '../src/auth/access.js';
import { getMessage } from '../src/services/messages.js';
import { getInvoice, getInvoiceGroup } from '../src/services/invoices.js';
import { selectionTree } from './selection.js';
import { getParty } from '../src/services/parties.js';
import { getFeed, getFeedEntry } from '../src/services/feeds.js';
import { settle } from '../src/loaders/batching.js';

async function node(ctx: GatewayContext, id: string, info: GraphQLResolveInfo) {
  const gid = decodeGlobalId(id);
  if (!gid) return null;
  switch (gid.type) {
    case 'Invoice':
      return getInvoice(ctx, gid, selectionTree(info));
    case 'InvoiceGroup':
      return getInvoiceGroup(ctx, gid);
    // A record of a connection the caller may not use is null with a FORBIDDEN error.
    case 'Message':
      return getMessage(ctx, gid);
    case 'Feed':
      return getFeed(ctx, gid);
    case 'FeedEntry':
      return getFeedEntry(ctx, gid);
    case 'Party':
      return getParty(ctx, gid);
    default:
      // Payments registered through the gateway and the other sources' types are not fetchable by ID yet.
      return null;
  }
}

export const nodeResolvers: Resolvers = {
  Node: {
    // Every node's ID says its type, so the ID decides and models need no type tag.
    __resolveType: (obj) => {
      const type = decodeGlobalId((obj as { id: string }).id)?.type;
      return type === 'Invoice' || type === 'InvoiceGroup' || type === 'Payment' || type === 'Party' || type === 'Message' || type === 'Feed' || type === 'FeedEntry' ? type : null;
    },
  },
  Query: {
    node: (_p, { id }, ctx, info) => node(ctx, id, info),
    // One failing ID becomes null with its own error; the others still resolve.
    nodes: (_p, { ids }, ctx, info) => Promise.all(ids.map((id) => settle(node(ctx, id, info)))) as never,
    connections: (_p, _a, ctx) => listConnections(ctx.upstreams).filter((c) => usableConnections(ctx.caller, ctx.upstreams, c.source).includes(c.name)),
  },
};
