import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { createLogger } from "../src/core/logger.ts";
import { announceOutsideWrites, OutsideWritesWatch } from "../src/db/outside-writes.ts";
import { findUserByTelegramId, userCache } from "../src/db/user-cache.ts";
import { runCli } from "../src/cli.ts";
import { User, WriteGeneration } from "../models/index.ts";

useTestDatabase();

const generation = async () => (await WriteGeneration.findById("outside-writes").lean())?.n ?? 0;
const cli = (argv: string[]) => runCli(argv, { out: () => undefined, err: () => undefined }, { ...process.env, BOT_USERNAME: "nastavnik_test_bot", BOT_TOKEN: "" });

describe("writes by another process (the CLI next to a running bot)", () => {
  it("the CLI raises the counter after a command that wrote, not after one that only read", async () => {
    const before = await generation();
    expect(await cli(["admin", "grant", "778000001"])).toBe(0);
    expect(await generation()).toBe(before + 1);
    expect(await cli(["org", "list"])).toBe(0);
    expect(await generation()).toBe(before + 1);
    expect(await cli(["admin", "grant", "not-a-number"])).toBe(2); // refused: nothing written
    expect(await generation()).toBe(before + 1);
  });

  it("the bot drops its in-process copies once it reads a grown counter: a person the CLI made admin is seen as such", async () => {
    const logs: string[] = [];
    const watch = new OutsideWritesWatch(createLogger({ level: "info", destination: { write: (l: string) => void logs.push(l) } }));
    expect(await watch.check()).toBe(false); // the first read only sets the baseline
    // The bot saw this person before: nobody (kept, on FerretDB).
    const tg = 778_000_002;
    expect(await findUserByTelegramId(tg)).toBeNull();
    // Another process writes without the bot's models hearing of it, then says so.
    await User.collection.insertOne({ telegramId: tg, roles: [{ role: "admin", grantedAt: new Date(), grantedBy: "cli" }], unreachable: false, createdAt: new Date(), updatedAt: new Date() });
    if (userCache.enabled) expect(await findUserByTelegramId(tg)).toBeNull(); // the copy does not know yet
    await announceOutsideWrites();
    expect(await watch.check()).toBe(true);
    expect((await findUserByTelegramId(tg))?.roles?.[0]?.role).toBe("admin");
    expect(logs.some((l) => l.includes("in-process copies dropped"))).toBe(true);
    expect(await watch.check()).toBe(false); // nothing new since
  });
});
