import { Types } from "mongoose";
import { Meeting, MentorProfile, Pair, SurveyAnswer, User, type SurveySolved } from "../../models/index.ts";
import { notice, type Notice, type NoticeButton } from "./notices.ts";
import { escapeHtml } from "../core/html.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import type { ErasureStep } from "./privacy.ts";
import type { MeetingLean } from "./meetings.ts";

/**
 * Surveys after a held meeting (issue 6): each mentee participant rates its usefulness (1–5), says
 * whether it solved the problem and may add a comment; the host may write a reflection. Every
 * answer is checked against the meeting's participants; one answer per person per meeting (unique
 * index). A usefulness score feeds the pair mentor's rating once. Transport-free: returns notices.
 */

/** Answers more than this long after the meeting's end are accepted once and flagged `late`. */
export const SURVEY_LATE_AFTER_MS = 7 * 86_400_000;
const KIND = "session";

export type SurveyResult = { ok: true; late?: boolean } | { ok: false; reason: "not_allowed" | "already" };

async function heldMeeting(meetingId: string): Promise<MeetingLean | null> {
  if (!Types.ObjectId.isValid(meetingId)) return null;
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  return m && m.status === "held" ? m : null;
}

/** A participant of the meeting; of a mentoring group's meeting, only one the host marked present (issue 15). */
function isParticipant(m: MeetingLean, userId: string): boolean {
  if (m.groupId && (m.log?.absentIds ?? []).some((a) => a.equals(userId))) return false;
  return m.participantIds.some((p) => p.equals(userId));
}

/** The pair an answer belongs to: the pair's meeting's pair, or the participant's seat in a mentoring group. */
async function answerPairId(m: MeetingLean, userId: string): Promise<Types.ObjectId | undefined> {
  if (m.pairId) return m.pairId;
  if (!m.groupId) return undefined;
  const seat = await Pair.findOne({ groupId: m.groupId, menteeId: new Types.ObjectId(userId) }, { _id: 1 }).sort({ createdAt: -1, _id: -1 }).lean();
  return seat?._id;
}

/** The survey for a held meeting: usefulness buttons to each mentee participant, a reflection prompt to the host. */
export async function surveyNotices(meetingId: string): Promise<Notice[]> {
  const m = await heldMeeting(meetingId);
  if (!m) return [];
  const people = await User.find({ _id: { $in: [m.hostId, ...m.participantIds] } }).lean();
  const host = people.find((p) => p._id.equals(m.hostId));
  const topic = escapeHtml(m.topic ?? "");
  const out: Notice[] = [];
  const scores: NoticeButton[][] = [[1, 2, 3, 4, 5].map((n) => ({ label: String(n), literal: true, data: `sv:u:${m._id}:${n}` }))];
  for (const p of people.filter((x) => isParticipant(m, x._id.toString()))) {
    out.push(...notice(p, "survey-usefulness", { topic, name: escapeHtml(host?.profile?.fullName ?? "") }, scores));
  }
  out.push(...notice(host, "survey-reflection-offer", { topic }, [[{ label: "survey-reflection-btn", data: `sv:r:${m._id}` }]]));
  return out;
}

/** A mentee participant's usefulness score: creates the answer (once) and adds it to the pair mentor's rating. */
export async function recordUsefulness(meetingId: string, userId: string, score: number, now: Date): Promise<SurveyResult> {
  const m = await heldMeeting(meetingId);
  if (!m || !isParticipant(m, userId) || !Number.isInteger(score) || score < 1 || score > 5) return { ok: false, reason: "not_allowed" };
  const end = (m.startAt?.getTime() ?? now.getTime()) + m.durationMin * 60_000;
  const late = now.getTime() - end > SURVEY_LATE_AFTER_MS;
  const pairId = await answerPairId(m, userId);
  try {
    await SurveyAnswer.create({ meetingId: m._id, organizationId: m.organizationId, pairId, respondentId: new Types.ObjectId(userId), role: "mentee", kind: KIND, usefulness: score, answeredAt: now, late });
  } catch (err) {
    if (isDuplicateKeyError(err)) return { ok: false, reason: "already" };
    throw err;
  }
  // Only after this insert succeeded: the unique index makes it once per answer.
  if (pairId) {
    const pair = await Pair.findById(pairId, { mentorProfileId: 1 }).lean();
    if (pair) await MentorProfile.updateOne({ _id: pair.mentorProfileId }, { $inc: { ratingSum: score, ratingCount: 1 } });
  }
  return { ok: true, late };
}

/** "Did it solve your problem?": set once on the mentee's own answer. */
export async function recordSolved(meetingId: string, userId: string, solved: SurveySolved): Promise<SurveyResult> {
  const m = await heldMeeting(meetingId);
  if (!m || !isParticipant(m, userId)) return { ok: false, reason: "not_allowed" };
  const res = await SurveyAnswer.updateOne({ meetingId: m._id, respondentId: userId, kind: KIND, role: "mentee", solved: { $exists: false } }, { $set: { solved } });
  if (res.modifiedCount === 1) return { ok: true };
  const existing = await SurveyAnswer.exists({ meetingId: m._id, respondentId: userId, kind: KIND });
  return { ok: false, reason: existing ? "already" : "not_allowed" };
}

/** The mentee's optional comment, once. */
export async function recordComment(meetingId: string, userId: string, comment: string): Promise<SurveyResult> {
  const m = await heldMeeting(meetingId);
  if (!m || !isParticipant(m, userId)) return { ok: false, reason: "not_allowed" };
  const res = await SurveyAnswer.updateOne(
    { meetingId: m._id, respondentId: userId, kind: KIND, role: "mentee", comment: { $exists: false } },
    { $set: { comment: comment.slice(0, 500) } },
  );
  return res.modifiedCount === 1 ? { ok: true } : { ok: false, reason: "already" };
}

/** Whether the host may (still) write a reflection on this meeting. */
export async function canReflect(meetingId: string, userId: string): Promise<SurveyResult> {
  const m = await heldMeeting(meetingId);
  if (!m || !m.hostId.equals(userId)) return { ok: false, reason: "not_allowed" };
  return (await SurveyAnswer.exists({ meetingId: m._id, respondentId: userId, kind: KIND })) ? { ok: false, reason: "already" } : { ok: true };
}

/** The host's reflection (what worked, what next), once. */
export async function recordReflection(meetingId: string, userId: string, reflection: string, now: Date): Promise<SurveyResult> {
  const m = await heldMeeting(meetingId);
  if (!m || !m.hostId.equals(userId)) return { ok: false, reason: "not_allowed" };
  const end = (m.startAt?.getTime() ?? now.getTime()) + m.durationMin * 60_000;
  try {
    await SurveyAnswer.create({
      meetingId: m._id,
      organizationId: m.organizationId,
      pairId: m.pairId,
      respondentId: new Types.ObjectId(userId),
      role: "mentor",
      kind: KIND,
      reflection: reflection.slice(0, 1000),
      answeredAt: now,
      late: now.getTime() - end > SURVEY_LATE_AFTER_MS,
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) return { ok: false, reason: "already" };
    throw err;
  }
  return { ok: true };
}

/** Erasure: the person's answers lose the respondent and the free texts; the scores stay, anonymised. */
export const surveysErasureStep: ErasureStep = async (userId) => {
  const answers = await SurveyAnswer.find({ respondentId: userId }, { _id: 1 }).lean();
  let n = 0;
  for (const a of answers) {
    const res = await SurveyAnswer.updateOne({ _id: a._id }, { $unset: { respondentId: 1, comment: 1, reflection: 1 }, $set: { anonymousKey: a._id.toString() } });
    n += res.modifiedCount;
  }
  return { counts: { surveyAnswers: n }, notify: [] };
};
