import { digestWindow, loadDigestData, type Period } from "../digest.ts";
import { computeDigest } from "../digest-figures.ts";
import { DEFAULT_ZONE } from "../digest-recipients.ts";
import { computeIndicators } from "../indicators.ts";
import { formatIndicator } from "../export.ts";
import { formatDecimal } from "../russian.ts";
import { lastDayOf } from "./order.ts";
import { day, field, heading, longDay, pack, para, slug, table, title, type Block, type DocFile, type DocTranslate } from "./docx.ts";

/**
 * The curator's report for a period: the period's figures, the program's indicators (domain
 * §4.6) with numerator and denominator, and a line per kindergarten for a network.
 */
export async function reportDocx(scope: string[] | null, period: Period, t: DocTranslate, now: Date, zone = DEFAULT_ZONE): Promise<DocFile> {
  const data = await loadDigestData(scope, now, digestWindow(period, now));
  const f = computeDigest(data, scope, { period, now, zone });
  const indicators = computeIndicators(data, scope, period, now);
  const names = [...(scope ?? [...data.buckets.keys()])].map((id) => data.orgs.get(id)?.shortName ?? "").filter(Boolean).sort((a, b) => a.localeCompare(b, "ru"));
  const from = day(period.from, zone);
  const to = day(lastDayOf(period), zone);
  const c = f.counts;
  const blocks: Block[] = [
    title(t("doc-report-title")),
    para(t("doc-report-period", { from, to }), { center: true }),
    field(t("doc-report-scope"), names.join("; ")),
    field(t("doc-report-date"), longDay(now, zone)),
    heading(t("doc-report-figures")),
    table(
      [t("xl-col-indicator"), t("doc-col-value")],
      [
        [t("doc-fig-new"), String(c.newRequests)],
        [t("doc-fig-matched"), String(c.matched)],
        [t("doc-fig-active"), String(f.open.activePairs)],
        [t("doc-fig-groups"), `${f.groups.active} (${f.groups.participants})`],
        [t("doc-fig-waiting"), String(f.open.unmatched)],
        [t("doc-fig-held"), String(c.held)],
        [t("doc-fig-missed"), String(c.missed + c.unlogged)],
        [t("doc-fig-usefulness"), c.answers ? t("doc-fig-usefulness-value", { avg: formatDecimal(c.usefulnessSum / c.answers, "ru"), n: c.answers }) : t("ind-no-data")],
      ],
    ),
    heading(t("doc-report-indicators")),
    table(
      [t("xl-col-indicator"), t("doc-col-value"), t("xl-col-numerator"), t("xl-col-denominator")],
      indicators.map((i) => [t(`ind-${i.key}`), formatIndicator(i, t, "ru"), String(i.numerator), i.kind === "count" ? "" : String(i.denominator)]),
    ),
    ...(f.byOrganization.length > 1
      ? [
          heading(t("doc-report-orgs")),
          table(
            [t("xl-col-organization"), t("doc-fig-new"), t("doc-fig-matched"), t("doc-fig-held"), t("doc-fig-waiting")],
            f.byOrganization.map((o) => [o.name, String(o.counts.newRequests), String(o.counts.matched), String(o.counts.held), String(o.open.unmatched)]),
          ),
        ]
      : []),
    para(""),
    field(t("doc-curator"), "____________________ / ____________________"),
  ];
  const content = await pack(blocks, { title: t("doc-report-title") });
  return { filename: `otchet-${slug(names.length === 1 ? (names[0] as string) : t("doc-report-network"))}-${from}-${to}.docx`, content };
}
