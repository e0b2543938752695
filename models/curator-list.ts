import { Schema, model, Types, type InferSchemaType } from "mongoose";

/**
 * One entry of a curator's daily list (issue 15): a notice that would have gone to the curator
 * at once (a join request, an escalated request, a mentor application, a new mentor profile, a
 * program to approve, a risk flag), held until the start of their working day.
 *
 * - `key` is unique: `<telegramId>:<kind>:<ref>`, so an event told twice is listed once.
 * - `status`: `pending` (waits for the list), `listed` (sent in a list), `dropped` (resolved before
 *   the list went out: not shown stale).
 * - `notice` is the held message as JSON text, cleared once the entry is listed or dropped.
 * Hot reads are top-level equality filters (`telegramId` + `status`).
 */
export const CURATOR_LIST_STATUSES = ["pending", "listed", "dropped"] as const;

const curatorListEntrySchema = new Schema(
  {
    key: { type: String, required: true, maxlength: 200 },
    userId: { type: Types.ObjectId, required: true },
    telegramId: { type: Number, required: true },
    kind: { type: String, required: true, maxlength: 40 },
    ref: { type: String, required: true, maxlength: 40 },
    notice: { type: String, maxlength: 100_000 },
    status: { type: String, enum: CURATOR_LIST_STATUSES, required: true, default: "pending" },
    createdAt: { type: Date, required: true },
    doneAt: { type: Date },
  },
  { versionKey: false },
);
curatorListEntrySchema.index({ key: 1 }, { unique: true });
curatorListEntrySchema.index({ telegramId: 1, status: 1 });

export type CuratorListEntryRecord = InferSchemaType<typeof curatorListEntrySchema> & { _id: Types.ObjectId };
export const CuratorListEntry = model("CuratorListEntry", curatorListEntrySchema);
