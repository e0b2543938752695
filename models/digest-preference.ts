import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/**
 * A curator's (or admin's) weekly-digest settings (issue 7): muted, or another weekday than the
 * one of `DIGEST_CRON`. One per user; no document means the defaults (on, the cron's day).
 */
const digestPreferenceSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true, unique: true },
    muted: { type: Boolean, default: false },
    /** ISO weekday 1 (Mon) – 7 (Sun) replacing the cron's day; unset = the cron's. */
    weekday: { type: Number, min: 1, max: 7 },
  },
  { timestamps: TIMESTAMPS },
);

export type DigestPreferenceRecord = InferSchemaType<typeof digestPreferenceSchema>;
export const DigestPreference = model("DigestPreference", digestPreferenceSchema);
