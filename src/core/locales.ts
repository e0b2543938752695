import { I18n } from "@grammyjs/i18n";
import type { Context } from "grammy";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { existsSync, readdirSync, readFileSync } from "node:fs";

/**
 * The bot's languages and their Fluent texts, below every layer that renders text: the bot's
 * i18n plugin, the jobs, and threads that build files (the digest's thread renders a region's
 * export in Russian) all load the same `locales/`.
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

/** An i18n instance with every locale loaded (`localeNegotiator` only where there is a chat to ask). */
export function loadedI18n<C extends Context>(defaultLocale: Locale, localeNegotiator?: (ctx: C) => Promise<Locale>): I18n<C> {
  const i18n = new I18n<C>({
    defaultLocale,
    useSession: false,
    fluentBundleOptions: { useIsolating: false },
    ...(localeNegotiator ? { localeNegotiator } : {}),
  });
  for (const locale of LOCALES) i18n.loadLocaleSync(locale, { source: localeSource(locale) });
  return i18n;
}

/** Texts without a chat (jobs, threads, the CLI). */
export function createTranslator(defaultLocale: Locale = "ru"): Translate {
  const i18n = loadedI18n(defaultLocale);
  return (locale, key, args) => i18n.t(locale, key, args);
}
