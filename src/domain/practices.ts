import { Types } from "mongoose";
import { BestPractice, Consent, MentorshipRequest, Program, User } from "../../models/index.ts";
import { notice } from "./notices.ts";
import { escapeHtml } from "../core/html.ts";
import type { Person } from "./meetings.ts";
import { curatorsOf } from "./roles.ts";
import { textHash } from "./registration.ts";
import { topicLabel } from "./deficits.ts";
import { curates, decides, groupOfProgram, loadProgram, person, refused, valid, type CuratorLike, type ProgramLean, type ProgramResult } from "./programs.ts";
import { groupSummaryArgs, pairSummaryArgs } from "./program-endings.ts";
import { networkMemberIds, organizationById } from "../db/organization-cache.ts";

/** Best-practice cards (issue 6, domain §4.7): the curator's verdict on a finished program builds one; the author edits it and consents to its publication; colleagues browse the published ones. */

/**
 * The curator's verdict on a finished program: "packaged" builds the best-practice card pre-filled
 * from the program, its sessions and feedback, and asks the author (the mentor) to edit it and
 * consent to publication; "needs_revision" tells the mentor. Once per program.
 */
export async function setOutcome(programId: string, curator: CuratorLike, outcome: "packaged" | "needs_revision", now: Date): Promise<ProgramResult> {
  const p = await loadProgram(programId);
  if (!p || !(await decides(curator, p))) return refused();
  // Only a program that ran (was approved) gets a verdict; an early end may be packaged too (issue 6).
  const res = await Program.updateOne(
    { _id: p._id, status: { $in: ["completed", "terminated"] }, approvedAt: { $exists: true }, outcome: { $exists: false } },
    { $set: { outcome, outcomeAt: now } },
  );
  if (res.modifiedCount !== 1) return refused("state");
  const mentor = await person(p.mentorId);
  if (outcome === "needs_revision") return { ok: true, notices: notice(mentor, "program-needs-revision", { goal: escapeHtml(p.goal ?? "") }) };
  const cardId = await buildPracticeCard(p, now);
  return {
    ok: true,
    notices: notice(mentor, "practice-draft-ready", { goal: escapeHtml(p.goal ?? "") }, [
      [{ label: "practice-btn-view", data: `bp:v:${cardId}` }],
      [{ label: "practice-btn-edit", data: `bp:e:${cardId}` }, { label: "practice-btn-publish", data: `bp:p:${cardId}` }],
    ]),
  };
}

/** Builds the card (domain §4.7) from the program, the mentor's profile, sessions and feedback. */
async function buildPracticeCard(p: ProgramLean, now: Date): Promise<string> {
  const group = await groupOfProgram(p);
  const requestIds = group ? group.participants.map((x) => x.requestId) : p.requestId ? [p.requestId] : [];
  const [mentor, org, requests, summary] = await Promise.all([
    User.findById(p.mentorId).lean(),
    organizationById(p.organizationId),
    MentorshipRequest.find({ _id: { $in: requestIds } }, { topics: 1 }).lean(),
    group ? groupSummaryArgs(group._id) : pairSummaryArgs(String(p.pairId)),
  ]);
  const topics = [...new Set(requests.flatMap((r) => r.topics))];
  const topicText = topics.map((c) => topicLabel(c, "ru")).join("; ");
  const done = p.items.filter((i) => i.status === "done");
  const results = [
    `Выполнено пунктов плана: ${done.length} из ${p.items.length}.`,
    `Проведено встреч: ${summary.held}. Полезность встреч: ${summary.usefulness}. Удовлетворённость: ${summary.satisfaction}.`,
    `Изменение самооценки: ${summary.growth}.`,
    p.product ? `Продукт: ${p.product}.` : "",
  ]
    .filter(Boolean)
    .join("\n");
  const content = [`Форма: ${p.form === "group" ? "групповая" : "индивидуальная"}, ${p.months} мес.`, ...p.items.map((i, n) => `${n + 1}. ${i.title}${i.expected ? ` — ${i.expected}` : ""}`)].join("\n");
  const card = await BestPractice.findOneAndUpdate(
    { programId: p._id },
    {
      $setOnInsert: {
        programId: p._id,
        organizationId: p.organizationId,
        authorId: p.mentorId,
        authorName: mentor?.profile?.fullName,
        organizationName: org?.fullName ?? org?.shortName,
        position: mentor?.profile?.position === "other" ? mentor?.profile?.positionOther : mentor?.profile?.position,
        experienceYears: mentor?.profile?.experienceYears,
        topic: topicText.slice(0, 300) || (p.goal ?? "").slice(0, 300),
        topics,
        goal: p.goal,
        results: results.slice(0, 2000),
        roleModel: p.roleModel,
        content: content.slice(0, 3000),
        links: p.products.filter((x) => x.kind === "link" && x.url).map((x) => x.url as string),
        attachments: p.products.filter((x) => (x.kind === "file" || x.kind === "photo") && x.fileId).map((x) => ({ kind: x.kind, fileId: x.fileId, fileName: x.fileName })),
        status: "draft",
        createdAt: now,
      },
    },
    { upsert: true, returnDocument: "after" },
  ).lean();
  return (card as { _id: Types.ObjectId })._id.toString();
}

export const PRACTICE_CONSENT_VERSION = "2026-11-30";
export const PRACTICE_FIELDS = ["topic", "goal", "results", "content", "email", "phone", "links"] as const;
export type PracticeField = (typeof PRACTICE_FIELDS)[number];

export interface PracticeLean {
  _id: Types.ObjectId;
  programId: Types.ObjectId;
  organizationId: Types.ObjectId;
  authorId?: Types.ObjectId | null;
  authorName?: string | null;
  email?: string | null;
  phone?: string | null;
  organizationName?: string | null;
  position?: string | null;
  experienceYears?: number | null;
  topic?: string | null;
  topics: string[];
  goal?: string | null;
  results?: string | null;
  roleModel?: string | null;
  content?: string | null;
  links: string[];
  attachments: Array<{ kind?: "file" | "photo" | null; fileId?: string | null; fileName?: string | null }>;
  status: "draft" | "published";
  publishedAt?: Date | null;
  mediaConsentAt?: Date | null;
}

/** Arrays as arrays: an empty one may come back missing from the database. */
function normalizeCard(c: PracticeLean): PracticeLean {
  return { ...c, links: c.links ?? [], attachments: c.attachments ?? [], topics: c.topics ?? [] };
}

export async function loadPractice(cardId: string): Promise<PracticeLean | null> {
  const card = valid(cardId) ? await BestPractice.findById(cardId).lean<PracticeLean>() : null;
  return card ? normalizeCard(card) : null;
}

/** Organizations whose published practices a person may read: their own and every member of its networks. */
export async function practiceScope(organizationId: Types.ObjectId | string | null | undefined): Promise<string[]> {
  if (!organizationId) return [];
  const org = await organizationById(organizationId);
  if (!org) return [];
  const networks = org.networkIds ?? [];
  return [...new Set([org._id.toString(), ...(await networkMemberIds(networks))])];
}

/** Who may see a card: its author and the curators of its organization always; others only once it is published and in their scope. */
export async function canViewPractice(card: PracticeLean, viewer: CuratorLike & { organizationId?: Types.ObjectId | null }): Promise<boolean> {
  if (card.authorId?.equals(viewer._id)) return true;
  if (await curates(viewer, card.organizationId)) return true;
  if (card.status !== "published") return false;
  return (await practiceScope(viewer.organizationId)).includes(card.organizationId.toString());
}

/** The author edits one field of a draft card (published cards go back to draft when edited). */
export async function editPractice(cardId: string, authorUserId: string, field: PracticeField, value: string, now: Date): Promise<ProgramResult> {
  const card = await loadPractice(cardId);
  if (!card || !card.authorId?.equals(authorUserId) || !(PRACTICE_FIELDS as readonly string[]).includes(field)) return refused();
  const text = value.trim();
  const limits: Record<PracticeField, number> = { topic: 300, goal: 1000, results: 2000, content: 3000, email: 200, phone: 50, links: 2000 };
  if (text.length < 2 || text.length > limits[field]) return refused("invalid");
  let set: Record<string, unknown> = { [field]: text };
  if (field === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return refused("invalid");
  if (field === "phone" && !/^\+?[\d\s()-]{6,20}$/.test(text)) return refused("invalid");
  if (field === "links") {
    const links = text.split(/\s+/).filter(Boolean);
    if (links.length > 10 || links.some((l) => !/^https?:\/\/\S{3,490}$/i.test(l))) return refused("invalid");
    set = { links };
  }
  // Editing a published card withdraws it until the author publishes again (consent covers a text).
  await BestPractice.updateOne({ _id: card._id }, { $set: { ...set, status: "draft", updatedAt: now }, $unset: { publishedAt: 1, publicationConsentAt: 1, mediaConsentAt: 1 } });
  if (card.status === "published") await withdrawPublicationConsent(card._id, now);
  return { ok: true, notices: [] };
}

/** The author's separate consent to publication: a Consent record, then the card is published in the organization's bank. */
export async function publishPractice(
  cardId: string,
  authorUserId: string,
  consentText: string,
  now: Date,
  media?: { consentText: string },
): Promise<ProgramResult> {
  const card = await loadPractice(cardId);
  if (!card || !card.authorId?.equals(authorUserId)) return refused();
  if (card.status === "published") return refused("state");
  const withMedia = Boolean(media && card.attachments.length > 0);
  const res = await BestPractice.updateOne(
    { _id: card._id, status: "draft" },
    withMedia
      ? { $set: { status: "published", publicationConsentAt: now, publishedAt: now, mediaConsentAt: now } }
      : { $set: { status: "published", publicationConsentAt: now, publishedAt: now }, $unset: { mediaConsentAt: 1 } },
  );
  if (res.modifiedCount !== 1) return refused("state");
  const author = await User.findById(authorUserId, { telegramId: 1 }).lean();
  const consent = (type: "publication" | "photo_video", text: string) => ({
    userId: new Types.ObjectId(authorUserId),
    telegramId: author?.telegramId,
    type,
    decision: "given" as const,
    version: PRACTICE_CONSENT_VERSION,
    textHash: textHash(text),
    subjectId: card._id,
    decidedAt: now,
  });
  await Consent.create(consent("publication", consentText));
  if (withMedia && media) await Consent.create(consent("photo_video", media.consentText));
  await Program.updateOne({ _id: card.programId }, { $set: { updatedAt: now } });
  const curators = (await curatorsOf(card.organizationId.toString())) as unknown as Person[];
  return { ok: true, notices: curators.flatMap((c) => notice(c, "practice-published-curator", { topic: escapeHtml(card.topic ?? ""), name: escapeHtml(card.authorName ?? "") }, [[{ label: "practice-btn-view", data: `bp:v:${card._id}` }]])) };
}

/** The author (or a curator of the organization) takes a card out of the bank: the publication consent is marked withdrawn. */
export async function unpublishPractice(cardId: string, user: CuratorLike, now: Date): Promise<ProgramResult> {
  const card = await loadPractice(cardId);
  if (!card || !(card.authorId?.equals(user._id) || (await curates(user, card.organizationId)))) return refused();
  const res = await BestPractice.updateOne({ _id: card._id, status: "published" }, { $set: { status: "draft" }, $unset: { publishedAt: 1, publicationConsentAt: 1, mediaConsentAt: 1 } });
  if (res.modifiedCount !== 1) return refused("state");
  await withdrawPublicationConsent(card._id, now);
  return { ok: true, notices: [] };
}

async function withdrawPublicationConsent(cardId: Types.ObjectId, now: Date): Promise<void> {
  await Consent.updateMany({ type: { $in: ["publication", "photo_video"] }, subjectId: cardId, withdrawnAt: { $exists: false } }, { $set: { withdrawnAt: now } });
}

/** Published cards in the scope, newest first, optionally of one catalogue topic. */
export async function listPractices(organizationIds: string[], topic?: string): Promise<PracticeLean[]> {
  if (organizationIds.length === 0) return [];
  const filter: Record<string, unknown> = { organizationId: { $in: organizationIds.map((id) => new Types.ObjectId(id)) }, status: "published" };
  const all = (await BestPractice.find(filter).sort({ publishedAt: -1 }).lean<PracticeLean[]>()).map(normalizeCard);
  return topic ? all.filter((c) => c.topics.includes(topic)) : all;
}
