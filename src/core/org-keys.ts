/**
 * The key organizations are made unique by. Pure functions, no I/O; here rather than in the
 * domain so that the connection's backfill (src/db/backfill.ts) can use them.
 */

/** Words for "town" written before a town's name: «г. Ярославль», «город Ярославль». */
const TOWN_PREFIXES = new Set(["г", "гор", "город"]);

/**
 * Lower-case, «ё» → «е», anything neither letter nor digit as one space, a leading «г.» /
 * «город» dropped («г. Ярославль» and «Ярославль» are one place).
 */
function placeTokens(value: string): string {
  const tokens = value
    .normalize("NFC")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  if (tokens.length > 1 && TOWN_PREFIXES.has(tokens[0] as string)) tokens.shift();
  return tokens.join(" ");
}

/**
 * The place an organization is made unique in: its municipality, or its region when the
 * municipality is empty, normalised («г. Ярославль», "Г Ярославль" and «Ярославль» are the same); "" when
 * neither is known.
 */
export function orgPlaceKey(municipality: string | undefined | null, region: string | undefined | null): string {
  const m = municipality ? placeTokens(municipality) : "";
  if (m) return m;
  return region ? placeTokens(region) : "";
}

/**
 * The key organizations are de-duplicated by: the search key of the short name (see
 * normalizeOrgName in src/domain/org-names.ts) plus the place ({@link orgPlaceKey}).
 * «Детский сад № 5» in Ярославль and in Рыбинск differ; two spellings of the same name in the
 * same municipality do not.
 */
export function orgUniqueKey(searchKey: string, municipality: string | undefined | null, region: string | undefined | null): string {
  return `${searchKey}|${orgPlaceKey(municipality, region)}`;
}
