import { sceneNow } from "../src/bot/scenes.ts";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { User } from "../models/index.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { notify } from "../src/bot/notify.ts";
import { answerQuestionText, askFollowUp } from "../src/domain/questions.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText } from "./pickers.ts";

/** A quick question's texts: a mentor's answer (or the answer to the follow-up), the mentee's follow-up. */
export const QUICK_QUESTION_SCENE = "quick-question-text";

export async function questionTextScene(conversation: SceneConversation, ctx: SceneContext, action: "answer" | "follow", questionId: string): Promise<void> {
  const telegramId = ctx.from?.id;
  const user = await conversation.external(async () => {
    const u = await User.findOne({ telegramId, registeredAt: { $exists: true } }).lean();
    return u ? { id: u._id.toString(), locale: u.locale ?? "ru" } : null;
  });
  if (!user) return;
  const locale = isLocale(user.locale) ? user.locale : ctx.services.config.defaultLocale;
  const t: T = (key, a) => ctx.services.t(locale, key, a);
  const text = (await askBoundedText(conversation, ctx, t, {
    prompt: t(action === "answer" ? "question-ask-answer" : "question-ask-follow-up"),
    min: 2,
    max: action === "answer" ? 2000 : 1000,
    errorKey: "text-length-error",
  })) as string;
  const now = await sceneNow(conversation, ctx);
  const deps = { scheduler: ctx.services.scheduler, timeoutMs: ctx.services.config.offerTimeoutMs, hours: ctx.services.config.workingHours };
  const res = await conversation.external(() => (action === "answer" ? answerQuestionText(questionId, user.id, text, now, deps) : askFollowUp(questionId, user.id, text, now)));
  await ctx.reply(t(res.ok ? (action === "answer" ? "question-answer-sent" : "question-follow-up-sent") : "question-stale"));
  if (res.ok) await conversation.external(() => notify(ctx, res.notices));
}
