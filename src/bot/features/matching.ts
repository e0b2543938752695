import { markCuratorObservation } from "../../domain/diagnostics.ts";
import { genderArg } from "../../domain/russian.ts";
import { Composer, InlineKeyboard } from "grammy";
import { isRegistered, uiLocale, type BotContext } from "../context.ts";
import { Types } from "mongoose";
import { MentorProfile, MentorshipRequest, OPEN_REQUEST_STATUSES, User, type RequestStatus } from "../../../models/index.ts";
import { acceptOffer, assignByCurator, chooseMentor, closeRequest, confirmPairConsent, offerDeadlineFor, pairConsentFacts, pairConsentQuestion, type RequestDeps } from "../../domain/requests.ts";
import { pairForm } from "../../domain/export.ts";
import { buildMatchRequest, findMatches, organizationsRequiringTraining } from "../../domain/matching.ts";
import { trainedEnough, trainingRequiredFor } from "../../domain/training.ts";
import { formatDateInZone } from "../../core/datetime.ts";
import { curatorOrganizationIds, isAdmin, isCuratorOf } from "../../domain/roles.ts";
import { notify } from "../notify.ts";
import { enterScene } from "../scenes.ts";
import { escapeHtml } from "../../core/html.ts";
import {
  ASSIGN_OVERRIDE_SCENE,
  MENTOR_PROFILE_SCENE,
  MENTOR_REGISTRY_SCENE,
  OFFER_ANSWER_SCENE,
  OFFER_DECLINE_SCENE,
  OFFER_QUESTION_SCENE,
  REQUEST_SCENE,
} from "../../../scenes/index.ts";
import { topicLabel } from "../../domain/deficits.ts";
import { registryByKindergarten } from "../../domain/network.ts";
import { drillButtons, DRILL_MAX } from "../../messaging/digest-view.ts";
import { isMentor, offerMentorApplication } from "./mentor-applications.ts";
import { organizationById, organizationsByIds } from "../../db/organization-cache.ts";

const PAGE = 5;

/** Takes the pressed button off its message (other buttons, e.g. in a list, stay). */
async function removePressedButton(ctx: BotContext): Promise<void> {
  const rows = ctx.callbackQuery?.message?.reply_markup?.inline_keyboard;
  if (!rows) return;
  const data = ctx.callbackQuery?.data;
  const kept = rows.map((row) => row.filter((b) => !("callback_data" in b) || b.callback_data !== data)).filter((row) => row.length > 0);
  await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: kept } }).catch((err: unknown) => ctx.log.debug({ err }, "could not update the keyboard"));
}


function requestDeps(ctx: BotContext): RequestDeps {
  return ctx.services.requestDeps;
}

async function deny(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true });
  else await ctx.reply(ctx.t("not-allowed"));
}

/** Organizations whose requests and mentors this user may manage (null = all, for admins). */
async function managedOrgs(ctx: BotContext): Promise<string[] | null> {
  if (!isRegistered(ctx)) return [];
  if (isAdmin(ctx.user, ctx.services.config.adminIds)) return null;
  return curatorOrganizationIds(ctx.user);
}

function age(ctx: BotContext, from: Date, now: Date): string {
  const hours = Math.floor((now.getTime() - from.getTime()) / 3_600_000);
  return hours < 48 ? ctx.t("age-hours", { n: hours }) : ctx.t("age-days", { n: Math.floor(hours / 24) });
}

async function listRequests(ctx: BotContext, page: number): Promise<void> {
  const orgs = await managedOrgs(ctx);
  if (orgs !== null && orgs.length === 0) return deny(ctx);
  const open: RequestStatus[] = [...OPEN_REQUEST_STATUSES];
  const filter = { status: { $in: open }, ...(orgs ? { organizationId: { $in: orgs.map((o) => new Types.ObjectId(o)) } } : {}) };
  const total = await MentorshipRequest.countDocuments(filter);
  if (total === 0) return void (await ctx.reply(ctx.t("requests-none")));
  const pages = Math.ceil(total / PAGE);
  const p = Math.min(Math.max(1, page), pages);
  const items = await MentorshipRequest.find(filter).sort({ createdAt: 1, _id: 1 }).skip((p - 1) * PAGE).limit(PAGE).lean();
  const now = ctx.services.clock.now();
  const mentees = await User.find({ _id: { $in: items.map((i) => i.menteeId) } }, { profile: 1 }).lean();
  const locale = await ctx.i18n.getLocale();
  const kb = new InlineKeyboard();
  const lines = items.map((r, i) => {
    const name = mentees.find((m) => m._id.equals(r.menteeId))?.profile?.fullName ?? "—";
    const created = (r as { createdAt?: Date }).createdAt ?? now;
    kb.text(`${(p - 1) * PAGE + i + 1}`, `rq:o:${r._id}`);
    return `${(p - 1) * PAGE + i + 1}. ${escapeHtml(name)} — ${r.topics.map((c) => topicLabel(c, locale)).join("; ") || escapeHtml(r.otherTopic ?? "")} — ${ctx.t(`status-${r.status}`)}, ${age(ctx, created, now)}`;
  });
  kb.row();
  if (p > 1) kb.text("◀️", `rq:l:${p - 1}`);
  if (p < pages) kb.text("▶️", `rq:l:${p + 1}`);
  await ctx.reply([ctx.t("requests-title", { total, page: p, pages }), ...lines].join("\n"), { reply_markup: kb });
}

async function openRequest(ctx: BotContext, requestId: string): Promise<void> {
  const request = await MentorshipRequest.findById(requestId).lean();
  const orgs = await managedOrgs(ctx);
  if (!request || (orgs !== null && !orgs.includes(request.organizationId.toString()))) return deny(ctx);
  const mentee = await User.findById(request.menteeId, { profile: 1 }).lean();
  const org = await organizationById(request.organizationId);
  const locale = await ctx.i18n.getLocale();
  const now = ctx.services.clock.now();
  const lines = [
    `<b>${ctx.t("request-card-title")}</b> — ${ctx.t(`status-${request.status}`)}, ${age(ctx, (request as { createdAt?: Date }).createdAt ?? now, now)}`,
    `${escapeHtml(mentee?.profile?.fullName ?? "—")}, ${escapeHtml(org?.shortName ?? "")}`,
    `${ctx.t("request-label-topics")}: ${[...request.topics.map((c) => topicLabel(c, locale)), ...(request.otherTopic ? [escapeHtml(request.otherTopic)] : [])].join("; ")}`,
    `${ctx.t("request-label-description")}: ${escapeHtml(request.description)}`,
    `${ctx.t("request-label-kind")}: ${ctx.t(`kind-${request.kind}`)}; ${ctx.t(`mode-${request.mode}`)}`,
    ...(request.identifiedBy ? [`${ctx.t("qs-identified-label")}: ${ctx.t(`xl-identified-${request.identifiedBy}`)}`] : []),
  ];
  const kb = new InlineKeyboard();
  if (request.status !== "cancelled" && request.identifiedBy !== "curator_observation") kb.text(ctx.t("qs-btn-observed"), `rq:ob:${request._id}`).row();
  if (["new", "offered", "escalated", "matched"].includes(request.status)) kb.text(ctx.t(request.status === "matched" ? "request-reassign" : "request-assign"), `rq:as:${request._id}`);
  if ((OPEN_REQUEST_STATUSES as readonly string[]).includes(request.status)) kb.text(ctx.t("request-close"), `rq:cl:${request._id}`);
  await ctx.reply(lines.join("\n"), { reply_markup: kb });
}

/** Candidates for a manual assignment: the ranked matches first, then the rest of the registry in scope. */
async function showAssignCandidates(ctx: BotContext, requestId: string): Promise<void> {
  const request = await MentorshipRequest.findById(requestId);
  const orgs = await managedOrgs(ctx);
  if (!request || (orgs !== null && !orgs.includes(request.organizationId.toString()))) return deny(ctx);
  const req = await buildMatchRequest(request);
  const ranked = await findMatches(req, { now: ctx.services.clock.now(), limit: 5 });
  const scopeOrgs = orgs ?? [request.organizationId.toString(), ...req.networkOrgIds];
  const others = await MentorProfile.find({ organizationId: { $in: scopeOrgs }, _id: { $nin: ranked.map((r) => r.mentorId) } })
    .limit(10)
    .lean();
  const ids = [...ranked.map((r) => r.mentorId), ...others.map((o) => o._id.toString())];
  if (ids.length === 0) return void (await ctx.reply(ctx.t("assign-no-mentors")));
  const profiles = await MentorProfile.find({ _id: { $in: ids } }).lean();
  const users = await User.find({ _id: { $in: profiles.map((p) => p.userId) } }, { profile: 1 }).lean();
  const kb = new InlineKeyboard();
  const lines = ids.map((id, i) => {
    const p = profiles.find((x) => x._id.toString() === id);
    const u = users.find((x) => p && x._id.equals(p.userId));
    kb.text(String(i + 1), `rq:pk:${requestId}:${id}`);
    if ((i + 1) % 5 === 0) kb.row();
    const fit = i < ranked.length ? "✅" : "⚠️";
    return `${i + 1}. ${fit} ${escapeHtml(u?.profile?.fullName ?? "—")} — ${ctx.t("mentor-load", { active: p?.activeMentees ?? 0, capacity: p?.capacity ?? 0 })}`;
  });
  await ctx.reply([ctx.t("assign-pick"), ...lines].join("\n"), { reply_markup: kb });
}

/**
 * /mentors: the registry of the person's scope. A network (or several kindergartens) first gets a
 * line per kindergarten with a button to open that kindergarten's registry alone (`mr:k:<orgId>`,
 * re-checked against the scope on the press); the list then names each mentor's kindergarten.
 */
async function listMentors(ctx: BotContext, drill?: string): Promise<void> {
  const managed = await managedOrgs(ctx);
  if (managed !== null && managed.length === 0) return deny(ctx);
  if (drill !== undefined && (managed !== null ? !managed.includes(drill) : !(await organizationById(drill)))) {
    return void (ctx.callbackQuery ? await ctx.answerCallbackQuery({ text: ctx.t("nw-drill-refused"), show_alert: true }) : await ctx.reply(ctx.t("nw-drill-refused")));
  }
  if (drill !== undefined) await ctx.answerCallbackQuery();
  const orgs = drill !== undefined ? [drill] : managed;
  const now = ctx.services.clock.now();
  const several = orgs !== null && orgs.length > 1;
  const orgNames = several ? new Map([...(await organizationsByIds(orgs)).values()].map((o) => [o._id.toString(), o.shortName])) : new Map<string, string>();
  if (several && orgs.length <= DRILL_MAX) {
    const all = await MentorProfile.find({ organizationId: { $in: orgs } }, { organizationId: 1, approved: 1, activeMentees: 1, capacity: 1, freeSlots: 1, pausedUntil: 1 }).lean();
    const rows = registryByKindergarten(orgs, orgNames, all, now);
    const kb = new InlineKeyboard();
    drillButtons(kb, rows, "mr:k");
    await ctx.reply(
      [ctx.t("nw-mentors-breakdown", { n: rows.length }), ...rows.map((r) => ctx.t("nw-mentors-kg-line", { name: escapeHtml(r.name), approved: r.approved, pending: r.pending, active: r.active, capacity: r.capacity, free: r.free }))].join("\n"),
      { reply_markup: kb },
    );
  }
  const profiles = await MentorProfile.find(orgs ? { organizationId: { $in: orgs } } : {}).sort({ approved: 1, createdAt: 1 }).limit(50).lean();
  if (profiles.length === 0) return void (await ctx.reply(ctx.t("mentors-none")));
  const users = await User.find({ _id: { $in: profiles.map((p) => p.userId) } }, { profile: 1 }).lean();
  const requiring = await organizationsRequiringTraining([...new Set(profiles.map((p) => p.organizationId.toString()))]);
  const kb = new InlineKeyboard();
  const lines = profiles.map((p, i) => {
    const name = users.find((u) => u._id.equals(p.userId))?.profile?.fullName ?? "—";
    const untrained = !trainedEnough(requiring.has(p.organizationId.toString()), p.trainingsAttended);
    const state = !p.approved
      ? ctx.t("mentor-state-pending")
      : p.pausedUntil && p.pausedUntil > now
        ? ctx.t("mentor-state-paused")
        : untrained
          ? ctx.t("mentor-state-untrained")
          : p.freeSlots <= 0
            ? ctx.t("mentor-state-full")
            : ctx.t("mentor-state-ready");
    kb.text(`${p.approved ? "" : "✅ "}${i + 1}`, `mr:o:${p._id}`);
    if ((i + 1) % 6 === 0) kb.row();
    const where = several ? ` (${escapeHtml(orgNames.get(p.organizationId.toString()) ?? "")})` : "";
    return `${i + 1}. ${escapeHtml(name)}${where} — ${ctx.t("mentor-load", { active: p.activeMentees, capacity: p.capacity })}, ${state}; ${ctx.t("training-list-count", { n: p.trainingsAttended ?? 0 })}; ${p.competences.join(", ")}`;
  });
  kb.row().text(ctx.t("menu-training"), "m:training");
  const title = drill !== undefined ? `${ctx.t("mentors-title", { total: profiles.length })} — ${escapeHtml(orgNames.get(drill) ?? (await organizationById(drill))?.shortName ?? "")}` : ctx.t("mentors-title", { total: profiles.length });
  await ctx.reply([title, ...lines].join("\n"), { reply_markup: kb });
}

/** One registry entry with the curator's edit buttons (approval, pause, capacity). */
async function mentorCard(ctx: BotContext, profileId: string): Promise<{ text: string; keyboard: InlineKeyboard } | null> {
  const p = await MentorProfile.findById(profileId).lean();
  if (!p) return null;
  const [user, org] = await Promise.all([
    User.findById(p.userId, { profile: 1 }).lean(),
    organizationById(p.organizationId),
  ]);
  const locale = await ctx.i18n.getLocale();
  const now = ctx.services.clock.now();
  const paused = Boolean(p.pausedUntil && p.pausedUntil > now);
  const untrained = !trainedEnough(org?.mentorTrainingRequired === true, p.trainingsAttended);
  const text = [
    `<b>${escapeHtml(user?.profile?.fullName ?? "—")}</b>, ${escapeHtml(org?.shortName ?? "")}`,
    `${ctx.t("mentor-label-competences")}: ${p.competences.map((c) => topicLabel(c, locale)).join("; ") || "—"}`,
    `${ctx.t("mentor-label-capacity")}: ${ctx.t("mentor-load", { active: p.activeMentees, capacity: p.capacity })}`,
    ctx.t("training-card-line", {
      n: p.trainingsAttended ?? 0,
      last: p.lastTrainingAt ? formatDateInZone(p.lastTrainingAt, org?.timezone ?? "Europe/Moscow", locale === "en" ? "en" : "ru") : "—",
    }),
    `${ctx.t(p.approved ? (untrained ? "mentor-state-untrained" : "mentor-state-ready") : "mentor-state-pending")}${paused ? `, ${ctx.t("mentor-state-paused")}` : ""}`,
    ...(untrained ? [ctx.t("training-card-not-ready")] : []),
  ].join("\n");
  const keyboard = new InlineKeyboard()
    .text(ctx.t(p.approved ? "registry-unapprove" : "registry-approve"), `mr:${p.approved ? "un" : "ap"}:${p._id}`)
    .text(ctx.t(paused ? "registry-resume" : "registry-pause"), `mr:${paused ? "rs" : "ps"}:${p._id}`)
    .row()
    .text("➖", `mr:c-:${p._id}`)
    .text(ctx.t("mentor-label-capacity"), `mr:o:${p._id}`)
    .text("➕", `mr:c+:${p._id}`);
  return { text, keyboard };
}

/** Curator edits of a registry entry; the scope and the current value are checked on every press. */
async function editRegistry(ctx: BotContext, action: string, profileId: string): Promise<boolean> {
  const p = await MentorProfile.findById(profileId).lean();
  if (!p || !isRegistered(ctx) || !(isAdmin(ctx.user, ctx.services.config.adminIds) || (await isCuratorOf(ctx.user, p.organizationId.toString())))) return false;
  const now = ctx.services.clock.now();
  switch (action) {
    case "ap":
      await MentorProfile.updateOne({ _id: p._id, approved: false }, { $set: { approved: true, approvedAt: now, approvedBy: ctx.user?._id } });
      break;
    case "un":
      await MentorProfile.updateOne({ _id: p._id, approved: true }, { $set: { approved: false }, $unset: { approvedAt: 1, approvedBy: 1 } });
      break;
    case "ps":
      await MentorProfile.updateOne({ _id: p._id }, { $set: { pausedUntil: new Date(now.getTime() + 30 * 86_400_000) } });
      break;
    case "rs":
      await MentorProfile.updateOne({ _id: p._id }, { $unset: { pausedUntil: 1 } });
      break;
    case "c+":
    case "c-": {
      const delta = action === "c+" ? 1 : -1;
      const next = p.capacity + delta;
      // Capacity stays within 1–20 and never below the mentees the mentor already has.
      if (next < Math.max(1, p.activeMentees) || next > 20) break;
      await MentorProfile.updateOne({ _id: p._id, capacity: p.capacity }, { $set: { capacity: next }, $inc: { freeSlots: delta } });
      break;
    }
  }
  return true;
}

/** Requests, the mentor registry, offers and pairs: commands and buttons, every press re-authorized. */
export function matchingFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");

  pm.command("request", async (ctx) => {
    if (!isRegistered(ctx)) return void (await ctx.reply(ctx.t("not-registered")));
    await enterScene(ctx, REQUEST_SCENE);
  });
  pm.command("mentor", async (ctx) => {
    if (!isRegistered(ctx)) return void (await ctx.reply(ctx.t("not-registered")));
    // A teacher who is not a mentor yet may offer herself (stage III); mentors edit their registry profile.
    if (!isMentor(ctx)) return offerMentorApplication(ctx);
    await enterScene(ctx, MENTOR_PROFILE_SCENE);
  });
  // Registry details (seed 003): only a mentor with a profile; the scene re-checks on every save.
  composer.callbackQuery("mp:reg", async (ctx) => {
    if (!isRegistered(ctx) || !isMentor(ctx)) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    await ctx.answerCallbackQuery();
    await enterScene(ctx, MENTOR_REGISTRY_SCENE);
  });
  pm.command("requests", (ctx) => listRequests(ctx, 1));
  pm.command("mentors", (ctx) => listMentors(ctx));
  composer.callbackQuery(/^mr:k:([0-9a-f]{24})$/, (ctx) => listMentors(ctx, ctx.match[1]));
  composer.callbackQuery(/^m:(request|mentor|requests|mentors)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!isRegistered(ctx)) return void (await ctx.reply(ctx.t("not-registered")));
    switch (ctx.match[1]) {
      case "request":
        return enterScene(ctx, REQUEST_SCENE);
      case "mentor":
        if (!isMentor(ctx)) return offerMentorApplication(ctx);
        return enterScene(ctx, MENTOR_PROFILE_SCENE);
      case "requests":
        return listRequests(ctx, 1);
      case "mentors":
        return listMentors(ctx);
    }
  });

  // The mentee picks a mentor card, or "whoever is free first".
  composer.callbackQuery(/^rc:([0-9a-f]{24}):([0-9a-f]{24}|any)$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return deny(ctx);
    const res = await chooseMentor(ctx.match[1] as string, ctx.user._id.toString(), ctx.match[2] as string, ctx.services.clock.now(), requestDeps(ctx));
    if (!res.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t("request-choice-stale"), show_alert: true }));
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    const deadline = ctx.match[2] === "any" ? "" : await offerDeadlineFor(ctx.match[1] as string, { organizationId: ctx.user.organizationId, locale: await uiLocale(ctx) }, ctx.services.clock.now());
    await ctx.reply(ctx.t(ctx.match[2] === "any" ? "request-sent-any" : "request-sent-one", { deadline }));
    await notify(ctx, res.notices);
  });

  // Offer answers by the mentor it was sent to (checked against the offer, not the button).
  composer.callbackQuery(/^of:(a|d|q):([0-9a-f]{24})$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return deny(ctx);
    const offerId = ctx.match[2] as string;
    const action = ctx.match[1];
    if (action === "a") {
      const res = await acceptOffer(offerId, ctx.user._id.toString(), ctx.services.clock.now(), requestDeps(ctx));
      if (!res.ok) {
        await ctx.answerCallbackQuery({ text: ctx.t(res.reason === "not_yours" ? "not-allowed" : `offer-${res.reason}`), show_alert: true });
        await notify(ctx, res.notices);
        return;
      }
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup({ reply_markup: undefined });
      await notify(ctx, res.notices);
      return;
    }
    await ctx.answerCallbackQuery();
    await enterScene(ctx, action === "d" ? OFFER_DECLINE_SCENE : OFFER_QUESTION_SCENE, offerId);
  });
  composer.callbackQuery(/^qa:([0-9a-f]{24}):([0-9a-f]{24})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!isRegistered(ctx)) return deny(ctx);
    await enterScene(ctx, OFFER_ANSWER_SCENE, ctx.match[1], ctx.match[2]);
  });

  // Pair-assignment consent (Labour Code art. 351.8): the full text first, then "Согласна / Согласен"
  // or "questions to the curator". The text is rebuilt on the server for the record's hash.
  const consentText = async (ctx: BotContext, pairId: string) => {
    const facts = ctx.user ? await pairConsentFacts(pairId, ctx.user._id.toString()) : null;
    if (!facts) return null;
    const term = ctx.t(`doc-term-${facts.kind}`);
    return { facts, text: ctx.t("pair-consent-text", { ...facts.args, kind: pairForm(facts, ctx.t), term }) };
  };
  composer.callbackQuery(/^pc:([0-9a-f]{24})$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return deny(ctx);
    const shown = await consentText(ctx, ctx.match[1] as string);
    if (!shown) return deny(ctx);
    if (shown.facts.consented) return void (await ctx.answerCallbackQuery({ text: ctx.t("pair-consent-already") }));
    await ctx.answerCallbackQuery();
    const kb = new InlineKeyboard()
      .text(ctx.t("pair-consent-agree", { gender: genderArg(ctx.user.profile) }), `pcy:${ctx.match[1]}`)
      .row()
      .text(ctx.t("pair-consent-ask"), `pcq:${ctx.match[1]}`);
    await ctx.reply(shown.text, { reply_markup: kb });
  });
  composer.callbackQuery(/^pcy:([0-9a-f]{24})$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return deny(ctx);
    const shown = await consentText(ctx, ctx.match[1] as string);
    if (!shown) return deny(ctx);
    const side = await confirmPairConsent(ctx.match[1] as string, ctx.user._id.toString(), shown.text, ctx.services.clock.now());
    if (!side) return deny(ctx);
    await ctx.answerCallbackQuery({ text: ctx.t("pair-consent-recorded") });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined });
  });
  composer.callbackQuery(/^pcq:([0-9a-f]{24})$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return deny(ctx);
    const notices = await pairConsentQuestion(ctx.match[1] as string, ctx.user._id.toString());
    if (!notices.length && !(await pairConsentFacts(ctx.match[1] as string, ctx.user._id.toString()))) return deny(ctx);
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t("pair-consent-asked"));
    await notify(ctx, notices);
  });

  // Curator: approve a mentor for matching (stage IV).
  composer.callbackQuery(/^ma:([0-9a-f]{24})$/, async (ctx) => {
    const profile = await MentorProfile.findById(ctx.match[1]).lean();
    const allowed =
      profile && isRegistered(ctx) && (isAdmin(ctx.user, ctx.services.config.adminIds) || (await isCuratorOf(ctx.user, profile.organizationId.toString())));
    if (!profile || !allowed) return deny(ctx);
    const res = await MentorProfile.updateOne({ _id: profile._id, approved: false }, { $set: { approved: true, approvedAt: ctx.services.clock.now(), approvedBy: ctx.user?._id } });
    // Stage IV: when the organization requires a training she has not attended, both are told why no requests come yet.
    const untrained = !trainedEnough(await trainingRequiredFor(profile.organizationId), profile.trainingsAttended);
    const approvedText = untrained ? `${ctx.t("mentor-approved")} ${ctx.t("training-approved-untrained-curator")}` : ctx.t("mentor-approved");
    await ctx.answerCallbackQuery({ text: res.modifiedCount === 1 ? approvedText : ctx.t("mentor-already-approved"), ...(untrained ? { show_alert: true } : {}) });
    await removePressedButton(ctx);
    if (res.modifiedCount === 1) {
      const mentor = await User.findById(profile.userId).lean();
      const key = untrained ? "training-approved-untrained-notice" : "mentor-approved-notice";
      await notify(ctx, mentor?.telegramId ? [{ telegramId: mentor.telegramId, locale: mentor.locale ?? "ru", key }] : []);
    }
  });

  // Curator tools over the registry.
  composer.callbackQuery(/^mr:(o|ap|un|ps|rs|c\+|c-):([0-9a-f]{24})$/, async (ctx) => {
    const [action, id] = [ctx.match[1] as string, ctx.match[2] as string];
    const profile = await MentorProfile.findById(id, { organizationId: 1 }).lean();
    const allowed =
      profile && isRegistered(ctx) && (isAdmin(ctx.user, ctx.services.config.adminIds) || (await isCuratorOf(ctx.user, profile.organizationId.toString())));
    if (!allowed) return deny(ctx);
    if (action !== "o") await editRegistry(ctx, action, id);
    await ctx.answerCallbackQuery();
    const card = await mentorCard(ctx, id);
    if (!card) return;
    if (action === "o") await ctx.reply(card.text, { reply_markup: card.keyboard });
    else await ctx.editMessageText(card.text, { reply_markup: card.keyboard }).catch((err: unknown) => ctx.log.debug({ err }, "card unchanged"));
  });

  // Curator tools over requests.
  composer.callbackQuery(/^rq:l:(\d{1,4})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await listRequests(ctx, Number(ctx.match[1]));
  });
  composer.callbackQuery(/^rq:o:([0-9a-f]{24})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await openRequest(ctx, ctx.match[1] as string);
  });
  composer.callbackQuery(/^rq:as:([0-9a-f]{24})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showAssignCandidates(ctx, ctx.match[1] as string);
  });
  composer.callbackQuery(/^rq:pk:([0-9a-f]{24}):([0-9a-f]{24})$/, async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return deny(ctx);
    const [requestId, mentorId] = [ctx.match[1] as string, ctx.match[2] as string];
    const res = await assignByCurator(
      { requestId, mentorProfileId: mentorId, curator: ctx.user, admin: isAdmin(ctx.user, ctx.services.config.adminIds), now: ctx.services.clock.now() },
      requestDeps(ctx),
    );
    if (res.ok) {
      await ctx.answerCallbackQuery();
      await ctx.reply(ctx.t("assign-done"));
      await notify(ctx, res.notices);
      return;
    }
    if (res.reason === "not_allowed") return deny(ctx);
    await ctx.answerCallbackQuery();
    if (res.reason === "filters") {
      await ctx.reply(ctx.t("assign-filters-failed", { failures: (res.failures ?? []).map((f) => ctx.t(`filter-${f}`)).join("; ") }));
      await enterScene(ctx, ASSIGN_OVERRIDE_SCENE, requestId, mentorId);
      return;
    }
    await ctx.reply(ctx.t(`assign-${res.reason}`));
  });
  // The deficits were identified by the curator's observation (issue 16): re-authorized like closing.
  composer.callbackQuery(/^rq:ob:([0-9a-f]{24})$/, async (ctx) => {
    const request = await MentorshipRequest.findById(ctx.match[1]).lean();
    const orgs = await managedOrgs(ctx);
    if (!request || !ctx.user || (orgs !== null && !orgs.includes(request.organizationId.toString()))) return deny(ctx);
    const ok = await markCuratorObservation(request._id.toString());
    await ctx.answerCallbackQuery({ text: ctx.t(ok ? "qs-observed-ok" : "request-choice-stale") });
    if (ok) await ctx.editMessageReplyMarkup({ reply_markup: undefined });
  });
  composer.callbackQuery(/^rq:cl:([0-9a-f]{24})$/, async (ctx) => {
    const request = await MentorshipRequest.findById(ctx.match[1]).lean();
    const orgs = await managedOrgs(ctx);
    if (!request || !ctx.user || (orgs !== null && !orgs.includes(request.organizationId.toString()))) return deny(ctx);
    const res = await closeRequest(request._id.toString(), ctx.user._id.toString(), ctx.services.clock.now(), requestDeps(ctx));
    await ctx.answerCallbackQuery({ text: ctx.t(res.ok ? "request-closed" : "request-choice-stale") });
    if (res.ok) await ctx.editMessageReplyMarkup({ reply_markup: undefined });
    await notify(ctx, res.notices);
  });
  return composer;
}
