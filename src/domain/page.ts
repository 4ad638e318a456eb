import { encodeCursor, type Cursor } from './cursor.js';

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Null when the upstream does not say how many match. */
  totalCount: number | null;
}

type Key = readonly (string | number)[];

export function compareKeys(a: Key, b: Key): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** An edge whose cursor is written when first read: most pages are asked for their nodes, not every cursor. */
class KeyedEdge<T> {
  #cursor: string | undefined;
  constructor(
    readonly list: string,
    readonly key: Key,
    readonly node: T,
  ) {}

  get cursor(): string {
    return (this.#cursor ??= encodeCursor({ list: this.list, key: this.key }));
  }
}

/** The same page with each node replaced, cursors still written only when read. */
export function mapNodes<T, U>(page: Page<T>, fn: (node: T) => U): Page<U> {
  return {
    ...page,
    edges: page.edges.map((e) => (e instanceof KeyedEdge ? new KeyedEdge(e.list, e.key, fn(e.node as T)) : { cursor: e.cursor, node: fn(e.node) })),
  };
}

/**
 * Keyset paging over a complete list the upstream returned unpaged: sort by key, keep what comes
 * after the cursor. Unlike offsets, an item added or removed upstream between two pages never
 * makes another item appear twice or vanish.
 */
export function pageByKey<T>(items: readonly T[], keyOf: (item: T) => Key, list: string, first: number, after: Cursor | null): Page<T> {
  const sorted = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => compareKeys(a.key, b.key));
  const start = after ? sorted.findIndex((e) => compareKeys(e.key, after.key) > 0) : 0;
  const from = start < 0 ? sorted.length : start;
  const slice = sorted.slice(from, from + first);
  const edges = slice.map((e) => new KeyedEdge(list, e.key, e.item));
  return {
    edges,
    pageInfo: {
      hasNextPage: from + first < sorted.length,
      hasPreviousPage: from > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: sorted.length,
  };
}
