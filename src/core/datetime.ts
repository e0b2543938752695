/**
 * Wall-clock time in an IANA zone: parsing what people type, showing instants back to them,
 * weekly recurrences and free slots. Everything goes through luxon with an explicit zone; the
 * host's `TZ` is never consulted (tests run the host in America/New_York to prove it).
 *
 * Zone rules worth knowing:
 * - A wall time that does not exist in the zone (the spring-forward gap of a DST zone, e.g.
 *   02:30 on 2026-03-08 in America/New_York) is shifted forward by the length of the gap, as
 *   luxon does (→ 03:30 EDT). No Russian zone has DST today, but every function here is correct
 *   for any IANA zone.
 * - A wall time that exists twice (the fall-back overlap) resolves to the instant luxon picks.
 * - Instants are `Date`s (UTC inside); the zone is only how a person reads them.
 */
import { DateTime } from "luxon";

export type Locale = "ru" | "en";

export type ParseError = "format" | "past" | "too_far" | "invalid_date";
export type ParseResult = { ok: true; at: Date } | { ok: false; error: ParseError };

/** The latest accepted instant is `now` plus this many days. */
export const MAX_DAYS_AHEAD = 365;

const DAY_MS = 86_400_000;

/** Throws a RangeError for a zone luxon (the platform's tz database) does not know. */
function checkZone(zone: string): void {
  if (!DateTime.now().setZone(zone).isValid) throw new RangeError(`unknown time zone: ${zone}`);
}

/** True when `zone` is an IANA zone name the platform knows. */
export function isValidZone(zone: string): boolean {
  return typeof zone === "string" && zone.length > 0 && DateTime.now().setZone(zone).isValid;
}

/** The wall time in `zone`; a non-existent wall time (DST gap) moves forward, like luxon. */
function wallTime(zone: string, year: number, month: number, day: number, hour: number, minute: number): DateTime {
  return DateTime.fromObject({ year, month, day, hour, minute }, { zone });
}

/** True when year-month-day is a real calendar date (independent of any zone). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  return DateTime.fromObject({ year, month, day }, { zone: "UTC" }).isValid;
}

// ---------------------------------------------------------------------------------------------
// parseLocalDateTime
// ---------------------------------------------------------------------------------------------

const WEEKDAYS: Record<string, number> = {};
function weekdayWords(iso: number, words: string[]): void {
  for (const w of words) WEEKDAYS[w] = iso;
}
weekdayWords(1, ["пн", "пон", "понедельник", "mon", "monday"]);
weekdayWords(2, ["вт", "вто", "вторник", "tue", "tues", "tuesday"]);
weekdayWords(3, ["ср", "сре", "среда", "среду", "wed", "weds", "wednesday"]);
weekdayWords(4, ["чт", "чет", "четв", "четверг", "thu", "thur", "thurs", "thursday"]);
weekdayWords(5, ["пт", "пят", "пятница", "пятницу", "fri", "friday"]);
weekdayWords(6, ["сб", "суб", "суббота", "субботу", "sat", "saturday"]);
weekdayWords(7, ["вс", "вск", "воскресенье", "воскр", "sun", "sunday"]);

const RELATIVE_DAYS: Record<string, number> = {
  сегодня: 0,
  today: 0,
  завтра: 1,
  tomorrow: 1,
  послезавтра: 2,
};

type DatePart =
  | { kind: "absolute"; year: number; month: number; day: number }
  | { kind: "yearless"; month: number; day: number }
  | { kind: "relative"; days: number }
  | { kind: "weekday"; weekday: number };

const TIME_RE = /^(\d{1,2})[:.](\d{2})$/;
const DMY_RE = /^(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?$/;
const ISO_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

function parseDatePart(words: string[]): DatePart | undefined {
  // Optional preposition before a weekday: «в среду», «во вторник», "on wednesday".
  const rest = words.length === 2 && (words[0] === "в" || words[0] === "во" || words[0] === "on") ? words.slice(1) : words;
  if (rest.length !== 1) return undefined;
  const word = rest[0] as string;
  if (word in RELATIVE_DAYS) return { kind: "relative", days: RELATIVE_DAYS[word] as number };
  const bare = word.replace(/\.$/, ""); // «пн.», "wed."
  if (bare in WEEKDAYS) return { kind: "weekday", weekday: WEEKDAYS[bare] as number };
  if (rest !== words) return undefined; // «в 24.11» is not a form we accept
  let m = DMY_RE.exec(word);
  if (m) {
    const day = Number(m[1]);
    const month = Number(m[2]);
    if (m[3] === undefined) return { kind: "yearless", month, day };
    const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return { kind: "absolute", year, month, day };
  }
  m = ISO_RE.exec(word);
  if (m) return { kind: "absolute", year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return undefined;
}

/**
 * Reads a date and a time typed by a person, as wall-clock time in `zone`.
 *
 * Accepted (any case, extra spaces, `ё` = `е`, time as `15:30` or `15.30`, optional `в`/`at`
 * before the time, optional comma after the date):
 * - `24.11 15:30` — the next 24.11 whose date has not passed (today's date with a time already
 *   gone is "past", not next year; a 29.02 looks ahead to the next leap year);
 * - `24.11.2026 15:30`, `24.11.26 15:30`, `2026-11-24 15:30`;
 * - `сегодня`/`today`, `завтра`/`tomorrow`, `послезавтра` + time;
 * - a weekday (`пн`, `понедельник`, `в среду`, `во вторник`, `mon`, `wednesday`, `on wed`) +
 *   time: the next such weekday, today included while the time is still ahead.
 *
 * Errors: "format" (not one of the forms), "invalid_date" (the shape is right but the date or
 * time does not exist: 31.02, 25:00), "past" (not after `now`), "too_far" (more than
 * {@link MAX_DAYS_AHEAD} days after `now`).
 *
 * Words of both languages are accepted whatever the user's locale (a Russian-speaking user
 * with an English Telegram may still type «завтра»); `_locale` is kept for API symmetry.
 * A wall time inside a DST gap is shifted forward (see the module comment).
 */
export function parseLocalDateTime(text: string, zone: string, now: Date, _locale: Locale): ParseResult {
  checkZone(zone);
  const words = text
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/,/g, " ")
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length < 2) return { ok: false, error: "format" };

  const timeWord = words[words.length - 1] as string;
  const time = TIME_RE.exec(timeWord);
  if (!time) return { ok: false, error: "format" };
  let dateWords = words.slice(0, -1);
  const prep = dateWords[dateWords.length - 1];
  if (prep === "в" || prep === "at") dateWords = dateWords.slice(0, -1);
  const date = parseDatePart(dateWords);
  if (!date) return { ok: false, error: "format" };

  const hour = Number(time[1]);
  const minute = Number(time[2]);
  if (hour > 23 || minute > 59) return { ok: false, error: "invalid_date" };

  const nowLocal = DateTime.fromJSDate(now, { zone });
  const today = nowLocal.startOf("day");
  let at: DateTime;

  switch (date.kind) {
    case "absolute": {
      if (!isCalendarDate(date.year, date.month, date.day)) return { ok: false, error: "invalid_date" };
      at = wallTime(zone, date.year, date.month, date.day, hour, minute);
      break;
    }
    case "yearless": {
      // Some leap year has every real day-month; if even 2000 lacks it, it never exists.
      if (!isCalendarDate(2000, date.month, date.day)) return { ok: false, error: "invalid_date" };
      let year = nowLocal.year;
      // The first year (from this one) in which the date exists and has not passed.
      while (
        !isCalendarDate(year, date.month, date.day) ||
        DateTime.fromObject({ year, month: date.month, day: date.day }, { zone }) < today
      ) {
        year += 1;
      }
      at = wallTime(zone, year, date.month, date.day, hour, minute);
      break;
    }
    case "relative": {
      const d = today.plus({ days: date.days });
      at = wallTime(zone, d.year, d.month, d.day, hour, minute);
      break;
    }
    case "weekday": {
      const ahead = (date.weekday - today.weekday + 7) % 7;
      let d = today.plus({ days: ahead });
      at = wallTime(zone, d.year, d.month, d.day, hour, minute);
      if (at.toMillis() <= now.getTime()) {
        d = d.plus({ days: 7 });
        at = wallTime(zone, d.year, d.month, d.day, hour, minute);
      }
      break;
    }
  }

  if (!at.isValid) return { ok: false, error: "invalid_date" };
  const ms = at.toMillis();
  if (ms <= now.getTime()) return { ok: false, error: "past" };
  if (ms - now.getTime() > MAX_DAYS_AHEAD * DAY_MS) return { ok: false, error: "too_far" };
  return { ok: true, at: new Date(ms) };
}

// ---------------------------------------------------------------------------------------------
// formatInZone
// ---------------------------------------------------------------------------------------------

/** Names people use for Russian zones (and a few neighbours of the list in the brief). */
export const ZONE_NAMES: Readonly<Record<string, { ru: string; en: string }>> = {
  "Europe/Kaliningrad": { ru: "Калининград", en: "Kaliningrad" },
  "Europe/Moscow": { ru: "Москва", en: "Moscow" },
  "Europe/Kirov": { ru: "Киров", en: "Kirov" },
  "Europe/Volgograd": { ru: "Волгоград", en: "Volgograd" },
  "Europe/Astrakhan": { ru: "Астрахань", en: "Astrakhan" },
  "Europe/Saratov": { ru: "Саратов", en: "Saratov" },
  "Europe/Ulyanovsk": { ru: "Ульяновск", en: "Ulyanovsk" },
  "Europe/Samara": { ru: "Самара", en: "Samara" },
  "Asia/Yekaterinburg": { ru: "Екатеринбург", en: "Yekaterinburg" },
  "Asia/Omsk": { ru: "Омск", en: "Omsk" },
  "Asia/Novosibirsk": { ru: "Новосибирск", en: "Novosibirsk" },
  "Asia/Barnaul": { ru: "Барнаул", en: "Barnaul" },
  "Asia/Tomsk": { ru: "Томск", en: "Tomsk" },
  "Asia/Novokuznetsk": { ru: "Новокузнецк", en: "Novokuznetsk" },
  "Asia/Krasnoyarsk": { ru: "Красноярск", en: "Krasnoyarsk" },
  "Asia/Irkutsk": { ru: "Иркутск", en: "Irkutsk" },
  "Asia/Chita": { ru: "Чита", en: "Chita" },
  "Asia/Yakutsk": { ru: "Якутск", en: "Yakutsk" },
  "Asia/Vladivostok": { ru: "Владивосток", en: "Vladivostok" },
  "Asia/Sakhalin": { ru: "Сахалин", en: "Sakhalin" },
  "Asia/Magadan": { ru: "Магадан", en: "Magadan" },
  "Asia/Kamchatka": { ru: "Камчатка", en: "Kamchatka" },
  "Asia/Anadyr": { ru: "Анадырь", en: "Anadyr" },
};

const WEEKDAY_SHORT: Record<Locale, readonly string[]> = {
  ru: ["пн", "вт", "ср", "чт", "пт", "сб", "вс"],
  en: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
};
const MONTH_SHORT_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `UTC+3`, `UTC-5`, `UTC+5:30`, `UTC+0` for an offset in minutes. */
export function formatUtcOffset(offsetMin: number): string {
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `UTC${sign}${h}${m === 0 ? "" : `:${pad2(m)}`}`;
}

/** The zone in words (or its IANA name) with the offset it has at `at`: `Москва, UTC+3`. */
export function zoneLabel(zone: string, locale: Locale, at: Date = new Date()): string {
  checkZone(zone);
  const offset = DateTime.fromJSDate(at, { zone }).offset;
  const name = ZONE_NAMES[zone]?.[locale] ?? zone;
  return `${name}, ${formatUtcOffset(offset)}`;
}

/**
 * An instant as a person in `zone` reads it:
 * `вт, 24.11.2026, 15:30 (Москва, UTC+3)` / `Tue, 24 Nov 2026, 15:30 (Moscow, UTC+3)`.
 * Unknown zones show their IANA name: `(America/New_York, UTC-5)`. Names are fixed tables, not
 * ICU data, so the text is the same on every machine.
 */
export function formatInZone(at: Date, zone: string, locale: Locale): string {
  checkZone(zone);
  const t = DateTime.fromJSDate(at, { zone });
  const weekday = WEEKDAY_SHORT[locale][t.weekday - 1] as string;
  const time = `${pad2(t.hour)}:${pad2(t.minute)}`;
  const date =
    locale === "ru" ? `${pad2(t.day)}.${pad2(t.month)}.${t.year}` : `${t.day} ${MONTH_SHORT_EN[t.month - 1] as string} ${t.year}`;
  return `${weekday}, ${date}, ${time} (${zoneLabel(zone, locale, at)})`;
}

// ---------------------------------------------------------------------------------------------
// weeklyOccurrences
// ---------------------------------------------------------------------------------------------

const LOCAL_TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The next `count` instants (at or after `from`) of a weekly wall time — e.g. the "methodical
 * Wednesday" at 13:30 — in `zone`. `weekday` is ISO (1 = Monday … 7 = Sunday). Each occurrence
 * is computed from the calendar date, so it stays at the same wall time across DST changes; a
 * week whose time falls into a DST gap gets the shifted-forward instant.
 */
export function weeklyOccurrences(weekday: number, localTime: string, zone: string, from: Date, count: number): Date[] {
  checkZone(zone);
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) throw new RangeError(`weekday must be 1..7: ${weekday}`);
  const time = LOCAL_TIME_RE.exec(localTime);
  if (!time) throw new RangeError(`localTime must be HH:mm: ${localTime}`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer: ${count}`);
  const hour = Number(time[1]);
  const minute = Number(time[2]);

  const today = DateTime.fromJSDate(from, { zone }).startOf("day");
  let first = today.plus({ days: (weekday - today.weekday + 7) % 7 });
  if (wallTime(zone, first.year, first.month, first.day, hour, minute).toMillis() < from.getTime()) {
    first = first.plus({ days: 7 });
  }
  const out: Date[] = [];
  for (let i = 0; i < count; i++) {
    const d = first.plus({ days: 7 * i });
    out.push(wallTime(zone, d.year, d.month, d.day, hour, minute).toJSDate());
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// quickSlots
// ---------------------------------------------------------------------------------------------

/** A weekly availability window: ISO weekday, minutes from local midnight, end exclusive. */
export interface AvailabilityWindow {
  weekday: number;
  startMin: number;
  endMin: number;
}

export interface QuickSlotOptions {
  /** The meeting length; a slot must leave this much before the window end. */
  durationMin: number;
  /** How many slots to return at most. */
  count: number;
  /** The earliest slot is at least this long after `now` (default 120). */
  minLeadMin?: number;
}

/** Slots inside a window start at its start and then every this many minutes. */
export const SLOT_STEP_MIN = 60;

/**
 * The next `count` slot starts inside a mentor's weekly windows (wall-clock in `zone`): at each
 * window's start and every {@link SLOT_STEP_MIN} minutes after it, as long as `durationMin`
 * still fits before the window end, and no earlier than `minLeadMin` after `now`. Sorted,
 * without duplicates (overlapping windows). Window bounds are compared in wall-clock minutes;
 * on a DST day a slot whose wall time is in the gap moves forward like everything else here.
 */
export function quickSlots(windows: readonly AvailabilityWindow[], zone: string, now: Date, opts: QuickSlotOptions): Date[] {
  checkZone(zone);
  const { durationMin, count } = opts;
  const minLeadMin = opts.minLeadMin ?? 120;
  if (!(durationMin > 0)) throw new RangeError(`durationMin must be positive: ${durationMin}`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer: ${count}`);
  for (const w of windows) {
    const ok =
      Number.isInteger(w.weekday) && w.weekday >= 1 && w.weekday <= 7 &&
      Number.isInteger(w.startMin) && Number.isInteger(w.endMin) &&
      w.startMin >= 0 && w.startMin < w.endMin && w.endMin <= 1440;
    if (!ok) throw new RangeError(`invalid availability window: ${JSON.stringify(w)}`);
  }
  if (count === 0 || windows.length === 0) return [];

  const earliest = now.getTime() + minLeadMin * 60_000;
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  // Every week with any slot past the lead adds at least one, so this many days always suffice.
  const days = Math.ceil(Math.max(minLeadMin, 0) / 1440) + 7 * (count + 1);
  const found = new Set<number>();
  for (let i = 0; i <= days && found.size < count; i++) {
    const d = today.plus({ days: i });
    const dayStarts = new Set<number>();
    for (const w of windows) {
      if (w.weekday !== d.weekday) continue;
      for (let s = w.startMin; s + durationMin <= w.endMin; s += SLOT_STEP_MIN) {
        const ms = wallTime(zone, d.year, d.month, d.day, Math.floor(s / 60), s % 60).toMillis();
        if (ms >= earliest) dayStarts.add(ms);
      }
    }
    // Days come in order, so once a day adds its slots the earlier ones are settled.
    for (const ms of [...dayStarts].sort((a, b) => a - b)) {
      if (found.size >= count) break;
      found.add(ms);
    }
  }
  return [...found].sort((a, b) => a - b).map((ms) => new Date(ms));
}

// ---------------------------------------------------------------------------------------------
// Calendar dates (program plans)
// ---------------------------------------------------------------------------------------------

export type DateParseResult = { ok: true; date: Date } | { ok: false; error: "format" | "invalid_date" | "out_of_range" };

/**
 * A calendar date typed as `31.01.2027`, `31.01` (the next such date from today) or ISO
 * `2027-01-31`, read in `zone`; the result is that day's local midnight. Dates before `min` or
 * after `max` (local days, inclusive) are "out_of_range".
 */
export function parseLocalDate(text: string, zone: string, now: Date, min?: Date, max?: Date): DateParseResult {
  checkZone(zone);
  const s = text.trim();
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  let m = /^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$/.exec(s);
  let day: number, month: number, year: number | undefined;
  if (m) {
    day = Number(m[1]);
    month = Number(m[2]);
    year = m[3] === undefined ? undefined : m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  } else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) {
    year = Number(m[1]);
    month = Number(m[2]);
    day = Number(m[3]);
  } else return { ok: false, error: "format" };
  let d = DateTime.fromObject({ year: year ?? today.year, month, day }, { zone });
  if (!d.isValid) return { ok: false, error: "invalid_date" };
  if (year === undefined && d < today) d = d.plus({ years: 1 });
  if (min && d < DateTime.fromJSDate(min, { zone }).startOf("day")) return { ok: false, error: "out_of_range" };
  if (max && d > DateTime.fromJSDate(max, { zone }).startOf("day")) return { ok: false, error: "out_of_range" };
  return { ok: true, date: d.toJSDate() };
}

/** Local midnight of the day `at` falls on in `zone`, plus whole calendar months. */
export function addLocalMonths(at: Date, months: number, zone: string): Date {
  checkZone(zone);
  return DateTime.fromJSDate(at, { zone }).startOf("day").plus({ months }).toJSDate();
}

/** The instant of a wall-clock time on the local day of `day` in `zone` (e.g. 09:00 on a due date). */
export function atLocalTime(day: Date, hour: number, zone: string): Date {
  checkZone(zone);
  return DateTime.fromJSDate(day, { zone }).startOf("day").set({ hour }).toJSDate();
}

/** A date only, `31.01.2027` / `31 Jan 2027`, in `zone`. */
export function formatDateInZone(at: Date, zone: string, locale: Locale): string {
  checkZone(zone);
  const t = DateTime.fromJSDate(at, { zone });
  return locale === "ru" ? `${pad2(t.day)}.${pad2(t.month)}.${t.year}` : `${t.day} ${MONTH_SHORT_EN[t.month - 1] as string} ${t.year}`;
}

/** Weekdays in the genitive («до вторника») and months in the genitive («15 декабря»), for deadlines. */
const WEEKDAY_GEN_RU = ["понедельника", "вторника", "среды", "четверга", "пятницы", "субботы", "воскресенья"];
const MONTH_GEN_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];
const WEEKDAY_LONG_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTH_LONG_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * A deadline as the recipient reads it after «до» / "by", in their `zone`: «вторника, 15 декабря,
 * 10:00» / "Tuesday, 15 December, 10:00" (the year only when it is not the year of `now`).
 */
export function formatDeadline(at: Date, zone: string, locale: Locale, now: Date = at): string {
  checkZone(zone);
  const t = DateTime.fromJSDate(at, { zone });
  const year = t.year !== DateTime.fromJSDate(now, { zone }).year ? ` ${t.year}` : "";
  const time = `${pad2(t.hour)}:${pad2(t.minute)}`;
  return locale === "ru"
    ? `${WEEKDAY_GEN_RU[t.weekday - 1] as string}, ${t.day} ${MONTH_GEN_RU[t.month - 1] as string}${year}, ${time}`
    : `${WEEKDAY_LONG_EN[t.weekday - 1] as string}, ${t.day} ${MONTH_LONG_EN[t.month - 1] as string}${year}, ${time}`;
}

/** Compares rows by a date, earliest first and none before any (as MongoDB sorts ascending); ties keep their order. */
export function earliestFirst<T>(date: (row: T) => Date | null | undefined): (a: T, b: T) => number {
  const at = (row: T) => date(row)?.getTime() ?? Number.NEGATIVE_INFINITY;
  return (a, b) => at(a) - at(b) || 0;
}
