import { Schema, model } from "mongoose";

/** Update ids already handled, so a redelivered update (after a crash or restart) runs once. */
const processedUpdateSchema = new Schema({
  botId: { type: Number, required: true },
  updateId: { type: Number, required: true },
  createdAt: { type: Date, required: true, default: () => new Date() },
});
processedUpdateSchema.index({ botId: 1, updateId: 1 }, { unique: true });
// No TTL index (FerretDB lacks it): old records are pruned by `pruneProcessedUpdates`.
processedUpdateSchema.index({ createdAt: 1 });

export const ProcessedUpdate = model("ProcessedUpdate", processedUpdateSchema);

/** How long an update id is remembered; Telegram keeps undelivered updates for 24 hours. */
export const PROCESSED_UPDATE_RETENTION_MS = 7 * 24 * 3600 * 1000;

export async function pruneProcessedUpdates(now: Date): Promise<number> {
  const res = await ProcessedUpdate.deleteMany({ createdAt: { $lt: new Date(now.getTime() - PROCESSED_UPDATE_RETENTION_MS) } });
  return res.deletedCount;
}
