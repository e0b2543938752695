import { Schema, model, Types } from "mongoose";

export const CONSENT_TYPES = ["pd_processing", "publication", "photo_video", "pair_assignment"] as const;
export type ConsentType = (typeof CONSENT_TYPES)[number];

/**
 * A consent decision as a record: which text (version and hash) was shown, when it was given or
 * refused, when withdrawn. A refusal before registration stores only this record.
 */
const consentSchema = new Schema(
  {
    userId: { type: Types.ObjectId, index: true },
    /** Present until the person erases their data. */
    telegramId: { type: Number, index: true },
    type: { type: String, enum: CONSENT_TYPES, required: true },
    decision: { type: String, enum: ["given", "refused"], required: true },
    version: { type: String, required: true },
    textHash: { type: String, required: true },
    channel: { type: String, default: "telegram" },
    /** What the consent is about, when it is about one object (a pair, a practice card). */
    subjectId: { type: Types.ObjectId },
    decidedAt: { type: Date, required: true },
    withdrawnAt: { type: Date },
  },
  { timestamps: false },
);

export const Consent = model("Consent", consentSchema);
