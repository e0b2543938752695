import { describe, expect, it, vi } from "vitest";
import mongoose, { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { once } from "../src/db/backfill.ts";
import { connectDatabase, disconnectDatabase } from "../src/db/connection.ts";
import { Migration, Offer, Organization, SurveyAnswer } from "../models/index.ts";

/**
 * Issue 12: the backfills that read whole collections to find what they fill (FerretDB pushes no
 * `$exists` down) run once per database, not at every start: at a region's size they added 1.5 s
 * to every restart.
 */
const { uri, dbName } = useTestDatabase();

describe("one-time backfills at connect (issue 12)", () => {
  it("fill what was stored before the field on the first start, are recorded, and read nothing at the next starts", async () => {
    // Connected once already (the test database): both are recorded as done.
    expect((await Migration.find({}).lean()).map((m) => m._id).sort()).toEqual(["offers-answers-organization-id", "organizations-unique-key"]);
    // A database from before: documents without the fields, and no record of the migrations.
    const org = await Organization.create({ shortName: "Детский сад № 14", searchKey: "детский сад 14", uniqueKey: "детский сад 14|", timezone: "Europe/Moscow" });
    const meetingId = new Types.ObjectId();
    await mongoose.connection.collection("meetings").insertOne({ _id: meetingId, organizationId: org._id, kind: "pair", status: "held" });
    await SurveyAnswer.collection.insertOne({ meetingId, role: "mentee", usefulness: 5, answeredAt: new Date() });
    await Organization.collection.insertOne({ shortName: "Детский сад № 15", searchKey: "детский сад 15", timezone: "Europe/Moscow", networkIds: [] });
    await Migration.deleteMany({});
    await disconnectDatabase();
    await connectDatabase(uri, { dbName });
    expect((await SurveyAnswer.findOne({ meetingId }).lean())?.organizationId?.toString()).toBe(org._id.toString());
    expect((await Organization.findOne({ shortName: "Детский сад № 15" }).lean())?.uniqueKey).toBe("детский сад 15|");
    const recorded = await Migration.find({}).sort({ _id: 1 }).lean();
    expect(recorded.map((m) => [m._id, m.changed])).toEqual([
      ["offers-answers-organization-id", 1],
      ["organizations-unique-key", 1],
    ]);
    // The next start reads none of those collections.
    const answers = vi.spyOn(SurveyAnswer, "find");
    const offers = vi.spyOn(Offer, "find");
    const orgs = vi.spyOn(Organization, "find");
    try {
      await disconnectDatabase();
      await connectDatabase(uri, { dbName });
      expect(answers).not.toHaveBeenCalled();
      expect(offers).not.toHaveBeenCalled();
      expect(orgs).not.toHaveBeenCalled();
    } finally {
      answers.mockRestore();
      offers.mockRestore();
      orgs.mockRestore();
    }
    expect(await Migration.countDocuments({})).toBe(2);
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
