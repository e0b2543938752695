import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DestinationStream } from "pino";
import { loadConfig } from "../core/config.ts";
import { createLogger } from "../core/logger.ts";
import { startApp, type RunningApp } from "../app.ts";
import { freePort, startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded.ts";
import { addOrganization, findNetwork } from "../domain/organizations.ts";
import { createInvite, inviteLink } from "../domain/invites.ts";
import type { Clock } from "../core/clock.ts";
import { formatInZone } from "../core/datetime.ts";
import { DateTime } from "luxon";
import { plainText, startEmulator, type Emulator, type EmulatorEntry } from "./emulator.ts";

/**
 * `npm run demo`: everything local and in one process — the Bot API emulator (telegram-test-api),
 * the embedded database in a temporary folder, and the real bot (`startApp`, polling the
 * emulator) — then a scripted conversation between several users, printed as a transcript.
 *
 * The story: the deploying admin adds a kindergarten and a curator invitation (as the CLI would),
 * the curator registers through the link and invites a mentor and mentees, who register through
 * the links taken from the transcript. The mentor fills in her registry profile and the curator
 * approves it; a mentee sends a request, picks the mentor's card, the mentor accepts and both
 * confirm the pair. The mentor proposes a session, the mentee picks the time, both get the
 * calendar file. Then the demo's clock jumps ahead: the reminder before the meeting, the
 * "did it take place?" question after it, the mentor's log, and the mentee's list of meetings.
 *
 * The bot runs on the demo's own clock ({@link DemoClock}: real time plus an offset that jump
 * steps move forward) with the job queue ticking every second, so scheduled jobs fire right
 * after a jump. The Bot API methods the emulator lacks (sendDocument …) are answered by a small
 * proxy in front of it (see ./emulator.ts).
 *
 * New features add their users to DEMO_USERS and their steps to DEMO_SCRIPT; nothing else here
 * needs to change.
 */

export const DEMO_TOKEN = "5550002:AAF-demo-token-emulator-only-000000000";

export interface DemoUser {
  id: number;
  /** Telegram first name; also the speaker's name in the transcript. */
  name: string;
  /** Shown once in the list of participants. */
  role: string;
  languageCode: string;
  /** Telegram @username (without @): the contact a paired counterpart gets. */
  username: string;
}

export const DEMO_USERS = {
  olga: { id: 710001, name: "Ольга", username: "olga_smirnova_ds27", role: "Смирнова Ольга Ивановна, старший воспитатель — куратор наставничества", languageCode: "ru" },
  natalia: { id: 710002, name: "Наталья", username: "natalia_volkova_ds27", role: "Волкова Наталья Сергеевна, воспитатель со стажем 18 лет — будущий наставник", languageCode: "ru" },
  kate: { id: 710003, name: "Kate", username: "kate_morozova", role: "Kate Morozova, молодой воспитатель, Telegram на английском", languageCode: "en" },
  anna: { id: 710004, name: "Анна", username: "anna_petrova_ds27", role: "Петрова Анна Сергеевна, молодой воспитатель", languageCode: "ru" },
  marina: { id: 710005, name: "Марина", username: "marina_lebedeva_net", role: "Лебедева Марина Викторовна, методист — куратор сети детских садов", languageCode: "ru" },
} satisfies Record<string, DemoUser>;

export type DemoUserKey = keyof typeof DEMO_USERS;

/** The kindergarten the deploying admin adds before anyone talks to the bot. */
export const DEMO_ORGANIZATION = { shortName: "МДОУ «Детский сад № 27»", timezone: "Europe/Moscow" } as const;

/** The network the kindergarten belongs to, with a partner kindergarten two hours ahead (issue 15: a network curator). */
export const DEMO_NETWORK = { name: "Радуга", partner: { shortName: "МАДОУ «Детский сад № 45»", timezone: "Asia/Yekaterinburg" } } as const;

/** What the script has learned so far; steps may compute their text from it. */
export interface DemoContext {
  botUsername: string;
  /** Invitation links by name: `curator` from the setup, others saved by steps with `saveLink`. */
  links: Record<string, string>;
  /** The start payloads (`i_…`) of those links: what Telegram sends as `/start i_…` when one is opened. */
  payloads: Record<string, string>;
  /** The demo clock's time when the script started (the real time then). */
  startedAt: Date;
}

/** A user's text (or a button label): fixed, or computed from what happened earlier (e.g. a link the bot gave). */
export type DemoText = string | ((ctx: DemoContext) => string);

interface DemoStepBase {
  /**
   * How many bot outputs (new messages, edits of earlier messages, popups) the step waits for;
   * default 1. Whatever else arrives shortly after is shown as well.
   */
  replies?: number;
  /** A heading printed before the step. */
  comment?: string;
}

interface DemoUserStep extends DemoStepBase {
  user: DemoUserKey;
  /** Remember the invitation link in this step's bot replies under this name (ctx.links / ctx.payloads). */
  saveLink?: string;
}

/**
 * One step of the script: the user sends a text (or command), or presses a button by its label;
 * or the demo clock jumps forward to the given time (jobs due by then run on the next tick).
 */
export type DemoStep = (DemoUserStep & ({ says: DemoText } | { presses: DemoText })) | (DemoStepBase & { jumpTo: (ctx: DemoContext) => Date });

/** The demo's clock: real time plus an offset that only moves forward. */
export class DemoClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** Moves the clock to `at` (never back); returns how far it moved, in ms. */
  jumpTo(at: Date): number {
    const delta = at.getTime() - this.now().getTime();
    if (delta <= 0) return 0;
    this.offsetMs += delta;
    return delta;
  }
}

/** The session the mentor proposes: two days after the demo starts, 15:30 at the kindergarten. */
export const DEMO_MEETING = { daysAhead: 2, hour: 15, minute: 30, durationMin: 45 } as const;

export function demoMeetingStart(startedAt: Date): Date {
  return DateTime.fromJSDate(startedAt, { zone: DEMO_ORGANIZATION.timezone })
    .plus({ days: DEMO_MEETING.daysAhead })
    .set({ hour: DEMO_MEETING.hour, minute: DEMO_MEETING.minute, second: 0, millisecond: 0 })
    .toJSDate();
}

/** The morning after the demo meeting, in the kindergarten's zone: the day of the demo's weekly digest. */
function digestDay(startedAt: Date): DateTime {
  return DateTime.fromJSDate(demoMeetingStart(startedAt), { zone: DEMO_ORGANIZATION.timezone }).plus({ days: 1 }).startOf("day");
}

/**
 * The demo's DIGEST_CRON: 09:00 on the weekday after the meeting's (the default is Monday 09:00).
 * The meeting is two days after the start, so this weekday does not come round before the
 * morning after it: the first weekly digest is the one the story shows, whatever day the demo is
 * started on. With Monday's, a demo started on a Saturday or a Sunday crossed Monday 09:00 on its
 * way to the meeting, and an early digest arrived in the middle of the story.
 */
export function demoDigestCron(startedAt: Date): string {
  return `0 9 * * ${digestDay(startedAt).weekday % 7}`;
}

/** 09:00 (the demo's DIGEST_CRON) on the morning after the demo meeting, in the kindergarten's zone, plus a minute. */
export function nextDigestTime(startedAt: Date): Date {
  return digestDay(startedAt).plus({ hours: 9, minutes: 1 }).toJSDate();
}

/** The meeting time as the mentor types it: `25.11 15:30`. */
const typedMeetingTime = (ctx: DemoContext): string =>
  DateTime.fromJSDate(demoMeetingStart(ctx.startedAt), { zone: DEMO_ORGANIZATION.timezone }).toFormat("dd.MM HH:mm");

/** The label of the slot button the mentee sees (her kindergarten's zone). */
const meetingSlotLabel = (ctx: DemoContext): string => formatInZone(demoMeetingStart(ctx.startedAt), DEMO_ORGANIZATION.timezone, "ru");

/** The due date of the demo program's plan item, typed as `20.12.2026`: three weeks after the start. */
const demoPlanDue = (ctx: DemoContext): string =>
  DateTime.fromJSDate(ctx.startedAt, { zone: DEMO_ORGANIZATION.timezone }).plus({ days: 21 }).toFormat("dd.MM.yyyy");

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** `/start <payload>` of a saved invitation link, as Telegram sends it when the link is opened. */
const openLink =
  (name: string) =>
  (ctx: DemoContext): string => {
    const payload = ctx.payloads[name];
    if (!payload) throw new Error(`no invitation link "${name}" was saved before this step`);
    return `/start ${payload}`;
  };

export const DEMO_SCRIPT: DemoStep[] = [
  { comment: "Куратор открывает ссылку от администратора и регистрируется", user: "olga", says: openLink("curator") },
  { user: "olga", presses: "Русский" },
  { user: "olga", presses: "✅ Даю согласие", replies: 3 },
  { user: "olga", says: "Смирнова Ольга Ивановна" },
  { user: "olga", presses: "Старший воспитатель", replies: 2 },
  { user: "olga", presses: "✅ Всё верно", replies: 2 },

  { comment: "Куратор приглашает наставника (кнопкой меню) и наставляемых (командой /invite)", user: "olga", presses: "✉️ Пригласить" },
  { user: "olga", presses: "наставник" },
  { user: "olga", presses: "1 человек" },
  { user: "olga", presses: "7 дней", saveLink: "mentor" },
  { user: "olga", says: "/invite" },
  { user: "olga", presses: "наставляемый" },
  { user: "olga", presses: "до 10 человек" },
  { user: "olga", presses: "30 дней", saveLink: "mentee" },

  { comment: "Наставник открывает ссылку для наставника", user: "natalia", says: openLink("mentor") },
  { user: "natalia", presses: "Русский" },
  { user: "natalia", presses: "✅ Даю согласие", replies: 3 },
  { user: "natalia", says: "Волкова Наталья Сергеевна" },
  { user: "natalia", says: "Воспитатель" }, // typed instead of pressing the button
  { user: "natalia", presses: "Воспитатель", replies: 2 },
  { user: "natalia", says: "много" }, // not a number
  { user: "natalia", says: "18" },
  { user: "natalia", presses: "Высшая", replies: 2 },
  { user: "natalia", presses: "Педагогическое", replies: 2 },
  { user: "natalia", presses: "✅ Всё верно", replies: 2 },

  { comment: "Наставляемая с Telegram на английском открывает ссылку для наставляемых", user: "kate", says: openLink("mentee") },
  { user: "kate", presses: "English" },
  { user: "kate", presses: "✅ I consent", replies: 3 },
  { user: "kate", says: "Kate Morozova" },
  { user: "kate", says: "2000" },
  { user: "kate", presses: "Educator", replies: 2 },
  { user: "kate", says: "2" },
  { user: "kate", presses: "No category", replies: 2 },
  { user: "kate", presses: "Non-core", replies: 2 },
  { user: "kate", presses: "✅ All correct", replies: 2 },

  { comment: "Вторая наставляемая — по той же ссылке (на 10 человек)", user: "anna", says: openLink("mentee") },
  { user: "anna", presses: "Русский" },
  { user: "anna", presses: "✅ Даю согласие", replies: 3 },
  { user: "anna", says: "Петрова Анна Сергеевна" },
  { user: "anna", says: "2001" },
  { user: "anna", presses: "Воспитатель", replies: 2 },
  { user: "anna", says: "1" },
  { user: "anna", presses: "Без категории", replies: 2 },
  { user: "anna", presses: "Педагогическое", replies: 2 },
  { user: "anna", presses: "✅ Всё верно", replies: 2 },
  { comment: "Наставляемая смотрит, какие данные о ней хранятся", user: "anna", says: "/privacy" },

  { comment: "Наставник заполняет профиль для реестра (/mentor)", user: "natalia", says: "/mentor", replies: 2 },
  { user: "natalia", presses: "F. Профессиональный рост" },
  { user: "natalia", presses: "Портфолио педагога" },
  { user: "natalia", presses: "Готово ✔️", replies: 2 },
  { user: "natalia", presses: "E. Цифровые компетенции" },
  { user: "natalia", presses: "Цифровые технологии в образовательном процессе" },
  { user: "natalia", presses: "Презентации и видеоролики" },
  { user: "natalia", presses: "Готово ✔️", replies: 2 },
  { user: "natalia", presses: "Готово ✔️" }, // competences done
  { user: "natalia", presses: "2", replies: 2 },
  { user: "natalia", presses: "Индивидуальная" },
  { user: "natalia", presses: "Флеш-встречи" },
  { user: "natalia", presses: "Готово ✔️", replies: 2 },
  { user: "natalia", presses: "Любой", replies: 2 },
  { user: "natalia", presses: "Пн" },
  { user: "natalia", presses: "Ср" },
  { user: "natalia", presses: "Готово ✔️", replies: 2 },
  { user: "natalia", presses: "День 12–16" },
  { user: "natalia", presses: "Готово ✔️", replies: 2 },
  { user: "natalia", presses: "Нет", replies: 2 },
  { user: "natalia", presses: "Да, принимаю", replies: 3 },
  { comment: "Куратор одобряет наставника", user: "olga", presses: "✅ Одобрить", replies: 2 },

  { comment: "Наставляемая отправляет запрос наставнику (/request)", user: "anna", says: "/request" },
  { user: "anna", presses: "F. Профессиональный рост" },
  { user: "anna", presses: "Портфолио педагога" },
  { user: "anna", presses: "Готово ✔️", replies: 2 },
  { user: "anna", presses: "Готово ✔️" }, // topics done
  { user: "anna", presses: "2", replies: 2 }, // confidence in the topic (self-assessment), 1–5
  { user: "anna", says: "Готовлюсь к первой аттестации и не знаю, как собрать портфолио: какие разделы нужны и что в них положить." },
  { user: "anna", presses: "Долгосрочная пара с программой (3–12 мес.)", replies: 2 },
  { user: "anna", presses: "Онлайн", replies: 2 },
  { user: "anna", presses: "Ср" },
  { user: "anna", presses: "Готово ✔️", replies: 2 },
  { user: "anna", presses: "День 12–16" },
  { user: "anna", presses: "Готово ✔️", replies: 2 },
  { user: "anna", presses: "✅ Отправить", replies: 2 },
  { comment: "Наставляемая выбирает наставника по карточке; наставник принимает запрос", user: "anna", presses: "Выбрать 1", replies: 3 },
  { user: "natalia", presses: "✅ Принять", replies: 3 },
  { comment: "Обе читают полный текст согласия на закрепление пары (ст. 351.8 ТК РФ) и соглашаются", user: "anna", presses: "✍️ Согласие на закрепление пары" },
  { user: "anna", presses: "✅ Согласна", replies: 2 },
  { user: "natalia", presses: "✍️ Согласие на закрепление пары" },
  { user: "natalia", presses: "✅ Согласна", replies: 2 },

  { comment: "Наставник назначает встречу (/session) и вводит время сама", user: "natalia", says: "/session" },
  { user: "natalia", presses: "Портфолио педагога", replies: 2 },
  { user: "natalia", presses: `${DEMO_MEETING.durationMin} мин`, replies: 2 },
  { user: "natalia", presses: "Онлайн", replies: 2 },
  { user: "natalia", says: "https://telemost.yandex.ru/j/27000451" },
  { user: "natalia", presses: "✍️ Ввести время" },
  { user: "natalia", says: typedMeetingTime },
  { user: "natalia", presses: "Готово ✔️", replies: 3 },
  { comment: "Наставляемая выбирает время — обе получают подтверждение и файл календаря", user: "anna", presses: meetingSlotLabel, replies: 3 },

  { comment: "За сутки до встречи — напоминание обеим", jumpTo: (ctx) => new Date(demoMeetingStart(ctx.startedAt).getTime() - 24 * HOUR), replies: 2 },
  { comment: "За час до встречи — ещё одно; наставляемая отвечает, что будет", jumpTo: (ctx) => new Date(demoMeetingStart(ctx.startedAt).getTime() - HOUR), replies: 2 },
  { user: "anna", presses: "👍 Буду" },
  {
    comment: "Через 30 минут после конца встречи наставника спрашивают, состоялась ли она",
    jumpTo: (ctx) => new Date(demoMeetingStart(ctx.startedAt).getTime() + (DEMO_MEETING.durationMin + 30) * MINUTE + MINUTE),
  },
  { user: "natalia", presses: "✅ Состоялась" },
  { user: "natalia", says: "Разобрали структуру портфолио и требования к аттестации на первую категорию." },
  { user: "natalia", says: "Собрать материалы в раздел «Открытые занятия»." },
  { user: "natalia", presses: "Пропустить", replies: 3 },
  { comment: "Наставляемая отвечает на короткий опрос о встрече", user: "anna", presses: "5", replies: 2 },
  { user: "anna", presses: "Да", replies: 1 },
  { user: "anna", says: "Стало понятно, с чего начать портфолио." },
  { comment: "Наставник составляет персональную программу для пары (/program)", user: "natalia", says: "/program" },
  { user: "natalia", presses: "📋 Составить программу", replies: 2 },
  { user: "natalia", says: "Подготовить портфолио к аттестации на первую категорию" },
  { user: "natalia", presses: "3", replies: 2 },
  { user: "natalia", presses: "опытный педагог – молодой педагог", replies: 2 },
  { user: "natalia", presses: "индивидуальная", replies: 2 },
  { user: "natalia", says: "Собрать раздел «Открытые занятия»" },
  { user: "natalia", says: demoPlanDue },
  { user: "natalia", says: "Три конспекта с самоанализом", replies: 2 },
  { user: "natalia", presses: "✔️ План готов", replies: 2 },
  { user: "natalia", says: "Портфолио по требованиям аттестации" },
  { user: "natalia", presses: "📨 Отправить наставляемому", replies: 3 },
  { comment: "Наставляемая подтверждает программу, куратор её утверждает", user: "anna", presses: "✅ Подтвердить", replies: 3 },
  { user: "olga", presses: "✅ Утвердить", replies: 3 },
  { comment: "Наставник получает программу документом по форме положения (.docx) — для личного дела", user: "natalia", says: "/program" },
  { user: "natalia", presses: "📋 Открыть программу" },
  { user: "natalia", presses: "📄 Программа (.docx)" },
  { comment: "Куратор берёт отчёт за 4 недели и приказ о закреплении пар с датами согласий (.docx)", user: "olga", says: "/report" },
  { user: "olga", presses: "Последние 4 недели", replies: 3 },
  { user: "olga", presses: "📄 Приказ о закреплении пар (.docx)" },
  { comment: "Наставляемая смотрит свои встречи", user: "anna", says: "/sessions" },
  {
    comment: "Наутро после встречи, в 9:00 по времени детского сада, куратору приходит еженедельная сводка с графиком (обычно по понедельникам; в демо — на следующий день после встречи)",
    jumpTo: (ctx) => nextDigestTime(ctx.startedAt),
    replies: 2,
  },

  { comment: "Методист сети открывает ссылку куратора сети и указывает своё место работы", user: "marina", says: openLink("network") },
  { user: "marina", presses: "Русский" },
  { user: "marina", presses: "✅ Даю согласие", replies: 3 },
  { user: "marina", says: "Лебедева Марина Викторовна" },
  { user: "marina", presses: "Методист" },
  { user: "marina", says: "27" },
  { user: "marina", presses: DEMO_ORGANIZATION.shortName, replies: 2 },
  { user: "marina", presses: "✅ Всё верно", replies: 2 },
  { comment: "Куратор сети видит сводку по всей сети — строка и кнопка на каждый детский сад", user: "marina", says: "/digest", replies: 2 },
  { comment: "…и открывает один детский сад", user: "marina", presses: `🏫 ${DEMO_ORGANIZATION.shortName}`, replies: 2 },
];

/** An invitation link in a bot message, and its start payload. */
const INVITE_LINK = /https:\/\/t\.me\/[A-Za-z0-9_]+\?start=(i_[A-Za-z0-9_-]+)/;

const STEP_TIMEOUT_MS = 30_000;
const SETTLE_MS = 200;
const POLL_MS = 40;

export interface DemoOptions {
  /** Called with every transcript line as it is produced (the CLI prints them). */
  echo?: (line: string) => void;
  script?: DemoStep[];
}

interface BotOutput {
  /** A message, an edit of one, or the text of a callback answer (a toast or an alert). */
  kind: "new" | "edit" | "popup";
  chatId: number;
  /** For a popup: the last message id before it (popups sort after that message). */
  messageId: number;
  text: string;
  /** A document's file name (the text is then its caption). */
  document?: string;
  /** A popup shown as an alert with an OK button rather than a toast. */
  alert?: boolean;
  /** Inline keyboard rows, when shown (new message) or changed (edit). */
  buttons?: string[][];
  buttonsRemoved?: boolean;
  /** For an edit: whether the text changed (else only the keyboard did). */
  textChanged?: boolean;
}

type InlineButton = { text: string; callback_data?: string; url?: string };

/** "1 шаг", "3 шага", "46 шагов". */
function countRu(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = mod10 === 1 && mod100 !== 11 ? one : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? few : many;
  return `${n} ${word}`;
}

/** A forward jump as "+2 дня 3 ч 15 мин". */
export function formatJump(ms: number): string {
  const totalMin = Math.round(ms / MINUTE);
  const days = Math.floor(totalMin / (24 * 60));
  const hours = Math.floor((totalMin % (24 * 60)) / 60);
  const minutes = totalMin % 60;
  const parts = [
    ...(days ? [countRu(days, "день", "дня", "дней")] : []),
    ...(hours ? [`${hours} ч`] : []),
    ...(minutes || (!days && !hours) ? [`${minutes} мин`] : []),
  ];
  return `+${parts.join(" ")}`;
}

export { plainText };

function keyboardOf(markup: unknown): InlineButton[][] {
  const parsed = typeof markup === "string" ? (JSON.parse(markup) as unknown) : markup;
  const rows = (parsed as { inline_keyboard?: InlineButton[][] } | undefined)?.inline_keyboard;
  return Array.isArray(rows) ? rows : [];
}

/** Keyboard rows as `[a] [b] / [c]`; empty rows (which Telegram does not show) are left out. */
export function formatButtons(rows: string[][]): string {
  return rows
    .filter((row) => row.length > 0)
    .map((row) => row.map((b) => `[${b}]`).join(" "))
    .join(" / ");
}

function isBotEntry(entry: EmulatorEntry): entry is EmulatorEntry & { message: NonNullable<EmulatorEntry["message"]> } {
  return entry.message !== undefined && (entry.message.from === undefined || entry.message.from.is_bot === true);
}

/** Collects bot-side logs in memory: the transcript stays readable, problems are still reported. */
class LogCollector implements DestinationStream {
  readonly warnings = new Map<string, number>();
  readonly errors: string[] = [];
  write(line: string): void {
    if (process.env.DEMO_DEBUG) process.stderr.write(line);
    let entry: { level?: number; msg?: string; err?: { message?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      this.errors.push(line.trim());
      return;
    }
    const text = entry.err?.message ? `${entry.msg ?? ""}: ${entry.err.message}` : (entry.msg ?? line.trim());
    if ((entry.level ?? 0) >= 50) this.errors.push(text);
    else if ((entry.level ?? 0) >= 40) this.warnings.set(text, (this.warnings.get(text) ?? 0) + 1);
  }
}

/** Runs the demo and returns the transcript lines. Starts and stops everything it needs. */
export async function runDemo(options: DemoOptions = {}): Promise<string[]> {
  const script = options.script ?? DEMO_SCRIPT;
  const lines: string[] = [];
  const out = (line = "") => {
    lines.push(line);
    options.echo?.(line);
  };
  const started = Date.now();
  const logs = new LogCollector();
  const logger = createLogger({ level: process.env.DEMO_DEBUG ? "debug" : "warn", secrets: [DEMO_TOKEN], destination: logs });

  const clock = new DemoClock();
  const tmp = mkdtempSync(join(tmpdir(), "nastavnik-demo-"));
  let emulator: Emulator | undefined;
  let db: EmbeddedDatabase | undefined;
  let app: RunningApp | undefined;
  let failure: unknown;
  try {
    emulator = await startEmulator(await freePort());
    db = await startEmbeddedDatabase(join(tmp, "db"));
    const mongoUri = new URL(db.uri);
    mongoUri.pathname = "/nastavnik_demo";
    const httpPort = await freePort();
    // Every time of the story (the meeting, the digest's day) is reckoned from this moment.
    const startedAt = clock.now();
    const config = loadConfig({
      BOT_TOKEN: DEMO_TOKEN,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      MONGODB_URI: mongoUri.toString(),
      DATA_DIR: join(tmp, "data"),
      PORT: String(httpPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      // Jobs (reminders, follow-ups) run within a second of the clock jumping past them.
      JOBS_TICK: "*/1 * * * * *",
      // The demo runs on real time, whatever the hour or day it is started at.
      QUIET_HOURS: "off",
      WORKING_DAYS: "1-7",
      // The demo's curator sees each notice as it happens (the daily list would come the next morning).
      CURATOR_LIST: "instant",
      // The weekly digest comes the morning after the meeting (see demoDigestCron).
      DIGEST_CRON: demoDigestCron(startedAt),
    });
    app = await startApp(config, logger, { clock });
    const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`).then((r) => r.text());

    const bot = app.bot.botInfo;
    out(`Демо «Наставник»: бот @${bot.username} работает в этом процессе и опрашивает эмулятор Bot API`);
    out(`(telegram-test-api, ${emulator.url}) через прокси ${emulator.apiRoot}, который сам отвечает на то, чего в эмуляторе нет`);
    out(`(sendDocument, setMyCommands); база данных — встроенная ${db.kind} во временной папке. Часы бота — часы демо:`);
    out("они идут как настоящие, но шаги «⏩» переводят их вперёд, и очередь задач (тик раз в секунду) это замечает.");
    out(`Проверка /healthz: ${health}`);
    out("Участники:");
    for (const u of Object.values(DEMO_USERS) as DemoUser[]) out(`  ${u.name}, @${u.username} (${u.role})`);

    const ctx: DemoContext = { botUsername: bot.username, links: {}, payloads: {}, startedAt };
    const saveLink = (name: string, text: string): string | undefined => {
      const found = INVITE_LINK.exec(text);
      if (!found) return undefined;
      ctx.links[name] = found[0];
      ctx.payloads[name] = found[1] as string;
      return found[0];
    };

    // Setup, as the deploying admin does it with `npm run cli` (same services, same database).
    out();
    out("Подготовка: администратор развёртывания заводит два детских сада сети и приглашения для куратора и куратора сети (CLI):");
    const { shortName, timezone } = DEMO_ORGANIZATION;
    out(`  $ npm run cli -- org add --name "${shortName}" --tz ${timezone} --network "${DEMO_NETWORK.name}"`);
    const added = await addOrganization({ shortName, timezone, network: DEMO_NETWORK.name });
    if (!added.ok) throw added.error;
    const orgId = added.value.id;
    out(`  ${orgId}`);
    const partner = DEMO_NETWORK.partner;
    out(`  $ npm run cli -- org add --name "${partner.shortName}" --tz ${partner.timezone} --network "${DEMO_NETWORK.name}"`);
    const partnerAdded = await addOrganization({ shortName: partner.shortName, timezone: partner.timezone, network: DEMO_NETWORK.name });
    if (!partnerAdded.ok) throw partnerAdded.error;
    out(`  ${partnerAdded.value.id}`);
    out(`  $ npm run cli -- invite --org ${orgId} --role curator --uses 1 --ttl 7d`);
    const curatorInvite = await createInvite({ organizationId: orgId, role: "curator", uses: 1, ttlMs: 7 * 86_400_000, createdBy: "cli", now: clock.now() });
    const curatorLink = inviteLink(bot.username, curatorInvite.token);
    if (!saveLink("curator", curatorLink)) throw new Error(`the CLI-style link ${curatorLink} does not look like an invitation link`);
    out(`  ${curatorLink}`);
    out(`  invite for «${shortName}» as curator: 1 use, valid until ${curatorInvite.expiresAt.toISOString()}`);
    out(`  $ npm run cli -- invite --network "${DEMO_NETWORK.name}" --role curator`);
    const network = await findNetwork(DEMO_NETWORK.name);
    if (!network) throw new Error(`the network ${DEMO_NETWORK.name} was not created`);
    const networkInvite = await createInvite({ networkId: network.id, role: "curator", uses: 1, ttlMs: 7 * 86_400_000, createdBy: "cli", now: clock.now() });
    const networkLink = inviteLink(bot.username, networkInvite.token);
    if (!saveLink("network", networkLink)) throw new Error(`the CLI-style link ${networkLink} does not look like an invitation link`);
    out(`  ${networkLink}`);
    out(`  invite for network «${DEMO_NETWORK.name}» (2 organizations) as curator: 1 use, valid until ${networkInvite.expiresAt.toISOString()}`);
    out("Ссылки администратор передаёт куратору и методисту сети — дальше всё происходит в Telegram.");

    const emu = emulator;
    const seen = new Map<number, { text: string; markup: string }>();
    const chatName = new Map<number, string>();
    for (const u of Object.values(DEMO_USERS) as DemoUser[]) chatName.set(u.id, u.name);

    const botEntries = () => emu.server.getUpdatesHistory(DEMO_TOKEN).filter(isBotEntry);

    let popupsSeen = 0;
    /** New bot messages, edits and popups since the last call, in message order. */
    const collect = (): BotOutput[] => {
      const outputs: BotOutput[] = [];
      const entries = [...botEntries()].sort((a, b) => a.messageId - b.messageId);
      for (const e of entries) {
        const text = e.message.text ?? e.message.caption ?? "";
        const rows = keyboardOf(e.message.reply_markup).map((row) => row.map((b) => b.text));
        const markup = JSON.stringify(rows);
        const chatId = Number(e.message.chat_id);
        const before = seen.get(e.messageId);
        seen.set(e.messageId, { text, markup });
        if (!before) {
          const document = e.message.document?.file_name;
          outputs.push({ kind: "new", chatId, messageId: e.messageId, text, ...(document ? { document } : {}), ...(rows.length ? { buttons: rows } : {}) });
        } else if (before.text !== text || before.markup !== markup) {
          outputs.push({
            kind: "edit",
            chatId,
            messageId: e.messageId,
            text,
            textChanged: before.text !== text,
            ...(before.markup !== markup && rows.length ? { buttons: rows } : {}),
            ...(before.markup !== markup && !rows.length ? { buttonsRemoved: true } : {}),
          });
        }
      }
      // A popup goes after the last message that existed when it was shown.
      for (const p of emu.popups.slice(popupsSeen)) {
        outputs.push({ kind: "popup", chatId: p.chatId ?? 0, messageId: p.afterMessageId, text: p.text, ...(p.showAlert ? { alert: true } : {}) });
      }
      popupsSeen = emu.popups.length;
      const order = (o: BotOutput) => (o.kind === "popup" ? o.messageId + 0.5 : o.messageId);
      return outputs.sort((a, b) => order(a) - order(b));
    };

    const print = (o: BotOutput) => {
      const who = chatName.get(o.chatId) ?? `чат ${o.chatId}`;
      const indent = " ".repeat(6);
      const [first = "", ...rest] = plainText(o.text).split("\n");
      if (o.kind === "popup") {
        out(`бот → ${who} (${o.alert ? "окно с кнопкой OK" : "всплывающая подсказка"}): ${plainText(o.text)}`);
        return;
      }
      if (o.kind === "edit" && !o.textChanged) {
        // Only the keyboard changed: name the message by its first line instead of repeating it.
        const title = first.length > 70 ? `${first.slice(0, 69)}…` : first;
        out(`бот → ${who} (меняет кнопки под сообщением «${title}»)`);
        if (o.buttons) out(`${indent}кнопки: ${formatButtons(o.buttons)}`);
        if (o.buttonsRemoved) out(`${indent}(кнопки убраны)`);
        return;
      }
      const head = o.kind === "new" ? `бот → ${who}: ` : `бот → ${who} (исправляет своё сообщение): `;
      out(head + (o.document ? `📎 ${o.document}${first ? ` — ${first}` : ""}` : first));
      for (const l of rest) out(l.trim() === "" ? "" : indent + l);
      if (o.buttons) out(`${indent}кнопки: ${formatButtons(o.buttons)}`);
      if (o.buttonsRemoved) out(`${indent}(кнопки убраны)`);
    };

    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${emu.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`emulator ${path} answered ${res.status}: ${await res.text()}`);
    };

    const failOnBotErrors = (context: string) => {
      if (logs.errors.length > 0) throw new Error(`the bot logged errors during ${context}:\n  ${logs.errors.join("\n  ")}`);
    };

    collect(); // nothing is expected yet, but start from a clean slate
    for (const [index, step] of script.entries()) {
      out();
      if (step.comment) {
        out(`— ${step.comment} —`);
      }
      let what: string;
      let who: string;
      if ("jumpTo" in step) {
        // The clock moves; the job queue notices on its next tick.
        const target = step.jumpTo(ctx);
        const moved = clock.jumpTo(target);
        who = "часы демо";
        what = `jump to ${target.toISOString()}`;
        out(`⏩ Время в демо: ${formatJump(moved)} → ${formatInZone(clock.now(), DEMO_ORGANIZATION.timezone, "ru")}`);
      } else {
        const user: DemoUser = DEMO_USERS[step.user];
        who = user.name;
        const from = { id: user.id, is_bot: false, first_name: user.name, username: user.username, language_code: user.languageCode };
        const chat = { id: user.id, type: "private", first_name: user.name, username: user.username };
        const date = Math.floor(clock.now().getTime() / 1000);
        if ("says" in step) {
          const text = typeof step.says === "function" ? step.says(ctx) : step.says;
          what = text;
          out(`${user.name} → ${text}`);
          if (text.startsWith("/")) {
            const command = text.split(" ")[0] as string;
            await post("/sendCommand", {
              botToken: DEMO_TOKEN,
              from,
              chat,
              date,
              text,
              entities: [{ offset: 0, length: command.length, type: "bot_command" }],
            });
          } else {
            await post("/sendMessage", { botToken: DEMO_TOKEN, from, chat, date, text });
          }
        } else {
          const label = typeof step.presses === "function" ? step.presses(ctx) : step.presses;
          what = `[${label}]`;
          // The latest message in this chat that shows the button.
          const target = [...botEntries()]
            .filter((e) => Number(e.message.chat_id) === user.id)
            .sort((a, b) => b.messageId - a.messageId)
            .map((e) => ({ e, button: keyboardOf(e.message.reply_markup).flat().find((b) => b.text === label) }))
            .find((x) => x.button !== undefined);
          if (!target?.button?.callback_data) {
            throw new Error(`step ${index + 1}: ${user.name} has no message with a button [${label}]`);
          }
          out(`${user.name} нажимает [${label}]`);
          const pressed = target.e.message;
          await post("/sendCallback", {
            botToken: DEMO_TOKEN,
            from,
            data: target.button.callback_data,
            date,
            message: {
              message_id: target.e.messageId,
              date: Math.floor(target.e.time / 1000),
              chat,
              from: { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username },
              ...(pressed.document ? { caption: plainText(pressed.caption ?? ""), document: pressed.document } : { text: pressed.text }),
              reply_markup: keyboardOf(pressed.reply_markup).length ? { inline_keyboard: keyboardOf(pressed.reply_markup) } : undefined,
            },
          });
        }
      }

      const expected = step.replies ?? 1;
      const got: BotOutput[] = [];
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      while (got.length < expected) {
        failOnBotErrors(`step ${index + 1}`);
        if (Date.now() > deadline) {
          for (const o of got) print(o);
          const warned = [...logs.warnings.keys()];
          throw new Error(
            `step ${index + 1} (${who}: ${what}): expected ${expected} bot output${expected === 1 ? "" : "s"} ` +
              `(messages, edits or popups) within ${STEP_TIMEOUT_MS} ms, got ${got.length}` +
              (warned.length ? `; the bot warned: ${warned.join("; ")}` : ""),
          );
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
        got.push(...collect());
      }
      // Anything that follows right after (a second message, a late edit) belongs to this step too.
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      got.push(...collect());
      for (const o of got) print(o);
      failOnBotErrors(`step ${index + 1}`);
      if ("saveLink" in step && step.saveLink) {
        const name = step.saveLink;
        const saved = got.map((o) => saveLink(name, plainText(o.text))).find((l) => l !== undefined);
        if (!saved) throw new Error(`step ${index + 1} (${who}: ${what}): no invitation link in the bot's replies to save as "${name}"`);
      }
    }

    // Whatever the bot still sends after the last step is shown too (it should be nothing).
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const late = collect();
    if (late.length > 0) {
      out();
      out("— после последнего шага —");
      for (const o of late) print(o);
    }
    failOnBotErrors("the end of the script");

    out();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const jumped = formatJump(clock.now().getTime() - Date.now()).slice(1);
    out(
      `Готово: ${countRu(script.length, "шаг", "шага", "шагов")}, ${countRu(seen.size, "сообщение", "сообщения", "сообщений")} бота, ` +
        `${seconds} с вместе с запуском; часы демо ушли вперёд на ${jumped}.`,
    );
    if (logs.warnings.size > 0) {
      const list = [...logs.warnings].map(([msg, n]) => `«${msg}» ×${n}`).join(", ");
      out(`Предупреждения в журнале бота: ${list}.`);
    }
  } catch (err) {
    failure = err;
  }

  // Shut everything down even after a failure; report the first problem.
  const cleanup: Array<[string, () => Promise<unknown> | unknown]> = [
    ["stop the bot", () => app?.stop("demo finished")],
    ["stop the emulator", () => emulator?.stop()],
    ["stop the database", () => db?.stop()],
    ["remove the temporary folder", () => rmSync(tmp, { recursive: true, force: true })],
  ];
  for (const [what, action] of cleanup) {
    try {
      await action();
    } catch (err) {
      failure ??= new Error(`could not ${what}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (failure) throw failure;
  return lines;
}

if (import.meta.main) {
  // A hard limit: the demo finishes within a minute on a quiet machine; a stuck step ends it here.
  const watchdog = setTimeout(() => {
    console.error("demo failed: still running after 180 s");
    process.exit(1);
  }, 180_000);
  watchdog.unref();
  runDemo({ echo: (line) => console.log(line) }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error("demo failed:", err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
