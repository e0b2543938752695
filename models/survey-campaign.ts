import { Schema, model, Types, type InferSchemaType } from "mongoose";

export const CAMPAIGN_AUDIENCES = ["mentee", "mentor", "all"] as const;
export type CampaignAudience = (typeof CAMPAIGN_AUDIENCES)[number];

/**
 * A curator sends a question set to a role within a scope (their organization, or every
 * organization of their network) with a deadline (issue 16). Respondents get one
 * `SurveyResponse` each at launch; one reminder goes out before the deadline.
 */
const surveyCampaignSchema = new Schema(
  {
    setCode: { type: String, required: true },
    setVersion: { type: Number, required: true },
    anonymous: { type: Boolean, required: true },
    audience: { type: String, enum: CAMPAIGN_AUDIENCES, required: true },
    /** The organizations in scope (one, or the members of a network when it was sent). */
    organizationIds: { type: [Types.ObjectId], default: [] },
    networkId: { type: Types.ObjectId },
    createdBy: { type: Types.ObjectId, required: true },
    deadline: { type: Date, required: true },
    status: { type: String, enum: ["active", "closed"], default: "active" },
    launchedAt: { type: Date },
    recipients: { type: Number, default: 0 },
  },
  { timestamps: true },
);
surveyCampaignSchema.index({ organizationIds: 1 });

export type SurveyCampaignRecord = InferSchemaType<typeof surveyCampaignSchema>;
export const SurveyCampaign = model("SurveyCampaign", surveyCampaignSchema);
