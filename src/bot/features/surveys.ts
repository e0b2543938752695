import { Composer } from "grammy";
import { isRegistered, type BotContext } from "../context.ts";
import { canReflect, recordSolved, recordUsefulness, surveysErasureStep, type SurveyResult } from "../../domain/surveys.ts";
import { registerErasureStep } from "../../domain/privacy.ts";
import { enterScene } from "../scenes.ts";
import { SURVEY_SCENE } from "../../../scenes/index.ts";
import type { SurveySolved } from "../../../models/index.ts";


/** Refusals: a double tap is "already recorded", anything else (not a participant, not held) is not allowed. */
async function refuse(ctx: BotContext, res: SurveyResult | null): Promise<void> {
  const key = res && !res.ok && res.reason === "already" ? "survey-already" : "not-allowed";
  await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: key === "not-allowed" });
}

/** Survey buttons after a held meeting: usefulness, "did it solve your problem?", the host's reflection. */
export function surveysFeature(): Composer<BotContext> {
  registerErasureStep("surveys", surveysErasureStep);
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^sv:u:([0-9a-f]{24}):([1-5])$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return refuse(ctx, null);
    const meetingId = ctx.match[1] as string;
    const res = await recordUsefulness(meetingId, ctx.user._id.toString(), Number(ctx.match[2]), ctx.services.clock.now());
    if (!res.ok) return refuse(ctx, res);
    await ctx.answerCallbackQuery({ text: ctx.t("survey-score-recorded", { score: Number(ctx.match[2]) }) });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    await ctx.reply(ctx.t("survey-ask-solved"), {
      reply_markup: {
        inline_keyboard: [(["yes", "partly", "no"] as const).map((v) => ({ text: ctx.t(`survey-solved-${v}`), callback_data: `sv:s:${meetingId}:${v}` }))],
      },
    });
  });
  composer.callbackQuery(/^sv:s:([0-9a-f]{24}):(yes|partly|no)$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return refuse(ctx, null);
    const meetingId = ctx.match[1] as string;
    const res = await recordSolved(meetingId, ctx.user._id.toString(), ctx.match[2] as SurveySolved);
    if (!res.ok) return refuse(ctx, res);
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    await enterScene(ctx, SURVEY_SCENE, meetingId, "comment");
  });
  composer.callbackQuery(/^sv:r:([0-9a-f]{24})$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return refuse(ctx, null);
    const meetingId = ctx.match[1] as string;
    const res = await canReflect(meetingId, ctx.user._id.toString());
    if (!res.ok) return refuse(ctx, res);
    await ctx.answerCallbackQuery();
    await enterScene(ctx, SURVEY_SCENE, meetingId, "reflection");
  });
  return composer;
}
