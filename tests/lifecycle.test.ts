import { describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, makeUser } from "./helpers/updates.ts";
import mongoose from "mongoose";
import { ask, clock, inviteFor, mentor, org, pairUp, press, register, say } from "./helpers/scenario.ts";
import { Meeting, MentorProfile, MentorshipRequest, Pair, Question, User } from "../models/index.ts";
import { logHeld, logMissed, scheduleMeetingJobs } from "../src/domain/meetings.ts";
import { backfillPairLastHeld } from "../src/db/backfill.ts";
import { storedJobs } from "./helpers/jobs.ts";
import { finishPair } from "../src/domain/program-endings.ts";
import { endPair, reconcileMentorLoad } from "../src/domain/pairs.ts";
import { repairUserDefaults } from "../src/domain/registration.ts";

useTestDatabase({ resetBetweenTests: true });

describe("mentoring lifecycle", () => {
  it("a teacher waiting for the curator's approval gets a pending menu, not an error", async () => {
    const t = buildTestBot();
    await org("МАДОУ «Детский сад № 7»");
    const teacher = makeUser(910001, "Вера", "ru");
    await register(t, teacher, { orgQuery: "сад № 7", answers: { fullName: "Соколова Вера Андреевна" } });
    for (const cmd of ["/start", "/help", "/privacy"]) {
      await say(t, teacher, cmd);
      const text = t.fake.lastTextTo(teacher.chatId) ?? "";
      expect(text, cmd).not.toContain("пошло не так");
    }
    await say(t, teacher, "/start");
    const menu = t.fake.lastMessageTo(teacher.chatId);
    expect(menu?.text).toContain("Заявка в МАДОУ «Детский сад № 7» ждёт подтверждения куратора");
    expect(menu?.buttons.map((b) => b.data)).toEqual(["m:profile", "m:privacy", "m:lang"]);
    // A user document written without the roles field (an older upsert) is repaired at start and never crashes a handler.
    await User.collection.updateOne({ telegramId: teacher.id }, { $unset: { roles: "" } });
    await say(t, teacher, "/help");
    expect(t.fake.lastTextTo(teacher.chatId)).not.toContain("пошло не так");
    expect(await repairUserDefaults()).toBe(1);
    expect((await User.findOne({ telegramId: teacher.id }).lean())?.roles).toEqual([]);
  });
});

const DAY = 86_400_000;

type Id = mongoose.Types.ObjectId | undefined;
async function confirmedMeetingOfPair(pairId: Id, hostId: Id, guestId: Id, startAt: Date) {
  return Meeting.create({
    kind: "pair",
    pairId,
    organizationId: new mongoose.Types.ObjectId(),
    hostId,
    participantIds: [guestId],
    status: "confirmed",
    topic: "E2",
    durationMin: 30,
    mode: "online",
    startAt,
  });
}

describe("pair endings and the mentor's capacity", () => {
  it("a flash pair holds no place and closes when its meeting is logged as held", async () => {
    const { c, t } = await pairUp(new Date("2026-11-23T07:00:00Z"), "flash");
    const pair = await Pair.findOne({}).lean();
    expect(pair?.kind).toBe("flash");
    const profile = await MentorProfile.findById(pair?.mentorProfileId).lean();
    expect(profile?.freeSlots, "a flash pair takes no capacity").toBe(profile?.capacity);
    expect(profile?.activeMentees).toBe(0);
    const meeting = await confirmedMeetingOfPair(pair?._id, pair?.mentorId, pair?.menteeId, new Date(c.now().getTime() + DAY));
    c.advance(2 * DAY);
    const deps = { scheduler: t.queue, reminderOffsetsMs: [], followupDelayMs: 30 * 60_000 };
    expect(await logHeld(meeting._id.toString(), String(pair?.mentorId), { covered: "Монтаж ролика" }, c.now(), deps)).toBe(true);
    const closed = await Pair.findById(pair?._id).lean();
    expect(closed?.status).toBe("completed");
    expect(closed?.endReason).toBe("flash_held");
    expect((await MentorProfile.findById(pair?.mentorProfileId).lean())?.freeSlots).toBe(profile?.capacity);
  });

  it("a log cut off after the meeting's own write (the process died) is completed when the update is handled again: the pair stamped and closed, the follow-ups cancelled", async () => {
    const { c, t } = await pairUp(new Date("2026-11-23T07:00:00Z"), "flash");
    const pair = await Pair.findOne({}).lean();
    const deps = { scheduler: t.queue, reminderOffsetsMs: [], followupDelayMs: 30 * 60_000 };
    const meeting = await confirmedMeetingOfPair(pair?._id, pair?.mentorId, pair?.menteeId, new Date(c.now().getTime() + DAY));
    await scheduleMeetingJobs(meeting._id, meeting.startAt as Date, 30, c.now(), deps);
    const pendingOfMeeting = async () => (await storedJobs()).filter((j) => j.key.startsWith(`meeting:${meeting._id}:`) && j.status === "pending");
    expect((await pendingOfMeeting()).length).toBeGreaterThan(0);
    c.advance(2 * DAY);
    const died = vi.spyOn(Pair, "findOneAndUpdate").mockImplementationOnce(() => {
      throw new Error("the process died here");
    });
    await expect(logHeld(meeting._id.toString(), String(pair?.mentorId), { covered: "Монтаж ролика" }, c.now(), deps)).rejects.toThrow("died");
    died.mockRestore();
    expect((await Meeting.findById(meeting._id).lean())?.status).toBe("held");
    expect((await Pair.findById(pair?._id).lean())?.status, "cut off before the pair").toBe("active");
    // Someone else, or other words for a meeting logged before: refused, and nothing logged twice.
    expect(await logHeld(meeting._id.toString(), String(pair?.menteeId), { covered: "Монтаж ролика" }, c.now(), deps)).toBe(false);
    expect(await logHeld(meeting._id.toString(), String(pair?.mentorId), { covered: "Другое" }, c.now(), deps)).toBe(false);
    // The same log handled again (the update's replay): done, whatever the first run left.
    expect(await logHeld(meeting._id.toString(), String(pair?.mentorId), { covered: "Монтаж ролика" }, c.now(), deps)).toBe(true);
    const closed = await Pair.findById(pair?._id).lean();
    expect(closed?.status).toBe("completed");
    expect(closed?.endReason).toBe("flash_held");
    expect(closed?.lastHeldAt).toEqual(meeting.startAt);
    expect(await pendingOfMeeting()).toEqual([]);
    const stored = await Meeting.findById(meeting._id).lean();
    expect(stored?.log?.covered).toBe("Монтаж ролика");
    expect(stored?.history?.filter((h) => h.status === "held")).toHaveLength(1);
  });

  it("two flash sessions in a row leave a capacity-2 mentor free for a long-term request", async () => {
    const { c, t, m, mentee } = await pairUp(new Date("2026-11-23T07:00:00Z"), "flash");
    const deps = { scheduler: t.queue, reminderOffsetsMs: [], followupDelayMs: 30 * 60_000 };
    const first = await Pair.findOne({}).lean();
    const meeting = await confirmedMeetingOfPair(first?._id, first?.mentorId, first?.menteeId, new Date(c.now().getTime() + DAY));
    c.advance(2 * DAY);
    await logHeld(meeting._id.toString(), String(first?.mentorId), { covered: "Монтаж" }, c.now(), deps);
    // A second flash request from the same mentee, then a long-term one: the mentor is still offered.
    await ask(t, mentee, ["E2"], "One more question about video editing", "flash");
    await press(t, mentee, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    await press(t, m, /^of:a:/);
    await ask(t, mentee, ["E2"], "I would like a long-term mentor for digital tools", "long_term");
    await press(t, mentee, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    await press(t, m, /^of:a:/);
    const pairs = await Pair.find({ status: "active" }).lean();
    expect(pairs.map((p) => p.kind).sort()).toEqual(["flash", "long_term"]);
    const profile = await MentorProfile.findOne({}).lean();
    expect(profile?.activeMentees).toBe(1);
    expect(profile?.freeSlots).toBe((profile?.capacity ?? 0) - 1);
  });

  it("a pair records when it last met: the latest meeting logged as held, whatever the order of logging; pairs stored before get it once at start (issue 12)", async () => {
    const { c, t } = await pairUp(new Date("2026-11-23T07:00:00Z"));
    const pair = await Pair.findOne({}).lean();
    const deps = { scheduler: t.queue, reminderOffsetsMs: [], followupDelayMs: 30 * 60_000 };
    const first = await confirmedMeetingOfPair(pair?._id, pair?.mentorId, pair?.menteeId, new Date(c.now().getTime() + DAY));
    const second = await confirmedMeetingOfPair(pair?._id, pair?.mentorId, pair?.menteeId, new Date(c.now().getTime() + 3 * DAY));
    const missed = await confirmedMeetingOfPair(pair?._id, pair?.mentorId, pair?.menteeId, new Date(c.now().getTime() + 5 * DAY));
    c.advance(6 * DAY);
    const lastHeld = async () => (await Pair.findById(pair?._id, { lastHeldAt: 1 }).lean())?.lastHeldAt;
    expect(await lastHeld()).toBeUndefined();
    // The later meeting is logged first, the earlier one after it: the pair keeps the later.
    expect(await logHeld(second._id.toString(), String(pair?.mentorId), { covered: "Режимные моменты" }, c.now(), deps)).toBe(true);
    expect(await logHeld(first._id.toString(), String(pair?.mentorId), { covered: "Утренний круг" }, c.now(), deps)).toBe(true);
    expect(await logMissed(missed._id.toString(), String(pair?.mentorId), [], c.now(), deps)).toBe(true);
    expect(await lastHeld()).toEqual(second.startAt);
    // Logged again (an update's replay): recorded, once; as held instead, or by someone else: refused.
    expect(await logMissed(missed._id.toString(), String(pair?.mentorId), [], c.now(), deps)).toBe(true);
    expect((await Meeting.findById(missed._id).lean())?.history?.filter((h) => h.status === "missed")).toHaveLength(1);
    expect(await logMissed(missed._id.toString(), String(pair?.menteeId), [], c.now(), deps)).toBe(false);
    expect(await logHeld(missed._id.toString(), String(pair?.mentorId), { covered: "Не было" }, c.now(), deps)).toBe(false);
    expect(await lastHeld()).toEqual(second.startAt);
    // A pair stored before the field: the start fills it from its held meetings, once.
    await Pair.collection.updateOne({ _id: pair?._id }, { $unset: { lastHeldAt: 1 } });
    expect(await backfillPairLastHeld()).toBe(1);
    expect(await lastHeld()).toEqual(second.startAt);
    expect(await backfillPairLastHeld()).toBe(1);
    expect(await lastHeld()).toEqual(second.startAt);
  });

  it("ending a long-term pair gives the place back exactly once", async () => {
    const { c, t } = await pairUp();
    const pair = await Pair.findOne({}).lean();
    const before = await MentorProfile.findById(pair?.mentorProfileId).lean();
    expect(before?.activeMentees).toBe(1);
    const deps = { scheduler: t.queue };
    const first = await finishPair(String(pair?._id), String(pair?.mentorId), "Переезд в другой город", c.now(), deps);
    expect(first.ok).toBe(true);
    const again = await finishPair(String(pair?._id), String(pair?.menteeId), "Повтор", c.now(), deps);
    expect(again.ok).toBe(false);
    expect(await endPair(pair?._id as mongoose.Types.ObjectId, { status: "terminated", reason: "participant_left" }, c.now(), deps)).toBeNull();
    const after = await MentorProfile.findById(pair?.mentorProfileId).lean();
    expect(after?.activeMentees).toBe(0);
    expect(after?.freeSlots).toBe(after?.capacity);
  });

  it("a pair that ends cancels its meetings still ahead and their reminders; a meeting already past keeps its state", async () => {
    const { c, t, mentee } = await pairUp();
    const pair = await Pair.findOne({}).lean();
    const deps = { scheduler: t.queue, reminderOffsetsMs: [24 * 3_600_000, 3_600_000], followupDelayMs: 30 * 60_000 };
    const past = await confirmedMeetingOfPair(pair?._id, pair?.mentorId, pair?.menteeId, new Date(c.now().getTime() - 3_600_000));
    const ahead = await confirmedMeetingOfPair(pair?._id, pair?.mentorId, pair?.menteeId, new Date(c.now().getTime() + 3 * DAY));
    await scheduleMeetingJobs(ahead._id, ahead.startAt as Date, 30, c.now(), deps);
    expect((await storedJobs()).filter((j) => j.key.startsWith(`meeting:${ahead._id}:`)).length).toBeGreaterThan(0);
    const ended = await finishPair(String(pair?._id), String(pair?.mentorId), "Переезд в другой город", c.now(), { scheduler: t.queue });
    expect(ended.ok).toBe(true);
    expect((await Meeting.findById(ahead._id).lean())?.status).toBe("cancelled");
    expect((await Meeting.findById(past._id).lean())?.status).toBe("confirmed"); // still to be logged by the mentor
    expect((await storedJobs()).filter((j) => j.key.startsWith(`meeting:${ahead._id}:`) && j.status === "pending")).toEqual([]);
    // Two days on, when the 24-hour reminder would have gone: nothing reaches the mentee.
    const before = t.fake.textsTo(mentee.chatId).length;
    c.advance(2 * DAY + 3_600_000);
    await t.queue.tick();
    expect(t.fake.textsTo(mentee.chatId).slice(before).filter((x) => /remind|Напомина/i.test(x))).toEqual([]);
  });

  it("a flash pair without a meeting closes after FLASH_PAIR_IDLE; a booked meeting keeps it open", async () => {
    const { c, t, m, mentee } = await pairUp(new Date("2026-11-23T07:00:00Z"), "flash");
    const pair = await Pair.findOne({}).lean();
    // A meeting booked for day 15 keeps the pair open past day 21.
    const meeting = await confirmedMeetingOfPair(pair?._id, pair?.mentorId, pair?.menteeId, new Date(c.now().getTime() + 15 * DAY));
    c.advance(21 * DAY + 60_000);
    await t.queue.tick();
    expect((await Pair.findById(pair?._id).lean())?.status).toBe("active");
    // The meeting is cancelled; 21 days after that (the pair's last activity) it closes and both are told.
    await Meeting.updateOne({ _id: meeting._id }, { $set: { status: "cancelled" } });
    c.advance(15 * DAY);
    await t.queue.tick();
    expect((await Pair.findById(pair?._id).lean())?.status).toBe("active");
    c.advance(6 * DAY + 60_000);
    await t.queue.tick();
    const closed = await Pair.findById(pair?._id).lean();
    expect(closed?.status).toBe("completed");
    expect(closed?.endReason).toBe("flash_idle");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("did not take place within 21 days");
    expect(t.fake.lastTextTo(m.chatId)).toContain("не состоялась за 21 дн.");
  });

  it("the nightly reconciliation recomputes each mentor's load from the pairs and reports the drift", async () => {
    const { c } = await pairUp();
    const pair = await Pair.findOne({}).lean();
    const old = new Date(c.now().getTime() - DAY);
    await MentorProfile.collection.updateOne({ _id: pair?.mentorProfileId }, { $set: { activeMentees: 3, freeSlots: -1, updatedAt: old } });
    const res = await reconcileMentorLoad(c.now());
    expect(res.repaired).toHaveLength(1);
    const fixed = await MentorProfile.findById(pair?.mentorProfileId).lean();
    expect(fixed?.activeMentees).toBe(1);
    expect(fixed?.freeSlots).toBe((fixed?.capacity ?? 0) - 1);
    expect((await reconcileMentorLoad(c.now())).repaired).toHaveLength(0);
  });
});

describe("my requests", () => {
  it("the mentee sees her request, cancels it once; the offered mentor is told; others cannot cancel it", async () => {
    const t = buildTestBot();
    const kg = await org("МДОУ «Детский сад № 12»");
    const cur = makeUser(910101, "Куратор", "ru");
    await register(t, cur, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Белова Нина Петровна", position: "senior_educator" } });
    const m = makeUser(910102, "Наставница", "ru");
    await mentor(t, m, kg.id, { topics: ["F1"], name: "Орлова Светлана Игоревна", approve: cur });
    const mentee = makeUser(910103, "Мария", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Ковалёва Мария Игоревна" } });
    await ask(t, mentee, ["F1"]);
    await press(t, mentee, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    await say(t, mentee, "/myrequests");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("Статус: предложен наставнику");
    const cancel = t.fake.lastMessageTo(mentee.chatId)?.buttons.find((b) => b.data?.startsWith("mq:x:"))?.data as string;
    // Someone else presses the same button: refused, nothing changes.
    await t.send(callback(m, cancel));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");
    await t.send(callback(mentee, cancel));
    await press(t, mentee, /^mq:xy:/);
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("Запрос отменён");
    expect((await MentorshipRequest.findOne({}).lean())?.status).toBe("cancelled");
    expect(t.fake.lastTextTo(m.chatId)).toContain("отменён. Отвечать на него больше не нужно");
    // A second press is answered politely and changes nothing.
    await t.send(callback(mentee, cancel.replace("mq:x:", "mq:xy:")));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toContain("уже нельзя отменить");
    await say(t, mentee, "/myrequests");
    expect(t.fake.lastMessageTo(mentee.chatId)?.buttons ?? []).toEqual([]);
  });
});

describe("quick questions", () => {
  async function setupQuestion() {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const kg = await org("МДОУ «Детский сад № 31»");
    const cur = makeUser(910201, "Куратор", "ru");
    await register(t, cur, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Белова Нина Петровна", position: "senior_educator" } });
    const m1 = makeUser(910202, "Наставница", "ru");
    const m2 = makeUser(910203, "Наставник", "ru");
    await mentor(t, m1, kg.id, { topics: ["F1"], capacity: "1", name: "Орлова Светлана Игоревна", approve: cur });
    await mentor(t, m2, kg.id, { topics: ["F1"], name: "Егоров Павел Андреевич", approve: cur });
    const mentee = makeUser(910204, "Мария", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Ковалёва Мария Игоревна" } });
    return { c, t, cur, m1, m2, mentee };
  }

  it("goes to suitable mentors without contacts; the first answer comes back; thanks close it; no pair, no capacity", async () => {
    const { t, m1, m2, mentee } = await setupQuestion();
    await ask(t, mentee, ["F1"], "Как оформить портфолио воспитателя для аттестации?", "question");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("Вопрос отправлен подходящим наставникам");
    // The deadline is the moment itself (Monday 10:00 in Moscow + 48 h), not a number of hours.
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("(вопрос открыт до среды, 25 ноября, 10:00)");
    for (const m of [m1, m2]) {
      const msg = t.fake.lastMessageTo(m.chatId);
      expect(msg?.text).toContain("Вопрос открыт до среды, 25 ноября, 10:00;");
      expect(msg?.text).toContain("Вопрос коллеги");
      expect(msg?.text).toContain("Как оформить портфолио воспитателя для аттестации?");
      expect(msg?.text).not.toContain("Ковалёва");
    }
    await press(t, m2, /^qq:a:/);
    await say(t, m2, "Соберите документы по разделам: методическая работа, открытые занятия, курсы.");
    expect(t.fake.lastTextTo(m2.chatId)).toContain("Ответ отправлен");
    const answer = t.fake.lastMessageTo(mentee.chatId);
    expect(answer?.text).toContain("Ответ наставника");
    expect(answer?.text).toContain("Соберите документы по разделам");
    // The other mentor is told it is answered; her button no longer works.
    expect(t.fake.lastTextTo(m1.chatId)).toContain("уже ответили");
    await press(t, m1, /^qq:a:/);
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toContain("уже закрыт");
    // A follow-up, answered, then thanks.
    await press(t, mentee, /^qq:f:/);
    await say(t, mentee, "А нужно ли прикладывать фотографии?");
    expect(t.fake.lastTextTo(m2.chatId)).toContain("А нужно ли прикладывать фотографии?");
    await press(t, m2, /^qq:a:/);
    await say(t, m2, "Да, с согласия родителей.");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("Да, с согласия родителей.");
    await press(t, mentee, /^qq:t:/);
    expect(t.fake.lastTextTo(m2.chatId)).toContain("благодарит вас за ответ");
    expect(await Pair.countDocuments({})).toBe(0);
    expect((await MentorProfile.find({}).lean()).map((p) => p.freeSlots).sort()).toEqual([1, 2]);
    expect((await MentorshipRequest.findOne({}).lean())?.status).toBe("closed");
    expect((await Question.findOne({}).lean())?.status).toBe("closed");
  });

  it("a question nobody answers goes to the curator at the deadline", async () => {
    const { c, t, cur, mentee } = await setupQuestion();
    await ask(t, mentee, ["F1"], "Где взять шаблон технологической карты занятия?", "question");
    c.advance(48 * 3_600_000 + 60_000);
    await t.queue.tick();
    expect((await MentorshipRequest.findOne({}).lean())?.status).toBe("escalated");
    expect((await Question.findOne({}).lean())?.status).toBe("unanswered");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Запрос без наставника");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("передан куратору");
  });

  it("the digest counts a waiting question as a question, not as a teacher waiting for a mentor; a withdrawn question cannot be answered", async () => {
    const { t, cur, m1, mentee } = await setupQuestion();
    await ask(t, mentee, ["F1"], "Как провести утренний круг в младшей группе?", "question");
    await say(t, cur, "/digest");
    const digest = t.fake.messagesTo(cur.chatId).map((m) => m.text).find((x) => x.includes("Сводка")) ?? "";
    expect(digest).toContain("Ждут наставника: 0");
    expect(digest).toContain("Быстрые вопросы: задано 1 (+1), получили ответ наставника: 0 · ждут ответа сейчас: 1");
    expect(digest).not.toContain("Ковалёва Мария Игоревна, 0 дн.");
    // The mentee withdraws it in /myrequests; the mentor's answer button then changes nothing.
    const request = await MentorshipRequest.findOne({}).lean();
    await say(t, mentee, "/myrequests");
    await press(t, mentee, `mq:x:${request?._id}`);
    await press(t, mentee, `mq:xy:${request?._id}`);
    expect((await Question.findOne({}).lean())?.status).toBe("cancelled");
    await press(t, m1, /^qq:a:/);
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toContain("уже закрыт");
    const before = t.fake.messagesTo(mentee.chatId).length;
    await say(t, m1, "Начните с приветствия по кругу.");
    expect(t.fake.messagesTo(mentee.chatId).length).toBe(before);
  });
});

describe("the on-demand digest agrees with itself", () => {
  it("counts a pair formed today and the requests listed as waiting", async () => {
    const ctx = await pairUp(new Date("2026-11-25T09:00:00Z"));
    const cur = makeUser(910301, "Куратор151", "ru");
    await register(ctx.t, cur, { payload: await inviteFor(ctx.home.id, "curator"), role: "curator", answers: { fullName: "Садовая Марина Олеговна", position: "senior_educator" } });
    ctx.c.advance(3_600_000);
    await say(ctx.t, cur, "/digest");
    const text = ctx.t.fake.messagesTo(cur.chatId).map((m) => m.text).find((x) => x.includes("Сводка")) ?? "";
    expect(text).toContain("Активные пары: 1");
  });
});

describe("a teacher offers herself as a mentor", () => {
  it("the curator approves one application (the mentor role is granted) and declines another with a reason", async () => {
    const t = buildTestBot();
    const kg = await org("МДОУ «Детский сад № 44»");
    const cur = makeUser(910401, "Куратор", "ru");
    await register(t, cur, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Белова Нина Петровна", position: "senior_educator" } });
    const vera = makeUser(910402, "Вера", "ru");
    await register(t, vera, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Соколова Вера Андреевна" } });
    const olga = makeUser(910403, "Ольга", "ru");
    await register(t, olga, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Лебедева Ольга Сергеевна" } });

    await say(t, vera, "/mentor");
    expect(t.fake.lastTextTo(vera.chatId)).toContain("Вы пока не в реестре наставников");
    await press(t, vera, "ap:new");
    await say(t, vera, "коротко");
    expect(t.fake.lastTextTo(vera.chatId)).toContain("10");
    await say(t, vera, "Веду кружок по ИКТ, помогу с интерактивной доской и ГИС «СОЛО».");
    expect(t.fake.lastTextTo(vera.chatId)).toContain("Заявка отправлена куратору");
    const note = t.fake.lastMessageTo(cur.chatId);
    expect(note?.text).toContain("Заявка в наставники");
    const approve = note?.buttons.find((b) => b.data?.startsWith("ap:a:"))?.data as string;
    // Olga (not a curator) presses the curator's button: refused.
    await t.send(callback(olga, approve));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toContain("уже принято решение или она вам недоступна");
    await t.send(callback(cur, approve));
    expect((await User.findOne({ telegramId: vera.id }).lean())?.roles.map((r) => r.role).sort()).toEqual(["mentee", "mentor"]);
    expect(t.fake.lastTextTo(vera.chatId)).toContain("одобрила вашу заявку в наставники");
    await t.send(callback(cur, approve));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toContain("уже принято решение");

    // Olga applies; the curator declines with a reason; she may apply again later.
    await say(t, olga, "/mentor");
    await press(t, olga, "ap:new");
    await say(t, olga, "Хочу помогать молодым воспитателям с режимными моментами.");
    await say(t, olga, "/mentor");
    expect(t.fake.lastTextTo(olga.chatId)).toContain("уже у куратора");
    await press(t, cur, /^ap:d:/);
    await say(t, cur, "Сначала нужен год работы в должности");
    expect(t.fake.lastTextTo(olga.chatId)).toContain("Причина: «Сначала нужен год работы в должности»");
    expect((await User.findOne({ telegramId: olga.id }).lean())?.roles.map((r) => r.role)).toEqual(["mentee"]);
    await say(t, olga, "/mentor");
    expect(t.fake.lastMessageTo(olga.chatId)?.buttons.map((b) => b.data)).toEqual(["ap:new"]);
  });
});
