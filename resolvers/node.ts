import { decodeGlobalId } from '../src/domain/globalId.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { settle } from '../src/loaders/batching.js';
import { listConnections } from '../src/sources/registry.js';
import { usableConnections } from '../src/auth/access.js';
import { getNode } from '../src/services/nodes.js';
import { selectionTree } from './selection.js';

export const nodeResolvers: Resolvers = {
  Node: {
    // Every node's ID says its type, so the ID decides and models need no type tag.
    __resolveType: (obj) => decodeGlobalId((obj as { id: string }).id)?.type ?? null,
  },
  Query: {
    node: (_p, { id }, ctx, info) => getNode(ctx, id, selectionTree(info)) as never,
    // One failing ID becomes null with its own error; the others still resolve.
    nodes: (_p, { ids }, ctx, info) => Promise.all(ids.map((id) => settle(getNode(ctx, id, selectionTree(info))))) as never,
    connections: (_p, _a, ctx) => listConnections(ctx.upstreams).filter((c) => usableConnections(ctx.caller, ctx.upstreams, c.source).includes(c.name)),
  },
};
