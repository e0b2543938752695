import { LRUCache } from "lru-cache";
import { mongo } from "mongoose";
import { User, userChanges, type StoredTelegramIds, type UserChange, type UserDocument, type UserRecord } from "../../models/index.ts";
import { readModels } from "./read-connection.ts";
import { StoredKeys } from "./stored-keys.ts";
import { UserMarks } from "./user-marks.ts";

/**
 * An in-process copy of users, for the lookup every update makes (`telegramId` → user). Enabled
 * only on FerretDB, where one process owns the database (embedded mode); on MongoDB the indexed
 * query is used and several instances need no shared cache. `connectDatabase` resets it and picks
 * the mode:
 * - `all` (FerretDB on SQLite, or a FerretDB build without the project's index patch): every read
 *   decodes the whole collection there (measured: 330 ms per lookup at 2,000 users, 3.7 s at
 *   20,000), so the whole collection is copied once and kept fresh by the model's change
 *   notifications (`userChanges`): a write that names its users re-reads them by `_id` before the
 *   next lookup; a write of unknown scope (or a raw driver write, which must call
 *   `usersChangedOutsideModel()`) reloads everything.
 * - `recent` (FerretDB on PostgreSQL with the patch, where the lookup is an index read): only the
 *   RECENT_USERS people who wrote last are kept, so memory stays flat as the registry grows; a
 *   change drops the users it names (everyone, when it names none), and a lookup that raced with
 *   a change is answered but not kept. A lean `findOneAndUpdate` returning the document after the write hands the
 *   written document over with its change, and it is kept as it is (no read after the write).
 *   Besides, it knows every Telegram id stored (read once, the ids only; see StoredKeys), so a
 *   newcomer's lookup costs no read: each change says which ids the write may have stored, and
 *   a write outside the model has them read again.
 */
export type UserLean = UserRecord & { _id: mongo.ObjectId; createdAt?: Date; updatedAt?: Date };

/** How many recently seen users the `recent` mode keeps (about 5 KB each). */
export const RECENT_USERS = 2000;

export class UserCache {
  enabled = false;
  mode: "all" | "recent" = "all";
  private byTelegram = new Map<number, UserLean>();
  private telegramById = new Map<string, number>();
  private loaded = false;
  private reloadRequested = false;
  private readonly marks = new UserMarks();
  private pending: Promise<void> | undefined;
  private readonly recent: LRUCache<number, { doc: UserLean | null }>;
  private readonly recentIds = new Map<string, number>();
  /** Counts the changes seen, so that a lookup racing with one is not kept. */
  private changes = 0;
  /**
   * Telegram ids that may be stored (every stored one is here); `recent` mode only. Read on the
   * heavy reads' connection: 20,000 ids take about a second, which the one main connection would
   * make everyone's updates wait out.
   */
  private readonly stored = new StoredKeys<number>(async () =>
    ((await readModels().User.find({}, { telegramId: 1, _id: 0 }).lean()) as Array<{ telegramId?: unknown }>).flatMap((u) => (typeof u.telegramId === "number" ? [u.telegramId] : [])),
  );

  constructor(options: { recentMax?: number } = {}) {
    this.recent = new LRUCache<number, { doc: UserLean | null }>({
      max: options.recentMax ?? RECENT_USERS,
      dispose: ({ doc }) => {
        if (doc && this.recentIds.get(doc._id.toString()) === doc.telegramId) this.recentIds.delete(doc._id.toString());
      },
    });
    userChanges.on("change", (change: UserChange, stored: StoredTelegramIds = "unknown") => {
      this.changes++;
      if (stored === "unknown") this.stored.drop();
      else for (const tg of stored) this.stored.mayExist(tg);
      if (change === "all") {
        this.recent.clear();
      } else {
        for (const id of change.ids) {
          const tg = this.recentIds.get(id);
          if (tg !== undefined) this.recent.delete(tg);
        }
        for (const tg of change.telegramIds) this.recent.delete(tg);
        // The write handed back the document as it now is (`findOneAndUpdate` returning it after the write):
        // the next lookup needs no read. Changes arrive in the order the writes completed.
        const doc = change.written as UserLean | undefined;
        if (this.mode === "recent" && typeof doc?.telegramId === "number") {
          this.recent.set(doc.telegramId, { doc: copy(doc) });
          this.recentIds.set(doc._id.toString(), doc.telegramId);
        }
      }
      if (this.loaded && !this.marks.add(change)) this.reloadRequested = true;
    });
  }

  /** Forget everything (tests switch databases; a new connection starts cold). */
  reset(): void {
    this.changes++;
    this.stored.drop();
    this.recent.clear();
    this.recentIds.clear();
    this.byTelegram.clear();
    this.telegramById.clear();
    this.loaded = false;
    this.reloadRequested = false;
    this.marks.clear();
  }

  /** The user with this Telegram id, fresh as of the last completed write (a private copy). */
  async byTelegramId(telegramId: number): Promise<UserLean | null> {
    if (this.mode === "recent") return this.recentByTelegramId(telegramId);
    while (this.pending) await this.pending;
    if (!this.loaded || this.reloadRequested || this.marks.any) {
      this.pending = this.refresh().finally(() => (this.pending = undefined));
      await this.pending;
    }
    const doc = this.byTelegram.get(telegramId);
    return doc ? copy(doc) : null;
  }

  /** How many Telegram ids the set of stored ones holds (undefined until it is read). */
  get storedSize(): number | undefined {
    return this.stored.size;
  }

  /** How many users the `recent` mode holds now. */
  get recentSize(): number {
    return this.recent.size;
  }

  private async recentByTelegramId(telegramId: number): Promise<UserLean | null> {
    const known = this.recent.get(telegramId);
    if (known) return known.doc ? copy(known.doc) : null;
    // Not stored at all (a newcomer): no read, and nothing kept that would push out someone who is.
    if (this.stored.mayBeStoredNow(telegramId) === false) return null;
    const seen = this.changes;
    const doc = (await User.findOne({ telegramId }).lean()) as UserLean | null;
    // "Nobody with this id" is kept too: a newcomer's every update asks before registering.
    if (seen === this.changes) {
      this.recent.set(telegramId, { doc });
      if (doc) this.recentIds.set(doc._id.toString(), telegramId);
    }
    return doc ? copy(doc) : null;
  }

  private put(doc: UserLean): void {
    const id = doc._id.toString();
    const old = this.telegramById.get(id);
    if (old !== undefined && old !== doc.telegramId) this.byTelegram.delete(old);
    if (doc.telegramId == null) {
      this.telegramById.delete(id);
      return;
    }
    this.byTelegram.set(doc.telegramId, doc);
    this.telegramById.set(id, doc.telegramId);
  }

  private drop(id: string): void {
    const tg = this.telegramById.get(id);
    if (tg !== undefined && this.byTelegram.get(tg)?._id.toString() === id) this.byTelegram.delete(tg);
    this.telegramById.delete(id);
  }

  private async refresh(): Promise<void> {
    if (!this.loaded || this.reloadRequested) {
      this.loaded = true; // changes from now on are recorded
      this.reloadRequested = false;
      this.marks.clear();
      this.byTelegram.clear();
      this.telegramById.clear();
      try {
        for (const doc of (await User.find({ telegramId: { $exists: true } }).lean()) as UserLean[]) this.put(doc);
      } catch (err) {
        this.loaded = false;
        throw err;
      }
    }
    const marked = this.marks.take();
    const ids = new Set(marked.ids);
    const unknownTelegramIds: number[] = [];
    for (const tg of marked.telegramIds) {
      const known = this.byTelegram.get(tg);
      if (known) ids.add(known._id.toString());
      else unknownTelegramIds.push(tg);
    }
    for (const id of ids) {
      const doc = (await User.findById(id).lean()) as UserLean | null;
      if (doc) this.put(doc);
      else this.drop(id);
    }
    // A write by Telegram id of a user the copy does not hold (an upsert that did not say its id).
    for (const tg of unknownTelegramIds) {
      const doc = (await User.findOne({ telegramId: tg }).lean()) as UserLean | null;
      if (doc) this.put(doc);
    }
  }
}

function copy(doc: UserLean): UserLean {
  return mongo.BSON.deserialize(mongo.BSON.serialize(doc)) as UserLean;
}

/** The process's user cache; `connectDatabase` enables it on FerretDB. */
export const userCache = new UserCache();

/** The user with this Telegram id as plain data: from the cache on FerretDB, else by the indexed query. */
export async function findUserByTelegramId(telegramId: number): Promise<UserLean | null> {
  if (userCache.enabled) return userCache.byTelegramId(telegramId);
  return (await User.findOne({ telegramId }).lean()) as UserLean | null;
}

/** The same, as a mongoose document (a private copy: saving it writes through the model). */
export async function loadUserByTelegramId(telegramId: number): Promise<UserDocument | null> {
  if (!userCache.enabled) return User.findOne({ telegramId });
  const doc = await userCache.byTelegramId(telegramId);
  return doc ? (User.hydrate(doc) as UserDocument) : null;
}

/**
 * The filter for a write to the user with this Telegram id: `{_id}` when the cache holds them,
 * else `{telegramId}`. FerretDB 1.24 on SQLite pushes down nothing but an exact `{_id}` filter
 * (a `{telegramId}` write decodes every stored user); on MongoDB either is an indexed write.
 */
export async function userWriteFilter(telegramId: number): Promise<{ _id: mongo.ObjectId } | { telegramId: number }> {
  const cached = userCache.enabled ? await userCache.byTelegramId(telegramId) : null;
  return cached ? { _id: cached._id } : { telegramId };
}

/** The registered user with this Telegram id (and not erased, when asked), as plain data. */
export async function findRegisteredUser(telegramId: number | undefined, options: { notErased?: boolean } = {}): Promise<UserLean | null> {
  if (telegramId === undefined) return null;
  const user = await findUserByTelegramId(telegramId);
  if (!user?.registeredAt || (options.notErased && user.erasedAt)) return null;
  return user;
}
