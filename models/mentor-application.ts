import { Schema, model, Types, type InferSchemaType } from "mongoose";
import { TIMESTAMPS } from "./time.ts";

/**
 * A teacher offers herself as a mentor (stage III of the target model, issue 11): the application
 * goes to her curator, who approves it (the mentor role is granted) or declines it with a reason.
 * At most one pending application per person (partial unique index emulated by `pendingKey`).
 */
const mentorApplicationSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true, index: true },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    /** What she can share with colleagues, in her words. */
    motivation: { type: String, required: true, maxlength: 1000 },
    status: { type: String, enum: ["pending", "approved", "declined", "withdrawn"], default: "pending", index: true },
    /** Set to the user id while pending, unset when decided: unique, so one pending application per person. */
    pendingKey: { type: String },
    decidedBy: { type: Types.ObjectId },
    decidedAt: { type: Date },
    reason: { type: String, maxlength: 500 },
  },
  { timestamps: TIMESTAMPS },
);
mentorApplicationSchema.index({ pendingKey: 1 }, { unique: true, sparse: true });

export type MentorApplicationRecord = InferSchemaType<typeof mentorApplicationSchema>;
export const MentorApplication = model("MentorApplication", mentorApplicationSchema);
