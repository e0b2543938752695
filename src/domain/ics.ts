/**
 * An iCalendar file for one meeting, built with the `ics` library.
 *
 * - Times are written in UTC (`DTSTART:20261124T053000Z`), from the instant itself, so the host
 *   zone never matters. The library has no way to write `X-WR-TIMEZONE` or a VTIMEZONE, so the
 *   local time with the zone's name goes at the end of the description instead.
 * - The UID is the caller's (use the meeting id): the same meeting always gets the same UID, and
 *   every change is sent with a higher `sequence`, so calendars update the event instead of
 *   adding a second one.
 * - A cancellation is `METHOD:CANCEL` with `STATUS:CANCELLED` (either input implies the other).
 *   Otherwise the method is `PUBLISH` (an event to add) unless `REQUEST` is asked for.
 * - Text values (title, description, location) are escaped by the library (`\` `;` `,` and
 *   newlines). ORGANIZER/ATTENDEE lines are only written for people with an e-mail address:
 *   iCalendar requires an address as their value, and the library would otherwise write a line
 *   without one, which calendars reject. People without an address are listed in the
 *   description.
 */
import { createEvent, type Attendee, type EventAttributes } from "ics";
import { formatInZone, type Locale } from "../core/datetime.ts";

export interface IcsPerson {
  name: string;
  email?: string;
}

export interface MeetingIcsInput {
  /** Stable per meeting (e.g. the meeting id); the same meeting must always get the same one. */
  uid: string;
  start: Date;
  durationMin: number;
  title: string;
  description?: string;
  location?: string;
  url?: string;
  organizer?: IcsPerson;
  attendees?: IcsPerson[];
  /** 0 for the first version, then +1 for every change or the cancellation. */
  sequence?: number;
  method?: "PUBLISH" | "REQUEST" | "CANCEL";
  status?: "CONFIRMED" | "CANCELLED";
  /** The organization's zone: shown in the description as the meeting's local time. */
  zone: string;
  /** Language of the lines this module adds to the description (default ru). */
  locale?: Locale;
  /** DTSTAMP (when this file was made); default now. Pass the clock's time for stable output. */
  stamp?: Date;
}

const LABELS: Record<Locale, { time: string; organizer: string; attendees: string; mentoring: string }> = {
  ru: { time: "Время", organizer: "Организатор", attendees: "Участники", mentoring: "Наставничество" },
  en: { time: "Time", organizer: "Organizer", attendees: "Attendees", mentoring: "Mentoring" },
};

/** SUMMARY of a meeting: «Наставничество: <тема> — <с кем>» (without the dash when nobody else is named). */
export function icsSummary(topic: string, withWhom: string[], locale: Locale = "ru"): string {
  const who = withWhom.filter(Boolean).join(", ");
  return `${LABELS[locale].mentoring}: ${topic}${who ? ` — ${who}` : ""}`;
}

/** The place when it is a web link (an online meeting): calendars show it as the event's URL too. */
export function onlineUrl(place: string | null | undefined): string | undefined {
  const m = place?.trim().match(/^https?:\/\/\S+$/i);
  return m ? m[0] : undefined;
}

/** Parameter values are quoted by the library; a quote or a line break inside would break the line. */
function paramSafe(name: string): string {
  return cleanText(name).replace(/"/g, "'").replace(/[\n\t]+/g, " ").trim();
}

/**
 * iCalendar text may hold no control characters but the tab, and the library escapes only LF
 * and CR LF as line breaks (a lone CR would go out raw). So: CR LF and lone CR become LF, and
 * the other control characters are dropped.
 */
function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

function describeLibraryError(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { message?: unknown; inner?: Array<{ path?: unknown; type?: unknown }>; errors?: unknown };
    const fields = Array.isArray(e.inner)
      ? e.inner.map((i) => `${String(i.path ?? "?")} (${String(i.type ?? "invalid")})`).join(", ")
      : "";
    const message = typeof e.message === "string" ? e.message : JSON.stringify(e.errors ?? error);
    const short = message.length > 200 ? `${message.slice(0, 200)}…` : message;
    return fields ? `${fields}: ${short}` : short;
  }
  return String(error);
}

/** The text of a one-event .ics file for a meeting. Throws if the library rejects the input. */
export function meetingIcs(input: MeetingIcsInput): string {
  const locale = input.locale ?? "ru";
  const labels = LABELS[locale];
  if (!input.uid || /[\r\n]/.test(input.uid)) throw new Error("meetingIcs: uid must be a non-empty single line");
  if (!(input.start instanceof Date) || Number.isNaN(input.start.getTime())) throw new Error("meetingIcs: start is not a valid date");
  if (!cleanText(input.title).trim()) throw new Error("meetingIcs: title must not be empty");
  if (!Number.isInteger(input.durationMin) || input.durationMin <= 0) {
    throw new Error(`meetingIcs: durationMin must be a positive integer: ${input.durationMin}`);
  }

  const cancelled = input.method === "CANCEL" || input.status === "CANCELLED";
  if (cancelled && (input.method === "REQUEST" || input.method === "PUBLISH" || input.status === "CONFIRMED")) {
    throw new Error("meetingIcs: a cancellation needs method CANCEL and status CANCELLED together");
  }
  const method = cancelled ? "CANCEL" : (input.method ?? "PUBLISH");
  const status = cancelled ? "CANCELLED" : (input.status ?? "CONFIRMED");

  const withEmail = (p: IcsPerson): boolean => typeof p.email === "string" && p.email.length > 0;
  const descriptionLines: string[] = [];
  if (input.description) descriptionLines.push(cleanText(input.description), "");
  descriptionLines.push(`${labels.time}: ${formatInZone(input.start, input.zone, locale)}`);
  if (input.organizer && !withEmail(input.organizer)) descriptionLines.push(`${labels.organizer}: ${input.organizer.name}`);
  const plainAttendees = (input.attendees ?? []).filter((p) => !withEmail(p)).map((p) => p.name);
  if (plainAttendees.length > 0) descriptionLines.push(`${labels.attendees}: ${plainAttendees.join(", ")}`);

  const startMs = input.start.getTime();
  const attributes: EventAttributes & { timestamp?: number } = {
    uid: input.uid,
    sequence: input.sequence ?? 0,
    method,
    status,
    productId: "-//Nastavnik//Nastavnik bot//RU",
    title: cleanText(input.title),
    description: cleanText(descriptionLines.join("\n")),
    start: startMs,
    startInputType: "utc",
    startOutputType: "utc",
    end: startMs + input.durationMin * 60_000,
    endInputType: "utc",
    endOutputType: "utc",
  };
  if (input.stamp) attributes.timestamp = input.stamp.getTime();
  if (input.location) attributes.location = cleanText(input.location);
  if (input.url) attributes.url = input.url;
  if (input.organizer && withEmail(input.organizer)) {
    attributes.organizer = { name: paramSafe(input.organizer.name), email: input.organizer.email };
  }
  const mailAttendees: Attendee[] = (input.attendees ?? [])
    .filter(withEmail)
    .map((p) => ({ name: paramSafe(p.name), email: p.email, rsvp: method === "REQUEST", partstat: "NEEDS-ACTION", role: "REQ-PARTICIPANT" }));
  if (mailAttendees.length > 0) attributes.attendees = mailAttendees;

  const { error, value } = createEvent(attributes);
  if (error || !value) {
    throw new Error(`meetingIcs: the ics library rejected the event: ${describeLibraryError(error ?? "no output")}`);
  }
  return value;
}

/**
 * The calendar file of a stored meeting (pair or group) for one recipient: stable UID from the
 * meeting id, its sequence, SUMMARY with whom, the online link as URL; PUBLISH, or CANCEL when it
 * was cancelled (no ORGANIZER/ATTENDEE addresses, so not an invitation to answer).
 */
export function storedMeetingIcs(
  m: { _id: { toString(): string }; startAt: Date; durationMin: number; place?: string | null; sequence: number },
  opts: { title: string; description?: string; cancelled: boolean; zone: string; locale?: Locale },
): string {
  const url = onlineUrl(m.place);
  return meetingIcs({
    uid: `meeting-${m._id.toString()}@nastavnik`,
    start: m.startAt,
    durationMin: m.durationMin,
    title: opts.title,
    description: opts.description,
    location: m.place ?? undefined,
    ...(url ? { url } : {}),
    sequence: m.sequence,
    method: opts.cancelled ? "CANCEL" : "PUBLISH",
    status: opts.cancelled ? "CANCELLED" : "CONFIRMED",
    zone: opts.zone,
    ...(opts.locale ? { locale: opts.locale } : {}),
  });
}
