import { TIMESTAMPS } from "./time.ts";
import { EventEmitter } from "node:events";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

export const MENTORING_FORMS = ["individual", "group", "flash", "reverse"] as const;
export const MEETING_MODES = ["in_person", "online", "any"] as const;
export type MeetingMode = (typeof MEETING_MODES)[number];

/** A weekly availability window in the mentor's time zone: weekday 1 (Mon) – 7 (Sun), minutes from midnight. */
const windowSchema = new Schema(
  {
    weekday: { type: Number, min: 1, max: 7, required: true },
    startMin: { type: Number, min: 0, max: 1440, required: true },
    endMin: { type: Number, min: 0, max: 1440, required: true },
  },
  { _id: false },
);

/**
 * The mentor registry (реестр наставников): one profile per mentor. `freeSlots` is capacity minus
 * active mentees, kept in the document so that taking a slot is one conditional update
 * (`freeSlots > 0` → `$inc -1`), which never exceeds capacity even under races.
 */
const mentorProfileSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true, unique: true },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    competences: { type: [String], default: [] },
    capacity: { type: Number, min: 1, max: 20, required: true },
    activeMentees: { type: Number, min: 0, default: 0 },
    freeSlots: { type: Number, required: true },
    forms: { type: [String], enum: MENTORING_FORMS, default: [] },
    mode: { type: String, enum: MEETING_MODES, default: "any" },
    availability: { type: [windowSchema], default: [] },
    /** Serves mentees of other organizations of its networks. */
    networkServing: { type: Boolean, default: false },
    /** Mentor registry (seed 003): achievements, professional training, years in the current position. */
    achievements: { type: String, maxlength: 1000 },
    training: { type: String, maxlength: 1000 },
    positionYears: { type: Number, min: 0, max: 70 },
    pausedUntil: { type: Date },
    /**
     * Mentor trainings attended (stage IV, issue 16): recomputed from the held training meetings
     * (src/domain/training.ts) whenever their host marks attendance; matching reads the count.
     */
    trainingsAttended: { type: Number, min: 0, default: 0 },
    lastTrainingAt: { type: Date },
    /** Stage IV: approved ("ready") by a curator before being matched. */
    approved: { type: Boolean, default: false },
    approvedAt: { type: Date },
    approvedBy: { type: Types.ObjectId },
    /** Responsiveness: offers received, answered (accept or decline), timed out; total answer time. */
    offersReceived: { type: Number, default: 0 },
    offersAnswered: { type: Number, default: 0 },
    offersTimedOut: { type: Number, default: 0 },
    answerMsTotal: { type: Number, default: 0 },
    /** Mentees' usefulness ratings (issue 6 feeds these). */
    ratingSum: { type: Number, default: 0 },
    ratingCount: { type: Number, default: 0 },
  },
  { timestamps: TIMESTAMPS },
);
mentorProfileSchema.index({ approved: 1, organizationId: 1, freeSlots: 1 });

/**
 * Change notifications for in-process read caches (src/db/mentor-cache.ts): emits "change" with the
 * ids a write touched, or "all" when its scope is not a single `_id`.
 */
export const mentorProfileChanges = new EventEmitter();
mentorProfileChanges.setMaxListeners(100);

function changedIds(filter: Record<string, unknown> | undefined): string[] | "all" {
  const id = filter?._id;
  if (id instanceof Types.ObjectId || typeof id === "string") return [String(id)];
  return "all";
}

mentorProfileSchema.post(["updateOne", "findOneAndUpdate", "updateMany", "deleteOne", "deleteMany", "findOneAndDelete", "replaceOne"], function () {
  mentorProfileChanges.emit("change", changedIds(this.getFilter() as Record<string, unknown>));
});
mentorProfileSchema.post("save", function (doc) {
  mentorProfileChanges.emit("change", [String(doc._id)]);
});
mentorProfileSchema.post("insertMany", function () {
  mentorProfileChanges.emit("change", "all");
});

export type MentorProfileRecord = InferSchemaType<typeof mentorProfileSchema>;
export const MentorProfile = model("MentorProfile", mentorProfileSchema);
