import { Schema, model, Types, type InferSchemaType } from "mongoose";

export const RESPONSE_STATUSES = ["open", "paused", "done", "expired"] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** One answer to one question: a score (scale), an option or options (choice), or a text. */
const answerSchema = new Schema(
  {
    q: { type: String, required: true },
    score: { type: Number, min: 1, max: 5 },
    choice: { type: String },
    choices: { type: [String], default: undefined },
    text: { type: String, maxlength: 1000 },
    skipped: { type: Boolean },
  },
  { _id: false },
);

/**
 * One person's answers to one question set on one occasion (issue 16): a campaign
 * (`c:<campaignId>:<userId>`), an adaptation milestone (`adapt:<userId>:<months>`), a program's
 * satisfaction (`sat:<programId>:<start|end>`) or a diagnostic the teacher took herself. Answers go
 * one question at a time (`cursor`); the person can pause and resume. An anonymous set loses its
 * respondent when it is finished, so no summary or export can name them.
 */
const surveyResponseSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    campaignId: { type: Types.ObjectId, index: true },
    occasion: { type: String, required: true },
    setCode: { type: String, required: true, index: true },
    setVersion: { type: Number, required: true },
    kind: { type: String, required: true },
    anonymous: { type: Boolean, default: false },
    respondentId: { type: Types.ObjectId, index: true },
    organizationId: { type: Types.ObjectId, index: true },
    /** The program of a satisfaction survey. */
    programId: { type: Types.ObjectId },
    status: { type: String, enum: RESPONSE_STATUSES, default: "open", index: true },
    cursor: { type: Number, default: 0 },
    /** Options toggled so far on the current multiple-choice question. */
    pending: { type: [String], default: [] },
    answers: { type: [answerSchema], default: [] },
    /** Average of the scale answers, set when finished. */
    scaleAverage: { type: Number },
    sentAt: { type: Date, required: true },
    completedAt: { type: Date },
    remindedAt: { type: Date },
  },
  { timestamps: true },
);

export type SurveyResponseRecord = InferSchemaType<typeof surveyResponseSchema>;
export const SurveyResponse = model("SurveyResponse", surveyResponseSchema);
