import { InlineKeyboard } from "grammy";
import type { Notice } from "../domain/notices.ts";

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
