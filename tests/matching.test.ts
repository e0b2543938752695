import { describe, expect, it } from "vitest";
import { runs } from "./helpers/property.ts";
import fc from "fast-check";
import {
  AVAILABILITY_FULL_MINUTES,
  MATCH_WEIGHTS,
  NEUTRAL,
  availabilityOverlapMinutes,
  candidateFilter,
  experienceFits,
  explainScore,
  hardFilterFailures,
  modeCompatible,
  rankMentors,
  type MatchMode,
  type MatchRequest,
  type MentorCandidate,
  type PreferredTime,
  type ScoreComponent,
} from "../src/domain/matching.ts";

const NOW = new Date("2026-11-02T09:00:00Z");
const OWN_ORG = "org-own";
const PARTNER_ORG = "org-partner";
const OUTSIDE_ORG = "org-outside";

function request(overrides: Partial<MatchRequest> = {}): MatchRequest {
  return {
    id: "req-1",
    menteeUserId: "user-mentee",
    organizationId: OWN_ORG,
    networkOrgIds: [PARTNER_ORG],
    topics: ["E1", "F1", "A2"],
    mode: "any",
    preferredTimes: [],
    menteeTimezone: "Europe/Moscow",
    excludedMentorIds: [],
    ...overrides,
  };
}

function mentor(overrides: Partial<MentorCandidate> = {}): MentorCandidate {
  return {
    id: "m-1",
    userId: "user-m-1",
    organizationId: OWN_ORG,
    timezone: "Europe/Moscow",
    competences: ["E1"],
    capacity: 3,
    activeMentees: 1,
    freeSlots: 2,
    mode: "any",
    availability: [],
    networkServing: false,
    pausedUntil: null,
    approved: true,
    offersReceived: 0,
    offersAnswered: 0,
    offersTimedOut: 0,
    ratingSum: 0,
    ratingCount: 0,
    ...overrides,
  };
}

describe("hard filters", () => {
  it("a ready mentor of the mentee's organization passes", () => {
    expect(hardFilterFailures(request(), mentor(), NOW)).toEqual([]);
    expect(rankMentors(request(), [mentor()], NOW).map((r) => r.mentorId)).toEqual(["m-1"]);
  });

  const cases: Array<[string, Partial<MentorCandidate>, Partial<MatchRequest>, string]> = [
    ["not approved", { approved: false }, {}, "not_approved"],
    ["paused until later", { pausedUntil: new Date(NOW.getTime() + 60_000) }, {}, "paused"],
    ["no free slot", { freeSlots: 0, activeMentees: 3 }, {}, "capacity"],
    ["negative free slots", { freeSlots: -1 }, {}, "capacity"],
    ["online mentor, in-person request", { mode: "online" }, { mode: "in_person" }, "mode"],
    ["in-person mentor, online request", { mode: "in_person" }, { mode: "online" }, "mode"],
    ["organization outside the network", { organizationId: OUTSIDE_ORG, networkServing: true }, {}, "organization"],
    ["network partner not serving the network", { organizationId: PARTNER_ORG, networkServing: false }, {}, "organization"],
    ["the mentee themself", { userId: "user-mentee" }, {}, "self"],
    ["declined or timed out on this request", { id: "m-x" }, { excludedMentorIds: ["m-x"] }, "excluded"],
  ];
  it.each(cases)("excludes: %s", (_name, m, r, code) => {
    const req = request(r);
    const cand = mentor(m);
    expect(hardFilterFailures(req, cand, NOW)).toEqual([code]);
    expect(rankMentors(req, [cand, mentor({ id: "m-ok", userId: "u-ok" })], NOW).map((x) => x.mentorId)).toEqual(["m-ok"]);
  });

  it("reports every failing filter", () => {
    const failures = hardFilterFailures(
      request({ mode: "online", excludedMentorIds: ["m-1"] }),
      mentor({ approved: false, freeSlots: 0, mode: "in_person", organizationId: OUTSIDE_ORG, userId: "user-mentee", pausedUntil: new Date(NOW.getTime() + 1) }),
      NOW,
    );
    expect(failures).toEqual(["not_approved", "paused", "capacity", "mode", "organization", "self", "excluded"]);
  });

  it("a pause that ended (or ends now) does not exclude", () => {
    expect(hardFilterFailures(request(), mentor({ pausedUntil: new Date(NOW.getTime() - 1) }), NOW)).toEqual([]);
    expect(hardFilterFailures(request(), mentor({ pausedUntil: NOW }), NOW)).toEqual([]);
  });

  it("a network-serving mentor of a partner organization passes", () => {
    expect(hardFilterFailures(request(), mentor({ organizationId: PARTNER_ORG, networkServing: true }), NOW)).toEqual([]);
  });

  it("modes: 'any' on either side matches everything", () => {
    const modes: MatchMode[] = ["in_person", "online", "any"];
    const table = modes.map((r) => modes.map((m) => modeCompatible(r, m)));
    // rows: requested in_person / online / any; columns: mentor in_person / online / any
    expect(table).toEqual([
      [true, false, true],
      [false, true, true],
      [true, true, true],
    ]);
  });

  it("the database filter carries the same conditions", () => {
    const f = candidateFilter(request({ mode: "online", excludedMentorIds: ["m-x"] }), NOW);
    expect(f).toMatchObject({
      approved: true,
      freeSlots: { $gt: 0 },
      userId: { $ne: "user-mentee" },
      mode: { $in: ["online", "any"] },
      _id: { $nin: ["m-x"] },
    });
    expect(JSON.stringify(f.$and)).toContain(PARTNER_ORG);
    expect(candidateFilter(request({ mode: "any" }), NOW)).not.toHaveProperty("mode");
  });
});

describe("score", () => {
  it("weights are one documented constant adding up to 1", () => {
    expect(Object.keys(MATCH_WEIGHTS).sort()).toEqual(["availability", "load", "rating", "responsiveness", "sameOrg", "topics"]);
    expect(Object.values(MATCH_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it("the score is the weighted sum of the components", () => {
    const b = explainScore(
      request({ preferredTimes: [{ weekday: 1, part: "morning" }] }),
      mentor({
        competences: ["E1", "F1", "B1"],
        availability: [{ weekday: 1, startMin: 9 * 60, endMin: 10 * 60 }],
        capacity: 4,
        activeMentees: 1,
        freeSlots: 3,
        ratingSum: 18,
        ratingCount: 4,
        offersReceived: 10,
        offersAnswered: 8,
        offersTimedOut: 2,
      }),
    );
    expect(b.matchedTopics).toEqual(["E1", "F1"]);
    expect(b.components.topics).toBeCloseTo(2 / 3);
    expect(b.overlapMinutes).toBe(60);
    expect(b.components.availability).toBeCloseTo(60 / AVAILABILITY_FULL_MINUTES);
    expect(b.components.sameOrg).toBe(1);
    expect(b.components.load).toBeCloseTo(0.75);
    expect(b.components.rating).toBeCloseTo((4.5 - 1) / 4);
    expect(b.components.responsiveness).toBeCloseTo((8 - 0.5 * 2) / 10);
    const expected = (Object.keys(MATCH_WEIGHTS) as ScoreComponent[]).reduce((s, k) => s + MATCH_WEIGHTS[k] * b.components[k], 0);
    expect(b.score).toBeCloseTo(expected, 6);
    expect(b.reasons).toEqual([
      { code: "topics", params: { codes: "E1,F1", count: 2 } },
      { code: "same_org", params: {} },
      { code: "availability", params: { hours: 1 } },
      { code: "rating", params: { avg: 4.5, n: 4 } },
      { code: "load", params: { free: 3, capacity: 4 } },
    ]);
  });

  it("each component moves the score by exactly its weight", () => {
    const req = request({ topics: ["E1", "F1"], preferredTimes: [{ weekday: 2, part: "day" }] });
    const base = mentor({ competences: [], organizationId: PARTNER_ORG, networkServing: true, availability: [{ weekday: 6, startMin: 0, endMin: 60 }], capacity: 2, activeMentees: 2, freeSlots: 1, ratingSum: 3, ratingCount: 3, offersReceived: 4, offersAnswered: 0, offersTimedOut: 4 });
    const b0 = explainScore(req, base);
    expect(b0.components).toEqual({ topics: 0, availability: 0, sameOrg: 0, load: 0, rating: 0, responsiveness: 0 });
    expect(b0.score).toBe(0);
    const full: Record<ScoreComponent, Partial<MentorCandidate>> = {
      topics: { competences: ["E1", "F1"] },
      availability: { availability: [{ weekday: 2, startMin: 12 * 60, endMin: 16 * 60 }] },
      sameOrg: { organizationId: OWN_ORG },
      load: { activeMentees: 0 },
      rating: { ratingSum: 15 },
      responsiveness: { offersAnswered: 4, offersTimedOut: 0 },
    };
    for (const key of Object.keys(full) as ScoreComponent[]) {
      const b = explainScore(req, mentor({ ...base, ...full[key] }));
      expect(b.components[key], key).toBe(1);
      expect(b.score, key).toBe(MATCH_WEIGHTS[key]);
    }
  });

  it("neutral components: no preferred times, no mentor windows, fewer than 3 ratings, no offers, no catalogue topics", () => {
    const b = explainScore(request({ topics: [] }), mentor({ availability: [{ weekday: 1, startMin: 600, endMin: 700 }], ratingSum: 2, ratingCount: 2 }));
    expect(b.components).toMatchObject({ topics: NEUTRAL, availability: NEUTRAL, rating: NEUTRAL, responsiveness: NEUTRAL });
    expect(b.overlapMinutes).toBeNull();
    const noWindows = explainScore(request({ preferredTimes: [{ weekday: 1, part: "day" }] }), mentor({ availability: [] }));
    expect(noWindows.components.availability).toBe(NEUTRAL);
  });

  it("timeouts weigh more than plain silence; responsive mentors get a reason", () => {
    const slow = explainScore(request(), mentor({ offersReceived: 4, offersAnswered: 2, offersTimedOut: 2 }));
    const pending = explainScore(request(), mentor({ offersReceived: 4, offersAnswered: 2, offersTimedOut: 0 }));
    expect(slow.components.responsiveness).toBeCloseTo(0.25);
    expect(pending.components.responsiveness).toBeCloseTo(0.5);
    const good = explainScore(request(), mentor({ offersReceived: 5, offersAnswered: 5 }));
    expect(good.reasons).toContainEqual({ code: "responsive", params: {} });
  });

  it("a network mentor gets the network reason, not the same-organization bonus", () => {
    const b = explainScore(request(), mentor({ organizationId: PARTNER_ORG, networkServing: true }));
    expect(b.components.sameOrg).toBe(0);
    expect(b.reasons.map((r) => r.code)).toContain("network");
    expect(b.reasons.map((r) => r.code)).not.toContain("same_org");
  });
});

describe("availability across time zones", () => {
  const moscowEvening: PreferredTime[] = [{ weekday: 1, part: "evening" }]; // Mon 16:00–20:00 MSK = 13:00–17:00 UTC

  it("a Moscow mentee's evening and a Yekaterinburg mentor's 18:00–22:00 overlap fully (4 h)", () => {
    expect(availabilityOverlapMinutes(moscowEvening, "Europe/Moscow", [{ weekday: 1, startMin: 18 * 60, endMin: 22 * 60 }], "Asia/Yekaterinburg")).toBe(240);
  });

  it("a Yekaterinburg window 19:00–23:00 overlaps a Moscow evening by 3 h (17:00–20:00 MSK)", () => {
    const minutes = availabilityOverlapMinutes(moscowEvening, "Europe/Moscow", [{ weekday: 1, startMin: 19 * 60, endMin: 23 * 60 }], "Asia/Yekaterinburg");
    expect(minutes).toBe(180);
    const b = explainScore(
      request({ preferredTimes: moscowEvening }),
      mentor({ timezone: "Asia/Yekaterinburg", availability: [{ weekday: 1, startMin: 19 * 60, endMin: 23 * 60 }] }),
    );
    expect(b.reasons).toContainEqual({ code: "availability", params: { hours: 3 } });
    expect(b.components.availability).toBe(1);
  });

  it("the same local hours in one zone overlap completely, whatever the host zone", () => {
    expect(availabilityOverlapMinutes(moscowEvening, "Europe/Moscow", [{ weekday: 1, startMin: 16 * 60, endMin: 20 * 60 }], "Europe/Moscow")).toBe(240);
    expect(availabilityOverlapMinutes(moscowEvening, "Europe/Moscow", [{ weekday: 1, startMin: 18 * 60, endMin: 22 * 60 }], "Europe/Moscow")).toBe(120);
  });

  it("a Vladivostok mentor (UTC+10): late evening there is a Moscow afternoon", () => {
    // Mon 21:00–23:00 VLAT = 11:00–13:00 UTC = 14:00–16:00 MSK: the Moscow "day", not the evening.
    const late = [{ weekday: 1, startMin: 21 * 60, endMin: 23 * 60 }];
    expect(availabilityOverlapMinutes(moscowEvening, "Europe/Moscow", late, "Asia/Vladivostok")).toBe(0);
    expect(availabilityOverlapMinutes([{ weekday: 1, part: "day" }], "Europe/Moscow", late, "Asia/Vladivostok")).toBe(120);
    // Morning 08:00–12:00 VLAT = 01:00–05:00 MSK: nothing in a Moscow working day.
    expect(availabilityOverlapMinutes([{ weekday: 1, part: "morning" }, { weekday: 1, part: "day" }, { weekday: 1, part: "evening" }], "Europe/Moscow", [{ weekday: 1, startMin: 8 * 60, endMin: 12 * 60 }], "Asia/Vladivostok")).toBe(0);
  });

  it("a Vladivostok window after midnight falls on the previous Moscow day, across the week boundary too", () => {
    // Tue 00:00–02:00 VLAT = Mon 17:00–19:00 MSK.
    expect(availabilityOverlapMinutes(moscowEvening, "Europe/Moscow", [{ weekday: 2, startMin: 0, endMin: 120 }], "Asia/Vladivostok")).toBe(120);
    // Mon 01:00–03:00 VLAT = Sun 18:00–20:00 MSK: wraps to the end of the week.
    expect(availabilityOverlapMinutes([{ weekday: 7, part: "evening" }], "Europe/Moscow", [{ weekday: 1, startMin: 60, endMin: 180 }], "Asia/Vladivostok")).toBe(120);
  });

  it("overlapping windows and repeated parts are not counted twice", () => {
    const twice: PreferredTime[] = [...moscowEvening, ...moscowEvening];
    const windows = [
      { weekday: 1, startMin: 16 * 60, endMin: 19 * 60 },
      { weekday: 1, startMin: 18 * 60, endMin: 21 * 60 },
    ];
    expect(availabilityOverlapMinutes(twice, "Europe/Moscow", windows, "Europe/Moscow")).toBe(240);
  });

  it("adjacent parts of a day form one span", () => {
    const windows = [{ weekday: 3, startMin: 11 * 60, endMin: 13 * 60 }];
    const parts: PreferredTime[] = [{ weekday: 3, part: "morning" }, { weekday: 3, part: "day" }];
    expect(availabilityOverlapMinutes(parts, "Asia/Yekaterinburg", windows, "Asia/Yekaterinburg")).toBe(120);
  });

  it("an unknown zone falls back to Moscow instead of failing", () => {
    expect(availabilityOverlapMinutes(moscowEvening, "Europe/Moscow", [{ weekday: 1, startMin: 16 * 60, endMin: 20 * 60 }], "Not/AZone")).toBe(240);
  });
});

describe("ranking", () => {
  it("orders by score, then free slots, then id", () => {
    const req = request({ topics: ["E1"] });
    const a = mentor({ id: "b", userId: "ub", capacity: 4, activeMentees: 2, freeSlots: 2 });
    const b = mentor({ id: "a", userId: "ua", capacity: 4, activeMentees: 2, freeSlots: 2 });
    const c = mentor({ id: "c", userId: "uc", capacity: 4, activeMentees: 2, freeSlots: 3 }); // same score (load from activeMentees), more free slots
    const best = mentor({ id: "z", userId: "uz", capacity: 4, activeMentees: 0, freeSlots: 4 });
    const ranked = rankMentors(req, [a, b, c, best], NOW, 10);
    expect(ranked.map((r) => r.mentorId)).toEqual(["z", "c", "a", "b"]);
    expect(ranked[1]?.score).toBe(ranked[2]?.score);
    expect(ranked[0]?.userId).toBe("uz");
  });

  it("equal sums reached by different components tie exactly, and the tie-break decides", () => {
    const req = request({ preferredTimes: [{ weekday: 1, part: "evening" }] });
    // 0.4 + 0.2 × 1 + 0 (network)  vs  0.4 + 0.2 × 0.5 + 0.1 (same organization)
    const network = mentor({ id: "a-net", userId: "u1", organizationId: PARTNER_ORG, networkServing: true, availability: [{ weekday: 1, startMin: 16 * 60, endMin: 20 * 60 }] });
    const own = mentor({ id: "b-own", userId: "u2", availability: [{ weekday: 1, startMin: 19 * 60, endMin: 22 * 60 }] });
    const ranked = rankMentors(req, [own, network], NOW);
    expect(ranked[0]?.score).toBe(ranked[1]?.score);
    expect(ranked.map((r) => r.mentorId)).toEqual(["a-net", "b-own"]);
    expect(rankMentors(req, [own, { ...network, id: "c-net" }], NOW).map((r) => r.mentorId)).toEqual(["b-own", "c-net"]);
  });

  it("prefers the mentee's organization over an otherwise equal network mentor", () => {
    const own = mentor({ id: "own", userId: "u1" });
    const partner = mentor({ id: "net", userId: "u2", organizationId: PARTNER_ORG, networkServing: true });
    expect(rankMentors(request(), [partner, own], NOW).map((r) => r.mentorId)).toEqual(["own", "net"]);
  });

  it("leaves out mentors without any requested topic when enough others cover one", () => {
    const covering = [1, 2, 3].map((i) => mentor({ id: `c${i}`, userId: `uc${i}`, competences: ["A2"], activeMentees: 3, capacity: 3, freeSlots: 1 }));
    const strong = mentor({ id: "s", userId: "us", competences: ["G1"], activeMentees: 0, freeSlots: 3, ratingSum: 25, ratingCount: 5 });
    expect(rankMentors(request(), [...covering, strong], NOW, 3).map((r) => r.mentorId)).not.toContain("s");
    expect(rankMentors(request(), [...covering, strong], NOW, 4).map((r) => r.mentorId)).toContain("s");
    expect(rankMentors(request({ topics: [] }), [...covering, strong], NOW, 3).map((r) => r.mentorId)[0]).toBe("s");
  });

  it("returns nothing for a non-positive limit", () => {
    expect(rankMentors(request(), [mentor()], NOW, 0)).toEqual([]);
  });
});

describe("properties", () => {
  const ORGS = [OWN_ORG, PARTNER_ORG, "org-partner-2", OUTSIDE_ORG];
  const CODES = ["A1", "A2", "B1", "E1", "F1", "G3"];
  const ZONES = ["Europe/Moscow", "Asia/Yekaterinburg", "Asia/Vladivostok", "Europe/Kaliningrad", "America/New_York"];
  const modeArb = fc.constantFrom<MatchMode>("in_person", "online", "any");
  const windowArb = fc
    .record({ weekday: fc.integer({ min: 1, max: 7 }), startMin: fc.integer({ min: 0, max: 1440 }), length: fc.integer({ min: 0, max: 600 }) })
    .map(({ weekday, startMin, length }) => ({ weekday, startMin, endMin: Math.min(1440, startMin + length) }));
  const userArb = fc.constantFrom("user-mentee", "u1", "u2", "u3", "u4");
  const candidateArb = fc.record({
    userId: userArb,
    organizationId: fc.constantFrom(...ORGS),
    timezone: fc.constantFrom(...ZONES),
    competences: fc.uniqueArray(fc.constantFrom(...CODES), { maxLength: 4 }),
    capacity: fc.integer({ min: 1, max: 5 }),
    activeMentees: fc.integer({ min: 0, max: 6 }),
    freeSlots: fc.integer({ min: -1, max: 5 }),
    mode: modeArb,
    availability: fc.array(windowArb, { maxLength: 4 }),
    networkServing: fc.boolean(),
    pausedUntil: fc.option(fc.integer({ min: -3, max: 3 }).map((d) => new Date(NOW.getTime() + d * 86_400_000)), { nil: null }),
    approved: fc.constantFrom(true, true, true, false),
    offersReceived: fc.integer({ min: 0, max: 10 }),
    offersAnswered: fc.integer({ min: 0, max: 10 }),
    offersTimedOut: fc.integer({ min: 0, max: 10 }),
    ratingSum: fc.integer({ min: 0, max: 50 }),
    ratingCount: fc.integer({ min: 0, max: 10 }),
  });
  const candidatesArb = fc.array(candidateArb, { maxLength: 25 }).map((list) => list.map((c, i) => ({ ...c, id: `m${String(i).padStart(2, "0")}` }) as MentorCandidate));
  const requestArb = fc.record({
    organizationId: fc.constantFrom(OWN_ORG, PARTNER_ORG),
    networkOrgIds: fc.subarray([PARTNER_ORG, "org-partner-2"]),
    topics: fc.uniqueArray(fc.constantFrom(...CODES), { maxLength: 3 }),
    mode: modeArb,
    preferredTimes: fc.array(fc.record({ weekday: fc.integer({ min: 1, max: 7 }), part: fc.constantFrom("morning", "day", "evening") as fc.Arbitrary<PreferredTime["part"]> }), { maxLength: 5 }),
    menteeTimezone: fc.constantFrom(...ZONES),
    excludedMentorIds: fc.subarray(["m00", "m01", "m02", "m03", "m10"]),
  }).map((r) => request(r));
  const limitArb = fc.integer({ min: 1, max: 8 });

  it("every result passes the hard filters and has a free slot; never more than the limit", () => {
    fc.assert(
      fc.property(requestArb, candidatesArb, limitArb, (req, candidates, limit) => {
        const ranked = rankMentors(req, candidates, NOW, limit);
        expect(ranked.length).toBeLessThanOrEqual(limit);
        const eligible = candidates.filter((c) => hardFilterFailures(req, c, NOW).length === 0);
        expect(ranked.length).toBe(Math.min(limit, eligible.length));
        for (const r of ranked) {
          const c = candidates.find((x) => x.id === r.mentorId) as MentorCandidate;
          expect(hardFilterFailures(req, c, NOW)).toEqual([]);
          expect(c.freeSlots).toBeGreaterThan(0);
          expect(r.userId).not.toBe(req.menteeUserId);
          expect(req.excludedMentorIds).not.toContain(r.mentorId);
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(1 + 1e-12);
        }
        for (let i = 1; i < ranked.length; i++) expect((ranked[i - 1] as { score: number }).score).toBeGreaterThanOrEqual((ranked[i] as { score: number }).score);
      }),
      { numRuns: runs(300) },
    );
  });

  it("is deterministic and independent of the candidates' order", () => {
    fc.assert(
      fc.property(requestArb, candidatesArb, limitArb, fc.infiniteStream(fc.nat()), (req, candidates, limit, seeds) => {
        const first = rankMentors(req, candidates, NOW, limit);
        expect(rankMentors(req, candidates, NOW, limit)).toEqual(first);
        const shuffled = [...candidates];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = (seeds.next().value as number) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as MentorCandidate, shuffled[i] as MentorCandidate];
        }
        expect(rankMentors(req, shuffled, NOW, limit)).toEqual(first);
        expect(rankMentors(req, [...candidates].reverse(), NOW, limit)).toEqual(first);
      }),
      { numRuns: runs(300) },
    );
  });

  it("a larger limit extends the list without reordering it", () => {
    fc.assert(
      fc.property(requestArb, candidatesArb, limitArb, (req, candidates, limit) => {
        const small = rankMentors(req, candidates, NOW, limit);
        const large = rankMentors(req, candidates, NOW, limit + 5);
        // Topic tiering may admit mentors without a requested topic once the limit grows; those
        // rank among the rest, so compare only when tiering does not kick in.
        const covering = candidates.filter((c) => hardFilterFailures(req, c, NOW).length === 0 && c.competences.some((t) => req.topics.includes(t)));
        if (req.topics.length === 0 || covering.length >= limit + 5 || covering.length < limit) expect(large.slice(0, small.length)).toEqual(small);
      }),
      { numRuns: runs(200) },
    );
  });

  it("overlap is never negative and never exceeds the mentee's preferred minutes", () => {
    fc.assert(
      fc.property(requestArb, fc.array(windowArb, { maxLength: 5 }), fc.constantFrom(...ZONES), (req, windows, zone) => {
        const minutes = availabilityOverlapMinutes(req.preferredTimes, req.menteeTimezone, windows, zone);
        const distinct = new Set(req.preferredTimes.map((p) => `${p.weekday}:${p.part}`)).size;
        expect(minutes).toBeGreaterThanOrEqual(0);
        expect(minutes).toBeLessThanOrEqual(distinct * 240);
      }),
      { numRuns: runs(200) },
    );
  });
});

describe("reverse mentoring (issue 15)", () => {
  it("ranks a younger colleague with the strength first for an experienced requester; the experience rule is inverted", () => {
    const reverse = { forms: ["individual", "reverse"], competences: ["E4"] };
    // The veteran scores higher (two topics, rated) but has more experience than the requester.
    const veteran = mentor({ ...reverse, id: "a-veteran", experienceYears: 30, competences: ["E4", "E1"], ratingSum: 15, ratingCount: 3 });
    const young = mentor({ ...reverse, id: "b-young", experienceYears: 2 });
    const noForm = mentor({ id: "c-noform", experienceYears: 1, competences: ["E4"], forms: ["individual"] });
    const req = request({ reverse: true, menteeExperienceYears: 25, topics: ["E4", "E1"] });
    const ranked = rankMentors(req, [veteran, young, noForm], NOW, 3);
    expect(ranked.map((r) => r.mentorId)).toEqual(["b-young", "a-veteran"]);
    expect(ranked[0]?.reasons[0]).toEqual({ code: "reverse", params: { mentor: 2, mentee: 25 } });
    expect(hardFilterFailures(req, noForm, NOW)).toEqual(["form"]);
    expect(candidateFilter(req, NOW)).toMatchObject({ forms: "reverse" });
    // The same mentors for an ordinary request: no form filter, the score decides (the veteran first).
    const ordinary = rankMentors(request({ topics: ["E4", "E1"] }), [veteran, young, noForm], NOW, 3);
    expect(ordinary[0]?.mentorId).toBe("a-veteran");
    expect(ordinary.map((r) => r.mentorId)).toContain("c-noform");
    expect(experienceFits({ reverse: true, menteeExperienceYears: 25 }, { experienceYears: 2 })).toBe(true);
    expect(experienceFits({ reverse: true, menteeExperienceYears: 25 }, { experienceYears: 30 })).toBe(false);
    expect(experienceFits({ menteeExperienceYears: 25 }, { experienceYears: 30 })).toBe(true);
    expect(experienceFits({ menteeExperienceYears: 25 }, { experienceYears: 2 })).toBe(false);
    expect(experienceFits({ reverse: true, menteeExperienceYears: null }, { experienceYears: 30 })).toBe(true);
  });
});
