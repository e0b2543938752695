import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { ask, clock, inviteFor, mentor, org, press, register, say } from "./helpers/scenario.ts";
import { meeting, program } from "./helpers/digest-fixture.ts";
import { MentorProfile, MentorshipRequest, Pair, Program, User } from "../models/index.ts";
import { docxText } from "./helpers/docx.ts";
import { endPair } from "../src/domain/pairs.ts";

useTestDatabase({ resetBetweenTests: true });

const NOW = new Date("2026-11-23T07:00:00Z");

async function lastWorkbookSheet(t: TestBot, u: TestUser, sheet: string): Promise<string[]> {
  const doc = t.fake.sent("sendDocument").filter((c) => Number(c.payload.chat_id) === u.chatId).at(-1);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(doc?.files.document?.content as unknown as ArrayBuffer);
  const rows: string[] = [];
  wb.getWorksheet(sheet)?.eachRow((row) => rows.push((row.values as unknown[]).map((v) => String(v && typeof v === "object" && "text" in v ? (v as { text: unknown }).text : (v ?? ""))).join(" | ")));
  return rows;
}

describe("a reverse pair and a mutual pair through the bot", () => {
  it("an experienced teacher asks a young colleague; the young one asks her back; both pairs are marked everywhere and each keeps its own capacity place", { timeout: 90_000 }, async () => {
    const c = clock(NOW);
    const t = buildTestBot({ clock: c });
    const kg = await org("МДОУ «Детский сад № 7» Ярославль", "Europe/Moscow");
    const curator = makeUser(716001, "Куратор", "ru");
    await register(t, curator, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Соколова Ирина Павловна", position: "senior_educator" } });

    // A young teacher (2 years) offers what she is strong in: ГИС and online platforms, in the reverse form.
    const young = makeUser(716002, "Софья", "ru", { username: "sofia_young" });
    await mentor(t, young, kg.id, { topics: ["E4"], forms: ["individual", "reverse"], experience: "2", name: "Лаптева Софья Игоревна", approve: curator });
    // A veteran colleague mentors ordinarily (no reverse form): never offered for a reverse request.
    const veteranMentor = makeUser(716003, "Вера", "ru");
    await mentor(t, veteranMentor, kg.id, { topics: ["E4"], experience: "30", name: "Старикова Вера Михайловна", approve: curator });

    // The experienced teacher (25 years) is a mentee who asks for a young colleague.
    const galina = makeUser(716004, "Галина", "ru", { username: "galina_exp" });
    await register(t, galina, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Орлова Галина Петровна", birthYear: "1975", experience: "25", category: "highest" } });
    await ask(t, galina, ["E4"], "Хочу освоить ГИС «СОЛО» и сайт педагога", "long_term", "yes");
    const request = await MentorshipRequest.findOne({}).lean();
    expect(request?.reverse).toBe(true);
    const cards = t.fake.lastTextTo(galina.chatId) ?? "";
    expect(cards).toContain("обратное наставничество: стаж 2 против вашего 25");
    expect(cards).not.toContain("Стаж: 30");
    await press(t, galina, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    await press(t, young, /^of:a:/);
    expect(t.fake.textsTo(galina.chatId).join("\n")).toContain("↩️ Это обратное наставничество: коллега (Лаптева Софья Игоревна)");
    expect(t.fake.textsTo(young.chatId).join("\n")).toContain("↩️ Это обратное наставничество: вы делитесь тем, в чём сильны, с более опытным коллегой — Орлова Галина Петровна.");
    const reversePair = await Pair.findOne({ reverse: true }).lean();
    expect(reversePair).toBeTruthy();

    // Galina mentors in return: she gains the mentor role, fills her profile; the young teacher asks her (no reverse question for 2 years).
    await say(t, galina, `/start ${await inviteFor(kg.id, "mentor")}`);
    await mentor(t, galina, kg.id, { topics: ["F1"], experience: "25", name: "Орлова Галина Петровна", approve: curator, registered: true });
    await say(t, young, `/start ${await inviteFor(kg.id, "mentee")}`);
    await ask(t, young, ["F1"], "Нужна помощь с портфолио к аттестации");
    await press(t, young, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    // Galina covers the topic: her card comes first and the offer goes to her.
    await press(t, galina, /^of:a:/);
    const pairs = await Pair.find({}).sort({ createdAt: 1 }).lean();
    expect(pairs).toHaveLength(2);
    const [first, second] = pairs as [(typeof pairs)[number], (typeof pairs)[number]];
    expect(first.reverse).toBe(true);
    expect(second.reverse).toBe(false);
    expect(String(first.mutualPairId)).toBe(String(second._id));
    expect(String(second.mutualPairId)).toBe(String(first._id));
    expect(t.fake.textsTo(young.chatId).join("\n")).toContain("🔁 Взаимная пара: вы и Орлова Галина Петровна учите друг друга.");
    // Capacity: each direction holds one place of its own mentor.
    const load = async (u: TestUser) => (await MentorProfile.findOne({ userId: (await User.findOne({ telegramId: u.id }).lean())?._id }).lean())?.activeMentees;
    expect(await load(young)).toBe(1);
    expect(await load(galina)).toBe(1);
    expect(await load(veteranMentor)).toBe(0);

    // The pair-assignment consent names the form, to both sides: the reverse direction is reverse and mutual, the other mutual only.
    const consentOf = async (u: TestUser, pairId: unknown) => {
      await t.send(callback(u, `pc:${String(pairId)}`));
      return t.fake.lastTextTo(u.chatId) ?? "";
    };
    for (const u of [galina, young]) {
      const text = await consentOf(u, first._id);
      expect(text).toContain("Согласие на закрепление наставнической пары");
      expect(text).toContain("Форма наставничества: Долгосрочная пара с программой (3–12 мес.); обратное (реверсивное) наставничество; взаимная пара.");
      expect(await consentOf(u, second._id)).toContain("Форма наставничества: Долгосрочная пара с программой (3–12 мес.); взаимная пара.");
    }
    // The consent recorded is the text shown, marker included.
    await press(t, young, `pcy:${first._id}`);
    expect((await Pair.findById(first._id).lean())?.mentorConsentAt).toBeTruthy();

    // /sessions: a meeting of each pair, marked.
    await meeting(kg.id, first.mentorId, "2026-11-25T09:00:00Z", "confirmed", { kind: "pair", pairId: first._id, participantIds: [first.menteeId], topic: "ГИС «СОЛО»" });
    await meeting(kg.id, second.mentorId, "2026-11-26T09:00:00Z", "confirmed", { kind: "pair", pairId: second._id, participantIds: [second.menteeId], topic: "Планирование" });
    await say(t, galina, "/sessions");
    const sessions = t.fake.lastTextTo(galina.chatId) ?? "";
    expect(sessions).toMatch(/ГИС «СОЛО» \(Лаптева Софья Игоревна\), .* ↩️ обратное наставничество 🔁 взаимная пара/);
    expect(sessions).toMatch(/Планирование \(Лаптева Софья Игоревна\), .* 🔁 взаимная пара/);
    expect(sessions).not.toMatch(/Планирование[^\n]*обратное/);

    // The curator's digest, export and order name them the same way.
    c.advance(2 * 86_400_000);
    await say(t, curator, "/digest");
    const digest = t.fake.textsTo(curator.chatId).filter((x) => x.includes("Сводка за")).at(-1) ?? "";
    expect(digest).toContain("Активные пары: 2");
    expect(digest).toContain("Из них обратное наставничество: 1 · взаимных пар: 1");
    await say(t, curator, "/export");
    await press(t, curator, "dg:x:xlsx");
    const rows = (await lastWorkbookSheet(t, curator, "Пары и программы")).slice(1);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.includes("| Лаптева Софья Игоревна | Орлова Галина Петровна |"))).toContain("Долгосрочная пара с программой (3–12 мес.); обратное (реверсивное) наставничество; взаимная пара");
    const ordinaryRow = rows.find((r) => r.includes("| Орлова Галина Петровна | Лаптева Софья Игоревна |")) ?? "";
    expect(ordinaryRow).toContain("Долгосрочная пара с программой (3–12 мес.); взаимная пара");
    expect(ordinaryRow).not.toContain("обратное");
    // The mentee base marks each mentee's form the same way (Galina is the mentee of the reverse pair, the young teacher of the other).
    const mentees = (await lastWorkbookSheet(t, curator, "База наставляемых")).slice(1);
    const rowOf = (name: string) => mentees.find((r) => new RegExp(`^[ |]*\\d+ \\| ${name} \\|`).test(r)) ?? "";
    expect(rowOf("Орлова Галина Петровна")).toContain("Долгосрочная пара с программой (3–12 мес.); обратное (реверсивное) наставничество; взаимная пара");
    const youngRow = rowOf("Лаптева Софья Игоревна");
    expect(youngRow).toContain("Долгосрочная пара с программой (3–12 мес.); взаимная пара");
    expect(youngRow).not.toContain("обратное");
    await say(t, curator, "/export");
    await press(t, curator, "dg:x:docx");
    const order = t.fake.sent("sendDocument").filter((x) => String(x.files.document?.filename).startsWith("prikaz")).at(-1);
    expect(order, t.fake.sent("sendDocument").map((x) => x.files.document?.filename).join(", ")).toBeDefined();
    const text = await docxText(order?.files.document?.content as Buffer);
    expect(text).toContain("обратное (реверсивное) наставничество");
    expect(text).toContain("взаимная пара");

    // The program card of the reverse pair says so too.
    await program(kg.id, first._id, first.mentorId, first.menteeId, { goal: "Освоить ГИС «СОЛО» и сайт педагога", months: 3, roleModel: "young_to_experienced", form: "individual" });
    const programId = (await Program.findOne({ pairId: first._id }).lean())?._id;
    await t.send(callback(young, `pg:v:${programId}`));
    expect(t.fake.lastTextTo(young.chatId)).toContain("Цель: Освоить ГИС «СОЛО» и сайт педагога");
    expect(t.fake.lastTextTo(young.chatId)).toContain("↩️ обратное наставничество · 🔁 взаимная пара");

    // Ending the reverse direction gives back exactly its one place; the other direction stays.
    await endPair(first._id, { status: "terminated", reason: "terminated_early" }, c.now(), { scheduler: { cancelByPrefix: async () => 0 } });
    expect(await load(young)).toBe(0);
    expect(await load(galina)).toBe(1);
    expect(await endPair(first._id, { status: "terminated", reason: "terminated_early" }, c.now(), { scheduler: { cancelByPrefix: async () => 0 } })).toBeNull();
    expect(await load(young)).toBe(0);
  });
});
