import { describe, expect, inject, it } from "vitest";
import mongoose from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, command, makeUser } from "./helpers/updates.ts";
import { ferretdbVersion } from "../src/db/connection.ts";
import { DialogStateCache, dialogStateCache } from "../src/db/dialog-cache.ts";
import { ABANDONED_DIALOG_MS, ConversationState, dialogStateChanges, pruneAbandonedDialogs } from "../models/index.ts";

useTestDatabase();

/** The dialog-state reads the run makes, by key. */
async function stateReads(run: () => Promise<unknown>): Promise<string[]> {
  const reads: string[] = [];
  mongoose.set("debug", (collection: string, method: string, filter: { key?: string }) => {
    if (collection === "conversationstates" && method === "findOne") reads.push(String(filter.key));
  });
  try {
    await run();
  } finally {
    mongoose.set("debug", false);
  }
  return reads;
}

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
    await ConversationState.updateOne({ key: "fresh" }, { $set: { state: "{}" } }, { upsert: true });
    expect(await cache.read("fresh")).toBe("{}");
    expect(await cache.read("old")).toBe("{}");
    expect(await pruneAbandonedDialogs(new Date())).toBe(1);
    expect(await cache.read("old")).toBeNull();
    expect(await cache.read("fresh")).toBe("{}");

    for (const key of ["k1", "k2", "k3", "k4"]) await cache.read(key);
    expect(cache.size).toBe(3);

    // A change lands while a read is on its way: answered, not kept.
    await ConversationState.updateOne({ key: "r" }, { $set: { state: "1" } }, { upsert: true });
    const racing = cache.read("r");
    dialogStateChanges.emit("change", { key: "other" });
    expect(await racing).toBe("1");
    await ConversationState.collection.updateOne({ key: "r" }, { $set: { state: "2" } });
    expect(await cache.read("r")).toBe("2");
  });

  it("through the bot: an update outside any dialog reads no dialog state once it is known; a dialog's steps still see their own state", async () => {
    const version = await ferretdbVersion(inject("mongoUri"));
    expect(dialogStateCache.enabled).toBe(version !== undefined);
    const t = buildTestBot();
    const u = makeUser(4_400_001, "Вера", "ru");
    await t.send(command(u, "/help"));
    const reads = await stateReads(() => t.send(command(u, "/help")));
    expect(reads).toEqual(dialogStateCache.enabled ? [] : [String(u.chatId)]);
    await t.send(command(u, "/language"));
    expect(await ConversationState.countDocuments({ key: String(u.chatId) })).toBe(1);
    await t.send(callback(u, "lang:en"));
    expect(t.fake.lastTextTo(u.chatId)).toBe("Done: I now speak English.");
    expect(await ConversationState.countDocuments({ key: String(u.chatId) })).toBe(0);
    await t.send(command(u, "/help"));
    expect(t.fake.lastTextTo(u.chatId)).toContain("What Nastavnik can do");
  });
});
