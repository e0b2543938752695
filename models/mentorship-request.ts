import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";
import { MEETING_MODES } from "./mentor-profile.ts";

export const REQUEST_KINDS = ["flash", "long_term", "question"] as const;
export const REQUEST_STATUSES = ["new", "offered", "matched", "escalated", "cancelled", "closed"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** Statuses of a request still waiting for a mentor (the mentee may cancel it, a curator assign or close it). */
export const OPEN_REQUEST_STATUSES = ["new", "offered", "escalated"] as const satisfies readonly RequestStatus[];
export const DAY_PARTS = ["morning", "day", "evening"] as const;

const historySchema = new Schema(
  {
    status: { type: String, enum: REQUEST_STATUSES, required: true },
    at: { type: Date, required: true },
    by: { type: Types.ObjectId },
    note: { type: String, maxlength: 500 },
  },
  { _id: false },
);

/** Convenient time of the mentee: a weekday (1–7) and a part of the day, in the mentee's zone. */
const preferredTimeSchema = new Schema(
  {
    weekday: { type: Number, min: 1, max: 7, required: true },
    part: { type: String, enum: DAY_PARTS, required: true },
  },
  { _id: false },
);

/** A request in the mentee base (база наставляемых): topics, situation, kind of help, status history. */
const mentorshipRequestSchema = new Schema(
  {
    menteeId: { type: Types.ObjectId, required: true, index: true },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    topics: { type: [String], default: [] },
    otherTopic: { type: String, maxlength: 200 },
    description: { type: String, required: true, maxlength: 1000 },
    kind: { type: String, enum: REQUEST_KINDS, required: true },
    mode: { type: String, enum: MEETING_MODES, required: true },
    preferredTimes: { type: [preferredTimeSchema], default: [] },
    /** "specific": offered to one chosen mentor at a time; "any": to all shown candidates, first accept wins. */
    choice: { type: String, enum: ["specific", "any"] },
    /** Mentor profiles still to try, in rank order. */
    queue: { type: [Types.ObjectId], default: [] },
    /** Mentor profiles that declined or let an offer time out: never offered again. */
    excludedMentorIds: { type: [Types.ObjectId], default: [] },
    status: { type: String, enum: REQUEST_STATUSES, default: "new", index: true },
    history: { type: [historySchema], default: [] },
    pairId: { type: Types.ObjectId },
    escalatedAt: { type: Date },
    /** Reverse mentoring (issue 15): an experienced teacher asks a younger colleague for what she is strong in; matching inverts the experience rule. */
    reverse: { type: Boolean, default: false },
    /** How the deficits were identified (issue 16): "diagnostic", "self_assessment" or "curator_observation". */
    identifiedBy: { type: String, enum: ["diagnostic", "self_assessment", "curator_observation"] },
    /** Set when the mentee erased their data: the request stays only as an anonymised record. */
    anonymized: { type: Boolean, default: false },
  },
  { timestamps: TIMESTAMPS },
);

// A digest's window reads the requests changed since its start (and the open ones) by this.
mentorshipRequestSchema.index({ updatedAt: 1 });

export type MentorshipRequestRecord = InferSchemaType<typeof mentorshipRequestSchema>;
export const MentorshipRequest = model("MentorshipRequest", mentorshipRequestSchema);
