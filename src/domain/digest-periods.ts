import { DateTime } from "luxon";
import { DAY_MS, type Period } from "./digest.ts";

/** The periods a digest or report covers, in a zone. */

export type PeriodKind = "week" | "last_week" | "last_4_weeks" | "this_month" | "last_month";
export const PERIOD_KINDS: readonly PeriodKind[] = ["week", "last_week", "last_4_weeks", "this_month", "last_month"];

/**
 * Periods in the zone: "week" = the 7 days ending at today's local midnight (the weekly digest:
 * on a Monday that is last Monday–Sunday); "last_week" = the previous calendar week Mon–Sun;
 * "last_4_weeks" = 28 days ending at today's midnight; "this_month" = from the 1st to now;
 * "last_month" = the previous calendar month.
 */
export function periodOf(kind: PeriodKind, now: Date, zone: string): Period {
  const local = DateTime.fromJSDate(now, { zone });
  const today = local.startOf("day");
  switch (kind) {
    case "week":
      return { from: today.minus({ days: 7 }).toJSDate(), to: today.toJSDate() };
    case "last_week": {
      const start = local.startOf("week");
      return { from: start.minus({ weeks: 1 }).toJSDate(), to: start.toJSDate() };
    }
    case "last_4_weeks":
      return { from: today.minus({ days: 28 }).toJSDate(), to: today.toJSDate() };
    case "this_month":
      return { from: local.startOf("month").toJSDate(), to: now };
    case "last_month": {
      const start = local.startOf("month");
      return { from: start.minus({ months: 1 }).toJSDate(), to: start.toJSDate() };
    }
  }
}

/**
 * The on-demand digest's period: the 7 days up to this moment. Its open counts are then taken at
 * the same moment as its lists (issue 11: a period ending at midnight showed "waiting: 0" above a
 * request listed as waiting, and "active pairs: 0" on the day a pair formed).
 */
export function rollingWeek(now: Date): Period {
  // Up to and including this instant: what was done by the tap that asked for it counts.
  return { from: new Date(now.getTime() + 1 - 7 * DAY_MS), to: new Date(now.getTime() + 1) };
}

/** Custom dates `dd.mm.yyyy dd.mm.yyyy` (inclusive, local days) or ISO `yyyy-mm-dd`; undefined when invalid or longer than a year. */
export function customPeriod(text: string, zone: string): Period | undefined {
  const parts = text.trim().split(/\s+|\s*[–—-]\s*(?=\d{1,2}\.|\d{4}-)/).filter(Boolean);
  if (parts.length !== 2) return undefined;
  const parse = (s: string) => {
    const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? DateTime.fromISO(s, { zone }) : DateTime.fromFormat(s, "d.M.yyyy", { zone });
    return d.isValid ? d.startOf("day") : undefined;
  };
  const a = parse(parts[0] as string);
  const b = parse(parts[1] as string);
  if (!a || !b || b < a || b.diff(a, "days").days > 366) return undefined;
  return { from: a.toJSDate(), to: b.plus({ days: 1 }).toJSDate() };
}
