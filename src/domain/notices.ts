/**
 * A message to one person, described without Telegram: the bot layer renders it in the
 * recipient's language (`key` + `args` from locales/) with optional buttons and sends it.
 * Domain services return notices instead of sending, so they stay transport-free.
 */
export interface NoticeButton {
  /** Locale key of the label (or a literal label when `literal` is set). */
  label: string;
  literal?: boolean;
  data: string;
}

export interface Notice {
  telegramId: number;
  locale: string;
  key: string;
  args?: Record<string, string | number>;
  /** Arguments whose values are locale keys, translated in the recipient's language first (e.g. enum labels). */
  keyArgs?: Record<string, string>;
  /** Rows of buttons. */
  buttons?: NoticeButton[][];
  /** A file sent with the text as its caption (e.g. a calendar `.ics`). */
  document?: { filename: string; content: string };
  /** A file already on Telegram (its file id), sent with the text as its caption. */
  media?: { kind: "document" | "photo"; fileId: string };
  /** ISO instant after which the message is no longer worth sending (e.g. the meeting began). */
  expiresAt?: string;
  /**
   * Sent even in the recipient's quiet time (issue 15): a reminder of a meeting they booked, or a
   * message caused by their own action. Everything else waits for their next working moment.
   */
  anyHour?: boolean;
  /**
   * An entry of a curator's daily list (issue 15): held for the list at the start of their working
   * day unless they chose "at once"; dropped if resolved before (see src/domain/curator-list.ts).
   */
  curatorItem?: { kind: string; ref: string };
}

export function notice(
  recipient: { telegramId?: number | null; locale?: string | null; unreachable?: boolean | null; erasedAt?: Date | null } | null | undefined,
  key: string,
  args?: Record<string, string | number>,
  buttons?: NoticeButton[][],
  document?: Notice["document"],
): Notice[] {
  // Nobody to tell: no account, erased, or blocked the bot (then curators see them as unreachable).
  if (!recipient || recipient.telegramId == null || recipient.erasedAt || recipient.unreachable) return [];
  return [{ telegramId: recipient.telegramId, locale: recipient.locale ?? "ru", key, args, buttons, ...(document ? { document } : {}) }];
}

/** The same notices with locale-key arguments (translated per recipient when rendered). */
export function withKeyArgs(notices: Notice[], keyArgs: Record<string, string>): Notice[] {
  return notices.map((n) => ({ ...n, keyArgs: { ...n.keyArgs, ...keyArgs } }));
}

/** The same notices, allowed in quiet time (see `Notice.anyHour`). */
export function anyHour(notices: Notice[]): Notice[] {
  return notices.map((n) => ({ ...n, anyHour: true }));
}
