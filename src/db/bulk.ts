import type { Model } from "mongoose";

/**
 * Operations per bulk write. FerretDB 1.24 on PostgreSQL holds one connection of its pool (50 by
 * default) for every statement of an update command until the command ends: a bulk write of about
 * 50 updates or more never finishes (measured: 50 `updateOne`s hung until the socket timeout, 30
 * took 250 ms). On MongoDB the chunks cost only a few more round trips.
 */
export const BULK_CHUNK = 20;

type Ops<M extends Model<any>> = Parameters<M["bulkWrite"]>[0]; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `model.bulkWrite(ops)` in chunks of {@link BULK_CHUNK}, one after another; returns the documents upserted. */
export async function bulkWriteInChunks<M extends Model<any>>(model: M, ops: Ops<M>, options: { ordered?: boolean } = {}): Promise<{ upserted: number }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  let upserted = 0;
  for (let i = 0; i < ops.length; i += BULK_CHUNK) {
    const res = await model.bulkWrite(ops.slice(i, i + BULK_CHUNK), options);
    upserted += res.upsertedCount;
  }
  return { upserted };
}
