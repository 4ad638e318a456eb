import { decodeCursor, encodeCursor, InvalidCursorError } from '../domain/cursor.js';
import { decodeGlobalId } from '../domain/globalId.js';
import { InvalidInputError } from '../domain/inputError.js';
import { mergePages, type MergedPage, type MergeStream, type StreamPage } from '../domain/mergedPage.js';
import type { BankStatementModel, FeedEntryModel, FeedModel, PaymentModel } from '../domain/models.js';
import type { PaymentFilter } from '../generated/graphql.js';
import type { FeedsCapability } from '../sources/types.js';
import type { Served } from '../auth/access.js';
import { everyConnectionWith } from './access.js';
import type { RequestContext } from './context.js';

/**
 * Bank movements of the statements feeds deliver (CodaBox): `payments(filter)` and what
 * reconciliation reads. A feed's statements are read in feed order; a cursor is the feed entry the
 * page stopped in and the number of its movements already handed out, so a page may end inside a
 * statement.
 */

/** Entries read per upstream page of a feed; each statement among them is one file download. */
const ENTRIES_PER_READ = 50;

const isStatement = (d: FeedEntryModel['details']): d is BankStatementModel => 'movementCount' in d;

export interface FeedOfConnection {
  served: Served<'feeds'>;
  feed: FeedModel;
}

/** The feeds a request reads: the one named by `feedId`, else every feed of every connection the caller may read. */
export async function feedsToRead(ctx: RequestContext, feedId: string | null | undefined, source: PaymentFilter['source'] | null = null): Promise<FeedOfConnection[]> {
  if (feedId) {
    const gid = decodeGlobalId(feedId);
    if (!gid || gid.type !== 'Feed') throw new InvalidInputError('feedId is not a feed ID.', ['feedId']);
    const served = everyConnectionWith(ctx, 'feeds', gid.source).find((c) => c.name === gid.connection);
    const feed = served ? await served.capability.feed(gid.local) : null;
    if (!served || !feed) throw new InvalidInputError('feedId names no feed this caller may read.', ['feedId']);
    return [{ served, feed }];
  }
  const perConnection = await Promise.all(everyConnectionWith(ctx, 'feeds', source).map(async (served) => (await served.capability.feeds()).map((feed) => ({ served, feed }))));
  return perConnection.flat();
}

type Keep = (payments: PaymentModel[]) => Promise<boolean[]>;

function feedMovements(feeds: FeedsCapability, feed: FeedModel, list: string, keep: Keep): MergeStream<PaymentModel>['fetch'] {
  return async (first, after) => {
    const cursor = after ? decodeCursor(after, list) : null;
    if (after && !cursor) throw new InvalidCursorError();
    // Where the last page stopped: after entry `entryAfter`, `skip` movements into the next statement.
    const entryAfter = cursor ? (cursor.key[0] as string) || null : null;
    const skip = cursor ? Number(cursor.key[1]) : 0;
    const page = await feeds.entries(feed, 'NEW', Math.min(first, ENTRIES_PER_READ), entryAfter);
    const movements = await Promise.all(page.edges.map((e) => (isStatement(e.node.details) ? feeds.statementPayments(e.node.details) : Promise.resolve([]))));
    const kept = await keep(movements.flat());
    const edges: StreamPage<PaymentModel>['edges'] = [];
    let before = entryAfter;
    let n = 0;
    page.edges.forEach((e, i) => {
      const from = i === 0 ? skip : 0;
      n += from;
      movements[i]!.slice(from).forEach((p, j) => edges.push({ cursor: encodeCursor({ list, key: [before ?? '', from + j + 1] }), node: kept[n++] ? p : null }));
      // The entry is done: the next page starts after it.
      edges.push({ cursor: encodeCursor({ list, key: [e.cursor, 0] }), node: null });
      before = e.cursor;
    });
    return { edges, pageInfo: { ...page.pageInfo, hasNextPage: page.pageInfo.hasNextPage }, totalCount: null };
  };
}

/** Oldest first by value date, then by statement and sequence. */
const byDate = (a: PaymentModel, b: PaymentModel) => (a.date ?? '').localeCompare(b.date ?? '') || (a.statementNumber ?? 0) - (b.statementNumber ?? 0) || (a.sequenceNumber ?? 0) - (b.sequenceNumber ?? 0) || a.id.localeCompare(b.id);

export async function listPayments(ctx: RequestContext, filter: PaymentFilter | null | undefined, first: number, after: string | null): Promise<MergedPage<PaymentModel>> {
  const f = filter ?? {};
  if (f.since && f.until && f.since > f.until) throw new InvalidInputError('filter.since is after filter.until.', ['filter', 'since']);
  const feeds = await feedsToRead(ctx, f.feedId, f.source ?? null);
  const keep: Keep = async (payments) => {
    // `unmatchedOnly`: the movements of the page already registered on an invoice, in one store read.
    const linked = f.unmatchedOnly ? new Set((await ctx.paymentLinks.byTransaction(payments.flatMap((p) => (p.transactionKey ? [p.transactionKey] : [])))).map((l) => l.transactionKey)) : null;
    return payments.map((p) => (!f.since || (p.date ?? '') >= f.since) && (!f.until || (p.date ?? '') <= f.until) && !(linked && p.transactionKey && linked.has(p.transactionKey)));
  };
  const streams = feeds.map(({ served, feed }) => {
    const key = `${served.source}:${served.name}:${feed.feedId}`;
    return { key, fetch: feedMovements(served.capability, feed, `payments:${key}`, keep) };
  });
  const merged = await mergePages(streams, { list: 'payments', first, after, compare: byDate });
  const mistake = merged.failures.find((x) => x.error instanceof InvalidCursorError || x.error instanceof InvalidInputError);
  if (mistake) throw mistake.error;
  return merged;
}

/** Every movement of the feeds named (all statements read), for reconciliation. */
export async function allMovements(ctx: RequestContext, feeds: FeedOfConnection[]): Promise<PaymentModel[]> {
  const out: PaymentModel[] = [];
  await Promise.all(
    feeds.map(async ({ served, feed }) => {
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<FeedsCapability['entries']>> = await served.capability.entries(feed, 'NEW', ENTRIES_PER_READ, after);
        const movements = await Promise.all(page.edges.map((e) => (isStatement(e.node.details) ? served.capability.statementPayments(e.node.details) : Promise.resolve([]))));
        out.push(...movements.flat());
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
    }),
  );
  return out.sort(byDate);
}
