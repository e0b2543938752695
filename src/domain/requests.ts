import { forDailyList } from "./curator-list.ts";
import { Types } from "mongoose";
import { findAnyOf } from "../db/read-connection.ts";
import {
  Consent,
  MentorProfile,
  MentorshipRequest,
  OPEN_REQUEST_STATUSES,
  DAY_PARTS,
  Offer,
  Pair,
  Question,
  User,
  type RequestStatus,
} from "../../models/index.ts";
import { DEFAULT_TIMEZONE, buildMatchRequest, findMatches, hardFilterFailures, organizationZones, toMentorCandidate } from "./matching.ts";
import { notice, withKeyArgs, type Notice } from "./notices.ts";
import { closePairProgram } from "./program-endings.ts";
import { curatorsOf, isCuratorOf } from "./roles.ts";
import { escapeHtml } from "../core/html.ts";
import { textHash } from "./registration.ts";
import { genderArg } from "./russian.ts";
import { topicLabel } from "./deficits.ts";
import { schedulePairPulse } from "./pulse.ts";
import type { Scheduler } from "./scheduler.ts";
import { workingDeadline, type WorkingHours } from "../core/working-hours.ts";
import { organizationById, organizationsByIds } from "../db/organization-cache.ts";
import { formatDeadline } from "../core/datetime.ts";
import { endPair, holdsCapacity, linkMutualPair, schedulePairIdle, takeSlot } from "./pairs.ts";

/**
 * The life of a mentorship request (stages II and V): creation, candidates, offers to mentors,
 * accept / decline / timeout, escalation to curators, manual assignment, pairs. Transport-free:
 * every operation returns the notices to send. All state changes are single-document
 * conditional updates, so races (double taps, two requests for a last slot) resolve to one winner.
 */

/** Version of the pair-assignment consent text (2026-12-01: the full text with duties, term, regulation and payment). */
export const PAIR_CONSENT_VERSION = "2026-12-01";

/** Scheduling port: the durable job queue (jobs/queue.ts) in production. */
export type OfferScheduler = Scheduler;

export interface RequestDeps {
  scheduler: OfferScheduler;
  offerTimeoutMs: number;
  /** When set, a long-term pair gets its first pulse check-in this long after it is formed (issue 6). */
  pulseIntervalMs?: number;
  /** When set, a flash pair with no meeting for this long is closed (issue 11). */
  flashPairIdleMs?: number;
  /** When set, offer deadlines count working days only, in the mentor's zone (issue 15). */
  hours?: WorkingHours;
}

export const OFFER_TIMEOUT_JOB = "offer-timeout";
export const OFFER_REMINDER_JOB = "offer-reminder";

function historyEntry(status: RequestStatus, at: Date, by?: Types.ObjectId | string, note?: string) {
  return { status, at, ...(by ? { by: new Types.ObjectId(String(by)) } : {}), ...(note ? { note } : {}) };
}

export interface NewRequestInput {
  menteeUserId: string;
  topics: string[];
  otherTopic?: string;
  description: string;
  kind: "flash" | "long_term" | "question";
  mode: "in_person" | "online" | "any";
  preferredTimes: Array<{ weekday: number; part: "morning" | "day" | "evening" }>;
  /** Reverse mentoring: an experienced teacher asks a younger colleague (issue 15). */
  reverse?: boolean;
  now: Date;
}

export async function createRequest(input: NewRequestInput): Promise<string> {
  const mentee = await User.findById(input.menteeUserId).lean();
  if (!mentee?.organizationId) throw new Error("mentee without organization");
  const doc = await MentorshipRequest.create({
    menteeId: mentee._id,
    organizationId: mentee.organizationId,
    topics: input.topics,
    otherTopic: input.otherTopic,
    description: input.description,
    kind: input.kind,
    mode: input.mode,
    preferredTimes: input.preferredTimes,
    ...(input.reverse ? { reverse: true } : {}),
    status: "new",
    history: [historyEntry("new", input.now, mentee._id)],
  });
  return doc._id.toString();
}

export interface MentorCard {
  mentorProfileId: string;
  position?: string | null;
  positionOther?: string | null;
  experienceYears?: number | null;
  qualificationCategory?: string | null;
  organizationName: string;
  reasons: Array<{ code: string; params: Record<string, string | number> }>;
}

const QUEUE_DEPTH = 10;

/**
 * Ranks mentors for a new request, remembers the order for the offer chain and returns up to
 * three cards (no contact details). With no candidate at all the request is escalated.
 */
export async function proposeCandidates(requestId: string, now: Date): Promise<{ cards: MentorCard[]; notices: Notice[] }> {
  const request = await MentorshipRequest.findById(requestId);
  if (!request || request.status !== "new") return { cards: [], notices: [] };
  const ranked = await findMatches(await buildMatchRequest(request), { now, limit: QUEUE_DEPTH });
  await MentorshipRequest.updateOne({ _id: request._id, status: "new" }, { $set: { queue: ranked.map((r) => new Types.ObjectId(r.mentorId)) } });
  if (ranked.length === 0) return { cards: [], notices: await escalate(requestId, now, "no_candidates") };
  const top = ranked.slice(0, 3);
  const profiles = await MentorProfile.find({ _id: { $in: top.map((r) => r.mentorId) } }, { userId: 1, organizationId: 1 }).lean();
  const users = await User.find({ _id: { $in: profiles.map((p) => p.userId) } }, { profile: 1 }).lean();
  const orgs = [...(await organizationsByIds(profiles.map((p) => p.organizationId))).values()];
  const cards = top.map((r) => {
    const p = profiles.find((x) => x._id.toString() === r.mentorId);
    const u = users.find((x) => p && x._id.equals(p.userId));
    const o = orgs.find((x) => p && x._id.equals(p.organizationId));
    return {
      mentorProfileId: r.mentorId,
      position: u?.profile?.position,
      positionOther: u?.profile?.positionOther,
      experienceYears: u?.profile?.experienceYears,
      qualificationCategory: u?.profile?.qualificationCategory,
      organizationName: o?.shortName ?? "",
      reasons: r.reasons,
    };
  });
  return { cards, notices: [] };
}

async function requestSummaryArgs(requestId: Types.ObjectId | string, locale = "ru"): Promise<Record<string, string | number>> {
  const r = await MentorshipRequest.findById(requestId).lean();
  if (!r) return {};
  const mentee = await User.findById(r.menteeId, { profile: 1 }).lean();
  const org = await organizationById(r.organizationId);
  const labels = r.topics.map((code) => topicLabel(code, locale));
  if (r.otherTopic) labels.push(escapeHtml(r.otherTopic));
  return {
    topics: labels.join("; ") || "—",
    description: escapeHtml(r.description),
    kind: r.kind,
    mode: r.mode,
    mentee: escapeHtml(mentee?.profile?.fullName ?? "—"),
    organization: escapeHtml(org?.shortName ?? ""),
  };
}

/** Sends one offer: creates it (unique per request and mentor), schedules its reminder and timeout. */
async function sendOffer(requestId: Types.ObjectId, mentorProfileId: Types.ObjectId, now: Date, deps: RequestDeps): Promise<Notice[]> {
  const profile = await MentorProfile.findById(mentorProfileId, { userId: 1 }).lean();
  if (!profile) return [];
  const mentor = await User.findById(profile.userId).lean();
  // Working days only, in the mentor's zone: a Friday-evening offer runs out on Tuesday, not on Sunday.
  const orgId = mentor?.organizationId?.toString();
  const zone = orgId ? ((await organizationZones([orgId])).get(orgId) ?? DEFAULT_TIMEZONE) : DEFAULT_TIMEZONE;
  const due = (ms: number) => (deps.hours ? workingDeadline(now, ms, zone, deps.hours) : new Date(now.getTime() + ms));
  const deadlineAt = due(deps.offerTimeoutMs);
  let offerId: Types.ObjectId;
  try {
    const request = await MentorshipRequest.findById(requestId, { organizationId: 1 }).lean();
    const offer = await Offer.create({ requestId, organizationId: request?.organizationId, mentorProfileId, mentorUserId: profile.userId, sentAt: now, deadlineAt });
    offerId = offer._id;
  } catch {
    return []; // already offered once: never again
  }
  await MentorProfile.updateOne({ _id: mentorProfileId }, { $inc: { offersReceived: 1 } });
  await deps.scheduler.enqueue({ type: OFFER_REMINDER_JOB, key: `offer-reminder:${offerId}`, runAt: due(deps.offerTimeoutMs / 2), payload: { offerId: offerId.toString() } });
  await deps.scheduler.enqueue({ type: OFFER_TIMEOUT_JOB, key: `offer-timeout:${offerId}`, runAt: deadlineAt, payload: { offerId: offerId.toString() } });
  const details = await requestKeyArgs(requestId);
  // The deadline as the mentor reads it: the actual moment (working days counted), in their zone.
  const deadline = formatDeadline(deadlineAt, zone, mentor?.locale === "en" ? "en" : "ru", now);
  const args = { ...(await requestSummaryArgs(requestId, mentor?.locale ?? "ru")), deadline, hasTimes: details.days ? "yes" : "no" };
  const offer = notice(mentor, "offer-new", args, [
    [
      { label: "offer-accept", data: `of:a:${offerId}` },
      { label: "offer-decline", data: `of:d:${offerId}` },
    ],
    [{ label: "offer-ask", data: `of:q:${offerId}` }],
  ]);
  return withKeyArgs(offer, details);
}

/**
 * The deadline of a request's pending offer (the latest one), as the mentee reads it in their
 * organization's zone: «вторника, 1 декабря, 19:00». Empty when no offer is pending.
 */
export async function offerDeadlineFor(
  requestId: Types.ObjectId | string,
  reader: { organizationId?: Types.ObjectId | null; locale?: string | null } | null | undefined,
  now: Date,
): Promise<string> {
  const offer = await Offer.findOne({ requestId, status: "pending" }, { deadlineAt: 1 }).sort({ deadlineAt: -1 }).lean();
  if (!offer?.deadlineAt) return "";
  const orgId = reader?.organizationId?.toString();
  const zone = orgId ? ((await organizationZones([orgId])).get(orgId) ?? DEFAULT_TIMEZONE) : DEFAULT_TIMEZONE;
  return formatDeadline(offer.deadlineAt, zone, reader?.locale === "en" ? "en" : "ru", now);
}

/** The request's kind, mode and convenient days and parts of the day, as locale keys (lists joined in the recipient's language). */
async function requestKeyArgs(requestId: Types.ObjectId | string): Promise<Record<string, string>> {
  const r = await MentorshipRequest.findById(requestId, { kind: 1, mode: 1, preferredTimes: 1 }).lean();
  if (!r) return {};
  const days = [...new Set(r.preferredTimes.map((p) => p.weekday))].sort((a, b) => a - b);
  const parts = DAY_PARTS.filter((part) => r.preferredTimes.some((p) => p.part === part));
  return {
    kind: `kind-${r.kind}`,
    mode: `mode-${r.mode}`,
    // Absent when the mentee gave no times (the message then says "any time").
    ...(days.length ? { days: days.map((d) => `weekday-${d}`).join(","), parts: parts.map((p) => `daypart-${p}`).join(",") } : {}),
  };
}

/**
 * The mentee's choice among the cards: one mentor (offered alone; the rest of the ranking stays as
 * the fallback chain) or "whoever is free first" (all shown mentors at once; first accept wins).
 */
export async function chooseMentor(
  requestId: string,
  menteeUserId: string,
  choice: string | "any",
  now: Date,
  deps: RequestDeps,
): Promise<{ ok: boolean; notices: Notice[] }> {
  const request = await MentorshipRequest.findOne({ _id: requestId, menteeId: menteeUserId }).lean();
  if (!request || request.status !== "new") return { ok: false, notices: [] };
  const queue = request.queue.map((q) => q.toString());
  // "any" goes to the three mentors whose cards were shown (the head of the ranking).
  const targets = choice === "any" ? queue.slice(0, 3) : queue.slice(0, 3).includes(choice) ? [choice] : [];
  if (targets.length === 0) return { ok: false, notices: [] };
  const claimed = await MentorshipRequest.updateOne(
    { _id: requestId, status: "new" },
    {
      $set: { status: "offered", choice: choice === "any" ? "any" : "specific", queue: [...targets, ...queue.filter((q) => !targets.includes(q))].map((q) => new Types.ObjectId(q)) },
      $push: { history: historyEntry("offered", now, menteeUserId) },
    },
  );
  if (claimed.modifiedCount !== 1) return { ok: false, notices: [] };
  const notices: Notice[] = [];
  for (const id of targets) notices.push(...(await sendOffer(request._id, new Types.ObjectId(id), now, deps)));
  return { ok: true, notices };
}

/**
 * Moves a request to its next candidate after a decline or timeout (when no other offer is still
 * pending); re-checks the hard filters; escalates when nobody is left.
 */
async function advance(requestId: Types.ObjectId, now: Date, deps: RequestDeps): Promise<Notice[]> {
  const request = await MentorshipRequest.findById(requestId).lean();
  if (!request || request.status !== "offered") return [];
  if ((await Offer.countDocuments({ requestId, status: "pending" })) > 0) return [];
  const offered = (await Offer.find({ requestId }, { mentorProfileId: 1 }).lean()).map((o) => o.mentorProfileId.toString());
  const excluded = new Set([...request.excludedMentorIds.map(String), ...offered]);
  const matchReq = await buildMatchRequest(request);
  matchReq.excludedMentorIds = [...excluded];
  const still = await findMatches(matchReq, { now, limit: QUEUE_DEPTH });
  const stillIds = new Set(still.map((s) => s.mentorId));
  const next = request.queue.map(String).find((id) => !excluded.has(id) && stillIds.has(id)) ?? still[0]?.mentorId;
  if (!next) return escalate(requestId.toString(), now, "candidates_exhausted");
  const sent = await sendOffer(requestId, new Types.ObjectId(next), now, deps);
  // The mentee hears that the request moved on (no names: the mentor who declined stays private).
  if (sent.length > 0) {
    const mentee = await User.findById(request.menteeId).lean();
    const deadline = await offerDeadlineFor(requestId, mentee, now);
    sent.push(...notice(mentee, "request-passed-on-mentee", { deadline }));
  }
  return sent;
}

/** Hands a request to the curators of its organization (and of its networks). */
export async function escalate(requestId: string, now: Date, reason: string): Promise<Notice[]> {
  const res = await MentorshipRequest.findOneAndUpdate(
    { _id: requestId, status: { $in: ["new", "offered"] } },
    { $set: { status: "escalated", escalatedAt: now }, $push: { history: historyEntry("escalated", now, undefined, reason) } },
  );
  if (!res) return [];
  const curators = await curatorsOf(res.organizationId.toString());
  const mentee = await User.findById(res.menteeId).lean();
  const perCurator = await Promise.all(
    curators.map(async (c) => notice(c, "request-escalated", await requestSummaryArgs(requestId, c.locale ?? "ru"), [[{ label: "request-open", data: `rq:o:${requestId}` }]])),
  );
  // A request whose offers all ran out has waited long enough: it cannot wait for the daily list.
  const toCurators = reason === "candidates_exhausted" ? perCurator.flat() : forDailyList(perCurator.flat(), "escalation", requestId);
  return [...toCurators, ...notice(mentee, "request-escalated-mentee")];
}

export interface AnswerResult {
  ok: boolean;
  reason?: "not_yours" | "already_answered" | "taken" | "full";
  notices: Notice[];
}

async function loadOfferFor(offerId: string, mentorUserId: string) {
  const offer = await Offer.findById(offerId).lean();
  if (!offer || offer.mentorUserId.toString() !== mentorUserId) return null;
  return offer;
}

/**
 * Accept: the offer, then the request, then a capacity slot, each claimed with one conditional
 * update and undone in reverse when a later step loses a race. One pair per request, capacity
 * never exceeded, a double tap is answered "already answered".
 */
export async function acceptOffer(offerId: string, mentorUserId: string, now: Date, deps: RequestDeps): Promise<AnswerResult> {
  const offer = await loadOfferFor(offerId, mentorUserId);
  if (!offer) return { ok: false, reason: "not_yours", notices: [] };
  const won = await Offer.findOneAndUpdate({ _id: offer._id, status: "pending" }, { $set: { status: "accepted", answeredAt: now } });
  if (!won) return { ok: false, reason: "already_answered", notices: [] };
  const request = await MentorshipRequest.findOneAndUpdate(
    { _id: offer.requestId, status: "offered" },
    { $set: { status: "matched" }, $push: { history: historyEntry("matched", now, mentorUserId) } },
  );
  if (!request) {
    await Offer.updateOne({ _id: offer._id }, { $set: { status: "withdrawn" } });
    return { ok: false, reason: "taken", notices: [] };
  }
  // Only a long-term pair takes a place in the mentor's capacity (src/domain/pairs.ts).
  if (holdsCapacity(request.kind) && !(await takeSlot(offer.mentorProfileId))) {
    await MentorshipRequest.updateOne({ _id: request._id, status: "matched" }, { $set: { status: "offered" }, $pop: { history: 1 } });
    await Offer.updateOne({ _id: offer._id }, { $set: { status: "declined", declineReason: "capacity" } });
    await MentorshipRequest.updateOne({ _id: request._id }, { $addToSet: { excludedMentorIds: offer.mentorProfileId } });
    return { ok: false, reason: "full", notices: await advance(request._id, now, deps) };
  }
  await MentorProfile.updateOne(
    { _id: offer.mentorProfileId },
    { $inc: { offersAnswered: 1, answerMsTotal: Math.max(0, now.getTime() - new Date(offer.sentAt).getTime()) } },
  );
  await deps.scheduler.cancel(`offer-timeout:${offer._id}`);
  await deps.scheduler.cancel(`offer-reminder:${offer._id}`);
  const pair = await Pair.create({
    requestId: request._id,
    mentorId: offer.mentorUserId,
    menteeId: request.menteeId,
    mentorProfileId: offer.mentorProfileId,
    organizationId: request.organizationId,
    kind: request.kind,
    formedBy: "offer",
    reverse: request.reverse === true,
  });
  await MentorshipRequest.updateOne({ _id: request._id }, { $set: { pairId: pair._id } });
  await linkMutualPair(pair._id);
  await schedulePairFollowUps(pair._id, request.kind, now, deps);
  const notices = await withdrawOtherOffers(request._id, offer._id, now, deps);
  return { ok: true, notices: [...notices, ...(await pairNotices(pair._id.toString()))] };
}

/** Pulses for a long-term pair, the idle check for a flash pair. */
async function schedulePairFollowUps(pairId: Types.ObjectId, kind: string, now: Date, deps: RequestDeps): Promise<void> {
  if (kind === "long_term" && deps.pulseIntervalMs) await schedulePairPulse(pairId, now, { scheduler: deps.scheduler, intervalMs: deps.pulseIntervalMs });
  if (kind === "flash" && deps.flashPairIdleMs) await schedulePairIdle(pairId, now, deps.flashPairIdleMs, deps.scheduler);
}

/**
 * Withdraws the request's other pending offers; each mentor is told why: another mentor took it
 * (the default), the mentee cancelled it, or a curator decided (assigned someone or closed it).
 */
export async function withdrawOtherOffers(
  requestId: Types.ObjectId,
  keepOfferId: Types.ObjectId | null,
  now: Date,
  deps: RequestDeps,
  why: "offer-withdrawn" | "offer-withdrawn-cancelled" | "offer-withdrawn-curator" = "offer-withdrawn",
): Promise<Notice[]> {
  const others = await Offer.find({ requestId, status: "pending", ...(keepOfferId ? { _id: { $ne: keepOfferId } } : {}) }).lean();
  const notices: Notice[] = [];
  for (const o of others) {
    const res = await Offer.updateOne({ _id: o._id, status: "pending" }, { $set: { status: "withdrawn", answeredAt: now } });
    if (res.modifiedCount !== 1) continue;
    await deps.scheduler.cancel(`offer-timeout:${o._id}`);
    await deps.scheduler.cancel(`offer-reminder:${o._id}`);
    notices.push(...notice(await User.findById(o.mentorUserId).lean(), why));
  }
  return notices;
}

/**
 * Why a curator assigned the mentor, in the recipients' words: the curator's own reason when they
 * overrode a filter, else what brought the request to the curator.
 */
function assignmentWhy(
  request: { status: string; history: Array<{ status: string; note?: string | null }> },
  overrideReason: string | undefined,
  overridden: boolean,
): { key: string; text?: string } {
  if (overridden && overrideReason?.trim()) return { key: "assign-why-override", text: overrideReason.trim().slice(0, 500) };
  if (request.status === "matched") return { key: "assign-why-reassigned" };
  const escalation = [...request.history].reverse().find((h) => h.status === "escalated");
  if (escalation?.note === "no_candidates") return { key: "assign-why-no-candidates" };
  if (escalation?.note === "candidates_exhausted") return { key: "assign-why-exhausted" };
  return { key: "assign-why-curator-choice" };
}

/**
 * Both sides learn each other's contact handle and are asked to confirm consent to the pair
 * assignment. A pair formed by a curator says so, with who assigned it and why (never "the mentor
 * accepted your request").
 */
async function pairNotices(pairId: string, assigned?: { curatorId: Types.ObjectId; why: { key: string; text?: string } }): Promise<Notice[]> {
  const pair = await Pair.findById(pairId).lean();
  if (!pair) return [];
  const mentor = await User.findById(pair.mentorId).lean();
  const mentee = await User.findById(pair.menteeId).lean();
  // A clickable contact: the @handle, or a mention link when the person has no username.
  const handle = (u: typeof mentor) =>
    u?.username ? `@${u.username}` : `<a href="tg://user?id=${u?.telegramId}">${escapeHtml(u?.profile?.fullName ?? "")}</a>`;
  const consent = [[{ label: "pair-consent", data: `pc:${pairId}` }], [{ label: "meeting-propose-first", data: `mt:new:${pairId}` }]];
  const curator = assigned ? await User.findById(assigned.curatorId, { profile: 1 }).lean() : null;
  // The curator's own words, when given, follow the reason's label: "…: «…»".
  const viaCurator: Record<string, string> = assigned
    ? { curator: escapeHtml(curator?.profile?.fullName ?? "—"), curatorGender: genderArg(curator?.profile), reason: assigned.why.text ? `: «${escapeHtml(assigned.why.text)}»` : "" }
    : {};
  const keys = assigned ? ["pair-assigned-mentee", "pair-assigned-mentor"] : ["pair-formed-mentee", "pair-formed-mentor"];
  const withWhy = (list: Notice[]) => (assigned ? withKeyArgs(list, { why: assigned.why.key }) : list);
  // Reverse and mutual pairs say so to both sides (issue 15).
  const marked = [
    ...(pair.reverse ? [...notice(mentee, "rv-pair-reverse-mentee", { name: escapeHtml(mentor?.profile?.fullName ?? "") }), ...notice(mentor, "rv-pair-reverse-mentor", { name: escapeHtml(mentee?.profile?.fullName ?? "") })] : []),
    ...(pair.mutualPairId ? [...notice(mentee, "rv-pair-mutual", { name: escapeHtml(mentor?.profile?.fullName ?? "") }), ...notice(mentor, "rv-pair-mutual", { name: escapeHtml(mentee?.profile?.fullName ?? "") })] : []),
  ];
  return [
    ...marked,
    ...withWhy(notice(mentee, keys[0] as string, { name: escapeHtml(mentor?.profile?.fullName ?? ""), contact: handle(mentor), ...viaCurator }, consent)),
    // A long-term pair works to a personalised program, which the mentor drafts.
    ...withWhy(notice(mentor, keys[1] as string, { name: escapeHtml(mentee?.profile?.fullName ?? ""), contact: handle(mentee), ...viaCurator }, [
      ...consent,
      ...(pair.kind === "long_term" ? [[{ label: "program-btn-create", data: `pg:ed:${pairId}` }]] : []),
    ])),
  ];
}

/**
 * What the full consent text of one side names: the person, the organization, the partner, the
 * form and term. Null when the pair is not active or the user is not in it (re-checked on every press).
 */
export async function pairConsentFacts(
  pairId: string,
  userId: string,
): Promise<{ side: "mentor" | "mentee"; args: Record<string, string>; kind: string; reverse: boolean; mutualPairId?: Types.ObjectId; consented: boolean } | null> {
  if (!Types.ObjectId.isValid(pairId) || !Types.ObjectId.isValid(userId)) return null;
  const pair = await Pair.findById(pairId).lean();
  if (!pair || pair.status !== "active") return null;
  const side = pair.mentorId.equals(userId) ? "mentor" : pair.menteeId.equals(userId) ? "mentee" : null;
  if (!side) return null;
  const [me, partner, org] = await Promise.all([
    User.findById(userId, { profile: 1 }).lean(),
    User.findById(side === "mentor" ? pair.menteeId : pair.mentorId, { profile: 1 }).lean(),
    organizationById(pair.organizationId),
  ]);
  return {
    side,
    kind: pair.kind,
    // The form names a reverse and a mutual pair as such, to both sides (issue 15).
    reverse: pair.reverse === true,
    ...(pair.mutualPairId ? { mutualPairId: pair.mutualPairId } : {}),
    consented: Boolean(side === "mentor" ? pair.mentorConsentAt : pair.menteeConsentAt),
    args: {
      name: escapeHtml(me?.profile?.fullName ?? "—"),
      gender: genderArg(me?.profile),
      partner: escapeHtml(partner?.profile?.fullName ?? "—"),
      organization: escapeHtml(org?.shortName ?? ""),
      role: side,
    },
  };
}

/** "Questions to the curator" instead of consenting: the organization's curators are told who asks, with a contact. */
export async function pairConsentQuestion(pairId: string, userId: string): Promise<Notice[]> {
  const facts = await pairConsentFacts(pairId, userId);
  if (!facts) return [];
  const pair = await Pair.findById(pairId, { organizationId: 1 }).lean();
  const me = await User.findById(userId, { profile: 1, username: 1, telegramId: 1 }).lean();
  if (!pair || !me) return [];
  const contact = me.username ? `@${me.username}` : `<a href="tg://user?id=${me.telegramId}">${escapeHtml(me.profile?.fullName ?? "")}</a>`;
  const curators = await curatorsOf(pair.organizationId.toString());
  return curators.flatMap((c) => notice(c, "pair-consent-question-curator", { name: facts.args.name as string, partner: facts.args.partner as string, contact, role: facts.side }));
}

/** Records one side's written consent to the pair assignment (timestamped Consent record). */
export async function confirmPairConsent(pairId: string, userId: string, consentText: string, now: Date): Promise<"mentor" | "mentee" | null> {
  const pair = await Pair.findById(pairId).lean();
  if (!pair || pair.status !== "active") return null;
  const side = pair.mentorId.toString() === userId ? "mentor" : pair.menteeId.toString() === userId ? "mentee" : null;
  if (!side) return null;
  const field = side === "mentor" ? "mentorConsentAt" : "menteeConsentAt";
  const res = await Pair.updateOne({ _id: pair._id, [field]: { $exists: false } }, { $set: { [field]: now } });
  if (res.modifiedCount === 1) {
    const user = await User.findById(userId, { telegramId: 1 }).lean();
    await Consent.create({
      userId,
      telegramId: user?.telegramId,
      type: "pair_assignment",
      decision: "given",
      version: PAIR_CONSENT_VERSION,
      textHash: textHash(consentText),
      subjectId: pair._id,
      decidedAt: now,
    });
  }
  return side;
}

export async function declineOffer(offerId: string, mentorUserId: string, reason: string | undefined, now: Date, deps: RequestDeps): Promise<AnswerResult> {
  const offer = await loadOfferFor(offerId, mentorUserId);
  if (!offer) return { ok: false, reason: "not_yours", notices: [] };
  const won = await Offer.findOneAndUpdate(
    { _id: offer._id, status: "pending" },
    { $set: { status: "declined", answeredAt: now, ...(reason ? { declineReason: reason.slice(0, 500) } : {}) } },
  );
  if (!won) return { ok: false, reason: "already_answered", notices: [] };
  await deps.scheduler.cancel(`offer-timeout:${offer._id}`);
  await deps.scheduler.cancel(`offer-reminder:${offer._id}`);
  await MentorshipRequest.updateOne({ _id: offer.requestId }, { $addToSet: { excludedMentorIds: offer.mentorProfileId } });
  await MentorProfile.updateOne(
    { _id: offer.mentorProfileId },
    { $inc: { offersAnswered: 1, answerMsTotal: Math.max(0, now.getTime() - new Date(offer.sentAt).getTime()) } },
  );
  return { ok: true, notices: await advance(offer.requestId, now, deps) };
}

/** Job handler: an offer nobody answered in time moves on to the next candidate. */
export async function timeOutOffer(offerId: string, now: Date, deps: RequestDeps): Promise<Notice[]> {
  const offer = await Offer.findOneAndUpdate({ _id: offerId, status: "pending" }, { $set: { status: "timed_out", answeredAt: now } });
  if (!offer) return [];
  await MentorshipRequest.updateOne({ _id: offer.requestId }, { $addToSet: { excludedMentorIds: offer.mentorProfileId } });
  await MentorProfile.updateOne({ _id: offer.mentorProfileId }, { $inc: { offersTimedOut: 1 } });
  const mentor = await User.findById(offer.mentorUserId).lean();
  return [...notice(mentor, "offer-expired"), ...(await advance(offer.requestId, now, deps))];
}

/** Job handler: half-time reminder for a still pending offer. */
export async function remindOffer(offerId: string): Promise<Notice[]> {
  const offer = await Offer.findOne({ _id: offerId, status: "pending" }).lean();
  if (!offer) return [];
  const mentor = await User.findById(offer.mentorUserId).lean();
  return notice(mentor, "offer-reminder", await requestSummaryArgs(offer.requestId, mentor?.locale ?? "ru"), [
    [
      { label: "offer-accept", data: `of:a:${offer._id}` },
      { label: "offer-decline", data: `of:d:${offer._id}` },
    ],
  ]);
}

/** A mentor's question about an offer, relayed to the mentee with an answer button. */
export async function askQuestion(offerId: string, mentorUserId: string, text: string, now: Date): Promise<{ ok: boolean; notices: Notice[] }> {
  const offer = await loadOfferFor(offerId, mentorUserId);
  if (!offer || offer.status !== "pending") return { ok: false, notices: [] };
  const qid = new Types.ObjectId();
  await Offer.updateOne({ _id: offer._id, status: "pending" }, { $push: { questions: { _id: qid, text: text.slice(0, 1000), askedAt: now } } });
  const request = await MentorshipRequest.findById(offer.requestId, { menteeId: 1 }).lean();
  const mentee = request ? await User.findById(request.menteeId).lean() : null;
  return { ok: true, notices: notice(mentee, "offer-question", { question: escapeHtml(text) }, [[{ label: "offer-answer", data: `qa:${offer._id}:${qid}` }]]) };
}

/** The mentee's answer, relayed back to the mentor with the offer buttons. */
export async function answerQuestion(offerId: string, questionId: string, menteeUserId: string, text: string, now: Date): Promise<{ ok: boolean; notices: Notice[] }> {
  const offer = await Offer.findById(offerId).lean();
  if (!offer) return { ok: false, notices: [] };
  const request = await MentorshipRequest.findOne({ _id: offer.requestId, menteeId: menteeUserId }, { _id: 1 }).lean();
  const question = offer.questions.find((q) => q._id?.toString() === questionId);
  if (!request || !question || question.answer) return { ok: false, notices: [] };
  const res = await Offer.updateOne(
    { _id: offer._id, "questions._id": question._id, "questions.answer": { $exists: false } },
    { $set: { "questions.$.answer": text.slice(0, 1000), "questions.$.answeredAt": now } },
  );
  if (res.modifiedCount !== 1) return { ok: false, notices: [] };
  const mentor = await User.findById(offer.mentorUserId).lean();
  const buttons =
    offer.status === "pending"
      ? [
          [
            { label: "offer-accept", data: `of:a:${offer._id}` },
            { label: "offer-decline", data: `of:d:${offer._id}` },
          ],
        ]
      : undefined;
  return { ok: true, notices: notice(mentor, "offer-answer-relayed", { question: escapeHtml(question.text ?? ""), answer: escapeHtml(text) }, buttons) };
}

/** The mentee cancels their own open request. */
export async function cancelRequest(requestId: string, menteeUserId: string, now: Date, deps: RequestDeps): Promise<{ ok: boolean; notices: Notice[] }> {
  const res = await MentorshipRequest.findOneAndUpdate(
    { _id: requestId, menteeId: menteeUserId, status: { $in: [...OPEN_REQUEST_STATUSES] } },
    { $set: { status: "cancelled" }, $push: { history: historyEntry("cancelled", now, menteeUserId) } },
  );
  if (!res) return { ok: false, notices: [] };
  // A quick question the mentee withdrew can no longer be answered.
  if (res.kind === "question") await Question.updateOne({ requestId: res._id, status: "open" }, { $set: { status: "cancelled", closedAt: now } });
  return { ok: true, notices: await withdrawOtherOffers(res._id, null, now, deps, "offer-withdrawn-cancelled") };
}

export type AssignResult =
  | { ok: true; notices: Notice[] }
  | { ok: false; reason: "not_allowed" | "state" | "full" | "filters"; failures?: string[] };

/**
 * A curator assigns (or reassigns) a mentor by hand. The hard filters apply unless the curator
 * states a reason for overriding them; capacity is never overridden.
 */
export async function assignByCurator(
  input: { requestId: string; mentorProfileId: string; curator: Parameters<typeof isCuratorOf>[0] & { _id: Types.ObjectId }; admin: boolean; overrideReason?: string; now: Date },
  deps: RequestDeps,
): Promise<AssignResult> {
  const request = await MentorshipRequest.findById(input.requestId).lean();
  if (!request) return { ok: false, reason: "state" };
  if (!input.admin && !(await isCuratorOf(input.curator, request.organizationId.toString()))) return { ok: false, reason: "not_allowed" };
  const profile = await MentorProfile.findById(input.mentorProfileId).lean();
  if (!profile) return { ok: false, reason: "state" };
  const mentorOrg = await organizationById(profile.organizationId);
  const candidate = toMentorCandidate(profile as unknown as Parameters<typeof toMentorCandidate>[0], mentorOrg?.timezone ?? "Europe/Moscow", mentorOrg?.mentorTrainingRequired === true);
  const matchReq = await buildMatchRequest(request);
  const failures = hardFilterFailures(matchReq, candidate, input.now).filter((f) => f !== "capacity");
  if (failures.length > 0 && !input.overrideReason?.trim()) return { ok: false, reason: "filters", failures };

  const notices: Notice[] = [];
  // Reassignment: end the current pair first and free its slot.
  if (request.status === "matched" && request.pairId) {
    const old = await endPair(request.pairId, { status: "terminated", reason: "reassigned", by: input.curator._id }, input.now, deps);
    if (old) {
      // The old pair's program ends with it (the new pair drafts its own).
      await closePairProgram(old._id, "reassigned", input.now, deps);
      await MentorshipRequest.updateOne({ _id: request._id, status: "matched" }, { $set: { status: "escalated" }, $unset: { pairId: 1 } });
      notices.push(...notice(await User.findById(old.mentorId).lean(), "pair-reassigned-mentor"));
    }
  }
  const claimed = await MentorshipRequest.findOneAndUpdate(
    { _id: request._id, status: { $in: [...OPEN_REQUEST_STATUSES] } },
    { $set: { status: "matched" }, $push: { history: historyEntry("matched", input.now, input.curator._id, input.overrideReason?.slice(0, 500)) } },
  );
  if (!claimed) return { ok: false, reason: "state" };
  if (holdsCapacity(request.kind) && !(await takeSlot(profile._id))) {
    await MentorshipRequest.updateOne({ _id: request._id, status: "matched" }, { $set: { status: claimed.status }, $pop: { history: 1 } });
    return { ok: false, reason: "full" };
  }
  notices.push(...(await withdrawOtherOffers(request._id, null, input.now, deps, "offer-withdrawn-curator")));
  const pair = await Pair.create({
    requestId: request._id,
    mentorId: profile.userId,
    menteeId: request.menteeId,
    mentorProfileId: profile._id,
    organizationId: request.organizationId,
    kind: request.kind,
    formedBy: "curator",
    reverse: request.reverse === true,
    ...(failures.length > 0 ? { overrideReason: input.overrideReason?.slice(0, 500) } : {}),
  });
  await MentorshipRequest.updateOne({ _id: request._id }, { $set: { pairId: pair._id } });
  await linkMutualPair(pair._id);
  await schedulePairFollowUps(pair._id, request.kind, input.now, deps);
  notices.push(...(await pairNotices(pair._id.toString(), { curatorId: input.curator._id, why: assignmentWhy(request, input.overrideReason, failures.length > 0) })));
  return { ok: true, notices };
}

/** A curator closes a request (no pair will be formed). */
export async function closeRequest(requestId: string, curatorUserId: string, now: Date, deps: RequestDeps): Promise<{ ok: boolean; notices: Notice[] }> {
  const res = await MentorshipRequest.findOneAndUpdate(
    { _id: requestId, status: { $in: [...OPEN_REQUEST_STATUSES] } },
    { $set: { status: "closed" }, $push: { history: historyEntry("closed", now, curatorUserId) } },
  );
  if (!res) return { ok: false, notices: [] };
  const mentee = await User.findById(res.menteeId).lean();
  return { ok: true, notices: [...(await withdrawOtherOffers(res._id, null, now, deps, "offer-withdrawn-curator")), ...notice(mentee, "request-closed-mentee")] };
}

/**
 * Erasure (/deleteme) of a person: their open requests are cancelled and anonymised, offers to
 * them withdrawn (the requests move on), active pairs end with a neutral notice to the other
 * side, and their mentor profile leaves the registry.
 */
export function requestErasureStep(deps: RequestDeps) {
  return async (userId: Types.ObjectId, now: Date): Promise<{ counts: Record<string, number>; notify: Array<{ telegramId: number; locale: string; key: string }> }> => {
    const notify: Array<{ telegramId: number; locale: string; key: string }> = [];
    const counts: Record<string, number> = { requests: 0, offers: 0, pairs: 0, mentorProfiles: 0 };
    // Requests of the mentee: cancel the open ones, anonymise all.
    const open = await MentorshipRequest.find({ menteeId: userId, status: { $in: [...OPEN_REQUEST_STATUSES] } }).lean();
    for (const r of open) {
      const res = await cancelRequest(r._id.toString(), userId.toString(), now, deps);
      for (const n of res.notices) notify.push({ telegramId: n.telegramId, locale: n.locale, key: "counterpart-left" });
    }
    counts.requests = (
      await MentorshipRequest.updateMany({ menteeId: userId }, { $set: { description: "—", anonymized: true }, $unset: { otherTopic: 1 } })
    ).modifiedCount;
    // Offers to them as a mentor: declined, so their requests move on.
    const offers = await Offer.find({ mentorUserId: userId, status: "pending" }).lean();
    for (const o of offers) {
      const res = await declineOffer(o._id.toString(), userId.toString(), undefined, now, deps);
      if (res.ok) counts.offers = (counts.offers ?? 0) + 1;
      for (const n of res.notices) notify.push({ telegramId: n.telegramId, locale: n.locale, key: n.key });
    }
    await Offer.updateMany({ mentorUserId: userId }, { $set: { questions: [] }, $unset: { declineReason: 1 } });
    // Active pairs end; the other side gets a neutral notice; the mentor's slot is freed.
    const pairs = await findAnyOf((f) => Pair.find(f).lean(), [{ mentorId: userId }, { menteeId: userId }], { status: "active" });
    for (const p of pairs) {
      if (!(await endPair(p._id, { status: "terminated", reason: "participant_left" }, now, deps))) continue;
      counts.pairs = (counts.pairs ?? 0) + 1;
      await closePairProgram(p._id, "participant_left", now, deps);
      const other = await User.findById(p.mentorId.equals(userId) ? p.menteeId : p.mentorId).lean();
      for (const n of notice(other, "counterpart-left")) notify.push({ telegramId: n.telegramId, locale: n.locale, key: n.key });
    }
    counts.mentorProfiles = (await MentorProfile.deleteMany({ userId })).deletedCount;
    return { counts, notify };
  };
}
