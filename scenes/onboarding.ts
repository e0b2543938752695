import { sceneNow } from "../src/bot/scenes.ts";
import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { localeFromTelegram, type Locale } from "../src/bot/i18n.ts";
import { escapeHtml } from "../src/core/html.ts";
import {
  completeRegistration,
  PD_CONSENT_VERSION,
  profileFieldsFor,
  recordPdConsent,
  type ProfileDraft,
  type ProfileField,
} from "../src/domain/registration.ts";
import type { InviteRole } from "../src/domain/invites.ts";
import { askProfileField, pickOrganization, profileLines, type T } from "./profile-steps.ts";
import { loadMenu, sendMenu } from "../src/bot/menu.ts";
import { notify } from "../src/bot/notify.ts";

export const ONBOARDING_SCENE = "onboarding";

export interface OnboardingArgs {
  /** A valid invite behind the start payload, checked before entering. */
  invite?: { id: string; organizationId?: string; organizationName?: string; networkId?: string; networkName?: string; role: InviteRole };
}

/**
 * `/start` for someone not registered yet: language → consent to personal-data processing →
 * role-specific profile questions → summary with edit buttons → confirm → role menu.
 * Nothing personal is stored before consent; a refusal stores only the refusal.
 */
export async function onboardingScene(conversation: SceneConversation, ctx: SceneContext, args: OnboardingArgs = {}): Promise<void> {
  const from = ctx.from;
  if (!from) return;
  let handle = from.username;
  const services = ctx.services;
  let locale: Locale = localeFromTelegram(from.language_code, services.config.defaultLocale);
  const t: T = (key, a) => services.t(locale, key, a);

  // 1. Language.
  await ctx.reply(`${t("onboarding-welcome")}\n\n${t("language-choose")}`, {
    reply_markup: new InlineKeyboard().text(t("language-ru"), "ob:lang:ru").text(t("language-en"), "ob:lang:en"),
  });
  const lang = await conversation.waitForCallbackQuery(/^ob:lang:(ru|en)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
  locale = lang.match[1] as Locale;
  await lang.answerCallbackQuery();

  // 2. Consent, a separate step with the full text and its version.
  const consentText = t("consent-pd-text", { version: PD_CONSENT_VERSION });
  await lang.reply(consentText, {
    reply_markup: new InlineKeyboard().text(t("consent-agree"), "ob:consent:yes").row().text(t("consent-refuse"), "ob:consent:no"),
  });
  const consent = await conversation.waitForCallbackQuery(/^ob:consent:(yes|no)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
  await consent.answerCallbackQuery();
  const decision = consent.match[1] === "yes" ? "given" : "refused";
  const decidedAt = await sceneNow(conversation, ctx);
  await conversation.external(() => recordPdConsent({ telegramId: from.id, locale, decision, text: consentText, now: decidedAt }));
  await consent.editMessageReplyMarkup({ reply_markup: undefined });
  if (decision === "refused") {
    await consent.reply(t("consent-refused"));
    return;
  }

  // 3. Profile questions for the role.
  const role: InviteRole = args.invite?.role ?? "mentee";
  const fields = profileFieldsFor(role);
  const draft: ProfileDraft = {};
  await consent.reply(t("profile-intro", { role: t(`role-${role}`) }));
  for (const field of fields) await askProfileField(conversation, ctx, t, field, draft);
  // An organization invite fixes the workplace; a network curator's invite (and no invite) lets the person pick it.
  const fixedOrganization = args.invite?.organizationId !== undefined;
  let organization = args.invite?.organizationId !== undefined ? { id: args.invite.organizationId, name: args.invite.organizationName ?? "" } : undefined;
  if (!organization) organization = await pickOrganization(conversation, ctx, t);

  // 4. Summary with edit buttons until confirmed.
  for (;;) {
    const kb = new InlineKeyboard();
    fields.forEach((f, i) => {
      kb.text(`✏️ ${t(`profile-label-${f}`)}`, `ob:edit:${f}`);
      if (i % 2 === 1) kb.row();
    });
    if (!fixedOrganization) kb.row().text(`✏️ ${t("profile-label-organization")}`, "ob:edit:organization");
    kb.row().text(t("summary-confirm"), "ob:confirm");
    const summary = [
      `<b>${t("summary-title")}</b>`,
      `${t("profile-label-role")}: ${t(`role-${role}`)}${args.invite?.networkName !== undefined ? ` — ${t("nw-role-scope", { network: escapeHtml(args.invite.networkName) })}` : ""}`,
      `${t("profile-label-organization")}: ${escapeHtml(organization.name)}`,
      ...profileLines(t, draft, fields),
    ].join("\n");
    await ctx.reply(summary, { reply_markup: kb });
    const pressed = await conversation.waitForCallbackQuery(/^ob:(confirm|edit:(\w+))$/, {
      otherwise: (c) => c.reply(t("dialog-use-buttons")),
    });
    await pressed.answerCallbackQuery();
    if (pressed.match[1] === "confirm") {
      // The live update of the confirmation carries the handle (stored dialog updates do not).
      handle = pressed.from.username;
      await pressed.editMessageReplyMarkup({ reply_markup: undefined });
      break;
    }
    const field = pressed.match[2] as string;
    if (field === "organization" && !fixedOrganization) organization = await pickOrganization(conversation, ctx, t);
    else if ((fields as string[]).includes(field)) await askProfileField(conversation, ctx, t, field as ProfileField, draft);
  }

  // 5. Save, then the role menu.
  const now = await sceneNow(conversation, ctx);
  const orgId = organization.id;
  const result = await conversation.external(() =>
    completeRegistration({
      telegramId: from.id,
      username: handle,
      locale,
      profile: draft,
      invite: args.invite ? { id: args.invite.id, organizationId: args.invite.organizationId, networkId: args.invite.networkId, role: args.invite.role } : undefined,
      organizationId: orgId,
      now,
    }),
  );
  switch (result.status) {
    case "invite_failed":
      await ctx.reply(t("invite-invalid"));
      return;
    case "no_consent":
      await ctx.reply(t("consent-refused"));
      return;
    case "registered":
      await ctx.reply(
        result.networkName !== undefined
          ? t("nw-onboarding-done", { role: t(`role-${result.role}`), network: escapeHtml(result.networkName), organization: escapeHtml(result.organizationName) })
          : t("onboarding-done", { role: t(`role-${result.role}`), organization: escapeHtml(result.organizationName) }),
      );
      break;
    case "pending": {
      await ctx.reply(t("onboarding-pending", { organization: escapeHtml(result.organizationName) }));
      // Through the outbox: retried, and held until the curators' working hours (issue 15).
      await conversation.external(() => notify(ctx, result.notices));
      break;
    }
  }
  const adminIds = services.config.adminIds;
  const menu = await conversation.external(() => loadMenu(from.id, adminIds));
  if (menu) await sendMenu(ctx, menu, t);
}
