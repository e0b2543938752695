import { Types } from "mongoose";
import { SurveyCampaign, SurveyResponse, User, type SurveyResponseRecord } from "../../models/index.ts";
import { escapeHtml } from "../core/html.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import { notice, type Notice, type NoticeButton } from "./notices.ts";
import { findSetVersion, setText, type Question, type QuestionSetDefinition } from "./question-sets.ts";

/**
 * Answering a question set (issue 16), one question per message. A `SurveyResponse` holds the
 * cursor; every button names the response and the question index, and is checked against the
 * caller, the response's state, the cursor and the campaign's deadline. Transport-free: returns
 * notices for the bot or a job to send. Callback data: `qs:a:<rid>:<i>:<value>` (scale or single),
 * `qs:t:<rid>:<i>:<option>` / `qs:d:<rid>:<i>` (multiple: toggle / done), `qs:w:<rid>:<i>` (write a
 * text answer), `qs:s:<rid>:<i>` (skip an optional one), `qs:p:<rid>` (pause), `qs:r:<rid>` (resume).
 */

export type ResponseLean = SurveyResponseRecord & { _id: Types.ObjectId };
/** One stored answer. */
export interface AnswerInput {
  q: string;
  score?: number;
  choice?: string;
  choices?: string[];
  text?: string;
  skipped?: boolean;
}
export type AnswerRefusal = "not_allowed" | "already" | "closed" | "invalid";
export type AnswerResult = { ok: true; notices: Notice[]; finished?: ResponseLean } | { ok: false; reason: AnswerRefusal };

/** Hooks run when a response is finished (adaptation drops raise risk flags, …). */
type FinishHook = (response: ResponseLean, set: QuestionSetDefinition, now: Date) => Promise<Notice[]>;
const finishHooks: FinishHook[] = [];
export function onResponseFinished(hook: FinishHook): void {
  if (!finishHooks.includes(hook)) finishHooks.push(hook);
}

/** Starts a response unless one exists under that key; returns its id and whether it is new. */
export async function startResponse(input: {
  key: string;
  occasion: string;
  set: QuestionSetDefinition;
  respondentId: string;
  organizationId?: string | null;
  campaignId?: string;
  programId?: string;
  now: Date;
}): Promise<{ id: string; created: boolean }> {
  const { set } = input;
  try {
    const doc = await SurveyResponse.create({
      key: input.key,
      occasion: input.occasion,
      campaignId: input.campaignId ? new Types.ObjectId(input.campaignId) : undefined,
      programId: input.programId ? new Types.ObjectId(input.programId) : undefined,
      setCode: set.code,
      setVersion: set.version,
      kind: set.kind,
      anonymous: set.anonymous,
      respondentId: new Types.ObjectId(input.respondentId),
      organizationId: input.organizationId ? new Types.ObjectId(input.organizationId) : undefined,
      sentAt: input.now,
    });
    return { id: doc._id.toString(), created: true };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const existing = await SurveyResponse.findOne({ key: input.key }, { _id: 1 }).lean();
    return { id: String(existing?._id), created: false };
  }
}

type Recipient = { telegramId?: number | null; locale?: string | null; unreachable?: boolean | null; erasedAt?: Date | null };

function questionButtons(r: ResponseLean, q: Question, index: number, locale: string): NoticeButton[][] {
  const rid = r._id.toString();
  const rows: NoticeButton[][] = [];
  if (q.type === "scale") rows.push([1, 2, 3, 4, 5].map((n) => ({ label: String(n), literal: true, data: `qs:a:${rid}:${index}:${n}` })));
  if (q.type === "single") for (const o of q.options) rows.push([{ label: setText(o.text, locale), literal: true, data: `qs:a:${rid}:${index}:${o.id}` }]);
  if (q.type === "multiple") {
    for (const o of q.options) {
      const on = r.pending.includes(o.id);
      rows.push([{ label: `${on ? "✅ " : ""}${setText(o.text, locale)}`, literal: true, data: `qs:t:${rid}:${index}:${o.id}` }]);
    }
    rows.push([{ label: "qs-btn-done", data: `qs:d:${rid}:${index}` }]);
  }
  if (q.type === "text") rows.push([{ label: "qs-btn-write", data: `qs:w:${rid}:${index}` }]);
  const last: NoticeButton[] = [];
  if (q.optional) last.push({ label: "qs-btn-skip", data: `qs:s:${rid}:${index}` });
  last.push({ label: "qs-btn-pause", data: `qs:p:${rid}` });
  rows.push(last);
  return rows;
}

/** The current question of a response as a notice to its respondent (the set's intro before the first). */
export function questionNotice(r: ResponseLean, set: QuestionSetDefinition, recipient: Recipient | null, options: { intro?: boolean } = {}): Notice[] {
  const q = set.questions[r.cursor];
  if (!q) return [];
  const locale = recipient?.locale ?? "ru";
  const labels = q.type === "scale" && q.low && q.high ? `1 — ${setText(q.low, locale)}, 5 — ${setText(q.high, locale)}` : "";
  const args = {
    title: escapeHtml(setText(set.title, locale)),
    n: r.cursor + 1,
    total: set.questions.length,
    text: escapeHtml(setText(q.text, locale)),
    kind: labels ? "scale_labels" : q.type,
    labels: escapeHtml(labels),
    intro: options.intro && set.intro ? escapeHtml(setText(set.intro, locale)) : "",
    anonymous: set.anonymous ? "yes" : "no",
  };
  return notice(recipient, options.intro && set.intro ? "qs-question-intro" : "qs-question", args, questionButtons(r, q, r.cursor, locale));
}

async function loadFor(responseId: string, userId: string, index: number | null, now: Date): Promise<{ r: ResponseLean; set: QuestionSetDefinition } | AnswerRefusal> {
  if (!Types.ObjectId.isValid(responseId) || !Types.ObjectId.isValid(userId)) return "not_allowed";
  const r = await SurveyResponse.findById(responseId).lean<ResponseLean>();
  if (!r) return "not_allowed";
  if (r.status === "done") return r.respondentId && !r.respondentId.equals(userId) ? "not_allowed" : "already";
  if (!r.respondentId?.equals(userId)) return "not_allowed";
  if (r.status === "expired") return "closed";
  if (r.campaignId) {
    const c = await SurveyCampaign.findById(r.campaignId, { deadline: 1, status: 1 }).lean();
    if (!c || c.status === "closed" || c.deadline.getTime() <= now.getTime()) {
      await SurveyResponse.updateOne({ _id: r._id, status: { $in: ["open", "paused"] } }, { $set: { status: "expired" } });
      return "closed";
    }
  }
  if (index !== null && index !== r.cursor) return index < r.cursor ? "already" : "invalid";
  const set = await findSetVersion(r.setCode, r.setVersion);
  if (!set) return "closed";
  return { r, set };
}

function scaleAverage(set: QuestionSetDefinition, answers: ReadonlyArray<{ q: string; score?: number | null }>): number | undefined {
  const scores = answers.filter((a) => typeof a.score === "number" && set.questions.some((q) => q.id === a.q && q.type === "scale")).map((a) => a.score as number);
  return scores.length ? scores.reduce((s, x) => s + x, 0) / scores.length : undefined;
}

/**
 * Records the answer to the current question (a conditional update on the cursor: a double tap
 * or an old button changes nothing) and returns the next question, or finishes the response.
 */
async function advance(r: ResponseLean, set: QuestionSetDefinition, answer: AnswerInput, now: Date): Promise<AnswerResult> {
  const res = await SurveyResponse.updateOne(
    { _id: r._id, cursor: r.cursor, status: { $in: ["open", "paused"] } },
    { $push: { answers: answer }, $inc: { cursor: 1 }, $set: { pending: [], status: "open" } },
  );
  if (res.modifiedCount !== 1) return { ok: false, reason: "already" };
  const fresh = (await SurveyResponse.findById(r._id).lean<ResponseLean>()) as ResponseLean;
  const user = await User.findById(r.respondentId).lean();
  if (fresh.cursor < set.questions.length) return { ok: true, notices: questionNotice(fresh, set, user) };
  const avg = scaleAverage(set, fresh.answers);
  const done = await SurveyResponse.findOneAndUpdate(
    { _id: r._id, status: "open" },
    { $set: { status: "done", completedAt: now, ...(avg !== undefined ? { scaleAverage: avg } : {}) } },
    { returnDocument: "after" },
  ).lean<ResponseLean>();
  if (!done) return { ok: false, reason: "already" };
  const notices: Notice[] = [];
  for (const hook of finishHooks) notices.push(...(await hook(done, set, now)));
  // An anonymous set keeps no link to the person once it is finished.
  if (set.anonymous) await SurveyResponse.updateOne({ _id: r._id }, { $unset: { respondentId: 1 }, $set: { key: `anon:${r._id.toString()}` } });
  return { ok: true, notices: [...notice(user, set.kind === "diagnostic" ? "qs-finished-diagnostic" : "qs-finished"), ...notices], finished: done };
}

/** A scale score or a single choice for question `index`. */
export async function answerChoice(responseId: string, userId: string, index: number, value: string, now: Date): Promise<AnswerResult> {
  const loaded = await loadFor(responseId, userId, index, now);
  if (typeof loaded === "string") return { ok: false, reason: loaded };
  const { r, set } = loaded;
  const q = set.questions[index] as Question;
  if (q.type === "scale") {
    const score = Number(value);
    if (!/^[1-5]$/.test(value)) return { ok: false, reason: "invalid" };
    return advance(r, set, { q: q.id, score }, now);
  }
  if (q.type === "single" && q.options.some((o) => o.id === value)) return advance(r, set, { q: q.id, choice: value }, now);
  return { ok: false, reason: "invalid" };
}

/** Toggles an option of a multiple-choice question; returns the redrawn question. */
export async function toggleOption(responseId: string, userId: string, index: number, option: string, now: Date): Promise<AnswerResult> {
  const loaded = await loadFor(responseId, userId, index, now);
  if (typeof loaded === "string") return { ok: false, reason: loaded };
  const { r, set } = loaded;
  const q = set.questions[index] as Question;
  if (q.type !== "multiple" || !q.options.some((o) => o.id === option)) return { ok: false, reason: "invalid" };
  const on = r.pending.includes(option);
  if (!on && q.max !== undefined && r.pending.length >= q.max) return { ok: false, reason: "invalid" };
  const res = await SurveyResponse.updateOne(
    { _id: r._id, cursor: index, pending: { $size: r.pending.length } },
    on ? { $pull: { pending: option } } : { $push: { pending: option } },
  );
  if (res.modifiedCount !== 1) return { ok: false, reason: "already" };
  const fresh = (await SurveyResponse.findById(r._id).lean<ResponseLean>()) as ResponseLean;
  return { ok: true, notices: questionNotice(fresh, set, await User.findById(r.respondentId).lean()) };
}

/** Confirms a multiple-choice question (at least one option unless it is optional). */
export async function confirmOptions(responseId: string, userId: string, index: number, now: Date): Promise<AnswerResult> {
  const loaded = await loadFor(responseId, userId, index, now);
  if (typeof loaded === "string") return { ok: false, reason: loaded };
  const { r, set } = loaded;
  const q = set.questions[index] as Question;
  if (q.type !== "multiple" || (r.pending.length === 0 && !q.optional)) return { ok: false, reason: "invalid" };
  const order = q.options.map((o) => o.id).filter((id) => r.pending.includes(id));
  return advance(r, set, { q: q.id, choices: order, ...(order.length === 0 ? { skipped: true } : {}) }, now);
}

/** Whether the caller may write the text answer of question `index` now; with the limit and prompt. */
export async function textQuestion(responseId: string, userId: string, index: number, now: Date): Promise<{ ok: true; max: number; text: { ru: string; en: string }; optional: boolean } | { ok: false; reason: AnswerRefusal }> {
  const loaded = await loadFor(responseId, userId, index, now);
  if (typeof loaded === "string") return { ok: false, reason: loaded };
  const q = loaded.set.questions[index] as Question;
  if (q.type !== "text") return { ok: false, reason: "invalid" };
  return { ok: true, max: q.maxLength ?? 500, text: q.text, optional: q.optional === true };
}

/** A short text answer to question `index`. */
export async function answerText(responseId: string, userId: string, index: number, text: string, now: Date): Promise<AnswerResult> {
  const loaded = await loadFor(responseId, userId, index, now);
  if (typeof loaded === "string") return { ok: false, reason: loaded };
  const q = loaded.set.questions[index] as Question;
  const value = text.trim();
  if (q.type !== "text" || value.length < 1 || value.length > (q.maxLength ?? 500)) return { ok: false, reason: "invalid" };
  return advance(loaded.r, loaded.set, { q: q.id, text: value }, now);
}

/** Skips an optional question. */
export async function skipQuestion(responseId: string, userId: string, index: number, now: Date): Promise<AnswerResult> {
  const loaded = await loadFor(responseId, userId, index, now);
  if (typeof loaded === "string") return { ok: false, reason: loaded };
  const q = loaded.set.questions[index] as Question;
  if (!q.optional) return { ok: false, reason: "invalid" };
  return advance(loaded.r, loaded.set, { q: q.id, skipped: true }, now);
}

/** Pauses: the answers so far stay; `/surveys` continues from the same question. */
export async function pauseResponse(responseId: string, userId: string, now: Date): Promise<AnswerResult> {
  const loaded = await loadFor(responseId, userId, null, now);
  if (typeof loaded === "string") return { ok: false, reason: loaded };
  const res = await SurveyResponse.updateOne({ _id: loaded.r._id, status: "open" }, { $set: { status: "paused" } });
  if (res.modifiedCount !== 1) return { ok: false, reason: "already" };
  return { ok: true, notices: notice(await User.findById(userId).lean(), "qs-paused", { n: loaded.r.cursor, total: loaded.set.questions.length }) };
}

/** Resumes a paused (or open) response: the current question again. */
export async function resumeResponse(responseId: string, userId: string, now: Date): Promise<AnswerResult> {
  const loaded = await loadFor(responseId, userId, null, now);
  if (typeof loaded === "string") return { ok: false, reason: loaded };
  await SurveyResponse.updateOne({ _id: loaded.r._id, status: "paused" }, { $set: { status: "open" } });
  const fresh = (await SurveyResponse.findById(loaded.r._id).lean<ResponseLean>()) as ResponseLean;
  return { ok: true, notices: questionNotice(fresh, loaded.set, await User.findById(userId).lean(), { intro: fresh.cursor === 0 }) };
}

export interface OpenResponseView {
  id: string;
  title: { ru: string; en: string };
  answered: number;
  total: number;
  deadline?: Date;
}

/** The person's unfinished responses (open or paused, not past a deadline), newest first. */
export async function openResponses(userId: string, now: Date): Promise<OpenResponseView[]> {
  const rows = await SurveyResponse.find({ respondentId: new Types.ObjectId(userId), status: { $in: ["open", "paused"] } }).sort({ sentAt: -1 }).limit(10).lean<ResponseLean[]>();
  const out: OpenResponseView[] = [];
  for (const r of rows) {
    const campaign = r.campaignId ? await SurveyCampaign.findById(r.campaignId, { deadline: 1, status: 1 }).lean() : null;
    if (campaign && (campaign.status === "closed" || campaign.deadline.getTime() <= now.getTime())) continue;
    const set = await findSetVersion(r.setCode, r.setVersion);
    if (set) out.push({ id: r._id.toString(), title: set.title, answered: r.cursor, total: set.questions.length, deadline: campaign?.deadline });
  }
  return out;
}

/** Erasure: named answers lose the person and free texts; scores stay, anonymised. */
export async function eraseResponses(userId: string): Promise<number> {
  const rows = await SurveyResponse.find({ respondentId: userId }, { _id: 1, answers: 1, status: 1 }).lean<ResponseLean[]>();
  for (const r of rows) {
    const answers = r.answers.map((a) => ({ q: a.q, score: a.score, choice: a.choice, choices: a.choices, skipped: a.skipped }));
    await SurveyResponse.updateOne({ _id: r._id }, { $unset: { respondentId: 1 }, $set: { key: `erased:${r._id.toString()}`, answers, status: r.status === "done" ? "done" : "expired" } });
  }
  return rows.length;
}
