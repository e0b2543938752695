import { Composer, InlineKeyboard, InputFile } from "grammy";
import { isRegistered, uiLocale, type BotContext } from "../context.ts";
import {
  answerChoice,
  confirmOptions,
  eraseResponses,
  openResponses,
  pauseResponse,
  resumeResponse,
  skipQuestion,
  textQuestion,
  toggleOption,
  type AnswerResult,
  type AnswerRefusal,
} from "../../domain/questionnaires.ts";
import { campaignSummary, listCampaigns, type CampaignSummary } from "../../domain/survey-campaigns.ts";
import { startDiagnostic } from "../../domain/diagnostics.ts";
import { registerErasureStep } from "../../domain/privacy.ts";
import { isAdmin } from "../../domain/roles.ts";
import { formatDateInZone } from "../../core/datetime.ts";
import { escapeHtml, clip } from "../../core/html.ts";
import { formatDecimal } from "../../domain/russian.ts";
import { renderNotice } from "../../messaging/notices.ts";
import { notify } from "../notify.ts";
import { renderPng } from "../../domain/chart.ts";
import { surveyChartSpec } from "../../domain/survey-chart.ts";
import { enterScene } from "../scenes.ts";
import { CAMPAIGN_SCENE, QUESTION_TEXT_SCENE, WORK_START_SCENE } from "../../../scenes/index.ts";
import "../../domain/adaptation.ts"; // registers the drop check on finished surveys
import { organizationById } from "../../db/organization-cache.ts";

async function refuse(ctx: BotContext, reason: AnswerRefusal | null): Promise<void> {
  const key = reason === "already" ? "survey-already" : reason === "closed" ? "qs-closed" : reason === "invalid" ? "qs-invalid" : "not-allowed";
  await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: key !== "survey-already" });
}

function userIdOf(ctx: BotContext): string | null {
  return isRegistered(ctx) && ctx.user ? ctx.user._id.toString() : null;
}

function isCuratorOrAdmin(ctx: BotContext): boolean {
  return Boolean(ctx.user && (isAdmin(ctx.user, ctx.services.config.adminIds) || ctx.user.roles.some((r) => r.role === "curator")));
}

/** After a recorded answer: the old buttons go, the next question (or the thanks) follows. */
async function afterAnswer(ctx: BotContext, res: AnswerResult): Promise<void> {
  if (!res.ok) return refuse(ctx, res.reason);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch((err: unknown) => ctx.log.debug({ err }, "question buttons already gone"));
  await notify(ctx, res.notices);
}

/** The summary as text (names never appear: only counts, averages and free texts). */
export function renderSummary(ctx: BotContext, s: CampaignSummary, locale: "ru" | "en"): string {
  const lines = [
    `<b>${escapeHtml(s.title)}</b>`,
    ctx.t("qc-summary-head", { deadline: formatDateInZone(s.deadline, s.timezone, locale), done: s.done, recipients: s.recipients, progress: s.inProgress }),
  ];
  if (s.anonymous) lines.push(ctx.t("qc-summary-anonymous"));
  s.questions.forEach((q, i) => {
    lines.push("", `<b>${i + 1}. ${escapeHtml(clip(q.text, 200))}</b>`);
    if (q.answered === 0) return void lines.push(ctx.t("qc-summary-none"));
    if (q.type === "scale" && q.average !== undefined)
      lines.push(ctx.t("qc-summary-scale", { average: formatDecimal(q.average, locale), n: q.answered, dist: (q.distribution ?? []).map((c, k) => `${k + 1}: ${c}`).join(" · ") }));
    for (const o of q.options ?? []) lines.push(`• ${escapeHtml(o.label)} — ${o.count}`);
    for (const text of q.texts ?? []) lines.push(`«${escapeHtml(clip(text, 200))}»`);
  });
  let text = lines.join("\n");
  if (text.length > 4000) text = `${text.slice(0, 3990)}…`;
  return text;
}

/**
 * Questionnaires (issue 16): answering one question per message (`qs:*`), `/surveys` (my open
 * surveys; for mentees the diagnostic; for curators new campaigns and results), `/diagnostic`.
 * Every button names a response or campaign that is re-read and checked against the caller.
 */
export function questionnairesFeature(): Composer<BotContext> {
  registerErasureStep("questionnaires", async (userId) => ({ counts: { surveyResponses: await eraseResponses(userId.toString()) }, notify: [] }));
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  const now = (ctx: BotContext) => ctx.services.clock.now();

  composer.callbackQuery(/^qs:a:([0-9a-f]{24}):(\d{1,2}):([a-z0-9_]{1,16})$/, async (ctx) => {
    const uid = userIdOf(ctx);
    if (!uid) return refuse(ctx, null);
    await afterAnswer(ctx, await answerChoice(ctx.match[1] as string, uid, Number(ctx.match[2]), ctx.match[3] as string, now(ctx)));
  });
  composer.callbackQuery(/^qs:t:([0-9a-f]{24}):(\d{1,2}):([a-z0-9_]{1,16})$/, async (ctx) => {
    const uid = userIdOf(ctx);
    if (!uid) return refuse(ctx, null);
    const res = await toggleOption(ctx.match[1] as string, uid, Number(ctx.match[2]), ctx.match[3] as string, now(ctx));
    if (!res.ok) return refuse(ctx, res.reason);
    await ctx.answerCallbackQuery();
    const redrawn = res.notices[0];
    if (redrawn) {
      const { keyboard } = renderNotice(redrawn, ctx.services.t);
      await ctx.editMessageReplyMarkup({ reply_markup: keyboard });
    }
  });
  composer.callbackQuery(/^qs:d:([0-9a-f]{24}):(\d{1,2})$/, async (ctx) => {
    const uid = userIdOf(ctx);
    if (!uid) return refuse(ctx, null);
    await afterAnswer(ctx, await confirmOptions(ctx.match[1] as string, uid, Number(ctx.match[2]), now(ctx)));
  });
  composer.callbackQuery(/^qs:s:([0-9a-f]{24}):(\d{1,2})$/, async (ctx) => {
    const uid = userIdOf(ctx);
    if (!uid) return refuse(ctx, null);
    await afterAnswer(ctx, await skipQuestion(ctx.match[1] as string, uid, Number(ctx.match[2]), now(ctx)));
  });
  composer.callbackQuery(/^qs:w:([0-9a-f]{24}):(\d{1,2})$/, async (ctx) => {
    const uid = userIdOf(ctx);
    if (!uid) return refuse(ctx, null);
    const q = await textQuestion(ctx.match[1] as string, uid, Number(ctx.match[2]), now(ctx));
    if (!q.ok) return refuse(ctx, q.reason);
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch((err: unknown) => ctx.log.debug({ err }, "question buttons already gone"));
    await enterScene(ctx, QUESTION_TEXT_SCENE, ctx.match[1], Number(ctx.match[2]));
  });
  composer.callbackQuery(/^qs:p:([0-9a-f]{24})$/, async (ctx) => {
    const uid = userIdOf(ctx);
    if (!uid) return refuse(ctx, null);
    await afterAnswer(ctx, await pauseResponse(ctx.match[1] as string, uid, now(ctx)));
  });
  composer.callbackQuery(/^qs:r:([0-9a-f]{24})$/, async (ctx) => {
    const uid = userIdOf(ctx);
    if (!uid) return refuse(ctx, null);
    const res = await resumeResponse(ctx.match[1] as string, uid, now(ctx));
    if (!res.ok) return refuse(ctx, res.reason);
    await ctx.answerCallbackQuery();
    await notify(ctx, res.notices);
  });
  const diagnostic = async (ctx: BotContext) => {
    const uid = userIdOf(ctx);
    if (!uid || !ctx.user?.roles.some((r) => r.role === "mentee")) {
      if (ctx.callbackQuery) return refuse(ctx, null);
      return void (await ctx.reply(ctx.t("qs-diagnostic-mentees-only")));
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await notify(ctx, await startDiagnostic(uid, now(ctx)));
  };
  composer.callbackQuery("qs:diag", diagnostic);
  const workStart = async (ctx: BotContext) => {
    if (!userIdOf(ctx)) return ctx.callbackQuery ? refuse(ctx, null) : void (await ctx.reply(ctx.t("qs-register-first")));
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await enterScene(ctx, WORK_START_SCENE);
  };
  composer.callbackQuery("qs:ws", workStart);
  pm.command("startdate", workStart);
  pm.command("diagnostic", diagnostic);
  composer.callbackQuery(/^qs:/, (ctx) => refuse(ctx, null));

  pm.command("surveys", async (ctx) => {
    const uid = userIdOf(ctx);
    if (!uid || !ctx.user) return void (await ctx.reply(ctx.t("qs-register-first")));
    const locale = await uiLocale(ctx);
    const mine = await openResponses(uid, now(ctx));
    const kb = new InlineKeyboard();
    const lines = [`<b>${ctx.t("qs-title")}</b>`];
    if (mine.length === 0) lines.push(ctx.t("qs-none-open"));
    mine.forEach((r, i) => {
      lines.push(`${i + 1}. ${escapeHtml(locale === "en" ? r.title.en : r.title.ru)} — ${ctx.t("qs-progress", { answered: r.answered, total: r.total })}`);
      kb.text(ctx.t("qs-btn-continue-n", { n: i + 1 }), `qs:r:${r.id}`).row();
    });
    if (ctx.user.roles.some((r) => r.role === "mentee")) {
      kb.text(ctx.t("qs-btn-diagnostic"), "qs:diag").row();
      const started = ctx.user.profile?.workStartedAt;
      const zone = (await organizationById(ctx.user.organizationId))?.timezone;
      if (started) lines.push(ctx.t("qs-work-started", { date: formatDateInZone(started, zone ?? "Europe/Moscow", locale) }));
      kb.text(ctx.t(started ? "qs-btn-work-start-change" : "qs-btn-work-start"), "qs:ws").row();
    }
    if (isCuratorOrAdmin(ctx)) {
      const campaigns = await listCampaigns(ctx.user, ctx.services.config.adminIds, locale);
      lines.push("", `<b>${ctx.t("qc-title")}</b>`);
      if (campaigns.length === 0) lines.push(ctx.t("qc-none"));
      campaigns.forEach((c, i) => {
        lines.push(`${i + 1}. ${escapeHtml(c.title)} — ${ctx.t("qc-line", { done: c.done, recipients: c.recipients, deadline: formatDateInZone(c.deadline, "Europe/Moscow", locale) })}`);
        kb.text(ctx.t("qc-btn-results-n", { n: i + 1 }), `qc:res:${c.id}`).row();
      });
      kb.text(ctx.t("qc-btn-new"), "qc:new").row();
    }
    await ctx.reply(lines.join("\n"), { reply_markup: kb });
  });

  composer.callbackQuery("qc:new", async (ctx) => {
    if (!userIdOf(ctx) || !isCuratorOrAdmin(ctx)) return refuse(ctx, null);
    await ctx.answerCallbackQuery();
    await enterScene(ctx, CAMPAIGN_SCENE);
  });
  composer.callbackQuery(/^qc:res:([0-9a-f]{24})$/, async (ctx) => {
    if (!userIdOf(ctx) || !ctx.user) return refuse(ctx, null);
    const locale = await uiLocale(ctx);
    const summary = await campaignSummary(ctx.match[1] as string, ctx.user, ctx.services.config.adminIds, locale);
    if (!summary) return refuse(ctx, null);
    await ctx.answerCallbackQuery();
    await ctx.reply(renderSummary(ctx, summary, locale));
    const bars = summary.questions.filter((q) => q.type === "scale" && q.average !== undefined).map((q) => ({ label: q.text, average: q.average as number }));
    if (bars.length > 0 && summary.done > 0) {
      const png = await renderPng(surveyChartSpec({ title: summary.title, axis: ctx.t("qc-chart-axis"), bars }));
      await ctx.replyWithPhoto(new InputFile(png, "survey.png"), { caption: ctx.t("qc-chart-caption", { done: summary.done }) });
    }
  });
  composer.callbackQuery(/^qc:/, (ctx) => refuse(ctx, null));
  return composer;
}
