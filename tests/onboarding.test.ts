import { describe, expect, it } from "vitest";
import mongoose from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { makeUser, command, callback, sticker } from "./helpers/updates.ts";
import { inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { Consent, Invite, JoinRequest, User } from "../models/index.ts";
import { isYoungSpecialist } from "../src/domain/registration.ts";
import { FakeTelegram } from "./helpers/fake-telegram.ts";

useTestDatabase();

describe("onboarding", () => {
  it("a mentee registers through an invite in Russian, with validation and an edit", async () => {
    const t = buildTestBot();
    const kg = await org("МДОУ «Детский сад № 27»");
    const payload = await inviteFor(kg.id, "mentee");
    const anna = makeUser(900101, "Анна", "ru", { username: "anna_teacher" });

    await say(t, anna, `/start ${payload}`);
    expect(t.fake.lastMessageTo(anna.chatId)?.buttons.map((b) => b.data)).toEqual(["ob:lang:ru", "ob:lang:en"]);
    await say(t, anna, "русский");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("выберите вариант кнопкой");
    await press(t, anna, "ob:lang:ru");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Согласие на обработку персональных данных");
    expect(await User.countDocuments({ telegramId: anna.id }), "nothing stored before consent").toBe(0);
    await press(t, anna, "ob:consent:yes");

    await say(t, anna, "x".repeat(5000));
    expect(t.fake.lastTextTo(anna.chatId)).toContain("от 5 до 100 символов");
    await t.send(sticker(anna));
    expect(t.fake.lastTextTo(anna.chatId)).toContain("ответьте текстом");
    await say(t, anna, "Петрова Анна Сергеевна");
    await say(t, anna, "99");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("четырьмя цифрами");
    await say(t, anna, "2001");
    await press(t, anna, "pf:pos:other");
    await say(t, anna, "Тьютор <группы> & друзья");
    await say(t, anna, "два");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("числом лет");
    await say(t, anna, "2");
    await press(t, anna, "pf:cat:none");
    await press(t, anna, "pf:edu:non_core");
    const summary = t.fake.lastTextTo(anna.chatId) ?? "";
    expect(summary).toContain("Проверьте данные");
    expect(summary).toContain("Тьютор &lt;группы&gt; &amp; друзья");
    expect(summary).toContain("МДОУ «Детский сад № 27»");

    await press(t, anna, "ob:edit:experienceYears");
    await say(t, anna, "1");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Стаж: 1 год");
    await press(t, anna, "ob:confirm");
    const texts = t.fake.textsTo(anna.chatId);
    expect(texts.some((x) => x.includes("Вы зарегистрированы: наставляемый, МДОУ «Детский сад № 27»"))).toBe(true);
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Главное меню");

    const user = await User.findOne({ telegramId: anna.id }).lean();
    expect(user?.profile).toMatchObject({ fullName: "Петрова Анна Сергеевна", birthYear: 2001, experienceYears: 1, position: "other" });
    expect(user?.username).toBe("anna_teacher");
    expect(user?.roles.map((r) => [r.role, r.organizationId?.toString()])).toEqual([["mentee", kg.id]]);
    expect(isYoungSpecialist(user?.profile, new Date("2026-11-23"))).toBe(true);
    const consent = await Consent.findOne({ telegramId: anna.id }).lean();
    expect(consent).toMatchObject({ type: "pd_processing", decision: "given", version: "2026-11-01" });
    expect(consent?.textHash).toMatch(/^[0-9a-f]{64}$/);
    const menuCommands = t.fake.sent("setMyCommands").at(-1)?.payload as { commands: Array<{ command: string }> };
    expect(menuCommands.commands.map((c) => c.command)).toContain("deleteme");
    expect(menuCommands.commands.map((c) => c.command)).not.toContain("invite");

    // Re-running /start opens the menu.
    await say(t, anna, "/start");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Главное меню");
  });

  it("a mentor registers in English; a curator gets the curator menu", async () => {
    const t = buildTestBot();
    const kg = await org("МДОАУ № 56 г. Орска", "Asia/Yekaterinburg");
    const kate = makeUser(900102, "Kate", "en");
    await register(t, kate, { payload: await inviteFor(kg.id, "mentor"), locale: "en", role: "mentor", answers: { fullName: "Kate Ivanova", category: "highest", experience: "15" } });
    expect(t.fake.textsTo(kate.chatId).join("\n")).toContain("You are registered: mentor, МДОАУ № 56 г. Орска");
    expect((await User.findOne({ telegramId: kate.id }).lean())?.locale).toBe("en");

    const olga = makeUser(900103, "Ольга", "ru");
    await register(t, olga, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Смирнова Ольга Ивановна", position: "senior_educator" } });
    const menu = t.fake.lastMessageTo(olga.chatId);
    expect(menu?.text).toContain("куратор");
    expect(menu?.buttons.map((b) => b.data)).toContain("m:invite");
  });

  it("consent refusal stores only the refusal", async () => {
    const t = buildTestBot();
    const kg = await org("Детский сад № 12");
    const u = makeUser(900104, "Отказ", "ru");
    await say(t, u, `/start ${await inviteFor(kg.id, "mentee")}`);
    await press(t, u, "ob:lang:ru");
    await press(t, u, "ob:consent:no");
    expect(t.fake.lastTextTo(u.chatId)).toContain("регистрация не продолжится");
    expect(await User.countDocuments({ telegramId: u.id })).toBe(0);
    const consents = await Consent.find({ telegramId: u.id }).lean();
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({ decision: "refused", type: "pd_processing" });
    expect(consents[0]?.userId).toBeUndefined();
  });

  it("invites: single use, reuse by a second account, expiry, revocation, forged tokens — one generic message", async () => {
    const t = buildTestBot();
    const kg = await org("Детский сад № 117");
    const payload = await inviteFor(kg.id, "mentee", 1);
    await register(t, makeUser(900105, "Первая", "ru"), { payload, answers: { fullName: "Первая Мария Ивановна" } });
    expect((await Invite.findOne({}).sort({ createdAt: -1 }).lean())?.remainingUses).toBe(0);

    const generic = "Ссылка-приглашение недействительна";
    const second = makeUser(900106, "Вторая", "ru");
    await say(t, second, `/start ${payload}`);
    expect(t.fake.textsTo(second.chatId)[0]).toContain(generic);

    const expired = await inviteFor(kg.id, "mentee", 5, 1000, new Date(Date.now() - 10_000));
    const third = makeUser(900107, "Третья", "ru");
    await say(t, third, `/start ${expired}`);
    expect(t.fake.textsTo(third.chatId)[0]).toContain(generic);

    const revoked = await inviteFor(kg.id, "mentee", 5);
    await Invite.updateMany({ remainingUses: 5 }, { $set: { revokedAt: new Date() } });
    const fourth = makeUser(900108, "Четвёртая", "ru");
    await say(t, fourth, `/start ${revoked}`);
    expect(t.fake.textsTo(fourth.chatId)[0]).toContain(generic);

    const fifth = makeUser(900109, "Пятая", "ru");
    await say(t, fifth, "/start i_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    await say(t, fifth, "/start <script>");
    expect(t.fake.textsTo(fifth.chatId).filter((x) => x.includes(generic))).toHaveLength(2);
  });

  it("an invite used up between opening and confirming fails at confirmation", async () => {
    const t = buildTestBot();
    const kg = await org("Детский сад № 151");
    const payload = await inviteFor(kg.id, "mentee", 1);
    const a = makeUser(900110, "Раз", "ru");
    const b = makeUser(900111, "Два", "ru");
    await say(t, a, `/start ${payload}`);
    await register(t, b, { payload, answers: { fullName: "Вторая Дарья Олеговна" } });
    await press(t, a, "ob:lang:ru");
    await press(t, a, "ob:consent:yes");
    await say(t, a, "Первая Ирина Павловна");
    await say(t, a, "1998");
    await press(t, a, "pf:pos:educator");
    await say(t, a, "3");
    await press(t, a, "pf:cat:first");
    await press(t, a, "pf:edu:pedagogical");
    await press(t, a, "ob:confirm");
    expect(t.fake.lastTextTo(a.chatId)).toContain("Ссылка-приглашение недействительна");
    expect((await User.findOne({ telegramId: a.id }).lean())?.roles ?? []).toEqual([]);
  });

  it("self-registration: search, curator approval; forged and repeated decisions are refused", async () => {
    const t = buildTestBot();
    const kg = await org("МАДОУ «Белоевский детский сад»", "Asia/Yekaterinburg");
    await org("Детский сад № 155");
    const curator = makeUser(900112, "Куратор", "ru");
    await register(t, curator, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Кузнецова Елена Викторовна", position: "senior_educator" } });

    const teacher = makeUser(900113, "Вера", "ru");
    await register(t, teacher, { orgQuery: "Белосевский", answers: { fullName: "Соколова Вера Андреевна" } });
    expect(t.fake.textsTo(teacher.chatId).join("\n")).toContain("Заявка на вступление в МАДОУ «Белоевский детский сад» отправлена");
    const note = t.fake.lastMessageTo(curator.chatId);
    expect(note?.text).toContain("Соколова Вера Андреевна");
    const approve = note?.buttons.find((b) => b.data?.startsWith("jr:a:"))?.data as string;

    // A mentee presses the curator's button (forged callback taken from another chat): denied.
    await t.send(callback(teacher, approve));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");
    expect((await JoinRequest.findOne({}).lean())?.status).toBe("pending");
    // Forged id.
    await t.send(callback(curator, `jr:a:${new mongoose.Types.ObjectId().toString()}`));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");

    await t.send(callback(curator, approve));
    expect(t.fake.lastTextTo(teacher.chatId)).toContain("Ваша заявка подтверждена куратором");
    const user = await User.findOne({ telegramId: teacher.id }).lean();
    expect(user?.roles.map((r) => r.role)).toEqual(["mentee"]);
    await t.send(callback(curator, approve));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("По этой заявке уже принято решение.");
  });

  it("two /start updates racing for a new user create one user document", async () => {
    const kg = await org("Детский сад № 232");
    const t = buildTestBot();
    const u = makeUser(900114, "Гонка", "ru");
    await say(t, u, `/start ${await inviteFor(kg.id, "mentee", 3)}`);
    await press(t, u, "ob:lang:ru");
    const other = buildTestBot({ fake: new FakeTelegram() });
    const yes = callback(u, "ob:consent:yes");
    await Promise.all([t.bot.handleUpdate(yes), other.bot.handleUpdate({ ...yes, update_id: yes.update_id + 100000 })]);
    expect(await User.countDocuments({ telegramId: u.id })).toBe(1);
  });

  it("/start in the middle of onboarding restarts it; /cancel stops it", async () => {
    const t = buildTestBot();
    const kg = await org("Детский сад Радуга");
    const u = makeUser(900115, "Снова", "ru");
    await say(t, u, `/start ${await inviteFor(kg.id, "mentee", 2)}`);
    await press(t, u, "ob:lang:ru");
    await t.send(command(u, "/cancel"));
    expect(t.fake.lastTextTo(u.chatId)).toBe("Хорошо, действие отменено.");
    await t.send(callback(u, "ob:consent:yes"));
    expect(await User.countDocuments({ telegramId: u.id })).toBe(0);
  });
});
