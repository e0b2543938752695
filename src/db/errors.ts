/** True for MongoDB's E11000 duplicate key error (a unique index refused an insert or upsert). */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === 11000;
}
