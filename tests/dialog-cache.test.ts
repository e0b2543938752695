import { describe, expect, inject, it } from "vitest";
import mongoose from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, command, makeUser } from "./helpers/updates.ts";
import { ferretdbVersion } from "../src/db/connection.ts";
import { DialogStateCache, dialogStateCache } from "../src/db/dialog-cache.ts";
import { ABANDONED_DIALOG_MS, ConversationState, dialogStateChanges, dialogStatesChangedOutsideModel, pruneAbandonedDialogs } from "../models/index.ts";

useTestDatabase();

/** The dialog-state calls the run makes: `method key` for each (reads only: the keys). */
async function stateCalls(run: () => Promise<unknown>, reads = true): Promise<string[]> {
  const calls: string[] = [];
  mongoose.set("debug", (collection: string, method: string, filter: { key?: string }) => {
    if (collection !== "conversationstates") return;
    if (reads && method === "findOne") calls.push(String(filter.key));
    if (!reads && method !== "findOne") calls.push(method);
  });
  try {
    await run();
  } finally {
    mongoose.set("debug", false);
  }
  return calls;
}
const stateReads = (run: () => Promise<unknown>) => stateCalls(run);
const stateWrites = (run: () => Promise<unknown>) => stateCalls(run, false);

describe("the dialog-state copy (issue 12)", () => {
  it("follows every write through the model, empties on a sweep, keeps its bound, and does not keep a read that raced with a change", async () => {
    const cache = new DialogStateCache({ max: 3 });
    cache.enabled = true;
    expect(await cache.read("a")).toBeNull();
    expect(await stateReads(() => cache.read("a"))).toEqual([]); // "no dialog" is remembered
    await ConversationState.updateOne({ key: "a" }, { $set: { state: '{"v":1}' } }, { upsert: true });
    expect(await cache.read("a")).toBe('{"v":1}');
    await ConversationState.deleteMany({ key: "a" }); // as erasure does
    expect(await cache.read("a")).toBeNull();

    // The sweep of abandoned dialogs names no chat: the copy is emptied.
    await ConversationState.collection.insertOne({ key: "old", state: "{}", createdAt: new Date(0), updatedAt: new Date(Date.now() - 2 * ABANDONED_DIALOG_MS) });
    dialogStatesChangedOutsideModel();
    await ConversationState.updateOne({ key: "fresh" }, { $set: { state: "{}" } }, { upsert: true });
    expect(await cache.read("fresh")).toBe("{}");
    expect(await cache.read("old")).toBe("{}");
    expect(await pruneAbandonedDialogs(new Date())).toBe(1);
    expect(await cache.read("old")).toBeNull();
    expect(await cache.read("fresh")).toBe("{}");

    for (const key of ["k1", "k2", "k3", "k4"]) await ConversationState.updateOne({ key }, { $set: { state: key } }, { upsert: true });
    for (const key of ["k1", "k2", "k3", "k4"]) expect(await cache.read(key)).toBe(key);
    expect(cache.size).toBe(3);

    // A change lands while a read is on its way: answered, not kept.
    await ConversationState.updateOne({ key: "r" }, { $set: { state: "1" } }, { upsert: true });
    const racing = cache.read("r");
    dialogStateChanges.emit("change", { key: "other" });
    expect(await racing).toBe("1");
    await ConversationState.collection.updateOne({ key: "r" }, { $set: { state: "2" } });
    expect(await cache.read("r")).toBe("2");
  });

  it("knows which chats have a stored dialog: one outside the recent ones with none costs no read; the set follows writes, sweeps, failed writes and writes made while it is read", async () => {
    const cache = new DialogStateCache({ max: 2 });
    cache.enabled = true;
    await ConversationState.updateOne({ key: "s1" }, { $set: { state: "1" } }, { upsert: true });
    // The first read reads the set of stored dialogs (keys only) and then the one asked for.
    expect(await stateReads(() => cache.read("s1"))).toEqual(["s1"]);
    expect(cache.presentSize).toBe(await ConversationState.countDocuments({}));
    // Many chats without a dialog, more than the recent ones held: none of them costs a read.
    expect(await stateReads(async () => {
      for (let i = 0; i < 10; i++) expect(await cache.read(`n${i}`)).toBeNull();
    })).toEqual([]);
    // What this process writes and deletes moves the set; a chat written by anyone is read.
    cache.wrote("w1", "x");
    await ConversationState.updateOne({ key: "w1" }, { $set: { state: "x" } }, { upsert: true });
    for (let i = 0; i < 3; i++) await cache.read(`m${i}`); // pushes w1 out of the recent ones
    expect(await stateReads(async () => expect(await cache.read("w1")).toBe("x"))).toEqual(["w1"]);
    await ConversationState.deleteOne({ key: "w1" });
    cache.wrote("w1", null);
    for (let i = 0; i < 3; i++) await cache.read(`m${i}`);
    expect(await stateReads(async () => expect(await cache.read("w1")).toBeNull())).toEqual([]);
    // A write whose outcome is unknown: the chat is read again.
    cache.forget("f1");
    await ConversationState.collection.insertOne({ key: "f1", state: "landed", createdAt: new Date(), updatedAt: new Date() });
    expect(await cache.read("f1")).toBe("landed");
    // A raw write, announced: the set is read again.
    await ConversationState.collection.insertOne({ key: "raw", state: "r", createdAt: new Date(), updatedAt: new Date() });
    dialogStatesChangedOutsideModel();
    expect(await cache.read("raw")).toBe("r");
    // A write that lands while the set is being read is in the set.
    dialogStatesChangedOutsideModel();
    const reading = cache.read("nobody");
    await ConversationState.updateOne({ key: "during" }, { $set: { state: "d" } }, { upsert: true });
    expect(await reading).toBeNull();
    expect(await cache.read("during")).toBe("d");
    expect(cache.presentSize).toBe(await ConversationState.countDocuments({}));
  });

  it("through the bot: an update outside any dialog reads no dialog state once it is known; a dialog's steps still see their own state", async () => {
    const version = await ferretdbVersion(inject("mongoUri"));
    expect(dialogStateCache.enabled).toBe(version !== undefined);
    const t = buildTestBot();
    const u = makeUser(4_400_001, "Вера", "ru");
    await t.send(command(u, "/help"));
    const reads = await stateReads(() => t.send(command(u, "/help")));
    expect(reads).toEqual(dialogStateCache.enabled ? [] : [String(u.chatId)]);
    // A dialog's first step inserts its state where the copy knows there is none (one statement
    // on FerretDB, where an upsert first looks); its last step deletes it.
    expect(await stateWrites(() => t.send(command(u, "/language")))).toEqual(dialogStateCache.enabled ? ["insertOne"] : ["updateOne"]);
    expect(await ConversationState.countDocuments({ key: String(u.chatId) })).toBe(1);
    await t.send(callback(u, "lang:en"));
    expect(t.fake.lastTextTo(u.chatId)).toBe("Done: I now speak English.");
    expect(await ConversationState.countDocuments({ key: String(u.chatId) })).toBe(0);
    await t.send(command(u, "/help"));
    expect(t.fake.lastTextTo(u.chatId)).toContain("What Nastavnik can do");
    // A state the copy did not know of (written by another process, unannounced): the insert
    // meets its key, and the step writes over it as before.
    const v = makeUser(4_400_002, "Нина", "ru");
    await t.send(command(v, "/help"));
    await ConversationState.collection.insertOne({ key: String(v.chatId), state: "{}", createdAt: new Date(), updatedAt: new Date() });
    expect(await stateWrites(() => t.send(command(v, "/language")))).toEqual(dialogStateCache.enabled ? ["insertOne", "updateOne"] : ["updateOne"]);
    expect(await ConversationState.countDocuments({ key: String(v.chatId) })).toBe(1);
    await t.send(callback(v, "lang:en"));
    expect(t.fake.lastTextTo(v.chatId)).toBe("Done: I now speak English.");
    expect(await ConversationState.countDocuments({ key: String(v.chatId) })).toBe(0);
  });
});
