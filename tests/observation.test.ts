import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, makeUser } from "./helpers/updates.ts";
import { ask, clock, inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { MentorshipRequest } from "../models/index.ts";
import { buildSheets } from "../src/domain/export.ts";
import { loadDigestData } from "../src/domain/digest.ts";
import { topicLabel } from "../src/domain/deficits.ts";
import { createI18n } from "../src/bot/i18n.ts";

useTestDatabase({ resetBetweenTests: true });

describe("deficits identified by the curator's observation (issue 16)", () => {
  it("the curator marks a request from its card; the export's mentee base says so; a curator of another kindergarten cannot", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const kg = await org("МДОУ «Детский сад № 61»");
    const other = await org("МДОУ «Детский сад № 62»");
    const cur = makeUser(915001, "Куратор", "ru");
    await register(t, cur, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Гришина Алла Викторовна", position: "senior_educator" } });
    const stranger = makeUser(915002, "Чужой", "ru");
    await register(t, stranger, { payload: await inviteFor(other.id, "curator"), role: "curator", answers: { fullName: "Панова Зоя Ильинична", position: "senior_educator" } });
    const mentee = makeUser(915003, "Ольга", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Сизова Ольга Петровна" } });
    await ask(t, mentee, ["B1"], "Трудно выстроить режим дня в младшей группе");
    const request = await MentorshipRequest.findOne({}).lean();
    const before = request?.identifiedBy;

    // A forged press from another kindergarten's curator changes nothing.
    await t.send(callback(stranger, `rq:ob:${request?._id}`));
    expect((await MentorshipRequest.findOne({}).lean())?.identifiedBy).toBe(before);

    await say(t, cur, "/requests");
    await press(t, cur, `rq:o:${request?._id}`);
    await press(t, cur, `rq:ob:${request?._id}`);
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Отмечено: дефициты выявлены наблюдением куратора.");
    expect((await MentorshipRequest.findOne({}).lean())?.identifiedBy).toBe("curator_observation");
    await press(t, cur, `rq:o:${request?._id}`);
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Как выявлены дефициты: наблюдение куратора");

    const i18n = createI18n("ru", async () => "ru");
    const sheet = buildSheets(await loadDigestData(null, c.now()), { scope: null, t: (k, a) => i18n.t("ru", k, a), now: c.now(), topic: (code) => topicLabel(code, "ru") }).find((x) => x.id === "mentees");
    const row = sheet?.rows.find((r) => r.includes("Сизова Ольга Петровна")) ?? [];
    expect(row).toContain("наблюдение куратора");
  });
});
