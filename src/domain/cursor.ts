/**
 * Opaque cursors. A cursor carries the sort key of the last item seen (keyset paging), plus a tag
 * of what it pages over so that a cursor from one list is refused by another instead of silently
 * returning the wrong page.
 */

export interface Cursor {
  /** What the cursor pages over, e.g. `informat-invoices`. */
  list: string;
  /** Sort key of the last item of the page. */
  key: readonly (string | number)[];
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.list, c.key]), 'utf8').toString('base64url');
}

export function decodeCursor(opaque: string, list: string): Cursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(opaque, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [tag, key] = parsed as [unknown, unknown];
    if (tag !== list || !Array.isArray(key)) return null;
    if (!key.every((k) => typeof k === 'string' || typeof k === 'number')) return null;
    return { list, key: key as (string | number)[] };
  } catch {
    return null;
  }
}

/** A cursor that does not belong to the list it was given to; the API answers BAD_USER_INPUT on `after`. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('after is not a cursor of this list.');
  }
}
