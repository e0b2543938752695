import { describe, expect, it } from "vitest";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { LOCALES, localeSource, type Locale } from "../src/bot/i18n.ts";

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
});
