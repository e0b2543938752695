import { getGender, incline } from "lvovich";
import { escapeHtml } from "../core/html.ts";

/** Grammatical gender of a person, for Russian verb and adjective endings. */
export type Gender = "female" | "male";
export const GENDERS = ["female", "male"] as const satisfies readonly Gender[];

/** Grammatical cases a name is declined into (lvovich's names). */
export type NameCase = "genitive" | "dative" | "accusative" | "instrumental" | "prepositional";

interface Fio {
  last?: string;
  first?: string;
  middle?: string;
}

/** "Фамилия Имя Отчество" → its parts (the order the profile asks for). */
export function splitFullName(fullName: string): Fio {
  const [last, first, ...rest] = fullName.trim().split(/\s+/);
  const fio: Fio = {};
  if (last) fio.last = last;
  if (first) fio.first = first;
  if (rest.length) fio.middle = rest.join(" ");
  return fio;
}

/** Gender from the patronymic (-вна/-чна/-кызы → female, -вич/-ич/-оглы → male), then the first and last name. */
export function genderFromName(fullName: string | null | undefined): Gender | undefined {
  if (!fullName) return undefined;
  const fio = splitFullName(fullName);
  const middle = fio.middle?.toLowerCase() ?? "";
  if (/(вна|чна|кызы|қызы)$/.test(middle)) return "female";
  if (/(ич|оглы|ұлы|улы)$/.test(middle)) return "male";
  const g = getGender({ first: fio.first ?? null, last: fio.last ?? null, middle: fio.middle ?? null });
  return g === "female" || g === "male" ? g : undefined;
}

/** The profile's own choice wins; otherwise the gender read from the name. */
export function genderOf(profile: { fullName?: string | null; gender?: string | null } | null | undefined): Gender | undefined {
  if (profile?.gender === "female" || profile?.gender === "male") return profile.gender;
  return genderFromName(profile?.fullName);
}

/**
 * Value of a Fluent `$gender` selector: "female" or "male"; "female" when unknown, since most
 * kindergarten teachers are women and a wrong guess reads better than a "(а)" form.
 */
export function genderArg(profile: Parameters<typeof genderOf>[0]): Gender {
  return genderOf(profile) ?? "female";
}

/** The full name declined into a case ("с Петровой Анной Сергеевной"); the name as is when it cannot be declined. */
export function declineName(fullName: string | null | undefined, nameCase: NameCase, gender?: Gender): string {
  if (!fullName) return "";
  const fio = splitFullName(fullName);
  const words = fullName.trim().split(/\s+/);
  if (words.length < 2 || words.length > 3) return fullName.trim();
  const g = gender ?? genderFromName(fullName);
  const out = incline({ first: fio.first ?? null, last: fio.last ?? null, middle: fio.middle ?? null, ...(g ? { gender: g } : {}) }, nameCase);
  return [out.last, out.first, out.middle].filter(Boolean).join(" ");
}

/** A number with a fixed count of decimals in the locale's style: "4,5" in Russian, "4.5" in English. */
export function formatDecimal(n: number, locale: string, digits = 1): string {
  return new Intl.NumberFormat(locale === "en" ? "en-GB" : "ru-RU", { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

type Named = { profile?: { fullName?: string | null; gender?: string | null } | null } | null | undefined;

/** A person's name, HTML-escaped, declined for a Russian reader ("с Петровой Анной Сергеевной"); "—" when unknown. */
export function nameIn(person: Named, nameCase: NameCase, locale: string | null | undefined): string {
  const full = person?.profile?.fullName;
  if (!full) return "—";
  return escapeHtml(locale === "en" ? full : declineName(full, nameCase, genderOf(person.profile)));
}
