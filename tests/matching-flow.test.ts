import { describe, expect, it } from "vitest";
import mongoose from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, makeUser } from "./helpers/updates.ts";
import { ask, clock, inviteFor, mentor, org, press, register, say } from "./helpers/scenario.ts";
import { Consent, MentorProfile, MentorshipRequest, Offer, Pair, User } from "../models/index.ts";
import { acceptOffer } from "../src/domain/requests.ts";
import { textHash } from "../src/domain/registration.ts";

useTestDatabase({ resetBetweenTests: true });

let orgCounter = 0;
async function setup() {
  const c = clock();
  const t = buildTestBot({ clock: c });
  const n = orgCounter++;
  const kg = await org(`МДОУ «Детский сад № ${27 + 100 * n}»`, "Europe/Moscow");
  const curator = makeUser(690001 + n, "Куратор", "ru");
  await register(t, curator, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Смирнова Ольга Ивановна", position: "senior_educator" } });
  return { c, t, kg, curator };
}

describe("requests, offers and pairs", () => {
  it("request dialog → cards → choose → accept → pair with contacts and consent", async () => {
    const { t, kg, curator } = await setup();
    const m1 = makeUser(600002, "Наталья", "ru", { username: "natalia_mentor" });
    await mentor(t, m1, kg.id, { topics: ["F1", "E1"], name: "Волкова Наталья Сергеевна", approve: curator });
    expect((await MentorProfile.findOne({}).lean())?.approved).toBe(true);
    const mentee = makeUser(600003, "Анна", "ru", { username: "anna_young" });
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Петрова Анна Сергеевна" } });

    // Wrong input at a step: a too short description.
    await say(t, mentee, "/request");
    await press(t, mentee, "rq:g:F");
    await press(t, mentee, "rq:i:t:F1");
    await press(t, mentee, "rq:i:done");
    await press(t, mentee, "rq:g:done");
    await press(t, mentee, "rq:c:F1:2");
    await say(t, mentee, "помогите");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("от 10 до 1000 символов");
    await say(t, mentee, "Не знаю, как заполнить портфолио к аттестации");
    await say(t, mentee, "текст вместо кнопки");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("выберите вариант кнопкой");
    await press(t, mentee, "rq:k:long_term");
    await press(t, mentee, "rq:m:online");
    await press(t, mentee, "rq:d:done");
    await press(t, mentee, "rq:ok");
    const cards = t.fake.lastMessageTo(mentee.chatId);
    expect(cards?.text).toContain("Подходящие наставники");
    expect(cards?.text).toContain("Воспитатель");
    expect(cards?.text).toContain("Портфолио педагога");
    expect(cards?.text).not.toContain("natalia_mentor");
    const request = await MentorshipRequest.findOne({}).lean();
    expect(request?.status).toBe("new");

    await press(t, mentee, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    expect((await MentorshipRequest.findById(request?._id).lean())?.status).toBe("offered");
    const offerMsg = t.fake.lastMessageTo(m1.chatId);
    expect(offerMsg?.text).toContain("Новый запрос на наставничество");
    expect(offerMsg?.text).toContain("Петрова Анна Сергеевна");
    // Kind, mode and the mentee's convenient times, in the mentor's language.
    expect(offerMsg?.text).toMatch(/Формат: (Разовая флеш-встреча|Долгосрочная пара с программой \(3–12 мес\.\)|Быстрый вопрос); (Очно|Онлайн|Любой)/);
    expect(offerMsg?.text).toContain("Удобное время наставляемой: любое");

    // A forged accept by the mentee is refused.
    const acceptData = offerMsg?.buttons.find((b) => b.data?.startsWith("of:a:"))?.data as string;
    await t.send(callback(mentee, acceptData));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");

    await t.send(callback(m1, acceptData));
    const pair = await Pair.findOne({}).lean();
    expect(pair?.status).toBe("active");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("@natalia_mentor");
    expect(t.fake.lastTextTo(m1.chatId)).toContain("@anna_young");
    // Double tap: still one pair, one slot.
    await t.send(callback(m1, acceptData));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("На это предложение уже ответили.");
    expect(await Pair.countDocuments({})).toBe(1);
    expect((await MentorProfile.findOne({}).lean())).toMatchObject({ activeMentees: 1, freeSlots: 1 });

    // The consent is shown in full before "Согласна / Согласен"; "questions to the curator" is the other choice.
    await press(t, mentee, /^pc:/);
    const shown = t.fake.lastTextTo(mentee.chatId);
    expect(shown).toContain("Согласие на закрепление наставнической пары");
    expect(shown).toContain("я — наставляемый, наставник — ");
    expect(shown).toContain("Срок: на срок персонализированной программы (3–12 мес.)");
    expect(shown).toContain("статья 351.8 Трудового кодекса РФ");
    expect(await Consent.countDocuments({ type: "pair_assignment" })).toBe(0);
    await press(t, mentee, /^pcq:/);
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("Ваш вопрос передан куратору");
    expect(t.fake.textsTo(curator.chatId).at(-1)).toContain("хочет задать вопрос о закреплении пары перед согласием");
    await press(t, mentee, /^pcy:/);
    await press(t, m1, /^pc:/);
    const mentorText = t.fake.lastTextTo(m1.chatId);
    expect(mentorText).toContain("Обязанности наставника");
    expect(mentorText).toContain("доплата или стимулирующие выплаты");
    await press(t, m1, /^pcy:/);
    // A forged consent for someone else's pair is refused.
    await t.send(callback(makeUser(600099, "Чужая", "ru"), `pcy:${pair?._id}`));
    expect(await Consent.countDocuments({ type: "pair_assignment", subjectId: pair?._id })).toBe(2);
    const record = await Consent.findOne({ type: "pair_assignment", userId: pair?.menteeId }).lean();
    expect(record).toMatchObject({ version: "2026-12-01", textHash: textHash(shown ?? "") });
    const p2 = await Pair.findById(pair?._id).lean();
    expect(p2?.menteeConsentAt).toBeInstanceOf(Date);
    expect(p2?.mentorConsentAt).toBeInstanceOf(Date);
    expect(await Consent.countDocuments({ type: "pair_assignment", subjectId: pair?._id })).toBe(2);
  });

  it("decline → next mentor; timeout → next; exhausted → curator escalation → manual assign", async () => {
    const { c, t, kg, curator } = await setup();
    const a = makeUser(600011, "Первая", "ru");
    const b = makeUser(600012, "Вторая", "ru");
    const pa = await mentor(t, a, kg.id, { topics: ["F1"], name: "Первая Наставница Ивановна", approve: curator });
    const pb = await mentor(t, b, kg.id, { topics: ["F1", "F2"], name: "Вторая Наставница Петровна", approve: curator });
    const mentee = makeUser(600013, "Мария", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Ковалёва Мария Игоревна" } });
    await ask(t, mentee, ["F1", "F2"]);
    await press(t, mentee, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/); // the first card: the best match (b)
    const first = (await Offer.findOne({}).lean())?.mentorProfileId.toString();
    expect(first).toBe(pb?._id.toString());

    // b declines with a reason → a gets the offer.
    await press(t, b, /^of:d:/);
    await say(t, b, "Сейчас в отпуске");
    expect(t.fake.lastTextTo(b.chatId)).toContain("запрос передан дальше");
    expect(t.fake.lastMessageTo(a.chatId)?.text).toContain("Новый запрос на наставничество");
    expect((await Offer.findOne({ mentorProfileId: pb?._id }).lean())?.declineReason).toBe("Сейчас в отпуске");
    // The mentee hears that the request moved on, without the name of who declined.
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("я предложил его следующему подходящему наставнику");
    // …and until when the next mentor has to answer (the actual moment, Moscow time).
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("(ответ ждём до среды, 25 ноября, 10:00)");
    expect(t.fake.lastTextTo(mentee.chatId)).not.toContain("Вторая");

    // a does not answer: reminder at half time, then timeout → nobody left → escalation to the curator.
    c.advance(24 * 3_600_000 + 1000);
    await t.queue.tick();
    expect(t.fake.lastTextTo(a.chatId)).toContain("Напоминание");
    c.advance(24 * 3_600_000);
    await t.queue.tick();
    expect(t.fake.textsTo(a.chatId).join("\n")).toContain("Время ответа на запрос истекло");
    const req = await MentorshipRequest.findOne({}).lean();
    expect(req?.status).toBe("escalated");
    expect(req?.excludedMentorIds.map(String).sort()).toEqual([pa?._id.toString(), pb?._id.toString()].sort());
    const alert = t.fake.lastMessageTo(curator.chatId);
    expect(alert?.text).toContain("Запрос без наставника");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("передан куратору");
    expect((await MentorProfile.findById(pa?._id).lean())?.offersTimedOut).toBe(1);

    // The curator opens it and assigns a, who declined nothing (timed out): allowed only with a reason.
    await press(t, curator, /^rq:o:/);
    await press(t, curator, /^rq:as:/);
    await press(t, curator, `rq:pk:${req?._id}:${pa?._id}`);
    expect(t.fake.textsTo(curator.chatId).join("\n")).toContain("не проходит условия подбора: уже отказался от этого запроса");
    await say(t, curator, "Договорились лично");
    expect(t.fake.lastTextTo(curator.chatId)).toBe("Наставник назначен, пара сформирована.");
    const pair = await Pair.findOne({}).lean();
    expect(pair).toMatchObject({ formedBy: "curator", overrideReason: "Договорились лично" });
    expect((await MentorshipRequest.findOne({}).lean())?.status).toBe("matched");
    // Both sides are told the truth: a curator assigned the pair, who and why (not "the mentor accepted").
    const toMentee = t.fake.textsTo(mentee.chatId).join("\n");
    expect(toMentee).not.toContain("Наставник принял ваш запрос");
    expect(toMentee).toContain("Куратор (Смирнова Ольга Ивановна) назначила вам наставника: Первая Наставница Ивановна. Почему: решение куратора: «Договорились лично».");
    expect(t.fake.textsTo(a.chatId).join("\n")).toContain("назначила вас наставником коллеги: Ковалёва Мария Игоревна");
    // "My requests" shows the status and its history.
    await say(t, mentee, "/myrequests");
    const mine = t.fake.lastTextTo(mentee.chatId) ?? "";
    expect(mine).toContain("Статус: пара сформирована, наставник: Первая Наставница Ивановна");
    expect(mine).toMatch(/— новый\n.*— предложен наставнику\n.*— ждёт куратора\n.*— пара сформирована/);
  });

  it("whoever is free first: offers go to all shown; the first accept wins, others are withdrawn", async () => {
    const { t, kg, curator } = await setup();
    const ms = [makeUser(600021, "А", "ru"), makeUser(600022, "Б", "ru"), makeUser(600023, "В", "ru")];
    let i = 0;
    for (const m of ms) await mentor(t, m, kg.id, { topics: ["E1"], name: `Наставник${["один", "два", "три"][i++]} Тест Тестович`, approve: curator });
    const mentee = makeUser(600024, "Ученица", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Иванова Ольга Петровна" } });
    await ask(t, mentee, ["E1"], "Нужна помощь с интерактивной доской на занятиях");
    await press(t, mentee, /^rc:[0-9a-f]{24}:any$/);
    expect(await Offer.countDocuments({ status: "pending" })).toBe(3);
    const offers = await Offer.find({}).lean();
    const users = await User.find({ _id: { $in: offers.map((o) => o.mentorUserId) } }).lean();
    // Two accept at the same moment: exactly one pair.
    const results = await Promise.all(
      offers.slice(0, 2).map((o) => acceptOffer(o._id.toString(), o.mentorUserId.toString(), new Date(), { scheduler: t.queue, offerTimeoutMs: 3_600_000 })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await Pair.countDocuments({})).toBe(1);
    expect(await Offer.countDocuments({ status: "pending" })).toBe(0);
    expect(await Offer.countDocuments({ status: "withdrawn" })).toBe(2);
    expect(users).toHaveLength(3);
  });

  it("the last slot: two requests accepted at once by a mentor with capacity 1 give one pair", async () => {
    const { t, kg, curator } = await setup();
    const m = makeUser(600031, "Одна", "ru");
    const profile = await mentor(t, m, kg.id, { topics: ["B1"], capacity: "1", name: "Единственная Наставница Тестовна", approve: curator });
    const a = makeUser(600032, "Первый", "ru");
    const b = makeUser(600033, "Второй", "ru");
    for (const [u, n] of [[a, "Первый Педагог Иванович"], [b, "Второй Педагог Петрович"]] as const) {
      await register(t, u, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: n } });
      await ask(t, u, ["B1"], "Как провести открытое занятие по ФОП ДО");
      await press(t, u, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    }
    const offers = await Offer.find({ status: "pending" }).lean();
    expect(offers).toHaveLength(2);
    const deps = { scheduler: t.queue, offerTimeoutMs: 3_600_000 };
    const results = await Promise.all(offers.map((o) => acceptOffer(o._id.toString(), o.mentorUserId.toString(), new Date(), deps)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)?.reason).toBe("full");
    const p = await MentorProfile.findById(profile?._id).lean();
    expect(p).toMatchObject({ activeMentees: 1, freeSlots: 0 });
    expect(await Pair.countDocuments({})).toBe(1);
    // The losing request moved on: nobody else → escalated.
    expect(await MentorshipRequest.countDocuments({ status: "escalated" })).toBe(1);
  });

  it("network visibility: a network-serving mentor of a partner kindergarten is offered; a non-serving one and an outsider are not", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const home = await org("Детский сад № 12", "Europe/Moscow", "Ярославская сеть");
    const partner = await org("Детский сад № 117", "Europe/Moscow", "Ярославская сеть");
    const outsider = await org("МДОАУ № 56 г. Орска", "Asia/Yekaterinburg");
    const cur = makeUser(600041, "Куратор", "ru");
    await register(t, cur, { payload: await inviteFor(partner.id, "curator"), role: "curator", answers: { fullName: "Куратор Партнёрова Ивановна", position: "senior_educator" } });
    const cur2 = makeUser(600042, "Куратор2", "ru");
    await register(t, cur2, { payload: await inviteFor(outsider.id, "curator"), role: "curator", answers: { fullName: "Куратор Орская Петровна", position: "senior_educator" } });
    const serving = makeUser(600043, "Сетевая", "ru");
    const notServing = makeUser(600044, "Своя", "ru");
    const far = makeUser(600045, "Далёкая", "ru");
    await mentor(t, serving, partner.id, { topics: ["A2"], network: "yes", name: "Сетевая Наставница Ивановна", approve: cur });
    await mentor(t, notServing, partner.id, { topics: ["A2"], network: "no", name: "Несетевая Наставница Ивановна", approve: cur });
    await mentor(t, far, outsider.id, { topics: ["A2"], network: "yes", name: "Орская Наставница Ивановна", approve: cur2 });
    const mentee = makeUser(600046, "Сеть", "ru");
    await register(t, mentee, { payload: await inviteFor(home.id, "mentee"), answers: { fullName: "Сетевой Педагог Ивановна" } });
    await ask(t, mentee, ["A2"], "Нужна помощь с календарным планированием");
    const cards = t.fake.lastMessageTo(mentee.chatId);
    expect(cards?.buttons.filter((b) => b.data?.startsWith("rc:") && !b.data.endsWith(":any"))).toHaveLength(1);
    expect(cards?.text).toContain("Детский сад № 117");
    expect(cards?.text).toContain("наставник сети");
    expect(cards?.text).not.toContain("Орска");
  });

  it("forged callbacks for assign, close and approve are denied", async () => {
    const { t, kg, curator } = await setup();
    const m = makeUser(600051, "Наставник", "ru");
    const profile = await mentor(t, m, kg.id, { topics: ["G3"], name: "Наставник Тестовый Иванович" });
    const mentee = makeUser(600052, "Ученик", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Ученик Тестовый Петрович" } });
    // Not approved yet: a mentee tries to approve the mentor.
    await t.send(callback(mentee, `ma:${profile?._id}`));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");
    expect((await MentorProfile.findById(profile?._id).lean())?.approved).toBe(false);
    await ask(t, mentee, ["G3"], "Чувствую выгорание, не справляюсь с нагрузкой");
    const req = await MentorshipRequest.findOne({}).lean();
    expect(req?.status).toBe("escalated"); // no approved mentor → straight to the curator
    await t.send(callback(mentee, `rq:pk:${req?._id}:${profile?._id}`));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");
    await t.send(callback(m, `rq:cl:${req?._id}`));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");
    await t.send(callback(mentee, `of:a:${new mongoose.Types.ObjectId()}`));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");
    expect(await Pair.countDocuments({})).toBe(0);
    // The curator closes it.
    await t.send(callback(curator, `rq:cl:${req?._id}`));
    expect((await MentorshipRequest.findById(req?._id).lean())?.status).toBe("closed");
  });
});

describe("curator edits of the registry", () => {
  it("the curator opens a mentor from /mentors, changes capacity, pauses, withdraws approval; others are refused", async () => {
    const { t, kg, curator } = await setup();
    const m = makeUser(600071, "Редакт", "ru");
    const profile = await mentor(t, m, kg.id, { topics: ["A1"], capacity: "1", name: "Редактируемая Наставница Ивановна", approve: curator });
    await say(t, curator, "/mentors");
    expect(t.fake.lastTextTo(curator.chatId)).toContain("Реестр наставников");
    await press(t, curator, `mr:o:${profile?._id}`);
    expect(t.fake.lastTextTo(curator.chatId)).toContain("Редактируемая Наставница Ивановна");
    await press(t, curator, `mr:c+:${profile?._id}`);
    await press(t, curator, `mr:ps:${profile?._id}`);
    let p = await MentorProfile.findById(profile?._id).lean();
    expect(p).toMatchObject({ capacity: 2, freeSlots: 2 });
    expect(p?.pausedUntil).toBeInstanceOf(Date);
    await press(t, curator, `mr:un:${profile?._id}`);
    expect((await MentorProfile.findById(profile?._id).lean())?.approved).toBe(false);
    // Capacity never drops below 1.
    await press(t, curator, `mr:c-:${profile?._id}`);
    await press(t, curator, `mr:c-:${profile?._id}`);
    expect((await MentorProfile.findById(profile?._id).lean())?.capacity).toBe(1);
    // The mentor cannot approve themself.
    await t.send(callback(m, `mr:ap:${profile?._id}`));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");
    p = await MentorProfile.findById(profile?._id).lean();
    expect(p?.approved).toBe(false);
  });
});

describe("erasure with requests and pairs", () => {
  it("/deleteme by a mentee in a pair ends it, frees the slot, tells the mentor neutrally and leaves no personal data", async () => {
    const { t, kg, curator } = await setup();
    const m = makeUser(600061, "Наставник", "ru");
    const profile = await mentor(t, m, kg.id, { topics: ["D1"], name: "Наставник Семейный Иванович", approve: curator });
    const mentee = makeUser(600062, "Уходит", "ru", { username: "leaving_teacher_x" });
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Уходящая Вероника Павловна" } });
    await ask(t, mentee, ["D1"], "Родители не приходят на собрания, что делать с вовлечением");
    await press(t, mentee, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    await press(t, m, /^of:a:/);
    expect(await Pair.countDocuments({ status: "active" })).toBe(1);
    await say(t, mentee, "/deleteme");
    await press(t, mentee, "del:yes");
    expect((await Pair.findOne({}).lean())?.status).toBe("terminated");
    expect((await MentorProfile.findById(profile?._id).lean())).toMatchObject({ activeMentees: 0, freeSlots: 2 });
    expect(t.fake.lastTextTo(m.chatId)).toContain("покинул программу");
    const db = mongoose.connection.db;
    const hits: string[] = [];
    for (const { name } of (await db?.listCollections().toArray()) ?? []) {
      for (const doc of (await db?.collection(name).find({}).toArray()) ?? []) {
        const text = JSON.stringify(doc);
        for (const needle of ["Уходящая", "Вероника", String(mentee.id), "leaving_teacher_x", "Родители не приходят"]) if (text.includes(needle)) hits.push(`${name}: ${needle}`);
      }
    }
    expect(hits).toEqual([]);
  });
});
