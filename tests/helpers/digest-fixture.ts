import { Types } from "mongoose";
import { FinalSurvey, Meeting, MentorProfile, MentorshipRequest, Offer, Pair, Program, RiskFlag, SelfAssessment, SurveyAnswer, User, usersChangedOutsideModel } from "../../models/index.ts";

/**
 * Fixtures for digest, report and export tests, inserted with the raw driver so that `createdAt`
 * and the histories are exactly what a test says (mongoose would stamp "now").
 */
const oid = () => new Types.ObjectId();
export const at = (iso: string) => new Date(iso);

export async function person(orgId: string, fullName: string, extra: Record<string, unknown> = {}): Promise<Types.ObjectId> {
  const _id = oid();
  await User.collection.insertOne({
    _id,
    organizationId: new Types.ObjectId(orgId),
    locale: "ru",
    profile: { fullName, position: "educator", experienceYears: 1, birthYear: 2000, qualificationCategory: "none", educationProfile: "pedagogical" },
    roles: [{ role: "mentee", organizationId: new Types.ObjectId(orgId), grantedAt: at("2026-09-01T00:00:00Z") }],
    registeredAt: at("2026-09-01T00:00:00Z"),
    unreachable: false,
    createdAt: at("2026-09-01T00:00:00Z"),
    updatedAt: at("2026-09-01T00:00:00Z"),
    ...extra,
  });
  usersChangedOutsideModel();
  return _id;
}

export async function request(
  orgId: string,
  menteeId: Types.ObjectId,
  createdAt: string,
  steps: Array<[string, string]>,
  topics: string[],
  extra: Record<string, unknown> = {},
): Promise<Types.ObjectId> {
  const _id = oid();
  const history = [{ status: "new", at: at(createdAt) }, ...steps.map(([status, when]) => ({ status, at: at(when) }))];
  await MentorshipRequest.collection.insertOne({
    _id,
    menteeId,
    organizationId: new Types.ObjectId(orgId),
    topics,
    description: "Нужна помощь",
    kind: "long_term",
    mode: "any",
    preferredTimes: [],
    queue: [],
    excludedMentorIds: [],
    status: (history.at(-1) as { status: string }).status,
    history,
    anonymized: false,
    createdAt: at(createdAt),
    // As the model stamps it: at the last change.
    updatedAt: (history.at(-1) as { at: Date }).at,
    ...extra,
  });
  return _id;
}

export async function pair(
  orgId: string,
  requestId: Types.ObjectId,
  mentorId: Types.ObjectId,
  menteeId: Types.ObjectId,
  createdAt: string,
  extra: Record<string, unknown> = {},
): Promise<Types.ObjectId> {
  const _id = oid();
  await Pair.collection.insertOne({
    _id,
    requestId,
    mentorId,
    menteeId,
    mentorProfileId: oid(),
    organizationId: new Types.ObjectId(orgId),
    kind: "long_term",
    status: "active",
    formedBy: "offer",
    mentorConsentAt: at(createdAt),
    createdAt: at(createdAt),
    updatedAt: at(createdAt),
    ...extra,
  });
  await MentorshipRequest.collection.updateOne({ _id: requestId }, { $set: { pairId: _id } });
  return _id;
}

export async function meeting(orgId: string, hostId: Types.ObjectId, startAt: string, status: string, extra: Record<string, unknown> = {}): Promise<Types.ObjectId> {
  const _id = oid();
  await Meeting.collection.insertOne({
    _id,
    kind: "group",
    organizationId: new Types.ObjectId(orgId),
    hostId,
    participantIds: [],
    durationMin: 30,
    topic: "Встреча",
    mode: "online",
    status,
    startAt: at(startAt),
    history: [],
    sequence: 0,
    attending: [],
    followupsSent: 0,
    unlogged: false,
    createdAt: at(startAt),
    updatedAt: at(startAt),
    ...extra,
  });
  // A pair's meeting logged as held: the pair records when it last met, as logHeld does.
  if (status === "held" && extra.kind === "pair" && extra.pairId) await Pair.collection.updateOne({ _id: extra.pairId as Types.ObjectId }, { $max: { lastHeldAt: at(startAt) } });
  return _id;
}

export async function answer(meetingId: Types.ObjectId, respondentId: Types.ObjectId | undefined, usefulness: number, answeredAt: string, extra: Record<string, unknown> = {}): Promise<void> {
  const _id = oid();
  // Stored as the bot stores it: with the organization of its meeting.
  const meeting = await Meeting.collection.findOne({ _id: meetingId }, { projection: { organizationId: 1 } });
  await SurveyAnswer.collection.insertOne({
    _id,
    meetingId,
    ...(meeting?.organizationId ? { organizationId: meeting.organizationId } : {}),
    ...(respondentId ? { respondentId } : {}),
    role: "mentee",
    kind: "session",
    usefulness,
    answeredAt: at(answeredAt),
    late: false,
    anonymousKey: respondentId ? "" : _id.toString(),
    createdAt: at(answeredAt),
    updatedAt: at(answeredAt),
    ...extra,
  });
}

export async function mentorProfile(orgId: string, userId: Types.ObjectId, capacity: number, activeMentees: number, extra: Record<string, unknown> = {}): Promise<void> {
  await MentorProfile.collection.insertOne({
    _id: oid(),
    userId,
    organizationId: new Types.ObjectId(orgId),
    competences: ["F1"],
    capacity,
    activeMentees,
    freeSlots: capacity - activeMentees,
    forms: ["individual"],
    mode: "any",
    availability: [],
    networkServing: false,
    approved: true,
    approvedAt: at("2026-09-10T00:00:00Z"),
    offersReceived: 0,
    offersAnswered: 0,
    offersTimedOut: 0,
    answerMsTotal: 0,
    ratingSum: 0,
    ratingCount: 0,
    createdAt: at("2026-09-05T00:00:00Z"),
    updatedAt: at("2026-09-05T00:00:00Z"),
    ...extra,
  });
}

export async function timedOutOffer(requestId: Types.ObjectId, mentorUserId: Types.ObjectId, when: string): Promise<void> {
  // Stored as the bot stores it: with the organization of its request.
  const request = await MentorshipRequest.collection.findOne({ _id: requestId }, { projection: { organizationId: 1 } });
  await Offer.collection.insertOne({
    _id: oid(),
    requestId,
    ...(request?.organizationId ? { organizationId: request.organizationId } : {}),
    mentorProfileId: oid(),
    mentorUserId,
    status: "timed_out",
    sentAt: at(when),
    deadlineAt: at(when),
    answeredAt: at(when),
    questions: [],
  });
}

export async function riskFlag(orgId: string, pairId: Types.ObjectId, kind: string, raisedAt: string, extra: Record<string, unknown> = {}): Promise<void> {
  await RiskFlag.collection.insertOne({
    _id: oid(),
    key: `${pairId}:${kind}:${Math.random()}`,
    organizationId: new Types.ObjectId(orgId),
    pairId,
    kind,
    round: 1,
    role: "mentee",
    score: 2,
    raisedAt: at(raisedAt),
    // As the model stores them: open until resolved.
    ...(extra.resolvedAt ? {} : { open: true }),
    ...extra,
  });
}

export async function program(orgId: string, pairId: Types.ObjectId, mentorId: Types.ObjectId, menteeId: Types.ObjectId, fields: Record<string, unknown>): Promise<void> {
  await Program.collection.insertOne({
    _id: oid(),
    pairId,
    requestId: oid(),
    organizationId: new Types.ObjectId(orgId),
    mentorId,
    menteeId,
    items: [],
    products: [],
    history: [],
    status: "active",
    ...fields,
  });
}

export async function finalSurvey(orgId: string, pairId: Types.ObjectId, satisfaction: number, answeredAt: string): Promise<void> {
  await FinalSurvey.collection.insertOne({ _id: oid(), pairId, organizationId: new Types.ObjectId(orgId), role: "mentee", satisfaction, answeredAt: at(answeredAt) });
}

export async function selfAssessment(orgId: string, requestId: Types.ObjectId, phase: "start" | "end", score: number, when: string): Promise<void> {
  await SelfAssessment.collection.insertOne({ _id: oid(), requestId, organizationId: new Types.ObjectId(orgId), phase, scores: [{ topic: "F1", score }], at: at(when) });
}

/**
 * The Moscow organization's known week (Mon 23.11 – Sun 29.11.2026 MSK, "now" Mon 30.11 09:00 MSK),
 * with the truth each test checks. Group meetings at the six boundary instants are added by the
 * caller (they differ per zone).
 */
export async function moscowWeek(orgId: string) {
  const anna = await person(orgId, "Анна Смирнова");
  const boris = await person(orgId, "Борис Иванов");
  const vera = await person(orgId, "Вера Кузнецова");
  const gleb = await person(orgId, "Глеб Орлов");
  const dina = await person(orgId, "Дина Павлова", { unreachable: true, unreachableSince: at("2026-11-25T10:00:00Z") });
  const m1 = await person(orgId, "Наставница Полная", { roles: [{ role: "mentor", organizationId: new Types.ObjectId(orgId), grantedAt: at("2026-09-01T00:00:00Z") }] });
  const m2 = await person(orgId, "Наставник Свободный", { roles: [{ role: "mentor", organizationId: new Types.ObjectId(orgId), grantedAt: at("2026-09-01T00:00:00Z") }] });
  const m3 = await person(orgId, "Наставник На Паузе");
  // Requests: r1 new→offered→matched in the week; r2 waiting 6 days; r3 offered 20 h ago;
  // r4 from the week before, escalated on Monday; r5 matched the week before; r6 cancelled.
  const r1 = await request(orgId, anna, "2026-11-25T08:00:00Z", [["offered", "2026-11-25T08:01:00Z"], ["matched", "2026-11-26T09:00:00Z"]], ["F1", "E2"]);
  await request(orgId, boris, "2026-11-24T08:00:00Z", [], ["F1"]);
  const r3 = await request(orgId, vera, "2026-11-29T10:00:00Z", [["offered", "2026-11-29T10:01:00Z"]], ["D1"]);
  await request(orgId, gleb, "2026-11-20T08:00:00Z", [["escalated", "2026-11-23T08:00:00Z"]], ["F1"]);
  const r5 = await request(orgId, dina, "2026-11-18T08:00:00Z", [["offered", "2026-11-18T09:00:00Z"], ["matched", "2026-11-19T09:00:00Z"]], ["D1"]);
  await request(orgId, gleb, "2026-11-27T08:00:00Z", [["cancelled", "2026-11-27T09:00:00Z"]], ["F1"]);
  const p1 = await pair(orgId, r1, m1, anna, "2026-11-26T09:00:00Z");
  await pair(orgId, r5, m1, dina, "2026-11-19T09:00:00Z");
  const old = await request(orgId, boris, "2026-09-20T08:00:00Z", [["matched", "2026-10-01T08:00:00Z"]], ["A1"]);
  const p4 = await pair(orgId, old, m2, boris, "2026-10-01T08:00:00Z");
  await meeting(orgId, m2, "2026-10-15T10:00:00Z", "held", { kind: "pair", pairId: p4, participantIds: [boris] });
  const r7 = await request(orgId, vera, "2026-09-01T08:00:00Z", [["matched", "2026-09-02T08:00:00Z"], ["closed", "2026-11-10T08:00:00Z"]], ["B1"]);
  await pair(orgId, r7, m1, vera, "2026-09-02T08:00:00Z", { status: "completed", endedAt: at("2026-11-10T08:00:00Z") });
  // Meetings besides the boundary ones: missed, unlogged, cancelled in the week; planned ahead.
  const missed = await meeting(orgId, m1, "2026-11-27T10:00:00Z", "missed");
  await meeting(orgId, m1, "2026-11-25T10:00:00Z", "confirmed", { unlogged: true });
  await meeting(orgId, m1, "2026-11-26T10:00:00Z", "cancelled");
  await meeting(orgId, m1, "2026-12-02T10:00:00Z", "confirmed");
  await meeting(orgId, m1, "2026-12-20T10:00:00Z", "confirmed");
  // Survey answers: 5 and 2 in the week (an erased respondent's 2), 4 the week before.
  await answer(missed, anna, 5, "2026-11-28T10:00:00Z");
  await answer(missed, undefined, 2, "2026-11-28T11:00:00Z");
  await answer(missed, boris, 4, "2026-11-20T11:00:00Z");
  await timedOutOffer(r3, m2, "2026-11-29T09:00:00Z");
  await riskFlag(orgId, p1, "pulse_low", "2026-11-28T10:00:00Z");
  await riskFlag(orgId, p1, "pulse_missed", "2026-11-27T10:00:00Z", { resolvedAt: at("2026-11-28T00:00:00Z") });
  await mentorProfile(orgId, m1, 2, 2);
  await mentorProfile(orgId, m2, 3, 1);
  await mentorProfile(orgId, m3, 3, 0, { pausedUntil: at("2026-12-31T00:00:00Z") });
  await mentorProfile(orgId, await person(orgId, "Наставник Идл"), 2, 0);
  await mentorProfile(orgId, await person(orgId, "Наставник Неодобренный"), 2, 0, { approved: false });
  return { anna, boris, vera, gleb, dina, m1, m2, m3, p1, p4 };
}

/** Six instants around the Sundays 22.11 and 29.11 (UTC): they fall into different weeks in different zones. */
export const BOUNDARY_INSTANTS = [
  "2026-11-22T13:30:00Z",
  "2026-11-22T16:00:00Z",
  "2026-11-22T20:30:00Z",
  "2026-11-29T13:30:00Z",
  "2026-11-29T16:00:00Z",
  "2026-11-29T20:30:00Z",
];
