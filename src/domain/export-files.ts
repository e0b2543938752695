import { loadDigestData, visibleFor, type DigestData } from "./digest.ts";
import type { DigestRecipient } from "./digest-recipients.ts";
import { buildSheets, exportFileName, type ExportTranslate, type Sheet } from "./export.ts";
import { csvParts, workbookParts } from "./export-parts.ts";
import { questionnaireSheet } from "./questionnaire-export.ts";
import { planActualSheet } from "./plan-actual.ts";
import { topicLabel } from "./deficits.ts";

/**
 * The registry export of a scope as files (issue 7): every row of the scope read, the sheets
 * built, then one XLSX workbook or one CSV per sheet. A region's export reads 250,000 rows and
 * builds the workbook for tens of seconds of CPU: the export's thread does that for a large
 * scope (see digest-thread.ts), so nobody else's updates wait for it.
 */

export interface ExportRequest {
  /** Organization ids; `null` = the whole deployment. */
  scope: readonly string[] | null;
  /** Who asks (who of the rows is named: see `visibleFor`). */
  viewer: Pick<DigestRecipient, "scope" | "direct" | "networks">;
  now: Date;
  /** The viewer's zone (the files' date). */
  zone: string;
  format: "xlsx" | "csv";
  /** No file over this many bytes: a larger one comes in parts (see export-parts.ts). Default: no limit. */
  maxFileBytes?: number;
}

export interface ExportFile {
  filename: string;
  /** The sheet's name, for a CSV (one file per sheet); none for the workbook. */
  sheet?: string;
  /** A file cut into parts: this one's number and how many there are. */
  part?: { n: number; of: number };
  bytes: Uint8Array;
}

export interface ScopeExport {
  files: ExportFile[];
  /** What naming the scope takes (its organizations and networks). */
  data: DigestData;
}

/**
 * Reads the scope's rows and builds the export's files in this thread. The registries follow the
 * regulated Russian forms whatever the viewer's language: `t` gives Russian headers and labels.
 */
export async function exportHere(req: ExportRequest, t: ExportTranslate): Promise<ScopeExport> {
  const { sheets, data } = await scopeSheets(req, t);
  const max = req.maxFileBytes ?? Number.POSITIVE_INFINITY;
  const parted = (bytes: Buffer[], name: (part?: number) => string, sheet?: string): ExportFile[] =>
    bytes.map((b, i) => ({ filename: name(bytes.length > 1 ? i + 1 : undefined), ...(sheet ? { sheet } : {}), ...(bytes.length > 1 ? { part: { n: i + 1, of: bytes.length } } : {}), bytes: b }));
  const files: ExportFile[] =
    req.format === "xlsx"
      ? parted(await workbookParts(sheets, { creator: "Nastavnik", now: req.now }, max), (part) => exportFileName(req.now, req.zone, "xlsx", undefined, part))
      : sheets.flatMap((s) => parted(csvParts(s, max), (part) => exportFileName(req.now, req.zone, "csv", s.id, part), s.name));
  return { files, data };
}

/**
 * The scope's sheets, and of its load only what naming the files takes (organizations and
 * networks): the rows and people of a region's load (some 150 MB) are let go before the files are
 * written.
 */
async function scopeSheets(req: ExportRequest, t: ExportTranslate): Promise<{ sheets: Sheet[]; data: DigestData }> {
  const data = await loadDigestData(req.scope, req.now);
  const visible = visibleFor(data, req.viewer);
  const sheets = buildSheets(data, { scope: req.scope, visible, t, locale: "ru", topic: (c) => topicLabel(c, "ru"), now: req.now });
  sheets.push(await questionnaireSheet(data, req.scope, visible, t));
  sheets.push(await planActualSheet(req.scope, visible, data.orgs, t, req.now, req.zone));
  return { sheets, data: { ...data, buckets: new Map(), people: new Map() } };
}
