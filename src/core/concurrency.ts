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

/** Rows handled between two turns of the event loop by `eachYielding`. */
export const YIELD_EVERY = 2000;

/**
 * `fn(row)` for every row, giving the event loop a turn (`setImmediate`) after every
 * YIELD_EVERY rows: grouping a region's 100,000 rows in memory takes a second or more, which
 * everyone else's updates would otherwise wait out.
 */
export async function eachYielding<T>(rows: readonly T[], fn: (row: T) => void): Promise<void> {
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    fn(rows[i] as T);
  }
}

/**
 * Group commit: `run(item)` hands `item` to `flush` together with every item that came while the
 * previous flush was running, so concurrent callers share one database command; a caller alone
 * is flushed at once, without waiting for company. `flush` answers per item, in order (a value,
 * or an Error for that item only); a `flush` that throws rejects its whole batch.
 */
export class Batcher<T, R> {
  private queue: Array<{ item: T; resolve: (r: R) => void; reject: (err: unknown) => void }> = [];
  private flushing = false;
  private readonly flush: (items: T[]) => Promise<Array<R | Error>>;
  private readonly max: number;

  constructor(flush: (items: T[]) => Promise<Array<R | Error>>, max = 200) {
    this.flush = flush;
    this.max = max;
  }

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.max);
        try {
          const results = await this.flush(batch.map((b) => b.item));
          batch.forEach((b, i) => {
            const r = results[i];
            if (r instanceof Error) b.reject(r);
            else b.resolve(r as R);
          });
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
