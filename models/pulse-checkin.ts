import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/**
 * A pulse check-in of a long-term pair (issue 6): every PULSE_INTERVAL both sides rate how it goes
 * (1–5) and whether they meet often enough. One row per pair, round and participant, created when the
 * pulse is sent ("sent") and answered once ("answered"); at the next round an unanswered one becomes
 * "missed". Unique on (pairId, round, role): never on the user id, which erasure unsets.
 */
const pulseCheckinSchema = new Schema(
  {
    pairId: { type: Types.ObjectId, required: true, index: true },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    /** Unset on erasure. */
    userId: { type: Types.ObjectId },
    role: { type: String, enum: ["mentor", "mentee"], required: true },
    round: { type: Number, required: true, min: 1 },
    status: { type: String, enum: ["sent", "answered", "missed"], default: "sent", index: true },
    sentAt: { type: Date, required: true },
    answeredAt: { type: Date },
    /** How it goes, 1–5. */
    score: { type: Number, min: 1, max: 5 },
    /** Do they meet often enough? */
    enough: { type: Boolean },
  },
  { timestamps: TIMESTAMPS },
);
pulseCheckinSchema.index({ pairId: 1, round: 1, role: 1 }, { unique: true });

export type PulseCheckinRecord = InferSchemaType<typeof pulseCheckinSchema>;
export const PulseCheckin = model("PulseCheckin", pulseCheckinSchema);
