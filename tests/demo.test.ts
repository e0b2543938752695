import { describe, expect, it } from "vitest";
import { runDemo } from "../src/demo/run.ts";

/**
 * `npm run demo` end to end, in-process: emulator, its own embedded database in a temporary
 * folder (not the suite's server), the bot through startApp, the setup (organization and curator
 * invitation) and the scripted onboarding of a curator, a mentor and two mentees.
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
  it("plays the onboarding story and returns a readable transcript", { timeout: 90_000 }, async () => {
    const lines = await runDemo();
    const text = lines.join("\n");

    // Setup as the CLI would do it; the curator opens exactly that link.
    expect(lines.some((l) => l.startsWith('  $ npm run cli -- org add --name "МДОУ «Детский сад № 27»" --tz Europe/Moscow'))).toBe(true);
    const curatorPayload = payloadAfter(lines, "Подготовка: администратор развёртывания заводит детский сад и приглашение для куратора (CLI):");
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

    // HTML is shown as plain text; the token never reaches the transcript; nothing came late.
    expect(text).not.toMatch(/<\/?b>/);
    expect(text).not.toContain("AAF-demo-token");
    expect(text).not.toContain("после последнего шага");
    expect(lines.at(-1)).toMatch(/^(Готово: \d+ шагов|Предупреждения в журнале бота)/);
  });
});
