import { sceneNow } from "../src/bot/scenes.ts";
import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { MEETING_MODES, REQUEST_KINDS, User } from "../models/index.ts";
import { DEFICIT_CATALOGUE, DEFICIT_GROUPS, topicLabel } from "../src/domain/deficits.ts";
import { createRequest, proposeCandidates, type MentorCard } from "../src/domain/requests.ts";
import { questionDeadlineFor, routeQuestion } from "../src/domain/questions.ts";
import { escapeHtml } from "../src/core/html.ts";
import { formatDecimal } from "../src/domain/russian.ts";
import { isLocale } from "../src/bot/i18n.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText, askMulti, askOne } from "./pickers.ts";
import { notify } from "../src/bot/notify.ts";
import { recordSelfAssessment, type TopicScore } from "../src/domain/self-assessment.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";
import { recordIdentification, suggestedDeficits, type IdentificationMethod } from "../src/domain/diagnostics.ts";

export const REQUEST_SCENE = "request";
/** Above this many years of experience a teacher is asked whether she wants a younger colleague (reverse mentoring). */
export const REVERSE_MIN_EXPERIENCE = 3;
export const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;
export const DAY_PART_CODES = ["morning", "day", "evening"] as const;

/** Renders the reasons of a mentor card in the reader's language. */
export function renderReasons(t: T, locale: string, reasons: MentorCard["reasons"]): string[] {
  return reasons.map((r) => {
    const params = { ...r.params };
    if (typeof params.codes === "string") params.topics = params.codes.split(",").filter(Boolean).map((c) => topicLabel(c, locale)).join("; ");
    return `• ${t(`reason-${r.code}`, params)}`;
  });
}

export function renderCard(t: T, locale: string, card: MentorCard, index: number): string {
  const position = card.position === "other" ? escapeHtml(card.positionOther ?? "") : card.position ? t(`position-${card.position}`) : "—";
  const lines = [
    `<b>${index + 1}. ${position}</b>, ${escapeHtml(card.organizationName)}`,
    `${t("profile-label-experienceYears")}: ${card.experienceYears == null ? "—" : t("profile-years", { n: card.experienceYears })}` +
      (card.qualificationCategory ? `; ${t(`category-${card.qualificationCategory}`)}` : ""),
    ...renderReasons(t, locale, card.reasons),
  ];
  return lines.join("\n");
}

/**
 * /request: topics (1–3 from the catalogue, grouped, or "other" with text) → situation → kind of
 * help → mode → convenient times → confirm. The request enters the mentee base; then up to three
 * mentor cards are shown with a "choose" button each and "whoever is free first".
 */
export async function requestScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const telegramId = ctx.from?.id;
  if (telegramId === undefined) return;
  const me = await conversation.external(async () => {
    const u = await findRegisteredUser(telegramId);
    if (!u || !u.roles.some((r) => r.role === "mentee")) return null;
    return { id: u._id.toString(), locale: u.locale ?? "ru", experienceYears: u.profile?.experienceYears ?? null };
  });
  if (!me) {
    await ctx.reply(ctx.t("request-mentees-only"));
    return;
  }
  const services = ctx.services;
  const locale = isLocale(me.locale) ? me.locale : services.config.defaultLocale;
  const t: T = (key, a) => services.t(locale, key, a);

  // 0. A finished deficit diagnostic suggests topics (issue 16): confirm them or choose yourself.
  const topics = new Set<string>();
  let identifiedBy: IdentificationMethod = "self_assessment";
  const started = await sceneNow(conversation, ctx);
  const suggested = await conversation.external(() => suggestedDeficits(me.id, started));
  if (suggested.length > 0) {
    const list = suggested.map((s) => `• ${topicLabel(s.code, locale)} — ${formatDecimal(s.average, locale)}`).join("\n");
    await ctx.reply(t("request-suggested", { list }), {
      reply_markup: new InlineKeyboard().text(t("request-suggested-use"), "rq:sg:yes").row().text(t("request-suggested-change"), "rq:sg:no"),
    });
    const answer = await conversation.waitForCallbackQuery(/^rq:sg:(yes|no)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
    await answer.answerCallbackQuery();
    for (const s of suggested) topics.add(s.code);
    if (answer.match[1] === "yes") identifiedBy = "diagnostic";
  }

  // 1. Topics: pick a group, toggle its items; at most three in total; or "other" with text.
  let otherTopic: string | undefined;
  while (identifiedBy !== "diagnostic") {
    const groupOptions = DEFICIT_GROUPS.map((g) => ({ code: g.code, label: `${g.code}. ${locale === "en" ? g.en : g.ru}` }));
    const chosenLine = [...topics].map((c) => topicLabel(c, locale)).concat(otherTopic ? [escapeHtml(otherTopic)] : []);
    const kb = new InlineKeyboard();
    groupOptions.forEach((g) => kb.text(g.label, `rq:g:${g.code}`).row());
    kb.text(t("request-topic-other"), "rq:g:other").row();
    if (topics.size > 0 || otherTopic) kb.text(t("picker-done"), "rq:g:done");
    await ctx.reply(`${t("request-ask-topics")}${chosenLine.length ? `\n${t("request-chosen")}: <b>${chosenLine.join("; ")}</b>` : ""}`, {
      reply_markup: kb,
    });
    const press = await conversation.waitForCallbackQuery(/^rq:g:([A-G]|other|done)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
    await press.answerCallbackQuery();
    const g = press.match[1] as string;
    if (g === "done") break;
    if (g === "other") {
      otherTopic = await askBoundedText(conversation, ctx, t, { prompt: t("request-ask-other"), min: 3, max: 200, errorKey: "request-error-other" });
      continue;
    }
    const others = [...topics].filter((c) => !c.startsWith(g));
    const room = 3 - others.length;
    const items = DEFICIT_CATALOGUE.filter((d) => d.group === g).map((d) => ({ code: d.code, label: locale === "en" ? d.en : d.ru }));
    const picked = await askMulti(conversation, ctx, t, {
      prompt: t("request-ask-group-items", { max: 3 }),
      prefix: `rq:i`,
      options: items,
      max: Math.max(0, room),
      initial: [...topics].filter((c) => c.startsWith(g)),
      perRow: 1,
    });
    topics.clear();
    for (const c of [...others, ...picked.selected]) topics.add(c);
  }

  // Self-assessment at the start: confidence 1–5 in each chosen catalogue topic.
  const confidence: TopicScore[] = [];
  for (const code of DEFICIT_CATALOGUE.map((d) => d.code).filter((c) => topics.has(c))) {
    const score = await askOne(conversation, ctx, t, {
      prompt: t("request-ask-confidence", { topic: escapeHtml(topicLabel(code, locale)) }),
      prefix: `rq:c:${code}`,
      options: ["1", "2", "3", "4", "5"].map((n) => ({ code: n, label: n })),
      perRow: 5,
    });
    confidence.push({ topic: code, score: Number(score) });
  }

  // 2. Situation, kind of help, mode, convenient times.
  const description = (await askBoundedText(conversation, ctx, t, {
    prompt: t("request-ask-description"),
    min: 10,
    max: 1000,
    errorKey: "request-error-description",
  })) as string;
  const kind = (await askOne(conversation, ctx, t, {
    prompt: t("request-ask-kind"),
    prefix: "rq:k",
    options: REQUEST_KINDS.map((k) => ({ code: k, label: t(`kind-${k}`) })),
    perRow: 1,
  })) as (typeof REQUEST_KINDS)[number];
  // A quick question needs no mode or times: it is answered in chat (issue 11).
  const isQuestion = kind === "question";
  // An experienced teacher may ask a younger colleague for what she is strong in (reverse mentoring, issue 15).
  const reverse =
    !isQuestion && me.experienceYears != null && me.experienceYears > REVERSE_MIN_EXPERIENCE
      ? (await askOne(conversation, ctx, t, {
          prompt: t("rv-request-ask"),
          prefix: "rq:rv",
          options: [
            { code: "no", label: t("rv-request-no") },
            { code: "yes", label: t("rv-request-yes") },
          ],
          perRow: 1,
        })) === "yes"
      : false;
  const mode = isQuestion ? "online" : (await askOne(conversation, ctx, t, {
    prompt: t("request-ask-mode"),
    prefix: "rq:m",
    options: MEETING_MODES.map((m) => ({ code: m, label: t(`mode-${m}`) })),
    perRow: 3,
  })) as (typeof MEETING_MODES)[number];
  const days = isQuestion
    ? { selected: [] as string[] }
    : await askMulti(conversation, ctx, t, {
        prompt: t("request-ask-days"),
        prefix: "rq:d",
        options: WEEKDAYS.map((d) => ({ code: d, label: t(`weekday-${d}`) })),
        perRow: 4,
      });
  const parts = days.selected.length
    ? await askMulti(conversation, ctx, t, {
        prompt: t("request-ask-parts"),
        prefix: "rq:p",
        options: DAY_PART_CODES.map((p) => ({ code: p, label: t(`daypart-${p}`) })),
        min: 1,
        perRow: 3,
      })
    : { selected: [] as string[] };
  const preferredTimes = days.selected.flatMap((d) => parts.selected.map((p) => ({ weekday: Number(d), part: p as (typeof DAY_PART_CODES)[number] })));

  // 3. Summary and confirmation.
  const summary = [
    `<b>${t("request-summary-title")}</b>`,
    `${t("request-label-topics")}: ${[...[...topics].map((c) => topicLabel(c, locale)), ...(otherTopic ? [escapeHtml(otherTopic)] : [])].join("; ")}`,
    `${t("request-label-description")}: ${escapeHtml(description)}`,
    `${t("request-label-kind")}: ${t(`kind-${kind}`)}${reverse ? ` — ${t("rv-marker-reverse")}` : ""}`,
    ...(isQuestion
      ? []
      : [
          `${t("request-label-mode")}: ${t(`mode-${mode}`)}`,
          `${t("request-label-times")}: ${
            preferredTimes.length
              ? `${days.selected.map((d) => t(`weekday-${d}`)).join(", ")}; ${parts.selected.map((p) => t(`daypart-${p}`)).join(", ")}`
              : t("request-times-any")
          }`,
        ]),
  ].join("\n");
  await ctx.reply(summary, {
    reply_markup: new InlineKeyboard().text(t("request-confirm"), "rq:ok").text(t("request-discard"), "rq:no"),
  });
  const confirm = await conversation.waitForCallbackQuery(/^rq:(ok|no)$/, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
  await confirm.answerCallbackQuery();
  if (confirm.match[1] === "no") {
    await confirm.editMessageText(t("request-discarded"));
    return;
  }
  const now = await sceneNow(conversation, ctx);
  const result = await conversation.external(async () => {
    const id = await createRequest({
      menteeUserId: me.id,
      topics: [...topics],
      otherTopic,
      description,
      kind,
      mode,
      preferredTimes,
      ...(reverse ? { reverse: true } : {}),
      now,
    });
    await recordIdentification(id, me.id, identifiedBy);
    if (confidence.length > 0) await recordSelfAssessment({ requestId: id, userId: me.id, phase: "start", scores: confidence, now });
    if (isQuestion) {
      const notices = await routeQuestion(id, now, { scheduler: services.scheduler, timeoutMs: services.config.offerTimeoutMs, hours: services.config.workingHours });
      const author = await User.findById(me.id, { organizationId: 1 }).lean();
      const deadline = await questionDeadlineFor(id, { organizationId: author?.organizationId, locale }, now);
      return { id, cards: [] as MentorCard[], notices, question: true, deadline };
    }
    const proposal = await proposeCandidates(id, now);
    return { id, ...proposal, question: false };
  });
  await confirm.editMessageText(`${summary}\n\n${t("request-saved")}`);
  if (result.question) {
    const routed = result.notices.some((n) => n.key === "question-new");
    // The question's actual deadline in the author's zone (a replay stored before it was returned shows none).
    await ctx.reply(t(routed ? "question-sent" : "question-to-curator", { deadline: "deadline" in result ? (result.deadline ?? "") : "" }));
    await conversation.external(() => notify(ctx, result.notices));
    return;
  }
  if (result.cards.length === 0) {
    await conversation.external(() => notify(ctx, result.notices));
    return;
  }
  const kb = new InlineKeyboard();
  result.cards.forEach((c, i) => kb.text(t("request-choose", { n: i + 1 }), `rc:${result.id}:${c.mentorProfileId}`));
  kb.row().text(t("request-any"), `rc:${result.id}:any`);
  await ctx.reply([t("request-cards-title"), ...result.cards.map((c, i) => renderCard(t, locale, c, i))].join("\n\n"), { reply_markup: kb });
}
