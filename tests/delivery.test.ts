import { beforeEach, describe, expect, it } from "vitest";
import { Api, GrammyError } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import { useTestDatabase } from "./helpers/db.ts";
import { FakeTelegram } from "./helpers/fake-telegram.ts";
import { LogSink, TEST_TOKEN } from "./helpers/harness.ts";
import { createLogger } from "../src/core/logger.ts";
import { User } from "../models/index.ts";
import { clearJobs, storedJobs } from "./helpers/jobs.ts";
import { deliver, SendLimiter } from "../src/messaging/delivery.ts";
import { JobQueue } from "../jobs/queue.ts";

useTestDatabase();

const START = Date.parse("2026-03-29T00:30:00.000Z");

/**
 * Virtual time: `sleep` registers a timer, `run` advances the clock from timer to timer until
 * the awaited work is done. Nothing sleeps for real.
 */
class VirtualTime {
  now = START;
  sleeps = 0;
  private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  private seq = 0;
  readonly clock = { now: () => new Date(this.now) };
  readonly sleep = (ms: number): Promise<void> => {
    this.sleeps++;
    return new Promise<void>((resolve) => this.timers.push({ at: this.now + Math.max(0, ms), seq: this.seq++, resolve }));
  };
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    work.then(
      () => (done = true),
      () => (done = true),
    );
    for (;;) {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      if (done) return work;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error("virtual time: nothing left to wait for, but the work is not done");
      this.now = Math.max(this.now, next.at);
      next.resolve();
    }
  }
}

/** A clock whose sleep just moves it forward (for code that waits one call at a time). */
function steppingTime() {
  let now = START;
  return {
    clock: { now: () => new Date(now) },
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

function newApi(fake: FakeTelegram): Api {
  const api = new Api(TEST_TOKEN, { fetch: fake.fetch });
  api.config.use(autoRetry());
  return api;
}

const sendText = (text: string) => (api: Api, chatId: number) => api.sendMessage(chatId, text);

beforeEach(async () => {
  await User.deleteMany({});
  await clearJobs();
});

describe("SendLimiter", () => {
  it("does not wait while under the limits", async () => {
    const vt = new VirtualTime();
    const limiter = new SendLimiter({ clock: vt.clock, sleep: vt.sleep });
    await vt.run(Promise.all(Array.from({ length: 25 }, (_, i) => limiter.acquire(1000 + i))));
    expect(vt.sleeps).toBe(0);
    expect(vt.now).toBe(START);
  });

  it("lets one message per second through to one chat, in order", async () => {
    const vt = new VirtualTime();
    const limiter = new SendLimiter({ clock: vt.clock, sleep: vt.sleep });
    const grants: Array<[number, number]> = [];
    await vt.run(
      Promise.all(
        [1, 2, 3, 4, 5].map(async (n) => {
          await limiter.acquire(42);
          grants.push([n, vt.now - START]);
        }),
      ),
    );
    expect(grants).toEqual([
      [1, 0],
      [2, 1000],
      [3, 2000],
      [4, 3000],
      [5, 4000],
    ]);
  });

  it("never lets more than 25 messages per second overall or 1 per second per chat through", async () => {
    const vt = new VirtualTime();
    const limiter = new SendLimiter({ clock: vt.clock, sleep: vt.sleep });
    // 300 messages to 40 chats, requested all at once in a scrambled order, plus a few late arrivals.
    const requests = Array.from({ length: 300 }, (_, i) => ({ i, chat: (i * 7) % 40 }));
    const grants: Array<{ chat: number; t: number }> = [];
    await vt.run(
      Promise.all([
        ...requests.map(async (r) => {
          const granted = await limiter.acquire(r.chat);
          expect(granted).toBe(vt.now); // the returned grant time is when it resolved
          grants.push({ chat: r.chat, t: granted });
        }),
        (async () => {
          await vt.sleep(2500);
          await Promise.all(
            [900, 901, 0].map(async (chat) => {
              await limiter.acquire(chat);
              grants.push({ chat, t: vt.now });
            }),
          );
        })(),
      ]),
    );
    expect(grants).toHaveLength(303);
    const times = grants.map((g) => g.t).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= (times[i] as number) && t < (times[i] as number) + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(25);
    }
    const byChat = new Map<number, number[]>();
    for (const g of grants) byChat.set(g.chat, [...(byChat.get(g.chat) ?? []), g.t]);
    for (const [, ts] of byChat) {
      ts.sort((a, b) => a - b);
      for (let i = 1; i < ts.length; i++) expect((ts[i] as number) - (ts[i - 1] as number)).toBeGreaterThanOrEqual(1000);
    }
    // And it does not idle: 303 messages at 25/s take a little over 12 s.
    expect((times.at(-1) as number) - START).toBeLessThanOrEqual(12_000);
  });
});

describe("deliver", () => {
  it("sends, and returns 'sent'", async () => {
    const fake = new FakeTelegram();
    const t = steppingTime();
    const user = await User.create({ telegramId: 5001, locale: "ru" });
    const outcome = await deliver(newApi(fake), new SendLimiter(t), user, sendText("Напоминание о встрече"));
    expect(outcome).toBe("sent");
    expect(fake.textsTo(5001)).toEqual(["Напоминание о встрече"]);
  });

  it("a 403 marks the user unreachable, and later deliveries skip them", async () => {
    const fake = new FakeTelegram();
    const t = steppingTime();
    const api = newApi(fake);
    const limiter = new SendLimiter(t);
    const logs = new LogSink();
    const logger = createLogger({ level: "debug", destination: logs });
    const blocked = await User.create({ telegramId: 5002, locale: "ru" });
    const deactivated = await User.create({ telegramId: 5003, locale: "en" });

    fake.failNext("sendMessage", { kind: "403" });
    expect(await deliver(api, limiter, blocked, sendText("one"), { clock: t.clock, logger })).toBe("unreachable");
    fake.failNext("sendMessage", { kind: "403", description: "Forbidden: user is deactivated" });
    expect(await deliver(api, limiter, deactivated, sendText("one"), { clock: t.clock, logger })).toBe("unreachable");

    const stored = await User.findById(blocked._id).lean();
    expect(stored?.unreachable).toBe(true);
    expect(stored?.unreachableSince?.getTime()).toBe(START);
    expect((await User.findById(deactivated._id).lean())?.unreachable).toBe(true);
    expect(logs.lines.filter((l) => l.msg === "recipient cannot be reached (403): marked unreachable")).toHaveLength(2);

    // The caller's copy of the user is stale (no flag): the stored flag decides.
    fake.clear();
    expect(await deliver(api, limiter, { _id: blocked._id, telegramId: 5002 }, sendText("two"))).toBe("skipped");
    expect(await deliver(api, limiter, deactivated, sendText("two"))).toBe("skipped");
    expect(fake.calls).toEqual([]);
  });

  it("skips erased and unknown users", async () => {
    const fake = new FakeTelegram();
    const t = steppingTime();
    const erased = await User.create({ erasedAt: new Date(START) });
    const ghost = new User({ telegramId: 5009 });
    expect(await deliver(newApi(fake), new SendLimiter(t), erased, sendText("x"))).toBe("skipped");
    expect(await deliver(newApi(fake), new SendLimiter(t), ghost, sendText("x"))).toBe("skipped");
    expect(fake.calls).toEqual([]);
  });

  it("waits out a 429 with retry_after and delivers the message instead of dropping it", async () => {
    const fake = new FakeTelegram();
    const user = await User.create({ telegramId: 5004, locale: "ru" });
    fake.failNext("sendMessage", { kind: "429", retryAfter: 1 });
    const started = Date.now();
    expect(await deliver(newApi(fake), new SendLimiter(steppingTime()), user, sendText("после паузы"))).toBe("sent");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.calls.filter((c) => c.method === "sendMessage").map((c) => c.failed)).toEqual([true, false]);
    expect(fake.textsTo(5004)).toEqual(["после паузы"]);
    expect((await User.findById(user._id).lean())?.unreachable).toBe(false);
  });

  it("rethrows other errors (so the job retries) without marking the user", async () => {
    const fake = new FakeTelegram();
    const user = await User.create({ telegramId: 5005, locale: "ru" });
    fake.failNext("sendMessage", { kind: "400", description: "Bad Request: message is too long" });
    const err = await deliver(newApi(fake), new SendLimiter(steppingTime()), user, sendText("x")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(400);
    expect((await User.findById(user._id).lean())?.unreachable).toBe(false);
  });

  it("through the queue: each reminder job delivers once; a blocked user ends the job instead of retrying it", async () => {
    const fake = new FakeTelegram();
    const api = newApi(fake);
    const t = steppingTime();
    const limiter = new SendLimiter(t);
    const logs = new LogSink();
    const queue = new JobQueue({ clock: t.clock, logger: createLogger({ level: "debug", destination: logs }) });
    const outcomes: Record<string, string> = {};
    queue.register("reminder", async (payload) => {
      const { userId, text } = payload as { userId: string; text: string };
      outcomes[userId] = await deliver(api, limiter, { _id: userId }, sendText(text), { clock: t.clock });
    });
    const users = await User.create([{ telegramId: 6001 }, { telegramId: 6002 }, { telegramId: 6003 }]);
    for (const u of users) {
      await queue.enqueue({ type: "reminder", key: `reminder:${u._id}`, runAt: t.clock.now(), payload: { userId: String(u._id), text: "Встреча в 15:00" } });
    }
    fake.failNext("sendMessage", { kind: "403" }, 1, 6002);

    expect(await queue.tick()).toEqual({ ran: 3, failed: 0, missed: 0 });
    expect(users.map((u) => outcomes[String(u._id)])).toEqual(["sent", "unreachable", "sent"]);
    expect(fake.textsTo(6001)).toEqual(["Встреча в 15:00"]);
    expect(fake.textsTo(6003)).toEqual(["Встреча в 15:00"]);
    expect((await storedJobs()).filter((j) => j.status === "done")).toHaveLength(3);
    expect(logs.errors()).toEqual([]);
  });
});
