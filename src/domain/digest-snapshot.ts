import { covers, loadDigestData, type DigestData, type Window } from "./digest.ts";

/** How long a batch's load is reused after it completed (real time). */
export const SNAPSHOT_TTL_MS = 60_000;
/** How much wider than the first digest's needs a batch's load reads meetings and answers. */
const SNAPSHOT_MARGIN_MS = 3 * 86_400_000;

/**
 * One load of the whole deployment shared by the digests of a batch: a load in progress is
 * awaited by every job that asks; a finished one is reused for `ttlMs` of real time after it
 * completed (a large deployment on FerretDB takes about a minute to read). Meetings and survey
 * answers are read for the window the asking digest needs, widened by SNAPSHOT_MARGIN_MS on
 * either side (and the part where every meeting is read, not only the confirmed ones, later by as
 * much) so that the rest of the batch (other zones, later hours) fits in it too; a digest
 * that does not fit gets a load of its own. Once it is no longer reused, the load is let go: a
 * region's weeks of meetings must not stay in the process's memory until the next batch.
 */
export class DigestSnapshot {
  private loadedAt = 0;
  private loading = false;
  private data: Promise<DigestData> | undefined;
  private window: Window | undefined;
  private release: NodeJS.Timeout | undefined;
  private readonly ttlMs: number;
  constructor(ttlMs = SNAPSHOT_TTL_MS) {
    this.ttlMs = ttlMs;
  }
  get(now: Date, needed: Window): Promise<DigestData> {
    if (this.data && covers(this.window, needed) && (this.loading || Date.now() - this.loadedAt <= this.ttlMs)) return this.data;
    this.loading = true;
    const wider = (d: Date) => new Date(d.getTime() - SNAPSHOT_MARGIN_MS);
    const later = (d: Date) => new Date(d.getTime() + SNAPSHOT_MARGIN_MS);
    const to = later(needed.to);
    const aheadFrom = needed.aheadFrom && later(needed.aheadFrom) < to ? later(needed.aheadFrom) : undefined;
    const window: Window = { from: wider(needed.from), to, ...(aheadFrom ? { aheadFrom } : {}) };
    this.window = window;
    const load = loadDigestData(null, now, window);
    this.data = load;
    load.then(
      () => {
        this.loading = false;
        this.loadedAt = Date.now();
        clearTimeout(this.release);
        this.release = setTimeout(() => this.letGo(load), this.ttlMs + 1000);
        this.release.unref();
      },
      () => {
        this.loading = false;
        if (this.data === load) this.data = undefined;
      },
    );
    return load;
  }

  /** Whether a load is held (in progress, or finished and not let go yet). */
  get holding(): boolean {
    return this.data !== undefined;
  }

  private letGo(load: Promise<DigestData>): void {
    if (this.data !== load || this.loading) return;
    this.data = undefined;
    this.window = undefined;
  }
}
