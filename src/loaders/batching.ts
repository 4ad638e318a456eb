import DataLoader from 'dataloader';

/** Anything thrown, as an Error. */
export const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** The value, or the error in its place, so one failing item of a list (or slot of a batch) fails alone. */
export const settle = <T>(p: Promise<T>): Promise<T | Error> => p.catch(asError);

/**
 * A loader for upstreams without a batch endpoint: one upstream call per distinct key, asked once per
 * request however many fields need it, each key failing alone.
 */
export const perKey = <K, V>(fetch: (key: K) => Promise<V>) => new DataLoader<K, V>((keys) => Promise.all(keys.map((k) => settle(fetch(k)))));

/** Items in runs of at most `size`, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
