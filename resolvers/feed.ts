import type { UserErrorCode } from '../src/generated/graphql.js';
import { usableConnections, useConnection } from '../src/auth/access.js';
import type { GatewayContext } from '../src/context.js';
import { parseCodaPlus } from '../src/domain/codaPlus.js';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../src/domain/cursor.js';
import { decodeGlobalId } from '../src/domain/globalId.js';
import type { FeedEntryModel, FeedKindName, FeedModel } from '../src/domain/models.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { malformed } from '../src/http/errors.js';
import { forbidden, notConfigured } from '../src/server/errors.js';
import { connectionFor } from './access.js';
import { checkFirst } from './paging.js';
import { feedRoute, parseWire, toFeed, toFeedEntry, toPayments } from '../src/sources/codabox/index.js';

const LIST = 'codabox-feed';

const codaboxFor = (ctx: GatewayContext, connection: string | null) => connectionFor(ctx, 'CODABOX', connection);

async function feedsOf(ctx: GatewayContext, connection: string): Promise<FeedModel[]> {
  const pod = await ctx.loaders.codaboxPods.load(connection);
  return pod.feed_clients.map((c) => toFeed(connection, c));
}

export async function loadFeed(ctx: GatewayContext, id: string): Promise<FeedModel | null> {
  const gid = decodeGlobalId(id);
  if (!gid || gid.type !== 'Feed' || gid.source !== 'CODABOX') return null;
  const conn = codaboxFor(ctx, gid.connection);
  return (await feedsOf(ctx, conn.name)).find((f) => f.feedId === Number(gid.local)) ?? null;
}

const feedKey = (connection: string, feedId: number | string, kind: FeedKindName) => `${connection}|${feedId}|${kind}`;

const KNOWN_MODELS = new Set(['coda', 'soda', 'purchase_invoice', 'sales_invoice']);

/**
 * A feed's entries as CodaBox lists them (models the API carries only), and a mapper for them.
 * Mapping validates metadata and names files, so it is done only for the entries handed out.
 */
async function feedOf(ctx: GatewayContext, feed: FeedModel, kind: FeedKindName) {
  const conn = codaboxFor(ctx, feed.connection);
  const [pod, wire] = await Promise.all([ctx.loaders.codaboxPods.load(conn.name), ctx.loaders.codaboxFeeds.load(feedKey(conn.name, feed.feedId, kind))]);
  const route = feedRoute(kind);
  return {
    entries: wire.feed_entries.filter((e) => KNOWN_MODELS.has(e.document_model)),
    map: (e: (typeof wire.feed_entries)[number]) => toFeedEntry(conn.name, feed, kind, e, pod.allowed_formats, (schema, value, path) => parseWire(schema, value, route, path))!,
  };
}

export async function loadFeedEntry(ctx: GatewayContext, id: string): Promise<FeedEntryModel | null> {
  const gid = decodeGlobalId(id);
  if (!gid || gid.type !== 'FeedEntry' || gid.source !== 'CODABOX') return null;
  const [feedNo, kind, index] = gid.local.split('/') as [string, FeedKindName, string];
  const feed = (await feedsOf(ctx, codaboxFor(ctx, gid.connection).name)).find((f) => f.feedId === Number(feedNo));
  if (!feed) return null;
  const f = await feedOf(ctx, feed, kind);
  const entry = f.entries.find((e) => e.feed_index === index);
  return entry ? f.map(entry) : null;
}

export const feedResolvers: Resolvers = {
  Query: {
    feeds: async (_p, { source }, ctx) => {
      // Only CodaBox delivers feeds: another source has none to list.
      if (source && source !== 'CODABOX') return [];
      if (!ctx.upstreams.sources.CODABOX) throw notConfigured('No CodaBox connection is configured on this gateway, so there are no feeds.');
      const usable = usableConnections(ctx.caller, ctx.upstreams, 'CODABOX');
      if (usable.length === 0) throw forbidden('This caller may use no CodaBox connection, so it may read no feeds.');
      return (await Promise.all(usable.map((c) => feedsOf(ctx, c)))).flat();
    },
    feed: (_p, { id }, ctx) => loadFeed(ctx, id),
  },
  Feed: {
    entries: async (feed, { kind, first, after }, ctx) => {
      const n = checkFirst(ctx, first, 100);
      const k = kind ?? 'NEW';
      const list = `${LIST}:${feed.feedId}:${k}`;
      const cursor = after ? decodeCursor(after, list) : null;
      if (after && !cursor) throw new InvalidCursorError();
      const { entries, map } = await feedOf(ctx, feed, k);
      // Acknowledging removes a prefix of the feed, so an entry that is gone means "start at the head".
      const at = cursor ? entries.findIndex((e) => e.feed_index === cursor.key[0]) : -1;
      const from = at + 1;
      const page = entries.slice(from, from + n).map(map);
      const edges = page.map((e) => ({ cursor: encodeCursor({ list, key: [e.feedIndex] }), node: e }));
      return {
        edges,
        pageInfo: { hasNextPage: from + n < entries.length, hasPreviousPage: from > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: entries.length,
      };
    },
  },
  Payment: {
    statementNumber: (p) => p.statementNumber ?? null,
    sequenceNumber: (p) => p.sequenceNumber ?? null,
  },
  FeedEntryDetails: {
    __resolveType: (d) => ('movementCount' in d ? 'BankStatement' : 'socialWelfareId' in d ? 'SocialDocument' : 'Invoice'),
  },
  BankStatement: {
    payments: async (s, _a, ctx) => {
      if (!s.codaPlus) return [];
      const conn = codaboxFor(ctx, s.codaPlus.connection);
      const [feedType, feedIndex, format] = s.codaPlus.ref.split('/') as ['download' | 'redownload', string, string];
      const xml = await conn.client.fileText(feedType, feedIndex, format);
      try {
        return toPayments(conn.name, feedIndex, parseCodaPlus(xml));
      } catch (err) {
        throw malformed('CODABOX', 'GET /delivery/{type}/{index}/xml/', (err as Error).message, err);
      }
    },
  },
  Mutation: {
    acknowledgeFeedEntries: async (_p, { input }, ctx) => {
      const fail = (code: UserErrorCode, message: string, field: string[]) => ({ feed: null, userErrors: [{ code, message, field }] });
      const gid = decodeGlobalId(input.feedId);
      if (!gid || gid.type !== 'Feed' || gid.source !== 'CODABOX') return fail('INVALID_ID', 'feedId is not a CodaBox feed ID.', ['input', 'feedId']);
      const conn = useConnection(ctx.caller, ctx.upstreams, 'CODABOX', gid.connection, 'write');
      if (!conn.ok) return fail('FORBIDDEN', conn.message, ['input', 'feedId']);
      const kind = input.kind ?? 'NEW';
      // upTo is a FeedEntry ID, or CodaBox's own feed_index.
      const entry = decodeGlobalId(input.upTo);
      const offset = entry?.type === 'FeedEntry' ? entry.local.split('/')[2]! : input.upTo;
      if (entry?.type === 'FeedEntry' && (entry.local.split('/')[0] !== gid.local || entry.local.split('/')[1] !== kind)) {
        return fail('OFFSET_NOT_IN_FEED', 'upTo is an entry of another feed or list.', ['input', 'upTo']);
      }
      // CodaBox forgets an acknowledged entry, so a second acknowledgement of it (a client retrying
      // after a lost answer) would be refused as "not in the feed". The ledger remembers every
      // offset acknowledged through the gateway, per connection and feed, and answers the repeat.
      const once = await ctx.once.run<{ ok: true } | { ok: false; message: string }>(
        { caller: `codabox-feed:${conn.name}`, operation: 'acknowledgeFeedEntries', key: `${gid.local}/${kind}/${offset}` },
        'ack',
        async () => {
          const r = await conn.client.acknowledge(Number(gid.local), kind, offset);
          return r.ok ? { kind: 'done', value: r } : { kind: 'nothing-changed', value: r };
        },
      );
      if (once.kind === 'in-progress') return fail('IDEMPOTENCY_KEY_IN_PROGRESS', 'The same acknowledgement is running; ask again in a moment.', ['input', 'upTo']);
      if (once.kind !== 'fresh' && once.kind !== 'replayed') return fail('UPSTREAM_REJECTED', 'An earlier acknowledgement of this entry ended without an answer; read the feed to see where it stands.', ['input', 'upTo']);
      if (!once.value.ok) return fail('OFFSET_NOT_IN_FEED', once.value.message, ['input', 'upTo']);
      ctx.loaders.codaboxFeeds.clear(feedKey(conn.name, gid.local, kind));
      return { feed: await loadFeed(ctx, input.feedId), userErrors: [] };
    },
  },
};
