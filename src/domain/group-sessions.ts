import { DateTime } from "luxon";
import { Types } from "mongoose";
import { Meeting, MeetingSeries, MentorProfile, User, type MeetingStatus, type UserRecord } from "../../models/index.ts";
import { DEFAULT_TIMEZONE } from "./matching.ts";
import { loc, scheduleMeetingJobs, zoneOfOrganization, type MeetingDeps, type Person as MeetingPerson, type MeetingLean, type MeetingScheduler } from "./meetings.ts";
import { notice, type Notice } from "./notices.ts";
import { formatInZone, weeklyOccurrences, zoneLabel } from "../core/datetime.ts";
import { icsSummary, storedMeetingIcs } from "./ics.ts";
import { escapeHtml } from "../core/html.ts";
import { curatorOrganizationIds, isAdmin, isCuratorOf } from "./roles.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import { recomputeTrainingRecords } from "./training-record.ts";
import { allOrganizations, byShortName, organizationById, organizationsByIds } from "../db/organization-cache.ts";

/**
 * Group flash sessions ("методическая среда"): a curator sets up a weekly meeting of an
 * organization (weekday and local time in the organization's zone, topic, host, place);
 * occurrences are materialized as `Meeting` documents of kind "group" four weeks ahead, each
 * keyed by its local date (`occurrence`, unique within the series), with the same reminder and
 * follow-up jobs as pair meetings (`meeting:<id>:…`, handled by jobs/meetings.ts). Teachers of
 * the organization sign up with one tap; one occurrence can be cancelled or moved without
 * touching the series; the host logs who came. Transport-free: returns notices.
 */

export const SERIES_MATERIALIZE_JOB = "series-materialize";
export const SERIES_ANNOUNCE_JOB = "series-announce";
/** Delivers precomputed notices (cancellations, moves) through the queue's rate limiter. */
export const GROUP_NOTICES_JOB = "group-notices";
export const WEEKS_AHEAD = 4;
export const SERIES_DURATIONS = [30, 45, 60, 90] as const;

const LOCAL_TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DEFAULT_ZONE = DEFAULT_TIMEZONE;

export interface GroupSessionDeps extends MeetingDeps {
  /** Deployment admins from the configuration (besides users holding the admin role). */
  adminIds: readonly number[];
}

type Mode = "in_person" | "online";

interface Person extends MeetingPerson {
  registeredAt?: Date | null;
  roles: UserRecord["roles"];
}

interface SeriesLean {
  _id: Types.ObjectId;
  organizationId: Types.ObjectId;
  weekday: number;
  localTime: string;
  durationMin: number;
  topic: string;
  hostId: Types.ObjectId;
  mode: Mode;
  place?: string | null;
  memberIds: Types.ObjectId[];
  createdBy: Types.ObjectId;
  active: boolean;
}

type GroupMeeting = MeetingLean & { occurrence?: string; attending?: Types.ObjectId[]; purpose?: string };

function oid(id: string | Types.ObjectId): Types.ObjectId {
  return new Types.ObjectId(String(id));
}

function validId(id: string): boolean {
  return Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id);
}

async function personById(id: string | Types.ObjectId): Promise<Person | null> {
  if (!validId(String(id))) return null;
  return (await User.findById(id).lean()) as unknown as Person | null;
}

function active(person: Person | null): person is Person {
  return Boolean(person && person.registeredAt && !person.erasedAt);
}

const zoneOfOrg = zoneOfOrganization;

function historyEntry(status: MeetingStatus, at: Date, by?: Types.ObjectId | string, extra: { previousStartAt?: Date; note?: string } = {}) {
  return { status, at, ...(by ? { by: oid(by) } : {}), ...extra };
}

/** The local date of an instant in a zone: the occurrence key of a series meeting. */
export function occurrenceKey(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd");
}

/** "13:30", "9:30", "13.30" → "13:30"; undefined when it is not a time of day. */
export function normalizeLocalTime(text: string): string | undefined {
  const m = /^\s*(\d{1,2})[:.](\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const value = `${(m[1] as string).padStart(2, "0")}:${m[2]}`;
  return LOCAL_TIME_RE.test(value) ? value : undefined;
}

/** True when the user may manage series of the organization: a curator of it (directly or by network) or an admin. */
export async function canManageOrganization(user: Person | null, organizationId: string, adminIds: readonly number[]): Promise<boolean> {
  if (!active(user)) return false;
  if (isAdmin(user, adminIds)) return true;
  return isCuratorOf(user, organizationId);
}

/** Organizations whose series the user manages (admins: all, up to `limit`), with name and zone. */
export async function managedOrganizations(userId: string, adminIds: readonly number[], limit = 50): Promise<Array<{ id: string; name: string; zone: string }>> {
  const user = await personById(userId);
  if (!active(user)) return [];
  const found = isAdmin(user, adminIds) ? await allOrganizations() : [...(await organizationsByIds(await curatorOrganizationIds(user))).values()];
  const orgs = byShortName(found).slice(0, limit);
  return orgs.map((o) => ({ id: o._id.toString(), name: o.shortName, zone: o.timezone }));
}

/** Who may host a series of the organization: the curator setting it up, then the approved mentors of the organization. */
export async function hostCandidates(organizationId: string, curatorUserId: string): Promise<Array<{ id: string; name: string; self: boolean }>> {
  const me = await personById(curatorUserId);
  const out: Array<{ id: string; name: string; self: boolean }> = [];
  if (active(me)) out.push({ id: me._id.toString(), name: me.profile?.fullName ?? "—", self: true });
  if (!validId(organizationId)) return out;
  const profiles = await MentorProfile.find({ organizationId: oid(organizationId), approved: true }, { userId: 1 }).lean();
  const mentors = (await User.find({ _id: { $in: profiles.map((p) => p.userId) }, registeredAt: { $exists: true }, erasedAt: { $exists: false } }, { profile: 1 })
    .sort({ "profile.fullName": 1 })
    .limit(20)
    .lean()) as unknown as Person[];
  for (const m of mentors) if (!out.some((o) => o.id === m._id.toString())) out.push({ id: m._id.toString(), name: m.profile?.fullName ?? "—", self: false });
  return out;
}

async function mayHost(host: Person | null, organizationId: string, createdBy: Person): Promise<boolean> {
  if (!active(host)) return false;
  if (host._id.equals(createdBy._id)) return true;
  if (await isCuratorOf(host, organizationId)) return true;
  return (await MentorProfile.countDocuments({ userId: host._id, organizationId: oid(organizationId), approved: true })) > 0;
}

export interface CreateSeriesInput {
  organizationId: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:mm" in the organization's zone. */
  localTime: string;
  durationMin: number;
  topic: string;
  hostId: string;
  mode: Mode;
  place?: string;
  createdBy: string;
  now: Date;
}

export type CreateSeriesResult = { ok: true; seriesId: string } | { ok: false; reason: "not_allowed" | "invalid" | "bad_host" };

/** Creates a weekly series; only a curator of that organization (or an admin) may. */
export async function createSeries(input: CreateSeriesInput, deps: { adminIds: readonly number[] }): Promise<CreateSeriesResult> {
  if (!validId(input.organizationId) || !validId(input.createdBy) || !validId(input.hostId)) return { ok: false, reason: "invalid" };
  const creator = await personById(input.createdBy);
  const org = await organizationById(input.organizationId);
  if (!org || !active(creator) || !(await canManageOrganization(creator, input.organizationId, deps.adminIds))) return { ok: false, reason: "not_allowed" };
  const topic = input.topic.trim();
  const place = input.place?.trim();
  if (
    !Number.isInteger(input.weekday) ||
    input.weekday < 1 ||
    input.weekday > 7 ||
    !LOCAL_TIME_RE.test(input.localTime) ||
    !Number.isInteger(input.durationMin) ||
    input.durationMin < 15 ||
    input.durationMin > 90 ||
    topic.length < 3 ||
    topic.length > 200 ||
    (place !== undefined && place.length > 300) ||
    !["in_person", "online"].includes(input.mode)
  ) {
    return { ok: false, reason: "invalid" };
  }
  const host = await personById(input.hostId);
  if (!(await mayHost(host, input.organizationId, creator))) return { ok: false, reason: "bad_host" };
  const series = await MeetingSeries.create({
    organizationId: org._id,
    weekday: input.weekday,
    localTime: input.localTime,
    durationMin: input.durationMin,
    topic,
    hostId: oid(input.hostId),
    mode: input.mode,
    ...(place ? { place } : {}),
    memberIds: [],
    createdBy: creator._id,
    active: true,
  });
  return { ok: true, seriesId: series._id.toString() };
}

/** Reminders and the follow-up to the host: the same jobs and keys as pair meetings. */
const scheduleOccurrenceJobs = scheduleMeetingJobs;

/**
 * Creates the occurrences of the next `weeksAhead` weeks that do not exist yet (a cancelled or
 * moved occurrence keeps its date key, so it is never re-created) and makes sure every
 * confirmed occurrence still ahead has its jobs (enqueue is idempotent by key, so this also
 * repairs a crash between the insert and the scheduling). Returns the starts it created.
 */
export async function materializeOccurrences(seriesId: string, now: Date, deps: MeetingDeps, weeksAhead = WEEKS_AHEAD): Promise<{ created: Date[] }> {
  if (!validId(seriesId)) return { created: [] };
  const series = (await MeetingSeries.findById(seriesId).lean()) as unknown as SeriesLean | null;
  if (!series || !series.active) return { created: [] };
  const zone = await zoneOfOrg(series.organizationId);
  const starts = weeklyOccurrences(series.weekday, series.localTime, zone, now, weeksAhead);
  const existing = new Set((await Meeting.find({ seriesId: series._id }, { occurrence: 1 }).lean()).map((m) => m.occurrence));
  const participants = series.memberIds.filter((id) => !id.equals(series.hostId));
  const created: Date[] = [];
  for (const startAt of starts) {
    const occurrence = occurrenceKey(startAt, zone);
    if (existing.has(occurrence)) continue;
    try {
      await Meeting.create({
        kind: "group",
        seriesId: series._id,
        occurrence,
        organizationId: series.organizationId,
        hostId: series.hostId,
        participantIds: participants,
        proposals: [],
        startAt,
        durationMin: series.durationMin,
        topic: series.topic,
        mode: series.mode,
        ...(series.place ? { place: series.place } : {}),
        status: "confirmed",
        history: [historyEntry("confirmed", now, series.createdBy, { note: "series" })],
      });
      created.push(startAt);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // another run created it meanwhile
    }
  }
  const ahead = await Meeting.find({ seriesId: series._id, status: "confirmed", startAt: { $gt: now } }).lean<GroupMeeting[]>();
  for (const m of ahead) if (m.startAt) await scheduleOccurrenceJobs(m._id, m.startAt, m.durationMin, now, deps);
  return { created };
}

/** Materializes every active series (the daily job). Returns how many occurrences were created. */
export async function materializeAllSeries(now: Date, deps: MeetingDeps, onError?: (seriesId: string, err: unknown) => void): Promise<{ created: number; failed: number }> {
  const all = await MeetingSeries.find({ active: true }, { _id: 1 }).lean();
  let created = 0;
  let failed = 0;
  for (const s of all) {
    try {
      created += (await materializeOccurrences(s._id.toString(), now, deps)).created.length;
    } catch (err) {
      failed++;
      onError?.(s._id.toString(), err);
    }
  }
  return { created, failed };
}

async function nextOccurrence(seriesId: Types.ObjectId, now: Date): Promise<GroupMeeting | null> {
  return Meeting.findOne({ seriesId, status: "confirmed", startAt: { $gt: now } })
    .sort({ startAt: 1 })
    .lean<GroupMeeting>();
}

/**
 * The invitation to every registered teacher (mentee or mentor) of the organization, except the
 * host and those already signed up, with a one-tap sign-up button.
 */
export async function announceSeries(seriesId: string, now: Date): Promise<Notice[]> {
  if (!validId(seriesId)) return [];
  const series = (await MeetingSeries.findById(seriesId).lean()) as unknown as SeriesLean | null;
  if (!series || !series.active) return [];
  const zone = await zoneOfOrg(series.organizationId);
  const next = await nextOccurrence(series._id, now);
  const host = await personById(series.hostId);
  const recipients = (await User.find({
    organizationId: series.organizationId,
    registeredAt: { $exists: true },
    erasedAt: { $exists: false },
    "roles.role": { $in: ["mentee", "mentor"] },
  }).lean()) as unknown as Person[];
  const out: Notice[] = [];
  for (const p of recipients) {
    if (p._id.equals(series.hostId) || series.memberIds.some((m) => m.equals(p._id))) continue;
    const l = loc(p);
    out.push(
      ...notice(
        p,
        "gs-announce",
        {
          topic: escapeHtml(series.topic),
          weekday: series.weekday,
          time: series.localTime,
          zone: zoneLabel(zone, l, next?.startAt ?? now),
          duration: series.durationMin,
          host: escapeHtml(host?.profile?.fullName ?? "—"),
          mode: series.mode,
          place: escapeHtml(series.place ?? "—"),
          next: next?.startAt ? formatInZone(next.startAt, zone, l) : "—",
        },
        [[{ label: "gs-signup", data: `gs:j:${series._id}` }]],
      ),
    );
  }
  return out;
}

export type MembershipResult =
  | { ok: true; already: boolean; topic: string; next: Date | null; zone: string }
  | { ok: false; reason: "inactive" | "not_member" | "host" };

async function membershipCheck(seriesId: string, userId: string): Promise<{ series: SeriesLean; user: Person } | { reason: "inactive" | "not_member" | "host" }> {
  const series = validId(seriesId) ? ((await MeetingSeries.findById(seriesId).lean()) as unknown as SeriesLean | null) : null;
  if (!series || !series.active) return { reason: "inactive" };
  const user = await personById(userId);
  if (!active(user) || !user.organizationId?.equals(series.organizationId)) return { reason: "not_member" };
  if (user._id.equals(series.hostId)) return { reason: "host" };
  return { series, user };
}

/** One tap: a teacher of the organization joins the series and every occurrence still ahead. */
export async function signUp(seriesId: string, userId: string, now: Date): Promise<MembershipResult> {
  const check = await membershipCheck(seriesId, userId);
  if ("reason" in check) return { ok: false, reason: check.reason };
  const { series, user } = check;
  // Read before the write: FerretDB reports a no-op `$addToSet` as a modification.
  const already = series.memberIds.some((m) => m.equals(user._id));
  const res = await MeetingSeries.updateOne({ _id: series._id, active: true }, { $addToSet: { memberIds: user._id } });
  if (res.matchedCount !== 1) return { ok: false, reason: "inactive" };
  await Meeting.updateMany({ seriesId: series._id, status: "confirmed", startAt: { $gt: now } }, { $addToSet: { participantIds: user._id } });
  const next = await nextOccurrence(series._id, now);
  return { ok: true, already, topic: series.topic, next: next?.startAt ?? null, zone: await zoneOfOrg(series.organizationId) };
}

/** Leaves the series and every occurrence still ahead (past ones keep their record). */
export async function leave(seriesId: string, userId: string, now: Date): Promise<MembershipResult> {
  const check = await membershipCheck(seriesId, userId);
  if ("reason" in check) return { ok: false, reason: check.reason };
  const { series, user } = check;
  const wasMember = series.memberIds.some((m) => m.equals(user._id));
  await MeetingSeries.updateOne({ _id: series._id }, { $pull: { memberIds: user._id } });
  await Meeting.updateMany({ seriesId: series._id, status: "confirmed", startAt: { $gt: now } }, { $pull: { participantIds: user._id, attending: user._id } });
  return { ok: true, already: !wasMember, topic: series.topic, next: null, zone: await zoneOfOrg(series.organizationId) };
}

export type OccurrenceCheck =
  | { ok: true; meeting: GroupMeeting; zone: string; actor: Person }
  | { ok: false; reason: "not_allowed" | "stale" };

/**
 * May this user cancel or move this occurrence now? The host of the series, a curator of its
 * organization or an admin; the occurrence must be confirmed and not yet begun.
 */
export async function checkOccurrenceManager(meetingId: string, userId: string, now: Date, adminIds: readonly number[]): Promise<OccurrenceCheck> {
  const m = validId(meetingId) ? await Meeting.findById(meetingId).lean<GroupMeeting>() : null;
  const actor = await personById(userId);
  if (!m || m.kind !== "group" || !active(actor)) return { ok: false, reason: "not_allowed" };
  const allowed = m.hostId.equals(actor._id) || (await canManageOrganization(actor, m.organizationId.toString(), adminIds));
  if (!allowed) return { ok: false, reason: "not_allowed" };
  if (m.status !== "confirmed" || !m.startAt || m.startAt.getTime() <= now.getTime()) return { ok: false, reason: "stale" };
  return { ok: true, meeting: m, zone: await zoneOfOrg(m.organizationId), actor };
}

/** Cancellation or move notices with the calendar file, to the host and every participant in their own zone. */
async function occurrenceNotices(meetingId: Types.ObjectId, key: "gs-occ-cancelled" | "gs-occ-stopped" | "gs-occ-moved", previousStartAt?: Date): Promise<Notice[]> {
  const m = await Meeting.findById(meetingId).lean<GroupMeeting>();
  if (!m?.startAt) return [];
  const parties = (await User.find({ _id: { $in: [m.hostId, ...m.participantIds] } }).lean()) as unknown as Person[];
  const host = parties.find((p) => p._id.equals(m.hostId));
  const cancelled = key !== "gs-occ-moved";
  const out: Notice[] = [];
  for (const p of parties) {
    const zone = await zoneOfOrg(p.organizationId);
    const l = loc(p);
    const ics = storedMeetingIcs(
      { ...m, startAt: m.startAt },
      { title: icsSummary(m.topic ?? "Методическая среда", [host?.profile?.fullName ?? ""], l), description: host?.profile?.fullName ?? undefined, cancelled, zone, locale: l },
    );
    out.push(
      ...notice(
        p,
        key,
        {
          topic: escapeHtml(m.topic ?? ""),
          when: formatInZone(m.startAt, zone, l),
          previous: previousStartAt ? formatInZone(previousStartAt, zone, l) : "—",
          place: escapeHtml(m.place ?? "—"),
        },
        undefined,
        { filename: "meeting.ics", content: ics },
      ),
    );
  }
  return out;
}

/** Cancels a confirmed occurrence that still starts when it did (once), with its reminders. */
async function cancelConfirmed(m: { _id: Types.ObjectId; startAt?: Date | null }, by: Types.ObjectId, now: Date, deps: { scheduler: MeetingScheduler }): Promise<boolean> {
  const res = await Meeting.updateOne(
    { _id: m._id, status: "confirmed", startAt: m.startAt },
    { $set: { status: "cancelled" }, $inc: { sequence: 1 }, $push: { history: historyEntry("cancelled", now, by) } },
  );
  if (res.modifiedCount !== 1) return false;
  await deps.scheduler.cancelByPrefix(`meeting:${m._id}:`);
  return true;
}

/**
 * A curator of the organization (or an admin) stops a series: it is marked inactive (no more
 * occurrences, no sign-ups) and every upcoming occurrence is cancelled with its reminders; each
 * participant gets a CANCEL calendar file per occurrence. Once (conditional update).
 */
export async function stopSeries(
  seriesId: string,
  byUserId: string,
  now: Date,
  deps: GroupSessionDeps,
): Promise<{ ok: true; notices: Notice[]; cancelled: number; topic: string } | { ok: false; reason: "not_allowed" | "inactive" }> {
  if (!validId(seriesId) || !validId(byUserId)) return { ok: false, reason: "not_allowed" };
  const series = (await MeetingSeries.findById(seriesId).lean()) as unknown as SeriesLean | null;
  const actor = await personById(byUserId);
  if (!series || !(await canManageOrganization(actor, series.organizationId.toString(), deps.adminIds))) return { ok: false, reason: "not_allowed" };
  const res = await MeetingSeries.updateOne({ _id: series._id, active: true }, { $set: { active: false } });
  if (res.modifiedCount !== 1) return { ok: false, reason: "inactive" };
  const upcoming = await Meeting.find({ seriesId: series._id, status: "confirmed", startAt: { $gt: now } }, { _id: 1, startAt: 1 }).lean();
  const notices: Notice[] = [];
  let cancelled = 0;
  for (const m of upcoming) {
    if (!(await cancelConfirmed(m, oid(byUserId), now, deps))) continue;
    cancelled++;
    notices.push(...(await occurrenceNotices(m._id, "gs-occ-stopped")));
  }
  return { ok: true, notices, cancelled, topic: series.topic };
}

/** Cancels one occurrence (the series and the other weeks stay): its jobs go, everyone gets a CANCEL calendar file. */
export async function cancelOccurrence(
  meetingId: string,
  byUserId: string,
  now: Date,
  deps: GroupSessionDeps,
): Promise<{ ok: boolean; reason?: "not_allowed" | "stale"; notices: Notice[]; sequence?: number }> {
  const check = await checkOccurrenceManager(meetingId, byUserId, now, deps.adminIds);
  if (!check.ok) return { ok: false, reason: check.reason, notices: [] };
  const m = check.meeting;
  if (!(await cancelConfirmed(m, check.actor._id, now, deps))) return { ok: false, reason: "stale", notices: [] };
  return { ok: true, notices: await occurrenceNotices(m._id, "gs-occ-cancelled"), sequence: m.sequence + 1 };
}

/** Moves one occurrence to a new start: reminders and the follow-up move with it; everyone gets the updated calendar file. */
export async function moveOccurrence(
  meetingId: string,
  newStart: Date,
  byUserId: string,
  now: Date,
  deps: GroupSessionDeps,
): Promise<{ ok: boolean; reason?: "not_allowed" | "stale" | "past"; notices: Notice[]; sequence?: number }> {
  const check = await checkOccurrenceManager(meetingId, byUserId, now, deps.adminIds);
  if (!check.ok) return { ok: false, reason: check.reason, notices: [] };
  if (!(newStart instanceof Date) || Number.isNaN(newStart.getTime()) || newStart.getTime() <= now.getTime()) return { ok: false, reason: "past", notices: [] };
  const m = check.meeting;
  const previous = m.startAt as Date;
  if (previous.getTime() === newStart.getTime()) return { ok: true, notices: [], sequence: m.sequence };
  const res = await Meeting.updateOne(
    { _id: m._id, status: "confirmed", startAt: previous },
    {
      $set: { startAt: newStart, followupsSent: 0, unlogged: false, attending: [] },
      $inc: { sequence: 1 },
      $push: { history: historyEntry("confirmed", now, check.actor._id, { previousStartAt: previous, note: "moved" }) },
    },
  );
  if (res.modifiedCount !== 1) return { ok: false, reason: "stale", notices: [] };
  await deps.scheduler.cancelByPrefix(`meeting:${m._id}:`);
  await scheduleOccurrenceJobs(m._id, newStart, m.durationMin, now, deps);
  return { ok: true, notices: await occurrenceNotices(m._id, "gs-occ-moved", previous), sequence: m.sequence + 1 };
}

/** The host's attendance after the meeting: held, with the participants not marked present as absent. */
export async function logAttendance(
  meetingId: string,
  hostId: string,
  presentIds: string[],
  now: Date,
  deps: MeetingDeps,
): Promise<{ ok: boolean; present: number; absent: number }> {
  const m = validId(meetingId) && validId(hostId) ? await Meeting.findById(meetingId).lean<GroupMeeting>() : null;
  if (!m || m.kind !== "group" || !m.hostId.equals(oid(hostId)) || m.status !== "confirmed" || !m.startAt || m.startAt.getTime() > now.getTime()) {
    return { ok: false, present: 0, absent: 0 };
  }
  const present = new Set(presentIds);
  const absent = m.participantIds.filter((p) => !present.has(p.toString()));
  const res = await Meeting.updateOne(
    { _id: m._id, status: "confirmed" },
    {
      $set: { status: "held", unlogged: false, log: { absentIds: absent, loggedAt: now } },
      $push: { history: historyEntry("held", now, hostId, { note: `present ${m.participantIds.length - absent.length}/${m.participantIds.length}` }) },
    },
  );
  if (res.modifiedCount !== 1) return { ok: false, present: 0, absent: 0 };
  await deps.scheduler.cancelByPrefix(`meeting:${m._id}:`);
  // A mentor training seminar (issue 16): the registry's count of trainings attended follows the log.
  if (m.purpose === "training") await recomputeTrainingRecords(m.participantIds);
  return { ok: true, present: m.participantIds.length - absent.length, absent: absent.length };
}

/** What the host needs to mark attendance: the participants' names, when the meeting may be logged. */
export async function attendanceSheet(
  meetingId: string,
  hostId: string,
  now: Date,
): Promise<{ topic: string; startAt: Date; zone: string; participants: Array<{ id: string; name: string }>; attending: string[] } | null> {
  const m = validId(meetingId) && validId(hostId) ? await Meeting.findById(meetingId).lean<GroupMeeting>() : null;
  if (!m || m.kind !== "group" || !m.hostId.equals(oid(hostId)) || m.status !== "confirmed" || !m.startAt || m.startAt.getTime() > now.getTime()) return null;
  const people = (await User.find({ _id: { $in: m.participantIds } }, { profile: 1 }).lean()) as unknown as Person[];
  const host = await personById(hostId);
  return {
    topic: m.topic ?? "",
    startAt: m.startAt,
    zone: await zoneOfOrg(host?.organizationId ?? m.organizationId),
    participants: m.participantIds.map((id) => ({ id: id.toString(), name: people.find((p) => p._id.equals(id))?.profile?.fullName ?? "—" })),
    attending: (m.attending ?? []).map(String),
  };
}

export interface SeriesOverview {
  id: string;
  topic: string;
  organizationName: string;
  zone: string;
  weekday: number;
  localTime: string;
  durationMin: number;
  hostName: string;
  members: number;
  occurrences: Array<{ id: string; startAt: Date; status: MeetingStatus }>;
}

/** Active series the user manages, each with its occurrences still ahead (up to `perSeries`). */
export async function listManagedSeries(userId: string, adminIds: readonly number[], now: Date, perSeries = WEEKS_AHEAD, limit = 10): Promise<SeriesOverview[]> {
  const user = await personById(userId);
  if (!active(user)) return [];
  const admin = isAdmin(user, adminIds);
  const orgIds = admin ? null : (await curatorOrganizationIds(user)).map(oid);
  if (orgIds && orgIds.length === 0) return [];
  const list = (await MeetingSeries.find({ active: true, ...(orgIds ? { organizationId: { $in: orgIds } } : {}) })
    .sort({ createdAt: 1, _id: 1 })
    .limit(limit)
    .lean()) as unknown as SeriesLean[];
  const orgs = [...(await organizationsByIds(list.map((s) => s.organizationId))).values()];
  const hosts = (await User.find({ _id: { $in: list.map((s) => s.hostId) } }, { profile: 1 }).lean()) as unknown as Person[];
  const out: SeriesOverview[] = [];
  for (const s of list) {
    const org = orgs.find((o) => o._id.equals(s.organizationId));
    const occurrences = await Meeting.find({ seriesId: s._id, status: { $in: ["confirmed", "cancelled"] }, startAt: { $gt: now } })
      .sort({ startAt: 1 })
      .limit(perSeries)
      .lean<GroupMeeting[]>();
    out.push({
      id: s._id.toString(),
      topic: s.topic,
      organizationName: org?.shortName ?? "—",
      zone: org?.timezone ?? DEFAULT_ZONE,
      weekday: s.weekday,
      localTime: s.localTime,
      durationMin: s.durationMin,
      hostName: hosts.find((h) => h._id.equals(s.hostId))?.profile?.fullName ?? "—",
      members: s.memberIds.length,
      occurrences: occurrences.map((m) => ({ id: m._id.toString(), startAt: m.startAt as Date, status: m.status })),
    });
  }
  return out;
}

/** The scheduling port, for callers that only enqueue notices. */
export type GroupScheduler = MeetingScheduler;

/** Queues notices for delivery by the `group-notices` job (rate-limited like every bulk send). */
export async function queueGroupNotices(scheduler: GroupScheduler, key: string, notices: Notice[], now: Date): Promise<boolean> {
  if (notices.length === 0) return false;
  return scheduler.enqueue({ type: GROUP_NOTICES_JOB, key: `group-notices:${key}`, runAt: now, payload: { notices } });
}
