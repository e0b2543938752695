import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { makeUser } from "./helpers/updates.ts";
import { inviteFor, org, register, say } from "./helpers/scenario.ts";
import { InviteAttempt, User } from "../models/index.ts";
import { DEFAULT_INVITE_THROTTLE } from "../src/core/config.ts";

const INVITE_MAX_FAILURES = DEFAULT_INVITE_THROTTLE.maxFailures;
const INVITE_BLOCK_MS = DEFAULT_INVITE_THROTTLE.blockMs;
import { findUsableInvite } from "../src/domain/invites.ts";

useTestDatabase();

const WRONG = "i_" + "x".repeat(32);

describe("invite attempts are throttled per account", () => {
  it("10 wrong links: the sixth on are not checked, admins are told once; a valid link after the block works", async () => {
    let now = Date.parse("2026-12-01T09:00:00Z");
    const clock = { now: () => new Date(now) };
    const envAdmin = makeUser(700401, "Админ", "ru");
    const t = buildTestBot({ clock, config: { adminIds: [envAdmin.id] } });
    const kg = await org("Детский сад № 14");
    // A second admin by role, registered, reading English.
    const roleAdmin = makeUser(700402, "Admin", "en");
    await register(t, roleAdmin, { payload: await inviteFor(kg.id, "mentor", 1, 7 * 86_400_000, new Date(now)), role: "mentor", answers: { fullName: "Админова Ирина Львовна" } });
    await User.updateOne({ telegramId: roleAdmin.id }, { $push: { roles: { role: "admin" } }, $set: { locale: "en" } });

    const guesser = makeUser(700403, "Гость", "ru");
    for (let i = 1; i <= 10; i++) {
      now += 20_000;
      await say(t, guesser, `/start ${WRONG.slice(0, -2)}${String(i).padStart(2, "0")}`);
    }
    const texts = t.fake.textsTo(guesser.chatId);
    expect(texts.filter((x) => x.includes("Ссылка-приглашение недействительна"))).toHaveLength(INVITE_MAX_FAILURES);
    const throttled = texts.filter((x) => x.startsWith("Слишком много попыток"));
    // The fifth failure says so, and each of the five attempts after it.
    expect(throttled).toHaveLength(1 + 10 - INVITE_MAX_FAILURES);
    expect(throttled.at(-1)).toMatch(/попробуйте снова через 14 минут\.$/);

    // Admins: one note each, in their language, through the outbox.
    expect(t.fake.textsTo(envAdmin.chatId).filter((x) => x.includes("700403"))).toEqual([
      "Аккаунт Telegram 700403 отправил 5 недействительных ссылок-приглашений за 15 мин. Проверка его ссылок приостановлена на 15 мин.",
    ]);
    expect(t.fake.textsTo(roleAdmin.chatId).filter((x) => x.includes("700403"))).toEqual([
      "Telegram account 700403 sent 5 invalid invitation links within 15 min. Its links are not checked for the next 15 min.",
    ]);

    // Persisted: a new process (bot) on the same database still refuses, without a lookup.
    const restarted = buildTestBot({ clock, config: { adminIds: [envAdmin.id] } });
    const valid = await inviteFor(kg.id, "mentee", 1, 7 * 86_400_000, new Date(now));
    await say(restarted, guesser, `/start ${valid}`);
    expect(restarted.fake.textsTo(guesser.chatId).at(-1)).toMatch(/^Слишком много попыток/);
    expect(await findUsableInvite(valid, new Date(now))).toBeDefined(); // the link itself was not used

    // After the block the valid link works: onboarding starts with the invitation's organization.
    now += INVITE_BLOCK_MS;
    await register(restarted, guesser, { payload: valid, answers: { fullName: "Гостева Анна Петровна" } });
    const user = await User.findOne({ telegramId: guesser.id }).lean();
    expect(user?.organizationId?.toString()).toBe(kg.id);
    expect(user?.roles.map((r) => r.role)).toEqual(["mentee"]);
    // No second note to admins.
    expect(t.fake.textsTo(envAdmin.chatId).concat(restarted.fake.textsTo(envAdmin.chatId)).filter((x) => x.includes("700403"))).toHaveLength(1);
  });

  it("counts failures in a window: four wrong links, a pause, four more are all checked; a new burst is reported again", async () => {
    let now = Date.parse("2026-12-01T09:00:00Z");
    const clock = { now: () => new Date(now) };
    const admin = makeUser(700411, "Админ", "ru");
    const t = buildTestBot({ clock, config: { adminIds: [admin.id] } });
    const guesser = makeUser(700412, "Гость", "ru");
    const attempt = async () => {
      now += 1000;
      await say(t, guesser, `/start ${WRONG}`);
    };
    for (let i = 0; i < 4; i++) await attempt();
    now += 16 * 60_000;
    for (let i = 0; i < 4; i++) await attempt();
    expect(t.fake.textsTo(guesser.chatId).filter((x) => x.startsWith("Слишком много"))).toHaveLength(0);
    expect((await InviteAttempt.findOne({ telegramId: guesser.id }).lean())?.failures).toBe(4);
    await attempt();
    expect(t.fake.textsTo(guesser.chatId).at(-1)).toMatch(/^Слишком много попыток/);
    now += INVITE_BLOCK_MS + 1000;
    for (let i = 0; i < 5; i++) await attempt();
    expect(t.fake.textsTo(admin.chatId).filter((x) => x.includes("700412"))).toHaveLength(2);
  });

  it("INVITE_THROTTLE sets the limits: with 2/1h the second wrong link blocks the account for an hour", async () => {
    let now = Date.parse("2026-12-02T09:00:00Z");
    const clock = { now: () => new Date(now) };
    const t = buildTestBot({ clock, config: { inviteThrottle: { maxFailures: 2, windowMs: 3_600_000, blockMs: 3_600_000 } } });
    const guesser = makeUser(700410, "Гость", "ru");
    await say(t, guesser, `/start ${WRONG.slice(0, -2)}91`);
    now += 10_000;
    await say(t, guesser, `/start ${WRONG.slice(0, -2)}92`);
    expect(t.fake.lastTextTo(guesser.chatId)).toMatch(/попробуйте снова через 60 минут\.$/);
    now += 59 * 60_000;
    await say(t, guesser, `/start ${WRONG.slice(0, -2)}93`);
    expect(t.fake.lastTextTo(guesser.chatId)).toMatch(/^Слишком много попыток/);
    expect((await InviteAttempt.findOne({ telegramId: guesser.id }).lean())?.failures).toBe(2); // the third was not even counted
  });
});
