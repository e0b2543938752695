import { Types } from "mongoose";
import { forDailyList } from "./curator-list.ts";
import { Job, Pair, PulseCheckin, RiskFlag, User, resolution, type RiskKind } from "../../models/index.ts";
import { notice, type Notice, type NoticeButton } from "./notices.ts";
import { escapeHtml } from "../core/html.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import { curatorsOf, isCuratorOf } from "./roles.ts";
import { nameIn } from "./russian.ts";
import type { ErasureStep } from "./privacy.ts";

/**
 * Pulse check-ins of long-term pairs (issue 6): every `PULSE_INTERVAL` both sides rate how the
 * mentoring goes (1–5) and whether they meet often enough. A low score (≤ 2) or a side that missed
 * two rounds in a row raises a risk flag and tells the curators of the pair's organization (and
 * its networks). Rounds are jobs keyed `pulse:<pairId>:<round>`; each round marks the previous
 * round's unanswered check-ins missed, sends the new ones (unique per pair, round and side, so a
 * retried or late round sends once) and enqueues the next. Transport-free: returns notices.
 */

export const PULSE_ROUND_JOB = "pulse-round";
export const PULSE_SWEEP_JOB = "pulse-sweep";
/** Scores at or below this raise a `pulse_low` flag. */
export const PULSE_LOW_SCORE = 2;

type Side = "mentor" | "mentee";
const SIDES: readonly Side[] = ["mentor", "mentee"];

export interface PulseScheduler {
  enqueue(job: { type: string; key: string; runAt: Date; payload: unknown }): Promise<boolean>;
}

export interface PulseDeps {
  scheduler: PulseScheduler;
  intervalMs: number;
}

interface PairLean {
  _id: Types.ObjectId;
  mentorId: Types.ObjectId;
  menteeId: Types.ObjectId;
  organizationId: Types.ObjectId;
  kind: "flash" | "long_term" | "question";
  status: "active" | "completed" | "terminated";
  createdAt?: Date;
}

interface Person {
  _id: Types.ObjectId;
  telegramId?: number | null;
  locale?: string | null;
  erasedAt?: Date | null;
  unreachable?: boolean | null;
  profile?: { fullName?: string | null } | null;
}

/** Job key prefix of a pair's rounds (for `cancelByPrefix`). */
export function pulseKeyPrefix(pairId: string | Types.ObjectId): string {
  return `pulse:${String(pairId)}:`;
}

export function pulseRoundJob(pairId: string | Types.ObjectId, round: number, runAt: Date) {
  return { type: PULSE_ROUND_JOB, key: `${pulseKeyPrefix(pairId)}${round}`, runAt, payload: { pairId: String(pairId), round } };
}

/**
 * When the round after one due at `dueAt` comes: one interval later, but never sooner than half an
 * interval after now (after a long outage the rounds do not come back to back).
 */
export function nextRoundAt(dueAt: Date, now: Date, intervalMs: number): Date {
  const next = dueAt.getTime() + intervalMs;
  return new Date(next < now.getTime() + intervalMs / 2 ? now.getTime() + intervalMs : next);
}

async function activeLongTermPair(pairId: string | Types.ObjectId): Promise<PairLean | null> {
  if (!Types.ObjectId.isValid(String(pairId))) return null;
  const pair = await Pair.findById(pairId).lean<PairLean>();
  return pair && pair.status === "active" && pair.kind === "long_term" ? pair : null;
}

/** Round 1, one interval after the pair was formed (only for active long-term pairs; idempotent). */
export async function schedulePairPulse(pairId: string | Types.ObjectId, formedAt: Date, deps: PulseDeps): Promise<boolean> {
  const pair = await activeLongTermPair(pairId);
  if (!pair) return false;
  return deps.scheduler.enqueue(pulseRoundJob(pair._id, 1, new Date(formedAt.getTime() + deps.intervalMs)));
}

async function pairPeople(pair: PairLean): Promise<{ mentor: Person | null; mentee: Person | null }> {
  const people = (await User.find({ _id: { $in: [pair.mentorId, pair.menteeId] } }).lean()) as unknown as Person[];
  return { mentor: people.find((p) => p._id.equals(pair.mentorId)) ?? null, mentee: people.find((p) => p._id.equals(pair.menteeId)) ?? null };
}

const nameOf = (p: Person | null) => escapeHtml(p?.profile?.fullName ?? "—");

/** The one-tap question of a check-in: "how is it going, 1–5". */
function askScore(recipient: Person | null, partner: Person | null, checkinId: Types.ObjectId): Notice[] {
  const scores: NoticeButton[][] = [[1, 2, 3, 4, 5].map((n) => ({ label: String(n), literal: true, data: `pl:s:${checkinId}:${n}` }))];
  return notice(recipient, "pulse-ask-score", { nameIns: nameIn(partner, "instrumental", recipient?.locale) }, scores);
}

/**
 * Job: one pulse round of a pair. Nothing for a pair that is no longer active. Otherwise the next
 * round is enqueued first (the chain never breaks when something below fails and is retried),
 * then the previous round's unanswered check-ins become missed (two missed in a row raise a flag),
 * then both sides get the question once.
 */
export async function runPulseRound(pairId: string, round: number, now: Date, dueAt: Date, deps: PulseDeps): Promise<Notice[]> {
  if (!Number.isInteger(round) || round < 1) return [];
  const pair = await activeLongTermPair(pairId);
  if (!pair) return [];
  await deps.scheduler.enqueue(pulseRoundJob(pair._id, round + 1, nextRoundAt(dueAt, now, deps.intervalMs)));
  const people = await pairPeople(pair);
  const out: Notice[] = [];
  if (round > 1) {
    await PulseCheckin.updateMany({ pairId: pair._id, round: round - 1, status: "sent" }, { $set: { status: "missed" } });
    out.push(...(await raiseMissedFlag(pair, round - 1, now, people)));
  }
  for (const side of SIDES) {
    const userId = side === "mentor" ? pair.mentorId : pair.menteeId;
    let checkinId: Types.ObjectId;
    try {
      const created = await PulseCheckin.create({ pairId: pair._id, organizationId: pair.organizationId, userId, role: side, round, sentAt: now });
      checkinId = created._id;
    } catch (err) {
      if (isDuplicateKeyError(err)) continue; // a retried or repeated round: sent already
      throw err;
    }
    out.push(...askScore(people[side], side === "mentor" ? people.mentee : people.mentor, checkinId));
  }
  return out;
}

/** Sides whose check-ins of `round` and the round before were both missed. */
async function sidesMissedTwice(pairId: Types.ObjectId, round: number): Promise<Side[]> {
  if (round < 2) return [];
  const missed = await PulseCheckin.find({ pairId, round: { $in: [round - 1, round] }, status: "missed" }, { role: 1 }).lean();
  return SIDES.filter((side) => missed.filter((c) => c.role === side).length === 2);
}

/** A `pulse_missed` flag for `round` when a side missed it and the round before (unless one is open already). */
async function raiseMissedFlag(pair: PairLean, round: number, now: Date, people: { mentor: Person | null; mentee: Person | null }): Promise<Notice[]> {
  const sides = await sidesMissedTwice(pair._id, round);
  if (sides.length === 0) return [];
  if (await RiskFlag.exists({ pairId: pair._id, kind: "pulse_missed", open: true, round: { $ne: round } })) return [];
  const role = sides.length === 2 ? "both" : (sides[0] as Side);
  return raiseFlag(pair, "pulse_missed", round, role, undefined, now, people);
}

/**
 * Creates the flag once (unique key per pair, kind and round) and tells the curators. A repeat
 * (a retried job, the other side answering low in the same round) tells nobody again; a second
 * low answer in the round marks the flag as both sides' with the lower score.
 */
async function raiseFlag(
  pair: PairLean,
  kind: RiskKind,
  round: number,
  role: Side | "both",
  score: number | undefined,
  now: Date,
  people?: { mentor: Person | null; mentee: Person | null },
): Promise<Notice[]> {
  const key = `${pair._id}:${kind}:${round}`;
  let flagId: Types.ObjectId;
  try {
    const flag = await RiskFlag.create({ key, organizationId: pair.organizationId, pairId: pair._id, kind, round, role, score, raisedAt: now });
    flagId = flag._id;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const existing = await RiskFlag.findOne({ key }).lean();
    if (existing && kind === "pulse_low" && existing.role !== role && existing.role !== "both") {
      await RiskFlag.updateOne({ _id: existing._id }, { $set: { role: "both", score: Math.min(existing.score ?? 5, score ?? 5) } });
    }
    return [];
  }
  const { mentor, mentee } = people ?? (await pairPeople(pair));
  const args = { mentor: nameOf(mentor), mentee: nameOf(mentee), side: role, score: score ?? 0, round };
  const buttons: NoticeButton[][] = [[{ label: "pulse-flag-ack", data: `pl:ok:${flagId}` }]];
  const curators = (await curatorsOf(pair.organizationId.toString())) as unknown as Person[];
  return forDailyList(curators.flatMap((c) => notice(c, kind === "pulse_low" ? "pulse-flag-low" : "pulse-flag-missed", args, buttons)), "risk", flagId);
}

export type PulseResult = { ok: true; notices: Notice[] } | { ok: false; reason: "not_allowed" | "already" | "closed" };

/** The caller's own check-in, with its pair; `closed` once the pair has ended. */
async function ownCheckin(checkinId: string, userId: string) {
  if (!Types.ObjectId.isValid(checkinId) || !Types.ObjectId.isValid(userId)) return { ok: false as const, reason: "not_allowed" as const };
  const checkin = await PulseCheckin.findById(checkinId).lean();
  if (!checkin?.userId?.equals(userId)) return { ok: false as const, reason: "not_allowed" as const };
  const pair = await Pair.findById(checkin.pairId).lean<PairLean>();
  if (!pair || pair.status !== "active") return { ok: false as const, reason: "closed" as const };
  return { ok: true as const, checkin, pair };
}

/** "How is it going": the score, once, while the round is open; ≤ 2 raises a `pulse_low` flag. */
export async function recordPulseScore(checkinId: string, userId: string, score: number, now: Date): Promise<PulseResult> {
  if (!Number.isInteger(score) || score < 1 || score > 5) return { ok: false, reason: "not_allowed" };
  const own = await ownCheckin(checkinId, userId);
  if (!own.ok) return own;
  const { checkin, pair } = own;
  const res = await PulseCheckin.updateOne({ _id: checkin._id, userId: checkin.userId, status: "sent" }, { $set: { status: "answered", score, answeredAt: now } });
  if (res.modifiedCount !== 1) {
    const fresh = await PulseCheckin.findById(checkin._id, { status: 1 }).lean();
    return { ok: false, reason: fresh?.status === "answered" ? "already" : "closed" };
  }
  const notices = score <= PULSE_LOW_SCORE ? await raiseFlag(pair, "pulse_low", checkin.round, checkin.role, score, now) : [];
  return { ok: true, notices };
}

/** "Do you meet often enough": once, after the score. */
export async function recordPulseEnough(checkinId: string, userId: string, enough: boolean): Promise<PulseResult> {
  const own = await ownCheckin(checkinId, userId);
  if (!own.ok) return own;
  const { checkin } = own;
  if (checkin.status !== "answered") return { ok: false, reason: checkin.status === "missed" ? "closed" : "not_allowed" };
  const res = await PulseCheckin.updateOne({ _id: checkin._id, userId: checkin.userId, status: "answered", enough: { $exists: false } }, { $set: { enough } });
  return res.modifiedCount === 1 ? { ok: true, notices: [] } : { ok: false, reason: "already" };
}

/** A curator (of the flag's organization or one of its networks) or an admin acknowledges a flag. */
export async function acknowledgeFlag(
  flagId: string,
  curator: Parameters<typeof isCuratorOf>[0] & { _id: Types.ObjectId },
  admin: boolean,
  now: Date,
): Promise<{ ok: true } | { ok: false; reason: "not_allowed" | "already" }> {
  if (!Types.ObjectId.isValid(flagId)) return { ok: false, reason: "not_allowed" };
  const flag = await RiskFlag.findById(flagId).lean();
  if (!flag || !(admin || (await isCuratorOf(curator, flag.organizationId.toString())))) return { ok: false, reason: "not_allowed" };
  const res = await RiskFlag.updateOne({ _id: flag._id, resolvedAt: { $exists: false } }, resolution(now, curator._id));
  return res.modifiedCount === 1 ? { ok: true } : { ok: false, reason: "already" };
}

export interface RiskFlagView {
  id: string;
  kind: RiskKind;
  round: number;
  /** Which side answered low or missed. */
  role: "mentor" | "mentee" | "both";
  score?: number;
  raisedAt: Date;
  pairId: string;
  organizationId: string;
  mentorName: string;
  menteeName: string;
}

/**
 * Open risk flags of these organizations (for the curator digest), oldest first: not acknowledged,
 * and only of pairs that are still active. Names are plain text (escape them for HTML).
 */
export async function openRiskFlags(organizationIds: Array<string | Types.ObjectId>): Promise<RiskFlagView[]> {
  const ids = organizationIds.filter((id) => Types.ObjectId.isValid(String(id))).map((id) => new Types.ObjectId(String(id)));
  if (ids.length === 0) return [];
  const flags = await RiskFlag.find({ organizationId: { $in: ids }, open: true }).sort({ raisedAt: 1, _id: 1 }).lean();
  if (flags.length === 0) return [];
  const pairs = (await Pair.find({ _id: { $in: flags.map((f) => f.pairId) }, status: "active" }).lean()) as unknown as PairLean[];
  const users = (await User.find({ _id: { $in: pairs.flatMap((p) => [p.mentorId, p.menteeId]) } }, { profile: 1 }).lean()) as unknown as Person[];
  const name = (id: Types.ObjectId) => users.find((u) => u._id.equals(id))?.profile?.fullName ?? "—";
  const out: RiskFlagView[] = [];
  for (const f of flags) {
    const pair = pairs.find((p) => p._id.equals(f.pairId));
    if (!pair) continue;
    out.push({
      id: f._id.toString(),
      kind: f.kind,
      round: f.round,
      role: f.role ?? "both",
      ...(f.score != null ? { score: f.score } : {}),
      raisedAt: f.raisedAt,
      pairId: pair._id.toString(),
      organizationId: f.organizationId.toString(),
      mentorName: name(pair.mentorId),
      menteeName: name(pair.menteeId),
    });
  }
  return out;
}

/**
 * Daily safety net: every active long-term pair without a pending pulse round gets its next round
 * (pairs formed before pulses existed, or whose chain broke). The round follows the last sent one
 * by an interval (or the pair's start for the first), at once when that moment has passed.
 */
export async function ensurePulseRounds(now: Date, deps: PulseDeps): Promise<number> {
  // Seats of mentoring groups have no pulse rounds: a group is followed by its attendance and surveys (issue 15).
  const pairs = (await Pair.find({ status: "active", kind: "long_term", groupId: { $exists: false } }, { _id: 1, createdAt: 1 }).lean()) as unknown as PairLean[];
  if (pairs.length === 0) return 0;
  const waiting = await Job.find({ type: PULSE_ROUND_JOB, status: { $in: ["pending", "running"] } }, { key: 1 }).lean();
  const scheduled = new Set(waiting.map((j) => j.key.split(":")[1]));
  let created = 0;
  for (const pair of pairs) {
    if (scheduled.has(pair._id.toString())) continue;
    const last = await PulseCheckin.findOne({ pairId: pair._id }, { round: 1, sentAt: 1 }).sort({ round: -1 }).lean();
    const lastRound = last?.round ?? 0;
    const due = last ? last.sentAt.getTime() + deps.intervalMs : (pair.createdAt ?? now).getTime() + deps.intervalMs;
    // A round whose key is taken (finished without check-ins) is skipped for the next one.
    for (let round = lastRound + 1; round <= lastRound + 3; round++) {
      if (await deps.scheduler.enqueue(pulseRoundJob(pair._id, round, new Date(Math.max(due, now.getTime()))))) {
        created++;
        break;
      }
    }
  }
  return created;
}

/** Erasure: the person's check-ins lose the user id (the scores stay, anonymised); flags forget who acknowledged them. */
export const pulseErasureStep: ErasureStep = async (userId) => {
  const checkins = await PulseCheckin.updateMany({ userId }, { $unset: { userId: 1 } });
  await RiskFlag.updateMany({ resolvedBy: userId }, { $unset: { resolvedBy: 1 } });
  return { counts: { pulseCheckins: checkins.modifiedCount }, notify: [] };
};

/**
 * Stops a pair's pulses (call it when a pair is completed or terminated): pending rounds are
 * cancelled and its open risk flags resolved. Rounds check the pair's status anyway, so a pair
 * ended elsewhere gets no more pulses either; this keeps the queue and the digest tidy.
 */
export async function cancelPulses(queue: { cancelByPrefix(prefix: string): Promise<number> }, pairId: string | Types.ObjectId, now: Date = new Date()): Promise<number> {
  await RiskFlag.updateMany({ pairId, resolvedAt: { $exists: false } }, resolution(now));
  return queue.cancelByPrefix(pulseKeyPrefix(pairId));
}
