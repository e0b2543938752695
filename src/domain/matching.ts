import { DateTime, IANAZone } from "luxon";
import type { Types } from "mongoose";
import { mentorRegistryCache } from "../db/mentor-cache.ts";
import { MentorProfile, User } from "../../models/index.ts";
import { networkMemberIds, organizationById, organizationsByIds, type OrganizationDoc } from "../db/organization-cache.ts";

/**
 * The matching engine (stage II → V): which mentors may take a request (hard filters) and in which
 * order they are proposed (a weighted score with a deterministic tie-break). Pure functions plus one
 * database wrapper; no grammY here. Reasons are codes with parameters, rendered by the bot in the
 * reader's language (`reason-<code>` in locales/*.ftl):
 *   topics {codes: "E1,F1", count}   same_org {}   network {}   availability {hours}
 *   rating {avg, n} (≥ RATING_MIN_COUNT ratings, mean ≥ 4)   responsive {} (≥ 3 offers, ≥ 0.8)
 *   load {free, capacity}
 */

export type MatchMode = "in_person" | "online" | "any";
export type DayPart = "morning" | "day" | "evening";

export interface PreferredTime {
  /** 1 (Monday) … 7 (Sunday), in the mentee's zone. */
  weekday: number;
  part: DayPart;
}

export interface MatchRequest {
  id: string;
  menteeUserId: string;
  organizationId: string;
  /** Organizations sharing a network with the mentee's organization (the mentee's own one not included). */
  networkOrgIds: string[];
  /** Deficit codes (src/domain/deficits.ts). */
  topics: string[];
  mode: MatchMode;
  preferredTimes: PreferredTime[];
  menteeTimezone: string;
  /** Mentor profiles that declined or let an offer on this request time out. */
  excludedMentorIds: string[];
  /**
   * Reverse mentoring (issue 15): only mentors offering the "reverse" form, and the experience rule
   * inverted — colleagues with less experience than the requester rank first.
   */
  reverse?: boolean;
  /** The requester's teaching experience in years (read for reverse requests). */
  menteeExperienceYears?: number | null;
}

/** A weekly window in the mentor's zone: weekday 1–7, minutes from local midnight [startMin, endMin). */
export interface AvailabilityWindow {
  weekday: number;
  startMin: number;
  endMin: number;
}

/** The fields of a MentorProfile lean document that matching reads (ids as strings), plus the zone of the mentor's organization. */
export interface MentorCandidate {
  /** MentorProfile id. */
  id: string;
  userId: string;
  organizationId: string;
  /** IANA zone of the mentor's organization. */
  timezone: string;
  competences: string[];
  capacity: number;
  activeMentees: number;
  freeSlots: number;
  mode: MatchMode;
  availability: AvailabilityWindow[];
  networkServing: boolean;
  pausedUntil?: Date | null;
  approved: boolean;
  offersReceived: number;
  offersAnswered: number;
  offersTimedOut: number;
  ratingSum: number;
  ratingCount: number;
  /** Forms the mentor offers (individual, group, flash, reverse). */
  forms?: string[];
  /** The mentor's teaching experience in years (loaded for reverse requests only). */
  experienceYears?: number | null;
  /** The mentor's organization requires a mentor training before matching (issue 16). */
  trainingRequired?: boolean;
  /** Mentor trainings attended (the profile's count). */
  trainingsAttended?: number;
}

export type HardFilterFailure = "not_approved" | "untrained" | "paused" | "capacity" | "mode" | "organization" | "self" | "excluded" | "form";

export interface MatchReason {
  code: string;
  params: Record<string, string | number>;
}

export interface RankedMentor {
  /** MentorProfile id. */
  mentorId: string;
  userId: string;
  score: number;
  reasons: MatchReason[];
}

/**
 * Weights of the score. Every component is normalised to 0..1 and the weights add up to 1, so a
 * score is in 0..1 too.
 */
export const MATCH_WEIGHTS = {
  /** Share of the request's topics that are among the mentor's competences (0.5 when the request names no catalogue topic). */
  topics: 0.4,
  /**
   * Weekly overlap between the mentee's preferred parts of day and the mentor's windows, both
   * converted to UTC: min(1, minutes / AVAILABILITY_FULL_MINUTES). Neutral 0.5 when the mentee
   * gave no preferred times or the mentor gave no windows.
   */
  availability: 0.2,
  /** 1 for a mentor of the mentee's own organization, 0 for a network mentor. */
  sameOrg: 0.1,
  /** 1 − activeMentees / capacity: a less loaded mentor first. */
  load: 0.1,
  /** Mean rating (1–5) mapped to 0..1 as (avg − 1) / 4, once there are RATING_MIN_COUNT ratings; neutral 0.5 before. */
  rating: 0.1,
  /**
   * offersAnswered / offersReceived minus TIMEOUT_PENALTY × offersTimedOut / offersReceived,
   * clamped to 0..1; neutral 0.5 before the first offer.
   */
  responsiveness: 0.1,
} as const;

export type ScoreComponent = keyof typeof MATCH_WEIGHTS;

/** Overlap minutes per week that count as full availability. */
export const AVAILABILITY_FULL_MINUTES = 120;
/** Ratings needed before the mean counts. */
export const RATING_MIN_COUNT = 3;
/** Extra penalty per timed-out offer, as a share of the offers received. */
export const TIMEOUT_PENALTY = 0.5;
/** Neutral value of a component without data. */
export const NEUTRAL = 0.5;
/** Scores are rounded to 1 / SCORE_PRECISION. */
export const SCORE_PRECISION = 1e6;
/** Zone used when an organization's zone is missing or invalid. */
export const DEFAULT_TIMEZONE = "Europe/Moscow";

/** Parts of the day in the mentee's local time, minutes from midnight [start, end). */
export const DAY_PART_MINUTES: Record<DayPart, readonly [number, number]> = {
  morning: [8 * 60, 12 * 60],
  day: [12 * 60, 16 * 60],
  evening: [16 * 60, 20 * 60],
};

// ---------------------------------------------------------------------------------------------
// Hard filters

function idOf(v: unknown): string {
  return v == null ? "" : String(v);
}

/** Whether a mentor's mode serves the requested one ("any" on either side matches everything). */
export function modeCompatible(requested: MatchMode, mentor: MatchMode | string | null | undefined): boolean {
  const m = mentor ?? "any";
  if (requested === "any" || m === "any") return true;
  return requested === m;
}

/** The mentor modes compatible with a requested mode. */
export function compatibleMentorModes(requested: MatchMode): MatchMode[] {
  return requested === "any" ? ["in_person", "online", "any"] : [requested, "any"];
}

/**
 * The hard filters a mentor fails for a request (empty when the mentor may be offered it):
 * approved, trained when the mentor's organization requires it, not paused at `now`, a free slot,
 * compatible mode, same organization or a network-serving mentor of a network partner, not the
 * mentee, not excluded on this request.
 */
export function hardFilterFailures(req: MatchRequest, mentor: MentorCandidate, now: Date): HardFilterFailure[] {
  const failures: HardFilterFailure[] = [];
  if (mentor.approved !== true) failures.push("not_approved");
  if (mentor.trainingRequired === true && !(Number(mentor.trainingsAttended) > 0)) failures.push("untrained");
  if (mentor.pausedUntil != null && new Date(mentor.pausedUntil).getTime() > now.getTime()) failures.push("paused");
  if (!(Number(mentor.freeSlots) > 0)) failures.push("capacity");
  if (!modeCompatible(req.mode, mentor.mode)) failures.push("mode");
  const org = idOf(mentor.organizationId);
  const sameOrg = org === req.organizationId;
  if (!sameOrg && !(mentor.networkServing === true && req.networkOrgIds.includes(org))) failures.push("organization");
  if (idOf(mentor.userId) === req.menteeUserId) failures.push("self");
  if (req.excludedMentorIds.includes(idOf(mentor.id))) failures.push("excluded");
  if (req.reverse === true && !(mentor.forms ?? []).includes("reverse")) failures.push("form");
  return failures;
}

/**
 * The experience rule, inverted for reverse mentoring: an ordinary mentor is expected to have at
 * least the mentee's experience; in a reverse request the "mentor" is the colleague with LESS
 * experience than the requester. Unknown experience on either side counts as fitting. Only
 * reverse requests apply it (as a tier before the score); ordinary ranking is unchanged.
 */
export function experienceFits(req: Pick<MatchRequest, "reverse" | "menteeExperienceYears">, mentor: Pick<MentorCandidate, "experienceYears">): boolean {
  const mine = req.menteeExperienceYears;
  const theirs = mentor.experienceYears;
  if (mine == null || theirs == null) return true;
  return req.reverse === true ? theirs < mine : theirs >= mine;
}

// ---------------------------------------------------------------------------------------------
// Availability across zones

const WEEK_MINUTES = 7 * 24 * 60;
/**
 * Fixed reference week (Monday 2025-01-13 … Sunday 2025-01-19): no zone of Russia has DST, and no
 * zone anywhere changes its offset that week, so a result never depends on the current date.
 */
const REFERENCE_MONDAY = { year: 2025, month: 1, day: 13 } as const;

const offsetCache = new Map<string, number[]>();

/** UTC offsets (minutes) of a zone on each day of the reference week, at local noon; cached per zone. */
function zoneOffsets(zone: string): number[] {
  let offsets = offsetCache.get(zone);
  if (offsets) return offsets;
  const valid = IANAZone.isValidZone(zone) ? zone : DEFAULT_TIMEZONE;
  offsets = Array.from(
    { length: 7 },
    (_, i) => DateTime.fromObject({ ...REFERENCE_MONDAY, day: REFERENCE_MONDAY.day + i, hour: 12 }, { zone: valid }).offset,
  );
  offsetCache.set(zone, offsets);
  return offsets;
}

type Interval = [number, number];

/**
 * Local [start, end) minutes on a weekday of `zone` as intervals of the UTC week (minutes from
 * Monday 00:00 UTC of the reference week, 0..WEEK_MINUTES), split where they wrap around the week.
 */
function toUtcWeek(zone: string, weekday: number, startMin: number, endMin: number, out: Interval[]): void {
  const day = Math.trunc(weekday);
  if (!(day >= 1 && day <= 7)) return;
  const s = Math.max(0, startMin);
  const e = Math.min(1440, endMin);
  if (!(e > s)) return;
  const offset = zoneOffsets(zone)[day - 1] as number;
  let start = (day - 1) * 1440 + s - offset;
  start = ((start % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  const end = start + (e - s);
  if (end <= WEEK_MINUTES) out.push([start, end]);
  else out.push([start, WEEK_MINUTES], [0, end - WEEK_MINUTES]);
}

function mergeIntervals(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Interval[] = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

function overlapOf(a: Interval[], b: Interval[]): number {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < a.length && j < b.length) {
    const [as, ae] = a[i] as Interval;
    const [bs, be] = b[j] as Interval;
    const s = Math.max(as, bs);
    const e = Math.min(ae, be);
    if (e > s) total += e - s;
    if (ae < be) i++;
    else j++;
  }
  return total;
}

/** The mentee's preferred parts of day as merged intervals of the UTC reference week. */
export function menteeWeekIntervals(preferredTimes: readonly PreferredTime[], zone: string): Interval[] {
  const out: Interval[] = [];
  for (const p of preferredTimes) {
    const range = DAY_PART_MINUTES[p.part];
    if (range) toUtcWeek(zone, p.weekday, range[0], range[1], out);
  }
  return mergeIntervals(out);
}

/** The mentor's windows as merged intervals of the UTC reference week. */
export function mentorWeekIntervals(availability: readonly AvailabilityWindow[], zone: string): Interval[] {
  const out: Interval[] = [];
  for (const w of availability) toUtcWeek(zone, w.weekday, w.startMin, w.endMin, out);
  return mergeIntervals(out);
}

/**
 * Minutes per week during which a mentee's preferred parts of day (local to `menteeZone`) and a
 * mentor's windows (local to `mentorZone`) overlap, both placed on the same fixed reference week.
 */
export function availabilityOverlapMinutes(
  preferredTimes: readonly PreferredTime[],
  menteeZone: string,
  availability: readonly AvailabilityWindow[],
  mentorZone: string,
): number {
  return overlapOf(menteeWeekIntervals(preferredTimes, menteeZone), mentorWeekIntervals(availability, mentorZone));
}

// ---------------------------------------------------------------------------------------------
// Score

export interface ScoreBreakdown {
  /** Σ MATCH_WEIGHTS[c] × components[c], rounded to 1 / SCORE_PRECISION. */
  score: number;
  /** Each component in 0..1, before weighting. */
  components: Record<ScoreComponent, number>;
  /** Request topics the mentor covers, in the request's order. */
  matchedTopics: string[];
  /** Weekly overlap in minutes (null when neutral: no preferred times or no mentor windows). */
  overlapMinutes: number | null;
  reasons: MatchReason[];
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Per-request data reused for every candidate. */
interface PreparedRequest {
  req: MatchRequest;
  topics: string[];
  menteeIntervals: Interval[];
}

function prepare(req: MatchRequest): PreparedRequest {
  return {
    req,
    topics: [...new Set(req.topics)],
    menteeIntervals: menteeWeekIntervals(req.preferredTimes, req.menteeTimezone),
  };
}

function breakdown(p: PreparedRequest, mentor: MentorCandidate): ScoreBreakdown {
  const { req } = p;
  const reasons: MatchReason[] = [];

  const competences = new Set(mentor.competences ?? []);
  const matchedTopics = p.topics.filter((t) => competences.has(t));
  const topics = p.topics.length === 0 ? NEUTRAL : matchedTopics.length / p.topics.length;
  if (matchedTopics.length > 0) reasons.push({ code: "topics", params: { codes: matchedTopics.join(","), count: matchedTopics.length } });

  const sameOrgFlag = idOf(mentor.organizationId) === req.organizationId;
  reasons.push(sameOrgFlag ? { code: "same_org", params: {} } : { code: "network", params: {} });

  let availability = NEUTRAL;
  let overlapMinutes: number | null = null;
  const windows = mentor.availability ?? [];
  if (p.menteeIntervals.length > 0 && windows.length > 0) {
    overlapMinutes = overlapOf(p.menteeIntervals, mentorWeekIntervals(windows, mentor.timezone || DEFAULT_TIMEZONE));
    availability = Math.min(1, overlapMinutes / AVAILABILITY_FULL_MINUTES);
    if (overlapMinutes > 0) reasons.push({ code: "availability", params: { hours: round1(overlapMinutes / 60) } });
  }

  const capacity = Number(mentor.capacity) || 0;
  const active = Number(mentor.activeMentees) || 0;
  const load = capacity > 0 ? clamp01(1 - active / capacity) : 0;

  const ratingCount = Number(mentor.ratingCount) || 0;
  let rating = NEUTRAL;
  if (ratingCount >= RATING_MIN_COUNT) {
    const avg = (Number(mentor.ratingSum) || 0) / ratingCount;
    rating = clamp01((avg - 1) / 4);
    if (avg >= 4) reasons.push({ code: "rating", params: { avg: round1(avg), n: ratingCount } });
  }

  const received = Number(mentor.offersReceived) || 0;
  let responsiveness = NEUTRAL;
  if (received > 0) {
    const answered = Number(mentor.offersAnswered) || 0;
    const timedOut = Number(mentor.offersTimedOut) || 0;
    responsiveness = clamp01((answered - TIMEOUT_PENALTY * timedOut) / received);
    if (received >= 3 && responsiveness >= 0.8) reasons.push({ code: "responsive", params: {} });
  }

  reasons.push({ code: "load", params: { free: Number(mentor.freeSlots) || 0, capacity } });

  const components: Record<ScoreComponent, number> = { topics, availability, sameOrg: sameOrgFlag ? 1 : 0, load, rating, responsiveness };
  let score = 0;
  for (const key of Object.keys(MATCH_WEIGHTS) as ScoreComponent[]) score += MATCH_WEIGHTS[key] * components[key];
  // Rounded so that equal sums reached in a different floating-point way tie (and the tie-break decides).
  score = Math.round(score * SCORE_PRECISION) / SCORE_PRECISION;
  return { score, components, matchedTopics, overlapMinutes, reasons };
}

/** The score of one mentor for a request, component by component (hard filters not applied). */
export function explainScore(req: MatchRequest, mentor: MentorCandidate): ScoreBreakdown {
  return breakdown(prepare(req), mentor);
}

/** Score desc, then free slots desc, then profile id asc. */
function compareRanked(a: { score: number; free: number; id: string }, b: { score: number; free: number; id: string }): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.free !== b.free) return b.free - a.free;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Ranks the candidates that pass the hard filters and returns the best `limit`. Topic tiering:
 * when the request names catalogue topics and at least `limit` eligible mentors cover one of them,
 * mentors who cover none are left out (they are only proposed when too few others exist). This
 * makes the database prefilter of findMatches exact.
 */
export function rankMentors(req: MatchRequest, candidates: readonly MentorCandidate[], now: Date, limit = 3): RankedMentor[] {
  if (!(limit > 0)) return [];
  const p = prepare(req);
  const eligible = candidates.filter((c) => hardFilterFailures(req, c, now).length === 0);
  let pool = eligible;
  if (p.topics.length > 0) {
    const topicSet = new Set(p.topics);
    const covering = eligible.filter((c) => (c.competences ?? []).some((t) => topicSet.has(t)));
    if (covering.length >= limit) pool = covering;
  }
  const scored = pool.map((c) => {
    const b = breakdown(p, c);
    const fits = req.reverse === true ? experienceFits(req, c) : true;
    if (req.reverse === true && fits && c.experienceYears != null && req.menteeExperienceYears != null) {
      b.reasons.unshift({ code: "reverse", params: { mentor: c.experienceYears, mentee: req.menteeExperienceYears } });
    }
    return { c, b, fits, score: b.score, free: Number(c.freeSlots) || 0, id: idOf(c.id) };
  });
  // Reverse requests: the younger colleagues (the inverted experience rule) first, then the score.
  scored.sort((a, b) => (a.fits === b.fits ? compareRanked(a, b) : a.fits ? -1 : 1));
  return scored.slice(0, limit).map((s) => ({ mentorId: s.id, userId: idOf(s.c.userId), score: s.score, reasons: s.b.reasons }));
}

// ---------------------------------------------------------------------------------------------
// Database

/** The MentorProfile fields matching reads. */
const CANDIDATE_PROJECTION = {
  _id: 1,
  userId: 1,
  organizationId: 1,
  competences: 1,
  capacity: 1,
  activeMentees: 1,
  freeSlots: 1,
  mode: 1,
  availability: 1,
  networkServing: 1,
  pausedUntil: 1,
  approved: 1,
  offersReceived: 1,
  offersAnswered: 1,
  offersTimedOut: 1,
  ratingSum: 1,
  ratingCount: 1,
  forms: 1,
  trainingsAttended: 1,
} as const;

/** The hard filters as one MentorProfile query (re-checked in code by rankMentors). */
export function candidateFilter(req: MatchRequest, now: Date): Record<string, unknown> {
  const orgScope: Record<string, unknown>[] = [{ organizationId: req.organizationId }];
  if (req.networkOrgIds.length > 0) orgScope.push({ organizationId: { $in: req.networkOrgIds }, networkServing: true });
  const filter: Record<string, unknown> = {
    approved: true,
    freeSlots: { $gt: 0 },
    $and: [{ $or: orgScope }, { $or: [{ pausedUntil: { $exists: false } }, { pausedUntil: null }, { pausedUntil: { $lte: now } }] }],
    userId: { $ne: req.menteeUserId },
  };
  if (req.mode !== "any") filter.mode = { $in: compatibleMentorModes(req.mode) };
  if (req.excludedMentorIds.length > 0) filter._id = { $nin: req.excludedMentorIds };
  if (req.reverse === true) filter.forms = "reverse";
  return filter;
}

/** A MentorProfile lean document, or its projected part. */
export interface CandidateDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  organizationId: Types.ObjectId;
  [key: string]: unknown;
}

async function loadCandidates(filter: Record<string, unknown>): Promise<CandidateDoc[]> {
  return (await MentorProfile.find(filter, CANDIDATE_PROJECTION).lean()) as unknown as CandidateDoc[];
}

export interface FindMatchesOptions {
  now: Date;
  limit?: number;
  /**
   * Query mentors covering a request topic first, and the full query only when that finds fewer
   * than `limit` (default false). Same result either way (see rankMentors' tiering). Off by
   * default: on FerretDB every query scans the whole collection, so the prefilter saved nothing
   * measurable at 3,000–10,000 mentors and cost a second scan whenever it fell back (most requests
   * in a small registry); on MongoDB with an index starting with `competences` it could pay.
   */
  topicPrefilter?: boolean;
}

/**
 * Ranked mentors for a request from the registry: the hard filters run in the database (one
 * query), the zones of the mentors' organizations come in one more query, ranking happens in code
 * (re-checking the hard filters). With `topicPrefilter`, mentors covering at least one topic are
 * queried first and the query without the topic condition runs only when there are fewer than
 * `limit` of them (rankMentors' tiering makes that give the same result).
 *
 * Cost: on MongoDB the `{approved, freeSlots, organizationId}` index serves the query. FerretDB
 * 1.24 with SQLite pushes only `_id` equality down, so there every call scans the whole
 * collection (about 0.2–0.4 ms per mentor on a 2-core machine; bench/matching.ts).
 */
export async function findMatches(req: MatchRequest, options: FindMatchesOptions): Promise<RankedMentor[]> {
  const limit = options.limit ?? 3;
  if (!(limit > 0)) return [];
  const base = candidateFilter(req, options.now);
  const topics = [...new Set(req.topics)];
  let docs: CandidateDoc[] | undefined;
  if (mentorRegistryCache.enabled) {
    // FerretDB: the in-process registry copy, pre-filtered cheaply (rankMentors re-checks everything).
    const own = req.organizationId;
    const network = new Set(req.networkOrgIds);
    const excluded = new Set(req.excludedMentorIds);
    docs = ((await mentorRegistryCache.all()) as unknown as CandidateDoc[]).filter((d) => {
      if (d.approved !== true || !(Number(d.freeSlots) > 0) || excluded.has(String(d._id)) || String(d.userId) === req.menteeUserId) return false;
      const org = String(d.organizationId);
      return org === own || (network.has(org) && d.networkServing === true);
    });
  }
  if (!docs && topics.length > 0 && options.topicPrefilter === true) {
    const covering = await loadCandidates({ ...base, competences: { $in: topics } });
    if (covering.length >= limit) docs = covering;
  }
  docs ??= await loadCandidates(base);
  if (docs.length === 0) return [];

  const orgIds = [...new Set(docs.map((d) => String(d.organizationId)))];
  const orgs = await organizationsByIds(orgIds);
  const candidates = docs.map((d) => {
    const org = orgs.get(String(d.organizationId));
    return toMentorCandidate(d, zoneOf(org), requiresTraining(org));
  });
  if (req.reverse === true) {
    // The inverted experience rule needs the mentors' experience: one read of their profiles.
    const eligible = candidates.filter((c) => (c.forms ?? []).includes("reverse"));
    const users = await User.find({ _id: { $in: eligible.map((c) => c.userId) } }, { profile: 1 }).lean();
    const years = new Map(users.map((u) => [u._id.toString(), u.profile?.experienceYears ?? null]));
    for (const c of eligible) c.experienceYears = years.get(c.userId) ?? null;
  }
  return rankMentors(req, candidates, options.now, limit);
}

/** An organization's zone as stored; the default for one not stored. */
const zoneOf = (org: OrganizationDoc | undefined): string => org?.timezone || DEFAULT_TIMEZONE;
/** Whether an organization requires a mentor training before matching (issue 16). */
const requiresTraining = (org: OrganizationDoc | undefined): boolean => org?.mentorTrainingRequired === true;

/** Each organization's zone (the default for one not stored), fresh as of the last write. */
export async function organizationZones(orgIds: string[]): Promise<Map<string, string>> {
  const orgs = await organizationsByIds(orgIds);
  return new Map(orgIds.map((id) => [id, zoneOf(orgs.get(id))]));
}

/**
 * Which of these organizations require a mentor training before matching (issue 16), fresh as of
 * the last write: a curator's switch applies to the very next request.
 */
export async function organizationsRequiringTraining(orgIds: string[]): Promise<Set<string>> {
  const orgs = await organizationsByIds(orgIds);
  return new Set(orgIds.filter((id) => requiresTraining(orgs.get(id))));
}

/** A MentorProfile lean document (or the projected part of it) as a candidate. */
export function toMentorCandidate(doc: CandidateDoc, timezone: string, trainingRequired = false): MentorCandidate {
  return {
    id: String(doc._id),
    userId: String(doc.userId),
    organizationId: String(doc.organizationId),
    timezone,
    competences: (doc.competences as string[] | undefined) ?? [],
    capacity: Number(doc.capacity ?? 0),
    activeMentees: Number(doc.activeMentees ?? 0),
    freeSlots: Number(doc.freeSlots ?? 0),
    mode: ((doc.mode as MatchMode | undefined) ?? "any") as MatchMode,
    availability: ((doc.availability as AvailabilityWindow[] | undefined) ?? []).map((w) => ({ weekday: w.weekday, startMin: w.startMin, endMin: w.endMin })),
    networkServing: doc.networkServing === true,
    pausedUntil: (doc.pausedUntil as Date | null | undefined) ?? null,
    approved: doc.approved === true,
    offersReceived: Number(doc.offersReceived ?? 0),
    offersAnswered: Number(doc.offersAnswered ?? 0),
    offersTimedOut: Number(doc.offersTimedOut ?? 0),
    ratingSum: Number(doc.ratingSum ?? 0),
    ratingCount: Number(doc.ratingCount ?? 0),
    forms: ((doc.forms as string[] | undefined) ?? []).map(String),
    trainingRequired,
    trainingsAttended: Number(doc.trainingsAttended ?? 0),
  };
}

/** What buildMatchRequest reads from a MentorshipRequest (hydrated or lean). */
export interface MatchRequestSource {
  _id: Types.ObjectId | string;
  menteeId: Types.ObjectId | string;
  organizationId: Types.ObjectId | string;
  topics?: Iterable<string> | null;
  mode: string;
  preferredTimes?: Iterable<{ weekday: number; part: string }> | null;
  excludedMentorIds?: Iterable<unknown> | null;
  reverse?: boolean | null;
}

const MODES: readonly string[] = ["in_person", "online", "any"];
const PARTS: readonly string[] = ["morning", "day", "evening"];

/**
 * Builds a MatchRequest from a MentorshipRequest: the mentee's organization gives the zone and its
 * networks; the members of those networks (other than the organization itself) are the network
 * scope.
 */
export async function buildMatchRequest(requestDoc: MatchRequestSource): Promise<MatchRequest> {
  const organizationId = String(requestDoc.organizationId);
  const org = await organizationById(organizationId);
  const networkIds = org?.networkIds ?? [];
  const networkOrgIds = (await networkMemberIds(networkIds)).filter((id) => id !== organizationId).sort();
  const zone = org?.timezone && IANAZone.isValidZone(org.timezone) ? org.timezone : DEFAULT_TIMEZONE;
  return {
    id: String(requestDoc._id),
    menteeUserId: String(requestDoc.menteeId),
    organizationId,
    networkOrgIds,
    topics: [...(requestDoc.topics ?? [])],
    mode: (MODES.includes(requestDoc.mode) ? requestDoc.mode : "any") as MatchMode,
    preferredTimes: Array.from(requestDoc.preferredTimes ?? [])
      .filter((t) => PARTS.includes(t.part))
      .map((t) => ({ weekday: t.weekday, part: t.part as DayPart })),
    menteeTimezone: zone,
    excludedMentorIds: Array.from(requestDoc.excludedMentorIds ?? [], (id) => String(id)),
    ...(requestDoc.reverse === true
      ? { reverse: true, menteeExperienceYears: (await User.findById(requestDoc.menteeId, { profile: 1 }).lean())?.profile?.experienceYears ?? null }
      : {}),
  };
}
