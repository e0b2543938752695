import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { Program, User, PROGRAM_FORMS, ROLE_MODELS } from "../models/index.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { notify } from "../src/bot/notify.ts";
import { clip, escapeHtml } from "../src/core/html.ts";
import { addLocalMonths, formatDateInZone, parseLocalDate } from "../src/core/datetime.ts";
import { zoneOfOrganization } from "../src/domain/meetings.ts";
import { MAX_MONTHS, MAX_PLAN_ITEMS, MIN_MONTHS, addProduct, menteeAskChanges, planLines, returnProgram, submitDraft, type PlanItemInput, type ProgramResult } from "../src/domain/programs.ts";
import { finishPair } from "../src/domain/program-endings.ts";
import { endAssessmentTopics, recordChanged } from "../src/domain/final-survey.ts";
import { editPractice, type PracticeField } from "../src/domain/practices.ts";
import { recordSelfAssessment } from "../src/domain/self-assessment.ts";
import { isAdmin } from "../src/domain/roles.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText, askOne } from "./pickers.ts";
import { topicLabel } from "../src/domain/deficits.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";

export const PROGRAM_SCENE = "program";
export const PROGRAM_TEXT_SCENE = "program-text";
export const SELF_ASSESSMENT_END_SCENE = "self-assessment-end";

interface Me {
  id: string;
  locale: "ru" | "en";
}

async function whoAmI(conversation: SceneConversation, ctx: SceneContext): Promise<(Me & { t: T }) | null> {
  const telegramId = ctx.from?.id;
  const me = await conversation.external(async () => {
    const u = await findRegisteredUser(telegramId, { notErased: true });
    return u ? { id: u._id.toString(), locale: u.locale ?? "ru" } : null;
  });
  if (!me) return null;
  const locale = isLocale(me.locale) ? me.locale : ctx.services.config.defaultLocale;
  return { id: me.id, locale: locale === "en" ? "en" : "ru", t: (key, a) => ctx.services.t(locale, key, a) };
}

/** Sends a service result's notices, or the polite refusal for its reason. */
async function finish(conversation: SceneConversation, ctx: SceneContext, t: T, res: ProgramResult, okKey: string): Promise<void> {
  if (!res.ok) {
    await ctx.reply(t(res.reason === "invalid" ? "program-invalid" : res.reason === "state" ? "program-state-changed" : "not-allowed"));
    return;
  }
  await conversation.external(() => notify(ctx, res.notices));
  await ctx.reply(t(okKey));
}

/**
 * The mentor fills the personalised program: goal, duration (3–12 months), role model, form, plan
 * items (title, due date in the organization's zone within the program's span, expected result),
 * the expected product; then sends it to the mentee.
 */
export async function programScene(conversation: SceneConversation, ctx: SceneContext, programId: string): Promise<void> {
  const me = await whoAmI(conversation, ctx);
  if (!me) return;
  const { t, locale } = me;
  const info = await conversation.external(async () => {
    const p = await Program.findById(programId).lean();
    if (!p || !p.mentorId.equals(me.id) || (p.status !== "draft" && p.status !== "returned")) return null;
    return { zone: await zoneOfOrganization(p.organizationId), comment: p.curatorComment ?? "", group: Boolean(p.groupId) };
  });
  if (!info) {
    await ctx.reply(t("program-state-changed"));
    return;
  }
  if (info.comment) await ctx.reply(t("program-curator-comment", { comment: escapeHtml(info.comment) }));
  await ctx.reply(t(info.group ? "program-intro-group" : "program-intro"));
  const goal = (await askBoundedText(conversation, ctx, t, { prompt: t("program-ask-goal"), min: 5, max: 1000, errorKey: "text-length-error" })) as string;
  const months = Number(
    await askOne(conversation, ctx, t, {
      prompt: t("program-ask-months"),
      prefix: "pgx:mo",
      options: Array.from({ length: MAX_MONTHS - MIN_MONTHS + 1 }, (_, i) => String(i + MIN_MONTHS)).map((n) => ({ code: n, label: n })),
      perRow: 5,
    }),
  );
  const roleModel = await askOne(conversation, ctx, t, {
    prompt: t("program-ask-role"),
    prefix: "pgx:rm",
    options: ROLE_MODELS.map((code) => ({ code, label: t(`role-model-${code}`) })),
    perRow: 1,
  });
  const form = await askOne(conversation, ctx, t, { prompt: t("program-ask-form"), prefix: "pgx:fm", options: PROGRAM_FORMS.map((code) => ({ code, label: t(`program-form-${code}`) })) });

  const now = await sceneNow(conversation, ctx);
  const latest = addLocalMonths(now, months, info.zone);
  const items: PlanItemInput[] = [];
  while (items.length < MAX_PLAN_ITEMS) {
    const title = (await askBoundedText(conversation, ctx, t, { prompt: t("program-ask-item-title", { n: items.length + 1 }), min: 2, max: 200, errorKey: "text-length-error" })) as string;
    await ctx.reply(t("program-ask-item-due", { first: formatDateInZone(now, info.zone, locale), last: formatDateInZone(latest, info.zone, locale) }));
    let due: Date | undefined;
    while (!due) {
      const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(t("dialog-text-expected")) });
      const parsed = parseLocalDate(answer.message.text, info.zone, now, now, latest);
      if (parsed.ok) due = parsed.date;
      else await answer.reply(t(`program-date-${parsed.error}`, { first: formatDateInZone(now, info.zone, locale), last: formatDateInZone(latest, info.zone, locale) }));
    }
    const expected = await askBoundedText(conversation, ctx, t, { prompt: t("program-ask-item-expected"), min: 2, max: 300, errorKey: "text-length-error", skipData: "pgx:skip" });
    items.push({ title, due, ...(expected ? { expected } : {}) });
    if (items.length >= MAX_PLAN_ITEMS) break;
    const more = await askOne(conversation, ctx, t, {
      prompt: t("program-ask-more", { n: items.length }),
      prefix: "pgx:more",
      options: [
        { code: "yes", label: t("program-more-yes") },
        { code: "no", label: t("program-more-no") },
      ],
    });
    if (more === "no") break;
  }
  const product = (await askBoundedText(conversation, ctx, t, { prompt: t("program-ask-product"), min: 2, max: 500, errorKey: "text-length-error" })) as string;
  const confirm = await askOne(conversation, ctx, t, {
    prompt: t("program-review", {
      goal: escapeHtml(clip(goal, 500)),
      months,
      role: t(`role-model-${roleModel}`),
      form: t(`program-form-${form}`),
      items: planLines(items, info.zone, locale),
      product: escapeHtml(clip(product, 200)),
    }),
    prefix: "pgx:send",
    options: [
      { code: "send", label: t("program-btn-send") },
      { code: "drop", label: t("program-btn-discard") },
    ],
  });
  if (confirm === "drop") {
    await ctx.reply(t("program-discarded"));
    return;
  }
  const at = await sceneNow(conversation, ctx);
  const res = await conversation.external(() => submitDraft(programId, me.id, { goal, months, roleModel, form, product, items }, at));
  await finish(conversation, ctx, t, res, info.group ? "program-sent-to-group" : "program-sent-to-mentee");
}

export type TextAction = "changes" | "return" | "end" | "product" | "changed" | "practice";

const PROMPTS: Record<TextAction, string> = {
  changes: "program-ask-changes",
  return: "program-ask-return",
  end: "program-ask-end-reason",
  product: "program-ask-product-item",
  changed: "final-survey-ask-changed",
  practice: "practice-ask-topic",
};

/**
 * One free-text answer that completes an action: the mentee's change request, the curator's
 * return comment, the reason for an early end, a product (text, link or file), "what changed"
 * in the final survey, or a practice card field. The service re-checks the right to do it.
 */
export async function programTextScene(conversation: SceneConversation, ctx: SceneContext, action: TextAction, id: string, field?: PracticeField): Promise<void> {
  const me = await whoAmI(conversation, ctx);
  if (!me) return;
  const { t } = me;
  const skippable = action === "changed";
  let text: string | undefined;
  let file: { kind: "file" | "photo"; fileId: string; fileName?: string } | undefined;
  if (action === "product") {
    await ctx.reply(t(PROMPTS.product));
    const answer = await conversation.waitFor(["message:text", "message:document", "message:photo"], { otherwise: (c) => c.reply(t("program-product-expected")) });
    const doc = answer.message.document;
    const photo = answer.message.photo?.at(-1);
    if (doc) file = { kind: "file", fileId: doc.file_id, ...(doc.file_name ? { fileName: doc.file_name } : {}) };
    else if (photo) file = { kind: "photo", fileId: photo.file_id };
    else text = answer.message.text?.trim();
  } else {
    const key = action === "practice" ? `practice-ask-${field}` : PROMPTS[action];
    text = await askBoundedText(conversation, ctx, t, { prompt: t(key), min: 2, max: action === "practice" ? 3000 : 1000, errorKey: "text-length-error", ...(skippable ? { skipData: "pgx:skip" } : {}) });
    if (text === undefined) {
      await ctx.reply(t("survey-thanks"));
      return;
    }
  }
  const now = await sceneNow(conversation, ctx);
  const res: ProgramResult = await conversation.external(async () => {
    switch (action) {
      case "changes":
        return menteeAskChanges(id, me.id, text as string, now);
      case "return": {
        const curator = await User.findById(me.id).lean();
        const admin = Boolean(curator && isAdmin(curator, ctx.services.config.adminIds));
        return curator ? returnProgram(id, { ...(curator as unknown as Parameters<typeof returnProgram>[1]), admin }, text as string, now) : { ok: false, reason: "not_allowed" };
      }
      case "end":
        return finishPair(id, me.id, text as string, now, { scheduler: ctx.services.scheduler });
      case "product": {
        const t2 = text ?? "";
        const product = file ? file : /^https?:\/\//i.test(t2) ? { kind: "link" as const, url: t2 } : { kind: "text" as const, text: t2 };
        return addProduct(id, me.id, product, now);
      }
      case "changed": {
        const r = await recordChanged(id, me.id, text as string);
        return r.ok ? { ok: true, notices: [] } : { ok: false, reason: r.reason === "already" ? "state" : "not_allowed" };
      }
      case "practice":
        return editPractice(id, me.id, field as PracticeField, text as string, now);
    }
  });
  const okKeys: Record<TextAction, string> = {
    changes: "program-changes-sent",
    return: "program-return-sent",
    end: "program-ended-ok",
    product: "program-product-added",
    changed: "survey-thanks",
    practice: "practice-field-saved",
  };
  await finish(conversation, ctx, t, res, okKeys[action]);
}

/** The closing self-assessment: confidence 1–5 again in each topic of the request. */
export async function selfAssessmentEndScene(conversation: SceneConversation, ctx: SceneContext, requestId: string): Promise<void> {
  const me = await whoAmI(conversation, ctx);
  if (!me) return;
  const { t, locale } = me;
  const topics = await conversation.external(() => endAssessmentTopics(requestId, me.id));
  if (!topics || topics.length === 0) {
    await ctx.reply(t("self-assessment-not-available"));
    return;
  }
  const scores: Array<{ topic: string; score: number }> = [];
  for (const code of topics) {
    const score = await askOne(conversation, ctx, t, {
      prompt: t("request-ask-confidence", { topic: escapeHtml(topicLabel(code, locale)) }),
      prefix: `sax:${code}`,
      options: ["1", "2", "3", "4", "5"].map((n) => ({ code: n, label: n })),
      perRow: 5,
    });
    scores.push({ topic: code, score: Number(score) });
  }
  const now = await sceneNow(conversation, ctx);
  const res = await conversation.external(() => recordSelfAssessment({ requestId, userId: me.id, phase: "end", scores, now }));
  await ctx.reply(t(res.ok ? "self-assessment-end-thanks" : res.reason === "already" ? "survey-already" : "not-allowed"));
}
