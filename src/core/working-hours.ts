/**
 * Working hours (issue 15): when a message may reach a person, and how deadlines count.
 *
 * - Quiet time, in the recipient's zone: every moment of a non-working day (`WORKING_DAYS`,
 *   default Monday–Friday) and the nightly window `QUIET_HOURS` (default 21:00–08:00, crossing
 *   midnight) of every day. A message that falls there goes out at the next working moment: the
 *   end of the night window (08:00) of the next working day.
 * - Deadlines (`OFFER_TIMEOUT`) count calendar time on working days only: the hours of a
 *   non-working day do not count, and a deadline that lands in quiet time moves to the next
 *   working morning. The count starts when the person can first see the message. So 48 h from
 *   Friday 19:00 are Friday 19:00–24:00 (5 h), Monday (24 h) and Tuesday until 19:00 (19 h):
 *   the offer times out on Tuesday at 19:00, not on Sunday.
 * Everything is luxon with an explicit IANA zone (DST-safe; the host's `TZ` is never read).
 */
import { DateTime } from "luxon";

export interface QuietWindow {
  /** Start of the nightly quiet window, minutes after local midnight. */
  from: number;
  /** Its end (the working morning), minutes after local midnight; before `from` when it crosses midnight. */
  to: number;
}

export interface WorkingHours {
  /** The nightly quiet window, or null for none. */
  quiet: QuietWindow | null;
  /** ISO weekdays (1 = Monday … 7 = Sunday) on which messages go out. */
  days: number[];
}

/** No quiet time at all: every moment is a working one (deadlines are plain durations). */
export const ALWAYS_WORKING: WorkingHours = { quiet: null, days: [1, 2, 3, 4, 5, 6, 7] };

/** The defaults: quiet from 21:00 to 08:00 and at weekends. */
export const DEFAULT_WORKING_HOURS: WorkingHours = { quiet: { from: 21 * 60, to: 8 * 60 }, days: [1, 2, 3, 4, 5] };

function minutes(hhmm: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? h * 60 + min : undefined;
}

/** `21:00-08:00` → the window; `off` (or empty) → null; anything else → undefined (invalid). */
export function parseQuietHours(value: string): QuietWindow | null | undefined {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "off") return null;
  const parts = v.split("-");
  if (parts.length !== 2) return undefined;
  const from = minutes(parts[0] as string);
  const to = minutes(parts[1] as string);
  if (from === undefined || to === undefined || from === to) return undefined;
  return { from, to };
}

/** `1-5`, `1,2,3,4,5` or `1-3,6` (1 = Monday … 7 = Sunday) → sorted weekdays; invalid → undefined. */
export function parseWorkingDays(value: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of value.split(",").map((p) => p.trim())) {
    const m = /^([1-7])(?:-([1-7]))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (b < a) return undefined;
    for (let d = a; d <= b; d++) days.add(d);
  }
  return days.size > 0 ? [...days].sort((x, y) => x - y) : undefined;
}

function inWindow(local: DateTime, q: QuietWindow): boolean {
  const m = local.hour * 60 + local.minute;
  return q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
}

/** Whether `at` is quiet time for a person in `zone`. */
export function isQuietTime(at: Date, zone: string, wh: WorkingHours): boolean {
  const local = DateTime.fromJSDate(at, { zone });
  if (!wh.days.includes(local.weekday)) return true;
  return wh.quiet !== null && inWindow(local, wh.quiet);
}

/**
 * The instant in [from, to) at which `zone`'s UTC offset changes (a DST transition), or null. Local
 * time jumps there, so a quiet stretch can end at it: a spring-forward gap can skip the window's end,
 * a fall-back can return to working minutes.
 */
function offsetChange(from: DateTime, to: DateTime, zone: string): DateTime | null {
  const offsetAt = (ms: number): number => DateTime.fromMillis(ms, { zone }).offset;
  let lo = from.toMillis();
  let hi = to.toMillis() - 1;
  const first = offsetAt(lo);
  if (offsetAt(hi) === first) return null; // at most one transition a day in any zone
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === first) lo = mid;
    else hi = mid;
  }
  return DateTime.fromMillis(hi, { zone });
}

/** The first moment at or after `at` that is not quiet time in `zone` (`at` itself when it is not). */
export function nextWorkingMoment(at: Date, zone: string, wh: WorkingHours): Date {
  if (!isQuietTime(at, zone, wh)) return at;
  // A quiet stretch ends at a local midnight (a working day begins), at the window's end, or at a
  // DST transition. Two weeks ahead, not one: a spring-forward gap can swallow the only working
  // minutes of a week (a window 02:00–02:01 on Sundays, on Lord Howe Island's 02:00→02:30 Sunday).
  const start = DateTime.fromJSDate(at, { zone }).startOf("day");
  for (let d = 0; d <= 15; d++) {
    const day = start.plus({ days: d });
    const candidates: DateTime[] = [day];
    if (wh.quiet) candidates.push(day.set({ hour: Math.floor(wh.quiet.to / 60), minute: wh.quiet.to % 60 }));
    const jump = offsetChange(day, day.plus({ days: 1 }), zone);
    if (jump) candidates.push(jump);
    for (const c of candidates.sort((x, y) => x.toMillis() - y.toMillis())) {
      const instant = c.toJSDate();
      if (instant.getTime() > at.getTime() && !isQuietTime(instant, zone, wh)) return instant;
    }
  }
  return at; // no working moment at all (cannot happen with at least one working day)
}

/**
 * The deadline `durationMs` after `start` counted on working days (see the module note): from the
 * first working moment, calendar time of non-working days skipped, the end moved out of quiet time.
 */
export function workingDeadline(start: Date, durationMs: number, zone: string, wh: WorkingHours): Date {
  let cursor = nextWorkingMoment(start, zone, wh);
  let left = Math.max(0, durationMs);
  for (let guard = 0; guard < 100_000; guard++) {
    const local = DateTime.fromJSDate(cursor, { zone });
    const dayEnd = local.startOf("day").plus({ days: 1 }).toJSDate();
    if (wh.days.includes(local.weekday)) {
      const span = dayEnd.getTime() - cursor.getTime();
      if (left <= span) return nextWorkingMoment(new Date(cursor.getTime() + left), zone, wh);
      left -= span;
    }
    cursor = dayEnd;
  }
  return cursor; // ~270 years of working days: not reached
}

/**
 * The start of the next working day strictly after `after` in `zone`: the end of the night window
 * (08:00 by default; 08:00 when there is no window) on the next working day. A curator's daily
 * list goes out then.
 */
export function nextWorkdayStart(after: Date, zone: string, wh: WorkingHours): Date {
  const open = wh.quiet?.to ?? 8 * 60;
  const start = DateTime.fromJSDate(after, { zone }).startOf("day");
  for (let d = 0; d <= 8; d++) {
    const day = start.plus({ days: d });
    if (!wh.days.includes(day.weekday)) continue;
    const at = day.set({ hour: Math.floor(open / 60), minute: open % 60 }).toJSDate();
    if (at.getTime() > after.getTime()) return at;
  }
  return start.plus({ days: 1 }).toJSDate(); // not reached with at least one working day
}
