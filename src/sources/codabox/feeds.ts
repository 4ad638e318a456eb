import { parseCodaPlus } from '../../domain/codaPlus.js';
import { movementId, movementLocal } from './ids.js';
import { parseCoda } from '../../domain/coda.js';
import { codaPayments } from '../../domain/bankTransaction.js';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../domain/cursor.js';
import type { FeedKindName, FeedModel } from '../../domain/models.js';
import { malformed, forgetInOperation, parseSharedWire, perOperation } from '../../http/index.js';
import type { FeedsCapability, RecordsCapability } from '../types.js';
import type { BankStatementModel, FeedEntryModel, InvoiceModel } from '../../domain/models.js';
import { feedRoute, SOURCE, type CodaboxClient } from './client.js';
import { toFeed, toFeedEntry, toPayments } from './map.js';

const KNOWN_MODELS = new Set(['coda', 'soda', 'purchase_invoice', 'sales_invoice']);
const LIST = 'codabox-feed';

/**
 * The unified feeds capability over one CodaBox connection. CodaBox sends a feed whole, so each
 * feed (and the pod-client) is read and parsed once per operation however many pages, aliases or
 * entry IDs ask for it; acknowledging forgets it, so a later read in the same operation is fresh.
 */
export function codaboxFeeds(connection: string, client: CodaboxClient): FeedsCapability & { records: RecordsCapability } {
  const pod = () => perOperation(`codabox-pod|${connection}`, () => client.podClient());
  const feedKey = (feedId: number | string, kind: FeedKindName) => `codabox-feed|${connection}|${feedId}|${kind}`;
  const wireFeed = (feedId: number, kind: FeedKindName) => perOperation(feedKey(feedId, kind), () => client.feed(feedId, kind));

  const feeds = async () => (await pod()).feed_clients.map((c) => toFeed(connection, c));

  /** A feed's entries as CodaBox lists them (models the API carries only), and a mapper for them. */
  async function entriesOf(feed: FeedModel, kind: FeedKindName) {
    const [p, wire] = await Promise.all([pod(), wireFeed(feed.feedId, kind)]);
    const route = feedRoute(kind);
    return {
      entries: wire.feed_entries.filter((e) => KNOWN_MODELS.has(e.document_model)),
      // Mapping validates metadata and names files, so it is done only for the entries handed out. The
      // metadata is part of the feed answer several operations share (response cache): checked once.
      map: (e: (typeof wire.feed_entries)[number]) => toFeedEntry(connection, feed, kind, e, p.allowed_formats, (schema, value, path) => parseSharedWire(SOURCE, schema, value, route, path))!,
    };
  }

  /** The entry of a feed index in any of the connection's feeds (new entries first, then redelivered ones). */
  async function entryByIndex(index: string): Promise<FeedEntryModel | null> {
    for (const kind of ['NEW', 'REDOWNLOAD'] as const) {
      for (const feed of await feeds()) {
        const { entries, map } = await entriesOf(feed, kind);
        const e = entries.find((x) => x.feed_index === index);
        if (e) return map(e);
      }
    }
    return null;
  }

  /**
   * A statement's movements: from its CODA+ XML where the connection may download it, else from the
   * classic CODA file; read once per operation.
   */
  const statementPayments = (s: BankStatementModel) => {
    const ref = s.codaPlus ?? s.coda;
    if (!ref) return Promise.resolve([]);
    return perOperation(`codabox-movements|${connection}|${ref.ref}`, async () => {
      const [feedType, feedIndex, format] = ref.ref.split('/') as ['download' | 'redownload', string, string];
      const text = await client.fileText(feedType, feedIndex, format);
      if (s.codaPlus) {
        try {
          return toPayments(connection, feedIndex, parseCodaPlus(text));
        } catch (err) {
          throw malformed('CODABOX', 'GET /delivery/{type}/{index}/xml/', (err as Error).message, err);
        }
      }
      // A CODA file's oddities are warnings, never a failure: the movements it has are what it has.
      return parseCoda(text).statements.flatMap((st) => codaPayments(st, 'CODABOX', (statement, sequence, detail) => movementId(connection, movementLocal(feedIndex, statement, sequence, detail))));
    });
  };

  const records: RecordsCapability = {
    // A purchase or sales invoice of a feed, by its feed index; gone once acknowledged.
    async invoice(local) {
      const e = await entryByIndex(local);
      return e && 'kind' in e.details && 'direction' in e.details ? (e.details as InvoiceModel) : null;
    },
    // A movement of a bank statement, by `feedIndex:statement:sequence:detail`.
    async payment(local) {
      const e = await entryByIndex(local.split(':')[0]!);
      if (!e || !('movementCount' in e.details)) return null;
      const id = movementId(connection, local);
      return (await statementPayments(e.details)).find((p) => p.id === id) ?? null;
    },
  };

  return {
    records,
    feeds,
    feed: async (local) => (await feeds()).find((f) => f.feedId === Number(local)) ?? null,
    async entries(feed, kind, first, after) {
      const list = `${LIST}:${feed.feedId}:${kind}`;
      const cursor = after ? decodeCursor(after, list) : null;
      if (after && !cursor) throw new InvalidCursorError();
      const { entries, map } = await entriesOf(feed, kind);
      // Acknowledging removes a prefix of the feed, so an entry that is gone means "start at the head".
      const at = cursor ? entries.findIndex((e) => e.feed_index === cursor.key[0]) : -1;
      const from = at + 1;
      const page = entries.slice(from, from + first).map(map);
      const edges = page.map((e) => ({ cursor: encodeCursor({ list, key: [e.feedIndex] }), node: e }));
      return {
        edges,
        pageInfo: { hasNextPage: from + first < entries.length, hasPreviousPage: from > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount: entries.length,
      };
    },
    async entry(local) {
      const [feedNo, kind, index] = local.split('/') as [string, FeedKindName, string];
      const feed = (await feeds()).find((f) => f.feedId === Number(feedNo));
      if (!feed) return null;
      const { entries, map } = await entriesOf(feed, kind);
      const e = entries.find((x) => x.feed_index === index);
      return e ? map(e) : null;
    },
    statementPayments,
    async acknowledge(feedLocal, kind, upTo) {
      // upTo is an entry's local ID (`feed/kind/index`) or CodaBox's own feed_index.
      const parts = upTo.split('/');
      if (parts.length === 3 && (parts[0] !== feedLocal || parts[1] !== kind)) {
        return { ok: false, error: { code: 'OFFSET_NOT_IN_FEED', message: 'upTo is an entry of another feed or list.', field: ['input', 'upTo'] } };
      }
      const offset = parts.length === 3 ? parts[2]! : upTo;
      const r = await client.acknowledge(Number(feedLocal), kind, offset);
      forgetInOperation(feedKey(feedLocal, kind));
      if (!r.ok) return { ok: false, error: { code: 'OFFSET_NOT_IN_FEED', message: r.message, field: ['input', 'upTo'] } };
      return { ok: true, key: `${feedLocal}/${kind}/${offset}` };
    },
  };
}
