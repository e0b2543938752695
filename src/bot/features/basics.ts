import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { escapeHtml } from "../../core/html.ts";
import { commandsFor, loadMenu } from "../menu.ts";

/** /help, and /start outside private chats (registration happens in a private chat). */
export function basicsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("start", async (ctx) => {
    const name = escapeHtml(ctx.from?.first_name ?? "");
    await ctx.reply(`${ctx.t("start-welcome", { name })}\n\n${ctx.t("start-menu-hint")}`);
  });
  composer.command("help", async (ctx) => {
    // A registered user sees the commands of their roles; a newcomer the basic ones.
    const menu = ctx.from ? await loadMenu(ctx.from.id, ctx.services.config.adminIds) : null;
    if (!menu) return void (await ctx.reply(ctx.t("help")));
    const lines = commandsFor(menu).map((c) => `/${c} — ${ctx.t(`cmd-${c}`)}`);
    await ctx.reply([`<b>${ctx.t("help-title")}</b>`, ...lines, "", ctx.t("help-footer")].join("\n"));
  });
  return composer;
}

/** Runs last: unknown commands and stray callbacks get a polite answer. */
export function fallbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("callback-expired") }));
  composer.on("message", (ctx) => ctx.reply(ctx.t("unknown-command")));
  return composer;
}
