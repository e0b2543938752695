import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { clock, org } from "./helpers/scenario.ts";
import { makeUser, textMessage, callback } from "./helpers/updates.ts";
import { injectDeliveryFaults } from "./helpers/fake-telegram.ts";
import { storedJob } from "./helpers/jobs.ts";
import { Job, OutboxMessage, User } from "../models/index.ts";
import { GROUP_NOTICES_JOB } from "../src/domain/group-sessions.ts";
import type { Notice } from "../src/domain/notices.ts";

/**
 * Issue 13, Build item 1 and 2: every notice goes through the durable outbox. These cases lost
 * the notice before (`sendNotices` logged every non-403 failure and the job was marked done).
 */
useTestDatabase({ resetBetweenTests: true });

let nextId = 810_000;
function person(name = "Коллега") {
  return makeUser(nextId++, name);
}

async function member(id: number, organizationId?: string, extra: Record<string, unknown> = {}) {
  return User.create({ telegramId: id, locale: "en", registeredAt: new Date(), ...(organizationId ? { organizationId } : {}), ...extra });
}

function note(telegramId: number, key = "mentor-approved-notice"): Notice {
  return { telegramId, locale: "en", key };
}

/** A job that sends these notices, due now (the group-notices job carries its notices). */
async function dispatch(t: TestBot, now: Date, notices: Notice[], key = `notices-${Math.random().toString(36).slice(2)}`) {
  await t.queue.enqueue({ type: GROUP_NOTICES_JOB, key, runAt: now, payload: { notices } });
  await t.queue.tick();
  return key;
}

function delivered(t: TestBot, chatId: number): number {
  return t.fake.sent("sendMessage").filter((c) => Number(c.payload.chat_id) === chatId).length;
}

describe("outbox", () => {
  it("a notice failing with 5xx past any retry budget stays pending and is delivered later, exactly once", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const u = person();
    t.fake.failNext("sendMessage", { kind: "500" }, 4, u.chatId);
    t.fake.failNext("sendMessage", { kind: "network" }, 3, u.chatId);
    const key = await dispatch(t, c.now(), [note(u.chatId)]);
    expect((await storedJob(key))?.status).toBe("done");
    expect(delivered(t, u.chatId)).toBe(0);
    const rec = await OutboxMessage.findOne({ telegramId: u.chatId }).lean();
    expect(rec?.status).toBe("pending");
    for (let i = 0; i < 12; i++) {
      c.advance(20 * 60_000);
      await t.queue.tick();
    }
    expect(delivered(t, u.chatId)).toBe(1);
    expect((await OutboxMessage.findOne({ telegramId: u.chatId }).lean())?.status).toBe("sent");
  });

  it("a 429 with retry_after above the auto-retry ceiling is honoured, however long, then delivered once", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const u = person();
    t.fake.failNext("sendMessage", { kind: "429", retryAfter: 3600 }, 1, u.chatId);
    await dispatch(t, c.now(), [note(u.chatId)]);
    expect(delivered(t, u.chatId)).toBe(0);
    c.advance(30 * 60_000);
    await t.queue.tick();
    // Not tried again before retry_after is over.
    expect(t.fake.calls.filter((x) => x.method === "sendMessage" && Number(x.payload.chat_id) === u.chatId)).toHaveLength(1);
    c.advance(31 * 60_000);
    await t.queue.tick();
    expect(delivered(t, u.chatId)).toBe(1);
  });

  it("a 400 that cannot succeed is recorded failed and reported to the recipient's curator with the reason", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const o = await org("Детский сад № 40");
    const cur = person("Куратор");
    await member(cur.chatId, o.id, { roles: [{ role: "curator", organizationId: o.id, grantedAt: new Date() }] });
    const u = person();
    await member(u.chatId, o.id, { profile: { fullName: "Тестова Анна" } });
    t.fake.failNext("sendMessage", { kind: "400", description: "Bad Request: can't parse entities" }, 1, u.chatId);
    await dispatch(t, c.now(), [note(u.chatId)]);
    const rec = await OutboxMessage.findOne({ telegramId: u.chatId }).lean();
    expect(rec?.status).toBe("failed");
    expect(rec?.lastError).toContain("can't parse entities");
    expect(rec?.reportedAt).toBeDefined();
    const report = t.fake.textsTo(cur.chatId).find((x) => x.includes("could not be delivered")) ?? "";
    expect(report).toContain("could not be delivered");
    expect(report).toContain("can't parse entities");
    expect(report).toContain("Тестова Анна");
    // Nothing is retried for it.
    c.advance(3_600_000);
    await t.queue.tick();
    expect(t.fake.calls.filter((x) => x.method === "sendMessage" && Number(x.payload.chat_id) === u.chatId)).toHaveLength(1);
  });

  it("403 parks the notice and marks the user unreachable; a message from them clears it and delivers what is still relevant", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const u = person();
    await member(u.chatId);
    t.fake.failNext("sendMessage", { kind: "403" }, 1, u.chatId);
    await dispatch(t, c.now(), [note(u.chatId, "mentor-approved-notice")]);
    expect((await User.findOne({ telegramId: u.chatId }).lean())?.unreachable).toBe(true);
    expect((await OutboxMessage.findOne({ telegramId: u.chatId }).lean())?.status).toBe("parked");
    // Later notices are parked without a call.
    await dispatch(t, c.now(), [note(u.chatId, "cancel-done")]);
    expect(t.fake.calls.filter((x) => x.method === "sendMessage" && Number(x.payload.chat_id) === u.chatId)).toHaveLength(1);
    // An old parked notice is no longer relevant.
    await OutboxMessage.updateOne({ telegramId: u.chatId, status: "parked", notice: { $regex: "cancel-done" } }, { $set: { createdAt: new Date(c.now().getTime() - 8 * 86_400_000) } });

    await t.send(textMessage(u, "hello again"));
    expect((await User.findOne({ telegramId: u.chatId }).lean())?.unreachable).toBe(false);
    const statuses = (await OutboxMessage.find({ telegramId: u.chatId }).sort({ createdAt: 1 }).lean()).map((r) => r.status).sort();
    expect(statuses).toEqual(["sent", "stale"]);
    expect(t.fake.textsTo(u.chatId).some((x) => x.includes("approved"))).toBe(true);
    expect(delivered(t, u.chatId)).toBeGreaterThanOrEqual(2); // the parked notice and the bot's answer
  });

  it("a button press also clears unreachable", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const u = person();
    await member(u.chatId, undefined, { unreachable: true, unreachableSince: new Date() });
    await t.send(callback(u, "zz:unknown"));
    expect((await User.findOne({ telegramId: u.chatId }).lean())?.unreachable).toBe(false);
  });

  it("a job run twice (crash after sending, before done) sends nothing twice", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const u = person();
    const key = await dispatch(t, c.now(), [note(u.chatId)]);
    await Job.updateOne({ key }, { $set: { status: "pending", runAt: c.now() } });
    await t.queue.tick();
    c.advance(10 * 60_000);
    await t.queue.tick();
    expect(delivered(t, u.chatId)).toBe(1);
    expect(await OutboxMessage.countDocuments({ telegramId: u.chatId })).toBe(1);
  });

  it("a record whose first attempt was cut off (process died) is sent by its safety-net job, once", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const u = person();
    // The network drops for the inline attempt's process: it "dies" holding the lease.
    const key = await dispatch(t, c.now(), [note(u.chatId)]);
    expect(delivered(t, u.chatId)).toBe(1);
    const rec = await OutboxMessage.findOne({ telegramId: u.chatId }).lean();
    // Simulate the same record left pending with a dead lease by a crashed sender.
    await OutboxMessage.updateOne({ _id: rec?._id }, { $set: { status: "pending", lockedUntil: new Date(c.now().getTime() + 60_000), notice: JSON.stringify(note(u.chatId)) } });
    void key;
    c.advance(3 * 60_000);
    await t.queue.tick();
    c.advance(3 * 60_000);
    await t.queue.tick();
    expect(delivered(t, u.chatId)).toBe(2); // resent once (at-least-once across a crash), not more
    expect((await OutboxMessage.findById(rec?._id).lean())?.status).toBe("sent");
  });

  it(
    "dispatch under injected 500s, 429s (retry_after 1–60 s), network errors and 403s: zero duplicates, zero losses",
    async () => {
      const c = clock();
      const t = buildTestBot({ clock: c });
      const N = 100;
      const users = Array.from({ length: N }, () => person());
      for (const u of users) await member(u.chatId);
      const { blocked, total: injected } = injectDeliveryFaults(t.fake, users.map((u) => u.chatId));
      await dispatch(t, c.now(), users.map((u) => note(u.chatId)));
      for (let round = 0; round < 20 && (await OutboxMessage.countDocuments({ status: "pending" })) > 0; round++) {
        c.advance(5 * 60_000);
        await t.queue.tick();
      }
      expect(await OutboxMessage.countDocuments({ status: "pending" })).toBe(0);
      expect(await OutboxMessage.countDocuments({ status: "parked" })).toBe(blocked.size);
      for (const u of users) if (blocked.has(u.chatId)) await t.send(textMessage(u, "back"));
      const failedCalls = t.fake.calls.filter((x) => x.method === "sendMessage" && x.failed).length;
      expect(failedCalls).toBe(injected);
      for (const u of users) {
        const notices = t.fake.sent("sendMessage").filter((x) => Number(x.payload.chat_id) === u.chatId && String(x.payload.text).includes("approved"));
        expect(notices, `recipient ${u.chatId}`).toHaveLength(1);
      }
      expect(await OutboxMessage.countDocuments({ status: "sent" })).toBe(N);
    },
    600_000,
  );
});
