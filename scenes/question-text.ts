import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { answerText, skipQuestion, textQuestion } from "../src/domain/questionnaires.ts";
import { setText } from "../src/domain/question-sets.ts";
import { escapeHtml } from "../src/core/html.ts";
import { notify } from "../src/bot/notify.ts";
import { askBoundedText, sceneUser } from "./pickers.ts";

export const QUESTION_TEXT_SCENE = "question-text";
/** Not under `qs:` (a global prefix that would end this dialog). */
const SKIP = "qsx:skip";

/** The short-text answer of a questionnaire question (issue 16); then the next question follows. */
export async function questionTextScene(conversation: SceneConversation, ctx: SceneContext, responseId: string, index: number): Promise<void> {
  const user = await sceneUser(conversation, ctx);
  if (!user) return;
  const { locale, t } = user;
  const start = await sceneNow(conversation, ctx);
  const q = await conversation.external(() => textQuestion(responseId, user.id, index, start));
  if (!q.ok) {
    await ctx.reply(t(q.reason === "already" ? "survey-already" : q.reason === "closed" ? "qs-closed" : "not-allowed"));
    return;
  }
  const text = await askBoundedText(conversation, ctx, t, {
    prompt: t("qs-ask-text", { text: escapeHtml(setText(q.text, locale)), max: String(q.max) }),
    min: 1,
    max: q.max,
    errorKey: "text-length-error",
    ...(q.optional ? { skipData: SKIP } : {}),
  });
  const now = await sceneNow(conversation, ctx);
  const res = await conversation.external(() => (text === undefined ? skipQuestion(responseId, user.id, index, now) : answerText(responseId, user.id, index, text, now)));
  if (!res.ok) {
    await ctx.reply(t(res.reason === "already" ? "survey-already" : res.reason === "closed" ? "qs-closed" : "not-allowed"));
    return;
  }
  await conversation.external(() => notify(ctx, res.notices));
}
