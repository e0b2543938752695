import { afterEach, describe, expect, it, vi } from "vitest";
import { DateTime } from "luxon";
import { useTestDatabase } from "./helpers/db.ts";
import { org } from "./helpers/scenario.ts";
import { Types } from "mongoose";
import { at, moscowWeek, pair, person, program, request } from "./helpers/digest-fixture.ts";
import { SurveyResponse } from "../models/index.ts";
import { periodOf } from "../src/domain/digest-periods.ts";
import { digestWindow, loadDigestData } from "../src/domain/digest.ts";
import { computeDigest, LIST_CAP } from "../src/domain/digest-figures.ts";
import { digestThread, exportThread, extrasHere, figuresHere, OFF_THREAD_SCOPE, scopeExport, ScopeTooLarge, scopeExtras, scopeFigures, type FiguresRequest, type ScopeFigures } from "../src/domain/digest-thread.ts";
import { exportHere, type ExportRequest, type ScopeExport } from "../src/domain/export-files.ts";
import { createTranslator } from "../src/core/locales.ts";
import ExcelJS from "exceljs";
import { heavyReadTarget, setMainTarget, useReadConnection } from "../src/db/read-connection.ts";
import { mentorListMessages, orgListMessages, renderDigest, riskListMessages, scopeLabel, type DigestViewOptions } from "../src/messaging/digest-view.ts";

useTestDatabase({ resetBetweenTests: true });

const NOW = DateTime.fromISO("2026-11-30T09:00", { zone: "Europe/Moscow" }).toJSDate();
const ru = (key: string, args?: Record<string, string | number>) => `${key}${args ? JSON.stringify(args) : ""}`;
const week = (scope: string[] | null, indicators = false): FiguresRequest => ({ scope, now: NOW, period: periodOf("week", NOW, "Europe/Moscow"), zone: "Europe/Moscow", indicators });

/** Every text a digest's figures are shown in: the digest, its three lists, the scope's title. */
function texts(r: ScopeFigures, scope: string[] | null, visible?: Set<string>) {
  const o: DigestViewOptions = { t: ru, locale: "ru", data: r.data, scope, mode: "digest", scopeLabel: scopeLabel(r.data, scope, ru), ...(visible ? { visible } : {}) };
  return { digest: renderDigest(r.figures, o).text, risks: riskListMessages(r.figures, o), mentors: mentorListMessages(r.figures, o), orgs: orgListMessages(r.figures, o), title: o.scopeLabel };
}

afterEach(async () => {
  useReadConnection(true);
  digestThread.idleMs = 60_000;
  exportThread.resourceLimits = undefined;
  await Promise.all([digestThread.stop(), exportThread.stop()]);
});

describe("the digest's thread (issue 12)", () => {
  it("computes the whole deployment's figures, indicators and texts exactly as the bot's thread does", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const ekb = await org("МАДОУ «Детский сад № 5»", "Asia/Yekaterinburg");
    const ids = await moscowWeek(msk.id);
    await request(ekb.id, await person(ekb.id, "Елена Соколова"), "2026-11-20T08:00:00Z", [], ["D1"]);
    // More open requests than the digest's text shows (LIST_CAP, oldest first): the newest are not named.
    const newest: Types.ObjectId[] = [];
    for (let i = 0; i < LIST_CAP; i++) {
      const mentee = await person(ekb.id, `Воспитатель ${i + 1}`);
      await request(ekb.id, mentee, `2026-11-27T0${i}:00:00Z`, [], ["D2"]);
      newest.push(mentee);
    }
    const here = await figuresHere(week(null, true));
    const mentees = here.figures.openRequests.map((r) => r.menteeId);
    expect(mentees.length).toBeGreaterThan(LIST_CAP);
    expect(newest.some((id) => !here.data.people.has(id.toString()))).toBe(true);
    expect(mentees.map((id) => here.data.people.has(id))).toEqual(mentees.map((_, i) => i < LIST_CAP));
    // Read with only the people the figures need (the unreachable, then those named): as with everyone read.
    const everyone = await loadDigestData(null, NOW, digestWindow(week(null).period, NOW));
    expect(here.data.people.size).toBeLessThan(everyone.people.size);
    expect(here.figures).toEqual(computeDigest(everyone, null, { period: week(null).period, now: NOW, zone: "Europe/Moscow" }));
    expect(texts(here, null)).toEqual(texts({ figures: here.figures, data: everyone }, null));
    const answered = digestThread.answered;
    const there = await scopeFigures(week(null, true));
    expect(digestThread.answered).toBe(answered + 1);
    expect(there.figures).toEqual(here.figures);
    expect(there.indicators).toEqual(here.indicators);
    expect(there.indicators?.length).toBeGreaterThan(0);
    // Only what naming the figures takes crosses: no rows.
    expect(there.data.buckets.size).toBe(0);
    expect(here.data.buckets.size).toBe(2);
    expect(texts(there, null)).toEqual(texts(here, null));
    // People are named in the lists as before: the unreachable teacher by name, the erased-free fixture by none of the labels.
    expect(texts(there, null).risks.join("\n")).toContain("Дина Павлова");
    expect(there.figures.risks.find((r) => r.kind === "unreachable")?.userIds).toEqual([ids.dina.toString()]);
    // A viewer who sees only one kindergarten: the other's people are "another organization" alike.
    const onlyMsk = new Set([msk.id]);
    expect(texts(there, null, onlyMsk)).toEqual(texts(here, null, onlyMsk));
  });

  it("names only the people a digest's text shows, or everyone on its lists when asked, in either thread", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    await moscowWeek(msk.id);
    // Quiet pairs since September: more risks than the digest's text shows.
    for (let i = 1; i <= LIST_CAP + 3; i++) {
      const mentor = await person(msk.id, `Наставница Тихая ${i}`);
      const mentee = await person(msk.id, `Воспитатель Молчаливая ${i}`);
      await pair(msk.id, await request(msk.id, mentee, "2026-09-01T08:00:00Z", [["matched", "2026-09-02T08:00:00Z"]], ["F1"]), mentor, mentee, "2026-09-02T08:00:00Z");
    }
    const everyone = await loadDigestData(null, NOW, digestWindow(week(null).period, NOW));
    const onLists = (r: ScopeFigures) => new Set([...r.figures.risks.flatMap((x) => x.userIds), ...r.figures.atCapacity.map((m) => m.userId), ...r.figures.idle.map((m) => m.userId)]);
    const answered = digestThread.answered;
    const here = await figuresHere(week(null));
    const inThread = await scopeFigures(week(null));
    const allHere = await figuresHere({ ...week(null), names: "all" });
    const allInThread = await scopeFigures({ ...week(null), names: "all" });
    expect(digestThread.answered - answered).toBe(2);
    expect(here.figures.risks.length).toBeGreaterThan(LIST_CAP);
    for (const r of [here, inThread]) {
      expect([...onLists(r)].filter((id) => !r.data.people.has(id)).length).toBeGreaterThan(0);
      expect(texts(r, null).digest).toEqual(texts({ figures: r.figures, data: everyone }, null).digest);
    }
    for (const r of [allHere, allInThread]) {
      expect([...onLists(r)].filter((id) => !r.data.people.has(id))).toEqual([]);
      expect(texts(r, null)).toEqual(texts({ figures: r.figures, data: everyone }, null));
    }
  });

  it("leaves a scope of up to OFF_THREAD_SCOPE kindergartens to the bot's thread, and starts only when asked", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    await moscowWeek(msk.id);
    const answered = digestThread.answered;
    const r = await scopeFigures(week([msk.id]));
    expect(digestThread.running).toBe(false);
    expect(digestThread.answered).toBe(answered);
    expect(r.data.buckets.size).toBe(1);
    const wide = [msk.id, ...Array.from({ length: OFF_THREAD_SCOPE }, (_, i) => `65a0000000000000000000${String(i).padStart(2, "0")}`)];
    const far = await scopeFigures(week(wide));
    expect(digestThread.answered).toBe(answered + 1);
    expect(far.figures).toEqual((await figuresHere(week(wide))).figures);
  });

  it("computes each weekly digest of a batch in the thread, from the batch's load, as a load of its scope would", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const ekb = await org("МАДОУ «Детский сад № 5»", "Asia/Yekaterinburg");
    await moscowWeek(msk.id);
    await request(ekb.id, await person(ekb.id, "Елена Соколова"), "2026-11-20T08:00:00Z", [], ["D1"]);
    const answered = digestThread.answered;
    for (const scope of [[msk.id], [ekb.id], null]) {
      const there = await scopeFigures({ ...week(scope), batch: true });
      const here = await figuresHere(week(scope));
      expect(there.figures).toEqual(here.figures);
      expect(texts(there, scope)).toEqual(texts(here, scope));
    }
    expect(digestThread.answered).toBe(answered + 3);
  });

  it("reads the whole deployment's adaptation, satisfaction and plan against fact in the thread as here", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const ekb = await org("МАДОУ «Детский сад № 5»", "Asia/Yekaterinburg");
    const mentor = await person(msk.id, "Наставница Полная");
    for (const [o, k] of [[msk, 1], [ekb, 2]] as const) {
      const mentee = await person(o.id, `Педагог ${k}`);
      await program(o.id, new Types.ObjectId(), mentor, mentee, {
        status: "active",
        goal: `Цель ${k}`,
        startDate: at("2026-09-01T00:00:00Z"),
        endDate: at("2026-12-20T00:00:00Z"),
        items: [
          { title: "Первое", due: at("2026-10-01T00:00:00Z"), status: "done", doneAt: at("2026-10-05T00:00:00Z") },
          { title: "Второе", due: at("2026-12-10T00:00:00Z"), status: "planned" },
        ],
      });
      await SurveyResponse.collection.insertOne({ key: `adapt:${mentee}:1`, occasion: "adapt:1", setCode: "adaptation", setVersion: 1, kind: "adaptation", respondentId: mentee, organizationId: new Types.ObjectId(o.id), status: "done", scaleAverage: 3 + k / 4, completedAt: at("2026-11-20T00:00:00Z"), answers: [] });
    }
    const req = { scope: null, from: at("2025-11-30T00:00:00Z"), to: NOW, now: NOW, zone: "Europe/Moscow" };
    const here = await extrasHere(req);
    const answered = digestThread.answered;
    const there = await scopeExtras(req);
    expect(digestThread.answered).toBe(answered + 1);
    expect(there).toEqual(here);
    expect(there.trend.find((r) => r.occasion === "adapt:1")).toEqual({ occasion: "adapt:1", n: 2, average: 3.375 });
    expect(there.pa.totals).toMatchObject({ late: 2, ahead: 2 });
    // One kindergarten's extras are read here.
    await scopeExtras({ ...req, scope: [msk.id] });
    expect(digestThread.answered).toBe(answered + 1);
  });

  it("builds the whole deployment's export in the export's thread, the same files as here, while the digest's thread stays free; one kindergarten's here", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    const ekb = await org("МАДОУ «Детский сад № 5»", "Asia/Yekaterinburg");
    await moscowWeek(msk.id);
    await request(ekb.id, await person(ekb.id, "Елена Соколова"), "2026-11-20T08:00:00Z", [], ["D1"]);
    const t = createTranslator();
    const ruT = (key: string, args?: Record<string, string | number>) => t("ru", key, args);
    const viewer = { scope: null, direct: [], networks: [] };
    const req = (format: "xlsx" | "csv", scope: string[] | null = null): ExportRequest => ({ scope, viewer: { ...viewer, scope }, now: NOW, zone: "Europe/Moscow", format });
    const answered = exportThread.answered;
    const csvHere = await exportHere(req("csv"), ruT);
    const csvThere = await scopeExport(req("csv"), ruT);
    expect(exportThread.answered).toBe(answered + 1);
    const decode = (x: ScopeExport) => x.files.map((f) => ({ filename: f.filename, sheet: f.sheet, text: Buffer.from(f.bytes).toString("utf8") }));
    expect(decode(csvThere)).toEqual(decode(csvHere));
    expect(csvThere.files.map((f) => f.sheet)).toEqual(["База наставляемых", "Реестр наставников", "Пары и программы", "Банк программ", "Встречи", "Опросы", "Показатели", "Анкетирование", "План и факт"]);
    expect(decode(csvThere)[0]?.text).toContain("Елена Соколова");
    // What naming the scope takes crosses with the files: its kindergartens, no rows.
    expect(scopeLabel(csvThere.data, null, ruT)).toBe(scopeLabel(csvHere.data, null, ruT));
    expect([...csvThere.data.orgs.keys()].sort()).toEqual([msk.id, ekb.id].sort());
    expect(csvThere.data.buckets.size).toBe(0);
    // The workbook: one file, the same sheets and cells (its zip's timestamps differ).
    const book = async (x: ScopeExport) => {
      expect(x.files).toHaveLength(1);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(x.files[0]!.bytes) as unknown as ArrayBuffer);
      return wb.worksheets.map((w) => ({ name: w.name, rows: w.getSheetValues().map((r) => JSON.stringify(r)) }));
    };
    const xlsxThere = await scopeExport(req("xlsx"), ruT);
    expect(xlsxThere.files[0]?.filename).toBe("nastavnik-2026-11-30.xlsx");
    expect(await book(xlsxThere)).toEqual(await book(await exportHere(req("xlsx"), ruT)));
    expect(exportThread.answered).toBe(answered + 2);
    // A large digest asked during an export: the digest's own thread answers it.
    const digests = digestThread.answered;
    const [exported, figures] = await Promise.all([scopeExport(req("csv"), ruT), scopeFigures(week(null))]);
    expect(digestThread.answered).toBe(digests + 1);
    expect(exportThread.answered).toBe(answered + 3);
    expect(decode(exported)).toEqual(decode(csvHere));
    expect(figures.figures).toEqual((await figuresHere(week(null))).figures);
    await scopeExport(req("csv", [msk.id]), ruT);
    expect(exportThread.answered).toBe(answered + 3);
  });

  it("a thread out of memory: the caller is told (ScopeTooLarge), and nothing is computed in the bot's thread instead", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    await moscowWeek(msk.id);
    const t = createTranslator();
    const ruT = (key: string, args?: Record<string, string | number>) => t("ru", key, args);
    exportThread.resourceLimits = { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 };
    const lost = vi.fn();
    const answered = exportThread.answered;
    const refused = scopeExport({ scope: null, viewer: { scope: null, direct: [], networks: [] }, now: NOW, zone: "Europe/Moscow", format: "csv" }, ruT, lost);
    await expect(refused).rejects.toBeInstanceOf(ScopeTooLarge);
    // The operator's log names the limit and the setting that raises it.
    await expect(refused).rejects.toThrow("the export thread ran out of memory (its heap limit: 4 MB, HEAVY_THREAD_HEAP_MB)");
    expect(lost).not.toHaveBeenCalled();
    expect(exportThread.answered).toBe(answered);
    // With its memory back, the same export is built.
    exportThread.resourceLimits = undefined;
    const x = await scopeExport({ scope: null, viewer: { scope: null, direct: [], networks: [] }, now: NOW, zone: "Europe/Moscow", format: "csv" }, ruT);
    expect(x.files).toHaveLength(9);
    expect(exportThread.answered).toBe(answered + 1);
  });

  it("ends when idle and starts again at the next digest", async () => {
    await moscowWeek((await org("МДОУ «Детский сад № 27»", "Europe/Moscow")).id);
    digestThread.idleMs = 50;
    const first = await scopeFigures(week(null));
    expect(digestThread.running).toBe(true);
    await vi.waitFor(() => expect(digestThread.running).toBe(false), { timeout: 5000, interval: 20 });
    const again = await scopeFigures(week(null));
    expect(again.figures).toEqual(first.figures);
  });

  it("computes in the bot's thread when the thread cannot connect, or ends in the middle", async () => {
    const msk = await org("МДОУ «Детский сад № 27»", "Europe/Moscow");
    await moscowWeek(msk.id);
    const expected = (await figuresHere(week(null))).figures;
    const target = heavyReadTarget();
    // The heavy reads' server as the thread would be told it: an address that cannot be connected to.
    useReadConnection(false);
    setMainTarget({ uri: "mongodb://127.0.0.1:notaport/" });
    try {
      const lost = vi.fn();
      const answered = digestThread.answered;
      const r = await scopeFigures(week(null), lost);
      expect(lost).toHaveBeenCalledOnce();
      expect(digestThread.answered).toBe(answered);
      expect(r.figures).toEqual(expected);
    } finally {
      setMainTarget(target);
    }
    const lost = vi.fn();
    const pending = scopeFigures(week(null), lost);
    await vi.waitFor(() => expect(digestThread.running).toBe(true), { timeout: 5000, interval: 5 });
    await digestThread.stop();
    expect((await pending).figures).toEqual(expected);
    expect(lost).toHaveBeenCalledOnce();
  });

  it("follows the database the bot reads: another database, another thread", async () => {
    await moscowWeek((await org("МДОУ «Детский сад № 27»", "Europe/Moscow")).id);
    expect((await scopeFigures(week(null))).figures.organizations).toBe(1);
    const target = heavyReadTarget();
    useReadConnection(false);
    setMainTarget({ ...target!, dbName: `${target!.dbName ?? "test"}-empty-${process.pid}` });
    try {
      const empty = await scopeFigures(week(null));
      expect(empty.figures.organizations).toBe(0);
      expect(empty.data.orgs.size).toBe(0);
    } finally {
      setMainTarget(target);
    }
  });
});
