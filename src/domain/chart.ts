import { createRequire } from "node:module";
import type * as Vega from "vega";
import type * as VegaLite from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import type * as ResvgModule from "@resvg/resvg-js";
import { clip } from "../core/html.ts";

/**
 * Charts rendered in-process: a Vega-Lite specification → Vega → SVG (no browser, no canvas) →
 * PNG with resvg (a prebuilt binary from npm, no build step). Text uses DejaVu Sans shipped by the
 * `dejavu-fonts-ttf` package and loaded explicitly (system fonts are not used), so Cyrillic
 * labels render the same on any machine.
 */
const require = createRequire(import.meta.url);
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
export const CHART_FONT = "DejaVu Sans";

// Vega, Vega-Lite and resvg load with the first chart: on every start they cost about 0.4 s
// (of the 1.1-1.9 s the bot's modules take), for a feature most starts never use.
let renderers: Promise<[typeof Vega, typeof VegaLite, typeof ResvgModule]> | undefined;
const loadRenderers = () => (renderers ??= Promise.all([import("vega"), import("vega-lite"), import("@resvg/resvg-js")]));

export interface DigestChartInput {
  title: string;
  /** Bars over the report's period (days or weeks, labels such as "23.11") with held and missed meetings. */
  weeks: Array<{ label: string; held: number; missed: number }>;
  heldLabel: string;
  missedLabel: string;
  weekAxis: string;
  countAxis: string;
  topicsTitle: string;
  /** Top deficit topics with their request counts (may be empty). */
  topics: Array<{ label: string; count: number }>;
  /** For a network: one line per kindergarten with its held and missed meetings (empty for one). */
  organizations?: Array<{ label: string; held: number; missed: number }>;
  organizationsTitle?: string;
}

/** Width of a panel in CSS pixels: rendered at 2× it makes a PNG about 1080 px wide, a phone's screen. */
export const PANEL_WIDTH = 410;

/** Splits a label into lines of at most `width` characters at spaces ("|"-joined for the axis's labelExpr). */
export function wrapLabel(text: string, width = 22, maxLines = 3): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && (line + " " + word).length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) lines.splice(maxLines - 1, lines.length, clip(lines.slice(maxLines - 1).join(" "), width));
  return lines.join("|");
}

const HELD = "#4c78a8";
const MISSED = "#e45756";

/**
 * A panel of horizontal bars for a phone: each row's label written above its bar across the full
 * width (wrapped, at most two lines), the value at the bar's end. Segments stack (held/missed) with
 * the legend at this panel; a single series has no legend.
 */
function rowsPanel(title: string, rows: Array<{ label: string; parts: number[] }>, series: { labels: string[]; colors: string[] } | null, countAxis: string) {
  const values = rows.flatMap((r, i) =>
    r.parts.map((n, k) => ({ row: i, label: wrapLabel(r.label, 44, 2), status: series?.labels[k] ?? "", n, total: r.parts.reduce((a, b) => a + b, 0), first: k === 0 })),
  );
  const y = { field: "row", type: "ordinal" as const, axis: null, sort: null, scale: { paddingInner: 0, paddingOuter: 0 } };
  const x = { field: "n", type: "quantitative" as const, title: countAxis, axis: { tickMinStep: 1 }, stack: "zero" as const };
  return {
    title,
    width: PANEL_WIDTH,
    height: { step: 84 },
    data: { values },
    layer: [
      {
        mark: { type: "bar" as const, size: 26, yOffset: 20 },
        encoding: {
          y,
          x,
          ...(series
            ? { color: { field: "status", type: "nominal" as const, scale: { domain: series.labels, range: series.colors }, legend: { orient: "top" as const, title: null } } }
            : { color: { value: "#72b7b2" } }),
        },
      },
      {
        transform: [{ filter: "datum.first" }],
        mark: { type: "text" as const, align: "left" as const, baseline: "top" as const, lineBreak: "|", yOffset: -38, fontSize: 15 },
        encoding: { y, x: { datum: 0, type: "quantitative" as const }, text: { field: "label", type: "nominal" as const } },
      },
      {
        transform: [{ filter: "datum.first" }],
        mark: { type: "text" as const, align: "left" as const, dx: 6, yOffset: 20, fontSize: 16, fontWeight: "bold" as const },
        encoding: { y, x: { field: "total", type: "quantitative" as const }, text: { field: "total", type: "quantitative" as const } },
      },
    ],
  };
}

/**
 * The digest chart for a phone: portrait, about 1080 px wide, panels one above the other (meetings
 * over the report's period, then the frequent deficits, then — for a network — each kindergarten),
 * each legend at its own panel, wrapped labels and the values written on the bars.
 */
export function digestChartSpec(input: DigestChartInput): TopLevelSpec {
  const weekly = input.weeks.flatMap((w, i) => [
    { week: w.label, order: i, status: input.heldLabel, n: w.held, total: w.held + w.missed },
    { week: w.label, order: i, status: input.missedLabel, n: w.missed, total: w.held + w.missed },
  ]);
  const x = { field: "week", type: "ordinal" as const, title: input.weekAxis, sort: null, axis: { labelAngle: input.weeks.length > 8 ? -45 : 0 } };
  const sessions = {
    title: input.title,
    width: PANEL_WIDTH,
    height: 240,
    data: { values: weekly },
    layer: [
      {
        mark: { type: "bar" as const },
        encoding: {
          x,
          y: { field: "n", type: "quantitative" as const, title: input.countAxis, axis: { tickMinStep: 1 } },
          color: { field: "status", type: "nominal" as const, scale: { domain: [input.heldLabel, input.missedLabel], range: [HELD, MISSED] }, legend: { orient: "top" as const, title: null } },
        },
      },
      {
        // The week's total above its bar (nothing for an empty week).
        transform: [{ filter: `datum.status === ${JSON.stringify(input.heldLabel)} && datum.total > 0` }],
        mark: { type: "text" as const, baseline: "bottom" as const, dy: -3, fontSize: 16 },
        encoding: { x, y: { field: "total", type: "quantitative" as const }, text: { field: "total", type: "quantitative" as const } },
      },
      {
        // Headroom above the tallest bar, so its value never touches the legend.
        transform: [{ calculate: "datum.total * 1.15 + 0.3", as: "head" }],
        mark: { type: "point" as const, opacity: 0 },
        encoding: { x, y: { field: "head", type: "quantitative" as const } },
      },
    ],
  };
  const topics = rowsPanel(input.topicsTitle, input.topics.map((t) => ({ label: t.label, parts: [t.count] })), null, input.countAxis);
  const panels: object[] = [sessions];
  if (input.topics.length) panels.push(topics);
  if (input.organizations && input.organizations.length > 1) {
    const orgs = input.organizations.map((o) => ({ label: o.label, parts: [o.held, o.missed] }));
    panels.push(rowsPanel(input.organizationsTitle ?? "", orgs, { labels: [input.heldLabel, input.missedLabel], colors: [HELD, MISSED] }, input.countAxis));
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: {
      font: CHART_FONT,
      background: "white",
      padding: 16,
      title: { fontSize: 20, anchor: "start" },
      axis: { labelFontSize: 15, titleFontSize: 15 },
      legend: { labelFontSize: 16, symbolSize: 200 },
      view: { stroke: null },
    },
    ...(panels.length > 1 ? { vconcat: panels, spacing: 36, resolve: { scale: { color: "independent", x: "independent" }, legend: { color: "independent" } } } : sessions),
  } as TopLevelSpec;
}

/** Renders a Vega-Lite specification to SVG text. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await loadRenderers();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders a Vega-Lite specification to a PNG (twice the CSS size, for phone screens). */
export async function renderPng(spec: TopLevelSpec, scale = 2): Promise<Buffer> {
  const svg = await renderSvg(spec);
  const [, , { Resvg }] = await loadRenderers();
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: CHART_FONT },
    fitTo: { mode: "zoom", value: scale },
    background: "white",
  });
  return resvg.render().asPng();
}
