/**
 * CodaBox search endpoints' query language (Django REST style): exact match, `__icontains`,
 * `__startswith`, `__endswith`, datetime lookups (`__gt`, `__gte`, `__lt`, `__lte`, `__date`), the
 * aggregated `search` key, `ordering` with several keys and `-`, and limit/offset paging.
 */
export interface SearchSpec<T> {
  /** Filterable keys: how to read each from an item, and whether it is a date-time. */
  fields: Record<string, { get: (item: T) => unknown; datetime?: boolean }>;
  /** Keys the `search` parameter looks in (case-insensitive, contains). */
  searchIn: ((item: T) => unknown)[];
  ordering: Record<string, (item: T) => unknown>;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 150;

const LOOKUPS = new Set(['icontains', 'startswith', 'endswith', 'gt', 'gte', 'lt', 'lte', 'date']);

/** `client__name__icontains` -> field `client__name`, lookup `icontains`; nested fields keep their `__`. */
function splitKey(key: string): [string, string | undefined] {
  const at = key.lastIndexOf('__');
  const suffix = at > 0 ? key.slice(at + 2) : '';
  return LOOKUPS.has(suffix) ? [key.slice(0, at), suffix] : [key, undefined];
}

function matchOne<T>(spec: SearchSpec<T>, key: string, value: string, item: T): boolean {
  const [field, lookup] = splitKey(key);
  const f = spec.fields[field];
  if (!f) return true; // unknown keys are ignored, as the framework does
  const actual = f.get(item);
  if (actual === null || actual === undefined) return false;
  if (f.datetime) {
    const a = Date.parse(String(actual));
    if (lookup === 'date') return String(actual).slice(0, 10) === value;
    const v = Date.parse(value);
    switch (lookup) {
      case 'gt': return a > v;
      case 'gte': return a >= v;
      case 'lt': return a < v;
      case 'lte': return a <= v;
      default: return a === v;
    }
  }
  const s = String(actual);
  switch (lookup) {
    case 'icontains': return s.toLowerCase().includes(value.toLowerCase());
    case 'startswith': return s.startsWith(value);
    case 'endswith': return s.endsWith(value);
    default: return s === value;
  }
}

export function search<T>(spec: SearchSpec<T>, items: readonly T[], query: URLSearchParams, baseUrl: string) {
  let out = items.filter((item) => {
    for (const [k, v] of query) {
      if (k === 'limit' || k === 'offset' || k === 'ordering') continue;
      if (k === 'search') {
        if (!spec.searchIn.some((g) => String(g(item) ?? '').toLowerCase().includes(v.toLowerCase()))) return false;
      } else if (!matchOne(spec, k, v, item)) return false;
    }
    return true;
  });
  const ordering = (query.get('ordering') ?? '').split(',').map((o) => o.trim()).filter((o) => spec.ordering[o.replace(/^-/, '')]);
  if (ordering.length) {
    out = [...out].sort((a, b) => {
      for (const o of ordering) {
        const get = spec.ordering[o.replace(/^-/, '')]!;
        // "Sorting is not case sensitive."
        const x = String(get(a) ?? '').toLowerCase();
        const y = String(get(b) ?? '').toLowerCase();
        if (x !== y) return (x < y ? -1 : 1) * (o.startsWith('-') ? -1 : 1);
      }
      return 0;
    });
  }
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(query.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const pageUrl = (o: number) => {
    const q = new URLSearchParams(query);
    q.set('limit', String(limit));
    if (o > 0) q.set('offset', String(o));
    else q.delete('offset');
    return `${baseUrl}?${q}`;
  };
  return {
    count: out.length,
    next: offset + limit < out.length ? pageUrl(offset + limit) : null,
    previous: offset > 0 ? pageUrl(Math.max(0, offset - limit)) : null,
    results: out.slice(offset, offset + limit),
  };
}
