import { Schema, model } from "mongoose";

/**
 * Updates being handled and handled (issue 13: exactly once in effect). An update is recorded
 * `running` with a lease (`holder`, `lockedUntil`) and the update itself before its handler
 * runs, and `done` after it, when the update text is removed. A redelivered update that is
 * `done` is skipped; one still `running` after its lease expired (its process died) is handled
 * again, by a redelivery or by the recovery sweep from the stored update.
 * Records written before this scheme have no status and count as done.
 */
const processedUpdateSchema = new Schema({
  botId: { type: Number, required: true },
  updateId: { type: Number, required: true },
  status: { type: String, enum: ["running", "done"], default: "done" },
  holder: { type: String, maxlength: 200 },
  lockedUntil: { type: Date },
  /** The update as JSON while it runs (for recovery); removed when done. */
  update: { type: String, maxlength: 200_000 },
  /** The private chat, so erasure can remove an unfinished update of the person. */
  chatId: { type: Number },
  attempts: { type: Number, default: 0 },
  createdAt: { type: Date, required: true, default: () => new Date() },
  doneAt: { type: Date },
});
processedUpdateSchema.index({ botId: 1, updateId: 1 }, { unique: true });
// No TTL index (FerretDB lacks it): old records are pruned by `pruneProcessedUpdates`.
processedUpdateSchema.index({ createdAt: 1 });
processedUpdateSchema.index({ status: 1 });

export const ProcessedUpdate = model("ProcessedUpdate", processedUpdateSchema);

/** Update ids are taken in blocks of this many (see `UpdateIdBlock`). */
export const UPDATE_ID_BLOCK = 1000;

/**
 * Blocks of a bot's update ids, each recorded by the first ledger (process) that met an id in it:
 * `_id` is `<botId>:<floor(updateId / UPDATE_ID_BLOCK)>`, unique, so exactly one process takes a
 * block. Every ledger record of an id lies in a block taken before it was written (records older
 * than the blocks got theirs at connect, see `backfillUpdateIdBlocks`), so the process that took a
 * block knows, without asking the database, that an id of it which it has not met yet is recorded
 * nowhere: it handles such an update while its record is being written (src/bot/exactly-once.ts).
 */
const updateIdBlockSchema = new Schema({
  _id: { type: String, required: true },
  holder: { type: String, maxlength: 200 },
  createdAt: { type: Date, required: true, default: () => new Date() },
});
updateIdBlockSchema.index({ createdAt: 1 });

export const UpdateIdBlock = model("UpdateIdBlock", updateIdBlockSchema);

export const updateIdBlockKey = (botId: number, updateId: number) => `${botId}:${Math.floor(updateId / UPDATE_ID_BLOCK)}`;

/**
 * Gives every block that holds a ledger record, and has no block record, one (held by nobody):
 * the ledger records written before blocks existed. Idempotent. Returns how many were added.
 */
export async function backfillUpdateIdBlocks(): Promise<number> {
  const keys = new Set<string>();
  for await (const r of ProcessedUpdate.find({}, { _id: 0, botId: 1, updateId: 1 }).lean().cursor()) keys.add(updateIdBlockKey(r.botId, r.updateId));
  if (keys.size === 0) return 0;
  const have = new Set((await UpdateIdBlock.find({ _id: { $in: [...keys] } }, { _id: 1 }).lean()).map((b) => b._id));
  const missing = [...keys].filter((k) => !have.has(k));
  if (missing.length) await UpdateIdBlock.insertMany(missing.map((_id) => ({ _id, holder: "(before blocks)" })), { ordered: false });
  return missing.length;
}

/** How long an update id is remembered; Telegram keeps undelivered updates for 24 hours. */
export const PROCESSED_UPDATE_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** How long after taking a block a ledger takes its ids as fresh: a day before the block is pruned. */
export const UPDATE_ID_BLOCK_TRUST_MS = PROCESSED_UPDATE_RETENTION_MS - 24 * 3600 * 1000;

export async function pruneProcessedUpdates(now: Date): Promise<number> {
  const before = new Date(now.getTime() - PROCESSED_UPDATE_RETENTION_MS);
  const res = await ProcessedUpdate.deleteMany({ status: { $ne: "running" }, createdAt: { $lt: before } });
  // A ledger stops taking a block's ids as fresh well before this (UPDATE_ID_BLOCK_TRUST_MS).
  await UpdateIdBlock.deleteMany({ createdAt: { $lt: before } });
  return res.deletedCount;
}
