import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { docxText } from "./helpers/docx.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { clock, inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { at, pair, person, program, request } from "./helpers/digest-fixture.ts";
import { BestPractice, Program } from "../models/index.ts";
import { orderDocx, programDocx, reportDocx } from "../src/domain/documents/index.ts";
import { createI18n } from "../src/bot/i18n.ts";
import { runCli } from "../src/cli.ts";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

useTestDatabase({ resetBetweenTests: true });

const NOW = new Date("2026-12-01T06:00:00Z");


async function curatorOf(t: TestBot, orgId: string, id: number, name: string): Promise<TestUser> {
  const u = makeUser(id, name.split(" ")[1] as string, "ru");
  await register(t, u, { payload: await inviteFor(orgId, "curator", 1, 7 * 86_400_000, NOW), role: "curator", answers: { fullName: name, position: "senior_educator" } });
  return u;
}

const docs = (t: TestBot, u: TestUser) => t.fake.sent("sendDocument").filter((d) => d.payload.chat_id === u.chatId);

async function scenario() {
  const home = await org("Детский сад № 5", "Europe/Moscow");
  const far = await org("Детский сад № 8", "Asia/Vladivostok");
  const mentor = await person(home.id, "Лебедева Дарья Олеговна", { telegramId: 810001, roles: [{ role: "mentor", organizationId: null }] });
  const mentee = await person(home.id, "Соколов Артём Ильич", { telegramId: 810002 });
  const r = await request(home.id, mentee, "2026-11-10T08:00:00Z", [["matched", "2026-11-11T09:00:00Z"]], ["A1", "B3"]);
  const p = await pair(home.id, r, mentor, mentee, "2026-11-11T09:00:00Z", { menteeConsentAt: at("2026-11-12T10:00:00Z") });
  await program(home.id, p, mentor, mentee, {
    requestId: r,
    goal: "Освоить планирование по ФОП ДО",
    months: 6,
    startDate: at("2026-11-13T21:00:00Z"),
    endDate: at("2027-05-13T21:00:00Z"),
    roleModel: "experienced_to_young",
    form: "individual",
    product: "Календарно-тематический план группы",
    items: [
      { title: "Посещение занятий наставника", due: at("2026-12-15T20:59:59Z"), expected: "Конспект наблюдений", status: "done", doneAt: at("2026-11-30T10:00:00Z") },
      { title: "Составить план на январь", due: at("2027-01-20T20:59:59Z"), expected: "План на месяц", status: "open" },
    ],
  });
  // Another kindergarten's pair in the same period: never in the first curator's documents.
  const farMentor = await person(far.id, "Орлова Нина Павловна");
  const farMentee = await person(far.id, "Зайцева Ксения Игоревна");
  const fr = await request(far.id, farMentee, "2026-11-15T08:00:00Z", [["matched", "2026-11-16T09:00:00Z"]], ["D1"]);
  await pair(far.id, fr, farMentor, farMentee, "2026-11-16T09:00:00Z");
  const programId = (await Program.findOne({ pairId: p }).lean())!._id.toString();
  return { home, far, mentor, mentee, programId };
}

describe("documents (.docx) in the forms of seed 003", () => {
  it("/report offers the order and the report for its period; both open and hold the scenario's people and figures, of the curator's scope only", async () => {
    const t = buildTestBot({ clock: clock(NOW) });
    const s = await scenario();
    const cur = await curatorOf(t, s.home.id, 810010, "Кураторова Ольга Петровна");
    await say(t, cur, "/report 01.11.2026 30.11.2026");
    expect(t.fake.lastTextTo(cur.chatId)).toBe("Документы за этот период для печати и подписи:");

    await press(t, cur, /^dg:doc:o:/);
    const order = docs(t, cur).at(-1)!;
    expect(order.files.document?.filename).toBe("prikaz-pary-Детский-сад-5-01.11.2026-30.11.2026.docx");
    const orderText = await docxText(order.files.document!.content);
    expect(orderText).toContain("ПРИКАЗ");
    expect(orderText).toContain("О закреплении наставнических пар");
    expect(orderText).toContain("1. Закрепить наставнические пары на период с 01.11.2026 по 30.11.2026 согласно списку:");
    expect(orderText).toContain("Лебедева Дарья Олеговна, воспитатель");
    expect(orderText).toContain("Соколов Артём Ильич, воспитатель");
    expect(orderText).toContain("с 14.11.2026 по 14.05.2027"); // the program's term, local dates
    expect(orderText).toContain("11.11.2026\n12.11.2026"); // both consent dates
    expect(orderText).not.toContain("Орлова");
    expect(docs(t, cur)).toHaveLength(1); // one organization in scope: one order

    await press(t, cur, /^dg:doc:r:/);
    const report = docs(t, cur).at(-1)!;
    const reportText = await docxText(report.files.document!.content);
    expect(reportText).toContain("Отчёт куратора о реализации программы наставничества");
    expect(reportText).toContain("за период с 01.11.2026 по 30.11.2026");
    expect(reportText).toContain("Организации: Детский сад № 5");
    expect(reportText).toContain("Сформировано наставнических пар\n1");
    expect(reportText).toContain("Запросы, получившие наставника за 7 дней\n100 %\n1\n1");
    expect(reportText).not.toContain("Детский сад № 8");

    // /export: the report and the orders of the last 12 months.
    await say(t, cur, "/export");
    await press(t, cur, "dg:x:docx");
    const exported = docs(t, cur).slice(-2).map((d) => d.files.document?.filename);
    expect(exported).toEqual(["otchet-Детский-сад-5-01.12.2025-01.12.2026.docx", "prikaz-pary-Детский-сад-5-01.12.2025-01.12.2026.docx"]);
  });

  it("a forged document button of a non-curator is refused; the program card sends the program to its people only", async () => {
    const t = buildTestBot({ clock: clock(NOW) });
    const s = await scenario();
    const mentor = makeUser(810001, "Дарья", "ru");
    const outsider = makeUser(810003, "Чужой", "ru");
    await person(s.far.id, "Чужая Вера Ивановна", { telegramId: 810003 });

    await t.send(callback(mentor, "dg:doc:o:0:1"));
    expect(String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text)).toContain("доступны");
    expect(docs(t, mentor)).toHaveLength(0);

    await t.send(callback(outsider, `pg:doc:${s.programId}`));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.show_alert).toBe(true);
    expect(docs(t, outsider)).toHaveLength(0);

    await t.send(callback(mentor, `pg:v:${s.programId}`));
    await press(t, mentor, `pg:doc:${s.programId}`);
    const doc = docs(t, mentor).at(-1)!;
    const text = await docxText(doc.files.document!.content);
    expect(text).toContain("Персонализированная программа наставничества");
    expect(text).toContain("Наставник: Лебедева Дарья Олеговна, воспитатель");
    expect(text).toContain("Наставляемый: Соколов Артём Ильич, воспитатель");
    expect(text).toContain("Цель: Освоить планирование по ФОП ДО");
    expect(text).toContain("Задачи: Преодолеть профессиональные затруднения наставляемого: Реализация ФГОС ДО и ФОП ДО, рабочая программа группы; Развивающая предметно-пространственная среда (РППС).");
    expect(text).toContain("Срок: с 14.11.2026 по 14.05.2027 (6 мес.)");
    expect(text).toContain("Ролевая модель: опытный — молодому");
    expect(text).toContain("Форма реализации: индивидуальная");
    expect(text).toContain("1\nПосещение занятий наставника\n15.12.2026\nнаставник, наставляемый\nКонспект наблюдений\n30.11.2026");
    expect(text).toContain("2\nСоставить план на январь\n20.01.2027\nнаставник, наставляемый\nПлан на месяц");
    expect(text).toContain("Календарно-тематический план группы");
  });

  it("the best-practice card and the CLI-level builders: the card's fields, a curator's report of a network", async () => {
    const s = await scenario();
    const i18n = createI18n("ru", async () => "ru");
    const t = (key: string, args?: Record<string, string | number>) => i18n.t("ru", key, args);
    const card = await BestPractice.create({
      programId: s.programId,
      organizationId: s.home.id,
      authorId: s.mentor,
      authorName: "Лебедева Дарья Олеговна",
      email: "d.lebedeva@example.org",
      phone: "+7 900 000-00-00",
      organizationName: "Детский сад № 5",
      position: "Воспитатель",
      experienceYears: 12,
      topic: "Планирование по ФОП ДО с молодым воспитателем",
      goal: "Научить планированию",
      results: "План группы составлен самостоятельно",
      roleModel: "experienced_to_young",
      content: "Наблюдение, совместное планирование, разбор",
      links: ["https://example.org/case"],
      status: "published",
    });
    const { practiceDocx } = await import("../src/domain/documents/index.ts");
    const cardText = await docxText((await practiceDocx(card._id.toString(), t))!.content);
    expect(cardText).toContain("Информационная карта наставнической практики");
    expect(cardText).toContain("Ф.И.О. автора опыта, e-mail, телефон: Лебедева Дарья Олеговна, d.lebedeva@example.org, +7 900 000-00-00");
    expect(cardText).toContain("Стаж в должности, лет: 12");
    expect(cardText).toContain("Тема лучшей педагогической практики: Планирование по ФОП ДО с молодым воспитателем");
    expect(cardText).toContain("https://example.org/case");

    const period = { from: at("2026-10-31T21:00:00Z"), to: at("2026-11-30T21:00:00Z") };
    const network = await docxText((await reportDocx([s.home.id, s.far.id], period, t, NOW)).content);
    expect(network).toContain("Организации: Детский сад № 5; Детский сад № 8");
    expect(network).toContain("По организациям");
    expect(network).toContain("Сформировано наставнических пар\n2");
    const program = await docxText((await programDocx(s.programId, t))!.content);
    expect(program).toContain("Календарно-тематический план группы");
    expect(await orderDocx("nope", period, t, NOW)).toBeNull();
  });

  it("the CLI writes the order for a period; --as limits it to that curator's scope", async () => {
    const t = buildTestBot({ clock: clock(NOW) });
    const s = await scenario();
    await curatorOf(t, s.home.id, 810010, "Кураторова Ольга Петровна");
    const dir = mkdtempSync(join(tmpdir(), "nastavnik-doc-"));
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { ADMIN_IDS: "" });
      return { code, out, err };
    };
    const file = join(dir, "order.docx");
    const ok = await run(["doc", "order", "--org", s.home.id, "--from", "01.11.2026", "--to", "30.11.2026", "--as", "810010", "--out", file]);
    expect(ok).toMatchObject({ code: 0, out: [file], err: [] });
    const text = await docxText(readFileSync(file));
    expect(text).toContain("Лебедева Дарья Олеговна, воспитатель");
    // Another kindergarten's order is refused to this curator, and nothing is written.
    const refused = await run(["doc", "order", "--org", s.far.id, "--from", "01.11.2026", "--to", "30.11.2026", "--as", "810010", "--out", join(dir, "far.docx")]);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toContain("does not curate");
    const report = await run(["doc", "report", "--org", `${s.home.id},${s.far.id}`, "--from", "01.11.2026", "--to", "30.11.2026", "--out", join(dir, "report.docx")]);
    expect(report.code).toBe(0);
    expect(await docxText(readFileSync(join(dir, "report.docx")))).toContain("Детский сад № 5; Детский сад № 8");
    const program = await run(["doc", "program", s.programId, "--out", join(dir, "program.docx")]);
    expect(program.code).toBe(0);
    expect(await docxText(readFileSync(join(dir, "program.docx")))).toContain("Освоить планирование по ФОП ДО");
    expect((await run(["doc", "order", "--org", s.home.id])).code).toBe(2);
  });
});
