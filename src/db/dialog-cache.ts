import { LRUCache } from "lru-cache";
import { ConversationState, dialogStateChanges, type DialogStateChange } from "../../models/index.ts";
import { StoredKeys } from "./stored-keys.ts";

/**
 * An in-process copy of recent dialog states (the conversations plugin's storage, one per chat),
 * for the read every update makes: most updates come from people in no dialog, and their
 * "no state" is remembered too. Enabled only on FerretDB, where one process owns the database
 * (embedded mode), as the users copy is; on MongoDB several instances may share the database.
 * Kept fresh by the model's change notifications (`dialogStateChanges`): a write names its chat,
 * a write of unknown scope (the sweep of abandoned dialogs) empties the copy; a read that raced
 * with a change is answered but not kept. `connectDatabase` resets it.
 *
 * Besides the recent states it knows every chat that has one stored (read once, their keys only:
 * the collection holds open dialogs, abandoned ones are swept), so a chat outside the recent ones
 * with no dialog (a newcomer, or anyone after 5,000 others wrote) costs no read either. That set
 * may hold more than is stored (a chat some write touched is in it until this process deletes its
 * state), never less (see StoredKeys).
 */
export class DialogStateCache {
  enabled = false;
  private readonly states: LRUCache<string, { state: string | null }>;
  /** Counts the changes seen, so that a read racing with one is not kept. */
  private changes = 0;
  /** Chats that may have a stored state (every stored one is here). */
  private readonly present = new StoredKeys<string>(async () => (await ConversationState.find({}, { key: 1, _id: 0 }).lean()).map((d) => d.key));

  constructor(options: { max?: number; maxChars?: number } = {}) {
    this.states = new LRUCache({
      max: options.max ?? 5000,
      // Replay logs can be long: bound the characters held as well as the chats.
      maxSize: options.maxChars ?? 20_000_000,
      sizeCalculation: (entry) => (entry.state?.length ?? 0) + 1,
    });
    dialogStateChanges.on("change", (change: DialogStateChange) => {
      this.changes++;
      if (change === "all") {
        this.states.clear();
        this.present.drop();
      } else {
        this.states.delete(change.key);
        this.present.mayExist(change.key);
      }
    });
  }

  /** The stored state of this chat's dialog (JSON), or null when it has none. */
  async read(key: string): Promise<string | null> {
    const seen = this.changes;
    if (this.enabled) {
      const known = this.states.get(key);
      if (known) return known.state;
      if (!(await this.present.mayBeStored(key))) return null;
    }
    const doc = await ConversationState.findOne({ key }).lean();
    const state = doc?.state ?? null;
    if (this.enabled && seen === this.changes) this.states.set(key, { state });
    return state;
  }

  /**
   * Whether this chat surely has no stored dialog now (a first step may then insert its state,
   * one statement on FerretDB, where an upsert first looks for it). Asks the database nothing.
   */
  knownAbsent(key: string): boolean {
    if (!this.enabled) return false;
    const known = this.states.peek(key);
    return known ? known.state === null : this.present.mayBeStoredNow(key) === false;
  }

  /** Records what this process just wrote (after the write succeeded). */
  wrote(key: string, state: string | null): void {
    if (!this.enabled) return;
    this.states.set(key, { state });
    if (state === null) this.present.removed(key);
    else this.present.mayExist(key);
  }

  /** Forgets a chat whose write may or may not have landed. */
  forget(key: string): void {
    this.changes++;
    this.states.delete(key);
    this.present.mayExist(key);
  }

  get size(): number {
    return this.states.size;
  }

  /** How many chats the set of stored dialogs holds (undefined until it is read). */
  get presentSize(): number | undefined {
    return this.present.size;
  }

  reset(): void {
    this.changes++;
    this.states.clear();
    this.present.drop();
  }
}

/** The process's dialog-state copy; `connectDatabase` enables it on FerretDB. */
export const dialogStateCache = new DialogStateCache();
