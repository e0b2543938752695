import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { User, type CampaignAudience } from "../models/index.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { availableSets, setText } from "../src/domain/question-sets.ts";
import { campaignScopes, countRecipients, deadlineIn, launchCampaign } from "../src/domain/survey-campaigns.ts";
import { formatDateInZone } from "../src/core/datetime.ts";
import { escapeHtml } from "../src/core/html.ts";
import type { T } from "./profile-steps.ts";
import { askOne } from "./pickers.ts";

export const CAMPAIGN_SCENE = "campaign";
const DEADLINE_DAYS = ["3", "7", "14", "30"] as const;

/**
 * A curator sends a question set (issue 16): set → audience → scope (an organization or network
 * they curate) → deadline → confirmation with the number of recipients → launch. Buttons are
 * under `qcx:` (not the global `qc:`), and the launch re-checks the scope on the server.
 */
export async function campaignScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const telegramId = ctx.from?.id;
  const adminIds = ctx.services.config.adminIds;
  const me = await conversation.external(async () => {
    const u = await User.findOne({ telegramId, registeredAt: { $exists: true }, erasedAt: { $exists: false } }).lean();
    if (!u) return null;
    const scopes = await campaignScopes(u, adminIds);
    const sets = await availableSets();
    return { locale: u.locale ?? "ru", scopes, sets: sets.map((s) => ({ code: s.code, title: s.title, audience: s.audience, anonymous: s.anonymous, n: s.questions.length })) };
  });
  if (!me) return;
  const locale = isLocale(me.locale) ? me.locale : ctx.services.config.defaultLocale;
  const t: T = (key, a) => ctx.services.t(locale, key, a);
  if (me.scopes.length === 0) {
    await ctx.reply(t("qc-no-scope"));
    return;
  }
  const setCode = await askOne(conversation, ctx, t, {
    prompt: t("qc-ask-set"),
    prefix: "qcx:s",
    options: me.sets.map((s) => ({ code: s.code, label: `${setText(s.title, locale)}${s.anonymous ? " 🔒" : ""}` })),
    perRow: 1,
  });
  const set = me.sets.find((s) => s.code === setCode);
  if (!set) return;
  const audiences: CampaignAudience[] = set.audience === "all" ? ["all", "mentee", "mentor"] : [set.audience, "all"];
  const audience = (await askOne(conversation, ctx, t, {
    prompt: t("qc-ask-audience"),
    prefix: "qcx:a",
    options: audiences.map((a) => ({ code: a, label: t(`qc-audience-${a}`) })),
    perRow: 1,
  })) as CampaignAudience;
  const scopeCode =
    me.scopes.length === 1
      ? (me.scopes[0]?.code as string)
      : await askOne(conversation, ctx, t, {
          prompt: t("qc-ask-scope"),
          prefix: "qcx:o",
          options: me.scopes.map((s) => ({ code: s.code, label: `${s.code.startsWith("n") ? "🕸 " : ""}${s.name}` })),
          perRow: 1,
        });
  const scope = me.scopes.find((s) => s.code === scopeCode);
  if (!scope) return;
  const days = await askOne(conversation, ctx, t, {
    prompt: t("qc-ask-deadline"),
    prefix: "qcx:d",
    options: DEADLINE_DAYS.map((d) => ({ code: d, label: t("qc-days", { n: Number(d) }) })),
    perRow: 4,
  });
  const now = await sceneNow(conversation, ctx);
  const deadline = deadlineIn(Number(days), scope.timezone, now);
  const count = await conversation.external(async () => {
    const u = await User.findOne({ telegramId }).lean();
    return u ? countRecipients(u, adminIds, scope.code, audience) : null;
  });
  if (!count) {
    await ctx.reply(t("qc-nobody"));
    return;
  }
  const summary = t("qc-confirm", {
    title: escapeHtml(setText(set.title, locale)),
    audience: t(`qc-audience-${audience}`),
    scope: escapeHtml(scope.name),
    deadline: formatDateInZone(deadline, scope.timezone, locale),
    n: count,
    anonymous: set.anonymous ? "yes" : "no",
  });
  await ctx.reply(summary, { reply_markup: new InlineKeyboard().text(t("qc-btn-send"), "qcx:ok").text(t("qc-btn-discard"), "qcx:no") });
  const confirm = await conversation.waitForCallbackQuery(/^qcx:(ok|no)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
  await confirm.answerCallbackQuery();
  if (confirm.match[1] === "no") {
    await confirm.editMessageText(t("qc-discarded"));
    return;
  }
  const at = await sceneNow(conversation, ctx);
  const res = await conversation.external(async () => {
    const u = await User.findOne({ telegramId }).lean();
    if (!u) return { ok: false as const, reason: "not_allowed" as const };
    return launchCampaign({ user: u, adminIds, setCode: set.code, audience, scopeCode: scope.code, deadline, now: at }, ctx.services.scheduler);
  });
  await confirm.editMessageText(res.ok ? t("qc-sent", { n: res.recipients }) : t(`qc-refused-${res.reason}`));
}
