import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { userWriteFilter } from "../src/db/user-cache.ts";
import { upsertUser } from "../src/db/user-writes.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { USER_INSERT_DEFAULTS } from "../src/domain/registration.ts";
import { registerChatCommands } from "../src/bot/commands.ts";

export const LANGUAGE_SCENE = "language";

export function languageKeyboard(ctx: SceneContext): InlineKeyboard {
  return new InlineKeyboard().text(ctx.t("language-ru"), "lang:ru").text(ctx.t("language-en"), "lang:en");
}

/** /language: pick ru or en; the choice is saved on the user document and the chat's command menu follows it. */
export async function languageScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  await ctx.reply(ctx.t("language-choose"), { reply_markup: languageKeyboard(ctx) });
  const choice = await conversation.waitForCallbackQuery(/^lang:(ru|en)$/, {
    otherwise: (c) => c.reply(c.t("language-otherwise")),
  });
  const locale = choice.match[1];
  const telegramId = choice.from.id;
  if (!isLocale(locale)) return;
  await conversation.external(async () => {
    // With the choices of others made at the same moment, by one command; the users copy keeps
    // the document as written, so the next update reads nothing.
    await upsertUser({ filter: await userWriteFilter(telegramId), telegramId, $set: { locale }, $setOnInsert: { ...USER_INSERT_DEFAULTS } });
  });
  choice.i18n.useLocale(locale);
  await choice.answerCallbackQuery();
  await choice.editMessageText(choice.t("language-set"));
  await registerChatCommands(choice.api, choice.chat?.id ?? telegramId, (key) => choice.t(key), choice.log);
}
