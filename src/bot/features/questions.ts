import { Composer } from "grammy";
import { isRegistered, type BotContext } from "../context.ts";
import { canAnswer, canFollowUp, questionsErasure, thankForAnswer } from "../../domain/questions.ts";
import { registerErasureStep } from "../../domain/privacy.ts";
import { notify } from "../notify.ts";
import { enterScene } from "../scenes.ts";
import { QUICK_QUESTION_SCENE } from "../../../scenes/index.ts";

const ID = "([0-9a-f]{24})";

/** Quick questions: answer (mentors it was sent to), thank and follow-up (the mentee); each press re-checked. */
export function questionsFeature(): Composer<BotContext> {
  registerErasureStep("questions", async (userId) => ({ counts: { questions: await questionsErasure(userId) }, notify: [] }));
  const composer = new Composer<BotContext>();
  composer.callbackQuery(new RegExp(`^qq:(a|f|t):${ID}$`), async (ctx) => {
    const [, action, id] = ctx.match as unknown as [string, string, string];
    if (!isRegistered(ctx) || !ctx.user) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    const me = ctx.user._id.toString();
    if (action === "a") {
      if (!(await canAnswer(id, me))) return void (await ctx.answerCallbackQuery({ text: ctx.t("question-stale"), show_alert: true }));
      await ctx.answerCallbackQuery();
      return enterScene(ctx, QUICK_QUESTION_SCENE, "answer", id);
    }
    if (action === "f") {
      if (!(await canFollowUp(id, me))) return void (await ctx.answerCallbackQuery({ text: ctx.t("question-stale"), show_alert: true }));
      await ctx.answerCallbackQuery();
      return enterScene(ctx, QUICK_QUESTION_SCENE, "follow", id);
    }
    const res = await thankForAnswer(id, me, ctx.services.clock.now());
    if (!res.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t("question-stale"), show_alert: true }));
    await ctx.answerCallbackQuery({ text: ctx.t("question-thanks-sent") });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await notify(ctx, res.notices);
  });
  return composer;
}
