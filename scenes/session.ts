import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { Meeting, MentorProfile, MentorshipRequest, Pair, User } from "../models/index.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { escapeHtml } from "../src/core/html.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { notify } from "../src/bot/notify.ts";
import { formatInZone, parseLocalDateTime, quickSlots, zoneLabel } from "../src/core/datetime.ts";
import { proposeMeeting } from "../src/domain/meetings.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText, askMulti, askOne } from "./pickers.ts";
import { topicLabel } from "../src/domain/deficits.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";
import { findAnyOf } from "../src/db/read-connection.ts";
import { organizationById, organizationsByIds } from "../src/db/organization-cache.ts";

export const SESSION_SCENE = "session";

export interface SessionArgs {
  pairId?: string;
  /** Reschedule this meeting: only new slots are asked. */
  meetingId?: string;
}

/**
 * /session: either side of a pair proposes up to three slots — quick picks from the mentor's
 * availability or typed times in the proposer's zone — with topic, duration, mode and place.
 */
export async function sessionScene(conversation: SceneConversation, ctx: SceneContext, args: SessionArgs = {}): Promise<void> {
  const telegramId = ctx.from?.id;
  if (telegramId === undefined) return;
  const info = await conversation.external(async () => {
    const u = await findRegisteredUser(telegramId);
    if (!u) return null;
    const org = await organizationById(u.organizationId);
    // A group seat meets with its group (/groups), not as a pair.
    const pairs = (await findAnyOf((f) => Pair.find(f).lean(), [{ mentorId: u._id }, { menteeId: u._id }], { status: "active" })).filter((p) => !p.groupId);
    const others = await User.find({ _id: { $in: pairs.map((p) => (p.mentorId.equals(u._id) ? p.menteeId : p.mentorId)) } }, { profile: 1 }).lean();
    const requests = await MentorshipRequest.find({ _id: { $in: pairs.map((p) => p.requestId) } }, { topics: 1, otherTopic: 1 }).lean();
    const profiles = await MentorProfile.find({ _id: { $in: pairs.map((p) => p.mentorProfileId) } }, { availability: 1, organizationId: 1 }).lean();
    const mentorOrgs = [...(await organizationsByIds(profiles.map((p) => p.organizationId))).values()];
    const meeting = args.meetingId ? await Meeting.findById(args.meetingId).lean() : null;
    return {
      userId: u._id.toString(),
      locale: u.locale ?? "ru",
      zone: org?.timezone ?? "Europe/Moscow",
      meeting: meeting
        ? { id: meeting._id.toString(), pairId: meeting.pairId?.toString() ?? "", topic: meeting.topic ?? "", durationMin: meeting.durationMin, mode: meeting.mode, place: meeting.place ?? "", status: meeting.status }
        : null,
      pairs: pairs.map((p) => {
        const otherId = p.mentorId.equals(u._id) ? p.menteeId : p.mentorId;
        const r = requests.find((x) => x._id.equals(p.requestId));
        return {
          id: p._id.toString(),
          other: others.find((o) => o._id.equals(otherId))?.profile?.fullName ?? "—",
          topics: r?.topics ?? [],
          otherTopic: r?.otherTopic ?? "",
          windows: (profiles.find((x) => x._id.equals(p.mentorProfileId))?.availability ?? []).map((w) => ({ weekday: w.weekday, startMin: w.startMin, endMin: w.endMin })),
          /** The mentor's windows are local to the mentor's organization. */
          windowsZone:
            mentorOrgs.find((o) => o._id.equals(profiles.find((x) => x._id.equals(p.mentorProfileId))?.organizationId ?? undefined))?.timezone ?? "Europe/Moscow",
        };
      }),
    };
  });
  const services = ctx.services;
  if (!info) {
    await ctx.reply(ctx.t("not-registered"));
    return;
  }
  const locale = isLocale(info.locale) ? info.locale : services.config.defaultLocale;
  const t: T = (key, a) => services.t(locale, key, a);
  if (info.pairs.length === 0) {
    await ctx.reply(t("session-no-pair"));
    return;
  }

  // Which pair.
  let pairId = info.meeting?.pairId ?? args.pairId;
  if (!pairId || !info.pairs.some((p) => p.id === pairId)) {
    pairId =
      info.pairs.length === 1
        ? info.pairs[0]?.id
        : await askOne(conversation, ctx, t, {
            prompt: t("session-pick-pair"),
            prefix: "ss:pr",
            options: info.pairs.map((p) => ({ code: p.id, label: p.other })),
            perRow: 1,
          });
  }
  const pair = info.pairs.find((p) => p.id === pairId);
  if (!pair) return;

  let topic: string;
  let durationMin: number;
  let mode: "in_person" | "online";
  let place: string;
  if (info.meeting && ["proposed", "confirmed"].includes(info.meeting.status)) {
    ({ topic, durationMin, place } = info.meeting);
    mode = info.meeting.mode as "in_person" | "online";
    await ctx.reply(t("session-reschedule-intro", { topic: escapeHtml(topic) }));
  } else {
    const topicCodes = pair.topics;
    const choice = await askOne(conversation, ctx, t, {
      prompt: t("session-ask-topic", { name: escapeHtml(pair.other) }),
      prefix: "ss:tp",
      options: [...topicCodes.map((c) => ({ code: c, label: topicLabel(c, locale) })), { code: "other", label: t("request-topic-other") }],
      perRow: 1,
    });
    topic =
      choice === "other"
        ? ((await askBoundedText(conversation, ctx, t, { prompt: t("session-ask-topic-text"), min: 3, max: 200, errorKey: "text-length-error" })) as string)
        : topicLabel(choice, locale);
    durationMin = Number(
      await askOne(conversation, ctx, t, {
        prompt: t("session-ask-duration"),
        prefix: "ss:du",
        options: ["15", "30", "45", "60", "90"].map((d) => ({ code: d, label: t("session-minutes", { n: d }) })),
        perRow: 5,
      }),
    );
    mode = (await askOne(conversation, ctx, t, {
      prompt: t("session-ask-mode"),
      prefix: "ss:md",
      options: [
        { code: "in_person", label: t("mode-in_person") },
        { code: "online", label: t("mode-online") },
      ],
    })) as "in_person" | "online";
    place = (await askBoundedText(conversation, ctx, t, {
      prompt: t(mode === "online" ? "session-ask-link" : "session-ask-place"),
      min: 3,
      max: 300,
      errorKey: "text-length-error",
    })) as string;
  }

  // Slots: quick picks from the mentor's availability, or typed in the proposer's zone.
  const now = await sceneNow(conversation, ctx);
  const quick = quickSlots(pair.windows, pair.windowsZone, now, { durationMin, count: 6 }).map((d: Date) => d.toISOString());
  const chosen: string[] = [];
  for (;;) {
    const options = [...new Set([...quick, ...chosen])].sort().map((iso) => ({ code: String(new Date(iso).getTime()), label: formatInZone(new Date(iso), info.zone, locale) }));
    const picked = await askMulti(conversation, ctx, t, {
      prompt: t("session-ask-slots", { zone: zoneLabel(info.zone, locale) }),
      prefix: "ss:sl",
      options,
      max: 3,
      initial: chosen.map((iso) => String(new Date(iso).getTime())),
      perRow: 1,
      extra: chosen.length < 3 ? [[t("session-type-time"), "ss:type"]] : [],
    });
    chosen.length = 0;
    for (const ms of picked.selected) chosen.push(new Date(Number(ms)).toISOString());
    if (picked.action === "ss:type") {
      await ctx.reply(t("session-ask-time-text", { zone: zoneLabel(info.zone, locale) }));
      for (;;) {
        const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(t("dialog-text-expected")) });
        const parsed = parseLocalDateTime(answer.message.text, info.zone, now, locale);
        if (parsed.ok) {
          if (!chosen.includes(parsed.at.toISOString())) chosen.push(parsed.at.toISOString());
          break;
        }
        await answer.reply(t(`datetime-error-${parsed.error}`));
      }
      continue;
    }
    if (chosen.length === 0) {
      await ctx.reply(t("session-need-slot"));
      continue;
    }
    break;
  }

  const proposal = await conversation.external(() =>
    proposeMeeting(
      {
        pairId: pair.id,
        proposerUserId: info.userId,
        slots: chosen.map((iso) => new Date(iso)),
        durationMin,
        topic,
        mode,
        place,
        now,
        meetingId: info.meeting?.id,
      },
      services.meetingDeps,
    ),
  );
  if (!proposal.ok) {
    await ctx.reply(t("session-failed"));
    return;
  }
  await ctx.reply(t("session-proposed", { name: escapeHtml(pair.other), slots: chosen.map((iso) => formatInZone(new Date(iso), info.zone, locale)).join("\n") }));
  await conversation.external(() => notify(ctx, proposal.notices));
}
