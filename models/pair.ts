import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/** A mentoring pair (наставническая пара). Consent to the pair assignment is kept per side with a timestamp. */
const pairSchema = new Schema(
  {
    /** The request the pair answers; a reassignment ends the pair and forms a new one for the same request. */
    requestId: { type: Types.ObjectId, required: true, index: true },
    mentorId: { type: Types.ObjectId, required: true, index: true },
    menteeId: { type: Types.ObjectId, required: true, index: true },
    mentorProfileId: { type: Types.ObjectId, required: true },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    kind: { type: String, enum: ["flash", "long_term", "question"], required: true },
    status: { type: String, enum: ["active", "completed", "terminated"], default: "active", index: true },
    mentorConsentAt: { type: Date },
    menteeConsentAt: { type: Date },
    /** How the pair was formed: the mentee's choice, first free, or a curator's assignment (with reason when overriding filters). */
    formedBy: { type: String, enum: ["offer", "curator", "group"], required: true },
    /** Reverse mentoring (issue 15): the "mentor" is the younger colleague teaching an experienced one (from the request). */
    reverse: { type: Boolean, default: false },
    /**
     * A mutual pair (each teaches the other): the counterpart pair of the same two people in the
     * other direction, linked both ways. Each direction keeps its own capacity place, program and
     * meetings; views show the two as one mutual pair.
     */
    mutualPairId: { type: Types.ObjectId },
    /** Set when the pair is one participant's seat in a mentoring group (models/mentoring-group.ts). */
    groupId: { type: Types.ObjectId, index: true },
    overrideReason: { type: String, maxlength: 500 },
    // Indexed: a digest reads the pairs ended since its window's start (src/domain/digest.ts).
    endedAt: { type: Date, index: true },
    /**
     * When the pair last met: the start of its latest meeting logged as held (src/domain/meetings.ts,
     * logHeld), so a digest tells a quiet pair without reading its meetings' history.
     */
    lastHeldAt: { type: Date },
    /** Why it ended: a code (completed, terminated_early, flash_held, flash_idle, reassigned, participant_left, mentor_withdrawn) or a participant's text. */
    endReason: { type: String, maxlength: 500 },
    /** Who ended it, when a person did (a participant or a curator). */
    endedBy: { type: Types.ObjectId },
  },
  { timestamps: TIMESTAMPS },
);

export type PairRecord = InferSchemaType<typeof pairSchema>;
export const Pair = model("Pair", pairSchema);
