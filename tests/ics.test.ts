import { describe, expect, it } from "vitest";
import { runs } from "./helpers/property.ts";
import fc from "fast-check";
import { meetingIcs, type MeetingIcsInput } from "../src/domain/ics.ts";

/** Content lines of an .ics text: lines are CRLF-terminated, folded lines continue after CRLF + space/tab. */
function lines(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, "").split("\r\n").filter((l) => l.length > 0);
}

function prop(text: string, name: string): string | undefined {
  const line = lines(text).find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
  return line === undefined ? undefined : line.slice(line.indexOf(":", name.length) + 1);
}

/** RFC 5545 TEXT unescaping. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

const base: MeetingIcsInput = {
  uid: "meeting-6650f1c2@nastavnik",
  start: new Date("2026-11-24T05:30:00Z"), // 15:30 in Vladivostok
  durationMin: 45,
  title: "Флеш-встреча",
  zone: "Asia/Vladivostok",
  stamp: new Date("2026-11-01T00:00:00Z"),
};

describe("meetingIcs", () => {
  it("writes a calendar with one event whose times are the instant in UTC", () => {
    expect(process.env.TZ).toBe("America/New_York"); // the host zone must not leak in
    const text = meetingIcs(base);
    expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(text.endsWith("END:VEVENT\r\nEND:VCALENDAR\r\n")).toBe(true);
    expect(text.split("\r\n").every((l) => !l.includes("\n"))).toBe(true);
    expect(prop(text, "DTSTART")).toBe("20261124T053000Z");
    expect(prop(text, "DTEND")).toBe("20261124T061500Z");
    expect(prop(text, "DTSTAMP")).toBe("20261101T000000Z");
    expect(prop(text, "UID")).toBe("meeting-6650f1c2@nastavnik");
    expect(prop(text, "SUMMARY")).toBe("Флеш-встреча");
    expect(prop(text, "SEQUENCE")).toBe("0");
    expect(prop(text, "METHOD")).toBe("PUBLISH");
    expect(prop(text, "STATUS")).toBe("CONFIRMED");
    expect(lines(text).filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
  });

  it("DTSTART matches the instant for any start (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2035, 0, 1) }).map((ms) => Math.floor(ms / 60_000) * 60_000),
        fc.integer({ min: 5, max: 480 }),
        (ms, durationMin) => {
          const text = meetingIcs({ ...base, start: new Date(ms), durationMin });
          const ical = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
          expect(prop(text, "DTSTART")).toBe(ical(new Date(ms)));
          expect(prop(text, "DTEND")).toBe(ical(new Date(ms + durationMin * 60_000)));
        },
      ),
      { numRuns: runs(100) },
    );
  });

  it("puts the local time with the zone's name in the description", () => {
    const ru = meetingIcs({ ...base, description: "Тема: адаптация" });
    expect(unescapeText(prop(ru, "DESCRIPTION") as string)).toBe(
      "Тема: адаптация\n\nВремя: вт, 24.11.2026, 15:30 (Владивосток, UTC+10)",
    );
    const en = meetingIcs({ ...base, locale: "en", zone: "Europe/Moscow" });
    expect(unescapeText(prop(en, "DESCRIPTION") as string)).toBe("Time: Tue, 24 Nov 2026, 08:30 (Moscow, UTC+3)");
  });

  it("keeps the UID stable and increments SEQUENCE when the meeting changes", () => {
    const v0 = meetingIcs(base);
    const v1 = meetingIcs({ ...base, start: new Date("2026-11-25T05:30:00Z"), sequence: 1 });
    const v2 = meetingIcs({ ...base, start: new Date("2026-11-25T06:30:00Z"), location: "Каб. 12", sequence: 2 });
    expect([v0, v1, v2].map((t) => prop(t, "UID"))).toEqual(Array(3).fill(base.uid));
    expect([v0, v1, v2].map((t) => Number(prop(t, "SEQUENCE")))).toEqual([0, 1, 2]);
    expect(prop(v2, "DTSTART")).toBe("20261125T063000Z");
    expect(prop(v2, "LOCATION")).toBe("Каб. 12");
    // Same input, same file: nothing random (the library's default UID is not used).
    expect(meetingIcs(base)).toBe(v0);
  });

  it("writes a cancellation as METHOD:CANCEL with STATUS:CANCELLED", () => {
    const viaMethod = meetingIcs({ ...base, method: "CANCEL", sequence: 3 });
    const viaStatus = meetingIcs({ ...base, status: "CANCELLED", sequence: 3 });
    for (const text of [viaMethod, viaStatus]) {
      expect(prop(text, "METHOD")).toBe("CANCEL");
      expect(prop(text, "STATUS")).toBe("CANCELLED");
      expect(prop(text, "SEQUENCE")).toBe("3");
      expect(prop(text, "UID")).toBe(base.uid);
    }
    expect(() => meetingIcs({ ...base, method: "CANCEL", status: "CONFIRMED" })).toThrow(/cancellation/);
    expect(() => meetingIcs({ ...base, method: "REQUEST", status: "CANCELLED" })).toThrow(/cancellation/);
  });

  it("writes REQUEST when asked, with attendees that have an address", () => {
    const text = meetingIcs({
      ...base,
      method: "REQUEST",
      organizer: { name: "Иванова А. А.", email: "mentor@example.org" },
      attendees: [{ name: "Петрова \"Маша\"", email: "mentee@example.org" }],
    });
    expect(prop(text, "METHOD")).toBe("REQUEST");
    const all = lines(text);
    expect(all).toContain('ORGANIZER;CN="Иванова А. А.":MAILTO:mentor@example.org');
    const attendee = all.find((l) => l.startsWith("ATTENDEE;")) as string;
    expect(attendee).toContain("CN=\"Петрова 'Маша'\"");
    expect(attendee.endsWith(":mailto:mentee@example.org")).toBe(true);
  });

  it("lists people without an address in the description instead of writing value-less lines", () => {
    const text = meetingIcs({ ...base, organizer: { name: "Иванова А. А." }, attendees: [{ name: "Петрова М." }, { name: "Сидоров П." }] });
    expect(prop(text, "ORGANIZER")).toBeUndefined();
    expect(prop(text, "ATTENDEE")).toBeUndefined();
    const description = unescapeText(prop(text, "DESCRIPTION") as string);
    expect(description).toContain("Организатор: Иванова А. А.");
    expect(description).toContain("Участники: Петрова М., Сидоров П.");
    // Every content line has a name and a value.
    for (const l of lines(text)) expect(l).toMatch(/^[A-Z-]+(;[^:]*)?:.*/);
  });

  it("lets the library escape special characters in text values", () => {
    const title = 'Встреча; тема, "кавычки" \\ обратная косая\nвторая строка';
    const description = "Пункты: 1, 2; 3\nC:\\путь";
    const text = meetingIcs({ ...base, title, description, location: "ул. Ленина, 1; каб. 2" });
    expect(prop(text, "SUMMARY")).toBe('Встреча\\; тема\\, "кавычки" \\\\ обратная косая\\nвторая строка');
    expect(unescapeText(prop(text, "SUMMARY") as string)).toBe(title);
    expect(unescapeText(prop(text, "DESCRIPTION") as string).startsWith(`${description}\n\n`)).toBe(true);
    expect(prop(text, "LOCATION")).toBe("ул. Ленина\\, 1\\; каб. 2");
  });

  it("turns CR LF and lone CR into line breaks and drops other control characters", () => {
    const text = meetingIcs({ ...base, title: "a\r\nb\rc\u0007d\te" });
    expect(prop(text, "SUMMARY")).toBe("a\\nb\\ncd\te");
    expect(text.split("\r\n").every((l) => !l.includes("\r"))).toBe(true);
  });

  it("escaping round-trips any title and keeps every physical line a line (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200, unit: "grapheme" }),
        (title) => {
          // What the module keeps of a title: line breaks as LF, no other control characters.
          // eslint-disable-next-line no-control-regex
          const kept = title.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
          fc.pre(kept.trim().length > 0);
          const text = meetingIcs({ ...base, title });
          expect(unescapeText(prop(text, "SUMMARY") as string)).toBe(kept);
          // eslint-disable-next-line no-control-regex
          expect(text.replace(/\r\n/g, "")).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f]/);
          expect(lines(text).filter((l) => l.startsWith("SUMMARY"))).toHaveLength(1);
          expect(prop(text, "DTSTART")).toBe("20261124T053000Z");
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it("throws a clear error when the library rejects the input, or on bad input", () => {
    expect(() => meetingIcs({ ...base, url: "not a url" })).toThrow(/ics library rejected the event: url/);
    expect(meetingIcs({ ...base, url: "https://t.me/nastavnik_bot?start=m_1" })).toContain("URL:https://t.me/nastavnik_bot?start=m_1");
    expect(() => meetingIcs({ ...base, uid: "" })).toThrow(/uid/);
    expect(() => meetingIcs({ ...base, uid: "a\nb" })).toThrow(/uid/);
    expect(() => meetingIcs({ ...base, title: "  " })).toThrow(/title/);
    expect(() => meetingIcs({ ...base, durationMin: 0 })).toThrow(/durationMin/);
    expect(() => meetingIcs({ ...base, start: new Date(Number.NaN) })).toThrow(/start/);
    expect(() => meetingIcs({ ...base, zone: "Mars/Base" })).toThrow(/unknown time zone/);
  });
});

describe("the meeting's summary and link", () => {
  it("reads «Наставничество: <тема> — <с кем>» and puts an online link in URL", async () => {
    const { icsSummary, onlineUrl } = await import("../src/domain/ics.ts");
    expect(icsSummary("Портфолио", ["Лебедева Дарья Олеговна"])).toBe("Наставничество: Портфолио — Лебедева Дарья Олеговна");
    expect(icsSummary("Portfolio", [], "en")).toBe("Mentoring: Portfolio");
    expect(onlineUrl(" https://telemost.yandex.ru/j/27000451 ")).toBe("https://telemost.yandex.ru/j/27000451");
    expect(onlineUrl("Кабинет 12")).toBeUndefined();
    const text = meetingIcs({ ...base, title: icsSummary("Портфолио", ["Лебедева Дарья Олеговна"]), location: "https://telemost.yandex.ru/j/1", url: onlineUrl("https://telemost.yandex.ru/j/1") });
    expect(prop(text, "METHOD")).toBe("PUBLISH");
    expect(text).toContain("URL:https://telemost.yandex.ru/j/1");
  });
});
