import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/**
 * The final survey of a long-term pair (issue 6), sent to both sides when the pair or its program
 * ends: satisfaction 1–5, adaptation 1–5 (mentees who are young specialists), what changed.
 * One answer per pair and role (unique): erasure unsets `respondentId` and `changed`, scores stay.
 */
const finalSurveySchema = new Schema(
  {
    pairId: { type: Types.ObjectId, required: true },
    programId: { type: Types.ObjectId },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    respondentId: { type: Types.ObjectId },
    role: { type: String, enum: ["mentor", "mentee"], required: true },
    satisfaction: { type: Number, min: 1, max: 5 },
    adaptation: { type: Number, min: 1, max: 5 },
    changed: { type: String, maxlength: 1000 },
    // Indexed: a digest reads the surveys answered since its window's start.
    answeredAt: { type: Date, required: true, index: true },
  },
  { timestamps: TIMESTAMPS },
);
finalSurveySchema.index({ pairId: 1, role: 1 }, { unique: true });

export type FinalSurveyRecord = InferSchemaType<typeof finalSurveySchema>;
export const FinalSurvey = model("FinalSurvey", finalSurveySchema);
