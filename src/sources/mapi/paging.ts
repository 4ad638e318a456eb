import { decodeCursor, encodeCursor } from '../../domain/cursor.js';

/**
 * Paging over one or more MAPI message lists as one list, newest first.
 *
 * MAPI pages with Offset/Limit where Offset must be a multiple of Limit (max 100), and a unified
 * filter may need several MAPI lists (AWAITING_IMPORT is two statuses; a counterparty is either the
 * sender or the receiver). Each list is read in fixed pages of PAGE items from its own position;
 * the windows are merged by time, and the cursor keeps one position per list.
 */
export const PAGE = 100;
const LIST = 'mapi-messages';

export interface Sortable {
  timeReceived: string;
  uniqueId: string;
}

export type FetchPage<T> = (list: number, offset: number, limit: number) => Promise<T[]>;

const newestFirst = (a: Sortable, b: Sortable) => b.timeReceived.localeCompare(a.timeReceived) || a.uniqueId.localeCompare(b.uniqueId);

/** Items [pos, pos + count) of one list, reading whole pages; `more` when the list may go on. */
async function window<T>(fetch: FetchPage<T>, list: number, pos: number, count: number): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let page = Math.floor(pos / PAGE);
  let skip = pos - page * PAGE;
  for (;;) {
    const got = await fetch(list, page * PAGE, PAGE);
    items.push(...got.slice(skip));
    if (got.length < PAGE) return { items: items.slice(0, count), more: items.length > count };
    if (items.length >= count) return { items: items.slice(0, count), more: true };
    page++;
    skip = 0;
  }
}

export function decodeMessageCursor(after: string | null, lists: number): number[] | null {
  if (after === null) return new Array<number>(lists).fill(0);
  const c = decodeCursor(after, LIST);
  if (!c || c.key.length !== lists || !c.key.every((k) => typeof k === 'number' && Number.isInteger(k) && k >= 0)) return null;
  return c.key as number[];
}

export async function pageMessages<T extends Sortable>(fetch: FetchPage<T>, positions: number[], first: number) {
  // Exactly `first` per list: a full last page means "there may be more" (at worst a final empty
  // page) rather than a second call for a look-ahead item.
  const windows = await Promise.all(positions.map((pos, i) => window(fetch, i, pos, first)));
  const merged = windows.flatMap((w, list) => w.items.map((item) => ({ item, list }))).sort((a, b) => newestFirst(a.item, b.item));
  const taken = merged.slice(0, first);
  const pos = [...positions];
  const edges = taken.map(({ item, list }) => {
    pos[list]! += 1;
    return { cursor: encodeCursor({ list: LIST, key: [...pos] }), node: item };
  });
  const hasNextPage = merged.length > first || windows.some((w) => w.more);
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: positions.some((p) => p > 0),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    // MAPI does not say how many messages match.
    totalCount: null,
  };
}
