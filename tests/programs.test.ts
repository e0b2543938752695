import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import type { TestBot } from "./helpers/harness.ts";
import { callback, makeUser, photo, type TestUser } from "./helpers/updates.ts";
import { inviteFor, mentor, pairUp, press, register, say } from "./helpers/scenario.ts";
import { assignByCurator } from "../src/domain/requests.ts";
import { BestPractice, Consent, FinalSurvey, Job, Pair, Program, SelfAssessment, User } from "../models/index.ts";
import { storedJobs } from "./helpers/jobs.ts";
import { growthForRequest } from "../src/domain/self-assessment.ts";
import { approveProgram, menteeConfirm, openDraft, submitDraft, validateDraft } from "../src/domain/programs.ts";
import { parseLocalDate } from "../src/core/datetime.ts";
import { exportUserData } from "../src/domain/privacy.ts";
import { grantRole } from "../src/domain/roles.ts";
import { loadDigestData } from "../src/domain/digest.ts";
import { computeIndicators } from "../src/domain/indicators.ts";

useTestDatabase({ resetBetweenTests: true });

const DAY = 24 * 3_600_000;
const lastAnswer = (t: TestBot) => String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");
const allText = (t: TestBot, u: TestUser) => t.fake.messagesTo(u.chatId).map((m) => m.text).join("\n---\n");

/** pairUp plus a curator of the mentee's organization (the pair's organization) and an outsider colleague there. */
async function setup() {
  const ctx = await pairUp();
  const cur = makeUser(500010, "Куратор151", "ru");
  await register(ctx.t, cur, { payload: await inviteFor(ctx.home.id, "curator"), role: "curator", answers: { fullName: "Куратор Садовая Марина", position: "senior_educator" } });
  const colleague = makeUser(500011, "Коллега", "ru");
  await register(ctx.t, colleague, { payload: await inviteFor(ctx.home.id, "mentee"), answers: { fullName: "Коллега Соседова Анна" } });
  const pair = await Pair.findOne({ status: "active" }).lean();
  return { ...ctx, cur, colleague, pair: pair! };
}

/** The mentor fills the program dialog: 3 months, two plan items (with bad date inputs first), product. */
async function fillProgram(t: TestBot, m: TestUser, pairId: string, badDates = false): Promise<void> {
  await t.send(callback(m, `pg:ed:${pairId}`));
  await say(t, m, "Освоить монтаж видеороликов для родителей");
  await press(t, m, "pgx:mo:3");
  await press(t, m, "pgx:rm:network_mentor_to_teacher");
  await press(t, m, "pgx:fm:individual");
  await say(t, m, "Посещение занятия наставника");
  if (badDates) {
    await say(t, m, "скоро");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Не удалось прочитать дату");
    await say(t, m, "31.02.2027");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Такой даты нет");
    await say(t, m, "01.06.2027");
    expect(t.fake.lastTextTo(m.chatId)).toBe("Дата должна быть в пределах программы: с 23.11.2026 по 23.02.2027.");
  }
  await say(t, m, "15.12.2026");
  await press(t, m, "pgx:skip");
  await press(t, m, "pgx:more:yes");
  await say(t, m, "Смонтировать ролик о группе");
  await say(t, m, "20.01.2027");
  await say(t, m, "Ролик 1–2 минуты");
  await press(t, m, "pgx:more:no");
  await say(t, m, "Видеоролик для родительского чата");
  expect(t.fake.lastTextTo(m.chatId)).toContain("2. Смонтировать ролик о группе — 20.01.2027 (Ролик 1–2 минуты)");
  await press(t, m, "pgx:send:send");
}

describe("personalised program: create → approve → reminders → complete → best-practice card", () => {
  it("runs the whole life cycle through the bot", async () => {
    const { c, t, m, mentee, cur, colleague, pair } = await setup();
    const pairId = pair._id.toString();

    // /program lists the long-term pair; the mentee cannot open a draft (only the mentor can).
    await say(t, m, "/program");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Пара: Kate Morozova (наставляемый). Программа: программы ещё нет.");
    await t.send(callback(mentee, `pg:ed:${pairId}`));
    expect(lastAnswer(t)).toContain("not available");
    await say(t, cur, "/program");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Программ, ждущих вашего решения, сейчас нет.");

    await fillProgram(t, m, pairId, true);
    expect(t.fake.lastTextTo(m.chatId)).toBe("Программа отправлена наставляемому на подтверждение.");
    const toMentee = t.fake.lastTextTo(mentee.chatId) ?? "";
    expect(toMentee).toContain("Your mentor Наставница Орская Петровна proposes a mentoring program");
    expect(toMentee).toContain("Role model: network mentor – teacher");
    expect(toMentee).toContain("Duration: 3 months");
    expect(toMentee).toContain("1. Посещение занятия наставника — 15 Dec 2026");

    // The mentee asks for changes → back to the mentor's draft.
    await press(t, mentee, /^pg:ch:/);
    await say(t, mentee, "Please add a second video");
    expect(t.fake.lastTextTo(m.chatId)).toContain("просит изменить программу: «Please add a second video»");
    expect((await Program.findOne({}).lean())?.status).toBe("draft");
    await fillProgram(t, m, pairId);

    // Confirmed → the curator of the pair's organization; the partner's curator may not approve.
    await press(t, mentee, /^pg:ok:/);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Программа на утверждение: наставник Наставница Орская Петровна, наставляемый Kate Morozova");
    const program = (await Program.findOne({}).lean())!;
    expect(program.status).toBe("pending_curator");
    await t.send(callback(colleague, `pg:ap:${program._id}`));
    expect(lastAnswer(t)).toContain("недоступно");

    // Returned with a comment, revised, confirmed, approved.
    await press(t, cur, `pg:rt:${program._id}`);
    await say(t, cur, "Уточните продукт");
    expect(t.fake.lastTextTo(m.chatId)).toBe("Программа возвращена куратором на доработку: «Уточните продукт».");
    await fillProgram(t, m, pairId);
    await press(t, mentee, /^pg:ok:/);
    await press(t, cur, `pg:ap:${program._id}`);
    await t.send(callback(cur, `pg:ap:${program._id}`)); // double tap
    expect(lastAnswer(t)).toContain("уже недоступно");
    const active = (await Program.findById(program._id).lean())!;
    expect(active.status).toBe("active");
    expect(active.startDate?.toISOString()).toBe("2026-11-22T21:00:00.000Z"); // local midnight, Moscow
    expect(active.endDate?.toISOString()).toBe("2027-02-22T21:00:00.000Z");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("The curator approved the program");
    expect((await storedJobs()).filter((j) => j.key.startsWith(`program:${program._id}:`))).toHaveLength(3);

    // The first item's due day, 09:00 Moscow: both are reminded; the mentee marks it done once.
    c.advance(new Date("2026-12-15T06:00:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect(t.fake.lastTextTo(m.chatId)).toContain("Сегодня срок пункта плана «Посещение занятия наставника» (15.12.2026)");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("A plan item is due today");
    await press(t, mentee, /^pg:dn:/);
    expect(t.fake.lastTextTo(m.chatId)).toBe("Kate Morozova отметила пункт плана выполненным: «Посещение занятия наставника».");
    await press(t, m, /^pg:dn:/);
    expect(lastAnswer(t)).toContain("уже недоступно");
    // The mentor adds a product (a link); an invalid one is refused politely.
    await t.send(callback(m, `pg:pr:${program._id}`));
    await say(t, m, "https://example.org/video");
    expect(t.fake.lastTextTo(m.chatId)).toBe("Продукт добавлен к программе.");

    // The end date: the pair and the program complete; final survey, self-assessment, curator summary.
    c.advance(new Date("2027-02-23T06:00:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect((await Program.findById(program._id).lean())?.status).toBe("completed");
    expect((await Pair.findById(pairId).lean())?.status).toBe("completed");
    expect(allText(t, mentee)).toContain("Final survey: how satisfied are you");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Встреч проведено: 0; пунктов плана: 1 из 2.");
    // The mentor still finds the finished program (to add products until the curator decides).
    await say(t, m, "/program");
    expect(t.fake.lastTextTo(m.chatId)).toBe("Завершённые программы ждут решения куратора: 1. Наставник ещё может добавить продукты.");

    // Final survey: satisfaction, adaptation (a young specialist), what changed; double taps and forgeries refused.
    await press(t, mentee, `fs:s:${pairId}:5`);
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("How do you rate your adaptation at work?");
    await t.send(callback(mentee, `fs:s:${pairId}:1`));
    expect(lastAnswer(t)).toBe("Already recorded, thank you.");
    await t.send(callback(colleague, `fs:s:${pairId}:1`));
    expect(lastAnswer(t)).toContain("недоступно");
    await press(t, mentee, `fs:a:${pairId}:4`);
    await say(t, mentee, "I edit videos on my own now");
    await press(t, m, `fs:s:${pairId}:4`);
    await press(t, m, "pgx:skip");
    const finals = await FinalSurvey.find({}).sort({ role: 1 }).lean();
    expect(finals.map((f) => [f.role, f.satisfaction, f.adaptation ?? null, f.changed ?? null])).toEqual([
      ["mentee", 5, 4, "I edit videos on my own now"],
      ["mentor", 4, null, null],
    ]);

    // The closing self-assessment: confidence in E2 from 2 to 4.
    await press(t, mentee, /^sa:e:/);
    await press(t, mentee, "sax:E2:4");
    expect(t.fake.lastTextTo(mentee.chatId)).toBe("Thank you! Your self-assessment is saved.");
    expect(await SelfAssessment.countDocuments({ phase: "end" })).toBe(1);
    expect((await growthForRequest(pair.requestId.toString()))?.mean).toBe(2);

    // The curator's view of the finished program shows the summary as it stands now.
    await say(t, cur, "/program");
    expect(t.fake.lastTextTo(cur.chatId)).toBe("Программы ждут вашего решения: 1.");
    await press(t, cur, `pg:v:${program._id}`);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("удовлетворённость: 4,5; рост самооценки: +2,0.");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Программа завершена. Каков итог?");

    // Packaging: a pre-filled card, visible only to the author and the curator until published with consent.
    await press(t, cur, `pg:pk:${program._id}`);
    const card = (await BestPractice.findOne({}).lean())!;
    expect(card.status).toBe("draft");
    expect(card.authorName).toBe("Наставница Орская Петровна");
    expect(card.goal).toBe("Освоить монтаж видеороликов для родителей");
    expect(card.topics).toEqual(["E2"]);
    expect(card.links).toEqual(["https://example.org/video"]);
    expect(card.results).toContain("Выполнено пунктов плана: 1 из 2.");
    expect(card.results).toContain("Изменение самооценки: +2,0.");
    await say(t, colleague, "/practices");
    expect(t.fake.lastTextTo(colleague.chatId)).toBe("В банке практик пока нет опубликованных карточек.");
    await t.send(callback(colleague, `bp:v:${card._id}`));
    expect(lastAnswer(t)).toContain("недоступно");
    await t.send(callback(colleague, `bp:c:${card._id}`)); // forged consent by someone else
    expect((await BestPractice.findById(card._id).lean())?.status).toBe("draft");

    // The author edits the e-mail (a bad one first), then consents and publishes.
    await press(t, m, `bp:e:${card._id}`);
    await press(t, m, `bp:f:${card._id}:email`);
    await say(t, m, "not an email");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Проверьте данные");
    await press(t, m, `bp:f:${card._id}:email`);
    await say(t, m, "mentor@example.org");
    await press(t, m, `bp:p:${card._id}`);
    await press(t, m, `bp:c:${card._id}`);
    const published = (await BestPractice.findById(card._id).lean())!;
    expect(published.status).toBe("published");
    expect(published.email).toBe("mentor@example.org");
    expect(await Consent.countDocuments({ type: "publication", subjectId: card._id, decision: "given" })).toBe(1);

    // Now the colleague finds it in the bank by topic and opens it.
    await say(t, colleague, "/practices");
    expect(t.fake.lastTextTo(colleague.chatId)).toBe("Банк практик: 1. Выберите практику или тему.");
    await press(t, colleague, "pr:t:E2");
    expect(t.fake.lastTextTo(colleague.chatId)).toContain("Практики по теме");
    await press(t, colleague, `bp:v:${card._id}`);
    const shown = t.fake.lastTextTo(colleague.chatId) ?? "";
    expect(shown).toContain("Автор: Наставница Орская Петровна");
    expect(shown).toContain("Контакты: mentor@example.org");
    expect(shown).toContain("Статус: опубликована");
  }, 90_000);
});

describe("early termination and the 'needs revision' path", () => {
  it("either side ends the pair with a reason; the curator decides once", async () => {
    const { c, t, m, mentee, cur, pair } = await setup();
    const pairId = pair._id.toString();
    const mentorId = pair.mentorId.toString();
    const menteeId = pair.menteeId.toString();
    const now = c.now();
    const opened = await openDraft(pairId, mentorId, now);
    expect(opened.ok).toBe(true);
    const programId = (opened as { programId: string }).programId;
    const items = [{ title: "Открытое занятие", due: new Date("2026-12-10T21:00:00Z") }];
    expect((await submitDraft(programId, mentorId, { goal: "Подготовить открытое занятие", months: 4, roleModel: "experienced_to_young", form: "individual", product: "Конспект", items }, now)).ok).toBe(true);
    expect((await menteeConfirm(programId, menteeId, now)).ok).toBe(true);
    const curator = await User.findOne({ telegramId: cur.id }).lean();
    expect((await approveProgram(programId, curator as never, now, { scheduler: t.queue })).ok).toBe(true);

    // Ending needs a reason: the mentee gives one.
    await say(t, mentee, "/program");
    await press(t, mentee, `pg:fin:${pairId}`);
    expect(t.fake.lastMessageTo(mentee.chatId)?.buttons.map((b) => b.data)).toEqual([`pg:goal:${pairId}`, `pg:end:${pairId}`]);
    await press(t, mentee, `pg:end:${pairId}`);
    await say(t, mentee, "I am moving to another city");
    expect((await Pair.findById(pairId).lean())?.status).toBe("terminated");
    const ended = (await Program.findById(programId).lean())!;
    expect(ended.status).toBe("terminated");
    expect(ended.endReason).toBe("I am moving to another city");
    expect(await Job.countDocuments({ key: new RegExp(`^program:${programId}:`), status: "pending" })).toBe(0);
    expect(allText(t, m)).toContain("Итоговый опрос: насколько вы удовлетворены");
    const summary = t.fake.messagesTo(cur.chatId).at(-1)!;
    expect(summary.text).toContain("Досрочно завершено наставничество");
    expect(summary.text).toContain("Причина: «I am moving to another city»");
    // An approved program that ended early gets both verdicts too.
    expect(summary.buttons.map((b) => b.data)).toEqual([`pg:pk:${programId}`, `pg:rv:${programId}`]);

    // "Needs revision" is recorded once and told to the mentor; "package" afterwards is refused.
    await press(t, cur, `pg:rv:${programId}`);
    expect((await Program.findById(programId).lean())?.outcome).toBe("needs_revision");
    expect(t.fake.lastTextTo(m.chatId)).toContain("требует доработки");
    await t.send(callback(cur, `pg:rv:${programId}`));
    expect(lastAnswer(t)).toContain("уже недоступно");
    await t.send(callback(cur, `pg:pk:${programId}`));
    expect(lastAnswer(t)).toContain("уже недоступно");
    expect(await BestPractice.countDocuments({})).toBe(0);
    // The pair cannot be ended twice.
    await t.send(callback(m, `pg:end:${pairId}`));
    expect(lastAnswer(t)).toContain("недоступно");
  });

  it("a pair whose goal is achieved is completed (not 'early'), counts as completed and its packaging counts", async () => {
    const { c, t, m, mentee, cur, pair } = await setup();
    const pairId = pair._id.toString();
    const now = c.now();
    const opened = await openDraft(pairId, pair.mentorId.toString(), now);
    const programId = (opened as { programId: string }).programId;
    const items = [{ title: "Открытое занятие", due: new Date("2026-12-10T21:00:00Z") }];
    await submitDraft(programId, pair.mentorId.toString(), { goal: "Подготовить открытое занятие", months: 4, roleModel: "experienced_to_young", form: "individual", product: "Конспект", items }, now);
    await menteeConfirm(programId, pair.menteeId.toString(), now);
    const curator = await User.findOne({ telegramId: cur.id }).lean();
    await approveProgram(programId, curator as never, now, { scheduler: t.queue });
    c.advance(40 * DAY);

    await say(t, m, "/program");
    await press(t, m, `pg:fin:${pairId}`);
    await press(t, m, `pg:goal:${pairId}`);
    const ended = (await Program.findById(programId).lean())!;
    expect(ended.status).toBe("completed");
    expect(ended.endReason).toBe("goal_achieved");
    expect((await Pair.findById(pairId).lean())?.status).toBe("completed");
    expect(allText(t, mentee)).toContain("is complete: the goal is achieved");
    expect(allText(t, mentee)).not.toContain("early");
    const summary = t.fake.messagesTo(cur.chatId).at(-1)!;
    expect(summary.text).toContain("Завершено наставничество (цель достигнута)");
    await press(t, cur, `pg:pk:${programId}`);
    // Indicators: 1 of 1 ended programs completed; 1 of 1 assessed programs packaged.
    const data = await loadDigestData([ended.organizationId.toString()], c.now());
    const figures = computeIndicators(data, null, { from: new Date(now.getTime() - DAY), to: new Date(c.now().getTime() + DAY) }, c.now());
    const byKey = Object.fromEntries(figures.map((f) => [f.key, f]));
    expect([byKey.programs_completed?.numerator, byKey.programs_completed?.denominator]).toEqual([1, 1]);
    expect([byKey.programs_packaged?.numerator, byKey.programs_packaged?.denominator]).toEqual([1, 1]);
  });

  it("a deployment admin may approve like a curator; nobody else outside the scope may", async () => {
    const { c, t, colleague, pair } = await setup();
    const now = c.now();
    const opened = (await openDraft(pair._id.toString(), pair.mentorId.toString(), now)) as { programId: string };
    const items = [{ title: "Мастер-класс", due: new Date("2026-12-20T21:00:00Z") }];
    await submitDraft(opened.programId, pair.mentorId.toString(), { goal: "Провести мастер-класс", months: 6, roleModel: "peer_to_peer", form: "group", product: "Видео", items }, now);
    await menteeConfirm(opened.programId, pair.menteeId.toString(), now);
    await t.send(callback(colleague, `pg:ap:${opened.programId}`));
    expect(lastAnswer(t)).toContain("недоступно");
    const colleagueDoc = (await User.findOne({ telegramId: colleague.id }).lean())!;
    await grantRole(colleagueDoc._id, "admin", {}, "test", now);
    await say(t, colleague, "/program");
    expect(t.fake.lastTextTo(colleague.chatId)).toBe("Программы ждут вашего решения: 1.");
    await press(t, colleague, `pg:v:${opened.programId}`);
    await press(t, colleague, `pg:ap:${opened.programId}`);
    const approved = (await Program.findById(opened.programId).lean())!;
    expect(approved.status).toBe("active");
    expect(approved.endDate?.toISOString()).toBe("2027-05-22T21:00:00.000Z"); // 6 months, Moscow midnight
  });

  it("a curator who is the program's own mentor does not approve it while another curator can", async () => {
    const { c, t, m, cur, home, pair } = await setup();
    const now = c.now();
    const opened = (await openDraft(pair._id.toString(), pair.mentorId.toString(), now)) as { programId: string };
    const items = [{ title: "Пункт плана", due: new Date("2026-12-20T21:00:00Z") }];
    await submitDraft(opened.programId, pair.mentorId.toString(), { goal: "Своя программа", months: 3, roleModel: "peer_to_peer", form: "individual", product: "Продукт", items }, now);
    await menteeConfirm(opened.programId, pair.menteeId.toString(), now);
    await grantRole(pair.mentorId, "curator", { organizationId: home.id }, "test", now);
    await t.send(callback(m, `pg:ap:${opened.programId}`));
    expect(lastAnswer(t)).toContain("недоступно");
    expect((await Program.findById(opened.programId).lean())?.status).toBe("pending_curator");
    await t.send(callback(cur, `pg:ap:${opened.programId}`));
    expect((await Program.findById(opened.programId).lean())?.status).toBe("active");
  });

  it("/mydata lists the mentoring records; erasure leaves only anonymised scores", async () => {
    const { c, t, mentee, pair } = await setup();
    await t.send(callback(mentee, `pg:end:${pair._id}`));
    await say(t, mentee, "Changing jobs");
    await press(t, mentee, `fs:s:${pair._id}:2`);
    await press(t, mentee, `fs:a:${pair._id}:2`);
    await say(t, mentee, "Not much");
    // /mydata shows the pair, the request and the final answer before erasure.
    const mine = (await exportUserData(mentee.id)) as Record<string, unknown[]>;
    expect(mine.pairs).toHaveLength(1);
    expect(mine.requests).toHaveLength(1);
    expect((mine.finalSurveys as Array<{ changed?: string }>)[0]?.changed).toBe("Not much");
    c.advance(DAY);
    await say(t, mentee, "/deleteme");
    await press(t, mentee, "del:yes");
    const f = (await FinalSurvey.findOne({}).lean())!;
    expect(f.satisfaction).toBe(2);
    expect(f.respondentId).toBeUndefined();
    expect(f.changed).toBeUndefined();
  });
});

describe("program validation", () => {
  const zone = "Asia/Vladivostok";
  const now = new Date("2026-11-30T15:30:00Z"); // 01:30 on 1 Dec in Vladivostok
  it("dates are read in the organization's zone and kept within the program", () => {
    const d = parseLocalDate("01.12.2026", zone, now, now);
    expect(d.ok && d.date.toISOString()).toBe("2026-11-30T14:00:00.000Z");
    expect(parseLocalDate("30.11.2026", zone, now, now)).toEqual({ ok: false, error: "out_of_range" });
    expect(parseLocalDate("15.01", zone, now).ok && (parseLocalDate("15.01", zone, now) as { date: Date }).date.getUTCFullYear()).toBe(2027);
    expect(parseLocalDate("29.02.2027", zone, now)).toEqual({ ok: false, error: "invalid_date" });
    expect(parseLocalDate("tomorrow", zone, now)).toEqual({ ok: false, error: "format" });
  });
  it("duration must be 3–12 months and plan dates inside it", () => {
    const base = { goal: "Цель программы", roleModel: "peer_to_peer", form: "group", product: "Портфолио", items: [{ title: "Пункт", due: new Date("2027-01-10T14:00:00Z") }] };
    expect(validateDraft({ ...base, months: 2 }, zone, now).ok).toBe(false);
    expect(validateDraft({ ...base, months: 13 }, zone, now).ok).toBe(false);
    expect(validateDraft({ ...base, months: 3 }, zone, now).ok).toBe(true);
    expect(validateDraft({ ...base, months: 3, items: [{ title: "Пункт", due: new Date("2027-06-10T14:00:00Z") }] }, zone, now)).toEqual({ ok: false, error: "items.due" });
    expect(validateDraft({ ...base, months: 3, roleModel: "boss" }, zone, now).ok).toBe(false);
    expect(validateDraft({ ...base, months: 3, items: [] }, zone, now).ok).toBe(false);
  });
});

describe("programs: ends elsewhere, erasure, publication withdrawal, forged answers", () => {
  /** setup() plus an approved program of the pair, through the services. */
  async function approved() {
    const s = await setup();
    const now = s.c.now();
    const opened = (await openDraft(s.pair._id.toString(), s.pair.mentorId.toString(), now)) as { programId: string };
    const items = [{ title: "Открытое занятие для Kate", due: new Date("2026-12-10T21:00:00Z"), expected: "Конспект" }];
    await submitDraft(opened.programId, s.pair.mentorId.toString(), { goal: "Цель с именем Kate", months: 3, roleModel: "experienced_to_young", form: "individual", product: "Портфолио Kate", items }, now);
    await menteeConfirm(opened.programId, s.pair.menteeId.toString(), now);
    const curator = await User.findOne({ telegramId: s.cur.id }).lean();
    await approveProgram(opened.programId, curator as never, now, { scheduler: s.t.queue });
    return { ...s, programId: opened.programId };
  }

  it("a curator's reassignment ends the old pair's program and its reminders", async () => {
    const s = await approved();
    const other = makeUser(500020, "Вторая", "ru");
    const profile = await mentor(s.t, other, s.home.id, { topics: ["E2"], name: "Вторая Наставница", approve: s.cur });
    const curator = (await User.findOne({ telegramId: s.cur.id }).lean())!;
    const res = await assignByCurator(
      { requestId: s.pair.requestId.toString(), mentorProfileId: String(profile?._id), curator: curator as never, admin: false, overrideReason: "тест", now: s.c.now() },
      { scheduler: s.t.queue, offerTimeoutMs: 48 * 3_600_000 },
    );
    expect(res.ok).toBe(true);
    const p = (await Program.findById(s.programId).lean())!;
    expect(p.status).toBe("terminated");
    expect(p.endReason).toBe("reassigned");
    expect(await Job.countDocuments({ key: new RegExp(`^program:${s.programId}:`), status: "pending" })).toBe(0);
    // The old pair gets no final survey: a forged answer is refused.
    await s.t.send(callback(s.mentee, `fs:s:${s.pair._id}:5`));
    expect(lastAnswer(s.t)).toContain("not available");
    expect(await FinalSurvey.countDocuments({})).toBe(0);
  });

  it("the mentee can confirm from the program card; a non-young mentee cannot forge an adaptation score", async () => {
    const s = await setup();
    const now = s.c.now();
    const opened = (await openDraft(s.pair._id.toString(), s.pair.mentorId.toString(), now)) as { programId: string };
    const items = [{ title: "Пункт", due: new Date("2026-12-10T21:00:00Z") }];
    await submitDraft(opened.programId, s.pair.mentorId.toString(), { goal: "Цель программы", months: 3, roleModel: "peer_to_peer", form: "individual", product: "Продукт", items }, now);
    await say(s.t, s.mentee, "/program");
    await press(s.t, s.mentee, `pg:v:${opened.programId}`);
    await press(s.t, s.mentee, `pg:ok:${opened.programId}`);
    expect((await Program.findById(opened.programId).lean())?.status).toBe("pending_curator");

    // Kate is no longer young (born 1980, 20 years of experience): the pair ends, she answers satisfaction only.
    await User.updateOne({ telegramId: s.mentee.id }, { $set: { "profile.birthYear": 1980, "profile.experienceYears": 20 } });
    await s.t.send(callback(s.mentee, `pg:end:${s.pair._id}`));
    await say(s.t, s.mentee, "We are done early");
    await press(s.t, s.mentee, `fs:s:${s.pair._id}:4`);
    expect(s.t.fake.lastTextTo(s.mentee.chatId)).toContain("What changed for you");
    await s.t.send(callback(s.mentee, `fs:a:${s.pair._id}:1`));
    expect(lastAnswer(s.t)).toContain("not available");
    expect((await FinalSurvey.findOne({}).lean())?.adaptation).toBeUndefined();
  });

  it("a photo of the mentee's work is published only with the separate photo/video consent", async () => {
    const s = await approved();
    await s.t.send(callback(s.m, `pg:pr:${s.programId}`));
    await s.t.send(photo(s.m, "open-lesson-photo"));
    expect(s.t.fake.lastTextTo(s.m.chatId)).toBe("Продукт добавлен к программе.");
    s.c.advance(new Date("2027-02-23T06:00:00Z").getTime() - s.c.now().getTime());
    await s.t.queue.tick();
    await press(s.t, s.cur, `pg:pk:${s.programId}`);
    const card = (await BestPractice.findOne({}).lean())!;
    expect(card.attachments).toEqual([{ kind: "photo", fileId: "open-lesson-photo" }]);

    // Published without the materials: colleagues see the card but not the photo.
    await press(s.t, s.m, `bp:p:${card._id}`);
    expect(s.t.fake.lastTextTo(s.m.chatId)).toContain("отдельного согласия");
    await press(s.t, s.m, `bp:c:${card._id}`);
    expect((await BestPractice.findById(card._id).lean())?.mediaConsentAt).toBeUndefined();
    const photosBefore = s.t.fake.sent("sendPhoto").length;
    await say(s.t, s.colleague, "/practices");
    await press(s.t, s.colleague, `bp:v:${card._id}`);
    expect(s.t.fake.sent("sendPhoto").length).toBe(photosBefore);

    // Republished with the photo/video consent: the photo goes out as a photo.
    await press(s.t, s.m, `bp:e:${card._id}`);
    await press(s.t, s.m, `bp:f:${card._id}:phone`);
    await say(s.t, s.m, "+7 900 000-00-00"); // an edit withdraws the publication
    await s.t.send(callback(s.m, `bp:p:${card._id}`));
    await press(s.t, s.m, `bp:cm:${card._id}`);
    expect((await BestPractice.findById(card._id).lean())?.mediaConsentAt).toBeInstanceOf(Date);
    expect(await Consent.countDocuments({ type: "photo_video", subjectId: card._id, withdrawnAt: { $exists: false } })).toBe(1);
    await s.t.send(callback(s.colleague, `bp:v:${card._id}`));
    expect(s.t.fake.sent("sendPhoto").at(-1)?.payload.photo).toBe("open-lesson-photo");
  });

  it("erasure strips the program's texts and deletes the author's cards; unpublishing withdraws the consent", async () => {
    const s = await approved();
    // The program ends, is packaged and published.
    s.c.advance(new Date("2027-02-23T06:00:00Z").getTime() - s.c.now().getTime());
    await s.t.queue.tick();
    await press(s.t, s.cur, `pg:pk:${s.programId}`);
    const card = (await BestPractice.findOne({}).lean())!;
    await press(s.t, s.m, `bp:p:${card._id}`);
    await press(s.t, s.m, `bp:c:${card._id}`);
    await s.t.send(callback(s.m, `bp:c:${card._id}`)); // a double tap writes no second consent
    expect(await Consent.countDocuments({ type: "publication", subjectId: card._id })).toBe(1);

    // The curator takes it out of the bank: the consent is marked withdrawn.
    await press(s.t, s.cur, `bp:v:${card._id}`);
    await press(s.t, s.cur, `bp:u:${card._id}`);
    expect((await BestPractice.findById(card._id).lean())?.status).toBe("draft");
    expect((await Consent.findOne({ type: "publication", subjectId: card._id }).lean())?.withdrawnAt).toBeInstanceOf(Date);

    // The mentee erases their data: the program keeps its structure only.
    await say(s.t, s.mentee, "/deleteme");
    await press(s.t, s.mentee, "del:yes");
    const p = (await Program.findById(s.programId).lean())!;
    expect(p.menteeId).toBeUndefined();
    expect(p.goal).toBe("—");
    expect(p.product).toBe("—");
    expect(p.items.map((i) => i.title)).toEqual(["—"]);
    expect(p.status).toBe("completed");
    expect(p.months).toBe(3);
    expect(JSON.stringify(p)).not.toContain("Kate");

    // The mentor (the author) erases too: the card is gone.
    await say(s.t, s.m, "/deleteme");
    await press(s.t, s.m, "del:yes");
    expect(await BestPractice.countDocuments({})).toBe(0);
  });
});
