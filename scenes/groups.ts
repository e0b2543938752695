import { InlineKeyboard } from "grammy";
import type { ConversationBuilder } from "@grammyjs/conversations";
import type { BotContext, SceneContext, SceneConversation } from "../src/bot/context.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { escapeHtml } from "../src/core/html.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { notify } from "../src/bot/notify.ts";
import { formatInZone, parseLocalDateTime, zoneLabel } from "../src/core/datetime.ts";
import { AGE_GROUPS, GROUP_SIZE_MAX, GROUP_SIZE_MIN, MentorProfile, User } from "../models/index.ts";
import { GROUP_MEETING_DURATIONS, formGroupFromRequests, groupMentorCandidates, loadGroup, openCall, scheduleGroupMeeting, suggestGroups } from "../src/domain/groups.ts";
import { isAdmin, isCuratorOf } from "../src/domain/roles.ts";
import { topicLabel } from "../src/domain/deficits.ts";
import { genderArg } from "../src/domain/russian.ts";
import { zoneOfOrganization } from "../src/domain/meetings.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText, askMulti, askOne } from "./pickers.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";
import { organizationById } from "../src/db/organization-cache.ts";

/**
 * Mentoring groups (issue 15): the curator forms a group from suggested requests, the mentor
 * publishes an open call (or a circle), the mentor sets a group meeting. Button prefixes `gf:`,
 * `gn:` and `gm:` are private to these dialogs; the global `gr:` buttons end a dialog.
 */
export const GROUP_FORM_SCENE = "group-form";
export const GROUP_CALL_SCENE = "group-call";
export const GROUP_MEETING_SCENE = "group-meeting";

interface Me {
  userId: string;
  locale: string;
  name: string;
  gender: string;
  organizationId: string | null;
}

async function whoAmI(conversation: SceneConversation, ctx: SceneContext): Promise<Me | null> {
  const telegramId = ctx.from?.id;
  if (telegramId === undefined) return null;
  return conversation.external(async () => {
    const u = await findRegisteredUser(telegramId, { notErased: true });
    return u
      ? { userId: u._id.toString(), locale: u.locale ?? "ru", name: u.profile?.fullName ?? "", gender: genderArg(u.profile), organizationId: u.organizationId?.toString() ?? null }
      : null;
  });
}

function translator(ctx: SceneContext, locale: string): { t: T; locale: "ru" | "en" } {
  const l = isLocale(locale) ? locale : ctx.services.config.defaultLocale;
  return { t: (key, a) => ctx.services.t(l, key, a), locale: l };
}

/** The curator forms a group: pick 2–8 of the suggested requests, a mentor with enough free places, a title. */
export async function groupFormScene(conversation: SceneConversation, ctx: SceneContext, orgId: string, topic: string): Promise<void> {
  const me = await whoAmI(conversation, ctx);
  if (!me) return void (await ctx.reply(ctx.t("not-registered")));
  const { t, locale } = translator(ctx, me.locale);
  const adminIds = ctx.services.config.adminIds;
  const found = await conversation.external(async () => {
    const user = await User.findById(me.userId).lean();
    const admin = isAdmin(user, adminIds);
    if (!user || (!admin && !(await isCuratorOf(user, orgId)))) return null;
    const s = (await suggestGroups([orgId], 50)).find((x) => x.organizationId === orgId && x.topic === topic);
    return { admin, requests: s?.requests ?? [] };
  });
  if (!found) return void (await ctx.reply(t("not-allowed")));
  if (found.requests.length < GROUP_SIZE_MIN) return void (await ctx.reply(t("group-suggestion-gone")));
  const label = topic.length === 1 ? t("groups-topic-group", { code: topic }) : topicLabel(topic, locale);
  const picked = await askMulti(conversation, ctx, t, {
    prompt: t("group-form-pick-requests", { topic: escapeHtml(label), min: GROUP_SIZE_MIN, max: GROUP_SIZE_MAX }),
    prefix: "gf:r",
    options: found.requests.map((r) => ({ code: r.id, label: r.name })),
    initial: found.requests.slice(0, GROUP_SIZE_MAX).map((r) => r.id),
    min: GROUP_SIZE_MIN,
    max: GROUP_SIZE_MAX,
    perRow: 1,
  });
  const candidates = await conversation.external(() => groupMentorCandidates(orgId, picked.selected.length));
  if (candidates.length === 0) return void (await ctx.reply(t("group-form-no-mentors", { n: picked.selected.length })));
  const mentorProfileId = await askOne(conversation, ctx, t, {
    prompt: t("group-form-pick-mentor", { n: picked.selected.length }),
    prefix: "gf:m",
    options: candidates.map((c) => ({ code: c.profileId, label: t("group-form-mentor-option", { name: c.name, free: c.free, capacity: c.capacity }) })),
    perRow: 1,
  });
  // An optional co-mentor: another approved mentor of the scope (a co-mentor holds no places).
  const participants = new Set(found.requests.filter((r) => picked.selected.includes(r.id)).map((r) => r.menteeId));
  const lead = candidates.find((c) => c.profileId === mentorProfileId);
  const others = await conversation.external(async () =>
    (await groupMentorCandidates(orgId, 0)).filter((c) => c.profileId !== mentorProfileId && !participants.has(c.userId)),
  );
  const coMentor =
    others.length === 0
      ? "none"
      : await askOne(conversation, ctx, t, {
          prompt: t("group-form-pick-comentor", { name: escapeHtml(lead?.name ?? "") }),
          prefix: "gf:c",
          options: [...others.map((c) => ({ code: c.userId, label: c.name })), { code: "none", label: t("group-form-no-comentor") }],
          perRow: 1,
        });
  const title = await askBoundedText(conversation, ctx, t, { prompt: t("group-ask-title-default", { topic: escapeHtml(label) }), min: 3, max: 200, errorKey: "group-title-error", skipData: "gf:skip" });
  const now = await sceneNow(conversation, ctx);
  const deps = ctx.services.requestDeps;
  const res = await conversation.external(async () => {
    const curator = await User.findById(me.userId).lean();
    if (!curator) return { ok: false as const, reason: "not_allowed" };
    const r = await formGroupFromRequests({ curator, admin: found.admin, requestIds: picked.selected, mentorProfileId, title: title ?? label, ...(coMentor !== "none" ? { coMentorUserId: coMentor } : {}), now }, deps);
    if (!r.ok) return { ok: false as const, reason: r.reason };
    await notify(ctx, r.notices);
    return { ok: true as const, groupId: r.groupId };
  });
  if (!res.ok) return void (await ctx.reply(t(res.reason === "not_allowed" ? "not-allowed" : `group-form-${res.reason}`)));
  await ctx.reply(t("group-formed", { n: picked.selected.length }), { reply_markup: new InlineKeyboard().text(t("group-btn-open"), `gr:o:${res.groupId}`) });
}

/** The mentor's open call: title → topic → size → age group (a circle) → consent → published with a join button to share. */
export async function groupCallScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const me = await whoAmI(conversation, ctx);
  if (!me) return void (await ctx.reply(ctx.t("not-registered")));
  const { t, locale } = translator(ctx, me.locale);
  const profile = await conversation.external(async () => {
    const p = await MentorProfile.findOne({ userId: me.userId }, { competences: 1, approved: 1, organizationId: 1 }).lean();
    if (!p?.approved) return null;
    const org = await organizationById(p.organizationId);
    return { competences: p.competences, organization: org?.shortName ?? "" };
  });
  if (!profile) return void (await ctx.reply(t("group-call-not-approved")));
  const title = (await askBoundedText(conversation, ctx, t, { prompt: t("group-ask-title"), min: 3, max: 200, errorKey: "group-title-error" })) as string;
  const topic = await askOne(conversation, ctx, t, {
    prompt: t("group-ask-topic"),
    prefix: "gn:t",
    options: [...profile.competences.map((c) => ({ code: c, label: topicLabel(c, locale) })), { code: "none", label: t("group-topic-none") }],
    perRow: 1,
  });
  const size = Number(
    await askOne(conversation, ctx, t, {
      prompt: t("group-ask-size", { min: GROUP_SIZE_MIN, max: GROUP_SIZE_MAX }),
      prefix: "gn:s",
      options: Array.from({ length: GROUP_SIZE_MAX - GROUP_SIZE_MIN + 1 }, (_, i) => ({ code: String(i + GROUP_SIZE_MIN), label: String(i + GROUP_SIZE_MIN) })),
      perRow: 4,
    }),
  );
  const ageGroup = await askOne(conversation, ctx, t, {
    prompt: t("group-ask-age-group"),
    prefix: "gn:a",
    options: [...AGE_GROUPS.map((a) => ({ code: a, label: t(`age-group-${a}`) })), { code: "none", label: t("group-age-none") }],
    perRow: 2,
  });
  const consent = t("group-consent-text", { name: escapeHtml(me.name), gender: me.gender, title: escapeHtml(title), mentor: escapeHtml(me.name), organization: escapeHtml(profile.organization), role: "mentor" });
  await ctx.reply(consent, { reply_markup: new InlineKeyboard().text(t("group-call-publish", { gender: me.gender }), "gn:ok").row().text(t("gs-abort"), "gn:no") });
  const answer = await conversation.waitForCallbackQuery(/^gn:(ok|no)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
  await answer.answerCallbackQuery();
  if (answer.match[1] === "no") return void (await ctx.reply(t("group-call-aborted")));
  const now = await sceneNow(conversation, ctx);
  const res = await conversation.external(() =>
    openCall({ mentorUserId: me.userId, title, ...(topic !== "none" ? { topic } : {}), size, ...(ageGroup !== "none" ? { ageGroup } : {}), consentText: consent, now }),
  );
  if (!res.ok) return void (await ctx.reply(t(res.reason === "not_allowed" ? "group-call-not-approved" : "group-call-failed")));
  const about = ageGroup !== "none" ? t(`age-group-${ageGroup}`) : topic !== "none" ? topicLabel(topic, locale) : "—";
  await ctx.reply(t("group-call-published", { title: escapeHtml(title), about: escapeHtml(about), size, mentor: escapeHtml(me.name) }), {
    reply_markup: new InlineKeyboard().text(t("group-btn-join"), `gr:j:${res.groupId}`).row().text(t("group-btn-open"), `gr:o:${res.groupId}`),
  });
}

/** The mentor sets a group meeting: date and time (their organization's zone) → duration → topic → format → place. */
export async function groupMeetingScene(conversation: SceneConversation, ctx: SceneContext, groupId: string): Promise<void> {
  const me = await whoAmI(conversation, ctx);
  if (!me) return void (await ctx.reply(ctx.t("not-registered")));
  const { t, locale } = translator(ctx, me.locale);
  const group = await conversation.external(async () => {
    const g = await loadGroup(groupId);
    if (!g || g.status !== "active" || !(g.mentorId.equals(me.userId) || g.coMentorId?.equals(me.userId))) return null;
    return { title: g.title, zone: await zoneOfOrganization(me.organizationId ?? g.organizationId) };
  });
  if (!group) return void (await ctx.reply(t("not-allowed")));
  const started = await sceneNow(conversation, ctx);
  await ctx.reply(t("group-meeting-ask-time", { title: escapeHtml(group.title), zone: zoneLabel(group.zone, locale, started) }));
  let startAt: Date;
  for (;;) {
    const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(t("dialog-text-expected")) });
    const parsed = parseLocalDateTime(answer.message.text, group.zone, await sceneNow(conversation, ctx), locale);
    if (parsed.ok) {
      startAt = parsed.at;
      break;
    }
    await answer.reply(t(`datetime-error-${parsed.error}`));
  }
  const durationMin = Number(
    await askOne(conversation, ctx, t, { prompt: t("session-ask-duration"), prefix: "gm:d", options: GROUP_MEETING_DURATIONS.map((d) => ({ code: String(d), label: t("group-minutes", { n: d }) })), perRow: 4 }),
  );
  const topic = (await askBoundedText(conversation, ctx, t, { prompt: t("session-ask-topic-text"), min: 3, max: 200, errorKey: "group-title-error" })) as string;
  const mode = (await askOne(conversation, ctx, t, {
    prompt: t("session-ask-mode"),
    prefix: "gm:m",
    options: [
      { code: "in_person", label: t("mode-in_person") },
      { code: "online", label: t("mode-online") },
    ],
  })) as "in_person" | "online";
  const place = await askBoundedText(conversation, ctx, t, { prompt: t(mode === "online" ? "session-ask-link" : "session-ask-place"), min: 2, max: 300, errorKey: "group-title-error", skipData: "gm:skip" });
  const now = await sceneNow(conversation, ctx);
  const deps = ctx.services.meetingDeps;
  const res = await conversation.external(async () => {
    const r = await scheduleGroupMeeting({ groupId, hostUserId: me.userId, startAt, durationMin, topic, mode, ...(place ? { place } : {}), now }, deps);
    if (r.ok) await notify(ctx, r.notices);
    return { ok: r.ok, reason: r.reason ?? null };
  });
  if (!res.ok) return void (await ctx.reply(t(res.reason === "invalid" ? "datetime-error-past" : res.reason === "empty" ? "group-meeting-empty" : "not-allowed")));
  await ctx.reply(t("group-meeting-done", { when: formatInZone(startAt, group.zone, locale), title: escapeHtml(group.title) }));
}

/** The dialogs of this file, for scenes/index.ts. */
export const GROUP_SCENES: Array<[id: string, builder: ConversationBuilder<BotContext, SceneContext>]> = [
  [GROUP_FORM_SCENE, groupFormScene],
  [GROUP_CALL_SCENE, groupCallScene],
  [GROUP_MEETING_SCENE, groupMeetingScene],
];
