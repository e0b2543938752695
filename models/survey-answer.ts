import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

export const SURVEY_ROLES = ["mentee", "mentor"] as const;
export const SURVEY_SOLVED = ["yes", "partly", "no"] as const;
export type SurveySolved = (typeof SURVEY_SOLVED)[number];

/**
 * One person's answer to the survey after a held meeting (issue 6): the mentee's usefulness score
 * (1–5), whether it solved the problem and an optional comment; the mentor's optional reflection.
 * One answer per person per meeting and kind, enforced by a unique index (inserts are atomic,
 * read-then-write is not). On erasure `respondentId`, `comment` and `reflection` are removed:
 * the scores stay, anonymised.
 */
const surveyAnswerSchema = new Schema(
  {
    meetingId: { type: Types.ObjectId, required: true, index: true },
    /** The meeting's organization, so a digest reads its scope by equality (backfilled at start). */
    organizationId: { type: Types.ObjectId, index: true },
    pairId: { type: Types.ObjectId },
    /** The User `_id` of whoever answered; unset on erasure. */
    respondentId: { type: Types.ObjectId },
    role: { type: String, enum: SURVEY_ROLES, required: true },
    kind: { type: String, enum: ["session"], default: "session", required: true },
    usefulness: { type: Number, min: 1, max: 5 },
    solved: { type: String, enum: SURVEY_SOLVED },
    comment: { type: String, maxlength: 500 },
    /** Mentor: what worked, what next. */
    reflection: { type: String, maxlength: 1000 },
    answeredAt: { type: Date, required: true, index: true },
    /** Answered more than 7 days after the meeting. */
    late: { type: Boolean, default: false },
    /**
     * "" while the respondent is known (stored, not missing: FerretDB's unique index does not treat
     * missing fields as equal); the answer's own id after erasure, so anonymised answers never collide.
     */
    anonymousKey: { type: String, default: "" },
  },
  { timestamps: TIMESTAMPS },
);
// One answer per person per meeting. `anonymousKey` is "" while the respondent is known; after
// erasure it tells anonymised answers of one meeting apart (FerretDB has no partial indexes).
surveyAnswerSchema.index({ meetingId: 1, respondentId: 1, kind: 1, anonymousKey: 1 }, { unique: true });

export type SurveyAnswerRecord = InferSchemaType<typeof surveyAnswerSchema>;
export const SurveyAnswer = model("SurveyAnswer", surveyAnswerSchema);
