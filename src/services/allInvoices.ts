import { InvalidCursorError } from '../domain/cursor.js';
import type { SourceName } from '../domain/globalId.js';
import { InvalidInputError } from '../domain/inputError.js';
import { invoiceMatches, newestIssuedFirst, schoolYearOf } from '../domain/invoiceFilter.js';
import { mergePages, type MergedPage, type MergeStream, type StreamPage } from '../domain/mergedPage.js';
import type { FeedEntryModel, InvoiceModel } from '../domain/models.js';
import type { Page } from '../domain/page.js';
import type { SelectionTree } from '../domain/selection.js';
import type { InvoiceFilter } from '../generated/graphql.js';
import { everyConnectionWith } from './access.js';
import type { RequestContext } from './context.js';

/**
 * `invoices` without a source: one list of the invoices of every source and connection the caller
 * may read, newest issue date first, with a cursor that holds each stream's own position.
 *
 * - Sources that list invoices (Informat): one stream per access group (the one named, else every
 *   one the caller may use), in the school year named, else the current one; the filter is pushed
 *   down.
 * - Sources of messages (MAPI, Ibanity): one stream per connection of the invoices and credit notes
 *   the messages carry; `direction` is pushed down, the rest is checked here.
 * - Sources of feeds (CodaBox): one stream per feed of its purchase and sales invoices.
 *
 * Each stream keeps its source's own order (messages newest first, Informat by invoice group, feeds
 * by delivery); the merge takes the newest head each time, so the list is in issue-date order where
 * the streams are. A stream that fails is reported (`failures`) and the page holds the others.
 */

const ALL_INVOICES_LIST = 'all-invoices';

/** Filters only Informat reads: they narrow its stream and do not apply to the other sources' invoices. */
function informatStreams(ctx: RequestContext, filter: InvoiceFilter, selection: SelectionTree, source: SourceName | null): MergeStream<InvoiceModel>[] {
  const schoolYear = filter.schoolYear ?? schoolYearOf(new Date());
  return everyConnectionWith(ctx, 'invoices', source)
    .filter((c) => !filter.accessGroup || c.name === filter.accessGroup)
    .map((c) => ({
      key: `${c.source}:${c.name}`,
      // Informat invoices are the school's: OUTBOUND. Asked for INBOUND, the stream has none to give.
      fetch: async (first, after) => (filter.direction === 'INBOUND' ? emptyPage() : keepMatching(await c.capability.list({ ...filter, schoolYear, source: c.source }, selection, first, after), filter)),
    }));
}

function messageStreams(ctx: RequestContext, filter: InvoiceFilter, source: SourceName | null): MergeStream<InvoiceModel>[] {
  return everyConnectionWith(ctx, 'messages', source).map((c) => ({
    key: `${c.source}:${c.name}`,
    async fetch(first, after) {
      const page = await c.capability.list({ source: c.source, direction: filter.direction ?? null }, first, after);
      const invoices = await Promise.all(page.edges.map(async (e) => (e.node.documentType === 'INVOICE' || e.node.documentType === 'CREDIT_NOTE' ? c.capability.invoice(e.node) : null)));
      return keepMatching({ ...page, edges: page.edges.map((e, i) => ({ cursor: e.cursor, node: invoices[i] ?? null })), totalCount: null }, filter);
    },
  }));
}

const isInvoice = (d: FeedEntryModel['details']): d is InvoiceModel => 'kind' in d && 'direction' in d;

async function feedStreams(ctx: RequestContext, filter: InvoiceFilter, source: SourceName | null): Promise<MergeStream<InvoiceModel>[]> {
  const perConnection = await Promise.all(
    everyConnectionWith(ctx, 'feeds', source).map(async (c): Promise<MergeStream<InvoiceModel>[]> => {
      let feeds;
      try {
        feeds = await c.capability.feeds();
      } catch (error) {
        // The connection's feeds could not be listed: one failing stream stands for them.
        return [{ key: `${c.source}:${c.name}`, fetch: () => Promise.reject(error) }];
      }
      return feeds.map((feed) => ({
        key: `${c.source}:${c.name}:${feed.feedId}`,
        async fetch(first, after) {
          const page = await c.capability.entries(feed, 'NEW', first, after);
          return keepMatching({ ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: isInvoice(e.node.details) ? e.node.details : null })), totalCount: null }, filter);
        },
      }));
    }),
  );
  return perConnection.flat();
}

function keepMatching(page: Page<InvoiceModel | null>, filter: InvoiceFilter): StreamPage<InvoiceModel> {
  const edges = page.edges.map((e) => ({ cursor: e.cursor, node: e.node && invoiceMatches(filter, e.node) ? e.node : null }));
  const dropped = edges.some((e, i) => e.node !== page.edges[i]!.node);
  return { ...page, edges, totalCount: dropped ? null : page.totalCount };
}

const emptyPage = (): StreamPage<InvoiceModel> => ({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: 0 });

export async function listAllInvoices(ctx: RequestContext, filter: InvoiceFilter, selection: SelectionTree, first: number, after: string | null): Promise<MergedPage<InvoiceModel>> {
  const source = filter.source ?? null;
  const streams = [...informatStreams(ctx, filter, selection, source), ...messageStreams(ctx, filter, source), ...(await feedStreams(ctx, filter, source))];
  const merged = await mergePages(streams, { list: ALL_INVOICES_LIST, first, after, compare: newestIssuedFirst });
  // A bad filter or cursor is the caller's mistake, not one source failing: the whole field answers it.
  const mistake = merged.failures.find((f) => f.error instanceof InvalidInputError || f.error instanceof InvalidCursorError);
  if (mistake) throw mistake.error;
  return merged;
}
