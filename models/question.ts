import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/**
 * A quick question (request kind "question", issue 11): not a pair. The text goes to suitable
 * mentors (the matching rules, no contacts shown); the first answer comes back to the mentee, who
 * may thank or ask one follow-up; then the question closes. No capacity, no pair consent.
 */
const questionSchema = new Schema(
  {
    requestId: { type: Types.ObjectId, required: true, unique: true },
    menteeId: { type: Types.ObjectId, required: true, index: true },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    text: { type: String, required: true, maxlength: 1000 },
    /** Mentors (user ids) the question was sent to. */
    sentTo: { type: [Types.ObjectId], default: [] },
    status: { type: String, enum: ["open", "answered", "follow_up", "closed", "unanswered", "cancelled"], default: "open", index: true },
    answeredBy: { type: Types.ObjectId },
    answer: { type: String, maxlength: 2000 },
    answeredAt: { type: Date },
    followUp: { type: String, maxlength: 1000 },
    followUpAt: { type: Date },
    followUpAnswer: { type: String, maxlength: 2000 },
    followUpAnsweredAt: { type: Date },
    thankedAt: { type: Date },
    closedAt: { type: Date },
    deadlineAt: { type: Date, required: true },
  },
  { timestamps: TIMESTAMPS },
);

export type QuestionRecord = InferSchemaType<typeof questionSchema>;
export const Question = model("Question", questionSchema);
