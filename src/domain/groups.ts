import { Types } from "mongoose";
import { findAnyOf } from "../db/read-connection.ts";
import {
  AGE_GROUPS,
  Consent,
  GROUP_SIZE_MAX,
  GROUP_SIZE_MIN,
  Meeting,
  MentorProfile,
  MentoringGroup,
  MentorshipRequest,
  OPEN_REQUEST_STATUSES,
  Pair,
  SelfAssessment,
  User,
  type AgeGroup,
} from "../../models/index.ts";
import { notice, type Notice, type NoticeButton } from "./notices.ts";
import { escapeHtml } from "../core/html.ts";
import { endPair, releaseSlot, takeSlot } from "./pairs.ts";
import { withdrawOtherOffers, type RequestDeps } from "./requests.ts";
import { curatorsOf, isCuratorOf } from "./roles.ts";
import { textHash } from "./registration.ts";
import { earliestFirst, formatInZone } from "../core/datetime.ts";
import { icsSummary, storedMeetingIcs } from "./ics.ts";
import { loc, scheduleMeetingJobs, zoneOfOrganization, type MeetingDeps } from "./meetings.ts";
import { groupProgramAfterLeave } from "./programs.ts";
import { closeGroupProgram, groupSummaryArgs } from "./program-endings.ts";
import { networkMemberIds, organizationById } from "../db/organization-cache.ts";

/**
 * Mentoring groups (issue 15): a lead mentor (and optionally a co-mentor) with 2–8 mentees.
 *
 * Capacity follows the one rule of src/domain/pairs.ts exactly: each participant's seat is a
 * long-term {@link Pair} carrying the group's id, so a seat takes one place of the lead mentor
 * ({@link takeSlot}) when the participant joins and gives it back exactly once when the seat pair
 * ends ({@link endPair}: the participant leaves, the group ends, erasure), and the nightly
 * reconciliation counts seats with the pairs. The mentor's free places are therefore capacity
 * minus active pairs minus active group seats. A co-mentor helps lead and holds no places.
 *
 * Every operation re-reads the group and checks who acts, the organization, the group's state and
 * its free seats; a join is one conditional update on `seatsTaken < size`. Transport-free.
 */

export type GroupLean = {
  _id: Types.ObjectId;
  organizationId: Types.ObjectId;
  mentorId: Types.ObjectId;
  mentorProfileId: Types.ObjectId;
  coMentorId?: Types.ObjectId | null;
  title: string;
  topic?: string | null;
  ageGroup?: AgeGroup | null;
  size: number;
  seatsTaken: number;
  memberIds: Types.ObjectId[];
  participants: Array<{ userId: Types.ObjectId; pairId: Types.ObjectId; requestId: Types.ObjectId; joinedAt: Date }>;
  recruiting: boolean;
  networkWide: boolean;
  status: "active" | "completed" | "terminated";
  formedBy: "curator" | "open_call";
  mentorConsentAt?: Date | null;
  createdAt?: Date;
};

/** Version of the group-participation consent text. */
export const GROUP_CONSENT_VERSION = "2026-12-01";
export const GROUP_MEETING_DURATIONS = [30, 45, 60, 90] as const;

const valid = (id: unknown): id is string => typeof id === "string" && Types.ObjectId.isValid(id);
const oid = (id: string | Types.ObjectId) => new Types.ObjectId(String(id));
const nameOf = (u: { profile?: { fullName?: string | null } | null } | null | undefined) => escapeHtml(u?.profile?.fullName ?? "—");

export async function loadGroup(groupId: string): Promise<GroupLean | null> {
  if (!valid(groupId)) return null;
  return MentoringGroup.findById(groupId).lean<GroupLean>();
}

function leads(g: GroupLean, userId: string | Types.ObjectId): boolean {
  return g.mentorId.equals(userId) || Boolean(g.coMentorId?.equals(userId));
}

function historyEntry(status: string, at: Date, by?: Types.ObjectId | string, note?: string) {
  return { status, at, ...(by ? { by: oid(by) } : {}), ...(note ? { note } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Suggestions: open requests on the same topic that could form a group

export interface GroupSuggestion {
  organizationId: string;
  /** A topic code of the catalogue, or a deficit group letter when only the group is shared. */
  topic: string;
  requests: Array<{ id: string; menteeId: string; name: string }>;
}

/**
 * Open long-term requests (waiting or escalated) in the given organizations grouped by shared
 * topic within an organization: every topic with at least two requests, largest first; then
 * requests sharing only a deficit group (the letter of the code) that no topic suggestion covers.
 */
export async function suggestGroups(organizationIds: string[] | null, limit = 8): Promise<GroupSuggestion[]> {
  const filter = {
    status: { $in: [...OPEN_REQUEST_STATUSES] },
    kind: "long_term" as const,
    anonymized: { $ne: true },
    ...(organizationIds ? { organizationId: { $in: organizationIds.filter(valid).map(oid) } } : {}),
  };
  const requests = await MentorshipRequest.find(filter, { menteeId: 1, organizationId: 1, topics: 1, createdAt: 1 }).sort({ createdAt: 1, _id: 1 }).limit(500).lean();
  const mentees = await User.find({ _id: { $in: requests.map((r) => r.menteeId) } }, { profile: 1, erasedAt: 1 }).lean();
  const nameById = new Map(mentees.filter((m) => !m.erasedAt).map((m) => [m._id.toString(), m.profile?.fullName ?? "—"]));
  const buckets = new Map<string, GroupSuggestion>();
  const add = (key: string, org: string, topic: string, r: (typeof requests)[number]) => {
    if (!nameById.has(r.menteeId.toString())) return;
    const b = buckets.get(key) ?? { organizationId: org, topic, requests: [] };
    // One request per mentee in a suggestion.
    if (!b.requests.some((x) => x.menteeId === r.menteeId.toString())) b.requests.push({ id: r._id.toString(), menteeId: r.menteeId.toString(), name: nameById.get(r.menteeId.toString()) ?? "—" });
    buckets.set(key, b);
  };
  for (const r of requests) for (const t of r.topics) add(`${r.organizationId}:${t}`, r.organizationId.toString(), t, r);
  const byTopic = [...buckets.values()].filter((b) => b.requests.length >= GROUP_SIZE_MIN).sort((a, b) => b.requests.length - a.requests.length);
  const covered = new Set(byTopic.flatMap((b) => b.requests.map((r) => r.id)));
  buckets.clear();
  for (const r of requests) {
    if (covered.has(r._id.toString())) continue;
    for (const letter of new Set(r.topics.map((t) => t.slice(0, 1)))) add(`${r.organizationId}:${letter}`, r.organizationId.toString(), letter, r);
  }
  const byLetter = [...buckets.values()].filter((b) => b.requests.length >= GROUP_SIZE_MIN).sort((a, b) => b.requests.length - a.requests.length);
  return [...byTopic, ...byLetter].slice(0, limit).map((s) => ({ ...s, requests: s.requests.slice(0, GROUP_SIZE_MAX) }));
}

/** Approved mentors of the organization (and network-serving mentors of its networks) with enough free places, for a curator's group. */
export async function groupMentorCandidates(organizationId: string, seats: number): Promise<Array<{ profileId: string; userId: string; name: string; free: number; capacity: number }>> {
  if (!valid(organizationId)) return [];
  const org = await organizationById(organizationId);
  const networkOrgs = org?.networkIds?.length ? await networkMemberIds(org.networkIds) : [];
  // The organization's own, and its networks' serving ones: one query each (see findAnyOf); most free places first.
  const branches = [{ organizationId: oid(organizationId) }, ...(networkOrgs.length ? [{ organizationId: { $in: networkOrgs.map(oid) }, networkServing: true }] : [])];
  const profiles = (await findAnyOf((f) => MentorProfile.find(f).lean(), branches, { approved: true, freeSlots: { $gte: seats } })).sort((a, b) => b.freeSlots - a.freeSlots).slice(0, 10);
  const users = await User.find({ _id: { $in: profiles.map((p) => p.userId) }, erasedAt: { $exists: false } }, { profile: 1 }).lean();
  return profiles
    .filter((p) => users.some((u) => u._id.equals(p.userId)))
    .map((p) => ({ profileId: p._id.toString(), userId: p.userId.toString(), name: users.find((u) => u._id.equals(p.userId))?.profile?.fullName ?? "—", free: p.freeSlots, capacity: p.capacity }));
}

// ---------------------------------------------------------------------------------------------
// Forming

export type GroupResult = { ok: true; groupId: string; notices: Notice[] } | { ok: false; reason: "not_allowed" | "invalid" | "state" | "full" | "mentor_full" | "already" };

type Curator = Parameters<typeof isCuratorOf>[0] & { _id: Types.ObjectId };

/** Creates a seat: the participant's long-term pair in the group (the place was taken before). */
async function createSeat(g: GroupLean, input: { userId: Types.ObjectId; requestId: Types.ObjectId; organizationId: Types.ObjectId; menteeConsentAt?: Date; now: Date }): Promise<Types.ObjectId> {
  const pair = await Pair.create({
    requestId: input.requestId,
    mentorId: g.mentorId,
    menteeId: input.userId,
    mentorProfileId: g.mentorProfileId,
    organizationId: input.organizationId,
    kind: "long_term",
    formedBy: "group",
    groupId: g._id,
    ...(g.mentorConsentAt ? { mentorConsentAt: g.mentorConsentAt } : {}),
    ...(input.menteeConsentAt ? { menteeConsentAt: input.menteeConsentAt } : {}),
  });
  await MentorshipRequest.updateOne({ _id: input.requestId }, { $set: { pairId: pair._id } });
  await MentoringGroup.updateOne({ _id: g._id }, { $push: { participants: { userId: input.userId, pairId: pair._id, requestId: input.requestId, joinedAt: input.now } } });
  return pair._id;
}

/**
 * A curator forms a group from 2–8 open long-term requests of one organization in their scope and
 * a mentor with enough free places: every request becomes matched and its mentee a participant
 * (a seat pair each, one place each). Requests that stopped being open meanwhile are left out; with
 * fewer than two left, nothing is formed and every place is given back. Participants are asked for
 * their consent to the assignment (the pair consent on their seat), the mentor for consent to lead.
 */
export async function formGroupFromRequests(
  input: { curator: Curator; admin: boolean; requestIds: string[]; mentorProfileId: string; title?: string; coMentorUserId?: string; now: Date },
  deps: RequestDeps,
): Promise<GroupResult> {
  const ids = [...new Set(input.requestIds)].filter(valid);
  if (ids.length < GROUP_SIZE_MIN || ids.length > GROUP_SIZE_MAX || ids.length !== input.requestIds.length || !valid(input.mentorProfileId)) return { ok: false, reason: "invalid" };
  const requests = await MentorshipRequest.find({ _id: { $in: ids.map(oid) } }).lean();
  if (requests.length !== ids.length) return { ok: false, reason: "state" };
  const orgId = requests[0]!.organizationId.toString();
  if (requests.some((r) => r.organizationId.toString() !== orgId)) return { ok: false, reason: "invalid" };
  if (!input.admin && !(await isCuratorOf(input.curator, orgId))) return { ok: false, reason: "not_allowed" };
  if (new Set(requests.map((r) => r.menteeId.toString())).size !== requests.length) return { ok: false, reason: "invalid" };
  if (requests.some((r) => r.kind !== "long_term" || !(OPEN_REQUEST_STATUSES as readonly string[]).includes(r.status))) return { ok: false, reason: "state" };
  const candidates = await groupMentorCandidates(orgId, 1);
  const profile = candidates.find((c) => c.profileId === input.mentorProfileId);
  if (!profile) return { ok: false, reason: "mentor_full" };
  if (requests.some((r) => r.menteeId.toString() === profile.userId)) return { ok: false, reason: "invalid" };
  if (input.coMentorUserId) {
    // A co-mentor is another approved mentor of the scope, not one of the participants.
    const co = (await groupMentorCandidates(orgId, 0)).find((c) => c.userId === input.coMentorUserId);
    if (!co || co.userId === profile.userId || requests.some((r) => r.menteeId.toString() === co.userId)) return { ok: false, reason: "invalid" };
  }

  // Places first, one per seat (each a conditional update); on a shortfall every taken place goes back.
  let taken = 0;
  for (; taken < requests.length; taken++) if (!(await takeSlot(profile.profileId))) break;
  if (taken < requests.length) {
    for (let i = 0; i < taken; i++) await releaseSlot(profile.profileId);
    return { ok: false, reason: "mentor_full" };
  }
  const claimed: typeof requests = [];
  for (const r of requests) {
    const won = await MentorshipRequest.findOneAndUpdate(
      { _id: r._id, status: { $in: [...OPEN_REQUEST_STATUSES] } },
      { $set: { status: "matched" }, $push: { history: historyEntry("matched", input.now, input.curator._id, "group") } },
    );
    if (won) claimed.push(r);
    else await releaseSlot(profile.profileId);
  }
  if (claimed.length < GROUP_SIZE_MIN) {
    for (const r of claimed) {
      await MentorshipRequest.updateOne({ _id: r._id, status: "matched" }, { $set: { status: r.status }, $pop: { history: 1 } });
      await releaseSlot(profile.profileId);
    }
    return { ok: false, reason: "state" };
  }
  const topics = new Map<string, number>();
  for (const r of claimed) for (const t of r.topics) topics.set(t, (topics.get(t) ?? 0) + 1);
  const topic = [...topics.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const created = await MentoringGroup.create({
    organizationId: oid(orgId),
    mentorId: oid(profile.userId),
    mentorProfileId: oid(profile.profileId),
    ...(input.coMentorUserId ? { coMentorId: oid(input.coMentorUserId) } : {}),
    title: (input.title?.trim() || topic || "—").slice(0, 200),
    ...(topic ? { topic } : {}),
    size: Math.max(GROUP_SIZE_MIN, claimed.length),
    seatsTaken: claimed.length,
    memberIds: claimed.map((r) => r.menteeId),
    status: "active",
    recruiting: false,
    formedBy: "curator",
    formedByUserId: input.curator._id,
  });
  const g = created.toObject() as unknown as GroupLean;
  const notices: Notice[] = [];
  const seats: Array<{ userId: Types.ObjectId; pairId: Types.ObjectId }> = [];
  for (const r of claimed) {
    const pairId = await createSeat(g, { userId: r.menteeId, requestId: r._id, organizationId: r.organizationId, now: input.now });
    notices.push(...(await withdrawOtherOffers(r._id, null, input.now, deps, "offer-withdrawn-curator")));
    seats.push({ userId: r.menteeId, pairId });
  }
  const [mentor, curator, people] = await Promise.all([
    User.findById(profile.userId).lean(),
    User.findById(input.curator._id, { profile: 1 }).lean(),
    User.find({ _id: { $in: seats.map((s) => s.userId) } }).lean(),
  ]);
  const title = escapeHtml(g.title);
  for (const s of seats) {
    const p = people.find((x) => x._id.equals(s.userId));
    notices.push(
      ...notice(p, "group-formed-mentee", { title, mentor: nameOf(mentor), curator: nameOf(curator), n: seats.length }, [[{ label: "pair-consent", data: `pc:${s.pairId}` }]]),
    );
  }
  notices.push(
    ...notice(mentor, "group-formed-mentor", { title, curator: nameOf(curator), names: people.map((p) => nameOf(p)).join(", "), n: seats.length }, [
      [{ label: "group-consent-btn", data: `gr:c:${g._id}` }],
      [{ label: "group-btn-open", data: `gr:o:${g._id}` }],
    ]),
  );
  if (input.coMentorUserId) notices.push(...notice(await User.findById(input.coMentorUserId).lean(), "group-comentor-added", { title, mentor: nameOf(mentor) }));
  return { ok: true, groupId: g._id.toString(), notices };
}

/**
 * A mentor's open call: an approved mentor sets the title, topic, size (2–8) and optionally an age
 * group (then it is a circle); the group is open for joining in their organization and its
 * networks. The mentor's consent to lead the group is recorded with it.
 */
export async function openCall(input: { mentorUserId: string; title: string; topic?: string; size: number; ageGroup?: string; consentText: string; now: Date }): Promise<GroupResult> {
  if (!valid(input.mentorUserId)) return { ok: false, reason: "not_allowed" };
  const title = input.title.trim();
  if (!title || title.length > 200 || !Number.isInteger(input.size) || input.size < GROUP_SIZE_MIN || input.size > GROUP_SIZE_MAX) return { ok: false, reason: "invalid" };
  if (input.ageGroup && !(AGE_GROUPS as readonly string[]).includes(input.ageGroup)) return { ok: false, reason: "invalid" };
  const [mentor, profile] = await Promise.all([User.findById(input.mentorUserId).lean(), MentorProfile.findOne({ userId: oid(input.mentorUserId) }).lean()]);
  if (!mentor || mentor.erasedAt || !profile?.approved) return { ok: false, reason: "not_allowed" };
  const created = await MentoringGroup.create({
    organizationId: profile.organizationId,
    mentorId: mentor._id,
    mentorProfileId: profile._id,
    title,
    ...(input.topic ? { topic: input.topic.slice(0, 100) } : {}),
    ...(input.ageGroup ? { ageGroup: input.ageGroup as AgeGroup } : {}),
    size: input.size,
    recruiting: true,
    networkWide: true,
    status: "active",
    formedBy: "open_call",
    formedByUserId: mentor._id,
    mentorConsentAt: input.now,
  });
  await recordGroupConsent(mentor._id, mentor.telegramId ?? undefined, created._id, input.consentText, input.now);
  return { ok: true, groupId: created._id.toString(), notices: [] };
}

async function recordGroupConsent(userId: Types.ObjectId, telegramId: number | undefined, subjectId: Types.ObjectId, text: string, now: Date): Promise<void> {
  await Consent.create({ userId, telegramId, type: "pair_assignment", decision: "given", version: GROUP_CONSENT_VERSION, textHash: textHash(text), subjectId, decidedAt: now });
}

/** The lead mentor of a curator's group confirms consent to lead it: recorded once, on the group and on every seat. */
export async function confirmMentorConsent(groupId: string, userId: string, consentText: string, now: Date): Promise<"recorded" | "already" | null> {
  const g = await loadGroup(groupId);
  if (!g || g.status !== "active" || !g.mentorId.equals(userId)) return null;
  const res = await MentoringGroup.updateOne({ _id: g._id, mentorConsentAt: { $exists: false } }, { $set: { mentorConsentAt: now } });
  if (res.modifiedCount !== 1) return "already";
  await Pair.updateMany({ groupId: g._id, status: "active", mentorConsentAt: { $exists: false } }, { $set: { mentorConsentAt: now } });
  const user = await User.findById(userId, { telegramId: 1 }).lean();
  await recordGroupConsent(g.mentorId, user?.telegramId ?? undefined, g._id, consentText, now);
  return "recorded";
}

// ---------------------------------------------------------------------------------------------
// Joining, leaving, ending

/** Organizations whose teachers may see and join a group: its own, and its networks' when network-wide. */
export async function groupAudienceOrgIds(g: { organizationId: Types.ObjectId; networkWide?: boolean | null }): Promise<string[]> {
  if (!g.networkWide) return [g.organizationId.toString()];
  const org = await organizationById(g.organizationId);
  if (!org?.networkIds?.length) return [g.organizationId.toString()];
  return [...new Set([g.organizationId.toString(), ...(await networkMemberIds(org.networkIds))])];
}

export type JoinCheck = { ok: true; group: GroupLean; free: number } | { ok: false; reason: "not_allowed" | "state" | "full" | "already" };

/** May this user join this group now: registered in the group's audience, not leading it, not in it, the group open with a free seat. */
export async function checkJoin(groupId: string, userId: string): Promise<JoinCheck> {
  const g = await loadGroup(groupId);
  const user = valid(userId) ? await User.findById(userId, { organizationId: 1, erasedAt: 1 }).lean() : null;
  if (!g || !user || user.erasedAt || !user.organizationId) return { ok: false, reason: "not_allowed" };
  if (!(await groupAudienceOrgIds(g)).includes(user.organizationId.toString()) || leads(g, user._id)) return { ok: false, reason: "not_allowed" };
  if (g.memberIds.some((m) => m.equals(user._id))) return { ok: false, reason: "already" };
  if (g.status !== "active" || !g.recruiting) return { ok: false, reason: "state" };
  if (g.seatsTaken >= g.size) return { ok: false, reason: "full" };
  return { ok: true, group: g, free: g.size - g.seatsTaken };
}

/**
 * A teacher joins an open group with their consent (given on the same press): a seat (one
 * conditional update, never beyond the size), one place of the lead mentor (or the seat is given
 * back), a matched request on the group's topic for their own self-assessment and growth, and the
 * seat pair with both consents. The mentor is told.
 */
export async function joinGroup(groupId: string, userId: string, consentText: string, now: Date): Promise<GroupResult> {
  const check = await checkJoin(groupId, userId);
  if (!check.ok) return check;
  const g = check.group;
  const me = oid(userId);
  const seat = await MentoringGroup.updateOne(
    { _id: g._id, status: "active", recruiting: true, size: g.size, seatsTaken: { $lt: g.size }, memberIds: { $ne: me } },
    { $inc: { seatsTaken: 1 }, $push: { memberIds: me } },
  );
  if (seat.modifiedCount !== 1) {
    const again = await checkJoin(groupId, userId);
    return { ok: false, reason: again.ok ? "full" : again.reason };
  }
  if (!(await takeSlot(g.mentorProfileId))) {
    await MentoringGroup.updateOne({ _id: g._id, memberIds: me }, { $inc: { seatsTaken: -1 }, $pull: { memberIds: me } });
    return { ok: false, reason: "mentor_full" };
  }
  const user = await User.findById(userId).lean();
  const organizationId = user?.organizationId ?? g.organizationId;
  const request = await MentorshipRequest.create({
    menteeId: me,
    organizationId,
    topics: g.topic ? [g.topic] : [],
    description: g.title,
    kind: "long_term",
    mode: "any",
    status: "matched",
    history: [historyEntry("new", now, me, "group"), historyEntry("matched", now, me, "group")],
  });
  const pairId = await createSeat(g, { userId: me, requestId: request._id, organizationId, menteeConsentAt: now, now });
  await recordGroupConsent(me, user?.telegramId ?? undefined, pairId, consentText, now);
  const [mentor, fresh] = await Promise.all([User.findById(g.mentorId).lean(), loadGroup(groupId)]);
  return {
    ok: true,
    groupId,
    notices: notice(mentor, "group-joined-mentor", { name: nameOf(user), title: escapeHtml(g.title), taken: fresh?.seatsTaken ?? 0, size: g.size }, [
      [{ label: "group-btn-open", data: `gr:o:${g._id}` }],
    ]),
  };
}

/**
 * Ends one seat exactly once: its pair (giving the place back; another path, e.g. an erasure, may
 * have ended it already), its membership (a conditional update) and its upcoming meetings.
 * True when this call changed anything.
 */
/** What ending seats and a group needs: cancelling jobs by key prefix. */
type EndDeps = { scheduler: Pick<RequestDeps["scheduler"], "cancelByPrefix"> };

async function endSeat(g: GroupLean, userId: Types.ObjectId, status: "completed" | "terminated", reason: string, by: Types.ObjectId | null, now: Date, deps: EndDeps): Promise<boolean> {
  const seat = await Pair.findOne({ groupId: g._id, menteeId: userId, status: "active" }, { _id: 1 }).lean();
  const ended = seat ? Boolean(await endPair(seat._id, { status, reason, by }, now, deps)) : false;
  const left = await MentoringGroup.updateOne({ _id: g._id, memberIds: userId, seatsTaken: { $gt: 0 } }, { $inc: { seatsTaken: -1 }, $pull: { memberIds: userId } });
  if (left.modifiedCount === 1) {
    await Meeting.updateMany({ groupId: g._id, status: { $in: ["proposed", "confirmed"] } }, { $pull: { participantIds: userId, attending: userId } });
  }
  return ended || left.modifiedCount === 1;
}

/** Cancels the group's upcoming meetings with their reminders (each once). */
async function cancelGroupMeetings(groupId: Types.ObjectId, now: Date, by: Types.ObjectId | null, deps: EndDeps): Promise<void> {
  const upcoming = await Meeting.find({ groupId, status: { $in: ["proposed", "confirmed"] } }, { _id: 1 }).lean();
  for (const m of upcoming) {
    const res = await Meeting.updateOne(
      { _id: m._id, status: { $in: ["proposed", "confirmed"] } },
      { $set: { status: "cancelled" }, $inc: { sequence: 1 }, $push: { history: { status: "cancelled", at: now, ...(by ? { by } : {}) } } },
    );
    if (res.modifiedCount === 1) await deps.scheduler.cancelByPrefix(`meeting:${m._id}:`);
  }
}

/** The closing self-assessment for a participant whose seat ended, when their request has topics and none was given yet. */
async function endAssessmentAsk(requestId: Types.ObjectId | undefined, person: Parameters<typeof notice>[0]): Promise<Notice[]> {
  if (!requestId) return [];
  const request = await MentorshipRequest.findById(requestId, { topics: 1 }).lean();
  if (!request?.topics.length || (await SelfAssessment.exists({ requestId, phase: "end" }))) return [];
  return notice(person, "self-assessment-end-ask", {}, [[{ label: "self-assessment-end-btn", data: `sa:e:${requestId}` }]]);
}

/** A participant leaves the group: their seat ends (the mentor's place comes back once), the mentor is told. */
export async function leaveGroup(groupId: string, userId: string, now: Date, deps: RequestDeps): Promise<{ ok: boolean; notices: Notice[] }> {
  const g = await loadGroup(groupId);
  if (!g || !valid(userId) || !g.memberIds.some((m) => m.equals(userId))) return { ok: false, notices: [] };
  if (!(await endSeat(g, oid(userId), "terminated", "participant_left", oid(userId), now, deps))) return { ok: false, notices: [] };
  const [mentor, me] = await Promise.all([User.findById(g.mentorId).lean(), User.findById(userId).lean()]);
  const requestId = g.participants.find((p) => p.userId.equals(userId))?.requestId;
  return {
    ok: true,
    notices: [
      ...notice(mentor, "group-left-mentor", { name: nameOf(me), title: escapeHtml(g.title) }),
      ...(await endAssessmentAsk(requestId, me)),
      ...(await groupProgramAfterLeave(g._id, now)),
    ],
  };
}

/** May this user end the group: its lead mentor, a curator of its organization, or an admin. */
export async function mayManageGroup(g: GroupLean, user: Curator, admin: boolean): Promise<boolean> {
  return admin || g.mentorId.equals(user._id) || (await isCuratorOf(user, g.organizationId.toString()));
}

/**
 * Ends the group once (conditional update): every seat ends (each place back exactly once), upcoming
 * meetings are cancelled, the group's program ends with it, participants are thanked and each gets
 * the final survey on their own seat and the closing self-assessment, the curators get a summary
 * (with the program's figures and the verdict buttons when a program ran). `by` null: the end date
 * of the group's program (jobs/programs.ts).
 */
export async function endGroup(groupId: string, by: Curator | null, admin: boolean, status: "completed" | "terminated", now: Date, deps: EndDeps): Promise<{ ok: boolean; notices: Notice[] }> {
  const g = await loadGroup(groupId);
  if (!g || (by && !(await mayManageGroup(g, by, admin)))) return { ok: false, notices: [] };
  const byId = by?._id ?? null;
  const won = await MentoringGroup.updateOne(
    { _id: g._id, status: "active" },
    { $set: { status, recruiting: false, endedAt: now, endReason: status === "completed" ? "completed" : "terminated_early", ...(byId ? { endedBy: byId } : {}) } },
  );
  if (won.modifiedCount !== 1) return { ok: false, notices: [] };
  const members = [...g.memberIds];
  for (const m of members) await endSeat(g, m, status, status === "completed" ? "completed" : "group_ended", byId, now, deps);
  await cancelGroupMeetings(g._id, now, byId, deps);
  const program = await closeGroupProgram(g._id, status, status === "completed" ? "completed" : "group_ended", byId, now, deps);
  const people = await User.find({ _id: { $in: members } }).lean();
  const mentor = await User.findById(g.mentorId).lean();
  const out: Notice[] = [];
  const title = escapeHtml(g.title);
  const key = status === "completed" ? "group-ended" : "group-ended-early";
  for (const p of people) {
    const seat = g.participants.filter((x) => x.userId.equals(p._id)).at(-1);
    out.push(...notice(p, key, { title, mentor: nameOf(mentor) }));
    // The final survey is per participant, on their own seat (src/domain/programs.ts recordSatisfaction).
    if (seat) out.push(...notice(p, "final-survey-ask", {}, [[1, 2, 3, 4, 5].map((n) => ({ label: String(n), literal: true, data: `fs:s:${seat.pairId}:${n}` }))]));
    out.push(...(await endAssessmentAsk(seat?.requestId, p)));
  }
  if (!byId || !g.mentorId.equals(byId)) out.push(...notice(mentor, key, { title, mentor: nameOf(mentor) }));
  const meetings = await Meeting.countDocuments({ groupId: g._id, status: "held" });
  const verdict: NoticeButton[][] = program?.ran
    ? [[{ label: "program-btn-package", data: `pg:pk:${program.programId}` }, { label: "program-btn-revise", data: `pg:rv:${program.programId}` }]]
    : [];
  for (const c of await curatorsOf(g.organizationId.toString())) {
    if (byId && c._id.equals(byId) && !program?.ran) continue;
    if (program?.ran) {
      const summary = await groupSummaryArgs(g._id, c.locale ?? "ru");
      out.push(...notice(c, status === "completed" ? "curator-group-program-ended" : "curator-group-program-ended-early", summary, verdict));
    } else out.push(...notice(c, "group-ended-curator", { title, mentor: nameOf(mentor), n: members.length, meetings }));
  }
  return { ok: true, notices: out };
}

/** The mentor opens or closes the group for joining (a curator's group may take more people up to its size). */
export async function setRecruiting(groupId: string, userId: string, recruiting: boolean, size?: number): Promise<boolean> {
  const g = await loadGroup(groupId);
  if (!g || g.status !== "active" || !g.mentorId.equals(userId)) return false;
  const newSize = size ?? g.size;
  if (!Number.isInteger(newSize) || newSize < Math.max(GROUP_SIZE_MIN, g.seatsTaken) || newSize > GROUP_SIZE_MAX) return false;
  const res = await MentoringGroup.updateOne({ _id: g._id, status: "active" }, { $set: { recruiting, size: newSize } });
  return res.matchedCount === 1;
}

// ---------------------------------------------------------------------------------------------
// Group meetings

/**
 * The mentor (or co-mentor) sets a group meeting: confirmed at once for every current participant
 * (each gets the time in their own zone and a calendar file), with the usual reminders and the
 * follow-up, where the host marks who came (src/domain/group-sessions.ts: attendance per person).
 */
export async function scheduleGroupMeeting(
  input: { groupId: string; hostUserId: string; startAt: Date; durationMin: number; topic: string; mode: "in_person" | "online"; place?: string; now: Date },
  deps: MeetingDeps,
): Promise<{ ok: boolean; reason?: "not_allowed" | "invalid" | "empty"; meetingId?: string; notices: Notice[] }> {
  const g = await loadGroup(input.groupId);
  if (!g || g.status !== "active" || !valid(input.hostUserId) || !leads(g, input.hostUserId)) return { ok: false, reason: "not_allowed", notices: [] };
  if (g.memberIds.length === 0) return { ok: false, reason: "empty", notices: [] };
  if (input.startAt.getTime() <= input.now.getTime() || !(GROUP_MEETING_DURATIONS as readonly number[]).includes(input.durationMin) || !input.topic.trim()) {
    return { ok: false, reason: "invalid", notices: [] };
  }
  const meeting = await Meeting.create({
    kind: "group",
    groupId: g._id,
    organizationId: g.organizationId,
    hostId: oid(input.hostUserId),
    participantIds: g.memberIds,
    proposedBy: oid(input.hostUserId),
    startAt: input.startAt,
    durationMin: input.durationMin,
    topic: input.topic.trim().slice(0, 200),
    mode: input.mode,
    place: input.place?.slice(0, 300),
    status: "confirmed",
    history: [historyEntry("confirmed", input.now, input.hostUserId)],
  });
  await scheduleMeetingJobs(meeting._id, input.startAt, input.durationMin, input.now, deps);
  const people = await User.find({ _id: { $in: g.memberIds } }).lean();
  const host = await User.findById(input.hostUserId).lean();
  const m = meeting.toObject();
  const out: Notice[] = [];
  for (const p of people) {
    const zone = await zoneOfOrganization(p.organizationId);
    const ics = storedMeetingIcs(
      { ...m, startAt: input.startAt } as Parameters<typeof storedMeetingIcs>[0],
      { title: icsSummary(m.topic ?? g.title, [host?.profile?.fullName ?? ""], loc(p)), description: g.title, cancelled: false, zone, locale: loc(p) },
    );
    out.push(
      ...notice(
        p,
        "group-meeting-set",
        { title: escapeHtml(g.title), topic: escapeHtml(m.topic ?? ""), when: formatInZone(input.startAt, zone, loc(p)), place: escapeHtml(input.place ?? "—"), host: nameOf(host) },
        [[{ label: "meeting-cant-come", data: `mt:no:${m._id}` }]],
        { filename: "meeting.ics", content: ics },
      ),
    );
  }
  return { ok: true, meetingId: m._id.toString(), notices: out };
}

// ---------------------------------------------------------------------------------------------
// Views

export interface GroupView {
  id: string;
  title: string;
  topic?: string;
  ageGroup?: string;
  organizationId: string;
  mentorName: string;
  coMentorName?: string;
  size: number;
  taken: number;
  recruiting: boolean;
  status: string;
  members: Array<{ id: string; name: string }>;
  held: number;
  upcoming: Array<{ id: string; startAt: Date; topic: string }>;
}

export async function groupView(g: GroupLean, now: Date): Promise<GroupView> {
  const people = await User.find({ _id: { $in: [g.mentorId, ...(g.coMentorId ? [g.coMentorId] : []), ...g.memberIds] } }, { profile: 1 }).lean();
  const name = (id: Types.ObjectId) => people.find((p) => p._id.equals(id))?.profile?.fullName ?? "—";
  const meetings = await Meeting.find({ groupId: g._id }, { status: 1, startAt: 1, topic: 1 }).sort({ startAt: 1 }).lean();
  return {
    id: g._id.toString(),
    title: g.title,
    ...(g.topic ? { topic: g.topic } : {}),
    ...(g.ageGroup ? { ageGroup: g.ageGroup } : {}),
    organizationId: g.organizationId.toString(),
    mentorName: name(g.mentorId),
    ...(g.coMentorId ? { coMentorName: name(g.coMentorId) } : {}),
    size: g.size,
    taken: g.seatsTaken,
    recruiting: g.recruiting,
    status: g.status,
    members: g.memberIds.map((id) => ({ id: id.toString(), name: name(id) })),
    held: meetings.filter((m) => m.status === "held").length,
    upcoming: meetings
      .filter((m) => m.status === "confirmed" && m.startAt && m.startAt.getTime() > now.getTime())
      .map((m) => ({ id: m._id.toString(), startAt: m.startAt as Date, topic: m.topic ?? "" })),
  };
}

/** Active groups a person leads or takes part in. */
export async function groupsOf(userId: string): Promise<GroupLean[]> {
  if (!valid(userId)) return [];
  const me = oid(userId);
  const groups = await findAnyOf((f) => MentoringGroup.find(f).lean<GroupLean[]>(), [{ mentorId: me }, { coMentorId: me }, { memberIds: me }], { status: "active" });
  // By creation, then _id (findAnyOf's order).
  return groups.sort(earliestFirst((g) => g.createdAt));
}

/**
 * Circles a teacher may browse: active groups with an age-group tag that are open for joining, of
 * the teacher's organization or, for network-wide circles, of its networks; optionally one age group.
 */
export async function listCircles(userId: string, ageGroup?: string): Promise<GroupLean[]> {
  const user = valid(userId) ? await User.findById(userId, { organizationId: 1, erasedAt: 1 }).lean() : null;
  if (!user?.organizationId || user.erasedAt) return [];
  const org = await organizationById(user.organizationId);
  const networkOrgs = org?.networkIds?.length ? await networkMemberIds(org.networkIds) : [];
  const common = { status: "active", ageGroup: ageGroup && (AGE_GROUPS as readonly string[]).includes(ageGroup) ? ageGroup : { $exists: true } };
  // The organization's own circles, and its networks' network-wide ones: one query each (see findAnyOf).
  const branches = [{ organizationId: user.organizationId }, ...(networkOrgs.length ? [{ organizationId: { $in: networkOrgs.map(oid) }, networkWide: true }] : [])];
  const circles = await findAnyOf((f) => MentoringGroup.find(f).lean<GroupLean[]>(), branches, common);
  return circles.sort(earliestFirst((g) => g.createdAt)).slice(0, 30);
}

/** Open calls (groups without an age group that are recruiting) a teacher may join. */
export async function listOpenCalls(userId: string): Promise<GroupLean[]> {
  const user = valid(userId) ? await User.findById(userId, { organizationId: 1 }).lean() : null;
  if (!user?.organizationId) return [];
  const all = await MentoringGroup.find({ status: "active", recruiting: true }).limit(200).lean<GroupLean[]>();
  const out: GroupLean[] = [];
  for (const g of all) if ((await groupAudienceOrgIds(g)).includes(user.organizationId.toString())) out.push(g);
  return out;
}

/** Buttons shown with a group to a teacher: join while seats are free. */
export function joinButtons(g: GroupLean): NoticeButton[][] {
  return g.recruiting && g.seatsTaken < g.size ? [[{ label: "group-btn-join", data: `gr:j:${g._id}` }]] : [];
}

/** Organizations of a group's participants for curator views; the group's own organization decides scope. */
export async function groupsInOrganizations(organizationIds: string[]): Promise<GroupLean[]> {
  return MentoringGroup.find({ organizationId: { $in: organizationIds.filter(valid).map(oid) } }).sort({ createdAt: 1, _id: 1 }).lean<GroupLean[]>();
}

/**
 * Erasure (/deleteme) of a person: their seats end (each place back once; the requests step may
 * have ended them already) and they leave their groups and upcoming group meetings; groups they
 * lead end early with a neutral notice to the participants; a co-mentor is simply removed.
 */
export function groupsErasureStep(deps: RequestDeps) {
  return async (userId: Types.ObjectId, now: Date): Promise<{ counts: Record<string, number>; notify: Notice[] }> => {
    const notify: Notice[] = [];
    let left = 0;
    for (const g of await MentoringGroup.find({ memberIds: userId }).lean<GroupLean[]>()) {
      if (!(await endSeat(g, userId, "terminated", "participant_left", null, now, deps))) continue;
      left++;
      // As when a participant leaves: the program waiting only for them goes on to the curators.
      notify.push(...(await groupProgramAfterLeave(g._id, now)));
    }
    let ended = 0;
    for (const g of await MentoringGroup.find({ mentorId: userId, status: "active" }).lean<GroupLean[]>()) {
      const won = await MentoringGroup.updateOne({ _id: g._id, status: "active" }, { $set: { status: "terminated", recruiting: false, endedAt: now, endReason: "mentor_left" } });
      if (won.modifiedCount !== 1) continue;
      ended++;
      for (const m of g.memberIds) await endSeat(g, m, "terminated", "participant_left", null, now, deps);
      await cancelGroupMeetings(g._id, now, null, deps);
      await closeGroupProgram(g._id, "terminated", "participant_left", null, now, deps);
      for (const p of await User.find({ _id: { $in: g.memberIds } }).lean()) for (const n of notice(p, "counterpart-left")) notify.push({ telegramId: n.telegramId, locale: n.locale, key: n.key });
    }
    const co = await MentoringGroup.updateMany({ coMentorId: userId }, { $unset: { coMentorId: 1 } });
    return { counts: { groupSeatsLeft: left, groupsEnded: ended, coMentorships: co.modifiedCount }, notify };
  };
}
