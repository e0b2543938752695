import type { TopLevelSpec } from "vega-lite";
import { clip } from "../core/html.ts";
import { CHART_FONT } from "./chart.ts";

/** A campaign's chart (issue 16): the average score of each scale question, 1–5. */
export function surveyChartSpec(input: { title: string; axis: string; bars: Array<{ label: string; average: number }> }): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: { font: CHART_FONT, background: "white" },
    title: clip(input.title, 70),
    width: 420,
    height: Math.max(80, 26 * input.bars.length),
    data: { values: input.bars.map((b, i) => ({ q: `${i + 1}. ${clip(b.label, 40)}`, order: i, avg: Math.round(b.average * 10) / 10 })) },
    layer: [
      {
        mark: { type: "bar", color: "#4c78a8" },
        encoding: {
          y: { field: "q", type: "nominal", title: null, sort: { field: "order" } },
          x: { field: "avg", type: "quantitative", title: input.axis, scale: { domain: [0, 5] }, axis: { tickMinStep: 1 } },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 3 },
        encoding: { y: { field: "q", type: "nominal", sort: { field: "order" } }, x: { field: "avg", type: "quantitative" }, text: { field: "avg", type: "quantitative", format: ".1f" } },
      },
    ],
  } as TopLevelSpec;
}
