import { Types } from "mongoose";
import { findAnyOf } from "../db/read-connection.ts";
import { forDailyList } from "./curator-list.ts";
import { z } from "zod";
import { BestPractice, Consent, FinalSurvey, MentoringGroup, Pair, Program, User, PROGRAM_FORMS, ROLE_MODELS, type ProgramStatus } from "../../models/index.ts";
import { notice, withKeyArgs, type Notice, type NoticeButton } from "./notices.ts";
import { clip, escapeHtml } from "../core/html.ts";
import { addLocalMonths, atLocalTime, formatDateInZone } from "../core/datetime.ts";
import { loc, zoneOfOrganization, type MeetingScheduler, type Person } from "./meetings.ts";
import { curatorsOf, isCuratorOf } from "./roles.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import type { ErasureStep } from "./privacy.ts";
import { genderArg } from "./russian.ts";

/**
 * Personalised mentoring programs of long-term pairs (issue 6, domain §4.4) and the end of a pair:
 * the mentor drafts (goal, 3–12 months, role model, form, plan items, expected product), the mentee
 * confirms, a curator of the organization approves or returns it with a comment. Plan items get a
 * reminder on their due day (jobs `program:<id>:item:<itemId>`), the program ends on its end date
 * (job `program:<id>:end`) or earlier by either side with a reason. The end of a pair sends both
 * sides the final survey, the mentee the closing self-assessment, and the curators a summary with
 * "package as best practice" / "needs revision". Transport-free: returns notices. This file holds
 * the program itself; the end of a pair or group is program-endings.ts, the final survey
 * final-survey.ts, the best-practice cards practices.ts.
 */

export const PROGRAM_ITEM_JOB = "program-item-due";
export const PROGRAM_END_JOB = "program-end";
export const MIN_MONTHS = 3;
export const MAX_MONTHS = 12;
export const MAX_PLAN_ITEMS = 20;
/** Local hour of the due-day reminder and of the end-of-program message. */
const MORNING_HOUR = 9;

export interface ProgramDeps {
  scheduler: MeetingScheduler;
}

export type ProgramResult = { ok: true; notices: Notice[]; programId?: string } | { ok: false; reason: "not_allowed" | "invalid" | "state" };
export const refused = (reason: "not_allowed" | "invalid" | "state" = "not_allowed"): ProgramResult => ({ ok: false, reason });

export interface PlanItemInput {
  title: string;
  due: Date;
  expected?: string;
}

export interface ProgramDraftInput {
  goal: string;
  months: number;
  roleModel: string;
  form: string;
  product: string;
  items: PlanItemInput[];
}

const draftSchema = z.object({
  goal: z.string().trim().min(5).max(1000),
  months: z.number().int().min(MIN_MONTHS).max(MAX_MONTHS),
  roleModel: z.enum(ROLE_MODELS),
  form: z.enum(PROGRAM_FORMS),
  product: z.string().trim().min(2).max(500),
  items: z
    .array(z.object({ title: z.string().trim().min(2).max(200), due: z.date(), expected: z.string().trim().max(300).optional() }))
    .min(1)
    .max(MAX_PLAN_ITEMS),
});

export interface PairLean {
  _id: Types.ObjectId;
  requestId: Types.ObjectId;
  mentorId: Types.ObjectId;
  menteeId: Types.ObjectId;
  organizationId: Types.ObjectId;
  kind: string;
  status: string;
  groupId?: Types.ObjectId | null;
  createdAt?: Date;
}

export interface ProgramLean {
  _id: Types.ObjectId;
  /** A pair's program; unset for a group's. */
  pairId?: Types.ObjectId | null;
  /** A group's program (issue 15); unset for a pair's. */
  groupId?: Types.ObjectId | null;
  requestId?: Types.ObjectId | null;
  organizationId: Types.ObjectId;
  mentorId: Types.ObjectId;
  menteeId?: Types.ObjectId | null;
  goal?: string | null;
  months?: number | null;
  startDate?: Date | null;
  endDate?: Date | null;
  roleModel?: string | null;
  form?: string | null;
  product?: string | null;
  items: Array<{ _id: Types.ObjectId; title: string; due: Date; expected?: string | null; status: "open" | "done"; doneAt?: Date | null }>;
  products: Array<{ _id: Types.ObjectId; kind: "text" | "file" | "link" | "photo"; text?: string | null; url?: string | null; fileId?: string | null; fileName?: string | null; addedAt: Date }>;
  status: ProgramStatus;
  curatorComment?: string | null;
  endReason?: string | null;
  outcome?: "packaged" | "needs_revision" | null;
  approvedAt?: Date | null;
  confirmedBy?: Types.ObjectId[] | null;
}

export interface GroupLite {
  _id: Types.ObjectId;
  organizationId: Types.ObjectId;
  mentorId: Types.ObjectId;
  coMentorId?: Types.ObjectId | null;
  title: string;
  memberIds: Types.ObjectId[];
  participants: Array<{ userId: Types.ObjectId; pairId: Types.ObjectId; requestId: Types.ObjectId }>;
  status: string;
}

export const valid = (id: string) => Types.ObjectId.isValid(id);

export async function loadProgram(programId: string): Promise<ProgramLean | null> {
  return valid(programId) ? Program.findById(programId).lean<ProgramLean>() : null;
}

export async function person(id: Types.ObjectId | null | undefined): Promise<Person | null> {
  return id ? ((await User.findById(id).lean()) as unknown as Person | null) : null;
}

export const nameOf = (p: Person | null) => escapeHtml(p?.profile?.fullName ?? "—");

export async function groupOfProgram(p: ProgramLean): Promise<GroupLite | null> {
  return p.groupId ? MentoringGroup.findById(p.groupId).lean<GroupLite>() : null;
}

/**
 * The mentees a program is for now: the pair's mentee, or the group's current participants (a
 * participant who left gets nothing more; one who joined later takes part from then on).
 */
async function menteeIdsOf(p: ProgramLean, group?: GroupLite | null): Promise<Types.ObjectId[]> {
  if (!p.groupId) return p.menteeId ? [p.menteeId] : [];
  const g = group === undefined ? await groupOfProgram(p) : group;
  return g?.memberIds ?? [];
}

async function people(ids: Types.ObjectId[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  const found = (await User.find({ _id: { $in: ids } }).lean()) as unknown as Array<Person & { _id: Types.ObjectId }>;
  // In the order given (a group's participants as they joined).
  return ids.map((id) => found.find((u) => u._id.equals(id))).filter((u): u is Person & { _id: Types.ObjectId } => u !== undefined);
}

/**
 * Whether the user takes part in the program: its mentor, the pair's mentee, or a current
 * participant of the group or its co-mentor (who helps lead: sees it and may mark plan items).
 */
export async function takesPart(p: ProgramLean, userId: string | Types.ObjectId): Promise<boolean> {
  if (p.mentorId.equals(userId)) return true;
  if (!p.groupId) return Boolean(p.menteeId?.equals(userId));
  const g = await groupOfProgram(p);
  return Boolean(g?.coMentorId?.equals(userId)) || (await menteeIdsOf(p, g)).some((id) => id.equals(userId));
}

/** Whether the user is the program's mentee, or a current participant of its group (who confirm it or ask for changes). */
export async function isMenteeOf(p: ProgramLean, userId: string | Types.ObjectId): Promise<boolean> {
  return (await menteeIdsOf(p)).some((id) => id.equals(userId));
}

/** For a curator's message: the mentee's name, or the group's title with its participants. */
async function menteeLabel(p: ProgramLean): Promise<string> {
  if (!p.groupId) return nameOf(await person(p.menteeId));
  const g = await groupOfProgram(p);
  const names = (await people(g?.memberIds ?? [])).map((u) => nameOf(u)).join(", ");
  return `«${escapeHtml(g?.title ?? "—")}» (${names || "—"})`;
}

function history(status: ProgramStatus, at: Date, by?: string | Types.ObjectId, note?: string) {
  return { status, at, ...(by ? { by: new Types.ObjectId(String(by)) } : {}), ...(note ? { note: note.slice(0, 500) } : {}) };
}

/** Moves a program from one of `from` to `to`, only if it is still there (conditional update). */
export async function transition(
  p: ProgramLean,
  from: ProgramStatus[],
  to: ProgramStatus,
  change: Record<string, unknown> & { at: Date; unset?: string[] },
  by?: string,
  note?: string,
): Promise<boolean> {
  const { at, unset, ...set } = change;
  const res = await Program.updateOne(
    { _id: p._id, status: { $in: from } },
    {
      $set: { status: to, ...set },
      $push: { history: history(to, at, by, note) },
      ...(unset?.length ? { $unset: Object.fromEntries(unset.map((f) => [f, 1])) } : {}),
    },
  );
  return res.modifiedCount === 1;
}

/** The card text arguments of a program, for one recipient's language and the organization's zone. */
/** Plan items shown in a message: each clipped, at most {@link SHOWN_ITEMS} of them, so a card stays under Telegram's 4096 characters. */
const SHOWN_ITEMS = 12;
export function planLines(items: Array<{ title: string; due: Date; expected?: string | null; status?: string }>, zone: string, locale: "ru" | "en"): string {
  const lines = items
    .slice(0, SHOWN_ITEMS)
    .map((it, i) => `${it.status === "done" ? "✅" : "▫️"} ${i + 1}. ${escapeHtml(clip(it.title, 100))} — ${formatDateInZone(it.due, zone, locale)}${it.expected ? ` (${escapeHtml(clip(it.expected, 80))})` : ""}`);
  if (items.length > SHOWN_ITEMS) lines.push(`… +${items.length - SHOWN_ITEMS}`);
  return lines.join("\n");
}

export function programArgs(p: ProgramLean, zone: string, locale: "ru" | "en"): { args: Record<string, string | number>; keyArgs: Record<string, string> } {
  const date = (d: Date | null | undefined) => (d ? formatDateInZone(d, zone, locale) : "—");
  const items = planLines(p.items, zone, locale);
  return {
    args: {
      goal: escapeHtml(clip(p.goal ?? "—", 500)),
      months: p.months ?? 0,
      product: escapeHtml(clip(p.product ?? "—", 200)),
      items: items || "—",
      period: p.startDate && p.endDate ? `${date(p.startDate)} – ${date(p.endDate)}` : "",
      done: p.items.filter((i) => i.status === "done").length,
      total: p.items.length,
    },
    keyArgs: { role: `role-model-${p.roleModel ?? "none"}`, form: `program-form-${p.form ?? "none"}`, status: `program-status-${p.status}` },
  };
}

/** Notices about a program to some people, each with the program card in their language. */
async function programNotices(p: ProgramLean, recipients: Array<Person | null>, key: string, extra: Record<string, string | number>, buttons?: NoticeButton[][]): Promise<Notice[]> {
  const zone = await zoneOfOrganization(p.organizationId);
  return recipients.flatMap((r) => {
    const { args, keyArgs } = programArgs(p, zone, loc(r));
    return withKeyArgs(notice(r, key, { ...args, ...extra }, buttons), keyArgs);
  });
}

/** Active long-term pairs of a person (as mentor or mentee). */
export async function activeLongTermPairs(userId: string): Promise<PairLean[]> {
  if (!valid(userId)) return [];
  return findAnyOf((f) => Pair.find(f).lean<PairLean[]>(), [{ mentorId: userId }, { menteeId: userId }], { status: "active", kind: "long_term" });
}

/** The program of a pair, if any. */
export async function programOfPair(pairId: string | Types.ObjectId): Promise<ProgramLean | null> {
  return Program.findOne({ pairId }).lean<ProgramLean>();
}

/** The program of a group, if any. */
export async function programOfGroup(groupId: string | Types.ObjectId): Promise<ProgramLean | null> {
  return Program.findOne({ groupId }).lean<ProgramLean>();
}

/**
 * The lead mentor of an active group opens (or reopens) the group's program draft; one program per
 * group (a co-mentor helps run it but does not author it).
 */
async function openGroupDraft(groupId: string, mentorUserId: string, now: Date): Promise<ProgramResult> {
  const g = await MentoringGroup.findById(groupId).lean<GroupLite>();
  if (!g || g.status !== "active" || !g.mentorId.equals(mentorUserId)) return refused();
  const existing = await programOfGroup(g._id);
  if (existing) return existing.status === "draft" || existing.status === "returned" ? { ok: true, notices: [], programId: existing._id.toString() } : refused("state");
  try {
    const created = await Program.create({ groupId: g._id, organizationId: g.organizationId, mentorId: g.mentorId, status: "draft", history: [history("draft", now, mentorUserId)] });
    return { ok: true, notices: [], programId: created._id.toString() };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const again = await programOfGroup(g._id);
    return again ? { ok: true, notices: [], programId: again._id.toString() } : refused("state");
  }
}

/**
 * The mentor of an active long-term pair (or the lead mentor of an active group: `ownerId` is then
 * the group's id) opens or reopens its program draft; one program per pair and per group.
 */
export async function openDraft(ownerId: string, mentorUserId: string, now: Date): Promise<ProgramResult> {
  if (!valid(ownerId) || !valid(mentorUserId)) return refused();
  const pair = await Pair.findById(ownerId).lean<PairLean>();
  if (!pair) return openGroupDraft(ownerId, mentorUserId, now);
  if ( pair.status !== "active" || pair.kind !== "long_term" || !pair.mentorId.equals(mentorUserId)) return refused();
  const existing = await programOfPair(pair._id);
  if (existing) return existing.status === "draft" || existing.status === "returned" ? { ok: true, notices: [], programId: existing._id.toString() } : refused("state");
  try {
    const created = await Program.create({
      pairId: pair._id,
      requestId: pair.requestId,
      organizationId: pair.organizationId,
      mentorId: pair.mentorId,
      menteeId: pair.menteeId,
      status: "draft",
      history: [history("draft", now, mentorUserId)],
    });
    return { ok: true, notices: [], programId: created._id.toString() };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const again = await programOfPair(pair._id);
    return again ? { ok: true, notices: [], programId: again._id.toString() } : refused("state");
  }
}

/** Validation of a draft: zod bounds, and every due date between today and the planned end (today + months) in the organization's zone. */
export function validateDraft(input: ProgramDraftInput, zone: string, now: Date): { ok: true; value: ProgramDraftInput } | { ok: false; error: string } {
  const parsed = draftSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.path.join(".") ?? "invalid" };
  const today = addLocalMonths(now, 0, zone);
  const end = addLocalMonths(now, parsed.data.months, zone);
  for (const it of parsed.data.items) if (it.due < today || it.due > end) return { ok: false, error: "items.due" };
  return { ok: true, value: parsed.data as ProgramDraftInput };
}

/** Saves the mentor's draft and sends it to the mentee (or to every current participant of the group) for confirmation. */
export async function submitDraft(programId: string, mentorUserId: string, input: ProgramDraftInput, now: Date): Promise<ProgramResult> {
  const p = await loadProgram(programId);
  if (!p || !p.mentorId.equals(mentorUserId)) return refused();
  if (!(await ownerActive(p))) return refused("state");
  if (p.groupId && (await menteeIdsOf(p)).length === 0) return refused("state");
  const zone = await zoneOfOrganization(p.organizationId);
  const checked = validateDraft(input, zone, now);
  if (!checked.ok) return refused("invalid");
  const v = checked.value;
  const set = {
    goal: v.goal,
    months: v.months,
    roleModel: v.roleModel,
    form: v.form,
    product: v.product,
    items: v.items.map((i) => ({ title: i.title, due: i.due, expected: i.expected, status: "open" })),
    // Every new version of a group program is confirmed afresh.
    ...(p.groupId ? { confirmedBy: [] } : {}),
    at: now,
  };
  if (!(await transition(p, ["draft", "returned"], "pending_mentee", set, mentorUserId))) return refused("state");
  const fresh = (await loadProgram(programId)) as ProgramLean;
  const mentor = await person(p.mentorId);
  const mentees = await people(await menteeIdsOf(p));
  const buttons: NoticeButton[][] = [[{ label: "program-btn-confirm", data: `pg:ok:${p._id}` }, { label: "program-btn-changes", data: `pg:ch:${p._id}` }]];
  const key = p.groupId ? "program-to-group" : "program-to-mentee";
  const title = p.groupId ? escapeHtml((await groupOfProgram(p))?.title ?? "—") : "";
  return { ok: true, programId, notices: await programNotices(fresh, mentees, key, { name: nameOf(mentor), title }, buttons) };
}

/** Whether the program's pair (or group) is still active (a program never outlives them). */
async function ownerActive(p: ProgramLean): Promise<boolean> {
  if (p.groupId) return (await MentoringGroup.findById(p.groupId, { status: 1 }).lean())?.status === "active";
  return (await Pair.findById(p.pairId, { status: 1 }).lean())?.status === "active";
}

/** The edit button of a program's draft: by its pair or its group. */
const editButton = (p: ProgramLean): NoticeButton[][] => [[{ label: "program-btn-edit", data: `pg:ed:${p.pairId ?? p.groupId}` }]];

/** A program confirmed by its mentee (or its group) goes to the organization's curators, in their daily list. */
async function toCurators(p: ProgramLean, by: string, now: Date): Promise<Notice[] | null> {
  if (!(await transition(p, ["pending_mentee"], "pending_curator", { at: now }, by))) return null;
  const fresh = (await loadProgram(p._id.toString())) as ProgramLean;
  const curators = (await curatorsOf(p.organizationId.toString())) as unknown as Person[];
  const buttons: NoticeButton[][] = [[{ label: "program-btn-approve", data: `pg:ap:${p._id}` }, { label: "program-btn-return", data: `pg:rt:${p._id}` }]];
  const names = { mentor: nameOf(await person(p.mentorId)), mentee: await menteeLabel(p) };
  return forDailyList(await programNotices(fresh, curators, "program-to-curator", names, buttons), "program", p._id);
}

/**
 * The mentee confirms the program: it goes to the curators of the organization. In a group each
 * current participant confirms for themselves; the program goes to the curators once every current
 * participant has confirmed (or earlier, when the lead mentor sends it on after a majority has —
 * {@link sendGroupProgramOn}); until then the mentor is told who confirmed.
 */
export async function menteeConfirm(programId: string, menteeUserId: string, now: Date): Promise<ProgramResult> {
  const p = await loadProgram(programId);
  if (!p || !valid(menteeUserId)) return refused();
  if (p.groupId) return groupMemberConfirm(p, menteeUserId, now);
  if (!p.menteeId?.equals(menteeUserId)) return refused();
  if (!(await ownerActive(p))) return refused("state");
  const toCurator = await toCurators(p, menteeUserId, now);
  if (!toCurator) return refused("state");
  const [mentor, mentee] = await Promise.all([person(p.mentorId), person(p.menteeId)]);
  return { ok: true, notices: [...toCurator, ...notice(mentor, "program-confirmed-by-mentee", { name: nameOf(mentee), nameGender: genderArg(mentee?.profile) })] };
}

async function groupMemberConfirm(p: ProgramLean, userId: string, now: Date): Promise<ProgramResult> {
  const g = await groupOfProgram(p);
  if (!g || !g.memberIds.some((m) => m.equals(userId))) return refused();
  if (g.status !== "active") return refused("state");
  const me = new Types.ObjectId(userId);
  const res = await Program.updateOne({ _id: p._id, status: "pending_mentee", confirmedBy: { $ne: me } }, { $push: { confirmedBy: me } });
  if (res.modifiedCount !== 1) return refused("state");
  const fresh = (await loadProgram(p._id.toString())) as ProgramLean;
  const { confirmed, total } = groupConfirmations(fresh, g);
  if (confirmed === total) return { ok: true, notices: await allConfirmed(fresh, g, userId, now) };
  const [mentor, member] = await Promise.all([person(p.mentorId), person(me)]);
  const sendOn: NoticeButton[][] = confirmed * 2 > total ? [[{ label: "program-btn-send-on", data: `pg:so:${p._id}` }]] : [];
  return {
    ok: true,
    notices: notice(mentor, "program-group-confirmed-one", { name: nameOf(member), nameGender: genderArg(member?.profile), n: confirmed, total, title: escapeHtml(g.title) }, sendOn),
  };
}

/**
 * A participant left a group whose program waits for confirmations: when everyone still in the
 * group has confirmed, it goes on to the curators as if the last of them had just confirmed
 * (the one who left was the only one missing). Nothing happens in any other state.
 */
export async function groupProgramAfterLeave(groupId: Types.ObjectId | string, now: Date): Promise<Notice[]> {
  const p = await programOfGroup(groupId);
  if (!p || p.status !== "pending_mentee") return [];
  const g = await groupOfProgram(p);
  if (!g || g.status !== "active" || g.memberIds.length === 0) return [];
  const { confirmed, total } = groupConfirmations(p, g);
  return confirmed === total ? allConfirmed(p, g, p.mentorId.toString(), now) : [];
}

/**
 * Everyone now in the group has confirmed: the program goes to the curators and the lead mentor
 * is told. Nothing ([]) when another step sent it on at the same instant.
 */
async function allConfirmed(p: ProgramLean, g: GroupLite, by: string, now: Date): Promise<Notice[]> {
  const toCurator = await toCurators(p, by, now);
  if (!toCurator) return [];
  return [...toCurator, ...notice(await person(p.mentorId), "program-group-confirmed-all", { title: escapeHtml(g.title) })];
}

/** How many of the group's current participants confirmed the version sent to them. */
function groupConfirmations(p: ProgramLean, g: GroupLite): { confirmed: number; total: number } {
  const confirmedBy = p.confirmedBy ?? [];
  return { confirmed: g.memberIds.filter((m) => confirmedBy.some((c) => c.equals(m))).length, total: g.memberIds.length };
}

/**
 * The lead mentor sends a group program on to the curators before everyone answered: allowed once
 * more than half of the current participants confirmed (a participant who never answers does not
 * hold the group up; one who asked for changes has already sent it back to the draft).
 */
export async function sendGroupProgramOn(programId: string, mentorUserId: string, now: Date): Promise<ProgramResult> {
  const p = await loadProgram(programId);
  if (!p || !p.groupId || !p.mentorId.equals(mentorUserId)) return refused();
  const g = await groupOfProgram(p);
  if (!g || g.status !== "active" || p.status !== "pending_mentee") return refused("state");
  const { confirmed, total } = groupConfirmations(p, g);
  if (confirmed * 2 <= total) return refused("state");
  const toCurator = await toCurators(p, mentorUserId, now);
  return toCurator ? { ok: true, notices: toCurator } : refused("state");
}

/** The mentee (or a participant of the group) asks for changes: the program goes back to the mentor's draft with the comment. */
export async function menteeAskChanges(programId: string, menteeUserId: string, comment: string, now: Date): Promise<ProgramResult> {
  const p = await loadProgram(programId);
  if (!p || !valid(menteeUserId) || !(await isMenteeOf(p, menteeUserId))) return refused();
  if (!(await transition(p, ["pending_mentee"], "draft", { at: now }, menteeUserId, comment))) return refused("state");
  const [mentor, mentee] = await Promise.all([person(p.mentorId), person(new Types.ObjectId(menteeUserId))]);
  return { ok: true, notices: notice(mentor, "program-changes-asked", { name: nameOf(mentee), comment: escapeHtml(comment) }, editButton(p)) };
}

export interface CuratorLike {
  _id: Types.ObjectId;
  /** A deployment admin acts as a curator of every organization. */
  admin?: boolean;
  roles: never[] | Array<{ role: string; organizationId?: Types.ObjectId | null; networkId?: Types.ObjectId | null }>;
  erasedAt?: Date | null;
}

/** A curator of the organization (or of a network it belongs to), or a deployment admin. */
export async function curates(user: CuratorLike, organizationId: { toString(): string }): Promise<boolean> {
  return Boolean(user.admin && !user.erasedAt) || isCuratorOf(user as never, organizationId.toString());
}

/**
 * Who may decide on a program (approve, return, give the verdict): a curator of its organization —
 * not one of its own participants while another curator can decide — or an admin.
 */
export async function decides(user: CuratorLike, p: ProgramLean): Promise<boolean> {
  if (!(await curates(user, p.organizationId))) return false;
  if (user.admin || !(await takesPart(p, user._id))) return true;
  const others = (await curatorsOf(p.organizationId.toString())).filter((c) => !c._id.equals(user._id));
  return others.length === 0;
}

/** A curator of the program's organization (or its network) approves: the program starts today and ends after its months. */
export async function approveProgram(programId: string, curator: CuratorLike, now: Date, deps: ProgramDeps): Promise<ProgramResult> {
  const p = await loadProgram(programId);
  if (!p || !(await decides(curator, p))) return refused();
  if (!(await ownerActive(p))) return refused("state");
  const zone = await zoneOfOrganization(p.organizationId);
  const startDate = addLocalMonths(now, 0, zone);
  const endDate = addLocalMonths(now, p.months ?? MIN_MONTHS, zone);
  const set = { startDate, endDate, approvedAt: now, approvedBy: curator._id, unset: ["curatorComment"], at: now };
  if (!(await transition(p, ["pending_curator"], "active", set, curator._id.toString()))) return refused("state");
  const fresh = (await loadProgram(programId)) as ProgramLean;
  await scheduleProgramJobs(fresh, zone, now, deps);
  const everyone = await people([p.mentorId, ...(await menteeIdsOf(p))]);
  return { ok: true, notices: await programNotices(fresh, everyone, "program-approved", {}) };
}

/** Due-day reminders for open plan items and the end-of-program job, all keyed by the program. */
export async function scheduleProgramJobs(p: ProgramLean, zone: string, now: Date, deps: ProgramDeps): Promise<void> {
  for (const it of p.items) {
    if (it.status !== "open") continue;
    const runAt = atLocalTime(it.due, MORNING_HOUR, zone);
    if (runAt <= now) continue;
    await deps.scheduler.enqueue({ type: PROGRAM_ITEM_JOB, key: `program:${p._id}:item:${it._id}`, runAt, payload: { programId: p._id.toString(), itemId: it._id.toString() } });
  }
  if (p.endDate) {
    await deps.scheduler.enqueue({ type: PROGRAM_END_JOB, key: `program:${p._id}:end`, runAt: atLocalTime(p.endDate, MORNING_HOUR, zone), payload: { programId: p._id.toString() } });
  }
}

/** The curator returns the program to the mentor with a comment. */
export async function returnProgram(programId: string, curator: CuratorLike, comment: string, now: Date): Promise<ProgramResult> {
  const p = await loadProgram(programId);
  if (!p || !(await decides(curator, p))) return refused();
  if (!(await transition(p, ["pending_curator"], "returned", { curatorComment: comment.slice(0, 1000), at: now }, curator._id.toString(), comment))) return refused("state");
  const mentor = await person(p.mentorId);
  const mentees = await people(await menteeIdsOf(p));
  return {
    ok: true,
    notices: [
      ...notice(mentor, "program-returned", { comment: escapeHtml(comment) }, editButton(p)),
      ...mentees.flatMap((m) => notice(m, "program-returned-mentee", { comment: escapeHtml(comment) })),
    ],
  };
}

/** Either side (in a group: the mentor or a current participant) marks a plan item done (once); the other side is told. */
export async function markItemDone(programId: string, itemId: string, userId: string, now: Date, deps: ProgramDeps): Promise<ProgramResult> {
  const p = await loadProgram(programId);
  if (!p || !valid(itemId) || !valid(userId) || !(await takesPart(p, userId))) return refused();
  const index = p.items.findIndex((i) => i._id.equals(itemId));
  const item = p.items[index];
  if (!item) return refused();
  if (p.status !== "active" || !(await ownerActive(p))) return refused("state");
  // By index, not the positional `$` (FerretDB lacks it); items are never removed, so the index is stable.
  const at = `items.${index}`;
  const res = await Program.updateOne(
    { _id: p._id, status: "active", [`${at}._id`]: item._id, [`${at}.status`]: "open" },
    { $set: { [`${at}.status`]: "done", [`${at}.doneAt`]: now, [`${at}.doneBy`]: new Types.ObjectId(userId) } },
  );
  if (res.modifiedCount !== 1) return refused("state");
  await deps.scheduler.cancelByPrefix(`program:${p._id}:item:${item._id}`);
  // The mentor's (or co-mentor's) mark goes to the mentee (every participant of a group); a mentee's to the mentor.
  const others = (await isMenteeOf(p, userId)) ? await people([p.mentorId]) : await people(await menteeIdsOf(p));
  const me = await person(new Types.ObjectId(userId));
  return { ok: true, notices: others.flatMap((o) => notice(o, "program-item-done-other", { name: nameOf(me), nameGender: genderArg(me?.profile), title: escapeHtml(item.title) })) };
}

/** The mentor adds one of the mentee's products (text, link or file) to an active or finished program. */
export async function addProduct(
  programId: string,
  mentorUserId: string,
  product: { kind: "text" | "link" | "file" | "photo"; text?: string; url?: string; fileId?: string; fileName?: string },
  now: Date,
): Promise<ProgramResult> {
  const p = await loadProgram(programId);
  if (!p || !p.mentorId.equals(mentorUserId)) return refused();
  if (!["active", "completed", "terminated"].includes(p.status) || p.outcome) return refused("state");
  if (p.products.length >= 50) return refused("invalid");
  if (product.kind === "link" && !/^https?:\/\/\S{3,490}$/i.test(product.url ?? "")) return refused("invalid");
  if (product.kind === "text" && !(product.text && product.text.trim().length >= 2)) return refused("invalid");
  if ((product.kind === "file" || product.kind === "photo") && !product.fileId) return refused("invalid");
  await Program.updateOne({ _id: p._id }, { $push: { products: { ...product, text: product.text?.slice(0, 1000), addedAt: now, addedBy: new Types.ObjectId(mentorUserId) } } });
  return { ok: true, notices: [] };
}

/** The due-day reminder of a plan item: to both sides (the mentor and every current participant of a group) while the program is active and the item open. */
export async function programItemDue(programId: string, itemId: string): Promise<Notice[]> {
  const p = await loadProgram(programId);
  if (!p || p.status !== "active" || !valid(itemId) || !(await ownerActive(p))) return [];
  const item = p.items.find((i) => i._id.equals(itemId));
  if (!item || item.status !== "open") return [];
  const zone = await zoneOfOrganization(p.organizationId);
  const everyone = await people([p.mentorId, ...(await menteeIdsOf(p))]);
  return everyone.flatMap((r) =>
    notice(r, "program-item-due", { title: escapeHtml(item.title), due: formatDateInZone(item.due, zone, loc(r)), expected: escapeHtml(item.expected ?? "—") }, [
      [{ label: "program-btn-item-done", data: `pg:dn:${p._id}:${item._id}` }],
    ]),
  );
}

/** Programs waiting for a curator: approval, or a verdict after the end. */
export async function programsForCurator(organizationIds: string[]): Promise<ProgramLean[]> {
  if (organizationIds.length === 0) return [];
  const all = await Program.find({ organizationId: { $in: organizationIds.map((id) => new Types.ObjectId(id)) } }).sort({ updatedAt: -1 }).lean<ProgramLean[]>();
  return all.filter((p) => p.status === "pending_curator" || ((p.status === "completed" || p.status === "terminated") && !p.outcome && p.approvedAt));
}

/**
 * Erasure: a program with the person in it keeps only its structure (months, dates, statuses, role
 * model, form, how many plan items were done): its free texts (goal, plan, product, products,
 * comments, reasons) may speak of the person and go; an open one is terminated. Final-survey
 * answers keep only the scores; the person's practice cards are deleted (their consent with them).
 */
export const programsErasureStep: ErasureStep = async (userId, now) => {
  const programs = await findAnyOf((f) => Program.find(f).lean<ProgramLean[]>(), [{ menteeId: userId }, { mentorId: userId }]);
  const open: ProgramStatus[] = ["draft", "pending_mentee", "pending_curator", "returned", "active"];
  for (const p of programs) {
    const terminated = open.includes(p.status) ? { status: "terminated", endedAt: now, endReason: "participant_left" } : {};
    await Program.updateOne(
      { _id: p._id },
      {
        $set: {
          goal: "—",
          product: "—",
          products: [],
          items: p.items.map((it) => ({ _id: it._id, title: "—", due: it.due, status: it.status, ...(it.doneAt ? { doneAt: it.doneAt } : {}) })),
          history: (p as unknown as { history: Array<{ status: string; at: Date }> }).history.map((h) => ({ status: h.status, at: h.at })),
          ...terminated,
        },
        $unset: { curatorComment: 1, endedBy: 1, ...(p.menteeId?.equals(userId) ? { menteeId: 1 } : {}), ...(open.includes(p.status) ? {} : { endReason: 1 }) },
      },
    );
  }
  // A card built from a program of the person as mentee loses what came from them (their products).
  const asMentee = programs.filter((p) => p.menteeId?.equals(userId)).map((p) => p._id);
  if (asMentee.length) await BestPractice.updateMany({ programId: { $in: asMentee } }, { $set: { links: [], attachments: [] } });
  // A participant of a group program: their confirmation goes with them (the program stays the group's).
  await Program.updateMany({ confirmedBy: userId }, { $pull: { confirmedBy: userId } });
  const finals = await FinalSurvey.updateMany({ respondentId: userId }, { $unset: { respondentId: 1, changed: 1 } });
  const cards = await BestPractice.find({ authorId: userId }, { _id: 1 }).lean();
  for (const c of cards) await Consent.updateMany({ type: { $in: ["publication", "photo_video"] }, subjectId: c._id }, { $set: { withdrawnAt: now } });
  const deleted = await BestPractice.deleteMany({ authorId: userId });
  return { counts: { programs: programs.length, finalSurveys: finals.modifiedCount, practiceCards: deleted.deletedCount }, notify: [] };
};
