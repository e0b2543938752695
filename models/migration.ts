import { Schema, model } from "mongoose";

/**
 * One-time data migrations done on this database (`src/db/backfill.ts`), by name: a migration that
 * has to read a whole collection to find what it fills (FerretDB pushes no `$exists` down) runs
 * once, not at every start.
 */
const migrationSchema = new Schema({
  _id: { type: String, required: true },
  doneAt: { type: Date, required: true },
  /** What it changed (documents filled), for the record. */
  changed: { type: Number, default: 0 },
});

export const Migration = model("Migration", migrationSchema);
