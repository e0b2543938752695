import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types } from "mongoose";

/** One offer of a request to one mentor. Unique per (request, mentor): a mentor is never offered the same request twice. */
const offerSchema = new Schema(
  {
    requestId: { type: Types.ObjectId, required: true, index: true },
    /** The request's organization, so a digest reads its scope by equality (backfilled at start). */
    organizationId: { type: Types.ObjectId, index: true },
    mentorProfileId: { type: Types.ObjectId, required: true },
    mentorUserId: { type: Types.ObjectId, required: true, index: true },
    status: { type: String, enum: ["pending", "accepted", "declined", "timed_out", "withdrawn"], default: "pending", index: true },
    sentAt: { type: Date, required: true },
    // Indexed, as answeredAt: a digest reads the offers timed out since its window's start.
    deadlineAt: { type: Date, required: true, index: true },
    answeredAt: { type: Date, index: true },
    declineReason: { type: String, maxlength: 500 },
    /** Questions from the mentor relayed to the mentee, and the answers. */
    questions: {
      type: [new Schema({ text: { type: String, maxlength: 1000 }, answer: { type: String, maxlength: 1000 }, askedAt: Date, answeredAt: Date }, { _id: true })],
      default: [],
    },
  },
  { timestamps: TIMESTAMPS },
);
offerSchema.index({ requestId: 1, mentorProfileId: 1 }, { unique: true });

export const Offer = model("Offer", offerSchema);
