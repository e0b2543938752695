import { Types } from "mongoose";
import { FinalSurvey, MentorshipRequest, Pair, SelfAssessment, User } from "../../models/index.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import { isYoungSpecialist } from "./registration.ts";
import { DEFICIT_CATALOGUE } from "./deficits.ts";
import { valid, programOfGroup, programOfPair, type PairLean } from "./programs.ts";

/** The final survey of an ended long-term pair (issue 6): satisfaction, adaptation (young specialists), what changed; and the closing self-assessment's topics. */

export type FinalSurveyResult = { ok: true; askAdaptation?: boolean } | { ok: false; reason: "not_allowed" | "already" };

async function endedPairOf(pairId: string, userId: string): Promise<{ pair: PairLean; role: "mentor" | "mentee" } | null> {
  if (!valid(pairId) || !valid(userId)) return null;
  const pair = await Pair.findById(pairId).lean<PairLean & { endReason?: string | null }>();
  // Only long-term pairs that ended on their own (finishPair) got the final survey; not a reassignment or an erasure.
  if (!pair || pair.status === "active" || pair.kind !== "long_term" || pair.endReason === "reassigned" || pair.endReason === "participant_left") return null;
  const role = pair.mentorId.equals(userId) ? "mentor" : pair.menteeId.equals(userId) ? "mentee" : null;
  return role ? { pair, role } : null;
}

/** Final survey, step 1: satisfaction 1–5, once per pair and side. Mentees who are young specialists are asked about adaptation next. */
export async function recordSatisfaction(pairId: string, userId: string, score: number, now: Date): Promise<FinalSurveyResult> {
  const found = await endedPairOf(pairId, userId);
  if (!found || !Number.isInteger(score) || score < 1 || score > 5) return { ok: false, reason: "not_allowed" };
  // A seat of a group answers about the group's program.
  const program = (await programOfPair(found.pair._id)) ?? (found.pair.groupId ? await programOfGroup(found.pair.groupId) : null);
  try {
    await FinalSurvey.create({
      pairId: found.pair._id,
      programId: program?._id,
      organizationId: found.pair.organizationId,
      respondentId: new Types.ObjectId(userId),
      role: found.role,
      satisfaction: score,
      answeredAt: now,
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) return { ok: false, reason: "already" };
    throw err;
  }
  if (found.role !== "mentee") return { ok: true };
  const me = await User.findById(userId, { profile: 1 }).lean();
  return { ok: true, askAdaptation: isYoungSpecialist(me?.profile, now) };
}

/** Final survey, adaptation 1–5 (young specialists), once. */
export async function recordAdaptation(pairId: string, userId: string, score: number): Promise<FinalSurveyResult> {
  const found = await endedPairOf(pairId, userId);
  if (!found || found.role !== "mentee" || !Number.isInteger(score) || score < 1 || score > 5) return { ok: false, reason: "not_allowed" };
  const me = await User.findById(userId, { profile: 1 }).lean();
  const answered = await FinalSurvey.findOne({ pairId: found.pair._id, role: "mentee" }, { answeredAt: 1 }).lean();
  if (!isYoungSpecialist(me?.profile, answered?.answeredAt ?? new Date())) return { ok: false, reason: "not_allowed" };
  const res = await FinalSurvey.updateOne({ pairId: found.pair._id, role: "mentee", respondentId: userId, adaptation: { $exists: false } }, { $set: { adaptation: score } });
  return res.modifiedCount === 1 ? { ok: true } : { ok: false, reason: "already" };
}

/** Final survey, "what changed" (free text), once, after the satisfaction answer. */
export async function recordChanged(pairId: string, userId: string, text: string): Promise<FinalSurveyResult> {
  const found = await endedPairOf(pairId, userId);
  if (!found) return { ok: false, reason: "not_allowed" };
  const res = await FinalSurvey.updateOne({ pairId: found.pair._id, role: found.role, respondentId: userId, changed: { $exists: false } }, { $set: { changed: text.slice(0, 1000) } });
  return res.modifiedCount === 1 ? { ok: true } : { ok: false, reason: "already" };
}

/** Topics of a finished pair's request for the closing self-assessment, if the mentee may still give it. */
export async function endAssessmentTopics(requestId: string, userId: string): Promise<string[] | null> {
  if (!valid(requestId) || !valid(userId)) return null;
  const request = await MentorshipRequest.findById(requestId, { menteeId: 1, topics: 1, pairId: 1, anonymized: 1 }).lean();
  if (!request || request.anonymized || !request.menteeId.equals(userId) || !request.pairId) return null;
  const pair = await Pair.findById(request.pairId, { status: 1 }).lean();
  if (!pair || pair.status === "active") return null;
  if (await SelfAssessment.exists({ requestId: request._id, phase: "end" })) return null;
  const codes = new Set(DEFICIT_CATALOGUE.map((d) => d.code));
  return request.topics.filter((t) => codes.has(t));
}
