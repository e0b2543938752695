import { I18n } from "@grammyjs/i18n";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { existsSync } from "node:fs";
import type { Context } from "grammy";
import { User } from "../../models/index.ts";

export const LOCALES = ["ru", "en"] as const;
export type Locale = (typeof LOCALES)[number];
/** `locales/` at the project root, found from here both in the sources and in the built `dist/`. */
export const LOCALES_DIR = [new URL("../../locales/", import.meta.url), new URL("../../../locales/", import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(join(dir, "ru.ftl"))) as string;

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
  for (const locale of LOCALES) i18n.loadLocaleSync(locale, { filePath: join(LOCALES_DIR, `${locale}.ftl`) });
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
    const saved = await User.findOne({ telegramId: ctx.from.id }, { locale: 1 }).lean();
    if (isLocale(saved?.locale)) return saved.locale;
  }
  return localeFromTelegram(ctx.from?.language_code, defaultLocale);
}
