import { InlineKeyboard } from "grammy";
import type { ConversationBuilder } from "@grammyjs/conversations";
import type { BotContext, SceneContext, SceneConversation } from "../src/bot/context.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { escapeHtml } from "../src/core/html.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { formatInZone, parseLocalDateTime, zoneLabel } from "../src/core/datetime.ts";
import {
  SERIES_ANNOUNCE_JOB,
  SERIES_DURATIONS,
  attendanceSheet,
  checkOccurrenceManager,
  createSeries,
  hostCandidates,
  logAttendance,
  managedOrganizations,
  materializeOccurrences,
  moveOccurrence,
  normalizeLocalTime,
  queueGroupNotices,
  type GroupSessionDeps,
} from "../src/domain/group-sessions.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText, askModeAndPlace, askMulti, askOne, pickOrganization } from "./pickers.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";
import { Meeting } from "../models/index.ts";
import { surveyNotices } from "../src/domain/surveys.ts";
import { notify } from "../src/bot/notify.ts";

/**
 * Group flash sessions ("методическая среда"): the curator's set-up of a weekly series, the
 * host's attendance after an occurrence, and moving one occurrence. Button prefixes `gw:` and
 * `ga:` are private to these dialogs (the global `gs:` buttons end a dialog, like commands).
 */
export const GROUP_SERIES_SCENE = "group-series";
export const GROUP_ATTENDANCE_SCENE = "group-attendance";
export const GROUP_MOVE_SCENE = "group-move";

function groupDeps(ctx: SceneContext): GroupSessionDeps {
  return { ...ctx.services.meetingDeps, adminIds: ctx.services.config.adminIds };
}

/** The registered user behind the update, as plain JSON. */
async function whoAmI(conversation: SceneConversation, ctx: SceneContext): Promise<{ userId: string; locale: string; name: string } | null> {
  const telegramId = ctx.from?.id;
  if (telegramId === undefined) return null;
  return conversation.external(async () => {
    const u = await findRegisteredUser(telegramId, { notErased: true });
    return u ? { userId: u._id.toString(), locale: u.locale ?? "ru", name: u.profile?.fullName ?? "" } : null;
  });
}

function translator(ctx: SceneContext, locale: string): { t: T; locale: "ru" | "en" } {
  const l = isLocale(locale) ? locale : ctx.services.config.defaultLocale;
  return { t: (key, a) => ctx.services.t(l, key, a), locale: l };
}

/** /wednesday: organization → weekday → time → duration → topic → host → mode → place → summary → create, materialize, announce. */
export async function groupSeriesScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const me = await whoAmI(conversation, ctx);
  if (!me) {
    await ctx.reply(ctx.t("not-registered"));
    return;
  }
  const { t, locale } = translator(ctx, me.locale);
  const adminIds = ctx.services.config.adminIds;
  const orgs = await conversation.external(() => managedOrganizations(me.userId, adminIds));
  const org = await pickOrganization(conversation, ctx, t, orgs, { prompt: t("gs-pick-org"), prefix: "gw:o" });
  if (!org) return;
  const started = await sceneNow(conversation, ctx);
  const zone = zoneLabel(org.zone, locale, started);

  const weekday = Number(
    await askOne(conversation, ctx, t, {
      prompt: t("gs-ask-weekday"),
      prefix: "gw:wd",
      options: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ code: String(d), label: t("gs-wd", { d }) })),
      perRow: 7,
    }),
  );

  await ctx.reply(t("gs-ask-time", { zone }));
  let localTime: string;
  for (;;) {
    const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(t("dialog-text-expected")) });
    const parsed = normalizeLocalTime(answer.message.text);
    if (parsed) {
      localTime = parsed;
      break;
    }
    await answer.reply(t("gs-time-error"));
  }

  const durationMin = Number(
    await askOne(conversation, ctx, t, {
      prompt: t("session-ask-duration"),
      prefix: "gw:du",
      options: SERIES_DURATIONS.map((d) => ({ code: String(d), label: t("session-minutes", { n: String(d) }) })),
      perRow: 4,
    }),
  );
  const topic = (await askBoundedText(conversation, ctx, t, { prompt: t("gs-ask-topic"), min: 3, max: 200, errorKey: "text-length-error" })) as string;

  const hosts = await conversation.external(() => hostCandidates(org.id, me.userId));
  const hostId = await askOne(conversation, ctx, t, {
    prompt: t("gs-ask-host"),
    prefix: "gw:h",
    options: hosts.map((h) => ({ code: h.id, label: h.self ? t("gs-host-self", { name: h.name }) : h.name })),
    perRow: 1,
  });
  const hostName = hosts.find((h) => h.id === hostId)?.name ?? "—";

  const { mode, place } = await askModeAndPlace(conversation, ctx, t, "gw:md");

  await ctx.reply(
    t("gs-summary", {
      org: escapeHtml(org.name),
      weekday,
      time: localTime,
      zone,
      duration: durationMin,
      topic: escapeHtml(topic),
      host: escapeHtml(hostName),
      mode: t(`mode-${mode}`),
      place: escapeHtml(place),
    }),
    { reply_markup: new InlineKeyboard().text(t("gs-confirm"), "gw:ok").text(t("gs-abort"), "gw:no") },
  );
  const decision = await conversation.waitForCallbackQuery(/^gw:(ok|no)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
  await decision.answerCallbackQuery();
  if (decision.match[1] === "no") {
    await ctx.reply(t("gs-aborted"));
    return;
  }

  const now = await sceneNow(conversation, ctx);
  const scheduler = ctx.services.scheduler;
  const deps = groupDeps(ctx);
  const result = await conversation.external(async () => {
    const created = await createSeries({ organizationId: org.id, weekday, localTime, durationMin, topic, hostId, mode, place, createdBy: me.userId, now }, deps);
    if (!created.ok) return { ok: false as const, reason: created.reason };
    const occurrences = await materializeOccurrences(created.seriesId, now, deps);
    // The invitation is a bulk send: the queue delivers it within Telegram's limits.
    await scheduler.enqueue({ type: SERIES_ANNOUNCE_JOB, key: `${SERIES_ANNOUNCE_JOB}:${created.seriesId}`, runAt: now, payload: { seriesId: created.seriesId } });
    return { ok: true as const, starts: occurrences.created.map((d) => d.toISOString()) };
  });
  if (!result.ok) {
    await ctx.reply(t(result.reason === "not_allowed" ? "not-allowed" : "gs-create-failed"));
    return;
  }
  await ctx.reply(t("gs-created", { dates: result.starts.map((iso) => `• ${formatInZone(new Date(iso), org.zone, locale)}`).join("\n") }));
}

/** The host marks who came (those who pressed "I'll be there" are pre-selected); the others are recorded absent. */
export async function groupAttendanceScene(conversation: SceneConversation, ctx: SceneContext, meetingId: string): Promise<void> {
  const me = await whoAmI(conversation, ctx);
  const now = await sceneNow(conversation, ctx);
  const sheet = me
    ? await conversation.external(async () => {
        const s = await attendanceSheet(meetingId, me.userId, now);
        return s ? { ...s, startAt: s.startAt.toISOString() } : null;
      })
    : null;
  if (!me || !sheet) {
    await ctx.reply(ctx.t("meeting-not-yours"));
    return;
  }
  const { t, locale } = translator(ctx, me.locale);
  const ids = new Set(sheet.participants.map((p) => p.id));
  const picked = await askMulti(conversation, ctx, t, {
    prompt: t("gs-attendance-ask", { topic: escapeHtml(sheet.topic), when: formatInZone(new Date(sheet.startAt), sheet.zone, locale) }),
    prefix: "ga",
    options: sheet.participants.map((p) => ({ code: p.id, label: p.name })),
    initial: sheet.attending.filter((id) => ids.has(id)),
    perRow: 1,
  });
  const at = await sceneNow(conversation, ctx);
  const deps = groupDeps(ctx);
  const res = await conversation.external(async () => {
    const r = await logAttendance(meetingId, me.userId, picked.selected, at, deps);
    // A mentoring group's meeting (issue 15): those present get the usual survey, the host the reflection.
    if (r.ok && (await Meeting.exists({ _id: meetingId, groupId: { $exists: true } }))) await notify(ctx, await surveyNotices(meetingId));
    return r;
  });
  await ctx.reply(res.ok ? t("gs-attendance-done", { present: res.present, absent: res.absent }) : t("meeting-not-yours"));
}

/** A curator or the host moves one occurrence: the new date and time are typed in the organization's zone. */
export async function groupMoveScene(conversation: SceneConversation, ctx: SceneContext, meetingId: string): Promise<void> {
  const me = await whoAmI(conversation, ctx);
  if (!me) {
    await ctx.reply(ctx.t("not-registered"));
    return;
  }
  const { t, locale } = translator(ctx, me.locale);
  const adminIds = ctx.services.config.adminIds;
  const now = await sceneNow(conversation, ctx);
  const check = await conversation.external(async () => {
    const c = await checkOccurrenceManager(meetingId, me.userId, now, adminIds);
    return c.ok ? { ok: true as const, topic: c.meeting.topic ?? "", startAt: (c.meeting.startAt as Date).toISOString(), zone: c.zone } : { ok: false as const, reason: c.reason };
  });
  if (!check.ok) {
    await ctx.reply(t(check.reason === "not_allowed" ? "not-allowed" : "meeting-stale"));
    return;
  }
  await ctx.reply(
    t("gs-move-ask", { topic: escapeHtml(check.topic), when: formatInZone(new Date(check.startAt), check.zone, locale), zone: zoneLabel(check.zone, locale, now) }),
  );
  let newStart: Date;
  for (;;) {
    const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(t("dialog-text-expected")) });
    const parsed = parseLocalDateTime(answer.message.text, check.zone, now, locale);
    if (parsed.ok) {
      newStart = parsed.at;
      break;
    }
    await answer.reply(t(`datetime-error-${parsed.error}`));
  }
  const at = await sceneNow(conversation, ctx);
  const deps = groupDeps(ctx);
  const res = await conversation.external(async () => {
    const r = await moveOccurrence(meetingId, newStart, me.userId, at, deps);
    if (r.ok) await queueGroupNotices(deps.scheduler, `${meetingId}:moved:${r.sequence}`, r.notices, at);
    return { ok: r.ok, reason: r.reason ?? null };
  });
  if (!res.ok) {
    await ctx.reply(t(res.reason === "not_allowed" ? "not-allowed" : res.reason === "past" ? "datetime-error-past" : "meeting-stale"));
    return;
  }
  await ctx.reply(t("gs-moved-done", { when: formatInZone(newStart, check.zone, locale) }));
}

/** The dialogs of this file, for scenes/index.ts. */
export const GROUP_SERIES_SCENES: Array<[id: string, builder: ConversationBuilder<BotContext, SceneContext>]> = [
  [GROUP_SERIES_SCENE, groupSeriesScene],
  [GROUP_ATTENDANCE_SCENE, groupAttendanceScene],
  [GROUP_MOVE_SCENE, groupMoveScene],
];
