import { Schema, model, Types, type InferSchemaType, type HydratedDocument } from "mongoose";

export const ROLES = ["mentee", "mentor", "curator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const POSITIONS = [
  "educator",
  "senior_educator",
  "music_director",
  "pe_instructor",
  "speech_therapist",
  "psychologist",
  "defectologist",
  "methodologist",
  "head",
  "other",
] as const;
export type Position = (typeof POSITIONS)[number];

export const QUALIFICATION_CATEGORIES = ["none", "meets_position", "first", "highest", "teacher_mentor", "teacher_methodologist"] as const;
export const EDUCATION_PROFILES = ["pedagogical", "non_core", "retraining"] as const;

/**
 * A role held by a person, scoped to an organization or a network; admin is deployment-wide
 * (no scope). One person may hold several.
 */
const roleSchema = new Schema(
  {
    role: { type: String, enum: ROLES, required: true },
    organizationId: { type: Types.ObjectId },
    networkId: { type: Types.ObjectId },
    grantedAt: { type: Date, required: true },
    grantedBy: { type: String, maxlength: 100 },
  },
  { _id: false },
);

const profileSchema = new Schema(
  {
    fullName: { type: String, trim: true, maxlength: 150 },
    birthYear: { type: Number, min: 1930, max: 2100 },
    position: { type: String, enum: POSITIONS },
    positionOther: { type: String, trim: true, maxlength: 100 },
    experienceYears: { type: Number, min: 0, max: 70 },
    qualificationCategory: { type: String, enum: QUALIFICATION_CATEGORIES },
    educationProfile: { type: String, enum: EDUCATION_PROFILES },
    /** Start of work in the organization (local midnight): adaptation surveys at 1, 3 and 12 months (issue 16). */
    workStartedAt: { type: Date },
  },
  { _id: false },
);

/**
 * One document per Telegram account. Before consent it holds only technical data (Telegram id,
 * chosen language, reachability). After `/deleteme` it is a tombstone: no Telegram id, no
 * profile, only `erasedAt`, so anonymised records that point at it stay consistent.
 */
const userSchema = new Schema(
  {
    telegramId: { type: Number, unique: true, sparse: true },
    locale: { type: String, enum: ["ru", "en"] },
    /** Telegram @username, the contact handle shown to a paired counterpart. */
    username: { type: String, maxlength: 64 },
    profile: { type: profileSchema },
    /** The organization the person works in. */
    organizationId: { type: Types.ObjectId, index: true },
    roles: { type: [roleSchema], default: [] },
    /** Set when onboarding is confirmed (consent given, profile complete). */
    registeredAt: { type: Date },
    /** Set when Telegram answers 403 (bot blocked); cleared by a `my_chat_member` unblock. */
    unreachable: { type: Boolean, default: false },
    unreachableSince: { type: Date },
    erasedAt: { type: Date },
  },
  { timestamps: true },
);
userSchema.index({ "roles.role": 1, "roles.organizationId": 1 });

export type UserRecord = InferSchemaType<typeof userSchema>;
export type UserDocument = HydratedDocument<UserRecord>;
export const User = model("User", userSchema);
