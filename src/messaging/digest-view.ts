import { InlineKeyboard, InputFile, type Api } from "grammy";
import { DateTime } from "luxon";
import { personName, namedOrganizations, type DigestData } from "../domain/digest.ts";
import { isQuiet, LIST_CAP, type DigestFigures, type OrgLine, type PeriodCounts, type RiskItem } from "../domain/digest-figures.ts";
import type { Indicator } from "../domain/indicators.ts";
import { formatIndicator } from "../domain/export.ts";
import { digestChartSpec, renderPng } from "../domain/chart.ts";
import { clip, escapeHtml } from "../core/html.ts";
import { topicLabel } from "../domain/deficits.ts";

/** Telegram's message length limit; lists are cut well before it, with a "show all" button. */
export const MESSAGE_LIMIT = 4096;

export type Tr = (key: string, args?: Record<string, string | number>) => string;

export interface DigestViewOptions {
  t: Tr;
  locale: string;
  data: DigestData;
  scope: readonly string[] | null;
  /** Organizations whose people are named (default: the scope itself). */
  visible?: Set<string>;
  /** "digest" (weekly or /digest) or "report" (/report, with indicators). */
  mode: "digest" | "report";
  indicators?: Indicator[];
  /** Label of the scope: an organization, "N organizations", or the whole deployment. */
  scopeLabel: string;
}

/** A period as callback data: start and end in epoch minutes, base 36. */
export function periodData(p: { from: Date; to: Date }): string {
  return `${Math.floor(p.from.getTime() / 60_000).toString(36)}:${Math.floor(p.to.getTime() / 60_000).toString(36)}`;
}

/** The period of a list button, if it is a sane one (start before end, at most ~13 months). */
export function periodFromData(from: string, to: string): { from: Date; to: Date } | undefined {
  const a = parseInt(from, 36) * 60_000;
  const b = parseInt(to, 36) * 60_000;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a || b - a > 400 * 86_400_000) return undefined;
  return { from: new Date(a), to: new Date(b) };
}

export interface RenderedDigest {
  text: string;
  keyboard: InlineKeyboard;
  quiet: boolean;
}

function fmtNumber(n: number, locale: string, digits = 0): string {
  return new Intl.NumberFormat(locale === "en" ? "en-GB" : "ru-RU", { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

/** "+3", "−1" or "=" against the previous period. */
export function delta(cur: number, prev: number): string {
  const d = cur - prev;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : "=";
}

export function periodLabel(f: Pick<DigestFigures, "period" | "zone">): string {
  const from = DateTime.fromJSDate(f.period.from, { zone: f.zone });
  const last = DateTime.fromMillis(f.period.to.getTime() - 1, { zone: f.zone });
  return from.hasSame(last, "day") ? from.toFormat("dd.MM.yyyy") : `${from.toFormat("dd.MM")}–${last.toFormat("dd.MM.yyyy")}`;
}

function names(o: DigestViewOptions) {
  const visible = namedOrganizations(o.data, o.scope, o.visible);
  const labels = { erased: o.t("xl-erased"), hidden: o.t("xl-hidden") };
  return (id: string) => escapeHtml(personName(o.data, visible, id, labels));
}

export function riskLine(r: RiskItem, o: DigestViewOptions, name: (id: string) => string): string {
  const who = r.userIds.map(name).join(" — ") || "—";
  return o.t(`dg-risk-${r.kind}`, { who, n: r.value ?? 0 });
}

function orgLine(l: OrgLine, o: DigestViewOptions): string {
  return o.t("dg-org-line", {
    name: escapeHtml(l.name),
    new: l.counts.newRequests,
    matched: l.counts.matched,
    held: l.counts.held,
    unmatched: l.open.unmatched,
    risks: l.risks,
  });
}

function countsLine(key: string, c: PeriodCounts, p: PeriodCounts, field: keyof PeriodCounts): Record<string, string | number> {
  return { [key]: c[field], [`${key}Delta`]: delta(c[field], p[field]) };
}

/** Builds the digest text with lists cut to `cap` items. */
function compose(f: DigestFigures, o: DigestViewOptions, cap: number): string {
  const { t } = o;
  const name = names(o);
  const c = f.counts;
  const p = f.prevCounts;
  const lines: string[] = [];
  lines.push(`<b>${t(o.mode === "report" ? "dg-title-report" : "dg-title", { period: periodLabel(f), scope: escapeHtml(o.scopeLabel) })}</b>`);
  lines.push("");
  lines.push(`<b>${t("dg-sec-requests")}</b>`);
  lines.push(t("dg-requests", { ...countsLine("new", c, p, "newRequests"), ...countsLine("matched", c, p, "matched") }));
  lines.push(
    t("dg-open", {
      unmatched: f.open.unmatched,
      unmatchedDelta: delta(f.open.unmatched, f.prevOpen.unmatched),
      stale: f.open.stale,
      escalated: f.open.escalated,
    }),
  );
  for (const r of f.openRequests.slice(0, cap)) {
    const topics = r.topics.map((x) => topicLabel(x, o.locale)).join("; ");
    lines.push(t("dg-open-item", { name: name(r.menteeId), days: r.ageDays, flag: r.stale ? " ⚠️" : "", topics: escapeHtml(topics || "—"), status: t(`status-${r.status}`) }));
  }
  if (f.openRequests.length > cap) lines.push(t("dg-more", { n: f.openRequests.length - cap }));
  if (c.questionsAsked + p.questionsAsked + f.open.questions > 0) {
    lines.push(t("dg-questions", { ...countsLine("asked", c, p, "questionsAsked"), answered: c.questionsAnswered, waiting: f.open.questions }));
  }
  lines.push("");
  lines.push(`<b>${t("dg-sec-pairs")}</b>`);
  lines.push(t("dg-pairs", { active: f.open.activePairs, activeDelta: delta(f.open.activePairs, f.prevOpen.activePairs) }));
  if (f.reversePairs + f.mutualPairs > 0) lines.push(t("rv-digest-pairs", { reverse: f.reversePairs, mutual: f.mutualPairs }));
  // Mentoring groups (issue 15): how many run, their participants, attendance at their meetings.
  if (f.groups.active || f.groups.held) {
    lines.push(t("dg-groups", { active: f.groups.active, circles: f.groups.circles, participants: f.groups.participants, held: f.groups.held, present: f.groups.present, expected: f.groups.expected }));
  }
  lines.push(
    t("dg-meetings", {
      ...countsLine("held", c, p, "held"),
      ...countsLine("missed", c, p, "missed"),
      ...countsLine("unlogged", c, p, "unlogged"),
      planned: f.planned,
    }),
  );
  lines.push(
    c.answers
      ? t("dg-surveys", {
          avg: fmtNumber(c.usefulnessSum / c.answers, o.locale, 1),
          answers: c.answers,
          prev: p.answers ? fmtNumber(p.usefulnessSum / p.answers, o.locale, 1) : "—",
          low: c.lowAnswers,
        })
      : t("dg-surveys-none"),
  );
  lines.push("");
  lines.push(`<b>${t("dg-sec-risks", { n: f.risks.length })}</b>`);
  if (f.risks.length === 0) lines.push(t("dg-risks-none"));
  for (const r of f.risks.slice(0, cap)) lines.push(`• ${riskLine(r, o, name)}`);
  if (f.risks.length > cap) lines.push(t("dg-more", { n: f.risks.length - cap }));
  lines.push("");
  lines.push(`<b>${t("dg-sec-mentors")}</b>`);
  const mentorList = (items: typeof f.atCapacity) =>
    items.length && cap > 0 ? ` (${items.slice(0, cap).map((m) => name(m.userId)).join(", ")}${items.length > cap ? ` ${t("dg-and-more", { n: items.length - cap })}` : ""})` : "";
  lines.push(t("dg-mentors-full", { n: f.atCapacity.length, list: mentorList(f.atCapacity) }));
  lines.push(t("dg-mentors-idle", { n: f.idle.length, list: mentorList(f.idle) }));
  if (f.topTopics.length) {
    lines.push("");
    lines.push(`<b>${t("dg-sec-topics")}</b>`);
    f.topTopics.forEach((x, i) => lines.push(`${i + 1}. ${escapeHtml(topicLabel(x.topic, o.locale))} — ${x.count} (${delta(x.count, x.previous)})`));
  }
  if (o.indicators?.length) {
    lines.push("");
    lines.push(`<b>${t("dg-sec-indicators")}</b>`);
    for (const i of o.indicators) lines.push(`${t(`ind-${i.key}`)}: ${formatIndicator(i, t, o.locale)}${i.kind === "share" && i.denominator ? ` (${i.numerator}/${i.denominator})` : ""}`);
  }
  if (f.byOrganization.length > 1) {
    lines.push("");
    lines.push(`<b>${t("dg-sec-orgs", { n: f.byOrganization.length })}</b>`);
    for (const l of f.byOrganization.slice(0, cap * 2)) lines.push(`• ${orgLine(l, o)}`);
    if (f.byOrganization.length > cap * 2) lines.push(t("dg-more", { n: f.byOrganization.length - cap * 2 }));
  }
  lines.push("");
  lines.push(t("dg-compare-note"));
  return lines.join("\n");
}

/** The digest message: one line when nothing happened; otherwise sections, cut to fit 4096 characters. */
export function renderDigest(f: DigestFigures, o: DigestViewOptions): RenderedDigest {
  const { t } = o;
  const kb = new InlineKeyboard();
  if (isQuiet(f) && !o.indicators) {
    kb.text(t("dg-btn-export"), "dg:x").text(t("dg-btn-settings"), "dg:s");
    return { text: t("dg-quiet", { period: periodLabel(f), scope: escapeHtml(o.scopeLabel) }), keyboard: kb, quiet: true };
  }
  let text = "";
  let shown = LIST_CAP;
  for (const cap of [LIST_CAP, 3, 1, 0]) {
    shown = cap;
    text = compose(f, o, cap);
    if (text.length <= MESSAGE_LIMIT) break;
  }
  // Last resort: cut at a line boundary (never inside a tag or an entity).
  if (text.length > MESSAGE_LIMIT) text = `${text.slice(0, text.lastIndexOf("\n", MESSAGE_LIMIT - 4))}\n…`;
  if (f.open.unmatched > 0) kb.text(t("dg-btn-unmatched", { n: f.open.unmatched }), "rq:l:1");
  // The list buttons carry the period (not an authority: the scope is re-read on the press).
  const period = periodData(f.period);
  if (f.risks.length > 0) kb.text(t("dg-btn-risks", { n: f.risks.length }), `dg:r:${period}`);
  kb.row();
  if (f.atCapacity.length > shown || f.idle.length > shown) kb.text(t("dg-btn-mentors"), `dg:n:${period}`).row();
  if (f.byOrganization.length > LIST_CAP * 2) kb.text(t("dg-btn-orgs"), `dg:o:${period}`).row();
  drillButtons(kb, f.byOrganization, `dg:k:${o.mode === "report" ? "r" : "d"}`, `:${period}`);
  kb.text(t("dg-btn-export"), "dg:x").text(t("dg-btn-settings"), "dg:s");
  return { text, keyboard: kb, quiet: false };
}

/** A network (or several kindergartens) gets one drill-down button per kindergarten up to this many. */
export const DRILL_MAX = 20;
/** Rows of the per-kindergarten chart panel: the most active ones. */
export const CHART_ORGS_MAX = 15;

/**
 * One button per kindergarten of a multi-organization scope (up to {@link DRILL_MAX}): `<prefix>:<organizationId><suffix>`. The id only picks the view: the handler checks that
 * the organization is in the presser's scope at the time of the press.
 */
export function drillButtons(kb: InlineKeyboard, orgs: ReadonlyArray<{ organizationId: string; name: string }>, prefix: string, suffix = ""): void {
  if (orgs.length < 2 || orgs.length > DRILL_MAX) return;
  const sorted = [...orgs].sort((a, b) => a.name.localeCompare(b.name, "ru"));
  // Short names go two to a row; long ones (a kindergarten's name ends with its town) one.
  const perRow = sorted.every((l) => l.name.length <= 22) ? 2 : 1;
  sorted.forEach((l, i) => {
    kb.text(`🏫 ${clip(l.name, 48)}`, `${prefix}:${l.organizationId}${suffix}`);
    if ((i + 1) % perRow === 0 || i === sorted.length - 1) kb.row();
  });
}

/** The chart of the digest as PNG. */
export async function digestChart(f: DigestFigures, t: Tr, locale: string): Promise<Buffer> {
  const spec = digestChartSpec({
    title: t(f.chartUnit === "day" ? "dg-chart-title-days" : "dg-chart-title"),
    weeks: f.weekly.map((w) => ({ label: DateTime.fromJSDate(w.weekStart, { zone: f.zone }).toFormat("dd.MM"), held: w.held, missed: w.missed })),
    // The most active kindergartens only: a panel of a thousand rows would not fit a phone (or a PNG).
    organizations: f.byOrganization.slice(0, CHART_ORGS_MAX).map((o) => ({ label: o.name, held: o.counts.held, missed: o.counts.missed })),
    organizationsTitle: f.byOrganization.length > CHART_ORGS_MAX ? t("nw-chart-orgs-top", { shown: CHART_ORGS_MAX, n: f.byOrganization.length }) : t("dg-chart-orgs"),
    heldLabel: t("dg-chart-held"),
    missedLabel: t("dg-chart-missed"),
    weekAxis: t(f.chartUnit === "day" ? "dg-chart-day" : "dg-chart-week"),
    countAxis: t("dg-chart-count"),
    topicsTitle: t("dg-chart-topics"),
    topics: f.topTopics.map((x) => ({ label: topicLabel(x.topic, locale), count: x.count })),
  });
  return renderPng(spec);
}

/** How the scope is named in a digest: the organization, "N organizations", or the whole deployment. */
export function scopeLabel(data: DigestData, scope: readonly string[] | null, t: Tr, networks: readonly string[] = []): string {
  if (!scope) return t("dg-scope-all");
  const names = networks.map((id) => data.networks.get(id)).filter((n): n is string => n !== undefined);
  // A network curator: the network by name with its number of kindergartens.
  if (names.length) return t("nw-scope", { networks: names.map((n) => `«${n}»`).join(", "), n: scope.length });
  if (scope.length === 1) return data.orgs.get(scope[0] as string)?.shortName ?? "";
  return t("dg-scope-orgs", { n: scope.length });
}

/** Splits lines into messages of at most `limit` characters. */
export function chunkLines(lines: string[], limit = MESSAGE_LIMIT): string[] {
  const out: string[] = [];
  let cur = "";
  for (const line of lines) {
    const l = clip(line, limit);
    if (cur && cur.length + 1 + l.length > limit) {
      out.push(cur);
      cur = l;
    } else cur = cur ? `${cur}\n${l}` : l;
  }
  if (cur) out.push(cur);
  return out;
}

/** Every risk of the digest, as messages under the limit. */
export function riskListMessages(f: DigestFigures, o: DigestViewOptions): string[] {
  const name = names(o);
  if (f.risks.length === 0) return [o.t("dg-risks-none")];
  return chunkLines([`<b>${o.t("dg-sec-risks", { n: f.risks.length })}</b>`, ...f.risks.map((r, i) => `${i + 1}. ${riskLine(r, o, name)} — ${escapeHtml(o.data.orgs.get(r.organizationId)?.shortName ?? "")}`)]);
}

/** Every mentor at capacity and every idle approved mentor, with their organization, as messages under the limit. */
export function mentorListMessages(f: DigestFigures, o: DigestViewOptions): string[] {
  const name = names(o);
  const line = (m: (typeof f.atCapacity)[number], i: number) => `${i + 1}. ${name(m.userId)} — ${escapeHtml(o.data.orgs.get(m.organizationId)?.shortName ?? "")}`;
  return chunkLines([
    `<b>${o.t("dg-sec-mentors")}</b>`,
    o.t("dg-mentors-full", { n: f.atCapacity.length, list: "" }),
    ...f.atCapacity.map(line),
    o.t("dg-mentors-idle", { n: f.idle.length, list: "" }),
    ...f.idle.map(line),
  ]);
}

/** Every organization line, as messages under the limit. */
export function orgListMessages(f: DigestFigures, o: DigestViewOptions): string[] {
  return chunkLines([`<b>${o.t("dg-sec-orgs", { n: f.byOrganization.length })}</b>`, ...f.byOrganization.map((l, i) => `${i + 1}. ${orgLine(l, o)}`)]);
}

/**
 * Sends the digest (text with buttons, then the chart unless quiet) to one chat. Once the text is
 * out, a failing chart is reported to `onChartError` and not thrown: a retry of the whole job
 * would send the text twice.
 */
export async function sendDigest(api: Api, chatId: number, f: DigestFigures, o: DigestViewOptions, onChartError?: (err: unknown) => void): Promise<void> {
  const r = renderDigest(f, o);
  await api.sendMessage(chatId, r.text, { reply_markup: r.keyboard, link_preview_options: { is_disabled: true } });
  if (r.quiet) return;
  try {
    const png = await digestChart(f, o.t, o.locale);
    await api.sendPhoto(chatId, new InputFile(png, "digest.png"), { caption: o.t("dg-chart-caption", { period: periodLabel(f) }) });
  } catch (err) {
    onChartError?.(err);
  }
}
