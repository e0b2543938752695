import { csvFile, csvHeader, csvLine, workbookXlsx, type Cell, type Sheet } from "./export.ts";

/**
 * An export cut into files that each fit a size (Telegram takes files from a bot up to 50 MB): a
 * CSV sheet over it becomes several files, each with the header and the next rows; a workbook over
 * it becomes several workbooks, each with the next rows of the sheets, their headers and the
 * sheets with no rows at all in the first. Rows keep their order and their numbers. A part holds
 * one row at least, so only a single row larger than the size could still be over it.
 */

/** Bytes of UTF-8. */
const utf8 = (text: string) => Buffer.byteLength(text, "utf8");

/** A sheet's CSV in parts of at most `maxBytes` each (one part when it fits). */
export function csvParts(s: Sheet, maxBytes: number, locale = "ru"): Buffer[] {
  const header = csvHeader(s, locale);
  const lines = s.rows.map((r) => csvLine(s, r, locale));
  // The BOM (3 bytes) and the header's CRLF, then each line and its CRLF.
  const fixed = 3 + utf8(header) + 2;
  const parts: string[][] = [[]];
  let size = fixed;
  for (const line of lines) {
    const bytes = utf8(line) + 2;
    const current = parts.at(-1) as string[];
    if (current.length > 0 && size + bytes > maxBytes) {
      parts.push([line]);
      size = fixed + bytes;
    } else {
      current.push(line);
      size += bytes;
    }
  }
  return parts.map((p) => Buffer.from(csvFile(header, p), "utf8"));
}

/** A run of rows of one sheet (by index into the sheets), from `from` up to `to` (excluded). */
interface Run {
  sheet: number;
  from: number;
  to: number;
}

/**
 * The workbook of the sheets in parts of at most `maxBytes` each (one when it fits). The rows are
 * cut by weight (their length as text plus a share per cell, what a row costs in the workbook
 * roughly) into as many parts as the size asks, with a margin; a part still over it is cut in two
 * again.
 */
export async function workbookParts(sheets: Sheet[], meta: { creator: string; now: Date }, maxBytes: number): Promise<Buffer[]> {
  const whole = await workbookXlsx(sheets, meta);
  if (whole.length <= maxBytes) return [whole];
  const weights = sheets.map((s) => s.rows.map(rowWeight));
  const all: Run[] = sheets.map((s, i) => ({ sheet: i, from: 0, to: s.rows.length }));
  const out: Buffer[] = [];
  const build = (runs: Run[], first: boolean) => workbookXlsx(partSheets(sheets, runs, first), meta);
  const place = async (runs: Run[], first: boolean, pieces: number): Promise<void> => {
    const cuts = cutByWeight(runs, weights, pieces);
    for (const [i, cut] of cuts.entries()) {
      const isFirst = first && i === 0;
      const book = await build(cut, isFirst);
      const rows = cut.reduce((n, r) => n + r.to - r.from, 0);
      if (book.length <= maxBytes || rows <= 1) out.push(book);
      else await place(cut, isFirst, 2);
    }
  };
  await place(all, true, Math.ceil(whole.length / (maxBytes * 0.85)));
  return out;
}

/** What a row costs in a workbook, roughly: its text and a share per cell (the cell's markup). */
function rowWeight(r: Cell[]): number {
  let w = 40;
  for (const c of r) w += 30 + (c === null ? 0 : c instanceof Date ? 8 : typeof c === "number" ? 6 : c.length * 2);
  return w;
}

/** Cuts runs of rows into `pieces` parts of about equal weight (each non-empty while rows last). */
function cutByWeight(runs: Run[], weights: number[][], pieces: number): Run[][] {
  const total = runs.reduce((sum, r) => sum + (weights[r.sheet] as number[]).slice(r.from, r.to).reduce((a, b) => a + b, 0), 0);
  const target = total / Math.max(1, pieces);
  const parts: Run[][] = [[]];
  let acc = 0;
  for (const run of runs) {
    const w = weights[run.sheet] as number[];
    let start = run.from;
    for (let i = run.from; i < run.to; i++) {
      const current = parts.at(-1) as Run[];
      const hasRows = current.length > 0 || i > start;
      if (hasRows && acc + (w[i] as number) > target && parts.length < pieces) {
        if (i > start) current.push({ sheet: run.sheet, from: start, to: i });
        parts.push([]);
        start = i;
        acc = 0;
      }
      acc += w[i] as number;
    }
    if (run.to > start) (parts.at(-1) as Run[]).push({ sheet: run.sheet, from: start, to: run.to });
  }
  return parts.filter((p) => p.length > 0);
}

/** The sheets of one part: the rows of its runs, and the sheets without rows in the first part. */
function partSheets(sheets: Sheet[], runs: Run[], first: boolean): Sheet[] {
  const out: Sheet[] = [];
  for (const [i, s] of sheets.entries()) {
    const mine = runs.filter((r) => r.sheet === i);
    if (mine.length > 0) out.push({ ...s, rows: mine.flatMap((r) => s.rows.slice(r.from, r.to)) });
    else if (first && s.rows.length === 0) out.push(s);
  }
  return out;
}
