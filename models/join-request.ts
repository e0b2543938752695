import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types } from "mongoose";

/** A teacher without an invite asks to join an organization as a mentee; its curators decide. */
const joinRequestSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true, index: true },
    organizationId: { type: Types.ObjectId, required: true, index: true },
    status: { type: String, enum: ["pending", "approved", "rejected", "withdrawn"], default: "pending" },
    decidedBy: { type: Types.ObjectId },
    decidedAt: { type: Date },
  },
  { timestamps: TIMESTAMPS },
);

export const JoinRequest = model("JoinRequest", joinRequestSchema);
