import { Schema, model, type InferSchemaType, type HydratedDocument } from "mongoose";

/**
 * One document per Telegram account. Until the person consents to personal-data processing the
 * document holds only technical data (Telegram id, chosen language, reachability), never a profile.
 */
const userSchema = new Schema(
  {
    telegramId: { type: Number, required: true, unique: true },
    locale: { type: String, enum: ["ru", "en"] },
    /** Set when Telegram answers 403 (bot blocked); cleared by a `my_chat_member` unblock. */
    unreachable: { type: Boolean, default: false },
    unreachableSince: { type: Date },
  },
  { timestamps: true },
);

export type UserRecord = InferSchemaType<typeof userSchema>;
export type UserDocument = HydratedDocument<UserRecord>;
export const User = model("User", userSchema);
