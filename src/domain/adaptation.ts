import { Types } from "mongoose";
import { forDailyList } from "./curator-list.ts";
import { MentoringGroup, Pair, Program, RiskFlag, SurveyResponse, User } from "../../models/index.ts";
import { addLocalMonths, atLocalTime, parseLocalDate } from "../core/datetime.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import { findAnyOf, findInScope, readModels, scopeIds } from "../db/read-connection.ts";
import { notice, type Notice } from "./notices.ts";
import { findSet, type QuestionSetDefinition } from "./question-sets.ts";
import { onResponseFinished, questionNotice, startResponse, type ResponseLean } from "./questionnaires.ts";
import { curatorsOf } from "./roles.ts";
import type { Scheduler } from "./scheduler.ts";
import { organizationById } from "../db/organization-cache.ts";

/**
 * Adaptation and satisfaction over time (issue 16). A young specialist gives the date she started
 * work; the adaptation set goes to her at 09:00 local (her organization's zone) 1, 3 and 12 months
 * later (jobs `adapt:<userId>:<months>`). The satisfaction set goes to the mentee of each program
 * when it starts and when it ends (a daily sweep). A finished survey whose average falls by
 * `DROP` or more against the previous one (adaptation) or the program's start (satisfaction)
 * raises a risk flag for the curators.
 */

export const ADAPTATION_JOB = "adaptation-survey";
export const SATISFACTION_SWEEP_JOB = "satisfaction-sweep";
export const ADAPTATION_MONTHS = [1, 3, 12] as const;
export const ADAPTATION_SET = "adaptation";
export const SATISFACTION_SET = "work-satisfaction";
/** A fall of the average by this much raises a flag. */
export const DROP = 1;
/** A milestone more than this far in the past when the date is given is not sent any more. */
const LATE_MS = 14 * 86_400_000;

async function zoneOf(user: { organizationId?: Types.ObjectId | null }): Promise<string> {
  const org = await organizationById(user.organizationId);
  return org?.timezone ?? "Europe/Moscow";
}

export type StartDateResult = { ok: true; scheduled: number } | { ok: false; reason: "format" | "range" | "not_allowed" };

/** Sets the start of work (typed as `01.09.2026` in the organization's zone, up to 5 years back) and (re)schedules the adaptation surveys. */
export async function setWorkStart(userId: string, text: string, now: Date, scheduler: Scheduler): Promise<StartDateResult> {
  const user = Types.ObjectId.isValid(userId) ? await User.findById(userId).lean() : null;
  if (!user || !user.registeredAt || user.erasedAt) return { ok: false, reason: "not_allowed" };
  const zone = await zoneOf(user);
  const parsed = parseLocalDate(text, zone, now, new Date(now.getTime() - 5 * 366 * 86_400_000), now);
  if (!parsed.ok) return { ok: false, reason: parsed.error === "out_of_range" ? "range" : "format" };
  // A date without a year means the last such day, not the next one.
  let start = parsed.date;
  if (start.getTime() > now.getTime()) start = addLocalMonths(start, -12, zone);
  await User.updateOne({ _id: user._id }, { $set: { "profile.workStartedAt": start } });
  return { ok: true, scheduled: await scheduleAdaptation(userId, start, zone, now, scheduler) };
}

/** One job per milestone still ahead (or only just passed); earlier ones of a changed date are cancelled. */
export async function scheduleAdaptation(userId: string, start: Date, zone: string, now: Date, scheduler: Scheduler): Promise<number> {
  let n = 0;
  for (const months of ADAPTATION_MONTHS) {
    const key = `adapt:${userId}:${months}`;
    if (await SurveyResponse.exists({ key })) continue; // already sent: a changed date does not send it again
    await scheduler.cancelByPrefix(`${key}:`);
    const runAt = atLocalTime(addLocalMonths(start, months, zone), 9, zone);
    if (runAt.getTime() < now.getTime() - LATE_MS) continue;
    await scheduler.enqueue({ type: ADAPTATION_JOB, key: `${key}:${runAt.getTime()}`, runAt, payload: { userId, months, at: runAt.toISOString() } });
    n++;
  }
  return n;
}

/** The adaptation job: starts the milestone's survey (once) and returns its first question. */
export async function sendAdaptation(userId: string, months: number, at: string): Promise<Notice[]> {
  const user = Types.ObjectId.isValid(userId) ? await User.findById(userId).lean() : null;
  if (!user || user.erasedAt || !user.profile?.workStartedAt) return [];
  // The start date changed since this job was made: a newer job carries the right time.
  const zone = await zoneOf(user);
  if (atLocalTime(addLocalMonths(user.profile.workStartedAt, months, zone), 9, zone).toISOString() !== at) return [];
  const set = await findSet(ADAPTATION_SET);
  if (!set) return [];
  const started = await startResponse({ key: `adapt:${userId}:${months}`, occasion: `adapt:${months}`, set, respondentId: userId, organizationId: user.organizationId?.toString(), now: new Date(at) });
  if (!started.created) return [];
  const r = await SurveyResponse.findById(started.id).lean<ResponseLean>();
  return r ? questionNotice(r, set, user, { intro: true }) : [];
}

/**
 * The daily sweep: the satisfaction survey to the mentee of every program that started or ended in
 * the last 14 days; a group's program (issue 15) asks each current participant of the group, each
 * with a response of their own (`sat:<program>:<phase>:<person>`).
 */
export async function sweepSatisfaction(now: Date): Promise<Notice[]> {
  const set = await findSet(SATISFACTION_SET);
  if (!set) return [];
  const since = new Date(now.getTime() - LATE_MS);
  const out: Notice[] = [];
  const programs = await findAnyOf((f) => Program.find(f, { menteeId: 1, groupId: 1, organizationId: 1, approvedAt: 1, endedAt: 1, status: 1 }).lean(), [{ approvedAt: { $gte: since } }, { endedAt: { $gte: since } }]);
  for (const p of programs) {
    if (p.groupId) {
      out.push(...(await sweepGroupProgram(p as typeof p & { groupId: Types.ObjectId }, since, now, set)));
      continue;
    }
    if (!p.menteeId) continue;
    const phases: Array<"start" | "end"> = [];
    if (p.approvedAt && p.approvedAt >= since && p.approvedAt <= now) phases.push("start");
    if (p.endedAt && p.endedAt >= since && p.endedAt <= now && p.status === "completed") phases.push("end");
    for (const phase of phases) out.push(...(await sendSatisfaction(p._id.toString(), p.menteeId.toString(), p.organizationId.toString(), phase, set, now)));
  }
  return out;
}

/** A group program's start (once approved) and end (once completed): each current participant (at the end: each who was there when it ended). */
async function sweepGroupProgram(
  p: { _id: Types.ObjectId; groupId: Types.ObjectId; organizationId: Types.ObjectId; approvedAt?: Date | null; endedAt?: Date | null; status: string },
  since: Date,
  now: Date,
  set: QuestionSetDefinition,
): Promise<Notice[]> {
  const g = await MentoringGroup.findById(p.groupId, { memberIds: 1, participants: 1, endedAt: 1 }).lean();
  if (!g) return [];
  const out: Notice[] = [];
  if (p.approvedAt && p.approvedAt >= since && p.approvedAt <= now) {
    for (const m of g.memberIds) out.push(...(await sendSatisfaction(p._id.toString(), m.toString(), p.organizationId.toString(), "start", set, now, true)));
  }
  if (p.endedAt && p.endedAt >= since && p.endedAt <= now && p.status === "completed") {
    // The group's members are gone once it ended: those whose seat ended with it (same moment) are asked.
    const seatsAtEnd = await Pair.find({ groupId: p.groupId, endedAt: p.endedAt }, { menteeId: 1 }).lean();
    for (const s of seatsAtEnd) out.push(...(await sendSatisfaction(p._id.toString(), s.menteeId.toString(), p.organizationId.toString(), "end", set, now, true)));
  }
  return out;
}

async function sendSatisfaction(programId: string, userId: string, organizationId: string, phase: "start" | "end", set: QuestionSetDefinition, now: Date, perPerson = false): Promise<Notice[]> {
  const user = await User.findById(userId).lean();
  if (!user || user.erasedAt) return [];
  const key = `sat:${programId}:${phase}${perPerson ? `:${userId}` : ""}`;
  const started = await startResponse({ key, occasion: `program-${phase}`, set, respondentId: userId, organizationId, programId, now });
  if (!started.created) return [];
  const r = await SurveyResponse.findById(started.id).lean<ResponseLean>();
  return r ? questionNotice(r, set, user, { intro: true }) : [];
}

/** The earlier survey to compare with: the previous adaptation milestone, or the program's start. */
async function previousOf(r: ResponseLean): Promise<ResponseLean | null> {
  if (r.occasion.startsWith("adapt:") && r.respondentId) {
    const earlier = await SurveyResponse.find({ respondentId: r.respondentId, kind: "adaptation", status: "done", _id: { $ne: r._id } }).sort({ completedAt: -1 }).limit(1).lean<ResponseLean[]>();
    return earlier[0] ?? null;
  }
  // The same program's start answer of the same person (a group's responses carry the person in the key).
  if (r.occasion === "program-end" && r.programId) return SurveyResponse.findOne({ key: r.key.replace(/^(sat:[0-9a-f]{24}):end/, "$1:start"), status: "done" }).lean<ResponseLean>();
  return null;
}

/** Raises a risk flag when a finished adaptation or satisfaction survey falls by DROP or more. */
async function flagDrop(r: ResponseLean, set: QuestionSetDefinition, now: Date): Promise<Notice[]> {
  if ((set.kind !== "adaptation" && set.kind !== "satisfaction") || r.scaleAverage == null || !r.respondentId || !r.organizationId) return [];
  const before = await previousOf(r);
  if (!before || before.scaleAverage == null || before.scaleAverage - r.scaleAverage < DROP) return [];
  const kind = set.kind === "adaptation" ? "adaptation_drop" : "satisfaction_drop";
  const program = r.programId ? await Program.findById(r.programId, { pairId: 1 }).lean() : null;
  const score = Math.round(r.scaleAverage * 10) / 10;
  let flagId;
  try {
    ({ _id: flagId } = await RiskFlag.create({
      key: `${r.respondentId.toString()}:${kind}:${r._id.toString()}`,
      organizationId: r.organizationId,
      pairId: program?.pairId,
      userId: r.respondentId,
      kind,
      round: 0,
      role: "mentee",
      score,
      raisedAt: now,
    }));
  } catch (err) {
    if (isDuplicateKeyError(err)) return [];
    throw err;
  }
  const user = await User.findById(r.respondentId).lean();
  const args = { name: user?.profile?.fullName ?? "", before: Math.round(before.scaleAverage * 10) / 10, after: score };
  return forDailyList((await curatorsOf(r.organizationId.toString())).flatMap((c) => notice(c, `qs-flag-${kind}`, args)), "risk", flagId);
}

onResponseFinished(flagDrop);

export interface TrendRow {
  /** "adapt:1", "adapt:3", "adapt:12", "program-start", "program-end". */
  occasion: string;
  n: number;
  average?: number;
}

/** Averages of finished adaptation and satisfaction surveys of the scope per occasion (for /report and the digest). */
export async function wellbeingTrend(scope: readonly string[] | null, from: Date, to: Date): Promise<TrendRow[]> {
  const { SurveyResponse: Responses } = readModels();
  const rows = await findInScope(scopeIds(scope), (f) => Responses.find(f, { occasion: 1, scaleAverage: 1 }).lean(), {
    status: "done",
    kind: { $in: ["adaptation", "satisfaction"] },
    completedAt: { $gte: from, $lt: to },
  });
  const order = ["adapt:1", "adapt:3", "adapt:12", "program-start", "program-end"];
  return order.map((occasion) => {
    const xs = rows.filter((r) => r.occasion === occasion && typeof r.scaleAverage === "number").map((r) => r.scaleAverage as number);
    return { occasion, n: xs.length, ...(xs.length ? { average: xs.reduce((s, x) => s + x, 0) / xs.length } : {}) };
  });
}
