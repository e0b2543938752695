import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { escapeHtml } from "../html.ts";

/** /help, and /start outside private chats (registration happens in a private chat). */
export function basicsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("start", async (ctx) => {
    const name = escapeHtml(ctx.from?.first_name ?? "");
    await ctx.reply(`${ctx.t("start-welcome", { name })}\n\n${ctx.t("start-menu-hint")}`);
  });
  composer.command("help", (ctx) => ctx.reply(ctx.t("help")));
  return composer;
}

/** Runs last: unknown commands and stray callbacks get a polite answer. */
export function fallbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("callback-expired") }));
  composer.on("message", (ctx) => ctx.reply(ctx.t("unknown-command")));
  return composer;
}
