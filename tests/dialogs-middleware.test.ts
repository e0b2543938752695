import { describe, expect, it } from "vitest";
import { Bot, type Context, type MiddlewareFn } from "grammy";
import { conversations, createConversation, type Conversation, type ConversationBuilder, type ConversationFlavor } from "@grammyjs/conversations";
import { dialogsMiddleware, enterScene } from "../src/bot/scenes.ts";
import { FakeTelegram } from "./helpers/fake-telegram.ts";
import { command, makeUser, textMessage } from "./helpers/updates.ts";

type Ctx = ConversationFlavor<Context>;
type Builder = ConversationBuilder<Ctx, Context>;

const fake = new FakeTelegram();

/** A dialog that asks for a text and answers with it, prefixed by its name. */
function echo(name: string): Builder {
  return async (conversation: Conversation<Ctx, Context>, ctx: Context) => {
    await ctx.reply(`${name}: ask`);
    const answer = await conversation.waitFor("message:text");
    await answer.reply(`${name}: ${answer.message.text}`);
  };
}

/**
 * A bot with the dialogs as one middleware (conversations on memory storage; a command leaves a
 * dialog), `/a` and `/b`
 * entering them, `/twice` entering `a` twice in one update, and `/help`. Counts the runs of each
 * dialog's own middleware (the plugin's `createConversation`).
 */
function newBot() {
  const runs: Record<string, number> = {};
  const create = (builder: Builder, id: string): MiddlewareFn<Ctx> => {
    const inner = createConversation<Ctx, Context>(builder, id);
    return (ctx, next) => {
      runs[id] = (runs[id] ?? 0) + 1;
      return inner(ctx, next);
    };
  };
  const bot = new Bot<Ctx>("123:TEST", { botInfo: fake.botInfo, client: { fetch: fake.fetch as never } });
  bot.use(conversations());
  // As in the bot: a command leaves the active dialog before it could take the command as its answer.
  bot.on("message:entities:bot_command", async (ctx, next) => {
    await ctx.conversation.exitAll();
    await next();
  });
  bot.use(dialogsMiddleware<Ctx, Context>([["a", echo("a")], ["b", echo("b")], ["c", echo("c")]], create));
  bot.command("a", (ctx) => enterScene(ctx, "a"));
  bot.command("b", (ctx) => enterScene(ctx, "b"));
  bot.command("twice", async (ctx) => {
    await enterScene(ctx, "a");
    await enterScene(ctx, "a");
  });
  bot.command("help", (ctx) => ctx.reply("help"));
  bot.on("message:text", (ctx) => ctx.reply(`outside: ${ctx.message.text}`));
  return { bot, runs };
}

describe("the dialogs as one middleware (dialogsMiddleware)", () => {
  it("runs no dialog's middleware for an update from someone in no dialog", async () => {
    const { bot, runs } = newBot();
    const user = makeUser(779_100_001, "Dialogs");
    await bot.handleUpdate(command(user, "/help"));
    await bot.handleUpdate(textMessage(user, "hello"));
    expect(runs).toEqual({});
    expect(fake.sent("sendMessage").filter((c) => c.payload.chat_id === user.chatId).map((c) => c.payload.text)).toEqual(["help", "outside: hello"]);
  });

  it("registers a dialog when it is entered, resumes only the active one, and passes updates on once it ended", async () => {
    const { bot, runs } = newBot();
    const user = makeUser(779_100_002, "Dialogs");
    await bot.handleUpdate(command(user, "/b"));
    expect(runs).toEqual({ b: 1 }); // registered by enterScene, nothing else ran
    expect(fake.lastTextTo(user.chatId)).toBe("b: ask");
    await bot.handleUpdate(textMessage(user, "first"));
    expect(runs).toEqual({ b: 2 });
    expect(fake.lastTextTo(user.chatId)).toBe("b: first");
    await bot.handleUpdate(textMessage(user, "second"));
    expect(runs).toEqual({ b: 2 });
    expect(fake.lastTextTo(user.chatId)).toBe("outside: second");
  });

  it("leaves one dialog for another, and enters the same dialog twice in one update without a duplicate registration", async () => {
    const { bot } = newBot();
    const user = makeUser(779_100_003, "Dialogs");
    await bot.handleUpdate(command(user, "/a"));
    await bot.handleUpdate(command(user, "/b"));
    expect(fake.lastTextTo(user.chatId)).toBe("b: ask");
    await bot.handleUpdate(textMessage(user, "x"));
    expect(fake.lastTextTo(user.chatId)).toBe("b: x");
    await bot.handleUpdate(command(user, "/twice"));
    expect(fake.sent("sendMessage").filter((c) => c.payload.chat_id === user.chatId).slice(-2).map((c) => c.payload.text)).toEqual(["a: ask", "a: ask"]);
    await bot.handleUpdate(textMessage(user, "y"));
    expect(fake.lastTextTo(user.chatId)).toBe("a: y");
    await bot.handleUpdate(textMessage(user, "z"));
    expect(fake.lastTextTo(user.chatId)).toBe("outside: z");
  });
});
