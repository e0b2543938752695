import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import {
  damerauLevenshtein,
  detectLegalForm,
  matchesQuery,
  matchKind,
  normalizeNetworkName,
  normalizeOrgName,
  orgLabel,
  orgPlaceKey,
  orgUniqueKey,
  stripControlCharacters,
} from "../src/domain/org-names.ts";

useTestDatabase();

describe("normalizeOrgName", () => {
  it("gives one key for the usual spellings of kindergarten № 27", () => {
    const spellings = [
      "МДОУ «Детский сад № 27»",
      "МДОУ детский сад №27",
      "Детский сад 27",
      "детский сад No 27",
      "детский сад No27",
      "Детский сад N 27",
      'МДОУ "Детский сад №27"',
      "  МДОУ  „Детский  сад  № 27“ ",
      "Детский сад, № 27.",
      "МБДОУ ДЕТСКИЙ САД № 27",
    ];
    const keys = new Set(spellings.map(normalizeOrgName));
    expect([...keys]).toEqual(["детский сад 27"]);
  });

  it("treats «№» and No/N alike, but keeps the number", () => {
    expect(normalizeOrgName("Детский сад № 151")).toBe(normalizeOrgName("Детский сад No 151"));
    expect(normalizeOrgName("Детский сад № 151")).not.toBe(normalizeOrgName("Детский сад № 155"));
  });

  it("replaces ё by е, drops every kind of quote and legal forms only as whole words", () => {
    expect(normalizeOrgName("МАДОУ «Ёлочка»")).toBe("елочка");
    expect(normalizeOrgName("ГБДОУ ‘Солнышко’ 'Сказка'")).toBe("солнышко сказка");
    // "ДОУ" inside a word is not a legal form; "Мудрость" keeps its "му".
    expect(normalizeOrgName("Мудрость ДОУшка")).toBe("мудрость доушка");
    for (const form of ["МДОУ", "МАДОУ", "МБДОУ", "МДОАУ", "МКДОУ", "ГБДОУ", "ГАПОУ", "ГБОУ", "МБОУ", "МАОУ", "МОУ", "МУ", "ДОУ", "ДОО", "ЦОУ", "ЧДОУ", "АНО"]) {
      expect(normalizeOrgName(`${form} Радуга`)).toBe("радуга");
    }
  });

  it("keeps the town in «МДОАУ № 56 г. Орска»", () => {
    expect(normalizeOrgName("МДОАУ № 56 г. Орска")).toBe("56 г орска");
  });

  it("gives an empty key for a legal form alone", () => {
    expect(normalizeOrgName("МДОУ")).toBe("");
    expect(normalizeOrgName(" «» ")).toBe("");
  });

  it("normalises network names without dropping anything but punctuation", () => {
    expect(normalizeNetworkName("  Ярославская   СЕТЬ ")).toBe("ярославская сеть");
    expect(normalizeNetworkName("Сеть «МДОУ»")).toBe("сеть мдоу");
  });
});

describe("detectLegalForm", () => {
  it("finds the abbreviation, upper-case", () => {
    expect(detectLegalForm("МДОУ «Детский сад № 27»")).toBe("МДОУ");
    expect(detectLegalForm("мдоау № 56 г. Орска")).toBe("МДОАУ");
    expect(detectLegalForm("Детский сад № 12 (МБДОУ)")).toBe("МБДОУ");
    expect(detectLegalForm("АНО ДО «Планета детства»")).toBe("АНО");
  });

  it("returns undefined without one", () => {
    expect(detectLegalForm("Детский сад 27")).toBeUndefined();
    expect(detectLegalForm("Мудрость")).toBeUndefined();
  });
});

describe("matchesQuery", () => {
  const key27 = normalizeOrgName("МДОУ «Детский сад № 27»");

  it("needs every query token to be a prefix of a key token", () => {
    expect(matchesQuery(key27, "27")).toBe(true);
    expect(matchesQuery(key27, "дет 27")).toBe(true);
    expect(matchesQuery(key27, "сад")).toBe(true);
    expect(matchesQuery(key27, "Детский сад №27")).toBe(true);
    expect(matchesQuery(key27, "детский сад No 27")).toBe(true);
    expect(matchesQuery(key27, "МДОУ 27")).toBe(true);
    expect(matchesQuery(key27, "28")).toBe(false);
    expect(matchesQuery(key27, "детский 12")).toBe(false);
    expect(matchesQuery(key27, "ясли")).toBe(false);
  });

  it("an empty query matches everything", () => {
    expect(matchesQuery(key27, "")).toBe(true);
    expect(matchesQuery(key27, "  «» ")).toBe(true);
  });

  it("finds «Белоевский» by the misspelt «Белосевский» (one-typo fallback)", () => {
    const key = normalizeOrgName("МДОУ «Белоевский детский сад»");
    expect(matchesQuery(key, "Белосевский")).toBe(true);
    expect(matchKind(key, "Белосевский")).toBe("fuzzy");
    expect(matchKind(key, "Белоевский")).toBe("exact");
    // A misspelt beginning of the word works too, and a transposition counts as one typo.
    expect(matchesQuery(key, "белосев")).toBe(true);
    expect(matchesQuery(key, "белоевксий")).toBe(true);
    // Short tokens and numbers are never fuzzy; two typos are too many.
    expect(matchesQuery(key, "бело")).toBe(true);
    expect(matchesQuery(key, "бела")).toBe(false);
    expect(matchesQuery(key, "белосевскиц")).toBe(false);
    expect(matchesQuery(key27, "детский 26")).toBe(false);
  });

  it("ё in the query finds е in the key and the other way round", () => {
    expect(matchesQuery(normalizeOrgName("Детский сад «Ёлочка»"), "елоч")).toBe(true);
    expect(matchesQuery(normalizeOrgName("Детский сад «Елочка»"), "ёлочка")).toBe(true);
  });
});

describe("damerauLevenshtein", () => {
  it("counts insertions, deletions, substitutions and adjacent transpositions", () => {
    expect(damerauLevenshtein("белоевский", "белоевский")).toBe(0);
    expect(damerauLevenshtein("белосевский", "белоевский")).toBe(1);
    expect(damerauLevenshtein("ab", "ba")).toBe(1);
    expect(damerauLevenshtein("kitten", "sitting")).toBe(3);
    expect(damerauLevenshtein("", "abc")).toBe(3);
    expect(damerauLevenshtein("abcdef", "uvwxyz", 1)).toBe(2);
  });
});

describe("organizations by place", () => {
  it("keys a name by municipality, or region when the municipality is empty", () => {
    expect(orgUniqueKey("детский сад 5", "г. Ярославль", "Ярославская область")).toBe("детский сад 5|ярославль");
    expect(orgUniqueKey("детский сад 5", "Город  Ярославль", undefined)).toBe("детский сад 5|ярославль");
    expect(orgUniqueKey("детский сад 5", "Рыбинск", "Ярославская область")).toBe("детский сад 5|рыбинск");
    expect(orgUniqueKey("детский сад 5", "", "Костромская обл.")).toBe("детский сад 5|костромская обл");
    expect(orgUniqueKey("детский сад 5", undefined, null)).toBe("детский сад 5|");
    expect(orgPlaceKey("Г.", undefined)).toBe("г");
  });

  it("labels an organization with its town for pickers", () => {
    expect(orgLabel({ shortName: "Детский сад № 5", municipality: "Рыбинск", region: "Ярославская область" })).toBe("Детский сад № 5 (Рыбинск)");
    expect(orgLabel({ shortName: "Детский сад № 5", region: "Ярославская область" })).toBe("Детский сад № 5 (Ярославская область)");
    expect(orgLabel({ shortName: "Детский сад № 5" })).toBe("Детский сад № 5");
  });

  it("strips control and invisible characters", () => {
    expect(stripControlCharacters("a\u0000b\u0007c\u009Fd\u200Be\u202Ef\u00ADg")).toBe("a b c defg");
  });
});
