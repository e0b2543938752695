import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

export const MEETING_STATUSES = ["proposed", "confirmed", "held", "missed", "cancelled"] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

const historySchema = new Schema(
  {
    status: { type: String, enum: MEETING_STATUSES, required: true },
    at: { type: Date, required: true },
    by: { type: Types.ObjectId },
    /** For a reschedule: the previous start. */
    previousStartAt: { type: Date },
    note: { type: String, maxlength: 500 },
  },
  { _id: false },
);

/**
 * A meeting (встреча): a pair's flash session or one occurrence of a group series. Instants are
 * UTC; each participant sees them in their organization's zone. `sequence` increments on every
 * change that re-sends the calendar file.
 */
const meetingSchema = new Schema(
  {
    kind: { type: String, enum: ["pair", "group"], required: true },
    pairId: { type: Types.ObjectId, index: true },
    seriesId: { type: Types.ObjectId, index: true },
    /** A meeting of a mentoring group (models/mentoring-group.ts): kind "group", hosted by its mentor. */
    groupId: { type: Types.ObjectId, index: true },
    /** For series occurrences: the local date `yyyy-MM-dd`, unique within the series. */
    occurrence: { type: String },
    /** A one-off group meeting with a purpose: "training" is a mentor training seminar (issue 16). */
    purpose: { type: String, enum: ["training"] },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    /** Mentor of the pair, or host of a group session: the one who logs it. */
    hostId: { type: Types.ObjectId, required: true, index: true },
    participantIds: { type: [Types.ObjectId], default: [], index: true },
    proposedBy: { type: Types.ObjectId },
    /** Up to three proposed starts; the other side picks one. */
    proposals: { type: [Date], default: [] },
    startAt: { type: Date, index: true },
    durationMin: { type: Number, min: 15, max: 90, required: true },
    topic: { type: String, maxlength: 200 },
    mode: { type: String, enum: ["in_person", "online"], required: true },
    place: { type: String, maxlength: 300 },
    status: { type: String, enum: MEETING_STATUSES, default: "proposed", index: true },
    history: { type: [historySchema], default: [] },
    sequence: { type: Number, default: 0 },
    /** "I'll be there" confirmations from reminders. */
    attending: { type: [Types.ObjectId], default: [] },
    /** Participants of a group session who said in advance that they cannot come. */
    declinedIds: { type: [Types.ObjectId], default: [] },
    /** The host's log after the meeting. */
    log: {
      covered: { type: String, maxlength: 1000 },
      nextStep: { type: String, maxlength: 500 },
      attachmentFileId: { type: String, maxlength: 300 },
      /** How the attachment was sent (a photo's file id cannot be sent back as a document). */
      attachmentKind: { type: String, enum: ["document", "photo"] },
      absentIds: { type: [Types.ObjectId], default: undefined },
      loggedAt: { type: Date },
    },
    followupsSent: { type: Number, default: 0 },
    /** Set when the follow-up went unanswered: shown to the curator as unlogged. */
    unlogged: { type: Boolean, default: false },
  },
  { timestamps: TIMESTAMPS },
);
meetingSchema.index({ seriesId: 1, occurrence: 1 }, { unique: true, sparse: true });

export type MeetingRecord = InferSchemaType<typeof meetingSchema>;
export const Meeting = model("Meeting", meetingSchema);
