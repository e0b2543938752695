import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/**
 * A risk flag for the curator (issue 6, shown in the digest of issue 7): a low pulse answer (≤ 2)
 * or two missed pulses in a row. One flag per pair, kind and round (unique key), resolved when the
 * curator acknowledges it or the pair ends.
 */
export const RISK_KINDS = ["pulse_low", "pulse_missed", "adaptation_drop", "satisfaction_drop"] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

const riskFlagSchema = new Schema(
  {
    /** `${pairId}:${kind}:${round}`: one flag per occasion. */
    key: { type: String, required: true, unique: true },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    /** The pair (pulse flags); a drop in adaptation may come before any pair (issue 16). */
    pairId: { type: Types.ObjectId, index: true },
    /** The person whose adaptation or satisfaction dropped (issue 16). */
    userId: { type: Types.ObjectId },
    kind: { type: String, enum: RISK_KINDS, required: true },
    round: { type: Number, required: true },
    /** Which side answered low, or missed. */
    role: { type: String, enum: ["mentor", "mentee", "both"] },
    score: { type: Number },
    raisedAt: { type: Date, required: true, index: true },
    resolvedAt: { type: Date },
    /**
     * `true` while the flag is unresolved, unset when `resolvedAt` is set: the open flags are read
     * by this equality, which every engine answers by index, not by `resolvedAt: {$exists: false}`,
     * which FerretDB answers by decoding every flag ever raised. A new flag gets it when saved,
     * `resolution` removes it; flags stored before it got it from the one-time migration
     * "risk-flags-open" (`backfillOpenRiskFlags`).
     */
    open: { type: Boolean, index: true },
    resolvedBy: { type: Types.ObjectId },
  },
  { timestamps: TIMESTAMPS },
);

riskFlagSchema.pre("save", function () {
  if (this.isNew && !this.resolvedAt) this.open = true;
});

/** The update that resolves a flag: `resolvedAt` (and by whom) set, the open mark removed together. */
export function resolution(now: Date, resolvedBy?: Types.ObjectId) {
  return { $set: { resolvedAt: now, ...(resolvedBy ? { resolvedBy } : {}) }, $unset: { open: 1 as const } };
}

export type RiskFlagRecord = InferSchemaType<typeof riskFlagSchema>;
export const RiskFlag = model("RiskFlag", riskFlagSchema);
