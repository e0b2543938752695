import { Batcher } from "../core/concurrency.ts";
import { engine } from "./engine.ts";

/**
 * Reads by one key that many people make at once share one query. On one FerretDB connection
 * each read is a round trip the others wait behind: 300 newcomers who confirm their registration
 * in the same second made 300 reads of their consents, 300 of their join requests and so on, one
 * after another. Here the keys asked for while a read runs go together, by one `$in` query, where
 * the engine reads such a list by index (`engine.listsByIndex` for strings and ObjectIds: MongoDB,
 * FerretDB on PostgreSQL with the project's patch; `engine.numberListsByIndex` for numbers:
 * MongoDB only); elsewhere, and for a key alone, each key is its own query, one after another.
 * A read starts after it was asked for, so it sees every write acknowledged before.
 *
 * The documents handed to the callers of one key are shared: callers must not change them.
 */
export function keyedReads<K extends string | number, D>(read: {
  /** The documents of these keys, by one `$in` query. */
  many: (keys: K[]) => Promise<D[]>;
  /** The documents of one key. */
  one: (key: K) => Promise<D[]>;
  keyOf: (doc: D) => K;
}): (key: K) => Promise<readonly D[]> {
  const batcher = new Batcher<K, D[]>(async (keys) => {
    const distinct = [...new Set(keys)];
    if (distinct.length === 1) {
      const docs = await read.one(distinct[0] as K);
      return keys.map(() => docs);
    }
    if (typeof distinct[0] === "number" ? engine.numberListsByIndex : engine.listsByIndex) {
      const byKey = new Map<K, D[]>();
      for (const doc of await read.many(distinct)) {
        const key = read.keyOf(doc);
        const list = byKey.get(key);
        if (list) list.push(doc);
        else byKey.set(key, [doc]);
      }
      return keys.map((key) => byKey.get(key) ?? []);
    }
    const byKey = new Map<K, D[] | Error>();
    for (const key of distinct) {
      byKey.set(
        key,
        await read.one(key).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
      );
    }
    return keys.map((key) => byKey.get(key) as D[] | Error);
  });
  return (key) => batcher.run(key);
}
