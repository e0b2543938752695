import { I18n } from "@grammyjs/i18n";
import type { Context } from "grammy";
import { findUserByTelegramId } from "../db/user-cache.ts";
import { isLocale, LOCALES, localeSource, type Locale } from "../core/locales.ts";

export { LOCALES, isLocale, localeSource, type Locale } from "../core/locales.ts";

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
