import { I18n } from "@grammyjs/i18n";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { Context } from "grammy";
import { findUserByTelegramId } from "../db/user-cache.ts";

export const LOCALES = ["ru", "en"] as const;
export type Locale = (typeof LOCALES)[number];
/** `locales/` at the project root, found from here both in the sources and in the built `dist/`. */
export const LOCALES_DIR = [new URL("../../locales/", import.meta.url), new URL("../../../locales/", import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(join(dir, "ru.ftl"))) as string;

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

/** Maps a Telegram `language_code` to a supported locale. */
export function localeFromTelegram(code: string | undefined, fallback: Locale): Locale {
  const lang = code?.toLowerCase().split("-")[0];
  if (lang === "en") return "en";
  if (lang === "ru" || lang === "uk" || lang === "be" || lang === "kk") return "ru";
  return fallback;
}

export function createI18n<C extends Context>(defaultLocale: Locale, negotiate: (ctx: C) => Promise<Locale>): I18n<C> {
  const i18n = new I18n<C>({
    defaultLocale,
    useSession: false,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: negotiate,
  });
  for (const locale of LOCALES) i18n.loadLocaleSync(locale, { source: localeSource(locale) });
  return i18n;
}

/** Locale for a context: the user's saved choice, else Telegram's language, else the default. */
export async function negotiateLocale(
  ctx: Context & { user?: { locale?: string | null } | null },
  defaultLocale: Locale,
): Promise<Locale> {
  if (ctx.user !== undefined) {
    if (isLocale(ctx.user?.locale)) return ctx.user.locale;
  } else if (ctx.from) {
    const saved = await findUserByTelegramId(ctx.from.id);
    if (isLocale(saved?.locale)) return saved.locale;
  }
  return localeFromTelegram(ctx.from?.language_code, defaultLocale);
}
