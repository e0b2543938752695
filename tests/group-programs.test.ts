import { describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { ask, clock, inviteFor, mentor, org, press, register, say } from "./helpers/scenario.ts";
import { storedJobs } from "./helpers/jobs.ts";
import { docxText } from "./helpers/docx.ts";
import { BestPractice, FinalSurvey, MentorProfile, MentoringGroup, Pair, Program, SurveyResponse, User } from "../models/index.ts";
import { sweepSatisfaction } from "../src/domain/adaptation.ts";
import { loadDigestData } from "../src/domain/digest.ts";
import { buildSheets } from "../src/domain/export.ts";
import { computeIndicators } from "../src/domain/indicators.ts";
import { topicLabel } from "../src/domain/deficits.ts";
import { createI18n } from "../src/bot/i18n.ts";
import { isDuplicateKeyError } from "../src/db/errors.ts";
import { dropOldProgramPairIndex } from "../src/db/backfill.ts";
import { PROGRAM_PAIR_INDEX } from "../models/program.ts";

useTestDatabase({ resetBetweenTests: true });

const DAY = 24 * 3_600_000;
const lastAnswer = (t: TestBot) => String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");
const texts = (t: TestBot, u: TestUser) => t.fake.messagesTo(u.chatId).map((m) => m.text ?? "");
const idOf = async (u: TestUser) => String((await User.findOne({ telegramId: u.id }).lean())?._id);

/** A kindergarten with a curator, an approved mentor, three teachers (one English-speaking) asking on E2, a teacher of another kindergarten; the curator forms the group. */
async function groupOfThree() {
  const c = clock(); // Monday 23.11.2026 07:00Z
  const t = buildTestBot({ clock: c });
  const home = await org("Детский сад № 12", "Europe/Moscow");
  const other = await org("Детский сад № 40", "Asia/Yekaterinburg");
  const cur = makeUser(930001, "Куратор");
  await register(t, cur, { payload: await inviteFor(home.id, "curator"), role: "curator", answers: { fullName: "Куратор Светлана Ивановна", position: "senior_educator" } });
  const m = makeUser(930002, "Наставница");
  const profile = await mentor(t, m, home.id, { topics: ["E2", "E3"], capacity: "5", name: "Наставница Ольга Петровна", approve: cur });
  const co = makeUser(930007, "Ирина");
  await mentor(t, co, home.id, { topics: ["E4"], capacity: "1", name: "Сонаставница Ирина Павловна", approve: cur });
  const anna = makeUser(930003, "Анна");
  await register(t, anna, { payload: await inviteFor(home.id, "mentee"), answers: { fullName: "Анна Смирнова" } });
  const vera = makeUser(930004, "Вера");
  await register(t, vera, { payload: await inviteFor(home.id, "mentee"), answers: { fullName: "Вера Лебедева" } });
  const kate = makeUser(930005, "Kate", "en");
  await register(t, kate, { payload: await inviteFor(home.id, "mentee"), locale: "en", answers: { fullName: "Kate Morozova" } });
  const stranger = makeUser(930006, "Чужая");
  await register(t, stranger, { payload: await inviteFor(other.id, "mentee"), answers: { fullName: "Мария Чужая" } });
  for (const u of [anna, vera, kate]) await ask(t, u, ["E2"], "Хочу научиться монтировать короткие видео для родителей");
  await say(t, cur, "/groups");
  await press(t, cur, `gr:f:${home.id}:E2`);
  await press(t, cur, "gf:r:done");
  await press(t, cur, `gf:m:${String(profile?._id)}`);
  await press(t, cur, `gf:c:${await idOf(co)}`);
  await say(t, cur, "Цифровые инструменты");
  const group = (await MentoringGroup.findOne({}).lean())!;
  return { c, t, home, cur, m, co, anna, vera, kate, stranger, group, groupId: group._id.toString() };
}

/** The lead mentor fills the group's program: 3 months, two plan items, the product. */
async function fillGroupProgram(t: TestBot, m: TestUser, groupId: string): Promise<void> {
  await t.send(callback(m, `pg:ed:${groupId}`));
  expect(t.fake.lastTextTo(m.chatId)).toContain("Какова цель программы?");
  await say(t, m, "Освоить монтаж видеороликов для родителей всей группой");
  await press(t, m, "pgx:mo:3");
  await press(t, m, "pgx:rm:mentor_to_group");
  await press(t, m, "pgx:fm:group");
  await say(t, m, "Открытое занятие наставника");
  await say(t, m, "15.12.2026");
  await press(t, m, "pgx:skip");
  await press(t, m, "pgx:more:yes");
  await say(t, m, "Каждая снимает ролик о своей группе");
  await say(t, m, "20.01.2027");
  await say(t, m, "Ролик 1–2 минуты");
  await press(t, m, "pgx:more:no");
  await say(t, m, "Сборник роликов для родительских чатов");
  await press(t, m, "pgx:send:send");
}

/** The group's program sent to its participants; Анна and Kate have confirmed, Вера has not. */
async function waitingForVera() {
  const g = await groupOfThree();
  await fillGroupProgram(g.t, g.m, g.groupId);
  const program = (await Program.findOne({ groupId: g.group._id }).lean())!;
  await press(g.t, g.anna, `pg:ok:${program._id}`);
  await press(g.t, g.kate, `pg:ok:${program._id}`);
  return { ...g, program };
}

describe("a group's program (issue 15)", () => {
  it("the lead mentor drafts it, the participants confirm, the curator approves; reminders, documents, export, end with per-person surveys", { timeout: 120_000 }, async () => {
    const { c, t, home, cur, m, co, anna, vera, kate, stranger, group, groupId } = await groupOfThree();

    // The group card shows the program's state; only the lead mentor may draft it.
    await say(t, m, "/groups");
    await press(t, m, `gr:o:${groupId}`);
    expect(t.fake.lastTextTo(m.chatId)).toContain("Программа группы: программы ещё нет");
    expect(t.fake.lastMessageTo(m.chatId)?.buttons.map((b) => b.data)).toContain(`pg:ed:${groupId}`);
    await t.send(callback(anna, `pg:ed:${groupId}`));
    expect(lastAnswer(t)).toContain("недоступно");
    expect(await Program.countDocuments({})).toBe(0);
    // /program lists the group for the mentor and for a participant.
    await say(t, m, "/program");
    expect(texts(t, m)).toContain("Группа «Цифровые инструменты». Программа: программы ещё нет.");
    await say(t, anna, "/program");
    expect(t.fake.lastTextTo(anna.chatId)).toBe("Группа «Цифровые инструменты». Программа: программы ещё нет.");

    // Round 1: sent to every participant; Анна confirms, Вера asks for changes → back to the draft.
    await fillGroupProgram(t, m, groupId);
    expect(t.fake.lastTextTo(m.chatId)).toBe("Программа отправлена участникам группы на подтверждение. Когда подтвердят все, она уйдёт куратору.");
    const program = (await Program.findOne({ groupId: group._id }).lean())!;
    expect(program.pairId).toBeUndefined();
    expect(program.status).toBe("pending_mentee");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Наставник Наставница Ольга Петровна предлагает программу группы «Цифровые инструменты»");
    expect(t.fake.lastTextTo(vera.chatId)).toContain("Ролевая модель: наставник – группа");
    expect(t.fake.lastTextTo(kate.chatId)).toContain("proposes a program for the group “Цифровые инструменты”");
    await t.send(callback(stranger, `pg:ok:${program._id}`));
    expect(lastAnswer(t)).toContain("недоступно");
    // Neither the mentor nor the co-mentor confirms for the group, and the co-mentor does not author it.
    for (const lead of [m, co]) {
      await t.send(callback(lead, `pg:ok:${program._id}`));
      expect(lastAnswer(t)).toContain("недоступно");
    }
    await t.send(callback(co, `pg:ed:${groupId}`));
    expect(lastAnswer(t)).toContain("недоступно");
    await press(t, anna, `pg:ok:${program._id}`);
    expect(t.fake.lastTextTo(m.chatId)).toContain("Анна Смирнова подтвердила программу группы «Цифровые инструменты». Подтвердили 1 из 3.");
    expect(t.fake.lastMessageTo(m.chatId)?.buttons).toHaveLength(0); // no majority yet
    await t.send(callback(anna, `pg:ok:${program._id}`)); // double tap
    expect(lastAnswer(t)).toContain("уже недоступно");
    await t.send(callback(m, `pg:so:${program._id}`));
    expect(lastAnswer(t)).toContain("уже недоступно");
    await press(t, vera, `pg:ch:${program._id}`);
    await say(t, vera, "Добавьте, пожалуйста, срок для второго ролика");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Вера Лебедева просит изменить программу");
    expect(t.fake.lastMessageTo(m.chatId)?.buttons.map((b) => b.data)).toEqual([`pg:ed:${groupId}`]);
    expect((await Program.findById(program._id).lean())?.status).toBe("draft");

    // Round 2: a new version is confirmed afresh; once all three confirm it goes to the curator.
    await fillGroupProgram(t, m, groupId);
    expect((await Program.findById(program._id).lean())?.confirmedBy).toEqual([]);
    await press(t, anna, `pg:ok:${program._id}`);
    await press(t, vera, `pg:ok:${program._id}`);
    expect(t.fake.lastTextTo(m.chatId)).toContain("Подтвердили 2 из 3");
    await press(t, kate, `pg:ok:${program._id}`);
    expect(t.fake.lastTextTo(m.chatId)).toBe("Все участники группы «Цифровые инструменты» подтвердили программу. Она отправлена куратору на утверждение.");
    expect(t.fake.lastTextTo(cur.chatId)).toContain(
      "Программа на утверждение: наставник Наставница Ольга Петровна, наставляемый «Цифровые инструменты» (Анна Смирнова, Вера Лебедева, Kate Morozova)",
    );

    // The curator returns it; round 3: a majority confirmed, the lead mentor sends it on (a participant may not).
    await press(t, cur, `pg:rt:${program._id}`);
    await say(t, cur, "Уточните продукт");
    expect(t.fake.lastTextTo(m.chatId)).toBe("Программа возвращена куратором на доработку: «Уточните продукт».");
    expect(t.fake.lastTextTo(kate.chatId)).toContain("returned");
    await fillGroupProgram(t, m, groupId);
    await press(t, anna, `pg:ok:${program._id}`);
    await press(t, kate, `pg:ok:${program._id}`);
    expect(t.fake.lastMessageTo(m.chatId)?.buttons.map((b) => b.data)).toEqual([`pg:so:${program._id}`]);
    await t.send(callback(anna, `pg:so:${program._id}`));
    expect(lastAnswer(t)).toContain("недоступно");
    // Вера, who has not answered, sees the state on the card and may still answer there.
    await t.send(callback(vera, `pg:v:${program._id}`));
    expect(t.fake.lastTextTo(vera.chatId)).toContain("Группа «Цифровые инструменты», участники: Анна Смирнова, Вера Лебедева, Kate Morozova");
    expect(t.fake.lastTextTo(vera.chatId)).toContain("Подтвердили: 2 из 3 участников");
    expect(t.fake.lastMessageTo(vera.chatId)?.buttons.map((b) => b.data)).toContain(`pg:ok:${program._id}`);
    await t.send(callback(stranger, `pg:v:${program._id}`));
    expect(lastAnswer(t)).toContain("недоступно");
    await press(t, m, `pg:so:${program._id}`);
    expect((await Program.findById(program._id).lean())?.status).toBe("pending_curator");
    await t.send(callback(vera, `pg:ok:${program._id}`));
    expect(lastAnswer(t)).toContain("уже недоступно");

    // Approved: everyone is told; two item reminders and the end job.
    await t.send(callback(anna, `pg:ap:${program._id}`));
    expect(lastAnswer(t)).toContain("недоступно");
    await press(t, cur, `pg:ap:${program._id}`);
    expect((await Program.findById(program._id).lean())?.status).toBe("active");
    for (const u of [m, anna, vera]) expect(t.fake.lastTextTo(u.chatId)).toContain("Программа утверждена куратором");
    expect(t.fake.lastTextTo(kate.chatId)).toContain("The curator approved the program");
    // A participant's /mydata shows the group (as a participant) and its program.
    await say(t, vera, "/mydata");
    const mine = JSON.parse(t.fake.sent("sendDocument").at(-1)?.files.document?.content.toString("utf8") ?? "{}");
    expect(mine.groups).toEqual([expect.objectContaining({ title: "Цифровые инструменты", role: "participant", status: "active" })]);
    expect(mine.programs.map((x: { groupId?: string; status: string }) => [x.groupId, x.status])).toEqual([[groupId, "active"]]);
    expect((await storedJobs()).filter((j) => j.key.startsWith(`program:${program._id}:`))).toHaveLength(3);
    // The satisfaction questionnaire at the start: each participant their own (once).
    const satKeys = async (phase: string) => (await SurveyResponse.find({ key: new RegExp(`^sat:${program._id}:${phase}`) }, { key: 1 }).lean()).map((r) => r.key).sort();
    await sweepSatisfaction(c.now());
    await sweepSatisfaction(c.now());
    expect(await satKeys("start")).toEqual([await idOf(anna), await idOf(vera), await idOf(kate)].map((id) => `sat:${program._id}:start:${id}`).sort());
    await press(t, m, `gr:o:${groupId}`);
    expect(t.fake.lastTextTo(m.chatId)).toContain("Программа группы: действует (пунктов плана выполнено: 0 из 2)");
    // The co-mentor helps lead: sees the program from the group card.
    await t.send(callback(co, `gr:o:${groupId}`));
    await press(t, co, `pg:v:${program._id}`);
    expect(t.fake.lastTextTo(co.chatId)).toContain("Группа «Цифровые инструменты», участники: Анна Смирнова, Вера Лебедева, Kate Morozova");

    // The program document: the group and its participants; a participant may get it, an outsider not.
    await t.send(callback(stranger, `pg:doc:${program._id}`));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.show_alert).toBe(true);
    await t.send(callback(kate, `pg:v:${program._id}`));
    await press(t, kate, `pg:doc:${program._id}`);
    const doc = t.fake.sent("sendDocument").filter((d) => d.payload.chat_id === kate.chatId).at(-1)!;
    const text = await docxText(doc.files.document!.content);
    expect(text).toContain("Наставническая группа: Цифровые инструменты");
    expect(text).toContain("Участники группы");
    expect(text).toContain("1. Анна Смирнова");
    expect(text).toContain("3. Kate Morozova");
    expect(text).not.toContain("Наставляемый");

    // Анна leaves: reminders go to the current participants only, and she can no longer mark items.
    await t.send(callback(anna, `gr:lv:${groupId}`));
    await press(t, anna, /^gr:ly:/);
    expect((await MentoringGroup.findById(groupId).lean())?.memberIds).toHaveLength(2);
    const annaBefore = t.fake.messagesTo(anna.chatId).length;
    c.advance(new Date("2026-12-15T06:00:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect(t.fake.lastTextTo(m.chatId)).toContain("Сегодня срок пункта плана «Открытое занятие наставника»");
    expect(t.fake.lastTextTo(vera.chatId)).toContain("Сегодня срок пункта плана «Открытое занятие наставника»");
    expect(t.fake.lastTextTo(kate.chatId)).toContain("A plan item is due today");
    expect(t.fake.messagesTo(anna.chatId)).toHaveLength(annaBefore);
    const item = (await Program.findById(program._id).lean())!.items[0]!;
    await t.send(callback(anna, `pg:dn:${program._id}:${item._id}`));
    expect(lastAnswer(t)).toContain("недоступно");
    await press(t, vera, `pg:dn:${program._id}:${item._id}`);
    expect(t.fake.lastTextTo(m.chatId)).toBe("Вера Лебедева отметила пункт плана выполненным: «Открытое занятие наставника».");

    // The export: one row in the bank of programs (the group and its current participants); indicators count it once.
    const i18n = createI18n("ru", async () => "ru");
    const ru = (key: string, args?: Record<string, string | number>) => i18n.t("ru", key, args);
    const data = await loadDigestData([home.id], c.now());
    const sheets = buildSheets(data, { scope: [home.id], t: ru, now: c.now(), topic: (x) => topicLabel(x, "ru") });
    const bank = sheets.find((s) => s.id === "programs")?.rows ?? [];
    expect(bank).toHaveLength(1);
    expect(bank[0]?.[3]).toBe("«Цифровые инструменты»: Вера Лебедева; Kate Morozova");
    const seatRows = sheets.find((s) => s.id === "pairs")?.rows ?? [];
    expect(seatRows.map((r) => r[12])).toEqual(Array(3).fill("Освоить монтаж видеороликов для родителей всей группой"));

    // The end date: the group and its program complete; each current participant gets the final survey on their own seat;
    // the curator gets the group's summary with the verdict.
    c.advance(new Date("2027-02-23T06:00:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect((await Program.findById(program._id).lean())?.status).toBe("completed");
    expect((await MentoringGroup.findById(groupId).lean())?.status).toBe("completed");
    expect(await Pair.countDocuments({ groupId: group._id, status: "active" })).toBe(0);
    expect(texts(t, vera).join("\n")).toContain("Итоговый опрос: насколько вы удовлетворены наставничеством?");
    expect(texts(t, kate).join("\n")).toContain("Final survey");
    expect(t.fake.messagesTo(anna.chatId)).toHaveLength(annaBefore);
    const summary = t.fake.lastMessageTo(cur.chatId);
    expect(summary?.text).toContain("Завершена программа группы «Цифровые инструменты» (наставник Наставница Ольга Петровна), участников: 3.");
    expect(summary?.text).toContain("пунктов плана: 1 из 2");
    expect(summary?.buttons.map((b) => b.data)).toEqual([`pg:pk:${program._id}`, `pg:rv:${program._id}`]);
    // …and at the end: each who was in the group when it completed (not Анна, who left).
    await sweepSatisfaction(c.now());
    expect(await satKeys("end")).toEqual([await idOf(vera), await idOf(kate)].map((id) => `sat:${program._id}:end:${id}`).sort());
    const veraSeat = await Pair.findOne({ groupId: group._id, menteeId: await idOf(vera) }).lean();
    await press(t, vera, `fs:s:${veraSeat?._id}:5`);
    const final = await FinalSurvey.findOne({ pairId: veraSeat?._id }).lean();
    expect([final?.satisfaction, String(final?.programId)]).toEqual([5, String(program._id)]);
    // The mentor's places came back once per seat.
    const profile = await MentorProfile.findOne({ userId: group.mentorId }).lean();
    expect([profile?.freeSlots, profile?.activeMentees]).toEqual([5, 0]);

    // Indicators: one program ended, one completed (not three).
    c.advance(60_000);
    const after = await loadDigestData([home.id], c.now());
    const completed = computeIndicators(after, [home.id], { from: new Date(c.now().getTime() - 7 * DAY), to: c.now() }, c.now()).find((i) => i.key === "programs_completed");
    expect([completed?.numerator, completed?.denominator]).toEqual([1, 1]);

    // The curator's verdict packages it: the card draft goes to the lead mentor.
    await press(t, cur, `pg:pk:${program._id}`);
    const card = await BestPractice.findOne({ programId: program._id }).lean();
    expect(card?.authorName).toBe("Наставница Ольга Петровна");
    expect(card?.results).toContain("Выполнено пунктов плана: 1 из 2.");
    expect(card?.topics).toEqual(["E2"]);
  });

  it("when the one participant who had not confirmed leaves, the program goes on to the curator by itself", async () => {
    const { t, cur, m, vera, kate, groupId, program } = await waitingForVera();
    expect((await Program.findById(program._id).lean())?.status).toBe("pending_mentee");
    const curatorMessages = t.fake.messagesTo(cur.chatId).length;
    await t.send(callback(vera, `gr:lv:${groupId}`));
    await press(t, vera, `gr:ly:${groupId}`);
    expect((await Program.findById(program._id).lean())?.status).toBe("pending_curator");
    expect(texts(t, m)).toContain("Все участники группы «Цифровые инструменты» подтвердили программу. Она отправлена куратору на утверждение.");
    expect(t.fake.messagesTo(cur.chatId).slice(curatorMessages).map((x) => x.text ?? "").join("\n")).toContain("Программа на утверждение");
    // A participant leaving a program that is not waiting for them changes nothing more.
    await press(t, cur, `pg:ap:${program._id}`);
    expect((await Program.findById(program._id).lean())?.status).toBe("active");
    await t.send(callback(kate, `gr:lv:${groupId}`));
    await press(t, kate, `gr:ly:${groupId}`);
    expect((await Program.findById(program._id).lean())?.status).toBe("active");
  });

  it("when the one participant who had not confirmed deletes her data, the program goes on to the curator as well", async () => {
    const { t, cur, m, vera, group, program } = await waitingForVera();
    const curatorMessages = t.fake.messagesTo(cur.chatId).length;
    const veraId = await idOf(vera);
    await say(t, vera, "/deleteme");
    await press(t, vera, "del:yes");
    expect((await User.findById(veraId).lean())?.erasedAt).toBeInstanceOf(Date);
    expect((await MentoringGroup.findById(group._id).lean())?.memberIds.map(String)).not.toContain(veraId);
    expect((await Program.findById(program._id).lean())?.status).toBe("pending_curator");
    expect(texts(t, m)).toContain("Все участники группы «Цифровые инструменты» подтвердили программу. Она отправлена куратору на утверждение.");
    expect(t.fake.messagesTo(cur.chatId).slice(curatorMessages).map((x) => x.text ?? "").join("\n")).toContain("Программа на утверждение");
  });

  it("one program per group and per pair: the sparse unique keys let programs without a pair coexist", async () => {
    const base = { organizationId: new Types.ObjectId(), mentorId: new Types.ObjectId(), status: "draft" as const };
    const g1 = new Types.ObjectId();
    await Program.create({ ...base, groupId: g1 });
    await Program.create({ ...base, groupId: new Types.ObjectId() });
    await Program.create({ ...base, pairId: new Types.ObjectId(), requestId: new Types.ObjectId() });
    const again = await Program.create({ ...base, groupId: g1 }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isDuplicateKeyError(again)).toBe(true);
    expect(await Program.countDocuments({})).toBe(3);
  });

  it("a database of before group programs loses its non-sparse pair index at start-up, and gets the sparse one", async () => {
    await Program.createIndexes();
    await Program.collection.dropIndex(PROGRAM_PAIR_INDEX);
    await Program.collection.createIndex({ pairId: 1 }, { unique: true, name: "pairId_1" });
    expect(await dropOldProgramPairIndex()).toBe(true);
    expect(await dropOldProgramPairIndex()).toBe(false);
    await Program.createIndexes();
    const names = (await Program.collection.indexes()).map((i) => i.name);
    expect(names).toContain(PROGRAM_PAIR_INDEX);
    expect(names).not.toContain("pairId_1");
  });
});
