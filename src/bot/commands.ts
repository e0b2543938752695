import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import type { Logger } from "../core/logger.ts";
import { LOCALES, type Locale } from "./i18n.ts";

/** Commands everybody sees. Role menus add theirs per chat. */
export const BASE_COMMANDS = ["start", "help", "language", "cancel"] as const;

export type Translate = (key: string) => string;
export type LocaleTranslate = (locale: Locale, key: string) => string;

export function commandList(t: Translate, names: readonly string[] = BASE_COMMANDS): BotCommand[] {
  return names.map((command) => ({ command, description: t(`cmd-${command}`) }));
}

/**
 * Registers the default command menus: one per language, plus the default (no language) in the
 * default locale. Failures are logged, not fatal (a local Bot API emulator may lack the method).
 */
export async function registerDefaultCommands(
  api: Api,
  t: LocaleTranslate,
  defaultLocale: Locale,
  log: Logger,
): Promise<void> {
  const menus: Array<{ locale: Locale; language_code?: Locale }> = [
    { locale: defaultLocale },
    ...LOCALES.map((locale) => ({ locale, language_code: locale })),
  ];
  for (const { locale, language_code } of menus) {
    try {
      const commands = commandList((key) => t(locale, key));
      await api.setMyCommands(commands, { scope: { type: "default" }, ...(language_code ? { language_code } : {}) });
    } catch (err) {
      log.warn({ err, language: language_code ?? "default" }, "setMyCommands failed; continuing without it");
    }
  }
}

/** A chat's own menu, in the user's chosen language. */
export async function registerChatCommands(
  api: Api,
  chatId: number,
  t: Translate,
  log: Logger,
  names: readonly string[] = BASE_COMMANDS,
): Promise<void> {
  try {
    await api.setMyCommands(commandList(t, names), { scope: { type: "chat", chat_id: chatId } });
  } catch (err) {
    log.warn({ err, chatId }, "setMyCommands for a chat failed; continuing");
  }
}
