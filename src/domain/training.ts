import { Types } from "mongoose";
import { Meeting, Organization, User, type UserRecord } from "../../models/index.ts";
import { escapeHtml } from "../core/html.ts";
import { formatInZone } from "../core/datetime.ts";
import { canManageOrganization, managedOrganizations, type GroupSessionDeps } from "./group-sessions.ts";
import { loc, scheduleMeetingJobs, zoneOfOrganization, type MeetingLean } from "./meetings.ts";
import { notice, type Notice } from "./notices.ts";
import { hasRole } from "./roles.ts";
import { organizationById, organizationsByIds } from "../db/organization-cache.ts";

export { recomputeTrainingRecords, syncTrainingRecord, trainingRecordOf, type TrainingRecord } from "./training-record.ts";

/**
 * Mentor training (stage IV of the target model, issue 16). A training seminar is a one-off group
 * meeting (`Meeting` of kind "group" with `purpose: "training"`, no series): the curator sets the
 * date, local time, duration, topic and place or link; the mentors of the organization are invited
 * and sign up (or cancel) with one tap; reminders and the host's follow-up are the meeting jobs of
 * jobs/meetings.ts, and attendance is the group sessions' attendance list (group-sessions.ts
 * `logAttendance`, which calls `recomputeTrainingRecords` here). A mentor's count of attended
 * trainings and the last date live on the mentor profile for matching and the registry. An
 * organization may require a training before its mentors are matched
 * (`Organization.mentorTrainingRequired`, the hard filter "untrained" in matching.ts).
 * Transport-free: returns notices.
 */

export const TRAINING_DURATIONS = [45, 60, 90] as const;

type Mode = "in_person" | "online";

interface Person {
  _id: Types.ObjectId;
  telegramId?: number | null;
  locale?: string | null;
  organizationId?: Types.ObjectId | null;
  registeredAt?: Date | null;
  erasedAt?: Date | null;
  unreachable?: boolean | null;
  roles: UserRecord["roles"];
  profile?: { fullName?: string | null } | null;
}

type TrainingMeeting = MeetingLean & { purpose?: string; log?: MeetingLean["log"] & { absentIds?: Types.ObjectId[] } };

function validId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}

function oid(id: string | Types.ObjectId): Types.ObjectId {
  return new Types.ObjectId(String(id));
}

async function personById(id: string): Promise<Person | null> {
  if (!validId(id)) return null;
  return (await User.findById(id).lean()) as unknown as Person | null;
}

function active(p: Person | null): p is Person {
  return Boolean(p && p.registeredAt && !p.erasedAt);
}

// ---------------------------------------------------------------------------------------------
// The organization's rule

export interface TrainingOrganization {
  id: string;
  name: string;
  zone: string;
  required: boolean;
}

/** Organizations whose trainings and rule the user manages (curators of them, admins), with the rule. */
export async function trainingOrganizations(userId: string, adminIds: readonly number[]): Promise<TrainingOrganization[]> {
  const orgs = await managedOrganizations(userId, adminIds);
  if (orgs.length === 0) return [];
  const flags = [...(await organizationsByIds(orgs.map((o) => o.id))).values()];
  return orgs.map((o) => ({ ...o, required: flags.some((f) => f._id.toString() === o.id && f.mentorTrainingRequired === true) }));
}

/** A curator of the organization (or an admin) switches the rule; returns the new value, or null when not allowed. */
export async function setTrainingRequired(organizationId: string, userId: string, required: boolean, adminIds: readonly number[]): Promise<boolean | null> {
  if (!validId(organizationId)) return null;
  const actor = await personById(userId);
  if (!(await canManageOrganization(actor as never, organizationId, adminIds))) return null;
  const res = await Organization.updateOne({ _id: oid(organizationId) }, { $set: { mentorTrainingRequired: required } });
  return res.matchedCount === 1 ? required : null;
}

/** Whether the organization requires a training before its mentors are matched. */
export async function trainingRequiredFor(organizationId: string | Types.ObjectId): Promise<boolean> {
  const org = await organizationById(organizationId);
  return org?.mentorTrainingRequired === true;
}

/** Ready for matching as far as training goes: the rule is off, or the mentor attended one. */
export function trainedEnough(required: boolean, trainingsAttended: number | null | undefined): boolean {
  return !required || Number(trainingsAttended ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------
// Announcing a seminar

export interface AnnounceTrainingInput {
  organizationId: string;
  startAt: Date;
  durationMin: number;
  topic: string;
  mode: Mode;
  place: string;
  createdBy: string;
  now: Date;
}

export type AnnounceTrainingResult = { ok: true; meetingId: string; notices: Notice[] } | { ok: false; reason: "not_allowed" | "invalid" | "past" };

/** A curator of the organization (or an admin) announces a seminar; they host it. The invitations go to its mentors. */
export async function announceTraining(input: AnnounceTrainingInput, deps: GroupSessionDeps): Promise<AnnounceTrainingResult> {
  if (!validId(input.organizationId) || !validId(input.createdBy)) return { ok: false, reason: "invalid" };
  const creator = await personById(input.createdBy);
  const org = await organizationById(input.organizationId);
  if (!org || !active(creator) || !(await canManageOrganization(creator as never, input.organizationId, deps.adminIds))) return { ok: false, reason: "not_allowed" };
  const topic = input.topic.trim();
  const place = input.place.trim();
  if (
    !(TRAINING_DURATIONS as readonly number[]).includes(input.durationMin) ||
    topic.length < 3 ||
    topic.length > 200 ||
    place.length < 3 ||
    place.length > 300 ||
    !["in_person", "online"].includes(input.mode) ||
    !(input.startAt instanceof Date) ||
    Number.isNaN(input.startAt.getTime())
  ) {
    return { ok: false, reason: "invalid" };
  }
  if (input.startAt.getTime() <= input.now.getTime()) return { ok: false, reason: "past" };
  const meeting = await Meeting.create({
    kind: "group",
    purpose: "training",
    organizationId: org._id,
    hostId: creator._id,
    participantIds: [],
    proposals: [],
    startAt: input.startAt,
    durationMin: input.durationMin,
    topic,
    mode: input.mode,
    place,
    status: "confirmed",
    history: [{ status: "confirmed", at: input.now, by: creator._id, note: "training" }],
  });
  await scheduleMeetingJobs(meeting._id, input.startAt, input.durationMin, input.now, deps);
  return { ok: true, meetingId: meeting._id.toString(), notices: await trainingInvitations(meeting._id.toString()) };
}

/** The invitation to every registered mentor of the organization (not the host, not those signed up), with the sign-up button. */
export async function trainingInvitations(meetingId: string): Promise<Notice[]> {
  const m = validId(meetingId) ? await Meeting.findById(meetingId).lean<TrainingMeeting>() : null;
  if (!m || m.purpose !== "training" || m.status !== "confirmed" || !m.startAt) return [];
  const zone = await zoneOfOrganization(m.organizationId);
  const host = await personById(m.hostId.toString());
  const mentors = (await User.find({
    organizationId: m.organizationId,
    registeredAt: { $exists: true },
    erasedAt: { $exists: false },
    "roles.role": "mentor",
  }).lean()) as unknown as Person[];
  const out: Notice[] = [];
  for (const p of mentors) {
    if (p._id.equals(m.hostId) || m.participantIds.some((id) => id.equals(p._id)) || !hasRole(p as never, "mentor")) continue;
    out.push(
      ...notice(
        p,
        "training-invite",
        {
          topic: escapeHtml(m.topic ?? ""),
          when: formatInZone(m.startAt, zone, loc(p)),
          duration: m.durationMin,
          mode: m.mode,
          place: escapeHtml(m.place ?? "—"),
          host: escapeHtml(host?.profile?.fullName ?? "—"),
        },
        [[{ label: "training-signup", data: `tr:j:${m._id}` }]],
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Signing up

export type TrainingSignUpResult =
  | { ok: true; already: boolean; topic: string; startAt: Date; zone: string }
  | { ok: false; reason: "stale" | "not_mentor" | "host" };

async function signUpCheck(meetingId: string, userId: string, now: Date): Promise<{ m: TrainingMeeting; user: Person } | { reason: "stale" | "not_mentor" | "host" }> {
  const m = validId(meetingId) ? await Meeting.findById(meetingId).lean<TrainingMeeting>() : null;
  if (!m || m.purpose !== "training") return { reason: "stale" };
  const user = await personById(userId);
  // Only mentors of the seminar's organization (checked against the user's document now, not the button).
  if (!active(user) || !user.organizationId?.equals(m.organizationId) || !hasRole(user as never, "mentor")) return { reason: "not_mentor" };
  if (m.hostId.equals(user._id)) return { reason: "host" };
  if (m.status !== "confirmed" || !m.startAt || m.startAt.getTime() <= now.getTime()) return { reason: "stale" };
  return { m, user };
}

/** One tap: a mentor of the organization signs up for a seminar that has not begun. */
export async function signUpForTraining(meetingId: string, userId: string, now: Date): Promise<TrainingSignUpResult> {
  const check = await signUpCheck(meetingId, userId, now);
  if ("reason" in check) return { ok: false, reason: check.reason };
  const { m, user } = check;
  const already = m.participantIds.some((id) => id.equals(user._id));
  const res = await Meeting.updateOne({ _id: m._id, status: "confirmed", startAt: m.startAt }, { $addToSet: { participantIds: user._id }, $pull: { declinedIds: user._id } });
  if (res.matchedCount !== 1) return { ok: false, reason: "stale" };
  return { ok: true, already, topic: m.topic ?? "", startAt: m.startAt as Date, zone: await zoneOfOrganization(m.organizationId) };
}

/** Cancels the sign-up (before the seminar begins); the reminders then skip her. */
export async function cancelTrainingSignUp(meetingId: string, userId: string, now: Date): Promise<TrainingSignUpResult> {
  const check = await signUpCheck(meetingId, userId, now);
  if ("reason" in check) return { ok: false, reason: check.reason };
  const { m, user } = check;
  const was = m.participantIds.some((id) => id.equals(user._id));
  const res = await Meeting.updateOne({ _id: m._id, status: "confirmed", startAt: m.startAt }, { $pull: { participantIds: user._id, attending: user._id } });
  if (res.matchedCount !== 1) return { ok: false, reason: "stale" };
  return { ok: true, already: !was, topic: m.topic ?? "", startAt: m.startAt as Date, zone: await zoneOfOrganization(m.organizationId) };
}

// ---------------------------------------------------------------------------------------------
// Attendance → the registry

// ---------------------------------------------------------------------------------------------
// The curator's list

export interface TrainingOverview {
  id: string;
  topic: string;
  organizationName: string;
  zone: string;
  startAt: Date;
  signedUp: number;
}

/** Seminars still ahead in the organizations the user manages (soonest first). */
export async function upcomingTrainings(orgs: readonly TrainingOrganization[], now: Date, limit = 10): Promise<TrainingOverview[]> {
  if (orgs.length === 0) return [];
  const list = await Meeting.find({ purpose: "training", status: "confirmed", startAt: { $gt: now }, organizationId: { $in: orgs.map((o) => oid(o.id)) } })
    .sort({ startAt: 1 })
    .limit(limit)
    .lean<TrainingMeeting[]>();
  return list.map((m) => {
    const org = orgs.find((o) => o.id === m.organizationId.toString());
    return { id: m._id.toString(), topic: m.topic ?? "", organizationName: org?.name ?? "—", zone: org?.zone ?? "Europe/Moscow", startAt: m.startAt as Date, signedUp: m.participantIds.length };
  });
}
