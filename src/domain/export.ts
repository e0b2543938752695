import { pairMarkers } from "./pairs.ts";
import { DateTime } from "luxon";
import { once } from "node:events";
import { PassThrough, type Writable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { attendance, exportMeetings, personName, namedOrganizations, type DigestData, type OrgBucket, type Period } from "./digest.ts";
import { DEFAULT_ZONE } from "./digest-recipients.ts";
import { computeIndicators, type Indicator } from "./indicators.ts";
import { isYoungSpecialist } from "./registration.ts";

/**
 * Registry exports in the regulated forms (issue 7, domain brief §4.1–§4.3, §4.6): the mentee
 * base, the mentor registry, pairs and programs, meetings, survey results and the indicators,
 * as one XLSX workbook (frozen header, autofilter) or one CSV per sheet. Only the scope's rows;
 * erased people appear as "deleted user", people of organizations outside the viewer's network
 * as "employee of another organization". Dates are the organization's local wall-clock time.
 */

export type Cell = string | number | Date | null;
export type ColumnKind = "text" | "number" | "date" | "datetime";

export interface Sheet {
  /** Locale key of the sheet, e.g. "mentees". */
  id: SheetId | ExtraSheetId;
  name: string;
  columns: Array<{ header: string; kind: ColumnKind; width: number }>;
  rows: Cell[][];
}

export const SHEET_IDS = ["mentees", "mentors", "pairs", "programs", "meetings", "surveys", "indicators"] as const;
export type SheetId = (typeof SHEET_IDS)[number];
/** Sheets built outside this module (issue 16: questionnaires). */
export type ExtraSheetId = "questionnaires" | "plan";

/** Translation in the export's language: `xl-…` keys for headers, the bot's labels for values. */
export type ExportTranslate = (key: string, args?: Record<string, string | number>) => string;

interface Col {
  key: string;
  kind?: ColumnKind;
  width?: number;
}

const COLUMNS: Record<SheetId, Col[]> = {
  mentees: [
    { key: "no", kind: "number", width: 6 },
    { key: "mentee", width: 30 },
    { key: "organization", width: 30 },
    { key: "contact", width: 18 },
    { key: "position", width: 22 },
    { key: "experience", kind: "number", width: 10 },
    { key: "young", width: 12 },
    { key: "education", width: 16 },
    { key: "category", width: 20 },
    { key: "deficits", width: 40 },
    { key: "request", width: 40 },
    { key: "identified", width: 18 },
    { key: "entry-date", kind: "date", width: 14 },
    { key: "request-status", width: 18 },
    { key: "mentor", width: 30 },
    { key: "mentor-org", width: 30 },
    { key: "form", width: 22 },
    { key: "role-model", width: 22 },
    { key: "place", width: 18 },
    { key: "end-date", kind: "date", width: 14 },
    { key: "results", width: 30 },
    { key: "completed", width: 12 },
    { key: "requests", kind: "number", width: 10 },
  ],
  mentors: [
    { key: "no", kind: "number", width: 6 },
    { key: "mentor", width: 30 },
    { key: "contact", width: 18 },
    { key: "organization", width: 30 },
    { key: "position", width: 22 },
    { key: "category", width: 20 },
    { key: "experience", kind: "number", width: 10 },
    { key: "competences", width: 40 },
    { key: "forms", width: 24 },
    { key: "mode", width: 12 },
    { key: "mentor-type", width: 16 },
    { key: "capacity", kind: "number", width: 10 },
    { key: "active-mentees", kind: "number", width: 10 },
    { key: "mentees", width: 40 },
    { key: "opt-in-date", kind: "date", width: 14 },
    { key: "approved-date", kind: "date", width: 14 },
    { key: "paused-until", kind: "date", width: 14 },
    { key: "rating", kind: "number", width: 10 },
    { key: "position-years", kind: "number", width: 10 },
    { key: "achievements", width: 40 },
    { key: "training", width: 40 },
    { key: "mentor-trainings", kind: "number", width: 10 },
    { key: "mentor-training-last", kind: "date", width: 14 },
  ],
  pairs: [
    { key: "no", kind: "number", width: 6 },
    { key: "organization", width: 30 },
    { key: "mentor", width: 30 },
    { key: "mentee", width: 30 },
    { key: "form", width: 22 },
    { key: "pair-status", width: 14 },
    { key: "formed-date", kind: "date", width: 14 },
    { key: "formed-by", width: 16 },
    { key: "mentor-consent", kind: "date", width: 14 },
    { key: "mentee-consent", kind: "date", width: 14 },
    { key: "ended-date", kind: "date", width: 14 },
    { key: "program-status", width: 18 },
    { key: "goal", width: 40 },
    { key: "months", kind: "number", width: 8 },
    { key: "start-date", kind: "date", width: 14 },
    { key: "end-date", kind: "date", width: 14 },
    { key: "role-model", width: 22 },
    { key: "plan-done", width: 12 },
    { key: "outcome", width: 22 },
    { key: "group", width: 30 },
  ],
  meetings: [
    { key: "no", kind: "number", width: 6 },
    { key: "start", kind: "datetime", width: 18 },
    { key: "organization", width: 30 },
    { key: "meeting-kind", width: 14 },
    { key: "topic", width: 30 },
    { key: "duration", kind: "number", width: 10 },
    { key: "mode", width: 12 },
    { key: "meeting-status", width: 16 },
    { key: "host", width: 30 },
    { key: "participants", kind: "number", width: 10 },
    { key: "came", kind: "number", width: 10 },
    { key: "covered", width: 40 },
  ],
  programs: [
    { key: "no", kind: "number", width: 6 },
    { key: "organization", width: 30 },
    { key: "mentor", width: 30 },
    { key: "mentee", width: 30 },
    { key: "goal", width: 40 },
    { key: "role-model", width: 22 },
    { key: "program-form", width: 16 },
    { key: "start-date", kind: "date", width: 14 },
    { key: "end-date", kind: "date", width: 14 },
    { key: "plan", width: 60 },
    { key: "product", width: 40 },
    { key: "products", width: 40 },
    { key: "program-status", width: 18 },
    { key: "outcome", width: 22 },
  ],
  surveys: [
    { key: "no", kind: "number", width: 6 },
    { key: "answered", kind: "datetime", width: 18 },
    { key: "organization", width: 30 },
    { key: "start", kind: "datetime", width: 18 },
    { key: "topic", width: 30 },
    { key: "respondent-role", width: 14 },
    { key: "survey-kind", width: 16 },
    { key: "usefulness", kind: "number", width: 10 },
    { key: "solved", width: 12 },
    { key: "satisfaction", kind: "number", width: 12 },
    { key: "adaptation", kind: "number", width: 12 },
    { key: "comment", width: 40 },
  ],
  indicators: [
    { key: "indicator", width: 50 },
    { key: "value", kind: "number", width: 12 },
    { key: "unit", width: 14 },
    { key: "numerator", kind: "number", width: 12 },
    { key: "denominator", kind: "number", width: 12 },
    { key: "period-from", kind: "date", width: 14 },
    { key: "period-to", kind: "date", width: 14 },
  ],
};

/** A UTC instant as a Date whose UTC fields are the wall-clock time in `zone` (what a spreadsheet shows). */
export function wallClock(at: Date | undefined | null, zone: string): Date | null {
  if (!at) return null;
  const d = DateTime.fromJSDate(at, { zone });
  return new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
}

export interface ExportOptions {
  scope: readonly string[] | null;
  /** Organizations whose people are named (default: the scope itself). */
  visible?: Set<string>;
  t: ExportTranslate;
  /** The export's language, for number formats; default "ru". */
  locale?: string;
  /** Label of a deficit catalogue code in the export's language. */
  topic: (code: string) => string;
  now: Date;
  /** Period of the indicators sheet; default the last 12 months. */
  period?: Period;
}

function labelOr(t: ExportTranslate, prefix: string, value: string | undefined | null): string {
  return value ? t(`${prefix}-${value}`) : "";
}

/** An indicator's value in the reader's number format: "66,7 %" / "66.7%", "4,50" / "4.50", or "no data". */
export function formatIndicator(i: Indicator, t: ExportTranslate, locale = "ru"): string {
  if (i.value === undefined) return t("ind-no-data");
  const tag = locale === "en" ? "en-GB" : "ru-RU";
  if (i.kind === "share") return new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 1 }).format(i.value).replace(/\u00a0/g, " ");
  if (i.kind === "mean") return new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(i.value);
  return String(i.value);
}

/** The sheets of the scope, rows in a stable order (organization name, then date). */
/** A pair's form in registries and documents: its kind, marked reverse and mutual (issue 15). */
export function pairForm(p: { kind: string; reverse?: boolean | null; mutualPairId?: unknown }, t: (key: string, args?: Record<string, string | number>) => string): string {
  return [t(`kind-${p.kind}`), ...pairMarkers(p).map((k) => t(`rv-form-${k}`))].join("; ");
}

export function buildSheets(data: DigestData, opts: ExportOptions): Sheet[] {
  // The registries list every meeting and answer: a load for a digest's window would drop rows silently.
  if (data.window) throw new Error("the export needs every meeting and answer; the data was loaded for a window");
  const { t, now } = opts;
  const visible = namedOrganizations(data, opts.scope, opts.visible);
  const labels = { erased: t("xl-erased"), hidden: t("xl-hidden") };
  const name = (id: Parameters<typeof personName>[2]) => personName(data, visible, id, labels);
  const contact = (id: Parameters<typeof personName>[2]) => {
    const u = id ? data.people.get(id.toString()) : undefined;
    if (!u || u.erasedAt || !u.organizationId || !visible.has(u.organizationId.toString())) return "";
    // A link rather than "@name": clickable, and never taken for a formula in a spreadsheet.
    return u.username ? `https://t.me/${u.username}` : "";
  };
  // An organization outside the visible ones is not named either (its people show as "another organization").
  const orgName = (id: { toString(): string } | undefined | null) =>
    !id ? "" : visible.has(id.toString()) ? (data.orgs.get(id.toString())?.shortName ?? "") : t("xl-other-org");
  const yes = t("xl-yes");
  const no = t("xl-no");
  const buckets = [...(opts.scope ?? [...data.buckets.keys()])]
    .map((id) => data.buckets.get(id))
    .filter((b): b is OrgBucket => b !== undefined)
    .sort((a, b) => a.org.shortName.localeCompare(b.org.shortName, "ru"));
  const mentees: Cell[][] = [];
  const mentors: Cell[][] = [];
  const pairs: Cell[][] = [];
  const meetings: Cell[][] = [];
  const surveys: Cell[][] = [];
  const programs: Cell[][] = [];

  for (const b of buckets) {
    const zone = b.org.timezone || DEFAULT_ZONE;
    const pairById = new Map(b.pairs.map((p) => [p._id.toString(), p]));
    // A pair's program by its pair; a group seat's is the group's (one program, shown on every seat of the group).
    const programOfPair = new Map(b.programs.filter((p) => p.pairId).map((p) => [String(p.pairId), p]));
    const programOfGroup = new Map(b.programs.filter((p) => p.groupId).map((p) => [String(p.groupId), p]));
    const programByPair = {
      get: (pairId: string) => {
        const pair = pairById.get(pairId);
        return programOfPair.get(pairId) ?? (pair?.groupId ? programOfGroup.get(pair.groupId.toString()) : undefined);
      },
    };
    const selfAssessed = new Set(b.selfAssessments.filter((s) => s.phase === "start").map((s) => s.requestId.toString()));
    const mentorOrgOf = (userId: { toString(): string }) => data.people.get(userId.toString())?.organizationId;

    // The mentee base: one row per registered mentee (with or without a request), and one per
    // erased person who had requests; the requests, deficits and identification methods aggregated.
    const requestsOf = new Map<string, typeof b.requests>();
    for (const r of [...b.requests].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime())) {
      requestsOf.set(r.menteeId.toString(), [...(requestsOf.get(r.menteeId.toString()) ?? []), r]);
    }
    const registered = b.users.filter((u) => u.roles.some((r) => r.role === "mentee") && !requestsOf.has(u._id.toString()));
    const menteeRows = [
      ...[...requestsOf.entries()].map(([id, rs]) => ({ id, rs, since: (rs[0] as (typeof rs)[number]).createdAt })),
      ...registered.map((u) => ({ id: u._id.toString(), rs: [] as typeof b.requests, since: u.registeredAt ?? now })),
    ].sort((x, y) => x.since.getTime() - y.since.getTime());
    const uniq = (xs: string[]) => [...new Set(xs.filter((x) => x !== ""))].join("; ");
    for (const { id, rs, since } of menteeRows) {
      const u = data.people.get(id);
      const visiblePerson = u && !u.erasedAt;
      const pairsOf = rs.map((r) => (r.pairId ? pairById.get(r.pairId.toString()) : undefined)).filter((p): p is NonNullable<typeof p> => p !== undefined);
      const programs = pairsOf.map((p) => programByPair.get(p._id.toString())).filter((p): p is NonNullable<typeof p> => p !== undefined);
      const last = pairsOf.at(-1);
      const lastProgram = last ? programByPair.get(last._id.toString()) : undefined;
      const ended = lastProgram?.endedAt ?? last?.endedAt;
      const menteeId = rs[0]?.menteeId ?? u?._id ?? null;
      mentees.push([
        mentees.length + 1,
        name(menteeId),
        b.org.shortName,
        contact(menteeId),
        visiblePerson ? labelOr(t, "position", u.profile?.position) : "",
        visiblePerson ? (u.profile?.experienceYears ?? null) : null,
        visiblePerson ? (isYoungSpecialist(u.profile, now) ? yes : no) : "",
        visiblePerson ? labelOr(t, "education", u.profile?.educationProfile) : "",
        visiblePerson ? labelOr(t, "category", u.profile?.qualificationCategory) : "",
        uniq(rs.flatMap((r) => [...r.topics.map((c) => opts.topic(c)), ...(r.otherTopic ? [r.otherTopic] : [])])),
        visiblePerson ? uniq(rs.map((r) => r.description ?? "")) : "",
        uniq(rs.map((r) => (r.identifiedBy ? t(`xl-identified-${r.identifiedBy}`) : selfAssessed.has(r._id.toString()) ? t("xl-identified-self") : t("xl-identified-request")))),
        wallClock(since, zone),
        uniq(rs.map((r) => t(`status-${r.status}`))),
        uniq(pairsOf.map((p) => name(p.mentorId))),
        uniq(pairsOf.map((p) => orgName(mentorOrgOf(p.mentorId)))),
        // The form of each request: its pair's (marked reverse or mutual, issue 15) once matched, a group seat as group.
        uniq(rs.map((r) => {
          const p = r.pairId ? pairById.get(r.pairId.toString()) : undefined;
          if (p) return p.groupId ? t("form-group") : pairForm(p, t);
          return pairForm({ kind: r.kind, reverse: r.reverse }, t);
        })),
        uniq(programs.map((p) => labelOr(t, "xl-role-model", p.roleModel))),
        uniq(pairsOf.map((p) => {
          const mOrg = mentorOrgOf(p.mentorId);
          return mOrg && mOrg.toString() === b.org._id.toString() ? t("xl-place-own") : t("xl-place-network");
        })),
        wallClock(ended ?? lastProgram?.endDate, zone),
        uniq(pairsOf.map((p) => {
          const pr = programByPair.get(p._id.toString());
          return pr?.outcome ? t(`xl-outcome-${pr.outcome}`) : (p.endReason ?? "");
        })),
        pairsOf.some((p) => p.status === "completed" || programByPair.get(p._id.toString())?.status === "completed") ? yes : no,
        rs.length,
      ]);
    }

    const activeByMentor = new Map<string, string[]>();
    for (const p of b.pairs) if (p.status === "active") activeByMentor.set(p.mentorId.toString(), [...(activeByMentor.get(p.mentorId.toString()) ?? []), name(p.menteeId)]);
    for (const m of b.mentors) {
      const u = data.people.get(m.userId.toString());
      const known = u && !u.erasedAt;
      mentors.push([
        mentors.length + 1,
        name(m.userId),
        contact(m.userId),
        b.org.shortName,
        known ? labelOr(t, "position", u.profile?.position) : "",
        known ? labelOr(t, "category", u.profile?.qualificationCategory) : "",
        known ? (u.profile?.experienceYears ?? null) : null,
        m.competences.map((c) => opts.topic(c)).join("; "),
        m.forms.map((f) => t(`form-${f}`)).join(", "),
        labelOr(t, "mode", m.mode),
        m.networkServing ? t("xl-mentor-network") : t("xl-mentor-internal"),
        m.capacity,
        m.activeMentees,
        (activeByMentor.get(m.userId.toString()) ?? []).join("; "),
        wallClock(m.createdAt, zone),
        m.approved ? wallClock(m.approvedAt, zone) : null,
        m.pausedUntil && m.pausedUntil > now ? wallClock(m.pausedUntil, zone) : null,
        m.ratingCount ? Math.round(((m.ratingSum ?? 0) / m.ratingCount) * 100) / 100 : null,
        m.positionYears ?? null,
        known ? (m.achievements ?? "") : "",
        known ? (m.training ?? "") : "",
        m.trainingsAttended ?? 0,
        wallClock(m.lastTrainingAt, zone),
      ]);
    }

    // A participant's seat in a mentoring group is a row of its own, marked with the group (issue 15).
    const groupTitle = new Map(b.groups.map((g) => [g._id.toString(), g.title]));
    for (const p of [...b.pairs].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime())) {
      const program = programByPair.get(p._id.toString());
      const done = program ? program.items.filter((i) => i.status === "done").length : 0;
      pairs.push([
        pairs.length + 1,
        b.org.shortName,
        name(p.mentorId),
        name(p.menteeId),
        p.groupId ? t("form-group") : pairForm(p, t),
        t(`xl-pair-${p.status}`),
        wallClock(p.createdAt, zone),
        t(`xl-formed-${p.formedBy}`),
        wallClock(p.mentorConsentAt, zone),
        wallClock(p.menteeConsentAt, zone),
        wallClock(p.endedAt, zone),
        program ? t(program.status === "completed" && program.endReason === "goal_achieved" ? "xl-program-goal" : `xl-program-${program.status}`) : "",
        program?.goal ?? "",
        program?.months ?? null,
        wallClock(program?.startDate, zone),
        wallClock(program?.endDate, zone),
        labelOr(t, "xl-role-model", program?.roleModel),
        program ? `${done}/${program.items.length}` : "",
        program?.outcome ? t(`xl-outcome-${program.outcome}`) : "",
        p.groupId ? (groupTitle.get(p.groupId.toString()) ?? "") : "",
      ]);
    }

    // The bank of programs: each personalised program with its plan, expected and delivered products;
    // a group's program once, its mentee column naming the group and its current participants.
    const groupLabel = (groupId: { toString(): string }) => {
      const g = b.groups.find((x) => x._id.toString() === groupId.toString());
      return g ? `«${g.title}»: ${g.memberIds.map((m) => name(m)).join("; ")}` : "";
    };
    for (const p of [...b.programs].sort((x, y) => (x.startDate?.getTime() ?? Infinity) - (y.startDate?.getTime() ?? Infinity))) {
      programs.push([
        programs.length + 1,
        b.org.shortName,
        name(p.mentorId),
        p.groupId ? groupLabel(p.groupId) : p.menteeId ? name(p.menteeId) : "",
        p.goal ?? "",
        labelOr(t, "xl-role-model", p.roleModel),
        labelOr(t, "program-form", p.form),
        wallClock(p.startDate, zone),
        wallClock(p.endDate, zone),
        p.items
          .map((i, n) => {
            const due = i.due ? DateTime.fromJSDate(i.due, { zone }).toFormat("dd.MM.yyyy") : "";
            return `${n + 1}. ${i.title ?? ""}${due ? ` — ${due}` : ""}${i.expected ? ` — ${i.expected}` : ""} (${t(`xl-item-${i.status}`)})`;
          })
          .join("\n"),
        p.product ?? "",
        (p.products ?? []).map((x) => x.text ?? x.url ?? x.fileName ?? "").filter((x) => x !== "").join("\n"),
        t(`xl-program-${p.status}`),
        p.outcome ? t(`xl-outcome-${p.outcome}`) : "",
      ]);
    }

    const whole = exportMeetings(data, b);
    const meetingById = new Map(whole.map((m) => [m._id.toString(), m]));
    for (const m of whole.filter((x) => x.startAt).sort((x, y) => (x.startAt as Date).getTime() - (y.startAt as Date).getTime())) {
      const status = m.status === "confirmed" && m.unlogged ? "unlogged" : m.status;
      meetings.push([
        meetings.length + 1,
        wallClock(m.startAt, zone),
        b.org.shortName,
        t(`xl-meeting-${m.kind}`),
        m.topic ?? "",
        m.durationMin ?? null,
        labelOr(t, "mode", m.mode),
        t(`xl-mstatus-${status}`),
        name(m.hostId),
        m.participantIds.length,
        // Came: those signed up less the ones the host marked absent, once the meeting was held.
        m.status === "held" ? attendance(m).present : null,
        m.log?.covered ?? "",
      ]);
    }
    for (const a of [...b.answers].sort((x, y) => x.answeredAt.getTime() - y.answeredAt.getTime())) {
      const m = meetingById.get(a.meetingId.toString());
      surveys.push([
        surveys.length + 1,
        wallClock(a.answeredAt, zone),
        b.org.shortName,
        wallClock(m?.startAt, zone),
        m?.topic ?? "",
        t(`role-${a.role}`),
        t("xl-survey-session"),
        a.usefulness ?? null,
        a.solved ? t(`survey-solved-${a.solved}`) : "",
        null,
        null,
        a.respondentId ? (a.comment ?? "") : "",
      ]);
    }
    // Final surveys of ended pairs: satisfaction, adaptation, what changed (the text only while the respondent is known).
    for (const f of [...b.finalSurveys].sort((x, y) => x.answeredAt.getTime() - y.answeredAt.getTime())) {
      surveys.push([
        surveys.length + 1,
        wallClock(f.answeredAt, zone),
        b.org.shortName,
        null, // not about one meeting
        programByPair.get(f.pairId.toString())?.goal ?? "",
        t(`role-${f.role}`),
        t("xl-survey-final"),
        null,
        "",
        f.satisfaction ?? null,
        f.adaptation ?? null,
        f.respondentId ? (f.changed ?? "") : "",
      ]);
    }
  }

  const period = opts.period ?? { from: DateTime.fromJSDate(now).minus({ months: 12 }).toJSDate(), to: now };
  // Indicators as numbers (a share in per cent, a mean, a count) with their unit and period.
  const zone = buckets[0]?.org.timezone || DEFAULT_ZONE;
  const lastDay = new Date(period.to.getTime() - 1);
  const indicators = computeIndicators(data, opts.scope, period, now).map((i): Cell[] => [
    t(`ind-${i.key}`),
    i.value === undefined ? null : i.kind === "share" ? Math.round(i.value * 1000) / 10 : i.kind === "mean" ? Math.round(i.value * 100) / 100 : i.value,
    i.value === undefined ? t("ind-no-data") : t(`xl-unit-${i.kind}`),
    i.numerator,
    i.kind === "count" ? null : i.denominator,
    wallClock(period.from, zone),
    wallClock(lastDay, zone),
  ]);

  const rows: Record<SheetId, Cell[][]> = { mentees, mentors, pairs, programs, meetings, surveys, indicators };
  return SHEET_IDS.map((id) => {
    const columns = COLUMNS[id].map((c) => ({ header: t(`xl-col-${c.key}`), kind: c.kind ?? "text", width: c.width ?? 16 }));
    // Date columns hold the local day only (midnight of the wall-clock date).
    const dayOnly = (c: Cell, i: number) => (c instanceof Date && columns[i]?.kind === "date" ? new Date(Date.UTC(c.getUTCFullYear(), c.getUTCMonth(), c.getUTCDate())) : c);
    return { id, name: t(`xl-sheet-${id}`), columns, rows: rows[id].map((r) => r.map(dayOnly)) };
  });
}

/** One XLSX workbook: a sheet per registry, frozen bold header row, autofilter, date formats. */
export async function workbookXlsx(sheets: Sheet[], meta: { creator: string; now: Date }): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs"); // loaded with the first export (0.4 s of every start otherwise)
  // Streamed, each row written as it is added: the in-memory workbook of a region (250,000 rows)
  // took 3.4 GB and 52 s, the streamed one 0.4 GB and 14 s (no shared strings: a few % larger).
  const out = new PassThrough();
  const written = buffer(out);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = meta.creator;
  // Both dates from the export's clock: exceljs otherwise stamps `modified` with the wall clock
  // when the writer is made, so the same export came out a byte longer or shorter from run to run.
  wb.created = meta.now;
  wb.modified = meta.now;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = s.columns.map((c, i) => ({
      header: c.header,
      key: String(i),
      width: c.width,
      ...(c.kind === "date" ? { style: { numFmt: "dd.mm.yyyy" } } : c.kind === "datetime" ? { style: { numFmt: "dd.mm.yyyy hh:mm" } } : {}),
    }));
    ws.getRow(1).font = { bold: true };
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, s.rows.length + 1), column: s.columns.length } };
    for (const [i, r] of s.rows.entries()) {
      ws.addRow(r).commit();
      if (i % 1000 === 999) await zipped(ws);
    }
    ws.commit();
  }
  await wb.commit();
  return written;
}

/**
 * Waits while much of the sheet's XML waits to be compressed. ExcelJS (4.4) hands each committed
 * row to the zip's stream without waiting, so a region's sheet (about 250 MB of XML) piled up in
 * memory before it was compressed. The zip's input (a `readable-stream` PassThrough) tells its
 * backlog; this waits for it to drain, and goes on if it does not shrink for a while (the zip busy
 * with an earlier entry), so it never waits for ever.
 */
async function zipped(ws: unknown): Promise<void> {
  type Input = Writable & { _writableState?: { length?: number } };
  const input = (ws as { stream?: { pipes?: Array<Input | undefined> } }).stream?.pipes?.[0];
  const backlog = () => input?.writableLength ?? input?._writableState?.length ?? 0;
  if (!input || typeof input.once !== "function") return;
  while (backlog() > ZIP_BACKLOG_BYTES) {
    const before = backlog();
    await Promise.race([once(input, "drain"), new Promise((resolve) => setTimeout(resolve, 200))]);
    if (backlog() >= before) return;
  }
}
const ZIP_BACKLOG_BYTES = 4 * 1024 * 1024;

function csvCell(c: Cell, kind: ColumnKind, decimalComma: boolean): string {
  if (c === null || c === undefined) return "";
  let text: string;
  if (c instanceof Date) {
    const d = DateTime.fromJSDate(c, { zone: "UTC" });
    text = kind === "datetime" ? d.toFormat("dd.MM.yyyy HH:mm") : d.toFormat("dd.MM.yyyy");
  } else if (typeof c === "number") {
    // "4.5" would open as a date in a Russian spreadsheet: a decimal comma there.
    text = decimalComma ? String(c).replace(".", ",") : String(c);
  } else {
    text = String(c);
    // A text that a spreadsheet would take for a formula (=, +, -, @, tab, CR) is kept as text.
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  }
  return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One sheet as CSV: UTF-8 with BOM, `;`-separated (what Excel in a Russian locale opens directly), decimal comma unless English. */
export function sheetCsv(s: Sheet, locale = "ru"): string {
  return csvFile(csvHeader(s, locale), s.rows.map((r) => csvLine(s, r, locale)));
}

/** A sheet's header line in CSV (see sheetCsv). */
export function csvHeader(s: Sheet, locale = "ru"): string {
  return s.columns.map((c) => csvCell(c.header, "text", locale !== "en")).join(";");
}

/** One row of a sheet as a CSV line (see sheetCsv). */
export function csvLine(s: Sheet, r: Cell[], locale = "ru"): string {
  return r.map((c, i) => csvCell(c, s.columns[i]?.kind ?? "text", locale !== "en")).join(";");
}

/** A CSV file of a header and lines: the BOM, CRLF after every line. */
export function csvFile(header: string, lines: readonly string[]): string {
  return `\uFEFF${[header, ...lines].join("\r\n")}\r\n`;
}

/** A file name like `nastavnik-2026-11-30.xlsx` / `nastavnik-mentees-2026-11-30.csv`, with `-part2` for a file's second part. */
export function exportFileName(now: Date, zone: string, ext: "xlsx" | "csv", sheet?: SheetId | ExtraSheetId, part?: number): string {
  const day = DateTime.fromJSDate(now, { zone }).toFormat("yyyy-MM-dd");
  return `nastavnik-${sheet ? `${sheet}-` : ""}${day}${part ? `-part${part}` : ""}.${ext}`;
}
