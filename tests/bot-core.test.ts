import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, command, makeUser, myChatMember, sticker, textMessage } from "./helpers/updates.ts";
import mongoose from "mongoose";
import { User, ProcessedUpdate, ConversationState } from "../models/index.ts";
import { findUserByTelegramId, userCache } from "../src/db/user-cache.ts";

useTestDatabase();

describe("bot core", () => {
  it("/start for a newcomer opens onboarding in Russian by default, with HTML parse mode", async () => {
    const t = buildTestBot();
    const anna = makeUser(101, "Анна", "ru");
    await t.send(command(anna, "/start"));
    const msg = t.fake.lastMessageTo(anna.chatId);
    expect(msg?.text).toContain("Здравствуйте! Я «Наставник»");
    expect(msg?.buttons.map((b) => b.data)).toEqual(["ob:lang:ru", "ob:lang:en"]);
    expect(t.fake.sent("sendMessage").at(-1)?.payload.parse_mode).toBe("HTML");
  });

  it("answers in English to an English Telegram client", async () => {
    const t = buildTestBot();
    const john = makeUser(102, "John", "en");
    await t.send(command(john, "/help"));
    expect(t.fake.lastTextTo(john.chatId)).toContain("What Nastavnik can do");
  });

  it("/language switches the language, persists it and answers in it from then on", async () => {
    const t = buildTestBot();
    const olga = makeUser(103, "Ольга", "ru");
    await t.send(command(olga, "/language"));
    const prompt = t.fake.lastMessageTo(olga.chatId);
    expect(prompt?.text).toBe("Выберите язык общения:");
    expect(prompt?.buttons.map((b) => b.data)).toEqual(["lang:ru", "lang:en"]);

    await t.send(textMessage(olga, "английский"));
    expect(t.fake.lastTextTo(olga.chatId)).toContain("выберите язык кнопкой");

    await t.send(callback(olga, "lang:en"));
    expect(t.fake.lastTextTo(olga.chatId)).toBe("Done: I now speak English.");
    expect((await User.findOne({ telegramId: olga.id }).lean())?.locale).toBe("en");
    const chatMenu = t.fake.sent("setMyCommands").at(-1)?.payload as { scope: unknown; commands: Array<{ description: string }> };
    expect(chatMenu.scope).toEqual({ type: "chat", chat_id: olga.chatId });
    expect(chatMenu.commands[0]?.description).toBe("Main menu");

    await t.send(command(olga, "/help"));
    expect(t.fake.lastTextTo(olga.chatId)).toContain("What Nastavnik can do");
    expect(await ConversationState.countDocuments({ key: String(olga.chatId) })).toBe(0);
  });

  it("a known person's language is written by `_id` on FerretDB (the one filter its SQLite backend pushes down), and read back fresh", async () => {
    const t = buildTestBot();
    const u = makeUser(106, "Ольга", "ru");
    await t.send(command(u, "/language"), callback(u, "lang:en"));
    const writes: Array<Record<string, unknown>> = [];
    const reads: Array<Record<string, unknown>> = [];
    mongoose.set("debug", (collection: string, method: string, filter: Record<string, unknown>) => {
      if (collection === "users" && method === "findOneAndUpdate") writes.push(filter);
      if (collection === "users" && method === "findOne") reads.push(filter);
    });
    try {
      await t.send(command(u, "/language"), callback(u, "lang:ru"));
      // The write handed the recent-users copy the document as written: /help reads no user.
      reads.length = 0;
      await t.send(command(u, "/help"));
    } finally {
      mongoose.set("debug", false);
    }
    expect(t.fake.lastTextTo(u.chatId)).toContain("Что умеет «Наставник»");
    const stored = await User.findOne({ telegramId: u.id }).lean();
    // (The whole-collection copy re-reads the written user by `_id`; without a copy, the query.)
    expect(reads).toEqual(!userCache.enabled ? [{ telegramId: u.id }] : userCache.mode === "recent" ? [] : [{ _id: stored?._id }]);
    expect(stored?.locale).toBe("ru");
    expect(writes).toEqual([userCache.enabled ? { _id: stored?._id } : { telegramId: u.id }]);
    expect((await findUserByTelegramId(u.id))?.locale).toBe("ru");
  });

  it("a forged language callback changes nothing", async () => {
    const t = buildTestBot();
    const u = makeUser(104, "Ирина", "ru");
    await t.send(command(u, "/language"), callback(u, "lang:de"));
    expect(t.fake.lastTextTo(u.chatId)).toContain("выберите язык кнопкой");
    expect((await User.findOne({ telegramId: u.id }).lean())?.locale).toBeUndefined();
    // A stray callback outside any dialog is answered, not ignored.
    await t.send(command(u, "/cancel"), callback(u, "lang:en"));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Эта кнопка больше не действует.");
    expect((await User.findOne({ telegramId: u.id }).lean())?.locale).toBeUndefined();
  });

  it("/cancel leaves a dialog; another command also leaves it and runs", async () => {
    const t = buildTestBot();
    const u = makeUser(105, "Мария", "ru");
    await t.send(command(u, "/cancel"));
    expect(t.fake.lastTextTo(u.chatId)).toBe("Сейчас нечего отменять.");
    await t.send(command(u, "/language"), command(u, "/cancel"));
    expect(t.fake.lastTextTo(u.chatId)).toBe("Хорошо, действие отменено.");
    await t.send(command(u, "/language"), command(u, "/help"));
    expect(t.fake.lastTextTo(u.chatId)).toContain("Что умеет «Наставник»");
    await t.send(sticker(u));
    expect(t.fake.lastTextTo(u.chatId)).toContain("Я не знаю такой команды");
  });

  it("the error boundary apologises in the user's language and logs the update id", async () => {
    const t = buildTestBot();
    const ru = makeUser(106, "Светлана", "ru");
    const en = makeUser(107, "Kate", "en");
    t.fake.failNext("sendMessage", { kind: "400", description: "Bad Request: can't parse entities" }, 1, ru.chatId);
    const start = command(ru, "/help");
    await t.send(start);
    expect(t.fake.lastTextTo(ru.chatId)).toMatch(/^Извините, что-то пошло не так/);
    const logged = t.logs.errors().find((l) => l.msg === "update failed");
    expect(logged?.update_id).toBe(start.update_id);

    t.fake.failNext("sendMessage", { kind: "400" }, 1, en.chatId);
    await t.send(command(en, "/help"));
    expect(t.fake.lastTextTo(en.chatId)).toMatch(/^Sorry, something went wrong/);
  });

  it("never writes the token to the log", async () => {
    const t = buildTestBot();
    const u = makeUser(108, "Token", "ru");
    t.fake.failNext("sendMessage", { kind: "400" }, 1, u.chatId);
    await t.send(command(u, "/start"));
    t.logger.info({ token: t.bot.token, url: `https://api.telegram.org/bot${t.bot.token}/getMe` }, `token is ${t.bot.token}`);
    const all = t.logs.raw.join("\n");
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(t.bot.token);
    expect(all).not.toContain(t.bot.token.split(":")[1]);
    expect(all).toContain("[REDACTED]");
  });

  it("handles a redelivered update once", async () => {
    const t = buildTestBot();
    const u = makeUser(109, "Дубль", "ru");
    const update = command(u, "/help");
    await t.send(update, update);
    expect(t.fake.textsTo(u.chatId)).toHaveLength(1);
    expect(await ProcessedUpdate.countDocuments({ updateId: update.update_id })).toBe(1);
  });

  it("tracks blocking and unblocking of the bot", async () => {
    const t = buildTestBot();
    const u = makeUser(110, "Блок", "ru");
    await t.send(command(u, "/language"), callback(u, "lang:ru"));
    await t.send(myChatMember(u, "kicked"));
    expect((await User.findOne({ telegramId: u.id }).lean())?.unreachable).toBe(true);
    await t.send(myChatMember(u, "member"));
    expect((await User.findOne({ telegramId: u.id }).lean())?.unreachable).toBe(false);
  });
});
