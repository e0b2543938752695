import { Composer, InlineKeyboard } from "grammy";
import { isRegistered, uiLocale, type BotContext } from "../context.ts";
import { AGE_GROUPS, User } from "../../../models/index.ts";
import {
  checkJoin,
  confirmMentorConsent,
  endGroup,
  groupAudienceOrgIds,
  groupView,
  groupsInOrganizations,
  groupsOf,
  joinGroup,
  leaveGroup,
  listCircles,
  listOpenCalls,
  loadGroup,
  mayManageGroup,
  setRecruiting,
  suggestGroups,
  type GroupLean,
} from "../../domain/groups.ts";
import { curatorOrganizationIds, curatorsOf, isAdmin, isCuratorOf } from "../../domain/roles.ts";
import { topicLabel } from "../../domain/deficits.ts";
import { genderArg } from "../../domain/russian.ts";
import { formatInZone } from "../../core/datetime.ts";
import { escapeHtml } from "../../core/html.ts";
import { zoneOfOrganization } from "../../domain/meetings.ts";
import { programOfGroup } from "../../domain/programs.ts";
import { notice } from "../../domain/notices.ts";
import { notify } from "../notify.ts";
import { enterScene } from "../scenes.ts";
import { GROUP_CALL_SCENE, GROUP_FORM_SCENE, GROUP_MEETING_SCENE } from "../../../scenes/groups.ts";
import { isMentor } from "./mentor-applications.ts";
import { allOrganizations, organizationById, organizationsByIds } from "../../db/organization-cache.ts";

const ID = "([0-9a-f]{24})";

async function alert(ctx: BotContext, key: string): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
}

function admin(ctx: BotContext): boolean {
  return Boolean(ctx.user && isAdmin(ctx.user, ctx.services.config.adminIds));
}

/** Who may see a group's card: its mentors and participants, curators of its organization, admins. */
async function maySee(ctx: BotContext, g: GroupLean): Promise<boolean> {
  if (!ctx.user) return false;
  const me = ctx.user._id;
  return g.mentorId.equals(me) || Boolean(g.coMentorId?.equals(me)) || g.memberIds.some((m) => m.equals(me)) || admin(ctx) || (await isCuratorOf(ctx.user, g.organizationId.toString()));
}

function topicText(g: { topic?: string | null }, locale: "ru" | "en"): string {
  if (!g.topic) return "—";
  return g.topic.length === 1 ? g.topic : topicLabel(g.topic, locale);
}

/** One line about a group: title, topic or age group, mentor, seats. */
async function groupLine(ctx: BotContext, g: GroupLean, locale: "ru" | "en"): Promise<string> {
  const mentor = await User.findById(g.mentorId, { profile: 1 }).lean();
  return ctx.t("group-line", {
    title: escapeHtml(g.title),
    about: g.ageGroup ? ctx.t(`age-group-${g.ageGroup}`) : escapeHtml(topicText(g, locale)),
    mentor: escapeHtml(mentor?.profile?.fullName ?? "—"),
    taken: g.seatsTaken,
    size: g.size,
  });
}

async function showCard(ctx: BotContext, groupId: string): Promise<void> {
  const g = await loadGroup(groupId);
  if (!g || !isRegistered(ctx) || !ctx.user || !(await maySee(ctx, g))) return void (await ctx.reply(ctx.t("not-allowed")));
  const now = ctx.services.clock.now();
  const locale = await uiLocale(ctx);
  const v = await groupView(g, now);
  const zone = await zoneOfOrganization(ctx.user.organizationId ?? g.organizationId);
  const lines = [
    `<b>${escapeHtml(v.title)}</b> — ${ctx.t(`group-status-${v.status}`)}`,
    `${ctx.t("group-card-mentor", { name: escapeHtml(v.mentorName) })}${v.coMentorName ? `, ${ctx.t("group-card-comentor", { name: escapeHtml(v.coMentorName) })}` : ""}`,
    `${ctx.t("group-card-topic")}: ${escapeHtml(topicText(g, locale))}${v.ageGroup ? ` · ${ctx.t(`age-group-${v.ageGroup}`)}` : ""}`,
    ctx.t("group-card-seats", { taken: v.taken, size: v.size, recruiting: v.recruiting ? "yes" : "no" }),
    `${ctx.t("group-card-members")}: ${v.members.map((m) => escapeHtml(m.name)).join(", ") || "—"}`,
    ctx.t("group-card-meetings", { held: v.held }),
    ...v.upcoming.map((m) => `• ${formatInZone(m.startAt, zone, locale)} — ${escapeHtml(m.topic)}`),
  ];
  // The group's program (issue 15): its state, opened by the usual program buttons (re-authorized there).
  const program = await programOfGroup(g._id);
  lines.push(ctx.t("group-card-program", { status: ctx.t(`program-status-${program?.status ?? "none"}`), done: program?.items.filter((i) => i.status === "done").length ?? 0, total: program?.items.length ?? 0 }));
  const kb = new InlineKeyboard();
  const me = ctx.user._id;
  const leading = g.mentorId.equals(me) || Boolean(g.coMentorId?.equals(me));
  if (program) kb.text(ctx.t("program-btn-view"), `pg:v:${program._id}`).row();
  if (g.status === "active") {
    if (g.mentorId.equals(me) && (!program || program.status === "draft" || program.status === "returned")) kb.text(ctx.t(program ? "program-btn-edit" : "program-btn-create"), `pg:ed:${g._id}`).row();
    if (leading) kb.text(ctx.t("group-btn-meeting"), `gr:mt:${g._id}`).row();
    if (g.mentorId.equals(me)) kb.text(ctx.t(g.recruiting ? "group-btn-close-joining" : "group-btn-open-joining"), `gr:rc:${g._id}`).row();
    if (await mayManageGroup(g, ctx.user, admin(ctx))) kb.text(ctx.t("group-btn-end"), `gr:end:${g._id}`).row();
    if (g.memberIds.some((m) => m.equals(me))) kb.text(ctx.t("group-btn-leave"), `gr:lv:${g._id}`).row();
  }
  await ctx.reply(lines.join("\n"), { reply_markup: kb });
}

/**
 * /groups: the groups a person leads or takes part in; for a mentor the open call; for a teacher
 * the open calls they may join; for a curator the suggested groups from open requests and the
 * groups of their organizations.
 */
async function showGroups(ctx: BotContext): Promise<void> {
  if (!isRegistered(ctx) || !ctx.user) return void (await ctx.reply(ctx.t("not-registered")));
  const locale = await uiLocale(ctx);
  const me = ctx.user._id.toString();
  const kb = new InlineKeyboard();
  const blocks: string[] = [];
  const mine = await groupsOf(me);
  if (mine.length) {
    blocks.push(`<b>${ctx.t("groups-mine")}</b>`);
    for (const [i, g] of mine.entries()) {
      blocks.push(`${i + 1}. ${await groupLine(ctx, g, locale)}`);
      kb.text(`${i + 1}`, `gr:o:${g._id}`);
    }
    kb.row();
  }
  const open = (await listOpenCalls(me)).filter((g) => !mine.some((x) => x._id.equals(g._id)) && !g.mentorId.equals(me));
  if (open.length) {
    blocks.push("", `<b>${ctx.t("groups-open")}</b>`);
    for (const g of open.slice(0, 10)) {
      blocks.push(`• ${await groupLine(ctx, g, locale)}`);
      if (g.seatsTaken < g.size) kb.text(ctx.t("group-btn-join-named", { title: g.title.slice(0, 30) }), `gr:j:${g._id}`).row();
    }
  }
  if (isMentor(ctx)) kb.text(ctx.t("group-btn-new-call"), "gr:new").row();
  const orgs = admin(ctx) ? null : await curatorOrganizationIds(ctx.user);
  if (orgs === null || orgs.length > 0) {
    const suggestions = await suggestGroups(orgs);
    blocks.push("", `<b>${ctx.t("groups-suggested")}</b>`);
    if (suggestions.length === 0) blocks.push(ctx.t("groups-suggested-none"));
    const names = new Map([...(await organizationsByIds(suggestions.map((s) => s.organizationId))).values()].map((o) => [o._id.toString(), o.shortName]));
    for (const s of suggestions) {
      const label = s.topic.length === 1 ? ctx.t("groups-topic-group", { code: s.topic }) : topicLabel(s.topic, locale);
      blocks.push(`• ${escapeHtml(label)} — ${escapeHtml(names.get(s.organizationId) ?? "")}: ${s.requests.map((r) => escapeHtml(r.name)).join(", ")}`);
      kb.text(ctx.t("group-btn-form", { topic: s.topic, n: s.requests.length }), `gr:f:${s.organizationId}:${s.topic}`).row();
    }
    const inScope = (await groupsInOrganizations(orgs ?? (await allOrganizations()).map((o) => o._id.toString()))).filter(
      (g) => g.status === "active" && !mine.some((x) => x._id.equals(g._id)),
    );
    if (inScope.length) {
      blocks.push("", `<b>${ctx.t("groups-in-scope")}</b>`);
      for (const g of inScope.slice(0, 20)) {
        blocks.push(`• ${await groupLine(ctx, g, locale)}`);
        kb.text(g.title.slice(0, 30), `gr:o:${g._id}`).row();
      }
    }
  }
  if (blocks.length === 0) blocks.push(ctx.t("groups-none"));
  await ctx.reply(blocks.join("\n").trim(), { reply_markup: kb });
}

/** /circles: circles by children's age group in the teacher's organization and networks, with a filter and join buttons. */
async function showCircles(ctx: BotContext, ageGroup?: string): Promise<void> {
  if (!isRegistered(ctx) || !ctx.user) return void (await ctx.reply(ctx.t("not-registered")));
  const locale = await uiLocale(ctx);
  const list = await listCircles(ctx.user._id.toString(), ageGroup);
  const kb = new InlineKeyboard();
  AGE_GROUPS.forEach((a, i) => {
    kb.text(`${a === ageGroup ? "• " : ""}${ctx.t(`age-group-${a}`)}`, `ci:${a}`);
    if (i % 3 === 2) kb.row();
  });
  kb.text(ctx.t("circles-all"), "ci:all").row();
  const me = ctx.user._id;
  const lines = [`<b>${ctx.t("circles-title")}</b>${ageGroup ? ` — ${ctx.t(`age-group-${ageGroup}`)}` : ""}`];
  if (list.length === 0) lines.push(ctx.t("circles-none"));
  for (const g of list) {
    lines.push(`• ${await groupLine(ctx, g, locale)}`);
    if (g.memberIds.some((m) => m.equals(me)) || g.mentorId.equals(me)) kb.text(ctx.t("circles-open", { title: g.title.slice(0, 30) }), `gr:o:${g._id}`).row();
    else if (g.recruiting && g.seatsTaken < g.size) kb.text(ctx.t("group-btn-join-named", { title: g.title.slice(0, 30) }), `gr:j:${g._id}`).row();
  }
  if (isMentor(ctx)) kb.text(ctx.t("group-btn-new-circle"), "gr:new").row();
  await ctx.reply(lines.join("\n"), { reply_markup: kb });
}

/** The consent text for joining a group, rebuilt on the server for the record's hash. */
async function joinConsentText(ctx: BotContext, g: GroupLean): Promise<string> {
  const [mentor, org] = await Promise.all([User.findById(g.mentorId, { profile: 1 }).lean(), organizationById(g.organizationId)]);
  return ctx.t("group-consent-text", {
    name: escapeHtml(ctx.user?.profile?.fullName ?? "—"),
    gender: genderArg(ctx.user?.profile),
    title: escapeHtml(g.title),
    mentor: escapeHtml(mentor?.profile?.fullName ?? "—"),
    organization: escapeHtml(org?.shortName ?? ""),
    role: "mentee",
  });
}

async function mentorConsentText(ctx: BotContext, g: GroupLean): Promise<string> {
  const org = await organizationById(g.organizationId);
  return ctx.t("group-consent-text", {
    name: escapeHtml(ctx.user?.profile?.fullName ?? "—"),
    gender: genderArg(ctx.user?.profile),
    title: escapeHtml(g.title),
    mentor: escapeHtml(ctx.user?.profile?.fullName ?? "—"),
    organization: escapeHtml(org?.shortName ?? ""),
    role: "mentor",
  });
}

/**
 * Mentoring groups and circles: /groups, /circles, the curator's forming from suggested requests,
 * the mentor's open call, joining with consent, leaving, ending, group meetings. Every press is
 * re-authorized against the group as it is now (role, organization, state, free seats).
 */
export function groupsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  pm.command("groups", showGroups);
  pm.command("circles", (ctx) => showCircles(ctx));
  composer.callbackQuery(/^m:(groups|circles)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    return ctx.match[1] === "groups" ? showGroups(ctx) : showCircles(ctx);
  });
  composer.callbackQuery(/^ci:(all|nursery|junior|middle|senior|preparatory)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showCircles(ctx, ctx.match[1] === "all" ? undefined : ctx.match[1]);
  });
  composer.callbackQuery(new RegExp(`^gr:o:${ID}$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    await showCard(ctx, ctx.match[1] as string);
  });

  // The curator forms a group from a suggestion (scope checked here and again by the service).
  composer.callbackQuery(new RegExp(`^gr:f:${ID}:([A-Z][0-9]{0,2})$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const orgId = ctx.match[1] as string;
    if (!admin(ctx) && !(await isCuratorOf(ctx.user, orgId))) return alert(ctx, "not-allowed");
    await ctx.answerCallbackQuery();
    await enterScene(ctx, GROUP_FORM_SCENE, orgId, ctx.match[2]);
  });

  // The mentor's open call (or a circle).
  composer.callbackQuery("gr:new", async (ctx) => {
    if (!isRegistered(ctx) || !isMentor(ctx)) return alert(ctx, "not-allowed");
    await ctx.answerCallbackQuery();
    await enterScene(ctx, GROUP_CALL_SCENE);
  });

  // Joining: the consent text first, then "agree and join" or "questions to the curator".
  composer.callbackQuery(new RegExp(`^gr:j:${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const check = await checkJoin(ctx.match[1] as string, ctx.user._id.toString());
    if (!check.ok) return alert(ctx, `group-join-${check.reason}`);
    await ctx.answerCallbackQuery();
    const kb = new InlineKeyboard()
      .text(ctx.t("group-consent-agree", { gender: genderArg(ctx.user.profile) }), `gr:jy:${check.group._id}`)
      .row()
      .text(ctx.t("pair-consent-ask"), `gr:jq:${check.group._id}`);
    await ctx.reply(await joinConsentText(ctx, check.group), { reply_markup: kb });
  });
  composer.callbackQuery(new RegExp(`^gr:jy:${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const check = await checkJoin(ctx.match[1] as string, ctx.user._id.toString());
    if (!check.ok) return alert(ctx, `group-join-${check.reason}`);
    const res = await joinGroup(ctx.match[1] as string, ctx.user._id.toString(), await joinConsentText(ctx, check.group), ctx.services.clock.now());
    if (!res.ok) return alert(ctx, `group-join-${res.reason}`);
    await ctx.answerCallbackQuery({ text: ctx.t("pair-consent-recorded") });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch((err: unknown) => ctx.log.debug({ err }, "keyboard unchanged"));
    await ctx.reply(ctx.t("group-joined", { title: escapeHtml(check.group.title) }), { reply_markup: new InlineKeyboard().text(ctx.t("group-btn-open"), `gr:o:${check.group._id}`) });
    await notify(ctx, res.notices);
  });
  composer.callbackQuery(new RegExp(`^gr:jq:${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const g = await loadGroup(ctx.match[1] as string);
    if (!g || !ctx.user.organizationId || !(await groupAudienceOrgIds(g)).includes(ctx.user.organizationId.toString())) return alert(ctx, "not-allowed");
    await ctx.answerCallbackQuery();
    const contact = ctx.user.username ? `@${ctx.user.username}` : `<a href="tg://user?id=${ctx.user.telegramId}">${escapeHtml(ctx.user.profile?.fullName ?? "")}</a>`;
    const curators = await curatorsOf(g.organizationId.toString());
    await ctx.reply(ctx.t("pair-consent-asked"));
    await notify(ctx, curators.flatMap((c) => notice(c, "group-consent-question-curator", { name: escapeHtml(ctx.user?.profile?.fullName ?? "—"), title: escapeHtml(g.title), contact })));
  });

  // The lead mentor's consent to a curator's group.
  composer.callbackQuery(new RegExp(`^gr:c:${ID}$`), async (ctx) => {
    const g = await loadGroup(ctx.match[1] as string);
    if (!g || !isRegistered(ctx) || !ctx.user || !g.mentorId.equals(ctx.user._id) || g.status !== "active") return alert(ctx, "not-allowed");
    if (g.mentorConsentAt) return void (await ctx.answerCallbackQuery({ text: ctx.t("pair-consent-already") }));
    await ctx.answerCallbackQuery();
    const kb = new InlineKeyboard().text(ctx.t("group-consent-agree", { gender: genderArg(ctx.user.profile) }), `gr:cy:${g._id}`);
    await ctx.reply(await mentorConsentText(ctx, g), { reply_markup: kb });
  });
  composer.callbackQuery(new RegExp(`^gr:cy:${ID}$`), async (ctx) => {
    const g = await loadGroup(ctx.match[1] as string);
    if (!g || !isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const res = await confirmMentorConsent(g._id.toString(), ctx.user._id.toString(), await mentorConsentText(ctx, g), ctx.services.clock.now());
    if (!res) return alert(ctx, "not-allowed");
    await ctx.answerCallbackQuery({ text: ctx.t(res === "recorded" ? "pair-consent-recorded" : "pair-consent-already") });
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch((err: unknown) => ctx.log.debug({ err }, "keyboard unchanged"));
  });

  // Leaving (a participant) and ending (the lead mentor or a curator): confirm first.
  composer.callbackQuery(new RegExp(`^gr:(lv|end):${ID}$`), async (ctx) => {
    const g = await loadGroup(ctx.match[2] as string);
    if (!g || !isRegistered(ctx) || !ctx.user || g.status !== "active") return alert(ctx, "group-stale");
    const leaving = ctx.match[1] === "lv";
    if (leaving ? !g.memberIds.some((m) => m.equals(ctx.user?._id)) : !(await mayManageGroup(g, ctx.user, admin(ctx)))) return alert(ctx, "not-allowed");
    await ctx.answerCallbackQuery();
    const kb = leaving
      ? new InlineKeyboard().text(ctx.t("group-leave-yes"), `gr:ly:${g._id}`)
      : new InlineKeyboard().text(ctx.t("group-end-completed"), `gr:ec:${g._id}`).row().text(ctx.t("group-end-early"), `gr:et:${g._id}`);
    await ctx.reply(ctx.t(leaving ? "group-leave-confirm" : "group-end-confirm", { title: escapeHtml(g.title) }), { reply_markup: kb });
  });
  composer.callbackQuery(new RegExp(`^gr:ly:${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const res = await leaveGroup(ctx.match[1] as string, ctx.user._id.toString(), ctx.services.clock.now(), ctx.services.requestDeps);
    if (!res.ok) return alert(ctx, "group-stale");
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch((err: unknown) => ctx.log.debug({ err }, "keyboard unchanged"));
    await ctx.reply(ctx.t("group-left"));
    await notify(ctx, res.notices);
  });
  composer.callbackQuery(new RegExp(`^gr:(ec|et):${ID}$`), async (ctx) => {
    if (!isRegistered(ctx) || !ctx.user) return alert(ctx, "not-allowed");
    const g = await loadGroup(ctx.match[2] as string);
    if (!g || !(await mayManageGroup(g, ctx.user, admin(ctx)))) return alert(ctx, "not-allowed");
    const res = await endGroup(g._id.toString(), ctx.user, admin(ctx), ctx.match[1] === "ec" ? "completed" : "terminated", ctx.services.clock.now(), ctx.services.requestDeps);
    if (!res.ok) return alert(ctx, "group-stale");
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch((err: unknown) => ctx.log.debug({ err }, "keyboard unchanged"));
    await ctx.reply(ctx.t("group-ended-done", { title: escapeHtml(g.title) }));
    await notify(ctx, res.notices);
  });

  // The mentor opens or closes joining.
  composer.callbackQuery(new RegExp(`^gr:rc:${ID}$`), async (ctx) => {
    const g = await loadGroup(ctx.match[1] as string);
    if (!g || !isRegistered(ctx) || !ctx.user || !g.mentorId.equals(ctx.user._id)) return alert(ctx, "not-allowed");
    const ok = await setRecruiting(g._id.toString(), ctx.user._id.toString(), !g.recruiting, !g.recruiting ? Math.max(g.size, Math.min(8, g.seatsTaken + 1)) : undefined);
    if (!ok) return alert(ctx, "group-stale");
    await ctx.answerCallbackQuery({ text: ctx.t(g.recruiting ? "group-joining-closed" : "group-joining-opened") });
    await showCard(ctx, g._id.toString());
  });

  // A group meeting, set by the mentor or co-mentor.
  composer.callbackQuery(new RegExp(`^gr:mt:${ID}$`), async (ctx) => {
    const g = await loadGroup(ctx.match[1] as string);
    const me = ctx.user?._id;
    if (!g || !isRegistered(ctx) || !me || g.status !== "active" || !(g.mentorId.equals(me) || g.coMentorId?.equals(me))) return alert(ctx, "not-allowed");
    if (g.memberIds.length === 0) return alert(ctx, "group-meeting-empty");
    await ctx.answerCallbackQuery();
    await enterScene(ctx, GROUP_MEETING_SCENE, g._id.toString());
  });
  return composer;
}
