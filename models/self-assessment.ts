import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

export const SELF_ASSESSMENT_PHASES = ["start", "end"] as const;
export type SelfAssessmentPhase = (typeof SELF_ASSESSMENT_PHASES)[number];

const scoreSchema = new Schema(
  {
    /** A deficit catalogue code, one of the request's topics. */
    topic: { type: String, required: true },
    score: { type: Number, min: 1, max: 5, required: true },
  },
  { _id: false },
);

/**
 * The mentee's self-assessment of confidence (1–5) in each topic of a request (issue 6): "start"
 * when the request is created, "end" when the mentoring finishes. One per request per phase,
 * enforced by a unique index on (requestId, phase) — never on userId, which erasure unsets: the
 * scores stay, anonymised.
 */
const selfAssessmentSchema = new Schema(
  {
    /** The mentee's User `_id`; unset on erasure. */
    userId: { type: Types.ObjectId, index: true },
    requestId: { type: Types.ObjectId, required: true },
    /** Copied from the request, for the curator's summaries. */
    organizationId: { type: Types.ObjectId, required: true, index: true },
    pairId: { type: Types.ObjectId },
    phase: { type: String, enum: SELF_ASSESSMENT_PHASES, required: true },
    scores: { type: [scoreSchema], default: [] },
    // Indexed: a digest reads the "end" ones since its window's start.
    at: { type: Date, required: true, index: true },
  },
  { timestamps: TIMESTAMPS },
);
selfAssessmentSchema.index({ requestId: 1, phase: 1 }, { unique: true });

export type SelfAssessmentRecord = InferSchemaType<typeof selfAssessmentSchema>;
export const SelfAssessment = model("SelfAssessment", selfAssessmentSchema);
