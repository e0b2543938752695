import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { DateTime } from "luxon";
import { useTestDatabase } from "./helpers/db.ts";
import { org } from "./helpers/scenario.ts";
import { meeting, moscowWeek, request, person } from "./helpers/digest-fixture.ts";
import { loadDigestData } from "../src/domain/digest.ts";
import { computeDigest } from "../src/domain/digest-figures.ts";
import { customPeriod, periodOf } from "../src/domain/digest-periods.ts";
import { digestChart } from "../src/messaging/digest-view.ts";
import { wrapLabel } from "../src/domain/chart.ts";
import { createI18n } from "../src/bot/i18n.ts";

useTestDatabase({ resetBetweenTests: true });

const i18n = createI18n("ru", async () => "ru");
const t = (key: string, args?: Record<string, string | number>) => i18n.t("ru", key, args);
const NOW = new Date("2026-12-01T06:00:00Z");
/** Rendered charts are kept for review (ignored by git). */
const OUT = "tests/output";

const size = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe("the digest chart for a phone", () => {
  it("is portrait, about 1080 px wide, over the report's period; the PNGs are kept in tests/output/", async () => {
    mkdirSync(OUT, { recursive: true });
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const ids = await moscowWeek(msk.id);
    for (const day of [3, 10, 17, 24]) await meeting(msk.id, ids.m1, `2026-11-${String(day).padStart(2, "0")}T09:00:00Z`, "held");
    const data = await loadDigestData([msk.id], NOW);

    // A month's report: a bar per week of November only (the window is the report's period).
    const month = customPeriod("01.11.2026 30.11.2026", "Europe/Moscow")!;
    const f = computeDigest(data, [msk.id], { period: month, now: NOW, zone: "Europe/Moscow" });
    expect(f.chartUnit).toBe("week");
    expect(f.weekly.map((w) => DateTime.fromJSDate(w.weekStart, { zone: "Europe/Moscow" }).toFormat("dd.MM"))).toEqual(["01.11", "02.11", "09.11", "16.11", "23.11", "30.11"]);
    expect(f.weekly.reduce((s, w) => s + w.held + w.missed, 0)).toBe(f.counts.held + f.counts.missed);
    const png = await digestChart(f, t, "ru");
    writeFileSync(`${OUT}/digest-month.png`, png);
    const { width, height } = size(png);
    expect(width).toBeGreaterThanOrEqual(950);
    expect(width).toBeLessThanOrEqual(1200);
    expect(height).toBeGreaterThan(width); // portrait: panels one above the other

    // The weekly digest: a bar per day of its 7 days.
    const week = computeDigest(data, [msk.id], { period: periodOf("week", NOW, "Europe/Moscow"), now: NOW, zone: "Europe/Moscow" });
    expect(week.chartUnit).toBe("day");
    expect(week.weekly).toHaveLength(7);
    writeFileSync(`${OUT}/digest-week.png`, await digestChart(week, t, "ru"));
  });

  it("for a network: a panel of kindergartens below, long topic names wrapped", async () => {
    mkdirSync(OUT, { recursive: true });
    const ids: string[] = [];
    for (const [n, zone] of [["Детский сад № 5 «Солнышко» комбинированного вида", "Europe/Moscow"], ["Детский сад № 8", "Asia/Vladivostok"], ["Детский сад № 12 «Берёзка»", "Asia/Yekaterinburg"]] as const) {
      const o = await org(n, zone);
      ids.push(o.id);
      const host = await person(o.id, "Наставница Тестовая");
      for (let d = 2; d < 28; d += 3 + ids.length) await meeting(o.id, host, `2026-11-${String(d).padStart(2, "0")}T09:00:00Z`, d % 4 === 0 ? "missed" : "held");
      const mentee = await person(o.id, "Наставляемая Тестовая");
      await request(o.id, mentee, "2026-11-05T08:00:00Z", [], ["A1", "B3", "C1"]);
    }
    const data = await loadDigestData(ids, NOW);
    const f = computeDigest(data, ids, { period: customPeriod("01.11.2026 30.11.2026", "Europe/Moscow")!, now: NOW, zone: "Europe/Moscow" });
    const png = await digestChart(f, t, "ru");
    writeFileSync(`${OUT}/digest-network.png`, png);
    const { width, height } = size(png);
    expect(width).toBeLessThanOrEqual(1200);
    expect(height).toBeGreaterThan(width);
    expect(wrapLabel("Реализация ФГОС ДО и ФОП ДО, рабочая программа группы")).toBe("Реализация ФГОС ДО и|ФОП ДО, рабочая|программа группы");
  });
});
