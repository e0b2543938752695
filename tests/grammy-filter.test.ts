import { createHook } from "node:async_hooks";
import { describe, expect, it, vi } from "vitest";
import { Bot, Composer, type Context } from "grammy";
import { withGrammysChain } from "../src/bot/grammy-chain.ts";
import { FakeTelegram } from "./helpers/fake-telegram.ts";
import { callback, command, makeUser } from "./helpers/updates.ts";

const fake = new FakeTelegram();
const user = makeUser(779_000_001, "Filter", "ru");

function newBot(): Bot {
  return new Bot("123:TEST", { botInfo: fake.botInfo, client: { fetch: fake.fetch as never } });
}

describe("grammY's filters without a Composer per update (src/bot/grammy-chain.ts)", () => {
  it("runs a filter's middleware when its predicate holds (sync or async) and passes the update on when not, in order", async () => {
    const bot = newBot();
    const seen: string[] = [];
    bot.filter(() => false, () => void seen.push("never (sync)"));
    bot.filter(async () => false, () => void seen.push("never (async)"));
    bot.filter(
      () => true,
      async (_ctx, next) => {
        seen.push("sync true");
        await next();
        seen.push("sync true, after next");
      },
    );
    bot.filter(
      async () => true,
      async (_ctx, next) => {
        seen.push("async true");
        await next();
      },
    );
    bot.drop(() => true, () => void seen.push("dropped: never"));
    bot.use(() => void seen.push("end"));
    await bot.handleUpdate(command(user, "/start"));
    expect(seen).toEqual(["sync true", "async true", "end", "sync true, after next"]);
  });

  it("commands, callback queries and chat types reach their handler and only it; middleware added to a filter's composer later runs too", async () => {
    const bot = newBot();
    const seen: string[] = [];
    bot.command("help", () => void seen.push("help"));
    const start = bot.command("start");
    start.use(() => void seen.push("start, added later"));
    bot.chatType("private").callbackQuery("ok", () => void seen.push("ok"));
    bot.callbackQuery(/^item:(\d+)$/, (ctx) => void seen.push(`item ${String(ctx.match?.[1])}`));
    bot.use(() => void seen.push("unhandled"));
    for (const u of [command(user, "/help"), command(user, "/start"), callback(user, "ok"), callback(user, "item:7"), callback(user, "other"), command(user, "/nothing")]) await bot.handleUpdate(u);
    expect(seen).toEqual(["help", "start, added later", "ok", "item 7", "unhandled", "unhandled"]);
  });

  it("an error in a filtered handler reaches the error boundary around it", async () => {
    const bot = newBot();
    const caught: string[] = [];
    const guarded = new Composer<Context>();
    bot.errorBoundary((err) => void caught.push((err.error as Error).message), guarded);
    guarded.command("fail", () => {
      throw new Error("from the handler");
    });
    guarded.filter(async () => {
      throw new Error("from the predicate");
    });
    await bot.handleUpdate(command(user, "/fail"));
    await bot.handleUpdate(command(user, "/other"));
    expect(caught).toEqual(["from the handler", "from the predicate"]);
  });

  it("is not built on `lazy` (grammY's own filter is, and builds a Composer per update in it): 200 callback filters, no `lazy`", async () => {
    const lazy = vi.spyOn(Composer.prototype, "lazy");
    try {
      const bot = newBot();
      let handled = 0;
      for (let i = 0; i < 200; i++) bot.callbackQuery(`cb:${i}`, () => void handled++);
      bot.command("help", () => void handled++);
      await bot.handleUpdate(command(user, "/help"));
      await bot.handleUpdate(callback(user, "cb:199"));
      expect(handled).toBe(2);
      expect(lazy).not.toHaveBeenCalled();
    } finally {
      lazy.mockRestore();
    }
  });
});

describe("grammY's chain of middleware run by index (src/bot/grammy-chain.ts, `use`)", () => {
  it("runs middleware in order around `next`, awaits what each returns (a promise or a thenable), and lets a composer be extended after it was returned", async () => {
    const bot = newBot();
    const seen: string[] = [];
    const later = bot.use(async (_ctx, next) => {
      seen.push("1 before");
      await next();
      seen.push("1 after");
    });
    bot.use((_ctx, next) => next()); // passes on without a promise of its own
    bot.use((_ctx, next) => ({ then: (resolve: () => void) => void next().then(() => (seen.push("thenable"), resolve())) }));
    bot.use(new Composer((_ctx, next) => (seen.push("composer"), next())));
    bot.use(() => void seen.push("end"));
    later.use((_ctx, next) => (seen.push("added later"), next()));
    await bot.handleUpdate(command(user, "/start"));
    expect(seen).toEqual(["1 before", "added later", "composer", "end", "thenable", "1 after"]);
  });

  it("an error thrown or rejected anywhere reaches the error boundary around it; a `next` called twice is an error, as in grammY", async () => {
    const bot = newBot();
    const caught: string[] = [];
    const guarded = new Composer<Context>();
    bot.errorBoundary((err) => void caught.push(String((err.error as Error).message ?? err.error)), guarded);
    guarded.command("sync", () => {
      throw new Error("thrown");
    });
    guarded.command("async", () => Promise.reject(new Error("rejected")));
    guarded.command("twice", async (_ctx, next) => {
      await next();
      await next();
    });
    guarded.use(() => undefined);
    for (const text of ["/sync", "/async", "/twice"]) await bot.handleUpdate(command(user, text));
    expect(caught).toEqual(["thrown", "rejected", "`next` already called before!"]);
  });

  /** A bot whose `/help` passes 300 middleware that only call `next`, and the promises one `/help` makes through it. */
  async function promisesOfOneHelp(build: (make: () => Bot) => Bot = (make) => make()): Promise<number> {
    let answered = 0;
    const bot = build(() => {
      const b = newBot();
      for (let i = 0; i < 300; i++) b.use((_ctx, next) => next());
      b.command("help", () => void answered++);
      return b;
    });
    await bot.handleUpdate(command(user, "/help")); // anything grammY does once
    let promises = 0;
    const hook = createHook({ init: (_id, type) => void (type === "PROMISE" && promises++) });
    hook.enable();
    try {
      await bot.handleUpdate(command(user, "/help"));
    } finally {
      hook.disable();
    }
    expect(answered).toBe(2);
    return promises;
  }

  it("passing 300 middleware that each only call `next` makes almost no promises (grammY's own chain makes two at each)", async () => {
    expect(await promisesOfOneHelp()).toBeLessThan(100);
  });

  it("a bot built inside withGrammysChain keeps grammY's own chain (the bench's anchor), and bots built after it this one", async () => {
    expect(await promisesOfOneHelp((make) => withGrammysChain(make))).toBeGreaterThan(600);
    expect(await promisesOfOneHelp()).toBeLessThan(100);
  });
});
