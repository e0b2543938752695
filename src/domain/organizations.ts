import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { IANAZone } from "luxon";
import { Types } from "mongoose";
import { modelNow, Network, Organization } from "../../models/index.ts";
import { detectLegalForm, matchKind, normalizeNetworkName, normalizeOrgName, orgUniqueKey, stripControlCharacters } from "./org-names.ts";

/**
 * The registry of organizations (ДОО) and networks: adding, listing, searching, joining networks
 * and importing a registry from CSV or XLSX. Domain service, no grammY imports. Expected
 * failures (bad zone, duplicate, unknown id) come back as an {@link OrganizationError} in a
 * {@link Result}, never as a thrown error; only file-level import failures are thrown.
 */

/** Why an operation on the registry was refused. */
export type OrganizationErrorCode =
  | "empty_name"
  | "invalid_timezone"
  | "invalid_value"
  | "duplicate"
  | "invalid_id"
  | "not_found"
  | "file_unreadable"
  | "bad_encoding"
  | "unsupported_format"
  | "bad_header";

/** A refusal with a machine-readable code and a one-line English message for people. */
export class OrganizationError extends Error {
  readonly code: OrganizationErrorCode;
  /** The existing record's id, for `duplicate`. */
  readonly existingId?: string;
  constructor(code: OrganizationErrorCode, message: string, existingId?: string) {
    super(message);
    this.name = "OrganizationError";
    this.code = code;
    if (existingId !== undefined) this.existingId = existingId;
  }
}

/** Outcome of an operation that can be refused. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: OrganizationError };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(code: OrganizationErrorCode, message: string, existingId?: string): Result<T> => ({
  ok: false,
  error: new OrganizationError(code, message, existingId),
});

/** An organization as the rest of the code sees it (ids as strings). */
export interface OrganizationView {
  id: string;
  shortName: string;
  fullName?: string;
  legalForm?: string;
  region?: string;
  municipality?: string;
  timezone: string;
  website?: string;
  searchKey: string;
  networkIds: string[];
}

/** A network of organizations. */
export interface NetworkView {
  id: string;
  name: string;
  searchKey: string;
}

interface OrganizationLean {
  _id: Types.ObjectId;
  shortName: string;
  fullName?: string | null;
  legalForm?: string | null;
  region?: string | null;
  municipality?: string | null;
  timezone: string;
  website?: string | null;
  searchKey: string;
  networkIds?: ReadonlyArray<{ toString(): string }> | null;
}

function toView(doc: OrganizationLean): OrganizationView {
  const view: OrganizationView = {
    id: doc._id.toString(),
    shortName: doc.shortName,
    timezone: doc.timezone,
    searchKey: doc.searchKey,
    networkIds: (doc.networkIds ?? []).map((n) => n.toString()),
  };
  if (doc.fullName) view.fullName = doc.fullName;
  if (doc.legalForm) view.legalForm = doc.legalForm;
  if (doc.region) view.region = doc.region;
  if (doc.municipality) view.municipality = doc.municipality;
  if (doc.website) view.website = doc.website;
  return view;
}

function toNetworkView(doc: { _id: Types.ObjectId; name: string; searchKey: string }): NetworkView {
  return { id: doc._id.toString(), name: doc.name, searchKey: doc.searchKey };
}

/** Whether a string is a 24-hex-digit ObjectId (Types.ObjectId.isValid also accepts any 12 characters). */
export function isObjectIdString(value: string): boolean {
  return /^[0-9a-f]{24}$/i.test(value);
}

/**
 * The canonical spelling of an IANA time zone ("europe/moscow" → "Europe/Moscow"), or undefined
 * when luxon does not know it. Fixed offsets such as "+03:00" are not zones and are refused.
 */
const zoneCache = new Map<string, string | undefined>();

export function canonicalTimezone(zone: string): string | undefined {
  const z = zone.trim();
  // Checking a zone costs about half a millisecond (Intl); an import repeats a handful of zones.
  if (zoneCache.has(z)) return zoneCache.get(z);
  const canonical = checkTimezone(z);
  if (zoneCache.size >= 1000) zoneCache.clear();
  zoneCache.set(z, canonical);
  return canonical;
}

function checkTimezone(z: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(z)) return undefined;
  if (!IANAZone.isValidZone(z)) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: z }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === 11000;
}

// ---------------------------------------------------------------------------------------------
// Networks

/**
 * Creates a network; refused when one with the same normalised name exists
 * («Ярославская сеть» and "ярославская  СЕТЬ" are the same).
 */
export async function addNetwork(name: string): Promise<Result<NetworkView>> {
  const trimmed = name.trim().replace(/\s+/g, " ");
  const searchKey = normalizeNetworkName(trimmed);
  if (!searchKey) return fail("empty_name", "the network name is empty");
  if (trimmed.length > 200) return fail("invalid_value", "the network name is longer than 200 characters");
  const existing = await Network.findOne({ searchKey }).lean();
  if (existing) return fail("duplicate", `network «${existing.name}» already exists (${existing._id.toString()})`, existing._id.toString());
  try {
    const doc = await Network.create({ name: trimmed, searchKey });
    return ok(toNetworkView(doc));
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const again = await Network.findOne({ searchKey }).lean();
    return fail("duplicate", `network «${trimmed}» already exists`, again?._id.toString());
  }
}

/** The network with this name (normalised), created if missing. */
async function ensureNetwork(name: string): Promise<Result<NetworkView>> {
  const searchKey = normalizeNetworkName(name);
  if (!searchKey) return fail("empty_name", "the network name is empty");
  const existing = await Network.findOne({ searchKey }).lean();
  if (existing) return ok(toNetworkView(existing));
  const created = await addNetwork(name);
  if (created.ok || created.error.code !== "duplicate") return created;
  // Created concurrently by someone else: use theirs.
  const theirs = await Network.findOne({ searchKey }).lean();
  return theirs ? ok(toNetworkView(theirs)) : created;
}

/** A network by id or by (normalised) name. */
export async function findNetwork(networkNameOrId: string): Promise<NetworkView | undefined> {
  const value = networkNameOrId.trim();
  if (isObjectIdString(value)) {
    const byId = await Network.findById(value).lean();
    if (byId) return toNetworkView(byId);
  }
  const searchKey = normalizeNetworkName(value);
  if (!searchKey) return undefined;
  const byName = await Network.findOne({ searchKey }).lean();
  return byName ? toNetworkView(byName) : undefined;
}

/** Every network, by name. */
export async function listNetworks(): Promise<NetworkView[]> {
  const docs = await Network.find({}).sort({ name: 1 }).lean();
  return docs.map(toNetworkView);
}

/**
 * Adds an organization to a network (given by id or name). Joining twice is not an error:
 * `added` is then false.
 */
export async function joinNetwork(
  networkNameOrId: string,
  orgId: string,
): Promise<Result<{ network: NetworkView; organization: OrganizationView; added: boolean }>> {
  const network = await findNetwork(networkNameOrId);
  if (!network) return fail("not_found", `network "${networkNameOrId}" not found (create it with: network add <name>)`);
  if (!isObjectIdString(orgId)) return fail("invalid_id", `"${orgId}" is not an organization id (24 hex digits)`);
  const networkId = new Types.ObjectId(network.id);
  // The filter (not the reported modifiedCount, which FerretDB sets for a no-op $addToSet) tells
  // whether the organization was already a member.
  const res = await Organization.updateOne({ _id: orgId, networkIds: { $ne: networkId } }, { $addToSet: { networkIds: networkId } });
  const org = await Organization.findById(orgId).lean();
  if (!org) return fail("not_found", `organization ${orgId} not found`);
  return ok({ network, organization: toView(org), added: res.matchedCount === 1 });
}

/** Members of a network, by short name. */
export async function networkOrganizations(networkId: string): Promise<OrganizationView[]> {
  if (!isObjectIdString(networkId)) return [];
  const docs = await Organization.find({ networkIds: new Types.ObjectId(networkId) }).sort({ shortName: 1 }).lean();
  return docs.map(toView);
}

// ---------------------------------------------------------------------------------------------
// Organizations

/** What an organization is created from; only `shortName` and `timezone` are required. */
export interface AddOrganizationInput {
  shortName: string;
  /** IANA zone, e.g. Europe/Moscow, Asia/Yekaterinburg, Asia/Vladivostok. */
  timezone: string;
  fullName?: string;
  /** Detected from the names when omitted («МДОУ …» → МДОУ). */
  legalForm?: string;
  region?: string;
  municipality?: string;
  website?: string;
  /** Network name; the network is created if missing. */
  network?: string;
}

const MAX_LENGTH: Record<string, number> = {
  shortName: 200,
  fullName: 500,
  legalForm: 20,
  region: 200,
  municipality: 200,
  website: 300,
};

const FIELD_LABEL: Record<string, string> = {
  shortName: "short_name",
  fullName: "full_name",
  legalForm: "legal_form",
  region: "region",
  municipality: "municipality",
  website: "website",
};

function clean(value: string | undefined): string | undefined {
  const v = value === undefined ? undefined : stripControlCharacters(value).trim().replace(/\s+/g, " ");
  return v ? v : undefined;
}

interface PreparedOrganization {
  fields: {
    shortName: string;
    fullName?: string;
    legalForm?: string;
    region?: string;
    municipality?: string;
    website?: string;
    timezone: string;
    searchKey: string;
    uniqueKey: string;
  };
  network?: string;
}

/** Validates input without touching the database; every problem, not just the first. */
function prepare(input: AddOrganizationInput): { prepared?: PreparedOrganization; problems: Array<{ code: OrganizationErrorCode; message: string }> } {
  const problems: Array<{ code: OrganizationErrorCode; message: string }> = [];
  const shortName = clean(input.shortName);
  const fullName = clean(input.fullName);
  const searchKey = shortName ? normalizeOrgName(shortName) : "";
  if (!shortName) problems.push({ code: "empty_name", message: "missing short name" });
  else if (!searchKey) problems.push({ code: "empty_name", message: `short name «${shortName}» has nothing but a legal form` });
  const zoneText = clean(input.timezone);
  const timezone = zoneText ? canonicalTimezone(zoneText) : undefined;
  if (!zoneText) problems.push({ code: "invalid_timezone", message: "missing time zone" });
  else if (!timezone)
    problems.push({ code: "invalid_timezone", message: `invalid time zone "${zoneText}" (expected an IANA zone such as Europe/Moscow)` });
  const legalForm = clean(input.legalForm)?.toUpperCase() ?? (shortName ? detectLegalForm(shortName) : undefined) ?? (fullName ? detectLegalForm(fullName) : undefined);
  const fields = {
    shortName: shortName ?? "",
    fullName,
    legalForm,
    region: clean(input.region),
    municipality: clean(input.municipality),
    website: clean(input.website),
  };
  for (const [key, max] of Object.entries(MAX_LENGTH)) {
    const value = fields[key as keyof typeof fields];
    if (value !== undefined && value.length > max)
      problems.push({ code: "invalid_value", message: `${FIELD_LABEL[key]} is longer than ${max} characters` });
  }
  if (problems.length > 0) return { problems };
  const uniqueKey = orgUniqueKey(searchKey, fields.municipality, fields.region);
  const prepared: PreparedOrganization = { fields: { shortName: fields.shortName, timezone: timezone as string, searchKey, uniqueKey } };
  for (const key of ["fullName", "legalForm", "region", "municipality", "website"] as const) {
    const value = fields[key];
    if (value !== undefined) prepared.fields[key] = value;
  }
  const network = clean(input.network);
  if (network) prepared.network = network;
  return { prepared, problems };
}

async function findByUniqueKey(uniqueKey: string): Promise<OrganizationLean | null> {
  return Organization.findOne({ uniqueKey }).lean<OrganizationLean>();
}

/** «Детский сад № 5» (Ярославль) — the name and, when known, the place, for messages. */
function describeExisting(doc: { shortName: string; municipality?: string | null; region?: string | null }): string {
  const place = doc.municipality || doc.region;
  return place ? `«${doc.shortName}» (${place})` : `«${doc.shortName}»`;
}

/**
 * Adds an organization. Refused (not thrown) when the short name is empty, the zone is not an
 * IANA zone, a field is too long, or an organization with the same search key exists in the same
 * municipality (or region, when the municipality is empty): «МДОУ «Детский сад № 27»» duplicates
 * "Детский сад 27" in the same town, not in another. Control characters are stripped from every
 * field. A named network is created if missing.
 */
export async function addOrganization(input: AddOrganizationInput): Promise<Result<OrganizationView>> {
  const { prepared, problems } = prepare(input);
  if (!prepared) {
    const first = problems[0] as { code: OrganizationErrorCode; message: string };
    return fail(first.code, problems.map((p) => p.message).join("; "));
  }
  const existing = await findByUniqueKey(prepared.fields.uniqueKey);
  if (existing)
    return fail(
      "duplicate",
      `organization ${describeExisting(existing)} already exists (${existing._id.toString()})`,
      existing._id.toString(),
    );
  const networkIds: Types.ObjectId[] = [];
  if (prepared.network) {
    const network = await ensureNetwork(prepared.network);
    if (!network.ok) return network;
    networkIds.push(new Types.ObjectId(network.value.id));
  }
  const doc = await Organization.create({ ...prepared.fields, networkIds });
  return ok(toView(doc.toObject()));
}

/** One organization by id, or undefined (also for a malformed id). */
export async function getOrganization(id: string): Promise<OrganizationView | undefined> {
  if (!isObjectIdString(id)) return undefined;
  const doc = await Organization.findById(id).lean<OrganizationLean>();
  return doc ? toView(doc) : undefined;
}

/** Every organization, by short name. */
export async function listOrganizations(): Promise<OrganizationView[]> {
  const docs = await Organization.find({}).sort({ shortName: 1 }).lean<OrganizationLean[]>();
  return docs.map(toView);
}

/** A page of search results. */
export interface SearchPage {
  items: OrganizationView[];
  /** Number of matching organizations. */
  total: number;
  /** Number of pages (at least 1). */
  pages: number;
  /** The page returned, 1-based, clamped to 1…pages. */
  page: number;
}

/**
 * Organizations whose short name (or full name) matches the query (see `matchesQuery` in
 * org-names.ts), by short name; exact prefix matches come before the ones found only by the typo
 * fallback. Matching runs in application code over a cursor. `page` is 1-based.
 */
export async function searchOrganizations(
  query: string,
  options: { page?: number; pageSize?: number } = {},
): Promise<SearchPage> {
  const pageSize = Math.max(1, Math.min(100, Math.floor(options.pageSize ?? 10)));
  const exact: OrganizationView[] = [];
  const fuzzy: OrganizationView[] = [];
  const cursor = Organization.find({}).sort({ shortName: 1 }).lean<OrganizationLean[]>().cursor();
  for await (const raw of cursor) {
    const doc: OrganizationLean = raw;
    const haystack = doc.fullName ? `${doc.searchKey} ${normalizeOrgName(doc.fullName)}` : doc.searchKey;
    const kind = matchKind(haystack, query);
    if (kind === "exact") exact.push(toView(doc));
    else if (kind === "fuzzy") fuzzy.push(toView(doc));
  }
  const all = [...exact, ...fuzzy];
  const total = all.length;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.max(1, Math.min(pages, Math.floor(options.page ?? 1)));
  return { items: all.slice((page - 1) * pageSize, page * pageSize), total, pages, page };
}

// ---------------------------------------------------------------------------------------------
// Import

/** Import columns and the header spellings accepted for each (compared after normalisation). */
export const IMPORT_COLUMNS = {
  shortName: ["short_name", "Краткое наименование"],
  timezone: ["timezone", "Часовой пояс"],
  fullName: ["full_name", "Полное наименование"],
  legalForm: ["legal_form", "Организационно-правовая форма"],
  region: ["region", "Регион"],
  municipality: ["municipality", "Муниципалитет"],
  website: ["website", "Сайт"],
  network: ["network", "Сеть"],
} as const;

type ImportColumn = keyof typeof IMPORT_COLUMNS;

function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[*"«»„“”']/g, "")
    .replace(/[\s_-]+/g, " ")
    .trim();
}

const HEADER_LOOKUP = new Map<string, ImportColumn>(
  Object.entries(IMPORT_COLUMNS).flatMap(([column, names]) => names.map((n) => [normalizeHeader(n), column as ImportColumn] as const)),
);

/** A data row of an import file with its line number (the header is line 1 in a plain file). */
interface SourceRow {
  line: number;
  cells: string[];
}

/** The result of an import: how many organizations were created and which rows were not. */
export interface ImportReport {
  imported: number;
  /** Ids of the organizations created, in file order. */
  ids: string[];
  skipped: Array<{ line: number; reason: string }>;
}

/** The 1-based line of a character offset in a text. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const REPLACEMENT_REFUSAL =
  "contains the replacement character «\uFFFD»: the text was converted from another encoding with losses (e.g. a windows-1251 file opened as UTF-8 and saved); export the registry again as UTF-8 and import that file, nothing was imported";

/** Share of Cyrillic letters that are among the most frequent letters of Russian text. */
function russianLetterScore(text: string): number {
  let cyrillic = 0;
  let frequent = 0;
  for (const ch of text.toLowerCase()) {
    if (ch >= "а" && ch <= "я") {
      cyrillic++;
      if ("оеаинтсрвлкмдпу".includes(ch)) frequent++;
    }
  }
  return cyrillic === 0 ? 0 : frequent / cyrillic;
}

/**
 * The text of a CSV file: UTF-8 when it is valid UTF-8, otherwise windows-1251 (Excel's "CSV
 * (разделители - запятые)" on Russian Windows). Refused with `bad_encoding` when the UTF-8 text
 * holds replacement characters (already garbled by an earlier conversion), when the bytes are not
 * valid windows-1251, or when they read as Russian only in KOI8-R: storing garbage is worse than
 * saying so.
 */
function decodeText(buffer: Buffer): string {
  let utf8: string | undefined;
  try {
    utf8 = new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    utf8 = undefined;
  }
  if (utf8 !== undefined) {
    const bad = utf8.indexOf("\uFFFD");
    if (bad >= 0) throw new OrganizationError("bad_encoding", `the file is UTF-8 but line ${lineAt(utf8, bad)} ${REPLACEMENT_REFUSAL}`);
    return utf8;
  }
  const cp1251 = new TextDecoder("windows-1251").decode(buffer);
  const undefinedByte = cp1251.search(/[\u0080-\u009F]/u);
  const koi8 = new TextDecoder("koi8-r").decode(buffer);
  if (undefinedByte >= 0 || russianLetterScore(koi8) > russianLetterScore(cp1251) + 0.1) {
    const koi8Like = russianLetterScore(koi8) > russianLetterScore(cp1251) + 0.1;
    throw new OrganizationError(
      "bad_encoding",
      `the file is neither UTF-8 nor windows-1251${koi8Like ? " (it reads as KOI8-R)" : ` (line ${lineAt(cp1251, Math.max(0, undefinedByte))} has bytes undefined in both)`}: save it as "CSV UTF-8" and import again; nothing was imported`,
    );
  }
  return cp1251;
}

/** The delimiter of the header line: the most frequent of `;`, `,` and tab outside quotes. */
export function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, "").split("\n").find((l) => l.trim() !== "") ?? "";
  const counts = new Map<string, number>([
    [";", 0],
    [",", 0],
    ["\t", 0],
  ]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) as number) + 1);
  }
  let best = ",";
  let bestCount = 0;
  for (const [delimiter, count] of counts) {
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

function readCsvRows(buffer: Buffer): SourceRow[] {
  // One line-break convention, so that line numbers of multi-line quoted cells are right.
  const text = decodeText(buffer).replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parseCsv(text, {
      delimiter: detectDelimiter(text),
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    throw new OrganizationError("file_unreadable", `not a readable CSV file: ${(err as Error).message}`);
  }
  return records.map(({ record, info }) => {
    const breaks = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    return { line: info.lines - breaks, cells: record };
  });
}

async function readXlsxRows(buffer: Buffer): Promise<SourceRow[]> {
  const { default: ExcelJS } = await import("exceljs"); // loaded with the first import of a workbook
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (err) {
    throw new OrganizationError("file_unreadable", `not a readable .xlsx file: ${(err as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new OrganizationError("file_unreadable", "the .xlsx file has no sheets");
  const rows: SourceRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let col = 1; col <= row.cellCount; col++) {
      const cell = row.getCell(col);
      cells.push(cell.value === null || cell.value === undefined ? "" : cell.text);
    }
    rows.push({ line: rowNumber, cells });
  });
  const garbled = rows.find((r) => r.cells.some((c) => c.includes("\uFFFD")));
  if (garbled) throw new OrganizationError("bad_encoding", `row ${garbled.line} of the .xlsx file ${REPLACEMENT_REFUSAL}`);
  return rows;
}

/** Options of {@link importOrganizations}. */
export interface ImportOptions {
  /** Called after each batch written: rows handled so far and data rows in the file. */
  onProgress?: (done: number, total: number) => void;
  /** Organizations written per insert (default 1,000). */
  batchSize?: number;
}

/**
 * Imports organizations from a `.csv` (UTF-8, BOM tolerated, comma or semicolon detected from the
 * header; windows-1251 is accepted too) or `.xlsx` (first sheet) file whose first non-empty row
 * is a header with at least `short_name` and `timezone` (English or Russian spellings, see
 * {@link IMPORT_COLUMNS}). Good rows are created; bad ones — missing name, invalid zone,
 * duplicate (same name in the same municipality or region) in the file or in the database — are
 * returned in `skipped` with their line number (the header is line 1). Networks named in the
 * `network` column are created if missing. Control characters are stripped from every field.
 *
 * Existing organizations are read once per file (their keys only), networks once, and new
 * organizations are written in batches, so a 50,000-row file takes seconds, not hours.
 *
 * Throws an {@link OrganizationError} (`file_unreadable`, `unsupported_format`, `bad_header`,
 * `bad_encoding`) when the file as a whole cannot be used; nothing is written then.
 */
export async function importOrganizations(filePath: string, options: ImportOptions = {}): Promise<ImportReport> {
  const ext = extname(filePath).toLowerCase();
  if (ext !== ".csv" && ext !== ".xlsx")
    throw new OrganizationError("unsupported_format", `unsupported file type "${ext || filePath}": use .csv or .xlsx`);
  let buffer: Buffer;
  try {
    buffer = await readFile(filePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : (err as Error).message;
    throw new OrganizationError("file_unreadable", `cannot read ${filePath}: ${why}`);
  }
  const rows = ext === ".csv" ? readCsvRows(buffer) : await readXlsxRows(buffer);
  const nonEmpty = rows.filter((r) => r.cells.some((c) => c.trim() !== ""));
  const header = nonEmpty[0];
  if (!header) throw new OrganizationError("bad_header", `${filePath} is empty: expected a header with short_name and timezone`);

  const columnIndex = new Map<ImportColumn, number>();
  header.cells.forEach((cell, index) => {
    const column = HEADER_LOOKUP.get(normalizeHeader(cell));
    if (column && !columnIndex.has(column)) columnIndex.set(column, index);
  });
  const missing = (["shortName", "timezone"] as const).filter((c) => !columnIndex.has(c));
  if (missing.length > 0) {
    throw new OrganizationError(
      "bad_header",
      `the header (line ${header.line}) lacks ${missing.map((c) => IMPORT_COLUMNS[c].join(" / ")).join(" and ")}; found: ${header.cells
        .map((c) => stripControlCharacters(c).trim())
        .filter(Boolean)
        .join(", ")}`,
    );
  }

  const dataRows = nonEmpty.slice(1);
  const total = dataRows.length;
  const report: ImportReport = { imported: 0, ids: [], skipped: [] };
  // One read of what exists: the keys of every organization and every network.
  const existing = new Map<string, { id: string; shortName: string; municipality?: string | null; region?: string | null }>();
  for (const o of await Organization.find({}, { uniqueKey: 1, shortName: 1, municipality: 1, region: 1 }).lean()) {
    if (o.uniqueKey) existing.set(o.uniqueKey, { id: o._id.toString(), shortName: o.shortName, municipality: o.municipality, region: o.region });
  }
  const networks = new Map<string, Types.ObjectId>();
  for (const n of await Network.find({}, { searchKey: 1 }).lean()) networks.set(n.searchKey, n._id);

  const seen = new Map<string, number>();
  const toWrite: Array<{ line: number; doc: PreparedOrganization["fields"] & { _id: Types.ObjectId; networkIds: Types.ObjectId[] } }> = [];
  for (const row of dataRows) {
    const get = (column: ImportColumn): string | undefined => {
      const index = columnIndex.get(column);
      return index === undefined ? undefined : row.cells[index];
    };
    const input: AddOrganizationInput = { shortName: get("shortName") ?? "", timezone: get("timezone") ?? "" };
    for (const column of ["fullName", "legalForm", "region", "municipality", "website", "network"] as const) {
      const value = get(column);
      if (value !== undefined && value.trim() !== "") input[column] = value;
    }
    const { prepared, problems } = prepare(input);
    if (!prepared) {
      report.skipped.push({ line: row.line, reason: problems.map((p) => p.message).join("; ") });
      continue;
    }
    const key = prepared.fields.uniqueKey;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      report.skipped.push({ line: row.line, reason: `duplicate of line ${firstLine} (${describeExisting(prepared.fields)})` });
      continue;
    }
    seen.set(key, row.line);
    const already = existing.get(key);
    if (already) {
      report.skipped.push({ line: row.line, reason: `already in the database: ${describeExisting(already)} already exists (${already.id})` });
      continue;
    }
    const networkIds: Types.ObjectId[] = [];
    if (prepared.network) {
      const networkKey = normalizeNetworkName(prepared.network);
      let networkId = networks.get(networkKey);
      if (!networkId) {
        const network = await ensureNetwork(prepared.network);
        if (!network.ok) {
          report.skipped.push({ line: row.line, reason: network.error.message });
          continue;
        }
        networkId = new Types.ObjectId(network.value.id);
        networks.set(networkKey, networkId);
      }
      networkIds.push(networkId);
    }
    toWrite.push({ line: row.line, doc: { ...prepared.fields, _id: new Types.ObjectId(), networkIds } });
  }

  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000));
  const written = new Set<number>();
  const failed = new Map<number, string>();
  let done = total - toWrite.length;
  for (let i = 0; i < toWrite.length; i += batchSize) {
    const batch = toWrite.slice(i, i + batchSize);
    try {
      // Rows were validated by prepare(); `lean` skips mongoose's second pass (half the time).
      const stamp = modelNow();
      await Organization.insertMany(
        batch.map((b) => ({ ...b.doc, createdAt: stamp, updatedAt: stamp })),
        { ordered: true, lean: true },
      );
      for (const b of batch) written.add(b.line);
    } catch {
      // Something in the batch was refused: write its rows one by one to learn which.
      for (const b of batch) {
        if (await Organization.exists({ _id: b.doc._id })) {
          written.add(b.line);
          continue;
        }
        try {
          await Organization.create(b.doc);
          written.add(b.line);
        } catch (err) {
          failed.set(b.line, (err as Error).message);
        }
      }
    }
    done += batch.length;
    options.onProgress?.(done, total);
  }
  if (toWrite.length === 0) options.onProgress?.(total, total);
  for (const b of toWrite) {
    if (written.has(b.line)) {
      report.imported++;
      report.ids.push(b.doc._id.toString());
    } else report.skipped.push({ line: b.line, reason: failed.get(b.line) ?? "not written" });
  }
  report.skipped.sort((x, y) => x.line - y.line);
  return report;
}
