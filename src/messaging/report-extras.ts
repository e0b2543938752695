import type { Api } from "grammy";
import { clip, escapeHtml } from "../core/html.ts";
import { formatDecimal } from "../domain/russian.ts";
import { scopeExtras, type ScopeExtras } from "../domain/digest-thread.ts";

type Translate = (key: string, args?: Record<string, string | number>) => string;

/**
 * The part of `/report` added by issue 16: adaptation and satisfaction over time (averages per
 * milestone, so the change shows) and planned versus actual (plan items and programs of the year).
 */
export async function reportExtrasText(scope: readonly string[] | null, from: Date, to: Date, now: Date, zone: string, t: Translate, locale: string): Promise<string> {
  return renderExtras(await scopeExtras({ scope, from, to, now, zone }), t, locale);
}

function renderExtras({ trend, pa }: ScopeExtras, t: Translate, locale: string): string {
  const lines = [`<b>${t("rx-wellbeing-title")}</b>`];
  const shown = trend.filter((r) => r.n > 0);
  if (shown.length === 0) lines.push(t("rx-wellbeing-none"));
  for (const r of shown) lines.push(t("rx-wellbeing-line", { occasion: t(`rx-occasion-${r.occasion.replace(":", "-")}`), average: formatDecimal(r.average ?? 0, locale), n: r.n }));
  lines.push("", `<b>${t("rx-plan-title")}</b>`);
  lines.push(t("rx-plan-items", { onTime: pa.totals.onTime, late: pa.totals.late, notDone: pa.totals.notDone, ahead: pa.totals.ahead }));
  lines.push(t("rx-plan-year", { year: String(pa.year), planned: pa.plannedThisYear, completed: pa.completedThisYear }));
  for (const p of pa.programs.slice(0, 5)) lines.push(`• ${escapeHtml(clip(p.goal || "—", 60))}: ${t("rx-plan-program", { onTime: p.onTime, late: p.late, notDone: p.notDone, ahead: p.ahead })}`);
  if (pa.programs.length > 5) lines.push(t("rx-more", { n: pa.programs.length - 5 }));
  return lines.join("\n");
}

export async function sendReportExtras(api: Api, chatId: number, ...args: Parameters<typeof reportExtrasText>): Promise<void> {
  await api.sendMessage(chatId, await reportExtrasText(...args));
}

/** The same part for the weekly digest, sent only when there is something in it (no survey answers and no plan items: nothing). */
export async function sendWeeklyExtras(api: Api, chatId: number, ...args: Parameters<typeof reportExtrasText>): Promise<boolean> {
  const [scope, from, to, now, zone, t, locale] = args;
  const extras = await scopeExtras({ scope, from, to, now, zone });
  const { totals, plannedThisYear, completedThisYear } = extras.pa;
  if (!extras.trend.some((r) => r.n > 0) && totals.onTime + totals.late + totals.notDone + totals.ahead + plannedThisYear + completedThisYear === 0) return false;
  await api.sendMessage(chatId, renderExtras(extras, t, locale));
  return true;
}
