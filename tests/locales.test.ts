import { describe, expect, it } from "vitest";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { createI18n, LOCALES, localeSource, type Locale } from "../src/bot/i18n.ts";
import { createTranslator } from "../src/core/locales.ts";

function keysOf(locale: Locale): { keys: string[]; vars: Record<string, string[]> } {
  const source = localeSource(locale);
  const resource = new FluentResource(source);
  const bundle = new FluentBundle(locale);
  const errors = bundle.addResource(resource);
  expect(errors, `${locale}.ftl parses`).toEqual([]);
  const keys = [...source.matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1] as string);
  const vars: Record<string, string[]> = {};
  for (const key of keys) {
    const body = source.slice(source.indexOf(`${key} =`)).split(/\n(?=[a-z#])/)[0] ?? "";
    vars[key] = [...new Set([...body.matchAll(/\{\s*\$([a-zA-Z_]+)/g)].map((m) => m[1] as string))].sort();
  }
  return { keys, vars };
}

describe("locales", () => {
  it("ru and en have the same keys and the same variables", () => {
    const [ru, en] = LOCALES.map(keysOf) as [ReturnType<typeof keysOf>, ReturnType<typeof keysOf>];
    expect(ru.keys.length).toBeGreaterThan(10);
    expect([...ru.keys].sort()).toEqual([...en.keys].sort());
    // Russian may select verb endings by grammatical gender (`$gender`, `$nameGender`); English needs no such variable.
    const noGender = (vars: string[] | undefined) => (vars ?? []).filter((v) => v !== "gender" && !v.endsWith("Gender"));
    for (const key of ru.keys) expect(noGender(en.vars[key]), `variables of ${key}`).toEqual(noGender(ru.vars[key]));
    expect(new Set(ru.keys).size, "no duplicate keys").toBe(ru.keys.length);
  });

  it("the bundles matched for a locale are kept: each locale's texts stay its own, and a repeated `t` matches nothing anew", () => {
    const i18n = createI18n("ru", async () => "ru");
    const fluent = (i18n as unknown as { fluent: { matchBundles(locales: string[]): Set<unknown> } }).fluent;
    const first = { ru: i18n.t("ru", "help-title"), en: i18n.t("en", "help-title"), de: i18n.t("de", "help-title") };
    expect(first.ru).not.toBe(first.en);
    expect(first.de).toBe(first.ru); // an unknown locale falls back to the default
    expect(fluent.matchBundles(["en"])).toBe(fluent.matchBundles(["en"]));
    expect(fluent.matchBundles(["en"])).not.toBe(fluent.matchBundles(["ru"]));
    expect({ ru: i18n.t("ru", "help-title"), en: i18n.t("en", "help-title"), de: i18n.t("de", "help-title") }).toEqual(first);
  });

  it("texts built without a chat (the export's thread) read as the bot's: every message, with and without its variables", () => {
    const i18n = createI18n("ru", async () => "ru");
    const t = createTranslator("ru");
    // A message missing a variable throws in both.
    const said = (f: () => string) => {
      try {
        return f();
      } catch (err) {
        return `throws ${(err as Error).message}`;
      }
    };
    const samples = { n: 3, count: 1, name: "Анна Смирнова", gender: "female", nameGender: "female", scope: "все организации", days: 2, date: "01.12.2026" };
    let rendered = 0;
    for (const locale of LOCALES) {
      const { keys } = keysOf(locale);
      for (const key of keys) {
        if (!said(() => t(locale, key, samples)).startsWith("throws ")) rendered++;
        expect(said(() => t(locale, key, samples)), `${locale}: ${key}`).toBe(said(() => i18n.t(locale, key, samples)));
        expect(said(() => t(locale, key)), `${locale}: ${key} without variables`).toBe(said(() => i18n.t(locale, key)));
      }
    }
    expect(rendered, "most messages render with the samples").toBeGreaterThan(1000);
    expect(t("en", "no-such-key")).toBe(i18n.t("en", "no-such-key"));
  });
});
