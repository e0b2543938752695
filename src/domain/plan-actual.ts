import type { Types } from "mongoose";
import { DateTime } from "luxon";
import { findInScope, readModels, scopeIds } from "../db/read-connection.ts";
import { wallClock, type Cell, type Sheet } from "./export.ts";

/**
 * Planned versus actual (issue 16, seed 003): for each program, plan items done on time, late,
 * not done (past due and open) and still ahead; for the scope, programs planned to end in the
 * year versus completed. Items are done "on time" when marked done by the end of their due day.
 */

export interface ProgramPlanActual {
  programId: string;
  organizationId: string;
  goal: string;
  status: string;
  startDate?: Date;
  endDate?: Date;
  items: number;
  onTime: number;
  late: number;
  notDone: number;
  ahead: number;
}

export interface PlanActual {
  programs: ProgramPlanActual[];
  totals: { items: number; onTime: number; late: number; notDone: number; ahead: number };
  year: number;
  /** Approved programs whose end date falls in the year. */
  plannedThisYear: number;
  /** Of those, completed (not terminated early, not still running). */
  completedThisYear: number;
}

interface ProgramLean {
  _id: Types.ObjectId;
  organizationId: Types.ObjectId;
  goal?: string;
  status: string;
  startDate?: Date;
  endDate?: Date;
  items: Array<{ due?: Date; status: string; doneAt?: Date }>;
}

export async function planActual(scope: readonly string[] | null, now: Date, zone: string): Promise<PlanActual> {
  const { Program } = readModels();
  const rows = (
    await findInScope(scopeIds(scope), (f) => Program.find(f, { organizationId: 1, goal: 1, status: 1, startDate: 1, endDate: 1, items: 1 }).lean<ProgramLean[]>(), {
      status: { $in: ["active", "completed", "terminated"] },
    })
  ).sort((a, b) => (a.startDate?.getTime() ?? Number.NEGATIVE_INFINITY) - (b.startDate?.getTime() ?? Number.NEGATIVE_INFINITY) || a._id.toString().localeCompare(b._id.toString()));
  const programs = rows.map((p): ProgramPlanActual => {
    const c = { onTime: 0, late: 0, notDone: 0, ahead: 0 };
    for (const i of p.items) {
      const due = i.due?.getTime() ?? Number.POSITIVE_INFINITY;
      if (i.status === "done") {
        if (i.doneAt && i.doneAt.getTime() > due) c.late++;
        else c.onTime++;
      } else if (due < now.getTime() || p.status !== "active") c.notDone++;
      else c.ahead++;
    }
    return { programId: p._id.toString(), organizationId: p.organizationId.toString(), goal: p.goal ?? "", status: p.status, startDate: p.startDate, endDate: p.endDate, items: p.items.length, ...c };
  });
  const totals = programs.reduce((s, p) => ({ items: s.items + p.items, onTime: s.onTime + p.onTime, late: s.late + p.late, notDone: s.notDone + p.notDone, ahead: s.ahead + p.ahead }), { items: 0, onTime: 0, late: 0, notDone: 0, ahead: 0 });
  const year = DateTime.fromJSDate(now, { zone }).year;
  const inYear = programs.filter((p) => p.endDate && DateTime.fromJSDate(p.endDate, { zone }).year === year);
  return { programs, totals, year, plannedThisYear: inYear.length, completedThisYear: inYear.filter((p) => p.status === "completed").length };
}

/** The «План и факт» sheet of the export: one row per program of the scope. */
export async function planActualSheet(
  scope: readonly string[] | null,
  visible: Set<string>,
  orgs: Map<string, { shortName: string; timezone: string }>,
  t: (key: string, args?: Record<string, string | number>) => string,
  now: Date,
  zone: string,
): Promise<Sheet> {
  const pa = await planActual(scope, now, zone);
  const day = (d: Date | undefined, z: string) => {
    const w = wallClock(d, z);
    return w ? new Date(Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate())) : null;
  };
  const rows: Cell[][] = pa.programs.map((p, i) => {
    const org = orgs.get(p.organizationId);
    const z = org?.timezone ?? zone;
    return [i + 1, visible.has(p.organizationId) ? (org?.shortName ?? "") : t("xl-other-org"), p.goal, t(`program-status-${p.status}`), day(p.startDate, z), day(p.endDate, z), p.items, p.onTime, p.late, p.notDone, p.ahead];
  });
  const cols: Array<[string, Sheet["columns"][number]["kind"], number]> = [
    ["no", "number", 6],
    ["organization", "text", 30],
    ["plan-goal", "text", 40],
    ["plan-status", "text", 20],
    ["plan-start", "date", 12],
    ["plan-end", "date", 12],
    ["plan-items", "number", 10],
    ["plan-on-time", "number", 10],
    ["plan-late", "number", 10],
    ["plan-not-done", "number", 10],
    ["plan-ahead", "number", 10],
  ];
  return { id: "plan", name: t("xl-sheet-plan"), columns: cols.map(([key, kind, width]) => ({ header: t(`xl-col-${key}`), kind, width })), rows };
}
