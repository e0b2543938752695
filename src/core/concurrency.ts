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
 * previous flush was running, so concurrent callers share one database command. A caller alone is
 * flushed at once, without waiting for company, unless `lingerMs` is given: then the first item
 * waits that long for others (callers that need not wait for the result, such as the update
 * ledger's done marks). `flush` answers per item, in order (a value, or an Error for that item
 * only); a `flush` that throws rejects its whole batch. `settle()` flushes what waits and
 * resolves when nothing is left (a graceful stop).
 */
export class Batcher<T, R> {
  private queue: Array<{ item: T; resolve: (r: R) => void; reject: (err: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;
  private lingering: NodeJS.Timeout | undefined;
  private readonly flush: (items: T[]) => Promise<Array<R | Error>>;
  private readonly max: number;
  private readonly lingerMs: number;

  constructor(flush: (items: T[]) => Promise<Array<R | Error>>, max = 200, options: { lingerMs?: number } = {}) {
    this.flush = flush;
    this.max = max;
    this.lingerMs = options.lingerMs ?? 0;
  }

  /** Items waiting for a flush that has not started. */
  get waiting(): number {
    return this.queue.length;
  }

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) this.arm();
    });
  }

  /** Flushes now, or (lingering) once the first waiting item has waited lingerMs or the batch is full. */
  private arm(): void {
    if (this.lingerMs > 0 && this.queue.length < this.max) {
      if (!this.lingering) {
        this.lingering = setTimeout(() => this.start(), this.lingerMs);
        this.lingering.unref?.();
      }
    } else this.start();
  }

  async settle(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) {
      if (!this.flushing) this.start();
      await this.flushing;
    }
  }

  private start(): void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.arm();
    });
  }

  private async drain(): Promise<void> {
    // Without lingering, what came during a flush goes at once; lingering, it waits for company.
    for (let first = true; this.queue.length > 0 && (first || this.lingerMs === 0 || this.queue.length >= this.max); first = false) {
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
  }
}
