import { Types } from "mongoose";
import { findAnyOf } from "../db/read-connection.ts";
import { Meeting, MeetingSeries, MentoringGroup, Pair, User, type MeetingStatus } from "../../models/index.ts";
import { notice, withKeyArgs, type Notice, type NoticeButton } from "./notices.ts";
import { earliestFirst, formatInZone } from "../core/datetime.ts";
import { icsSummary, storedMeetingIcs } from "./ics.ts";
import { escapeHtml } from "../core/html.ts";
import { DEFAULT_TIMEZONE, organizationZones } from "./matching.ts";
import { curatorsOf } from "./roles.ts";
import { endPair, pairMarkers } from "./pairs.ts";

/**
 * Flash sessions of a pair (stage VI): proposal of up to three slots → the other side picks one →
 * confirmed (calendar file to both) → reminders at the configured offsets → follow-up to the
 * mentor after the end → held (log) | missed | rescheduled. Transport-free: returns notices;
 * reminders and follow-ups are jobs keyed `meeting:<id>:…` so a cancel or reschedule moves them.
 */

export const MEETING_REMINDER_JOB = "meeting-reminder";
export const MEETING_FOLLOWUP_JOB = "meeting-followup";
export const MEETING_UNLOGGED_JOB = "meeting-unlogged";
const FOLLOWUP_REPEAT_MS = 24 * 3_600_000;

export interface MeetingScheduler {
  enqueue(job: { type: string; key: string; runAt: Date; payload: unknown }): Promise<boolean>;
  cancelByPrefix(prefix: string): Promise<number>;
}

export interface MeetingDeps {
  scheduler: MeetingScheduler;
  reminderOffsetsMs: number[];
  followupDelayMs: number;
}

/** A meeting as read with `.lean()` (mongoose's inferred array types are not plain arrays). */
export interface MeetingLean {
  _id: Types.ObjectId;
  kind: "pair" | "group";
  pairId?: Types.ObjectId;
  seriesId?: Types.ObjectId;
  /** A mentoring group's meeting (issue 15). */
  groupId?: Types.ObjectId;
  organizationId: Types.ObjectId;
  hostId: Types.ObjectId;
  participantIds: Types.ObjectId[];
  proposedBy?: Types.ObjectId;
  proposals: Date[];
  startAt?: Date;
  durationMin: number;
  topic?: string;
  mode: "in_person" | "online";
  place?: string;
  status: MeetingStatus;
  sequence: number;
  unlogged?: boolean;
  declinedIds?: Types.ObjectId[];
  log?: { covered?: string | null; nextStep?: string | null; attachmentFileId?: string | null; attachmentKind?: string | null; absentIds?: Types.ObjectId[] | null };
}
/** A user as the meeting services read it (lean). */
export interface Person {
  _id: Types.ObjectId;
  telegramId?: number | null;
  locale?: string | null;
  erasedAt?: Date | null;
  unreachable?: boolean | null;
  organizationId?: Types.ObjectId | null;
  profile?: { fullName?: string | null } | null;
}

/** The zone of an organization (cached for a minute by src/domain/matching.ts). */
export async function zoneOfOrganization(organizationId: Types.ObjectId | string | null | undefined): Promise<string> {
  if (!organizationId) return DEFAULT_TIMEZONE;
  return (await organizationZones([String(organizationId)])).get(String(organizationId)) ?? DEFAULT_TIMEZONE;
}

async function zoneOf(person: Person | null | undefined): Promise<string> {
  return zoneOfOrganization(person?.organizationId);
}

export function loc(person: { locale?: string | null } | null | undefined): "ru" | "en" {
  return person?.locale === "en" ? "en" : "ru";
}

async function people(ids: Types.ObjectId[]): Promise<Person[]> {
  return (await User.find({ _id: { $in: ids } }).lean()) as unknown as Person[];
}

function historyEntry(status: MeetingStatus, at: Date, by?: Types.ObjectId | string, extra: { previousStartAt?: Date; note?: string } = {}) {
  return { status, at, ...(by ? { by: new Types.ObjectId(String(by)) } : {}), ...extra };
}

export interface ProposeInput {
  pairId: string;
  proposerUserId: string;
  slots: Date[];
  durationMin: number;
  topic: string;
  mode: "in_person" | "online";
  place?: string;
  now: Date;
  /** Rescheduling an existing meeting keeps its id, history and calendar UID. */
  meetingId?: string;
}

/** Creates (or re-proposes) a meeting and asks the other side to pick a slot, shown in their zone. */
export async function proposeMeeting(input: ProposeInput, deps: MeetingDeps): Promise<{ ok: boolean; meetingId?: string; notices: Notice[] }> {
  const pair = await Pair.findById(input.pairId).lean();
  if (!pair || pair.status !== "active") return { ok: false, notices: [] };
  const proposer = new Types.ObjectId(input.proposerUserId);
  if (!pair.mentorId.equals(proposer) && !pair.menteeId.equals(proposer)) return { ok: false, notices: [] };
  const slots = [...new Set(input.slots.map((d) => d.getTime()))].filter((t) => t > input.now.getTime()).sort().slice(0, 3).map((t) => new Date(t));
  if (slots.length === 0 || input.durationMin < 15 || input.durationMin > 90) return { ok: false, notices: [] };
  let meetingId: Types.ObjectId;
  if (input.meetingId) {
    const existing = await Meeting.findOneAndUpdate(
      { _id: input.meetingId, pairId: pair._id, status: { $in: ["proposed", "confirmed"] } },
      {
        $set: { status: "proposed", proposals: slots, proposedBy: proposer, durationMin: input.durationMin, topic: input.topic, mode: input.mode, place: input.place },
        $push: { history: historyEntry("proposed", input.now, proposer, { note: "reschedule" }) },
      },
    );
    if (!existing) return { ok: false, notices: [] };
    await deps.scheduler.cancelByPrefix(`meeting:${existing._id}:`);
    meetingId = existing._id;
  } else {
    const created = await Meeting.create({
      kind: "pair",
      pairId: pair._id,
      organizationId: pair.organizationId,
      hostId: pair.mentorId,
      participantIds: [pair.menteeId],
      proposedBy: proposer,
      proposals: slots,
      durationMin: input.durationMin,
      topic: input.topic,
      mode: input.mode,
      place: input.place,
      status: "proposed",
      history: [historyEntry("proposed", input.now, proposer)],
    });
    meetingId = created._id;
  }
  const otherId = pair.mentorId.equals(proposer) ? pair.menteeId : pair.mentorId;
  const [other] = await people([otherId]);
  const [me] = await people([proposer]);
  const zone = await zoneOf(other);
  const buttons: NoticeButton[][] = slots.map((s, i) => [{ label: formatInZone(s, zone, loc(other)), literal: true, data: `mt:pk:${meetingId}:${i}` }]);
  buttons.push([{ label: "meeting-other-times", data: `mt:ot:${meetingId}` }]);
  return {
    ok: true,
    meetingId: meetingId.toString(),
    notices: notice(other, input.meetingId ? "meeting-reproposed" : "meeting-proposed", {
      name: escapeHtml(me?.profile?.fullName ?? ""),
      topic: escapeHtml(input.topic),
      duration: input.durationMin,
      mode: input.mode,
      place: escapeHtml(input.place ?? "—"),
    }, buttons),
  };
}

async function meetingParties(meeting: { hostId: Types.ObjectId; participantIds: Types.ObjectId[] }): Promise<Person[]> {
  return people([meeting.hostId, ...meeting.participantIds]);
}

/** The calendar file and confirmation notice for each party, in their own zone. */
async function confirmationNotices(meetingId: Types.ObjectId, key: string, cancelled = false): Promise<Notice[]> {
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  if (!m?.startAt) return [];
  const parties = await meetingParties(m);
  const out: Notice[] = [];
  for (const p of parties) {
    const zone = await zoneOf(p);
    const others = parties.filter((x) => !x._id.equals(p._id)).map((x) => x.profile?.fullName ?? "").filter(Boolean);
    const ics = storedMeetingIcs(
      { ...m, startAt: m.startAt },
      { title: icsSummary(m.topic ?? "—", others, loc(p)), description: others.length ? others.join(", ") : undefined, cancelled, zone },
    );
    out.push(
      ...notice(
        p,
        key,
        { when: formatInZone(m.startAt, zone, loc(p)), topic: escapeHtml(m.topic ?? ""), with: escapeHtml(others.join(", ")), place: escapeHtml(m.place ?? "—") },
        cancelled ? undefined : [[{ label: "meeting-cancel", data: `mt:cx:${m._id}` }, { label: "meeting-reschedule", data: `mt:rs:${m._id}` }]],
        { filename: "meeting.ics", content: ics },
      ),
    );
  }
  return out;
}

/** Schedules reminders (only those still ahead) and the follow-up after the end; pair and group meetings alike. */
export async function scheduleMeetingJobs(meetingId: Types.ObjectId, startAt: Date, durationMin: number, now: Date, deps: MeetingDeps): Promise<void> {
  for (const offset of deps.reminderOffsetsMs) {
    const runAt = new Date(startAt.getTime() - offset);
    if (runAt.getTime() <= now.getTime()) continue;
    // Keys carry the start: a rescheduled meeting gets fresh jobs (cancelled keys are never reused).
    await deps.scheduler.enqueue({
      type: MEETING_REMINDER_JOB,
      key: `meeting:${meetingId}:reminder:${offset}:${startAt.getTime()}`,
      runAt,
      payload: { meetingId: meetingId.toString(), startAt: startAt.toISOString(), offsetMs: offset },
    });
  }
  await deps.scheduler.enqueue({
    type: MEETING_FOLLOWUP_JOB,
    key: `meeting:${meetingId}:followup:1:${startAt.getTime()}`,
    runAt: new Date(startAt.getTime() + durationMin * 60_000 + deps.followupDelayMs),
    payload: { meetingId: meetingId.toString(), attempt: 1 },
  });
}

/** The other side picks one of the proposed slots: the meeting is confirmed for both. */
export async function pickSlot(meetingId: string, userId: string, index: number, now: Date, deps: MeetingDeps): Promise<{ ok: boolean; reason?: string; notices: Notice[] }> {
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  const user = new Types.ObjectId(userId);
  if (!m || (!m.hostId.equals(user) && !m.participantIds.some((p) => p.equals(user)))) return { ok: false, reason: "not_allowed", notices: [] };
  if (m.proposedBy?.equals(user)) return { ok: false, reason: "not_allowed", notices: [] };
  const slot = m.proposals[index];
  if (m.status !== "proposed" || !slot) return { ok: false, reason: "stale", notices: [] };
  if (slot.getTime() <= now.getTime()) return { ok: false, reason: "past", notices: [] };
  const previous = m.startAt ?? undefined;
  const res = await Meeting.updateOne(
    { _id: m._id, status: "proposed" },
    {
      $set: { status: "confirmed", startAt: slot, proposals: [], followupsSent: 0, unlogged: false },
      $inc: { sequence: previous ? 1 : 0 },
      $push: { history: historyEntry("confirmed", now, user, previous ? { previousStartAt: previous } : {}) },
    },
  );
  if (res.modifiedCount !== 1) return { ok: false, reason: "stale", notices: [] };
  await scheduleMeetingJobs(m._id, slot, m.durationMin, now, deps);
  return { ok: true, notices: await confirmationNotices(m._id, previous ? "meeting-moved" : "meeting-confirmed") };
}

/** The other side asks for other times: the proposer is told and may propose again. */
export async function askOtherTimes(meetingId: string, userId: string, now: Date): Promise<{ ok: boolean; notices: Notice[] }> {
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  const user = new Types.ObjectId(userId);
  if (!m || m.status !== "proposed" || m.proposedBy?.equals(user) || (!m.hostId.equals(user) && !m.participantIds.some((p) => p.equals(user)))) {
    return { ok: false, notices: [] };
  }
  const res = await Meeting.updateOne(
    { _id: m._id, status: "proposed" },
    { $set: { status: "cancelled" }, $push: { history: historyEntry("cancelled", now, user, { note: "other_times_requested" }) } },
  );
  if (res.modifiedCount !== 1) return { ok: false, notices: [] };
  const [proposer] = m.proposedBy ? await people([m.proposedBy]) : [];
  const [asker] = await people([user]);
  return { ok: true, notices: notice(proposer, "meeting-other-times-asked", { name: escapeHtml(asker?.profile?.fullName ?? "") }, [[{ label: "meeting-propose-again", data: `mt:new:${m.pairId}` }]]) };
}

/** Either side cancels: pending reminders go, both get a cancellation (with a CANCEL calendar file when it was confirmed). */
export async function cancelMeeting(meetingId: string, userId: string, now: Date, deps: MeetingDeps): Promise<{ ok: boolean; notices: Notice[] }> {
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  const user = new Types.ObjectId(userId);
  if (!m || (!m.hostId.equals(user) && !m.participantIds.some((p) => p.equals(user)))) return { ok: false, notices: [] };
  const res = await Meeting.updateOne(
    { _id: m._id, status: { $in: ["proposed", "confirmed"] } },
    { $set: { status: "cancelled" }, $inc: { sequence: 1 }, $push: { history: historyEntry("cancelled", now, user) } },
  );
  if (res.modifiedCount !== 1) return { ok: false, notices: [] };
  await deps.scheduler.cancelByPrefix(`meeting:${m._id}:`);
  return { ok: true, notices: m.startAt ? await confirmationNotices(m._id, "meeting-cancelled", true) : [] };
}

/** Job: a reminder, sent only while the meeting is still confirmed at that start and ahead. */
export async function meetingReminder(meetingId: string, startAtIso: string, now: Date, late = false, offsetMs?: number, allOffsetsMs: number[] = []): Promise<Notice[]> {
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  if (!m || m.status !== "confirmed" || !m.startAt || m.startAt.toISOString() !== startAtIso) return [];
  if (m.startAt.getTime() <= now.getTime()) return []; // never for a meeting that has begun
  // After downtime, a stale reminder is dropped when a closer one is also due already.
  const start = m.startAt.getTime();
  if (offsetMs !== undefined && allOffsetsMs.some((o) => o < offsetMs && start - o <= now.getTime())) return [];
  const all = await meetingParties(m);
  const host = all.find((p) => p._id.equals(m.hostId));
  const out: Notice[] = [];
  for (const p of all.filter((x) => !x.unreachable && !m.declinedIds?.some((d) => d.equals(x._id)))) {
    const zone = await zoneOf(p);
    const minutes = Math.round((m.startAt.getTime() - now.getTime()) / 60_000);
    const isHost = p._id.equals(m.hostId);
    // Who the meeting is with: the other side of a pair; the host of a group session, or for the host the number signed up.
    const withWhom: { key: string; args: Record<string, string | number> } =
      m.kind === "group"
        ? isHost
          ? { key: "meeting-with-group", args: { n: m.participantIds.length } }
          : { key: "meeting-with-host", args: { name: escapeHtml(host?.profile?.fullName ?? "—") } }
        : { key: "meeting-with-person", args: { name: escapeHtml(all.filter((x) => !x._id.equals(p._id)).map((x) => x.profile?.fullName ?? "—").join(", ")) } };
    // A group participant cannot move a group session: "I can't come" instead of "reschedule".
    // (The host of a group session moves it through the curator's /wednesday.)
    const second: NoticeButton[] =
      m.kind === "group" ? (isHost ? [] : [{ label: "meeting-cant-come", data: `mt:no:${m._id}` }]) : [{ label: "meeting-reschedule", data: `mt:rs:${m._id}` }];
    out.push(
      ...withKeyArgs(
        notice(
          p,
          late ? "meeting-reminder-late" : "meeting-reminder",
          { when: formatInZone(m.startAt, zone, loc(p)), topic: escapeHtml(m.topic ?? ""), place: escapeHtml(m.place ?? "—"), hours: Math.floor(minutes / 60), minutes: minutes % 60, ...prefixed(withWhom.args) },
          [[{ label: "meeting-attend", data: `mt:yes:${m._id}` }, ...second]],
        ),
        { with: withWhom.key },
      ),
    );
  }
  return out;
}

/** Arguments of a key argument, passed with a `with_` prefix so they cannot clash with the message's own. */
function prefixed(args: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [`with_${k}`, v]));
}

/** A group participant says in advance that they cannot come: off the attendance list; the host is told. */
export async function declineAttendance(meetingId: string, userId: string, now: Date): Promise<{ ok: boolean; notices: Notice[] }> {
  if (!Types.ObjectId.isValid(meetingId)) return { ok: false, notices: [] };
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  if (!m || m.kind !== "group" || m.status !== "confirmed" || !m.startAt || m.startAt.getTime() <= now.getTime()) return { ok: false, notices: [] };
  if (!m.participantIds.some((id) => id.equals(userId))) return { ok: false, notices: [] };
  const res = await Meeting.updateOne({ _id: m._id, declinedIds: { $ne: new Types.ObjectId(userId) } }, { $addToSet: { declinedIds: new Types.ObjectId(userId) }, $pull: { attending: new Types.ObjectId(userId) } });
  if (res.modifiedCount !== 1) return { ok: true, notices: [] };
  const [host, who] = await Promise.all([User.findById(m.hostId).lean(), User.findById(userId, { profile: 1 }).lean()]);
  const zone = host ? await zoneOf(host as unknown as Person) : DEFAULT_TIMEZONE;
  return { ok: true, notices: notice(host, "meeting-cant-come-host", { name: escapeHtml(who?.profile?.fullName ?? "—"), topic: escapeHtml(m.topic ?? ""), when: formatInZone(m.startAt, zone, loc(host)) }) };
}

/**
 * The host's log of a pair meeting, to the other side (issue 11): what was covered, the next step
 * and the attached file.
 */
export async function logSummaryNotices(meetingId: string): Promise<Notice[]> {
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  if (!m || m.kind !== "pair" || m.status !== "held" || !m.log?.covered) return [];
  const people = await meetingParties(m);
  const host = people.find((p) => p._id.equals(m.hostId));
  const out: Notice[] = [];
  for (const p of people.filter((x) => !x._id.equals(m.hostId))) {
    const zone = await zoneOf(p);
    const key = m.log.nextStep ? "meeting-log-summary" : "meeting-log-summary-no-step";
    const args = {
      name: escapeHtml(host?.profile?.fullName ?? "—"),
      when: m.startAt ? formatInZone(m.startAt, zone, loc(p)) : "",
      covered: escapeHtml(m.log.covered),
      next: escapeHtml(m.log.nextStep ?? ""),
    };
    const [n] = notice(p, key, args);
    if (!n) continue;
    out.push(m.log.attachmentFileId ? { ...n, media: { kind: (m.log.attachmentKind as "document" | "photo" | undefined) ?? "document", fileId: m.log.attachmentFileId } } : n);
  }
  return out;
}

/** A reminder that could not go out in time (the bot was down): the organization's curators are told. */
export async function missedReminderNotices(meetingId: string): Promise<Notice[]> {
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  if (!m?.startAt) return [];
  const curators = (await curatorsOf(m.organizationId.toString())) as unknown as Person[];
  const out: Notice[] = [];
  for (const c of curators) {
    const zone = await zoneOf(c);
    out.push(...notice(c, "meeting-reminder-missed", { when: formatInZone(m.startAt, zone, loc(c)), topic: escapeHtml(m.topic ?? "") }));
  }
  return out;
}

/** "I'll be there" from a reminder. */
export async function confirmAttendance(meetingId: string, userId: string): Promise<boolean> {
  const user = new Types.ObjectId(userId);
  const res = await Meeting.updateOne(
    { _id: meetingId, status: "confirmed", $or: [{ hostId: user }, { participantIds: user }] },
    { $addToSet: { attending: user } },
  );
  return res.matchedCount === 1;
}

/** Job: after the end, the host is asked whether it took place; one repeat after 24 h, then it is marked unlogged. */
export async function meetingFollowup(meetingId: string, attempt: number, now: Date, deps: MeetingDeps): Promise<Notice[]> {
  const m = await Meeting.findById(meetingId).lean<MeetingLean>();
  if (!m || m.status !== "confirmed") return [];
  await Meeting.updateOne({ _id: m._id }, { $set: { followupsSent: attempt } });
  if (attempt < 2) {
    await deps.scheduler.enqueue({ type: MEETING_FOLLOWUP_JOB, key: `meeting:${m._id}:followup:2:${m.startAt?.getTime()}`, runAt: new Date(now.getTime() + FOLLOWUP_REPEAT_MS), payload: { meetingId, attempt: 2 } });
  } else {
    await deps.scheduler.enqueue({ type: MEETING_UNLOGGED_JOB, key: `meeting:${m._id}:unlogged:${m.startAt?.getTime()}`, runAt: new Date(now.getTime() + FOLLOWUP_REPEAT_MS), payload: { meetingId } });
  }
  const [host] = await people([m.hostId]);
  const zone = await zoneOf(host);
  return notice(host, attempt < 2 ? "meeting-followup" : "meeting-followup-repeat", { when: m.startAt ? formatInZone(m.startAt, zone, loc(host)) : "", topic: escapeHtml(m.topic ?? "") }, [
    [
      { label: "meeting-held", data: `mt:hd:${m._id}` },
      { label: "meeting-missed", data: `mt:ms:${m._id}` },
    ],
    [{ label: "meeting-reschedule", data: `mt:rs:${m._id}` }],
  ]);
}

/** Job: still no log a day after the repeat: the meeting shows up as unlogged for the curator. */
export async function markUnlogged(meetingId: string): Promise<void> {
  await Meeting.updateOne({ _id: meetingId, status: "confirmed" }, { $set: { unlogged: true } });
}

/**
 * The host logs the meeting as held. Its consequences follow the meeting's own write: the pair's
 * `lastHeldAt`, the meeting's jobs cancelled, a flash pair ended. Each is idempotent, and a log
 * of a meeting already held by this host applies them again: an update cut off between the
 * writes (the process died) is handled again after its lease (exactly-once), and its replay finds
 * the meeting held. True for that replay too (the same text: its summary and survey go out once,
 * by the update's outbox source); false for a meeting not the host's, not due, or logged with
 * other words before.
 */
export async function logHeld(
  meetingId: string,
  hostUserId: string,
  log: { covered: string; nextStep?: string; attachmentFileId?: string; attachmentKind?: "document" | "photo" },
  now: Date,
  deps: MeetingDeps,
): Promise<boolean> {
  if (!Types.ObjectId.isValid(meetingId) || !Types.ObjectId.isValid(hostUserId)) return false;
  const covered = log.covered.slice(0, 1000);
  const held = await Meeting.findOneAndUpdate(
    { _id: meetingId, hostId: hostUserId, status: "confirmed", startAt: { $lte: now } },
    {
      $set: {
        status: "held",
        unlogged: false,
        log: {
          covered,
          nextStep: log.nextStep?.slice(0, 500),
          attachmentFileId: log.attachmentFileId,
          ...(log.attachmentFileId ? { attachmentKind: log.attachmentKind ?? "document" } : {}),
          loggedAt: now,
        },
      },
      $push: { history: historyEntry("held", now, hostUserId) },
    },
  ).lean<HeldMeeting>();
  if (held) {
    await applyHeld(held, hostUserId, now, deps);
    return true;
  }
  const before = await Meeting.findOne({ _id: meetingId, hostId: hostUserId, status: "held" }, { pairId: 1, startAt: 1, log: 1 }).lean<HeldMeeting & { log?: { covered?: string } }>();
  if (!before) return false;
  await applyHeld(before, hostUserId, now, deps);
  return before.log?.covered === covered;
}

type HeldMeeting = { _id: Types.ObjectId; pairId?: Types.ObjectId; startAt: Date };

/** What a held meeting changes beyond itself (idempotent: see {@link logHeld}). */
async function applyHeld(held: HeldMeeting, hostUserId: string, now: Date, deps: MeetingDeps): Promise<void> {
  // The pair's last meeting (a quiet pair's days in the digest), before anything else can fail.
  const pair = held.pairId ? await Pair.findOneAndUpdate({ _id: held.pairId }, { $max: { lastHeldAt: held.startAt } }).lean() : null;
  await deps.scheduler.cancelByPrefix(`meeting:${held._id.toString()}:`);
  // A flash pair has done its work once its meeting took place (issue 11: it held no capacity).
  if (pair?.kind === "flash" && pair.status === "active") await endPair(pair._id, { status: "completed", reason: "flash_held", by: hostUserId }, now, deps);
}

/**
 * The host logs the meeting as missed, naming who did not come. A meeting this host already
 * logged as missed answers true again, with its jobs cancelled again: the replay of an update cut
 * off after the write (see {@link logHeld}) is told what was recorded, not "already logged".
 */
export async function logMissed(meetingId: string, hostUserId: string, absentIds: string[], now: Date, deps: MeetingDeps): Promise<boolean> {
  if (!Types.ObjectId.isValid(meetingId) || !Types.ObjectId.isValid(hostUserId)) return false;
  const m = await Meeting.findOne({ _id: meetingId, hostId: hostUserId, status: "confirmed", startAt: { $lte: now } }).lean<MeetingLean>();
  if (!m) {
    if (!(await Meeting.exists({ _id: meetingId, hostId: hostUserId, status: "missed" }))) return false;
    await deps.scheduler.cancelByPrefix(`meeting:${meetingId}:`);
    return true;
  }
  const allowed = new Set([m.hostId.toString(), ...m.participantIds.map(String)]);
  const absent = absentIds.filter((id) => allowed.has(id)).map((id) => new Types.ObjectId(id));
  const res = await Meeting.updateOne(
    { _id: m._id, status: "confirmed" },
    { $set: { status: "missed", unlogged: false, log: { absentIds: absent, loggedAt: now } }, $push: { history: historyEntry("missed", now, hostUserId) } },
  );
  if (res.modifiedCount === 1) await deps.scheduler.cancelByPrefix(`meeting:${meetingId}:`);
  return res.modifiedCount === 1;
}

export interface MeetingListItem {
  id: string;
  startAt: Date | null;
  status: string;
  topic: string;
  with: string;
  unlogged: boolean;
  /** The pair's markers (issue 15): "reverse", "mutual". */
  markers: Array<"reverse" | "mutual">;
}

/** Upcoming and recent meetings of a user (as host or participant), newest first within each group. */
export async function listMeetings(userId: string, now: Date, page: number, pageSize = 5): Promise<{ upcoming: MeetingListItem[]; recent: MeetingListItem[]; pages: number }> {
  const user = new Types.ObjectId(userId);
  // Hosted or taken part in: one indexed query each (see findAnyOf), sorted by start here (none first, as MongoDB sorts).
  const all = (await findAnyOf((f) => Meeting.find(f).lean<MeetingLean[]>(), [{ hostId: user }, { participantIds: user }])).sort(earliestFirst((m) => m.startAt));
  const others = await people([...new Set(all.flatMap((m) => [m.hostId, ...m.participantIds]).map(String))].map((id) => new Types.ObjectId(id)));
  const pairIds = [...new Set(all.map((m) => m.pairId?.toString()).filter((id): id is string => id !== undefined))];
  const pairs = pairIds.length ? await Pair.find({ _id: { $in: pairIds } }, { reverse: 1, mutualPairId: 1 }).lean() : [];
  const markersOf = new Map(pairs.map((p) => [p._id.toString(), pairMarkers(p)]));
  // A mentoring group's meeting is shown with the group's title instead of every participant (issue 15).
  const groups = await MentoringGroup.find({ _id: { $in: all.flatMap((m) => (m.groupId ? [m.groupId] : [])) } }, { title: 1 }).lean();
  const groupTitle = (m: MeetingLean) => (m.groupId ? groups.find((g) => g._id.equals(m.groupId))?.title : undefined);
  const toItem = (m: (typeof all)[number]): MeetingListItem => ({
    id: m._id.toString(),
    startAt: m.startAt ?? null,
    status: m.status,
    topic: m.topic ?? "",
    with: groupTitle(m) ?? [m.hostId, ...m.participantIds].filter((p) => !p.equals(user)).map((p) => others.find((o) => o._id.equals(p))?.profile?.fullName ?? "—").join(", "),
    unlogged: m.unlogged === true,
    markers: (m.pairId && markersOf.get(m.pairId.toString())) || [],
  });
  const upcoming = all.filter((m) => ["proposed", "confirmed"].includes(m.status) && (!m.startAt || m.startAt.getTime() >= now.getTime())).map(toItem);
  const recent = all.filter((m) => !upcoming.some((u) => u.id === m._id.toString())).reverse().map(toItem);
  const pages = Math.max(1, Math.ceil(Math.max(upcoming.length, recent.length) / pageSize));
  const p = Math.min(Math.max(1, page), pages);
  return { upcoming: upcoming.slice((p - 1) * pageSize, p * pageSize), recent: recent.slice((p - 1) * pageSize, p * pageSize), pages };
}

/**
 * Erasure (/deleteme): the person's upcoming pair meetings are cancelled with their reminders (the
 * other side was told the pair ended); they leave upcoming group sessions and every series; the
 * free texts of meetings they logged (what was covered, next step, attachment) are removed.
 * Past meetings stay as anonymous records for the organization's figures.
 */
export function meetingsErasureStep(deps: Pick<MeetingDeps, "scheduler">) {
  return async (userId: Types.ObjectId, now: Date): Promise<{ counts: Record<string, number>; notify: [] }> => {
    let cancelled = 0;
    const upcoming = await findAnyOf((f) => Meeting.find(f, { kind: 1, hostId: 1, startAt: 1 }).lean(), [{ hostId: userId }, { participantIds: userId }], { status: { $in: ["proposed", "confirmed"] } });
    for (const m of upcoming) {
      if (m.startAt && m.startAt.getTime() < now.getTime()) continue;
      if (m.kind === "group" && !m.hostId.equals(userId)) {
        await Meeting.updateOne({ _id: m._id }, { $pull: { participantIds: userId, attending: userId } });
        continue;
      }
      const res = await Meeting.updateOne({ _id: m._id, status: { $in: ["proposed", "confirmed"] } }, { $set: { status: "cancelled" }, $push: { history: historyEntry("cancelled", now) } });
      if (res.modifiedCount === 1) {
        cancelled++;
        await deps.scheduler.cancelByPrefix(`meeting:${m._id}:`);
      }
    }
    const series = await MeetingSeries.updateMany({ memberIds: userId }, { $pull: { memberIds: userId } });
    const logs = await Meeting.updateMany({ hostId: userId, "log.loggedAt": { $exists: true } }, { $unset: { "log.covered": 1, "log.nextStep": 1, "log.attachmentFileId": 1 } });
    // Issue 13: the logs other people wrote about meetings with them lose the person's name.
    const person = await User.findById(userId, { profile: 1, username: 1 }).lean();
    const scrub = nameScrubber([...(person?.profile?.fullName ?? "").split(/\s+/), person?.username ?? ""]);
    let scrubbed = 0;
    if (scrub) {
      const theirs = await Meeting.find({ participantIds: userId, "log.loggedAt": { $exists: true } }, { log: 1 }).lean();
      for (const m of theirs) {
        const covered = m.log?.covered ? scrub(m.log.covered) : undefined;
        const nextStep = m.log?.nextStep ? scrub(m.log.nextStep) : undefined;
        if (covered === m.log?.covered && nextStep === m.log?.nextStep) continue;
        await Meeting.updateOne({ _id: m._id }, { $set: { ...(covered !== undefined ? { "log.covered": covered } : {}), ...(nextStep !== undefined ? { "log.nextStep": nextStep } : {}) } });
        scrubbed++;
      }
    }
    return { counts: { meetingsCancelled: cancelled, seriesLeft: series.modifiedCount, meetingLogsCleared: logs.modifiedCount, meetingLogsScrubbed: scrubbed }, notify: [] };
  };
}

/**
 * A function that replaces a person's name parts and handle in a text by "…", in any case and
 * with Russian inflection endings (Катя → Кати, Кате; Морозова → Морозовой), or undefined when
 * there is nothing to look for. Over-matching (a namesake) is the safe side for erasure.
 */
export function nameScrubber(parts: string[]): ((text: string) => string) | undefined {
  const stems = parts
    .map((p) => p.normalize("NFC").replace(/^@/, "").trim())
    .filter((p) => p.length >= 3)
    .map((p) => (p.length > 4 ? p.slice(0, p.length - 2) : p.slice(0, 3)).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (stems.length === 0) return undefined;
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])@?(?:${stems.join("|")})[\\p{L}\\p{N}_]*`, "giu");
  return (text: string) => text.normalize("NFC").replace(re, "…");
}
