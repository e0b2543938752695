import { describe, expect, it, vi } from "vitest";
import mongoose, { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { once } from "../src/db/backfill.ts";
import { connectDatabase, disconnectDatabase } from "../src/db/connection.ts";
import { Job, Meeting, Migration, Offer, Organization, Pair, ProcessedUpdate, RiskFlag, SurveyAnswer, UpdateIdBlock } from "../models/index.ts";

/**
 * Issue 12: the backfills that read whole collections to find what they fill (FerretDB pushes no
 * `$exists` down) run once per database, not at every start: at a region's size they added 1.5 s
 * to every restart.
 */
const { uri, dbName } = useTestDatabase();

describe("one-time backfills at connect (issue 12)", () => {
  it("fill what was stored before the field on the first start, are recorded, and read nothing at the next starts", async () => {
    // Connected once already (the test database): all are recorded as done.
    expect((await Migration.find({}).lean()).map((m) => m._id).sort()).toEqual(["job-key-prefixes", "offers-answers-organization-id", "organizations-unique-key", "pairs-last-held", "risk-flags-open", "update-id-blocks"]);
    // A database from before: documents without the fields, and no record of the migrations.
    const org = await Organization.create({ shortName: "Детский сад № 14", searchKey: "детский сад 14", uniqueKey: "детский сад 14|", timezone: "Europe/Moscow" });
    const meetingId = new Types.ObjectId();
    const pairId = new Types.ObjectId();
    const startAt = new Date("2026-11-20T09:00:00Z");
    await mongoose.connection.collection("pairs").insertOne({ _id: pairId, organizationId: org._id, kind: "long_term", status: "active" });
    await mongoose.connection.collection("meetings").insertMany([
      { _id: meetingId, organizationId: org._id, kind: "pair", pairId, status: "held", startAt },
      { organizationId: org._id, kind: "pair", pairId, status: "held", startAt: new Date("2026-11-13T09:00:00Z") },
      { organizationId: org._id, kind: "pair", pairId, status: "missed", startAt: new Date("2026-11-27T09:00:00Z") },
    ]);
    await SurveyAnswer.collection.insertOne({ meetingId, role: "mentee", usefulness: 5, answeredAt: new Date() });
    await Organization.collection.insertOne({ shortName: "Детский сад № 15", searchKey: "детский сад 15", timezone: "Europe/Moscow", networkIds: [] });
    const flag = (round: number, extra: Record<string, unknown> = {}) => ({ key: `${pairId}:pulse_low:${round}`, organizationId: org._id, pairId, kind: "pulse_low", round, score: 2, raisedAt: startAt, ...extra });
    await RiskFlag.collection.insertMany([flag(1), flag(2, { resolvedAt: startAt })]);
    const at = new Date("2026-12-01T09:00:00Z");
    await Job.collection.insertOne({ type: "meeting-reminder", key: `meeting:${meetingId}:reminder-24h`, payload: "null", runAt: at, dueAt: at, status: "pending", attempts: 0, claimSeq: 0, createdAt: startAt });
    // Ledger records from before id blocks: two in one block, one in another (and another bot's).
    await ProcessedUpdate.collection.insertMany([
      { botId: 7, updateId: 5_001, status: "done", createdAt: startAt },
      { botId: 7, updateId: 5_999, status: "running", createdAt: startAt },
      { botId: 7, updateId: 6_000, status: "done", createdAt: startAt },
      { botId: 8, updateId: 5_001, status: "done", createdAt: startAt },
    ]);
    await Migration.deleteMany({});
    await disconnectDatabase();
    await connectDatabase(uri, { dbName });
    expect((await UpdateIdBlock.find({ _id: { $in: ["7:5", "7:6", "8:5"] } }).lean()).map((b) => b._id).sort()).toEqual(["7:5", "7:6", "8:5"]);
    expect((await SurveyAnswer.findOne({ meetingId }).lean())?.organizationId?.toString()).toBe(org._id.toString());
    expect((await Organization.findOne({ shortName: "Детский сад № 15" }).lean())?.uniqueKey).toBe("детский сад 15|");
    expect((await Pair.findById(pairId).lean())?.lastHeldAt).toEqual(startAt);
    expect((await RiskFlag.find({ pairId }).sort({ round: 1 }).lean()).map((f) => [f.round, f.open])).toEqual([
      [1, true],
      [2, undefined],
    ]);
    expect((await Job.findOne({ key: `meeting:${meetingId}:reminder-24h` }).lean())?.prefixes).toEqual(["meeting:", `meeting:${meetingId}:`]);
    const recorded = await Migration.find({}).sort({ _id: 1 }).lean();
    expect(recorded.map((m) => [m._id, m.changed])).toEqual([
      ["job-key-prefixes", 1],
      ["offers-answers-organization-id", 1],
      ["organizations-unique-key", 1],
      ["pairs-last-held", 1],
      ["risk-flags-open", 1],
      ["update-id-blocks", 3],
    ]);
    // The next start reads none of those collections.
    const answers = vi.spyOn(SurveyAnswer, "find");
    const offers = vi.spyOn(Offer, "find");
    const orgs = vi.spyOn(Organization, "find");
    const meetings = vi.spyOn(Meeting, "find");
    const flags = vi.spyOn(RiskFlag, "updateMany");
    const jobs = vi.spyOn(Job, "find");
    const ledger = vi.spyOn(ProcessedUpdate, "find");
    try {
      await disconnectDatabase();
      await connectDatabase(uri, { dbName });
      expect(answers).not.toHaveBeenCalled();
      expect(offers).not.toHaveBeenCalled();
      expect(orgs).not.toHaveBeenCalled();
      expect(meetings).not.toHaveBeenCalled();
      expect(flags).not.toHaveBeenCalled();
      expect(jobs).not.toHaveBeenCalled();
      expect(ledger).not.toHaveBeenCalled();
    } finally {
      ledger.mockRestore();
      jobs.mockRestore();
      answers.mockRestore();
      offers.mockRestore();
      orgs.mockRestore();
      meetings.mockRestore();
      flags.mockRestore();
    }
    expect(await Migration.countDocuments({})).toBe(6);
  });

  it("`once` runs a migration on the first call only, and again after a failure", async () => {
    let runs = 0;
    const failing = async () => {
      runs++;
      throw new Error("interrupted");
    };
    await expect(once("test-failing", failing)).rejects.toThrow("interrupted");
    const fill = async () => {
      runs++;
      return 7;
    };
    expect(await once("test-failing", fill)).toBe(7);
    expect(await once("test-failing", fill)).toBe(0);
    expect(runs).toBe(2);
    expect((await Migration.findById("test-failing").lean())?.changed).toBe(7);
  });
});
