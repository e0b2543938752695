import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { recordComment, recordReflection } from "../src/domain/surveys.ts";
import { askBoundedText, sceneUser } from "./pickers.ts";

export const SURVEY_SCENE = "survey";
/** Not under `sv:` (a global prefix that would end this dialog). */
const SKIP = "svx:skip";

/** The free-text part of a survey, skippable: the mentee's comment or the host's reflection. */
export async function surveyScene(conversation: SceneConversation, ctx: SceneContext, meetingId: string, what: "comment" | "reflection"): Promise<void> {
  const user = await sceneUser(conversation, ctx);
  if (!user) return;
  const { t } = user;
  const text = await askBoundedText(conversation, ctx, t, {
    prompt: t(what === "comment" ? "survey-ask-comment" : "survey-ask-reflection"),
    min: 2,
    max: what === "comment" ? 500 : 1000,
    errorKey: "text-length-error",
    skipData: SKIP,
  });
  if (text === undefined) {
    await ctx.reply(t("survey-thanks"));
    return;
  }
  const now = await sceneNow(conversation, ctx);
  const res = await conversation.external(() => (what === "comment" ? recordComment(meetingId, user.id, text) : recordReflection(meetingId, user.id, text, now)));
  await ctx.reply(t(res.ok ? "survey-thanks" : res.reason === "already" ? "survey-already" : "not-allowed"));
}
