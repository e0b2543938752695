import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { acknowledgeFlag, pulseErasureStep, recordPulseEnough, recordPulseScore, type PulseResult } from "../../domain/pulse.ts";
import { registerErasureStep } from "../../domain/privacy.ts";
import { isAdmin } from "../../domain/roles.ts";
import { notify } from "../notify.ts";

/** Refusals: a double tap is "already recorded", a closed round or ended pair says so, anything else is not allowed. */
async function refuse(ctx: BotContext, reason: Exclude<PulseResult, { ok: true }>["reason"] | null): Promise<void> {
  const key = reason === "already" ? "survey-already" : reason === "closed" ? "pulse-closed" : "not-allowed";
  await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: key !== "survey-already" });
}

/** The caller's user id when registered and not erased. */
function userIdOf(ctx: BotContext): string | null {
  return ctx.user?.registeredAt && !ctx.user.erasedAt ? ctx.user._id.toString() : null;
}

/**
 * Pulse buttons (issue 6): `pl:s:<checkinId>:<1-5>` then `pl:e:<checkinId>:<y|n>` for the pair's
 * sides, `pl:ok:<flagId>` for curators acknowledging a risk flag. The data is only a pointer: the
 * check-in is loaded and checked against the caller and the pair's state on every tap.
 */
export function pulseFeature(): Composer<BotContext> {
  registerErasureStep("pulse", pulseErasureStep);
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^pl:s:([0-9a-f]{24}):([1-5])$/, async (ctx) => {
    const userId = userIdOf(ctx);
    if (!userId) return refuse(ctx, null);
    const checkinId = ctx.match[1] as string;
    const score = Number(ctx.match[2]);
    const res = await recordPulseScore(checkinId, userId, score, ctx.services.clock.now());
    if (!res.ok) return refuse(ctx, res.reason);
    await ctx.answerCallbackQuery({ text: ctx.t("survey-score-recorded", { score }) });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    await ctx.reply(ctx.t("pulse-ask-enough"), {
      reply_markup: { inline_keyboard: [(["y", "n"] as const).map((v) => ({ text: ctx.t(`pulse-enough-${v}`), callback_data: `pl:e:${checkinId}:${v}` }))] },
    });
    await notify(ctx, res.notices);
  });
  composer.callbackQuery(/^pl:e:([0-9a-f]{24}):([yn])$/, async (ctx) => {
    const userId = userIdOf(ctx);
    if (!userId) return refuse(ctx, null);
    const res = await recordPulseEnough(ctx.match[1] as string, userId, ctx.match[2] === "y");
    if (!res.ok) return refuse(ctx, res.reason);
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    await ctx.reply(ctx.t("pulse-thanks"));
  });
  composer.callbackQuery(/^pl:ok:([0-9a-f]{24})$/, async (ctx) => {
    if (!userIdOf(ctx) || !ctx.user) return refuse(ctx, null);
    const res = await acknowledgeFlag(ctx.match[1] as string, ctx.user, isAdmin(ctx.user, ctx.services.config.adminIds), ctx.services.clock.now());
    if (!res.ok && res.reason === "not_allowed") return refuse(ctx, null);
    await ctx.answerCallbackQuery({ text: ctx.t(res.ok ? "pulse-flag-acked" : "pulse-flag-already-acked") });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
  });
  // Anything else under pl: (garbage, an out-of-range score) is refused without touching the database.
  composer.callbackQuery(/^pl:/, (ctx) => refuse(ctx, null));
  return composer;
}
