import { GrammyError, InlineKeyboard, InputFile, type Api } from "grammy";
import { User } from "../../models/index.ts";
import type { Notice } from "../domain/notices.ts";
import type { Logger } from "../core/logger.ts";

export type LocaleTranslate = (locale: string, key: string, args?: Record<string, string | number>) => string;

export function renderNotice(n: Notice, t: LocaleTranslate): { text: string; keyboard?: InlineKeyboard } {
  const args: Record<string, string | number> = { ...n.args };
  // A comma-separated list of keys becomes a list of labels ("weekday-1,weekday-3" → "Пн, Ср").
  for (const [name, keys] of Object.entries(n.keyArgs ?? {})) args[name] = keys.split(",").map((key) => t(n.locale, key, n.args)).join(", ");
  const text = t(n.locale, n.key, args);
  if (!n.buttons?.length) return { text };
  const kb = new InlineKeyboard();
  for (const row of n.buttons) {
    for (const b of row) kb.text(b.literal ? b.label : t(n.locale, b.label), b.data);
    kb.row();
  }
  return { text, keyboard: kb };
}

/**
 * Sends notices one by one. A 403 marks the recipient unreachable (curators see it); other
 * failures are logged with the recipient and the key, never swallowed silently.
 * Returns how many were delivered.
 */
export async function sendNotices(api: Api, notices: Notice[], t: LocaleTranslate, log: Logger, limiter?: { acquire(chatId: number): Promise<unknown> }): Promise<number> {
  let sent = 0;
  for (const n of notices) {
    const { text, keyboard } = renderNotice(n, t);
    try {
      // Bulk sends from jobs respect Telegram's limits (~25/s overall, 1/s per chat).
      if (limiter) await limiter.acquire(n.telegramId);
      if (n.media) {
        const extra = { caption: text, ...(keyboard ? { reply_markup: keyboard } : {}) };
        if (n.media.kind === "photo") await api.sendPhoto(n.telegramId, n.media.fileId, extra);
        else await api.sendDocument(n.telegramId, n.media.fileId, extra);
      } else if (n.document) {
        const file = new InputFile(Buffer.from(n.document.content, "utf8"), n.document.filename);
        await api.sendDocument(n.telegramId, file, { caption: text, ...(keyboard ? { reply_markup: keyboard } : {}) });
      } else {
        await api.sendMessage(n.telegramId, text, keyboard ? { reply_markup: keyboard } : {});
      }
      sent++;
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 403) {
        await User.updateOne({ telegramId: n.telegramId }, { $set: { unreachable: true, unreachableSince: new Date() } });
        log.warn({ telegramId: n.telegramId, key: n.key }, "recipient blocked the bot: marked unreachable");
      } else {
        log.error({ err, telegramId: n.telegramId, key: n.key }, "notice not delivered");
      }
    }
  }
  return sent;
}
