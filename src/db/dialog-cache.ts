import { LRUCache } from "lru-cache";
import { ConversationState, dialogStateChanges, type DialogStateChange } from "../../models/index.ts";

/**
 * An in-process copy of recent dialog states (the conversations plugin's storage, one per chat),
 * for the read every update makes: most updates come from people in no dialog, and their
 * "no state" is remembered too. Enabled only on FerretDB, where one process owns the database
 * (embedded mode), as the users copy is; on MongoDB several instances may share the database.
 * Kept fresh by the model's change notifications (`dialogStateChanges`): a write names its chat,
 * a write of unknown scope (the sweep of abandoned dialogs) empties the copy; a read that raced
 * with a change is answered but not kept. `connectDatabase` resets it.
 */
export class DialogStateCache {
  enabled = false;
  private readonly states: LRUCache<string, { state: string | null }>;
  /** Counts the changes seen, so that a read racing with one is not kept. */
  private changes = 0;

  constructor(options: { max?: number; maxChars?: number } = {}) {
    this.states = new LRUCache({
      max: options.max ?? 5000,
      // Replay logs can be long: bound the characters held as well as the chats.
      maxSize: options.maxChars ?? 20_000_000,
      sizeCalculation: (entry) => (entry.state?.length ?? 0) + 1,
    });
    dialogStateChanges.on("change", (change: DialogStateChange) => {
      this.changes++;
      if (change === "all") this.states.clear();
      else this.states.delete(change.key);
    });
  }

  /** The stored state of this chat's dialog (JSON), or null when it has none. */
  async read(key: string): Promise<string | null> {
    const known = this.enabled ? this.states.get(key) : undefined;
    if (known) return known.state;
    const seen = this.changes;
    const doc = await ConversationState.findOne({ key }).lean();
    const state = doc?.state ?? null;
    if (this.enabled && seen === this.changes) this.states.set(key, { state });
    return state;
  }

  /** Records what this process just wrote (after the write succeeded). */
  wrote(key: string, state: string | null): void {
    if (this.enabled) this.states.set(key, { state });
  }

  /** Forgets a chat whose write may or may not have landed. */
  forget(key: string): void {
    this.changes++;
    this.states.delete(key);
  }

  get size(): number {
    return this.states.size;
  }

  reset(): void {
    this.changes++;
    this.states.clear();
  }
}

/** The process's dialog-state copy; `connectDatabase` enables it on FerretDB. */
export const dialogStateCache = new DialogStateCache();
