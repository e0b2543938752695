import { describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { MentorProfile } from "../models/index.ts";
import { mentorRegistryCache } from "../src/db/mentor-cache.ts";

useTestDatabase();

const profile = (org: Types.ObjectId, extra: Record<string, unknown> = {}) => ({
  userId: new Types.ObjectId(),
  organizationId: org,
  competences: ["E1"],
  capacity: 2,
  freeSlots: 2,
  approved: true,
  ...extra,
});

describe("mentor registry copy (FerretDB)", () => {
  it("follows every write through the model (enabled by default on FerretDB)", async () => {
    const { isFerretdb } = await import("../src/db/connection.ts");
    const { inject } = await import("vitest");
    expect(mentorRegistryCache.enabled).toBe(await isFerretdb(inject("mongoUri")));
    const org = new Types.ObjectId();
    const a = await MentorProfile.create(profile(org));
    expect((await mentorRegistryCache.all()).map((d) => String(d._id))).toContain(a._id.toString());
    // A slot taken by a conditional update is seen at once.
    await MentorProfile.updateOne({ _id: a._id, freeSlots: { $gt: 0 } }, { $inc: { freeSlots: -2 } });
    expect((await mentorRegistryCache.all()).find((d) => String(d._id) === a._id.toString())?.freeSlots).toBe(0);
    // A new profile appears; a delete of unknown scope reloads everything.
    const b = await MentorProfile.create(profile(org));
    expect((await mentorRegistryCache.all()).map((d) => String(d._id)).sort()).toEqual([a._id.toString(), b._id.toString()].sort());
    await MentorProfile.deleteMany({ userId: b.userId });
    expect((await mentorRegistryCache.all()).map((d) => String(d._id))).toEqual([a._id.toString()]);
    await MentorProfile.findOneAndUpdate({ _id: a._id }, { $set: { approved: false } });
    expect((await mentorRegistryCache.all())[0]?.approved).toBe(false);
  });
});
