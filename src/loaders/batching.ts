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

/**
 * At most `max` calls of `fn` at once, however many callers share the limiter; the others wait in
 * order. A finished call hands its slot straight to the next waiter, so the bound is never passed.
 */
export function createLimiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
