import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { ask, clock, inviteFor, mentor, org, press, register, say } from "./helpers/scenario.ts";
import { Job, Meeting, MentorProfile, Organization, User } from "../models/index.ts";
import { buildSheets } from "../src/domain/export.ts";
import { topicLabel } from "../src/domain/deficits.ts";
import { loadDigestData } from "../src/domain/digest.ts";
import { createI18n } from "../src/bot/i18n.ts";
import { hardFilterFailures, toMentorCandidate } from "../src/domain/matching.ts";
import { Types } from "mongoose";

useTestDatabase({ resetBetweenTests: true });

async function idOf(u: TestUser): Promise<string> {
  return String((await User.findOne({ telegramId: u.id }).lean())?._id);
}

async function profileOf(u: TestUser) {
  return MentorProfile.findOne({ userId: await idOf(u) }).lean();
}

function lastAlert(t: TestBot): string {
  return String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");
}

/** A Moscow kindergarten: a curator, two approved mentors, a teacher; a mentor of another kindergarten. */
async function kindergarten() {
  const c = clock(); // Monday 23.11.2026 07:00Z
  const t = buildTestBot({ clock: c });
  const home = await org("Детский сад № 27", "Europe/Moscow");
  const other = await org("Детский сад № 5", "Europe/Moscow");
  const cur = makeUser(860001, "Куратор");
  await register(t, cur, { payload: await inviteFor(home.id, "curator"), role: "curator", answers: { fullName: "Куратор Светлана Ивановна", position: "senior_educator" } });
  const olga = makeUser(860002, "Ольга");
  await mentor(t, olga, home.id, { topics: ["E2"], name: "Белова Ольга Петровна", approve: cur });
  const irina = makeUser(860003, "Ирина");
  await mentor(t, irina, home.id, { topics: ["E2"], name: "Соколова Ирина Андреевна", approve: cur });
  const anna = makeUser(860004, "Анна");
  await register(t, anna, { payload: await inviteFor(home.id, "mentee"), answers: { fullName: "Анна Смирнова" } });
  const otherCur = makeUser(860006, "Другой куратор");
  await register(t, otherCur, { payload: await inviteFor(other.id, "curator"), role: "curator", answers: { fullName: "Куратор Другая Ивановна", position: "senior_educator" } });
  const stranger = makeUser(860005, "Чужая");
  await mentor(t, stranger, other.id, { topics: ["E2"], name: "Мария Чужая", approve: otherCur });
  return { c, t, home, other, cur, olga, irina, anna, stranger, otherCur };
}

/** The curator's /training dialog: 26.11.2026 15:00 Moscow (12:00Z), 90 min, in person. */
async function announce(t: TestBot, cur: TestUser): Promise<string> {
  await say(t, cur, "/training");
  expect(t.fake.lastTextTo(cur.chatId)).toContain("обучение не обязательно");
  await press(t, cur, "tr:new");
  expect(t.fake.lastTextTo(cur.chatId)).toContain("Москва, UTC+3");
  await say(t, cur, "31.02 15:00");
  expect(t.fake.lastTextTo(cur.chatId)).toContain("Такой даты нет");
  await say(t, cur, "26.11.2026 15:00");
  await press(t, cur, "tw:du:90");
  await say(t, cur, "Роль наставника в адаптации молодого педагога");
  await press(t, cur, "tw:md:in_person");
  await say(t, cur, "Методический кабинет");
  expect(t.fake.lastTextTo(cur.chatId)).toContain("чт, 26.11.2026, 15:00");
  await press(t, cur, "tw:ok");
  expect(t.fake.lastTextTo(cur.chatId)).toContain("Семинар объявлен");
  const m = await Meeting.findOne({ purpose: "training" }).lean();
  expect(m).toBeTruthy();
  return String(m?._id);
}

describe("mentor training (stage IV)", () => {
  it("a curator announces a seminar, mentors sign up (and cancel), the host marks attendance; the registry, the cards and the export show it; forged taps are refused", async () => {
    const { c, t, home, cur, olga, irina, anna, stranger } = await kindergarten();
    // Only curators (and admins) announce.
    await say(t, anna, "/training");
    expect(t.fake.lastTextTo(anna.chatId)).toBe("Это действие вам недоступно.");
    await t.send(callback(anna, "tr:new"));
    expect(lastAlert(t)).toBe("Это действие вам недоступно.");

    const id = await announce(t, cur);
    const m = await Meeting.findById(id).lean();
    expect(m).toMatchObject({ kind: "group", purpose: "training", status: "confirmed", durationMin: 90, topic: "Роль наставника в адаптации молодого педагога", mode: "in_person", place: "Методический кабинет" });
    expect(m?.startAt?.toISOString()).toBe("2026-11-26T12:00:00.000Z");
    expect(String(m?.hostId)).toBe(await idOf(cur));
    expect(String(m?.organizationId)).toBe(home.id);
    // The usual meeting reminders (24 h and 1 h) and the host's follow-up.
    const reminders = await Job.find({ key: { $regex: `^meeting:${id}:reminder` }, status: "pending" }).lean();
    expect(reminders.map((j) => j.runAt.toISOString()).sort()).toEqual(["2026-11-25T12:00:00.000Z", "2026-11-26T11:00:00.000Z"]);

    // The mentors of the kindergarten are invited; the teacher and the other kindergarten are not.
    const invite = t.fake.lastMessageTo(olga.chatId);
    expect(invite?.text).toContain("Обучение наставников: Роль наставника в адаптации молодого педагога");
    expect(invite?.text).toContain("чт, 26.11.2026, 15:00 (Москва, UTC+3), 90 мин. Ведёт: Куратор Светлана Ивановна");
    expect(invite?.buttons.map((b) => b.data)).toEqual([`tr:j:${id}`]);
    expect(t.fake.lastTextTo(irina.chatId)).toContain("Обучение наставников: Роль наставника");
    expect(t.fake.textsTo(anna.chatId).join("\n")).not.toContain("Обучение наставников");
    expect(t.fake.textsTo(stranger.chatId).join("\n")).not.toContain("Обучение наставников");

    await press(t, olga, `tr:j:${id}`);
    expect(t.fake.lastTextTo(olga.chatId)).toContain("Вы записаны на семинар «Роль наставника в адаптации молодого педагога» (чт, 26.11.2026, 15:00");
    await press(t, irina, `tr:j:${id}`);
    expect(t.fake.lastTextTo(irina.chatId)).toContain("Вы записаны на семинар");
    await press(t, olga, `tr:j:${id}`); // a double tap changes nothing
    expect(t.fake.lastTextTo(olga.chatId)).toContain("уже записаны");
    // Cancel and sign up again.
    await press(t, irina, `tr:l:${id}`);
    expect(t.fake.lastTextTo(irina.chatId)).toContain("Запись на семинар «Роль наставника в адаптации молодого педагога» отменена.");
    expect((await Meeting.findById(id).lean())?.participantIds.map(String)).toEqual([await idOf(olga)]);
    await press(t, irina, `tr:j:${id}`);

    // The curator's page lists it with the sign-ups, and cancel / move buttons (the group sessions' ones).
    await say(t, cur, "/training");
    const page = t.fake.lastMessageTo(cur.chatId);
    expect(page?.text).toContain("• чт, 26.11.2026, 15:00 (Москва, UTC+3) — «Роль наставника в адаптации молодого педагога», Детский сад № 27; записались: 2");
    expect(page?.buttons.map((b) => b.data)).toEqual([`tq:1:${home.id}`, `gs:cx:${id}`, `gs:mv:${id}`, "tr:new"]);

    // A mentor of another kindergarten and a teacher (not a mentor) forge the button: refused, nothing changes.
    await t.send(callback(stranger, `tr:j:${id}`));
    expect(lastAlert(t)).toBe("Записаться могут только наставники организации, которая проводит семинар.");
    await t.send(callback(anna, `tr:j:${id}`));
    expect(lastAlert(t)).toBe("Записаться могут только наставники организации, которая проводит семинар.");
    await t.send(callback(stranger, `tr:l:${id}`));
    expect(lastAlert(t)).toBe("Записаться могут только наставники организации, которая проводит семинар.");
    await t.send(callback(olga, "tr:j:0123456789abcdef01234567"));
    expect(lastAlert(t)).toBe("Этот семинар уже прошёл или отменён.");
    const signed = [await idOf(olga), await idOf(irina)].sort();
    expect((await Meeting.findById(id).lean())?.participantIds.map(String).sort()).toEqual(signed);

    // The reminder a day before reaches both.
    c.advance(new Date("2026-11-25T12:00:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect(t.fake.lastTextTo(olga.chatId)).toContain("Напоминание: встреча чт, 26.11.2026, 15:00 (Москва, UTC+3) — «Роль наставника в адаптации молодого педагога»");
    expect(t.fake.lastTextTo(irina.chatId)).toContain("Напоминание");

    // Once it has begun, sign-ups are closed.
    c.advance(new Date("2026-11-26T12:05:00Z").getTime() - c.now().getTime());
    await t.send(callback(olga, `tr:l:${id}`));
    expect(lastAlert(t)).toBe("Этот семинар уже прошёл или отменён.");

    // 30 min after the end the host is asked; "held" opens the attendance list; only Ольга came.
    c.advance(new Date("2026-11-26T14:01:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect(t.fake.lastTextTo(cur.chatId)).toContain("состоялась?");
    // A mentor cannot log it.
    await t.send(callback(olga, `mt:hd:${id}`));
    expect(lastAlert(t)).toBe("Эта встреча вам недоступна или уже отмечена.");
    await press(t, cur, `mt:hd:${id}`);
    expect(t.fake.lastMessageTo(cur.chatId)?.buttons.map((b) => b.text)).toEqual(expect.arrayContaining(["Белова Ольга Петровна", "Соколова Ирина Андреевна"]));
    await press(t, cur, `ga:t:${await idOf(olga)}`);
    await press(t, cur, "ga:done");
    expect(t.fake.lastTextTo(cur.chatId)).toBe("Спасибо! Встреча записана: пришли 1, не пришли 1.");

    // The registry: one training for Ольга (with its date), none for Ирина.
    expect(await profileOf(olga)).toMatchObject({ trainingsAttended: 1 });
    expect((await profileOf(olga))?.lastTrainingAt?.toISOString()).toBe("2026-11-26T12:00:00.000Z");
    expect((await profileOf(irina))?.trainingsAttended).toBe(0);
    expect((await profileOf(irina))?.lastTrainingAt).toBeUndefined();
    await say(t, cur, "/mentors");
    expect(t.fake.lastTextTo(cur.chatId)).toMatch(/Белова Ольга Петровна — 0\/2, готов; обучение: 1/);
    await press(t, cur, `mr:o:${(await profileOf(olga))?._id}`);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Обучение наставников: посещено 1, последнее — 26.11.2026");
    await press(t, cur, `mr:o:${(await profileOf(irina))?._id}`);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Обучение наставников: посещено 0, последнее — —");

    // The export's mentor registry: the columns next to "Повышение квалификации".
    const i18n = createI18n("ru", async () => "ru");
    const data = await loadDigestData(null, c.now());
    const sheet = buildSheets(data, { scope: null, t: (k, a) => i18n.t("ru", k, a), now: c.now(), topic: (code) => topicLabel(code, "ru") }).find((x) => x.id === "mentors");
    const header = sheet?.columns.map((col) => col.header) ?? [];
    expect(header.indexOf("Обучение наставников, посещено")).toBe(header.indexOf("Повышение квалификации") + 1);
    const cell = (name: string, col: string) => (sheet?.rows.find((r) => r.includes(name)) ?? [])[header.indexOf(col)];
    expect(cell("Белова Ольга Петровна", "Обучение наставников, посещено")).toBe(1);
    expect(cell("Соколова Ирина Андреевна", "Обучение наставников, посещено")).toBe(0);
    expect(cell("Белова Ольга Петровна", "Последнее обучение")).toBeInstanceOf(Date);
    expect(cell("Соколова Ирина Андреевна", "Последнее обучение")).toBeNull();
    expect(t.logs.errors()).toEqual([]);
  });

  it("with training required, an untrained mentor is not offered a request and a trained one is; only the organization's curator switches the rule; approval says why", async () => {
    const { c, t, home, cur, olga, irina, anna, stranger, otherCur } = await kindergarten();
    const id = await announce(t, cur);
    await press(t, olga, `tr:j:${id}`);
    await press(t, irina, `tr:j:${id}`);
    c.advance(new Date("2026-11-26T14:01:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    await press(t, cur, `mt:hd:${id}`);
    await press(t, cur, `ga:t:${await idOf(olga)}`);
    await press(t, cur, "ga:done");

    // Others cannot switch the rule, even with a forged button.
    for (const u of [olga, otherCur, stranger]) {
      await t.send(callback(u, `tq:1:${home.id}`));
      expect(lastAlert(t)).toBe("Это действие вам недоступно.");
    }
    expect((await Organization.findById(home.id).lean())?.mentorTrainingRequired).toBe(false);

    await say(t, cur, "/training");
    await press(t, cur, `tq:1:${home.id}`);
    expect(lastAlert(t)).toContain("наставники без обучения не будут предлагаться");
    expect((await Organization.findById(home.id).lean())?.mentorTrainingRequired).toBe(true);

    // The mentee's request: only the trained mentor is offered.
    await ask(t, anna, ["E2"]);
    const offered = t.fake.sent("sendMessage").filter((s) => Number(s.payload.chat_id) === anna.chatId).flatMap((s) => JSON.stringify(s.payload.reply_markup ?? "").match(/rc:[0-9a-f]{24}:[0-9a-f]{24}/g) ?? []);
    const olgaProfile = String((await profileOf(olga))?._id);
    const irinaProfile = String((await profileOf(irina))?._id);
    expect(offered.some((d) => d.endsWith(olgaProfile))).toBe(true);
    expect(offered.some((d) => d.endsWith(irinaProfile))).toBe(false);

    // The registry says why Ирина gets no requests.
    await say(t, cur, "/mentors");
    expect(t.fake.lastTextTo(cur.chatId)).toMatch(/Соколова Ирина Андреевна — 0\/2, ждёт обучения/);
    await press(t, cur, `mr:o:${irinaProfile}`);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("в организации обучение обязательно, а наставник его ещё не прошёл");

    // A new mentor approved while the rule is on is told that requests come after a training.
    const vera = makeUser(860007, "Вера");
    await mentor(t, vera, home.id, { topics: ["E2"], name: "Вера Николаевна Лаптева" });
    const veraProfile = await profileOf(vera);
    await t.send(callback(cur, `ma:${veraProfile?._id}`));
    expect(lastAlert(t)).toContain("Запросы начнут приходить после обучения");
    await t.queue.tick();
    expect(t.fake.textsTo(vera.chatId).join("\n")).toContain("нужно пройти обучение наставников");

    // Switched off again: Ирина is offered once more.
    await say(t, cur, "/training");
    await press(t, cur, `tq:0:${home.id}`);
    expect((await Organization.findById(home.id).lean())?.mentorTrainingRequired).toBe(false);
    await press(t, cur, `mr:o:${irinaProfile}`);
    expect(t.fake.lastTextTo(cur.chatId)).not.toContain("обучение обязательно");
    expect(t.logs.errors()).toEqual([]);
  });
});

describe("the training hard filter", () => {
  it("fails only an untrained mentor of an organization that requires training", () => {
    const req = { id: "r", menteeUserId: "u0", organizationId: "o1", networkOrgIds: [], topics: ["E2"], mode: "any" as const, preferredTimes: [], menteeTimezone: "Europe/Moscow", excludedMentorIds: [] };
    const base = toMentorCandidate({ _id: new Types.ObjectId(), userId: new Types.ObjectId(), organizationId: new Types.ObjectId("0000000000000000000000a1"), approved: true, freeSlots: 1, capacity: 1 }, "Europe/Moscow");
    const m = { ...base, organizationId: "o1" };
    const now = new Date("2026-11-23T07:00:00Z");
    expect(hardFilterFailures(req, m, now)).toEqual([]);
    expect(hardFilterFailures(req, { ...m, trainingRequired: true }, now)).toEqual(["untrained"]);
    expect(hardFilterFailures(req, { ...m, trainingRequired: true, trainingsAttended: 1 }, now)).toEqual([]);
    expect(hardFilterFailures(req, { ...m, trainingRequired: false, trainingsAttended: 0 }, now)).toEqual([]);
  });
});
