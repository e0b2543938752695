import { describe, expect, it, vi } from "vitest";
import { DateTime } from "luxon";
import { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { org } from "./helpers/scenario.ts";
import { joinNetwork } from "../src/domain/organizations.ts";
import { BOUNDARY_INSTANTS, answer, at, meeting, mentorProfile, moscowWeek, person, request, finalSurvey, program, pair, selfAssessment, timedOutOffer } from "./helpers/digest-fixture.ts";
import { digestWindow, loadDigestData, personName, visibleOrganizations, type OrgBucket, type Period } from "../src/domain/digest.ts";
import { computeDigest, isQuiet } from "../src/domain/digest-figures.ts";
import { customPeriod, periodOf, PERIOD_KINDS, rollingWeek } from "../src/domain/digest-periods.ts";
import { backfillOrganizationIds } from "../src/db/backfill.ts";
import { computeIndicators } from "../src/domain/indicators.ts";
import { fireTimes, parseCron } from "../src/core/cron.ts";
import { renderDigest, MESSAGE_LIMIT, mentorListMessages, periodData, periodFromData } from "../src/messaging/digest-view.ts";
import { digestChart } from "../src/messaging/digest-view.ts";
import { BestPractice, MentoringGroup, Network, Offer, Organization, RiskFlag, SurveyAnswer } from "../models/index.ts";
import { buildSheets, sheetCsv, type Sheet } from "../src/domain/export.ts";
import { scheduledPeriod } from "../jobs/digest.ts";
import { DigestSnapshot } from "../src/domain/digest-snapshot.ts";

useTestDatabase({ resetBetweenTests: true });

/** Monday 30.11.2026 09:00 in the zone. */
const mondayNine = (zone: string) => DateTime.fromISO("2026-11-30T09:00", { zone }).toJSDate();
const ru = (key: string, args?: Record<string, string | number>) => `${key}${args ? JSON.stringify(args) : ""}`;

async function digestOf(orgIds: string[] | null, zone: string, now = mondayNine(zone)) {
  const data = await loadDigestData(orgIds, now);
  return { data, f: computeDigest(data, orgIds, { period: periodOf("week", now, zone), now, zone }) };
}

describe("digest figures", () => {
  it("equal the fixture's known truth, against the week before", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const ids = await moscowWeek(msk.id);
    for (const iso of BOUNDARY_INSTANTS) await meeting(msk.id, ids.m1, iso, "held");
    const { f } = await digestOf([msk.id], "Europe/Moscow");

    expect(f.period).toEqual({ from: at("2026-11-22T21:00:00Z"), to: at("2026-11-29T21:00:00Z") });
    expect(f.counts).toEqual({ newRequests: 4, matched: 1, held: 3, missed: 1, unlogged: 1, cancelled: 1, answers: 2, usefulnessSum: 7, lowAnswers: 1, timedOutOffers: 1, risksRaised: 2, questionsAsked: 0, questionsAnswered: 0 });
    expect(f.prevCounts).toMatchObject({ newRequests: 2, matched: 1, held: 3, missed: 0, answers: 1, usefulnessSum: 4, lowAnswers: 0 });
    expect(f.open).toEqual({ unmatched: 3, stale: 2, escalated: 1, activePairs: 3, questions: 0 });
    expect(f.prevOpen).toEqual({ unmatched: 1, stale: 0, escalated: 0, activePairs: 2, questions: 0 });
    expect(f.openRequests.map((r) => [r.ageDays, r.stale, r.status])).toEqual([
      [9, true, "escalated"],
      [5, true, "new"],
      [0, false, "offered"],
    ]);
    expect(f.planned).toBe(1);
    expect(f.risks.map((r) => `${r.kind}:${r.value ?? ""}`).sort()).toEqual(["pulse_low:2", "quiet_pair:45", "timed_out:1", "unreachable:"]);
    expect(f.risks.find((r) => r.kind === "unreachable")?.userIds).toEqual([ids.dina.toString()]);
    expect(f.atCapacity.map((m) => m.userId)).toEqual([ids.m1.toString()]);
    expect(f.idle).toHaveLength(1);
    expect(f.topTopics).toEqual([
      { topic: "F1", count: 3, previous: 1 },
      { topic: "D1", count: 1, previous: 1 },
      { topic: "E2", count: 1, previous: 0 },
    ]);
    // The chart's window is the period itself: a bar per day of the week (issue 14).
    expect(f.chartUnit).toBe("day");
    expect(f.weekly.map((w) => DateTime.fromJSDate(w.weekStart, { zone: "Europe/Moscow" }).toFormat("dd.MM"))).toEqual(["23.11", "24.11", "25.11", "26.11", "27.11", "28.11", "29.11"]);
    expect(f.weekly.reduce((n, w) => n + w.held, 0)).toBe(f.counts.held);
    expect(f.weekly.map((w) => w.missed)).toEqual([0, 0, 0, 0, 1, 0, 0]);
    expect(isQuiet(f)).toBe(false);
  });

  it("puts week boundaries in each organization's own zone (Moscow, Yekaterinburg, Vladivostok)", async () => {
    const expected: Record<string, [number, number]> = { "Europe/Moscow": [3, 3], "Asia/Yekaterinburg": [3, 2], "Asia/Vladivostok": [3, 1] };
    for (const [zone, [cur, prev]] of Object.entries(expected)) {
      const o = await org(`Детский сад ${zone}`, zone);
      const host = await person(o.id, "Ведущая");
      for (const iso of BOUNDARY_INSTANTS) await meeting(o.id, host, iso, "held");
      const { f } = await digestOf([o.id], zone);
      expect([f.counts.held, f.prevCounts.held], zone).toEqual([cur, prev]);
      expect(DateTime.fromJSDate(f.period.from, { zone }).toFormat("ccc dd.MM HH:mm"), zone).toBe("Mon 23.11 00:00");
    }
  });

  it("keeps scopes apart: two organizations, and a network curator who sees both of the network", async () => {
    const a = await org("Детский сад № 1", "Europe/Moscow", "Сеть Север");
    const b = await org("Детский сад № 2", "Asia/Yekaterinburg", "Сеть Север");
    const c = await org("Детский сад № 3", "Asia/Vladivostok");
    for (const [o, n] of [[a, 1], [b, 2], [c, 4]] as const) {
      for (let i = 0; i < n; i++) await request(o.id, await person(o.id, `Педагог ${o.shortName} ${i}`), "2026-11-25T08:00:00Z", [], ["F1"]);
    }
    expect((await digestOf([a.id], "Europe/Moscow")).f.counts.newRequests).toBe(1);
    expect((await digestOf([c.id], "Europe/Moscow")).f.counts.newRequests).toBe(4);
    const net = await Network.findOne({}).lean();
    const members = (await Organization.find({ networkIds: net?._id }).lean()).map((o) => o._id.toString());
    const both = await digestOf(members, "Europe/Moscow");
    expect(both.f.counts.newRequests).toBe(3);
    expect(both.f.byOrganization.map((l) => [l.name, l.counts.newRequests])).toEqual([
      ["Детский сад № 2", 2],
      ["Детский сад № 1", 1],
    ]);
    // Names: the curator of № 1 sees № 2 (same network), never № 3.
    const visible = visibleOrganizations(both.data, [a.id]);
    expect([...visible].sort()).toEqual([a.id, b.id].sort());
    // The whole deployment (admin) sees all three, broken down by organization.
    const all = await digestOf(null, "Europe/Moscow");
    expect(all.f.counts.newRequests).toBe(7);
    expect(all.f.byOrganization).toHaveLength(3);
  });

  it("reads a scope by organization with the same rows as the deployment's load, naming people from elsewhere", async () => {
    const a = await org("Детский сад № 5", "Europe/Moscow");
    const b = await org("Детский сад № 6", "Europe/Moscow");
    const ids = await moscowWeek(a.id);
    await moscowWeek(b.id);
    // A mentor of № 6 serves a teacher of № 5 (a network pair): she is named by the rows of № 5.
    const guest = await person(b.id, "Наставница Сетевая");
    const r = await request(a.id, ids.anna, "2026-11-26T08:00:00Z", [["matched", "2026-11-26T09:00:00Z"]], ["F1"]);
    const p = await pair(a.id, r, guest, ids.anna, "2026-11-26T09:00:00Z");
    const m = await meeting(a.id, guest, "2026-11-27T10:00:00Z", "held", { kind: "pair", pairId: p, participantIds: [ids.anna] });
    // An answer and an offer stored before they carried their organization get it at connect.
    await answer(m, ids.anna, 5, "2026-11-27T12:00:00Z");
    await timedOutOffer(r, guest, "2026-11-26T08:30:00Z");
    await SurveyAnswer.collection.updateMany({ meetingId: m }, { $unset: { organizationId: 1 } });
    await Offer.collection.updateMany({ requestId: r }, { $unset: { organizationId: 1 } });
    expect(await backfillOrganizationIds()).toBe(2);

    const now = mondayNine("Europe/Moscow");
    const whole = await loadDigestData(null, now);
    const scoped = await loadDigestData([a.id, a.id, "not-an-id"], now);
    expect([...scoped.buckets.keys()]).toEqual([a.id]);
    const sorted = (bucket: OrgBucket) =>
      Object.fromEntries(Object.entries(bucket).map(([k, v]) => [k, Array.isArray(v) ? [...(v as Array<{ _id?: unknown }>)].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))) : v]));
    const bucket = scoped.buckets.get(a.id) as OrgBucket;
    expect(sorted(bucket)).toEqual(sorted(whole.buckets.get(a.id) as OrgBucket));
    expect(bucket.offers).toHaveLength(2);
    expect(bucket.answers).toHaveLength(4);
    // Everyone the rows name is known, with the same record, and the guest is "another organization", not "deleted".
    for (const id of [guest, ids.anna, ids.m1, ids.m2]) expect(scoped.people.get(id.toString())).toEqual(whole.people.get(id.toString()));
    const labels = { erased: "erased", hidden: "hidden" };
    expect(personName(scoped, new Set([a.id]), guest, labels)).toBe("hidden");
    expect(personName(scoped, new Set([a.id, b.id]), guest, labels)).toBe("Наставница Сетевая");
    // The figures are the same either way.
    const period = periodOf("week", now, "Europe/Moscow");
    expect(computeDigest(scoped, [a.id], { period, now, zone: "Europe/Moscow" })).toEqual(computeDigest(whole, [a.id], { period, now, zone: "Europe/Moscow" }));
  });

  it("lists risks and mentors in an order of their own, whatever order the database returned the rows in", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const ids = await moscowWeek(msk.id);
    const kg = await org("МДОУ «Детский сад № 31»", "Europe/Moscow");
    const mentor = await person(kg.id, "Наставница Тихая");
    const olga = await person(kg.id, "Ольга Белова", { unreachable: true });
    await pair(kg.id, await request(kg.id, olga, "2026-09-01T08:00:00Z", [["matched", "2026-09-02T08:00:00Z"]], ["C1"]), mentor, olga, "2026-09-02T08:00:00Z");
    const now = mondayNine("Europe/Moscow");
    const data = await loadDigestData(null, now);
    const opts = { period: periodOf("week", now, "Europe/Moscow"), now, zone: "Europe/Moscow" };
    const f = computeDigest(data, null, opts);
    // The same rows, every list and the organizations in reverse.
    const reversed = { ...data, buckets: new Map([...data.buckets].reverse().map(([id, b]) => [id, Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Array.isArray(v) ? [...v].reverse() : v])) as OrgBucket])) };
    expect(JSON.stringify(computeDigest(reversed, null, opts))).toBe(JSON.stringify(f));
    // Quiet pairs first, the longest-quiet first; the unreachable last.
    expect(f.risks.map((r) => `${r.kind}:${r.value ?? ""}`)).toEqual(["quiet_pair:88", "quiet_pair:45", "timed_out:1", "pulse_low:2", "unreachable:", "unreachable:"]);
    expect(f.risks[4]?.userIds).toEqual([ids.dina.toString()]);
  });

  it("tells a quiet pair by when it last met, and never calls a participant's seat in a mentoring group one", async () => {
    const kg = await org("МДОУ «Детский сад № 30»", "Europe/Moscow");
    const mentor = await person(kg.id, "Наставница Групповая");
    const [olga, polina] = [await person(kg.id, "Ольга Белова"), await person(kg.id, "Полина Титова")];
    const quiet = await pair(kg.id, await request(kg.id, olga, "2026-10-01T08:00:00Z", [["matched", "2026-10-02T08:00:00Z"]], ["C1"]), mentor, olga, "2026-10-02T08:00:00Z");
    await pair(kg.id, await request(kg.id, polina, "2026-10-01T08:00:00Z", [["matched", "2026-10-02T08:00:00Z"]], ["C1"]), mentor, polina, "2026-10-02T08:00:00Z", { groupId: new Types.ObjectId() });
    const { f } = await digestOf([kg.id], "Europe/Moscow");
    expect(f.risks.filter((r) => r.kind === "quiet_pair").map((r) => [r.userIds[1], r.value])).toEqual([[olga.toString(), 58]]);
    // It met: no longer quiet.
    await meeting(kg.id, mentor, "2026-11-20T10:00:00Z", "held", { kind: "pair", pairId: quiet, participantIds: [olga] });
    expect((await digestOf([kg.id], "Europe/Moscow")).f.risks.filter((r) => r.kind === "quiet_pair")).toEqual([]);
  });

  it("reads only the meetings and answers its period needs, with the figures of the whole history (issue 12)", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const ids = await moscowWeek(msk.id);
    for (const iso of BOUNDARY_INSTANTS) await meeting(msk.id, ids.m1, iso, "held");
    // History the weekly digest does not need: the quiet pair's earlier meetings, a spring session and its answer.
    await meeting(msk.id, ids.m2, "2026-09-20T10:00:00Z", "held", { kind: "pair", pairId: ids.p4, participantIds: [ids.boris] });
    await meeting(msk.id, ids.m2, "2026-10-20T10:00:00Z", "missed", { kind: "pair", pairId: ids.p4, participantIds: [ids.boris] });
    const spring = await meeting(msk.id, ids.m1, "2026-04-14T10:00:00Z", "held");
    // A pair formed six weeks ago that last met 25 days ago (in the look-back, before the weeks counted): not quiet.
    const later = await request(msk.id, ids.gleb, "2026-10-15T08:00:00Z", [["matched", "2026-10-20T08:00:00Z"]], ["C1"]);
    const p5 = await pair(msk.id, later, ids.m2, ids.gleb, "2026-10-20T08:00:00Z");
    await meeting(msk.id, ids.m2, "2026-11-05T10:00:00Z", "held", { kind: "pair", pairId: p5, participantIds: [ids.gleb] });
    await meeting(msk.id, ids.m2, "2026-11-12T10:00:00Z", "missed", { kind: "pair", pairId: p5, participantIds: [ids.gleb] });
    await answer(spring, ids.anna, 3, "2026-04-14T12:00:00Z");
    // Requests: one settled in the spring (not read), one from the spring matched only in the weeks counted (read).
    const settled = await request(msk.id, ids.gleb, "2026-04-01T08:00:00Z", [["matched", "2026-04-03T08:00:00Z"]], ["C2"]);
    const late = await request(msk.id, ids.boris, "2026-04-02T08:00:00Z", [["matched", "2026-11-25T08:00:00Z"]], ["C3"]);
    // The week ahead: a planned meeting, and one cancelled (counted in no figure, so not read).
    const planned = await meeting(msk.id, ids.m1, "2026-12-02T10:00:00Z", "confirmed");
    const dropped = await meeting(msk.id, ids.m1, "2026-12-03T10:00:00Z", "cancelled");
    // Pairs ended before the weeks counted (not read), one of them still named by an open risk
    // (read, for its people), and one ended in the weeks counted (read).
    const ended = async (mentee: Types.ObjectId, formed: string, end: string) =>
      pair(msk.id, await request(msk.id, mentee, formed, [["matched", formed]], ["C4"]), ids.m2, mentee, formed, { status: "completed", endedAt: at(end), endReason: "completed" });
    const springPair = await ended(ids.vera, "2026-03-02T08:00:00Z", "2026-05-29T08:00:00Z");
    const riskyPair = await ended(ids.anna, "2026-03-03T08:00:00Z", "2026-06-01T08:00:00Z");
    const recentPair = await ended(ids.boris, "2026-09-01T08:00:00Z", "2026-11-26T08:00:00Z");
    await RiskFlag.collection.insertOne({ key: "risk-old-pair", organizationId: new Types.ObjectId(msk.id), pairId: riskyPair, kind: "pulse_low", round: 1, score: 2, raisedAt: at("2026-05-20T08:00:00Z"), open: true });
    // Risks of the spring resolved in the spring (counted in no figure, so not read), and one
    // raised in the week and already resolved (counted among those raised).
    const springRisk = (key: string, raisedAt: string, resolvedAt: string) => ({ key, organizationId: new Types.ObjectId(msk.id), pairId: springPair, kind: "pulse_missed", round: 2, score: 2, raisedAt: at(raisedAt), resolvedAt: at(resolvedAt) });
    await RiskFlag.collection.insertMany([springRisk("risk-spring", "2026-05-10T08:00:00Z", "2026-05-12T08:00:00Z"), springRisk("risk-week", "2026-11-24T08:00:00Z", "2026-11-25T08:00:00Z")]);
    // What else piles up over the years: programs ended in the spring (one judged only in the
    // weeks counted) and in the week, final surveys, self-assessments (a spring "start" with an
    // "end" in the week), practices and groups, of the spring and of the weeks counted.
    const ended_ = (end: string, extra: Record<string, unknown> = {}) => ({ status: "completed", endedAt: at(end), approvedAt: at("2026-03-05T08:00:00Z"), goal: `до ${end}`, ...extra });
    await program(msk.id, springPair, ids.m2, ids.vera, ended_("2026-05-29T08:00:00Z"));
    await program(msk.id, riskyPair, ids.m2, ids.anna, ended_("2026-06-01T08:00:00Z", { outcome: "packaged", outcomeAt: at("2026-11-24T08:00:00Z") }));
    await program(msk.id, recentPair, ids.m2, ids.boris, ended_("2026-11-26T08:00:00Z", { status: "terminated" }));
    await finalSurvey(msk.id, springPair, 2, "2026-05-30T08:00:00Z");
    await finalSurvey(msk.id, recentPair, 5, "2026-11-26T12:00:00Z");
    const grown = await request(msk.id, ids.gleb, "2026-04-01T08:00:00Z", [["matched", "2026-04-02T08:00:00Z"]], ["F1"]);
    await selfAssessment(msk.id, grown, "start", 2, "2026-04-01T08:00:00Z");
    await selfAssessment(msk.id, grown, "end", 4, "2026-11-25T08:00:00Z");
    const springGrowth = await request(msk.id, ids.vera, "2026-03-01T08:00:00Z", [["matched", "2026-03-02T08:00:00Z"]], ["F1"]);
    await selfAssessment(msk.id, springGrowth, "start", 1, "2026-03-01T08:00:00Z");
    await selfAssessment(msk.id, springGrowth, "end", 5, "2026-05-25T08:00:00Z");
    const practice = (publishedAt: string) => ({ _id: new Types.ObjectId(), programId: new Types.ObjectId(), organizationId: new Types.ObjectId(msk.id), status: "published", title: "Практика", publishedAt: at(publishedAt) });
    await BestPractice.collection.insertMany([practice("2026-05-15T08:00:00Z"), practice("2026-11-27T08:00:00Z")]);
    const group = (title: string, createdAt: string, extra: Record<string, unknown>) => ({ _id: new Types.ObjectId(), organizationId: new Types.ObjectId(msk.id), mentorId: ids.m1, mentorProfileId: new Types.ObjectId(), title, size: 5, seatsTaken: 0, memberIds: [], members: [], formedBy: "curator", createdAt: at(createdAt), ...extra });
    const oldGroup = group("Весенний кружок", "2026-03-01T08:00:00Z", { status: "completed", endedAt: at("2026-05-31T08:00:00Z") });
    const liveGroup = group("Осенний кружок", "2026-09-01T08:00:00Z", { status: "active" });
    await MentoringGroup.collection.insertMany([oldGroup, liveGroup]);
    await timedOutOffer(settled, ids.m3, "2026-04-02T08:00:00Z");
    const now = mondayNine("Europe/Moscow");
    const zone = "Europe/Moscow";
    const whole = await loadDigestData([msk.id], now);
    const periods: Period[] = [...PERIOD_KINDS.map((k) => periodOf(k, now, zone)), rollingWeek(now), customPeriod("01.03.2026 30.11.2026", zone) as Period];
    for (const period of periods) {
      const windowed = await loadDigestData([msk.id], now, digestWindow(period, now));
      const figures = (data: typeof whole) => JSON.stringify(computeDigest(data, [msk.id], { period, now, zone }));
      expect(figures(windowed), JSON.stringify(period)).toBe(figures(whole));
      expect(JSON.stringify(computeIndicators(windowed, [msk.id], period, now))).toBe(JSON.stringify(computeIndicators(whole, [msk.id], period, now)));
      const regionWindowed = await loadDigestData(null, now, digestWindow(period, now));
      expect(figures(regionWindowed), JSON.stringify(period)).toBe(figures(whole));
      expect(JSON.stringify(computeIndicators(regionWindowed, [msk.id], period, now))).toBe(JSON.stringify(computeIndicators(whole, [msk.id], period, now)));
    }
    const week = periodOf("week", now, zone);
    const windowed = await loadDigestData([msk.id], now, digestWindow(week, now));
    const bucket = windowed.buckets.get(msk.id) as OrgBucket;
    const all = whole.buckets.get(msk.id) as OrgBucket;
    // Read: the week before the period through the week ahead (of that week only the confirmed
    // meetings); when each pair last met comes with the pair (p5 25 days ago, the quiet p4 long before).
    expect(bucket.meetings.length).toBeLessThan(all.meetings.length);
    expect(bucket.meetings.every((m) => m.startAt && m.startAt >= at("2026-11-15T21:00:00Z") && m.startAt < at("2026-12-07T06:00:00Z"))).toBe(true);
    expect(windowed.window).toEqual({ from: at("2026-11-15T21:00:00Z"), to: at("2026-12-07T06:00:00Z"), aheadFrom: now });
    const has = (b: OrgBucket, id: Types.ObjectId) => b.meetings.some((m) => m._id.equals(id));
    expect([has(bucket, planned), has(bucket, dropped), has(all, dropped)]).toEqual([true, false, true]);
    const asked = (b: OrgBucket, id: Types.ObjectId) => b.requests.some((r) => r._id.equals(id));
    expect([asked(bucket, late), asked(bucket, settled), asked(all, settled)]).toEqual([true, false, true]);
    const plannedOf = (data: typeof whole) => computeDigest(data, [msk.id], { period: week, now, zone }).planned;
    expect(plannedOf(windowed)).toBeGreaterThan(0);
    expect(plannedOf(windowed)).toBe(plannedOf(whole));
    const lastHeld = (b: OrgBucket) => new Map(b.pairs.map((p) => [p._id.toString(), p.lastHeldAt?.getTime()]));
    expect(lastHeld(bucket).get(p5.toString())).toBe(at("2026-11-05T10:00:00Z").getTime());
    expect(bucket.answers.map((a) => a.usefulness).sort()).toEqual([2, 4, 5]);
    // A network's or the region's load (more than one kindergarten) reads of what piles up over
    // the years only what the window's figures can count; one kindergarten's reads it all, in one
    // query per collection.
    const region = await loadDigestData(null, now, digestWindow(week, now));
    const wide = region.buckets.get(msk.id) as OrgBucket;
    expect([bucket.pairs.length, bucket.programs.length, bucket.groups.length]).toEqual([all.pairs.length, all.programs.length, all.groups.length]);
    const pairIds = (b: OrgBucket) => new Set(b.pairs.map((p) => p._id.toString()));
    expect([springPair, riskyPair, recentPair].map((p) => [pairIds(wide).has(p.toString()), pairIds(all).has(p.toString())])).toEqual([
      [false, true],
      [true, true],
      [true, true],
    ]);
    // Every pair left out ended before the window, and none is named by an open risk.
    const windowFrom = region.window?.from as Date;
    const left = all.pairs.filter((p) => !pairIds(wide).has(p._id.toString()));
    expect(left.map((p) => p._id.toString())).toContain(springPair.toString());
    expect(left.every((p) => p.status !== "active" && p.endedAt && p.endedAt < windowFrom)).toBe(true);
    expect(new Map([...lastHeld(all)].filter(([id]) => pairIds(wide).has(id)))).toEqual(lastHeld(wide));
    // Of the rest, what no figure of the week can count is not read either.
    const goals = (b: OrgBucket) => b.programs.map((p) => p.goal).sort();
    expect([goals(wide), goals(all)]).toEqual([
      ["до 2026-06-01T08:00:00Z", "до 2026-11-26T08:00:00Z"],
      ["до 2026-05-29T08:00:00Z", "до 2026-06-01T08:00:00Z", "до 2026-11-26T08:00:00Z"],
    ]);
    expect([wide.finalSurveys.map((f) => f.satisfaction), all.finalSurveys.length]).toEqual([[5], 2]);
    expect(wide.selfAssessments.map((a) => `${a.requestId.equals(grown) ? "grown" : "spring"} ${a.phase}`).sort()).toEqual(["grown end", "grown start"]);
    expect([wide.practices.length, all.practices.length]).toEqual([1, 2]);
    const springOffer = (b: OrgBucket) => b.offers.some((o) => o.requestId.equals(settled));
    expect([springOffer(wide), springOffer(all)]).toEqual([false, true]);
    expect(wide.offers.length).toBeGreaterThan(0);
    expect([wide.groups.map((g) => g._id.toString()), all.groups.length]).toEqual([[liveGroup._id.toString()], 2]);
    // Risks: the open ones, however old, and those raised since the window's start.
    const riskKeys = (b: OrgBucket) => b.risks.filter((r) => r.pairId?.equals(springPair) || r.pairId?.equals(riskyPair)).map((r) => `${r.pairId?.equals(riskyPair) ? "risky" : "spring"} ${r.raisedAt.toISOString().slice(0, 10)}`).sort();
    expect([riskKeys(wide), riskKeys(all)]).toEqual([
      ["risky 2026-05-20", "spring 2026-11-24"],
      ["risky 2026-05-20", "spring 2026-05-10", "spring 2026-11-24"],
    ]);
    expect(wide.risks.every((r) => !r.resolvedAt || r.raisedAt >= windowFrom)).toBe(true);
    const weekIndicators = new Map(computeIndicators(region, [msk.id], week, now).map((i) => [i.key, i]));
    expect([weekIndicators.get("programs_completed")?.denominator, weekIndicators.get("programs_packaged")?.numerator]).toEqual([1, 1]);
    const lowPulses = computeDigest(region, [msk.id], { period: week, now, zone }).risks.filter((r) => r.kind === "pulse_low");
    expect(lowPulses.map((r) => r.userIds)).toContainEqual([ids.m2.toString(), ids.anna.toString()]);
    expect(computeDigest(windowed, [msk.id], { period: week, now, zone }).risks.filter((r) => r.kind === "quiet_pair").map((r) => r.value)).toEqual([45]);
    // Figures a window does not hold are refused, never computed from part of the rows.
    expect(() => computeDigest(windowed, [msk.id], { period: periodOf("last_month", now, zone), now, zone })).toThrow(/needs meetings and answers/);
    expect(() => computeIndicators(windowed, [msk.id], customPeriod("01.03.2026 30.11.2026", zone) as Period, now)).toThrow(/needs meetings and answers/);
    expect(() => buildSheets(windowed, { scope: [msk.id], t: ru, now, topic: (c) => c })).toThrow(/every meeting and answer/);
  });

  it("the weekly batch shares one load whose window fits every zone's digest, and loads again for one that does not fit", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    await moscowWeek(msk.id);
    const now = mondayNine("Europe/Moscow");
    const snapshot = new DigestSnapshot(60_000);
    const first = snapshot.get(now, digestWindow(scheduledPeriod(now, "Europe/Moscow"), now));
    // Vladivostok's digest of the same morning, and a job an hour later: the same load.
    expect(snapshot.get(now, digestWindow(scheduledPeriod(now, "Asia/Vladivostok"), now))).toBe(first);
    const later = new Date(now.getTime() + 3_600_000);
    expect(snapshot.get(later, digestWindow(scheduledPeriod(later, "Europe/Moscow"), later))).toBe(first);
    const data = await first;
    const vladivostok = { period: scheduledPeriod(now, "Asia/Vladivostok"), now, zone: "Asia/Vladivostok" };
    const f = computeDigest(data, [msk.id], vladivostok);
    expect(f.counts.missed).toBe(1);
    expect(JSON.stringify(f)).toBe(JSON.stringify(computeDigest(await loadDigestData([msk.id], now), [msk.id], vladivostok)));
    // A digest whose period reaches further back than the load gets a load of its own.
    const month = periodOf("last_4_weeks", now, "Europe/Moscow");
    const wider = snapshot.get(now, digestWindow(month, now));
    expect(wider).not.toBe(first);
    expect((await wider).window?.from.getTime()).toBeLessThanOrEqual(digestWindow(month, now).from.getTime());
  });

  it("lets the batch's load go once it is no longer reused, so a region's weeks of meetings do not stay in memory until the next batch", async () => {
    const msk = await org("МДОУ «Детский сад № 28»", "Europe/Moscow");
    await moscowWeek(msk.id);
    const now = mondayNine("Europe/Moscow");
    const snapshot = new DigestSnapshot(50);
    const needed = digestWindow(scheduledPeriod(now, "Europe/Moscow"), now);
    const first = snapshot.get(now, needed);
    expect(snapshot.holding).toBe(true);
    await first;
    expect(snapshot.get(now, needed)).toBe(first);
    await vi.waitFor(() => expect(snapshot.holding).toBe(false), { timeout: 5000, interval: 50 });
    // The next batch loads afresh, and its load is held while it is reused.
    const next = snapshot.get(now, needed);
    expect(next).not.toBe(first);
    expect(computeDigest(await next, [msk.id], { period: scheduledPeriod(now, "Europe/Moscow"), now, zone: "Europe/Moscow" }).counts.missed).toBe(1);
    expect(snapshot.holding).toBe(true);
  });

  it("names people only of the curator's own networks: a second network of a member stays hidden", async () => {
    const a = await org("Детский сад № 1", "Europe/Moscow", "Сеть Север");
    const b = await org("Детский сад № 2", "Europe/Moscow", "Сеть Север");
    const d = await org("Детский сад № 4", "Europe/Moscow", "Сеть Юг");
    const south = await Network.findOne({ name: "Сеть Юг" }).lean();
    const north = await Network.findOne({ name: "Сеть Север" }).lean();
    expect((await joinNetwork(String(south?._id), b.id)).ok).toBe(true); // № 2 is in both networks
    const all = await digestOf(null, "Europe/Moscow");
    // A curator of the northern network sees its members, not № 4 of the southern one.
    expect([...visibleOrganizations(all.data, [], [String(north?._id)])].sort()).toEqual([a.id, b.id].sort());
    // A curator of № 1 sees its network partners (№ 2), not the partners of № 2 elsewhere.
    expect([...visibleOrganizations(all.data, [a.id])].sort()).toEqual([a.id, b.id].sort());
    // A curator of № 2 sees both of its networks.
    expect([...visibleOrganizations(all.data, [b.id])].sort()).toEqual([a.id, b.id, d.id].sort());
  });

  it("says 'nothing happened' in one line for a quiet scope, and stays under 4096 characters for a busy one", async () => {
    const quiet = await org("Тихий сад", "Europe/Moscow");
    const q = await digestOf([quiet.id], "Europe/Moscow");
    expect(isQuiet(q.f)).toBe(true);
    const r = renderDigest(q.f, { t: ru, locale: "ru", data: q.data, scope: [quiet.id], mode: "digest", scopeLabel: "Тихий сад" });
    expect(r.text.split("\n")).toHaveLength(1);
    expect(r.text).toContain("dg-quiet");

    const busy = await org("Большой сад", "Europe/Moscow");
    for (let i = 0; i < 120; i++) {
      await request(busy.id, await person(busy.id, `Педагог с очень длинной фамилией номер ${i}`), "2026-11-10T08:00:00Z", [], ["F1", "F2", "F3"]);
    }
    const b = await digestOf([busy.id], "Europe/Moscow");
    const text = renderDigest(b.f, { t: ru, locale: "ru", data: b.data, scope: [busy.id], mode: "digest", scopeLabel: "Большой сад" });
    expect(b.f.open.unmatched).toBe(120);
    expect(text.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(text.text).toContain('dg-more{"n":115}');
    expect(text.keyboard.inline_keyboard.flat().map((x) => ("callback_data" in x ? x.callback_data : ""))).toContain("rq:l:1");
  });

  it("cut mentor lists get a 'show all' button that lists every one of them", async () => {
    const kg = await org("Детский сад № 8", "Europe/Moscow");
    for (let i = 0; i < 7; i++) await mentorProfile(kg.id, await person(kg.id, `Наставник ${i}`), 2, 0, { approved: true });
    await request(kg.id, await person(kg.id, "Педагог"), "2026-11-25T08:00:00Z", [], ["F1"]); // not a quiet week
    const { data, f } = await digestOf([kg.id], "Europe/Moscow");
    expect(f.idle).toHaveLength(7);
    const view = { t: ru, locale: "ru", data, scope: [kg.id], mode: "digest" as const, scopeLabel: "№ 8" };
    const buttons = renderDigest(f, view).keyboard.inline_keyboard.flat().map((x) => ("callback_data" in x ? x.callback_data : ""));
    expect(buttons.some((d) => /^dg:n:[0-9a-z]+:[0-9a-z]+$/.test(d ?? ""))).toBe(true);
    const all = mentorListMessages(f, view).join("\n");
    for (let i = 0; i < 7; i++) expect(all).toContain(`Наставник ${i} — Детский сад № 8`);
  });

  it("renders the chart to a non-empty PNG with Cyrillic labels", async () => {
    const msk = await org("Детский сад № 5", "Europe/Moscow");
    await moscowWeek(msk.id);
    const { f } = await digestOf([msk.id], "Europe/Moscow");
    const png = await digestChart(f, (k) => ({ "dg-chart-title": "Встречи по неделям" })[k] ?? k, "ru");
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(png.length).toBeGreaterThan(10_000);
    // IHDR: width and height of a real image.
    expect(png.readUInt32BE(16)).toBeGreaterThan(500);
    expect(png.readUInt32BE(20)).toBeGreaterThan(200);
  });
});

describe("indicators", () => {
  it("computes the §4.6 shares and means from the period's rows", async () => {
    const o = await org("Детский сад № 9", "Asia/Yekaterinburg");
    const mentor = await person(o.id, "Наставник");
    const p = (n: number) => person(o.id, `Наставляемый ${n}`);
    // Requests in November: matched after 2 days, after 9 days, never (old enough), too recent to judge.
    const r1 = await request(o.id, await p(1), "2026-11-02T08:00:00Z", [["matched", "2026-11-04T08:00:00Z"]], ["F1"]);
    await request(o.id, await p(2), "2026-11-03T08:00:00Z", [["matched", "2026-11-12T08:00:00Z"]], ["F1"]);
    await request(o.id, await p(3), "2026-11-05T08:00:00Z", [], ["F1"]);
    await request(o.id, await p(4), "2026-11-29T08:00:00Z", [], ["F1"]);
    const pr = await pair(o.id, r1, mentor, await p(5), "2026-08-01T08:00:00Z");
    await program(o.id, pr, mentor, await p(6), { status: "completed", endedAt: at("2026-11-10T00:00:00Z"), outcome: "packaged", outcomeAt: at("2026-11-11T00:00:00Z") });
    await program(o.id, new Types.ObjectId(), mentor, await p(7), { status: "completed", endedAt: at("2026-11-12T00:00:00Z"), outcome: "needs_revision", outcomeAt: at("2026-11-13T00:00:00Z") });
    await program(o.id, new Types.ObjectId(), mentor, await p(8), { status: "terminated", endedAt: at("2026-11-14T00:00:00Z") });
    await program(o.id, new Types.ObjectId(), mentor, await p(9), { status: "completed", endedAt: at("2026-10-14T00:00:00Z") });
    await finalSurvey(o.id, pr, 5, "2026-11-15T00:00:00Z");
    await finalSurvey(o.id, new Types.ObjectId(), 4, "2026-11-16T00:00:00Z");
    await selfAssessment(o.id, r1, "start", 2, "2026-11-02T08:00:00Z");
    await selfAssessment(o.id, r1, "end", 4, "2026-11-20T08:00:00Z");
    const now = at("2026-11-30T06:00:00Z");
    const period = periodOf("last_month", DateTime.fromISO("2026-12-05T10:00", { zone: "Asia/Yekaterinburg" }).toJSDate(), "Asia/Yekaterinburg");
    expect(DateTime.fromJSDate(period.from, { zone: "Asia/Yekaterinburg" }).toISODate()).toBe("2026-11-01");
    const data = await loadDigestData([o.id], now);
    const ind = Object.fromEntries(computeIndicators(data, [o.id], period, now).map((i) => [i.key, [i.numerator, i.denominator]]));
    expect(ind.matched_7d).toEqual([1, 3]);
    expect(ind.programs_completed).toEqual([2, 3]);
    expect(ind.programs_packaged).toEqual([1, 2]);
    expect(ind.satisfaction).toEqual([9, 2]);
    expect(ind.growth).toEqual([2, 1]);
  });
});

describe("periods and the schedule", () => {
  it("parses custom dates and rejects nonsense", () => {
    const p = customPeriod("01.11.2026 30.11.2026", "Asia/Vladivostok");
    expect(p).toEqual({ from: at("2026-10-31T14:00:00Z"), to: at("2026-11-30T14:00:00Z") });
    expect(customPeriod("2026-11-01 2026-11-07", "Europe/Moscow")?.to).toEqual(at("2026-11-07T21:00:00Z"));
    for (const bad of ["", "вчера", "31.11.2026 01.12.2026", "10.11.2026 01.11.2026", "01.01.2025 01.06.2026"]) expect(customPeriod(bad, "Europe/Moscow"), bad).toBeUndefined();
  });

  it("evaluates DIGEST_CRON in each zone, with a chosen weekday replacing the cron's", () => {
    const spec = parseCron("0 9 * * 1");
    expect(spec).toBeDefined();
    const from = at("2026-11-29T00:00:00Z");
    const to = at("2026-12-01T00:00:00Z");
    expect(fireTimes(spec!, "Europe/Moscow", from, to).map((d) => d.toISOString())).toEqual(["2026-11-30T06:00:00.000Z"]);
    expect(fireTimes(spec!, "Asia/Vladivostok", from, to).map((d) => d.toISOString())).toEqual(["2026-11-29T23:00:00.000Z"]);
    expect(fireTimes(spec!, "Asia/Yekaterinburg", from, at("2026-12-10T00:00:00Z"), 3).map((d) => d.toISOString())).toEqual(["2026-12-02T04:00:00.000Z", "2026-12-09T04:00:00.000Z"]);
    for (const bad of ["0 9 * *", "61 9 * * 1", "0 9 * * 8", "a b c d e"]) expect(parseCron(bad), bad).toBeUndefined();
    const every30 = parseCron("*/30 8-10 1,15 * 1-5");
    // 1 December 2026 is a Tuesday (both day fields match either way): 08:00 … 10:30 Moscow, every 30 min.
    expect(fireTimes(every30!, "Europe/Moscow", at("2026-12-01T04:00:00Z"), at("2026-12-01T08:00:00Z")).map((d) => d.toISOString().slice(11, 16))).toEqual([
      "05:00",
      "05:30",
      "06:00",
      "06:30",
      "07:00",
      "07:30",
    ]);
  });
});

describe("CSV export cells", () => {
  it("keeps formula-like text as text, uses a decimal comma in Russian, and quotes separators", () => {
    const sheet: Sheet = {
      id: "surveys",
      name: "Опросы",
      columns: [
        { header: "Комментарий", kind: "text", width: 10 },
        { header: "Оценка", kind: "number", width: 10 },
        { header: "Дата", kind: "date", width: 10 },
      ],
      rows: [
        ["=HYPERLINK(\"http://x\")", 4.5, new Date(Date.UTC(2026, 10, 30))],
        ["+1+2; и ещё", 5, null],
        ["@SUM(1)", null, null],
        ["-2", 3.25, null],
        ["Обычный текст", 2, null],
      ],
    };
    const lines = sheetCsv(sheet).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toEqual([
      "Комментарий;Оценка;Дата",
      `"'=HYPERLINK(""http://x"")";4,5;30.11.2026`,
      `"'+1+2; и ещё";5;`,
      "'@SUM(1);;",
      "'-2;3,25;",
      "Обычный текст;2;",
    ]);
    expect(sheetCsv(sheet, "en").split("\r\n")[1]).toBe(`"'=HYPERLINK(""http://x"")";4.5;30.11.2026`);
  });
});

describe("list buttons carry their period", () => {
  it("round-trips a period through callback data and refuses nonsense", () => {
    const p = { from: at("2026-11-01T00:00:00Z"), to: at("2026-12-01T00:00:00Z") };
    const [a, b] = periodData(p).split(":") as [string, string];
    expect(periodFromData(a, b)).toEqual(p);
    expect(periodFromData(b, a)).toBeUndefined(); // end before start
    expect(periodFromData("0", "zzzzzzzz")).toBeUndefined(); // longer than ~13 months
    expect(periodFromData("!", "1")).toBeUndefined();
  });
});
