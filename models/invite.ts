import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types } from "mongoose";

/**
 * An invitation link for an organization and a role, or for a network (a network curator, issue
 * 15: exactly one of `organizationId` and `networkId` is set). Only the SHA-256 of the token is stored;
 * `remainingUses` is decremented atomically when someone completes registration with it.
 */
const inviteSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    organizationId: { type: Types.ObjectId, index: true },
    networkId: { type: Types.ObjectId },
    role: { type: String, enum: ["mentee", "mentor", "curator"], required: true },
    maxUses: { type: Number, required: true, min: 1 },
    remainingUses: { type: Number, required: true, min: 0 },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    /** Who created it: a user id, or "cli". */
    createdBy: { type: String, required: true },
  },
  { timestamps: TIMESTAMPS },
);

export const Invite = model("Invite", inviteSchema);
