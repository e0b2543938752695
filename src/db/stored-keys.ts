/**
 * The keys a collection may hold (a chat with a stored dialog, a Telegram id with a stored user),
 * for in-process copies that answer "nobody here" without a read: read once, their keys only, and
 * kept by what the owner reports. It may hold more keys than are stored, never fewer:
 * - `mayExist(key)` for every write that may have stored the key (also one that lands while the
 *   keys are being read: it is added to them once read);
 * - `removed(key)` only for a key this process has just deleted;
 * - `drop()` after a write of unknown scope: the keys are read again when next needed, and a read
 *   begun before is not used.
 */
export class StoredKeys<K> {
  private keys: Set<K> | undefined;
  private loading: Promise<void> | undefined;
  /** Keys written while the keys are being read (added to them once read). */
  private touchedWhileLoading: Set<K> | undefined;
  /** Counts the times the keys were thrown away: a read of them begun before is not used. */
  private epoch = 0;
  private readonly load: () => Promise<Iterable<K>>;

  constructor(load: () => Promise<Iterable<K>>) {
    this.load = load;
  }

  /** False only when `key` is surely not stored; reads the keys first when they are not known. */
  async mayBeStored(key: K): Promise<boolean> {
    while (!this.keys) {
      this.loading ??= this.read().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.keys.has(key);
  }

  /**
   * The same without waiting: undefined while the keys are not known (their read is then started,
   * and a failed one is tried again at the next call).
   */
  mayBeStoredNow(key: K): boolean | undefined {
    if (this.keys) return this.keys.has(key);
    this.loading ??= this.read()
      .catch(() => undefined)
      .finally(() => (this.loading = undefined));
    return undefined;
  }

  /** A write may have stored `key`. */
  mayExist(key: K): void {
    this.keys?.add(key);
    this.touchedWhileLoading?.add(key);
  }

  /** This process has just deleted `key`. */
  removed(key: K): void {
    this.keys?.delete(key);
  }

  /** A write of unknown scope: read the keys again when next needed. */
  drop(): void {
    this.epoch++;
    this.keys = undefined;
  }

  /** How many keys are held (undefined until read). */
  get size(): number | undefined {
    return this.keys?.size;
  }

  private async read(): Promise<void> {
    const epoch = this.epoch;
    const touched = new Set<K>();
    this.touchedWhileLoading = touched;
    try {
      const keys = new Set(await this.load());
      if (epoch !== this.epoch) return; // thrown away meanwhile: read again
      for (const key of touched) keys.add(key);
      this.keys = keys;
    } finally {
      if (this.touchedWhileLoading === touched) this.touchedWhileLoading = undefined;
    }
  }
}
