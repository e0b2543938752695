import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { FakeTelegram } from "./helpers/fake-telegram.ts";
import { callback, command, makeUser } from "./helpers/updates.ts";
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
});
