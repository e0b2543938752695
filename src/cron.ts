import { DateTime } from "luxon";

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in an IANA
 * zone with luxon (never the host's zone). Fields accept `*`, numbers, lists `1,3`, ranges `1-5`
 * and steps `*\/2`, `1-10/3`; day-of-week 0 or 7 is Sunday. Used for `DIGEST_CRON`, which fires
 * in each curator's own zone, so node-cron (one zone per task) is not the evaluator here.
 */
export interface CronSpec {
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  /** ISO weekdays 1 (Mon) – 7 (Sun). */
  weekdays: Set<number>;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

function parseField(text: string, min: number, max: number): number[] | undefined {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const step = m[4] ? Number(m[4]) : 1;
    let lo = min;
    let hi = max;
    if (m[1] !== "*") {
      lo = Number(m[2]);
      hi = m[3] !== undefined ? Number(m[3]) : m[4] ? max : lo;
    }
    if (step < 1 || lo < min || hi > max || lo > hi) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/** Parses the expression; undefined when it is not a valid five-field cron expression. */
export function parseCron(expression: string): CronSpec | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [mi, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const minutes = parseField(mi, 0, 59);
  const hours = parseField(h, 0, 23);
  const days = parseField(dom, 1, 31);
  const months = parseField(mon, 1, 12);
  const weekdays = parseField(dow, 0, 7);
  if (!minutes || !hours || !days || !months || !weekdays) return undefined;
  return {
    minutes,
    hours,
    days: new Set(days),
    months: new Set(months),
    weekdays: new Set(weekdays.map((d) => (d === 0 ? 7 : d))),
    daysRestricted: dom !== "*",
    weekdaysRestricted: dow !== "*",
  };
}

function dayMatches(spec: CronSpec, day: DateTime): boolean {
  if (!spec.months.has(day.month)) return false;
  const domOk = spec.days.has(day.day);
  const dowOk = spec.weekdays.has(day.weekday);
  // Classic cron: when both day fields are restricted, either may match.
  if (spec.daysRestricted && spec.weekdaysRestricted) return domOk || dowOk;
  if (spec.daysRestricted) return domOk;
  return dowOk;
}

/**
 * The fire times of `spec` in `zone` within (after, until], ascending. `weekday` (1–7), when set,
 * replaces the expression's day fields (a curator's chosen digest day).
 */
export function fireTimes(spec: CronSpec, zone: string, after: Date, until: Date, weekday?: number): Date[] {
  const effective: CronSpec = weekday ? { ...spec, days: new Set(), daysRestricted: false, weekdays: new Set([weekday]), weekdaysRestricted: true } : spec;
  const out: Date[] = [];
  let day = DateTime.fromJSDate(after, { zone }).startOf("day");
  const last = DateTime.fromJSDate(until, { zone }).endOf("day");
  for (; day <= last; day = day.plus({ days: 1 })) {
    if (!dayMatches(effective, day)) continue;
    for (const hour of effective.hours) {
      for (const minute of effective.minutes) {
        const at = day.set({ hour, minute, second: 0, millisecond: 0 });
        // A local time skipped by a DST jump is moved forward by luxon; keep only real matches.
        if (at.hour !== hour || at.minute !== minute) continue;
        const ms = at.toMillis();
        if (ms > after.getTime() && ms <= until.getTime()) out.push(at.toJSDate());
      }
    }
  }
  return out;
}
