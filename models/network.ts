import { TIMESTAMPS } from "./time.ts";
import { Schema, model, type InferSchemaType } from "mongoose";

/** A set of organizations whose mentors may serve each other's mentees (e.g. six Yaroslavl kindergartens). */
const networkSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    searchKey: { type: String, required: true, unique: true },
  },
  { timestamps: TIMESTAMPS },
);

export type NetworkRecord = InferSchemaType<typeof networkSchema>;
export const Network = model("Network", networkSchema);
