import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { notify } from "../src/bot/notify.ts";
import { escapeHtml } from "../src/core/html.ts";
import { formatInZone, parseLocalDateTime, zoneLabel } from "../src/core/datetime.ts";
import { TRAINING_DURATIONS, announceTraining, trainingOrganizations } from "../src/domain/training.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText, askModeAndPlace, askOne, pickOrganization } from "./pickers.ts";

/**
 * Announcing a mentor training seminar (issue 16): organization → date and local time → duration →
 * topic → in person or online → place or link → summary → create; the invitations to the
 * organization's mentors go out through the outbox. Button prefix `tw:` is private to this dialog.
 */
export const TRAINING_SCENE = "training-announce";

export async function trainingScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const telegramId = ctx.from?.id;
  const me =
    telegramId === undefined
      ? null
      : await conversation.external(async () => {
          const u = await findRegisteredUser(telegramId, { notErased: true });
          return u ? { userId: u._id.toString(), locale: u.locale ?? "ru" } : null;
        });
  if (!me) {
    await ctx.reply(ctx.t("not-registered"));
    return;
  }
  const locale = isLocale(me.locale) ? me.locale : ctx.services.config.defaultLocale;
  const t: T = (key, a) => ctx.services.t(locale, key, a);
  const adminIds = ctx.services.config.adminIds;
  const orgs = await conversation.external(() => trainingOrganizations(me.userId, adminIds));
  const org = await pickOrganization(conversation, ctx, t, orgs, { prompt: t("training-pick-org"), prefix: "tw:o" });
  if (!org) return;
  const started = await sceneNow(conversation, ctx);

  await ctx.reply(t("training-ask-when", { zone: zoneLabel(org.zone, locale, started) }));
  let startAt: Date;
  for (;;) {
    const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(t("dialog-text-expected")) });
    const parsed = parseLocalDateTime(answer.message.text, org.zone, await sceneNow(conversation, ctx), locale);
    if (parsed.ok) {
      startAt = parsed.at;
      break;
    }
    await answer.reply(t(`datetime-error-${parsed.error}`));
  }
  const durationMin = Number(
    await askOne(conversation, ctx, t, {
      prompt: t("session-ask-duration"),
      prefix: "tw:du",
      options: TRAINING_DURATIONS.map((d) => ({ code: String(d), label: t("session-minutes", { n: String(d) }) })),
      perRow: 3,
    }),
  );
  const topic = (await askBoundedText(conversation, ctx, t, { prompt: t("training-ask-topic"), min: 3, max: 200, errorKey: "text-length-error" })) as string;
  const { mode, place } = await askModeAndPlace(conversation, ctx, t, "tw:md");

  await ctx.reply(
    t("training-summary", {
      org: escapeHtml(org.name),
      when: formatInZone(startAt, org.zone, locale),
      duration: durationMin,
      topic: escapeHtml(topic),
      mode: t(`mode-${mode}`),
      place: escapeHtml(place),
    }),
    { reply_markup: new InlineKeyboard().text(t("training-confirm"), "tw:ok").text(t("training-abort"), "tw:no") },
  );
  const decision = await conversation.waitForCallbackQuery(/^tw:(ok|no)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
  await decision.answerCallbackQuery();
  if (decision.match[1] === "no") {
    await ctx.reply(t("training-aborted"));
    return;
  }
  const now = await sceneNow(conversation, ctx);
  const deps = { ...ctx.services.meetingDeps, adminIds };
  const result = await conversation.external(async () => {
    const res = await announceTraining({ organizationId: org.id, startAt, durationMin, topic, mode, place, createdBy: me.userId, now }, deps);
    if (!res.ok) return { ok: false as const, reason: res.reason };
    // The invitations: durable and retried, each in the mentor's language and working hours.
    await notify(ctx, res.notices);
    return { ok: true as const, n: res.notices.length };
  });
  if (!result.ok) {
    await ctx.reply(t(result.reason === "not_allowed" ? "not-allowed" : result.reason === "past" ? "datetime-error-past" : "training-create-failed"));
    return;
  }
  await ctx.reply(t("training-created", { when: formatInZone(startAt, org.zone, locale), n: result.n }));
}
