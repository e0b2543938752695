import { Types } from "mongoose";
import type { RequestStatus } from "../../models/index.ts";
import { eachYielding, limiter } from "../core/concurrency.ts";
import { engine } from "../db/engine.ts";
import { findAnyOf, findByKeys, findInScope, leanRows, readModels, READ_CONCURRENCY, scopeIds, wholeReadConcurrency, type Filter } from "../db/read-connection.ts";
import type { DigestRecipient } from "./digest-recipients.ts";

/**
 * The curator's digest (issue 7): what happened in a period in a scope (organizations), what is
 * open now, and the same numbers for the period before. Transport-free. This file reads the rows
 * (and says who may be named); the figures are digest-figures.ts, the periods digest-periods.ts,
 * who gets a digest digest-recipients.ts.
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
  /** When it last met (see models/pair.ts). */
  lastHeldAt?: Date;
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
/**
 * What the figures take of a meeting. A load with a window (a digest, a report) reads only these
 * fields, and `participantIds` and `log` only of a held group meeting (its attendance); a load
 * without one (the export) reads every field of {@link ExportMeetingRow}.
 */
export interface MeetingRow {
  _id: Id;
  groupId?: Id;
  organizationId: Id;
  status: string;
  startAt?: Date;
  unlogged?: boolean;
  participantIds?: Id[];
  log?: { covered?: string; nextStep?: string; absentIds?: Id[] };
}
/** A held group meeting's seats and those who came (its participants less the ones the host marked absent). */
export function attendance(m: MeetingRow): { expected: number; present: number } {
  const expected = m.participantIds?.length ?? 0;
  return { expected, present: expected - (m.log?.absentIds?.length ?? 0) };
}
/** A meeting as a load without a window holds it (the export lists it whole). */
export interface ExportMeetingRow extends MeetingRow {
  kind: "pair" | "group";
  pairId?: Id;
  hostId: Id;
  participantIds: Id[];
  durationMin?: number;
  topic?: string;
  mode?: string;
}
export interface OfferRow {
  _id: Id;
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
  _id: Id;
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
  /**
   * From here to `to`, only confirmed meetings are read (the week ahead's planned ones): what
   * else lies after the period counts in no figure.
   */
  aheadFrom?: Date;
}

/** How far ahead the digest counts planned meetings. */
export const WEEK_AHEAD_MS = 7 * DAY_MS;

/**
 * The meetings and survey answers the figures of `period` at `now` read (computeDigest and the
 * indicators): the period and the one of the same length before it; of the week ahead, the
 * confirmed meetings only (`aheadFrom`). When a pair last met (a quiet pair's days, however long
 * ago) is the pair's own `lastHeldAt`. A digest loaded for this window costs what the last
 * weeks hold, not the years of history before them (issue 12); a region's rolling week reads
 * 31,000 meetings and the week ahead's 2,600 confirmed ones instead of the 82,000 of the whole 37
 * days.
 */
export function digestWindow(period: Period, now: Date): Window {
  const len = period.to.getTime() - period.from.getTime();
  const from = period.from.getTime() - len;
  const to = Math.max(period.to.getTime(), now.getTime() + WEEK_AHEAD_MS);
  const aheadFrom = Math.max(period.to.getTime(), now.getTime());
  return {
    from: new Date(from),
    to: new Date(to),
    ...(aheadFrom < to ? { aheadFrom: new Date(aheadFrom) } : {}),
  };
}

/** Whether data loaded for `loaded` (undefined: everything) holds all of `needed`. */
export function covers(loaded: Window | undefined, needed: Window): boolean {
  return (
    !loaded ||
    (loaded.from <= needed.from &&
      loaded.to >= needed.to &&
      (loaded.aheadFrom ?? loaded.to) >= (needed.aheadFrom ?? needed.to))
  );
}

/** Throws unless `data` holds every meeting and answer of `needed`: a figure is never computed from part of its rows. */
export function assertCovers(data: DigestData, needed: Window, what: string): void {
  if (!covers(data.window, needed)) {
    throw new Error(`${what} needs meetings and answers from ${needed.from.toISOString()} to ${needed.to.toISOString()}; the data holds ${data.window?.from.toISOString()} to ${data.window?.to.toISOString()}`);
  }
}

/**
 * What the figures take of a meeting in a window: top-level fields only, which FerretDB's build
 * takes without copying the document (.ci/ferretdb/sjson-scan.patch), and only the few the counts
 * need. A held group meeting's attendance (`ATTENDANCE_PROJECTION`) is read after, by `_id`: the
 * window's 31,000 meetings of a region took 0.64–0.73 s so against 1.1–1.4 s with every field
 * the figures once read (the ids, the log), whose decoding FerretDB pays per field and row.
 */
const WINDOW_MEETING_PROJECTION = { groupId: 1, organizationId: 1, status: 1, startAt: 1, unlogged: 1 };
const ATTENDANCE_PROJECTION = { participantIds: 1, log: 1 };
/**
 * What the figures and the export take of a person: `roles` whole, not `"roles.role"`, since the
 * project's FerretDB build decodes only the fields of a projection of top-level fields
 * (.ci/ferretdb/sjson-wanted-fields.patch) and the whole document for any other.
 */
const USER_PROJECTION = { organizationId: 1, username: 1, profile: 1, roles: 1, registeredAt: 1, unreachable: 1, erasedAt: 1 };
const RISK_PROJECTION = { organizationId: 1, pairId: 1, userId: 1, kind: 1, role: 1, score: 1, raisedAt: 1, resolvedAt: 1 };
const OFFER_PROJECTION = { organizationId: 1, requestId: 1, mentorUserId: 1, status: 1, deadlineAt: 1, answeredAt: 1 };
const PROGRAM_PROJECTION = { pairId: 1, groupId: 1, organizationId: 1, mentorId: 1, menteeId: 1, goal: 1, months: 1, startDate: 1, endDate: 1, roleModel: 1, form: 1, items: 1, product: 1, "products.kind": 1, "products.text": 1, "products.url": 1, "products.fileName": 1, status: 1, approvedAt: 1, endedAt: 1, endReason: 1, outcome: 1, outcomeAt: 1 };
const SELF_ASSESSMENT_PROJECTION = { organizationId: 1, requestId: 1, phase: 1, scores: 1, at: 1 };
const GROUP_PROJECTION = { organizationId: 1, mentorId: 1, coMentorId: 1, title: 1, topic: 1, ageGroup: 1, size: 1, seatsTaken: 1, memberIds: 1, status: 1, formedBy: 1, createdAt: 1, endedAt: 1 };
/** What the figures and the export take of a pair. */
const PAIR_PROJECTION = { requestId: 1, organizationId: 1, mentorId: 1, menteeId: 1, kind: 1, status: 1, formedBy: 1, mentorConsentAt: 1, menteeConsentAt: 1, createdAt: 1, endedAt: 1, endReason: 1, reverse: 1, mutualPairId: 1, groupId: 1, lastHeldAt: 1 };
/** And the export's list of meetings. */
const MEETING_PROJECTION = { ...WINDOW_MEETING_PROJECTION, ...ATTENDANCE_PROJECTION, kind: 1, pairId: 1, hostId: 1, durationMin: 1, topic: 1, mode: 1 };
/** What the figures take of a request; the export also lists what was asked, and how. */
const WINDOW_REQUEST_PROJECTION = { organizationId: 1, menteeId: 1, topics: 1, kind: 1, status: 1, history: 1, createdAt: 1 };
const REQUEST_PROJECTION = { ...WINDOW_REQUEST_PROJECTION, otherTopic: 1, description: 1, reverse: 1, mode: 1, pairId: 1, escalatedAt: 1, identifiedBy: 1 };

/** A bucket's meetings whole, as a load without a window holds them (the export's); throws for a windowed load. */
export function exportMeetings(data: DigestData, b: OrgBucket): ExportMeetingRow[] {
  if (data.window) throw new Error("a windowed load holds only what the figures take of its meetings");
  return b.meetings as ExportMeetingRow[];
}

/** Gives the held group meetings of a windowed load their participants and log (attendance), read by `_id`. */
async function readAttendance(meetings: MeetingRow[], limit: <R>(fn: () => Promise<R>) => Promise<R>): Promise<void> {
  const held = new Map(meetings.filter((mt) => mt.groupId && mt.status === "held").map((mt) => [mt._id.toString(), mt]));
  if (!held.size) return;
  const m = readModels();
  const rows = await findByKeys("_id", [...held.values()].map((mt) => mt._id), (f) => leanRows<Pick<MeetingRow, "_id" | "participantIds" | "log">>(m.Meeting.find(f, ATTENDANCE_PROJECTION)), {}, limit);
  for (const r of rows) {
    const mt = held.get(r._id.toString());
    if (!mt) continue;
    if (r.participantIds) mt.participantIds = r.participantIds;
    if (r.log) mt.log = r.log;
  }
}

function emptyBucket(org: OrgRow): OrgBucket {
  return { org, requests: [], pairs: [], meetings: [], offers: [], answers: [], risks: [], users: [], mentors: [], programs: [], finalSurveys: [], selfAssessments: [], practices: [], groups: [] };
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
 * too). Requests: the open ones and those changed since the window's start (`updatedAt`,
 * which every write through the model stamps); one settled before it (matched, closed, cancelled)
 * has the same status all through the window and counts in none of its figures. For more than
 * one kindergarten, where the engine reads by index, of what piles up over a deployment's years
 * only what the window's figures can count: pairs and groups active or ended since its start
 * (and a pair an open risk names), programs ended or judged since then, risks open or raised since
 * then, offers timed out, final surveys answered and practices published since then, "end"
 * self-assessments since then with their requests' "start" ones. Without a window, everything:
 * the export lists every meeting, answer and request.
 */
export async function loadDigestData(organizationIds: readonly string[] | null, now: Date, window?: Window, options: LoadOptions = {}): Promise<DigestData> {
  const allPeople = options.people !== "flagged";
  const ids = scopeIds(organizationIds);
  const m = readModels();
  const limit = limiter(ids ? READ_CONCURRENCY : wholeReadConcurrency());
  const read = <T,>(run: (filter: Filter) => Promise<T[]>, base: Filter = {}) => findInScope(ids, run, base, limit);
  // With a window, of the records that pile up over the years only those its figures can count
  // are read (for a network's or a region's scope): active ones and those ended (answered,
  // published) since the window's start. One kindergarten's history stays small, and one query per
  // collection answers it sooner than two (one curator's /digest: 50–130 ms instead of 70–190
  // ms); where the engine pushes no filter down (FerretDB on SQLite), one read of them all costs
  // less too.
  const since = window && engine.listsByIndex && (!ids || ids.length > 1) ? window.from : undefined;
  /** The rows of every filter, each once (a row can match two). */
  const eachOnce = <T extends { _id: Id }>(run: (filter: Filter) => Promise<T[]>, filters: Filter[]) => findAnyOf((f) => read(run, f), filters);
  const [requests, pairs, meetingsUntilAhead, meetingsAhead, risks, users, mentors, programs, finalSurveys, selfAssessments, practices, groups, offers, answers, orgs, networks] = await Promise.all([
    window
      ? // The open requests, and those changed since the window's start (a request settled before it is counted in none of its figures).
        Promise.all([
          read((f) => leanRows<RequestRow>(m.MentorshipRequest.find(f, WINDOW_REQUEST_PROJECTION)), { status: { $in: OPEN_STATUSES } }),
          read((f) => leanRows<RequestRow>(m.MentorshipRequest.find(f, WINDOW_REQUEST_PROJECTION)), { updatedAt: { $gte: window.from }, status: { $nin: OPEN_STATUSES } }),
        ]).then(([open, changed]) => open.concat(changed))
      : read((f) => leanRows<RequestRow>(m.MentorshipRequest.find(f, REQUEST_PROJECTION))),
    // A pair ended before the window is in none of its figures (every end sets endedAt, see
    // endPair); one an open risk names is read below.
    since
      ? eachOnce((f) => leanRows<PairRow>(m.Pair.find(f, PAIR_PROJECTION)), [{ status: "active" }, { endedAt: { $gte: since } }])
      : read((f) => leanRows<PairRow>(m.Pair.find(f, PAIR_PROJECTION))),
    read((f) => leanRows<MeetingRow>(m.Meeting.find(f, window ? WINDOW_MEETING_PROJECTION : MEETING_PROJECTION)), window ? { startAt: { $gte: window.from, $lt: window.aheadFrom ?? window.to } } : {}),
    // The week ahead: its confirmed meetings only (the planned ones).
    window?.aheadFrom
      ? read((f) => leanRows<MeetingRow>(m.Meeting.find(f, WINDOW_MEETING_PROJECTION)), { status: "confirmed", startAt: { $gte: window.aheadFrom, $lt: window.to } })
      : Promise.resolve([] as MeetingRow[]),
    // The figures list the open risks and count those raised in the period.
    since
      ? eachOnce((f) => leanRows<RiskRow>(m.RiskFlag.find(f, RISK_PROJECTION)), [{ open: true }, { raisedAt: { $gte: since } }])
      : read((f) => leanRows<RiskRow>(m.RiskFlag.find(f, RISK_PROJECTION))),
    read((f) => leanRows<UserRow>(m.User.find(f, USER_PROJECTION)), allPeople ? {} : { unreachable: true }),
    read((f) => leanRows<MentorRow>(m.MentorProfile.find(f, { userId: 1, organizationId: 1, competences: 1, capacity: 1, activeMentees: 1, forms: 1, mode: 1, networkServing: 1, pausedUntil: 1, approved: 1, approvedAt: 1, ratingSum: 1, ratingCount: 1, createdAt: 1, achievements: 1, training: 1, positionYears: 1, trainingsAttended: 1, lastTrainingAt: 1 }))),
    // The indicators count programs by their end and their verdict (outcomeAt, else endedAt).
    since
      ? eachOnce((f) => leanRows<ProgramRow>(m.Program.find(f, PROGRAM_PROJECTION)), [{ endedAt: { $gte: since } }, { outcomeAt: { $gte: since } }])
      : read((f) => leanRows<ProgramRow>(m.Program.find(f, PROGRAM_PROJECTION))),
    read((f) => leanRows<FinalSurveyRow>(m.FinalSurvey.find(f, { organizationId: 1, pairId: 1, respondentId: 1, changed: 1, role: 1, satisfaction: 1, adaptation: 1, answeredAt: 1 })), since ? { answeredAt: { $gte: since } } : {}),
    // Growth counts a request by its "end" self-assessment, measured against its "start" (read by the request, however old).
    since
      ? read((f) => leanRows<SelfAssessmentRow>(m.SelfAssessment.find(f, SELF_ASSESSMENT_PROJECTION)), { phase: "end", at: { $gte: since } }).then(async (ends) =>
          ends.concat(await findByKeys("requestId", ends.map((e) => e.requestId), (f) => leanRows<SelfAssessmentRow>(m.SelfAssessment.find(f, SELF_ASSESSMENT_PROJECTION)), { phase: "start" }, limit)),
        )
      : read((f) => leanRows<SelfAssessmentRow>(m.SelfAssessment.find(f, SELF_ASSESSMENT_PROJECTION))),
    read((f) => leanRows<PracticeRow>(m.BestPractice.find(f, { organizationId: 1, status: 1, publishedAt: 1 })), since ? { publishedAt: { $gte: since } } : {}),
    // A group is counted while active, like a pair.
    since
      ? eachOnce((f) => leanRows<GroupRow>(m.MentoringGroup.find(f, GROUP_PROJECTION)), [{ status: "active" }, { endedAt: { $gte: since } }])
      : read((f) => leanRows<GroupRow>(m.MentoringGroup.find(f, GROUP_PROJECTION))),
    // Timed-out offers and survey answers, by their own organization (stored since issue 12; older
    // ones are given it at connect), else through their request or meeting below.
    // A timed-out offer counts by when it timed out (answeredAt, else its deadline).
    since
      ? eachOnce((f) => leanRows<OfferRow>(m.Offer.find(f, OFFER_PROJECTION)), [
          { status: "timed_out", answeredAt: { $gte: since } },
          { status: "timed_out", deadlineAt: { $gte: since } },
        ])
      : read((f) => leanRows<OfferRow>(m.Offer.find(f, OFFER_PROJECTION)), { status: "timed_out" }),
    read(
      (f) => leanRows<AnswerRow>(m.SurveyAnswer.find(f, { organizationId: 1, meetingId: 1, respondentId: 1, role: 1, usefulness: 1, solved: 1, comment: 1, answeredAt: 1 })),
      window ? { answeredAt: { $gte: window.from, $lt: window.to } } : {},
    ),
    limit(() => leanRows<OrgRow>(m.Organization.find({}, { shortName: 1, timezone: 1, networkIds: 1 }))),
    limit(() => m.Network.find({}, { name: 1 }).lean<Array<{ _id: Id; name: string }>>()),
  ]);

  const meetings = meetingsAhead.length ? meetingsUntilAhead.concat(meetingsAhead) : meetingsUntilAhead;
  if (window) await readAttendance(meetings, limit);
  if (since) {
    // An open risk names its pair (the digest lists the pair's people), however long ago it ended.
    const loaded = new Set(pairs.map((p) => p._id.toString()));
    const named = new Set(risks.filter((r) => !r.resolvedAt && r.pairId && !loaded.has(r.pairId.toString())).map((r) => String(r.pairId)));
    if (named.size) pairs.push(...(await findByKeys("_id", [...named].map((id) => new Types.ObjectId(id)), (f) => leanRows<PairRow>(m.Pair.find(f, PAIR_PROJECTION)), {}, limit)));
  }
  const buckets = new Map<string, OrgBucket>();
  const orgMap = new Map<string, OrgRow>();
  const wanted = organizationIds ? new Set(organizationIds) : undefined;
  for (const o of orgs) {
    if (!wanted || wanted.has(o._id.toString())) buckets.set(o._id.toString(), emptyBucket(o));
    orgMap.set(o._id.toString(), o);
  }
  const push = <K extends Exclude<keyof OrgBucket, "org">>(key: K, orgId: Id | undefined | null, row: OrgBucket[K][number]) => {
    if (!orgId) return;
    const b = buckets.get(orgId.toString());
    if (b) (b[key] as Array<typeof row>).push(row);
  };
  // Rows are grouped a few thousand at a time (eachYielding): a region's load holds 100,000 and more.
  const group = <K extends Exclude<keyof OrgBucket, "org" | "offers" | "answers" | "users">>(key: K, rows: OrgBucket[K]) =>
    eachYielding(rows as Array<OrgBucket[K][number]>, (row) => push(key, row.organizationId, row));
  await group("requests", requests);
  await group("pairs", pairs);
  await group("meetings", meetings);
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
  if (ids && allPeople) {
    // People the scope's rows name who belong elsewhere (a network mentor, someone who moved).
    const named: Array<Id | undefined | null> = [];
    for (const b of buckets.values()) {
      for (const r of b.requests) named.push(r.menteeId);
      for (const p of b.pairs) named.push(p.mentorId, p.menteeId);
      // A windowed load's meetings name nobody its pairs and groups do not.
      if (!window) for (const mt of exportMeetings(data, b)) named.push(mt.hostId, ...mt.participantIds, ...(mt.log?.absentIds ?? []));
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

export interface LoadOptions {
  /**
   * "all" (the default): every person of the scope, and everyone its rows name. "flagged": only
   * the people the figures themselves need — the unreachable ones, a risk each — for a digest
   * whose figures name a few more afterwards (see `ensurePeople`): a region's load took 3.4–3.9 s
   * instead of 4.2–5.7 s, and the people its text and lists name (3,971: of the 4,510 open
   * requests only the five shown) 0.12–0.26 s more. The buckets'
   * `users` then hold only those: enough for computeDigest, not for the per-kindergarten counts or
   * the export.
   */
  people?: "all" | "flagged";
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
  const rows = await findByKeys("_id", [...missing.values()], (f) => leanRows<UserRow>(Users.find(f, USER_PROJECTION)));
  for (const u of rows) data.people.set(u._id.toString(), u);
}

export interface Period {
  from: Date;
  to: Date;
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
