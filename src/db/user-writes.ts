import type { Types } from "mongoose";
import { updateUsers, upsertUsers, User, userUpdateOperators, type UserUpdate, type UserUpsert } from "../../models/index.ts";
import { Batcher } from "../core/concurrency.ts";
import { engine } from "./engine.ts";

/**
 * Writes to people's own user documents that many make at once (the language choice or the consent
 * of 300 newcomers): the writes that come while one is being written go together, by one command
 * (`upsertUsers`, measured on FerretDB: 300 upserts one by one 355–520 ms, by one bulk write
 * 103–146 ms), where the engine reads a list of `_id`s by index (MongoDB, FerretDB on PostgreSQL
 * with the project's patch): the users written are read back so. Elsewhere, and for a write
 * alone, each is its own `findOneAndUpdate` returning the document as written (an in-process copy
 * keeps it either way). A bulk write that fails fails every write of it, also those it may have
 * made (their users are announced as changed all the same).
 */
const upserts = new Batcher<UserUpsert, Types.ObjectId | undefined>(async (writes) => {
  if (writes.length > 1 && engine.listsByIndex) {
    const ids = new Map<number, Types.ObjectId>();
    for (let i = 0; i < writes.length; i += engine.updatesPerCommand) {
      for (const [telegramId, id] of await upsertUsers(writes.slice(i, i + engine.updatesPerCommand))) ids.set(telegramId, id);
    }
    return writes.map((w) => ids.get(w.telegramId));
  }
  const out: Array<Types.ObjectId | undefined | Error> = [];
  for (const w of writes) {
    out.push(
      await User.findOneAndUpdate(w.filter, { $set: w.$set, $setOnInsert: { ...w.$setOnInsert, telegramId: w.telegramId } }, { upsert: true, returnDocument: "after" })
        .lean()
        .then(
          (doc) => doc?._id,
          (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
        ),
    );
  }
  return out;
});

/**
 * Sets fields of one person's user (created where none is stored), sharing a command with the
 * writes that come together. Returns the user's `_id` where the write came back with it (always
 * for a write alone and for a user it created).
 */
export async function upsertUser(write: UserUpsert): Promise<Types.ObjectId | undefined> {
  return upserts.run(write);
}

/**
 * Conditional updates of people's users by `_id` that many make at once (300 newcomers who
 * confirm their registration together), batched as the upserts above: by one command per
 * `engine.updatesPerCommand` (`updateUsers`, the users read back by their `_id`s) where the engine
 * reads such a list by index, else each its own `findOneAndUpdate`.
 */
const updates = new Batcher<UserUpdate, Record<string, unknown> | null>(async (writes) => {
  if (writes.length > 1 && engine.listsByIndex) {
    const docs = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < writes.length; i += engine.updatesPerCommand) {
      for (const [id, doc] of await updateUsers(writes.slice(i, i + engine.updatesPerCommand))) docs.set(id, doc);
    }
    return writes.map((w) => docs.get(String(w._id)) ?? null);
  }
  const out: Array<Record<string, unknown> | null | Error> = [];
  for (const w of writes) {
    out.push(
      await User.findOneAndUpdate({ _id: w._id, ...w.where }, userUpdateOperators(w), { returnDocument: "after" })
        .lean() // lean and whole: the user cache takes it as written
        .then(
          (doc) => doc as Record<string, unknown> | null,
          (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
        ),
    );
  }
  return out;
});

/**
 * Updates one person's user by `_id` where `where` also matches, sharing a command with the writes
 * that come together. Returns the user as it is after the write: written alone, null where the
 * condition did not match; written together, as read back, whether or not it matched (the caller
 * tells from the document).
 */
export async function updateUser(write: UserUpdate): Promise<Record<string, unknown> | null> {
  return updates.run(write);
}
