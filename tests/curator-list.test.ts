import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, makeUser } from "./helpers/updates.ts";
import { ask, clock, inviteFor, mentor, org, press, register, say } from "./helpers/scenario.ts";
import { CuratorListEntry, DigestPreference, JoinRequest, MentorProfile, MentorshipRequest, User } from "../models/index.ts";
import { DEFAULT_WORKING_HOURS, nextWorkdayStart } from "../src/core/working-hours.ts";

useTestDatabase({ resetBetweenTests: true });

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const VLAT = "Asia/Vladivostok";
const LIST = "Ваш список на сегодня";

function local(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("ccc yyyy-MM-dd HH:mm");
}
function at(iso: string, zone: string): Date {
  return DateTime.fromISO(iso, { zone }).toJSDate();
}

/** A kindergarten in Vladivostok (UTC+10) with its curator, on Monday 10:00 local; daily lists and working hours on. */
async function setup() {
  const c = clock(at("2026-11-23T10:00", VLAT));
  const t = buildTestBot({ clock: c, config: { workingHours: DEFAULT_WORKING_HOURS, curatorList: "daily" } });
  t.fake.now = () => c.now();
  const kg = await org("Детский сад № 12 «Радуга»", VLAT);
  const curator = makeUser(730001, "Куратор", "ru");
  await register(t, curator, { payload: await inviteFor(kg.id, "curator", 1, 7 * DAY, c.now()), role: "curator", answers: { fullName: "Куратор Приморская Ивановна", position: "senior_educator" } });
  // What the curator got, apart from the weekly digest (Monday 09:00, sent late when the test starts).
  const curatorTexts = () => t.fake.textsTo(curator.chatId).filter((x) => !x.startsWith("📊"));
  return { c, t, kg, curator, curatorTexts };
}

async function tickUntil(t: Awaited<ReturnType<typeof setup>>["t"], c: Awaited<ReturnType<typeof setup>>["c"], until: Date, step = HOUR) {
  while (c.now().getTime() < until.getTime()) {
    c.advance(Math.min(step, until.getTime() - c.now().getTime()));
    await t.queue.tick();
  }
}

describe("the curator's daily list", () => {
  it("the start of the next working day is 08:00 local on a working day", () => {
    expect(local(nextWorkdayStart(at("2026-11-23T10:00", VLAT), VLAT, DEFAULT_WORKING_HOURS), VLAT)).toBe("Tue 2026-11-24 08:00");
    expect(local(nextWorkdayStart(at("2026-11-24T07:00", VLAT), VLAT, DEFAULT_WORKING_HOURS), VLAT)).toBe("Tue 2026-11-24 08:00");
    expect(local(nextWorkdayStart(at("2026-11-27T12:00", VLAT), VLAT, DEFAULT_WORKING_HOURS), VLAT)).toBe("Mon 2026-11-30 08:00");
  });

  it("a day's events come in one message at 08:00 local with working buttons; a resolved one is not shown", async () => {
    const { c, t, kg, curator, curatorTexts } = await setup();
    const before = curatorTexts().length;
    // 1. Two self-registered teachers ask to join; one is let in during the day from /joins.
    const a = makeUser(730002, "Анна", "ru");
    await register(t, a, { answers: { fullName: "Соколова Анна Петровна" }, orgQuery: "Радуга" });
    const b = makeUser(730003, "Вера", "ru");
    await register(t, b, { answers: { fullName: "Лебедева Вера Игоревна" }, orgQuery: "Радуга" });
    // 2. A new mentor profile waits for approval.
    c.advance(HOUR);
    const m = makeUser(730004, "Наставница", "ru");
    await mentor(t, m, kg.id, { topics: ["F1"], name: "Морозова Ирина Васильевна" });
    // 3. A request nobody can take goes to the curator.
    const mentee = makeUser(730005, "Педагог", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee", 1, 7 * DAY, c.now()), answers: { fullName: "Новикова Ольга Сергеевна" } });
    await ask(t, mentee, ["B2"], "Нужна помощь с адаптацией детей раннего возраста");
    expect((await MentorshipRequest.findOne({}).lean())?.status).toBe("escalated");
    // Nothing reached the curator during the day.
    expect(curatorTexts()).toHaveLength(before);
    expect(await CuratorListEntry.countDocuments({ status: "pending" })).toBe(4);

    // The curator lets Vera in from /joins in the afternoon: her entry is resolved.
    c.advance(3 * HOUR);
    await say(t, curator, "/joins");
    const vera = await JoinRequest.findOne({ userId: (await User.findOne({ telegramId: b.id }).lean())?._id }).lean();
    await t.send(callback(curator, `jr:a:${vera?._id}`));
    expect((await JoinRequest.findById(vera?._id).lean())?.status).toBe("approved");
    const afterJoins = curatorTexts().length;

    // Tuesday 08:00 in Vladivostok (Monday 22:00 UTC): one message with everything still open.
    await tickUntil(t, c, at("2026-11-24T07:45", VLAT));
    expect(curatorTexts().slice(afterJoins)).toEqual([]);
    await tickUntil(t, c, at("2026-11-24T09:00", VLAT), 15 * 60_000);
    const lists = t.fake.sent("sendMessage").filter((x) => Number(x.payload.chat_id) === curator.chatId && String(x.payload.text).includes(LIST));
    expect(lists).toHaveLength(1);
    expect(local(lists[0]?.at as Date, VLAT)).toBe("Tue 2026-11-24 08:00");
    expect(curatorTexts()).toHaveLength(afterJoins + 1);
    const list = t.fake.lastMessageTo(curator.chatId);
    expect(list?.text).toContain("пунктов: 3");
    expect(list?.text).toContain("Соколова Анна Петровна");
    expect(list?.text).toContain("Морозова Ирина Васильевна");
    expect(list?.text).toContain("Запрос без наставника");
    expect(list?.text).not.toContain("Лебедева Вера Игоревна");
    expect(await CuratorListEntry.countDocuments({ status: "dropped" })).toBe(1);
    expect(await CuratorListEntry.countDocuments({ status: "listed" })).toBe(3);
    // Each entry's buttons carry its number and its own callback data.
    const labels = list?.buttons.map((x) => x.text) ?? [];
    expect(labels).toEqual(expect.arrayContaining(["1. ✅ Принять", "2. ✅ Одобрить", "3. Открыть запрос"]));

    // The buttons work, re-authorized by their own handlers; the list itself stays.
    const edits = () => t.fake.sent("editMessageText").filter((x) => Number(x.payload.chat_id) === curator.chatId).length;
    const editsBefore = edits();
    await press(t, curator, "1. ✅ Принять");
    const anna = await User.findOne({ telegramId: a.id }).lean();
    expect((await JoinRequest.findOne({ userId: anna?._id }).lean())?.status).toBe("approved");
    expect(t.fake.lastTextTo(a.chatId)).toContain("Радуга");
    expect(t.fake.lastTextTo(curator.chatId)).toContain("Заявка принята: Соколова Анна Петровна");
    expect(edits()).toBe(editsBefore);
    await press(t, curator, "2. ✅ Одобрить");
    expect((await MentorProfile.findOne({}).lean())?.approved).toBe(true);
    // Pressed again: refused politely, nothing changes.
    await press(t, curator, "1. ✅ Принять");
    expect((await JoinRequest.countDocuments({ status: "approved" }))).toBe(2);
    // Someone else pressing the list's buttons is refused by the same handlers.
    const stranger = makeUser(730099, "Чужой", "ru");
    const first = list?.buttons.find((x) => x.text.startsWith("1."))?.data as string;
    expect(first).toMatch(/^L:jr:a:[0-9a-f]{24}$/);
    await t.send(callback(stranger, first));
    expect((await JoinRequest.countDocuments({ status: "approved" }))).toBe(2);

    // Nothing more the next morning: every entry was listed once.
    await tickUntil(t, c, at("2026-11-25T09:00", VLAT));
    expect(t.fake.sent("sendMessage").filter((x) => Number(x.payload.chat_id) === curator.chatId && String(x.payload.text).includes(LIST))).toHaveLength(1);
  }, 240_000);

  it("“at once”: switched under the list or in the settings, notices come one by one in working hours", async () => {
    const { c, t, curator, curatorTexts } = await setup();
    const a = makeUser(730012, "Анна", "ru");
    await register(t, a, { answers: { fullName: "Соколова Анна Петровна" }, orgQuery: "Радуга" });
    await tickUntil(t, c, at("2026-11-24T08:00", VLAT));
    expect(t.fake.lastTextTo(curator.chatId)).toContain(LIST);
    // The button under the list.
    await press(t, curator, "cl:m:i");
    const me = await User.findOne({ telegramId: curator.id }).lean();
    expect((await DigestPreference.findOne({ userId: me?._id }).lean())?.listMode).toBe("instant");
    expect(t.fake.lastTextTo(curator.chatId)).toContain("будут приходить сразу");
    // A new join request at 10:00 comes at once with its buttons.
    c.advance(2 * HOUR);
    const b = makeUser(730013, "Вера", "ru");
    await register(t, b, { answers: { fullName: "Лебедева Вера Игоревна" }, orgQuery: "Радуга" });
    const msg = t.fake.lastMessageTo(curator.chatId);
    expect(msg?.text).toContain("Заявка на вступление: Лебедева Вера Игоревна");
    expect(msg?.buttons.map((x) => x.data)).toEqual(expect.arrayContaining([expect.stringMatching(/^jr:a:/)]));
    // Back to the daily list from the digest settings (the settings screen shows the mode).
    await t.send(callback(curator, "dg:s"));
    expect(t.fake.lastTextTo(curator.chatId)).toContain("приходят сразу");
    await press(t, curator, "cl:s:d");
    expect(t.fake.lastTextTo(curator.chatId)).toContain("одним списком");
    expect((await DigestPreference.findOne({ userId: me?._id }).lean())?.listMode).toBe("daily");
    const count = curatorTexts().length;
    const d = makeUser(730014, "Дарья", "ru");
    await register(t, d, { answers: { fullName: "Кузнецова Дарья Олеговна" }, orgQuery: "Радуга" });
    expect(curatorTexts()).toHaveLength(count);
    // A teacher who is not a curator cannot switch anything.
    await t.send(callback(d, "cl:m:i"));
    expect(await DigestPreference.countDocuments({ listMode: "instant" })).toBe(0);
  }, 240_000);

  it("what cannot wait comes at once: a request whose offers all ran out with no mentor", async () => {
    const { c, t, kg, curator } = await setup();
    const m = makeUser(730022, "Наставница", "ru");
    await mentor(t, m, kg.id, { topics: ["F1"], name: "Морозова Ирина Васильевна", approve: curator });
    const mentee = makeUser(730023, "Педагог", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee", 1, 7 * DAY, c.now()), answers: { fullName: "Новикова Ольга Сергеевна" } });
    await ask(t, mentee, ["F1"]);
    await press(t, mentee, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    // The offer runs out on Wednesday 10:00 (48 working-day hours); the escalation reaches the curator then.
    await tickUntil(t, c, at("2026-11-25T10:00", VLAT));
    expect((await MentorshipRequest.findOne({}).lean())?.status).toBe("escalated");
    const escalated = t.fake.sent("sendMessage").find((x) => Number(x.payload.chat_id) === curator.chatId && String(x.payload.text).includes("Запрос без наставника"));
    expect(local(escalated?.at as Date, VLAT)).toBe("Wed 2026-11-25 10:00");
    expect(await CuratorListEntry.countDocuments({ kind: "escalation" })).toBe(0);
  }, 240_000);

  it("a person who erases their data leaves nothing in a curator's waiting list", async () => {
    const { t } = await setup();
    const a = makeUser(730032, "Анна", "ru");
    await register(t, a, { answers: { fullName: "Соколова Анна Петровна" }, orgQuery: "Радуга" });
    expect((await CuratorListEntry.findOne({}).lean())?.notice).toContain("Соколова Анна Петровна");
    await say(t, a, "/deleteme");
    await press(t, a, "del:yes");
    expect(await CuratorListEntry.countDocuments({})).toBe(0);
  }, 120_000);
});
