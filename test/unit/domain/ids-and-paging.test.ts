import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/domain/cursor.js';
import { decodeGlobalId, encodeGlobalId } from '../../../src/domain/globalId.js';
import { pageByKey } from '../../../src/domain/page.js';

describe('global IDs', () => {
  it('round-trip, with colons in the local part', () => {
    const id = { type: 'InvoiceGroup' as const, source: 'INFORMAT' as const, connection: 'ag_1', local: '8052@01/09/2020-31/08/2021' };
    expect(decodeGlobalId(encodeGlobalId(id))).toEqual(id);
  });

  it('decode anything else to null', () => {
    for (const s of ['', 'not base64 !', Buffer.from('Invoice:NOPE:x:1').toString('base64url'), Buffer.from('Foo:INFORMAT:x:1').toString('base64url'), Buffer.from('Invoice:INFORMAT:x').toString('base64url')]) {
      expect(decodeGlobalId(s)).toBeNull();
    }
  });
});

describe('keyset paging', () => {
  const items = Array.from({ length: 10 }, (_, i) => ({ g: i % 3, id: `id-${i}` }));
  const key = (x: { g: number; id: string }) => [x.g, x.id];

  it('visits every item once across pages, in key order', () => {
    const seen: string[] = [];
    let after = null;
    for (let guard = 0; guard < 10; guard++) {
      const page = pageByKey(items, key, 'test', 3, after);
      seen.push(...page.edges.map((e) => e.node.id));
      expect(page.totalCount).toBe(10);
      if (!page.pageInfo.hasNextPage) break;
      after = decodeCursor(page.pageInfo.endCursor!, 'test');
    }
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    expect(seen.slice(0, 4)).toEqual(['id-0', 'id-3', 'id-6', 'id-9']);
  });

  it('neither repeats nor skips when an item is removed between pages', () => {
    const first = pageByKey(items, key, 'test', 3, null);
    const rest = items.filter((x) => x.id !== 'id-3');
    const second = pageByKey(rest, key, 'test', 3, decodeCursor(first.pageInfo.endCursor!, 'test'));
    // Offset paging would start at index 3 of the shorter list (id-1) and skip id-9.
    expect(first.edges.map((e) => e.node.id)).toEqual(['id-0', 'id-3', 'id-6']);
    expect(second.edges[0]!.node.id).toBe('id-9');
  });

  it('refuses a cursor of another list', () => {
    expect(decodeCursor(encodeCursor({ list: 'a', key: [1] }), 'b')).toBeNull();
    expect(decodeCursor('!!', 'a')).toBeNull();
  });
});
