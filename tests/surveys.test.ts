import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import type { TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { ask, inviteFor, org, pairUp, press, register, say, type clock } from "./helpers/scenario.ts";
import { Meeting, MentorProfile, Pair, SurveyAnswer, User } from "../models/index.ts";

useTestDatabase({ resetBetweenTests: true });

const HOUR = 3_600_000;
const DAY = 24 * HOUR;


/** A confirmed pair meeting that ended an hour ago, logged as held by the mentor through the bot. */
async function heldMeeting(t: TestBot, c: ReturnType<typeof clock>, m: TestUser, topic = "Монтаж ролика"): Promise<string> {
  const pair = await Pair.findOne({ status: "active" }).lean();
  const meeting = await Meeting.create({
    kind: "pair",
    pairId: pair?._id,
    organizationId: pair?.organizationId,
    hostId: pair?.mentorId,
    participantIds: [pair?.menteeId],
    durationMin: 30,
    topic,
    mode: "online",
    status: "confirmed",
    startAt: new Date(c.now().getTime() - 90 * 60_000),
  });
  await t.send(callback(m, `mt:hd:${meeting._id}`));
  await say(t, m, "Разобрали монтаж ролика для родителей");
  await press(t, m, "ml:skip1");
  await press(t, m, "ml:skip2");
  expect(t.fake.lastTextTo(m.chatId)).toBe("Спасибо! Встреча записана.");
  return meeting._id.toString();
}

const lastAnswer = (t: TestBot) => String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");
const surveyButtons = (t: TestBot, u: TestUser) => t.fake.messagesTo(u.chatId).flatMap((x) => x.buttons.map((b) => b.data ?? "")).filter((d) => d.startsWith("sv:u:"));

describe("surveys after a held meeting", () => {
  it("held → the mentee alone gets the usefulness survey; score, solved and comment are recorded once; forged taps change nothing", async () => {
    const { c, t, m, mentee } = await pairUp();
    const outsider = makeUser(500004, "Olga", "en");
    const home = await org("Детский сад № 7");
    await register(t, outsider, { payload: await inviteFor(home.id, "mentee"), locale: "en", answers: { fullName: "Olga Outsider" } });
    const id = await heldMeeting(t, c, m);

    // The survey reaches only the mentee participant; the mentor gets the reflection prompt.
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("How useful was the meeting");
    expect(surveyButtons(t, mentee)).toEqual([1, 2, 3, 4, 5].map((n) => `sv:u:${id}:${n}`));
    expect(surveyButtons(t, m)).toEqual([]);
    expect(surveyButtons(t, outsider)).toEqual([]);
    expect(t.fake.messagesTo(m.chatId).at(-2)?.buttons.map((b) => b.data)).toEqual([`sv:r:${id}`]);
    expect(t.fake.messagesTo(m.chatId).at(-2)?.text).toContain("рефлексию по встрече «Монтаж ролика»");

    // Forged taps: the mentor, an outsider, a meeting the mentee was not in — nothing is recorded.
    await t.send(callback(m, `sv:u:${id}:5`));
    expect(lastAnswer(t)).toContain("недоступно");
    await t.send(callback(outsider, `sv:u:${id}:1`));
    expect(lastAnswer(t)).toContain("not available");
    const pair = await Pair.findOne({}).lean();
    const foreign = await Meeting.create({ kind: "pair", organizationId: pair?.organizationId, hostId: pair?.mentorId, participantIds: [], durationMin: 30, mode: "online", status: "held", startAt: c.now() });
    await t.send(callback(mentee, `sv:u:${foreign._id}:1`));
    expect(lastAnswer(t)).toContain("not available");
    expect(await SurveyAnswer.countDocuments({})).toBe(0);

    // The mentee answers: 4, then "partly", then a comment.
    await press(t, mentee, `sv:u:${id}:4`);
    expect(t.fake.lastTextTo(mentee.chatId)).toBe("Did the meeting solve your problem?");
    await t.send(callback(mentee, `sv:u:${id}:1`)); // a double tap
    expect(lastAnswer(t)).toBe("Already recorded, thank you.");
    await press(t, mentee, `sv:s:${id}:partly`);
    await t.send(callback(outsider, `sv:s:${id}:no`));
    expect(lastAnswer(t)).toContain("not available");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("Anything to add?");
    await say(t, mentee, "Very practical, thank you");
    expect(t.fake.lastTextTo(mentee.chatId)).toBe("Thank you! Your answer is recorded.");
    await t.send(callback(mentee, `sv:s:${id}:no`)); // a late double tap
    expect(lastAnswer(t)).toBe("Already recorded, thank you.");

    const menteeDoc = await User.findOne({ telegramId: mentee.id }).lean();
    const answers = await SurveyAnswer.find({}).lean();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ role: "mentee", kind: "session", usefulness: 4, solved: "partly", comment: "Very practical, thank you", late: false });
    expect(answers[0]?.respondentId?.equals(menteeDoc?._id)).toBe(true);
    expect(answers[0]?.pairId?.equals(pair?._id)).toBe(true);
    const profile = await MentorProfile.findOne({}).lean();
    expect([profile?.ratingSum, profile?.ratingCount]).toEqual([4, 1]);

    // The mentor's optional reflection, once.
    await press(t, m, `sv:r:${id}`);
    await say(t, m, "Получилось: разбор на примере. Дальше: пробный ролик.");
    expect(t.fake.lastTextTo(m.chatId)).toBe("Спасибо! Ответ записан.");
    await t.send(callback(m, `sv:r:${id}`));
    expect(lastAnswer(t)).toBe("Уже записано, спасибо.");
    await t.send(callback(mentee, `sv:r:${id}`));
    expect(lastAnswer(t)).toContain("not available");
    expect(await SurveyAnswer.findOne({ role: "mentor" }).lean()).toMatchObject({ reflection: "Получилось: разбор на примере. Дальше: пробный ролик." });
    expect(await SurveyAnswer.countDocuments({})).toBe(2);
    expect((await MentorProfile.findOne({}).lean())?.ratingCount).toBe(1);
  });

  it("an answer more than 7 days later is accepted once and flagged late", async () => {
    const { c, t, m, mentee } = await pairUp();
    const id = await heldMeeting(t, c, m);
    c.advance(8 * DAY);
    await press(t, mentee, `sv:u:${id}:5`);
    await t.send(callback(mentee, `sv:u:${id}:5`));
    expect(lastAnswer(t)).toBe("Already recorded, thank you.");
    const answers = await SurveyAnswer.find({}).lean();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ usefulness: 5, late: true });
    expect((await MentorProfile.findOne({}).lean())?.ratingCount).toBe(1);
  });

  it("three answers across meetings make the mentor's average a reason on a new request's card", async () => {
    const { c, t, m, mentee, home } = await pairUp();
    for (const score of [5, 4, 5]) {
      const id = await heldMeeting(t, c, m);
      await press(t, mentee, `sv:u:${id}:${score}`);
      c.advance(HOUR);
    }
    expect((await MentorProfile.findOne({}).lean())).toMatchObject({ ratingSum: 14, ratingCount: 3 });
    const next = makeUser(500005, "Anna", "en");
    await register(t, next, { payload: await inviteFor(home.id, "mentee"), locale: "en", answers: { fullName: "Anna Sokolova" } });
    await ask(t, next, ["E2"], "How do I make a video portfolio for parents?");
    const card = t.fake.messagesTo(next.chatId).find((x) => x.buttons.some((b) => /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/.test(b.data ?? "")));
    expect(card?.text).toContain("usefulness rating 4.7 (3 reviews)");
  });

  it("/deleteme of the mentee leaves the scores without respondent or comment", async () => {
    const { c, t, m, mentee } = await pairUp();
    const id = await heldMeeting(t, c, m);
    await press(t, mentee, `sv:u:${id}:3`);
    await press(t, mentee, `sv:s:${id}:yes`);
    await say(t, mentee, "Kate's private comment");
    await say(t, mentee, "/deleteme");
    await press(t, mentee, "del:yes");
    const answers = await SurveyAnswer.find({}).lean();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ usefulness: 3, solved: "yes" });
    expect(answers[0]?.respondentId).toBeUndefined();
    expect(answers[0]?.comment).toBeUndefined();
    expect((await MentorProfile.findOne({}).lean())).toMatchObject({ ratingSum: 3, ratingCount: 1 });
    // The mentor's reflection too: two anonymised answers of one meeting do not collide.
    await press(t, m, `sv:r:${id}`);
    await say(t, m, "Получилось: пример. Дальше: практика.");
    await say(t, m, "/deleteme");
    await press(t, m, "del:yes");
    const all = await SurveyAnswer.find({ meetingId: id }).lean();
    expect(all).toHaveLength(2);
    expect(all.every((a) => a.respondentId === undefined && a.comment === undefined && a.reflection === undefined)).toBe(true);
  });
});
