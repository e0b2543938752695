import { describe, expect, it, vi } from "vitest";
import ExcelJS from "exceljs";
import { useTestDatabase } from "./helpers/db.ts";
import { digestThread, exportThread, type ThreadWork } from "../src/domain/digest-thread.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { clock, inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { BOUNDARY_INSTANTS, at, meeting, moscowWeek, pair, person, program, request, selfAssessment, finalSurvey } from "./helpers/digest-fixture.ts";
import { DigestPreference, Job, User } from "../models/index.ts";
import { storedJobs } from "./helpers/jobs.ts";
import { DIGEST_JOB, seedDigestPlan } from "../jobs/digest.ts";
import { uploadLimit } from "../src/bot/features/digest.ts";

useTestDatabase({ resetBetweenTests: true });

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MONDAY_8_MSK = new Date("2026-11-30T05:00:00Z");

async function curatorOf(t: TestBot, orgId: string, id: number, name: string): Promise<TestUser> {
  const u = makeUser(id, name.split(" ")[0] as string, "ru");
  await register(t, u, { payload: await inviteFor(orgId, "curator", 1, 7 * 86_400_000, MONDAY_8_MSK), role: "curator", answers: { fullName: name, position: "senior_educator" } });
  return u;
}

const digestsTo = (t: TestBot, u: TestUser) => t.fake.textsTo(u.chatId).filter((x) => x.includes("Сводка за") || x.includes("Digest for"));
const lastAlert = (t: TestBot) => String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");

describe("/digest, /report and the digest's buttons", () => {
  it("a curator gets the week's digest with a chart; buttons open the risks and the settings", async () => {
    const c = clock(MONDAY_8_MSK);
    const t = buildTestBot({ clock: c });
    const home = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const cur = await curatorOf(t, home.id, 700001, "Ольга Кураторова");
    const ids = await moscowWeek(home.id);
    for (const iso of BOUNDARY_INSTANTS) await meeting(home.id, ids.m1, iso, "held");

    await say(t, cur, "/digest");
    const text = t.fake.sent("sendMessage").map((x) => String(x.payload.text)).find((x) => x.includes("Сводка за")) ?? "";
    expect(text).toContain("Сводка за 23.11–30.11.2026 — МДОУ «Детский сад № 27»");
    expect(text).toContain("Новые: 4 (+2) · пары сформированы: 1 (=)");
    expect(text).toContain("Ждут наставника: 3 (+2), из них дольше 3 дней: 2 · ждут вашего решения: 1");
    expect(text).toContain("Встречи: проведено 3 (=), сорвано 1 (+1), без отметки 1 (+1); запланировано на 7 дней: 1");
    expect(text).toContain("Полезность встреч: 3,5 из 5 (2 отв., было 4,0); низких оценок (1–2): 1");
    expect(text).toContain("Риски: 4");
    expect(text).toContain("Дина Павлова: бот заблокирован");
    expect(text).toContain("1. Портфолио педагога — 3 (+2)");
    const photo = t.fake.sent("sendPhoto").at(-1);
    expect(photo?.payload.chat_id).toBe(cur.chatId);
    expect(photo?.files.photo?.content.subarray(0, 8).equals(PNG)).toBe(true);
    expect(photo?.files.photo?.content.length).toBeGreaterThan(10_000);

    // The main menu has the same tools.
    await say(t, cur, "/start");
    await press(t, cur, "m:export");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("В каком формате выгрузить");
    await press(t, cur, /^dg:r:/);
    const risks = t.fake.lastTextTo(cur.chatId) ?? "";
    expect(risks).toContain("нет встреч 45 дн.");
    expect(risks).toContain("Наставник Свободный не ответил на предложения: 1");

    await press(t, cur, "dg:s");
    await press(t, cur, "dg:d:3");
    expect(await DigestPreference.findOne({}).lean()).toMatchObject({ weekday: 3 });
    await press(t, cur, "dg:m:1");
    expect(await DigestPreference.findOne({}).lean()).toMatchObject({ weekday: 3, muted: true });
    expect(t.fake.lastTextTo(cur.chatId)).toContain("сводка отключена (день: среда)");

    // /report: a period picked with a button, custom dates, and bad dates.
    await say(t, cur, "/report");
    await press(t, cur, "dg:p:last_week");
    const report = t.fake.sent("sendMessage").map((x) => String(x.payload.text)).filter((x) => x.includes("Отчёт за")).at(-1) ?? "";
    expect(report).toContain("Отчёт за 23.11–29.11.2026");
    expect(report).toContain("Показатели программы");
    expect(report).toContain("Запросы, получившие наставника за 7 дней: 100 % (1/1)");
    await say(t, cur, "/report 01.11.2026 30.11.2026");
    expect(t.fake.sent("sendMessage").map((x) => String(x.payload.text)).filter((x) => x.includes("Отчёт за")).at(-1)).toContain("Отчёт за 01.11–30.11.2026");
    await say(t, cur, "/report вчера и сегодня");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Не удалось разобрать даты");
  });

  it("the list of risks names everyone on it, while the digest names only those its text shows (issue 12)", async () => {
    const c = clock(MONDAY_8_MSK);
    const t = buildTestBot({ clock: c });
    const home = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const cur = await curatorOf(t, home.id, 700003, "Ольга Кураторова");
    // Eight pairs that have not met since September: eight quiet pairs, more than the digest shows.
    const mentees: string[] = [];
    for (let i = 1; i <= 8; i++) {
      const mentor = await person(home.id, `Наставница Тихая ${i}`);
      const name = `Воспитатель Молчаливая ${i}`;
      const mentee = await person(home.id, name);
      mentees.push(name);
      await pair(home.id, await request(home.id, mentee, "2026-09-01T08:00:00Z", [["matched", "2026-09-02T08:00:00Z"]], ["F1"]), mentor, mentee, "2026-09-02T08:00:00Z");
    }
    await say(t, cur, "/digest");
    const text = digestsTo(t, cur).at(-1) ?? "";
    expect(text).toContain("Риски: 8");
    expect(mentees.filter((n) => text.includes(n))).toHaveLength(5);
    await press(t, cur, /^dg:r:/);
    const risks = t.fake.textsTo(cur.chatId).at(-1) ?? "";
    for (const n of mentees) expect(risks).toContain(n);
    expect(risks).not.toContain("Удалённый пользователь");
  });

  it("refuses non-curators politely, in their language; forged buttons do nothing", async () => {
    const t = buildTestBot({ clock: clock(MONDAY_8_MSK) });
    const home = await org("Детский сад № 3", "Europe/Moscow");
    const mentee = makeUser(700010, "Kate", "en");
    await register(t, mentee, { payload: await inviteFor(home.id, "mentee"), locale: "en", answers: { fullName: "Kate Morozova" } });
    const stranger = makeUser(700011, "Иван", "ru");
    for (const cmd of ["/digest", "/report", "/export", "/report 01.11.2026 30.11.2026"]) {
      await say(t, mentee, cmd);
      expect(t.fake.lastTextTo(mentee.chatId), cmd).toContain("Digests, reports and exports are for curators and admins");
      await say(t, stranger, cmd);
      expect(t.fake.lastTextTo(stranger.chatId), cmd).toContain("доступны кураторам и администраторам");
    }
    const before = t.fake.sent().length;
    for (const data of ["dg:x", "dg:x:xlsx", "dg:x:csv", "dg:r", "dg:o", "dg:p:last_week", "dg:s", "dg:d:2", "dg:m:1", "m:digest", "m:report", "m:export"]) {
      await t.send(callback(mentee, data));
      expect(lastAlert(t), data).toContain("for curators and admins");
    }
    expect(t.fake.sent().slice(before).filter((x) => x.method !== "answerCallbackQuery")).toEqual([]);
    expect(await DigestPreference.countDocuments()).toBe(0);
  });
});

describe("the admin's digest", () => {
  it("covers the whole deployment by organization; the list is cut with an 'all organizations' button", async () => {
    const t = buildTestBot({ clock: clock(MONDAY_8_MSK), config: { adminIds: [700050] } });
    const orgs = [];
    for (let i = 1; i <= 12; i++) orgs.push(await org(`Детский сад № ${100 + i}`, i % 2 ? "Europe/Moscow" : "Asia/Yekaterinburg"));
    for (const [i, o] of orgs.entries()) for (let k = 0; k <= i % 3; k++) await request(o.id, await person(o.id, `Педагог ${i}-${k}`), "2026-11-25T08:00:00Z", [], ["F1"]);
    const admin = makeUser(700050, "Админ", "ru");
    await register(t, admin, { payload: await inviteFor(orgs[0]!.id, "mentee", 1, 7 * 86_400_000, MONDAY_8_MSK), answers: { fullName: "Админ Регионович" } });
    const answered = digestThread.answered;
    await say(t, admin, "/digest");
    // The whole deployment's figures and its part on adaptation and plan against fact come from the digest's thread (issue 12).
    expect(digestThread.answered).toBe(answered + 2);
    const text = digestsTo(t, admin).at(-1) ?? "";
    expect(text).toContain("Сводка за 23.11–30.11.2026 — все организации");
    expect(text).toContain("Новые: 24 (+24)");
    expect(text).toContain("По организациям (12)");
    expect(text).toContain("…и ещё 2");
    await press(t, admin, /^dg:o:/);
    const list = t.fake.lastTextTo(admin.chatId) ?? "";
    expect(list.split("\n").filter((l) => /^\d+\. Детский сад № 1\d\d: новые [123],/.test(l))).toHaveLength(12);
    // "Typing…" is shown while the data loads; 12 kindergartens need no word about waiting.
    expect(t.fake.sent("sendChatAction").filter((c) => c.payload.chat_id === admin.chatId && c.payload.action === "typing").length).toBeGreaterThanOrEqual(2);
    expect(t.fake.textsTo(admin.chatId).some((x) => x.includes("Собираю данные"))).toBe(false);

    // A region: above 50 kindergartens the admin is told first that collecting takes a while.
    for (let i = 13; i <= 51; i++) await org(`Детский сад № ${100 + i}`, "Europe/Moscow");
    const before = t.fake.textsTo(admin.chatId).length;
    // The figures load while "collecting…" goes out, not after Telegram has answered it: that
    // answer is held here until the digest's thread has answered.
    const asked = digestThread.answered;
    let loadedMeanwhile: boolean | undefined;
    t.fake.on("sendMessage", async (payload, byDefault) => {
      if (String(payload.text).startsWith("⏳")) {
        loadedMeanwhile = await vi
          .waitFor(() => expect(digestThread.answered).toBeGreaterThan(asked), { timeout: 10_000, interval: 10 })
          .then(() => true, () => false);
      }
      return byDefault();
    });
    try {
      await say(t, admin, "/digest");
    } finally {
      t.fake.off("sendMessage");
    }
    expect(loadedMeanwhile).toBe(true);
    const after = t.fake.textsTo(admin.chatId).slice(before);
    expect(after[0]).toBe("⏳ Собираю данные по 51 детскому саду: это может занять минуту-другую. Результат придёт сюда.");
    expect(after[1]).toContain("Сводка за 23.11–30.11.2026 — все организации");
    expect(after[1]).toContain("По организациям (51)");

    // The whole deployment's export is built in a thread too, the export's (issue 12): one workbook arrives.
    const exported = exportThread.answered;
    await say(t, admin, "/export");
    await press(t, admin, "dg:x:xlsx");
    expect(exportThread.answered).toBe(exported + 1);
    // Meanwhile Telegram shows "sending a file…".
    expect(t.fake.sent("sendChatAction").some((c) => c.payload.chat_id === admin.chatId && c.payload.action === "upload_document")).toBe(true);
    const doc = t.fake.sent("sendDocument").at(-1);
    expect(Number(doc?.payload.chat_id)).toBe(admin.chatId);
    expect(doc?.files.document?.filename).toBe("nastavnik-2026-11-30.xlsx");
    expect(doc?.payload.caption).toContain("все организации");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(doc!.files.document!.content as unknown as ArrayBuffer);
    const mentees = wb.getWorksheet("База наставляемых");
    expect(mentees?.rowCount, "a header, the 24 teachers with a request and the admin, registered as a teacher").toBe(1 + 24 + 1);
    expect(JSON.stringify(mentees?.getSheetValues())).toContain("Педагог 11-2");

    // The export's thread out of memory: the admin is told so, and the bot's thread does not try it.
    exportThread.resourceLimits = { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 };
    await exportThread.stop();
    try {
      const documents = t.fake.sent("sendDocument").length;
      await say(t, admin, "/export");
      await press(t, admin, "dg:x:xlsx");
      expect(t.fake.lastTextTo(admin.chatId)).toBe("Не получилось собрать данные: для такого объёма не хватает памяти сервера. Пожалуйста, сообщите об этом администратору сервера.");
      expect(t.fake.sent("sendDocument").length).toBe(documents);
      await say(t, admin, "/help");
      expect(t.fake.lastTextTo(admin.chatId)).not.toContain("памяти");
    } finally {
      exportThread.resourceLimits = undefined;
      await exportThread.stop();
    }
  });
});

describe("/export", () => {
  it("sends one XLSX workbook of the curator's scope: sheets, headers, local dates and anonymised people, cell by cell", async () => {
    const t = buildTestBot({ clock: clock(MONDAY_8_MSK) });
    const home = await org("Детский сад № 27", "Europe/Moscow");
    const far = await org("Детский сад № 99", "Asia/Vladivostok");
    const cur = await curatorOf(t, home.id, 700020, "Ольга Кураторова");
    const anna = await person(home.id, "Анна Смирнова", { username: "anna_s" });
    const erased = await person(home.id, "Стёртая", { erasedAt: at("2026-11-20T00:00:00Z"), profile: undefined });
    const outsider = await person(far.id, "Чужой Наставник");
    const vera = await person(home.id, "Вера Новикова"); // registered, no request yet: still in the mentee base
    const r1 = await request(home.id, anna, "2026-11-25T22:30:00Z", [["matched", "2026-11-26T09:00:00Z"]], ["F1"]);
    await request(home.id, anna, "2026-11-27T08:00:00Z", [], ["D1", "F1"]); // a second request: the same row
    await request(home.id, erased, "2026-11-26T08:00:00Z", [], ["D1"]);
    await request(far.id, outsider, "2026-11-26T08:00:00Z", [], ["D1"]);
    const p = await pair(home.id, r1, outsider, anna, "2026-11-26T09:00:00Z");
    await program(home.id, p, outsider, anna, { status: "active", goal: "Портфолио", months: 6, startDate: at("2026-11-26T21:00:00Z"), endDate: at("2027-05-26T21:00:00Z"), roleModel: "experienced_to_young", form: "individual", product: "Электронное портфолио", products: [{ kind: "link", url: "https://example.org/portfolio", addedAt: at("2026-11-28T10:00:00Z") }], items: [{ title: "Разобрать разделы портфолио", due: at("2026-12-10T20:59:59Z"), expected: "Структура портфолио", status: "done" }, { title: "Собрать материалы", due: at("2027-01-20T20:59:59Z"), status: "open" }] });
    await selfAssessment(home.id, r1, "start", 2, "2026-11-25T22:30:00Z");
    await meeting(home.id, outsider, "2026-11-27T21:30:00Z", "held", { topic: "Разделы портфолио", participantIds: [anna, vera], log: { covered: "Разобрали разделы", absentIds: [vera] } });
    await finalSurvey(home.id, p, 4, "2026-11-28T10:00:00Z");

    await say(t, cur, "/export");
    await press(t, cur, "dg:x:xlsx");
    const doc = t.fake.sent("sendDocument").at(-1);
    expect(doc?.files.document?.filename).toBe("nastavnik-2026-11-30.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(doc!.files.document!.content as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["База наставляемых", "Реестр наставников", "Пары и программы", "Банк программ", "Встречи", "Опросы", "Показатели", "Анкетирование", "План и факт"]);

    const ws = wb.getWorksheet("База наставляемых")!;
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      "№", "ФИО наставляемого", "Организация", "Контактные данные", "Должность", "Стаж, лет", "Молодой специалист", "Образование",
      "Квалификационная категория", "Ключевые запросы (профессиональные дефициты)", "Описание запроса", "Способ выявления дефицита",
      "Дата вхождения в программу", "Статус запроса", "ФИО наставника", "Место работы наставника", "Форма наставничества",
      "Ролевая модель", "Место реализации", "Дата завершения", "Результаты", "Отметка о прохождении программы", "Запросов",
    ]);
    // One row per registered mentee: Вера without a request, Анна once for two requests, the erased one; not the other organization's.
    expect(ws.rowCount).toBe(4);
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(row(2).slice(0, 2)).toEqual([1, "Вера Новикова"]);
    expect(row(2)[22]).toBe(0);
    const annaRow = row(3);
    expect(annaRow.slice(0, 12)).toEqual([2, "Анна Смирнова", "Детский сад № 27", "https://t.me/anna_s", "Воспитатель", 1, "да", "Педагогическое", "Без категории", "Портфолио педагога; Взаимодействие с родителями", "Нужна помощь", "самооценка; запрос в боте"]);
    expect(annaRow[22]).toBe(2);
    // Created 25.11 22:30 UTC = 26.11 01:30 in Moscow: the local date.
    expect((annaRow[12] as Date).toISOString()).toBe("2026-11-26T00:00:00.000Z");
    expect(annaRow.slice(13, 19)).toEqual(["пара сформирована; новый", "Сотрудник другой организации", "Другая организация", "Долгосрочная пара с программой (3–12 мес.)", "опытный — молодому", "сеть"]);
    expect((annaRow[19] as Date).toISOString()).toBe("2027-05-27T00:00:00.000Z");
    expect(annaRow[21]).toBe("нет");
    const erasedRow = row(4);
    // Empty cells are blank (an empty text would count as filled in a spreadsheet's COUNTA).
    expect(erasedRow.slice(0, 5)).toEqual([3, "Удалённый пользователь", "Детский сад № 27", undefined, undefined]);

    const pairs = wb.getWorksheet("Пары и программы")!;
    expect((pairs.getRow(2).values as unknown[]).slice(1).filter((v) => !(v instanceof Date))).toEqual([
      1, "Детский сад № 27", "Сотрудник другой организации", "Анна Смирнова", "Долгосрочная пара с программой (3–12 мес.)", "активна", "по запросу", "реализуется", "Портфолио", 6, "опытный — молодому", "1/2",
    ]);
    const bank = wb.getWorksheet("Банк программ")!;
    const prog = (bank.getRow(2).values as unknown[]).slice(1);
    expect(prog.filter((v) => !(v instanceof Date))).toEqual([
      1, "Детский сад № 27", "Сотрудник другой организации", "Анна Смирнова", "Портфолио", "опытный — молодому", "индивидуальная",
      "1. Разобрать разделы портфолио — 10.12.2026 — Структура портфолио (выполнен)\n2. Собрать материалы — 20.01.2027 (не выполнен)",
      "Электронное портфолио", "https://example.org/portfolio", "реализуется",
    ]);
    const meetings = wb.getWorksheet("Встречи")!;
    const m = (meetings.getRow(2).values as unknown[]).slice(1);
    expect((m[1] as Date).toISOString()).toBe("2026-11-28T00:30:00.000Z"); // 27.11 21:30 UTC = 28.11 00:30 MSK
    expect(meetings.getRow(1).getCell(10).value).toBe("Записались");
    expect(meetings.getRow(1).getCell(11).value).toBe("Пришли");
    expect(m.slice(2)).toEqual(["Детский сад № 27", "групповая", "Разделы портфолио", 30, "Онлайн", "проведена", "Сотрудник другой организации", 2, 1, "Разобрали разделы"]);
    const surveys = wb.getWorksheet("Опросы")!;
    expect((surveys.getRow(1).values as unknown[]).slice(1)).toEqual([
      "№", "Дата ответа", "Организация", "Дата и время встречи", "Тема", "Роль отвечающего", "Вид опроса", "Полезность (1–5)", "Проблема решена", "Удовлетворённость (1–5)", "Адаптация (1–5)", "Комментарий",
    ]);
    const fin = (surveys.getRow(2).values as unknown[]).slice(1);
    expect((fin[1] as Date).toISOString()).toBe("2026-11-28T13:00:00.000Z"); // 10:00 UTC = 13:00 MSK
    expect(fin.slice(2)).toEqual(["Детский сад № 27", undefined, "Портфолио", "наставляемый", "итоговый", undefined, undefined, 4]);
    const ind = wb.getWorksheet("Показатели")!;
    // Indicators are numbers with their unit and period (the last 12 months by default).
    const indRow = (ind.getRow(2).values as unknown[]).slice(1);
    expect(indRow.slice(0, 5)).toEqual(["Запросы, получившие наставника за 7 дней", 100, "%", 1, 1]);
    expect((indRow[5] as Date).toISOString().slice(0, 10)).toBe("2025-11-30");
    expect((indRow[6] as Date).toISOString().slice(0, 10)).toBe("2026-11-30");

    // CSV: one file per sheet, UTF-8 with BOM, ';'-separated.
    await t.send(callback(cur, "dg:x"));
    await press(t, cur, "dg:x:csv");
    const csvs = t.fake.sent("sendDocument").slice(-9, -2);
    expect(csvs.map((d) => d.files.document?.filename)).toEqual(["mentees", "mentors", "pairs", "programs", "meetings", "surveys", "indicators"].map((s) => `nastavnik-${s}-2026-11-30.csv`));
    const csv = csvs[0]!.files.document!.content.toString("utf8");
    expect(csv.startsWith("\uFEFF№;ФИО наставляемого;Организация;")).toBe(true);
    expect(csv).toContain("2;Анна Смирнова;Детский сад № 27;https://t.me/anna_s;Воспитатель;1;да;");
    expect(csv).toContain(";26.11.2026;\"пара сформирована; новый\";");

    // A file over Telegram's upload limit (50 MB; lowered here to the mentee base's size) comes in
    // parts, each within it: the header in each, the rows in order, none lost or repeated.
    const sizes = csvs.map((d) => d.files.document!.content.length);
    uploadLimit.bytes = sizes[0]! - 1;
    try {
      const before = t.fake.sent("sendDocument").length;
      await t.send(callback(cur, "dg:x"));
      await press(t, cur, "dg:x:csv");
      const sent = t.fake.sent("sendDocument").slice(before);
      const over = csvs.filter((d) => d.files.document!.content.length > uploadLimit.bytes);
      expect(over.map((d) => d.files.document?.filename)).toContain("nastavnik-mentees-2026-11-30.csv");
      for (const d of sent) expect(d.files.document!.content.length).toBeLessThanOrEqual(uploadLimit.bytes);
      const text = (d: (typeof sent)[number]) => d.files.document!.content.toString("utf8").replace(/^\uFEFF/, "").replace(/\r\n$/, "").split("\r\n");
      for (const whole of over) {
        const name = whole.files.document!.filename.replace(/\.csv$/, "");
        const parts = sent.filter((d) => d.files.document!.filename.startsWith(`${name}-part`));
        expect(parts.map((d) => d.files.document!.filename)).toEqual(parts.map((_, i) => `${name}-part${i + 1}.csv`));
        expect(parts.length).toBeGreaterThan(1);
        const [header, ...rows] = text(whole);
        for (const d of parts) expect(text(d)[0]).toBe(header);
        expect(parts.flatMap((d) => text(d).slice(1))).toEqual(rows);
      }
      expect(sent.find((d) => d.files.document!.filename === "nastavnik-mentees-2026-11-30-part1.csv")?.payload.caption).toBe("База наставляемых (часть 1 из 2) — Выгрузка: Детский сад № 27");
      expect(t.fake.textsTo(cur.chatId).filter((x) => x.startsWith("Файл "))).toEqual([]);

      // A workbook over it: several workbooks, each within it, that hold every row of every sheet once.
      uploadLimit.bytes = 50 * 1024 * 1024;
      await t.send(callback(cur, "dg:x"));
      await press(t, cur, "dg:x:xlsx");
      const book = t.fake.sent("sendDocument").at(-1)!.files.document!.content;
      uploadLimit.bytes = book.length - 1;
      const beforeBooks = t.fake.sent("sendDocument").length;
      await t.send(callback(cur, "dg:x"));
      await press(t, cur, "dg:x:xlsx");
      const books = t.fake.sent("sendDocument").slice(beforeBooks);
      expect(books.length).toBeGreaterThan(1);
      expect(books.map((d) => d.files.document!.filename)).toEqual(books.map((_, i) => `nastavnik-2026-11-30-part${i + 1}.xlsx`));
      expect(books[0]?.payload.caption).toBe(`Выгрузка: Детский сад № 27 (часть 1 из ${books.length})`);
      const rowsOf = async (bytes: Buffer) => {
        const w = new ExcelJS.Workbook();
        await w.xlsx.load(bytes as unknown as ArrayBuffer);
        return w.worksheets.map((sheet) => ({ name: sheet.name, rows: sheet.getSheetValues().slice(1).map((r) => JSON.stringify(r)) }));
      };
      const wholeSheets = await rowsOf(book);
      const partSheets = [];
      for (const d of books) {
        expect(d.files.document!.content.length).toBeLessThanOrEqual(uploadLimit.bytes);
        partSheets.push(...(await rowsOf(d.files.document!.content)));
      }
      for (const { name, rows } of wholeSheets) {
        const pieces = partSheets.filter((x) => x.name === name);
        expect(pieces.length).toBeGreaterThan(0);
        for (const x of pieces) expect(x.rows[0]).toBe(rows[0]); // the header
        expect([rows[0], ...pieces.flatMap((x) => x.rows.slice(1))]).toEqual(rows);
      }
      // A single row over the limit cannot be cut: the file is not sent, and the curator is told which and how large.
      uploadLimit.bytes = 1000;
      await t.send(callback(cur, "dg:x"));
      await press(t, cur, "dg:x:xlsx");
      expect(t.fake.lastTextTo(cur.chatId)).toMatch(/^Файл nastavnik-2026-11-30-part\d+\.xlsx не отправлен: он занимает 0 МБ, а Telegram принимает от ботов файлы до 50 МБ\. Пожалуйста, сообщите об этом администратору сервера\.$/);
    } finally {
      uploadLimit.bytes = 50 * 1024 * 1024;
    }
  });
});

describe("the weekly digest through the job queue", () => {
  it("goes out once per curator per period with two runners and after a restart; muted curators get none; the admin gets the deployment by organization", async () => {
    const c = clock(MONDAY_8_MSK);
    const t1 = buildTestBot({ clock: c, config: { adminIds: [700039] } });
    const t2 = buildTestBot({ clock: c, fake: t1.fake, config: { adminIds: [700039] } });
    const msk = await org("Детский сад № 27", "Europe/Moscow");
    const vvo = await org("Детский сад № 8", "Asia/Vladivostok");
    const cur = await curatorOf(t1, msk.id, 700030, "Ольга Кураторова");
    const muted = await curatorOf(t1, msk.id, 700031, "Мария Тихая");
    const far = await curatorOf(t1, vvo.id, 700032, "Павел Дальний");
    const admin = makeUser(700039, "Админ", "ru");
    await register(t1, admin, { payload: await inviteFor(msk.id, "mentee"), answers: { fullName: "Админ Регионович" } });
    await moscowWeek(msk.id);
    await request(vvo.id, await person(vvo.id, "Педагог Дальний"), "2026-11-25T08:00:00Z", [], ["F1"]);
    await t1.send(callback(muted, "dg:m:1"));
    t1.fake.clear();

    // 08:00 MSK: the planner runs and schedules the 09:00 digests (Vladivostok's 09:00 is long past: within a day, so it goes now).
    await seedDigestPlan(t1.queue, c.now());
    await Promise.all([t1.queue.tick(), t2.queue.tick()]);
    await Promise.all([t1.queue.tick(), t2.queue.tick()]);
    expect(digestsTo(t1, far)).toHaveLength(1);
    expect(digestsTo(t1, cur)).toHaveLength(0);
    const keys = (await storedJobs()).filter((j) => j.type === DIGEST_JOB).map((j) => j.key);
    const userId = async (u: TestUser) => String((await User.findOne({ telegramId: u.id }).lean())?._id);
    expect(keys).toEqual([`digest:${await userId(cur)}:2026-11-23`, `digest:${await userId(far)}:2026-11-23`, `digest:${await userId(admin)}:2026-11-23`].sort());

    c.advance(60 * 60_000 + 30_000); // 09:00:30 MSK
    await Promise.all([t1.queue.tick(), t2.queue.tick()]);
    await Promise.all([t1.queue.tick(), t2.queue.tick()]);
    expect(digestsTo(t1, cur)).toHaveLength(1);
    expect(digestsTo(t1, muted)).toHaveLength(0);
    expect(digestsTo(t1, far)).toHaveLength(1);
    expect(digestsTo(t1, far)[0]).toContain("Детский сад № 8");
    expect(digestsTo(t1, far)[0]).not.toContain("Анна");
    const adminDigest = digestsTo(t1, admin);
    expect(adminDigest).toHaveLength(1);
    expect(adminDigest[0]).toContain("все организации");
    expect(adminDigest[0]).toContain("По организациям (2)");
    expect(adminDigest[0]).toContain("Детский сад № 27: новые 4");

    // A restart: a new process on the same database plans again and sends nothing twice.
    const t3 = buildTestBot({ clock: c, fake: t1.fake, config: { adminIds: [700039] } });
    c.advance(60 * 60_000);
    await seedDigestPlan(t3.queue, c.now());
    for (let i = 0; i < 3; i++) await t3.queue.tick();
    expect(digestsTo(t1, cur)).toHaveLength(1);
    expect(digestsTo(t1, far)).toHaveLength(1);
    expect(digestsTo(t1, admin)).toHaveLength(1);
    expect((await storedJobs()).filter((j) => j.type === DIGEST_JOB)).toHaveLength(3);
  });

  it("when the batch's shared load runs out of the thread's memory, each digest reads its own scope; a scope still too large is told, not retried", async () => {
    const c = clock(MONDAY_8_MSK);
    const t = buildTestBot({ clock: c, config: { adminIds: [700079] } });
    const msk = await org("Детский сад № 27", "Europe/Moscow");
    const vvo = await org("Детский сад № 8", "Asia/Vladivostok");
    const cur = await curatorOf(t, msk.id, 700070, "Ольга Кураторова");
    const far = await curatorOf(t, vvo.id, 700071, "Павел Дальний");
    const admin = makeUser(700079, "Админ", "ru");
    await register(t, admin, { payload: await inviteFor(msk.id, "mentee"), answers: { fullName: "Админ Регионович" } });
    await moscowWeek(msk.id);
    await request(vvo.id, await person(vvo.id, "Педагог Дальний"), "2026-11-25T08:00:00Z", [], ["F1"]);
    t.fake.clear();
    // A thread with almost no heap: any load of the deployment runs out of memory in it.
    await digestThread.stop();
    digestThread.resourceLimits = { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 };
    const asked: Array<boolean | undefined> = [];
    const ask = digestThread.ask.bind(digestThread);
    const spy = vi.spyOn(digestThread, "ask").mockImplementation(((work: ThreadWork) => {
      if (work.kind === "figures") asked.push(work.req.batch);
      return ask(work as never);
    }) as unknown as typeof digestThread.ask);
    try {
      await seedDigestPlan(t.queue, c.now());
      for (let i = 0; i < 2; i++) await t.queue.tick();
      // 08:00 MSK: Vladivostok's digest (its 09:00 is past). The shared load ran out of memory; its own scope did not.
      expect(asked).toEqual([true]);
      expect(digestsTo(t, far)).toHaveLength(1);
      expect(digestsTo(t, far)[0]).toContain("Детский сад № 8");

      c.advance(60 * 60_000 + 30_000); // 09:00:30 MSK
      for (let i = 0; i < 2; i++) await t.queue.tick();
      // The shared load is not tried again; the curator's one kindergarten is read on its own.
      expect(digestsTo(t, cur)).toHaveLength(1);
      expect(digestsTo(t, cur)[0]).toContain("Новые: 4 (+2)");
      // The admin's scope is the whole deployment: too large on its own too. Told once, and not retried.
      expect(asked).toEqual([true, false]);
      expect(digestsTo(t, admin)).toHaveLength(0);
      expect(t.fake.textsTo(admin.chatId)).toEqual(["Еженедельную сводку не удалось собрать: для такого объёма данных не хватает памяти сервера. Пожалуйста, сообщите об этом администратору сервера."]);
      const jobs = (await storedJobs()).filter((j) => j.type === DIGEST_JOB);
      expect(jobs.map((j) => j.status)).toEqual(["done", "done", "done"]);
      c.advance(2 * 60 * 60_000);
      for (let i = 0; i < 2; i++) await t.queue.tick();
      expect(t.fake.textsTo(admin.chatId)).toHaveLength(1);
    } finally {
      spy.mockRestore();
      digestThread.resourceLimits = undefined;
      await digestThread.stop();
    }
  });

  it("a digest that fails on every attempt ends failed, and its recipient is told once to ask with /digest", async () => {
    const c = clock(MONDAY_8_MSK);
    const t = buildTestBot({ clock: c });
    const msk = await org("Детский сад № 27", "Europe/Moscow");
    const cur = await curatorOf(t, msk.id, 700080, "Ольга Кураторова");
    await request(msk.id, await person(msk.id, "Анна Смирнова"), "2026-11-25T08:00:00Z", [], ["F1"]);
    await seedDigestPlan(t.queue, c.now());
    await t.queue.tick();
    c.advance(60 * 60_000 + 30_000); // 09:00:30 MSK
    t.fake.clear();
    // Telegram refuses the digest's text five times (every attempt of the job).
    t.fake.failNext("sendMessage", { kind: "400", description: "Bad Request: message is too long" }, 5, cur.chatId);
    for (let i = 0; i < 5; i++) {
      await t.queue.tick();
      c.advance(60 * 60_000);
    }
    expect(digestsTo(t, cur)).toHaveLength(0);
    expect((await storedJobs()).filter((j) => j.type === DIGEST_JOB).map((j) => j.status)).toEqual(["failed"]);
    for (let i = 0; i < 2; i++) await t.queue.tick();
    expect(t.fake.textsTo(cur.chatId)).toEqual(["Еженедельную сводку не удалось подготовить из-за ошибки на сервере. Её можно запросить командой /digest."]);
  });

  it("after a long outage a digest more than a day late is dropped (missed), not sent", async () => {
    const c = clock(MONDAY_8_MSK);
    const t = buildTestBot({ clock: c });
    const msk = await org("Детский сад № 27", "Europe/Moscow");
    const cur = await curatorOf(t, msk.id, 700060, "Ольга Кураторова");
    await request(msk.id, await person(msk.id, "Анна Смирнова"), "2026-11-25T08:00:00Z", [], ["F1"]);
    await seedDigestPlan(t.queue, c.now());
    await t.queue.tick();
    expect(await Job.countDocuments({ type: DIGEST_JOB, status: "pending" })).toBe(1);
    // The process is down from 08:00 Monday to 10:00 Tuesday.
    c.advance(26 * 60 * 60_000);
    for (let i = 0; i < 3; i++) await t.queue.tick();
    expect(digestsTo(t, cur)).toHaveLength(0);
    expect((await storedJobs()).filter((j) => j.type === DIGEST_JOB).map((j) => j.status)).toEqual(["missed"]);
    // /digest still works on demand.
    await say(t, cur, "/digest");
    expect(digestsTo(t, cur)).toHaveLength(1);
  });
});
