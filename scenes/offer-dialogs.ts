import { sceneNow } from "../src/bot/scenes.ts";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { User } from "../models/index.ts";
import { answerQuestion, askQuestion, assignByCurator, declineOffer } from "../src/domain/requests.ts";
import { isAdmin } from "../src/domain/roles.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { notify } from "../src/bot/notify.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText } from "./pickers.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";

/** Short dialogs around offers: decline with an optional reason, a mentor's question, the mentee's answer, a curator's override reason. */
export const OFFER_DECLINE_SCENE = "offer-decline";
export const OFFER_QUESTION_SCENE = "offer-question";
export const OFFER_ANSWER_SCENE = "offer-answer";
export const ASSIGN_OVERRIDE_SCENE = "assign-override";

async function me(conversation: SceneConversation, ctx: SceneContext) {
  const telegramId = ctx.from?.id;
  const user = await conversation.external(async () => {
    const u = await findRegisteredUser(telegramId);
    return u ? { id: u._id.toString(), locale: u.locale ?? "ru", admin: isAdmin(u, ctx.services.config.adminIds), doc: JSON.parse(JSON.stringify(u)) as Record<string, unknown> } : null;
  });
  const locale = user && isLocale(user.locale) ? user.locale : ctx.services.config.defaultLocale;
  const t: T = (key, a) => ctx.services.t(locale, key, a);
  return { user, t };
}

function deps(ctx: SceneContext) {
  return ctx.services.requestDeps;
}

export async function offerDeclineScene(conversation: SceneConversation, ctx: SceneContext, offerId: string): Promise<void> {
  const { user, t } = await me(conversation, ctx);
  if (!user) return;
  const reason = await askBoundedText(conversation, ctx, t, {
    prompt: t("offer-ask-decline-reason"),
    min: 2,
    max: 500,
    errorKey: "text-length-error",
    skipData: "od:skip",
    skipLabel: t("offer-decline-no-reason"),
  });
  const now = await sceneNow(conversation, ctx);
  const res = await conversation.external(() => declineOffer(offerId, user.id, reason, now, deps(ctx)));
  await ctx.reply(t(res.ok ? "offer-declined" : `offer-${res.reason}`));
  await conversation.external(() => notify(ctx, res.notices));
}

export async function offerQuestionScene(conversation: SceneConversation, ctx: SceneContext, offerId: string): Promise<void> {
  const { user, t } = await me(conversation, ctx);
  if (!user) return;
  const text = (await askBoundedText(conversation, ctx, t, { prompt: t("offer-ask-question"), min: 3, max: 1000, errorKey: "text-length-error" })) as string;
  const now = await sceneNow(conversation, ctx);
  const res = await conversation.external(() => askQuestion(offerId, user.id, text, now));
  await ctx.reply(t(res.ok ? "offer-question-sent" : "offer-already_answered"));
  await conversation.external(() => notify(ctx, res.notices));
}

export async function offerAnswerScene(conversation: SceneConversation, ctx: SceneContext, offerId: string, questionId: string): Promise<void> {
  const { user, t } = await me(conversation, ctx);
  if (!user) return;
  const text = (await askBoundedText(conversation, ctx, t, { prompt: t("offer-ask-answer"), min: 1, max: 1000, errorKey: "text-length-error" })) as string;
  const now = await sceneNow(conversation, ctx);
  const res = await conversation.external(() => answerQuestion(offerId, questionId, user.id, text, now));
  await ctx.reply(t(res.ok ? "offer-answer-sent" : "not-allowed"));
  await conversation.external(() => notify(ctx, res.notices));
}

export async function assignOverrideScene(conversation: SceneConversation, ctx: SceneContext, requestId: string, mentorProfileId: string): Promise<void> {
  const { user, t } = await me(conversation, ctx);
  if (!user) return;
  const reason = (await askBoundedText(conversation, ctx, t, { prompt: t("assign-ask-reason"), min: 5, max: 500, errorKey: "text-length-error" })) as string;
  const now = await sceneNow(conversation, ctx);
  const res = await conversation.external(async () => {
    const curator = await User.findById(user.id).lean();
    if (!curator) return { ok: false as const, reason: "not_allowed" as const, notices: [] };
    const r = await assignByCurator({ requestId, mentorProfileId, curator, admin: user.admin, overrideReason: reason, now }, deps(ctx));
    return { ...r, notices: r.ok ? r.notices : [] };
  });
  await ctx.reply(t(res.ok ? "assign-done" : `assign-${res.reason}`));
  await conversation.external(() => notify(ctx, res.notices));
}
