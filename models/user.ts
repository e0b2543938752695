import { EventEmitter } from "node:events";
import { modelNow, TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType, type HydratedDocument } from "mongoose";

export const ROLES = ["mentee", "mentor", "curator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const POSITIONS = [
  "educator",
  "senior_educator",
  "music_director",
  "pe_instructor",
  "speech_therapist",
  "psychologist",
  "defectologist",
  "methodologist",
  "head",
  "other",
] as const;
export type Position = (typeof POSITIONS)[number];

export const QUALIFICATION_CATEGORIES = ["none", "meets_position", "first", "highest", "teacher_mentor", "teacher_methodologist"] as const;
export const EDUCATION_PROFILES = ["pedagogical", "non_core", "retraining"] as const;

/**
 * A role held by a person, scoped to an organization or a network; admin is deployment-wide
 * (no scope). One person may hold several.
 */
const roleSchema = new Schema(
  {
    role: { type: String, enum: ROLES, required: true },
    organizationId: { type: Types.ObjectId },
    networkId: { type: Types.ObjectId },
    grantedAt: { type: Date, required: true },
    grantedBy: { type: String, maxlength: 100 },
  },
  { _id: false },
);

const profileSchema = new Schema(
  {
    fullName: { type: String, trim: true, maxlength: 150 },
    birthYear: { type: Number, min: 1930, max: 2100 },
    position: { type: String, enum: POSITIONS },
    positionOther: { type: String, trim: true, maxlength: 100 },
    experienceYears: { type: Number, min: 0, max: 70 },
    qualificationCategory: { type: String, enum: QUALIFICATION_CATEGORIES },
    educationProfile: { type: String, enum: EDUCATION_PROFILES },
    /** Grammatical gender chosen in /profile; unset means "read it from the patronymic". */
    gender: { type: String, enum: ["female", "male"] },
    /** Start of work in the organization (local midnight): adaptation surveys at 1, 3 and 12 months (issue 16). */
    workStartedAt: { type: Date },
  },
  { _id: false },
);

/**
 * One document per Telegram account. Before consent it holds only technical data (Telegram id,
 * chosen language, reachability). After `/deleteme` it is a tombstone: no Telegram id, no
 * profile, only `erasedAt`, so anonymised records that point at it stay consistent.
 */
const userSchema = new Schema(
  {
    telegramId: { type: Number, unique: true, sparse: true },
    locale: { type: String, enum: ["ru", "en"] },
    /** Telegram @username, the contact handle shown to a paired counterpart. */
    username: { type: String, maxlength: 64 },
    profile: { type: profileSchema },
    /** The organization the person works in. */
    organizationId: { type: Types.ObjectId, index: true },
    roles: { type: [roleSchema], default: [] },
    /** Set when onboarding is confirmed (consent given, profile complete). */
    registeredAt: { type: Date },
    /** Set when Telegram answers 403 (bot blocked); cleared by a `my_chat_member` unblock. */
    unreachable: { type: Boolean, default: false },
    unreachableSince: { type: Date },
    erasedAt: { type: Date },
  },
  { timestamps: TIMESTAMPS },
);
userSchema.index({ "roles.role": 1, "roles.organizationId": 1 });

/**
 * Change notifications for in-process caches (`src/db/user-cache.ts`): every write through the
 * model says which users it touched — `{ ids }` (by `_id`), `{ telegramIds }`, or `"all"` when
 * the filter names neither. A write that bypasses the model (the raw driver) must call
 * `usersChangedOutsideModel()`.
 *
 * Each notification also says which Telegram ids the write may have stored (`StoredTelegramIds`):
 * the ids an insert, an upsert or a `$set` of `telegramId` names; none for a delete or any other
 * update; "unknown" for a write outside the model.
 */
export type UserChange = { ids: string[]; telegramIds: number[]; written?: Record<string, unknown> } | "all";
export type StoredTelegramIds = number[] | "unknown";
export const userChanges = new EventEmitter();
userChanges.setMaxListeners(100);

function announce(change: UserChange, stored: StoredTelegramIds): void {
  userChanges.emit("change", change, stored);
}

export function usersChangedOutsideModel(): void {
  announce("all", "unknown");
}

/**
 * The Telegram ids a query write (`$set`/`$setOnInsert`, a replacement, an upsert's filter) may
 * have stored; a delete has no update and stores none.
 */
function storedBy(query: { getFilter(): unknown; getUpdate(): unknown; getOptions(): unknown }): StoredTelegramIds {
  const out: number[] = [];
  if ((query.getOptions() as { upsert?: boolean }).upsert) for (const tg of scalars((query.getFilter() as { telegramId?: unknown }).telegramId) ?? []) out.push(Number(tg));
  const u = (query.getUpdate() ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(u)) {
    if (key === "telegramId") {
      if (typeof value !== "number") return "unknown";
      out.push(value);
    } else if (key.startsWith("$") && value && typeof value === "object" && "telegramId" in value) {
      const tg = (value as { telegramId: unknown }).telegramId;
      if ((key !== "$set" && key !== "$setOnInsert") || typeof tg !== "number") return "unknown";
      out.push(tg);
    }
  }
  return out;
}

function scalars(value: unknown): unknown[] | undefined {
  if (value instanceof Types.ObjectId || typeof value === "string" || typeof value === "number") return [value];
  if (value && typeof value === "object" && "$in" in value && Array.isArray((value as { $in: unknown }).$in)) return (value as { $in: unknown[] }).$in;
  return undefined;
}

function changeOf(filter: Record<string, unknown> | undefined, result: unknown): UserChange {
  const ids = scalars(filter?._id)?.map(String);
  const telegramIds = scalars(filter?.telegramId)?.map(Number);
  if (!ids && !telegramIds) return "all";
  const change = { ids: ids ?? [], telegramIds: telegramIds ?? [] };
  // An upsert or findOneAndUpdate names the document it wrote.
  const r = result as { upsertedId?: unknown; _id?: unknown } | null | undefined;
  if (r?.upsertedId != null) change.ids.push(String(r.upsertedId));
  if (r?._id != null) change.ids.push(String(r._id));
  return change;
}

userSchema.post(["updateOne", "updateMany", "deleteOne", "deleteMany", "findOneAndDelete", "replaceOne"], function (result: unknown) {
  announce(changeOf(this.getFilter() as Record<string, unknown>, result), storedBy(this));
});
userSchema.post("findOneAndUpdate", function (result: unknown) {
  const change = changeOf(this.getFilter() as Record<string, unknown>, result);
  // Asked for the whole document as written (`returnDocument: "after"`, no projection): the change carries it,
  // so a copy can take it instead of reading it again.
  const options = this.getOptions() as { new?: boolean; returnDocument?: string; includeResultMetadata?: boolean; rawResult?: boolean };
  const after = (options.new === true || options.returnDocument === "after") && !options.includeResultMetadata && !options.rawResult;
  const projection = this.projection() as Record<string, unknown> | undefined;
  // Lean only: a hydrated document would carry the schema's defaults, which a stored one may lack.
  const lean = Boolean((this.mongooseOptions() as { lean?: unknown }).lean);
  if (change !== "all" && after && lean && (!projection || Object.keys(projection).length === 0) && result && typeof result === "object" && "_id" in result) {
    change.written = result as Record<string, unknown>;
  }
  announce(change, storedBy(this));
});
userSchema.post("save", function (doc) {
  const telegramIds = doc.telegramId != null ? [doc.telegramId] : [];
  announce({ ids: [String(doc._id)], telegramIds }, telegramIds);
});
userSchema.post("deleteOne", { document: true, query: false }, function (doc) {
  announce({ ids: [String(doc._id)], telegramIds: [] }, []);
});
userSchema.post("insertMany", function (docs: unknown) {
  const list = (Array.isArray(docs) ? docs : [docs]) as Array<{ telegramId?: unknown } | null>;
  announce("all", list.some((d) => d?.telegramId != null && typeof d.telegramId !== "number") ? "unknown" : list.flatMap((d) => (typeof d?.telegramId === "number" ? [d.telegramId] : [])));
});

// A bulk write names its users only in its operations, which the hook does not see: copies read everything again.
userSchema.post("bulkWrite", function () {
  announce("all", "unknown");
});

/** One person's write in `upsertUsers`: their user by `_id` or Telegram id, and plain values to set. */
export interface UserUpsert {
  filter: { _id: Types.ObjectId } | { telegramId: number };
  telegramId: number;
  $set: Record<string, unknown>;
  $setOnInsert?: Record<string, unknown>;
}

/**
 * Sets fields of several people's users by one command, each user created where none is stored
 * (measured on FerretDB: 300 upserts one by one 355–520 ms, by one bulk write 103–146 ms). Each
 * is announced as the model's own writes are, with the document as written (read back by one
 * query of their `_id`s), so an in-process copy needs no read. Timestamps by the model clock.
 * A failure of the command announces every user as changed and throws. Returns the `_id`s of the
 * users read back, by Telegram id (not those found by their Telegram id that existed before).
 */
export async function upsertUsers(writes: readonly UserUpsert[]): Promise<Map<number, Types.ObjectId>> {
  const ids = new Map<number, Types.ObjectId>();
  if (writes.length === 0) return ids;
  const now = modelNow();
  let upserted: Record<number, unknown>;
  try {
    const res = await User.collection.bulkWrite(
      writes.map((w) => ({
        updateOne: {
          filter: w.filter,
          update: { $set: { ...w.$set, updatedAt: now }, $setOnInsert: { ...w.$setOnInsert, telegramId: w.telegramId, createdAt: now, __v: 0 } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    upserted = res.upsertedIds;
  } catch (err) {
    announce("all", "unknown");
    throw err;
  }
  // The users named by `_id` and the ones just created are read back by their `_id`s and matched
  // by Telegram id (FerretDB numbers `upsertedIds` among the upserts only, not among all the
  // operations). One found by its Telegram id is read again by a copy when next needed: a list
  // of Telegram ids is no index read on FerretDB (300 among 20,000 users 1–1.6 s, 300 `_id`s
  // 11–40 ms).
  const known = [...writes.flatMap((w) => ("_id" in w.filter ? [w.filter._id] : [])), ...(Object.values(upserted) as Types.ObjectId[])];
  const written = new Map<number, Record<string, unknown>>();
  try {
    if (known.length > 0) for (const doc of await User.collection.find({ _id: { $in: known } }).toArray()) if (typeof doc.telegramId === "number") written.set(doc.telegramId, doc);
  } catch {
    // Written all the same: announced without the documents, a copy reads them when next needed.
  }
  for (const w of writes) {
    const doc = written.get(w.telegramId);
    const changed = [...("_id" in w.filter ? [String(w.filter._id)] : []), ...(doc ? [String(doc._id)] : [])];
    announce({ ids: changed, telegramIds: [w.telegramId], ...(doc ? { written: doc } : {}) }, [w.telegramId]);
  }
  for (const [telegramId, doc] of written) ids.set(telegramId, doc._id as Types.ObjectId);
  return ids;
}

/** One person's write in `updateUsers`: their user by `_id` (with more conditions, if any) and plain operators. */
export interface UserUpdate {
  _id: Types.ObjectId;
  telegramId: number;
  /** More of the filter beside the `_id` (the write is made only where it matches). */
  where?: Record<string, unknown>;
  $set: Record<string, unknown>;
  $unset?: Record<string, 1>;
  $push?: Record<string, unknown>;
}

/** The update operators of one `UserUpdate`, without `updatedAt` (mongoose's timestamps set it on a model write; `updateUsers` sets it itself). */
export function userUpdateOperators(w: UserUpdate): Record<string, unknown> {
  return { $set: w.$set, ...(w.$unset ? { $unset: w.$unset } : {}), ...(w.$push ? { $push: w.$push } : {}) };
}

/**
 * Updates several people's users by one command and reads them back by their `_id`s (one query;
 * an index read where the engine reads `_id` lists by index). Each is announced as the model's own
 * writes are, with the document as written. Returns the documents read back, by `_id` (a write
 * whose condition did not match leaves its user as it was: the caller tells by the document). A
 * failure of the command announces every user as changed and throws.
 */
export async function updateUsers(writes: readonly UserUpdate[]): Promise<Map<string, Record<string, unknown>>> {
  const docs = new Map<string, Record<string, unknown>>();
  if (writes.length === 0) return docs;
  const now = modelNow();
  try {
    await User.collection.bulkWrite(
      writes.map((w) => ({
        updateOne: {
          filter: { _id: w._id, ...w.where },
          update: { ...userUpdateOperators(w), $set: { ...w.$set, updatedAt: now } },
        },
      })) as Parameters<typeof User.collection.bulkWrite>[0],
      { ordered: false },
    );
  } catch (err) {
    announce("all", "unknown");
    throw err;
  }
  try {
    for (const doc of await User.collection.find({ _id: { $in: writes.map((w) => w._id) } }).toArray()) docs.set(String(doc._id), doc);
  } catch {
    // Written all the same: announced without the documents, a copy reads them when next needed.
  }
  for (const w of writes) {
    const doc = docs.get(String(w._id));
    announce({ ids: [String(w._id)], telegramIds: [w.telegramId], ...(doc ? { written: doc } : {}) }, [w.telegramId]);
  }
  return docs;
}

export type UserRecord = InferSchemaType<typeof userSchema>;
export type UserDocument = HydratedDocument<UserRecord>;
export const User = model("User", userSchema);
