import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { clock, inviteFor, mentor, org, press, register, say } from "./helpers/scenario.ts";
import { Job, Meeting, MeetingSeries, Organization, User } from "../models/index.ts";
import { grantRole } from "../src/domain/roles.ts";

useTestDatabase({ resetBetweenTests: true });

const HOUR = 3_600_000;

async function idOf(u: TestUser): Promise<string> {
  const doc = await User.findOne({ telegramId: u.id }).lean();
  return String(doc?._id);
}

function lastAlert(t: TestBot): string {
  return String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");
}

async function pendingReminders(meetingId: unknown): Promise<string[]> {
  const jobs = await Job.find({ key: { $regex: `^meeting:${String(meetingId)}:reminder` }, status: "pending" }).lean();
  return jobs.map((j) => j.runAt.toISOString()).sort();
}

async function occurrence(date: string) {
  const m = await Meeting.findOne({ occurrence: date }).lean();
  expect(m, `occurrence ${date}`).toBeTruthy();
  return m as NonNullable<typeof m>;
}

/** A kindergarten in `zone`: a curator, an approved mentor (the host), two teachers; and a teacher of another kindergarten. */
async function kindergarten(zone = "Europe/Moscow") {
  const c = clock(); // Monday 23.11.2026 07:00Z
  const t = buildTestBot({ clock: c });
  const home = await org("Детский сад № 27", zone);
  const other = await org("Детский сад № 5", "Europe/Moscow");
  const cur = makeUser(810001, "Куратор");
  await register(t, cur, { payload: await inviteFor(home.id, "curator"), role: "curator", answers: { fullName: "Куратор Светлана Ивановна", position: "senior_educator" } });
  const host = makeUser(810002, "Ведущая");
  await mentor(t, host, home.id, { topics: ["E2"], name: "Ведущая Ольга Петровна", approve: cur });
  const anna = makeUser(810003, "Анна");
  await register(t, anna, { payload: await inviteFor(home.id, "mentee"), answers: { fullName: "Анна Смирнова" } });
  const kate = makeUser(810004, "Kate", "en");
  await register(t, kate, { payload: await inviteFor(home.id, "mentee"), locale: "en", answers: { fullName: "Kate Morozova" } });
  const stranger = makeUser(810005, "Чужая");
  await register(t, stranger, { payload: await inviteFor(other.id, "mentee"), answers: { fullName: "Мария Чужая" } });
  return { c, t, home, cur, host, anna, kate, stranger };
}

/** The curator's /wednesday dialog: Wednesday 13:30, 60 min, in person. */
async function createWednesday(t: TestBot, cur: TestUser, hostId: string, orgId?: string): Promise<void> {
  await say(t, cur, "/wednesday");
  if (orgId) await press(t, cur, `gw:o:${orgId}`);
  await press(t, cur, "gw:wd:3");
  await say(t, cur, "25:00");
  expect(t.fake.lastTextTo(cur.chatId)).toContain("ЧЧ:ММ");
  await say(t, cur, "13:30");
  await press(t, cur, "gw:du:60");
  await say(t, cur, "Методическая среда");
  await press(t, cur, `gw:h:${hostId}`);
  await press(t, cur, "gw:md:in_person");
  await say(t, cur, "Методический кабинет");
  expect(t.fake.lastTextTo(cur.chatId)).toContain("По средам в 13:30");
  await press(t, cur, "gw:ok");
}

/** A Moscow series with Анна and Kate signed up. */
async function seriesWithMembers() {
  const k = await kindergarten();
  await createWednesday(k.t, k.cur, await idOf(k.host));
  await k.t.queue.tick(); // the announcement
  await press(k.t, k.anna, /^gs:j:/);
  await press(k.t, k.kate, /^gs:j:/);
  return k;
}

describe("group flash sessions (methodical Wednesday)", () => {
  it("a Moscow curator creates the series: Wednesdays 13:30 = 10:30Z, the teachers are invited and sign up with one tap; a teacher of another kindergarten cannot", async () => {
    const { t, cur, host, anna, kate, stranger } = await kindergarten();
    // Only curators and admins set series up.
    await say(t, anna, "/wednesday");
    expect(t.fake.lastTextTo(anna.chatId)).toBe("Это действие вам недоступно.");

    await createWednesday(t, cur, await idOf(host));
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Серия встреч создана");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("ср, 25.11.2026, 13:30 (Москва, UTC+3)");
    const series = await MeetingSeries.findOne({}).lean();
    expect(series).toMatchObject({ weekday: 3, localTime: "13:30", durationMin: 60, topic: "Методическая среда", mode: "in_person", place: "Методический кабинет", active: true });
    expect(String(series?.hostId)).toBe(await idOf(host));
    const meetings = await Meeting.find({ seriesId: series?._id }).sort({ startAt: 1 }).lean();
    expect(meetings.map((m) => m.startAt?.toISOString())).toEqual([
      "2026-11-25T10:30:00.000Z",
      "2026-12-02T10:30:00.000Z",
      "2026-12-09T10:30:00.000Z",
      "2026-12-16T10:30:00.000Z",
    ]);
    expect(meetings.map((m) => m.occurrence)).toEqual(["2026-11-25", "2026-12-02", "2026-12-09", "2026-12-16"]);
    expect(meetings.every((m) => m.kind === "group" && m.status === "confirmed" && m.participantIds.length === 0)).toBe(true);
    // Reminders (24 h, 1 h) and the follow-up for each occurrence, with the pair meetings' keys.
    expect(await pendingReminders(meetings[0]?._id)).toEqual(["2026-11-24T10:30:00.000Z", "2026-11-25T09:30:00.000Z"]);
    expect(await Job.countDocuments({ key: `meeting:${meetings[0]?._id}:followup:1:${meetings[0]?.startAt?.getTime()}`, status: "pending" })).toBe(1);

    // The announcement goes through the queue to the teachers of the kindergarten, in their language.
    await t.queue.tick();
    const invite = t.fake.lastMessageTo(anna.chatId);
    expect(invite?.text).toContain("Методическая среда");
    expect(invite?.text).toContain("По средам в 13:30 (Москва, UTC+3)");
    expect(invite?.buttons.map((b) => b.data)).toEqual([`gs:j:${series?._id}`]);
    expect(t.fake.lastTextTo(kate.chatId)).toContain("Wednesdays at 13:30 (Moscow, UTC+3)");
    expect(t.fake.textsTo(stranger.chatId).join("\n")).not.toContain("Методическая среда");
    expect(t.fake.textsTo(host.chatId).join("\n")).not.toContain("📣");

    await press(t, anna, `gs:j:${series?._id}`);
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Вы записаны на «Методическая среда». Ближайшая встреча: ср, 25.11.2026, 13:30");
    await press(t, kate, `gs:j:${series?._id}`);
    expect(t.fake.lastTextTo(kate.chatId)).toContain("You are signed up");
    await press(t, anna, `gs:j:${series?._id}`); // a double tap changes nothing
    expect(t.fake.lastTextTo(anna.chatId)).toContain("уже записаны");

    // A teacher of another kindergarten forges the button: refused, nothing changes.
    await t.send(callback(stranger, `gs:j:${series?._id}`));
    expect(lastAlert(t)).toBe("Записаться могут только педагоги этой организации.");
    const members = [await idOf(anna), await idOf(kate)].sort();
    expect((await MeetingSeries.findById(series?._id).lean())?.memberIds.map(String).sort()).toEqual(members);
    for (const m of await Meeting.find({ seriesId: series?._id }).lean()) expect(m.participantIds.map(String).sort()).toEqual(members);

    // Leaving removes her from the series and the occurrences ahead.
    await press(t, kate, /^gs:l:/);
    expect(t.fake.lastTextTo(kate.chatId)).toContain("You left");
    expect((await MeetingSeries.findById(series?._id).lean())?.memberIds.map(String)).toEqual([await idOf(anna)]);
    expect((await Meeting.findOne({ occurrence: "2026-12-02" }).lean())?.participantIds.map(String)).toEqual([await idOf(anna)]);
  });

  it("the same 13:30 is 03:30Z in Vladivostok and 08:30Z in Yekaterinburg; a network curator picks the organization and sees the series listed", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const vl = await org("Детский сад № 7 г. Владивостока", "Asia/Vladivostok", "Восток");
    const ekb = await org("Детский сад № 12 г. Екатеринбурга", "Asia/Yekaterinburg", "Восток");
    const cur = makeUser(820001, "Куратор сети");
    await register(t, cur, { payload: await inviteFor(vl.id, "curator"), role: "curator", answers: { fullName: "Куратор Сети Ивановна", position: "methodologist" } });
    const curId = await idOf(cur);
    const network = (await Organization.findById(vl.id).lean())?.networkIds[0];
    await grantRole(curId, "curator", { networkId: String(network) }, "test", c.now());

    await createWednesday(t, cur, curId, vl.id);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("ср, 25.11.2026, 13:30 (Владивосток, UTC+10)");
    const vlStarts = (await Meeting.find({ organizationId: vl.id }).sort({ startAt: 1 }).lean()).map((m) => m.startAt?.toISOString());
    expect(vlStarts).toEqual(["2026-11-25T03:30:00.000Z", "2026-12-02T03:30:00.000Z", "2026-12-09T03:30:00.000Z", "2026-12-16T03:30:00.000Z"]);

    // With a series, /wednesday lists it with the next occurrences and their buttons.
    await say(t, cur, "/wednesday");
    const list = t.fake.lastMessageTo(cur.chatId);
    expect(list?.text).toContain("Детский сад № 7 г. Владивостока");
    expect(list?.text).toContain("ср, 25.11.2026, 13:30 (Владивосток, UTC+10)");
    expect(list?.buttons.filter((b) => b.data?.startsWith("gs:cx:"))).toHaveLength(4);
    expect(list?.buttons.filter((b) => b.data?.startsWith("gs:mv:"))).toHaveLength(4);
    await press(t, cur, "gs:new");
    await press(t, cur, `gw:o:${ekb.id}`);
    await press(t, cur, "gw:wd:3");
    await say(t, cur, "13:30");
    await press(t, cur, "gw:du:45");
    await say(t, cur, "Методическая среда в Екатеринбурге");
    await press(t, cur, `gw:h:${curId}`);
    await press(t, cur, "gw:md:online");
    await say(t, cur, "https://meet.example.org/wed");
    await press(t, cur, "gw:ok");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("ср, 25.11.2026, 13:30 (Екатеринбург, UTC+5)");
    const ekbStarts = (await Meeting.find({ organizationId: ekb.id }).sort({ startAt: 1 }).lean()).map((m) => m.startAt?.toISOString());
    expect(ekbStarts[0]).toBe("2026-11-25T08:30:00.000Z");
    expect(ekbStarts).toHaveLength(4);
  });

  it("reminders reach the members at 24 h and 1 h, none go to others; the host logs attendance; the daily job keeps four weeks ahead", async () => {
    const { c, t, cur, host, anna, kate, stranger } = await seriesWithMembers();
    const first = await occurrence("2026-11-25");
    const quiet = [cur, stranger].map((u) => t.fake.textsTo(u.chatId).length);

    c.advance(new Date("2026-11-24T10:30:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Напоминание: встреча ср, 25.11.2026, 13:30 (Москва, UTC+3) — «Методическая среда», ведёт: Ведущая Ольга Петровна, Методический кабинет");
    expect(t.fake.lastTextTo(kate.chatId)).toContain("Reminder: meeting Wed, 25 Nov 2026, 13:30 (Moscow, UTC+3)");
    expect(t.fake.lastTextTo(host.chatId)).toContain("Напоминание");
    expect(t.fake.lastTextTo(host.chatId)).toMatch(/записались: \d/);
    // Participants get "I can't come", not "reschedule"; the host gets neither.
    expect(t.fake.lastMessageTo(kate.chatId)?.buttons.map((b) => b.data)).toEqual([`mt:yes:${first._id}`, `mt:no:${first._id}`]);
    expect(t.fake.lastMessageTo(host.chatId)?.buttons.map((b) => b.data)).toEqual([`mt:yes:${first._id}`]);
    // Kate cannot come: the host is told once; a second press changes nothing; she gets no 1-hour reminder.
    await press(t, kate, `mt:no:${first._id}`);
    expect(t.fake.lastTextTo(host.chatId)).toContain("не сможет прийти на встречу «Методическая среда»");
    const hostTexts = t.fake.textsTo(host.chatId).length;
    await t.send(callback(kate, `mt:no:${first._id}`));
    expect(t.fake.textsTo(host.chatId)).toHaveLength(hostTexts);
    await press(t, anna, `mt:yes:${first._id}`);
    c.advance(23 * HOUR);
    await t.queue.tick();
    expect(t.fake.textsTo(anna.chatId).filter((x) => x.startsWith("⏰ Напоминание"))).toHaveLength(2);
    expect(t.fake.textsTo(kate.chatId).filter((x) => x.startsWith("⏰ Reminder"))).toHaveLength(1);
    expect([cur, stranger].map((u) => t.fake.textsTo(u.chatId).length)).toEqual(quiet);

    // A participant cannot move the session for everyone from the reminder.
    await t.send(callback(kate, `mt:rs:${first._id}`));
    expect(lastAlert(t)).toContain("moved by its host or a curator");

    // 30 min after the end the host is asked; "held" opens the attendance list (Анна pre-selected by her "I'll be there").
    c.advance(2 * HOUR + 31 * 60_000);
    await t.queue.tick();
    expect(t.fake.lastTextTo(host.chatId)).toContain("состоялась?");
    await press(t, host, `mt:hd:${first._id}`);
    const sheet = t.fake.lastMessageTo(host.chatId);
    expect(sheet?.text).toContain("Отметьте, кто пришёл");
    expect(sheet?.buttons.map((b) => b.text)).toEqual(["✅ Анна Смирнова", "Kate Morozova", "Готово ✔️"]);
    await press(t, host, "ga:done");
    expect(t.fake.lastTextTo(host.chatId)).toBe("Спасибо! Встреча записана: пришли 1, не пришли 1.");
    const held = await Meeting.findById(first._id).lean();
    expect(held?.status).toBe("held");
    expect(held?.log?.absentIds?.map(String)).toEqual([await idOf(kate)]);
    expect(await Job.countDocuments({ key: { $regex: `^meeting:${first._id}:` }, status: "pending" })).toBe(0);

    // The next day's run of the materialize job adds the fifth week, with the members in it.
    c.advance(new Date("2026-11-26T00:10:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    const added = await occurrence("2026-12-23");
    expect(added.startAt?.toISOString()).toBe("2026-12-23T10:30:00.000Z");
    expect(added.participantIds.map(String).sort()).toEqual([await idOf(anna), await idOf(kate)].sort());
    expect(await pendingReminders(added._id)).toEqual(["2026-12-22T10:30:00.000Z", "2026-12-23T09:30:00.000Z"]);
    expect(await Job.countDocuments({ key: "series-materialize:2026-11-27", status: "pending" })).toBe(1);
    await t.queue.tick(); // idempotent: nothing twice
    expect(await Meeting.countDocuments({ occurrence: "2026-12-23" })).toBe(1);

    // "It did not take place" for a group occurrence: only the host, only after it began.
    const dec2 = await occurrence("2026-12-02");
    await t.send(callback(host, `mt:ms:${dec2._id}`));
    expect(lastAlert(t)).toBe("Эта встреча вам недоступна или уже отмечена.");
    c.advance(new Date("2026-12-02T12:01:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    await t.send(callback(anna, `mt:ms:${dec2._id}`));
    expect(lastAlert(t)).toBe("Эта встреча вам недоступна или уже отмечена.");
    await press(t, host, `mt:ms:${dec2._id}`);
    expect(t.fake.lastTextTo(host.chatId)).toBe("Записано: встреча не состоялась.");
    expect((await Meeting.findById(dec2._id).lean())?.status).toBe("missed");
    expect(t.logs.errors()).toEqual([]);
  });

  it("one occurrence is cancelled and another moved without touching the series; participants get calendar files; forged presses are refused", async () => {
    const { t, cur, host, anna, kate } = await seriesWithMembers();
    const dec2 = await occurrence("2026-12-02");
    const dec9 = await occurrence("2026-12-09");
    const seriesBefore = await MeetingSeries.findOne({}).lean();

    // A teacher forges the curator's buttons (and the generic meeting cancel): all refused.
    for (const data of [`gs:cx:${dec2._id}`, `gs:cy:${dec2._id}`, `gs:mv:${dec2._id}`, `mt:cx:${dec2._id}`]) {
      await t.send(callback(anna, data));
      expect(lastAlert(t), data).toBe("Это действие вам недоступно.");
    }
    await t.send(callback(anna, `mt:hd:${dec2._id}`));
    expect(lastAlert(t)).toBe("Эта встреча вам недоступна или уже отмечена.");
    expect((await Meeting.findById(dec2._id).lean())?.status).toBe("confirmed");
    await t.send(callback(anna, "gs:new"));
    expect(lastAlert(t)).toBe("Это действие вам недоступно.");

    // The curator cancels 2 December from the list (with a confirmation).
    await say(t, cur, "/wednesday");
    await press(t, cur, `gs:cx:${dec2._id}`);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Отменить встречу ср, 02.12.2026, 13:30");
    await press(t, cur, `gs:cy:${dec2._id}`);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Встреча отменена");
    expect((await Meeting.findById(dec2._id).lean())?.status).toBe("cancelled");
    expect(await pendingReminders(dec2._id)).toEqual([]);
    expect(await pendingReminders(dec9._id)).toEqual(["2026-12-08T10:30:00.000Z", "2026-12-09T09:30:00.000Z"]);
    await t.send(callback(cur, `gs:cy:${dec2._id}`)); // twice: stale
    expect(lastAlert(t)).toBe("Эта кнопка уже неактуальна.");
    await t.queue.tick();
    const annaDoc = t.fake.sent("sendDocument").filter((d) => Number(d.payload.chat_id) === anna.chatId).at(-1);
    expect(String(annaDoc?.payload.caption)).toContain("Встреча «Методическая среда» ср, 02.12.2026, 13:30 (Москва, UTC+3) отменена");
    expect(annaDoc?.files.document?.content.toString("utf8")).toContain("METHOD:CANCEL");
    const kateDoc = t.fake.sent("sendDocument").filter((d) => Number(d.payload.chat_id) === kate.chatId).at(-1);
    expect(String(kateDoc?.payload.caption)).toContain("on Wed, 2 Dec 2026, 13:30 (Moscow, UTC+3) is cancelled");
    expect(t.fake.sent("sendDocument").some((d) => Number(d.payload.chat_id) === host.chatId)).toBe(true);

    // The host moves 9 December to Thursday 15:00 (typed in the kindergarten's zone).
    await t.send(callback(host, `gs:mv:${dec9._id}`));
    expect(t.fake.lastTextTo(host.chatId)).toContain("Москва, UTC+3");
    await say(t, host, "31.02 15:00");
    expect(t.fake.lastTextTo(host.chatId)).toContain("Такой даты нет");
    await say(t, host, "10.12.2026 15:00");
    expect(t.fake.lastTextTo(host.chatId)).toContain("Встреча перенесена на чт, 10.12.2026, 15:00");
    const moved = await Meeting.findById(dec9._id).lean();
    expect(moved?.startAt?.toISOString()).toBe("2026-12-10T12:00:00.000Z");
    expect(moved?.occurrence).toBe("2026-12-09");
    expect(moved?.sequence).toBe(1);
    expect(moved?.history.some((h) => h.previousStartAt?.toISOString() === "2026-12-09T10:30:00.000Z")).toBe(true);
    expect(await pendingReminders(dec9._id)).toEqual(["2026-12-09T12:00:00.000Z", "2026-12-10T11:00:00.000Z"]);
    expect(await Job.countDocuments({ key: { $regex: `^meeting:${dec9._id}:followup:1:${new Date("2026-12-10T12:00:00Z").getTime()}` }, status: "pending" })).toBe(1);
    await t.queue.tick();
    const movedDoc = t.fake.sent("sendDocument").filter((d) => Number(d.payload.chat_id) === kate.chatId).at(-1);
    expect(String(movedDoc?.payload.caption)).toContain("moved to Thu, 10 Dec 2026, 15:00 (Moscow, UTC+3) (was: Wed, 9 Dec 2026, 13:30");
    const ics = movedDoc?.files.document?.content.toString("utf8") ?? "";
    expect(ics).toMatch(/DTSTART:20261210T120000Z/);
    expect(ics).toContain("SEQUENCE:1");

    // The series and the other weeks are untouched; a later materialize does not bring the cancelled week back.
    const seriesAfter = await MeetingSeries.findOne({}).lean();
    expect(seriesAfter?.active).toBe(true);
    expect(seriesAfter?.memberIds.map(String)).toEqual(seriesBefore?.memberIds.map(String));
    expect((await occurrence("2026-12-16")).startAt?.toISOString()).toBe("2026-12-16T10:30:00.000Z");
    expect((await occurrence("2026-11-25")).status).toBe("confirmed");
    expect(await Meeting.countDocuments({ occurrence: "2026-12-02" })).toBe(1);
    expect((await occurrence("2026-12-02")).status).toBe("cancelled");
    expect(t.logs.errors()).toEqual([]);
  });
});

describe("stopping a series", () => {
  it("the curator ends a series from /wednesday: upcoming sessions are cancelled with calendar files, no new ones appear, sign-ups are refused", async () => {
    const { c, t, cur, anna, kate } = await seriesWithMembers();
    const series = (await MeetingSeries.findOne({}).lean())!;
    const upcoming = await Meeting.countDocuments({ seriesId: series._id, status: "confirmed" });
    expect(upcoming).toBeGreaterThanOrEqual(4);

    // A teacher cannot stop it, even with forged buttons.
    await t.send(callback(anna, `gs:st:${series._id}`));
    expect(lastAlert(t)).toBe("Это действие вам недоступно.");
    await t.send(callback(anna, `gs:sy:${series._id}`));
    expect(lastAlert(t)).toBe("Это действие вам недоступно.");

    await say(t, cur, "/wednesday");
    await press(t, cur, `gs:st:${series._id}`);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Завершить серию встреч?");
    await press(t, cur, `gs:sy:${series._id}`);
    expect(t.fake.lastTextTo(cur.chatId)).toBe(`Серия «Методическая среда» завершена, отменено встреч: ${upcoming}. Участники получат уведомление.`);
    expect((await MeetingSeries.findById(series._id).lean())?.active).toBe(false);
    expect(await Meeting.countDocuments({ seriesId: series._id, status: "confirmed" })).toBe(0);
    expect(await Job.countDocuments({ key: { $regex: "^meeting:.*:reminder" }, status: "pending" })).toBe(0);
    await t.send(callback(cur, `gs:sy:${series._id}`)); // twice
    expect(lastAlert(t)).toBe("Эти встречи больше не проводятся.");

    // Members get a CANCEL file per cancelled session.
    await t.queue.tick();
    const kateDocs = t.fake.sent("sendDocument").filter((d) => Number(d.payload.chat_id) === kate.chatId && String(d.payload.caption).includes("the series has ended"));
    expect(kateDocs).toHaveLength(upcoming);
    expect(kateDocs[0]?.files.document?.content.toString("utf8")).toContain("METHOD:CANCEL");

    // The daily upkeep creates nothing new; joining is refused.
    c.advance(8 * 24 * HOUR);
    await t.queue.tick();
    expect(await Meeting.countDocuments({ seriesId: series._id, status: "confirmed" })).toBe(0);
    await t.send(callback(anna, `gs:j:${series._id}`));
    expect(lastAlert(t)).toBe("Эти встречи больше не проводятся.");
  });
});

