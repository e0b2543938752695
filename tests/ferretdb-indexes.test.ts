import { describe, expect, inject, it } from "vitest";
import { execSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose, { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { engine as capabilities } from "../src/db/engine.ts";
import { connectDatabase, nastavnikBuild } from "../src/db/connection.ts";
import { READER_NICE, startEmbeddedDatabase } from "../src/db/embedded.ts";
import { readConnectionPort, readModels } from "../src/db/read-connection.ts";
import { findPostgresBin } from "../src/db/postgres.ts";
import { ConversationState, Job, Meeting, ProcessedUpdate, SurveyAnswer, User, usersChangedOutsideModel } from "../models/index.ts";

/**
 * Issue 12, item 5: FerretDB 1.24 pushes a top-level equality filter down to PostgreSQL as
 * `_jsonb->'field' @> value`, which its btree indexes cannot serve, so every read scanned its
 * table. The project's FerretDB build (.ci/ferretdb/postgresql-gin-indexes.patch) keeps a GIN
 * index on each indexed top-level field and plans every statement with its parameters. These
 * tests read the plans the engine really uses: PostgreSQL's under FerretDB, MongoDB's IXSCAN.
 */

useTestDatabase();

type Plan = { engine: "mongodb" | "ferretdb-postgresql" | "ferretdb-sqlite"; text: string };

/** Any of the models: only `find(...).explain()` is used. */
type Explainable = { find(filter: Record<string, unknown>): { explain(): Promise<unknown> } };

async function explain(model: Explainable, filter: Record<string, unknown>): Promise<Plan> {
  const e = (await model.find(filter).explain()) as unknown as { serverInfo?: object; queryPlanner?: { Plan?: object; winningPlan?: object } };
  if (e.serverInfo && "ferretdbVersion" in e.serverInfo) {
    const pg = e.queryPlanner?.Plan !== undefined && "Node Type" in e.queryPlanner.Plan;
    return { engine: pg ? "ferretdb-postgresql" : "ferretdb-sqlite", text: JSON.stringify(e.queryPlanner) };
  }
  return { engine: "mongodb", text: JSON.stringify(e.queryPlanner?.winningPlan) };
}

/**
 * The plan reads through an index: on PostgreSQL a GIN index of the patch (`…_gin`) or one of
 * FerretDB's own btree indexes (`…_idx`: the `_id_` unique index for an `_id` list, a field's
 * index for a date range), on MongoDB an index scan.
 */
function readsByIndex(plan: Plan): boolean {
  if (plan.engine === "ferretdb-postgresql") return /"Index Name":"[^"]+_(gin|idx)"/.test(plan.text);
  if (plan.engine === "mongodb") return plan.text.includes('"IXSCAN"');
  return false;
}

describe("FerretDB reads through indexes (issue 12)", () => {
  it("the reads every update makes use an index: user by Telegram id and by _id, the update ledger, dialog state, a job by key and by hour", async () => {
    const n = 3000;
    const now = new Date();
    await User.collection.insertMany(
      Array.from({ length: n }, (_, i) => ({ telegramId: 7_000_000 + i, locale: "ru", roles: [], registeredAt: now, createdAt: now, updatedAt: now })),
    );
    usersChangedOutsideModel();
    await ProcessedUpdate.collection.insertMany(Array.from({ length: n }, (_, i) => ({ botId: 42, updateId: i, status: "done", createdAt: now })));
    await ConversationState.collection.insertMany(Array.from({ length: n }, (_, i) => ({ key: `${7_000_000 + i}`, state: "{}", updatedAt: now })));
    await Job.collection.insertMany(Array.from({ length: n }, (_, i) => ({ key: `reminder:${i}`, type: "reminder", status: "pending", dueHour: i, runAt: now, payload: {} })));
    const day = 86_400_000;
    const org = new Types.ObjectId();
    const pairIds = Array.from({ length: 300 }, () => new Types.ObjectId());
    await Meeting.collection.insertMany(
      Array.from({ length: n }, (_, i) => ({ kind: "pair", pairId: pairIds[i % 300], organizationId: org, hostId: org, participantIds: [], status: i % 3 ? "held" : "missed", startAt: new Date(now.getTime() - i * day), durationMin: 30, mode: "online" })),
    );
    await SurveyAnswer.collection.insertMany(Array.from({ length: n }, (_, i) => ({ meetingId: org, organizationId: org, role: "mentee", kind: "session", usefulness: 5, answeredAt: new Date(now.getTime() - i * day), anonymousKey: `${i}` })));
    const someone = await User.findOne({ telegramId: 7_000_123 }).lean();
    expect(someone).not.toBeNull();

    const plans = {
      "user by telegramId": await explain(User, { telegramId: 7_000_123 }),
      "user by _id": await explain(User, { _id: someone?._id }),
      "ledger entry": await explain(ProcessedUpdate, { botId: 42, updateId: 1234, holder: "h" }),
      "ledger entry marked done": await explain(ProcessedUpdate, { _id: (await ProcessedUpdate.findOne({ updateId: 77 }).lean())?._id, holder: "h" }),
      // Handled updates are marked done together (.ci/ferretdb/postgresql-in-pushdown.patch).
      "ledger entries marked done together": await explain(ProcessedUpdate, {
        _id: { $in: (await ProcessedUpdate.find({ updateId: { $lt: 50 } }, { _id: 1 }).lean()).map((r) => r._id) },
        holder: "h",
      }),
      "users by Telegram ids": await explain(User, { telegramId: { $in: [7_000_001, 7_000_777, 7_002_999] } }),
      // The digest reads the last held meetings of a list of pairs.
      "held meetings of a list of pairs": await explain(Meeting, { status: "held", pairId: { $in: pairIds.slice(0, 191) } }),
      "dialog state": await explain(ConversationState, { key: "7000123" }),
      "job by key": await explain(Job, { key: "reminder:77" }),
      "due jobs of an hour": await explain(Job, { status: "pending", dueHour: 123 }),
      // The digest reads a few weeks of meetings and answers by date, retention sweeps what is
      // older than a date (.ci/ferretdb/postgresql-range-pushdown.patch).
      "meetings of the digest's weeks": await explain(Meeting, { startAt: { $gte: new Date(now.getTime() - 30 * day), $lt: new Date(now.getTime() + 7 * day) } }),
      "a kindergarten's meetings of the digest's weeks": await explain(Meeting, { organizationId: org, startAt: { $gte: new Date(now.getTime() - 30 * day), $lt: new Date(now.getTime() + 7 * day) } }),
      "survey answers of the digest's weeks": await explain(SurveyAnswer, { answeredAt: { $gte: new Date(now.getTime() - 30 * day), $lt: now } }),
      "ledger retention sweep": await explain(ProcessedUpdate, { status: { $ne: "running" }, createdAt: { $lt: new Date(now.getTime() - 100 * day) } }),
    };
    const engine = plans["user by telegramId"].engine;
    if (engine === "ferretdb-sqlite") {
      // The SQLite backend pushes nothing but `{_id}` down and has no such patch: the in-process caches carry it.
      expect(Object.values(plans).every((p) => !readsByIndex(p))).toBe(true);
      expect(capabilities.listsByIndex).toBe(false);
      return;
    }
    // The connection saw it too: handled updates are marked done by id lists (src/bot/exactly-once.ts).
    expect(capabilities.listsByIndex).toBe(true);
    const scans = Object.entries(plans)
      .filter(([, plan]) => !readsByIndex(plan))
      .map(([what, plan]) => `${what}: ${plan.text.slice(0, 300)}`);
    expect(scans).toEqual([]);
    // The list is one `?|` condition (which PostgreSQL estimates and may read by the pairId index), not an OR of 191 `@>` terms.
    if (engine === "ferretdb-postgresql") expect(plans["held meetings of a list of pairs"].text).toMatch(/_jsonb -> 'pairId'::text\) \?\| '\{/);
  });

  // PostgreSQL is part of this machine kind (Debian's postgresql-15, installed by .ci/run when missing).
  it.runIf(findPostgresBin() !== undefined)(
    "on its own cluster: a statement first run on an empty table still uses the index later, making sure of existing indexes (one by one or in one command) writes nothing, an index made before the patch gets its GIN index at the next start, a dropped index takes it along",
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "nastavnik-gin-"));
      let db = await startEmbeddedDatabase(dir, undefined, { backend: "postgresql", ephemeral: true });
      const psql = (sql: string): string => {
        const port = readFileSync(join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[3]?.trim() ?? "";
        const res = spawnSync(join(findPostgresBin() as string, "psql"), ["-h", "127.0.0.1", "-p", port, "-U", "nastavnik", "-d", "postgres", "-At", "-c", sql], {
          env: { ...process.env, PGPASSWORD: readFileSync(join(dir, "postgres.password"), "utf8").trim() },
          encoding: "utf8",
        });
        if (res.status !== 0) throw new Error(`psql: ${res.stderr}`);
        return res.stdout.trim();
      };
      const ginIndexes = () => psql("SELECT indexname FROM pg_indexes WHERE schemaname = 'gin' AND indexname LIKE '%\\_gin' ORDER BY 1").split("\n").filter(Boolean);
      let conn = await mongoose.createConnection(db.uri, { dbName: "gin", serverSelectionTimeoutMS: 5000 }).asPromise();
      try {
        const people = () => conn.collection("people");
        await people().createIndex({ telegramId: 1 }, { unique: true });
        await people().createIndex({ status: 1, since: 1 });
        // One GIN index per indexed top-level field: _id, telegramId, status, since.
        expect(ginIndexes()).toHaveLength(4);
        // Making sure of existing indexes (as every start does) writes nothing: the collection's
        // metadata row keeps its row version.
        const metadataRows = () => psql("SELECT xmin FROM gin._ferretdb_database_metadata ORDER BY _jsonb->>'_id'");
        const rowsBefore = metadataRows();
        await people().createIndex({ telegramId: 1 }, { unique: true });
        await people().createIndex({ status: 1, since: 1 });
        // Both in one command, as the bot's start sends them (the stock build panicked on it).
        await people().createIndexes([{ key: { status: 1, since: 1 } }, { key: { telegramId: 1 }, unique: true }]);
        expect(metadataRows()).toBe(rowsBefore);
        expect(ginIndexes()).toHaveLength(4);

        // The same statement, prepared while the table is empty (PostgreSQL would settle on a
        // generic plan there, which cannot use the index), then run against 5,000 rows.
        for (let i = 0; i < 12; i++) await people().findOne({ telegramId: i });
        await people().insertMany(Array.from({ length: 5000 }, (_, i) => ({ telegramId: i, status: i % 2 ? "active" : "paused", since: i })));
        const telegramIdIndex = ginIndexes().find((name) => psql(`SELECT indexdef FROM pg_indexes WHERE indexname = '${name}'`).includes("'telegramId'"));
        expect(telegramIdIndex).toBeDefined();
        const scans = () => Number(psql(`SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes WHERE indexrelname = '${telegramIdIndex}'`));
        const before = scans();
        for (let i = 0; i < 20; i++) expect((await people().findOne({ telegramId: 100 + i }))?.telegramId).toBe(100 + i);
        // FerretDB's sessions report their counters when idle (PostgreSQL flushes them within ~10 s).
        await expect.poll(scans, { timeout: 40_000, interval: 1000 }).toBeGreaterThanOrEqual(before + 20);
        // Equality on an array field still means "contains", as on MongoDB.
        await people().insertOne({ telegramId: 99_999, status: ["active", "mentor"] });
        expect(await people().countDocuments({ status: "mentor" })).toBe(1);

        // A database indexed by an unpatched build: its GIN indexes come back at the next start.
        for (const name of ginIndexes()) psql(`DROP INDEX gin."${name}"`);
        expect(ginIndexes()).toHaveLength(0);
        await conn.close();
        await db.stop();
        db = await startEmbeddedDatabase(dir, undefined, { backend: "postgresql", ephemeral: true });
        conn = await mongoose.createConnection(db.uri, { dbName: "gin", serverSelectionTimeoutMS: 5000 }).asPromise();
        expect(await people().countDocuments({ telegramId: 4321 })).toBe(1);
        expect(ginIndexes()).toHaveLength(4);

        // Dropping an index drops the GIN indexes of the fields no other index names.
        await people().dropIndex("status_1_since_1");
        expect(ginIndexes()).toHaveLength(2);
        expect(await people().countDocuments({ status: "paused" })).toBe(2500);
        expect(String((await people().findOne({ _id: new Types.ObjectId() })) ?? "none")).toBe("none");
      } finally {
        await conn.close().catch(() => undefined);
        await db.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe("`$in` means what it means on MongoDB (issue 12, .ci/ferretdb/postgresql-in-pushdown.patch)", () => {
  // The patch pushes `$in` down to PostgreSQL as an OR of equalities; the rows must be the ones
  // MongoDB's `$in` selects, whatever is pushed down and whatever is not.
  it("scalars of every pushed type, arrays that contain a value, numbers across types, null and missing fields, regexes, long and empty lists, updates and deletes", async () => {
    const { Double, Int32, Long } = mongoose.mongo;
    const coll = mongoose.connection.db!.collection("in_semantics");
    const ids = Array.from({ length: 14 }, () => new Types.ObjectId());
    const id = (i: number) => ids[i] as Types.ObjectId;
    const at = new Date("2026-12-01T09:00:00Z");
    await coll.insertMany([
      { _id: id(0), n: 0, v: "старт" },
      { _id: id(1), n: 1, v: ["весна", "старт"] },
      { _id: id(2), n: 2, v: new Int32(5) },
      { _id: id(3), n: 3, v: new Double(5) },
      { _id: id(4), n: 4, v: Long.fromNumber(5) },
      { _id: id(5), n: 5, v: true },
      { _id: id(6), n: 6, v: at },
      { _id: id(7), n: 7, v: id(0) },
      { _id: id(8), n: 8, v: null },
      { _id: id(9), n: 9 },
      { _id: id(10), n: 10, v: { nested: "старт" } },
      { _id: id(11), n: 11, v: "Старт" },
      // What a list of strings and ObjectIds pushed down as `?|` also selects, and the handler drops.
      { _id: id(12), n: 12, v: { старт: 1 } },
      { _id: id(13), n: 13, v: id(0).toHexString() },
    ]);
    const ns = async (filter: Record<string, unknown>) => (await coll.find(filter, { projection: { n: 1 } }).sort({ n: 1 }).toArray()).map((d) => d.n as number);
    expect(await ns({ v: { $in: ["старт"] } })).toEqual([0, 1]);
    expect(await ns({ v: { $in: [5] } })).toEqual([2, 3, 4]);
    expect(await ns({ v: { $in: [new Double(5.0), "весна"] } })).toEqual([1, 2, 3, 4]);
    expect(await ns({ v: { $in: [true, at, id(0)] } })).toEqual([5, 6, 7]);
    // Not pushed down (null, a document, a regex in the list): still MongoDB's answer.
    expect(await ns({ v: { $in: [null] } })).toEqual([8, 9]);
    expect(await ns({ v: { $in: ["старт", null] } })).toEqual([0, 1, 8, 9]);
    expect(await ns({ v: { $in: [{ nested: "старт" }] } })).toEqual([10]);
    expect(await ns({ v: { $in: [/^старт$/i] } })).toEqual([0, 1, 11]);
    expect(await ns({ v: { $in: [] } })).toEqual([]);
    // Strings and ObjectIds (one `?|` on PostgreSQL): a string is not its ObjectId, an object's key no value.
    expect(await ns({ v: { $in: ["старт", "весна"] } })).toEqual([0, 1]);
    expect(await ns({ v: { $in: [id(0), id(5)] } })).toEqual([7]);
    expect(await ns({ v: { $in: [id(0).toHexString()] } })).toEqual([13]);
    expect(await ns({ v: { $in: ["весна", id(0)] } })).toEqual([1, 7]);
    // By _id, also beside another condition, and a list longer than what is pushed down.
    expect(await ns({ _id: { $in: [id(3), id(7), new Types.ObjectId()] } })).toEqual([3, 7]);
    expect(await ns({ _id: { $in: [id(3), id(7)] }, n: 7 })).toEqual([7]);
    expect(await ns({ _id: { $in: [...Array.from({ length: 1500 }, () => new Types.ObjectId()), id(11)] } })).toEqual([11]);
    expect(await ns({ n: { $in: [2, 4], $ne: 4 } })).toEqual([2]);
    expect(await ns({ $or: [{ n: { $in: [1] } }, { v: { $in: [true] } }] })).toEqual([1, 5]);
    // Writes select the same rows.
    const updated = await coll.updateMany({ _id: { $in: [id(0), id(1), id(2)] }, n: { $in: [0, 2] } }, { $set: { marked: true } });
    expect(updated.modifiedCount).toBe(2);
    expect(await ns({ marked: true })).toEqual([0, 2]);
    const deleted = await coll.deleteMany({ n: { $in: [9, 10, 99] } });
    expect(deleted.deletedCount).toBe(2);
    expect(await coll.countDocuments({})).toBe(12);
  });
});

describe("date ranges mean what they mean on MongoDB (issue 12, .ci/ferretdb/postgresql-range-pushdown.patch)", () => {
  // The patch pushes `$gt`/`$gte`/`$lt`/`$lte` against dates down to PostgreSQL as jsonb ranges
  // plus "any non-empty array"; the rows must be the ones MongoDB selects.
  it("bounds, arrays whose elements meet different bounds, other types with the same number, old dates, mixed operand types, dotted paths, updates and deletes", async () => {
    const coll = mongoose.connection.db!.collection("range_semantics");
    const d = (iso: string) => new Date(iso);
    const at = d("2026-12-01T09:00:00Z");
    await coll.insertMany([
      { n: 0, v: d("2026-11-30T09:00:00Z") },
      { n: 1, v: at },
      { n: 2, v: d("2026-12-02T09:00:00Z") },
      { n: 3, v: [d("2026-01-01T00:00:00Z"), d("2027-06-01T00:00:00Z")] },
      { n: 4, v: [] },
      { n: 5, v: at.getTime() },
      { n: 6, v: at.toISOString() },
      { n: 7, v: null },
      { n: 8 },
      { n: 9, v: d("1960-05-01T00:00:00Z") },
      { n: 10, v: [at, 3] },
      { n: 11, v: { at } },
      { n: 12, v: true },
      { n: 13, w: [{ at }, { at: d("2020-01-01T00:00:00Z") }] },
    ]);
    const ns = async (filter: Record<string, unknown>) => (await coll.find(filter, { projection: { n: 1 } }).sort({ n: 1 }).toArray()).map((x) => x.n as number);
    // 3 matches as on MongoDB: one element meets $gte, another $lt.
    expect(await ns({ v: { $gte: at, $lt: d("2026-12-02T09:00:00Z") } })).toEqual([1, 3, 10]);
    expect(await ns({ v: { $gt: at, $lte: d("2026-12-02T09:00:00Z") } })).toEqual([2, 3]);
    expect(await ns({ v: { $gte: d("2026-06-01T00:00:00Z"), $lt: d("2026-07-01T00:00:00Z") } })).toEqual([3]);
    expect(await ns({ v: { $lt: d("2000-01-01T00:00:00Z") } })).toEqual([9]);
    expect(await ns({ v: { $gte: d("1900-01-01T00:00:00Z") } })).toEqual([0, 1, 2, 3, 9, 10]);
    expect(await ns({ v: { $lte: at } })).toEqual([0, 1, 3, 9, 10]);
    expect(await ns({ v: { $gte: at, $ne: at } })).toEqual([2, 3]);
    // A comparison with a number is not pushed down: still MongoDB's answer.
    expect(await ns({ v: { $gte: at, $lt: 5 } })).toEqual([10]);
    expect(await ns({ v: { $gte: at.getTime() } })).toEqual([5]);
    expect(await ns({ "w.at": { $gte: at } })).toEqual([13]);
    expect(await ns({ n: { $in: [1, 2, 3] }, v: { $gt: at } })).toEqual([2, 3]);
    expect(await ns({ $or: [{ v: { $lt: d("2000-01-01T00:00:00Z") } }, { n: 12 }] })).toEqual([9, 12]);
    const updated = await coll.updateMany({ v: { $gte: d("2026-11-30T09:00:00Z"), $lt: d("2026-12-02T00:00:00Z") } }, { $set: { marked: true } });
    expect(updated.modifiedCount).toBe(4);
    expect(await ns({ marked: true })).toEqual([0, 1, 3, 10]);
    const deleted = await coll.deleteMany({ v: { $lt: d("2026-12-01T00:00:00Z") } });
    expect(deleted.deletedCount).toBe(3);
    expect(await coll.countDocuments({})).toBe(11);
  });
});

describe("FerretDB reads documents back unchanged (issue 12, .ci/ferretdb/read-speed.patch and sjson-scan.patch)", () => {
  // The patches keep decoded type schemas by their bytes, split documents' text without
  // encoding/json and project top-level fields without copying: every BSON type the server
  // stores must come back the same, also when many documents share a schema with different
  // values, when schemas alternate, and when the same field changes type; projections must
  // return what MongoDB's return, in the document's order.
  it("every stored type, nested documents and arrays, shared and alternating schemas", async () => {
    const { Binary, BSONRegExp, Double, Int32, Long, Timestamp } = mongoose.mongo;
    const { EJSON } = mongoose.mongo.BSON;
    const coll = mongoose.connection.db!.collection("type_roundtrip");
    const docs = Array.from({ length: 60 }, (_, i) => {
      const base = {
        _id: new Types.ObjectId(),
        n: i,
        double: new Double(i + 0.25),
        whole: new Double(i),
        int: new Int32(-i),
        long: Long.fromNumber(2 ** 40 + i),
        text: `Педагог № ${i} «ёлочка»\n\t"кавычки" \\ \u{1F331}`,
        empty: "",
        flag: i % 2 === 0,
        none: null,
        at: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000),
        oid: new Types.ObjectId(),
        bin: new Binary(Buffer.from([0, 1, 2, 255, i])),
        uuid: new Binary(Buffer.alloc(16, i), 4),
        re: new BSONRegExp(`^детский сад ${i}`, "i"),
        ts: new Timestamp({ t: 1_700_000_000 + i, i: 3 }),
        nested: { level: { deeper: [i, "a", { k: new Date(0) }], empty: {} } },
        list: [new Types.ObjectId(), new Types.ObjectId()],
        subdocs: [{ status: "new", at: new Date(1000 * i) }, { status: "matched", at: new Date(2000 * i) }],
        mixed: [1, "два", true, null, { три: 3 }],
      };
      // Every third document differs in shape (a missing field, the same field of another type).
      if (i % 3 === 1) return { ...base, flag: "не булево", extra: new Int32(7) };
      if (i % 3 === 2) {
        const { empty: _e, ...rest } = base;
        return rest;
      }
      return base;
    });
    await coll.insertMany(docs);
    const expected = EJSON.stringify(docs, { relaxed: false });
    for (let round = 0; round < 2; round++) {
      const back = await coll.find({}, { promoteValues: false, promoteLongs: false, promoteBuffers: false }).sort({ n: 1 }).toArray();
      expect(EJSON.stringify(back, { relaxed: false })).toBe(expected);
    }
    const texts = await coll.find({}, { projection: { text: 1, n: 1, _id: 0 } }).sort({ n: 1 }).toArray();
    expect(texts.map((d) => JSON.stringify(d))).toEqual(docs.map((d) => JSON.stringify({ n: d.n, text: d.text })));
  });

  it("projections: top-level fields in the document's order, with and without _id, missing and null fields, dotted paths, exclusions", async () => {
    const coll = mongoose.connection.db!.collection("projection_semantics");
    const id = new Types.ObjectId();
    await coll.insertOne({ _id: id, a: 1, b: { c: 2, d: 3 }, e: [{ c: 4 }, { c: 5, f: 6 }, 7], g: "ж", h: null });
    const one = async (projection: Record<string, 0 | 1>) => JSON.stringify(await coll.findOne({ _id: id }, { projection }));
    const _id = id.toHexString();
    expect(await one({ g: 1, a: 1 })).toBe(JSON.stringify({ _id, a: 1, g: "ж" }));
    expect(await one({ g: 1, _id: 0 })).toBe(JSON.stringify({ g: "ж" }));
    expect(await one({ a: 1, missing: 1, h: 1 })).toBe(JSON.stringify({ _id, a: 1, h: null }));
    expect(await one({ "b.c": 1, a: 1 })).toBe(JSON.stringify({ _id, a: 1, b: { c: 2 } }));
    expect(await one({ "e.c": 1 })).toBe(JSON.stringify({ _id, e: [{ c: 4 }, { c: 5 }] }));
    expect(await one({ b: 0, e: 0 })).toBe(JSON.stringify({ _id, a: 1, g: "ж", h: null }));
    expect(await one({ _id: 0 })).toBe(JSON.stringify({ a: 1, b: { c: 2, d: 3 }, e: [{ c: 4 }, { c: 5, f: 6 }, 7], g: "ж", h: null }));
  });
});

describe("a multi-document update means what it means on MongoDB (issue 12, .ci/ferretdb/write-batch.patch)", () => {
  // The patch writes the documents of an updateMany 100 at a time, each batch as one pipelined
  // round trip to PostgreSQL; what changes must be what MongoDB changes, in every batch and when a
  // document fails.
  it("every matching document in batches of 100 and a partial last one, nothing else, counts as MongoDB gives them", async () => {
    const coll = mongoose.connection.db!.collection("update_many_batches");
    await coll.insertMany(Array.from({ length: 260 }, (_, n) => ({ n, group: n < 250 ? "a" : "b", v: n % 2 })));
    const r = await coll.updateMany({ group: "a" }, { $inc: { v: 10 }, $set: { seen: true } });
    expect([r.matchedCount, r.modifiedCount]).toEqual([250, 250]);
    const docs = await coll.find({}).sort({ n: 1 }).toArray();
    expect(docs.filter((d) => d.seen === true).map((d) => d.n)).toEqual(Array.from({ length: 250 }, (_, n) => n));
    expect(docs.every((d) => d.v === (d.n % 2) + (d.n < 250 ? 10 : 0))).toBe(true);
    // Documents the update leaves as they are are matched, not modified.
    const again = await coll.updateMany({ n: { $lt: 150 } }, { $set: { seen: true } });
    expect([again.matchedCount, again.modifiedCount]).toEqual([150, 0]);
    // The marks of handled updates: an `_id` list.
    const ids = docs.slice(0, 120).map((d) => d._id);
    const marked = await coll.updateMany({ _id: { $in: ids } }, { $set: { status: "done" } });
    expect(marked.modifiedCount).toBe(120);
    expect(await coll.countDocuments({ status: "done" })).toBe(120);
  });

  it("a document that cannot be updated stops the update there: the documents before it keep their change, it and the ones after do not", async () => {
    const coll = mongoose.connection.db!.collection("update_many_failures");
    // 130 numbers, then one text, in one scan order: $inc fails on the text after 130 changed documents (a batch of 100 written, 30 waiting).
    await coll.insertMany([...Array.from({ length: 130 }, (_, n) => ({ n, v: n })), { n: 130, v: "текст" }]);
    await expect(coll.updateMany({}, { $inc: { v: 1 } })).rejects.toThrow();
    const back = await coll.find({}).sort({ n: 1 }).toArray();
    expect(back.filter((d) => typeof d.v === "number" && d.v === d.n + 1)).toHaveLength(130);
    expect(back.at(-1)?.v).toBe("текст");
    // A unique key taken by the second document of a batch: the batch fails as a whole in
    // PostgreSQL and is written again one by one, so the first document keeps its change.
    const keyed = mongoose.connection.db!.collection("update_many_unique");
    await keyed.createIndex({ k: 1 }, { unique: true, sparse: true });
    await keyed.insertMany(Array.from({ length: 3 }, (_, n) => ({ n })));
    await expect(keyed.updateMany({}, { $set: { k: "один" } })).rejects.toThrow();
    expect(await keyed.countDocuments({ k: "один" })).toBe(1);
    expect(await keyed.countDocuments({})).toBe(3);
  });
});

describe("a delete of many documents deletes them all (issue 12, .ci/ferretdb/write-delete-batches.patch)", () => {
  // FerretDB named every matching id in one DELETE statement: past SQLite's 32,766 or PostgreSQL's
  // 65,535 parameters the whole deleteMany failed and deleted nothing, so a retention sweep with
  // that much to sweep failed at every run. The patch sends 10,000 ids per statement.
  const N = 70_000;
  async function deletesAll(db: mongoose.mongo.Db): Promise<void> {
    const coll = db.collection("delete_many_batches");
    for (let i = 0; i < N; i += 5_000) {
      await coll.insertMany(Array.from({ length: 5_000 }, (_, k) => ({ n: i + k, old: i + k !== 12_345 && i + k < N - 3 })));
    }
    const r = await coll.deleteMany({ old: true });
    expect(r.deletedCount).toBe(N - 4);
    const left = await coll.find({}, { projection: { _id: 0, n: 1 } }).sort({ n: 1 }).toArray();
    expect(left.map((d) => d.n)).toEqual([12_345, N - 3, N - 2, N - 1]);
    await coll.drop();
  }

  it("70,000 documents by one deleteMany on the suite's server, and on FerretDB's SQLite backend", { timeout: 120_000 }, async () => {
    await deletesAll(mongoose.connection.db!);
    if ((await explain(User, { telegramId: 1 })).engine === "mongodb") return; // MongoDB has no such limit to show
    const dir = mkdtempSync(join(tmpdir(), "nastavnik-delete-"));
    const sqlite = await startEmbeddedDatabase(dir, undefined, { backend: "sqlite", ephemeral: true });
    const client = await mongoose.mongo.MongoClient.connect(sqlite.uri);
    try {
      await deletesAll(client.db("delete_many"));
    } finally {
      await client.close();
      await sqlite.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("an update command of many statements finishes (issue 12, .ci/ferretdb/update-statements.patch)", () => {
  // FerretDB held a backend connection for each statement of an update command until the command
  // ended: a command of 50 or more statements waited forever (the socket timeout failed it).
  it("250 upserts and updates in one command, each statement doing what it says; the build number decides the bulk size", async () => {
    const coll = mongoose.connection.db!.collection("update_statements");
    await coll.insertMany(Array.from({ length: 125 }, (_, n) => ({ k: `old${n}`, v: 0 })));
    const ops = [
      ...Array.from({ length: 125 }, (_, n) => ({ updateOne: { filter: { k: `old${n}` }, update: { $set: { v: n } } } })),
      ...Array.from({ length: 125 }, (_, n) => ({ updateOne: { filter: { k: `new${n}` }, update: { $set: { v: -n } }, upsert: true } })),
    ];
    const r = await coll.bulkWrite(ops, { ordered: false });
    expect([r.matchedCount, r.modifiedCount, r.upsertedCount]).toEqual([125, 124, 125]); // old0 already had v 0
    expect(await coll.countDocuments({})).toBe(250);
    const docs = await coll.find({}, { projection: { _id: 0 } }).toArray();
    expect(docs.every((d) => d.v === (String(d.k).startsWith("old") ? 1 : -1) * Number(String(d.k).slice(3)))).toBe(true);
    // What the connected server takes in one command: all of them on MongoDB and this build.
    expect(capabilities.updatesPerCommand).toBe(1000);
    expect([nastavnikBuild("v1.24.2-nastavnik.10"), nastavnikBuild("v1.24.2-nastavnik.9"), nastavnikBuild("v1.24.2"), nastavnikBuild("unknown")]).toEqual([10, 9, Number.NaN, Number.NaN]);
  });
});

describe("the heavy reads' own FerretDB process (issue 12, .ci/ferretdb/reader-catalogue.patch)", () => {
  // On PostgreSQL the embedded database runs a second FerretDB process, at a lower CPU priority,
  // for the digest's and the export's reads. It must see what the first process creates after it
  // read the catalogue: a new collection, a new database.
  it("serves the read connection, at nice 10, and reads collections and databases created after it started", async () => {
    const readUri = inject("readUri");
    const plan = await explain(User, { telegramId: 1 });
    expect(readUri !== "").toBe(plan.engine === "ferretdb-postgresql");
    if (!readUri) return; // MongoDB, or FerretDB on SQLite: one server
    const port = Number(new URL(readUri).port);
    expect(readConnectionPort()).toBe(port);
    const line = execSync("ps -eo ni=,args=").toString().split("\n").find((l) => l.includes(`--listen-addr=127.0.0.1:${port}`));
    expect(Number(line?.trim().split(/\s+/)[0])).toBe(READER_NICE);
    // The reader has read this database's catalogue (the test's own reads went there).
    expect(await readModels().User.countDocuments({})).toBe(await User.countDocuments({}));
    const reader = await mongoose.mongo.MongoClient.connect(readUri);
    try {
      const name = `later_${new Types.ObjectId().toString()}`;
      const db = mongoose.connection.db!;
      expect(await reader.db(db.databaseName).collection(name).countDocuments({})).toBe(0);
      await db.collection(name).insertOne({ n: 1 });
      expect(await reader.db(db.databaseName).collection(name).find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ n: 1 }]);
      const other = mongoose.connection.getClient().db(`t_later_${process.pid}`);
      await other.collection("c").insertOne({ n: 2 });
      expect(await reader.db(other.databaseName).collection("c").countDocuments({ n: 2 })).toBe(1);
      await other.dropDatabase();
    } finally {
      await reader.close();
    }
    // Without a reader (FerretDB on SQLite, an older build), heavy reads still get a connection of
    // their own, to the bot's server.
    const mainUri = inject("mongoUri");
    await connectDatabase(mainUri, { dbName: mongoose.connection.name });
    expect(readConnectionPort()).toBe(Number(new URL(mainUri).port));
    expect(readModels().User).not.toBe(User);
    await connectDatabase(mainUri, { dbName: mongoose.connection.name, readUri });
    expect(readConnectionPort()).toBe(port);
  });
});

describe("a find decodes only the fields it needs, and still means what it means on MongoDB (issue 12, .ci/ferretdb/sjson-wanted-fields.patch)", () => {
  // With a projection of top-level fields, the project's build decodes only those, _id, and the
  // fields the filter and the sort name. Every filter, sort and projection below names fields the
  // projection leaves out: the answers must be MongoDB's.
  const rows = Array.from({ length: 40 }, (_, i) => ({
    _id: new Types.ObjectId(),
    n: i,
    status: ["held", "missed", "confirmed"][i % 3] as string,
    at: new Date(Date.UTC(2026, 10, 1) + i * 3_600_000),
    log: i % 4 === 0 ? { absentIds: [`u${i % 5}`], note: `запись ${i}` } : undefined,
    history: [{ status: "proposed", at: new Date(0) }, { status: i % 2 ? "confirmed" : "cancelled", at: new Date(1000) }],
    a: i % 7,
    b: i % 5,
    ...(i % 6 === 0 ? {} : { optional: "есть" }),
  }));
  const load = async () => {
    const coll = mongoose.connection.db!.collection("wanted_fields");
    await coll.deleteMany({});
    await coll.insertMany(rows.map((r) => (r.log ? { ...r } : (({ log: _l, ...rest }) => rest)(r))));
    return coll;
  };
  const ns = (docs: Array<Record<string, unknown>>) => docs.map((d) => d.n);
  const byN = (keep: (r: (typeof rows)[number]) => boolean) => rows.filter(keep).map((r) => r.n);

  it("filters on fields outside the projection: equality, ranges, $or/$and/$nor, dotted paths into documents and arrays, $exists, $expr", async () => {
    const coll = await load();
    const find = async (filter: Record<string, unknown>) => ns(await coll.find(filter, { projection: { n: 1 } }).sort({ n: 1 }).toArray());
    const mid = new Date(Date.UTC(2026, 10, 1) + 20 * 3_600_000);
    expect(await find({ status: "held" })).toEqual(byN((r) => r.status === "held"));
    expect(await find({ at: { $gte: mid } })).toEqual(byN((r) => r.at >= mid));
    expect(await find({ $or: [{ status: "missed" }, { a: 3 }] })).toEqual(byN((r) => r.status === "missed" || r.a === 3));
    expect(await find({ $and: [{ b: { $gt: 2 } }, { $nor: [{ status: "held" }] }] })).toEqual(byN((r) => r.b > 2 && r.status !== "held"));
    expect(await find({ "log.absentIds": "u0" })).toEqual(byN((r) => r.log?.absentIds.includes("u0") === true));
    expect(await find({ "history.status": "cancelled" })).toEqual(byN((r) => r.history.some((h) => h.status === "cancelled")));
    expect(await find({ optional: { $exists: false } })).toEqual(byN((r) => !("optional" in r)));
    expect(await find({ $expr: "$optional" })).toEqual(byN((r) => "optional" in r));
  });

  it("sorts by fields outside the projection, with skip and limit", async () => {
    const coll = await load();
    const sorted = [...rows].sort((x, y) => x.a - y.a || y.b - x.b || x.n - y.n).map((r) => r.n);
    expect(ns(await coll.find({}, { projection: { n: 1, _id: 0 } }).sort({ a: 1, b: -1, n: 1 }).toArray())).toEqual(sorted);
    expect(ns(await coll.find({}, { projection: { n: 1 } }).sort({ a: 1, b: -1, n: 1 }).skip(5).limit(7).toArray())).toEqual(sorted.slice(5, 12));
    const byLog = await coll.find({ log: { $exists: true } }, { projection: { n: 1 } }).sort({ "log.note": -1 }).toArray();
    expect(ns(byLog)).toEqual(rows.filter((r) => r.log).sort((x, y) => (x.log!.note < y.log!.note ? 1 : -1)).map((r) => r.n));
  });

  it("projections: only _id, without _id alone, exclusions and dotted projections answer as before", async () => {
    const coll = await load();
    const r = rows[4]!;
    const one = async (projection: Record<string, unknown>) => JSON.parse(JSON.stringify(await coll.findOne({ n: 4 }, { projection }))) as Record<string, unknown>;
    expect(await one({ _id: 1 })).toEqual({ _id: r._id.toHexString() });
    expect(Object.keys(await one({ _id: 0 }))).toEqual(["n", "status", "at", "log", "history", "a", "b", "optional"]);
    expect(Object.keys(await one({ history: 0, log: 0 }))).toEqual(["_id", "n", "status", "at", "a", "b", "optional"]);
    expect(await one({ "log.note": 1, _id: 0 })).toEqual({ log: { note: "запись 4" } });
    expect(await one({ "history.status": 1, n: 1, _id: 0 })).toEqual({ n: 4, history: [{ status: "proposed" }, { status: "cancelled" }] });
    expect(await one({ status: true, a: 1, missing: 1, _id: 0 })).toEqual({ status: r.status, a: r.a });
  });
});
