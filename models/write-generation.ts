import { Schema, model } from "mongoose";

/**
 * A counter another process than the bot (the CLI) raises after it wrote to the database. On
 * FerretDB the bot keeps in-process copies (users, dialog states, the mentor registry) that its
 * own writes keep fresh; it reads this counter every few seconds and drops the copies when it grew
 * (`src/db/outside-writes.ts`).
 */
const writeGenerationSchema = new Schema({
  _id: { type: String, required: true },
  n: { type: Number, default: 0 },
  at: { type: Date },
});

export const WriteGeneration = model("WriteGeneration", writeGenerationSchema);
