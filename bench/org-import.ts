import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withBenchDatabase } from "./database.ts";
import { Organization } from "../models/index.ts";
import { importOrganizations } from "../src/domain/organizations.ts";

/**
 * `node bench/org-import.ts`: `org import` of a generated registry — by default 50,000 rows
 * (ORG_IMPORT_BENCH_ROWS) over 200 municipalities, every 50th row a duplicate and 1,000
 * organizations already stored — against the embedded database (or MONGODB_URI, in a throwaway
 * database). Figures: the whole import (read, check, write) and rows per second. The run fails if
 * the counts are wrong.
 */
const ROWS = Math.max(1, Math.floor(Number(process.env.ORG_IMPORT_BENCH_ROWS) || 50_000));
const TOWNS = 200;
const EXISTING = 1000;

export async function benchOrgImport(log: (line: string) => void = console.log): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nastavnik-bench-orgimport-"));
  try {
    await withBenchDatabase("orgimport", async (dbLabel) => {
      log(`Organization import bench — Node ${process.version}, database: ${dbLabel}`);
      const lines = ["short_name;timezone;region;municipality;network"];
      let duplicates = 0;
      for (let i = 0; i < ROWS; i++) {
        const n = i % 50 === 49 ? i - 1 : i; // every 50th row repeats the previous one
        if (n !== i) duplicates++;
        lines.push(`МДОУ «Детский сад № ${Math.floor(n / TOWNS) + 1}»;Europe/Moscow;Ярославская область;Город ${n % TOWNS};${n % 10 === 0 ? "Сеть А" : ""}`);
      }
      const file = join(dir, "registry.csv");
      writeFileSync(file, lines.join("\n"));
      // Organizations already stored: the first EXISTING distinct rows of the file.
      const existingReport = await importOrganizations(writeHead(dir, lines, EXISTING));
      const stored = await Organization.countDocuments();
      log(`stored before: ${stored} organizations; file: ${ROWS} rows (${duplicates} repeated in the file)`);
      const t0 = performance.now();
      let progressCalls = 0;
      const report = await importOrganizations(file, { onProgress: () => progressCalls++ });
      const ms = performance.now() - t0;
      const expectedNew = ROWS - duplicates - existingReport.imported;
      log(`import: ${report.imported} imported, ${report.skipped.length} skipped in ${(ms / 1000).toFixed(1)} s (${Math.round(ROWS / (ms / 1000))} rows/s), ${progressCalls} progress reports`);
      if (report.imported !== expectedNew) throw new Error(`expected ${expectedNew} imported, got ${report.imported}`);
      if ((await Organization.countDocuments()) !== stored + expectedNew) throw new Error("the stored count is wrong");
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeHead(dir: string, lines: string[], rows: number): string {
  const file = join(dir, "head.csv");
  writeFileSync(file, lines.slice(0, rows + 1).join("\n"));
  return file;
}

if (import.meta.main) await benchOrgImport();
