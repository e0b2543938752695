import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/** Role models of a personalised program (domain brief §3.3). */
export const ROLE_MODELS = [
  "experienced_to_young",
  "young_to_experienced",
  "head_to_teacher",
  "employer_to_student",
  "social_partner_to_teacher",
  "mentor_to_group",
  "network_mentor_to_teacher",
  "peer_to_peer",
  "parent_to_adults",
] as const;
export type RoleModel = (typeof ROLE_MODELS)[number];
export const PROGRAM_FORMS = ["individual", "group"] as const;
export type ProgramForm = (typeof PROGRAM_FORMS)[number];

/**
 * Life cycle: the mentor drafts ("draft"), sends it to the mentee ("pending_mentee"); the mentee
 * confirms ("pending_curator") or asks for changes (back to "draft"); the curator approves ("active")
 * or returns it with a comment ("returned", editable like a draft). An active program ends
 * "completed" (on its end date or early by a participant) or "terminated" (early, with a reason).
 */
export const PROGRAM_STATUSES = ["draft", "pending_mentee", "pending_curator", "returned", "active", "completed", "terminated"] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];
/** The curator's verdict after completion (domain §4.6 outcome rule). */
export const PROGRAM_OUTCOMES = ["packaged", "needs_revision"] as const;
export type ProgramOutcome = (typeof PROGRAM_OUTCOMES)[number];

/** Name of the one-program-per-pair index (sparse since group programs have no pair; the old `pairId_1` is dropped at start-up). */
export const PROGRAM_PAIR_INDEX = "pairId_unique";

const planItemSchema = new Schema({
  title: { type: String, required: true, maxlength: 200 },
  /** Due date: the end of that day in the organization's zone, stored in UTC. */
  due: { type: Date, required: true },
  expected: { type: String, maxlength: 300 },
  status: { type: String, enum: ["open", "done"], default: "open" },
  doneAt: { type: Date },
  doneBy: { type: Types.ObjectId },
});

const productSchema = new Schema({
  kind: { type: String, enum: ["text", "file", "link", "photo"], required: true },
  text: { type: String, maxlength: 1000 },
  url: { type: String, maxlength: 500 },
  fileId: { type: String },
  fileName: { type: String, maxlength: 200 },
  addedAt: { type: Date, required: true },
  addedBy: { type: Types.ObjectId },
});

const programHistorySchema = new Schema(
  {
    status: { type: String, enum: PROGRAM_STATUSES, required: true },
    at: { type: Date, required: true },
    by: { type: Types.ObjectId },
    note: { type: String, maxlength: 500 },
  },
  { _id: false },
);

/**
 * A personalised mentoring program (персонализированная программа наставничества) of a long-term
 * pair (`pairId`, `menteeId`, `requestId`) or of a mentoring group (`groupId`: the same structure,
 * its participants are the group's current members; `confirmedBy` collects their confirmations).
 * One program per pair and one per group: both keys are unique among the documents that have them
 * (sparse unique indexes, which MongoDB and FerretDB both honour).
 */
const programSchema = new Schema(
  {
    pairId: { type: Types.ObjectId },
    groupId: { type: Types.ObjectId },
    /** The mentee's request (a pair's program only). */
    requestId: { type: Types.ObjectId },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    mentorId: { type: Types.ObjectId, required: true, index: true },
    /** Unset on the mentee's erasure. */
    menteeId: { type: Types.ObjectId, index: true },
    goal: { type: String, maxlength: 1000 },
    /** Duration in months, 3–12 (сроки реализации). */
    months: { type: Number, min: 3, max: 12 },
    /** Start: the day of approval; end: start + months, both at local midnight in the organization's zone. */
    startDate: { type: Date },
    endDate: { type: Date },
    roleModel: { type: String, enum: ROLE_MODELS },
    form: { type: String, enum: PROGRAM_FORMS },
    /** Expected result / project product (проектный продукт). */
    product: { type: String, maxlength: 500 },
    items: { type: [planItemSchema], default: [] },
    products: { type: [productSchema], default: [] },
    status: { type: String, enum: PROGRAM_STATUSES, default: "draft", index: true },
    curatorComment: { type: String, maxlength: 1000 },
    approvedAt: { type: Date },
    approvedBy: { type: Types.ObjectId },
    // Indexed, as outcomeAt: a digest reads the programs ended or judged since its window's start.
    endedAt: { type: Date, index: true },
    endedBy: { type: Types.ObjectId },
    endReason: { type: String, maxlength: 500 },
    outcome: { type: String, enum: PROGRAM_OUTCOMES },
    outcomeAt: { type: Date, index: true },
    history: { type: [programHistorySchema], default: [] },
    /** A group program: the participants who confirmed the version sent to them (cleared on every new version). */
    confirmedBy: { type: [Types.ObjectId], default: undefined },
  },
  { timestamps: TIMESTAMPS },
);
programSchema.index({ pairId: 1 }, { unique: true, sparse: true, name: PROGRAM_PAIR_INDEX });
programSchema.index({ groupId: 1 }, { unique: true, sparse: true, name: "groupId_unique" });

export type ProgramRecord = InferSchemaType<typeof programSchema>;
export const Program = model("Program", programSchema);
