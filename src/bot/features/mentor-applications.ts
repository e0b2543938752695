import { Composer, InlineKeyboard } from "grammy";
import { isRegistered, type BotContext } from "../context.ts";
import { MentorApplication } from "../../../models/index.ts";
import { applicationsErasure, canDecide, decideApplication } from "../../domain/mentor-applications.ts";
import { hasRole, isAdmin } from "../../domain/roles.ts";
import { registerErasureStep } from "../../domain/privacy.ts";
import { notify } from "../notify.ts";
import { enterScene } from "../scenes.ts";
import { MENTOR_APPLICATION_SCENE } from "../../../scenes/index.ts";

const ID = "([0-9a-f]{24})";

/** For a registered teacher who is not (yet) a mentor: the offer to apply, or where her application stands. */
export async function offerMentorApplication(ctx: BotContext): Promise<void> {
  if (!ctx.user) return;
  const pending = await MentorApplication.exists({ userId: ctx.user._id, status: "pending" });
  if (pending) return void (await ctx.reply(ctx.t("mentor-application-pending")));
  await ctx.reply(ctx.t("mentor-application-offer"), { reply_markup: new InlineKeyboard().text(ctx.t("mentor-application-btn"), "ap:new") });
}

/** Whether /mentor should open the registry profile (mentors) or the application (everyone else). */
export function isMentor(ctx: BotContext): boolean {
  return hasRole(ctx.user, "mentor");
}

export function mentorApplicationsFeature(): Composer<BotContext> {
  registerErasureStep("mentorApplications", async (userId) => ({ counts: { mentorApplications: await applicationsErasure(userId) }, notify: [] }));
  const composer = new Composer<BotContext>();
  composer.callbackQuery("ap:new", async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!isRegistered(ctx) || isMentor(ctx)) return;
    await enterScene(ctx, MENTOR_APPLICATION_SCENE, "apply");
  });
  composer.callbackQuery(new RegExp(`^ap:(a|d):${ID}$`), async (ctx) => {
    const [, action, id] = ctx.match as unknown as [string, string, string];
    const admin = isAdmin(ctx.user, ctx.services.config.adminIds);
    if (!isRegistered(ctx) || !ctx.user || !(await canDecide(id, ctx.user, admin))) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t("mentor-application-state"), show_alert: true }));
    }
    if (action === "d") {
      await ctx.answerCallbackQuery();
      return enterScene(ctx, MENTOR_APPLICATION_SCENE, "decline", id);
    }
    const res = await decideApplication(id, ctx.user, admin, "approved", undefined, ctx.services.clock.now());
    if (!res.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t("mentor-application-state"), show_alert: true }));
    await ctx.answerCallbackQuery({ text: ctx.t("mentor-application-approved-ok") });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await notify(ctx, res.notices);
  });
  return composer;
}
