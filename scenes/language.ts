import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { User } from "../models/index.ts";
import { userWriteFilter } from "../src/db/user-cache.ts";
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
    // `returnDocument: "after"`, lean: the users copy keeps what this returns, so the next update reads nothing.
    await User.findOneAndUpdate(await userWriteFilter(telegramId), { $set: { locale }, $setOnInsert: { telegramId, ...USER_INSERT_DEFAULTS } }, { upsert: true, returnDocument: "after" }).lean();
  });
  choice.i18n.useLocale(locale);
  await choice.answerCallbackQuery();
  await choice.editMessageText(choice.t("language-set"));
  await registerChatCommands(choice.api, choice.chat?.id ?? telegramId, (key) => choice.t(key), choice.log);
}
