import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor.js';
import type { Page } from './page.js';

/**
 * One list drawn from several: the invoices of every source, the parties every source finds. Each
 * stream keeps its own cursors; the merged cursor holds every stream's position (the cursor of the
 * last item taken from it, or "not started" / "finished"), so a page never repeats or skips an item
 * whatever the other streams did, and one stream failing leaves its position where it was (the
 * next page asks it again).
 */

/** A stream's item, or null for an item the stream read but does not offer (filtered out): it moves the position on. */
export type StreamPage<T> = Page<T | null>;

export interface MergeStream<T> {
  /** Stable name of the stream inside the merged list (source and connection); part of the cursor. */
  key: string;
  fetch(first: number, after: string | null): Promise<StreamPage<T>>;
}

export interface MergeOptions<T> {
  /** Tag of the merged list; a cursor of another list is refused. */
  list: string;
  first: number;
  after: string | null;
  /** Order of the merged list; each stream is expected in the same order (ties: stream order). */
  compare(a: T, b: T): number;
  /** Two items that are one thing (a company two sources know): merged with `combine`, shown once. */
  same?(a: T, b: T): boolean;
  combine?(a: T, b: T): T;
}

export interface MergedPage<T> {
  page: Page<T>;
  /** Streams that failed; the page holds the others' items. */
  failures: { key: string; error: unknown }[];
}

const START = 0;
const FINISHED = 1;
type Position = string | typeof START | typeof FINISHED;

function readCursor(after: string | null, list: string): Map<string, Position> {
  const positions = new Map<string, Position>();
  if (after === null) return positions;
  const cursor = decodeCursor(after, list);
  if (!cursor || cursor.key.length % 2 !== 0) throw new InvalidCursorError();
  for (let i = 0; i < cursor.key.length; i += 2) {
    const key = cursor.key[i];
    const pos = cursor.key[i + 1];
    if (typeof key !== 'string' || (typeof pos === 'number' && pos !== START && pos !== FINISHED)) throw new InvalidCursorError();
    positions.set(key, pos as Position);
  }
  return positions;
}

const writeCursor = (list: string, positions: Map<string, Position>) => encodeCursor({ list, key: [...positions].flat() });

export async function mergePages<T>(streams: readonly MergeStream<T>[], o: MergeOptions<T>): Promise<MergedPage<T>> {
  const positions = readCursor(o.after, o.list);
  for (const s of streams) if (!positions.has(s.key)) positions.set(s.key, START);
  // A stream the cursor names that is gone now (access changed) is dropped from the cursor.
  for (const key of [...positions.keys()]) if (!streams.some((s) => s.key === key)) positions.delete(key);

  const active = streams.filter((s) => positions.get(s.key) !== FINISHED);
  const settled = await Promise.allSettled(
    active.map((s) => {
      const pos = positions.get(s.key)!;
      return s.fetch(o.first, typeof pos === 'string' ? pos : null);
    }),
  );
  const failures: MergedPage<T>['failures'] = [];
  const heads: { key: string; page: StreamPage<T>; at: number }[] = [];
  settled.forEach((r, i) => {
    if (r.status === 'fulfilled') heads.push({ key: active[i]!.key, page: r.value, at: 0 });
    else failures.push({ key: active[i]!.key, error: r.reason });
  });
  if (heads.length === 0 && failures.length > 0) throw failures[0]!.error;

  /** Moves every stream past the items it does not offer, so that its head is a real item. */
  const skipEmpty = () => {
    for (const h of heads) {
      while (h.at < h.page.edges.length && h.page.edges[h.at]!.node === null) positions.set(h.key, h.page.edges[h.at++]!.cursor);
    }
  };
  const next = () => {
    skipEmpty();
    let best: (typeof heads)[number] | null = null;
    for (const h of heads) {
      if (h.at >= h.page.edges.length) continue;
      if (!best || o.compare(h.page.edges[h.at]!.node as T, best.page.edges[best.at]!.node as T) < 0) best = h;
    }
    return best;
  };
  const take = (h: (typeof heads)[number]) => {
    const edge = h.page.edges[h.at++]!;
    positions.set(h.key, edge.cursor);
    return edge.node as T;
  };

  const taken: { node: T; cursor: string }[] = [];
  const mergeInto = (node: T) => {
    if (!o.same || !o.combine) return false;
    const twin = taken.find((t) => o.same!(t.node, node));
    if (!twin) return false;
    twin.node = o.combine(twin.node, node);
    return true;
  };
  for (let h = next(); h && taken.length < o.first; h = next()) {
    const node = take(h);
    if (!mergeInto(node)) taken.push({ node, cursor: writeCursor(o.list, positions) });
  }
  // The page's companies that the next heads repeat are merged now, not shown again on the next page.
  for (let h = next(); h && o.same && taken.some((t) => o.same!(t.node, h!.page.edges[h!.at]!.node as T)); h = next()) mergeInto(take(h));
  skipEmpty();
  for (const h of heads) if (h.at >= h.page.edges.length && !h.page.pageInfo.hasNextPage) positions.set(h.key, FINISHED);
  const last = taken.at(-1);
  if (last) last.cursor = writeCursor(o.list, positions);

  const counts = heads.map((h) => h.page.totalCount);
  const complete = failures.length === 0 && !o.same && counts.every((c) => c !== null);
  return {
    page: {
      edges: taken,
      pageInfo: {
        hasNextPage: heads.some((h) => h.at < h.page.edges.length || h.page.pageInfo.hasNextPage),
        hasPreviousPage: o.after !== null,
        startCursor: taken[0]?.cursor ?? null,
        endCursor: last?.cursor ?? (o.after !== null ? writeCursor(o.list, positions) : null),
      },
      totalCount: complete ? counts.reduce<number>((sum, c) => sum + c!, 0) : null,
    },
    failures,
  };
}
