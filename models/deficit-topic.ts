import { Schema, model, type InferSchemaType } from "mongoose";

/** The catalogue of professional deficits / request topics (domain brief §5); mentors' competences use the same codes. */
const deficitTopicSchema = new Schema({
  code: { type: String, required: true, unique: true },
  group: { type: String, required: true },
  order: { type: Number, required: true },
  labelRu: { type: String, required: true },
  labelEn: { type: String, required: true },
  active: { type: Boolean, default: true },
});

export type DeficitTopicRecord = InferSchemaType<typeof deficitTopicSchema>;
export const DeficitTopic = model("DeficitTopic", deficitTopicSchema);
