import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/** draft → (author consents to publication) → published; a curator can withdraw it back to draft. */
export const PRACTICE_STATUSES = ["draft", "published"] as const;
export type PracticeStatus = (typeof PRACTICE_STATUSES)[number];

/**
 * A best-practice card (информационная карта наставнической практики, domain brief §4.7), built
 * from a completed program the curator chose to "package". The author (the program's mentor) edits
 * it and gives a separate consent to publication; only then can others in the organization (and its
 * network) find it in `/practices`.
 */
const bestPracticeSchema = new Schema(
  {
    programId: { type: Types.ObjectId, required: true, unique: true },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    /** The author's User `_id`; unset on erasure (the card is then withdrawn). */
    authorId: { type: Types.ObjectId, index: true },
    authorName: { type: String, maxlength: 200 },
    email: { type: String, maxlength: 200 },
    phone: { type: String, maxlength: 50 },
    organizationName: { type: String, maxlength: 300 },
    position: { type: String, maxlength: 200 },
    /** Experience in the position, years. */
    experienceYears: { type: Number, min: 0, max: 70 },
    /** Topic of the practice (тема). */
    topic: { type: String, maxlength: 300 },
    /** Deficit catalogue codes, for search. */
    topics: { type: [String], default: [], index: true },
    /** 6a. Explanatory note: goal, results, role model. */
    goal: { type: String, maxlength: 1000 },
    results: { type: String, maxlength: 2000 },
    roleModel: { type: String },
    /** 6b. Content: forms, methods, events. */
    content: { type: String, maxlength: 3000 },
    /** 7. Mentor's case: links and attachments. */
    links: { type: [String], default: [] },
    attachments: { type: [new Schema({ kind: { type: String, enum: ["file", "photo"] }, fileId: String, fileName: String }, { _id: false })], default: [] },
    level: { type: String, enum: ["organization", "municipal", "regional"], default: "organization" },
    status: { type: String, enum: PRACTICE_STATUSES, default: "draft", index: true },
    /** Separate consent of the author to publication (a Consent row is kept too). */
    publicationConsentAt: { type: Date },
    // Indexed: a digest reads the practices published since its window's start.
    publishedAt: { type: Date, index: true },
    /** Separate consent for the photo and video materials (domain §6): without it they are not shown to others. */
    mediaConsentAt: { type: Date },
  },
  { timestamps: TIMESTAMPS },
);

export type BestPracticeRecord = InferSchemaType<typeof bestPracticeSchema>;
export const BestPractice = model("BestPractice", bestPracticeSchema);
