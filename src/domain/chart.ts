import { createRequire } from "node:module";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { Resvg } from "@resvg/resvg-js";
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

export interface DigestChartInput {
  title: string;
  /** Week labels (e.g. "23.11") with held and missed meetings. */
  weeks: Array<{ label: string; held: number; missed: number }>;
  heldLabel: string;
  missedLabel: string;
  weekAxis: string;
  countAxis: string;
  topicsTitle: string;
  /** Top deficit topics with their request counts (may be empty). */
  topics: Array<{ label: string; count: number }>;
}

/** The digest chart: meetings per week (stacked held/missed) and, when there are any, the top deficits. */
export function digestChartSpec(input: DigestChartInput): TopLevelSpec {
  const weekly = input.weeks.flatMap((w, i) => [
    { week: w.label, order: i, status: input.heldLabel, n: w.held },
    { week: w.label, order: i, status: input.missedLabel, n: w.missed },
  ]);
  const sessions = {
    title: input.title,
    width: 360,
    height: 200,
    data: { values: weekly },
    mark: { type: "bar" as const },
    encoding: {
      x: { field: "week", type: "ordinal" as const, title: input.weekAxis, sort: { field: "order" } as const, axis: { labelAngle: 0 } },
      y: { field: "n", type: "quantitative" as const, title: input.countAxis, axis: { tickMinStep: 1 } },
      color: { field: "status", type: "nominal" as const, title: null, scale: { domain: [input.heldLabel, input.missedLabel], range: ["#4c78a8", "#e45756"] } },
    },
  };
  const topics = {
    title: input.topicsTitle,
    width: 220,
    height: 200,
    data: { values: input.topics.map((t) => ({ topic: clip(t.label, 32), n: t.count })) },
    mark: { type: "bar" as const, color: "#72b7b2" },
    encoding: {
      y: { field: "topic", type: "nominal" as const, title: null, sort: "-x" as const },
      x: { field: "n", type: "quantitative" as const, title: input.countAxis, axis: { tickMinStep: 1 } },
    },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: { font: CHART_FONT, background: "white" },
    ...(input.topics.length ? { hconcat: [sessions, topics] } : sessions),
  } as TopLevelSpec;
}

/** Renders a Vega-Lite specification to SVG text. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
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
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: CHART_FONT },
    fitTo: { mode: "zoom", value: scale },
    background: "white",
  });
  return resvg.render().asPng();
}
