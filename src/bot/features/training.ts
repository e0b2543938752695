import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import { isRegistered, uiLocale, type BotContext } from "../context.ts";
import { cancelTrainingSignUp, setTrainingRequired, signUpForTraining, trainingOrganizations, upcomingTrainings } from "../../domain/training.ts";
import { formatInZone } from "../../core/datetime.ts";
import { escapeHtml } from "../../core/html.ts";
import { enterScene } from "../scenes.ts";
import { TRAINING_SCENE } from "../../../scenes/training.ts";

const ID = "([0-9a-f]{24})";

async function alert(ctx: BotContext, key: string): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
}

/** The curator's training page: the rule per organization (with its switch), the seminars ahead, "announce". */
async function trainingPage(ctx: BotContext): Promise<{ text: string; keyboard: InlineKeyboard } | null> {
  if (!isRegistered(ctx) || !ctx.user) return null;
  const orgs = await trainingOrganizations(ctx.user._id.toString(), ctx.services.config.adminIds);
  if (orgs.length === 0) return null;
  const now = ctx.services.clock.now();
  const loc = await uiLocale(ctx);
  const upcoming = await upcomingTrainings(orgs, now);
  const kb = new InlineKeyboard();
  const lines = [`<b>${ctx.t("training-title")}</b>`, ctx.t("training-rule-intro")];
  for (const o of orgs.slice(0, 10)) {
    lines.push(`• ${escapeHtml(o.name)}: ${ctx.t(o.required ? "training-rule-on" : "training-rule-off")}`);
    kb.text(ctx.t(o.required ? "training-rule-turn-off" : "training-rule-turn-on", { org: o.name.slice(0, 30) }), `tq:${o.required ? "0" : "1"}:${o.id}`).row();
  }
  lines.push("", upcoming.length ? ctx.t("training-upcoming") : ctx.t("training-none-upcoming"));
  for (const m of upcoming) {
    lines.push(ctx.t("training-upcoming-item", { when: formatInZone(m.startAt, m.zone, loc), topic: escapeHtml(m.topic), org: escapeHtml(m.organizationName), n: m.signedUp }));
    // Cancelling or moving a seminar is the group sessions' (it is a group meeting; re-authorized there).
    const date = DateTime.fromJSDate(m.startAt, { zone: m.zone }).toFormat("dd.MM");
    kb.text(ctx.t("gs-btn-cancel", { date }), `gs:cx:${m.id}`).text(ctx.t("gs-btn-move", { date }), `gs:mv:${m.id}`).row();
  }
  kb.text(ctx.t("training-new"), "tr:new");
  return { text: lines.join("\n"), keyboard: kb };
}

async function showTraining(ctx: BotContext): Promise<void> {
  if (!isRegistered(ctx)) return void (await ctx.reply(ctx.t("not-registered")));
  const page = await trainingPage(ctx);
  if (!page) return void (await ctx.reply(ctx.t("not-allowed")));
  await ctx.reply(page.text, { reply_markup: page.keyboard });
}

/**
 * Mentor training (issue 16): /training for curators (the rule "training before matching" per
 * organization, the seminars ahead, announcing one), and the mentors' one-tap sign-up and cancel.
 * Reminders, the host's follow-up and attendance are the group sessions' (a seminar is a group
 * meeting). Every press is re-authorized against the user's roles and the seminar's state now.
 */
export function trainingFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").command("training", showTraining);
  composer.callbackQuery("m:training", async (ctx) => {
    await ctx.answerCallbackQuery();
    await showTraining(ctx);
  });
  composer.callbackQuery("tr:new", async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    if ((await trainingOrganizations(ctx.user._id.toString(), ctx.services.config.adminIds)).length === 0) return alert(ctx, "not-allowed");
    await ctx.answerCallbackQuery();
    await enterScene(ctx, TRAINING_SCENE);
  });

  // The rule switch: a curator of that organization (or an admin), checked now.
  composer.callbackQuery(new RegExp(`^tq:(0|1):${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const required = ctx.match[1] === "1";
    const res = await setTrainingRequired(ctx.match[2] as string, ctx.user._id.toString(), required, ctx.services.config.adminIds);
    if (res === null) return alert(ctx, "not-allowed");
    await ctx.answerCallbackQuery({ text: ctx.t(required ? "training-rule-set-on" : "training-rule-set-off") });
    const page = await trainingPage(ctx);
    if (page) await ctx.editMessageText(page.text, { reply_markup: page.keyboard }).catch((err: unknown) => ctx.log.debug({ err }, "training page unchanged"));
  });

  // A mentor signs up for a seminar or cancels.
  composer.callbackQuery(new RegExp(`^tr:(j|l):${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const meetingId = ctx.match[2] as string;
    const join = ctx.match[1] === "j";
    const now = ctx.services.clock.now();
    const res = join ? await signUpForTraining(meetingId, ctx.user._id.toString(), now) : await cancelTrainingSignUp(meetingId, ctx.user._id.toString(), now);
    if (!res.ok) return alert(ctx, { stale: "training-stale", not_mentor: "training-not-mentor", host: "training-host" }[res.reason]);
    await ctx.answerCallbackQuery();
    const when = formatInZone(res.startAt, res.zone, await uiLocale(ctx));
    const topic = escapeHtml(res.topic);
    if (join) {
      await ctx.reply(ctx.t(res.already ? "training-already" : "training-signed-up", { topic, when }), {
        reply_markup: new InlineKeyboard().text(ctx.t("training-leave"), `tr:l:${meetingId}`),
      });
    } else {
      await ctx.reply(ctx.t(res.already ? "training-not-signed" : "training-left", { topic, when }), {
        reply_markup: new InlineKeyboard().text(ctx.t("training-signup"), `tr:j:${meetingId}`),
      });
    }
  });
  return composer;
}
