import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { User } from "../models/index.ts";
import { profileFieldsFor, type ProfileDraft, type ProfileField } from "../src/domain/registration.ts";
import type { InviteRole } from "../src/domain/invites.ts";
import { askProfileField, profileLines, type T } from "./profile-steps.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";

export const PROFILE_SCENE = "profile";

/** /profile: shows the profile with edit buttons; each edit is validated and saved on "Save". */
export async function profileScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const telegramId = ctx.from?.id;
  if (telegramId === undefined) return;
  const loaded = await conversation.external(async () => {
    const u = await findRegisteredUser(telegramId);
    if (!u) return null;
    const roles = u.roles.map((r) => r.role);
    const main: InviteRole = roles.includes("mentee") ? "mentee" : roles.includes("mentor") ? "mentor" : "curator";
    const p = u.profile ?? {};
    const draft: ProfileDraft = JSON.parse(JSON.stringify(p)) as ProfileDraft;
    return { locale: u.locale ?? "ru", role: main, draft };
  });
  const services = ctx.services;
  if (!loaded) {
    await ctx.reply(ctx.t("not-registered"));
    return;
  }
  const locale = isLocale(loaded.locale) ? loaded.locale : services.config.defaultLocale;
  const t: T = (key, a) => services.t(locale, key, a);
  const draft = loaded.draft;
  // Mentees also answer the birth year (young specialist); others keep their role's fields.
  // The grammatical gender is read from the patronymic; /profile lets the person correct it.
  const fields: ProfileField[] = [...profileFieldsFor(loaded.role), "gender"];
  let changed = false;
  for (;;) {
    const kb = new InlineKeyboard();
    fields.forEach((f, i) => {
      kb.text(`✏️ ${t(`profile-label-${f}`)}`, `pr:edit:${f}`);
      if (i % 2 === 1) kb.row();
    });
    kb.row().text(changed ? t("profile-save") : t("profile-close"), "pr:done");
    await ctx.reply([`<b>${t("profile-title")}</b>`, ...profileLines(t, draft, fields)].join("\n"), { reply_markup: kb });
    const pressed = await conversation.waitForCallbackQuery(/^pr:(done|edit:(\w+))$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
    await pressed.answerCallbackQuery();
    if (pressed.match[1] === "done") {
      await pressed.editMessageReplyMarkup({ reply_markup: undefined });
      break;
    }
    const field = pressed.match[2] as ProfileField;
    if (!fields.includes(field)) continue;
    await askProfileField(conversation, ctx, t, field, draft);
    changed = true;
  }
  if (!changed) {
    await ctx.reply(t("profile-unchanged"));
    return;
  }
  const saved = await conversation.external(async () => {
    const res = await User.updateOne({ telegramId, registeredAt: { $exists: true } }, { $set: { profile: draft } });
    return res.matchedCount === 1;
  });
  await ctx.reply(t(saved ? "profile-saved" : "not-registered"));
}
