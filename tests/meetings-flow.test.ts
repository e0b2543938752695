import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { callback, makeUser } from "./helpers/updates.ts";
import { inviteFor, pairUp, press, register, say } from "./helpers/scenario.ts";
import { Job, Meeting } from "../models/index.ts";
import { storedJobs } from "./helpers/jobs.ts";

useTestDatabase({ resetBetweenTests: true });

const HOUR = 3_600_000;


describe("flash sessions of a pair", () => {
  it("propose typed times in the proposer's zone → pick in the other's zone → .ics → reminders → follow-up → log", async () => {
    const { c, t, m, mentee } = await pairUp();
    // The mentor (Yekaterinburg, UTC+5) proposes; wrong input first.
    await say(t, m, "/session");
    await press(t, m, "ss:tp:E2");
    await press(t, m, "ss:du:45");
    await press(t, m, "ss:md:online");
    await say(t, m, "https://meet.example.org/room-42");
    await press(t, m, "ss:type");
    await say(t, m, "31.02 15:00");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Такой даты нет");
    await say(t, m, "вчера в 10");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Не понимаю дату");
    await say(t, m, "25.11.2026 15:30");
    await press(t, m, "ss:sl:done");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Предложение отправлено. Кому: Kate Morozova.");
    expect(t.fake.lastTextTo(m.chatId)).toContain("15:30");

    // The mentee (Moscow, UTC+3) sees 13:30 Moscow time and picks it.
    const proposal = t.fake.lastMessageTo(mentee.chatId);
    expect(proposal?.text).toContain("proposes a meeting");
    const slot = proposal?.buttons.find((b) => b.data?.startsWith("mt:pk:"));
    expect(slot?.text).toContain("13:30");
    expect(slot?.text).toContain("Moscow");
    await t.send(callback(mentee, slot?.data as string));
    const meeting = await Meeting.findOne({}).lean();
    expect(meeting?.status).toBe("confirmed");
    expect(meeting?.startAt?.toISOString()).toBe("2026-11-25T10:30:00.000Z");
    const docs = t.fake.sent("sendDocument");
    expect(docs).toHaveLength(2);
    const ics = docs[0]?.files.document?.content.toString("utf8") ?? "";
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toMatch(/DTSTART:20261125T103000Z/);
    // An event to add, not an invitation nobody can answer; the summary says what and with whom.
    expect(ics).toContain("METHOD:PUBLISH");
    expect(ics).toMatch(/SUMMARY:(Наставничество|Mentoring): .+ — \S/);
    expect(String(docs.find((d) => Number(d.payload.chat_id) === m.chatId)?.payload.caption)).toContain("15:30");

    // Reminders 24 h and 1 h before, each in the recipient's zone, with buttons.
    expect(await Job.countDocuments({ key: { $regex: `^meeting:${meeting?._id}:reminder` }, status: "pending" })).toBe(2);
    c.advance(new Date("2026-11-24T10:30:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("Reminder");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Напоминание");
    // Every reminder names the counterpart.
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("with Наставница Орская Петровна");
    expect(t.fake.lastTextTo(m.chatId)).toContain("с вами встречается: Kate Morozova");
    await press(t, mentee, /^mt:yes:/);
    expect((await Meeting.findById(meeting?._id).lean())?.attending).toHaveLength(1);

    // After the end + 30 min the mentor is asked; logs "held" with a next step and no attachment.
    c.advance(24 * HOUR + 45 * 60_000 + 30 * 60_000);
    await t.queue.tick();
    expect(t.fake.lastTextTo(m.chatId)).toContain("состоялась?");
    await press(t, m, /^mt:hd:/);
    await say(t, m, "Разобрали монтаж ролика для родителей");
    await say(t, m, "Снять пробный ролик");
    await press(t, m, "ml:skip2");
    expect(t.fake.lastTextTo(m.chatId)).toBe("Спасибо! Встреча записана.");
    const held = await Meeting.findById(meeting?._id).lean();
    expect(held?.status).toBe("held");
    expect(held?.log?.covered).toBe("Разобрали монтаж ролика для родителей");
    // The log reaches the mentee: what was covered and the next step (issue 11).
    const summary = t.fake.textsTo(mentee.chatId).find((x) => x.startsWith("📝"));
    expect(summary).toContain("Summary of the meeting with your mentor (Наставница Орская Петровна)");
    expect(summary).toContain("Разобрали монтаж ролика для родителей");
    expect(summary).toContain("Next step: Снять пробный ролик");
    // The repeat follow-up is cancelled.
    expect(await Job.countDocuments({ key: { $regex: `^meeting:${meeting?._id}:` }, status: "pending" })).toBe(0);
  });

  it("cancel removes reminders; a reschedule moves them; no reminder for a meeting that has begun", async () => {
    const { c, t, m, mentee } = await pairUp();
    await say(t, mentee, "/session");
    await press(t, mentee, "ss:tp:E2");
    await press(t, mentee, "ss:du:30");
    await press(t, mentee, "ss:md:in_person");
    await say(t, mentee, "Group 3, room 12");
    await press(t, mentee, "ss:type");
    await say(t, mentee, "26.11.2026 12:00");
    await press(t, mentee, "ss:type");
    await say(t, mentee, "tomorrow 18:00");
    await press(t, mentee, "ss:sl:done");
    const proposal = t.fake.lastMessageTo(m.chatId);
    expect(proposal?.buttons.filter((b) => b.data?.startsWith("mt:pk:"))).toHaveLength(2);
    await press(t, m, /^mt:pk:[0-9a-f]{24}:1$/);
    const meeting = await Meeting.findOne({}).lean();
    expect(meeting?.startAt?.toISOString()).toBe("2026-11-26T09:00:00.000Z");

    // Reschedule by the mentor to a typed time: reminders move with it.
    await press(t, m, /^mt:rs:/);
    await press(t, m, "ss:type");
    await say(t, m, "27.11.2026 16:00");
    await press(t, m, "ss:sl:done");
    await press(t, mentee, /^mt:pk:[0-9a-f]{24}:0$/);
    const moved = await Meeting.findById(meeting?._id).lean();
    expect(moved?.startAt?.toISOString()).toBe("2026-11-27T11:00:00.000Z");
    expect(moved?.sequence).toBe(1);
    expect(moved?.history.some((h) => h.previousStartAt?.toISOString() === "2026-11-26T09:00:00.000Z")).toBe(true);
    const reminders = await Job.find({ key: { $regex: `^meeting:${meeting?._id}:reminder` }, status: "pending" }).lean();
    expect(reminders.map((r) => r.runAt.toISOString()).sort()).toEqual(["2026-11-26T11:00:00.000Z", "2026-11-27T10:00:00.000Z"]);

    // A long outage: the clock jumps past the start; the reminders are not sent.
    c.advance(new Date("2026-11-27T11:05:00Z").getTime() - c.now().getTime());
    const before = t.fake.textsTo(mentee.chatId).length;
    await t.queue.tick();
    expect(t.fake.textsTo(mentee.chatId).slice(before).join("\n")).not.toContain("Reminder");

    // Cancel: pending jobs go, both get a cancellation.
    await press(t, mentee, /^mt:cx:/);
    expect((await Meeting.findById(meeting?._id).lean())?.status).toBe("cancelled");
    expect(await Job.countDocuments({ key: { $regex: `^meeting:${meeting?._id}:` }, status: "pending" })).toBe(0);
  });

  it("an unanswered follow-up repeats once after 24 h, then the meeting is marked unlogged; /sessions lists it", async () => {
    const { c, t, m, mentee } = await pairUp();
    await say(t, m, "/session");
    await press(t, m, "ss:tp:E2");
    await press(t, m, "ss:du:15");
    await press(t, m, "ss:md:online");
    await say(t, m, "Zoom");
    await press(t, m, "ss:type");
    await say(t, m, "24.11.2026 14:00");
    await press(t, m, "ss:sl:done");
    await press(t, mentee, /^mt:pk:/);
    c.advance(new Date("2026-11-24T09:46:00Z").getTime() - c.now().getTime());
    await t.queue.tick(); // reminders (1 h before) and the follow-up
    c.advance(HOUR);
    await t.queue.tick();
    expect(t.fake.lastTextTo(m.chatId)).toContain("состоялась?");
    c.advance(24 * HOUR);
    await t.queue.tick();
    expect(t.fake.lastTextTo(m.chatId)).toContain("Напоминаем: отметьте");
    c.advance(24 * HOUR);
    await t.queue.tick();
    expect((await Meeting.findOne({}).lean())?.unlogged).toBe(true);
    await say(t, m, "/sessions");
    expect(t.fake.lastTextTo(m.chatId)).toContain("не отмечена");
    // The mentee cannot log the mentor's meeting.
    const meeting = await Meeting.findOne({}).lean();
    await t.send(callback(mentee, `mt:hd:${meeting?._id}`));
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("not available to you");
  });

  it("after downtime a reminder still ahead of the start goes out late with an honest note; 429 delays it, 403 marks the user unreachable", async () => {
    const { c, t, m, mentee } = await pairUp();
    await say(t, m, "/session");
    await press(t, m, "ss:tp:E2");
    await press(t, m, "ss:du:30");
    await press(t, m, "ss:md:online");
    await say(t, m, "Zoom link");
    await press(t, m, "ss:type");
    await say(t, m, "26.11.2026 16:00");
    await press(t, m, "ss:sl:done");
    await press(t, mentee, /^mt:pk:/);
    // Start 11:00Z; the 24 h reminder was due 25.11 11:00Z. The bot comes back 3 h later.
    c.advance(new Date("2026-11-25T14:00:00Z").getTime() - c.now().getTime());
    t.fake.failNext("sendMessage", { kind: "429", retryAfter: 1 }, 1, mentee.chatId);
    t.fake.failNext("sendMessage", { kind: "403" }, 5, m.chatId);
    await t.queue.tick();
    // The 429 is honoured durably: the outbox retries after `retry_after` (issue 13).
    c.advance(2000);
    await t.queue.tick();
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("late: the bot was unavailable");
    expect(t.fake.calls.filter((x) => x.method === "sendMessage" && Number(x.payload.chat_id) === mentee.chatId && x.failed)).toHaveLength(1);
    const mentorDoc = await (await import("../models/index.ts")).User.findOne({ telegramId: m.id }).lean();
    expect(mentorDoc?.unreachable).toBe(true);
    // The 1 h reminder skips the unreachable mentor and reaches the mentee.
    const mentorCalls = t.fake.calls.filter((x) => Number(x.payload.chat_id) === m.chatId).length;
    c.advance(new Date("2026-11-26T10:00:30Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect(t.fake.calls.filter((x) => Number(x.payload.chat_id) === m.chatId).length).toBe(mentorCalls);
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("Reminder: meeting");
  });

  it("quick picks come from the mentor's windows in the mentor's zone and are shown in the proposer's zone", async () => {
    const { t, m, mentee } = await pairUp(new Date("2026-11-23T04:00:00Z")); // Monday 07:00 Moscow
    await say(t, mentee, "/session");
    await press(t, mentee, "ss:tp:E2");
    await press(t, mentee, "ss:du:60");
    await press(t, mentee, "ss:md:online");
    await say(t, mentee, "Zoom");
    const picker = t.fake.lastMessageTo(mentee.chatId);
    const quick = picker?.buttons.filter((b) => b.data?.startsWith("ss:sl:t:")) ?? [];
    expect(quick.length).toBeGreaterThan(0);
    // Mentor windows: Mon/Wed 12:00–16:00 Yekaterinburg = 10:00–14:00 Moscow.
    expect(quick[0]?.text).toContain("10:00");
    expect(quick[0]?.text).toContain("Moscow");
    for (const b of quick) {
      const at = new Date(Number(b.data?.split(":")[3]));
      const ekbHour = (at.getUTCHours() + 5) % 24;
      expect(ekbHour).toBeGreaterThanOrEqual(12);
      expect(ekbHour).toBeLessThanOrEqual(15);
    }
    await press(t, mentee, quick[0]?.data as string);
    await press(t, mentee, "ss:sl:done");
    await press(t, m, /^mt:pk:[0-9a-f]{24}:0$/);
    expect((await Meeting.findOne({}).lean())?.startAt?.toISOString()).toBe(new Date(Number(quick[0]?.data?.split(":")[3])).toISOString());
  });

  it("a reminder more than 12 h late is marked missed and reported to the curator; the pair-formed message offers to arrange a meeting", async () => {
    const { c, t, m, mentee, home } = await pairUp();
    expect(t.fake.messagesTo(mentee.chatId).some((x) => x.buttons.some((b) => b.data?.startsWith("mt:new:")))).toBe(true);
    const curator = makeUser(500009, "КураторДома", "ru");
    await register(t, curator, { payload: await inviteFor(home.id, "curator"), role: "curator", answers: { fullName: "Куратор Домашняя Ивановна", position: "senior_educator" } });
    await press(t, mentee, /^mt:new:/);
    await press(t, mentee, "ss:tp:E2");
    await press(t, mentee, "ss:du:30");
    await press(t, mentee, "ss:md:online");
    await say(t, mentee, "Zoom");
    await press(t, mentee, "ss:type");
    await say(t, mentee, "28.11.2026 14:00");
    await press(t, mentee, "ss:sl:done");
    await press(t, m, /^mt:pk:/);
    // The 24 h reminder was due 27.11 11:00Z; the bot is back 12.5 h later.
    c.advance(new Date("2026-11-27T23:30:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect(t.fake.lastTextTo(curator.chatId)).toContain("не было отправлено вовремя");
    expect(t.fake.textsTo(mentee.chatId).join("\n")).not.toContain("Reminder");
    expect((await storedJobs()).filter((j) => j.type === "meeting-reminder" && j.status === "missed")).toHaveLength(1);
  });
});
