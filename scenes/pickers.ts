import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import type { T } from "./profile-steps.ts";
import { User } from "../models/index.ts";
import { isLocale } from "../src/bot/i18n.ts";

/**
 * Reusable dialog steps: multi-select with toggle buttons, and a single choice. Callback data
 * is matched by a pattern; a stale or forged button only gets the polite `otherwise` reply.
 */

export interface Option {
  code: string;
  label: string;
}

function multiKeyboard(options: Option[], selected: Set<string>, prefix: string, doneLabel: string, perRow: number, extra: Array<[string, string]>): InlineKeyboard {
  const kb = new InlineKeyboard();
  options.forEach((o, i) => {
    kb.text(`${selected.has(o.code) ? "✅ " : ""}${o.label}`, `${prefix}:t:${o.code}`);
    if ((i + 1) % perRow === 0) kb.row();
  });
  kb.row();
  for (const [label, data] of extra) kb.text(label, data).row();
  kb.text(doneLabel, `${prefix}:done`);
  return kb;
}

/**
 * Toggles options until "done". `min`/`max` are enforced with a polite message; returns the
 * selected codes in option order, or an extra action code when one of `extra` was pressed.
 */
export async function askMulti(
  conversation: SceneConversation,
  ctx: SceneContext,
  t: T,
  args: { prompt: string; prefix: string; options: Option[]; min?: number; max?: number; initial?: string[]; perRow?: number; extra?: Array<[label: string, data: string]> },
): Promise<{ selected: string[]; action?: string }> {
  const { prompt, prefix, options } = args;
  const min = args.min ?? 0;
  const max = args.max ?? options.length;
  const perRow = args.perRow ?? 2;
  const extra = args.extra ?? [];
  const selected = new Set(args.initial ?? []);
  const codes = options.map((o) => o.code);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const extraData = extra.map(([, d]) => escape(d));
  const pattern = new RegExp(`^(?:${escape(prefix)}:(t:(${codes.map(escape).join("|")})|done)${extraData.length ? `|(${extraData.join("|")})` : ""})$`);
  const message = await ctx.reply(prompt, { reply_markup: multiKeyboard(options, selected, prefix, t("picker-done"), perRow, extra) });
  for (;;) {
    const press = await conversation.waitForCallbackQuery(pattern, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
    const data = press.callbackQuery.data;
    if (press.match[3]) {
      await press.answerCallbackQuery();
      return { selected: codes.filter((c) => selected.has(c)), action: data };
    }
    if (press.match[1] === "done") {
      if (selected.size < min) {
        await press.answerCallbackQuery({ text: t("picker-min", { n: min }), show_alert: true });
        continue;
      }
      await press.answerCallbackQuery();
      const labels = options.filter((o) => selected.has(o.code)).map((o) => o.label);
      await ctx.api.editMessageText(message.chat.id, message.message_id, `${prompt}\n<b>${labels.length ? labels.join(", ") : t("picker-none")}</b>`);
      return { selected: codes.filter((c) => selected.has(c)) };
    }
    const code = press.match[2] as string;
    if (selected.has(code)) selected.delete(code);
    else if (selected.size >= max) {
      await press.answerCallbackQuery({ text: t("picker-max", { n: max }), show_alert: true });
      continue;
    } else selected.add(code);
    await press.answerCallbackQuery();
    await ctx.api.editMessageReplyMarkup(message.chat.id, message.message_id, {
      reply_markup: multiKeyboard(options, selected, prefix, t("picker-done"), perRow, extra),
    });
  }
}

/** One choice from buttons; the question message is edited to show the answer. */
/**
 * One of the organizations the person manages: asked only when there are several. Undefined (after
 * a polite refusal) when there are none.
 */
export async function pickOrganization<O extends { id: string; name: string }>(
  conversation: SceneConversation,
  ctx: SceneContext,
  t: T,
  orgs: O[],
  args: { prompt: string; prefix: string },
): Promise<O | undefined> {
  if (orgs.length === 0) {
    await ctx.reply(t("not-allowed"));
    return undefined;
  }
  const id = orgs.length === 1 ? (orgs[0] as O).id : await askOne(conversation, ctx, t, { ...args, options: orgs.map((o) => ({ code: o.id, label: o.name })), perRow: 1 });
  return orgs.find((o) => o.id === id);
}

export async function askOne(
  conversation: SceneConversation,
  ctx: SceneContext,
  t: T,
  args: { prompt: string; prefix: string; options: Option[]; perRow?: number },
): Promise<string> {
  const perRow = args.perRow ?? 2;
  const kb = new InlineKeyboard();
  args.options.forEach((o, i) => {
    kb.text(o.label, `${args.prefix}:${o.code}`);
    if ((i + 1) % perRow === 0) kb.row();
  });
  const message = await ctx.reply(args.prompt, { reply_markup: kb });
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${escape(args.prefix)}:(${args.options.map((o) => escape(o.code)).join("|")})$`);
  const press = await conversation.waitForCallbackQuery(pattern, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
  await press.answerCallbackQuery();
  const code = press.match[1] as string;
  const label = args.options.find((o) => o.code === code)?.label ?? code;
  await ctx.api.editMessageText(message.chat.id, message.message_id, `${args.prompt}\n<b>${label}</b>`);
  return code;
}

/** Free text with bounds; wrong input (too short or long, not text) gets a clear answer. */
export async function askBoundedText(
  conversation: SceneConversation,
  ctx: SceneContext,
  t: T,
  args: { prompt: string; min: number; max: number; errorKey: string; skipData?: string; skipLabel?: string },
): Promise<string | undefined> {
  const kb = args.skipData ? new InlineKeyboard().text(args.skipLabel ?? t("picker-skip"), args.skipData) : undefined;
  const prompt = await ctx.reply(args.prompt, kb ? { reply_markup: kb } : {});
  // Once answered, the skip button goes away (a typed answer or the button itself).
  const dropSkip = async () => {
    if (kb) await ctx.api.editMessageReplyMarkup(prompt.chat.id, prompt.message_id, { reply_markup: undefined });
  };
  for (;;) {
    const answer = await conversation.wait();
    if (args.skipData && answer.callbackQuery?.data === args.skipData) {
      await answer.answerCallbackQuery();
      await dropSkip();
      return undefined;
    }
    const text = answer.message?.text?.trim();
    if (text === undefined) {
      if (answer.callbackQuery) await answer.answerCallbackQuery();
      await answer.reply(t("dialog-text-expected"));
      continue;
    }
    if (text.length < args.min || text.length > args.max) {
      // Numbers as strings: no locale grouping ("1000", not "1 000").
      await answer.reply(t(args.errorKey, { min: String(args.min), max: String(args.max), length: String(text.length) }));
      continue;
    }
    await dropSkip();
    return text;
  }
}

/** The registered person of this dialog (id, locale) and a translator in their language; null when not registered. */
export async function sceneUser(conversation: SceneConversation, ctx: SceneContext): Promise<{ id: string; locale: "ru" | "en"; t: T } | null> {
  const telegramId = ctx.from?.id;
  const user = await conversation.external(async () => {
    const u = await User.findOne({ telegramId, registeredAt: { $exists: true } }).lean();
    return u ? { id: u._id.toString(), locale: u.locale ?? "ru" } : null;
  });
  if (!user) return null;
  const locale = isLocale(user.locale) ? user.locale : ctx.services.config.defaultLocale;
  return { id: user.id, locale, t: (key, a) => ctx.services.t(locale, key, a) };
}

/** In person or online, then the place or the link (3–300 characters): a group session's or a seminar's venue. */
export async function askModeAndPlace(conversation: SceneConversation, ctx: SceneContext, t: T, prefix: string): Promise<{ mode: "in_person" | "online"; place: string }> {
  const mode = (await askOne(conversation, ctx, t, {
    prompt: t("session-ask-mode"),
    prefix,
    options: [
      { code: "in_person", label: t("mode-in_person") },
      { code: "online", label: t("mode-online") },
    ],
  })) as "in_person" | "online";
  const place = (await askBoundedText(conversation, ctx, t, {
    prompt: t(mode === "online" ? "session-ask-link" : "session-ask-place"),
    min: 3,
    max: 300,
    errorKey: "text-length-error",
  })) as string;
  return { mode, place };
}
