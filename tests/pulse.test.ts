import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { inviteFor, pairUp, press, register, say } from "./helpers/scenario.ts";
import { Job, Pair, PulseCheckin, RiskFlag, User } from "../models/index.ts";
import { storedJob, storedJobs } from "./helpers/jobs.ts";
import { openRiskFlags, runPulseRound } from "../src/domain/pulse.ts";
import { cancelPulses } from "../jobs/pulse.ts";
import { backfillOpenRiskFlags } from "../src/db/backfill.ts";
import { ConfigError, loadConfig } from "../src/core/config.ts";

useTestDatabase({ resetBetweenTests: true });

const MINUTE = 60_000;
const DAY = 86_400_000;
const INTERVAL = 28 * DAY;

const lastAnswer = (t: TestBot) => String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");
const pulseButtons = (t: TestBot, u: TestUser) => t.fake.messagesTo(u.chatId).flatMap((x) => x.buttons.map((b) => b.data ?? "")).filter((d) => d.startsWith("pl:s:"));
const pulseQuestions = (t: TestBot, u: TestUser) => t.fake.textsTo(u.chatId).filter((x) => /Пульс наставничества|Mentoring pulse/.test(x));
const riskTexts = (t: TestBot, u: TestUser) => t.fake.textsTo(u.chatId).filter((x) => /Сигнал риска|Risk signal/.test(x));

/** A long-term pair (or `kind`) plus a curator of the mentee's organization, where the pair belongs. */
async function setup(kind: "flash" | "long_term" = "long_term") {
  const s = await pairUp(undefined, kind);
  const curator = makeUser(500010, "Куратор151", "ru");
  await register(s.t, curator, { payload: await inviteFor(s.home.id, "curator"), role: "curator", answers: { fullName: "Куратор Садовая Ивановна", position: "senior_educator" } });
  const otherCurator = makeUser(500001, "Куратор", "ru"); // curator of the mentor's organization only
  const pair = await Pair.findOne({}).lean();
  return { ...s, curator, otherCurator, pairId: String(pair?._id) };
}

/** The newest check-in id of a user (from the buttons they got). */
function checkinOf(t: TestBot, u: TestUser): string {
  const data = pulseButtons(t, u).at(-1) ?? "";
  return data.split(":")[2] as string;
}

/** Moves the fake clock on and lets the queue run what became due. */
async function after(s: { c: { advance(ms: number): void }; t: TestBot }, ms: number): Promise<void> {
  s.c.advance(ms);
  await s.t.queue.tick();
}

describe("pulse check-ins of long-term pairs", () => {
  it("a round goes to both sides after PULSE_INTERVAL, and to nobody else", async () => {
    const s = await setup();
    const { t, m, mentee, curator } = s;
    await after(s, INTERVAL - DAY);
    expect(pulseQuestions(t, m)).toEqual([]);
    await after(s, DAY + MINUTE);
    expect(pulseQuestions(t, m)).toHaveLength(1);
    expect(pulseQuestions(t, m)[0]).toContain("Kate Morozova");
    expect(pulseQuestions(t, mentee)).toHaveLength(1);
    expect(pulseQuestions(t, mentee)[0]).toContain("Наставница Орская Петровна");
    expect(pulseQuestions(t, curator)).toEqual([]);
    const checkins = await PulseCheckin.find({}).sort({ role: 1 }).lean();
    expect(checkins.map((x) => [x.role, x.round, x.status])).toEqual([
      ["mentee", 1, "sent"],
      ["mentor", 1, "sent"],
    ]);
    expect(pulseButtons(t, mentee)).toEqual([1, 2, 3, 4, 5].map((n) => `pl:s:${checkinOf(t, mentee)}:${n}`));
    // The next round is one interval later.
    expect((await Job.findOne({ key: `pulse:${s.pairId}:2` }).lean())?.runAt.getTime()).toBe(new Date("2026-11-23T07:00:00Z").getTime() + 2 * INTERVAL);
  });

  it("a flash pair gets no pulse at all (neither at formation nor from the daily sweep)", async () => {
    const s = await setup("flash");
    await after(s, INTERVAL + MINUTE);
    await after(s, INTERVAL + MINUTE);
    expect(pulseQuestions(s.t, s.m)).toEqual([]);
    expect(pulseQuestions(s.t, s.mentee)).toEqual([]);
    expect(await PulseCheckin.countDocuments({})).toBe(0);
    expect((await storedJobs()).filter((j) => j.type === "pulse-round")).toHaveLength(0);
  });

  it("an ended pair gets no more rounds; cancelPulses drops the pending ones and resolves its flags", async () => {
    const s = await setup();
    await Pair.updateOne({}, { $set: { status: "completed", endedAt: s.c.now() } });
    await after(s, INTERVAL + MINUTE);
    expect(pulseQuestions(s.t, s.m)).toEqual([]);
    expect(await PulseCheckin.countDocuments({})).toBe(0);
    expect(await Job.countDocuments({ type: "pulse-round", status: "pending" })).toBe(0);

    expect((await storedJob(`pulse:${s.pairId}:1`))?.status).toBe("done");

    // cancelPulses (for whoever ends a pair) cancels what is pending and resolves the open flags.
    const pair = await Pair.findOne({}).lean();
    await s.t.queue.enqueue({ type: "pulse-round", key: `pulse:${s.pairId}:2`, runAt: new Date(s.c.now().getTime() + INTERVAL), payload: { pairId: s.pairId, round: 2 } });
    await RiskFlag.create({ key: `${s.pairId}:pulse_low:1`, organizationId: pair?.organizationId, pairId: pair?._id, kind: "pulse_low", round: 1, role: "mentee", score: 1, raisedAt: s.c.now(), open: true });
    expect(await cancelPulses(s.t.queue, s.pairId, s.c.now())).toBe(1);
    expect((await storedJob(`pulse:${s.pairId}:2`))?.status).toBe("cancelled");
    const resolved = await RiskFlag.findOne({}).lean();
    expect([resolved?.resolvedAt instanceof Date, resolved?.open]).toEqual([true, undefined]);
  });

  it("a curator's reassignment ends the old pair's pulses and starts the new pair's from its formation", async () => {
    const s = await setup();
    const { t, m, mentee, curator } = s;
    await after(s, 10 * DAY);
    const old = await Pair.findOne({}).lean();
    await t.send(callback(curator, `rq:pk:${old?.requestId}:${old?.mentorProfileId}`));
    const pairs = await Pair.find({}).sort({ _id: 1 }).lean();
    expect(pairs.map((p) => p.status)).toEqual(["terminated", "active"]);
    const fresh = String(pairs[1]?._id);
    expect((await Job.findOne({ key: `pulse:${fresh}:1` }).lean())?.runAt.getTime()).toBe(s.c.now().getTime() + INTERVAL);
    await after(s, INTERVAL - 10 * DAY + MINUTE); // the old pair's round 1 is due: nothing
    expect(pulseQuestions(t, m)).toEqual([]);
    await after(s, 10 * DAY);
    expect(pulseQuestions(t, m)).toHaveLength(1);
    expect(pulseQuestions(t, mentee)).toHaveLength(1);
    expect((await PulseCheckin.find({}).lean()).every((x) => String(x.pairId) === fresh)).toBe(true);
  });

  it("answers: score then 'often enough', once; double taps, forged and garbage data change nothing", async () => {
    const s = await setup();
    const { t, m, mentee } = s;
    await after(s, INTERVAL + MINUTE);
    const mine = checkinOf(t, mentee);
    const theirs = checkinOf(t, m);

    // Forged: the mentor presses the mentee's check-in; out of range; garbage; "enough" before the score.
    await t.send(callback(m, `pl:s:${mine}:5`));
    expect(lastAnswer(t)).toContain("недоступно");
    await t.send(callback(mentee, `pl:s:${mine}:7`));
    expect(lastAnswer(t)).toContain("not available");
    await t.send(callback(mentee, "pl:s:zzz:1"));
    expect(lastAnswer(t)).toContain("not available");
    await t.send(callback(mentee, `pl:s:${"0".repeat(24)}:3`));
    expect(lastAnswer(t)).toContain("not available");
    await t.send(callback(mentee, `pl:e:${mine}:y`));
    expect(lastAnswer(t)).toContain("not available");
    expect(await PulseCheckin.countDocuments({ status: "answered" })).toBe(0);

    await press(t, mentee, `pl:s:${mine}:4`);
    expect(t.fake.lastTextTo(mentee.chatId)).toBe("Do you meet often enough?");
    await t.send(callback(mentee, `pl:s:${mine}:1`)); // a double tap with another score
    expect(lastAnswer(t)).toBe("Already recorded, thank you.");
    await press(t, mentee, `pl:e:${mine}:n`);
    expect(t.fake.lastTextTo(mentee.chatId)).toBe("Thank you! Your answer is recorded.");
    await t.send(callback(mentee, `pl:e:${mine}:y`));
    expect(lastAnswer(t)).toBe("Already recorded, thank you.");
    await t.send(callback(m, `pl:e:${mine}:y`));
    expect(lastAnswer(t)).toContain("недоступно");

    const answered = await PulseCheckin.findById(mine).lean();
    expect(answered).toMatchObject({ status: "answered", score: 4, enough: false, role: "mentee" });
    expect(answered?.answeredAt?.getTime()).toBe(s.c.now().getTime());
    expect(await RiskFlag.countDocuments({})).toBe(0);

    // The pair ends: the mentor's open check-in can no longer be answered.
    await Pair.updateOne({}, { $set: { status: "terminated", endedAt: s.c.now() } });
    await t.send(callback(m, `pl:s:${theirs}:5`));
    expect(lastAnswer(t)).toContain("опрос уже закрыт");
    expect((await PulseCheckin.findById(theirs).lean())?.status).toBe("sent");
  });

  it("a low answer raises exactly one flag and tells the pair's curators at once; a curator of the organization acknowledges it", async () => {
    const s = await setup();
    const { t, m, mentee, curator, otherCurator } = s;
    await after(s, INTERVAL + MINUTE);
    await press(t, mentee, `pl:s:${checkinOf(t, mentee)}:2`);
    await t.send(callback(mentee, `pl:s:${checkinOf(t, mentee)}:2`));
    let flags = await RiskFlag.find({}).lean();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: "pulse_low", round: 1, role: "mentee", score: 2, key: `${s.pairId}:pulse_low:1` });
    expect(riskTexts(t, curator)).toHaveLength(1);
    expect(riskTexts(t, curator)[0]).toContain("«Наставница Орская Петровна — Kate Morozova»: наставляемый оценил работу в паре на 2 из 5");
    expect(riskTexts(t, otherCurator)).toEqual([]);
    expect(riskTexts(t, m)).toEqual([]);

    // The mentor answers low too: still one flag, now both sides', no second notice.
    await press(t, m, `pl:s:${checkinOf(t, m)}:1`);
    flags = await RiskFlag.find({}).lean();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ role: "both", score: 1 });
    expect(riskTexts(t, curator)).toHaveLength(1);

    const open = await openRiskFlags([s.home.id]);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: "pulse_low", mentorName: "Наставница Орская Петровна", menteeName: "Kate Morozova", pairId: s.pairId });
    expect(await openRiskFlags([String(flags[0]?.pairId)])).toEqual([]);

    // Only a curator of that organization (or its networks) may acknowledge it.
    const flagId = String(flags[0]?._id);
    await t.send(callback(otherCurator, `pl:ok:${flagId}`));
    expect(lastAnswer(t)).toContain("недоступно");
    await t.send(callback(mentee, `pl:ok:${flagId}`));
    expect(lastAnswer(t)).toContain("not available");
    expect((await RiskFlag.findById(flagId).lean())?.resolvedAt).toBeUndefined();
    expect((await RiskFlag.findById(flagId).lean())?.open).toBe(true);
    await press(t, curator, `pl:ok:${flagId}`);
    expect(lastAnswer(t)).toBe("Сигнал отмечен как разобранный.");
    await t.send(callback(curator, `pl:ok:${flagId}`));
    expect(lastAnswer(t)).toBe("Этот сигнал уже разобран.");
    const curatorDoc = await User.findOne({ telegramId: curator.id }).lean();
    const acknowledged = await RiskFlag.findById(flagId).lean();
    expect([acknowledged?.resolvedBy?.equals(curatorDoc?._id), acknowledged?.open]).toEqual([true, undefined]);
    expect(await openRiskFlags([s.home.id])).toEqual([]);
  });

  it("flags stored before they carried `open` are marked open once, the resolved ones not", async () => {
    const s = await setup();
    const pair = await Pair.findOne({}).lean();
    const flag = (round: number, extra: Record<string, unknown> = {}) => ({ key: `${s.pairId}:pulse_low:${round}`, organizationId: pair?.organizationId, pairId: pair?._id, kind: "pulse_low", round, role: "mentee", score: 1, raisedAt: s.c.now(), ...extra });
    await RiskFlag.collection.insertMany([flag(1), flag(2, { resolvedAt: s.c.now() })]);
    expect(await openRiskFlags([s.home.id])).toEqual([]);
    expect(await backfillOpenRiskFlags()).toBe(1);
    expect(await backfillOpenRiskFlags()).toBe(0);
    expect((await openRiskFlags([s.home.id])).map((f) => f.round)).toEqual([1]);
    expect((await RiskFlag.find({}, { round: 1, open: 1 }).sort({ round: 1 }).lean()).map((f) => f.open)).toEqual([true, undefined]);
  });

  it("a score of 3 or more raises nothing", async () => {
    const s = await setup();
    await after(s, INTERVAL + MINUTE);
    await press(s.t, s.mentee, `pl:s:${checkinOf(s.t, s.mentee)}:3`);
    await press(s.t, s.m, `pl:s:${checkinOf(s.t, s.m)}:5`);
    expect(await RiskFlag.countDocuments({})).toBe(0);
    expect(riskTexts(s.t, s.curator)).toEqual([]);
  });

  it("one missed round raises nothing; two in a row raise pulse_missed once for the side that missed", async () => {
    const s = await setup();
    const { t, m, mentee, curator } = s;
    await after(s, INTERVAL + MINUTE); // round 1
    await press(t, mentee, `pl:s:${checkinOf(t, mentee)}:4`);
    await after(s, INTERVAL); // round 2: the mentor missed round 1
    expect((await PulseCheckin.findOne({ round: 1, role: "mentor" }).lean())?.status).toBe("missed");
    expect((await PulseCheckin.findOne({ round: 1, role: "mentee" }).lean())?.status).toBe("answered");
    expect(await RiskFlag.countDocuments({})).toBe(0);
    expect(pulseQuestions(t, m)).toHaveLength(2);
    // A late answer to the missed round is refused politely.
    const missedId = pulseButtons(t, m).at(0)?.split(":")[2];
    await t.send(callback(m, `pl:s:${missedId}:5`));
    expect(lastAnswer(t)).toContain("опрос уже закрыт");

    await press(t, mentee, `pl:s:${checkinOf(t, mentee)}:5`);
    await after(s, INTERVAL); // round 3: the mentor missed rounds 1 and 2
    const flags = await RiskFlag.find({}).lean();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: "pulse_missed", role: "mentor", round: 2 });
    expect(riskTexts(t, curator)).toHaveLength(1);
    expect(riskTexts(t, curator)[0]).toContain("наставник не ответил на два опроса подряд");

    // Round 4: still missing, but the open flag is not raised again.
    await after(s, INTERVAL);
    expect(await RiskFlag.countDocuments({})).toBe(1);
    expect(riskTexts(t, curator)).toHaveLength(1);
  });

  it("a round due during downtime is sent once after the restart, and the next keeps its distance", async () => {
    const s = await setup();
    s.c.advance(INTERVAL + 12 * DAY); // the bot was down when round 1 was due
    const restarted = buildTestBot({ clock: s.c, fake: s.t.fake });
    await restarted.queue.tick();
    await restarted.queue.tick();
    await s.t.queue.tick();
    expect(pulseQuestions(s.t, s.m)).toHaveLength(1);
    expect(pulseQuestions(s.t, s.mentee)).toHaveLength(1);
    expect(await PulseCheckin.countDocuments({})).toBe(2);
    const next = await Job.findOne({ key: `pulse:${s.pairId}:2` }).lean();
    expect(next?.runAt.getTime()).toBeGreaterThanOrEqual(s.c.now().getTime() + INTERVAL / 2);
    // A repeated run of the same round (a retry after a crash) sends nothing again.
    expect(await runPulseRound(s.pairId, 1, s.c.now(), s.c.now(), { scheduler: s.t.queue, intervalMs: INTERVAL })).toEqual([]);
  });

  it("the daily sweep gives a pair formed before pulses existed its first round", async () => {
    const s = await setup();
    await Job.deleteMany({ type: "pulse-round" });
    await Pair.collection.updateOne({}, { $set: { createdAt: new Date(s.c.now().getTime() - 100 * DAY) } });
    await after(s, DAY); // the next day's sweep
    expect(pulseQuestions(s.t, s.m)).toHaveLength(1);
    expect(pulseQuestions(s.t, s.mentee)).toHaveLength(1);
    expect(await Job.countDocuments({ type: "pulse-round", status: "pending" })).toBe(1);
    await after(s, DAY);
    expect(pulseQuestions(s.t, s.m)).toHaveLength(1);
  });

  it("/deleteme leaves the person's scores without the user id", async () => {
    const s = await setup();
    await after(s, INTERVAL + MINUTE);
    await press(s.t, s.mentee, `pl:s:${checkinOf(s.t, s.mentee)}:5`);
    await say(s.t, s.mentee, "/deleteme");
    await press(s.t, s.mentee, "del:yes");
    const mine = await PulseCheckin.findOne({ role: "mentee" }).lean();
    expect(mine).toMatchObject({ score: 5, status: "answered" });
    expect(mine?.userId).toBeUndefined();
    expect((await PulseCheckin.findOne({ role: "mentor" }).lean())?.userId).toBeDefined();
  });
});

describe("PULSE_INTERVAL", () => {
  const TOKEN = "123456789:AAE-abcdefghijklmnopqrstuvwxyz012345";
  it("defaults to 28 days and takes durations of at least an hour", () => {
    expect(loadConfig({ BOT_TOKEN: TOKEN }).pulseIntervalMs).toBe(INTERVAL);
    expect(loadConfig({ BOT_TOKEN: TOKEN, PULSE_INTERVAL: "2w" }).pulseIntervalMs).toBe(14 * DAY);
    expect(loadConfig({ BOT_TOKEN: TOKEN, PULSE_INTERVAL: "" }).pulseIntervalMs).toBe(INTERVAL);
    for (const bad of ["soon", "30m"]) {
      try {
        loadConfig({ BOT_TOKEN: TOKEN, PULSE_INTERVAL: bad });
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).problems.map((p) => p.variable)).toEqual(["PULSE_INTERVAL"]);
      }
    }
  });
});
