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
  keepBundleMatches(i18n);
  return i18n;
}

type MatchingFluent = { matchBundles(locales: string[]): Set<unknown> };

/**
 * Fluent matches the bundles for the asked locales anew at every `t` (@fluent/langneg parses both
 * lists of locales each time): a `/help` translates about 15 texts, and that matching took 1.8 %
 * of the bot's CPU in a profile of 30,000 `/help`s (2026-12-05). The bundles are all loaded in
 * `createI18n`, before the first `t`, so the match for a list of locales is kept (a handful: the
 * bot's two locales).
 */
function keepBundleMatches(i18n: I18n<never>): void {
  const fluent = (i18n as unknown as { fluent: MatchingFluent }).fluent;
  const match = fluent.matchBundles.bind(fluent);
  const kept = new Map<string, Set<unknown>>();
  fluent.matchBundles = (locales) => {
    const key = locales.join("\n");
    let bundles = kept.get(key);
    if (!bundles) {
      bundles = match(locales);
      if (kept.size < 32) kept.set(key, bundles);
    }
    return bundles;
  };
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
