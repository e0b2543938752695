import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/** Children's age groups of a kindergarten (ясли, младшая, средняя, старшая, подготовительная): the tag of a circle. */
export const AGE_GROUPS = ["nursery", "junior", "middle", "senior", "preparatory"] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];
export const GROUP_SIZE_MIN = 2;
export const GROUP_SIZE_MAX = 8;
export const GROUP_STATUSES = ["active", "completed", "terminated"] as const;

/**
 * One seat of a group, kept as history (a participant who left stays; their seat pair says when they left). The seat
 * itself is a long-term {@link Pair} with this group's id (`pairId`): it holds one place in the
 * lead mentor's capacity by the one rule of src/domain/pairs.ts and carries the participant's
 * consent; `requestId` is the participant's request (their self-assessment and growth).
 */
const participantSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true },
    pairId: { type: Types.ObjectId, required: true },
    requestId: { type: Types.ObjectId, required: true },
    joinedAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * A mentoring group (групповое наставничество): a lead mentor (and optionally a co-mentor) with
 * 2–8 mentees, formed by a curator from open requests or by the mentor's open call; a circle is a
 * group tagged with a children's age group that teachers of the organization (or its networks)
 * browse and join. `memberIds` are the current participants and `seatsTaken` their number, so a
 * join is one conditional update that never exceeds `size`.
 */
const mentoringGroupSchema = new Schema(
  {
    organizationId: { type: Types.ObjectId, required: true, index: true },
    mentorId: { type: Types.ObjectId, required: true, index: true },
    mentorProfileId: { type: Types.ObjectId, required: true },
    coMentorId: { type: Types.ObjectId, index: true },
    title: { type: String, required: true, maxlength: 200 },
    /** A deficit topic code of the catalogue, when the group works on one. */
    topic: { type: String, maxlength: 100 },
    ageGroup: { type: String, enum: AGE_GROUPS },
    size: { type: Number, min: GROUP_SIZE_MIN, max: GROUP_SIZE_MAX, required: true },
    seatsTaken: { type: Number, min: 0, default: 0 },
    memberIds: { type: [Types.ObjectId], default: [], index: true },
    participants: { type: [participantSchema], default: [] },
    /** Open for joining (an open call or a circle); a curator's group is closed unless the mentor opens it. */
    recruiting: { type: Boolean, default: false },
    /** Circles and open calls are visible to the organization's networks too. */
    networkWide: { type: Boolean, default: false },
    status: { type: String, enum: GROUP_STATUSES, default: "active", index: true },
    formedBy: { type: String, enum: ["curator", "open_call"], required: true },
    formedByUserId: { type: Types.ObjectId },
    mentorConsentAt: { type: Date },
    // Indexed: a digest reads the groups ended since its window's start.
    endedAt: { type: Date, index: true },
    endReason: { type: String, maxlength: 500 },
    endedBy: { type: Types.ObjectId },
  },
  { timestamps: TIMESTAMPS },
);

export type MentoringGroupRecord = InferSchemaType<typeof mentoringGroupSchema>;
export const MentoringGroup = model("MentoringGroup", mentoringGroupSchema);
