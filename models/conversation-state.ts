import { TIMESTAMPS } from "./time.ts";
import { EventEmitter } from "node:events";
import { Schema, model } from "mongoose";

/**
 * Persisted state of @grammyjs/conversations, one document per storage key (a chat).
 * The state is stored as serialized JSON: it contains arrays nested in arrays, which not every
 * MongoDB-compatible server stores.
 */
const conversationStateSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    state: { type: String, required: true },
  },
  { timestamps: TIMESTAMPS },
);

conversationStateSchema.index({ updatedAt: 1 });

/**
 * Every write through the model says which dialog it touched: its `key`, or `"all"` when the
 * filter names none (so an in-process copy, `src/db/dialog-cache.ts`, can follow).
 */
export type DialogStateChange = { key: string } | "all";
export const dialogStateChanges = new EventEmitter();
dialogStateChanges.setMaxListeners(100);

conversationStateSchema.post(["updateOne", "findOneAndUpdate", "updateMany", "deleteOne", "deleteMany", "findOneAndDelete", "replaceOne"], function () {
  const key = (this.getFilter() as { key?: unknown }).key;
  dialogStateChanges.emit("change", typeof key === "string" ? { key } : "all");
});
conversationStateSchema.post("save", function (doc) {
  dialogStateChanges.emit("change", { key: doc.key });
});
conversationStateSchema.post("insertMany", function () {
  dialogStateChanges.emit("change", "all");
});

/** A write to dialog states that bypassed the model (the raw driver) must be announced so. */
export function dialogStatesChangedOutsideModel(): void {
  dialogStateChanges.emit("change", "all");
}

export const ConversationState = model("ConversationState", conversationStateSchema);

/** A dialog untouched this long is abandoned: its state (and whatever it holds) is removed. */
export const ABANDONED_DIALOG_MS = 24 * 3_600_000;

/** Removes abandoned dialog states (a maintenance sweep, not a TTL index: FerretDB lacks TTL). */
export async function pruneAbandonedDialogs(now: Date): Promise<number> {
  const res = await ConversationState.deleteMany({ updatedAt: { $lt: new Date(now.getTime() - ABANDONED_DIALOG_MS) } });
  return res.deletedCount;
}
