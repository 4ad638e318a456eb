import { describe, expect, it } from 'vitest';
import { mergePages, type MergedPage, type MergeStream } from '../../../src/domain/mergedPage.js';
import { pageByKey } from '../../../src/domain/page.js';
import { decodeCursor, InvalidCursorError } from '../../../src/domain/cursor.js';

interface Item {
  date: string;
  id: string;
  company?: string;
}

/** A stream over a fixed list in date order (newest first), counting its fetches; `hidden` items are read but not offered. */
function stream(key: string, items: Item[], opts: { hidden?: (i: Item) => boolean; failing?: () => boolean } = {}) {
  const calls = { n: 0 };
  const s: MergeStream<Item> = {
    key,
    async fetch(first, after) {
      calls.n++;
      if (opts.failing?.()) throw new Error(`${key} is down`);
      const cursor = after ? decodeCursor(after, key) : null;
      const page = pageByKey(items, (i) => [-Date.parse(i.date), i.id], key, first, cursor);
      return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: opts.hidden?.(e.node) ? null : e.node })) };
    },
  };
  return { s, calls };
}

const newestFirst = (a: Item, b: Item) => (a.date === b.date ? a.id.localeCompare(b.id) : a.date < b.date ? 1 : -1);
const items = (prefix: string, dates: string[]) => dates.map((date, i) => ({ date, id: `${prefix}${i}` }));

async function all(streams: MergeStream<Item>[], first: number, extra: Partial<Parameters<typeof mergePages<Item>>[1]> = {}) {
  const out: Item[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const { page }: MergedPage<Item> = await mergePages(streams, { list: 'test', first, after, compare: newestFirst, ...extra });
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

describe('mergePages: one list drawn from several, each with its own cursors', () => {
  const a = items('a', ['2024-05-01', '2024-03-01', '2023-01-01']);
  const b = items('b', ['2024-04-01', '2024-03-01', '2022-06-01', '2021-01-01']);

  it('pages through every item of every stream exactly once, in the merged order, whatever the page size', async () => {
    for (const first of [1, 2, 3, 7]) {
      const got = await all([stream('A', a).s, stream('B', b).s], first);
      expect(got.map((i) => i.id)).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'b3']);
    }
  });

  it('counts the items of all streams when each says how many it has', async () => {
    const { page } = await mergePages([stream('A', a).s, stream('B', b).s], { list: 'test', first: 2, after: null, compare: newestFirst });
    expect(page.totalCount).toBe(7);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('moves past items a stream reads but does not offer, so a stream of only hidden items still ends', async () => {
    const hiddenAll = stream('H', items('h', ['2024-06-01', '2024-02-01', '2020-01-01']), { hidden: () => true });
    const got = await all([hiddenAll.s, stream('A', a).s], 1);
    expect(got.map((i) => i.id)).toEqual(['a0', 'a1', 'a2']);
  });

  it('leaves a failed stream where it was: the page holds the others and names the failure, and the next page asks it again', async () => {
    let down = true;
    const flaky = stream('B', b, { failing: () => down });
    const first = await mergePages([stream('A', a).s, flaky.s], { list: 'test', first: 2, after: null, compare: newestFirst });
    expect(first.page.edges.map((e) => e.node.id)).toEqual(['a0', 'a1']);
    expect(first.failures.map((f) => f.key)).toEqual(['B']);
    expect(first.page.totalCount).toBeNull();
    down = false;
    const rest = await mergePages([stream('A', a).s, flaky.s], { list: 'test', first: 10, after: first.page.pageInfo.endCursor, compare: newestFirst });
    expect(rest.page.edges.map((e) => e.node.id)).toEqual(['b0', 'b1', 'a2', 'b2', 'b3']);
  });

  it('throws when every stream fails, and refuses a cursor of another list', async () => {
    await expect(mergePages([stream('A', a, { failing: () => true }).s], { list: 'test', first: 2, after: null, compare: newestFirst })).rejects.toThrow('A is down');
    await expect(mergePages([stream('A', a).s], { list: 'test', first: 2, after: 'bm90IGEgY3Vyc29y', compare: newestFirst })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('asks a finished stream no more', async () => {
    const short = stream('S', items('s', ['2024-12-01']));
    const long = stream('L', items('l', ['2024-11-01', '2024-10-01', '2024-09-01', '2024-08-01']));
    const p1 = await mergePages([short.s, long.s], { list: 'test', first: 2, after: null, compare: newestFirst });
    await mergePages([short.s, long.s], { list: 'test', first: 2, after: p1.page.pageInfo.endCursor, compare: newestFirst });
    expect(short.calls.n).toBe(1);
    expect(long.calls.n).toBe(2);
  });

  it('shows one company two streams know once, merged, also when its twin would open the next page', async () => {
    const byName = (x: Item, y: Item) => x.company!.localeCompare(y.company!);
    const c = [
      { date: '', id: 'c1', company: 'Acme' },
      { date: '', id: 'c2', company: 'Brewery' },
    ];
    const d = [
      { date: '', id: 'd1', company: 'Acme' },
      { date: '', id: 'd2', company: 'Brewery' },
      { date: '', id: 'd3', company: 'Cafe' },
    ];
    const plain = (key: string, list: Item[]): MergeStream<Item> => ({ key, fetch: async (first, after) => pageByKey(list, (i) => [i.company!], key, first, after ? decodeCursor(after, key) : null) });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { page }: MergedPage<Item> = await mergePages([plain('C', c), plain('D', d)], { list: 'names', first: 1, after, compare: byName, same: (x, y) => x.company === y.company, combine: (x, y) => ({ ...x, id: `${x.id}+${y.id}` }) });
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['c1+d1', 'c2+d2', 'd3']);
  });
});
