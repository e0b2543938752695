import type { Model } from "mongoose";
import { engine } from "./engine.ts";

type Ops<M extends Model<any>> = Parameters<M["bulkWrite"]>[0]; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * `model.bulkWrite(ops)` in chunks of `engine.updatesPerCommand` operations, one after another
 * (an unpatched FerretDB never finishes a command of about 50 updates); returns the documents
 * upserted.
 */
export async function bulkWriteInChunks<M extends Model<any>>(model: M, ops: Ops<M>, options: { ordered?: boolean } = {}): Promise<{ upserted: number }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  let upserted = 0;
  for (let i = 0; i < ops.length; i += engine.updatesPerCommand) {
    const res = await model.bulkWrite(ops.slice(i, i + engine.updatesPerCommand), options);
    upserted += res.upsertedCount;
  }
  return { upserted };
}
