import { describe, expect, it } from "vitest";
import { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { makeUser } from "./helpers/updates.ts";
import { clock, inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { MentorshipRequest, SelfAssessment, User } from "../models/index.ts";
import { growthForRequest, growthSummary, recordSelfAssessment } from "../src/domain/self-assessment.ts";
import { eraseUser } from "../src/domain/privacy.ts";

useTestDatabase({ resetBetweenTests: true });

const NOW = new Date("2026-11-23T07:00:00Z");
let telegramCounter = 880_000;

/** A registered mentee (fixture) with one request on the given topics. */
async function fixture(topics: string[], organizationId = new Types.ObjectId()) {
  const user = await User.create({ telegramId: telegramCounter++, registeredAt: NOW, organizationId, roles: [{ role: "mentee", organizationId, grantedAt: NOW }] });
  const request = await MentorshipRequest.create({
    menteeId: user._id,
    organizationId,
    topics,
    description: "Нужна помощь с портфолио и цифровыми инструментами",
    kind: "long_term",
    mode: "any",
  });
  return { userId: user._id.toString(), telegramId: user.telegramId as number, requestId: request._id.toString(), organizationId: organizationId.toString() };
}

const scores = (o: Record<string, number>) => Object.entries(o).map(([topic, score]) => ({ topic, score }));

describe("self-assessment", () => {
  it("the request dialog asks confidence per topic and stores the start self-assessment", async () => {
    const c = clock(NOW);
    const t = buildTestBot({ clock: c });
    const kg = await org("МДОУ «Детский сад № 5»", "Europe/Moscow");
    const mentee = makeUser(880901, "Анна", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Петрова Анна Сергеевна" } });
    await say(t, mentee, "/request");
    await press(t, mentee, "rq:g:F");
    await press(t, mentee, "rq:i:t:F1");
    await press(t, mentee, "rq:i:done");
    await press(t, mentee, "rq:g:E");
    await press(t, mentee, "rq:i:t:E1");
    await press(t, mentee, "rq:i:done");
    await press(t, mentee, "rq:g:done");
    // Catalogue order: E1 first, then F1.
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("Насколько вы уверены в теме «Цифровые технологии в образовательном процессе»");
    await say(t, mentee, "текст вместо кнопки");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("выберите вариант кнопкой");
    await press(t, mentee, "rq:c:E1:1");
    expect(t.fake.lastTextTo(mentee.chatId)).toContain("«Портфолио педагога»");
    await press(t, mentee, "rq:c:F1:3");
    await say(t, mentee, "Не знаю, как собрать портфолио и работать с интерактивной доской");
    await press(t, mentee, "rq:k:long_term");
    await press(t, mentee, "rq:m:online");
    await press(t, mentee, "rq:d:done");
    await press(t, mentee, "rq:ok");

    const request = await MentorshipRequest.findOne({}).lean();
    expect(request?.topics.sort()).toEqual(["E1", "F1"]);
    const rows = await SelfAssessment.find({}).lean();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ phase: "start", at: NOW });
    expect(rows[0]?.requestId.equals(request?._id)).toBe(true);
    expect(rows[0]?.userId?.equals(request?.menteeId)).toBe(true);
    expect(rows[0]?.organizationId.toString()).toBe(kg.id);
    expect(rows[0]?.scores.map((s) => ({ topic: s.topic, score: s.score })).sort((a, b) => a.topic.localeCompare(b.topic))).toEqual(scores({ E1: 1, F1: 3 }));
    expect(await growthForRequest(request?._id.toString() as string)).toBeUndefined();
  });

  it("growth: end − start per topic and the mean; the summary averages requests with both phases", async () => {
    const orgId = new Types.ObjectId();
    const a = await fixture(["F1", "E1"], orgId);
    expect(await recordSelfAssessment({ ...a, phase: "start", scores: scores({ F1: 2, E1: 1 }), now: NOW })).toEqual({ ok: true });
    expect(await growthForRequest(a.requestId)).toBeUndefined();
    expect(await recordSelfAssessment({ ...a, phase: "end", scores: scores({ F1: 4, E1: 3 }), now: NOW })).toEqual({ ok: true });
    const g = await growthForRequest(a.requestId);
    expect(g?.mean).toBe(2);
    expect(g?.topics).toEqual(
      expect.arrayContaining([
        { topic: "F1", start: 2, end: 4, delta: 2 },
        { topic: "E1", start: 1, end: 3, delta: 2 },
      ]),
    );

    // A second request of the same organization: +1; a third with only "start" does not count.
    const b = await fixture(["B1"], orgId);
    await recordSelfAssessment({ ...b, phase: "start", scores: scores({ B1: 3 }), now: NOW });
    await recordSelfAssessment({ ...b, phase: "end", scores: scores({ B1: 4 }), now: NOW });
    const c = await fixture(["D1"], orgId);
    await recordSelfAssessment({ ...c, phase: "start", scores: scores({ D1: 1 }), now: NOW });
    // Another organization is not included.
    const other = await fixture(["G3"]);
    await recordSelfAssessment({ ...other, phase: "start", scores: scores({ G3: 1 }), now: NOW });
    await recordSelfAssessment({ ...other, phase: "end", scores: scores({ G3: 5 }), now: NOW });

    expect(await growthSummary([orgId.toString()])).toEqual({ requests: 2, mean: 1.5 });
    expect(await growthSummary([orgId.toString(), other.organizationId])).toEqual({ requests: 3, mean: (2 + 1 + 4) / 3 });
    expect(await growthSummary([new Types.ObjectId().toString()])).toEqual({ requests: 0, mean: undefined });
  });

  it("refuses a duplicate phase, topics outside the request, bad scores and other users", async () => {
    const a = await fixture(["F1", "E1"]);
    const b = await fixture(["F1"]);
    await SelfAssessment.init();
    expect(await recordSelfAssessment({ ...a, phase: "start", scores: scores({ F1: 2 }), now: NOW })).toEqual({ ok: true });
    expect(await recordSelfAssessment({ ...a, phase: "start", scores: scores({ F1: 5 }), now: NOW })).toEqual({ ok: false, reason: "already" });
    // The unique index holds even if the check is bypassed.
    await expect(SelfAssessment.create({ requestId: a.requestId, organizationId: a.organizationId, phase: "start", scores: [], at: NOW })).rejects.toMatchObject({ code: 11000 });

    expect(await recordSelfAssessment({ ...a, phase: "end", scores: scores({ F1: 3, G3: 4 }), now: NOW })).toEqual({ ok: false, reason: "invalid" });
    expect(await recordSelfAssessment({ ...a, phase: "end", scores: scores({ F1: 6 }), now: NOW })).toEqual({ ok: false, reason: "invalid" });
    expect(await recordSelfAssessment({ ...a, phase: "end", scores: scores({ F1: 2.5 }), now: NOW })).toEqual({ ok: false, reason: "invalid" });
    expect(await recordSelfAssessment({ ...a, phase: "end", scores: [{ topic: "F1", score: 3 }, { topic: "F1", score: 4 }], now: NOW })).toEqual({ ok: false, reason: "invalid" });
    expect(await recordSelfAssessment({ ...a, phase: "end", scores: [], now: NOW })).toEqual({ ok: false, reason: "invalid" });

    // Another mentee (or a forged id) cannot record for someone else's request.
    expect(await recordSelfAssessment({ requestId: a.requestId, userId: b.userId, phase: "end", scores: scores({ F1: 5 }), now: NOW })).toEqual({ ok: false, reason: "not_allowed" });
    expect(await recordSelfAssessment({ requestId: a.requestId, userId: "forged", phase: "end", scores: scores({ F1: 5 }), now: NOW })).toEqual({ ok: false, reason: "not_allowed" });
    expect(await recordSelfAssessment({ requestId: new Types.ObjectId().toString(), userId: a.userId, phase: "end", scores: scores({ F1: 5 }), now: NOW })).toEqual({ ok: false, reason: "not_allowed" });
    expect(await SelfAssessment.countDocuments({})).toBe(1);
    expect(await SelfAssessment.countDocuments({ phase: "end" })).toBe(0);
  });

  it("erasure unsets userId; the scores stay and still count", async () => {
    const a = await fixture(["F1", "E1"]);
    const b = await fixture(["F1"]);
    await recordSelfAssessment({ ...a, phase: "start", scores: scores({ F1: 2, E1: 1 }), now: NOW });
    await recordSelfAssessment({ ...a, phase: "end", scores: scores({ F1: 4, E1: 3 }), now: NOW });
    await recordSelfAssessment({ ...b, phase: "start", scores: scores({ F1: 3 }), now: NOW });

    const res = await eraseUser(a.telegramId, NOW);
    expect(res.erased).toBe(true);
    const rows = await SelfAssessment.find({ requestId: a.requestId }).lean();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.userId).toBeUndefined();
      expect(r.scores.length).toBe(2);
    }
    expect((await growthForRequest(a.requestId))?.mean).toBe(2);
    // Someone else's assessment is untouched.
    expect((await SelfAssessment.findOne({ requestId: b.requestId }).lean())?.userId?.toString()).toBe(b.userId);
  });
});
