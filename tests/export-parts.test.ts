import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { csvParts, workbookParts } from "../src/domain/export-parts.ts";
import { sheetCsv, type Sheet } from "../src/domain/export.ts";

/** Export files cut to Telegram's upload limit (src/domain/export-parts.ts), on generated sheets. */

const columns: Sheet["columns"] = [
  { header: "№", kind: "number", width: 6 },
  { header: "Организация", kind: "text", width: 30 },
  { header: "Дата", kind: "date", width: 14 },
  { header: "Комментарий", kind: "text", width: 40 },
];

function sheet(id: Sheet["id"], name: string, rows: number, textLength = 40): Sheet {
  return {
    id,
    name,
    columns,
    rows: Array.from({ length: rows }, (_, i) => [i + 1, `Детский сад № ${(i % 97) + 1}`, new Date(Date.UTC(2026, 10, 1 + (i % 28))), `Запись ${i}; ${"о".repeat(textLength + (i % 13))}`]),
  };
}

const lines = (b: Buffer) => b.toString("utf8").replace(/^\uFEFF/, "").replace(/\r\n$/, "").split("\r\n");

describe("csvParts", () => {
  it("keeps a sheet that fits in one file, byte for byte as before", () => {
    const s = sheet("meetings", "Встречи", 50);
    const parts = csvParts(s, 1_000_000);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.toString("utf8")).toBe(sheetCsv(s));
  });

  it("cuts a larger one into files within the size, each with the header, the rows in order once", () => {
    const s = sheet("meetings", "Встречи", 3000);
    const whole = Buffer.from(sheetCsv(s), "utf8");
    const max = Math.floor(whole.length / 3.5);
    const parts = csvParts(s, max);
    expect(parts).toHaveLength(4);
    const [header, ...rows] = lines(whole);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(max);
      expect(p.subarray(0, 3).toString("hex")).toBe("efbbbf");
      expect(lines(p)[0]).toBe(header);
    }
    expect(parts.flatMap((p) => lines(p).slice(1))).toEqual(rows);
    // Every part but the last is full: one more row would not have fitted.
    for (const p of parts.slice(0, -1)) expect(p.length).toBeGreaterThan(max - 200);
  });

  it("puts a row larger than the size in a part of its own rather than dropping it", () => {
    const s = sheet("surveys", "Опросы", 5, 400);
    const parts = csvParts(s, 300);
    expect(parts).toHaveLength(5);
    expect(parts.flatMap((p) => lines(p).slice(1))).toEqual(lines(Buffer.from(sheetCsv(s), "utf8")).slice(1));
  });
});

describe("workbookParts", () => {
  const meta = { creator: "Nastavnik", now: new Date("2026-11-30T06:00:00Z") };
  const read = async (b: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(b as unknown as ArrayBuffer);
    return wb.worksheets.map((w) => ({ name: w.name, rows: w.getSheetValues().slice(1).map((r) => JSON.stringify(r)) }));
  };

  it("cuts a workbook over the size into workbooks within it that hold every row of every sheet once, in order", async () => {
    const sheets = [sheet("mentees", "База наставляемых", 1500), sheet("mentors", "Реестр наставников", 0), sheet("meetings", "Встречи", 6000), sheet("indicators", "Показатели", 3)];
    const [whole] = await workbookParts(sheets, meta, Number.POSITIVE_INFINITY);
    const max = Math.floor(whole!.length / 3);
    const parts = await workbookParts(sheets, meta, max);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const expected = await read(whole!);
    const got = [];
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(max);
      got.push(await read(p));
    }
    // The sheet with no rows is in the first part; each sheet's header in every part that has it.
    expect(got[0]!.map((s) => s.name)).toContain("Реестр наставников");
    expect(got.flat().filter((s) => s.name === "Реестр наставников")).toHaveLength(1);
    for (const { name, rows } of expected) {
      const pieces = got.flat().filter((s) => s.name === name);
      for (const piece of pieces) expect(piece.rows[0]).toBe(rows[0]);
      expect([rows[0], ...pieces.flatMap((p) => p.rows.slice(1))]).toEqual(rows);
    }
    // The sheets keep their order across the parts.
    const order = got.flat().map((s) => expected.findIndex((e) => e.name === s.name));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
