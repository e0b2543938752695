import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, makeUser } from "./helpers/updates.ts";
import { clock, inviteFor, mentor, org, press, register, say } from "./helpers/scenario.ts";
import { MentorProfile } from "../models/index.ts";
import { buildSheets } from "../src/domain/export.ts";
import { topicLabel } from "../src/domain/deficits.ts";
import { loadDigestData } from "../src/domain/digest.ts";
import { parsePositionYears } from "../src/domain/mentor-registry.ts";
import { createI18n } from "../src/bot/i18n.ts";

useTestDatabase({ resetBetweenTests: true });

describe("mentor registry details in chat (seed 003)", () => {
  it("parses years in the position politely strict", () => {
    expect(parsePositionYears("12")).toBe(12);
    expect(parsePositionYears(" 7 лет ")).toBe(7);
    expect(parsePositionYears("3,5")).toBe(3);
    expect(parsePositionYears("71")).toBeUndefined();
    expect(parsePositionYears("много")).toBeUndefined();
    expect(parsePositionYears("-2")).toBeUndefined();
  });

  it("the mentor fills years, achievements and training after saving the profile; skip keeps the stored value; the export shows them; others cannot", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const kg = await org("МДОУ «Детский сад № 44»");
    const m = makeUser(914001, "Лидия", "ru");
    await mentor(t, m, kg.id, { topics: ["F1"], name: "Зорина Лидия Павловна" });
    await press(t, m, "mp:reg");
    expect(t.fake.textsTo(m.chatId).join("\n")).toContain("Стаж в должности: не указано");
    await say(t, m, "много");
    expect(t.fake.textsTo(m.chatId).slice(-2)).toEqual(["Напишите число лет от 0 до 70, например 12.", "Сколько лет вы работаете в нынешней должности? Напишите число, например 12."]);
    await say(t, m, "12 лет");
    await say(t, m, "Победитель муниципального конкурса «Воспитатель года — 2024»");
    await say(t, m, "Курсы ПК «Реализация ФГОС ДО и ФОП ДО», 72 ч, 2025");
    expect(t.fake.lastTextTo(m.chatId)).toContain("✅ Данные для реестра сохранены.");
    let p = await MentorProfile.findOne({}).lean();
    expect(p).toMatchObject({ positionYears: 12, achievements: "Победитель муниципального конкурса «Воспитатель года — 2024»", training: "Курсы ПК «Реализация ФГОС ДО и ФОП ДО», 72 ч, 2025" });

    // Again, skipping two steps: those stay as they were.
    await t.send(callback(m, "mp:reg"));
    await press(t, m, "mreg:skip");
    await say(t, m, "Публикация в сборнике «Дошкольное образование Ярославии»");
    await press(t, m, "mreg:skip");
    p = await MentorProfile.findOne({}).lean();
    expect(p).toMatchObject({ positionYears: 12, achievements: "Публикация в сборнике «Дошкольное образование Ярославии»", training: "Курсы ПК «Реализация ФГОС ДО и ФОП ДО», 72 ч, 2025" });

    // The export's mentor registry carries them.
    const i18n = createI18n("ru", async () => "ru");
    const data = await loadDigestData(null, c.now());
    const sheet = buildSheets(data, { scope: null, t: (k, a) => i18n.t("ru", k, a), now: c.now(), topic: (code) => topicLabel(code, "ru") }).find((x) => x.id === "mentors");
    const header = sheet?.columns.map((col) => col.header) ?? [];
    const row = sheet?.rows.find((r) => r.includes("Зорина Лидия Павловна")) ?? [];
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell("Стаж в должности, лет")).toBe(12);
    expect(cell("Достижения")).toBe("Публикация в сборнике «Дошкольное образование Ярославии»");
    expect(cell("Повышение квалификации")).toBe("Курсы ПК «Реализация ФГОС ДО и ФОП ДО», 72 ч, 2025");

    // A mentee (no mentor role) pressing the same button is refused and nothing changes.
    const mentee = makeUser(914002, "Ия", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Кравец Ия Олеговна" } });
    await t.send(callback(mentee, "mp:reg"));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload).toMatchObject({ show_alert: true });
  });
});
