/**
 * An in-process copy of a set of documents, kept fresh by a model's change notifications (the
 * mentor registry, the curators): loaded whole at its first use, then each write the model
 * announces marks what it names (re-read before the next use) or, of unknown scope, asks for a
 * reload. One refresh runs at a time; callers arriving meanwhile wait for it and then refresh what
 * is left. Enabled by `connectDatabase` on FerretDB only, where one process owns the database; on
 * MongoDB the indexed queries are used and several instances need no shared copy.
 */
export abstract class ChangeFedCopy<T> {
  enabled = false;
  protected docs = new Map<string, T>();
  protected loaded = false;
  protected reloadRequested = false;
  private pending: Promise<void> | undefined;

  /** The whole set, by key (read when the copy is cold or a reload was asked for). */
  protected abstract loadAll(): Promise<Map<string, T>>;
  /** Whether writes marked documents to read again. */
  protected abstract hasMarks(): boolean;
  protected abstract clearMarks(): void;
  /** Reads again what the writes marked (taking the marks first) and updates `docs`. */
  protected abstract rereadMarked(): Promise<void>;

  /** Forget everything (tests switch databases; a new connection starts cold). */
  reset(): void {
    this.docs.clear();
    this.loaded = false;
    this.reloadRequested = false;
    this.clearMarks();
  }

  /** Every document, fresh as of the last completed write (shared objects: do not change them). */
  async all(): Promise<T[]> {
    await this.fresh();
    return [...this.docs.values()];
  }

  /** One document by its key, fresh as of the last completed write. */
  async get(key: string): Promise<T | undefined> {
    await this.fresh();
    return this.docs.get(key);
  }

  private async fresh(): Promise<void> {
    while (this.pending) await this.pending;
    if (!this.loaded || this.reloadRequested || this.hasMarks()) {
      this.pending = this.refresh().finally(() => (this.pending = undefined));
      await this.pending;
    }
  }

  private async refresh(): Promise<void> {
    if (!this.loaded || this.reloadRequested) {
      this.reloadRequested = false;
      this.clearMarks();
      // Writes from now on are marked: one racing with the load is read again after it.
      this.loaded = true;
      try {
        this.docs = await this.loadAll();
      } catch (err) {
        this.loaded = false; // the next use tries again
        throw err;
      }
    }
    await this.rereadMarked();
  }
}
