import { sceneNow } from "../src/bot/scenes.ts";
import { syncTrainingRecord } from "../src/domain/training-record.ts";
import { forDailyList } from "../src/domain/curator-list.ts";
import { InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { MEETING_MODES, MENTORING_FORMS, MentorProfile } from "../models/index.ts";
import { DEFICIT_CATALOGUE, DEFICIT_GROUPS } from "../src/domain/deficits.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { curatorsOf } from "../src/domain/roles.ts";
import { notice, type Notice } from "../src/domain/notices.ts";
import { escapeHtml } from "../src/core/html.ts";
import { notify } from "../src/bot/notify.ts";
import type { T } from "./profile-steps.ts";
import { askMulti, askOne } from "./pickers.ts";
import { zoneLabel } from "../src/core/datetime.ts";
import { DAY_PART_CODES, WEEKDAYS } from "./request.ts";
import { topicLabel } from "../src/domain/deficits.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";
import { organizationById } from "../src/db/organization-cache.ts";

export const MENTOR_PROFILE_SCENE = "mentor-profile";

/** Parts of the day as minute ranges (local time). */
export const DAY_PART_MINUTES: Record<string, [number, number]> = { morning: [480, 720], day: [720, 960], evening: [960, 1200] };

/** Parses "до 15.12.2026" / "15.12.2026" / "2026-12-15" as the end of that day in the zone; undefined when invalid or past. */
export function parsePauseUntil(text: string, zone: string, now: Date): Date | undefined {
  const cleaned = text.trim().toLowerCase().replace(/^(до|until)\s+/, "");
  const formats = ["dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd", "dd.MM.yy"];
  for (const f of formats) {
    const dt = DateTime.fromFormat(cleaned, f, { zone });
    if (dt.isValid) {
      const end = dt.endOf("day");
      return end.toMillis() > now.getTime() ? end.toJSDate() : undefined;
    }
  }
  return undefined;
}

/**
 * /mentor: the registry profile (реестр наставников): competences from the deficit catalogue,
 * capacity, forms, mode, weekly availability, network serving and an optional pause. A new
 * profile waits for a curator's approval (stage IV, "ready") before it is matched.
 */
export async function mentorProfileScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const telegramId = ctx.from?.id;
  if (telegramId === undefined) return;
  const loaded = await conversation.external(async () => {
    const u = await findRegisteredUser(telegramId);
    if (!u || !u.organizationId || !u.roles.some((r) => r.role === "mentor")) return null;
    const p = await MentorProfile.findOne({ userId: u._id }).lean();
    const org = await organizationById(u.organizationId);
    return {
      userId: u._id.toString(),
      organizationId: u.organizationId.toString(),
      locale: u.locale ?? "ru",
      zone: org?.timezone ?? "Europe/Moscow",
      profile: p
        ? {
            competences: p.competences,
            capacity: p.capacity,
            forms: p.forms as string[],
            mode: p.mode,
            networkServing: p.networkServing,
            approved: p.approved,
            days: [...new Set(p.availability.map((w) => String(w.weekday)))],
            parts: DAY_PART_CODES.filter((part) => p.availability.some((w) => w.startMin === DAY_PART_MINUTES[part]?.[0])),
          }
        : null,
    };
  });
  if (!loaded) {
    await ctx.reply(ctx.t("mentor-only"));
    return;
  }
  const services = ctx.services;
  const locale = isLocale(loaded.locale) ? loaded.locale : services.config.defaultLocale;
  const t: T = (key, a) => services.t(locale, key, a);
  const old = loaded.profile;

  await ctx.reply(t(old ? "mentor-intro-edit" : "mentor-intro-new"));
  // Competences: group by group, any number.
  const competences = new Set(old?.competences ?? []);
  for (;;) {
    const kb = new InlineKeyboard();
    DEFICIT_GROUPS.forEach((g) => {
      const n = [...competences].filter((c) => c.startsWith(g.code)).length;
      kb.text(`${g.code}. ${locale === "en" ? g.en : g.ru}${n ? ` (${n})` : ""}`, `mp:g:${g.code}`).row();
    });
    if (competences.size > 0) kb.text(t("picker-done"), "mp:g:done");
    await ctx.reply(t("mentor-ask-competences"), { reply_markup: kb });
    const press = await conversation.waitForCallbackQuery(/^mp:g:([A-G]|done)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
    await press.answerCallbackQuery();
    const g = press.match[1] as string;
    if (g === "done") break;
    const picked = await askMulti(conversation, ctx, t, {
      prompt: t("mentor-ask-group-items"),
      prefix: "mp:i",
      options: DEFICIT_CATALOGUE.filter((d) => d.group === g).map((d) => ({ code: d.code, label: locale === "en" ? d.en : d.ru })),
      initial: [...competences].filter((c) => c.startsWith(g)),
      perRow: 1,
    });
    for (const c of [...competences]) if (c.startsWith(g)) competences.delete(c);
    for (const c of picked.selected) competences.add(c);
  }
  const capacity = Number(
    await askOne(conversation, ctx, t, {
      prompt: t("mentor-ask-capacity"),
      prefix: "mp:c",
      options: ["1", "2", "3", "4", "5"].map((n) => ({ code: n, label: n })),
      perRow: 5,
    }),
  );
  const forms = await askMulti(conversation, ctx, t, {
    prompt: t("mentor-ask-forms"),
    prefix: "mp:f",
    options: MENTORING_FORMS.map((f) => ({ code: f, label: t(`form-${f}`) })),
    min: 1,
    initial: old?.forms,
  });
  const mode = await askOne(conversation, ctx, t, {
    prompt: t("mentor-ask-mode"),
    prefix: "mp:m",
    options: MEETING_MODES.map((m) => ({ code: m, label: t(`mode-${m}`) })),
    perRow: 3,
  });
  const days = await askMulti(conversation, ctx, t, {
    prompt: t("mentor-ask-days", { zone: zoneLabel(loaded.zone, locale) }),
    prefix: "mp:d",
    options: WEEKDAYS.map((d) => ({ code: d, label: t(`weekday-${d}`) })),
    min: 1,
    initial: old?.days,
    perRow: 4,
  });
  const parts = await askMulti(conversation, ctx, t, {
    prompt: t("mentor-ask-parts"),
    prefix: "mp:p",
    options: DAY_PART_CODES.map((p) => ({ code: p, label: t(`daypart-${p}`) })),
    min: 1,
    initial: old?.parts,
    perRow: 3,
  });
  const network = await askOne(conversation, ctx, t, {
    prompt: t("mentor-ask-network"),
    prefix: "mp:n",
    options: [
      { code: "yes", label: t("yes") },
      { code: "no", label: t("no") },
    ],
  });
  const pauseChoice = await askOne(conversation, ctx, t, {
    prompt: t("mentor-ask-pause"),
    prefix: "mp:z",
    options: [
      { code: "none", label: t("mentor-pause-none") },
      { code: "date", label: t("mentor-pause-date") },
    ],
  });
  let pausedUntil: string | undefined;
  if (pauseChoice === "date") {
    await ctx.reply(t("mentor-ask-pause-date"));
    const now = await sceneNow(conversation, ctx);
    for (;;) {
      const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(t("dialog-text-expected")) });
      const until = parsePauseUntil(answer.message.text, loaded.zone, now);
      if (until) {
        pausedUntil = until.toISOString();
        break;
      }
      await answer.reply(t("mentor-error-pause-date"));
    }
  }

  const availability = days.selected.flatMap((d) =>
    parts.selected.map((p) => ({ weekday: Number(d), startMin: DAY_PART_MINUTES[p]?.[0] ?? 0, endMin: DAY_PART_MINUTES[p]?.[1] ?? 0 })),
  );
  const saved = await conversation.external(async () => {
    const u = await findRegisteredUser(telegramId);
    if (!u || !u.organizationId || !u.roles.some((r) => r.role === "mentor")) return null;
    const existing = await MentorProfile.findOne({ userId: u._id }).lean();
    const fields = {
      organizationId: u.organizationId,
      competences: [...competences],
      capacity,
      forms: forms.selected as Array<(typeof MENTORING_FORMS)[number]>,
      mode: mode as (typeof MEETING_MODES)[number],
      availability,
      networkServing: network === "yes",
      ...(pausedUntil ? { pausedUntil: new Date(pausedUntil) } : {}),
    };
    if (existing) {
      // Capacity changes move the free slots by the same amount; active mentees stay.
      await MentorProfile.updateOne(
        { _id: existing._id },
        { $set: fields, $inc: { freeSlots: capacity - existing.capacity }, ...(pausedUntil ? {} : { $unset: { pausedUntil: 1 } }) },
      );
      return { created: false, approved: existing.approved, notices: [] as Notice[] };
    }
    const created = await MentorProfile.create({ userId: u._id, ...fields, freeSlots: capacity, approved: false });
    // Trainings she attended before she had a profile count too (issue 16).
    await syncTrainingRecord(u._id);
    const curators = await curatorsOf(String(u.organizationId));
    const name = escapeHtml(u.profile?.fullName ?? "");
    const notices = forDailyList(curators.flatMap((c) =>
      notice(c, "mentor-approval-request", { name, topics: [...competences].map((code) => topicLabel(code, c.locale ?? "ru")).join("; ") }, [
        [{ label: "mentor-approve", data: `ma:${created._id}` }],
      ]),
    ), "mentor", created._id);
    return { created: true, approved: false, notices };
  });
  if (!saved) {
    await ctx.reply(t("mentor-only"));
    return;
  }
  await ctx.reply(
    [
      t(saved.approved ? "mentor-saved" : "mentor-saved-pending"),
      `${t("mentor-label-competences")}: ${[...competences].map((c) => topicLabel(c, locale)).join("; ")}`,
      `${t("mentor-label-capacity")}: ${capacity}`,
    ].join("\n"),
    { reply_markup: new InlineKeyboard().text(t("mreg-button"), "mp:reg") },
  );
  if (saved.notices.length) await conversation.external(() => notify(ctx, saved.notices));
}
