import { Schema, model } from "mongoose";

/**
 * Failed invite attempts of one Telegram account in a fixed window (see
 * src/domain/invite-throttle.ts). Kept in the database so a restart does not reset a burst.
 * Stale records (window and block over for a day) are deleted as new failures are counted
 * (FerretDB has no TTL indexes), and with the person on erasure.
 */
const inviteAttemptSchema = new Schema({
  telegramId: { type: Number, required: true, unique: true },
  windowStart: { type: Date, required: true },
  failures: { type: Number, required: true, default: 0 },
  /** While set and in the future, invite links of this account are not even checked. */
  blockedUntil: { type: Date },
  /** End of the window or of the block, whichever is later: after it the record is stale. */
  expiresAt: { type: Date, required: true, index: true },
});

export const InviteAttempt = model("InviteAttempt", inviteAttemptSchema);
