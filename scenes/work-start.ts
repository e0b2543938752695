import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { User } from "../models/index.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { setWorkStart } from "../src/domain/adaptation.ts";
import type { T } from "./profile-steps.ts";

export const WORK_START_SCENE = "work-start";

/** The start of work in the organization (issue 16): typed as a date; adaptation surveys follow at 1, 3 and 12 months. */
export async function workStartScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const telegramId = ctx.from?.id;
  const me = await conversation.external(async () => {
    const u = await User.findOne({ telegramId, registeredAt: { $exists: true }, erasedAt: { $exists: false } }).lean();
    return u ? { id: u._id.toString(), locale: u.locale ?? "ru" } : null;
  });
  if (!me) return;
  const locale = isLocale(me.locale) ? me.locale : ctx.services.config.defaultLocale;
  const t: T = (key, a) => ctx.services.t(locale, key, a);
  await ctx.reply(t("ws-ask"));
  for (;;) {
    const answer = await conversation.wait();
    const text = answer.message?.text?.trim();
    if (!text) {
      if (answer.callbackQuery) await answer.answerCallbackQuery();
      await answer.reply(t("dialog-text-expected"));
      continue;
    }
    const now = await sceneNow(conversation, ctx);
    const res = await conversation.external(() => setWorkStart(me.id, text, now, ctx.services.scheduler));
    if (!res.ok) {
      await answer.reply(t(`ws-error-${res.reason}`));
      if (res.reason === "not_allowed") return;
      continue;
    }
    await answer.reply(t("ws-saved", { n: res.scheduled }));
    return;
  }
}
