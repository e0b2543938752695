import { describe, expect, it, onTestFinished, vi } from "vitest";
import { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { createLogger } from "../src/core/logger.ts";
import { announceOutsideWrites, OutsideWritesWatch, warmCopies } from "../src/db/outside-writes.ts";
import { curatorCache } from "../src/db/curator-cache.ts";
import { mentorRegistryCache } from "../src/db/mentor-cache.ts";
import { readModels } from "../src/db/read-connection.ts";
import { findUserByTelegramId, userCache } from "../src/db/user-cache.ts";
import { runCli } from "../src/cli.ts";
import { MentorProfile, User, WriteGeneration } from "../models/index.ts";

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
    onTestFinished(() => watch.stop()); // the copies' load it starts ends within this test
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

describe("the copies read whole are loaded ahead of their first use (FerretDB)", () => {
  it("warmCopies loads the mentor registry and the curators on the heavy reads' connection, so their first use reads nothing; the watch loads them again after dropping them", async () => {
    const enabled: [boolean, boolean] = [mentorRegistryCache.enabled, curatorCache.enabled];
    mentorRegistryCache.enabled = curatorCache.enabled = true;
    // Each read is counted with where it came from, so that a stray one says whose it is.
    const callers: string[][] = [[], [], [], []];
    const finds = ([User, MentorProfile, readModels().User, readModels().MentorProfile] as Array<{ find: (...args: never[]) => unknown }>).map((model, i) => {
      const original = model.find;
      return vi.spyOn(model, "find").mockImplementation(function (this: unknown, ...args: never[]) {
        callers[i]!.push(new Error("read").stack?.split("\n").slice(2, 8).join("\n") ?? "");
        return original.apply(this, args);
      });
    });
    const counts = () => callers.map((c) => c.length);
    const reset = () => callers.forEach((c) => (c.length = 0));
    try {
      const org = new Types.ObjectId();
      const curator = await User.create({ telegramId: 778_000_101, organizationId: org, roles: [{ role: "curator", organizationId: org, grantedAt: new Date() }] });
      const mentor = await MentorProfile.create({ userId: new Types.ObjectId(), organizationId: org, competences: ["E1"], capacity: 2, freeSlots: 2, approved: true });
      mentorRegistryCache.reset();
      curatorCache.reset();
      const logs: string[] = [];
      const logger = createLogger({ level: "info", destination: { write: (l: string) => void logs.push(l) } });
      reset();
      await warmCopies(logger);
      // One read of each, on the heavy reads' connection; none on the one every update waits for.
      expect(counts(), callers.flat().join("\n\n")).toEqual([0, 0, 1, 1]);
      expect(logs.some((l) => l.includes("in-process copies loaded"))).toBe(true);
      reset();
      expect((await curatorCache.all()).map((u) => String(u._id))).toContain(curator._id.toString());
      expect((await mentorRegistryCache.all()).map((d) => String(d._id))).toContain(mentor._id.toString());
      expect(counts(), callers.flat().join("\n\n")).toEqual([0, 0, 0, 0]);

      // Dropped after another process wrote: loaded again by the watch, before anyone asks.
      const watch = new OutsideWritesWatch(logger);
      await watch.check();
      await announceOutsideWrites();
      expect(await watch.check()).toBe(true);
      await watch.stop(); // waits for the load it started
      reset();
      await curatorCache.all();
      await mentorRegistryCache.all();
      expect(counts(), callers.flat().join("\n\n")).toEqual([0, 0, 0, 0]);
    } finally {
      finds.forEach((f) => f.mockRestore());
      [mentorRegistryCache.enabled, curatorCache.enabled] = enabled;
    }
  });
});
