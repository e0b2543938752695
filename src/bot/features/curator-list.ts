import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { LIST_BUTTON_PREFIX } from "../../messaging/curator-list.ts";

/**
 * Buttons of a curator's daily list (issue 15) carry the callback data of each entry's own
 * message behind `L:`: the prefix is taken off here and the entry's own handler runs and
 * re-authorizes the action (role, organization, state). Those handlers edit the message they were
 * pressed under; under a list that would replace the whole list, so their edits become a new
 * message and the list stays (a decided entry's buttons then answer "already decided").
 */
export function curatorListFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("callback_query:data", async (ctx, next) => {
    const data = ctx.callbackQuery.data;
    if (!data.startsWith(LIST_BUTTON_PREFIX)) return next();
    ctx.update.callback_query!.data = data.slice(LIST_BUTTON_PREFIX.length);
    ctx.editMessageText = ((text: string, other?: Parameters<BotContext["reply"]>[1]) => ctx.reply(text, other)) as BotContext["editMessageText"];
    ctx.editMessageReplyMarkup = (async () => true) as BotContext["editMessageReplyMarkup"];
    return next();
  });
  return composer;
}
