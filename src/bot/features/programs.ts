import { Composer, InlineKeyboard, InputFile } from "grammy";
import { isRegistered, uiLocale, type BotContext } from "../context.ts";
import { MentoringGroup, Pair, POSITIONS, User } from "../../../models/index.ts";
import type { Types } from "mongoose";
import { findAnyOf } from "../../db/read-connection.ts";
import { groupsOf } from "../../domain/groups.ts";
import { activeLongTermPairs, approveProgram, curates, markItemDone, menteeConfirm, openDraft, programArgs, programOfGroup, programOfPair, programsErasureStep, programsForCurator, isMenteeOf, sendGroupProgramOn, takesPart, type ProgramLean, type ProgramResult } from "../../domain/programs.ts";
import { finishPair, programSummary } from "../../domain/program-endings.ts";
import { recordAdaptation, recordSatisfaction } from "../../domain/final-survey.ts";
import { PRACTICE_FIELDS, canViewPractice, listPractices, loadPractice, practiceScope, publishPractice, setOutcome, unpublishPractice, type PracticeField, type PracticeLean } from "../../domain/practices.ts";
import { Program } from "../../../models/index.ts";
import { pairMarkers } from "../../domain/pairs.ts";
import { curatorOrganizationIds, isAdmin } from "../../domain/roles.ts";
import { registerErasureStep } from "../../domain/privacy.ts";
import { notify } from "../notify.ts";
import { enterScene } from "../scenes.ts";
import { clip, escapeHtml } from "../../core/html.ts";
import { zoneOfOrganization } from "../../domain/meetings.ts";
import { PROGRAM_SCENE, PROGRAM_TEXT_SCENE, SELF_ASSESSMENT_END_SCENE } from "../../../scenes/index.ts";
import { DEFICIT_CATALOGUE } from "../../domain/deficits.ts";
import { topicLabel } from "../../domain/deficits.ts";
import { genderArg } from "../../domain/russian.ts";
import { mayGetProgram, practiceDocx, programDocx } from "../../domain/documents/index.ts";
import { allOrganizations } from "../../db/organization-cache.ts";

const ID = "([0-9a-f]{24})";
/** The `$gender` of the person pressing, for Russian endings. */
const g = (ctx: BotContext) => ({ gender: genderArg(ctx.user?.profile) });
/** Documents follow the regulated Russian forms whatever the reader's language. */
const ru = (ctx: BotContext) => (key: string, args?: Record<string, string | number>) => ctx.services.t("ru", key, args);

/** The user as the program services see a curator: with the admin flag from ADMIN_IDS or the role. */
function asCurator(ctx: BotContext) {
  return { ...ctx.user!.toObject(), admin: isAdmin(ctx.user, ctx.services.config.adminIds) };
}

/** May this user act as a curator of the organization (its curator, a network curator, or an admin)? */
function curatesHere(ctx: BotContext, organizationId: { toString(): string }): Promise<boolean> {
  return curates(asCurator(ctx), organizationId);
}

/** Organizations whose programs the user decides on: all of them for an admin. */
async function curatedScope(ctx: BotContext): Promise<string[]> {
  if (isAdmin(ctx.user, ctx.services.config.adminIds)) return (await allOrganizations()).map((o) => o._id.toString());
  return curatorOrganizationIds(ctx.user);
}



/** Answers a button press with the result of a service call: notices sent, or the polite refusal. */
async function settle(ctx: BotContext, res: ProgramResult, okKey: string): Promise<boolean> {
  if (!res.ok) {
    const key = res.reason === "state" ? "program-state-changed" : res.reason === "invalid" ? "program-invalid" : "not-allowed";
    await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
    return false;
  }
  await ctx.answerCallbackQuery({ text: ctx.t(okKey) });
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await notify(ctx, res.notices);
  return true;
}

/** The program card for a viewer, with the buttons their role allows in its current state. */
async function showProgram(ctx: BotContext, p: ProgramLean): Promise<void> {
  const me = ctx.user!._id;
  const zone = await zoneOfOrganization(p.organizationId);
  const { args, keyArgs } = programArgs(p, zone, await uiLocale(ctx));
  for (const [name, key] of Object.entries(keyArgs)) args[name] = ctx.t(key);
  const kb = new InlineKeyboard();
  const participant = await takesPart(p, me);
  const group = p.groupId ? await MentoringGroup.findById(p.groupId, { title: 1, memberIds: 1 }).lean<{ title: string; memberIds: Types.ObjectId[] }>() : null;
  const member = Boolean(group?.memberIds.some((m) => m.equals(me)));
  if (participant && p.status === "active") {
    p.items.forEach((it, i) => {
      if (it.status === "open") kb.text(ctx.t("program-btn-item-done-n", { n: i + 1 }), `pg:dn:${p._id}:${it._id}`).row();
    });
  }
  if (p.mentorId.equals(me) && ["active", "completed", "terminated"].includes(p.status) && !p.outcome) kb.text(ctx.t("program-btn-product"), `pg:pr:${p._id}`).row();
  if (p.mentorId.equals(me) && (p.status === "draft" || p.status === "returned")) kb.text(ctx.t("program-btn-edit"), `pg:ed:${p.pairId ?? p.groupId}`).row();
  // The mentee (a participant of the group who has not confirmed yet) can answer from the card too (the proposal message may be long gone).
  const unconfirmed = group ? member && !(p.confirmedBy ?? []).some((c) => c.equals(me)) : Boolean(p.menteeId?.equals(me));
  if (unconfirmed && p.status === "pending_mentee") kb.text(ctx.t("program-btn-confirm"), `pg:ok:${p._id}`).text(ctx.t("program-btn-changes"), `pg:ch:${p._id}`).row();
  if (group && p.mentorId.equals(me) && p.status === "pending_mentee") kb.text(ctx.t("program-btn-send-on"), `pg:so:${p._id}`).row();
  if (p.status === "pending_curator" && (await curatesHere(ctx, p.organizationId))) {
    kb.text(ctx.t("program-btn-approve"), `pg:ap:${p._id}`).text(ctx.t("program-btn-return"), `pg:rt:${p._id}`).row();
  }
  kb.text(ctx.t("doc-btn-program"), `pg:doc:${p._id}`).row();
  const products = p.products.length ? `\n${ctx.t("program-products", { n: p.products.length })}` : "";
  // A reverse or mutual pair says so on its card (issue 15).
  const pair = p.pairId ? await Pair.findById(p.pairId, { reverse: 1, mutualPairId: 1 }).lean() : null;
  const markers = pair ? pairMarkers(pair).map((k) => ctx.t(`rv-marker-${k}`)) : [];
  // A group's program names the group, its participants and how many confirmed the version sent to them.
  const groupLines = group ? `\n${await groupProgramLines(ctx, p, group)}` : "";
  await ctx.reply(`${ctx.t("program-card", args)}${groupLines}${products}${markers.length ? `\n${markers.join(" · ")}` : ""}`, { reply_markup: kb });
}

async function groupProgramLines(ctx: BotContext, p: ProgramLean, group: { title: string; memberIds: Types.ObjectId[] }): Promise<string> {
  const members = await User.find({ _id: { $in: group.memberIds } }, { profile: 1 }).lean();
  const names = group.memberIds.map((id) => escapeHtml(members.find((u) => u._id.equals(id))?.profile?.fullName ?? "—"));
  const confirmed = group.memberIds.filter((m) => (p.confirmedBy ?? []).some((c) => c.equals(m))).length;
  const lines = [ctx.t("program-group-line", { title: escapeHtml(group.title), names: names.join(", ") || "—" })];
  if (p.status === "pending_mentee") lines.push(ctx.t("program-group-confirmations", { n: confirmed, total: group.memberIds.length }));
  return lines.join("\n");
}

/** /program: the user's long-term pairs with their programs; for curators also what waits for them. */
async function programMenu(ctx: BotContext): Promise<void> {
  if (!isRegistered(ctx) || !ctx.user) return void (await ctx.reply(ctx.t("not-registered")));
  const me = ctx.user._id.toString();
  const pairs = await activeLongTermPairs(me);
  const scope = await curatedScope(ctx);
  const waiting = await programsForCurator(scope);
  // Programs of the user's ended pairs still waiting for the curator's verdict: the mentor can still add products.
  const ended = (await findAnyOf((f) => Program.find(f).lean<ProgramLean[]>(), [{ mentorId: ctx.user._id }, { menteeId: ctx.user._id }], { status: { $in: ["completed", "terminated"] } })).filter(
    (p) => p.approvedAt && !p.outcome,
  );
  // Groups the user leads or takes part in (their seats are not listed as pairs: the group's program is one for all).
  const groups = await groupsOf(me);
  const ownPairs = pairs.filter((pair) => !(pair as { groupId?: unknown }).groupId);
  if (ownPairs.length === 0 && groups.length === 0 && waiting.length === 0 && ended.length === 0) return void (await ctx.reply(ctx.t(scope.length ? "program-curator-none" : "program-none")));
  for (const group of groups) {
    const program = await programOfGroup(group._id);
    const kb = new InlineKeyboard();
    if (program) kb.text(ctx.t("program-btn-view"), `pg:v:${program._id}`).row();
    if (group.mentorId.equals(me) && (!program || program.status === "draft" || program.status === "returned")) kb.text(ctx.t(program ? "program-btn-edit" : "program-btn-create"), `pg:ed:${group._id}`).row();
    await ctx.reply(ctx.t("program-group-menu-line", { title: escapeHtml(group.title), status: ctx.t(`program-status-${program?.status ?? "none"}`) }), { reply_markup: kb });
  }
  for (const pair of ownPairs) {
    const program = await programOfPair(pair._id);
    const partner = await User.findById(pair.mentorId.equals(me) ? pair.menteeId : pair.mentorId, { profile: 1 }).lean();
    const kb = new InlineKeyboard();
    const isMentor = pair.mentorId.equals(me);
    if (program) kb.text(ctx.t("program-btn-view"), `pg:v:${program._id}`).row();
    if (isMentor && (!program || program.status === "draft" || program.status === "returned")) kb.text(ctx.t(program ? "program-btn-edit" : "program-btn-create"), `pg:ed:${pair._id}`).row();
    kb.text(ctx.t("program-btn-end"), `pg:fin:${pair._id}`);
    await ctx.reply(
      ctx.t("program-pair-line", {
        name: escapeHtml(partner?.profile?.fullName ?? "—"),
        role: ctx.t(isMentor ? "role-mentee" : "role-mentor"),
        status: ctx.t(`program-status-${program?.status ?? "none"}`),
      }),
      { reply_markup: kb },
    );
  }
  if (ended.length) {
    const kb = new InlineKeyboard();
    for (const p of ended.slice(0, 10)) kb.text(`${ctx.t(`program-status-${p.status}`)}: ${(p.goal ?? "—").slice(0, 40)}`, `pg:v:${p._id}`).row();
    await ctx.reply(ctx.t("program-ended-waiting", { n: ended.length }), { reply_markup: kb });
  }
  if (waiting.length) {
    const kb = new InlineKeyboard();
    for (const p of waiting.slice(0, 20)) kb.text(`${ctx.t(`program-status-${p.status}`)}: ${(p.goal ?? "—").slice(0, 40)}`, `pg:v:${p._id}`).row();
    await ctx.reply(ctx.t("program-curator-waiting", { n: waiting.length }), { reply_markup: kb });
  }
}

async function showPractice(ctx: BotContext, card: PracticeLean): Promise<void> {
  const lines = [
    `<b>${escapeHtml(card.topic ?? "—")}</b>`,
    ctx.t("practice-card", {
      author: escapeHtml(card.authorName ?? ctx.t("practice-author-removed")),
      organization: escapeHtml(card.organizationName ?? "—"),
      position: escapeHtml(!card.position ? "—" : (POSITIONS as readonly string[]).includes(card.position) ? ctx.t(`position-${card.position}`) : card.position),
      experience: card.experienceYears ?? "—",
      email: escapeHtml(card.email ?? "—"),
      phone: escapeHtml(card.phone ?? "—"),
      goal: escapeHtml(clip(card.goal ?? "—", 500)),
      role: card.roleModel ? ctx.t(`role-model-${card.roleModel}`) : "—",
      results: escapeHtml(clip(card.results ?? "—", 900)),
      content: escapeHtml(clip(card.content ?? "—", 1200)),
      links: card.links.length ? card.links.slice(0, 5).map((l) => escapeHtml(clip(l, 120))).join("\n") : "—",
      status: ctx.t(`practice-status-${card.status}`),
    }),
  ];
  const kb = new InlineKeyboard();
  const author = Boolean(card.authorId?.equals(ctx.user!._id));
  if (author) {
    kb.text(ctx.t("practice-btn-edit"), `bp:e:${card._id}`);
    if (card.status === "draft") kb.text(ctx.t("practice-btn-publish"), `bp:p:${card._id}`);
  }
  if (card.status === "published" && (author || (await curatesHere(ctx, card.organizationId)))) kb.row().text(ctx.t("practice-btn-unpublish"), `bp:u:${card._id}`);
  kb.row().text(ctx.t("doc-btn-practice"), `bp:doc:${card._id}`);
  await ctx.reply(lines.join("\n"), { reply_markup: kb });
  // Photos and files go to others only with the separate photo/video consent (domain §6).
  const mediaShown = author || card.mediaConsentAt || (await curatesHere(ctx, card.organizationId));
  for (const a of mediaShown ? card.attachments.slice(0, 5) : []) {
    if (!a.fileId) continue;
    try {
      if (a.kind === "photo") await ctx.replyWithPhoto(a.fileId);
      else await ctx.replyWithDocument(a.fileId);
    } catch (err) {
      ctx.log.warn({ err, cardId: card._id.toString() }, "a practice attachment could not be sent");
    }
  }
}

/** /practices: the published cards of the user's organization and its network, by deficit topic. */
async function practicesMenu(ctx: BotContext, topic?: string): Promise<void> {
  if (!isRegistered(ctx) || !ctx.user) return void (await ctx.reply(ctx.t("not-registered")));
  const scope = await practiceScope(ctx.user.organizationId);
  const all = await listPractices(scope);
  if (all.length === 0) return void (await ctx.reply(ctx.t("practices-none")));
  const locale = await uiLocale(ctx);
  const shown = topic ? all.filter((c) => c.topics.includes(topic)) : all;
  const kb = new InlineKeyboard();
  for (const c of shown.slice(0, 20)) kb.text((c.topic ?? "—").slice(0, 60), `bp:v:${c._id}`).row();
  const present = DEFICIT_CATALOGUE.filter((d) => all.some((c) => c.topics.includes(d.code)));
  for (const d of present) kb.text(`${topic === d.code ? "✅ " : ""}${topicLabel(d.code, locale).slice(0, 40)}`, `pr:t:${d.code}`).row();
  if (topic) kb.text(ctx.t("practices-all"), "pr:all");
  const heading = topic ? ctx.t("practices-topic", { topic: escapeHtml(topicLabel(topic, locale)), n: shown.length }) : ctx.t("practices-title", { n: all.length });
  await ctx.reply(heading, { reply_markup: kb });
}

/** Personalised programs, the end of a pair, final surveys, best-practice cards and /practices. */
export function programsFeature(): Composer<BotContext> {
  registerErasureStep("programs", programsErasureStep);
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  pm.command("program", programMenu);
  pm.command("practices", (ctx) => practicesMenu(ctx));
  composer.callbackQuery(/^m:(program|practices)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    return ctx.match[1] === "program" ? programMenu(ctx) : practicesMenu(ctx);
  });
  composer.callbackQuery(/^pr:(?:t:([A-Z]\d{1,2})|all)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const code = ctx.match[1];
    await practicesMenu(ctx, code && DEFICIT_CATALOGUE.some((d) => d.code === code) ? code : undefined);
  });

  // Every button below re-checks the user and the object's current state on the server.
  composer.callbackQuery(/^(pg|fs|sa|bp):/, async (ctx, next) => {
    if (!isRegistered(ctx) || !ctx.user) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    return next();
  });
  const now = (ctx: BotContext) => ctx.services.clock.now();
  const deps = (ctx: BotContext) => ({ scheduler: ctx.services.scheduler });
  const uid = (ctx: BotContext) => ctx.user!._id.toString();

  composer.callbackQuery(new RegExp(`^pg:ed:${ID}$`), async (ctx) => {
    const res = await openDraft(ctx.match[1] as string, uid(ctx), now(ctx));
    if (!res.ok || !res.programId) return void (await settle(ctx, res.ok ? { ok: false, reason: "state" } : res, ""));
    await ctx.answerCallbackQuery();
    await enterScene(ctx, PROGRAM_SCENE, res.programId);
  });
  composer.callbackQuery(new RegExp(`^pg:v:${ID}$`), async (ctx) => {
    const p = await Program.findById(ctx.match[1]).lean<ProgramLean>();
    const me = ctx.user!._id;
    const allowed = p && ((await takesPart(p, me)) || (await curatesHere(ctx, p.organizationId)));
    if (!p || !allowed) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    await ctx.answerCallbackQuery();
    await showProgram(ctx, p);
    if ((p.status === "completed" || p.status === "terminated") && !p.outcome && (await curatesHere(ctx, p.organizationId))) {
      const kb = new InlineKeyboard();
      if (p.status === "completed") kb.text(ctx.t("program-btn-package"), `pg:pk:${p._id}`);
      kb.text(ctx.t("program-btn-revise"), `pg:rv:${p._id}`);
      // The summary as it stands now (final answers and the closing self-assessment may have come in since the end).
      const { key, args: summary } = await programSummary(p, ctx.user?.locale ?? "ru");
      await ctx.reply(`${ctx.t(key, summary)}\n\n${ctx.t("program-verdict-ask")}`, { reply_markup: kb });
    }
  });
  // Ending a pair: "goal achieved — complete" or "stop early" (the reason is asked in a dialog).
  const participantOfActive = async (ctx: BotContext, pairId: string) => {
    const pair = await Pair.findById(pairId, { mentorId: 1, menteeId: 1, status: 1, kind: 1 }).lean();
    return Boolean(ctx.user && pair && pair.status === "active" && pair.kind === "long_term" && (pair.mentorId.equals(ctx.user._id) || pair.menteeId.equals(ctx.user._id)));
  };
  composer.callbackQuery(new RegExp(`^pg:fin:${ID}$`), async (ctx) => {
    const pairId = ctx.match[1] as string;
    if (!isRegistered(ctx) || !(await participantOfActive(ctx, pairId))) return void (await ctx.answerCallbackQuery({ text: ctx.t("program-state-changed"), show_alert: true }));
    await ctx.answerCallbackQuery();
    const kb = new InlineKeyboard().text(ctx.t("program-btn-goal"), `pg:goal:${pairId}`).row().text(ctx.t("program-btn-early"), `pg:end:${pairId}`);
    await ctx.reply(ctx.t("program-end-how"), { reply_markup: kb });
  });
  composer.callbackQuery(new RegExp(`^pg:goal:${ID}$`), async (ctx) => {
    if (!isRegistered(ctx)) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    await settle(ctx, await finishPair(ctx.match[1] as string, uid(ctx), undefined, now(ctx), deps(ctx), "goal"), "program-ended-ok");
  });
  composer.callbackQuery(new RegExp(`^pg:ok:${ID}$`), async (ctx) => settle(ctx, await menteeConfirm(ctx.match[1] as string, uid(ctx), now(ctx)), "program-confirmed"));
  composer.callbackQuery(new RegExp(`^pg:so:${ID}$`), async (ctx) => settle(ctx, await sendGroupProgramOn(ctx.match[1] as string, uid(ctx), now(ctx)), "program-sent-on"));
  composer.callbackQuery(new RegExp(`^pg:ap:${ID}$`), async (ctx) => settle(ctx, await approveProgram(ctx.match[1] as string, asCurator(ctx), now(ctx), deps(ctx)), "program-approved-ok"));
  composer.callbackQuery(new RegExp(`^pg:dn:${ID}:${ID}$`), async (ctx) =>
    settle(ctx, await markItemDone(ctx.match[1] as string, ctx.match[2] as string, uid(ctx), now(ctx), deps(ctx)), "program-item-marked"),
  );
  composer.callbackQuery(new RegExp(`^pg:(pk|rv):${ID}$`), async (ctx) =>
    settle(ctx, await setOutcome(ctx.match[2] as string, asCurator(ctx), ctx.match[1] === "pk" ? "packaged" : "needs_revision", now(ctx)), "program-verdict-saved"),
  );
  // Text answers: the dialog asks for the text; the service checks the right when it is saved.
  const textAction = (re: RegExp, action: string, check: (ctx: BotContext, id: string) => Promise<boolean>) =>
    composer.callbackQuery(re, async (ctx) => {
      const id = ctx.match[1] as string;
      if (!(await check(ctx, id))) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
      await ctx.answerCallbackQuery();
      await enterScene(ctx, PROGRAM_TEXT_SCENE, action, id);
    });
  const programIs = async (id: string, test: (p: ProgramLean) => boolean | Promise<boolean>) => {
    const p = await Program.findById(id).lean<ProgramLean>();
    return Boolean(p && (await test(p)));
  };
  textAction(new RegExp(`^pg:ch:${ID}$`), "changes", (ctx, id) => programIs(id, async (p) => p.status === "pending_mentee" && (await isMenteeOf(p, ctx.user!._id))));
  textAction(new RegExp(`^pg:rt:${ID}$`), "return", (ctx, id) => programIs(id, async (p) => p.status === "pending_curator" && (await curatesHere(ctx, p.organizationId))));
  textAction(new RegExp(`^pg:pr:${ID}$`), "product", (ctx, id) => programIs(id, (p) => p.mentorId.equals(ctx.user!._id) && !p.outcome && ["active", "completed", "terminated"].includes(p.status)));
  textAction(new RegExp(`^pg:end:${ID}$`), "end", participantOfActive);

  // Final survey: satisfaction, then adaptation (young specialists), then "what changed".
  composer.callbackQuery(new RegExp(`^fs:s:${ID}:([1-5])$`), async (ctx) => {
    const pairId = ctx.match[1] as string;
    const res = await recordSatisfaction(pairId, uid(ctx), Number(ctx.match[2]), now(ctx));
    if (!res.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t(res.reason === "already" ? "survey-already" : "not-allowed"), show_alert: res.reason !== "already" }));
    await ctx.answerCallbackQuery({ text: ctx.t("survey-score-recorded", { score: Number(ctx.match[2]) }) });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    if (res.askAdaptation) {
      const kb = new InlineKeyboard();
      for (const n of [1, 2, 3, 4, 5]) kb.text(String(n), `fs:a:${pairId}:${n}`);
      return void (await ctx.reply(ctx.t("final-survey-ask-adaptation", g(ctx)), { reply_markup: kb }));
    }
    await enterScene(ctx, PROGRAM_TEXT_SCENE, "changed", pairId);
  });
  composer.callbackQuery(new RegExp(`^fs:a:${ID}:([1-5])$`), async (ctx) => {
    const pairId = ctx.match[1] as string;
    const res = await recordAdaptation(pairId, uid(ctx), Number(ctx.match[2]));
    if (!res.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t(res.reason === "already" ? "survey-already" : "not-allowed"), show_alert: res.reason !== "already" }));
    await ctx.answerCallbackQuery({ text: ctx.t("survey-score-recorded", { score: Number(ctx.match[2]) }) });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await enterScene(ctx, PROGRAM_TEXT_SCENE, "changed", pairId);
  });
  composer.callbackQuery(new RegExp(`^sa:e:${ID}$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    await enterScene(ctx, SELF_ASSESSMENT_END_SCENE, ctx.match[1] as string);
  });

  // Best-practice cards: view (author, curators; others once published and in scope), edit, publish with consent.
  composer.callbackQuery(new RegExp(`^bp:v:${ID}$`), async (ctx) => {
    const card = await loadPractice(ctx.match[1] as string);
    if (!card || !(await canViewPractice(card, asCurator(ctx)))) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    await ctx.answerCallbackQuery();
    await showPractice(ctx, card);
  });
  // Documents (.docx, seed 003 forms): re-authorized on every press like the cards themselves.
  composer.callbackQuery(new RegExp(`^bp:doc:${ID}$`), async (ctx) => {
    const card = await loadPractice(ctx.match[1] as string);
    if (!card || !(await canViewPractice(card, asCurator(ctx)))) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    await ctx.answerCallbackQuery();
    const doc = await practiceDocx(card._id.toString(), ru(ctx));
    if (doc) await ctx.replyWithDocument(new InputFile(doc.content, doc.filename), { caption: ctx.t("doc-caption-practice") });
  });
  composer.callbackQuery(new RegExp(`^pg:doc:${ID}$`), async (ctx) => {
    const id = ctx.match[1] as string;
    if (!isRegistered(ctx) || !ctx.user || !(await mayGetProgram(id, ctx.user, isAdmin(ctx.user, ctx.services.config.adminIds)))) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    }
    await ctx.answerCallbackQuery();
    const doc = await programDocx(id, ru(ctx));
    if (doc) await ctx.replyWithDocument(new InputFile(doc.content, doc.filename), { caption: ctx.t("doc-caption-program") });
  });
  composer.callbackQuery(new RegExp(`^bp:e:${ID}$`), async (ctx) => {
    const card = await loadPractice(ctx.match[1] as string);
    if (!card?.authorId?.equals(ctx.user!._id)) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    await ctx.answerCallbackQuery();
    const kb = new InlineKeyboard();
    PRACTICE_FIELDS.forEach((f, i) => {
      kb.text(ctx.t(`practice-field-${f}`), `bp:f:${card._id}:${f}`);
      if (i % 2 === 1) kb.row();
    });
    await ctx.reply(ctx.t("practice-choose-field"), { reply_markup: kb });
  });
  composer.callbackQuery(new RegExp(`^bp:f:${ID}:(${PRACTICE_FIELDS.join("|")})$`), async (ctx) => {
    const card = await loadPractice(ctx.match[1] as string);
    if (!card?.authorId?.equals(ctx.user!._id)) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    await ctx.answerCallbackQuery();
    await enterScene(ctx, PROGRAM_TEXT_SCENE, "practice", card._id.toString(), ctx.match[2] as PracticeField);
  });
  composer.callbackQuery(new RegExp(`^bp:p:${ID}$`), async (ctx) => {
    const card = await loadPractice(ctx.match[1] as string);
    if (!card?.authorId?.equals(ctx.user!._id) || card.status !== "draft") return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    await ctx.answerCallbackQuery();
    // With photos or files, a second, separate consent decides whether they are published too.
    const kb = new InlineKeyboard().text(ctx.t(card.attachments.length ? "practice-btn-consent-text-only" : "practice-btn-consent", g(ctx)), `bp:c:${card._id}`);
    if (card.attachments.length) kb.row().text(ctx.t("practice-btn-consent-media", g(ctx)), `bp:cm:${card._id}`);
    const text = card.attachments.length ? `${ctx.t("practice-consent-text", g(ctx))}\n\n${ctx.t("practice-media-consent-text", { n: card.attachments.length })}` : ctx.t("practice-consent-text", g(ctx));
    await ctx.reply(text, { reply_markup: kb });
  });
  composer.callbackQuery(new RegExp(`^bp:cm:${ID}$`), async (ctx) => {
    // The text as it was shown (with the number of materials) is what the consent record hashes.
    const card = await loadPractice(ctx.match[1] as string);
    const media = { consentText: ctx.t("practice-media-consent-text", { n: card?.attachments.length ?? 0 }) };
    await settle(ctx, await publishPractice(ctx.match[1] as string, uid(ctx), ctx.t("practice-consent-text", g(ctx)), now(ctx), media), "practice-published");
  });
  composer.callbackQuery(new RegExp(`^bp:u:${ID}$`), async (ctx) => settle(ctx, await unpublishPractice(ctx.match[1] as string, asCurator(ctx), now(ctx)), "practice-unpublished"));
  composer.callbackQuery(new RegExp(`^bp:c:${ID}$`), async (ctx) => {
    const text = ctx.t("practice-consent-text", g(ctx));
    await settle(ctx, await publishPractice(ctx.match[1] as string, uid(ctx), text, now(ctx)), "practice-published");
  });
  return composer;
}
