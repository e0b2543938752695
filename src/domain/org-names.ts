/**
 * Names of preschool organizations as people actually write them. The same kindergarten appears
 * as «МДОУ «Детский сад № 27»», "МДОУ детский сад №27", "Детский сад 27" or "детский сад No 27";
 * everything here maps such spellings to one search key and matches typed queries against it.
 * Pure functions, no I/O.
 */

/**
 * Legal-form abbreviations (организационно-правовые формы и типы учреждений) dropped from search
 * keys as whole words. Upper-case, «Ё» written as «Е».
 */
export const LEGAL_FORMS: readonly string[] = [
  // municipal preschool institutions
  "МДОУ",
  "МАДОУ",
  "МБДОУ",
  "МКДОУ",
  "МДОАУ",
  "МДОБУ",
  "МДОКУ",
  "МАДОО",
  "МБДОО",
  "МКДОО",
  "МДОО",
  // state preschool and general institutions
  "ГБДОУ",
  "ГАДОУ",
  "ГКДОУ",
  "ГДОУ",
  "ГАПОУ",
  "ГБПОУ",
  "ГБОУ",
  "ГАОУ",
  "ГКОУ",
  "ГОУ",
  "ФГБОУ",
  "ФГБДОУ",
  // municipal general institutions and generic types
  "МБОУ",
  "МАОУ",
  "МКОУ",
  "МОУ",
  "МБУ",
  "МАУ",
  "МКУ",
  "МУ",
  "ДОУ",
  "ДОО",
  "ЦОУ",
  // private and non-profit
  "ЧДОУ",
  "НДОУ",
  "ЧОУ",
  "НОУ",
  "ЧУ",
  "АНО",
  "АНОДО",
  "АНДОО",
];

const LEGAL_FORM_SET = new Set(LEGAL_FORMS.map((f) => f.toLowerCase()));

/** Shortest query token for which the fuzzy fallback is tried (shorter tokens match by prefix only). */
export const FUZZY_MIN_LENGTH = 5;

/** Lower-case, «ё» → «е», and every character that is neither a letter nor a digit becomes a space. */
function rawTokens(name: string): string[] {
  return name
    .normalize("NFC")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/№/g, " ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
}

/**
 * Tokens of a name without legal forms and number signs: "No"/"N" before a number (also written
 * together, "No27") is dropped, as is «№».
 */
export function orgNameTokens(name: string): string[] {
  const tokens = rawTokens(name);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (LEGAL_FORM_SET.has(t)) continue;
    const next = tokens[i + 1];
    if ((t === "no" || t === "n") && next !== undefined && /^\d/.test(next)) continue;
    const glued = /^(?:no|n)(\d.*)$/.exec(t);
    if (glued) {
      out.push(glued[1] as string);
      continue;
    }
    out.push(t);
  }
  return out;
}

/**
 * The search key of an organization name: lower-case, «ё» → «е», without legal-form
 * abbreviations (МДОУ, МБДОУ, ДОУ, АНО …), quotes of any kind, «№»/"No"/"N" before a number and
 * punctuation, single spaces. «МДОУ «Детский сад № 27»» and "детский сад No 27" both give
 * "детский сад 27". A name made of a legal form alone gives "".
 */
export function normalizeOrgName(name: string): string {
  return orgNameTokens(name).join(" ");
}

/**
 * The legal-form abbreviation written in a name, upper-case («МДОУ», «МДОАУ»), or undefined.
 * The first one found wins.
 */
export function detectLegalForm(name: string): string | undefined {
  const found = rawTokens(name).find((t) => LEGAL_FORM_SET.has(t));
  return found?.toUpperCase();
}

/**
 * Optimal-string-alignment (restricted Damerau-Levenshtein) distance: insertions, deletions,
 * substitutions and transpositions of adjacent characters each cost 1. Stops early and returns
 * `max + 1` once the distance is known to exceed `max`.
 */
export function damerauLevenshtein(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2: number[] = new Array<number>(n + 1).fill(0);
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  let cur: number[] = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] as number;
}

/**
 * Whether a query token matches a key token approximately: within distance 1 of the whole key
 * token or of one of its prefixes (so a misspelt beginning of a long word still matches).
 */
function fuzzyTokenMatch(queryToken: string, keyToken: string): boolean {
  if (queryToken.length < FUZZY_MIN_LENGTH || /\d/.test(queryToken)) return false;
  for (const len of [queryToken.length - 1, queryToken.length, queryToken.length + 1]) {
    if (len < 1 || len > keyToken.length) continue;
    if (damerauLevenshtein(queryToken, keyToken.slice(0, len), 1) <= 1) return true;
  }
  return false;
}

/** How a query matches a key: `exact` (every token a prefix), `fuzzy` (needed the typo fallback) or `none`. */
export type MatchKind = "exact" | "fuzzy" | "none";

/**
 * Matches a query against a search key (or any normalised text): `exact` when every token of
 * the normalised query is a prefix of some token of the key; `fuzzy` when that holds only after
 * allowing, for query tokens of at least {@link FUZZY_MIN_LENGTH} letters, one typo
 * (Damerau-Levenshtein ≤ 1) against a key token or its prefix; otherwise `none`. An empty query
 * matches everything exactly.
 */
export function matchKind(searchKey: string, query: string): MatchKind {
  const queryTokens = orgNameTokens(query);
  if (queryTokens.length === 0) return "exact";
  const keyTokens = searchKey.split(" ").filter(Boolean);
  let kind: MatchKind = "exact";
  for (const q of queryTokens) {
    if (keyTokens.some((k) => k.startsWith(q))) continue;
    if (keyTokens.some((k) => fuzzyTokenMatch(q, k))) {
      kind = "fuzzy";
      continue;
    }
    return "none";
  }
  return kind;
}

/**
 * Whether a query finds a search key: every token of the normalised query is a prefix of some
 * token of the key, with a one-typo fallback for tokens of five letters or more
 * («Белосевский» finds «Белоевский»). See {@link matchKind}.
 */
export function matchesQuery(searchKey: string, query: string): boolean {
  return matchKind(searchKey, query) !== "none";
}

/**
 * The key a network name is made unique by: lower-case, «ё» → «е», punctuation and quotes as
 * spaces, single spaces. Legal forms are kept (a network's name is not an organization's).
 */
export function normalizeNetworkName(name: string): string {
  return rawTokens(name).join(" ");
}

export { orgPlaceKey, orgUniqueKey } from "../core/org-keys.ts";

/**
 * How an organization is shown where a person picks it: the short name with its municipality (or
 * region) in parentheses, so that two kindergartens of the same name can be told apart.
 */
export function orgLabel(org: { shortName: string; municipality?: string | null; region?: string | null }): string {
  const place = org.municipality || org.region;
  return place ? `${org.shortName} (${place})` : org.shortName;
}

/**
 * A field as people meant it: control characters (C0, DEL, C1) become spaces, invisible format
 * characters (zero-width spaces and joiners, bidi marks, soft hyphens, BOM) are dropped.
 */
export function stripControlCharacters(value: string): string {
  return value.replace(/\p{Cc}/gu, " ").replace(/\p{Cf}/gu, "");
}
