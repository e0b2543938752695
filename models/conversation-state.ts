import { TIMESTAMPS } from "./time.ts";
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

export const ConversationState = model("ConversationState", conversationStateSchema);

/** A dialog untouched this long is abandoned: its state (and whatever it holds) is removed. */
export const ABANDONED_DIALOG_MS = 24 * 3_600_000;

/** Removes abandoned dialog states (a maintenance sweep, not a TTL index: FerretDB lacks TTL). */
export async function pruneAbandonedDialogs(now: Date): Promise<number> {
  const res = await ConversationState.deleteMany({ updatedAt: { $lt: new Date(now.getTime() - ABANDONED_DIALOG_MS) } });
  return res.deletedCount;
}
