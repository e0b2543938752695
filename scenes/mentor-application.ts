import { sceneNow } from "../src/bot/scenes.ts";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { User } from "../models/index.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { isAdmin } from "../src/domain/roles.ts";
import { notify } from "../src/bot/notify.ts";
import { applyAsMentor, decideApplication } from "../src/domain/mentor-applications.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText } from "./pickers.ts";

/** Stage III: a teacher's offer to become a mentor (her words), or a curator's reason for declining it. */
export const MENTOR_APPLICATION_SCENE = "mentor-application";

export async function mentorApplicationScene(conversation: SceneConversation, ctx: SceneContext, action: "apply" | "decline", applicationId?: string): Promise<void> {
  const telegramId = ctx.from?.id;
  const me = await conversation.external(async () => {
    const u = await User.findOne({ telegramId, registeredAt: { $exists: true } }).lean();
    return u ? { id: u._id.toString(), locale: u.locale ?? "ru", admin: isAdmin(u, ctx.services.config.adminIds) } : null;
  });
  if (!me) return;
  const locale = isLocale(me.locale) ? me.locale : ctx.services.config.defaultLocale;
  const t: T = (key, a) => ctx.services.t(locale, key, a);
  const text = (await askBoundedText(conversation, ctx, t, {
    prompt: t(action === "apply" ? "mentor-application-ask" : "mentor-application-ask-reason"),
    min: action === "apply" ? 10 : 3,
    max: action === "apply" ? 1000 : 500,
    errorKey: "text-length-error",
  })) as string;
  const now = await sceneNow(conversation, ctx);
  const res = await conversation.external(async () => {
    if (action === "apply") return applyAsMentor(me.id, text, now);
    const decider = await User.findById(me.id).lean();
    return decider ? decideApplication(applicationId ?? "", decider, me.admin, "declined", text, now) : { ok: false as const, reason: "not_allowed" as const };
  });
  const okKey = action === "apply" ? "mentor-application-sent" : "mentor-application-declined-ok";
  await ctx.reply(t(res.ok ? okKey : `mentor-application-${res.reason}`));
  if (res.ok) await conversation.external(() => notify(ctx, res.notices));
}
