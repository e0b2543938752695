import pLimit from "p-limit";

/**
 * A limit shared by many calls: `limit(fn)` runs `fn` when fewer than `max` such calls are in
 * flight, else when one of them ends (in the order they came). `p-limit`.
 */
export function limiter(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  const limit = pLimit(max);
  return (fn) => limit(fn);
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, and returns the results in the
 * order of `items`. The first failure rejects (calls already started still finish).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const run = pLimit(Math.max(1, limit));
  return Promise.all(items.map((item, i) => run(() => fn(item, i))));
}
