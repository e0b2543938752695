import { describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { makeUser, type TestUser } from "./helpers/updates.ts";
import { clock, inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { Job, Program, RiskFlag, SurveyResponse, User } from "../models/index.ts";
import { planActual } from "../src/domain/plan-actual.ts";

useTestDatabase({ resetBetweenTests: true });

const questions = (t: TestBot, u: TestUser) => t.fake.textsTo(u.chatId).filter((x) => /вопрос \d+ из|question \d+ of/.test(x));

async function setup() {
  const c = clock(new Date("2026-11-23T07:00:00Z"));
  const t = buildTestBot({ clock: c });
  const home = await org("Детский сад № 151", "Europe/Moscow");
  const far = await org("Детский сад № 7 Владивосток", "Asia/Vladivostok");
  const cur = makeUser(610001, "Куратор", "ru");
  await register(t, cur, { payload: await inviteFor(home.id, "curator"), role: "curator", answers: { fullName: "Куратор Садовая Ивановна", position: "senior_educator" } });
  const a = makeUser(610002, "Анна", "ru");
  await register(t, a, { payload: await inviteFor(home.id, "mentee"), answers: { fullName: "Молодая Анна Сергеевна" } });
  const v = makeUser(610003, "Вера", "ru");
  await register(t, v, { payload: await inviteFor(far.id, "mentee"), answers: { fullName: "Восточная Вера Игоревна" } });
  return { c, t, home, far, cur, a, v };
}

async function at(s: { c: ReturnType<typeof clock>; t: TestBot }, iso: string): Promise<void> {
  s.c.advance(new Date(iso).getTime() - s.c.now().getTime());
  await s.t.queue.tick();
}

/** Answers the adaptation set: five scores, support "yes", the last (optional text) skipped. */
async function answerAdaptation(t: TestBot, u: TestUser, scores: number[]): Promise<void> {
  for (let i = 0; i < 5; i++) await press(t, u, new RegExp(`^qs:a:[0-9a-f]{24}:${i}:${scores[i]}$`));
  await press(t, u, /^qs:a:[0-9a-f]{24}:5:yes$/);
  await press(t, u, /^qs:s:[0-9a-f]{24}:6$/);
}

describe("adaptation over the first year", () => {
  it("surveys at 1, 3 and 12 months at 09:00 in each teacher's own zone; a drop raises a risk flag; /report shows the change", { timeout: 120_000 }, async () => {
    const s = await setup();
    const { t, cur, a, v } = s;
    for (const u of [a, v]) {
      await say(t, u, "/startdate");
      await say(t, u, "вчера");
      expect(t.fake.lastTextTo(u.chatId)).toContain("Не удалось прочитать дату");
      await say(t, u, "01.12.2026");
      expect(t.fake.lastTextTo(u.chatId)).toContain("не позже сегодняшней");
      await say(t, u, "01.11.2026");
      expect(t.fake.lastTextTo(u.chatId)).toBe("Дата сохранена. Запланировано опросов об адаптации: 3.");
    }
    const runs = async (u: TestUser) => {
      const id = String((await User.findOne({ telegramId: u.id }).lean())?._id);
      return (await Job.find({ type: "adaptation-survey", key: new RegExp(`^adapt:${id}:`) }).sort({ runAt: 1 }).lean()).map((j) => j.runAt.toISOString());
    };
    expect(await runs(a)).toEqual(["2026-12-01T06:00:00.000Z", "2027-02-01T06:00:00.000Z", "2027-11-01T06:00:00.000Z"]);
    expect(await runs(v)).toEqual(["2026-11-30T23:00:00.000Z", "2027-01-31T23:00:00.000Z", "2027-10-31T23:00:00.000Z"]);

    await at(s, "2026-11-30T23:30:00Z");
    expect(questions(t, v)).toHaveLength(1);
    expect(questions(t, v)[0]).toContain("Адаптация молодого специалиста");
    expect(questions(t, a)).toEqual([]);
    await at(s, "2026-12-01T06:30:00Z");
    expect(questions(t, a)).toHaveLength(1);
    await answerAdaptation(t, a, [5, 5, 4, 4, 5]);
    expect(t.fake.lastTextTo(a.chatId)).toBe("Спасибо, ответы записаны!");

    await at(s, "2027-02-01T06:30:00Z");
    expect(questions(t, a).at(-1)).toContain("вопрос 1 из 7");
    await answerAdaptation(t, a, [2, 2, 3, 2, 2]);
    const flags = await RiskFlag.find({}).lean();
    expect(flags.map((f) => [f.kind, f.score])).toEqual([["adaptation_drop", 2.2]]);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("снизилась оценка адаптации — с 4,6 до 2,2 (педагог: Молодая Анна Сергеевна)");
    // Each teacher got the 3-month survey once.
    expect(await SurveyResponse.countDocuments({ occasion: "adapt:3" })).toBe(2);

    await say(t, cur, "/report 01.11.2026 28.02.2027");
    const extra = t.fake.textsTo(cur.chatId).filter((x) => x.includes("Адаптация и удовлетворённость")).at(-1) ?? "";
    expect(extra).toContain("адаптация через 1 месяц: 4,6 (ответов: 1)");
    expect(extra).toContain("адаптация через 3 месяца: 2,2 (ответов: 1)");
    await say(t, cur, "/digest");
    expect(t.fake.textsTo(cur.chatId).some((x) => x.includes("Молодая Анна Сергеевна: оценка адаптации снизилась до 2,2"))).toBe(true);
  });
});

describe("planned versus actual", () => {
  it("counts plan items on time, late, not done and ahead per program, and programs of the year; /report and the export show them", { timeout: 120_000 }, async () => {
    const s = await setup();
    const { t, cur, home } = s;
    const now = s.c.now();
    const d = (iso: string) => new Date(iso);
    const base = { pairId: new Types.ObjectId(), requestId: new Types.ObjectId(), organizationId: new Types.ObjectId(home.id), mentorId: new Types.ObjectId() };
    await Program.create({
      ...base,
      goal: "Портфолио педагога",
      status: "active",
      startDate: d("2026-09-01T00:00:00Z"),
      endDate: d("2026-12-01T00:00:00Z"),
      items: [
        { title: "Разделы", due: d("2026-10-01T20:59:59Z"), status: "done", doneAt: d("2026-09-30T10:00:00Z") },
        { title: "Фото", due: d("2026-10-15T20:59:59Z"), status: "done", doneAt: d("2026-10-20T10:00:00Z") },
        { title: "Отзывы", due: d("2026-11-01T20:59:59Z"), status: "open" },
        { title: "Защита", due: d("2026-11-30T20:59:59Z"), status: "open" },
      ],
    });
    await Program.create({ ...base, pairId: new Types.ObjectId(), goal: "Работа с родителями", status: "completed", startDate: d("2026-03-01T00:00:00Z"), endDate: d("2026-09-01T00:00:00Z"), items: [{ title: "Собрание", due: d("2026-05-01T20:59:59Z"), status: "done", doneAt: d("2026-05-01T10:00:00Z") }] });
    await Program.create({ ...base, pairId: new Types.ObjectId(), goal: "Черновик", status: "draft", items: [] });
    await Program.create({ ...base, pairId: new Types.ObjectId(), goal: "Прервана", status: "terminated", startDate: d("2026-04-01T00:00:00Z"), endDate: d("2026-10-01T00:00:00Z"), items: [{ title: "Открытое занятие", due: d("2026-12-20T20:59:59Z"), status: "open" }] });

    const pa = await planActual([home.id], now, "Europe/Moscow");
    expect(pa.totals).toEqual({ items: 6, onTime: 2, late: 1, notDone: 2, ahead: 1 });
    expect(pa.programs.map((p) => [p.goal, p.onTime, p.late, p.notDone, p.ahead])).toEqual([
      ["Работа с родителями", 1, 0, 0, 0],
      ["Прервана", 0, 0, 1, 0],
      ["Портфолио педагога", 1, 1, 1, 1],
    ]);
    expect([pa.year, pa.plannedThisYear, pa.completedThisYear]).toEqual([2026, 3, 1]);

    await say(t, cur, "/report 01.11.2026 22.11.2026");
    const extra = t.fake.textsTo(cur.chatId).find((x) => x.includes("План и факт")) ?? "";
    expect(extra).toContain("Пункты планов: в срок — 2, с опозданием — 1, не выполнено — 2, впереди — 1.");
    expect(extra).toContain("Программы 2026 года: запланировано к завершению — 3, завершено — 1.");
    expect(extra).toContain("• Портфолио педагога: в срок 1, с опозданием 1, не выполнено 1, впереди 1");

    await say(t, cur, "/export");
    await press(t, cur, "dg:x:csv");
    const sheet = t.fake.sent("sendDocument").map((x) => x.files.document).find((f) => f?.filename.startsWith("nastavnik-plan-"));
    const csv = sheet?.content.toString("utf8") ?? "";
    expect(csv).toContain("Выполнено в срок");
    expect(csv.split("\n").find((l) => l.includes("Портфолио педагога"))).toMatch(/;4;1;1;1;1\s*$/);
  });
});
