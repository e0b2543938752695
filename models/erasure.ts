import { Schema, model } from "mongoose";

/** That an erasure happened, with no personal data: when, and how many records of each kind. */
const erasureSchema = new Schema({
  erasedAt: { type: Date, required: true },
  counts: { type: String, required: true },
});

export const Erasure = model("Erasure", erasureSchema);
