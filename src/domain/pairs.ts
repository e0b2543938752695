import { Types } from "mongoose";
import { Meeting, MentorProfile, Pair, User, type PairRecord } from "../../models/index.ts";
import { notice, type Notice } from "./notices.ts";
import { escapeHtml } from "../core/html.ts";
import { cancelPulses } from "./pulse.ts";
import type { Scheduler } from "./scheduler.ts";

/**
 * One rule for the life of a pair and the mentor's capacity (issue 11). Only long-term pairs hold
 * a place in the mentor's capacity: a place is taken once when such a pair forms
 * ({@link takeSlot}) and given back once when it ends, whatever ends it ({@link endPair}: program
 * completed or stopped early, reassignment, erasure, the mentor leaving the registry). Flash pairs
 * hold no place; they close when their meeting is logged as held, or after `FLASH_PAIR_IDLE`
 * without a meeting. A nightly reconciliation ({@link reconcileMentorLoad}) recomputes each
 * mentor's load from the pairs and repairs drift.
 */

export type PairLean = PairRecord & { _id: Types.ObjectId; createdAt?: Date };

export const PAIR_IDLE_JOB = "pair-idle";

/** Whether a pair of this kind holds a place in the mentor's capacity. */
export function holdsCapacity(kind: string | null | undefined): boolean {
  return kind === "long_term";
}

/** Takes one free place of a mentor (one conditional update: never beyond capacity, even under races). */
export async function takeSlot(mentorProfileId: Types.ObjectId | string): Promise<boolean> {
  const res = await MentorProfile.updateOne({ _id: mentorProfileId, freeSlots: { $gt: 0 } }, { $inc: { freeSlots: -1, activeMentees: 1 } });
  return res.modifiedCount === 1;
}

/** Gives a place back (only ever called by {@link endPair} and by the undo of a lost race). */
export async function releaseSlot(mentorProfileId: Types.ObjectId | string): Promise<void> {
  await MentorProfile.updateOne({ _id: mentorProfileId, activeMentees: { $gt: 0 } }, { $inc: { freeSlots: 1, activeMentees: -1 } });
}

export interface PairEnd {
  status: "completed" | "terminated";
  /** A reason code (see the model) or a participant's own words. */
  reason: string;
  /** The person who ended it, when a person did. */
  by?: Types.ObjectId | string | null;
}

/**
 * Ends an active pair exactly once (a conditional update: a second call, a race or a replay
 * returns null and changes nothing), gives the mentor's place back when the pair held one, stops
 * its pulses and its idle check. Returns the pair as it was before it ended.
 */
export async function endPair(pairId: Types.ObjectId | string, end: PairEnd, now: Date, deps: { scheduler: Pick<Scheduler, "cancelByPrefix"> }): Promise<PairLean | null> {
  if (!Types.ObjectId.isValid(String(pairId))) return null;
  const before = await Pair.findOneAndUpdate(
    { _id: pairId, status: "active" },
    {
      $set: {
        status: end.status,
        endedAt: now,
        endReason: end.reason.slice(0, 500),
        ...(end.by ? { endedBy: new Types.ObjectId(String(end.by)) } : {}),
      },
    },
  ).lean<PairLean>();
  if (!before) return null;
  if (holdsCapacity(before.kind)) await releaseSlot(before.mentorProfileId);
  await cancelPulses(deps.scheduler, before._id, now);
  await deps.scheduler.cancelByPrefix(`${PAIR_IDLE_JOB}:${before._id}:`);
  await cancelUpcomingMeetings(before._id, now, end.by, deps);
  return before;
}

/**
 * Meetings of an ended pair that have not happened yet (proposed, or booked for later) are
 * cancelled with their reminders: nobody is reminded of, or asked to move, a meeting of a pair
 * that no longer exists. Meetings already held or due for a log keep their state.
 */
async function cancelUpcomingMeetings(pairId: Types.ObjectId, now: Date, by: PairEnd["by"], deps: { scheduler: Pick<Scheduler, "cancelByPrefix"> }): Promise<void> {
  const upcoming = await Meeting.find({ pairId, $or: [{ status: "proposed" }, { status: "confirmed", startAt: { $gt: now } }] }, { _id: 1, status: 1 }).lean();
  for (const m of upcoming) {
    const res = await Meeting.updateOne(
      { _id: m._id, status: m.status },
      { $set: { status: "cancelled" }, $push: { history: { status: "cancelled", at: now, ...(by ? { by: new Types.ObjectId(String(by)) } : {}) } } },
    );
    if (res.modifiedCount > 0) await deps.scheduler.cancelByPrefix(`meeting:${m._id}:`);
  }
}

/** Schedules the idle check of a flash pair: `idleMs` after `from`. */
export async function schedulePairIdle(pairId: Types.ObjectId | string, from: Date, idleMs: number, scheduler: Pick<Scheduler, "enqueue">): Promise<void> {
  const runAt = new Date(from.getTime() + idleMs);
  await scheduler.enqueue({ type: PAIR_IDLE_JOB, key: `${PAIR_IDLE_JOB}:${pairId}:${runAt.getTime()}`, runAt, payload: { pairId: String(pairId) } });
}

export interface LoadRepair {
  mentorProfileId: string;
  before: { activeMentees: number; freeSlots: number };
  after: { activeMentees: number; freeSlots: number };
}

/**
 * Recomputes every mentor's load from the pairs: `activeMentees` = active long-term pairs,
 * `freeSlots` = capacity − that. A profile written in the last `settleMs` is left for the next run
 * (a pair may be forming right now: its place is taken a moment before the pair document is
 * written), and a repair is a conditional update on the values read, so it never overwrites a
 * concurrent change. Returns what was repaired.
 */
export async function reconcileMentorLoad(now: Date, settleMs = 10 * 60_000): Promise<{ checked: number; repaired: LoadRepair[] }> {
  const profiles = await MentorProfile.find({}, { capacity: 1, activeMentees: 1, freeSlots: 1, updatedAt: 1 }).lean();
  const active = await Pair.find({ status: "active", kind: "long_term" }, { mentorProfileId: 1 }).lean();
  const load = new Map<string, number>();
  for (const p of active) load.set(String(p.mentorProfileId), (load.get(String(p.mentorProfileId)) ?? 0) + 1);
  const repaired: LoadRepair[] = [];
  for (const p of profiles) {
    const activeMentees = load.get(String(p._id)) ?? 0;
    const freeSlots = p.capacity - activeMentees;
    if (p.activeMentees === activeMentees && p.freeSlots === freeSlots) continue;
    const updatedAt = (p as { updatedAt?: Date }).updatedAt;
    if (updatedAt && now.getTime() - new Date(updatedAt).getTime() < settleMs) continue;
    const res = await MentorProfile.updateOne(
      { _id: p._id, capacity: p.capacity, activeMentees: p.activeMentees, freeSlots: p.freeSlots },
      { $set: { activeMentees, freeSlots } },
    );
    if (res.modifiedCount === 1) {
      repaired.push({ mentorProfileId: String(p._id), before: { activeMentees: p.activeMentees, freeSlots: p.freeSlots }, after: { activeMentees, freeSlots } });
    }
  }
  return { checked: profiles.length, repaired };
}

/**
 * The idle check of a flash pair (job {@link PAIR_IDLE_JOB}): a meeting proposed or booked keeps
 * the pair open (checked again `idleMs` after its start, or after the latest change); with no
 * meeting for `idleMs` the pair closes and both sides are told, the mentee how to ask again.
 */
export async function checkIdlePair(
  pairId: string,
  now: Date,
  deps: { scheduler: Pick<Scheduler, "enqueue" | "cancelByPrefix">; idleMs: number },
): Promise<Notice[]> {
  if (!Types.ObjectId.isValid(pairId)) return [];
  const pair = await Pair.findById(pairId).lean<PairLean>();
  if (!pair || pair.status !== "active" || pair.kind !== "flash") return [];
  const meetings = await Meeting.find({ pairId: pair._id }, { status: 1, startAt: 1, updatedAt: 1 }).lean();
  let lastActivity = new Date(pair.createdAt ?? now).getTime();
  for (const m of meetings) {
    const changed = new Date((m as { updatedAt?: Date }).updatedAt ?? 0).getTime();
    const start = m.startAt && (m.status === "proposed" || m.status === "confirmed") ? new Date(m.startAt).getTime() : 0;
    lastActivity = Math.max(lastActivity, changed, start);
  }
  if (lastActivity + deps.idleMs > now.getTime()) {
    await schedulePairIdle(pair._id, new Date(lastActivity), deps.idleMs, deps.scheduler);
    return [];
  }
  const ended = await endPair(pair._id, { status: "completed", reason: "flash_idle" }, now, deps);
  if (!ended) return [];
  const [mentor, mentee] = await Promise.all([User.findById(pair.mentorId).lean(), User.findById(pair.menteeId).lean()]);
  const days = Math.round(deps.idleMs / 86_400_000);
  return [
    ...notice(mentee, "flash-pair-idle-mentee", { name: escapeHtml(mentor?.profile?.fullName ?? ""), days }, [[{ label: "menu-request", data: "m:request" }]]),
    ...notice(mentor, "flash-pair-idle-mentor", { name: escapeHtml(mentee?.profile?.fullName ?? ""), days }),
  ];
}

/**
 * Mutual pairs (issue 15): when a pair forms between two people who already have an active pair
 * in the other direction (she teaches him, he teaches her — typically a reverse pair beside an
 * ordinary one), the two are linked both ways through `mutualPairId` and shown as one mutual pair.
 * Capacity is untouched: each direction took its own place when it formed ({@link takeSlot}) and
 * gives it back when it ends ({@link endPair}), as any pair. Each link is a conditional update on
 * an unlinked pair, so a replay or a race links nothing twice. Returns the counterpart's id.
 */
export async function linkMutualPair(pairId: Types.ObjectId | string): Promise<string | undefined> {
  const pair = await Pair.findById(pairId, { mentorId: 1, menteeId: 1, status: 1, mutualPairId: 1 }).lean();
  if (!pair || pair.status !== "active") return undefined;
  if (pair.mutualPairId) return pair.mutualPairId.toString();
  const other = await Pair.findOne(
    { mentorId: pair.menteeId, menteeId: pair.mentorId, status: "active", mutualPairId: { $exists: false }, kind: { $ne: "question" } },
    { _id: 1 },
  ).lean();
  if (!other) return undefined;
  const linked = await Pair.updateOne({ _id: other._id, mutualPairId: { $exists: false } }, { $set: { mutualPairId: pair._id } });
  if (linked.modifiedCount !== 1) return undefined;
  await Pair.updateOne({ _id: pair._id, mutualPairId: { $exists: false } }, { $set: { mutualPairId: other._id } });
  return other._id.toString();
}

/** How a pair is marked in every view: "reverse", "mutual" (each teaches the other) or nothing. */
export function pairMarkers(pair: { reverse?: boolean | null; mutualPairId?: unknown }): Array<"reverse" | "mutual"> {
  return [...(pair.reverse ? (["reverse"] as const) : []), ...(pair.mutualPairId ? (["mutual"] as const) : [])];
}
