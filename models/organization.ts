import { TIMESTAMPS } from "./time.ts";
import { EventEmitter } from "node:events";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/** A preschool organization (ДОО). Instants are stored in UTC; `timezone` is its IANA zone. */
const organizationSchema = new Schema(
  {
    shortName: { type: String, required: true, trim: true, maxlength: 200 },
    fullName: { type: String, trim: true, maxlength: 500 },
    legalForm: { type: String, trim: true, maxlength: 20 },
    region: { type: String, trim: true, maxlength: 200 },
    municipality: { type: String, trim: true, maxlength: 200 },
    timezone: { type: String, required: true },
    website: { type: String, trim: true, maxlength: 300 },
    /** Normalised short name (see src/domain/org-names.ts), for search and de-duplication. */
    searchKey: { type: String, required: true, index: true },
    /**
     * Search key plus the normalised municipality (or region): what organizations are unique by
     * (see `orgUniqueKey`). Filled at connection for documents stored before it existed.
     */
    uniqueKey: { type: String, index: true },
    networkIds: { type: [Types.ObjectId], default: [] },
    /** Stage IV: a mentor of this organization is matched only after attending a mentor training (issue 16). */
    mentorTrainingRequired: { type: Boolean, default: false },
  },
  { timestamps: TIMESTAMPS },
);
organizationSchema.index({ networkIds: 1 });

/**
 * Change notifications for the in-process copy of the organizations (src/db/organization-cache.ts):
 * emits "change" after every write through the model. Organizations are written seldom (added,
 * joined to a network, a setting changed, an import), so the copy is read again whole.
 */
export const organizationChanges = new EventEmitter();
organizationChanges.setMaxListeners(100);
const changed = () => void organizationChanges.emit("change");
organizationSchema.post(["updateOne", "findOneAndUpdate", "updateMany", "deleteOne", "deleteMany", "findOneAndDelete", "replaceOne"], changed);
organizationSchema.post("save", changed);
organizationSchema.post("insertMany", changed);
organizationSchema.post("bulkWrite", changed);

export type OrganizationRecord = InferSchemaType<typeof organizationSchema>;
export const Organization = model("Organization", organizationSchema);
