import type { Types } from "mongoose";
import { findAnyOf } from "../db/read-connection.ts";
import type { Notice } from "./notices.ts";
import {
  BestPractice,
  Consent,
  ConversationState,
  Erasure,
  FinalSurvey,
  Invite,
  InviteAttempt,
  JoinRequest,
  Meeting,
  MentorProfile,
  MentorshipRequest,
  OutboxMessage,
  ProcessedUpdate,
  Pair,
  MentoringGroup,
  Program,
  PulseCheckin,
  SelfAssessment,
  SurveyAnswer,
  User,
} from "../../models/index.ts";
import { organizationById, organizationsByIds } from "../db/organization-cache.ts";

/**
 * Privacy: what is stored about a person (for /mydata), and erasure (/deleteme). Later features
 * register an erasure step for their collections (requests, pairs, meetings, reminders…): each
 * ends or anonymises the person's records and says whom to tell.
 */

/** A message to someone else the erasure concerns: a neutral "your counterpart left", or what the change set in motion (a group program sent on). */
export type ErasureNotice = Notice;

export interface ErasureStepResult {
  counts: Record<string, number>;
  notify: ErasureNotice[];
}

export type ErasureStep = (userId: Types.ObjectId, now: Date) => Promise<ErasureStepResult>;

const erasureSteps = new Map<string, ErasureStep>();

/** Registers (or replaces) a named step that every erasure runs. */
export function registerErasureStep(name: string, step: ErasureStep): void {
  erasureSteps.set(name, step);
}

/** Collects everything the bot stores about a person into one JSON-ready object. */
export async function exportUserData(telegramId: number): Promise<Record<string, unknown> | null> {
  const user = await User.findOne({ telegramId }).lean();
  const consents = await Consent.find({ telegramId }).sort({ decidedAt: 1 }).lean();
  if (!user && consents.length === 0) return null;
  const org = await organizationById(user?.organizationId);
  const joinRequests = user ? await JoinRequest.find({ userId: user._id }).lean() : [];
  const joinOrgs = [...(await organizationsByIds(joinRequests.map((j) => j.organizationId))).values()];
  const orgName = (id: unknown) => joinOrgs.find((o) => o._id.equals(id as Types.ObjectId))?.shortName;
  return {
    exportedAt: new Date().toISOString(),
    telegramId,
    account: user
      ? {
          username: user.username ?? null,
          locale: user.locale ?? null,
          registeredAt: user.registeredAt ?? null,
          unreachable: user.unreachable,
          createdAt: (user as { createdAt?: Date }).createdAt ?? null,
        }
      : null,
    profile: user?.profile ?? null,
    organization: org ? { shortName: org.shortName, fullName: org.fullName ?? null } : null,
    roles: (user?.roles ?? []).map((r) => ({ role: r.role, organizationId: r.organizationId?.toString() ?? null, networkId: r.networkId?.toString() ?? null, grantedAt: r.grantedAt })),
    consents: consents.map((c) => ({ type: c.type, decision: c.decision, version: c.version, textHash: c.textHash, decidedAt: c.decidedAt, withdrawnAt: c.withdrawnAt ?? null })),
    joinRequests: joinRequests.map((j) => ({ organization: orgName(j.organizationId) ?? null, status: j.status, createdAt: (j as { createdAt?: Date }).createdAt ?? null })),
    ...(user ? await mentoringData(user._id) : {}),
  };
}

/** The person's mentoring records: requests, registry profile, pairs, meetings, answers, programs and practice cards. */
async function mentoringData(userId: Types.ObjectId): Promise<Record<string, unknown>> {
  const pairs = await findAnyOf((f) => Pair.find(f).lean(), [{ mentorId: userId }, { menteeId: userId }]);
  // Mentoring groups the person led, co-led or took part in (their programs have no mentee).
  // (A path into an array, "participants.userId" is read by decoding every group on FerretDB;
  // groups are few beside meetings and pairs.)
  const groups = await findAnyOf(
    (f) => MentoringGroup.find(f, { title: 1, mentorId: 1, coMentorId: 1, status: 1, createdAt: 1, endedAt: 1, participants: 1 }).lean(),
    [{ mentorId: userId }, { coMentorId: userId }, { "participants.userId": userId }],
  );
  const groupIds = groups.map((g) => g._id);
  const [requests, mentorProfile, meetings, surveyAnswers, selfAssessments, programs, finalSurveys, practices, pulseCheckins] = await Promise.all([
    MentorshipRequest.find({ menteeId: userId }, { topics: 1, otherTopic: 1, description: 1, kind: 1, mode: 1, status: 1, createdAt: 1 }).lean(),
    MentorProfile.findOne({ userId }, { competences: 1, capacity: 1, forms: 1, mode: 1, approved: 1, createdAt: 1 }).lean(),
    findAnyOf((f) => Meeting.find(f, { kind: 1, topic: 1, startAt: 1, durationMin: 1, status: 1 }).lean(), [{ hostId: userId }, { participantIds: userId }]),
    SurveyAnswer.find({ respondentId: userId }, { meetingId: 1, role: 1, usefulness: 1, solved: 1, comment: 1, reflection: 1, answeredAt: 1 }).lean(),
    SelfAssessment.find({ userId }, { requestId: 1, phase: 1, scores: 1, at: 1 }).lean(),
    findAnyOf((f) => Program.find(f, { history: 0, confirmedBy: 0 }).lean(), [{ mentorId: userId }, { menteeId: userId }, ...(groupIds.length ? [{ groupId: { $in: groupIds } }] : [])]),
    FinalSurvey.find({ respondentId: userId }).lean(),
    BestPractice.find({ authorId: userId }).lean(),
    PulseCheckin.find({ userId }, { pairId: 1, round: 1, status: 1, score: 1, enough: 1, sentAt: 1, answeredAt: 1 }).lean(),
  ]);
  return {
    requests,
    mentorProfile,
    pairs: pairs.map((p) => ({ id: p._id, role: p.mentorId.equals(userId) ? "mentor" : "mentee", kind: p.kind, status: p.status, createdAt: (p as { createdAt?: Date }).createdAt, endedAt: p.endedAt ?? null })),
    groups: groups.map((g) => {
      const seat = g.participants.find((x) => x.userId.equals(userId));
      const role = g.mentorId.equals(userId) ? "mentor" : g.coMentorId?.equals(userId) ? "co_mentor" : "participant";
      return { id: g._id, title: g.title, role, status: g.status, createdAt: (g as { createdAt?: Date }).createdAt ?? null, joinedAt: seat?.joinedAt ?? null, endedAt: g.endedAt ?? null };
    }),
    meetings,
    surveyAnswers,
    selfAssessments,
    programs,
    finalSurveys,
    practiceCards: practices,
    pulseCheckins,
  };
}

/**
 * The outbox forgets the person: messages to them are deleted; messages to others still waiting
 * (pending or parked) that carry their name, handle, Telegram id or internal id are dropped as
 * stale with their text removed. Sent messages keep no text at all (see src/messaging/outbox.ts).
 */
async function scrubOutbox(telegramId: number, marks: Array<string | null | undefined>, now: Date): Promise<number> {
  let count = (await OutboxMessage.deleteMany({ telegramId })).deletedCount;
  const needles = [String(telegramId), ...marks.filter((m): m is string => typeof m === "string" && m.trim().length >= 2)];
  const waiting = await OutboxMessage.find({ status: { $in: ["pending", "parked"] } }, { _id: 1, notice: 1 }).lean();
  for (const w of waiting) {
    if (!needles.some((needle) => w.notice.includes(needle))) continue;
    const key = (JSON.parse(w.notice) as { key?: string }).key ?? "";
    await OutboxMessage.updateOne({ _id: w._id }, { $set: { status: "stale", doneAt: now, lastError: "mentions an erased person", notice: JSON.stringify({ key }) } });
    count++;
  }
  return count;
}

/**
 * Erases a person's personal data: the user document becomes a tombstone (no Telegram id, name or
 * profile), consents are marked withdrawn and detached from the Telegram id, open join requests
 * are withdrawn, dialog state is dropped, and registered steps end requests, pairs and reminders.
 * Records the erasure (counts only). Returns whom to tell, neutrally.
 */
export async function eraseUser(telegramId: number, now: Date): Promise<{ erased: boolean; notify: ErasureNotice[] }> {
  const user = await User.findOne({ telegramId }).lean();
  const counts: Record<string, number> = {};
  const notify: ErasureNotice[] = [];
  if (user) {
    for (const step of erasureSteps.values()) {
      const r = await step(user._id, now);
      for (const [k, v] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + v;
      notify.push(...r.notify);
    }
    counts.joinRequests = (await JoinRequest.updateMany({ userId: user._id, status: "pending" }, { $set: { status: "withdrawn", decidedAt: now } })).modifiedCount;
    counts.invitesRevoked = (
      await Invite.updateMany({ createdBy: user._id.toString(), revokedAt: { $exists: false } }, { $set: { revokedAt: now } })
    ).modifiedCount;
    await User.updateOne(
      { _id: user._id },
      {
        $set: { erasedAt: now, roles: [], unreachable: false },
        $unset: { telegramId: 1, username: 1, profile: 1, locale: 1, unreachableSince: 1, registeredAt: 1 },
      },
    );
    counts.user = 1;
  }
  await Consent.updateMany({ telegramId, withdrawnAt: { $exists: false } }, { $set: { withdrawnAt: now } });
  const consents = await Consent.updateMany({ telegramId }, { $unset: { telegramId: 1 } });
  counts.consents = consents.modifiedCount;
  counts.dialogs = (await ConversationState.deleteMany({ key: String(telegramId) })).deletedCount;
  await InviteAttempt.deleteMany({ telegramId });
  // An update of theirs still being handled keeps no copy of its text.
  await ProcessedUpdate.updateMany({ chatId: telegramId }, { $unset: { update: 1, chatId: 1 } });
  counts.outbox = await scrubOutbox(telegramId, [user?.profile?.fullName, user?.username, user?._id.toString()], now);
  if (!user && counts.consents === 0) return { erased: false, notify };
  await Erasure.create({ erasedAt: now, counts: JSON.stringify(counts) });
  return { erased: true, notify };
}
