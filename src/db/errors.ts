/** True for MongoDB's E11000 duplicate key error (a unique index refused an insert or upsert). */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * The single writes a bulk command refused (a duplicate key, say), by their index in the
 * command's operations; empty when the error is not about single writes (the command failed).
 */
export function refusedWrites(err: unknown): Array<{ index: number; code?: unknown; errmsg?: string }> {
  const writeErrors = (err as { writeErrors?: unknown } | null)?.writeErrors;
  return (writeErrors ? [writeErrors].flat() : []) as Array<{ index: number; code?: unknown; errmsg?: string }>;
}

const UNAVAILABLE_NAMES = new Set([
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoServerSelectionError",
  "MongoNotConnectedError",
  "MongoTopologyClosedError",
  "MongoPoolClosedError",
  "MongoPoolClearedError",
]);

/**
 * True when the error means the database cannot be reached now (as opposed to a bad query).
 * Follows `cause`, and `errorResponse`, where the driver puts the network error of a bulk write
 * (insertMany) cut off mid-way.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth >= 5) return false;
  const { name, message, code, cause, errorResponse } = err as { name?: string; message?: string; code?: unknown; cause?: unknown; errorResponse?: unknown };
  if (name && UNAVAILABLE_NAMES.has(name)) return true;
  if (code === "EPIPE" || code === "ECONNRESET" || code === "ECONNREFUSED") return true;
  if (typeof message === "string" && /bufferCommands = false|Client must be connected|connection .* closed|ECONNREFUSED|ECONNRESET|EPIPE|socket has been ended|Topology is closed/i.test(message)) return true;
  return isDatabaseUnavailable(cause, depth + 1) || (errorResponse instanceof Error && isDatabaseUnavailable(errorResponse, depth + 1));
}
