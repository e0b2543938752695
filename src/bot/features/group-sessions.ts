import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import { isRegistered, uiLocale, type BotContext } from "../context.ts";
import { Meeting } from "../../../models/index.ts";
import {
  attendanceSheet,
  cancelOccurrence,
  checkOccurrenceManager,
  leave,
  listManagedSeries,
  queueGroupNotices,
  signUp,
  stopSeries,
  type GroupSessionDeps,
  type SeriesOverview,
} from "../../domain/group-sessions.ts";
import { logMissed } from "../../domain/meetings.ts";
import { curatorOrganizationIds, isAdmin } from "../../domain/roles.ts";
import { formatInZone, zoneLabel } from "../../core/datetime.ts";
import { enterScene } from "../scenes.ts";
import { escapeHtml } from "../../core/html.ts";
import { GROUP_ATTENDANCE_SCENE, GROUP_MOVE_SCENE, GROUP_SERIES_SCENE } from "../../../scenes/group-series.ts";

const ID = "([0-9a-f]{24})";


function groupDeps(ctx: BotContext): GroupSessionDeps {
  return { ...ctx.services.meetingDeps, adminIds: ctx.services.config.adminIds };
}


async function alert(ctx: BotContext, key: string): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
}

/** Curators (of an organization or a network) and admins. */
async function managesAny(ctx: BotContext): Promise<boolean> {
  if (!isRegistered(ctx) || !ctx.user) return false;
  return isAdmin(ctx.user, ctx.services.config.adminIds) || (await curatorOrganizationIds(ctx.user)).length > 0;
}

function renderSeries(ctx: BotContext, list: SeriesOverview[], loc: "ru" | "en", now: Date): { text: string; keyboard: InlineKeyboard } {
  const kb = new InlineKeyboard();
  const blocks = list.map((s) => {
    const lines = [
      ctx.t("gs-list-series", {
        topic: escapeHtml(s.topic),
        org: escapeHtml(s.organizationName),
        weekday: s.weekday,
        time: s.localTime,
        zone: zoneLabel(s.zone, loc, now),
        duration: s.durationMin,
        host: escapeHtml(s.hostName),
        members: s.members,
      }),
    ];
    if (s.occurrences.length === 0) lines.push(ctx.t("gs-none-upcoming"));
    for (const o of s.occurrences) {
      lines.push(`• ${formatInZone(o.startAt, s.zone, loc)} — ${ctx.t(`meeting-status-${o.status}`)}`);
      if (o.status !== "confirmed") continue;
      const date = DateTime.fromJSDate(o.startAt, { zone: s.zone }).toFormat("dd.MM");
      kb.text(ctx.t("gs-btn-cancel", { date }), `gs:cx:${o.id}`).text(ctx.t("gs-btn-move", { date }), `gs:mv:${o.id}`).row();
    }
    kb.text(ctx.t("gs-btn-stop", { topic: s.topic.slice(0, 30) }), `gs:st:${s.id}`).row();
    return lines.join("\n");
  });
  kb.text(ctx.t("gs-new"), "gs:new");
  return { text: [`<b>${ctx.t("gs-list-title")}</b>`, ...blocks].join("\n\n"), keyboard: kb };
}

/** /wednesday: the series the curator manages with their next occurrences, or straight into the set-up when there are none. */
async function showWednesday(ctx: BotContext): Promise<void> {
  if (!isRegistered(ctx) || !ctx.user) return void (await ctx.reply(ctx.t("not-registered")));
  if (!(await managesAny(ctx))) return void (await ctx.reply(ctx.t("not-allowed")));
  const now = ctx.services.clock.now();
  const list = await listManagedSeries(ctx.user._id.toString(), ctx.services.config.adminIds, now);
  if (list.length === 0) return enterScene(ctx, GROUP_SERIES_SCENE);
  const { text, keyboard } = renderSeries(ctx, list, await uiLocale(ctx), now);
  await ctx.reply(text, { reply_markup: keyboard });
}

/** Asks the curator or host to confirm cancelling one occurrence (authorized against the occurrence now). */
async function askCancel(ctx: BotContext, meetingId: string): Promise<void> {
  if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
  const check = await checkOccurrenceManager(meetingId, ctx.user._id.toString(), ctx.services.clock.now(), ctx.services.config.adminIds);
  if (!check.ok) return alert(ctx, check.reason === "not_allowed" ? "not-allowed" : "meeting-stale");
  await ctx.answerCallbackQuery();
  const when = formatInZone(check.meeting.startAt as Date, check.zone, await uiLocale(ctx));
  await ctx.reply(ctx.t("gs-cancel-confirm", { when, topic: escapeHtml(check.meeting.topic ?? "") }), {
    reply_markup: new InlineKeyboard().text(ctx.t("gs-cancel-yes"), `gs:cy:${meetingId}`),
  });
}

async function openMove(ctx: BotContext, meetingId: string, participantKey = "not-allowed"): Promise<void> {
  if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
  const check = await checkOccurrenceManager(meetingId, ctx.user._id.toString(), ctx.services.clock.now(), ctx.services.config.adminIds);
  if (!check.ok) return alert(ctx, check.reason === "not_allowed" ? participantKey : "meeting-stale");
  await ctx.answerCallbackQuery();
  await enterScene(ctx, GROUP_MOVE_SCENE, meetingId);
}

/**
 * Group flash sessions: /wednesday for curators, one-tap sign-up and leave, cancelling or moving
 * one occurrence, and the host's attendance. Every press is re-authorized against the current
 * series or occurrence. Meeting buttons (`mt:hd|ms|rs|cx`) of group occurrences are answered here;
 * those of pair meetings pass on to the meetings feature.
 */
export function groupSessionsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").command("wednesday", showWednesday);
  composer.callbackQuery("m:wednesday", async (ctx) => {
    await ctx.answerCallbackQuery();
    await showWednesday(ctx);
  });
  composer.callbackQuery("gs:new", async (ctx) => {
    if (!(await managesAny(ctx))) return alert(ctx, "not-allowed");
    await ctx.answerCallbackQuery();
    await enterScene(ctx, GROUP_SERIES_SCENE);
  });

  composer.callbackQuery(new RegExp(`^gs:(j|l):${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const seriesId = ctx.match[2] as string;
    const join = ctx.match[1] === "j";
    const now = ctx.services.clock.now();
    const res = join ? await signUp(seriesId, ctx.user._id.toString(), now) : await leave(seriesId, ctx.user._id.toString(), now);
    if (!res.ok) return alert(ctx, { inactive: "gs-inactive", not_member: "gs-not-member", host: "gs-host-is-member" }[res.reason]);
    await ctx.answerCallbackQuery();
    if (join) {
      const next = res.next ? formatInZone(res.next, res.zone, await uiLocale(ctx)) : "—";
      await ctx.reply(ctx.t(res.already ? "gs-already" : "gs-signed-up", { topic: escapeHtml(res.topic), next }), {
        reply_markup: new InlineKeyboard().text(ctx.t("gs-leave"), `gs:l:${seriesId}`),
      });
    } else {
      await ctx.reply(ctx.t(res.already ? "gs-not-signed" : "gs-left", { topic: escapeHtml(res.topic) }), {
        reply_markup: new InlineKeyboard().text(ctx.t("gs-signup"), `gs:j:${seriesId}`),
      });
    }
  });

  composer.callbackQuery(new RegExp(`^gs:cx:${ID}$`), (ctx) => askCancel(ctx, ctx.match[1] as string));
  composer.callbackQuery(new RegExp(`^gs:cy:${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const meetingId = ctx.match[1] as string;
    const now = ctx.services.clock.now();
    const deps = groupDeps(ctx);
    const res = await cancelOccurrence(meetingId, ctx.user._id.toString(), now, deps);
    if (!res.ok) return alert(ctx, res.reason === "not_allowed" ? "not-allowed" : "meeting-stale");
    await queueGroupNotices(deps.scheduler, `${meetingId}:cancelled:${res.sequence}`, res.notices, now);
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    await ctx.reply(ctx.t("gs-cancelled-done"));
  });
  composer.callbackQuery(new RegExp(`^gs:mv:${ID}$`), (ctx) => openMove(ctx, ctx.match[1] as string));
  // Stopping a whole series: confirm first, then stop (both re-authorized by the service).
  composer.callbackQuery(new RegExp(`^gs:st:${ID}$`), async (ctx) => {
    if (!(await managesAny(ctx))) return alert(ctx, "not-allowed");
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t("gs-stop-confirm"), { reply_markup: new InlineKeyboard().text(ctx.t("gs-stop-yes"), `gs:sy:${ctx.match[1]}`) });
  });
  composer.callbackQuery(new RegExp(`^gs:sy:${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const seriesId = ctx.match[1] as string;
    const now = ctx.services.clock.now();
    const deps = groupDeps(ctx);
    const res = await stopSeries(seriesId, ctx.user._id.toString(), now, deps);
    if (!res.ok) return alert(ctx, res.reason === "not_allowed" ? "not-allowed" : "gs-inactive");
    await queueGroupNotices(deps.scheduler, `${seriesId}:stopped`, res.notices, now);
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    await ctx.reply(ctx.t("gs-stopped-done", { topic: escapeHtml(res.topic), n: res.cancelled }));
  });

  // Buttons of the generic meeting messages (reminder, follow-up) on a group occurrence; pair meetings pass on.
  composer.callbackQuery(new RegExp(`^mt:(hd|ms|rs|cx):${ID}$`), async (ctx, next) => {
    const meetingId = ctx.match[2] as string;
    const meeting = await Meeting.findById(meetingId, { kind: 1 }).lean();
    if (meeting?.kind !== "group") return next();
    switch (ctx.match[1]) {
      case "hd": {
        if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "meeting-not-yours");
        const sheet = await attendanceSheet(meetingId, ctx.user._id.toString(), ctx.services.clock.now());
        if (!sheet) return alert(ctx, "meeting-not-yours");
        await ctx.answerCallbackQuery();
        return enterScene(ctx, GROUP_ATTENDANCE_SCENE, meetingId);
      }
      case "ms": {
        // A group session that did not take place: no "who did not come" question, it simply did not happen.
        if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "meeting-not-yours");
        // Only the host, only once it has begun (the sheet check says both).
        if (!(await attendanceSheet(meetingId, ctx.user._id.toString(), ctx.services.clock.now()))) return alert(ctx, "meeting-not-yours");
        const ok = await logMissed(meetingId, ctx.user._id.toString(), [], ctx.services.clock.now(), groupDeps(ctx));
        if (!ok) return alert(ctx, "meeting-not-yours");
        await ctx.answerCallbackQuery();
        await ctx.editMessageReplyMarkup({ reply_markup: undefined });
        return void (await ctx.reply(ctx.t("meeting-logged-missed")));
      }
      case "rs":
        // Participants cannot move a group occurrence for everyone; the host and curators can.
        return openMove(ctx, meetingId, "gs-participant-cannot-move");
      case "cx":
        return askCancel(ctx, meetingId);
    }
  });
  return composer;
}
