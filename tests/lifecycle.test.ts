import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { makeUser } from "./helpers/updates.ts";
import { org, register, say } from "./helpers/scenario.ts";
import { User } from "../models/index.ts";
import { repairUserDefaults } from "../src/domain/registration.ts";

useTestDatabase();

describe("mentoring lifecycle", () => {
  it("a teacher waiting for the curator's approval gets a pending menu, not an error", async () => {
    const t = buildTestBot();
    await org("МАДОУ «Детский сад № 7»");
    const teacher = makeUser(910001, "Вера", "ru");
    await register(t, teacher, { orgQuery: "сад № 7", answers: { fullName: "Соколова Вера Андреевна" } });
    for (const cmd of ["/start", "/help", "/privacy"]) {
      await say(t, teacher, cmd);
      const text = t.fake.lastTextTo(teacher.chatId) ?? "";
      expect(text, cmd).not.toContain("пошло не так");
    }
    await say(t, teacher, "/start");
    const menu = t.fake.lastMessageTo(teacher.chatId);
    expect(menu?.text).toContain("Заявка в МАДОУ «Детский сад № 7» ждёт подтверждения куратора");
    expect(menu?.buttons.map((b) => b.data)).toEqual(["m:profile", "m:privacy", "m:lang"]);
    // A user document written without the roles field (an older upsert) is repaired at start and never crashes a handler.
    await User.collection.updateOne({ telegramId: teacher.id }, { $unset: { roles: "" } });
    await say(t, teacher, "/help");
    expect(t.fake.lastTextTo(teacher.chatId)).not.toContain("пошло не так");
    expect(await repairUserDefaults()).toBe(1);
    expect((await User.findOne({ telegramId: teacher.id }).lean())?.roles).toEqual([]);
  });
});
