import { describe, expect, inject, it, vi } from "vitest";
import mongoose from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, command, makeUser } from "./helpers/updates.ts";
import { ferretdbVersion } from "../src/db/connection.ts";
import { DialogStateCache, dialogStateCache } from "../src/db/dialog-cache.ts";
import { ABANDONED_DIALOG_MS, ConversationState, User, dialogStateChanges, dialogStatesChangedOutsideModel, pruneAbandonedDialogs, type DialogStateChange } from "../models/index.ts";
import { writeDialogStates, type DialogStateWrite } from "../src/db/dialog-writes.ts";
import { engine } from "../src/db/engine.ts";

useTestDatabase();

/** The dialog-state calls the run makes: `method key` for each (reads only: the keys). */
async function stateCalls(run: () => Promise<unknown>, reads = true): Promise<string[]> {
  const calls: string[] = [];
  mongoose.set("debug", (collection: string, method: string, filter: { key?: string }) => {
    if (collection !== "conversationstates") return;
    if (reads && method === "findOne") calls.push(String(filter.key));
    // A bulk write (the storage's group commit) counts as the writes it carries.
    if (!reads && method === "bulkWrite") calls.push(...(filter as unknown as object[]).map((op) => Object.keys(op)[0] as string));
    else if (!reads && method !== "findOne") calls.push(method);
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

describe("dialog states written together (issue 12)", () => {
  it("writes many dialogs' inserts, upserts and deletes in one round trip, one dialog's writes in order; a taken key changes nothing; each write is announced", async () => {
    await ConversationState.collection.insertOne({ key: "taken", state: "old", createdAt: new Date(), updatedAt: new Date() });
    const announced: string[] = [];
    const listen = (c: DialogStateChange) => void announced.push(c === "all" ? "all" : c.key);
    dialogStateChanges.on("change", listen);
    const writes: DialogStateWrite[] = [
      ...Array.from({ length: 60 }, (_, n) => ({ key: `b${n}`, state: `i${n}`, insert: true })),
      ...Array.from({ length: 60 }, (_, n) => ({ key: `c${n}`, state: `u${n}` })),
      { key: "taken", state: "new", insert: true },
      // One dialog written three times in one call: insert, update, delete, in that order.
      { key: "seq", state: "1", insert: true },
      { key: "seq", state: "2" },
      { key: "b0", state: null },
      { key: "seq", state: null },
      { key: "seq2", state: "x", insert: true },
      { key: "seq2", state: "y" },
    ];
    const commands = await stateWrites(async () => {
      const out = await writeDialogStates(writes);
      expect(out.filter((r) => r === "written")).toHaveLength(writes.length - 1);
      expect(out[120]).toBe("taken");
    }).finally(() => dialogStateChanges.off("change", listen));
    expect(commands.filter((c) => c === "insertOne")).toHaveLength(63);
    const keys = [...new Set(writes.map((w) => w.key))];
    expect(await ConversationState.countDocuments({ key: { $in: keys } })).toBe(59 + 60 + 1 + 1); // b1…b59, c0…c59, taken, seq2
    expect((await ConversationState.findOne({ key: "taken" }).lean())?.state).toBe("old");
    expect((await ConversationState.findOne({ key: "seq2" }).lean())?.state).toBe("y");
    expect(await ConversationState.countDocuments({ key: { $in: ["seq", "b0"] } })).toBe(0);
    expect((await ConversationState.findOne({ key: "c7" }).lean())?.state).toBe("u7");
    expect(new Set(announced)).toEqual(new Set(keys));
    await ConversationState.deleteMany({ key: { $in: keys } });
  });

  it("where an engine takes few updates per command, they go in several; an update that failed leaves the others of its command unanswered as written", async () => {
    const saved = engine.updatesPerCommand;
    engine.updatesPerCommand = 3;
    try {
      const commands: number[] = [];
      mongoose.set("debug", (collection: string, method: string, ops: unknown[]) => void (collection === "conversationstates" && method === "bulkWrite" && commands.push(ops.length)));
      const out = await writeDialogStates(Array.from({ length: 8 }, (_, n) => ({ key: `m${n}`, state: `${n}` }))).finally(() => mongoose.set("debug", false));
      expect(out).toEqual(Array(8).fill("written"));
      expect(commands).toEqual([3, 3, 2]);
      expect(await ConversationState.countDocuments({ key: /^m/ })).toBe(8);
    } finally {
      engine.updatesPerCommand = saved;
    }
    // FerretDB stops an update command at its first failing statement and names only it.
    const spy = vi.spyOn(ConversationState.collection, "bulkWrite").mockRejectedValueOnce(Object.assign(new Error("write failed"), { writeErrors: [{ index: 1, code: 2, errmsg: "bad update" }] }));
    const out = await writeDialogStates([
      { key: "f0", state: "a" },
      { key: "f1", state: "b" },
      { key: "f2", state: "c", insert: true },
      { key: "f3", state: null },
      { key: "f4", state: "d" },
    ]).finally(() => spy.mockRestore());
    expect(out.map((r) => (r instanceof Error ? r.message : r))).toEqual([
      "dialog state maybe not written: an update before it in the same command failed",
      "bad update",
      "written",
      "written",
      "dialog state maybe not written: an update before it in the same command failed",
    ]);
  });

  it("through the bot: the dialog writes of people handled together share commands, and every dialog ends where it should", async () => {
    const t = buildTestBot();
    const people = Array.from({ length: 40 }, (_, n) => makeUser(4_410_000 + n, `Люди${n}`, "ru"));
    await Promise.all(people.map((p) => t.send(command(p, "/help"))));
    const commands: number[] = [];
    const userWrites: number[] = [];
    mongoose.set("debug", (collection: string, method: string, ops: unknown[]) => {
      if (collection === "conversationstates" && method === "bulkWrite") commands.push(ops.length);
      if (collection === "users" && method === "bulkWrite") userWrites.push(ops.length);
      if (collection === "users" && method === "findOneAndUpdate") userWrites.push(1);
    });
    try {
      await Promise.all(people.map((p) => t.send(command(p, "/language"))));
      expect(await ConversationState.countDocuments({ key: { $in: people.map((p) => String(p.chatId)) } })).toBe(40);
      await Promise.all(people.map((p) => t.send(callback(p, "lang:en"))));
    } finally {
      mongoose.set("debug", false);
    }
    for (const p of people) expect(t.fake.lastTextTo(p.chatId)).toBe("Done: I now speak English.");
    expect(await ConversationState.countDocuments({ key: { $in: people.map((p) => String(p.chatId)) } })).toBe(0);
    // 80 writes (a state each, then its deletion); one alone goes at once, the rest gather.
    expect(commands.reduce((a, b) => a + b, 0)).toBe(80);
    expect(commands.length).toBeLessThan(20);
    // The 40 language choices: stored, and where the engine reads an id list by index, by shared commands.
    const users = await User.find({ telegramId: { $in: people.map((p) => p.id) } }).lean();
    expect(users.map((u) => u.locale)).toEqual(people.map(() => "en"));
    expect(users.every((u) => u.unreachable === false && u.createdAt instanceof Date && u.__v === 0)).toBe(true);
    expect(userWrites.reduce((a, b) => a + b, 0)).toBe(40);
    if (engine.listsByIndex) expect(userWrites.length).toBeLessThan(20);
    else expect(userWrites.length).toBe(40);
  });
});
