import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import mongoose from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { backfillOrganizationUniqueKeys } from "../src/db/backfill.ts";
import { Network, Organization } from "../models/index.ts";
import {
  addNetwork,
  addOrganization,
  canonicalTimezone,
  detectDelimiter,
  findNetwork,
  importOrganizations,
  joinNetwork,
  listOrganizations,
  networkOrganizations,
  OrganizationError,
  searchOrganizations,
  type OrganizationView,
  type Result,
} from "../src/domain/organizations.ts";

useTestDatabase();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nastavnik-orgs-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function clear(): Promise<void> {
  await Organization.deleteMany({});
  await Network.deleteMany({});
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function error<T>(result: Result<T>): OrganizationError {
  if (result.ok) throw new Error("expected a refusal");
  return result.error;
}

describe("addOrganization", () => {
  beforeEach(clear);

  it("adds an organization with a normalised search key and a detected legal form", async () => {
    const org = value(
      await addOrganization({ shortName: "  МДОУ «Детский сад № 27» ", timezone: "Europe/Moscow", region: "Ярославская область" }),
    );
    expect(org).toMatchObject({
      shortName: "МДОУ «Детский сад № 27»",
      timezone: "Europe/Moscow",
      searchKey: "детский сад 27",
      legalForm: "МДОУ",
      region: "Ярославская область",
      networkIds: [],
    });
    const stored = await Organization.findById(org.id).lean();
    expect(stored?.searchKey).toBe("детский сад 27");
  });

  it("refuses a duplicate by search key and says which organization exists", async () => {
    const first = value(await addOrganization({ shortName: "МДОУ «Детский сад № 27»", timezone: "Europe/Moscow" }));
    for (const spelling of ["Детский сад 27", "детский сад No 27", "МБДОУ детский сад №27"]) {
      const refused = error(await addOrganization({ shortName: spelling, timezone: "Europe/Moscow" }));
      expect(refused.code).toBe("duplicate");
      expect(refused.existingId).toBe(first.id);
      expect(refused.message).toContain(first.id);
    }
    expect(await Organization.countDocuments()).toBe(1);
  });

  it("keeps same-named kindergartens of different municipalities apart, and refuses one in the same place", async () => {
    const yar = value(await addOrganization({ shortName: "Детский сад № 5", timezone: "Europe/Moscow", region: "Ярославская область", municipality: "г. Ярославль" }));
    const ryb = value(await addOrganization({ shortName: "Детский сад № 5", timezone: "Europe/Moscow", region: "Ярославская область", municipality: "Рыбинск" }));
    expect(ryb.id).not.toBe(yar.id);
    const refused = error(
      await addOrganization({ shortName: "МДОУ «Детский сад №5»", timezone: "Europe/Moscow", region: "Ярославская обл.", municipality: "Ярославль" }),
    );
    expect(refused.code).toBe("duplicate");
    expect(refused.existingId).toBe(yar.id);
    expect(refused.message).toContain("(г. Ярославль)");
    // Without a municipality the region decides.
    value(await addOrganization({ shortName: "Детский сад № 5", timezone: "Europe/Moscow", region: "Костромская область" }));
    expect(error(await addOrganization({ shortName: "детский сад 5", timezone: "Europe/Moscow", region: "костромская  область" })).code).toBe("duplicate");
    expect(await Organization.countDocuments()).toBe(3);
    const found = await searchOrganizations("сад 5");
    expect(found.items.map((o) => o.municipality ?? o.region).sort()).toEqual(["Костромская область", "Рыбинск", "г. Ярославль"]);
  });

  it("gives organizations stored before the unique key theirs, so duplicates of them are still refused", async () => {
    const old = await Organization.collection.insertOne({ shortName: "Детский сад № 9", searchKey: "детский сад 9", municipality: "г. Рыбинск", timezone: "Europe/Moscow", networkIds: [] });
    const oldNoPlace = await Organization.collection.insertOne({ shortName: "Детский сад № 10", searchKey: "детский сад 10", timezone: "Europe/Moscow", networkIds: [] });
    expect(await backfillOrganizationUniqueKeys()).toBe(2);
    expect(await backfillOrganizationUniqueKeys()).toBe(0);
    expect((await Organization.findById(old.insertedId).lean())?.uniqueKey).toBe("детский сад 9|рыбинск");
    expect(error(await addOrganization({ shortName: "детский сад №9", timezone: "Europe/Moscow", municipality: "Рыбинск" })).existingId).toBe(old.insertedId.toString());
    expect(error(await addOrganization({ shortName: "Детский сад 10", timezone: "Europe/Moscow" })).existingId).toBe(oldNoPlace.insertedId.toString());
    value(await addOrganization({ shortName: "Детский сад № 9", timezone: "Europe/Moscow", municipality: "Ярославль" }));
    // A region's worth of them: FerretDB never finished one bulk write of 50 or more updates.
    await Organization.collection.insertMany(Array.from({ length: 120 }, (_, i) => ({ shortName: `Детский сад № ${200 + i}`, searchKey: `детский сад ${200 + i}`, timezone: "Europe/Moscow", networkIds: [] })));
    expect(await backfillOrganizationUniqueKeys()).toBe(120);
    expect(await Organization.countDocuments({ uniqueKey: { $exists: false } })).toBe(0);
  });

  it("strips control and invisible characters from every field", async () => {
    const org = value(
      await addOrganization({
        shortName: "Детский\u0000 сад\u200B № 7\u0007",
        timezone: "Europe/Moscow\u0001",
        fullName: "Полное\tназвание\u001B[31m",
        municipality: "Ярос\u00ADлавль\u202E",
        network: "Сеть\u0085 Север",
      }),
    );
    expect(org).toMatchObject({ shortName: "Детский сад № 7", timezone: "Europe/Moscow", fullName: "Полное название [31m", municipality: "Ярославль" });
    const stored = await Organization.findById(org.id).lean();
    expect([stored?.shortName, stored?.fullName, stored?.municipality, stored?.timezone].join("")).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect((await findNetwork("Сеть Север"))?.name).toBe("Сеть Север");
  });

  it("refuses an unknown zone, an offset and an empty name", async () => {
    expect(error(await addOrganization({ shortName: "Детский сад № 1", timezone: "Mars/Olympus" })).code).toBe("invalid_timezone");
    expect(error(await addOrganization({ shortName: "Детский сад № 1", timezone: "+03:00" })).code).toBe("invalid_timezone");
    expect(error(await addOrganization({ shortName: "Детский сад № 1", timezone: "" })).code).toBe("invalid_timezone");
    expect(error(await addOrganization({ shortName: "  ", timezone: "Europe/Moscow" })).code).toBe("empty_name");
    expect(error(await addOrganization({ shortName: "МДОУ", timezone: "Europe/Moscow" })).code).toBe("empty_name");
    expect(await Organization.countDocuments()).toBe(0);
  });

  it("stores the canonical spelling of the zone", async () => {
    expect(canonicalTimezone("europe/moscow")).toBe("Europe/Moscow");
    expect(canonicalTimezone("Asia/Vladivostok")).toBe("Asia/Vladivostok");
    expect(canonicalTimezone("Mars/Olympus")).toBeUndefined();
    const org = value(await addOrganization({ shortName: "Детский сад № 2", timezone: "asia/yekaterinburg" }));
    expect(org.timezone).toBe("Asia/Yekaterinburg");
  });

  it("creates a named network if missing and reuses it by normalised name", async () => {
    const a = value(await addOrganization({ shortName: "Детский сад № 12", timezone: "Europe/Moscow", network: "Ярославская сеть" }));
    const b = value(await addOrganization({ shortName: "Детский сад № 117", timezone: "Europe/Moscow", network: "ярославская  СЕТЬ" }));
    expect(await Network.countDocuments()).toBe(1);
    expect(a.networkIds).toHaveLength(1);
    expect(b.networkIds).toEqual(a.networkIds);
  });
});

describe("searchOrganizations", () => {
  beforeAll(async () => {
    await clear();
    for (let n = 1; n <= 25; n++) value(await addOrganization({ shortName: `МДОУ «Детский сад № ${n}»`, timezone: "Europe/Moscow" }));
    value(await addOrganization({ shortName: "МДОУ «Белоевский детский сад»", timezone: "Europe/Moscow" }));
    value(
      await addOrganization({
        shortName: "ЦРР № 7",
        fullName: "Центр развития ребенка «Звёздочка»",
        timezone: "Asia/Vladivostok",
      }),
    );
  });

  it("pages through the matches, ordered by short name, without overlap", async () => {
    const seen: OrganizationView[] = [];
    const first = await searchOrganizations("детский сад", { page: 1, pageSize: 10 });
    expect(first).toMatchObject({ total: 26, pages: 3, page: 1 });
    seen.push(...first.items);
    seen.push(...(await searchOrganizations("детский сад", { page: 2, pageSize: 10 })).items);
    const last = await searchOrganizations("детский сад", { page: 3, pageSize: 10 });
    expect(last.items).toHaveLength(6);
    seen.push(...last.items);
    expect(new Set(seen.map((o) => o.id)).size).toBe(26);
    const names = first.items.map((o) => o.shortName);
    expect(names).toEqual([...names].sort());
    // Past the end: the last page.
    expect((await searchOrganizations("детский сад", { page: 99, pageSize: 10 })).page).toBe(3);
  });

  it("matches numbers as prefixes and accepts any spelling of «№»", async () => {
    const res = await searchOrganizations("сад No 2", { pageSize: 50 });
    expect(res.items.map((o) => o.shortName).sort()).toEqual(
      ["2", "20", "21", "22", "23", "24", "25"].map((n) => `МДОУ «Детский сад № ${n}»`).sort(),
    );
    expect((await searchOrganizations("детский сад №25")).items.map((o) => o.shortName)).toEqual(["МДОУ «Детский сад № 25»"]);
  });

  it("finds «Белоевский» by the misspelt «Белосевский», and by the full name", async () => {
    const fuzzy = await searchOrganizations("Белосевский");
    expect(fuzzy.items.map((o) => o.shortName)).toEqual(["МДОУ «Белоевский детский сад»"]);
    const byFullName = await searchOrganizations("звездочка");
    expect(byFullName.items.map((o) => o.shortName)).toEqual(["ЦРР № 7"]);
    expect((await searchOrganizations("Лесная поляна")).total).toBe(0);
    expect((await searchOrganizations("Лесная поляна")).pages).toBe(1);
  });

  it("an empty query lists everything", async () => {
    expect((await searchOrganizations("", { pageSize: 5 })).total).toBe(27);
  });
});

describe("networks", () => {
  beforeEach(clear);

  it("are unique by normalised name", async () => {
    const net = value(await addNetwork("Ярославская сеть"));
    const dup = error(await addNetwork("  ЯРОСЛАВСКАЯ   сеть "));
    expect(dup.code).toBe("duplicate");
    expect(dup.existingId).toBe(net.id);
    expect(error(await addNetwork("  ")).code).toBe("empty_name");
    expect((await findNetwork("ярославская сеть"))?.id).toBe(net.id);
    expect((await findNetwork(net.id))?.name).toBe("Ярославская сеть");
  });

  it("join by name or id, list their members, and refuse unknown ones", async () => {
    const net = value(await addNetwork("Ярославская сеть"));
    const a = value(await addOrganization({ shortName: "МДОУ «Детский сад № 151»", timezone: "Europe/Moscow" }));
    const b = value(await addOrganization({ shortName: "МДОУ «Детский сад № 155»", timezone: "Europe/Moscow" }));
    const c = value(await addOrganization({ shortName: "МДОАУ № 56 г. Орска", timezone: "Asia/Yekaterinburg" }));

    const joined = value(await joinNetwork("ярославская сеть", a.id));
    expect(joined).toMatchObject({ added: true, network: { id: net.id } });
    expect(joined.organization.networkIds).toEqual([net.id]);
    expect(value(await joinNetwork(net.id, b.id)).added).toBe(true);
    expect(value(await joinNetwork(net.id, b.id)).added).toBe(false);

    const members = await networkOrganizations(net.id);
    expect(members.map((o) => o.id).sort()).toEqual([a.id, b.id].sort());
    expect(members.map((o) => o.id)).not.toContain(c.id);

    expect(error(await joinNetwork("Оренбургская сеть", c.id)).code).toBe("not_found");
    expect(error(await joinNetwork(net.id, "0123456789abcdef01234567")).code).toBe("not_found");
    expect(error(await joinNetwork(net.id, "nonsense")).code).toBe("invalid_id");
    expect(await networkOrganizations("nonsense")).toEqual([]);
    expect((await Organization.findById(b.id).lean())?.networkIds).toHaveLength(1);
  });
});

/** The registry fixture: header, good rows, one blank line and bad rows (line numbers in comments). */
const RU_HEADER = [
  "Краткое наименование",
  "Часовой пояс",
  "Полное наименование",
  "Организационно-правовая форма",
  "Регион",
  "Муниципалитет",
  "Сайт",
  "Сеть",
];
const EN_HEADER = ["short_name", "timezone", "full_name", "legal_form", "region", "municipality", "website", "network"];
const YAR = ["Ярославская область", "г. Ярославль"];
const ROWS: Array<string[] | null> = [
  /* 2 */ ["МДОУ «Детский сад № 27»", "Europe/Moscow", 'Муниципальное дошкольное образовательное учреждение "Детский сад № 27"; Ярославль', "", ...YAR, "https://mdou27.edu.yar.ru", "Ярославская сеть"],
  /* 3 */ ["МДОУ «Детский сад № 12»", "Europe/Moscow", "", "", ...YAR, "", "Ярославская сеть"],
  /* 4 */ ["МДОУ «Детский сад № 117»", "Europe/Moscow", "", "", ...YAR, "", "Ярославская сеть"],
  /* 5 */ ["МДОУ «Детский сад № 151»", "Europe/Moscow", "", "", ...YAR, "", "Ярославская сеть"],
  /* 6 */ ["МДОУ «Детский сад № 155»", "Europe/Moscow", "", "", ...YAR, "", "ярославская сеть"],
  /* 7 */ ["МДОУ «Детский сад № 232»", "Europe/Moscow", "", "", ...YAR, "", "Ярославская сеть"],
  /* 8 */ ["МДОАУ № 56 г. Орска", "Asia/Yekaterinburg", "", "", "Оренбургская область", "г. Орск", "", ""],
  /* 9 */ ["МБДОУ «Детский сад № 5 «Солнышко»»", "Asia/Vladivostok", "", "", "Приморский край", "г. Владивосток", "", ""],
  /* 10 */ null,
  /* 11 */ ["", "Europe/Moscow", "Детский сад без краткого названия", "", "", "", "", ""],
  /* 12 */ ["Детский сад № 3 «Марсианин»", "Mars/Olympus", "", "", "", "", "", ""],
  /* 13 */ ["детский сад No 27", "Europe/Moscow", "", "", "Ярославская область", "Ярославль", "", ""],
];

function csvCell(cell: string, delimiter: string): string {
  return /["\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function writeCsv(name: string, header: string[], delimiter: string, bom: boolean, eol = "\r\n"): string {
  const lines = [header, ...ROWS].map((row) => (row ? row.map((c) => csvCell(c, delimiter)).join(delimiter) : ""));
  const path = join(dir, name);
  writeFileSync(path, (bom ? "\uFEFF" : "") + lines.join(eol) + eol, "utf8");
  return path;
}

async function writeXlsx(name: string, header: string[]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Организации");
  sheet.getRow(1).values = header;
  ROWS.forEach((row, i) => {
    if (row) sheet.getRow(i + 2).values = row;
  });
  workbook.addWorksheet("Второй лист").getRow(1).values = ["не", "читается"];
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

async function expectFixtureImported(path: string): Promise<void> {
  const report = await importOrganizations(path);
  expect(report.imported).toBe(8);
  expect(report.ids).toHaveLength(8);
  expect(report.skipped.map((s) => s.line)).toEqual([11, 12, 13]);
  expect(report.skipped[0]?.reason).toMatch(/missing short name/);
  expect(report.skipped[1]?.reason).toMatch(/invalid time zone "Mars\/Olympus"/);
  expect(report.skipped[2]?.reason).toMatch(/duplicate of line 2/);

  const network = await findNetwork("Ярославская сеть");
  expect(network?.name).toBe("Ярославская сеть");
  expect(await Network.countDocuments()).toBe(1);
  const members = await networkOrganizations(network!.id);
  expect(members.map((o) => o.shortName).sort()).toEqual(
    ["27", "12", "117", "151", "155", "232"].map((n) => `МДОУ «Детский сад № ${n}»`).sort(),
  );
  expect(new Set(members.map((o) => o.timezone))).toEqual(new Set(["Europe/Moscow"]));

  const orgs = await listOrganizations();
  expect(orgs).toHaveLength(8);
  const orsk = orgs.find((o) => o.shortName === "МДОАУ № 56 г. Орска");
  expect(orsk).toMatchObject({ timezone: "Asia/Yekaterinburg", legalForm: "МДОАУ", municipality: "г. Орск", networkIds: [] });
  expect(orgs.find((o) => o.timezone === "Asia/Vladivostok")?.shortName).toBe("МБДОУ «Детский сад № 5 «Солнышко»»");
  const mdou27 = orgs.find((o) => o.searchKey === "детский сад 27");
  expect(mdou27?.fullName).toBe('Муниципальное дошкольное образовательное учреждение "Детский сад № 27"; Ярославль');
  expect(mdou27?.website).toBe("https://mdou27.edu.yar.ru");
}

describe("importOrganizations", () => {
  beforeEach(clear);

  it("imports a semicolon CSV with a BOM and Russian headers, reporting bad rows by line", async () => {
    const path = writeCsv("registry-ru.csv", RU_HEADER, ";", true);
    await expectFixtureImported(path);
  });

  it("imports a comma CSV with English headers and LF line ends", async () => {
    const path = writeCsv("registry-en.csv", EN_HEADER, ",", false, "\n");
    await expectFixtureImported(path);
  });

  it("imports the first sheet of an XLSX file", async () => {
    const path = await writeXlsx("registry.xlsx", EN_HEADER);
    await expectFixtureImported(path);
  });

  it("imports an XLSX file with Russian headers", async () => {
    const path = await writeXlsx("registry-ru.xlsx", RU_HEADER);
    await expectFixtureImported(path);
  });

  it("reports rows already in the database on a second import", async () => {
    const path = writeCsv("again.csv", EN_HEADER, ";", false);
    expect((await importOrganizations(path)).imported).toBe(8);
    const again = await importOrganizations(path);
    expect(again.imported).toBe(0);
    expect(again.skipped.map((s) => s.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13]);
    expect(again.skipped[0]?.reason).toMatch(/already in the database/);
    expect(await Organization.countDocuments()).toBe(8);
  });

  it("counts lines of multi-line quoted cells from where the row starts", async () => {
    const path = join(dir, "multiline.csv");
    writeFileSync(
      path,
      'short_name,timezone,full_name\r\n"Детский сад № 1",Europe/Moscow,"Полное\r\nназвание"\r\nДетский сад № 2,Mars/Olympus,\r\n',
    );
    const report = await importOrganizations(path);
    expect(report.imported).toBe(1);
    expect(report.skipped).toEqual([{ line: 4, reason: expect.stringMatching(/invalid time zone/) }]);
  });

  it("refuses a missing file, an unknown extension and a header without the required columns", async () => {
    await expect(importOrganizations(join(dir, "missing.csv"))).rejects.toMatchObject({ code: "file_unreadable" });
    const txt = join(dir, "registry.txt");
    writeFileSync(txt, "short_name,timezone\n");
    await expect(importOrganizations(txt)).rejects.toMatchObject({ code: "unsupported_format" });
    const noZone = join(dir, "no-zone.csv");
    writeFileSync(noZone, "short_name;region\nДетский сад № 1;Ярославская область\n");
    await expect(importOrganizations(noZone)).rejects.toMatchObject({ code: "bad_header", message: expect.stringMatching(/timezone/) });
    const broken = join(dir, "broken.xlsx");
    writeFileSync(broken, "this is not a zip file");
    await expect(importOrganizations(broken)).rejects.toBeInstanceOf(OrganizationError);
    expect(await Organization.countDocuments()).toBe(0);
  });

  it("refuses a KOI8-R file and a UTF-8 file garbled with replacement characters, importing nothing", async () => {
    const text = "short_name;timezone;municipality\nМДОУ Детский сад 27;Europe/Moscow;Ярославль\nДетский сад Солнышко;Europe/Moscow;Рыбинск\n";
    const koi8 = join(dir, "koi8.csv");
    writeFileSync(koi8, Buffer.from(encodeSingleByte(text, "koi8-r")));
    await expect(importOrganizations(koi8)).rejects.toMatchObject({ code: "bad_encoding", message: expect.stringMatching(/KOI8-R/) });
    const garbled = join(dir, "garbled.csv");
    writeFileSync(garbled, text.replace("Рыбинск", "\uFFFD\uFFFD\uFFFDбинск"), "utf8");
    await expect(importOrganizations(garbled)).rejects.toMatchObject({ code: "bad_encoding", message: expect.stringMatching(/line 3 .*replacement character/) });
    expect(await Organization.countDocuments()).toBe(0);
    // The same text in windows-1251 is read correctly.
    const cp1251 = join(dir, "cp1251.csv");
    writeFileSync(cp1251, Buffer.from(encodeSingleByte(text, "windows-1251")));
    const report = await importOrganizations(cp1251);
    expect(report.imported).toBe(2);
    expect((await listOrganizations()).map((o) => o.municipality).sort()).toEqual(["Рыбинск", "Ярославль"]);
  });

  it("strips control characters from imported fields", async () => {
    const path = join(dir, "controls.csv");
    writeFileSync(path, "short_name,timezone,municipality\n\"Детский\u0000 сад\u0007 № 8\",Europe/Moscow,\"Ры\u001Bбинск\u200B\"\n");
    const report = await importOrganizations(path);
    expect(report.imported).toBe(1);
    expect(await listOrganizations()).toMatchObject([{ shortName: "Детский сад № 8", municipality: "Ры бинск" }]);
  });

  it("imports 2,000 rows reading the existing organizations once, with progress, same names in other towns kept", async () => {
    await addOrganization({ shortName: "Детский сад № 1", timezone: "Europe/Moscow", municipality: "Город 0" });
    const lines = ["short_name;timezone;municipality;network"];
    for (let i = 0; i < 2000; i++) lines.push(`Детский сад № ${Math.floor(i / 20) + 1};Europe/Moscow;Город ${i % 20};${i % 2 ? "Сеть" : ""}`);
    lines.push("Детский сад № 1;Europe/Moscow;город  0;"); // line 2002: the first row again
    const path = join(dir, "big.csv");
    writeFileSync(path, lines.join("\n"));
    const queries: string[] = [];
    mongoose.set("debug", (collection: string, method: string) => {
      queries.push(`${collection}.${method}`);
    });
    const progress: Array<[number, number]> = [];
    let report;
    try {
      report = await importOrganizations(path, { onProgress: (done, total) => progress.push([done, total]) });
    } finally {
      mongoose.set("debug", false);
    }
    expect(report.imported).toBe(1999);
    expect(report.skipped).toEqual([
      { line: 2, reason: expect.stringMatching(/already in the database: «Детский сад № 1» \(Город 0\)/) },
      { line: 2002, reason: expect.stringMatching(/duplicate of line 2/) },
    ]);
    expect(queries.filter((q) => q.startsWith("organizations.find"))).toEqual(["organizations.find"]);
    expect(queries.filter((q) => q === "organizations.insertMany")).toHaveLength(2);
    expect(progress.at(-1)).toEqual([2001, 2001]);
    expect(progress.length).toBeGreaterThan(1);
    expect(await Organization.countDocuments()).toBe(2000);
    expect(await Organization.countDocuments({ networkIds: { $size: 1 } })).toBe(1000);
    expect(await Network.countDocuments()).toBe(1);
  });

  it("detects the delimiter from the header line", () => {
    expect(detectDelimiter("short_name;timezone;region\nа,б;в;г")).toBe(";");
    expect(detectDelimiter('"a;b",timezone,region\n')).toBe(",");
    expect(detectDelimiter("\uFEFFКраткое наименование;Часовой пояс\n")).toBe(";");
  });
});

/** Encodes text in a single-byte Cyrillic code page (the inverse of TextDecoder). */
function encodeSingleByte(text: string, encoding: "koi8-r" | "windows-1251"): Uint8Array {
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Uint8Array.from([...text].map((ch) => {
    const b = table.get(ch);
    if (b === undefined) throw new Error(`${ch} is not in ${encoding}`);
    return b;
  }));
}
