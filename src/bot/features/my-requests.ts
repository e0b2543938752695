import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import { isRegistered, uiLocale, type BotContext } from "../context.ts";
import { MentorshipRequest, OPEN_REQUEST_STATUSES } from "../../../models/index.ts";
import { listMyRequests, type MyRequest } from "../../domain/my-requests.ts";
import { cancelRequest } from "../../domain/requests.ts";
import { topicLabel } from "../../domain/deficits.ts";
import { notify } from "../notify.ts";
import { clip, escapeHtml } from "../../core/html.ts";

const ID = "([0-9a-f]{24})";

function topicsOf(r: Pick<MyRequest, "topics" | "otherTopic">, locale: string): string {
  const labels = r.topics.map((c) => topicLabel(c, locale));
  if (r.otherTopic) labels.push(r.otherTopic);
  return escapeHtml(clip(labels.join("; ") || "—", 160));
}

/** "Мои запросы": the mentee's requests with status, history and a cancel button for open ones (issue 11). */
async function showMyRequests(ctx: BotContext): Promise<void> {
  if (!isRegistered(ctx) || !ctx.user) return void (await ctx.reply(ctx.t("not-registered")));
  const list = await listMyRequests(ctx.user._id);
  if (list.length === 0) return void (await ctx.reply(ctx.t("myrequests-none")));
  const locale = await uiLocale(ctx);
  const blocks = list.map((r, i) => {
    const history = r.history
      .map((h) => ctx.t("history-line", { at: DateTime.fromJSDate(h.at, { zone: r.zone }).toFormat("dd.MM.yyyy HH:mm"), status: ctx.t(`status-${h.status}`) }))
      .join("\n");
    return ctx.t("myrequests-item", {
      n: i + 1,
      topics: topicsOf(r, locale),
      kind: ctx.t(`kind-${r.kind}`),
      status: ctx.t(`status-${r.status}`),
      mentor: r.mentorName ? ctx.t("myrequests-mentor", { name: escapeHtml(r.mentorName) }) : "",
      history,
    });
  });
  const kb = new InlineKeyboard();
  list.forEach((r, i) => {
    if (r.open) kb.text(ctx.t("myrequests-cancel", { n: i + 1 }), `mq:x:${r.id}`).row();
  });
  // Stays under Telegram's 4096 characters: each block is short and the list is capped.
  await ctx.reply(clip([ctx.t("myrequests-title", { n: list.length }), ...blocks].join("\n\n"), 4000), { reply_markup: kb });
}

export function myRequestsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").command("myrequests", showMyRequests);
  composer.callbackQuery("m:myreq", async (ctx) => {
    await ctx.answerCallbackQuery();
    await showMyRequests(ctx);
  });
  // Cancel: asked once, then done; each press re-checks that the request is the user's and still open.
  composer.callbackQuery(new RegExp(`^mq:(x|xy|xn):${ID}$`), async (ctx) => {
    const [, action, id] = ctx.match as unknown as [string, string, string];
    if (!isRegistered(ctx) || !ctx.user) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    const r = await MentorshipRequest.findOne({ _id: id, menteeId: ctx.user._id }, { topics: 1, otherTopic: 1, status: 1 }).lean();
    if (!r) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    if (!(OPEN_REQUEST_STATUSES as readonly string[]).includes(r.status)) return void (await ctx.answerCallbackQuery({ text: ctx.t("myrequests-not-open"), show_alert: true }));
    await ctx.answerCallbackQuery();
    if (action === "x") {
      const kb = new InlineKeyboard().text(ctx.t("myrequests-cancel-yes"), `mq:xy:${id}`).text(ctx.t("myrequests-cancel-no"), `mq:xn:${id}`);
      return void (await ctx.reply(ctx.t("myrequests-cancel-ask", { topics: topicsOf({ topics: [...r.topics], otherTopic: r.otherTopic ?? undefined }, await uiLocale(ctx)) }), { reply_markup: kb }));
    }
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    if (action === "xn") return void (await ctx.reply(ctx.t("myrequests-cancel-kept")));
    const res = await cancelRequest(id, ctx.user._id.toString(), ctx.services.clock.now(), ctx.services.requestDeps);
    if (!res.ok) return void (await ctx.reply(ctx.t("myrequests-not-open")));
    await ctx.reply(ctx.t("myrequests-cancelled"));
    await notify(ctx, res.notices);
  });
  return composer;
}
