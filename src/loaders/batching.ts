/** Anything thrown, as an Error. */
export const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** The value, or the error in its place, so one failing item of a list (or slot of a batch) fails alone. */
export const settle = <T>(p: Promise<T>): Promise<T | Error> => p.catch(asError);

/** Items in runs of at most `size`, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
