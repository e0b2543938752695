import { describe, expect, it, vi } from "vitest";
import mongoose from "mongoose";
import type { Update } from "grammy/types";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import type { FakeTelegram } from "./helpers/fake-telegram.ts";
import { command, makeUser } from "./helpers/updates.ts";
import { connectDatabase } from "../src/db/connection.ts";
import { ProcessedUpdate, UPDATE_ID_BLOCK, UpdateIdBlock } from "../models/index.ts";
import { DurableUpdateSource } from "../src/bot/update-source.ts";
import { settleUpdateLedger } from "../src/bot/exactly-once.ts";
import { createLogger } from "../src/core/logger.ts";

/**
 * Issue 13, Build item 3: with long polling, an update is confirmed to Telegram (the `offset` of
 * the next getUpdates) only once it is stored or handled. Telegram here is a fake that keeps the
 * real offset rule: everything below the offset of a call is forgotten for good.
 */
const db = useTestDatabase();

class TelegramQueue {
  private updates: Update[] = [];
  readonly offsets: number[] = [];
  push(u: Update): void {
    this.updates.push(u);
  }
  /** getUpdates as Telegram answers it: confirm below the offset, return the rest (a short long poll). */
  install(fake: FakeTelegram): void {
    fake.on("getUpdates", async (payload) => {
      const offset = Number(payload.offset ?? 0);
      this.offsets.push(offset);
      this.updates = this.updates.filter((u) => u.update_id >= offset);
      if (this.updates.length === 0) await new Promise((r) => setTimeout(r, 30));
      return this.updates.slice(0, Number(payload.limit ?? 100));
    });
  }
  get stored(): number[] {
    return this.updates.map((u) => u.update_id);
  }
}

/** Waits for `check` (vitest's waitUntil). */
const until = (check: () => Promise<boolean> | boolean, ms = 15_000) => vi.waitUntil(check, { timeout: ms, interval: 30 });

const quiet = createLogger({ level: "silent" });

describe("long polling confirms only what is safe", () => {
  it("keeps the offset at the lowest update not yet stored, and skips copies Telegram sends again", () => {
    const source = new DurableUpdateSource(quiet);
    const u = makeUser(840_001, "Вера");
    const [a, b, c] = [command(u, "/help"), command(u, "/help"), command(u, "/help")];
    expect(source.accept([a, b, c]).map((x) => x.update_id)).toEqual([a.update_id, b.update_id, c.update_id]);
    expect(source.offset()).toBe(a.update_id);
    source.durable(b.update_id);
    source.settled(c.update_id);
    expect(source.offset()).toBe(a.update_id); // a is neither stored nor finished
    // Telegram sends the three again (a holds the offset): none is handed out twice.
    expect(source.accept([a, b, c])).toEqual([]);
    source.pending(a.update_id); // the database is down for a
    source.settled(a.update_id); // its handler returned, but it is not stored
    expect(source.offset()).toBe(a.update_id);
    source.durable(a.update_id); // a later round stored it
    expect(source.offset()).toBe(c.update_id + 1);
    expect(source.unconfirmed).toBe(0);
  });

  it("a message that arrives while the database is down is not confirmed: after a crash the next process answers it", async () => {
    const telegram = new TelegramQueue();
    const u = makeUser(840_010, "Глеб");
    const update = command(u, "/help");
    telegram.push(update);

    // Process A: the database is down; the person hears the apology; A then dies before its retry.
    await mongoose.disconnect();
    const sourceA = new DurableUpdateSource(quiet, { idleWaitMs: 30 });
    const a = buildTestBot({ updates: { confirmations: sourceA, retryDelayMs: () => 3_600_000 } });
    telegram.install(a.fake);
    const runnerA = sourceA.run(a.bot);
    await until(() => a.fake.textsTo(u.chatId).length === 1);
    expect(a.fake.lastTextTo(u.chatId)).toMatch(/^Извините, сейчас не получается/);
    await until(() => telegram.offsets.length >= 3);
    expect(Math.max(...telegram.offsets)).toBe(update.update_id); // never confirmed
    expect(telegram.stored).toEqual([update.update_id]);
    await runnerA.stop();

    // Process B starts with the database back: Telegram delivers the update again.
    await connectDatabase(db.uri, { dbName: db.dbName, readUri: db.readUri });
    const sourceB = new DurableUpdateSource(quiet, { idleWaitMs: 30 });
    const b = buildTestBot({ updates: { confirmations: sourceB } });
    telegram.install(b.fake);
    const runnerB = sourceB.run(b.bot);
    await until(() => b.fake.textsTo(u.chatId).length === 1);
    expect(b.fake.lastTextTo(u.chatId)).toContain("Что умеет");
    await until(() => telegram.stored.length === 0); // now confirmed
    expect(Math.max(...telegram.offsets)).toBe(update.update_id + 1);
    await runnerB.stop();
    await settleUpdateLedger(b.bot); // as the process's graceful stop does (src/app.ts)
    const rec = await ProcessedUpdate.findOne({ updateId: update.update_id }).lean();
    expect(rec?.status).toBe("done");
    expect(a.fake.textsTo(u.chatId).length + b.fake.textsTo(u.chatId).length).toBe(2); // apology + answer, once each
  });

  it("a person who writes while another's update is in hand is fetched once that update is safe, not after a fixed pause", async () => {
    const telegram = new TelegramQueue();
    const [a, b] = [makeUser(840_030, "Ева"), makeUser(840_031, "Жанна")];
    // The pause when only updates in hand come back is far longer than the test may take.
    const source = new DurableUpdateSource(quiet, { idleWaitMs: 600_000 });
    const t = buildTestBot({ updates: { confirmations: source } });
    telegram.install(t.fake);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inHandler = false;
    t.fake.on("sendMessage", async (payload, byDefault) => {
      if (Number(payload.chat_id) === a.chatId) {
        inHandler = true;
        await gate; // the first answer hangs: its update stays in hand a while
      }
      return byDefault();
    });
    telegram.push(command(a, "/help"));
    const runner = source.run(t.bot);
    try {
      await until(() => inHandler);
      const calls = telegram.offsets.length;
      await until(() => telegram.offsets.length > calls); // Telegram answered with the update in hand
      telegram.push(command(b, "/help"));
      release();
      await until(() => t.fake.textsTo(b.chatId).length === 1);
      expect(t.fake.lastTextTo(b.chatId)).toContain("Что умеет");
    } finally {
      release();
      await runner.stop();
      await settleUpdateLedger(t.bot);
    }
  });

  it.each([
    ["recorded before its handler runs (an id of another process's block)", false],
    ["fresh: handled while its record is written", true],
  ])("an update is confirmed once stored, even while its handler still runs: %s", async (_, fresh) => {
    const telegram = new TelegramQueue();
    const u = makeUser(fresh ? 840_021 : 840_020, "Дина");
    const source = new DurableUpdateSource(quiet, { idleWaitMs: 30 });
    const b = buildTestBot({ updates: { confirmations: source } });
    const block = fresh ? 960_000 : 961_000;
    const first = { ...command(u, "/help"), update_id: block * UPDATE_ID_BLOCK + 1 };
    if (!fresh) await UpdateIdBlock.collection.insertOne({ _id: `${b.fake.botInfo.id}:${block}`, holder: "another process", createdAt: new Date() } as never);
    telegram.install(b.fake);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // The answer to /help hangs (a slow Telegram): the update is stored, its handler not finished.
    b.fake.on("sendMessage", async (_payload, byDefault) => {
      await gate;
      return byDefault();
    });
    telegram.push(first);
    const runner = source.run(b.bot);
    await until(async () => (await ProcessedUpdate.countDocuments({ updateId: first.update_id, status: "running" })) === 1);
    await until(() => telegram.stored.length === 0);
    expect(telegram.offsets.at(-1)).toBe(first.update_id + 1);
    expect(b.logs.lines.some((l) => l.msg === "update id block taken")).toBe(fresh);
    release();
    await until(async () => (await ProcessedUpdate.countDocuments({ updateId: first.update_id, status: "done" })) === 1);
    await runner.stop();
  });
});
