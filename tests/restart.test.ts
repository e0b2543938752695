import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { FakeTelegram } from "./helpers/fake-telegram.ts";
import { callback, command, makeUser } from "./helpers/updates.ts";
import { inviteFor, org, press, say } from "./helpers/scenario.ts";
import { ConversationState, User } from "../models/index.ts";

useTestDatabase();

describe("restart in the middle of a dialog", () => {
  it("a second bot on the same database resumes the dialog the first one started", async () => {
    const u = makeUser(301, "Перезапуск", "ru");
    const first = buildTestBot();
    await first.send(command(u, "/language"));
    expect(first.fake.lastMessageTo(u.chatId)?.buttons).toHaveLength(2);
    expect(await ConversationState.countDocuments({ key: String(u.chatId) })).toBe(1);

    // The process "dies": a new bot instance with a new API client and no memory of the first.
    const second = buildTestBot({ fake: new FakeTelegram() });
    await second.send(callback(u, "lang:en"));
    expect(second.fake.lastTextTo(u.chatId)).toBe("Done: I now speak English.");
    expect((await User.findOne({ telegramId: u.id }).lean())?.locale).toBe("en");
    expect(await ConversationState.countDocuments({ key: String(u.chatId) })).toBe(0);
  });

  it("a state written by older scene code is discarded, not replayed", async () => {
    const u = makeUser(302, "Версия", "ru");
    const first = buildTestBot();
    await first.send(command(u, "/language"));
    const doc = await ConversationState.findOne({ key: String(u.chatId) }).lean();
    const state = JSON.parse(doc?.state ?? "{}") as { version: [number, number] };
    state.version = [state.version[0], -1];
    await ConversationState.updateOne({ key: String(u.chatId) }, { $set: { state: JSON.stringify(state) } });
    const second = buildTestBot({ fake: new FakeTelegram() });
    await second.send(callback(u, "lang:en"));
    expect(second.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Эта кнопка больше не действует.");
    expect((await User.findOne({ telegramId: u.id }).lean())?.locale).toBeUndefined();
  });

  it("a stored dialog keeps of the bot's own messages only their ids: after a restart a picker edits the question it answers", async () => {
    const kg = await org("Детский сад № 41");
    const u = makeUser(303, "Журнал", "ru");
    const first = buildTestBot();
    // The first process's Bot API numbers its messages from 500 and tells what it sent.
    const sent: Array<{ text: string; id: number }> = [];
    first.fake.on("sendMessage", (payload) => {
      const id = 500 + sent.length;
      sent.push({ text: String(payload.text), id });
      const chat = { id: Number(payload.chat_id), type: "private" };
      return { message_id: id, date: 1_790_000_000, chat, from: first.fake.botInfo, text: payload.text, ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}) };
    });
    await say(first, u, `/start ${await inviteFor(kg.id, "mentee")}`);
    await press(first, u, "ob:lang:ru");
    await press(first, u, "ob:consent:yes");
    await say(first, u, "Журавлёва Анна Сергеевна");
    // The log keeps what the person sent, not the texts of the bot's own messages (the consent's is long).
    expect(sent.some((m) => m.text.includes("Цель обработки"))).toBe(true);
    const state = (await ConversationState.findOne({ key: String(u.chatId) }).lean())?.state ?? "";
    expect(state).toContain("Журавлёва Анна Сергеевна");
    expect(state).not.toContain("Цель обработки");
    await say(first, u, "1999");
    await press(first, u, "pf:pos:educator");
    await say(first, u, "2");
    await press(first, u, "pf:cat:none");
    await press(first, u, "pf:edu:pedagogical");
    await press(first, u, "ob:confirm");
    expect((await User.findOne({ telegramId: u.id }).lean())?.registeredAt).toBeDefined();

    // A request's topics are picked on one message the picker keeps editing.
    await say(first, u, "/request");
    await press(first, u, "rq:g:F");
    const question = sent.at(-1);
    expect(first.fake.lastMessageTo(u.chatId)?.buttons.some((b) => b.data === "rq:i:t:F1")).toBe(true);
    expect((await ConversationState.findOne({ key: String(u.chatId) }).lean())?.state).toContain(`"message_id":${question?.id}`);

    // Another process (its Bot API numbers messages from 1000) takes the next presses: the
    // question is edited by the id the first process got.
    const second = buildTestBot({ fake: new FakeTelegram() });
    await second.send(callback(u, "rq:i:t:F1"));
    expect(second.fake.sent("editMessageReplyMarkup").at(-1)?.payload).toMatchObject({ chat_id: u.chatId, message_id: question?.id });
    await second.send(callback(u, "rq:i:done"));
    const edit = second.fake.sent("editMessageText").at(-1);
    expect(edit?.payload).toMatchObject({ chat_id: u.chatId, message_id: question?.id });
    expect(String(edit?.payload.text)).toMatch(/\n<b>.+<\/b>$/);
    await press(second, u, "rq:g:done");
    expect(second.fake.lastMessageTo(u.chatId)?.buttons.some((b) => b.data?.startsWith("rq:c:F1:"))).toBe(true);
  });
});
