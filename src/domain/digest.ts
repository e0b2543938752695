import { DateTime } from "luxon";
import { Types } from "mongoose";
import {
  DigestPreference,
  Organization,
  User,
  type RequestStatus,
} from "../../models/index.ts";
import { eachYielding, limiter } from "../core/concurrency.ts";
import { findByKeys, findInScope, leanRows, readModels, READ_CONCURRENCY, scopeIds, wholeReadConcurrency, type Filter } from "../db/read-connection.ts";
import { isAdmin } from "./roles.ts";
import { registerErasureStep } from "./privacy.ts";

/**
 * The curator's digest (issue 7): what happened in a period in a scope (organizations), what is
 * open now, and the same numbers for the period before. Transport-free.
 *
 * Loading (FerretDB scans a whole collection for every filtered query): each collection is read
 * once per load with a projection, rows are grouped by organization in memory, and every
 * curator's digest is computed from the buckets of their organizations. Nothing is sampled.
 */

export const DAY_MS = 86_400_000;
/** An open request older than this is flagged. */
export const STALE_REQUEST_MS = 3 * DAY_MS;
/** An active pair without a held meeting for this long is a risk. */
export const QUIET_PAIR_MS = 30 * DAY_MS;
/** Weeks in the chart. */
export const OPEN_STATUSES: readonly RequestStatus[] = ["new", "offered", "escalated"];

type Id = Types.ObjectId;

export interface OrgRow {
  _id: Id;
  shortName: string;
  timezone: string;
  networkIds: Id[];
}
export interface RequestRow {
  _id: Id;
  organizationId: Id;
  menteeId: Id;
  topics: string[];
  otherTopic?: string;
  description?: string;
  kind: string;
  /** A request for reverse mentoring (issue 15). */
  reverse?: boolean;
  mode?: string;
  status: RequestStatus;
  history: Array<{ status: RequestStatus; at: Date }>;
  createdAt: Date;
  pairId?: Id;
  escalatedAt?: Date;
  /** How the deficits were identified (issue 16). */
  identifiedBy?: string;
}
export interface PairRow {
  _id: Id;
  requestId: Id;
  organizationId: Id;
  mentorId: Id;
  menteeId: Id;
  kind: string;
  status: "active" | "completed" | "terminated";
  formedBy: string;
  mentorConsentAt?: Date;
  menteeConsentAt?: Date;
  createdAt: Date;
  endedAt?: Date;
  endReason?: string;
  /** Reverse mentoring, and the counterpart of a mutual pair (issue 15). */
  reverse?: boolean;
  mutualPairId?: Id;
  /** Set on a participant's seat in a mentoring group (issue 15). */
  groupId?: Id;
}
/** A mentoring group (issue 15): its seats are pairs with its id. */
export interface GroupRow {
  _id: Id;
  organizationId: Id;
  mentorId: Id;
  coMentorId?: Id;
  title: string;
  topic?: string;
  ageGroup?: string;
  size: number;
  seatsTaken: number;
  memberIds: Id[];
  status: "active" | "completed" | "terminated";
  formedBy: string;
  createdAt: Date;
  endedAt?: Date;
}
export interface MeetingRow {
  _id: Id;
  kind: "pair" | "group";
  pairId?: Id;
  groupId?: Id;
  organizationId: Id;
  hostId: Id;
  participantIds: Id[];
  status: string;
  startAt?: Date;
  durationMin: number;
  topic?: string;
  mode: string;
  unlogged?: boolean;
  log?: { covered?: string; nextStep?: string; absentIds?: Id[] };
}
export interface OfferRow {
  /** Unset on offers stored before issue 12 and not yet given it (see `backfillOrganizationIds`). */
  organizationId?: Id;
  requestId: Id;
  mentorUserId: Id;
  status: string;
  deadlineAt: Date;
  answeredAt?: Date;
}
export interface AnswerRow {
  _id: Id;
  /** Unset on answers stored before issue 12 and not yet given it (see `backfillOrganizationIds`). */
  organizationId?: Id;
  meetingId: Id;
  respondentId?: Id;
  role: string;
  usefulness?: number;
  solved?: string;
  comment?: string;
  answeredAt: Date;
}
export interface RiskRow {
  organizationId: Id;
  /** Unset on an adaptation or satisfaction drop before any pair (issue 16), which names `userId`. */
  pairId?: Id;
  userId?: Id;
  kind: string;
  role?: string;
  score?: number;
  raisedAt: Date;
  resolvedAt?: Date;
}
export interface UserRow {
  _id: Id;
  organizationId?: Id;
  username?: string;
  profile?: { fullName?: string; position?: string; positionOther?: string; experienceYears?: number; qualificationCategory?: string; educationProfile?: string; birthYear?: number };
  roles: Array<{ role: string }>;
  registeredAt?: Date;
  unreachable?: boolean;
  erasedAt?: Date;
}
export interface MentorRow {
  _id: Id;
  userId: Id;
  organizationId: Id;
  competences: string[];
  capacity: number;
  activeMentees: number;
  forms: string[];
  mode?: string;
  networkServing?: boolean;
  pausedUntil?: Date;
  approved?: boolean;
  approvedAt?: Date;
  ratingSum?: number;
  ratingCount?: number;
  createdAt?: Date;
  achievements?: string;
  training?: string;
  positionYears?: number;
  trainingsAttended?: number;
  lastTrainingAt?: Date;
}
export interface ProgramRow {
  _id: Id;
  /** A pair's program; a group's has `groupId` instead (one program for all its participants). */
  pairId?: Id;
  groupId?: Id;
  organizationId: Id;
  mentorId: Id;
  menteeId?: Id;
  goal?: string;
  months?: number;
  startDate?: Date;
  endDate?: Date;
  roleModel?: string;
  form?: string;
  items: Array<{ status: string; title?: string; due?: Date; expected?: string }>;
  product?: string;
  products?: Array<{ kind: string; text?: string; url?: string; fileName?: string }>;
  status: string;
  approvedAt?: Date;
  endedAt?: Date;
  endReason?: string;
  outcome?: string;
  outcomeAt?: Date;
}
export interface FinalSurveyRow {
  organizationId: Id;
  pairId: Id;
  respondentId?: Id;
  changed?: string;
  role: string;
  satisfaction?: number;
  adaptation?: number;
  answeredAt: Date;
}
export interface SelfAssessmentRow {
  organizationId: Id;
  requestId: Id;
  phase: "start" | "end";
  scores: Array<{ topic: string; score: number }>;
  at: Date;
}
export interface PracticeRow {
  organizationId: Id;
  status: string;
  publishedAt?: Date;
}

/** Everything of one organization the digest, the report and the export read. */
export interface OrgBucket {
  org: OrgRow;
  requests: RequestRow[];
  pairs: PairRow[];
  meetings: MeetingRow[];
  offers: OfferRow[];
  answers: AnswerRow[];
  risks: RiskRow[];
  users: UserRow[];
  mentors: MentorRow[];
  programs: ProgramRow[];
  finalSurveys: FinalSurveyRow[];
  selfAssessments: SelfAssessmentRow[];
  practices: PracticeRow[];
  groups: GroupRow[];
  /**
   * When each pair last held a meeting (ms), for the quiet-pair flag: from every held meeting of
   * the pair, also one before a windowed load's window.
   */
  lastHeld: Map<string, number>;
}

export interface DigestData {
  loadedAt: Date;
  buckets: Map<string, OrgBucket>;
  /** Every person the rows point at (also outside the scope: a network mentor), by id. */
  people: Map<string, UserRow>;
  /** Every organization of the deployment (buckets exist only for the loaded scope). */
  orgs: Map<string, OrgRow>;
  /** Names of every network, by id (a network curator's view is titled with them). */
  networks: Map<string, string>;
  /**
   * The span of meetings (by start) and survey answers (by answer time) loaded; absent when all
   * of them were. Every other collection is always read whole within the scope.
   */
  window?: Window;
}

/** A span of time, `from` included, `to` not. */
export interface Window {
  from: Date;
  to: Date;
}

/** How far ahead the digest counts planned meetings. */
const WEEK_AHEAD_MS = 7 * DAY_MS;

/**
 * The meetings and survey answers the figures of `period` at `now` read (computeDigest and the
 * indicators): the period and the one of the same length before it, the quiet-pair look-back
 * (QUIET_PAIR_MS before now) and the week ahead. A digest loaded for this window costs what
 * the last weeks hold, not the years of history before them (issue 12).
 */
export function digestWindow(period: Period, now: Date): Window {
  const len = period.to.getTime() - period.from.getTime();
  return {
    from: new Date(Math.min(period.from.getTime() - len, now.getTime() - QUIET_PAIR_MS)),
    to: new Date(Math.max(period.to.getTime(), now.getTime() + WEEK_AHEAD_MS)),
  };
}

/** Whether data loaded for `loaded` (undefined: everything) holds all of `needed`. */
export function covers(loaded: Window | undefined, needed: Window): boolean {
  return !loaded || (loaded.from <= needed.from && loaded.to >= needed.to);
}

/** Throws unless `data` holds every meeting and answer of `needed`: a figure is never computed from part of its rows. */
export function assertCovers(data: DigestData, needed: Window, what: string): void {
  if (!covers(data.window, needed)) {
    throw new Error(`${what} needs meetings and answers from ${needed.from.toISOString()} to ${needed.to.toISOString()}; the data holds ${data.window?.from.toISOString()} to ${data.window?.to.toISOString()}`);
  }
}

function emptyBucket(org: OrgRow): OrgBucket {
  return { org, requests: [], pairs: [], meetings: [], offers: [], answers: [], risks: [], users: [], mentors: [], programs: [], finalSurveys: [], selfAssessments: [], practices: [], groups: [], lastHeld: new Map() };
}

/**
 * Reads the scope's data: `null` = the whole deployment (one scan per collection, no filter).
 * A scope is read by `organizationId` (see `findInScope`): one `$in` per collection where the
 * engine reads it by index (MongoDB, the project's FerretDB build on PostgreSQL), else one
 * equality query per organization and collection, a few at a time, merged here (stock FerretDB
 * pushes an equality down to its backend but never an `$in`). People are read by their
 * organization, plus those the rows name from elsewhere (a network mentor) by `_id`.
 *
 * With `window` (see digestWindow), meetings and survey answers are read only within it, by
 * their indexed `startAt` and `answeredAt` (a range the project's FerretDB build reads by index
 * too), and each active pair with no meeting held in the window gets its last held meeting by
 * `pairId`. Without it, everything: the export lists every meeting and answer.
 */
export async function loadDigestData(organizationIds: readonly string[] | null, now: Date, window?: Window): Promise<DigestData> {
  const ids = scopeIds(organizationIds);
  const m = readModels();
  const limit = limiter(ids ? READ_CONCURRENCY : wholeReadConcurrency());
  const read = <T,>(run: (filter: Filter) => Promise<T[]>, base: Filter = {}) => findInScope(ids, run, base, limit);
  const [requests, pairs, meetings, risks, users, mentors, programs, finalSurveys, selfAssessments, practices, groups, offers, answers, orgs, networks] = await Promise.all([
    read((f) => leanRows<RequestRow>(m.MentorshipRequest.find(f, { organizationId: 1, menteeId: 1, topics: 1, otherTopic: 1, description: 1, kind: 1, reverse: 1, mode: 1, status: 1, history: 1, createdAt: 1, pairId: 1, escalatedAt: 1, identifiedBy: 1 }))),
    read((f) => leanRows<PairRow>(m.Pair.find(f, { requestId: 1, organizationId: 1, mentorId: 1, menteeId: 1, kind: 1, status: 1, formedBy: 1, mentorConsentAt: 1, menteeConsentAt: 1, createdAt: 1, endedAt: 1, endReason: 1, reverse: 1, mutualPairId: 1, groupId: 1 }))),
    read(
      (f) => leanRows<MeetingRow>(m.Meeting.find(f, { kind: 1, pairId: 1, groupId: 1, organizationId: 1, hostId: 1, participantIds: 1, status: 1, startAt: 1, durationMin: 1, topic: 1, mode: 1, unlogged: 1, "log.covered": 1, "log.nextStep": 1, "log.absentIds": 1 })),
      window ? { startAt: { $gte: window.from, $lt: window.to } } : {},
    ),
    read((f) => leanRows<RiskRow>(m.RiskFlag.find(f, { organizationId: 1, pairId: 1, userId: 1, kind: 1, role: 1, score: 1, raisedAt: 1, resolvedAt: 1 }))),
    read((f) => leanRows<UserRow>(m.User.find(f, { organizationId: 1, username: 1, profile: 1, "roles.role": 1, registeredAt: 1, unreachable: 1, erasedAt: 1 }))),
    read((f) => leanRows<MentorRow>(m.MentorProfile.find(f, { userId: 1, organizationId: 1, competences: 1, capacity: 1, activeMentees: 1, forms: 1, mode: 1, networkServing: 1, pausedUntil: 1, approved: 1, approvedAt: 1, ratingSum: 1, ratingCount: 1, createdAt: 1, achievements: 1, training: 1, positionYears: 1, trainingsAttended: 1, lastTrainingAt: 1 }))),
    read((f) => leanRows<ProgramRow>(m.Program.find(f, { pairId: 1, groupId: 1, organizationId: 1, mentorId: 1, menteeId: 1, goal: 1, months: 1, startDate: 1, endDate: 1, roleModel: 1, form: 1, items: 1, product: 1, "products.kind": 1, "products.text": 1, "products.url": 1, "products.fileName": 1, status: 1, approvedAt: 1, endedAt: 1, endReason: 1, outcome: 1, outcomeAt: 1 }))),
    read((f) => leanRows<FinalSurveyRow>(m.FinalSurvey.find(f, { organizationId: 1, pairId: 1, respondentId: 1, changed: 1, role: 1, satisfaction: 1, adaptation: 1, answeredAt: 1 }))),
    read((f) => leanRows<SelfAssessmentRow>(m.SelfAssessment.find(f, { organizationId: 1, requestId: 1, phase: 1, scores: 1, at: 1 }))),
    read((f) => leanRows<PracticeRow>(m.BestPractice.find(f, { organizationId: 1, status: 1, publishedAt: 1 }))),
    read((f) => leanRows<GroupRow>(m.MentoringGroup.find(f, { organizationId: 1, mentorId: 1, coMentorId: 1, title: 1, topic: 1, ageGroup: 1, size: 1, seatsTaken: 1, memberIds: 1, status: 1, formedBy: 1, createdAt: 1, endedAt: 1 }))),
    // Timed-out offers and survey answers, by their own organization (stored since issue 12; older
    // ones are given it at connect), else through their request or meeting below.
    read((f) => leanRows<OfferRow>(m.Offer.find(f, { organizationId: 1, requestId: 1, mentorUserId: 1, status: 1, deadlineAt: 1, answeredAt: 1 })), { status: "timed_out" }),
    read(
      (f) => leanRows<AnswerRow>(m.SurveyAnswer.find(f, { organizationId: 1, meetingId: 1, respondentId: 1, role: 1, usefulness: 1, solved: 1, comment: 1, answeredAt: 1 })),
      window ? { answeredAt: { $gte: window.from, $lt: window.to } } : {},
    ),
    limit(() => leanRows<OrgRow>(m.Organization.find({}, { shortName: 1, timezone: 1, networkIds: 1 }))),
    limit(() => m.Network.find({}, { name: 1 }).lean<Array<{ _id: Id; name: string }>>()),
  ]);

  const buckets = new Map<string, OrgBucket>();
  const orgMap = new Map<string, OrgRow>();
  const wanted = organizationIds ? new Set(organizationIds) : undefined;
  for (const o of orgs) {
    if (!wanted || wanted.has(o._id.toString())) buckets.set(o._id.toString(), emptyBucket(o));
    orgMap.set(o._id.toString(), o);
  }
  const push = <K extends Exclude<keyof OrgBucket, "org" | "lastHeld">>(key: K, orgId: Id | undefined | null, row: OrgBucket[K][number]) => {
    if (!orgId) return;
    const b = buckets.get(orgId.toString());
    if (b) (b[key] as Array<typeof row>).push(row);
  };
  // Rows are grouped a few thousand at a time (eachYielding): a region's load holds 100,000 and more.
  const group = <K extends Exclude<keyof OrgBucket, "org" | "lastHeld" | "offers" | "answers" | "users">>(key: K, rows: OrgBucket[K]) =>
    eachYielding(rows as Array<OrgBucket[K][number]>, (row) => push(key, row.organizationId, row));
  const noteHeld = (mt: Pick<MeetingRow, "kind" | "pairId" | "status" | "startAt" | "organizationId">) => {
    if (mt.kind !== "pair" || !mt.pairId || mt.status !== "held" || !mt.startAt) return;
    const b = buckets.get(mt.organizationId.toString());
    if (!b) return;
    const k = mt.pairId.toString();
    b.lastHeld.set(k, Math.max(b.lastHeld.get(k) ?? 0, mt.startAt.getTime()));
  };
  await group("requests", requests);
  await group("pairs", pairs);
  await eachYielding(meetings, (mt) => {
    push("meetings", mt.organizationId, mt);
    noteHeld(mt);
  });
  if (window) {
    // Pairs with nothing held in the window: their last held meeting, however old (a quiet pair's days).
    const unseen = pairs.filter((p) => p.status === "active" && buckets.get(p.organizationId.toString())?.lastHeld.has(p._id.toString()) === false).map((p) => p._id);
    const held = await findByKeys("pairId", unseen, (f) => leanRows<MeetingRow>(m.Meeting.find(f, { kind: 1, pairId: 1, status: 1, startAt: 1, organizationId: 1 })), { status: "held" }, limit);
    for (const mt of held) noteHeld(mt);
  }
  // An offer or answer stored before it carried its organization (repaired once at connect) goes
  // by its request's or meeting's. The maps are made only then: 200,000 meetings' ids in a map
  // cost about a second that the event loop waited.
  const orgOf = (rows: Array<{ _id: Id; organizationId: Id }>, needed: boolean) => (needed ? new Map(rows.map((r) => [r._id.toString(), r.organizationId])) : new Map<string, Id>());
  const requestOrg = orgOf(requests, offers.some((o) => !o.organizationId));
  const meetingOrg = orgOf(meetings, answers.some((a) => !a.organizationId));
  await eachYielding(offers, (o) => push("offers", o.organizationId ?? requestOrg.get(o.requestId.toString()), o));
  await eachYielding(answers, (a) => push("answers", a.organizationId ?? meetingOrg.get(a.meetingId.toString()), a));
  await group("risks", risks);
  const people = new Map<string, UserRow>();
  await eachYielding(users, (u) => {
    people.set(u._id.toString(), u);
    if (u.registeredAt && !u.erasedAt) push("users", u.organizationId, u);
  });
  await group("mentors", mentors);
  await group("programs", programs);
  await group("finalSurveys", finalSurveys);
  await group("selfAssessments", selfAssessments);
  await group("practices", practices);
  await group("groups", groups);
  const data: DigestData = { loadedAt: now, buckets, people, orgs: orgMap, networks: new Map(networks.map((n) => [n._id.toString(), n.name])), ...(window ? { window } : {}) };
  if (ids) {
    // People the scope's rows name who belong elsewhere (a network mentor, someone who moved).
    const named: Array<Id | undefined | null> = [];
    for (const b of buckets.values()) {
      for (const r of b.requests) named.push(r.menteeId);
      for (const p of b.pairs) named.push(p.mentorId, p.menteeId);
      for (const mt of b.meetings) named.push(mt.hostId, ...(mt.participantIds ?? []), ...(mt.log?.absentIds ?? []));
      for (const o of b.offers) named.push(o.mentorUserId);
      for (const a of b.answers) named.push(a.respondentId);
      for (const r of b.risks) named.push(r.userId);
      for (const mp of b.mentors) named.push(mp.userId);
      for (const p of b.programs) named.push(p.mentorId, p.menteeId);
      for (const f of b.finalSurveys) named.push(f.respondentId);
      for (const g of b.groups) named.push(g.mentorId, g.coMentorId, ...(g.memberIds ?? []));
    }
    await ensurePeople(data, named);
  }
  return data;
}

/**
 * Adds to `data.people` the people among `userIds` not read yet (a scoped load reads only the
 * scope's own), by `_id` (see `findByKeys`).
 */
export async function ensurePeople(data: DigestData, userIds: Iterable<Id | string | undefined | null>): Promise<void> {
  const missing = new Map<string, Id>();
  for (const id of userIds) {
    if (!id) continue;
    const key = id.toString();
    if (!data.people.has(key) && !missing.has(key) && Types.ObjectId.isValid(key)) missing.set(key, new Types.ObjectId(key));
  }
  if (missing.size === 0) return;
  const { User: Users } = readModels();
  const projection = { organizationId: 1, username: 1, profile: 1, "roles.role": 1, registeredAt: 1, unreachable: 1, erasedAt: 1 };
  const rows = await findByKeys("_id", [...missing.values()], (f) => leanRows<UserRow>(Users.find(f, projection)));
  for (const u of rows) data.people.set(u._id.toString(), u);
}

export interface Period {
  from: Date;
  to: Date;
}

const inPeriod = (at: Date | undefined | null, p: Period) => at != null && at >= p.from && at < p.to;

/**
 * An open request waits for a mentor (counted and listed as unmatched) unless it is a quick
 * question still out with the mentors: that waits for an answer, not a pair. An unanswered
 * question escalates to the curators and is then counted like any escalated request.
 */
export function awaitsMentor(kind: string, status: RequestStatus): boolean {
  return kind !== "question" || status === "escalated";
}

/** The request's status at instant `t` (from its history), undefined if it did not exist yet. */
export function statusAt(r: RequestRow, t: Date): RequestStatus | undefined {
  if (r.createdAt >= t) return undefined;
  let status: RequestStatus | undefined;
  for (const h of r.history) if (h.at < t) status = h.status;
  return status ?? r.status;
}

/** When the request was first matched, if ever. */
export function matchedAt(r: RequestRow): Date | undefined {
  return r.history.find((h) => h.status === "matched")?.at;
}

/** Counts of events within one period. */
export interface PeriodCounts {
  newRequests: number;
  matched: number;
  held: number;
  missed: number;
  unlogged: number;
  cancelled: number;
  answers: number;
  usefulnessSum: number;
  lowAnswers: number;
  timedOutOffers: number;
  risksRaised: number;
  /** Quick questions asked, and answered by a mentor (not escalated), in the period. */
  questionsAsked: number;
  questionsAnswered: number;
}

/** Open state at an instant. */
export interface OpenCounts {
  unmatched: number;
  stale: number;
  escalated: number;
  activePairs: number;
  /** Quick questions waiting for a mentor's answer (not requests waiting for a mentor: see {@link awaitsMentor}). */
  questions: number;
}

export interface OpenRequestItem {
  requestId: string;
  organizationId: string;
  menteeId: string;
  status: RequestStatus;
  createdAt: Date;
  ageDays: number;
  stale: boolean;
  topics: string[];
}

export interface RiskItem {
  kind: "quiet_pair" | "timed_out" | "pulse_low" | "pulse_missed" | "unreachable" | "adaptation_drop" | "satisfaction_drop";
  organizationId: string;
  /** The people concerned (mentor first for pairs). */
  userIds: string[];
  /** Days since the last held meeting (quiet pairs), offers timed out (mentors), the score (pulse). */
  value?: number;
  at?: Date;
}

export interface MentorItem {
  userId: string;
  organizationId: string;
  activeMentees: number;
  capacity: number;
}

export interface OrgLine {
  organizationId: string;
  name: string;
  counts: PeriodCounts;
  open: OpenCounts;
  risks: number;
}

export interface DigestFigures {
  period: Period;
  previous: Period;
  now: Date;
  zone: string;
  counts: PeriodCounts;
  prevCounts: PeriodCounts;
  open: OpenCounts;
  prevOpen: OpenCounts;
  openRequests: OpenRequestItem[];
  /** Confirmed meetings in the next 7 days from now. */
  planned: number;
  risks: RiskItem[];
  atCapacity: MentorItem[];
  idle: MentorItem[];
  topTopics: Array<{ topic: string; count: number; previous: number }>;
  /** Held and missed meetings per bar of the chart over the period (see chartBuckets): `weekStart` is the bar's start. */
  weekly: Array<{ weekStart: Date; held: number; missed: number }>;
  chartUnit: "day" | "week";
  byOrganization: OrgLine[];
  organizations: number;
  /** Active reverse pairs, and active mutual pairs (each linked couple once), now (issue 15). */
  reversePairs: number;
  mutualPairs: number;
  groups: GroupFigures;
}

/** Mentoring groups of the scope (issue 15): active at the end of the period, their participants, group meetings held in the period and who came. */
export interface GroupFigures {
  active: number;
  participants: number;
  circles: number;
  held: number;
  present: number;
  expected: number;
}

export function groupFigures(b: OrgBucket, p: Period, at: Date): GroupFigures {
  const f: GroupFigures = { active: 0, participants: 0, circles: 0, held: 0, present: 0, expected: 0 };
  for (const g of b.groups) {
    if (g.createdAt >= at || (g.endedAt && g.endedAt < at) || (g.status !== "active" && !g.endedAt)) continue;
    f.active++;
    if (g.ageGroup) f.circles++;
  }
  for (const s of b.pairs) if (s.groupId && s.createdAt < at && (!s.endedAt || s.endedAt >= at) && (s.status === "active" || s.endedAt)) f.participants++;
  for (const m of b.meetings) {
    if (!m.groupId || m.status !== "held" || !inPeriod(m.startAt, p)) continue;
    f.held++;
    f.expected += m.participantIds.length;
    f.present += m.participantIds.length - (m.log?.absentIds?.length ?? 0);
  }
  return f;
}

function zeroCounts(): PeriodCounts {
  return { newRequests: 0, matched: 0, held: 0, missed: 0, unlogged: 0, cancelled: 0, answers: 0, usefulnessSum: 0, lowAnswers: 0, timedOutOffers: 0, risksRaised: 0, questionsAsked: 0, questionsAnswered: 0 };
}

function addCounts(into: PeriodCounts, c: PeriodCounts): void {
  for (const k of Object.keys(into) as Array<keyof PeriodCounts>) into[k] += c[k];
}

/** The meeting's start, when its outcome falls in the period's accounting. */
function meetingOutcome(m: MeetingRow): "held" | "missed" | "unlogged" | "cancelled" | "planned" | undefined {
  if (m.status === "held") return "held";
  if (m.status === "missed") return "missed";
  if (m.status === "cancelled") return "cancelled";
  if (m.status === "confirmed") return m.unlogged ? "unlogged" : "planned";
  return undefined;
}

export function periodCounts(b: OrgBucket, p: Period): PeriodCounts {
  const c = zeroCounts();
  for (const r of b.requests) {
    if (inPeriod(r.createdAt, p)) c.newRequests++;
    if (inPeriod(matchedAt(r), p)) c.matched++;
    if (r.kind !== "question") continue;
    if (inPeriod(r.createdAt, p)) c.questionsAsked++;
    if (!r.history.some((h) => h.status === "escalated") && inPeriod(r.history.find((h) => h.status === "closed")?.at, p)) c.questionsAnswered++;
  }
  for (const m of b.meetings) {
    if (!inPeriod(m.startAt, p)) continue;
    const o = meetingOutcome(m);
    if (o === "held") c.held++;
    else if (o === "missed") c.missed++;
    else if (o === "unlogged") c.unlogged++;
    else if (o === "cancelled") c.cancelled++;
  }
  for (const a of b.answers) {
    if (a.usefulness == null || !inPeriod(a.answeredAt, p)) continue;
    c.answers++;
    c.usefulnessSum += a.usefulness;
    if (a.usefulness <= 2) c.lowAnswers++;
  }
  for (const o of b.offers) if (o.status === "timed_out" && inPeriod(o.answeredAt ?? o.deadlineAt, p)) c.timedOutOffers++;
  for (const r of b.risks) if (inPeriod(r.raisedAt, p)) c.risksRaised++;
  return c;
}

export function openCounts(b: OrgBucket, at: Date): OpenCounts {
  const c: OpenCounts = { unmatched: 0, stale: 0, escalated: 0, activePairs: 0, questions: 0 };
  for (const r of b.requests) {
    const s = statusAt(r, at);
    if (!s || !OPEN_STATUSES.includes(s)) continue;
    if (!awaitsMentor(r.kind, s)) {
      c.questions++;
      continue;
    }
    c.unmatched++;
    if (at.getTime() - r.createdAt.getTime() > STALE_REQUEST_MS) c.stale++;
    if (s === "escalated") c.escalated++;
  }
  // A group seat is counted with its group (GroupFigures), not as a pair.
  for (const p of b.pairs) if (!p.groupId && p.createdAt < at && (!p.endedAt || p.endedAt >= at) && (p.status === "active" || p.endedAt)) c.activePairs++;
  return c;
}

function risksOf(b: OrgBucket, period: Period, now: Date): RiskItem[] {
  const org = b.org._id.toString();
  const out: RiskItem[] = [];
  for (const p of b.pairs) {
    if (p.status !== "active") continue;
    const last = b.lastHeld.get(p._id.toString()) ?? p.createdAt.getTime();
    if (now.getTime() - last > QUIET_PAIR_MS) {
      out.push({ kind: "quiet_pair", organizationId: org, userIds: [p.mentorId.toString(), p.menteeId.toString()], value: Math.floor((now.getTime() - last) / DAY_MS) });
    }
  }
  const timedOut = new Map<string, number>();
  for (const o of b.offers) if (o.status === "timed_out" && inPeriod(o.answeredAt ?? o.deadlineAt, period)) timedOut.set(o.mentorUserId.toString(), (timedOut.get(o.mentorUserId.toString()) ?? 0) + 1);
  for (const [mentor, n] of timedOut) out.push({ kind: "timed_out", organizationId: org, userIds: [mentor], value: n });
  const pairById = new Map(b.pairs.map((p) => [p._id.toString(), p]));
  for (const r of b.risks) {
    if (r.resolvedAt) continue;
    const pair = r.pairId ? pairById.get(r.pairId.toString()) : undefined;
    const drop = r.kind === "adaptation_drop" || r.kind === "satisfaction_drop";
    out.push({
      kind: drop ? (r.kind as "adaptation_drop" | "satisfaction_drop") : r.kind === "pulse_missed" ? "pulse_missed" : "pulse_low",
      organizationId: org,
      userIds: drop && r.userId ? [r.userId.toString()] : pair ? [pair.mentorId.toString(), pair.menteeId.toString()] : [],
      ...(r.score != null ? { value: r.score } : {}),
      at: r.raisedAt,
    });
  }
  for (const u of b.users) if (u.unreachable && !u.erasedAt) out.push({ kind: "unreachable", organizationId: org, userIds: [u._id.toString()] });
  return out;
}

/**
 * Bars of the chart over the period itself (the report's window): a bar per day for a period of up
 * to 14 days, else per week (Monday 00:00 in `zone`); the first bar starts with the period.
 */
export function chartBuckets(period: Period, zone: string): { unit: "day" | "week"; starts: Date[] } {
  const unit = period.to.getTime() - period.from.getTime() <= 14 * DAY_MS ? "day" : "week";
  const starts = [period.from];
  for (let next = DateTime.fromJSDate(period.from, { zone }).startOf(unit).plus({ [`${unit}s`]: 1 }); next.toMillis() < period.to.getTime(); next = next.plus({ [`${unit}s`]: 1 })) {
    starts.push(next.toJSDate());
  }
  return { unit, starts };
}

export interface DigestOptions {
  period: Period;
  now: Date;
  zone: string;
}

/** The digest of the organizations `scope` (ids present in `data`), for `period` against the period of the same length before it. */
export function computeDigest(data: DigestData, scope: readonly string[] | null, opts: DigestOptions): DigestFigures {
  const { period, now, zone } = opts;
  assertCovers(data, digestWindow(period, now), "the digest");
  const len = period.to.getTime() - period.from.getTime();
  const previous = { from: new Date(period.from.getTime() - len), to: period.from };
  const buckets = (scope ?? [...data.buckets.keys()]).map((id) => data.buckets.get(id)).filter((b): b is OrgBucket => b !== undefined);
  const counts = zeroCounts();
  const prevCounts = zeroCounts();
  const open: OpenCounts = { unmatched: 0, stale: 0, escalated: 0, activePairs: 0, questions: 0 };
  const prevOpen: OpenCounts = { unmatched: 0, stale: 0, escalated: 0, activePairs: 0, questions: 0 };
  const openRequests: OpenRequestItem[] = [];
  const risks: RiskItem[] = [];
  const atCapacity: MentorItem[] = [];
  const idle: MentorItem[] = [];
  const topics = new Map<string, { count: number; previous: number }>();
  const { unit: chartUnit, starts: weeks } = chartBuckets(period, zone);
  const weekly = weeks.map((weekStart) => ({ weekStart, held: 0, missed: 0 }));
  const chartFrom = period.from;
  const chartTo = period.to;
  const byOrganization: OrgLine[] = [];
  const groups: GroupFigures = { active: 0, participants: 0, circles: 0, held: 0, present: 0, expected: 0 };
  let planned = 0;
  const weekAhead = now.getTime() + WEEK_AHEAD_MS;

  for (const b of buckets) {
    const orgId = b.org._id.toString();
    const c = periodCounts(b, period);
    addCounts(counts, c);
    addCounts(prevCounts, periodCounts(b, previous));
    // The state at the period's end (now, for a period that has not ended) against its start.
    const o = openCounts(b, period.to.getTime() <= now.getTime() ? period.to : new Date(now.getTime() + 1));
    const po = openCounts(b, previous.to);
    for (const k of Object.keys(open) as Array<keyof OpenCounts>) {
      open[k] += o[k];
      prevOpen[k] += po[k];
    }
    for (const r of b.requests) {
      if (!OPEN_STATUSES.includes(r.status) || !awaitsMentor(r.kind, r.status) || r.createdAt > now) continue;
      const ageMs = now.getTime() - r.createdAt.getTime();
      openRequests.push({
        requestId: r._id.toString(),
        organizationId: orgId,
        menteeId: r.menteeId.toString(),
        status: r.status,
        createdAt: r.createdAt,
        ageDays: Math.floor(ageMs / DAY_MS),
        stale: ageMs > STALE_REQUEST_MS,
        topics: r.topics,
      });
    }
    for (const r of b.requests) {
      const cur = inPeriod(r.createdAt, period);
      const prev = inPeriod(r.createdAt, previous);
      if (!cur && !prev) continue;
      for (const t of r.topics) {
        const e = topics.get(t) ?? { count: 0, previous: 0 };
        if (cur) e.count++;
        else e.previous++;
        topics.set(t, e);
      }
    }
    for (const m of b.meetings) {
      if (m.status === "confirmed" && !m.unlogged && m.startAt && m.startAt.getTime() >= now.getTime() && m.startAt.getTime() < weekAhead) planned++;
      if (!m.startAt || m.startAt < chartFrom || m.startAt >= chartTo || (m.status !== "held" && m.status !== "missed")) continue;
      let i = weeks.length - 1;
      while (i > 0 && m.startAt < (weeks[i] as Date)) i--;
      const w = weekly[i] as { held: number; missed: number };
      if (m.status === "held") w.held++;
      else w.missed++;
    }
    const gf = groupFigures(b, period, period.to.getTime() < now.getTime() ? period.to : now);
    for (const k of Object.keys(groups) as Array<keyof GroupFigures>) groups[k] += gf[k];
    const orgRisks = risksOf(b, period, now);
    risks.push(...orgRisks);
    for (const m of b.mentors) {
      if (!m.approved) continue;
      const item = { userId: m.userId.toString(), organizationId: orgId, activeMentees: m.activeMentees, capacity: m.capacity };
      if (m.activeMentees >= m.capacity) atCapacity.push(item);
      else if (m.activeMentees === 0 && !(m.pausedUntil && m.pausedUntil > now)) idle.push(item);
    }
    byOrganization.push({ organizationId: orgId, name: b.org.shortName, counts: c, open: o, risks: orgRisks.length });
  }
  openRequests.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.requestId.localeCompare(b.requestId));
  const topTopics = [...topics.entries()]
    .filter(([, v]) => v.count > 0)
    .map(([topic, v]) => ({ topic, ...v }))
    .sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic))
    .slice(0, 5);
  byOrganization.sort((a, b) => activity(b) - activity(a) || a.name.localeCompare(b.name));
  const active = buckets.flatMap((b) => b.pairs.filter((p) => p.status === "active"));
  const reversePairs = active.filter((p) => p.reverse === true).length;
  const mutualPairs = new Set(active.filter((p) => p.mutualPairId).map((p) => [p._id.toString(), String(p.mutualPairId)].sort().join(":"))).size;
  return { period, previous, now, zone, counts, prevCounts, open, prevOpen, openRequests, planned, risks, atCapacity, idle, topTopics, weekly, chartUnit, byOrganization, organizations: buckets.length, reversePairs, mutualPairs, groups };
}

function activity(l: OrgLine): number {
  return l.counts.newRequests + l.counts.matched + l.counts.held + l.counts.missed + l.counts.unlogged + l.open.unmatched + l.risks;
}

/** Key figures of one kindergarten now, for a network's per-kindergarten lines (/export). */
export interface KindergartenFigures {
  organizationId: string;
  name: string;
  mentees: number;
  /** Approved mentors of the registry. */
  mentors: number;
  activePairs: number;
  openRequests: number;
}

/** One line of key figures per kindergarten of the scope, by name. */
export function kindergartenFigures(data: DigestData, scope: readonly string[], now: Date): KindergartenFigures[] {
  const out: KindergartenFigures[] = [];
  for (const id of scope) {
    const b = data.buckets.get(id);
    if (!b) continue;
    const open = openCounts(b, now);
    out.push({
      organizationId: id,
      name: b.org.shortName,
      mentees: b.users.filter((u) => u.roles.some((r) => r.role === "mentee")).length,
      mentors: b.mentors.filter((m) => m.approved).length,
      activePairs: open.activePairs,
      openRequests: open.unmatched,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, "ru"));
}

/** Nothing happened and nothing is open: the digest says so in one line. */
export function isQuiet(f: DigestFigures): boolean {
  const c = f.counts;
  return (
    c.newRequests + c.matched + c.held + c.missed + c.unlogged + c.cancelled + c.answers + c.timedOutOffers + c.risksRaised + c.questionsAsked === 0 &&
    f.open.unmatched + f.open.questions === 0 &&
    f.risks.length === 0 &&
    f.planned === 0
  );
}

/**
 * Organizations whose people a curator may see by name: the organizations they curate directly
 * with every organization sharing a network with those, plus the members of the networks they
 * curate — never the other networks of those members. `null` (an admin): everyone.
 */
export function visibleOrganizations(data: DigestData, direct: readonly string[] | null, networks: readonly string[] = []): Set<string> {
  if (!direct) return new Set(data.orgs.keys());
  const out = new Set(direct);
  const viaDirect = new Set<string>();
  for (const id of direct) for (const n of data.orgs.get(id)?.networkIds ?? []) viaDirect.add(n.toString());
  const curated = new Set(networks);
  for (const [id, o] of data.orgs) {
    if (o.networkIds.some((n) => viaDirect.has(n.toString()) || curated.has(n.toString()))) out.add(id);
  }
  return out;
}

/** The organizations named in a view: the given set, else the scope itself, else (an admin) all. */
export function namedOrganizations(data: DigestData, scope: readonly string[] | null, visible?: Set<string>): Set<string> {
  return visible ?? (scope ? new Set(scope) : visibleOrganizations(data, null));
}

/** The organizations a recipient may see by name (see {@link visibleOrganizations}). */
export function visibleFor(data: DigestData, r: Pick<DigestRecipient, "scope" | "direct" | "networks">): Set<string> {
  return r.scope ? visibleOrganizations(data, r.direct, r.networks) : visibleOrganizations(data, null);
}

/** How a person is named to a viewer: erased → "deleted", outside the visible organizations → "other organization". */
export function personName(data: DigestData, visible: Set<string>, userId: Id | string | undefined | null, labels: { erased: string; hidden: string }): string {
  if (!userId) return labels.erased;
  const u = data.people.get(userId.toString());
  if (!u || u.erasedAt) return labels.erased;
  if (!u.organizationId || !visible.has(u.organizationId.toString())) return labels.hidden;
  return u.profile?.fullName ?? "—";
}

// ---- periods ----

export type PeriodKind = "week" | "last_week" | "last_4_weeks" | "this_month" | "last_month";
export const PERIOD_KINDS: readonly PeriodKind[] = ["week", "last_week", "last_4_weeks", "this_month", "last_month"];

/**
 * Periods in the zone: "week" = the 7 days ending at today's local midnight (the weekly digest:
 * on a Monday that is last Monday–Sunday); "last_week" = the previous calendar week Mon–Sun;
 * "last_4_weeks" = 28 days ending at today's midnight; "this_month" = from the 1st to now;
 * "last_month" = the previous calendar month.
 */
export function periodOf(kind: PeriodKind, now: Date, zone: string): Period {
  const local = DateTime.fromJSDate(now, { zone });
  const today = local.startOf("day");
  switch (kind) {
    case "week":
      return { from: today.minus({ days: 7 }).toJSDate(), to: today.toJSDate() };
    case "last_week": {
      const start = local.startOf("week");
      return { from: start.minus({ weeks: 1 }).toJSDate(), to: start.toJSDate() };
    }
    case "last_4_weeks":
      return { from: today.minus({ days: 28 }).toJSDate(), to: today.toJSDate() };
    case "this_month":
      return { from: local.startOf("month").toJSDate(), to: now };
    case "last_month": {
      const start = local.startOf("month");
      return { from: start.minus({ months: 1 }).toJSDate(), to: start.toJSDate() };
    }
  }
}

/**
 * The on-demand digest's period: the 7 days up to this moment. Its open counts are then taken at
 * the same moment as its lists (issue 11: a period ending at midnight showed "waiting: 0" above a
 * request listed as waiting, and "active pairs: 0" on the day a pair formed).
 */
export function rollingWeek(now: Date): Period {
  // Up to and including this instant: what was done by the tap that asked for it counts.
  return { from: new Date(now.getTime() + 1 - 7 * DAY_MS), to: new Date(now.getTime() + 1) };
}

/** Custom dates `dd.mm.yyyy dd.mm.yyyy` (inclusive, local days) or ISO `yyyy-mm-dd`; undefined when invalid or longer than a year. */
export function customPeriod(text: string, zone: string): Period | undefined {
  const parts = text.trim().split(/\s+|\s*[–—-]\s*(?=\d{1,2}\.|\d{4}-)/).filter(Boolean);
  if (parts.length !== 2) return undefined;
  const parse = (s: string) => {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? DateTime.fromISO(s, { zone }) : DateTime.fromFormat(s, "d.M.yyyy", { zone });
    return d.isValid ? d.startOf("day") : undefined;
  };
  const a = parse(parts[0] as string);
  const b = parse(parts[1] as string);
  if (!a || !b || b < a || b.diff(a, "days").days > 366) return undefined;
  return { from: a.toJSDate(), to: b.plus({ days: 1 }).toJSDate() };
}

// ---- who gets what ----

export interface DigestRecipient {
  userId: string;
  telegramId: number;
  locale: string;
  /** null = the whole deployment (admins). */
  scope: string[] | null;
  /** Organizations curated through an organization role, and networks curated through a network role (for who is named). */
  direct: string[];
  networks: string[];
  zone: string;
  admin: boolean;
}

export const DEFAULT_ZONE = "Europe/Moscow";

/**
 * Whether a recipient's scope covers an organization now (a drill-down button names one; the
 * button is never the authority): a curator's scope as just re-read, or any existing organization
 * for an admin.
 */
export async function recipientCovers(r: Pick<DigestRecipient, "scope">, organizationId: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(organizationId)) return false;
  return r.scope ? r.scope.includes(organizationId) : Boolean(await Organization.exists({ _id: organizationId }));
}

/**
 * Everyone who gets a digest (or only `userId`): curators and admins (by role or `ADMIN_IDS`),
 * registered and not erased, each with their scope and zone. Scopes follow the rule of
 * `curatorOrganizationIds` in roles.ts (organization roles plus every member of the curator's
 * networks), resolved in memory from one read of the organizations instead of a query per curator.
 */
export async function digestRecipients(adminIds: readonly number[], userId?: string): Promise<DigestRecipient[]> {
  if (userId !== undefined && !Types.ObjectId.isValid(userId)) return [];
  const users = await User.find(
    {
      ...(userId ? { _id: new Types.ObjectId(userId) } : {}),
      $or: [{ "roles.role": { $in: ["curator", "admin"] } }, { telegramId: { $in: [...adminIds] } }],
      erasedAt: { $exists: false },
      registeredAt: { $exists: true },
    },
    { telegramId: 1, locale: 1, roles: 1, organizationId: 1, registeredAt: 1, erasedAt: 1 },
  ).lean();
  const orgs = await Organization.find({}, { timezone: 1, networkIds: 1 }).lean();
  const zoneById = new Map(orgs.map((o) => [o._id.toString(), o.timezone]));
  const out: DigestRecipient[] = [];
  for (const u of users) {
    if (u.telegramId == null) continue;
    const admin = isAdmin(u, adminIds);
    let scope: string[] | null = null;
    const direct = u.roles.filter((r) => r.role === "curator" && r.organizationId).map((r) => r.organizationId!.toString());
    const nets = new Set(u.roles.filter((r) => r.role === "curator" && r.networkId).map((r) => r.networkId!.toString()));
    if (!admin) {
      const members = orgs.filter((o) => o.networkIds.some((n) => nets.has(n.toString()))).map((o) => o._id.toString());
      scope = [...new Set([...direct, ...members])];
      if (scope.length === 0) continue;
    }
    const zoneOrg = [u.organizationId?.toString(), ...(scope ?? [])].find((id) => id && zoneById.has(id));
    out.push({
      userId: u._id.toString(),
      telegramId: u.telegramId,
      locale: u.locale ?? "ru",
      scope,
      direct,
      networks: [...nets],
      zone: (zoneOrg && zoneById.get(zoneOrg)) || DEFAULT_ZONE,
      admin,
    });
  }
  return out;
}

/** Erasure: the person's digest settings go (they hold nothing else). */
registerErasureStep("digest", async (userId) => {
  const res = await DigestPreference.deleteMany({ userId });
  return { counts: { digestPreferences: res.deletedCount }, notify: [] };
});
