import { CronExpressionParser } from "cron-parser";

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) evaluated in an IANA
 * zone by cron-parser (never the host's zone). Used for `DIGEST_CRON`, which fires in each
 * curator's own zone, so node-cron (one zone per task) is not the evaluator here.
 */
export interface CronSpec {
  expression: string;
  fields: [minute: string, hour: string, dayOfMonth: string, month: string, dayOfWeek: string];
}

/** Parses the expression; undefined when it is not a valid five-field cron expression. */
export function parseCron(expression: string): CronSpec | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const normalized = fields.join(" ");
  try {
    CronExpressionParser.parse(normalized);
  } catch {
    return undefined;
  }
  return { expression: normalized, fields: fields as CronSpec["fields"] };
}

/**
 * The fire times of `spec` in `zone` within (after, until], ascending. `weekday` (ISO 1–7), when
 * set, replaces the expression's day fields (a curator's chosen digest day).
 */
export function fireTimes(spec: CronSpec, zone: string, after: Date, until: Date, weekday?: number): Date[] {
  const [minute, hour, , month] = spec.fields;
  const expression = weekday ? `${minute} ${hour} * ${month} ${weekday % 7}` : spec.expression;
  const times = CronExpressionParser.parse(expression, { currentDate: after, endDate: until, tz: zone });
  const out: Date[] = [];
  while (times.hasNext()) {
    const at = times.next().toDate();
    if (at.getTime() <= after.getTime() || at.getTime() > until.getTime()) break;
    out.push(at);
  }
  return out;
}
