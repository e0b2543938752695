import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { ask, clock, inviteFor, mentor, org, press, register, say } from "./helpers/scenario.ts";
import { Consent, Meeting, MentorProfile, MentoringGroup, MentorshipRequest, Pair, SelfAssessment, SurveyAnswer, User } from "../models/index.ts";
import { reconcileMentorLoad } from "../src/domain/pairs.ts";
import { digestWindow, loadDigestData } from "../src/domain/digest.ts";
import { computeDigest } from "../src/domain/digest-figures.ts";
import { buildSheets } from "../src/domain/export.ts";
import { computeIndicators } from "../src/domain/indicators.ts";
import { orderDocx } from "../src/domain/documents/index.ts";
import { topicLabel } from "../src/domain/deficits.ts";
import { createI18n } from "../src/bot/i18n.ts";
import { docxText } from "./helpers/docx.ts";

useTestDatabase({ resetBetweenTests: true });

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function idOf(u: TestUser): Promise<string> {
  return String((await User.findOne({ telegramId: u.id }).lean())?._id);
}

function lastAlert(t: TestBot): string {
  return String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");
}

async function load(profileId: unknown) {
  const p = await MentorProfile.findById(profileId).lean();
  return { free: p?.freeSlots, active: p?.activeMentees, capacity: p?.capacity };
}

/** A kindergarten with a curator, an approved mentor of capacity `capacity` (E2, E3), three teachers; a teacher of another kindergarten. */
async function kindergarten(capacity = "5") {
  const c = clock(); // Monday 23.11.2026 07:00Z
  const t = buildTestBot({ clock: c });
  const home = await org("Детский сад № 12", "Europe/Moscow");
  const other = await org("Детский сад № 40", "Asia/Yekaterinburg");
  const cur = makeUser(920001, "Куратор");
  await register(t, cur, { payload: await inviteFor(home.id, "curator"), role: "curator", answers: { fullName: "Куратор Светлана Ивановна", position: "senior_educator" } });
  const m = makeUser(920002, "Наставница");
  const profile = await mentor(t, m, home.id, { topics: ["E2", "E3"], capacity, name: "Наставница Ольга Петровна", approve: cur });
  const anna = makeUser(920003, "Анна");
  await register(t, anna, { payload: await inviteFor(home.id, "mentee"), answers: { fullName: "Анна Смирнова" } });
  const vera = makeUser(920004, "Вера");
  await register(t, vera, { payload: await inviteFor(home.id, "mentee"), answers: { fullName: "Вера Лебедева" } });
  const kate = makeUser(920005, "Kate", "en");
  await register(t, kate, { payload: await inviteFor(home.id, "mentee"), locale: "en", answers: { fullName: "Kate Morozova" } });
  const stranger = makeUser(920006, "Чужая");
  await register(t, stranger, { payload: await inviteFor(other.id, "mentee"), answers: { fullName: "Мария Чужая" } });
  return { c, t, home, other, cur, m, profile, anna, vera, kate, stranger };
}

/** Three teachers ask for long-term help on E2; the curator forms a group of the three with the mentor. */
async function groupFromRequests(capacity = "5", coMentor?: TestUser) {
  const k = await kindergarten(capacity);
  const { t, cur, home } = k;
  if (coMentor) await mentor(t, coMentor, home.id, { topics: ["E4"], capacity: "1", name: "Сонаставница Ирина Павловна", approve: cur });
  for (const u of [k.anna, k.vera, k.kate]) await ask(t, u, ["E2"], "Хочу научиться монтировать короткие видео для родителей");
  await say(t, cur, "/groups");
  const list = t.fake.lastMessageTo(cur.chatId);
  expect(list?.text).toContain("Можно собрать группы из заявок");
  expect(list?.text).toContain("Анна Смирнова, Вера Лебедева, Kate Morozova");
  await press(t, cur, `gr:f:${home.id}:E2`);
  expect(t.fake.lastTextTo(cur.chatId)).toContain("Отметьте, кого включить в группу");
  await press(t, cur, "gf:r:done");
  expect(t.fake.lastTextTo(cur.chatId)).toContain("Кто поведёт группу?");
  await press(t, cur, `gf:m:${String(k.profile?._id)}`);
  if (coMentor) await press(t, cur, `gf:c:${String((await User.findOne({ telegramId: coMentor.id }).lean())?._id)}`);
  await say(t, cur, "Цифровые инструменты");
  expect(t.fake.lastTextTo(cur.chatId)).toContain("Группа собрана (участников: 3)");
  const group = await MentoringGroup.findOne({}).lean();
  expect(group).toBeTruthy();
  return { ...k, group: group as NonNullable<typeof group> };
}

describe("mentoring groups", () => {
  it("a curator forms a group from three requests: one seat pair each, consent per person, three places taken", async () => {
    const co = makeUser(920020, "Ирина");
    const { t, c, m, cur, anna, vera, kate, stranger, profile, group, home } = await groupFromRequests("5", co);
    // The co-mentor leads with the mentor and holds no places; she may set the group's meetings.
    expect(String(group.coMentorId)).toBe(await idOf(co));
    expect(t.fake.lastTextTo(co.chatId)).toContain("Вы — сонаставник группы «Цифровые инструменты»");
    const coProfile = await MentorProfile.findOne({ userId: group.coMentorId }).lean();
    expect([coProfile?.freeSlots, coProfile?.activeMentees]).toEqual([1, 0]);
    await say(t, co, "/groups");
    await press(t, co, `gr:o:${group._id}`);
    expect(t.fake.lastTextTo(co.chatId)).toContain("сонаставник: Сонаставница Ирина Павловна");
    expect(t.fake.lastMessageTo(co.chatId)?.buttons.map((b) => b.data)).toEqual([`gr:mt:${group._id}`]);
    expect(group.title).toBe("Цифровые инструменты");
    expect(group.topic).toBe("E2");
    expect(group.memberIds).toHaveLength(3);
    expect(group.seatsTaken).toBe(3);
    expect(group.formedBy).toBe("curator");
    const seats = await Pair.find({ groupId: group._id }).lean();
    expect(seats.map((p) => [p.kind, p.status, p.formedBy])).toEqual([
      ["long_term", "active", "group"],
      ["long_term", "active", "group"],
      ["long_term", "active", "group"],
    ]);
    const requests = await MentorshipRequest.find({}).lean();
    expect(requests.map((r) => r.status)).toEqual(["matched", "matched", "matched"]);
    // Each request points at its own seat: the participant's self-assessment and growth stay theirs.
    for (const r of requests) expect(seats.find((p) => p._id.equals(r.pairId ?? undefined))?.menteeId.equals(r.menteeId)).toBe(true);
    expect(await load(profile?._id)).toEqual({ free: 2, active: 3, capacity: 5 });

    // Each participant is asked for consent to the assignment, as for a pair.
    expect(t.fake.lastTextTo(anna.chatId)).toContain("включил вашу заявку в наставническую группу «Цифровые инструменты»");
    expect(t.fake.lastTextTo(kate.chatId)).toContain("mentoring group “Цифровые инструменты”");
    await press(t, anna, /^pc:/);
    await press(t, anna, /^pcy:/);
    const annaSeat = await Pair.findOne({ groupId: group._id, menteeId: await idOf(anna) }).lean();
    expect(annaSeat?.menteeConsentAt).toBeTruthy();
    expect(await Consent.countDocuments({ type: "pair_assignment", subjectId: annaSeat?._id })).toBe(1);
    // The mentor consents once for the group; every seat records it.
    expect(t.fake.textsTo(m.chatId).some((x) => x.includes("Для вас собрана наставническая группа «Цифровые инструменты»"))).toBe(true);
    await press(t, m, /^gr:c:/);
    expect(t.fake.lastTextTo(m.chatId)).toContain("вести наставническую группу «Цифровые инструменты»");
    await press(t, m, /^gr:cy:/);
    expect((await MentoringGroup.findById(group._id).lean())?.mentorConsentAt).toBeTruthy();
    expect(await Pair.countDocuments({ groupId: group._id, mentorConsentAt: { $exists: true } })).toBe(3);
    await t.send(callback(m, `gr:cy:${group._id}`));
    expect(await Consent.countDocuments({ subjectId: group._id })).toBe(1);

    // Forged or stale taps change nothing: a teacher of another kindergarten, a second forming of the same requests.
    await t.send(callback(stranger, `gr:f:${home.id}:E2`));
    expect(lastAlert(t)).toContain("вам недоступно");
    await t.send(callback(stranger, `gr:o:${group._id}`));
    expect(t.fake.lastTextTo(stranger.chatId)).toContain("вам недоступно");
    await t.send(callback(vera, `gr:end:${group._id}`));
    expect(lastAlert(t)).toContain("вам недоступно");
    await say(t, cur, "/groups");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("Похожих заявок (хотя бы две на одну тему) сейчас нет");
    expect(t.fake.lastTextTo(cur.chatId)).toContain("«Цифровые инструменты»");
    // The nightly reconciliation counts group seats: nothing to repair.
    c.advance(DAY);
    expect((await reconcileMentorLoad(c.now())).repaired).toEqual([]);
    expect(await load(profile?._id)).toEqual({ free: 2, active: 3, capacity: 5 });
    expect(await MentoringGroup.countDocuments({})).toBe(1);
  });

  it("a group meeting: partial attendance marked by the mentor, surveys only to those present, each with their own answers and self-assessment", async () => {
    const { t, c, m, anna, vera, kate, profile, group } = await groupFromRequests();
    await say(t, m, "/groups");
    await press(t, m, `gr:o:${group._id}`);
    expect(t.fake.lastTextTo(m.chatId)).toContain("Мест занято: 3 из 3");
    await press(t, m, `gr:mt:${group._id}`);
    await say(t, m, "завтра 15:30");
    await press(t, m, "gm:d:60");
    await say(t, m, "Монтаж видео на телефоне");
    await press(t, m, "gm:m:in_person");
    await say(t, m, "Методический кабинет");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Встреча назначена на");
    const meeting = await Meeting.findOne({ groupId: group._id }).lean();
    expect(meeting?.kind).toBe("group");
    expect(meeting?.status).toBe("confirmed");
    expect(meeting?.participantIds).toHaveLength(3);
    expect(meeting?.startAt?.toISOString()).toBe("2026-11-24T12:30:00.000Z");
    // Each participant gets the invitation with a calendar file, in their own language.
    expect(t.fake.messagesTo(anna.chatId).at(-1)?.text).toContain("Встреча группы «Цифровые инструменты»: вт, 24.11.2026, 15:30");
    expect(t.fake.messagesTo(kate.chatId).at(-1)?.text).toContain("Meeting of the group “Цифровые инструменты”: Tue, 24 Nov 2026, 15:30");
    expect(t.fake.sent("sendDocument").filter((c) => Number(c.payload.chat_id) === vera.chatId)).toHaveLength(1);
    // /sessions lists the meeting under the group's title and the group itself.
    await say(t, vera, "/sessions");
    expect(t.fake.lastTextTo(vera.chatId)).toContain("Монтаж видео на телефоне (Цифровые инструменты)");
    expect(t.fake.lastMessageTo(vera.chatId)?.buttons.map((b) => b.data)).toContain(`gr:o:${group._id}`);

    // After the meeting the mentor marks who came: Анна and Kate, not Вера.
    c.advance(new Date("2026-11-24T14:10:00Z").getTime() - c.now().getTime());
    await t.queue.tick();
    expect(t.fake.lastTextTo(m.chatId)).toContain("состоялась?");
    await press(t, m, `mt:hd:${meeting?._id}`);
    expect(t.fake.lastTextTo(m.chatId)).toContain("Отметьте, кто пришёл");
    await press(t, m, `ga:t:${await idOf(anna)}`);
    await press(t, m, `ga:t:${await idOf(kate)}`);
    await press(t, m, "ga:done");
    expect(t.fake.textsTo(m.chatId).some((x) => x === "Спасибо! Встреча записана: пришли 2, не пришли 1.")).toBe(true);
    const held = await Meeting.findById(meeting?._id).lean();
    expect(held?.status).toBe("held");
    expect(held?.log?.absentIds?.map(String)).toEqual([await idOf(vera)]);

    // The survey goes to those present; Вера, absent, gets none and a forged answer is refused.
    const surveyTo = (u: TestUser) => t.fake.messagesTo(u.chatId).some((x) => x.buttons.some((b) => b.data === `sv:u:${meeting?._id}:5`));
    expect([surveyTo(anna), surveyTo(kate), surveyTo(vera)]).toEqual([true, true, false]);
    await press(t, anna, `sv:u:${meeting?._id}:5`);
    await press(t, kate, `sv:u:${meeting?._id}:3`);
    await t.send(callback(vera, `sv:u:${meeting?._id}:1`));
    const answers = await SurveyAnswer.find({ meetingId: meeting?._id }).lean();
    expect(answers.map((a) => a.usefulness).sort()).toEqual([3, 5]);
    // Each answer belongs to that participant's own seat.
    const annaSeat = await Pair.findOne({ groupId: group._id, menteeId: await idOf(anna) }).lean();
    expect(answers.find((a) => a.usefulness === 5)?.pairId?.toString()).toBe(annaSeat?._id.toString());
    const rated = await MentorProfile.findById(profile?._id).lean();
    expect([rated?.ratingSum, rated?.ratingCount]).toEqual([8, 2]);

    // Self-assessment stays per person: three start assessments, one per request; the end asks each for their own.
    expect(await SelfAssessment.countDocuments({ phase: "start" })).toBe(3);
    await press(t, m, `gr:o:${group._id}`);
    await press(t, m, `gr:end:${group._id}`);
    await press(t, m, `gr:ec:${group._id}`);
    expect(t.fake.lastTextTo(m.chatId)).toContain("Группа «Цифровые инструменты» завершена");
    for (const u of [anna, vera, kate]) {
      const request = await MentorshipRequest.findOne({ menteeId: await idOf(u) }).lean();
      expect(t.fake.messagesTo(u.chatId).some((x) => x.buttons.some((b) => b.data === `sa:e:${request?._id}`)), u.first_name).toBe(true);
    }
    expect(await load(profile?._id)).toEqual({ free: 5, active: 0, capacity: 5 });
    expect(await Pair.countDocuments({ groupId: group._id, status: "completed" })).toBe(3);
  });

  it("capacity with groups: free places are capacity minus pairs minus seats, after a join, a refused join, a leave and the end", async () => {
    const { t, c, m, anna, vera, kate, stranger, profile } = await kindergarten("3");
    // One individual long-term pair first.
    const solo = makeUser(920010, "Ирина");
    const home = await User.findOne({ telegramId: anna.id }).lean();
    await register(t, solo, { payload: await inviteFor(String(home?.organizationId), "mentee"), answers: { fullName: "Ирина Волкова" } });
    await ask(t, solo, ["E2"], "Нужна помощь с презентациями для родительского собрания");
    await press(t, solo, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
    await press(t, m, /^of:a:/);
    expect(await load(profile?._id)).toEqual({ free: 2, active: 1, capacity: 3 });

    // The mentor's open call: title, topic, size, no age group, consent.
    await say(t, m, "/groups");
    await press(t, m, "gr:new");
    await say(t, m, "Видео для родителей");
    await press(t, m, "gn:t:E2");
    await press(t, m, "gn:s:4");
    await press(t, m, "gn:a:none");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Согласие на участие в наставнической группе");
    await press(t, m, "gn:ok");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Набор в наставническую группу «Видео для родителей»");
    const group = await MentoringGroup.findOne({}).lean();
    expect([group?.formedBy, group?.size, group?.recruiting]).toEqual(["open_call", 4, true]);

    // Анна finds it in /groups and joins with her consent.
    await say(t, anna, "/groups");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Можно присоединиться");
    await press(t, anna, `gr:j:${group?._id}`);
    expect(t.fake.lastTextTo(anna.chatId)).toContain("участвовать в наставнической группе «Видео для родителей»");
    await press(t, anna, `gr:jy:${group?._id}`);
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Вы в группе «Видео для родителей»");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Анна Смирнова присоединяется к группе «Видео для родителей». Мест занято: 1 из 4");
    expect(await load(profile?._id)).toEqual({ free: 1, active: 2, capacity: 3 });
    const annaSeat = await Pair.findOne({ groupId: group?._id, menteeId: await idOf(anna) }).lean();
    expect([annaSeat?.status, Boolean(annaSeat?.menteeConsentAt), Boolean(annaSeat?.mentorConsentAt)]).toEqual(["active", true, true]);
    // A double tap changes nothing.
    await t.send(callback(anna, `gr:jy:${group?._id}`));
    expect(lastAlert(t)).toContain("уже в этой группе");
    await press(t, vera, `gr:j:${group?._id}`).catch(() => undefined);
    await t.send(callback(vera, `gr:jy:${group?._id}`));
    expect(await load(profile?._id)).toEqual({ free: 0, active: 3, capacity: 3 });
    // The mentor is full: Kate's join is refused politely, the group keeps its two seats; a stranger is not in the audience.
    await t.send(callback(kate, `gr:jy:${group?._id}`));
    expect(lastAlert(t)).toContain("no free places");
    await t.send(callback(stranger, `gr:jy:${group?._id}`));
    expect(lastAlert(t)).toContain("только педагогам её организации");
    let now = await MentoringGroup.findById(group?._id).lean();
    expect([now?.seatsTaken, now?.memberIds.length]).toEqual([2, 2]);
    expect(await load(profile?._id)).toEqual({ free: 0, active: 3, capacity: 3 });

    // Анна leaves: her place comes back once, even on a second tap.
    await press(t, anna, `gr:o:${group?._id}`);
    await press(t, anna, `gr:lv:${group?._id}`);
    await press(t, anna, `gr:ly:${group?._id}`);
    expect(t.fake.textsTo(anna.chatId)).toContain("Вы вышли из группы. Спасибо за участие!");
    expect(t.fake.lastTextTo(m.chatId)).toContain("Анна Смирнова выходит из группы");
    await t.send(callback(anna, `gr:ly:${group?._id}`));
    expect(await load(profile?._id)).toEqual({ free: 1, active: 2, capacity: 3 });
    expect((await Pair.findById(annaSeat?._id).lean())?.endReason).toBe("participant_left");
    now = await MentoringGroup.findById(group?._id).lean();
    expect([now?.seatsTaken, now?.memberIds.length, now?.participants.length]).toEqual([1, 1, 2]);

    // Drift is repaired by the nightly reconciliation, which counts the seat.
    await MentorProfile.updateOne({ _id: profile?._id }, { $set: { freeSlots: 3, activeMentees: 0 } });
    c.advance(DAY);
    const repair = await reconcileMentorLoad(c.now());
    expect(repair.repaired.map((r) => r.after)).toEqual([{ activeMentees: 2, freeSlots: 1 }]);

    // The mentor ends the group: the last seat's place comes back once; the individual pair keeps its place.
    await press(t, m, `gr:o:${group?._id}`);
    await press(t, m, `gr:end:${group?._id}`);
    await press(t, m, `gr:et:${group?._id}`);
    expect(t.fake.textsTo(vera.chatId).some((x) => x.includes("«Видео для родителей» (наставник Наставница Ольга Петровна) завершена досрочно"))).toBe(true);
    await t.send(callback(m, `gr:et:${group?._id}`));
    expect(await load(profile?._id)).toEqual({ free: 2, active: 1, capacity: 3 });
    expect(await Pair.countDocuments({ status: "active" })).toBe(1);
    c.advance(DAY);
    expect((await reconcileMentorLoad(c.now())).repaired).toEqual([]);
    // Joining an ended group is refused.
    await t.send(callback(kate, `gr:jy:${group?._id}`));
    expect(lastAlert(t)).toContain("closed");
  });

  it("circles by children's age group: a mentor starts one, teachers of the organization browse by age group and join; others do not see it", async () => {
    const { t, m, anna, stranger } = await kindergarten();
    await say(t, m, "/circles");
    await press(t, m, "gr:new");
    await say(t, m, "Кружок воспитателей старших групп");
    await press(t, m, "gn:t:none");
    await press(t, m, "gn:s:6");
    await press(t, m, "gn:a:senior");
    await press(t, m, "gn:ok");
    const circle = await MentoringGroup.findOne({}).lean();
    expect([circle?.ageGroup, circle?.size, circle?.topic]).toEqual(["senior", 6, undefined]);
    await say(t, anna, "/circles");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("«Кружок воспитателей старших групп» — Старшая группа");
    await press(t, anna, "ci:junior");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Кружков пока нет");
    await press(t, anna, "ci:senior");
    expect(t.fake.lastTextTo(anna.chatId)).toContain("Кружок воспитателей старших групп");
    await press(t, anna, `gr:j:${circle?._id}`);
    await press(t, anna, `gr:jy:${circle?._id}`);
    expect((await MentoringGroup.findById(circle?._id).lean())?.memberIds.map(String)).toEqual([await idOf(anna)]);
    // A teacher of another kindergarten (no shared network) sees no circle and cannot join by a forged tap.
    await say(t, stranger, "/circles");
    expect(t.fake.lastTextTo(stranger.chatId)).toContain("Кружков пока нет");
    await t.send(callback(stranger, `gr:j:${circle?._id}`));
    expect(lastAlert(t)).toContain("только педагогам её организации");
  });

  it("registries, the digest and the order show the group: one mentee row per person, the seats marked with the group, the group with its participants", async () => {
    const { t, c, anna, home, group } = await groupFromRequests();
    await press(t, anna, /^pc:/);
    await press(t, anna, /^pcy:/);
    const i18n = createI18n("ru", async () => "ru");
    const ru = (key: string, args?: Record<string, string | number>) => i18n.t("ru", key, args);
    // A group meeting held with two of three.
    await Meeting.create({
      kind: "group",
      groupId: group._id,
      organizationId: group.organizationId,
      hostId: group.mentorId,
      participantIds: group.memberIds,
      status: "held",
      startAt: new Date(c.now().getTime() - HOUR),
      durationMin: 60,
      topic: "Монтаж",
      mode: "in_person",
      log: { absentIds: [group.memberIds[0]], loggedAt: c.now() },
    });
    c.advance(60_000);
    const data = await loadDigestData([home.id], c.now());
    const sheets = buildSheets(data, { scope: [home.id], t: ru, now: c.now(), topic: (x) => topicLabel(x, "ru") });
    const mentees = sheets.find((s) => s.id === "mentees")?.rows ?? [];
    expect(mentees.map((r) => r[1]).sort()).toEqual(["Kate Morozova", "Анна Смирнова", "Вера Лебедева"]);
    const pairs = sheets.find((s) => s.id === "pairs");
    expect(pairs?.columns.at(-1)?.header).toBe("Группа");
    expect(pairs?.rows.map((r) => [r[4], r.at(-1)])).toEqual([
      ["Групповая", "Цифровые инструменты"],
      ["Групповая", "Цифровые инструменты"],
      ["Групповая", "Цифровые инструменты"],
    ]);
    expect(pairs?.rows.map((r) => r[7])).toEqual(["группа", "группа", "группа"]);

    const figures = computeDigest(data, [home.id], { period: { from: new Date(c.now().getTime() - 7 * DAY), to: c.now() }, now: c.now(), zone: "Europe/Moscow" });
    expect(figures.open.activePairs).toBe(0);
    expect(figures.groups).toEqual({ active: 1, participants: 3, circles: 0, held: 1, present: 2, expected: 3 });
    const attendance = computeIndicators(data, [home.id], { from: new Date(c.now().getTime() - 7 * DAY), to: c.now() }, c.now()).find((i) => i.key === "group_attendance");
    expect([attendance?.numerator, attendance?.denominator]).toEqual([2, 3]);
    // A digest reads only its window, and of its meetings' logs only those of a group's held
    // meetings (who did not come): the same figures as from everything.
    const period = { from: new Date(c.now().getTime() - 7 * DAY), to: c.now() };
    const windowed = await loadDigestData([home.id], c.now(), digestWindow(period, c.now()));
    expect(windowed.buckets.get(home.id)?.meetings.map((mt) => mt.log?.absentIds?.map(String))).toEqual([[String(group.memberIds[0])]]);
    expect(computeDigest(windowed, [home.id], { period, now: c.now(), zone: "Europe/Moscow" }).groups).toEqual(figures.groups);
    const windowedAttendance = computeIndicators(windowed, [home.id], period, c.now()).find((i) => i.key === "group_attendance");
    expect([windowedAttendance?.numerator, windowedAttendance?.denominator]).toEqual([2, 3]);
    expect(sheets.find((s) => s.id === "indicators")?.rows.some((r) => r[0] === "Посещаемость встреч наставнических групп")).toBe(true);

    const order = await orderDocx(home.id, { from: new Date(c.now().getTime() - DAY), to: new Date(c.now().getTime() + DAY) }, ru, c.now());
    const text = await docxText(order!.content);
    expect(text).toContain("Закрепить также наставнические группы");
    expect(text).toContain("Цифровые инструменты");
    expect(text).toMatch(/Анна Смирнова, воспитатель \(\d\d\.\d\d\.\d{4}\); Вера Лебедева, воспитатель \(нет согласия\)/);
    expect(text).toContain("За указанный период наставнические пары не формировались");
  });

  it("erasure: a participant's seat ends once and leaves the group; a mentor who leaves ends the group and gives every place back", async () => {
    const { t, c, m, vera, anna, profile, group } = await groupFromRequests();
    await say(t, vera, "/deleteme");
    await press(t, vera, "del:yes");
    let g = await MentoringGroup.findById(group._id).lean();
    expect([g?.seatsTaken, g?.memberIds.length, g?.status]).toEqual([2, 2, "active"]);
    expect(await load(profile?._id)).toEqual({ free: 3, active: 2, capacity: 5 });
    c.advance(DAY);
    expect((await reconcileMentorLoad(c.now())).repaired).toEqual([]);
    await say(t, m, "/deleteme");
    await press(t, m, "del:yes");
    g = await MentoringGroup.findById(group._id).lean();
    expect([g?.seatsTaken, g?.memberIds.length, g?.status]).toEqual([0, 0, "terminated"]);
    expect(await Pair.countDocuments({ groupId: group._id, status: "active" })).toBe(0);
    expect(t.fake.textsTo(anna.chatId).length).toBeGreaterThan(0);
  });
});
