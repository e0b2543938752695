import { describe, expect, it, vi } from "vitest";
import { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { eachYielding, limiter, mapBounded, YIELD_EVERY } from "../src/core/concurrency.ts";
import mongoose from "mongoose";
import { findAnyOf, findInScope, leanRows, PER_ORGANIZATION_MAX, readModels, scopeIds, useReadConnection, wholeReadConcurrency, type Filter } from "../src/db/read-connection.ts";
import { loadDigestData } from "../src/domain/digest.ts";
import { isFerretdb } from "../src/db/connection.ts";
import { engine } from "../src/db/engine.ts";
import { Meeting, User } from "../models/index.ts";

const { uri, dbName } = useTestDatabase();

/** What the server says of a query's plan: MongoDB's index scan, or FerretDB's pushdown to PostgreSQL. */
async function plan(filter: Filter): Promise<{ server: "mongodb" | "ferretdb-postgresql" | "ferretdb-sqlite"; usesFilter: boolean }> {
  const e = (await Meeting.find(filter).explain()) as unknown as Record<string, unknown> & { queryPlanner?: { Plan?: Record<string, unknown>; winningPlan?: unknown } };
  if ("ferretdbVersion" in (e.serverInfo as object)) {
    const pg = e.queryPlanner?.Plan !== undefined && "Node Type" in e.queryPlanner.Plan;
    return { server: pg ? "ferretdb-postgresql" : "ferretdb-sqlite", usesFilter: e.filterPushdown === true };
  }
  return { server: "mongodb", usesFilter: JSON.stringify(e.queryPlanner?.winningPlan).includes('"IXSCAN"') };
}

describe("reads by organization (issue 12)", () => {
  it("merges one equality query per organization (or one `$in` where the engine reads it by index), keeps the filter, and runs a few at a time", async () => {
    const orgs = Array.from({ length: 5 }, () => new Types.ObjectId());
    await Meeting.collection.insertMany(orgs.flatMap((organizationId, i) => Array.from({ length: i + 1 }, (_, k) => ({ organizationId, status: k % 2 ? "held" : "missed" }))));
    const filters: Filter[] = [];
    let inFlight = 0;
    let most = 0;
    const run = async (f: Filter) => {
      filters.push(f);
      most = Math.max(most, ++inFlight);
      try {
        return await Meeting.find(f).lean();
      } finally {
        inFlight--;
      }
    };
    // Where the engine cannot read an `$in` by index (FerretDB on SQLite, an unpatched build).
    const saved = engine.listsByIndex;
    engine.listsByIndex = false;
    const rows = await findInScope(scopeIds([...orgs.map(String), orgs[0]!.toString(), "nonsense"]), run, { status: "held" }, limiter(2)).finally(() => (engine.listsByIndex = saved));
    expect(rows).toHaveLength(1 + 1 + 2 + 2);
    expect(filters).toHaveLength(5);
    for (const f of filters) expect(f.organizationId).toBeInstanceOf(Types.ObjectId);
    expect(most).toBe(2);
    expect(await findInScope(null, run)).toHaveLength(15);
    expect(filters.at(-1)).toEqual({});
    // A scope beyond the per-organization bound is one `$in`.
    const many = [...orgs, ...Array.from({ length: PER_ORGANIZATION_MAX }, () => new Types.ObjectId())];
    expect(await findInScope(many, run, { status: "missed" })).toHaveLength(9);
    expect(filters.at(-1)).toEqual({ status: "missed", organizationId: { $in: many } });
    expect(await mapBounded([3, 1, 2], 2, async (x) => x * 2)).toEqual([6, 2, 4]);
    // Where it can, a scope of several organizations is one `$in`; one organization stays an equality.
    engine.listsByIndex = true;
    try {
      expect(await findInScope(orgs.slice(1, 4), run, { status: "held" })).toHaveLength(1 + 1 + 2);
      expect(filters.at(-1)).toEqual({ status: "held", organizationId: { $in: orgs.slice(1, 4) } });
      expect(await findInScope(orgs.slice(4), run, { status: "held" })).toHaveLength(2);
      expect(filters.at(-1)).toEqual({ status: "held", organizationId: orgs[4] });
      const before = filters.length;
      expect(await findInScope([], run)).toEqual([]);
      expect(filters).toHaveLength(before);
    } finally {
      engine.listsByIndex = saved;
    }
  });

  it("the per-organization filter and an $in of organizations reach the index (MongoDB) or are pushed down to PostgreSQL (FerretDB with the project's patches)", async () => {
    const id = new Types.ObjectId();
    await Meeting.collection.insertOne({ organizationId: id, status: "held" });
    const equality = await plan({ organizationId: id, status: "held" });
    const among = await plan({ organizationId: { $in: [id] } });
    if (equality.server === "ferretdb-sqlite") {
      // FerretDB's SQLite backend pushes down nothing but an exact `{_id}`: the caches carry it.
      expect(equality.usesFilter).toBe(false);
    } else {
      expect(equality.usesFilter).toBe(true);
      // .ci/ferretdb/postgresql-in-pushdown.patch; the stock FerretDB decoded the whole collection.
      expect(among.usesFilter).toBe(true);
    }
  });

  it("grouping a large load in memory gives the event loop a turn every few thousand rows, and handles every row in order", async () => {
    const rows = Array.from({ length: YIELD_EVERY * 3 + 5 }, (_, i) => i);
    const seen: number[] = [];
    // Something else waiting on the event loop (another person's update) runs after the first
    // few thousand rows, not after the whole load.
    const other = new Promise<number>((resolve) => setImmediate(() => resolve(seen.length)));
    await eachYielding(rows, (r) => seen.push(r));
    expect(seen).toEqual(rows);
    expect(await other).toBe(YIELD_EVERY);
  });

  it("heavy reads go through a connection of their own on FerretDB, to the same database, and see what was just written", async () => {
    const read = readModels();
    if (await isFerretdb(uri)) {
      expect(read.User.db).not.toBe(mongoose.connection);
      expect(read.User.db.name).toBe(dbName);
      expect(read.User.db.readyState).toBe(1);
    } else expect(read.User).toBe(User);
    const u = await User.create({ telegramId: 424_242, locale: "ru", roles: [] });
    expect((await read.User.findOne({ _id: u._id }).lean())?.telegramId).toBe(424_242);
  });

  it("a read of the whole deployment reads one collection at a time on FerretDB's read connection (one core left to everyone else), all at once on MongoDB", async () => {
    const ferret = await isFerretdb(uri);
    expect(wholeReadConcurrency()).toBe(ferret ? 1 : Number.POSITIVE_INFINITY);
    // Count the heavy read's queries in flight at once.
    let inFlight = 0;
    let most = 0;
    const exec = mongoose.Query.prototype.exec;
    mongoose.Query.prototype.exec = function (this: mongoose.Query<unknown, unknown>, ...args: unknown[]) {
      inFlight++;
      most = Math.max(most, inFlight);
      return (exec as (...a: unknown[]) => Promise<unknown>).apply(this, args).finally(() => inFlight--);
    } as typeof exec;
    try {
      await loadDigestData(null, new Date());
      if (ferret) expect(most).toBe(1);
      else expect(most).toBeGreaterThan(1);
      // Heavy reads on the main connection (a benchmark's comparison): no limit of their own.
      useReadConnection(false);
      expect(wholeReadConcurrency()).toBe(Number.POSITIVE_INFINITY);
    } finally {
      mongoose.Query.prototype.exec = exec;
      useReadConnection(true);
    }
  });
});

describe("a heavy read's rows, decoded a few thousand at a time (issue 12)", () => {
  it("finds what `lean()` finds, with the filter cast and the projection kept, and gives the event loop a turn after every chunk of at most YIELD_EVERY documents", async () => {
    const org = new Types.ObjectId();
    const from = new Date("2026-11-01T00:00:00Z");
    await Meeting.collection.insertMany(
      Array.from({ length: 5_000 }, (_, n) => ({ organizationId: org, status: n % 3 ? "held" : "missed", startAt: new Date(from.getTime() + n * 60_000), log: { covered: `тема ${n}`, nextStep: "дальше" }, topic: "скрытое" })),
    );
    // A string id, cast to the ObjectId it names, as `find` casts it.
    const query = () => Meeting.find({ organizationId: org.toString(), startAt: { $gte: from } }, { status: 1, "log.covered": 1 });
    // A chain of event-loop turns runs alongside; each chunk notes how many it has seen.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    const original = mongoose.mongo.AbstractCursor.prototype.readBufferedDocuments;
    const chunks: Array<{ asked: number | undefined; at: number }> = [];
    const spy = vi.spyOn(mongoose.mongo.AbstractCursor.prototype, "readBufferedDocuments").mockImplementation(function (this: mongoose.mongo.AbstractCursor, n?: number) {
      chunks.push({ asked: n, at: turns });
      return original.call(this, n);
    });
    setImmediate(tick);
    const rows = await leanRows<{ _id: Types.ObjectId; status: string; log: { covered: string } }>(query()).finally(() => {
      ticking = false;
      spy.mockRestore();
    });
    expect(rows).toHaveLength(5_000);
    expect(rows).toEqual(await query().lean());
    expect(Object.keys(rows[0] as object).sort()).toEqual(["_id", "log", "status"]);
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(5_000 / YIELD_EVERY));
    expect(chunks.every((c) => c.asked !== undefined && c.asked <= YIELD_EVERY)).toBe(true);
    // Between two chunks the event loop took at least one turn.
    expect(chunks.slice(1).every((c, i) => c.at > (chunks[i] as { at: number }).at)).toBe(true);
  });
});

describe("a person's own records, one indexed query per role instead of one $or (issue 12)", () => {
  it("findAnyOf gives every document matching a branch once, in _id order, and a branch naming a field of the common filter must meet both", async () => {
    const me = new Types.ObjectId();
    const other = new Types.ObjectId();
    const ids = Array.from({ length: 5 }, () => new Types.ObjectId());
    await Meeting.collection.insertMany([
      { _id: ids[3], hostId: me, participantIds: [me], status: "held" }, // both branches: once
      { _id: ids[1], hostId: other, participantIds: [me], status: "confirmed" },
      { _id: ids[0], hostId: me, participantIds: [other], status: "confirmed" },
      { _id: ids[4], hostId: other, participantIds: [other], status: "held" }, // neither
      { _id: ids[2], hostId: me, participantIds: [], status: "cancelled" },
    ]);
    const run = (f: Filter) => Meeting.find(f, { _id: 1 }).lean();
    const got = async (branches: Filter[], common?: Filter) => (await findAnyOf(run, branches, common)).map((m) => ids.findIndex((id) => id.equals(m._id)));
    expect(await got([{ hostId: me }, { participantIds: me }])).toEqual([0, 1, 2, 3]);
    expect(await got([{ hostId: me }, { participantIds: me }], { status: { $in: ["confirmed", "held"] } })).toEqual([0, 1, 3]);
    // `status` in a branch and in the common filter: both hold, as in `{status: …, $or: [{status: …}]}`.
    expect(await got([{ status: "held" }, { hostId: other }], { status: { $in: ["confirmed", "cancelled"] } })).toEqual([1]);
    expect(await got([])).toEqual([]);
    // Why: FerretDB pushes each branch down to PostgreSQL, and no `$or`.
    const branch = await plan({ participantIds: me });
    const either = await plan({ $or: [{ hostId: me }, { participantIds: me }] });
    if (branch.server === "ferretdb-postgresql") expect([branch.usesFilter, either.usesFilter]).toEqual([true, false]);
  });

  it("a person's meetings, pairs, programs and groups (the meetings list, programs, booking, the data export, erasure) are read with no $or", async () => {
    const { listMeetings } = await import("../src/domain/meetings.ts");
    const { activeLongTermPairs } = await import("../src/domain/programs.ts");
    const { groupsOf } = await import("../src/domain/groups.ts");
    const { exportUserData } = await import("../src/domain/privacy.ts");
    const { Pair, Program, MentoringGroup } = await import("../models/index.ts");
    const user = await User.create({ telegramId: 99_100_001, registeredAt: new Date(), roles: [] });
    const spies = [Meeting, Pair, Program, MentoringGroup].map((model) => vi.spyOn(model, "find"));
    try {
      await listMeetings(user._id.toString(), new Date(), 1);
      await activeLongTermPairs(user._id.toString());
      await groupsOf(user._id.toString());
      expect(await exportUserData(99_100_001)).not.toBeNull();
      const filters = spies.flatMap((s) => s.mock.calls.map((c) => c[0] as unknown as Filter));
      expect(filters.length).toBeGreaterThanOrEqual(7);
      expect(filters.filter((f) => "$or" in (f ?? {}))).toEqual([]);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  });
});
