import { Types } from "mongoose";
import { FinalSurvey, Meeting, MentorshipRequest, MentoringGroup, Pair, SelfAssessment, SurveyAnswer, User } from "../../models/index.ts";
import { notice, type Notice, type NoticeButton } from "./notices.ts";
import { escapeHtml } from "../core/html.ts";
import type { Person } from "./meetings.ts";
import { curatorsOf } from "./roles.ts";
import { growthForRequest } from "./self-assessment.ts";
import { endPair } from "./pairs.ts";
import { formatDecimal, nameIn } from "./russian.ts";
import { loadProgram, nameOf, person, programOfGroup, programOfPair, refused, transition, valid, type GroupLite, type PairLean, type ProgramDeps, type ProgramLean, type ProgramResult } from "./programs.ts";

/** The end of a pair or group and of its program (issue 6): completed on its end date or ended early with a reason; the final survey, the closing self-assessment and the curators' summary. */

/**
 * Ends a pair (and its program): on the end date (`byUserId` unset, or no reason) it is completed;
 * earlier by a participant with a reason it is terminated early. Both sides get the final survey,
 * the mentee the closing self-assessment, the curators a summary. Only once (conditional update).
 */
export async function finishPair(
  pairId: string,
  byUserId: string | null,
  reason: string | undefined,
  now: Date,
  deps: ProgramDeps,
  /** "goal": a participant completes it because the goal is achieved (no reason asked). */
  how: "early" | "goal" = "early",
): Promise<ProgramResult> {
  if (!valid(pairId)) return refused();
  const pair = await Pair.findById(pairId).lean<PairLean>();
  if (!pair || pair.kind !== "long_term") return refused();
  if (byUserId && !pair.mentorId.equals(byUserId) && !pair.menteeId.equals(byUserId)) return refused();
  const goal = how === "goal" && Boolean(byUserId);
  const early = !goal && Boolean(byUserId && reason);
  if (byUserId && !reason && !goal) return refused("invalid");
  if (goal) reason = GOAL_ACHIEVED;
  const status = early ? "terminated" : "completed";
  if (!(await endPair(pair._id, { status, reason: reason ?? "completed", by: byUserId }, now, deps))) return refused("state");
  const program = await programOfPair(pair._id);
  if (program) {
    await transition(program, ["active"], status, { endedAt: now, ...(byUserId ? { endedBy: new Types.ObjectId(byUserId) } : {}), ...(reason ? { endReason: reason.slice(0, 500) } : {}), at: now }, byUserId ?? undefined, reason);
    // Drafts never approved are simply closed with the pair.
    await transition(program, ["draft", "returned", "pending_mentee", "pending_curator"], "terminated", { endedAt: now, endReason: reason ?? "pair_ended", at: now }, byUserId ?? undefined);
    await deps.scheduler.cancelByPrefix(`program:${program._id}:`);
  }
  const [mentor, mentee] = await Promise.all([person(pair.mentorId), person(pair.menteeId)]);
  const by = byUserId ? (pair.mentorId.equals(byUserId) ? mentor : mentee) : null;
  const survey: NoticeButton[][] = [[1, 2, 3, 4, 5].map((n) => ({ label: String(n), literal: true, data: `fs:s:${pair._id}:${n}` }))];
  const endKey = early ? "pair-ended-early" : goal ? "pair-ended-goal" : "pair-ended";
  const common = { reason: escapeHtml(reason ?? ""), by: nameOf(by) };
  const out: Notice[] = [
    ...notice(mentor, endKey, { ...common, nameIns: nameIn(mentee, "instrumental", mentor?.locale) }),
    ...notice(mentor, "final-survey-ask", {}, survey),
    ...notice(mentee, endKey, { ...common, nameIns: nameIn(mentor, "instrumental", mentee?.locale) }),
    ...notice(mentee, "final-survey-ask", {}, survey),
  ];
  const request = await MentorshipRequest.findById(pair.requestId, { topics: 1 }).lean();
  if (request?.topics.length && !(await SelfAssessment.exists({ requestId: pair.requestId, phase: "end" }))) {
    out.push(...notice(mentee, "self-assessment-end-ask", {}, [[{ label: "self-assessment-end-btn", data: `sa:e:${pair.requestId}` }]]));
  }
  const curators = (await curatorsOf(pair.organizationId.toString())) as unknown as Person[];
  const ran = program?.status === "active";
  const verdict: NoticeButton[][] = program && ran
    ? [[{ label: "program-btn-package", data: `pg:pk:${program._id}` }, { label: "program-btn-revise", data: `pg:rv:${program._id}` }]]
    : [];
  for (const c of curators) out.push(...notice(c, curatorEndKey(status, reason), await pairSummaryArgs(pair._id.toString(), c.locale ?? "ru"), verdict));
  return { ok: true, notices: out };
}

/** The end reason of a pair (and its program) completed because its goal was achieved. */
export const GOAL_ACHIEVED = "goal_achieved";

/** The curator's summary heading for a pair's end: on plan, goal achieved, or early. */
export function curatorEndKey(status: string, endReason: string | null | undefined): string {
  if (status !== "completed") return "curator-pair-ended-early";
  return endReason === GOAL_ACHIEVED ? "curator-pair-ended-goal" : "curator-pair-ended";
}

/**
 * Closes the program of a pair that ended outside {@link finishPair} (a curator's reassignment, a
 * participant's erasure): an open program becomes "terminated" with the reason, its reminders and
 * end job are cancelled. Nothing is sent: the participants were told by whoever ended the pair.
 */
export async function closePairProgram(pairId: Types.ObjectId | string, reason: string, now: Date, deps: ProgramDeps): Promise<boolean> {
  const program = await programOfPair(pairId);
  if (!program) return false;
  const closed = await transition(program, ["draft", "pending_mentee", "pending_curator", "returned", "active"], "terminated", { endedAt: now, endReason: reason, at: now }, undefined, reason);
  await deps.scheduler.cancelByPrefix(`program:${program._id}:`);
  return closed;
}

/** The end-date job of a pair's program (a group's ends with its group: jobs/programs.ts ends the group). */
export async function programEnd(programId: string, now: Date, deps: ProgramDeps): Promise<Notice[]> {
  const p = await loadProgram(programId);
  if (!p || p.status !== "active" || !p.pairId) return [];
  const res = await finishPair(p.pairId.toString(), null, undefined, now, deps);
  return res.ok ? res.notices : [];
}

/** The group whose program this is, when the program is a group's and still active (for the end-date job). */
export async function activeGroupProgramGroupId(programId: string): Promise<string | null> {
  const p = await loadProgram(programId);
  return p?.groupId && p.status === "active" ? p.groupId.toString() : null;
}

/**
 * Closes a group's program when the group ends (src/domain/groups.ts endGroup, erasure of its
 * mentor): an active program becomes completed or terminated, one never approved is terminated;
 * its reminders and end job are cancelled. Returns whether the program had run (was active), so
 * the curators' summary offers the verdict.
 */
export async function closeGroupProgram(
  groupId: Types.ObjectId,
  status: "completed" | "terminated",
  reason: string,
  by: Types.ObjectId | null,
  now: Date,
  deps: { scheduler: Pick<ProgramDeps["scheduler"], "cancelByPrefix"> },
): Promise<{ programId: string; ran: boolean } | null> {
  const program = await programOfGroup(groupId);
  if (!program) return null;
  const change = { endedAt: now, ...(by ? { endedBy: by } : {}), endReason: reason.slice(0, 500), at: now };
  const ran = await transition(program, ["active"], status, change, by?.toString(), reason);
  await transition(program, ["draft", "returned", "pending_mentee", "pending_curator"], "terminated", { endedAt: now, endReason: reason.slice(0, 500), at: now }, by?.toString());
  await deps.scheduler.cancelByPrefix(`program:${program._id}:`);
  return { programId: program._id.toString(), ran };
}

/**
 * Figures for the curators' summary of a group and its program: group meetings held, plan items
 * done, the participants' mean final satisfaction (one answer per seat) and mean growth of
 * self-assessment over their requests, the goal.
 */
export async function groupSummaryArgs(groupId: Types.ObjectId | string, locale = "ru"): Promise<Record<string, string | number>> {
  const g = await MentoringGroup.findById(groupId).lean<GroupLite>();
  if (!g) return {};
  const seats = g.participants.map((x) => x.pairId);
  const [held, finals, program, mentor] = await Promise.all([
    Meeting.countDocuments({ groupId: g._id, status: "held" }),
    FinalSurvey.find({ pairId: { $in: seats }, role: "mentee" }, { satisfaction: 1 }).lean(),
    programOfGroup(g._id),
    person(g.mentorId),
  ]);
  const growths: number[] = [];
  for (const x of g.participants) {
    const growth = await growthForRequest(x.requestId.toString());
    if (growth?.mean !== undefined) growths.push(growth.mean);
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
  const sat = mean(finals.map((f) => f.satisfaction).filter((v): v is number => typeof v === "number"));
  const growth = mean(growths);
  return {
    title: escapeHtml(g.title),
    mentor: nameOf(mentor),
    n: g.participants.length,
    meetings: held,
    held,
    done: program ? program.items.filter((i) => i.status === "done").length : 0,
    total: program ? program.items.length : 0,
    goal: escapeHtml(program?.goal ?? "—"),
    satisfaction: sat === undefined ? "—" : formatDecimal(sat, locale),
    growth: growth === undefined ? "—" : `${growth > 0 ? "+" : ""}${formatDecimal(growth, locale)}`,
    usefulness: "—",
    reason: escapeHtml(program?.endReason ?? ""),
  };
}

/** The curators' summary of a program's end: a pair's or a group's. */
export async function programSummary(p: ProgramLean, locale: string): Promise<{ key: string; args: Record<string, string | number> }> {
  if (p.groupId) return { key: p.status === "completed" ? "curator-group-program-ended" : "curator-group-program-ended-early", args: await groupSummaryArgs(p.groupId, locale) };
  return { key: curatorEndKey(p.status, p.endReason), args: await pairSummaryArgs(String(p.pairId), locale) };
}

/** Figures for the curator's summary of a pair: sessions held, plan items done, usefulness, final satisfaction, growth. */
export async function pairSummaryArgs(pairId: string, locale = "ru"): Promise<Record<string, string | number>> {
  const pair = await Pair.findById(pairId).lean<PairLean & { endReason?: string | null }>();
  if (!pair) return {};
  const [held, answers, finals, program, growth, people] = await Promise.all([
    Meeting.countDocuments({ pairId: pair._id, status: "held" }),
    SurveyAnswer.find({ pairId: pair._id, role: "mentee", usefulness: { $exists: true } }, { usefulness: 1 }).lean(),
    FinalSurvey.find({ pairId: pair._id }, { satisfaction: 1 }).lean(),
    programOfPair(pair._id),
    growthForRequest(pair.requestId.toString()),
    User.find({ _id: { $in: [pair.mentorId, pair.menteeId] } }, { profile: 1 }).lean(),
  ]);
  const named = (id: Types.ObjectId) => nameOf((people.find((u) => u._id.equals(id)) ?? null) as Person | null);
  const mean = (xs: number[]) => (xs.length ? formatDecimal(xs.reduce((a, b) => a + b, 0) / xs.length, locale) : "—");
  return {
    held,
    usefulness: mean(answers.map((a) => a.usefulness as number)),
    satisfaction: mean(finals.map((f) => f.satisfaction).filter((s): s is number => typeof s === "number")),
    done: program ? program.items.filter((i) => i.status === "done").length : 0,
    total: program ? program.items.length : 0,
    growth: growth?.mean === undefined ? "—" : `${growth.mean > 0 ? "+" : ""}${formatDecimal(growth.mean, locale)}`,
    goal: escapeHtml(program?.goal ?? "—"),
    mentor: named(pair.mentorId),
    mentee: named(pair.menteeId),
    reason: escapeHtml(pair.endReason ?? ""),
  };
}
