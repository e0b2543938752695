import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { DEMO_MEETING, DEMO_ORGANIZATION, demoDigestCron, demoMeetingStart, nextDigestTime, runDemo } from "../src/demo/run.ts";
import { fireTimes, parseCron } from "../src/core/cron.ts";

/**
 * `npm run demo` end to end, in-process: emulator, its own embedded database in a temporary
 * folder (not the suite's server), the bot through startApp, the setup (organization and curator
 * invitation) and the scripted onboarding of a curator, a mentor and two mentees; then the mentor's
 * registry profile and its approval, a request, the pair, a session with its calendar file, and —
 * with the demo clock jumping ahead — the reminders, the follow-up, the log and /sessions.
 */

const LINK = /https:\/\/t\.me\/[A-Za-z0-9_]+\?start=(i_[A-Za-z0-9_-]{32})/;

/** The indented lines printed under a transcript line (a message's further lines and its buttons). */
function blockAfter(lines: string[], head: string, from = 0): string[] {
  const start = lines.indexOf(head, from);
  expect(start, `transcript line "${head}"`).toBeGreaterThanOrEqual(0);
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line !== "" && !line.startsWith(" ")) break;
    if (line !== "") block.push(line.trim());
  }
  return block;
}

/** The start payload of the first invitation link printed after the given line. */
function payloadAfter(lines: string[], head: string): string {
  const start = lines.indexOf(head);
  expect(start, `transcript line "${head}"`).toBeGreaterThanOrEqual(0);
  const found = lines.slice(start).map((l) => LINK.exec(l)).find((m) => m !== null);
  expect(found, `a link after "${head}"`).toBeDefined();
  return found?.[1] as string;
}

describe("demo: scripted conversation against the emulator", () => {
  it("plays the story from onboarding to a logged meeting and returns a readable transcript", { timeout: 180_000 }, async () => {
    const lines = await runDemo();
    const text = lines.join("\n");

    // Setup as the CLI would do it; the curator opens exactly that link.
    expect(lines.some((l) => l.startsWith('  $ npm run cli -- org add --name "МДОУ «Детский сад № 27»" --tz Europe/Moscow'))).toBe(true);
    const curatorPayload = payloadAfter(lines, "Подготовка: администратор развёртывания заводит два детских сада сети и приглашения для куратора и куратора сети (CLI):");
    expect(lines).toContain(`Ольга → /start ${curatorPayload}`);

    // The curator registers and gets the curator menu.
    expect(blockAfter(lines, "бот → Ольга: Проверьте данные")).toEqual(
      expect.arrayContaining(["Роль: куратор", "ФИО: Смирнова Ольга Ивановна", "Должность: Старший воспитатель"]),
    );
    expect(lines).toContain("бот → Ольга: Готово! Вы зарегистрированы: куратор, МДОУ «Детский сад № 27».");
    expect(blockAfter(lines, "бот → Ольга: Главное меню").some((l) => l.includes("[✉️ Пригласить]"))).toBe(true);

    // Two invitations; the mentor and the mentees open the links taken from the transcript.
    const mentorHead = "бот → Ольга: Приглашение готово: МДОУ «Детский сад № 27», роль «наставник», использований: 1, срок: 7 дн.";
    const menteeHead = "бот → Ольга: Приглашение готово: МДОУ «Детский сад № 27», роль «наставляемый», использований: 10, срок: 30 дн.";
    const mentorPayload = payloadAfter(lines, mentorHead);
    const menteePayload = payloadAfter(lines, menteeHead);
    expect(new Set([curatorPayload, mentorPayload, menteePayload]).size).toBe(3);
    expect(lines).toContain(`Наталья → /start ${mentorPayload}`);
    expect(lines).toContain(`Kate → /start ${menteePayload}`);
    expect(lines).toContain(`Анна → /start ${menteePayload}`);
    expect(lines.indexOf(`Наталья → /start ${mentorPayload}`)).toBeGreaterThan(lines.indexOf(mentorHead));

    // The mentor: a typed answer instead of a button, an invalid number, then the summary.
    const typed = lines.indexOf("Наталья → Воспитатель");
    expect(lines[typed + 1]).toBe("бот → Наталья: Пожалуйста, выберите вариант кнопкой под последним сообщением или отправьте /cancel.");
    const many = lines.indexOf("Наталья → много");
    expect(lines[many + 1]).toBe("бот → Наталья: Напишите стаж числом лет от 0 до 60, например 2.");
    expect(blockAfter(lines, "бот → Наталья: Проверьте данные")).toEqual(
      expect.arrayContaining([
        "Роль: наставник",
        "Организация: МДОУ «Детский сад № 27»",
        "ФИО: Волкова Наталья Сергеевна",
        "Должность: Воспитатель",
        "Стаж: 18 лет",
        "Категория: Высшая",
        "Образование: Педагогическое",
      ]),
    );
    expect(lines).toContain("бот → Наталья: Готово! Вы зарегистрированы: наставник, МДОУ «Детский сад № 27».");
    // A choice is confirmed by editing the question.
    expect(blockAfter(lines, "бот → Наталья (исправляет своё сообщение): Квалификационная категория:")).toEqual(["Высшая", "(кнопки убраны)"]);

    // The English mentee gets everything in English.
    expect(lines).toContain("Kate нажимает [English]");
    expect(lines).toContain("бот → Kate: Thank you! Now a few questions for your profile. Role: mentee.");
    expect(blockAfter(lines, "бот → Kate: Please check your data")).toEqual(
      expect.arrayContaining([
        "Role: mentee",
        "Full name: Kate Morozova",
        "Year of birth: 2000",
        "Position: Educator",
        "Experience: 2 years",
        "Category: No category",
        "Education: Non-core",
      ]),
    );
    expect(lines).toContain("бот → Kate: Done! You are registered: mentee, МДОУ «Детский сад № 27».");
    expect(lines).toContain("бот → Kate: Main menu");

    // The Russian mentee registers through the same link and reads what is stored about her.
    expect(blockAfter(lines, "бот → Анна: Проверьте данные")).toEqual(
      expect.arrayContaining(["Роль: наставляемый", "ФИО: Петрова Анна Сергеевна", "Год рождения: 2001", "Стаж: 1 год"]),
    );
    expect(lines).toContain("бот → Анна: Готово! Вы зарегистрированы: наставляемый, МДОУ «Детский сад № 27».");
    expect(lines[lines.indexOf("Анна → /privacy") + 1]).toBe("бот → Анна: Какие данные хранит «Наставник» и зачем");

    // The mentor fills in the registry profile; the curator approves it (a toast for her, a notice for the mentor).
    expect(blockAfter(lines, "бот → Наталья: Профиль наставника сохранён и отправлен куратору на одобрение.")).toEqual([
      "Темы: Портфолио педагога; Цифровые технологии в образовательном процессе; Презентации и видеоролики",
      "Нагрузка: 2",
      "кнопки: [📝 Данные для реестра наставников]",
    ]);
    const approvalHead = "бот → Ольга: 🧑‍🏫 Новый наставник в реестре: Волкова Наталья Сергеевна. Темы: Портфолио педагога; Цифровые технологии в образовательном процессе; Презентации и видеоролики. Одобрить для подбора?";
    expect(blockAfter(lines, approvalHead)).toEqual(["кнопки: [✅ Одобрить]"]);
    const approved = lines.indexOf("Ольга нажимает [✅ Одобрить]");
    expect(approved).toBeGreaterThan(lines.indexOf(approvalHead));
    expect(lines.slice(approved + 1, approved + 6)).toEqual(expect.arrayContaining([
      "бот → Ольга (всплывающая подсказка): Наставник одобрен.",
      "бот → Наталья: Ваш профиль наставника одобрен куратором: теперь вам будут приходить запросы.",
    ]));

    // The mentee's request: the summary, then the mentor's card without contacts.
    expect(blockAfter(lines, "бот → Анна: Ваш запрос")).toEqual(
      expect.arrayContaining(["Темы: Портфолио педагога", "Помощь: Долгосрочная пара с программой (3–12 мес.)", "Формат: Онлайн", "Удобное время: Ср; День 12–16"]),
    );
    const cards = blockAfter(lines, "бот → Анна: Подходящие наставники (контакты откроются, когда наставник примет запрос):");
    expect(cards).toEqual(
      expect.arrayContaining([
        "1. Воспитатель, МДОУ «Детский сад № 27»",
        "Стаж: 18 лет; Высшая",
        "• темы: Портфолио педагога",
        "• ваш детский сад",
        "кнопки: [Выбрать 1] / [Кто первый освободится]",
      ]),
    );
    expect(cards.join("\n")).not.toContain("@natalia");

    // The mentor gets the offer and accepts: both get the other's @username and confirm the pair.
    expect(lines).toContain("Анна нажимает [Выбрать 1]");
    expect(blockAfter(lines, "бот → Наталья: 📨 Новый запрос на наставничество")).toEqual(
      expect.arrayContaining([
        "Петрова Анна Сергеевна, МДОУ «Детский сад № 27»",
        "Формат: Долгосрочная пара с программой (3–12 мес.); Онлайн",
        "Удобное время наставляемой: Ср; День 12–16 (по её часовому поясу)",
        "кнопки: [✅ Принять] [Отказаться] / [❓ Задать вопрос]",
      ]),
    );
    expect(lines).toContain("Наталья нажимает [✅ Принять]");
    const pairToAnna = lines.find((l) => l.startsWith("бот → Анна: 🎉 Наставник принял ваш запрос: Волкова Наталья Сергеевна."));
    expect(pairToAnna).toContain("Связь: @natalia_volkova_ds27.");
    const pairToNatalia = lines.find((l) => l.startsWith("бот → Наталья: 🎉 Пара сформирована: ваш наставляемый — Петрова Анна Сергеевна."));
    expect(pairToNatalia).toContain("Связь: @anna_petrova_ds27.");
    expect(lines.filter((l) => / \(всплывающая подсказка\): Согласие записано\. Спасибо!$/.test(l))).toEqual([
      "бот → Анна (всплывающая подсказка): Согласие записано. Спасибо!",
      "бот → Наталья (всплывающая подсказка): Согласие записано. Спасибо!",
    ]);

    // The mentor proposes a typed time two days ahead; the mentee picks it; both get the .ics.
    const typedTime = lines.find((l) => /^Наталья → \d{2}\.\d{2} 15:30$/.test(l));
    expect(typedTime, "the typed meeting time").toBeDefined();
    const [day, month] = (typedTime as string).slice("Наталья → ".length, "Наталья → ".length + 5).split(".");
    const pick = lines.find((l) => l.startsWith("Анна нажимает [") && l.includes(`${day}.${month}.`));
    expect(pick).toMatch(/^Анна нажимает \[(пн|вт|ср|чт|пт|сб|вс), \d{2}\.\d{2}\.\d{4}, 15:30 \(Москва, UTC\+3\)\]$/);
    const when = (pick as string).slice("Анна нажимает [".length, -1);
    expect(blockAfter(lines, "бот → Наталья: Предложение отправлено. Кому: Петрова Анна Сергеевна. Варианты:")).toEqual([when]);
    for (const [who, other] of [
      ["Анна", "Волкова Наталья Сергеевна"],
      ["Наталья", "Петрова Анна Сергеевна"],
    ]) {
      expect(blockAfter(lines, `бот → ${who}: 📎 meeting.ics — ✅ Встреча назначена: ${when}`)).toEqual([
        `Тема: Портфолио педагога. С кем: ${other}. Место: https://telemost.yandex.ru/j/27000451.`,
        "Файл календаря — во вложении.",
        "кнопки: [Отменить] [Перенести]",
      ]);
    }

    // The clock jumps: reminders a day and an hour before (on time, not "late"), "I'll be there".
    const jumps = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith("⏩ Время в демо: +"));
    expect(jumps).toHaveLength(4); // the last one: to 09:00 the morning after the meeting, the weekly digest
    // Each reminder names the counterpart.
    for (const [who, other] of [
      ["Анна", "Волкова Наталья Сергеевна"],
      ["Наталья", "Петрова Анна Сергеевна"],
    ]) {
      const reminder = `⏰ Напоминание: встреча ${when} — «Портфолио педагога», с вами встречается: ${other}, https://telemost.yandex.ru/j/27000451.`;
      const at = lines.map((l, i) => [l, i] as const).filter(([l]) => l === `бот → ${who}: ${reminder}`).map(([, i]) => i);
      expect(at, `reminders for ${who}`).toHaveLength(2);
      expect(at[0]).toBeGreaterThan(jumps[0]?.[1] as number);
      expect(at[1]).toBeGreaterThan(jumps[1]?.[1] as number);
      expect(blockAfter(lines, `бот → ${who}: ${reminder}`)).toEqual(["кнопки: [👍 Буду] [Перенести]"]);
    }
    expect(jumps[1]?.[0]).toMatch(/→ (пн|вт|ср|чт|пт|сб|вс), \d{2}\.\d{2}\.\d{4}, 14:30 \(Москва, UTC\+3\)$/);
    // No reminder went out late (the plan-and-fact report further on has its own "с опозданием" column).
    expect(lines.filter((l) => l.includes("⏰ Напоминание")).join("\n")).not.toContain("с опозданием");
    const attend = lines.indexOf("Анна нажимает [👍 Буду]");
    expect(lines[attend + 1]).toBe("бот → Анна (всплывающая подсказка): Спасибо, отметили!");

    // After the end + 30 min the mentor is asked; she logs the meeting as held.
    const followup = `бот → Наталья: Встреча ${when} («Портфолио педагога») состоялась?`;
    expect(lines.indexOf(followup)).toBeGreaterThan(jumps[2]?.[1] as number);
    expect(blockAfter(lines, followup)).toEqual(["кнопки: [✅ Состоялась] [Не состоялась] / [Перенести]"]);
    expect(lines[lines.indexOf("Наталья нажимает [✅ Состоялась]") + 1]).toBe("бот → Наталья: Что разобрали на встрече?");
    expect(lines).toContain("бот → Наталья: Следующий шаг? (можно пропустить)");
    const skip = lines.indexOf("Наталья нажимает [Пропустить]");
    expect(lines.slice(skip + 1, skip + 14)).toContain("бот → Наталья: Спасибо! Встреча записана.");
    // The log reaches the mentee.
    expect(lines.slice(skip + 1, skip + 14).some((l) => l.startsWith("бот → Анна: 📝 Итоги встречи с наставником (Волкова Наталья Сергеевна)"))).toBe(true);
    // The mentee's one-tap survey: usefulness, "did it solve it", a comment.
    expect(lines.slice(skip + 1, skip + 14).some((l) => l.startsWith("бот → Анна: 📝 Насколько полезной была встреча «Портфолио педагога»"))).toBe(true);
    expect(lines).toContain("Анна нажимает [5]");
    expect(lines).toContain("бот → Анна (всплывающая подсказка): Спасибо! Ваша оценка: 5.");
    expect(lines).toContain("бот → Анна: Спасибо! Ответ записан.");

    // The mentee's list shows it as held.
    expect(lines[lines.indexOf("Анна → /sessions") + 1]).toBe("бот → Анна: Ближайшие встречи");
    expect(blockAfter(lines, "бот → Анна: Ближайшие встречи")).toEqual([
      "—",
      "Прошедшие",
      `• ${when} — Портфолио педагога (Волкова Наталья Сергеевна), состоялась`,
    ]);

    // 09:00 the morning after the meeting: the curator's weekly digest arrives by itself, with its chart.
    const digest = lines.findIndex((l) => l.startsWith("бот → Ольга: 📊 Сводка за"));
    expect(digest, "the weekly digest").toBeGreaterThan(lines.indexOf("Анна → /sessions"));
    expect(lines.slice(digest, digest + 40).join("\n")).toMatch(/проведено 1 \(\+1\)/);
    expect(lines.slice(digest).some((l) => l.includes("📎 digest.png"))).toBe(true);

    // HTML is shown as plain text; the token never reaches the transcript; nothing came late;
    // the proxy answered what the emulator lacks (no failed setMyCommands / sendDocument).
    expect(text).not.toMatch(/<\/?b>/);
    expect(text).not.toContain("AAF-demo-token");
    expect(text).not.toContain("после последнего шага");
    const warnings = lines.filter((l) => l.startsWith("Предупреждения в журнале бота")).join("\n");
    expect(warnings).not.toMatch(/setMyCommands|sendDocument|notice not delivered/);
    const summary = lines.find((l) => l.startsWith("Готово: "));
    expect(summary).toMatch(/^Готово: \d+ шаг(а|ов)?, \d+ сообщени(е|я|й) бота, [\d.]+ с вместе с запуском; часы демо ушли вперёд на \d+ (день|дня|дней)/);
    expect(lines.at(-1)).toMatch(/^(Готово: |Предупреждения в журнале бота)/);

    // A network curator (issue 15): one CLI link for the network, her own workplace picked in onboarding,
    // the network's digest with a line and a button per kindergarten, and one kindergarten's digest.
    const networkPayload = payloadAfter(lines, '  $ npm run cli -- invite --network "Радуга" --role curator');
    expect(networkPayload).not.toBe(curatorPayload);
    expect(lines).toContain(`Марина → /start ${networkPayload}`);
    expect(lines).toContain("бот → Марина: Готово! Вы зарегистрированы: куратор сети «Радуга» (место работы: МДОУ «Детский сад № 27»).");
    const networkDigest = lines.findIndex((l) => l.startsWith("бот → Марина: 📊 Сводка за") && l.endsWith("— сеть «Радуга» (2 детских сада)"));
    expect(networkDigest, "the network's digest").toBeGreaterThan(lines.indexOf("Марина → /digest"));
    const networkBlock = blockAfter(lines, lines[networkDigest] as string);
    expect(networkBlock).toEqual(
      expect.arrayContaining([
        "По организациям (2)",
        "• МДОУ «Детский сад № 27»: новые 1, пары 1, встречи 1, ждут 0, риски 0",
        "• МАДОУ «Детский сад № 45»: новые 0, пары 0, встречи 0, ждут 0, риски 0",
        "кнопки: [🏫 МАДОУ «Детский сад № 45»] / [🏫 МДОУ «Детский сад № 27»] / [📤 Выгрузка] [⚙️ Настройки сводки]",
      ]),
    );
    const drilled = lines.findIndex((l, i) => i > networkDigest && l.startsWith("бот → Марина: 📊 Сводка за") && l.endsWith("— МДОУ «Детский сад № 27»"));
    expect(drilled, "one kindergarten's digest").toBeGreaterThan(lines.indexOf("Марина нажимает [🏫 МДОУ «Детский сад № 27»]"));
    expect(blockAfter(lines, lines[drilled] as string)).not.toContain("По организациям (2)");

    // A short personalised program: drafted by the mentor, confirmed by the mentee, approved by the curator.
    expect(lines).toContain("бот → Наталья: Программа отправлена наставляемому на подтверждение.");
    expect(lines).toContain("бот → Ольга: Программа на утверждение: наставник Волкова Наталья Сергеевна, наставляемый Петрова Анна Сергеевна.");
    expect(blockAfter(lines, "бот → Анна: ✅ Программа утверждена куратором. Напоминания о пунктах плана придут в день срока.")).toEqual(
      expect.arrayContaining(["Персонализированная программа (действует)", "Цель: Подготовить портфолио к аттестации на первую категорию"]),
    );
    // Documents to file: the program in the form of the regulation, and the order on the pairs with consent dates.
    // The program starts on the day the curator approves it: the meeting's day (the demo runs on the real date).
    const meetingDate = /\d{2}\.\d{2}\.\d{4}/.exec(when)?.[0];
    expect(lines).toContain(`бот → Наталья: 📎 programma-Петрова-${meetingDate}.docx — Персонализированная программа наставничества`);
    expect(lines.some((l) => /^бот → Ольга: 📎 prikaz-pary-.*\.docx — Приказ о закреплении наставнических пар/.test(l))).toBe(true);
  });
});

describe("the demo's timeline, whatever day and hour it is started at", () => {
  it("the first weekly digest after the start is the one the story shows, the morning after the meeting: none comes on the way to the meeting", () => {
    const zone = DEMO_ORGANIZATION.timezone;
    // A week of start days (a Saturday start crossed Monday 09:00 with the default DIGEST_CRON), at several hours.
    for (let day = 0; day < 7; day++) {
      for (const [hour, minute] of [[0, 30], [8, 59], [9, 0], [12, 0], [23, 59]] as const) {
        const start = DateTime.fromObject({ year: 2026, month: 12, day: 5 + day, hour, minute }, { zone }).toJSDate();
        const digestAt = nextDigestTime(start);
        const followUp = new Date(demoMeetingStart(start).getTime() + (DEMO_MEETING.durationMin + 31) * 60_000);
        const spec = parseCron(demoDigestCron(start));
        expect(spec, demoDigestCron(start)).toBeDefined();
        expect(fireTimes(spec!, zone, start, digestAt), start.toISOString()).toEqual([new Date(digestAt.getTime() - 60_000)]);
        expect(followUp.getTime()).toBeLessThan(digestAt.getTime() - 60_000);
      }
    }
  });
});
