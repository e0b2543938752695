import { Types } from "mongoose";
import { MentorshipRequest, SelfAssessment, type SelfAssessmentPhase } from "../../models/index.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import { registerErasureStep, type ErasureStep } from "./privacy.ts";

/**
 * Self-assessment (issue 6): the mentee rates their confidence (1–5) in each topic of a request
 * when creating it ("start") and when the mentoring ends ("end"); the difference is the growth
 * indicator. Transport-free. Importing this module registers its erasure step.
 */

export interface TopicScore {
  topic: string;
  score: number;
}

export type SelfAssessmentResult = { ok: true } | { ok: false; reason: "not_allowed" | "invalid" | "already" };

/**
 * Stores one phase of a request's self-assessment: only by the request's mentee, only for the
 * request's topics, integer scores 1–5, each topic at most once; a second one for a phase is "already".
 */
export async function recordSelfAssessment(input: {
  requestId: string;
  userId: string;
  phase: SelfAssessmentPhase;
  scores: TopicScore[];
  now: Date;
}): Promise<SelfAssessmentResult> {
  const { requestId, userId, phase, scores, now } = input;
  if (!Types.ObjectId.isValid(requestId) || !Types.ObjectId.isValid(userId)) return { ok: false, reason: "not_allowed" };
  const request = await MentorshipRequest.findById(requestId, { menteeId: 1, organizationId: 1, topics: 1, pairId: 1, anonymized: 1 }).lean();
  if (!request || request.anonymized || !request.menteeId.equals(userId)) return { ok: false, reason: "not_allowed" };
  if (phase !== "start" && phase !== "end") return { ok: false, reason: "invalid" };
  const topics = new Set(request.topics);
  const seen = new Set<string>();
  for (const s of scores) {
    if (!topics.has(s.topic) || seen.has(s.topic) || !Number.isInteger(s.score) || s.score < 1 || s.score > 5) return { ok: false, reason: "invalid" };
    seen.add(s.topic);
  }
  if (scores.length === 0) return { ok: false, reason: "invalid" };
  if (await SelfAssessment.exists({ requestId: request._id, phase })) return { ok: false, reason: "already" };
  try {
    await SelfAssessment.create({
      userId: new Types.ObjectId(userId),
      requestId: request._id,
      organizationId: request.organizationId,
      pairId: request.pairId ?? undefined,
      phase,
      scores: scores.map((s) => ({ topic: s.topic, score: s.score })),
      at: now,
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) return { ok: false, reason: "already" };
    throw err;
  }
  return { ok: true };
}

export interface RequestGrowth {
  /** Per topic scored in both phases: end − start. */
  topics: Array<{ topic: string; start: number; end: number; delta: number }>;
  /** The mean of the topics' deltas. */
  mean: number;
}

export function growthOf(start: TopicScore[], end: TopicScore[]): RequestGrowth | undefined {
  const topics: RequestGrowth["topics"] = [];
  for (const s of start) {
    const e = end.find((x) => x.topic === s.topic);
    if (e) topics.push({ topic: s.topic, start: s.score, end: e.score, delta: e.score - s.score });
  }
  if (topics.length === 0) return undefined;
  let sum = 0;
  for (const t of topics) sum += t.delta;
  return { topics, mean: sum / topics.length };
}

/** The growth indicator of one request; undefined while either phase is missing. */
export async function growthForRequest(requestId: string): Promise<RequestGrowth | undefined> {
  if (!Types.ObjectId.isValid(requestId)) return undefined;
  const rows = await SelfAssessment.find({ requestId: new Types.ObjectId(requestId) }, { phase: 1, scores: 1 }).lean();
  const start = rows.find((r) => r.phase === "start");
  const end = rows.find((r) => r.phase === "end");
  if (!start || !end) return undefined;
  return growthOf(start.scores, end.scores);
}

/**
 * The average growth (mean of each request's mean delta) across the organizations' requests that
 * have both phases; `mean` is undefined when there is none. Summed in code (no `$avg`).
 */
export async function growthSummary(organizationIds: string[]): Promise<{ requests: number; mean: number | undefined }> {
  const ids = organizationIds.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
  if (ids.length === 0) return { requests: 0, mean: undefined };
  const rows = await SelfAssessment.find({ organizationId: { $in: ids } }, { requestId: 1, phase: 1, scores: 1 }).lean();
  const byRequest = new Map<string, { start?: TopicScore[]; end?: TopicScore[] }>();
  for (const r of rows) {
    const key = r.requestId.toString();
    const entry = byRequest.get(key) ?? {};
    entry[r.phase] = r.scores;
    byRequest.set(key, entry);
  }
  let sum = 0;
  let count = 0;
  for (const { start, end } of byRequest.values()) {
    if (!start || !end) continue;
    const g = growthOf(start, end);
    if (!g) continue;
    sum += g.mean;
    count += 1;
  }
  return { requests: count, mean: count ? sum / count : undefined };
}

/** Erasure: the person's self-assessments lose their userId; the scores stay, anonymised. */
export const selfAssessmentErasureStep: ErasureStep = async (userId) => {
  const res = await SelfAssessment.updateMany({ userId }, { $unset: { userId: 1 } });
  return { counts: { selfAssessments: res.modifiedCount }, notify: [] };
};

registerErasureStep("self-assessment", selfAssessmentErasureStep);
