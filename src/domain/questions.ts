import { Types } from "mongoose";
import { MentorProfile, MentorshipRequest, modelNow, Question, User } from "../../models/index.ts";
import { buildMatchRequest, findMatches } from "./matching.ts";
import { notice, type Notice } from "./notices.ts";
import { escapeHtml } from "../core/html.ts";
import { topicLabel } from "./deficits.ts";
import { escalate } from "./requests.ts";
import type { Scheduler } from "./scheduler.ts";
import { formatDeadline } from "../core/datetime.ts";
import { workingDeadline, type WorkingHours } from "../core/working-hours.ts";
import { zoneOfOrganization } from "./meetings.ts";

/**
 * Quick questions (issue 11): a request of kind "question" becomes a {@link Question} sent to up to
 * {@link QUESTION_FANOUT} suitable mentors (the matching rules; capacity is not taken). The first
 * answer goes to the mentee; others are told it is answered. The mentee thanks (closes) or asks one
 * follow-up, whose answer closes it. Unanswered by the deadline, the request goes to the curators.
 */
export const QUESTION_FANOUT = 3;
export const QUESTION_DEADLINE_JOB = "question-deadline";

export interface QuestionDeps {
  scheduler: Pick<Scheduler, "enqueue" | "cancel">;
  /** How long mentors have to answer (the offer timeout), counted on working days when `hours` is given. */
  timeoutMs: number;
  hours?: WorkingHours;
}

export type QuestionResult = { ok: true; notices: Notice[] } | { ok: false; reason: "not_allowed" | "state" };

function valid(id: string): boolean {
  return Types.ObjectId.isValid(id);
}

async function topicsText(requestId: Types.ObjectId, locale: string): Promise<string> {
  const r = await MentorshipRequest.findById(requestId, { topics: 1, otherTopic: 1 }).lean();
  const labels = (r?.topics ?? []).map((c) => topicLabel(c, locale));
  if (r?.otherTopic) labels.push(r.otherTopic);
  return escapeHtml(labels.join("; ") || "—");
}

/** Sends a new question request to suitable mentors; with nobody suitable it goes to the curators. */
export async function routeQuestion(requestId: string, now: Date, deps: QuestionDeps): Promise<Notice[]> {
  const request = await MentorshipRequest.findById(requestId).lean();
  if (!request || request.kind !== "question" || request.status !== "new") return [];
  const ranked = await findMatches(await buildMatchRequest(request), { now, limit: QUESTION_FANOUT });
  if (ranked.length === 0) return escalate(requestId, now, "no_candidates");
  const profiles = await MentorProfile.find({ _id: { $in: ranked.map((r) => r.mentorId) } }, { userId: 1 }).lean();
  const mentors = await User.find({ _id: { $in: profiles.map((p) => p.userId) } }).lean();
  // Working days only, in the kindergarten's zone, as for an offer: a question asked on Friday
  // evening stays open until Tuesday evening, not until Sunday, when no mentor would see it.
  const zone = await zoneOfOrganization(request.organizationId);
  const deadlineAt = deps.hours ? workingDeadline(now, deps.timeoutMs, zone, deps.hours) : new Date(now.getTime() + deps.timeoutMs);
  let question;
  try {
    question = await Question.create({
      requestId: request._id,
      menteeId: request.menteeId,
      organizationId: request.organizationId,
      text: request.description,
      sentTo: mentors.map((m) => m._id),
      deadlineAt,
    });
  } catch {
    return []; // routed already (a replay)
  }
  await MentorshipRequest.updateOne(
    { _id: request._id, status: "new" },
    { $set: { status: "offered" }, $push: { history: { status: "offered", at: now, note: "question" } } },
  );
  await deps.scheduler.enqueue({ type: QUESTION_DEADLINE_JOB, key: `${QUESTION_DEADLINE_JOB}:${question._id}`, runAt: deadlineAt, payload: { questionId: question._id.toString() } });
  const out: Notice[] = [];
  for (const m of mentors) {
    out.push(
      ...notice(m, "question-new", { topics: await topicsText(request._id, m.locale ?? "ru"), text: escapeHtml(request.description), deadline: await deadlineText(deadlineAt, m, now) }, [
        [{ label: "question-btn-answer", data: `qq:a:${question._id}` }],
      ]),
    );
  }
  return out;
}

/** A question's deadline as a person reads it, in their organization's zone. */
async function deadlineText(deadlineAt: Date, reader: { organizationId?: Types.ObjectId | null; locale?: string | null }, now: Date): Promise<string> {
  return formatDeadline(deadlineAt, await zoneOfOrganization(reader.organizationId), reader.locale === "en" ? "en" : "ru", now);
}

/** The deadline of the question routed from a request, as its author reads it; empty when none was routed. */
export async function questionDeadlineFor(requestId: string, reader: { organizationId?: Types.ObjectId | null; locale?: string | null }, now: Date): Promise<string> {
  const q = valid(requestId) ? await Question.findOne({ requestId }, { deadlineAt: 1 }).lean() : null;
  return q?.deadlineAt ? deadlineText(q.deadlineAt, reader, now) : "";
}

/** Whether this mentor may answer now (the question is open and was sent to them). */
export async function canAnswer(questionId: string, mentorUserId: string): Promise<"open" | "follow_up" | null> {
  if (!valid(questionId)) return null;
  const q = await Question.findById(questionId).lean();
  if (!q) return null;
  if (q.status === "open" && q.sentTo.some((id) => String(id) === mentorUserId)) return "open";
  if (q.status === "follow_up" && q.answeredBy?.equals(mentorUserId)) return "follow_up";
  return null;
}

/** A mentor's answer: the first one wins (conditional update); the mentee gets it with "thank" and "ask more". */
export async function answerQuestionText(questionId: string, mentorUserId: string, text: string, now: Date, deps: QuestionDeps): Promise<QuestionResult> {
  const stage = await canAnswer(questionId, mentorUserId);
  if (!stage) return { ok: false, reason: "state" };
  const mentorId = new Types.ObjectId(mentorUserId);
  const body = text.trim().slice(0, 2000);
  const q =
    stage === "open"
      ? await Question.findOneAndUpdate({ _id: questionId, status: "open" }, { $set: { status: "answered", answeredBy: mentorId, answer: body, answeredAt: now } }, { returnDocument: "after" }).lean()
      : await Question.findOneAndUpdate(
          { _id: questionId, status: "follow_up", answeredBy: mentorId },
          { $set: { status: "closed", followUpAnswer: body, followUpAnsweredAt: now, closedAt: now } },
          { returnDocument: "after" },
        ).lean();
  if (!q) return { ok: false, reason: "state" };
  const [mentor, mentee] = await Promise.all([User.findById(mentorId, { profile: 1 }).lean(), User.findById(q.menteeId).lean()]);
  const name = escapeHtml(mentor?.profile?.fullName ?? "—");
  if (stage === "open") {
    await deps.scheduler.cancel(`${QUESTION_DEADLINE_JOB}:${q._id}`);
    await MentorshipRequest.updateOne({ _id: q.requestId, status: "offered" }, { $set: { status: "closed" }, $push: { history: { status: "closed", at: now, by: mentorId, note: "question_answered" } } });
    const others = await User.find({ _id: { $in: q.sentTo.filter((id) => String(id) !== mentorUserId) } }).lean();
    return {
      ok: true,
      notices: [
        ...notice(mentee, "question-answer", { name, answer: escapeHtml(body), question: escapeHtml(q.text) }, [
          [
            { label: "question-btn-thank", data: `qq:t:${q._id}` },
            { label: "question-btn-more", data: `qq:f:${q._id}` },
          ],
        ]),
        ...others.flatMap((o) => notice(o, "question-taken")),
      ],
    };
  }
  return { ok: true, notices: notice(mentee, "question-follow-up-answer", { name, answer: escapeHtml(body) }, [[{ label: "question-btn-thank", data: `qq:t:${q._id}` }]]) };
}

/** The mentee thanks: the question closes (if the follow-up was not used) and the mentor is told. */
export async function thankForAnswer(questionId: string, menteeUserId: string, now: Date): Promise<QuestionResult> {
  if (!valid(questionId)) return { ok: false, reason: "not_allowed" };
  const q = await Question.findOneAndUpdate(
    { _id: questionId, menteeId: menteeUserId, status: { $in: ["answered", "closed"] }, thankedAt: { $exists: false } },
    { $set: { status: "closed", thankedAt: now, closedAt: now } },
  ).lean();
  if (!q) return { ok: false, reason: "state" };
  const [mentor, mentee] = await Promise.all([User.findById(q.answeredBy).lean(), User.findById(menteeUserId, { profile: 1 }).lean()]);
  return { ok: true, notices: notice(mentor, "question-thanked", { name: escapeHtml(mentee?.profile?.fullName ?? "—") }) };
}

/** Whether the mentee may still ask the follow-up. */
export async function canFollowUp(questionId: string, menteeUserId: string): Promise<boolean> {
  if (!valid(questionId)) return false;
  return Boolean(await Question.exists({ _id: questionId, menteeId: menteeUserId, status: "answered" }));
}

/** The mentee's one follow-up, to the mentor who answered. */
export async function askFollowUp(questionId: string, menteeUserId: string, text: string, now: Date): Promise<QuestionResult> {
  if (!valid(questionId)) return { ok: false, reason: "not_allowed" };
  const q = await Question.findOneAndUpdate(
    { _id: questionId, menteeId: menteeUserId, status: "answered" },
    { $set: { status: "follow_up", followUp: text.trim().slice(0, 1000), followUpAt: now } },
    { returnDocument: "after" },
  ).lean();
  if (!q) return { ok: false, reason: "state" };
  const [mentor, mentee] = await Promise.all([User.findById(q.answeredBy).lean(), User.findById(menteeUserId, { profile: 1 }).lean()]);
  return {
    ok: true,
    notices: notice(mentor, "question-follow-up", { name: escapeHtml(mentee?.profile?.fullName ?? "—"), text: escapeHtml(q.followUp ?? "") }, [[{ label: "question-btn-answer", data: `qq:a:${q._id}` }]]),
  };
}

/** Deadline job: an unanswered question goes to the curators (the request escalates); the mentors' buttons go stale. */
export async function questionDeadline(questionId: string, now: Date): Promise<Notice[]> {
  if (!valid(questionId)) return [];
  const q = await Question.findOneAndUpdate({ _id: questionId, status: "open" }, { $set: { status: "unanswered", closedAt: now } }).lean();
  if (!q) return [];
  // escalate() takes only new/offered requests: the question request is "offered" while it waits.
  return escalate(q.requestId.toString(), now, "question_unanswered");
}

/** Erasure: the person's questions and answers lose their texts (counts stay). */
export async function questionsErasure(userId: Types.ObjectId): Promise<number> {
  await Question.updateMany({ menteeId: userId, status: "open" }, { $set: { status: "cancelled", closedAt: modelNow() } });
  const asked = await Question.updateMany({ menteeId: userId }, { $set: { text: "—" }, $unset: { followUp: 1 } });
  const answered = await Question.updateMany({ answeredBy: userId }, { $unset: { answer: 1, followUpAnswer: 1 } });
  await Question.updateMany({ sentTo: userId }, { $pull: { sentTo: userId } });
  return asked.modifiedCount + answered.modifiedCount;
}
