import { FluentBundle, FluentResource } from "@fluent/bundle";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { existsSync, readdirSync, readFileSync } from "node:fs";

/**
 * The bot's languages and their Fluent texts, below every layer that renders text: the bot's
 * i18n plugin (texts in a chat) and `createTranslator` (the jobs, the CLI, the export's thread)
 * load the same `locales/`.
 */

export const LOCALES = ["ru", "en"] as const;
export type Locale = (typeof LOCALES)[number];
/** `locales/` at the project root, found from here both in the sources and in the built `dist/`. */
export const LOCALES_DIR = [new URL("../../locales/", import.meta.url), new URL("../../../locales/", import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(join(dir, "ru.ftl"))) as string;

/** A text in a locale: `t(locale, key, args)`. */
export type Translate = (locale: string, key: string, args?: Record<string, string | number>) => string;

/**
 * The Fluent source of a locale: `locales/<locale>.ftl`, then every `locales/<locale>/*.ftl` in
 * name order (one file per feature area keeps parallel work from colliding in one file).
 */
export function localeSource(locale: Locale): string {
  const parts = [readFileSync(join(LOCALES_DIR, `${locale}.ftl`), "utf8")];
  const dir = join(LOCALES_DIR, locale);
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".ftl")).sort()) parts.push(readFileSync(join(dir, name), "utf8"));
  }
  return parts.map((p) => (p.endsWith("\n") ? p : `${p}\n`)).join("\n");
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * Texts without a chat (the jobs, the CLI, the export's thread): Fluent bundles of every
 * locale, looked up as the bot's i18n plugin looks them up (`key` or `key.attribute`, the default
 * locale when the message is missing in `locale`, `{key}` when it is missing in both), so a file
 * built here reads as one built by the bot (`tests/locales.test.ts` compares every message).
 */
export function createTranslator(defaultLocale: Locale = "ru"): Translate {
  const bundles = new Map<string, FluentBundle>();
  for (const locale of LOCALES) {
    const bundle = new FluentBundle(locale, { useIsolating: false });
    const errors = bundle.addResource(new FluentResource(localeSource(locale)), { allowOverrides: true });
    if (errors.length > 0) throw new Error(`locales/${locale}: ${errors.map((e) => e.message).join("; ")}`);
    bundles.set(locale, bundle);
  }
  return (locale, key, args) => {
    const [id = "", attribute] = key.split(".", 2);
    for (const l of locale === defaultLocale ? [locale] : [locale, defaultLocale]) {
      const bundle = bundles.get(l);
      const message = bundle?.getMessage(id);
      if (!bundle || !message) continue;
      const pattern = attribute ? message.attributes[attribute] : (message.value ?? "");
      if (pattern === undefined) continue;
      return bundle.formatPattern(pattern, args);
    }
    return `{${key}}`;
  };
}
