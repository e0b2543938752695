import { Schema, model, type InferSchemaType } from "mongoose";

/**
 * A question set imported through the CLI (issue 16). Built-in sets live as files in
 * src/domain/question-sets/; a code and version is immutable once stored (answers refer to it).
 * The definition is the validated set as JSON text (options and topics would nest arrays).
 */
const questionSetSchema = new Schema(
  {
    code: { type: String, required: true },
    version: { type: Number, required: true },
    kind: { type: String, required: true },
    definition: { type: String, required: true },
    importedBy: { type: String, maxlength: 100 },
    importedAt: { type: Date, required: true },
  },
  { timestamps: true },
);
questionSetSchema.index({ code: 1, version: 1 }, { unique: true });

export type QuestionSetRecord = InferSchemaType<typeof questionSetSchema>;
export const QuestionSet = model("QuestionSet", questionSetSchema);
