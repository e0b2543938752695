import { Schema, model, type Types, type InferSchemaType } from "mongoose";

/**
 * The outbox (issue 13): one durable record per recipient and message sent to a person other
 * than the one whose action caused it (counterparts, curators, reminders from jobs).
 *
 * - `key` is unique: `<source>:<telegramId>:<digest of the message>`, so a job or an update
 *   that runs twice (after a crash) never creates a second record of the same message.
 * - `status`: `pending` (to be sent, or retried at `nextAttemptAt`), `sent`, `failed` (Telegram
 *   refused it for good, e.g. 400; reported to a curator), `parked` (the recipient blocked the
 *   bot: sent when they write again, if still relevant), `stale` (no longer relevant: expired,
 *   or the recipient was erased or is unknown).
 * - `notice` is the rendered-later message as JSON text (keyboards are arrays of arrays).
 * - `claimSeq` with `OutboxClaim` makes one sender own an attempt (see `JobClaim`); `lockedUntil`
 *   is that sender's lease.
 * Hot reads are top-level equality filters only (`_id`, `telegramId` + `status`).
 */
export const OUTBOX_STATUSES = ["pending", "sent", "failed", "parked", "stale"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

const outboxMessageSchema = new Schema(
  {
    key: { type: String, required: true, maxlength: 400 },
    source: { type: String, required: true, maxlength: 300 },
    telegramId: { type: Number, required: true },
    notice: { type: String, required: true, maxlength: 200_000 },
    status: { type: String, enum: OUTBOX_STATUSES, required: true, default: "pending" },
    attempts: { type: Number, required: true, default: 0 },
    claimSeq: { type: Number, required: true, default: 0 },
    lockedUntil: { type: Date },
    nextAttemptAt: { type: Date, required: true },
    /** After this instant the message is no longer worth sending (parked ones become stale). */
    expiresAt: { type: Date },
    /** Error code and Telegram's description only: never the message text. */
    lastError: { type: String, maxlength: 500 },
    createdAt: { type: Date, required: true },
    doneAt: { type: Date },
    /** When a curator was told about a failed message. */
    reportedAt: { type: Date },
  },
  { versionKey: false },
);
outboxMessageSchema.index({ key: 1 }, { unique: true });
outboxMessageSchema.index({ telegramId: 1, status: 1 });
outboxMessageSchema.index({ status: 1 });

export type OutboxMessageRecord = InferSchemaType<typeof outboxMessageSchema> & { _id: Types.ObjectId };
export const OutboxMessage = model("OutboxMessage", outboxMessageSchema);

/** One claim of one outbox record: `_id` is `<recordId>:<claimSeq>`; inserting it is the claim. */
const outboxClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
outboxClaimSchema.index({ at: 1 });
export const OutboxClaim = model("OutboxClaim", outboxClaimSchema);

/** Removes finished outbox records and claims older than `before`; returns how many records went. */
export async function purgeOutbox(before: Date): Promise<number> {
  const res = await OutboxMessage.deleteMany({ status: { $in: ["sent", "failed", "stale"] }, doneAt: { $lt: before } });
  await OutboxClaim.deleteMany({ at: { $lt: before } });
  return res.deletedCount;
}
