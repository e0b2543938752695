import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { clock, inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { Job, MentorshipRequest, SurveyCampaign, SurveyResponse, User } from "../models/index.ts";

useTestDatabase({ resetBetweenTests: true });

const DAY = 86_400_000;
const lastAnswer = (t: TestBot) => String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");
const questions = (t: TestBot, u: TestUser) => t.fake.textsTo(u.chatId).filter((x) => /вопрос \d+ из|question \d+ of/.test(x));
const reminders = (t: TestBot, u: TestUser) => t.fake.textsTo(u.chatId).filter((x) => /Напоминание: опрос|Reminder: please fill/.test(x));
const buttonsOf = (t: TestBot, u: TestUser) => t.fake.lastMessageTo(u.chatId)?.buttons.map((b) => b.data ?? "") ?? [];

/** A Moscow kindergarten in a network with a Vladivostok one; a curator of the Moscow one, two mentees and a mentor there, a mentee in Vladivostok. */
async function setup() {
  const c = clock(new Date("2026-11-23T07:00:00Z"));
  const t = buildTestBot({ clock: c });
  const home = await org("Детский сад № 151", "Europe/Moscow", "Сеть");
  const far = await org("Детский сад № 7 Владивосток", "Asia/Vladivostok", "Сеть");
  const cur = makeUser(600001, "Куратор", "ru");
  await register(t, cur, { payload: await inviteFor(home.id, "curator"), role: "curator", answers: { fullName: "Куратор Садовая Ивановна", position: "senior_educator" } });
  const a = makeUser(600002, "Анна", "ru");
  await register(t, a, { payload: await inviteFor(home.id, "mentee"), answers: { fullName: "Молодая Анна Сергеевна" } });
  const b = makeUser(600003, "Kate", "en");
  await register(t, b, { payload: await inviteFor(home.id, "mentee"), locale: "en", answers: { fullName: "Kate Newcomer" } });
  const m = makeUser(600004, "Наставница", "ru");
  await register(t, m, { payload: await inviteFor(home.id, "mentor"), role: "mentor", answers: { fullName: "Опытная Мария Петровна", experience: "20" } });
  const farMentee = makeUser(600005, "Далёкая", "ru");
  await register(t, farMentee, { payload: await inviteFor(far.id, "mentee"), answers: { fullName: "Далёкая Ольга Ивановна" } });
  return { c, t, home, far, cur, a, b, m, farMentee };
}

/** The curator sends a set through /surveys: set → audience → (scope) → deadline → send. */
async function sendCampaign(t: TestBot, cur: TestUser, setCode: string, audience: "mentee" | "mentor" | "all", days = "7") {
  await say(t, cur, "/surveys");
  await press(t, cur, "qc:new");
  await press(t, cur, `qcx:s:${setCode}`);
  await press(t, cur, `qcx:a:${audience}`);
  await press(t, cur, `qcx:d:${days}`);
  expect(t.fake.lastTextTo(cur.chatId)).toContain("Отправить опрос?");
  await press(t, cur, "qcx:ok");
}

describe("survey campaigns", () => {
  it("a curator sends a set to the mentees of her organization; one question per message, pause and resume, one reminder, results", { timeout: 120_000 }, async () => {
    const { c, t, cur, a, b, m, farMentee } = await setup();
    await sendCampaign(t, cur, "need-for-mentoring", "mentee");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("получателей — 2");
    const campaign = await SurveyCampaign.findOne({}).lean();
    // The deadline is the end of the 7th local day in Moscow: 30.11 23:59:59 MSK.
    expect(campaign?.deadline.toISOString()).toBe("2026-11-30T20:59:59.000Z");
    expect((await Job.findOne({ type: "survey-remind" }).lean())?.runAt.toISOString()).toBe("2026-11-29T20:59:59.000Z");

    await t.queue.tick();
    expect(questions(t, a)).toHaveLength(1);
    expect(questions(t, a)[0]).toContain("Потребность в наставничестве");
    expect(questions(t, a)[0]).toContain("вопрос 1 из 5");
    expect(questions(t, b)[0]).toContain("question 1 of 5");
    for (const u of [m, farMentee, cur]) expect(questions(t, u)).toEqual([]);

    // Single choice → multiple choice (toggle, max 3, done) → scale.
    await press(t, a, /^qs:a:[0-9a-f]{24}:0:yes$/);
    expect(questions(t, a).at(-1)).toContain("вопрос 2 из 5");
    const rid = buttonsOf(t, a)[0]?.split(":")[2] as string;
    for (const o of ["a", "d", "e"]) await t.send(callback(a, `qs:t:${rid}:1:${o}`));
    await t.send(callback(a, `qs:t:${rid}:1:f`));
    expect(lastAnswer(t)).toContain("не подходит");
    await t.send(callback(a, `qs:t:${rid}:1:e`)); // untoggle
    await t.send(callback(a, `qs:d:${rid}:1`));
    expect(questions(t, a).at(-1)).toContain("вопрос 3 из 5");
    await press(t, a, `qs:a:${rid}:2:flash`);
    // A double tap on an old button and a forged press by another person change nothing.
    await t.send(callback(a, `qs:a:${rid}:2:group`));
    expect(lastAnswer(t)).toBe("Уже записано, спасибо.");
    await t.send(callback(b, `qs:a:${rid}:3:5`));
    expect(lastAnswer(t)).toContain("not available");
    await press(t, a, `qs:a:${rid}:3:2`);
    // Pause at the text question.
    expect(questions(t, a).at(-1)).toContain("вопрос 5 из 5");
    await press(t, a, `qs:p:${rid}`);
    expect(t.fake.lastTextTo(a.chatId)).toContain("Опрос на паузе: отвечено 4 из 5");
    expect((await SurveyResponse.findById(rid).lean())?.status).toBe("paused");

    // Six days later: one reminder to both unfinished recipients, nobody else; never twice.
    c.advance(6 * DAY + 14 * 3_600_000);
    await t.queue.tick();
    expect(reminders(t, a)).toHaveLength(1);
    expect(reminders(t, a)[0]).toContain("до 30.11.2026");
    expect(reminders(t, b)).toHaveLength(1);
    for (const u of [m, farMentee, cur]) expect(reminders(t, u)).toEqual([]);
    await t.queue.tick();
    expect(reminders(t, a)).toHaveLength(1);

    // Resume (from the reminder or /surveys) → the same question → a text answer.
    await say(t, a, "/surveys");
    expect(t.fake.lastTextTo(a.chatId)).toContain("отвечено 4 из 5");
    await press(t, a, `qs:r:${rid}`);
    expect(questions(t, a).at(-1)).toContain("вопрос 5 из 5");
    await press(t, a, `qs:w:${rid}:4`);
    await say(t, a, "Хочу научиться работать с родителями");
    expect(t.fake.lastTextTo(a.chatId)).toBe("Спасибо, ответы записаны!");
    const done = await SurveyResponse.findById(rid).lean();
    expect(done).toMatchObject({ status: "done", scaleAverage: 2 });
    expect(done?.answers.map((x) => [x.q, x.choice ?? x.choices?.join(",") ?? x.score ?? x.text])).toEqual([
      ["need", "yes"],
      ["areas", "a,d"],
      ["form", "flash"],
      ["confidence", 2],
      ["wish", "Хочу научиться работать с родителями"],
    ]);

    // Results for the curator: counts and a chart; nobody else may open them.
    await t.send(callback(m, `qc:res:${String(campaign?._id)}`));
    expect(lastAnswer(t)).toContain("недоступно");
    await say(t, cur, "/surveys");
    await press(t, cur, `qc:res:${String(campaign?._id)}`);
    const summary = t.fake.textsTo(cur.chatId).find((x) => x.includes("Ответили: 1 из 2")) ?? "";
    expect(summary).toContain("Средняя оценка 2,0");
    expect(summary).toContain("Работа с родителями — 1");
    expect(summary).toContain("«Хочу научиться работать с родителями»");
    expect(summary).not.toContain("Молодая Анна");
    expect(t.fake.sent("sendPhoto").filter((x) => x.payload.chat_id === cur.chatId)).toHaveLength(1);

    // After the deadline the survey is closed for the one who did not answer.
    c.advance(2 * DAY);
    const bRid = (await SurveyResponse.findOne({ respondentId: (await User.findOne({ telegramId: b.id }).lean())?._id }).lean())?._id;
    await t.send(callback(b, `qs:a:${String(bRid)}:0:yes`));
    expect(lastAnswer(t)).toContain("deadline has passed");
    expect((await SurveyResponse.findById(bRid).lean())?.status).toBe("expired");
  });

  it("an anonymous set keeps no link to the respondent and its results name nobody", { timeout: 120_000 }, async () => {
    const { t, cur, a, m } = await setup();
    await sendCampaign(t, cur, "team-climate", "all");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("получателей — 3");
    await t.queue.tick();
    expect(questions(t, m)[0]).toContain("Анонимный опрос");
    const rid = buttonsOf(t, a)[0]?.split(":")[2] as string;
    await press(t, a, `qs:a:${rid}:0:4`);
    await press(t, a, `qs:a:${rid}:1:3`);
    await press(t, a, `qs:a:${rid}:2:5`);
    await press(t, a, `qs:a:${rid}:3:formal`);
    await press(t, a, `qs:s:${rid}:4`);
    expect(t.fake.lastTextTo(a.chatId)).toBe("Спасибо, ответы записаны!");
    const done = await SurveyResponse.findById(rid).lean();
    expect(done?.status).toBe("done");
    expect(done?.respondentId).toBeUndefined();
    expect(done?.key).not.toContain(String((await User.findOne({ telegramId: a.id }).lean())?._id));
    // A second press on the finished survey is refused without revealing anything.
    await t.send(callback(a, `qs:a:${rid}:4:x`));
    expect(lastAnswer(t)).toBe("Уже записано, спасибо.");
    await say(t, cur, "/surveys");
    await press(t, cur, /^qc:res:/);
    const summary = t.fake.textsTo(cur.chatId).find((x) => x.includes("Ответили: 1 из 3")) ?? "";
    expect(summary).toContain("Анонимный опрос");
    for (const name of ["Молодая", "Kate", "Опытная"]) expect(summary).not.toContain(name);
    // The export has the answers, marked anonymous, with no name anywhere.
    await say(t, cur, "/export");
    await press(t, cur, "dg:x:csv");
    const sheet = t.fake.sent("sendDocument").map((d) => d.files.document).find((f) => f?.filename.startsWith("nastavnik-questionnaires-"));
    const csv = sheet?.content.toString("utf8") ?? "";
    expect(csv).toContain("Респондент");
    expect(csv.split("\n").filter((l) => l.includes("Климат в коллективе"))).toHaveLength(5);
    expect(csv).toContain("Скорее формально");
    expect(csv).toContain(";Анонимно;");
    for (const name of ["Молодая", "Kate", "Опытная"]) expect(csv).not.toContain(name);
  });
});

/** Answers the whole deficit diagnostic: `low` maps question ids to a score, the rest get 4. */
async function takeDiagnostic(t: TestBot, u: TestUser, low: Record<string, number>): Promise<void> {
  await say(t, u, "/diagnostic");
  const ids = ["a1", "a3", "a4", "b1", "b2", "b3", "b4", "b6", "c1", "d1", "d2", "e1", "e2", "f1", "g1"];
  for (let i = 0; i < ids.length; i++) await press(t, u, new RegExp(`^qs:a:[0-9a-f]{24}:${i}:${low[ids[i] as string] ?? 4}$`));
}

/** The rest of /request after the topics: confidence per topic, situation, kind, mode, times, confirm. */
async function finishRequest(t: TestBot, u: TestUser, topics: string[]): Promise<void> {
  for (const c of [...topics].sort()) await press(t, u, `rq:c:${c}:2`);
  await say(t, u, "Трудно готовить документы и говорить с родителями");
  await press(t, u, "rq:k:long_term");
  await press(t, u, "rq:m:any");
  await press(t, u, "rq:d:done");
  await press(t, u, "rq:ok");
}

describe("diagnostic → suggested deficits → request", () => {
  it("low-scoring areas are offered at /request; confirming them records the method 'diagnostic', changing them 'self-assessment'; the export says which", { timeout: 120_000 }, async () => {
    const { t, cur, a, b } = await setup();
    // Before any diagnostic /request asks for topics as before.
    await say(t, a, "/request");
    expect(t.fake.lastTextTo(a.chatId)).toContain("тем");
    expect(t.fake.lastMessageTo(a.chatId)?.buttons.some((x) => x.data === "rq:g:A")).toBe(true);
    await say(t, a, "/cancel");

    await takeDiagnostic(t, a, { a4: 1, d2: 1, b1: 2, e2: 2 });
    expect(t.fake.lastTextTo(a.chatId)).toContain("диагностика пройдена");
    await say(t, a, "/request");
    const offer = t.fake.lastTextTo(a.chatId) ?? "";
    expect(offer).toContain("Педагогическая диагностика развития детей — 1,0");
    expect(offer).toContain("Конфликты с родителями: профилактика и разрешение — 1,0");
    expect(offer).toContain("Подготовка и проведение занятий — 2,0");
    expect(offer).not.toContain("Презентации"); // only the three lowest
    await press(t, a, "rq:sg:yes");
    await finishRequest(t, a, ["A4", "B1", "D2"]);
    const request = await MentorshipRequest.findOne({ menteeId: (await User.findOne({ telegramId: a.id }).lean())?._id }).lean();
    expect(request?.topics).toEqual(["A4", "D2", "B1"]);
    expect(request?.identifiedBy).toBe("diagnostic");

    // Kate changes the suggestion: her pick is recorded as self-assessment.
    await takeDiagnostic(t, b, { g1: 1 });
    await say(t, b, "/request");
    expect(t.fake.lastTextTo(b.chatId)).toContain("Emotional burnout and stress — 1.0");
    await press(t, b, "rq:sg:no");
    expect(t.fake.lastTextTo(b.chatId)).toContain("Emotional burnout and stress"); // pre-filled
    await press(t, b, "rq:g:E");
    await press(t, b, "rq:i:t:E2");
    await press(t, b, "rq:i:done");
    await press(t, b, "rq:g:done");
    await finishRequest(t, b, ["E2", "G3"]);
    const kate = await MentorshipRequest.findOne({ menteeId: (await User.findOne({ telegramId: b.id }).lean())?._id }).lean();
    expect(kate?.topics.sort()).toEqual(["E2", "G3"]);
    expect(kate?.identifiedBy).toBe("self_assessment");

    // The curator's export names the method per request.
    await say(t, cur, "/export");
    await press(t, cur, "dg:x:csv");
    const mentees = t.fake.sent("sendDocument").map((d) => d.files.document).find((f) => f?.filename.startsWith("nastavnik-mentees-"));
    const csv = mentees?.content.toString("utf8") ?? "";
    expect(csv).toContain("Способ выявления дефицита");
    expect(csv.split("\n").find((l) => l.includes("Молодая Анна"))).toContain(";диагностика;");
    expect(csv.split("\n").find((l) => l.includes("Kate Newcomer"))).toContain(";самооценка;");
    const answers = t.fake.sent("sendDocument").map((d) => d.files.document).find((f) => f?.filename.startsWith("nastavnik-questionnaires-"));
    const lines = (answers?.content.toString("utf8") ?? "").split("\n").filter((l) => l.includes("Молодая Анна Сергеевна"));
    expect(lines).toHaveLength(15);
    expect(lines[0]).toContain("по желанию педагога");
  });
});
