import { TIMESTAMPS } from "./time.ts";
import { Schema, model, Types, type InferSchemaType } from "mongoose";

/** A recurring weekly group flash session ("методическая среда") of one organization. */
const meetingSeriesSchema = new Schema(
  {
    organizationId: { type: Types.ObjectId, required: true, index: true },
    /** 1 (Mon) – 7 (Sun) and "HH:mm", in the organization's zone. */
    weekday: { type: Number, min: 1, max: 7, required: true },
    localTime: { type: String, required: true, match: /^\d{2}:\d{2}$/ },
    durationMin: { type: Number, min: 15, max: 90, default: 60 },
    topic: { type: String, required: true, maxlength: 200 },
    hostId: { type: Types.ObjectId, required: true },
    mode: { type: String, enum: ["in_person", "online"], default: "in_person" },
    place: { type: String, maxlength: 300 },
    /** Teachers signed up for the series (each occurrence copies them). */
    memberIds: { type: [Types.ObjectId], default: [] },
    createdBy: { type: Types.ObjectId, required: true },
    active: { type: Boolean, default: true },
  },
  { timestamps: TIMESTAMPS },
);

export type MeetingSeriesRecord = InferSchemaType<typeof meetingSeriesSchema>;
export const MeetingSeries = model("MeetingSeries", meetingSeriesSchema);
