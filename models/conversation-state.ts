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

export const ConversationState = model("ConversationState", conversationStateSchema);
