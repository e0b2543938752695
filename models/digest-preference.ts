import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/**
 * A curator's (or admin's) weekly-digest settings (issue 7): muted, or another weekday than the
 * one of `DIGEST_CRON`; and how their notices come (issue 15): gathered in one daily list at the
 * start of their working day, or each at once. One per user; no document means the defaults (on,
 * the cron's day, the deployment's `CURATOR_LIST` mode).
 */
export const CURATOR_LIST_MODES = ["daily", "instant"] as const;
export type CuratorListMode = (typeof CURATOR_LIST_MODES)[number];

const digestPreferenceSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true, unique: true },
    muted: { type: Boolean, default: false },
    /** ISO weekday 1 (Mon) – 7 (Sun) replacing the cron's day; unset = the cron's. */
    weekday: { type: Number, min: 1, max: 7 },
    /** Unset = the deployment's default (`CURATOR_LIST`). */
    listMode: { type: String, enum: CURATOR_LIST_MODES },
  },
  { timestamps: TIMESTAMPS },
);

export type DigestPreferenceRecord = InferSchemaType<typeof digestPreferenceSchema>;
export const DigestPreference = model("DigestPreference", digestPreferenceSchema);
