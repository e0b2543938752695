import { Composer, InlineKeyboard } from "grammy";
import { isRegistered, uiLocale, type BotContext } from "../context.ts";
import { askOtherTimes, cancelMeeting, confirmAttendance, declineAttendance, listMeetings, pickSlot, type MeetingDeps } from "../../domain/meetings.ts";
import { formatInZone } from "../../core/datetime.ts";
import { groupsOf } from "../../domain/groups.ts";
import { notify } from "../notify.ts";
import { enterScene } from "../scenes.ts";
import { escapeHtml } from "../../core/html.ts";
import { MEETING_LOG_SCENE, SESSION_SCENE } from "../../../scenes/index.ts";
import { organizationById } from "../../db/organization-cache.ts";

function meetingDeps(ctx: BotContext): MeetingDeps {
  return ctx.services.meetingDeps;
}


async function showSessions(ctx: BotContext, page: number): Promise<void> {
  if (!isRegistered(ctx) || !ctx.user) return void (await ctx.reply(ctx.t("not-registered")));
  const now = ctx.services.clock.now();
  // Mentoring groups the person leads or takes part in (issue 15): their meetings are in the lists, the groups open from here.
  const [list, groups] = await Promise.all([listMeetings(ctx.user._id.toString(), now, page), groupsOf(ctx.user._id.toString())]);
  const org = await organizationById(ctx.user.organizationId);
  const zone = org?.timezone ?? "Europe/Moscow";
  const locale = await uiLocale(ctx);
  const line = (m: (typeof list.upcoming)[number]) =>
    `• ${m.startAt ? formatInZone(m.startAt, zone, locale) : ctx.t("meeting-time-pending")} — ${escapeHtml(m.topic)} (${escapeHtml(m.with)}), ${ctx.t(`meeting-status-${m.status}`)}${m.unlogged ? ` ${ctx.t("meeting-unlogged-mark")}` : ""}${m.markers.map((k) => ` ${ctx.t(`rv-marker-${k}`)}`).join("")}`;
  if (list.upcoming.length === 0 && list.recent.length === 0 && groups.length === 0) return void (await ctx.reply(ctx.t("sessions-none")));
  const kb = new InlineKeyboard();
  const text = [
    `<b>${ctx.t("sessions-upcoming")}</b>`,
    ...(list.upcoming.length ? list.upcoming.map(line) : [ctx.t("sessions-empty")]),
    "",
    `<b>${ctx.t("sessions-recent")}</b>`,
    ...(list.recent.length ? list.recent.map(line) : [ctx.t("sessions-empty")]),
    ...(groups.length ? ["", `<b>${ctx.t("groups-mine")}</b>`, ...groups.map((g) => `• ${escapeHtml(g.title)} — ${ctx.t("group-card-seats", { taken: g.seatsTaken, size: g.size, recruiting: "no" })}`)] : []),
  ].join("\n");
  for (const g of groups) kb.text(g.title.slice(0, 40), `gr:o:${g._id}`).row();
  if (page > 1) kb.text("◀️", `mt:pg:${page - 1}`);
  if (page < list.pages) kb.text("▶️", `mt:pg:${page + 1}`);
  await ctx.reply(text, { reply_markup: kb });
}

/** Flash sessions of pairs: /session, /sessions, and every meeting button (re-authorized against the meeting). */
export function meetingsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  pm.command("session", async (ctx) => {
    if (!isRegistered(ctx)) return void (await ctx.reply(ctx.t("not-registered")));
    await enterScene(ctx, SESSION_SCENE, {});
  });
  pm.command("sessions", (ctx) => showSessions(ctx, 1));
  composer.callbackQuery(/^mt:pg:(\d{1,4})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showSessions(ctx, Number(ctx.match[1]));
  });
  composer.callbackQuery(/^m:(session|sessions)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (ctx.match[1] === "sessions") return showSessions(ctx, 1);
    if (!isRegistered(ctx)) return void (await ctx.reply(ctx.t("not-registered")));
    await enterScene(ctx, SESSION_SCENE, {});
  });

  composer.callbackQuery(/^mt:(pk):([0-9a-f]{24}):([0-2])$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    const res = await pickSlot(ctx.match[2] as string, ctx.user._id.toString(), Number(ctx.match[3]), ctx.services.clock.now(), meetingDeps(ctx));
    if (!res.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t(res.reason === "not_allowed" ? "not-allowed" : `meeting-${res.reason}`), show_alert: true }));
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    await notify(ctx, res.notices);
  });
  composer.callbackQuery(/^mt:no:([0-9a-f]{24})$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    const res = await declineAttendance(ctx.match[1] as string, ctx.user._id.toString(), ctx.services.clock.now());
    await ctx.answerCallbackQuery({ text: ctx.t(res.ok ? "meeting-cant-come-thanks" : "meeting-stale"), show_alert: !res.ok });
    if (res.ok) await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await notify(ctx, res.notices);
  });
  composer.callbackQuery(/^mt:(ot|cx|yes|rs|hd|ms):([0-9a-f]{24})$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    const id = ctx.match[2] as string;
    const userId = ctx.user._id.toString();
    const now = ctx.services.clock.now();
    switch (ctx.match[1]) {
      case "ot": {
        const res = await askOtherTimes(id, userId, now);
        await ctx.answerCallbackQuery(res.ok ? {} : { text: ctx.t("meeting-stale"), show_alert: true });
        if (res.ok) await ctx.editMessageReplyMarkup({ reply_markup: undefined });
        await notify(ctx, res.notices);
        return;
      }
      case "cx": {
        const res = await cancelMeeting(id, userId, now, meetingDeps(ctx));
        await ctx.answerCallbackQuery(res.ok ? { text: ctx.t("meeting-cancel-done") } : { text: ctx.t("meeting-stale"), show_alert: true });
        await notify(ctx, res.notices);
        return;
      }
      case "yes": {
        const ok = await confirmAttendance(id, userId);
        await ctx.answerCallbackQuery({ text: ctx.t(ok ? "meeting-attend-thanks" : "meeting-stale") });
        return;
      }
      case "rs":
        await ctx.answerCallbackQuery();
        return enterScene(ctx, SESSION_SCENE, { meetingId: id });
      case "hd":
      case "ms":
        await ctx.answerCallbackQuery();
        return enterScene(ctx, MEETING_LOG_SCENE, id, ctx.match[1] === "hd" ? "held" : "missed");
    }
  });
  composer.callbackQuery(/^mt:new:([0-9a-f]{24})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!isRegistered(ctx)) return;
    await enterScene(ctx, SESSION_SCENE, { pairId: ctx.match[1] });
  });
  return composer;
}
