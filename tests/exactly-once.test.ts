import { describe, expect, it, vi } from "vitest";
import mongoose from "mongoose";
import type { Update } from "grammy/types";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { FakeTelegram } from "./helpers/fake-telegram.ts";
import { clock } from "./helpers/scenario.ts";
import { command, makeUser, textMessage } from "./helpers/updates.ts";
import { connectDatabase } from "../src/db/connection.ts";
import { engine } from "../src/db/engine.ts";
import { ProcessedUpdate, pruneProcessedUpdates, UPDATE_ID_BLOCK, UpdateIdBlock } from "../models/index.ts";
import { DONE_LINGER_MS, recoverUnfinishedUpdates, settleUpdateLedger, UPDATE_LEASE_MS } from "../src/bot/exactly-once.ts";

/**
 * Issue 13, Build item 3: updates have their effect exactly once across crashes and database
 * outages, and a person always hears back. "Killing a bot mid-update" = a bot whose Bot API
 * calls never return (its process is gone), then a second bot on the same database.
 */
const db = useTestDatabase();

/** A Bot API whose calls never answer: the process handling the update is as good as dead. */
function deadApi(): FakeTelegram {
  const fake = new FakeTelegram();
  (fake as { fetch: typeof fetch }).fetch = () => new Promise<Response>(() => undefined);
  return fake;
}

/** The bot's answers (sendMessage) wait until the returned function is called: its handler runs on meanwhile. */
function holdAnswers(t: TestBot): () => void {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let holding = true;
  t.bot.api.config.use(async (prev, method, payload, signal) => {
    if (holding && method === "sendMessage") await gate;
    return prev(method, payload, signal);
  });
  return () => {
    holding = false;
    release();
  };
}

/** Waits for `check` (vitest's waitUntil). */
const until = (check: () => Promise<boolean> | boolean, ms = 15_000) => vi.waitUntil(check, { timeout: ms, interval: 50 });

describe("updates exactly once in effect", () => {
  it("an update whose process died mid-way is handled again when redelivered (it was recorded before, and skipped)", async () => {
    const c = clock();
    const a = buildTestBot({ clock: c, fake: deadApi() });
    const u = makeUser(830_001, "Алина");
    const start = command(u, "/start");
    void a.send(start); // never finishes
    await until(async () => (await ProcessedUpdate.countDocuments({ updateId: start.update_id })) === 1);
    expect((await ProcessedUpdate.findOne({ updateId: start.update_id }).lean())?.status).toBe("running");

    // A second process takes over after the lease; a redelivery within the lease is not run twice.
    const b = buildTestBot({ clock: c });
    await b.send(start);
    expect(b.fake.textsTo(u.chatId)).toHaveLength(0);
    c.advance(UPDATE_LEASE_MS + 1000);
    await b.send(start);
    expect(b.fake.textsTo(u.chatId).length).toBeGreaterThan(0);
    const rec = await ProcessedUpdate.findOne({ updateId: start.update_id }).lean();
    expect(rec?.status).toBe("done");
    expect(rec?.update).toBeUndefined(); // the text is not kept once handled
    // A finished update redelivered again is skipped.
    const calls = b.fake.calls.length;
    await b.send(start);
    expect(b.fake.calls.length).toBe(calls);
  });

  it("without any redelivery, the recovery sweep handles an unfinished update from its stored copy", async () => {
    const c = clock();
    const first = buildTestBot({ clock: c });
    const u = makeUser(830_002, "Борис");
    await first.send(command(u, "/start"));
    const asked = first.fake.lastMessageTo(u.chatId);
    expect(asked?.buttons.length).toBeGreaterThan(0);
    // The process dies while handling the language choice.
    const a = buildTestBot({ clock: c, fake: deadApi() });
    void a.send(textMessage(u, "hello"));
    await until(async () => (await ProcessedUpdate.countDocuments({ status: "running" })) === 1);
    const b = buildTestBot({ clock: c });
    c.advance(UPDATE_LEASE_MS + 1000);
    expect(await recoverUnfinishedUpdates(b.bot, c, b.logger)).toBe(1);
    expect(b.fake.textsTo(u.chatId).length).toBeGreaterThan(0);
    expect(await ProcessedUpdate.countDocuments({ status: "running" })).toBe(0);
    expect(await recoverUnfinishedUpdates(b.bot, c, b.logger)).toBe(0);
  });

  it("while the database is unreachable three people get an apology sent without it, and every message is answered once it is back", async () => {
    const t = buildTestBot({ updates: { retryDelayMs: () => 300 } });
    const people = [830_010, 830_011, 830_012].map((id, i) => makeUser(id, `Person${i}`, i === 0 ? "en" : "ru"));
    await mongoose.disconnect();
    const updates = people.map((p) => command(p, "/help"));
    for (const u of updates) await t.send(u);
    for (const p of people) {
      const texts = t.fake.textsTo(p.chatId);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toMatch(p.language_code === "en" ? /^Sorry, your message cannot be handled right now/ : /^Извините, сейчас не получается/);
    }
    await connectDatabase(db.uri, { dbName: db.dbName, readUri: db.readUri });
    await until(() => people.every((p) => t.fake.textsTo(p.chatId).length >= 2));
    for (const p of people) expect(t.fake.textsTo(p.chatId)).toHaveLength(2); // apology + the answer, once
    await until(async () => (await ProcessedUpdate.countDocuments({ status: "done", updateId: { $in: updates.map((u) => u.update_id) } })) === 3);
  });

  it("updates that come together are recorded by one command; redeliveries among them are skipped", async () => {
    const t = buildTestBot();
    const people = Array.from({ length: 20 }, (_, i) => makeUser(830_100 + i, `Группа${i}`));
    const first = people.slice(0, 5).map((p) => command(p, "/help"));
    await t.send(...first); // handled before: their redeliveries below must be skipped
    const repliesBefore = t.fake.calls.length;
    const inserts = vi.spyOn(ProcessedUpdate.collection, "insertMany");
    const fresh = people.slice(5).map((p) => command(p, "/help"));
    await Promise.all([...first, ...fresh].map((u) => t.bot.handleUpdate(u)));
    await settleUpdateLedger(t.bot);
    const inserted = inserts.mock.calls.map((c) => (c[0] as unknown[]).length);
    inserts.mockRestore();
    // Each fresh update answered once, none of the redeliveries.
    for (const p of people.slice(5)) expect(t.fake.textsTo(p.chatId), String(p.id)).toHaveLength(1);
    for (const p of people.slice(0, 5)) expect(t.fake.textsTo(p.chatId), String(p.id)).toHaveLength(1);
    expect(t.fake.calls.length - repliesBefore).toBe(15);
    const recs = await ProcessedUpdate.find({ updateId: { $in: [...first, ...fresh].map((u) => u.update_id) } }).lean();
    expect(recs).toHaveLength(20);
    expect(recs.every((r) => r.status === "done" && r.update === undefined)).toBe(true);
    // Group commit: the first update is written alone, the ones that came meanwhile together.
    expect(inserted.length).toBeLessThanOrEqual(3);
    expect(inserted.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it("updates that finish together are marked done by one command where the engine reads an id list by index, else one by one", async () => {
    for (const lists of [true, false]) {
      const saved = engine.listsByIndex;
      engine.listsByIndex = lists && saved; // FerretDB on SQLite cannot take lists either way
      const t = buildTestBot();
      const people = Array.from({ length: 12 }, (_, i) => makeUser(830_200 + (lists ? 0 : 50) + i, `Итог${i}`));
      await t.send(command(people[0] as (typeof people)[number], "/help")); // warm
      const many = vi.spyOn(ProcessedUpdate, "updateMany");
      const one = vi.spyOn(ProcessedUpdate, "updateOne");
      const updates = people.slice(1).map((p) => command(p, "/help"));
      try {
        await Promise.all(updates.map((u) => t.bot.handleUpdate(u)));
        await settleUpdateLedger(t.bot);
      } finally {
        engine.listsByIndex = saved;
      }
      const listed = many.mock.calls.map((c) => ((c[0] as { _id?: { $in?: unknown[] } })._id?.$in ?? []).length);
      const single = one.mock.calls.length;
      many.mockRestore();
      one.mockRestore();
      const recs = await ProcessedUpdate.find({ updateId: { $in: updates.map((u) => u.update_id) } }).lean();
      expect(recs).toHaveLength(11);
      expect(recs.every((r) => r.status === "done" && r.update === undefined && r.lockedUntil === undefined && r.doneAt instanceof Date)).toBe(true);
      for (const p of people.slice(1)) expect(t.fake.textsTo(p.chatId)).toHaveLength(1);
      if (lists && saved) {
        // The marks of updates that finish together share a command.
        expect(listed.reduce((a, b) => a + b, 0) + single).toBe(11);
        expect(Math.max(0, ...listed)).toBeGreaterThan(1);
        expect(listed.length + single).toBeLessThanOrEqual(4);
      } else {
        expect(listed).toEqual([]);
        expect(single).toBe(11);
      }
    }
  });

  it("an update does not wait for its done mark: the marks of updates handled one after another within moments share a command, a graceful stop writes the waiting ones, and a failed mark is tried again", async () => {
    const t = buildTestBot();
    const people = Array.from({ length: 8 }, (_, i) => makeUser(830_400 + i, `Подряд${i}`));
    await t.send(command(people[0] as (typeof people)[number], "/help")); // warm
    const many = vi.spyOn(ProcessedUpdate, "updateMany");
    const one = vi.spyOn(ProcessedUpdate, "updateOne");
    const updates = people.map((p) => command(p, "/help"));
    for (const u of updates) await t.bot.handleUpdate(u);
    // Handled and answered; the marks wait to share commands (how many share one depends on the
    // machine's speed, so only "fewer commands than updates" is asked below).
    for (const p of people) expect(t.fake.textsTo(p.chatId).length).toBeGreaterThanOrEqual(1);
    await settleUpdateLedger(t.bot);
    const commands = many.mock.calls.length + one.mock.calls.length;
    many.mockRestore();
    one.mockRestore();
    const recs = await ProcessedUpdate.find({ updateId: { $in: updates.map((u) => u.update_id) } }).lean();
    expect(recs.map((r) => r.status)).toEqual(updates.map(() => "done"));
    if (engine.listsByIndex) expect(commands).toBeLessThan(updates.length);
    else expect(commands).toBe(updates.length);

    // The last update's mark is still waiting when handleUpdate returns.
    const last = command(people[1] as (typeof people)[number], "/help");
    await t.bot.handleUpdate(last);
    expect((await ProcessedUpdate.findOne({ updateId: last.update_id }).lean())?.status).toBe("running");
    await new Promise((r) => setTimeout(r, DONE_LINGER_MS * 5));
    await until(async () => (await ProcessedUpdate.findOne({ updateId: last.update_id }).lean())?.status === "done");

    // A mark that fails is tried again (here: the first attempt fails, the retry lands).
    const failing = vi.spyOn(ProcessedUpdate, "updateOne").mockRejectedValueOnce(new Error("write refused"));
    const retried = command(people[2] as (typeof people)[number], "/help");
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      await t.bot.handleUpdate(retried);
      await settleUpdateLedger(t.bot); // a lone mark is one `updateOne` on any engine
      await vi.waitFor(() => expect(t.logs.lines.some((l) => l.msg === "update handled, its done mark failed: trying again")).toBe(true));
      expect((await ProcessedUpdate.findOne({ updateId: retried.update_id }).lean())?.status).toBe("running");
      await vi.advanceTimersByTimeAsync(10_000);
      await settleUpdateLedger(t.bot);
    } finally {
      vi.useRealTimers();
      failing.mockRestore();
    }
    await until(async () => (await ProcessedUpdate.findOne({ updateId: retried.update_id }).lean())?.status === "done");
  });

  it("a batched insert cut by a network timeout counts as the database being unreachable: an apology, then the answer (an update recorded before it is handled)", async () => {
    const { MongoBulkWriteError, MongoNetworkTimeoutError } = mongoose.mongo;
    const t = buildTestBot({ updates: { retryDelayMs: () => 300 } });
    const u = makeUser(830_300, "Галина");
    // What the driver throws when the socket times out during insertMany: the network error is
    // the bulk error's `errorResponse`, not its `cause`.
    const cut = new MongoBulkWriteError(
      new MongoNetworkTimeoutError("connection 2 to 127.0.0.1:27017 timed out"),
      {} as ConstructorParameters<typeof MongoBulkWriteError>[1],
    );
    // An id of a block another process took: recorded before it is handled (a fresh one is below).
    const update = command(u, "/help");
    await UpdateIdBlock.updateOne({ _id: `${t.fake.botInfo.id}:${Math.floor(update.update_id / UPDATE_ID_BLOCK)}` }, { $setOnInsert: { holder: "another process", createdAt: new Date() } }, { upsert: true });
    const inserts = vi.spyOn(ProcessedUpdate.collection, "insertMany").mockRejectedValueOnce(cut);
    await t.send(update);
    expect(t.fake.textsTo(u.chatId)).toHaveLength(1);
    expect(t.fake.textsTo(u.chatId)[0]).toMatch(/^Извините, сейчас не получается/);
    await until(() => t.fake.textsTo(u.chatId).length >= 2);
    inserts.mockRestore();
    expect(t.fake.textsTo(u.chatId)).toHaveLength(2);
  });

  describe("a fresh update is handled while its record is written", () => {
    /** Updates in a block of ids nobody has taken yet in this database. */
    let nextBlock = 900_000;
    const freshIds = () => {
      let id = nextBlock++ * UPDATE_ID_BLOCK + 1;
      return (update: ReturnType<typeof command>) => ({ ...update, update_id: id++ });
    };
    /** Holds the ledger's inserts until `release()`; `calls` counts them, `sent(id)` is the record written for an update. */
    function holdInserts() {
      const original = ProcessedUpdate.collection.insertMany.bind(ProcessedUpdate.collection);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let calls = 0;
      const sent: Array<Record<string, unknown>> = [];
      const spy = vi.spyOn(ProcessedUpdate.collection, "insertMany").mockImplementation((async (...args: Parameters<typeof original>) => {
        calls++;
        sent.push(...(args[0] as Array<Record<string, unknown>>));
        await gate;
        return original(...args);
      }) as typeof original);
      return { release, restore: () => spy.mockRestore(), calls: () => calls, sent: (updateId: number) => sent.find((d) => d.updateId === updateId) };
    }

    /** Handled with its record held back: answered before the record lands; then released and settled. */
    async function answeredBeforeItsRecord(t: TestBot, update: Update, chatId: number, texts: number) {
      const hold = holdInserts();
      try {
        await t.bot.handleUpdate(update);
        expect(t.fake.textsTo(chatId)).toHaveLength(texts);
        hold.release();
        await settleUpdateLedger(t.bot);
      } finally {
        hold.restore();
      }
    }

    /** Handled with its record held back: not answered (still `textsBefore` texts) until the record lands. */
    async function recordedBeforeItIsHandled(t: TestBot, update: Update, chatId: number, textsBefore: number) {
      const hold = holdInserts();
      try {
        const handling = t.bot.handleUpdate(update);
        await until(() => hold.calls() === 1);
        await new Promise((r) => setTimeout(r, 100));
        expect(t.fake.textsTo(chatId)).toHaveLength(textsBefore);
        hold.release();
        await handling;
      } finally {
        hold.restore();
      }
    }

    it("answered before its record lands; a copy of it is skipped; an update in another process's block is recorded first", async () => {
      // The record waits long enough for company that the handler has surely finished by then.
      const t = buildTestBot({ updates: { freshLingerMs: 1_000 } });
      const inBlock = freshIds();
      const u = makeUser(830_500, "Вера", "en");
      const first = inBlock(command(u, "/help"));
      const hold = holdInserts();
      try {
        await t.bot.handleUpdate(first);
        // Answered, its record still on the way: it waits for company, and by the time it goes
        // out the handler has finished, so it is written done at once (no copy, no done mark).
        expect(t.fake.textsTo(u.chatId)).toHaveLength(1);
        await until(() => hold.calls() === 1);
        expect(hold.sent(first.update_id)).toMatchObject({ status: "done", attempts: 1 });
        expect(hold.sent(first.update_id)?.update).toBeUndefined();
        expect(await ProcessedUpdate.countDocuments({ updateId: first.update_id })).toBe(0);
        expect((await UpdateIdBlock.findById(`${t.fake.botInfo.id}:${Math.floor(first.update_id / UPDATE_ID_BLOCK)}`).lean())?.holder).toMatch(/:/);
        // A copy delivered meanwhile is skipped, not answered again.
        await t.bot.handleUpdate(first);
        expect(t.fake.textsTo(u.chatId)).toHaveLength(1);
        hold.release();
        await settleUpdateLedger(t.bot);
      } finally {
        hold.restore();
      }
      const rec = await ProcessedUpdate.findOne({ updateId: first.update_id }).lean();
      expect(rec?.status).toBe("done");
      expect(rec?.update).toBeUndefined();
      // Once done, a copy is still skipped (the ledger met the id: it asks the record).
      await t.send(first);
      expect(t.fake.textsTo(u.chatId)).toHaveLength(1);

      // Another process (a second ledger) meets an id of that block: it is not fresh there, so its
      // record is written before the handler runs.
      const other = buildTestBot();
      const v = makeUser(830_501, "Зоя", "en");
      await recordedBeforeItIsHandled(other, inBlock(command(v, "/help")), v.chatId, 0);
      expect(other.fake.textsTo(v.chatId)).toHaveLength(1);
      // A new id of its block is still fresh for the first process.
      const third = inBlock(command(u, "/help"));
      await answeredBeforeItsRecord(t, third, u.chatId, 2);
      expect((await ProcessedUpdate.findOne({ updateId: third.update_id }).lean())?.status).toBe("done");
    });

    it("the records of fresh updates handled one after another within moments go in one command, done", async () => {
      const t = buildTestBot({ updates: { freshLingerMs: 1_000 } });
      const inBlock = freshIds();
      const people = Array.from({ length: 5 }, (_, i) => makeUser(830_540 + i, `Подряд${i}`, "en"));
      await t.send(inBlock(command(people[0] as (typeof people)[number], "/help"))); // takes the block
      const updates = people.map((p) => inBlock(command(p, "/help")));
      const hold = holdInserts();
      try {
        for (const u of updates) await t.bot.handleUpdate(u);
        await until(() => hold.calls() === 1);
        expect(updates.map((u) => hold.sent(u.update_id)?.status)).toEqual(updates.map(() => "done"));
        hold.release();
        await settleUpdateLedger(t.bot);
        expect(hold.calls()).toBe(1);
      } finally {
        hold.restore();
      }
      expect(await ProcessedUpdate.countDocuments({ updateId: { $in: updates.map((u) => u.update_id) }, status: "done" })).toBe(5);
    });

    it("one whose handler still runs when its record goes out is recorded running with its copy, then marked done", async () => {
      const t = buildTestBot();
      const inBlock = freshIds();
      const u = makeUser(830_505, "Ната", "en");
      await t.send(inBlock(command(u, "/help"))); // takes the block
      // The answer's sendMessage waits until released: the handler outlives the record's wait.
      const release = holdAnswers(t);
      const update = inBlock(command(u, "/help"));
      const handling = t.bot.handleUpdate(update);
      await until(async () => (await ProcessedUpdate.countDocuments({ updateId: update.update_id })) === 1);
      const running = await ProcessedUpdate.findOne({ updateId: update.update_id }).lean();
      expect(running?.status).toBe("running");
      expect(JSON.parse(running?.update ?? "{}")).toMatchObject({ update_id: update.update_id });
      expect(t.fake.textsTo(u.chatId)).toHaveLength(1);
      release();
      await handling;
      await settleUpdateLedger(t.bot);
      expect(t.fake.textsTo(u.chatId)).toHaveLength(2);
      const rec = await ProcessedUpdate.findOne({ updateId: update.update_id }).lean();
      expect(rec?.status).toBe("done");
      expect(rec?.update).toBeUndefined();
    });

    it("one whose handler outlasts the record's wait for company, but not RUNNING_RECORD_AFTER_MS, is recorded done when it finishes: no copy, no done mark", async () => {
      const t = buildTestBot();
      const inBlock = freshIds();
      const u = makeUser(830_506, "Тая", "en");
      await t.send(inBlock(command(u, "/help"))); // takes the block
      await settleUpdateLedger(t.bot);
      const release = holdAnswers(t);
      const marks = [vi.spyOn(ProcessedUpdate, "updateMany"), vi.spyOn(ProcessedUpdate, "updateOne")];
      try {
        const update = inBlock(command(u, "/help"));
        const handling = t.bot.handleUpdate(update);
        // Ten times the wait for company: nothing is written while the handler runs.
        await new Promise((r) => setTimeout(r, 10 * DONE_LINGER_MS));
        expect(await ProcessedUpdate.countDocuments({ updateId: update.update_id })).toBe(0);
        release();
        await handling;
        await settleUpdateLedger(t.bot);
        expect(t.fake.textsTo(u.chatId)).toHaveLength(2);
        const rec = await ProcessedUpdate.findOne({ updateId: update.update_id }).lean();
        expect(rec).toMatchObject({ status: "done", attempts: 1 });
        expect(rec?.update).toBeUndefined();
        expect(marks.every((m) => m.mock.calls.length === 0)).toBe(true);
      } finally {
        for (const m of marks) m.mockRestore();
      }
    });

    it("one whose record cannot be written is still answered (no apology), and recorded as done once the database takes it", async () => {
      const { MongoBulkWriteError, MongoNetworkTimeoutError } = mongoose.mongo;
      const t = buildTestBot();
      const inBlock = freshIds();
      const u = makeUser(830_510, "Лиля");
      await t.send(inBlock(command(u, "/help"))); // takes the block
      const cut = new MongoBulkWriteError(new MongoNetworkTimeoutError("connection 2 to 127.0.0.1:27017 timed out"), {} as ConstructorParameters<typeof MongoBulkWriteError>[1]);
      const inserts = vi.spyOn(ProcessedUpdate.collection, "insertMany").mockRejectedValueOnce(cut);
      const update = inBlock(command(u, "/help"));
      try {
        await t.send(update);
      } finally {
        inserts.mockRestore();
      }
      expect(t.fake.textsTo(u.chatId)).toHaveLength(2);
      expect(t.fake.textsTo(u.chatId).every((text) => !/^Извините/.test(text))).toBe(true);
      expect(t.logs.lines.some((l) => l.msg === "update handled, its record not written: written later as done")).toBe(true);
      await until(async () => (await ProcessedUpdate.findOne({ updateId: update.update_id }).lean())?.status === "done");
      // A copy of it is skipped.
      await t.send(update);
      expect(t.fake.textsTo(u.chatId)).toHaveLength(2);
    });

    it("a block is taken by one process only, and a block taken a week ago is no longer trusted", async () => {
      const c = clock();
      const a = buildTestBot({ clock: c });
      const b = buildTestBot({ clock: c });
      const inBlock = freshIds();
      const people = Array.from({ length: 6 }, (_, i) => makeUser(830_520 + i, `Блок${i}`, "en"));
      const updates = people.map((p) => inBlock(command(p, "/help")));
      // Both processes meet ids of the new block at once: one takes it, the other records first.
      const taking = vi.spyOn(UpdateIdBlock.collection, "insertOne");
      await Promise.all(updates.map((u, i) => (i % 2 ? a : b).bot.handleUpdate(u)));
      await settleUpdateLedger(a.bot);
      await settleUpdateLedger(b.bot);
      expect(taking.mock.calls.length).toBe(2);
      taking.mockRestore();
      expect(await UpdateIdBlock.countDocuments({ _id: `${a.fake.botInfo.id}:${Math.floor((updates[0]?.update_id ?? 0) / UPDATE_ID_BLOCK)}` })).toBe(1);
      for (const p of people) expect((p.id % 2 ? a : b).fake.textsTo(p.chatId), String(p.id)).toHaveLength(1);
      expect(await ProcessedUpdate.countDocuments({ updateId: { $in: updates.map((u) => u.update_id) }, status: "done" })).toBe(6);
      // Six days later the taker no longer takes the block's ids as fresh: recorded first.
      const takers = [a, b].filter((x) => x.logs.lines.some((l) => l.msg === "update id block taken"));
      expect(takers).toHaveLength(1);
      const taker = takers[0] as typeof a;
      const w = makeUser(830_530, "Поздняя", "en");
      await answeredBeforeItsRecord(taker, inBlock(command(w, "/help")), w.chatId, 1); // still trusted
      c.advance(6 * 24 * 3600_000);
      await recordedBeforeItIsHandled(taker, inBlock(command(w, "/help")), w.chatId, 1);
      expect(taker.fake.textsTo(w.chatId)).toHaveLength(2);
    });
  });

  it("the weekly prune drops done records and id blocks older than a week, and keeps running records", async () => {
    const now = new Date("2020-01-10T09:00:00Z"); // before every other record of this file
    const old = new Date(now.getTime() - 8 * 24 * 3600_000);
    const recent = new Date(now.getTime() - 24 * 3600_000);
    await ProcessedUpdate.collection.insertMany([
      { botId: 91, updateId: 1, status: "done", createdAt: old },
      { botId: 91, updateId: 2, status: "running", createdAt: old },
      { botId: 91, updateId: 3, status: "done", createdAt: recent },
    ]);
    await UpdateIdBlock.collection.insertMany([
      { _id: "91:0", holder: "x", createdAt: old },
      { _id: "91:1", holder: "x", createdAt: recent },
    ] as never);
    expect(await pruneProcessedUpdates(now)).toBe(1);
    expect((await ProcessedUpdate.find({ botId: 91 }).lean()).map((r) => r.updateId).sort()).toEqual([2, 3]);
    expect((await UpdateIdBlock.find({ _id: { $in: ["91:0", "91:1"] } }).lean()).map((b) => b._id)).toEqual(["91:1"]);
  });
});
