import { Types } from "mongoose";
import { MentorshipRequest, SurveyResponse, User } from "../../models/index.ts";
import { DEFICIT_CATALOGUE } from "./deficits.ts";
import { findSet, findSetVersion, type QuestionSetDefinition } from "./question-sets.ts";
import { questionNotice, startResponse, type ResponseLean } from "./questionnaires.ts";
import type { Notice } from "./notices.ts";

/**
 * The deficit diagnostic (issue 16): a teacher scores statements of the professional standard
 * 1–5; topics whose average is at most the set's `lowScore` become suggested deficits, offered
 * when she opens /request (she confirms or changes them). How the deficits were identified is
 * recorded on the request: "diagnostic", "self_assessment" or "curator_observation".
 */

export const DIAGNOSTIC_SET = "deficit-diagnostic";
export const IDENTIFICATION_METHODS = ["diagnostic", "self_assessment", "curator_observation"] as const;
export type IdentificationMethod = (typeof IDENTIFICATION_METHODS)[number];
/** A diagnostic older than this suggests nothing any more. */
const FRESH_MS = 365 * 86_400_000;

/** Starts (or resumes) the teacher's own diagnostic: the first unanswered question. */
export async function startDiagnostic(userId: string, now: Date): Promise<Notice[]> {
  const user = await User.findById(userId).lean();
  if (!user) return [];
  const open = await SurveyResponse.findOne({ respondentId: user._id, setCode: DIAGNOSTIC_SET, campaignId: { $exists: false }, status: { $in: ["open", "paused"] } }).lean<ResponseLean>();
  let response = open;
  let set: QuestionSetDefinition | null;
  if (open) {
    set = await findSetVersion(open.setCode, open.setVersion);
    await SurveyResponse.updateOne({ _id: open._id, status: "paused" }, { $set: { status: "open" } });
  } else {
    set = await findSet(DIAGNOSTIC_SET);
    if (!set) return [];
    const started = await startResponse({ key: `diag:${userId}:${now.getTime()}`, occasion: "self", set, respondentId: userId, organizationId: user.organizationId?.toString(), now });
    response = await SurveyResponse.findById(started.id).lean<ResponseLean>();
  }
  if (!response || !set) return [];
  return questionNotice(response, set, user, { intro: response.cursor === 0 });
}

export interface SuggestedDeficit {
  code: string;
  average: number;
}

/** Low-scoring topics of the person's latest finished diagnostic (campaign or self-started), lowest first, at most three. */
export async function suggestedDeficits(userId: string, now: Date): Promise<SuggestedDeficit[]> {
  if (!Types.ObjectId.isValid(userId)) return [];
  const latest = await SurveyResponse.findOne({ respondentId: new Types.ObjectId(userId), kind: "diagnostic", status: "done", completedAt: { $gte: new Date(now.getTime() - FRESH_MS) } })
    .sort({ completedAt: -1 })
    .lean<ResponseLean>();
  if (!latest) return [];
  const set = await findSetVersion(latest.setCode, latest.setVersion);
  if (!set || set.lowScore === undefined) return [];
  return lowTopics(set, latest.answers).slice(0, 3);
}

/** Per-topic averages of the scale answers at or below the set's threshold, lowest first (catalogue order on ties). */
export function lowTopics(set: QuestionSetDefinition, answers: ReadonlyArray<{ q: string; score?: number | null }>): SuggestedDeficit[] {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const q of set.questions) {
    const a = answers.find((x) => x.q === q.id);
    if (q.type !== "scale" || typeof a?.score !== "number") continue;
    for (const code of q.topics ?? []) {
      const s = sums.get(code) ?? { sum: 0, n: 0 };
      sums.set(code, { sum: s.sum + a.score, n: s.n + 1 });
    }
  }
  const order = DEFICIT_CATALOGUE.map((d) => d.code);
  return [...sums.entries()]
    .map(([code, s]) => ({ code, average: s.sum / s.n }))
    .filter((x) => x.average <= (set.lowScore ?? 0))
    .sort((a, b) => a.average - b.average || order.indexOf(a.code) - order.indexOf(b.code));
}

/** Records how a request's deficits were identified (set once, by the request's mentee). */
export async function recordIdentification(requestId: string, menteeId: string, method: IdentificationMethod): Promise<boolean> {
  if (!Types.ObjectId.isValid(requestId) || !Types.ObjectId.isValid(menteeId) || !IDENTIFICATION_METHODS.includes(method)) return false;
  const res = await MentorshipRequest.updateOne({ _id: requestId, menteeId, identifiedBy: { $exists: false } }, { $set: { identifiedBy: method } });
  return res.modifiedCount === 1;
}

/**
 * A curator records that the request's deficits were identified by their own observation (the
 * third method of the target model). The caller authorizes the curator against the request's
 * organization; a cancelled request is left as it was.
 */
export async function markCuratorObservation(requestId: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(requestId)) return false;
  const res = await MentorshipRequest.updateOne({ _id: requestId, status: { $ne: "cancelled" } }, { $set: { identifiedBy: "curator_observation" } });
  return res.matchedCount === 1;
}
