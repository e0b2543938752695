import { describe, expect, it } from "vitest";
import { runs } from "./helpers/property.ts";
import fc from "fast-check";
import { DateTime } from "luxon";
import {
  formatDeadline,
  MAX_DAYS_AHEAD,
  ZONE_NAMES,
  formatInZone,
  formatUtcOffset,
  isValidZone,
  parseLocalDateTime,
  quickSlots,
  weeklyOccurrences,
  zoneLabel,
  type Locale,
  type ParseError,
} from "../src/core/datetime.ts";

// Wednesday 2026-03-04, 12:00 in Moscow (UTC+3).
const NOW = new Date("2026-03-04T09:00:00Z");
const MSK = "Europe/Moscow";

function local(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd HH:mm");
}

describe("host time zone", () => {
  it("is a DST zone, so nothing below can pass by relying on it", () => {
    expect(process.env.TZ).toBe("America/New_York");
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe("America/New_York");
    // The host offset differs between winter and summer: a DST host.
    expect(new Date("2026-01-15T12:00:00Z").getTimezoneOffset()).toBe(300);
    expect(new Date("2026-07-15T12:00:00Z").getTimezoneOffset()).toBe(240);
  });
});

describe("parseLocalDateTime: accepted forms", () => {
  const table: Array<[string, Locale, string]> = [
    // ru
    ["24.11 15:30", "ru", "2026-11-24T12:30:00.000Z"],
    ["24.11.2026 15:30", "ru", "2026-11-24T12:30:00.000Z"],
    ["24.11.26 15:30", "ru", "2026-11-24T12:30:00.000Z"],
    ["2026-11-24 15:30", "ru", "2026-11-24T12:30:00.000Z"],
    ["24.11, 15:30", "ru", "2026-11-24T12:30:00.000Z"],
    ["24.11 в 15.30", "ru", "2026-11-24T12:30:00.000Z"],
    ["1.3 10:00", "ru", "2027-03-01T07:00:00.000Z"], // 01.03 has passed this year → next year
    ["5.3 9:05", "ru", "2026-03-05T06:05:00.000Z"],
    ["завтра 15:30", "ru", "2026-03-05T12:30:00.000Z"],
    ["Завтра в 15.30", "ru", "2026-03-05T12:30:00.000Z"],
    ["сегодня 18:00", "ru", "2026-03-04T15:00:00.000Z"],
    ["СЕГОДНЯ   В   18:00", "ru", "2026-03-04T15:00:00.000Z"],
    ["послезавтра 10:00", "ru", "2026-03-06T07:00:00.000Z"],
    ["пн 15:30", "ru", "2026-03-09T12:30:00.000Z"],
    ["пн. 15:30", "ru", "2026-03-09T12:30:00.000Z"],
    ["понедельник 15:30", "ru", "2026-03-09T12:30:00.000Z"],
    ["во вторник 9.05", "ru", "2026-03-10T06:05:00.000Z"],
    ["в среду 13:30", "ru", "2026-03-04T10:30:00.000Z"], // today, time still ahead
    ["в среду в 11:00", "ru", "2026-03-11T08:00:00.000Z"], // today's time has gone → next week
    ["ср 13:30", "ru", "2026-03-04T10:30:00.000Z"],
    ["четверг 8:00", "ru", "2026-03-05T05:00:00.000Z"],
    ["в пятницу 10:00", "ru", "2026-03-06T07:00:00.000Z"],
    ["в субботу 10:00", "ru", "2026-03-07T07:00:00.000Z"],
    ["  ВС   в  10:00 ", "ru", "2026-03-08T07:00:00.000Z"],
    ["воскресенье 10:00", "ru", "2026-03-08T07:00:00.000Z"],
    // en
    ["24.11 15:30", "en", "2026-11-24T12:30:00.000Z"],
    ["2026-11-24 at 15:30", "en", "2026-11-24T12:30:00.000Z"],
    ["tomorrow 15:30", "en", "2026-03-05T12:30:00.000Z"],
    ["Tomorrow at 15.30", "en", "2026-03-05T12:30:00.000Z"],
    ["today 18:00", "en", "2026-03-04T15:00:00.000Z"],
    ["today at 18:00", "en", "2026-03-04T15:00:00.000Z"],
    ["mon 15:30", "en", "2026-03-09T12:30:00.000Z"],
    ["Monday 15:30", "en", "2026-03-09T12:30:00.000Z"],
    ["wednesday 13:30", "en", "2026-03-04T10:30:00.000Z"],
    ["on wed at 11:00", "en", "2026-03-11T08:00:00.000Z"],
    ["thu 08:00", "en", "2026-03-05T05:00:00.000Z"],
    ["SUN 10:00", "en", "2026-03-08T07:00:00.000Z"],
    // either language's words in either locale
    ["завтра 15:30", "en", "2026-03-05T12:30:00.000Z"],
    ["tomorrow 15:30", "ru", "2026-03-05T12:30:00.000Z"],
    // the boundary: exactly 365 days ahead is still accepted
    ["04.03.2027 12:00", "ru", "2027-03-04T09:00:00.000Z"],
  ];
  it.each(table)("%j (%s) → %s", (text, locale, iso) => {
    expect(parseLocalDateTime(text, MSK, NOW, locale)).toEqual({ ok: true, at: new Date(iso) });
  });
});

describe("parseLocalDateTime: errors", () => {
  const table: Array<[string, ParseError]> = [
    ["сегодня 11:00", "past"],
    ["today 11:59", "past"],
    ["сегодня 12:00", "past"], // exactly now is not ahead
    ["04.03 10:00", "past"], // today's date with a time gone is past, not next year
    ["24.11.2025 15:30", "past"],
    ["2020-01-01 10:00", "past"],
    ["04.03.2027 12:01", "too_far"],
    ["2027-03-05 10:00", "too_far"],
    ["05.03.27 10:00", "too_far"],
    ["29.02 10:00", "too_far"], // the next 29.02 is in 2028
    ["31.02 10:00", "invalid_date"],
    ["31.02.2026 10:00", "invalid_date"],
    ["2026-02-29 10:00", "invalid_date"],
    ["31.04 10:00", "invalid_date"],
    ["30.13 10:00", "invalid_date"],
    ["00.05 10:00", "invalid_date"],
    ["завтра 24:00", "invalid_date"],
    ["завтра 10:60", "invalid_date"],
    ["tomorrow 25.00", "invalid_date"],
    ["", "format"],
    ["   ", "format"],
    ["завтра", "format"],
    ["15:30", "format"],
    ["в 15:30", "format"],
    ["привет 15:30", "format"],
    ["hello world", "format"],
    ["завтра 1530", "format"],
    ["завтра 15:30:00", "format"],
    ["завтра 15:3", "format"],
    ["24/11 15:30", "format"],
    ["24.11.202 15:30", "format"],
    ["в 24.11 15:30", "format"],
    ["15:30 завтра", "format"],
    ["next monday 15:30", "format"],
    ["завтра завтра 15:30", "format"],
  ];
  it.each(table)("%j → %s", (text, error) => {
    expect(parseLocalDateTime(text, MSK, NOW, "ru")).toEqual({ ok: false, error });
    expect(parseLocalDateTime(text, MSK, NOW, "en")).toEqual({ ok: false, error });
  });

  it("29.02 is accepted when the next one is within a year", () => {
    const now = new Date("2027-03-10T09:00:00Z");
    const r = parseLocalDateTime("29.02 10:00", MSK, now, "ru");
    expect(r).toEqual({ ok: true, at: new Date("2028-02-29T07:00:00.000Z") });
  });

  it("rejects an unknown zone loudly", () => {
    expect(() => parseLocalDateTime("завтра 10:00", "Mars/Base", NOW, "ru")).toThrow(/unknown time zone/);
  });
});

describe("parseLocalDateTime: zones", () => {
  const cases: Array<[string, string]> = [
    ["Europe/Kaliningrad", "2026-11-24T13:30:00.000Z"], // UTC+2
    ["Europe/Moscow", "2026-11-24T12:30:00.000Z"], // UTC+3
    ["Asia/Yekaterinburg", "2026-11-24T10:30:00.000Z"], // UTC+5
    ["Asia/Vladivostok", "2026-11-24T05:30:00.000Z"], // UTC+10
  ];
  it.each(cases)("24.11.2026 15:30 in %s is %s", (zone, iso) => {
    const r = parseLocalDateTime("24.11.2026 15:30", zone, NOW, "ru");
    expect(r).toEqual({ ok: true, at: new Date(iso) });
    if (r.ok) expect(local(r.at, zone)).toBe("2026-11-24 15:30");
  });

  it("'today' and 'tomorrow' are the zone's days, not the host's or UTC's", () => {
    // 2026-03-04T22:30Z is already Thursday 05:30 in Vladivostok but Wednesday on the host.
    const now = new Date("2026-03-04T22:30:00Z");
    expect(parseLocalDateTime("сегодня 15:30", "Asia/Vladivostok", now, "ru")).toEqual({
      ok: true,
      at: new Date("2026-03-05T05:30:00.000Z"),
    });
    expect(parseLocalDateTime("завтра 15:30", "Asia/Vladivostok", now, "ru")).toEqual({
      ok: true,
      at: new Date("2026-03-06T05:30:00.000Z"),
    });
    // In Vladivostok it is Thursday: «чт 15:30» is today.
    expect(parseLocalDateTime("чт 15:30", "Asia/Vladivostok", now, "ru")).toEqual({
      ok: true,
      at: new Date("2026-03-05T05:30:00.000Z"),
    });
  });

  it("a wall time inside a DST gap is shifted forward (02:30 → 03:30 EDT)", () => {
    const r = parseLocalDateTime("2026-03-08 02:30", "America/New_York", NOW, "en");
    expect(r).toEqual({ ok: true, at: new Date("2026-03-08T07:30:00.000Z") });
    if (r.ok) expect(local(r.at, "America/New_York")).toBe("2026-03-08 03:30");
  });

  it("the same text on both sides of a DST change keeps its wall time", () => {
    const winter = parseLocalDateTime("2026-03-01 13:30", "Europe/Berlin", new Date("2026-02-20T00:00:00Z"), "en");
    const summer = parseLocalDateTime("2026-04-01 13:30", "Europe/Berlin", new Date("2026-02-20T00:00:00Z"), "en");
    expect(winter).toEqual({ ok: true, at: new Date("2026-03-01T12:30:00.000Z") });
    expect(summer).toEqual({ ok: true, at: new Date("2026-04-01T11:30:00.000Z") });
  });
});

describe("parseLocalDateTime: properties", () => {
  const zones = [...Object.keys(ZONE_NAMES), "Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"];
  const zoneArb = fc.constantFrom(...zones);
  // "now" anywhere in 2024–2031; the wall time 1–363 days after now's local date.
  const nowArb = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2031, 0, 1) }).map((ms) => new Date(ms));
  const wallArb = fc.record({
    days: fc.integer({ min: 1, max: 363 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    form: fc.integer({ min: 0, max: 5 }),
    upper: fc.boolean(),
  });
  const pad = (n: number) => String(n).padStart(2, "0");

  function render(d: DateTime, hour: number, minute: number, form: number): string {
    const hm = `${pad(hour)}:${pad(minute)}`;
    switch (form) {
      case 0:
        return `${pad(d.day)}.${pad(d.month)}.${d.year} ${hm}`;
      case 1:
        return `${d.year}-${pad(d.month)}-${pad(d.day)} ${hm}`;
      case 2:
        return `${d.day}.${d.month}.${String(d.year).slice(2)} ${hour}.${pad(minute)}`;
      case 3:
        return `${pad(d.day)}.${pad(d.month)} в ${hm}`;
      case 4:
        return `${pad(d.day)}.${pad(d.month)} at ${hour}.${pad(minute)}`;
      default:
        return `  ${pad(d.day)}.${pad(d.month)}.${d.year},   ${hm} `;
    }
  }

  it("format(local) parses back to the same wall time in every zone", () => {
    fc.assert(
      fc.property(zoneArb, nowArb, wallArb, (zone, now, w) => {
        const day = DateTime.fromJSDate(now, { zone }).startOf("day").plus({ days: w.days });
        const intended = DateTime.fromObject(
          { year: day.year, month: day.month, day: day.day, hour: w.hour, minute: w.minute },
          { zone },
        );
        // Wall times inside a DST gap do not exist; they are covered by the shift-forward test.
        fc.pre(intended.hour === w.hour && intended.minute === w.minute);
        const text = render(day, w.hour, w.minute, w.form);
        const r = parseLocalDateTime(w.upper ? text.toUpperCase() : text, zone, now, "ru");
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(local(r.at, zone)).toBe(intended.toFormat("yyyy-MM-dd HH:mm"));
        // … and shown back to the user as that same time.
        expect(formatInZone(r.at, zone, "ru")).toContain(`${pad(w.hour)}:${pad(w.minute)} (`);
      }),
      { numRuns: runs(500) },
    );
  });

  it("a reminder time is the same local time in every zone (instants differ by the offsets)", () => {
    const russian = Object.keys(ZONE_NAMES);
    fc.assert(
      fc.property(
        fc.constantFrom(...russian),
        fc.constantFrom(...russian),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (za, zb, days, hour, minute) => {
          const d = DateTime.fromJSDate(NOW, { zone: "UTC" }).plus({ days });
          const text = `${d.toFormat("dd.MM.yyyy")} ${hour}:${String(minute).padStart(2, "0")}`;
          const a = parseLocalDateTime(text, za, NOW, "ru");
          const b = parseLocalDateTime(text, zb, NOW, "ru");
          expect(a.ok && b.ok).toBe(true);
          if (!a.ok || !b.ok) return;
          expect(local(a.at, za)).toBe(local(b.at, zb));
          const offA = DateTime.fromJSDate(a.at, { zone: za }).offset;
          const offB = DateTime.fromJSDate(b.at, { zone: zb }).offset;
          expect(a.at.getTime() - b.at.getTime()).toBe((offB - offA) * 60_000);
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("never accepts a time outside (now, now + 365 days]", () => {
    fc.assert(
      fc.property(zoneArb, nowArb, fc.integer({ min: -400, max: 800 }), fc.integer({ min: 0, max: 1439 }), (zone, now, days, min) => {
        const d = DateTime.fromJSDate(now, { zone }).plus({ days });
        const text = `${d.toFormat("yyyy-MM-dd")} ${Math.floor(min / 60)}:${String(min % 60).padStart(2, "0")}`;
        const r = parseLocalDateTime(text, zone, now, "en");
        if (r.ok) {
          expect(r.at.getTime()).toBeGreaterThan(now.getTime());
          expect(r.at.getTime() - now.getTime()).toBeLessThanOrEqual(MAX_DAYS_AHEAD * 86_400_000);
        } else {
          expect(["past", "too_far"]).toContain(r.error);
        }
      }),
      { numRuns: runs(300) },
    );
  });
});

describe("formatInZone", () => {
  const at = new Date("2026-11-24T12:30:00Z");
  it("names Russian zones in words with the offset", () => {
    expect(formatInZone(at, MSK, "ru")).toBe("вт, 24.11.2026, 15:30 (Москва, UTC+3)");
    expect(formatInZone(at, MSK, "en")).toBe("Tue, 24 Nov 2026, 15:30 (Moscow, UTC+3)");
    expect(formatInZone(at, "Europe/Kaliningrad", "ru")).toBe("вт, 24.11.2026, 14:30 (Калининград, UTC+2)");
    expect(formatInZone(at, "Europe/Samara", "ru")).toBe("вт, 24.11.2026, 16:30 (Самара, UTC+4)");
    expect(formatInZone(at, "Asia/Yekaterinburg", "ru")).toBe("вт, 24.11.2026, 17:30 (Екатеринбург, UTC+5)");
    expect(formatInZone(at, "Asia/Yekaterinburg", "en")).toBe("Tue, 24 Nov 2026, 17:30 (Yekaterinburg, UTC+5)");
    expect(formatInZone(at, "Asia/Omsk", "ru")).toBe("вт, 24.11.2026, 18:30 (Омск, UTC+6)");
    expect(formatInZone(at, "Asia/Novosibirsk", "ru")).toBe("вт, 24.11.2026, 19:30 (Новосибирск, UTC+7)");
    expect(formatInZone(at, "Asia/Krasnoyarsk", "ru")).toBe("вт, 24.11.2026, 19:30 (Красноярск, UTC+7)");
    expect(formatInZone(at, "Asia/Irkutsk", "ru")).toBe("вт, 24.11.2026, 20:30 (Иркутск, UTC+8)");
    expect(formatInZone(at, "Asia/Yakutsk", "ru")).toBe("вт, 24.11.2026, 21:30 (Якутск, UTC+9)");
    expect(formatInZone(at, "Asia/Vladivostok", "ru")).toBe("вт, 24.11.2026, 22:30 (Владивосток, UTC+10)");
    expect(formatInZone(at, "Asia/Vladivostok", "en")).toBe("Tue, 24 Nov 2026, 22:30 (Vladivostok, UTC+10)");
    expect(formatInZone(at, "Asia/Magadan", "ru")).toBe("вт, 24.11.2026, 23:30 (Магадан, UTC+11)");
    // Kamchatka is UTC+12: already Wednesday.
    expect(formatInZone(at, "Asia/Kamchatka", "ru")).toBe("ср, 25.11.2026, 00:30 (Камчатка, UTC+12)");
    expect(formatInZone(at, "Asia/Kamchatka", "en")).toBe("Wed, 25 Nov 2026, 00:30 (Kamchatka, UTC+12)");
  });

  it("shows other zones by IANA name, with DST and fractional offsets", () => {
    expect(formatInZone(at, "America/New_York", "en")).toBe("Tue, 24 Nov 2026, 07:30 (America/New_York, UTC-5)");
    expect(formatInZone(new Date("2026-07-01T12:30:00Z"), "America/New_York", "ru")).toBe(
      "ср, 01.07.2026, 08:30 (America/New_York, UTC-4)",
    );
    expect(formatInZone(at, "Asia/Kolkata", "en")).toBe("Tue, 24 Nov 2026, 18:00 (Asia/Kolkata, UTC+5:30)");
    expect(formatInZone(at, "UTC", "ru")).toBe("вт, 24.11.2026, 12:30 (UTC, UTC+0)");
    expect(formatInZone(new Date("2026-01-05T08:05:00Z"), "Europe/Berlin", "en")).toBe(
      "Mon, 5 Jan 2026, 09:05 (Europe/Berlin, UTC+1)",
    );
  });

  it("helpers: offsets, labels, zone checks", () => {
    expect(formatUtcOffset(180)).toBe("UTC+3");
    expect(formatUtcOffset(-300)).toBe("UTC-5");
    expect(formatUtcOffset(345)).toBe("UTC+5:45");
    expect(formatUtcOffset(-210)).toBe("UTC-3:30");
    expect(formatUtcOffset(0)).toBe("UTC+0");
    expect(zoneLabel("Asia/Vladivostok", "ru", at)).toBe("Владивосток, UTC+10");
    for (const zone of Object.keys(ZONE_NAMES)) expect(isValidZone(zone), zone).toBe(true);
    expect(isValidZone("Mars/Base")).toBe(false);
    expect(isValidZone("")).toBe(false);
    expect(() => formatInZone(at, "Mars/Base", "ru")).toThrow(/unknown time zone/);
  });
});

describe("weeklyOccurrences", () => {
  const from = new Date("2026-03-01T00:00:00Z"); // a Sunday

  it("methodical Wednesday 13:30 in UTC+3, UTC+5 and UTC+10", () => {
    const iso = (zone: string) => weeklyOccurrences(3, "13:30", zone, from, 3).map((d) => d.toISOString());
    expect(iso("Europe/Moscow")).toEqual(["2026-03-04T10:30:00.000Z", "2026-03-11T10:30:00.000Z", "2026-03-18T10:30:00.000Z"]);
    expect(iso("Asia/Yekaterinburg")).toEqual(["2026-03-04T08:30:00.000Z", "2026-03-11T08:30:00.000Z", "2026-03-18T08:30:00.000Z"]);
    expect(iso("Asia/Vladivostok")).toEqual(["2026-03-04T03:30:00.000Z", "2026-03-11T03:30:00.000Z", "2026-03-18T03:30:00.000Z"]);
  });

  it("keeps 13:30 local across the US spring-forward (instants move by an hour)", () => {
    const out = weeklyOccurrences(3, "13:30", "America/New_York", new Date("2026-02-25T00:00:00Z"), 4);
    expect(out.map((d) => d.toISOString())).toEqual([
      "2026-02-25T18:30:00.000Z",
      "2026-03-04T18:30:00.000Z",
      "2026-03-11T17:30:00.000Z", // EDT from 2026-03-08
      "2026-03-18T17:30:00.000Z",
    ]);
    for (const d of out) expect(DateTime.fromJSDate(d, { zone: "America/New_York" }).toFormat("ccc HH:mm")).toBe("Wed 13:30");
  });

  it("keeps 13:30 local across the European fall-back", () => {
    const out = weeklyOccurrences(3, "13:30", "Europe/Berlin", new Date("2026-10-15T00:00:00Z"), 3);
    expect(out.map((d) => d.toISOString())).toEqual([
      "2026-10-21T11:30:00.000Z", // CEST
      "2026-10-28T12:30:00.000Z", // CET from 2026-10-25
      "2026-11-04T12:30:00.000Z",
    ]);
  });

  it("a weekly time inside the DST gap is shifted forward that week only", () => {
    const out = weeklyOccurrences(7, "02:30", "America/New_York", new Date("2026-03-01T12:00:00Z"), 3);
    expect(out.map((d) => local(d, "America/New_York"))).toEqual(["2026-03-08 03:30", "2026-03-15 02:30", "2026-03-22 02:30"]);
  });

  it("includes today while the time is ahead (at or after `from`), else starts next week", () => {
    const wed1030Z = new Date("2026-03-04T10:30:00Z"); // Wednesday 13:30 Moscow
    expect(weeklyOccurrences(3, "13:30", MSK, wed1030Z, 1)).toEqual([wed1030Z]);
    expect(weeklyOccurrences(3, "13:30", MSK, new Date(wed1030Z.getTime() + 1), 1)).toEqual([new Date("2026-03-11T10:30:00Z")]);
    expect(weeklyOccurrences(3, "13:30", MSK, from, 0)).toEqual([]);
  });

  it("rejects bad input", () => {
    expect(() => weeklyOccurrences(0, "13:30", MSK, from, 1)).toThrow(RangeError);
    expect(() => weeklyOccurrences(8, "13:30", MSK, from, 1)).toThrow(RangeError);
    expect(() => weeklyOccurrences(3, "24:00", MSK, from, 1)).toThrow(RangeError);
    expect(() => weeklyOccurrences(3, "1:30", MSK, from, 1)).toThrow(RangeError);
    expect(() => weeklyOccurrences(3, "13:30", MSK, from, -1)).toThrow(RangeError);
    expect(() => weeklyOccurrences(3, "13:30", "Mars/Base", from, 1)).toThrow(/unknown time zone/);
  });
});

describe("quickSlots", () => {
  // Wednesday 10:00–13:00 and Friday 15:00–17:00, local.
  const windows = [
    { weekday: 3, startMin: 600, endMin: 780 },
    { weekday: 5, startMin: 900, endMin: 1020 },
  ];
  const wed0700 = new Date("2026-03-04T04:00:00Z"); // Wednesday 07:00 Moscow
  const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

  it("starts at each window start and every hour within it, leaving the duration", () => {
    expect(iso(quickSlots(windows, MSK, wed0700, { durationMin: 60, count: 6 }))).toEqual([
      "2026-03-04T07:00:00.000Z", // Wed 10:00
      "2026-03-04T08:00:00.000Z", // Wed 11:00
      "2026-03-04T09:00:00.000Z", // Wed 12:00 (ends 13:00 exactly)
      "2026-03-06T12:00:00.000Z", // Fri 15:00
      "2026-03-06T13:00:00.000Z", // Fri 16:00
      "2026-03-11T07:00:00.000Z", // next Wed 10:00
    ]);
  });

  it("drops starts that would run past the window end", () => {
    expect(iso(quickSlots(windows, MSK, wed0700, { durationMin: 90, count: 3 }))).toEqual([
      "2026-03-04T07:00:00.000Z",
      "2026-03-04T08:00:00.000Z",
      "2026-03-06T12:00:00.000Z",
    ]);
    expect(quickSlots([{ weekday: 3, startMin: 600, endMin: 630 }], MSK, wed0700, { durationMin: 45, count: 3 })).toEqual([]);
  });

  it("respects the lead time (default 2 hours) and a custom one", () => {
    const wed0930 = new Date("2026-03-04T06:30:00Z"); // Wednesday 09:30 Moscow → earliest 11:30
    expect(iso(quickSlots(windows, MSK, wed0930, { durationMin: 60, count: 2 }))).toEqual([
      "2026-03-04T09:00:00.000Z",
      "2026-03-06T12:00:00.000Z",
    ]);
    expect(iso(quickSlots(windows, MSK, wed0930, { durationMin: 60, count: 2, minLeadMin: 30 }))).toEqual([
      "2026-03-04T07:00:00.000Z",
      "2026-03-04T08:00:00.000Z",
    ]);
    // A lead of three days skips this week entirely.
    expect(iso(quickSlots(windows, MSK, wed0930, { durationMin: 60, count: 1, minLeadMin: 3 * 1440 }))).toEqual([
      "2026-03-11T07:00:00.000Z",
    ]);
  });

  it("is local to the zone: the same windows in Vladivostok are 7 hours earlier", () => {
    const msk = quickSlots(windows, MSK, new Date("2026-03-01T00:00:00Z"), { durationMin: 60, count: 5 });
    const vvo = quickSlots(windows, "Asia/Vladivostok", new Date("2026-03-01T00:00:00Z"), { durationMin: 60, count: 5 });
    expect(vvo.map((d, i) => (msk[i] as Date).getTime() - d.getTime())).toEqual(Array(5).fill(7 * 3_600_000));
    for (const d of vvo) expect(["10:00", "11:00", "12:00", "15:00", "16:00"]).toContain(DateTime.fromJSDate(d, { zone: "Asia/Vladivostok" }).toFormat("HH:mm"));
  });

  it("keeps wall times across DST in a DST zone", () => {
    const out = quickSlots([{ weekday: 3, startMin: 780, endMin: 840 }], "America/New_York", new Date("2026-02-28T00:00:00Z"), {
      durationMin: 60,
      count: 3,
    });
    expect(out.map((d) => local(d, "America/New_York"))).toEqual(["2026-03-04 13:00", "2026-03-11 13:00", "2026-03-18 13:00"]);
  });

  it("merges overlapping windows, sorts, and honours count", () => {
    const overlapping = [
      { weekday: 5, startMin: 900, endMin: 1020 },
      { weekday: 3, startMin: 600, endMin: 720 },
      { weekday: 3, startMin: 600, endMin: 780 },
    ];
    const out = quickSlots(overlapping, MSK, wed0700, { durationMin: 60, count: 10 });
    expect(out).toHaveLength(10);
    expect(new Set(out.map((d) => d.getTime())).size).toBe(10);
    expect([...out].sort((a, b) => a.getTime() - b.getTime())).toEqual(out);
    expect(quickSlots(overlapping, MSK, wed0700, { durationMin: 60, count: 0 })).toEqual([]);
    expect(quickSlots([], MSK, wed0700, { durationMin: 60, count: 3 })).toEqual([]);
  });

  it("every slot lies inside a window, fits the duration and respects the lead (property)", () => {
    const windowArb = fc
      .record({ weekday: fc.integer({ min: 1, max: 7 }), startMin: fc.integer({ min: 0, max: 1380 }), len: fc.integer({ min: 30, max: 600 }) })
      .map((w) => ({ weekday: w.weekday, startMin: w.startMin, endMin: Math.min(1440, w.startMin + w.len) }));
    fc.assert(
      fc.property(
        fc.array(windowArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(MSK, "Asia/Yekaterinburg", "Asia/Vladivostok", "Europe/Berlin"),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 15, max: 120 }),
        fc.integer({ min: 0, max: 600 }),
        (ws, zone, nowMs, durationMin, minLeadMin) => {
          const now = new Date(nowMs);
          const out = quickSlots(ws, zone, now, { durationMin, count: 5, minLeadMin });
          for (const d of out) {
            expect(d.getTime()).toBeGreaterThanOrEqual(nowMs + minLeadMin * 60_000);
            const t = DateTime.fromJSDate(d, { zone });
            const m = t.hour * 60 + t.minute;
            const inside = ws.some((w) => w.weekday === t.weekday && m >= w.startMin && m + durationMin <= w.endMin && (m - w.startMin) % 60 === 0);
            // Berlin's gap may move a start forward by an hour; the other zones have no DST.
            if (zone !== "Europe/Berlin") expect(inside).toBe(true);
          }
          expect(out.map((d) => d.getTime())).toEqual([...out.map((d) => d.getTime())].sort((a, b) => a - b));
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it("rejects invalid windows and options", () => {
    expect(() => quickSlots([{ weekday: 8, startMin: 0, endMin: 60 }], MSK, wed0700, { durationMin: 30, count: 1 })).toThrow(RangeError);
    expect(() => quickSlots([{ weekday: 1, startMin: 600, endMin: 600 }], MSK, wed0700, { durationMin: 30, count: 1 })).toThrow(RangeError);
    expect(() => quickSlots([{ weekday: 1, startMin: 0, endMin: 1441 }], MSK, wed0700, { durationMin: 30, count: 1 })).toThrow(RangeError);
    expect(() => quickSlots(windows, MSK, wed0700, { durationMin: 0, count: 1 })).toThrow(RangeError);
  });
});

describe("formatDeadline", () => {
  it("gives the moment after «до» / \"by\" in the reader's zone, the year only when it changes", () => {
    const at = new Date("2026-12-15T07:00:00Z");
    expect(formatDeadline(at, "Europe/Moscow", "ru")).toBe("вторника, 15 декабря, 10:00");
    expect(formatDeadline(at, "Europe/Moscow", "en")).toBe("Tuesday, 15 December, 10:00");
    expect(formatDeadline(at, "Asia/Vladivostok", "ru")).toBe("вторника, 15 декабря, 17:00");
    expect(formatDeadline(new Date("2027-01-01T06:00:00Z"), "Europe/Moscow", "ru", new Date("2026-12-30T10:00:00Z"))).toBe("пятницы, 1 января 2027, 09:00");
  });
});
