import { DateTime } from "luxon";
import type { RequestStatus } from "../../models/index.ts";
import { assertCovers, attendance, DAY_MS, digestWindow, OPEN_STATUSES, QUIET_PAIR_MS, STALE_REQUEST_MS, WEEK_AHEAD_MS, type DigestData, type OrgBucket, type Period, type RequestRow, type MeetingRow } from "./digest.ts";

/** The digest's figures (issue 7): what happened in a period in a scope, what is open at its end, against the period before; computed from loaded rows (digest.ts), transport-free. */

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

/** Items of a list shown in the digest's text itself (the rest behind a button, or counted). */
export const LIST_CAP = 5;

export interface DigestFigures {
  period: Period;
  previous: Period;
  now: Date;
  zone: string;
  counts: PeriodCounts;
  prevCounts: PeriodCounts;
  open: OpenCounts;
  prevOpen: OpenCounts;
  /** Every open request, oldest first; the digest's text shows the first LIST_CAP. */
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
  return { ...f, ...heldGroupMeetings(b, p) };
}

/** The mentoring groups' meetings held in the period: how many, their seats and those who came (the figures and indicator 9). */
export function heldGroupMeetings(b: OrgBucket, p: Period): { held: number; expected: number; present: number } {
  const out = { held: 0, expected: 0, present: 0 };
  for (const m of b.meetings) {
    if (!m.groupId || m.status !== "held" || !inPeriod(m.startAt, p)) continue;
    const a = attendance(m);
    out.held++;
    out.expected += a.expected;
    out.present += a.present;
  }
  return out;
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
    // A participant's seat in a mentoring group meets with the group (its meetings and attendance
    // are the groups' line), never as a pair: it is no quiet pair.
    if (p.status !== "active" || p.groupId) continue;
    // When it last met: the pair records it (logHeld), whatever meetings the load holds.
    const last = (p.lastHeldAt ?? p.createdAt).getTime();
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
  // The lists in an order of their own, not the order the database returned the rows in (which
  // differs between two reads of the same records): the digest's text shows the first few.
  const orgName = (id: string) => data.orgs.get(id)?.shortName ?? "";
  risks.sort(compareRisks(orgName));
  const byMentor = (a: MentorItem, b: MentorItem) => RU.compare(orgName(a.organizationId), orgName(b.organizationId)) || a.organizationId.localeCompare(b.organizationId) || a.userId.localeCompare(b.userId);
  atCapacity.sort(byMentor);
  idle.sort(byMentor);
  return { period, previous, now, zone, counts, prevCounts, open, prevOpen, openRequests, planned, risks, atCapacity, idle, topTopics, weekly, chartUnit, byOrganization, organizations: buckets.length, reversePairs, mutualPairs, groups };
}

const RU = new Intl.Collator("ru", { numeric: true });
const RISK_ORDER: ReadonlyArray<RiskItem["kind"]> = ["quiet_pair", "timed_out", "pulse_low", "pulse_missed", "adaptation_drop", "satisfaction_drop", "unreachable"];

/**
 * Risks by kind (as RISK_ORDER), the gravest of a kind first (the longest-quiet pair, the mentor
 * with the most timed-out offers, the lowest pulse), then by organization, people and date.
 */
function compareRisks(orgName: (id: string) => string): (a: RiskItem, b: RiskItem) => number {
  const gravity = (r: RiskItem) => (r.kind === "quiet_pair" || r.kind === "timed_out" ? (r.value ?? 0) : r.kind === "pulse_low" ? -(r.value ?? 0) : 0);
  return (a, b) =>
    RISK_ORDER.indexOf(a.kind) - RISK_ORDER.indexOf(b.kind) ||
    gravity(b) - gravity(a) ||
    RU.compare(orgName(a.organizationId), orgName(b.organizationId)) ||
    a.organizationId.localeCompare(b.organizationId) ||
    a.userIds.join().localeCompare(b.userIds.join()) ||
    (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0);
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
