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

/** How long an update id is remembered; Telegram keeps undelivered updates for 24 hours. */
export const PROCESSED_UPDATE_RETENTION_MS = 7 * 24 * 3600 * 1000;

export async function pruneProcessedUpdates(now: Date): Promise<number> {
  const res = await ProcessedUpdate.deleteMany({ status: { $ne: "running" }, createdAt: { $lt: new Date(now.getTime() - PROCESSED_UPDATE_RETENTION_MS) } });
  return res.deletedCount;
}
