import { beforeAll, describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { MentorProfile, MentorshipRequest, Network, Organization } from "../models/index.ts";
import { buildMatchRequest, findMatches, type MatchRequest } from "../src/domain/matching.ts";

useTestDatabase();

const NOW = new Date("2026-11-02T09:00:00Z");
const DAY = 86_400_000;

const ids = {
  own: new Types.ObjectId(),
  partner: new Types.ObjectId(),
  partner2: new Types.ObjectId(),
  outside: new Types.ObjectId(),
  network: new Types.ObjectId(),
  otherNetwork: new Types.ObjectId(),
  mentee: new Types.ObjectId(),
};

/** Mentor profile ids by name, filled in beforeAll. */
const m: Record<string, string> = {};

async function addMentor(name: string, fields: Record<string, unknown>): Promise<void> {
  const doc = await MentorProfile.create({
    userId: new Types.ObjectId(),
    organizationId: ids.own,
    competences: ["E1", "F1"],
    capacity: 3,
    activeMentees: 1,
    freeSlots: 2,
    mode: "any",
    approved: true,
    networkServing: false,
    ...fields,
  });
  m[name] = doc._id.toString();
}

let req: MatchRequest;

beforeAll(async () => {
  await Network.create([
    { _id: ids.network, name: "Ярославская сеть", searchKey: "ярославская сеть" },
    { _id: ids.otherNetwork, name: "Другая сеть", searchKey: "другая сеть" },
  ]);
  await Organization.create([
    { _id: ids.own, shortName: "Детский сад № 1", searchKey: "детский сад 1", timezone: "Europe/Moscow", networkIds: [ids.network] },
    { _id: ids.partner, shortName: "Детский сад № 2", searchKey: "детский сад 2", timezone: "Asia/Yekaterinburg", networkIds: [ids.network] },
    { _id: ids.partner2, shortName: "Детский сад № 3", searchKey: "детский сад 3", timezone: "Asia/Vladivostok", networkIds: [ids.network, ids.otherNetwork] },
    { _id: ids.outside, shortName: "Детский сад № 4", searchKey: "детский сад 4", timezone: "Europe/Moscow", networkIds: [ids.otherNetwork] },
  ]);
  await addMentor("own", {});
  await addMentor("partnerServing", { organizationId: ids.partner, networkServing: true });
  await addMentor("partnerNotServing", { organizationId: ids.partner, networkServing: false });
  await addMentor("outsideServing", { organizationId: ids.outside, networkServing: true });
  await addMentor("paused", { pausedUntil: new Date(NOW.getTime() + 7 * DAY) });
  await addMentor("pauseOver", { pausedUntil: new Date(NOW.getTime() - DAY), competences: ["G3"] });
  await addMentor("unapproved", { approved: false });
  await addMentor("full", { activeMentees: 3, freeSlots: 0 });
  await addMentor("excluded", {});
  await addMentor("self", { userId: ids.mentee });
  await addMentor("onlineOnly", { mode: "online" });
  await addMentor("inPerson", { mode: "in_person", competences: ["A1"] });

  const request = await MentorshipRequest.create({
    menteeId: ids.mentee,
    organizationId: ids.own,
    topics: ["E1", "F1"],
    description: "Нужна помощь с портфолио",
    kind: "flash",
    mode: "in_person",
    preferredTimes: [{ weekday: 1, part: "evening" }],
    excludedMentorIds: [new Types.ObjectId(m.excluded)],
  });
  req = await buildMatchRequest(request);
});

describe("buildMatchRequest", () => {
  it("takes the zone and the network partners from the mentee's organization", async () => {
    expect(req).toMatchObject({
      menteeUserId: ids.mentee.toString(),
      organizationId: ids.own.toString(),
      topics: ["E1", "F1"],
      mode: "in_person",
      preferredTimes: [{ weekday: 1, part: "evening" }],
      menteeTimezone: "Europe/Moscow",
      excludedMentorIds: [m.excluded],
    });
    expect(req.networkOrgIds).toEqual([ids.partner.toString(), ids.partner2.toString()].sort());
    // The same from a lean document.
    const lean = await MentorshipRequest.findById(req.id).lean();
    expect(await buildMatchRequest(lean!)).toEqual(req);
  });

  it("an organization without a network has no partners", async () => {
    const lonely = await Organization.create({ shortName: "Одинокий сад", searchKey: "одинокий сад", timezone: "Asia/Novosibirsk" });
    const built = await buildMatchRequest({ _id: new Types.ObjectId(), menteeId: ids.mentee, organizationId: lonely._id, topics: [], mode: "any", preferredTimes: [], excludedMentorIds: [] });
    expect(built.networkOrgIds).toEqual([]);
    expect(built.menteeTimezone).toBe("Asia/Novosibirsk");
  });
});

describe("findMatches", () => {
  const found = async (r: MatchRequest, limit = 50, topicPrefilter?: boolean) =>
    (await findMatches(r, { now: NOW, limit, ...(topicPrefilter === undefined ? {} : { topicPrefilter }) })).map((x) => x.mentorId);

  it("network visibility: a serving partner mentor is found, a non-serving one and an outside organization never", async () => {
    const result = await found(req);
    expect(result).toContain(m.own);
    expect(result).toContain(m.partnerServing);
    expect(result).not.toContain(m.partnerNotServing);
    expect(result).not.toContain(m.outsideServing);
  });

  it("single-organization scope: without network partners only the own organization is visible", async () => {
    const result = await found({ ...req, networkOrgIds: [] });
    expect(result).toContain(m.own);
    expect(result).not.toContain(m.partnerServing);
    expect(result.every((id) => [m.own, m.pauseOver, m.inPerson].includes(id))).toBe(true);
  });

  it("paused, unapproved, full, excluded, self and incompatible-mode mentors are not returned", async () => {
    const result = await found(req);
    for (const name of ["paused", "unapproved", "full", "excluded", "self", "onlineOnly"]) expect(result, name).not.toContain(m[name]);
    expect(result).toContain(m.pauseOver);
    expect(result).toContain(m.inPerson);
    expect(new Set(result)).toEqual(new Set([m.own, m.partnerServing, m.pauseOver, m.inPerson]));
  });

  it("an online request reaches the online-only mentor instead of the in-person one", async () => {
    const result = await found({ ...req, mode: "online" });
    expect(result).toContain(m.onlineOnly);
    expect(result).not.toContain(m.inPerson);
  });

  it("the same organization is preferred over an otherwise equal network mentor", async () => {
    const ranked = await findMatches({ ...req, preferredTimes: [] }, { now: NOW, limit: 2 });
    expect(ranked.map((r) => r.mentorId)).toEqual([m.own, m.partnerServing]);
    expect(ranked[0]?.reasons.map((r) => r.code)).toContain("same_org");
    expect(ranked[1]?.reasons.map((r) => r.code)).toContain("network");
    expect(ranked[0]?.reasons).toContainEqual({ code: "topics", params: { codes: "E1,F1", count: 2 } });
  });

  it("uses the mentor organization's zone for availability", async () => {
    // Yekaterinburg 18:00–22:00 = Moscow 16:00–20:00: the whole Monday evening of the mentee.
    // The Moscow mentor's 19:30–22:00 overlaps the evening by only 30 min: the fuller overlap
    // outweighs the same-organization bonus.
    const window = [{ weekday: 1, startMin: 18 * 60, endMin: 22 * 60 }];
    await MentorProfile.updateOne({ _id: m.partnerServing }, { $set: { availability: window } });
    await MentorProfile.updateOne({ _id: m.own }, { $set: { availability: [{ weekday: 1, startMin: 19 * 60 + 30, endMin: 22 * 60 }] } });
    const ranked = await findMatches(req, { now: NOW, limit: 2 });
    expect(ranked.map((r) => r.mentorId)).toEqual([m.partnerServing, m.own]);
    expect(ranked[0]?.reasons).toContainEqual({ code: "availability", params: { hours: 4 } });
    expect(ranked[1]?.reasons).toContainEqual({ code: "availability", params: { hours: 0.5 } });
    await MentorProfile.updateMany({ _id: { $in: [m.partnerServing, m.own] } }, { $set: { availability: [] } });
  });

  it("the topic prefilter gives the same result as the full query, and falls back when too few cover a topic", async () => {
    for (const limit of [1, 2, 3, 4, 10]) {
      expect(await found(req, limit, true), `limit ${limit}`).toEqual(await found(req, limit, false));
      const g3 = { ...req, topics: ["G3"] };
      expect(await found(g3, limit, true), `G3 limit ${limit}`).toEqual(await found(g3, limit, false));
    }
    // Only pauseOver covers G3: with a limit of 3 the others are proposed after it.
    expect((await found({ ...req, topics: ["G3"] }, 3))[0]).toBe(m.pauseOver);
    expect(await found({ ...req, topics: ["G3"] }, 3)).toHaveLength(3);
  });

  it("returns nothing when nobody qualifies", async () => {
    expect(await found({ ...req, organizationId: new Types.ObjectId().toString(), networkOrgIds: [] })).toEqual([]);
  });
});
