import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { BotContext } from "../context.ts";
import { JoinRequest, User } from "../../../models/index.ts";
import { findUsableInvite, revokeInvite } from "../../domain/invites.ts";
import { inviteBlockedUntil, inviteBurstNotices, minutesUntil, recordInviteFailure } from "../../domain/invite-throttle.ts";
import { Invite } from "../../../models/index.ts";
import { organizationById, organizationsByIds } from "../../db/organization-cache.ts";
import { acceptInviteForRegistered, networkNameOf } from "../../domain/registration.ts";
import { curatorOrganizationIds, grantRole, isAdmin, isCuratorOf } from "../../domain/roles.ts";
import { eraseUser, exportUserData } from "../../domain/privacy.ts";
import { orgLabel } from "../../domain/org-names.ts";
import { enterScene } from "../scenes.ts";
import { notify } from "../notify.ts";
import { notice } from "../../domain/notices.ts";
import { escapeHtml } from "../../core/html.ts";
import { loadMenu, sendMenu } from "../menu.ts";
import { INVITE_SCENE, LANGUAGE_SCENE, ONBOARDING_SCENE, PROFILE_SCENE } from "../../../scenes/index.ts";

function isRegistered(ctx: BotContext): boolean {
  return Boolean(ctx.user?.registeredAt && !ctx.user.erasedAt);
}

async function showMenu(ctx: BotContext): Promise<void> {
  if (!ctx.from) return;
  const menu = await loadMenu(ctx.from.id, ctx.services.config.adminIds);
  if (menu) await sendMenu(ctx, menu, (key, args) => ctx.t(key, args));
  else await ctx.reply(ctx.t("not-registered"));
}

async function canInvite(ctx: BotContext): Promise<boolean> {
  if (!isRegistered(ctx)) return false;
  return isAdmin(ctx.user, ctx.services.config.adminIds) || (await curatorOrganizationIds(ctx.user)).length > 0;
}

async function listJoinRequests(ctx: BotContext): Promise<void> {
  const admin = isAdmin(ctx.user, ctx.services.config.adminIds);
  if (!isRegistered(ctx) || (!admin && (await curatorOrganizationIds(ctx.user)).length === 0)) {
    await ctx.reply(ctx.t("not-allowed"));
    return;
  }
  const orgIds = admin ? undefined : await curatorOrganizationIds(ctx.user);
  const pending = await JoinRequest.find({ status: "pending", ...(orgIds ? { organizationId: { $in: orgIds } } : {}) })
    .sort({ createdAt: 1, _id: 1 })
    .limit(20)
    .lean();
  if (pending.length === 0) {
    await ctx.reply(ctx.t("joins-none"));
    return;
  }
  const users = await User.find({ _id: { $in: pending.map((p) => p.userId) } }, { profile: 1 }).lean();
  const orgs = [...(await organizationsByIds(pending.map((p) => p.organizationId))).values()];
  for (const p of pending) {
    const name = users.find((u) => u._id.equals(p.userId))?.profile?.fullName ?? "—";
    const found = orgs.find((o) => o._id.equals(p.organizationId));
    const org = found ? orgLabel(found) : "—";
    await ctx.reply(ctx.t("join-request-new", { name: escapeHtml(name), organization: escapeHtml(org) }), {
      reply_markup: new InlineKeyboard().text(ctx.t("join-approve"), `jr:a:${p._id}`).text(ctx.t("join-reject"), `jr:r:${p._id}`),
    });
  }
}

async function sendPrivacy(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t("privacy-text"));
}

/** Registration entry, role menu, profile, privacy controls, invitations and join requests. */
export function accountFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const privateChats = composer.chatType("private");

  privateChats.command("start", async (ctx) => {
    const now = ctx.services.clock.now();
    const payload = ctx.match.trim();
    if (payload) {
      // A burst of wrong links blocks the account for a while: its links are not even looked up.
      const blockedUntil = await inviteBlockedUntil(ctx.from.id, now);
      if (blockedUntil) {
        await ctx.reply(ctx.t("invite-throttled", { minutes: minutesUntil(blockedUntil, now) }));
        if (isRegistered(ctx)) await showMenu(ctx);
        return;
      }
    }
    const invite = payload ? await findUsableInvite(payload, now) : undefined;
    if (payload && !invite) {
      await ctx.reply(ctx.t("invite-invalid"));
      const limits = ctx.services.config.inviteThrottle;
      const failure = await recordInviteFailure(ctx.from.id, now, limits);
      if (failure.blockedUntil) {
        await ctx.reply(ctx.t("invite-throttled", { minutes: minutesUntil(failure.blockedUntil, now) }));
        // Admins hear of the burst once: only the failure that starts the block tells them.
        await notify(ctx, await inviteBurstNotices(ctx.from.id, failure, ctx.services.config.adminIds, now, limits));
        if (isRegistered(ctx)) await showMenu(ctx);
        return;
      }
    }
    if (isRegistered(ctx)) {
      if (invite) {
        const res = await acceptInviteForRegistered(ctx.from.id, invite, now);
        await ctx.reply(
          !res.ok
            ? ctx.t("invite-invalid")
            : res.networkName !== undefined
              ? ctx.t("nw-invite-role-added", { role: ctx.t(`role-${invite.role}`), network: escapeHtml(res.networkName) })
              : ctx.t("invite-role-added", { role: ctx.t(`role-${invite.role}`), organization: escapeHtml(res.organizationName ?? "") }),
        );
      }
      await showMenu(ctx);
      return;
    }
    if (invite?.networkId) {
      // A network curator's invite: the person picks their own workplace during onboarding.
      const networkName = await networkNameOf(invite.networkId);
      await enterScene(ctx, ONBOARDING_SCENE, { invite: networkName !== undefined ? { ...invite, networkName } : undefined });
      return;
    }
    const org = await organizationById(invite?.organizationId);
    await enterScene(ctx, ONBOARDING_SCENE, {
      invite: invite && org ? { ...invite, organizationName: org.shortName } : undefined,
    });
  });

  privateChats.command("profile", async (ctx) => {
    if (!isRegistered(ctx)) return void (await ctx.reply(ctx.t("not-registered")));
    await enterScene(ctx, PROFILE_SCENE);
  });
  privateChats.command("privacy", sendPrivacy);

  privateChats.command("mydata", async (ctx) => {
    const data = await exportUserData(ctx.from.id);
    if (!data) return void (await ctx.reply(ctx.t("mydata-none")));
    const file = new InputFile(Buffer.from(JSON.stringify(data, null, 2), "utf8"), "nastavnik-my-data.json");
    await ctx.replyWithDocument(file, { caption: ctx.t("mydata-caption") });
  });

  privateChats.command("deleteme", async (ctx) => {
    await ctx.reply(ctx.t("deleteme-confirm"), {
      reply_markup: new InlineKeyboard().text(ctx.t("deleteme-yes"), "del:yes").row().text(ctx.t("deleteme-no"), "del:no"),
    });
  });
  composer.callbackQuery("del:no", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t("deleteme-cancelled"));
  });
  composer.callbackQuery("del:yes", async (ctx) => {
    await ctx.answerCallbackQuery();
    const result = await eraseUser(ctx.from.id, ctx.services.clock.now());
    await ctx.conversation.exitAll();
    await notify(ctx, result.notify);
    await ctx.editMessageText(ctx.t(result.erased ? "deleteme-done" : "mydata-none"));
  });

  privateChats.command("invite", async (ctx) => {
    if (!(await canInvite(ctx))) return void (await ctx.reply(ctx.t("not-allowed")));
    await enterScene(ctx, INVITE_SCENE);
  });
  privateChats.command("joins", listJoinRequests);

  // Join request decisions: re-authorized on every press against the request's organization and state.
  composer.callbackQuery(/^jr:(a|r):([0-9a-f]{24})$/, async (ctx) => {
    const approve = ctx.match[1] === "a";
    const request = await JoinRequest.findById(ctx.match[2]).lean();
    const allowed =
      request &&
      isRegistered(ctx) &&
      (isAdmin(ctx.user, ctx.services.config.adminIds) || (await isCuratorOf(ctx.user, request.organizationId.toString())));
    if (!request || !allowed) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    const now = ctx.services.clock.now();
    const decided = await JoinRequest.findOneAndUpdate(
      { _id: request._id, status: "pending" },
      { $set: { status: approve ? "approved" : "rejected", decidedAt: now, decidedBy: ctx.user?._id } },
    );
    if (!decided) return void (await ctx.answerCallbackQuery({ text: ctx.t("join-already-decided"), show_alert: true }));
    const applicant = await User.findById(request.userId).lean();
    if (approve) await grantRole(request.userId, "mentee", { organizationId: request.organizationId.toString() }, ctx.user?._id.toString() ?? "curator", now);
    await ctx.answerCallbackQuery();
    const name = escapeHtml(applicant?.profile?.fullName ?? "—");
    await ctx.editMessageText(ctx.t(approve ? "join-approved-curator" : "join-rejected-curator", { name }));
    const org = await organizationById(request.organizationId);
    await notify(ctx, notice(applicant, approve ? "join-approved" : "join-rejected", { organization: escapeHtml(org?.shortName ?? "") }));
  });

  composer.callbackQuery(/^iv:rv:([0-9a-f]{24})$/, async (ctx) => {
    const invite = await Invite.findById(ctx.match[1]).lean();
    const allowed =
      invite &&
      isRegistered(ctx) &&
      (isAdmin(ctx.user, ctx.services.config.adminIds) ||
        (invite.role !== "curator" && invite.organizationId && (await isCuratorOf(ctx.user, invite.organizationId.toString()))));
    if (!invite || !allowed) return void (await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true }));
    const revoked = await revokeInvite(invite._id.toString(), ctx.services.clock.now());
    await ctx.answerCallbackQuery({ text: ctx.t(revoked ? "invite-revoked" : "invite-already-revoked") });
    if (revoked) await ctx.editMessageReplyMarkup({ reply_markup: undefined });
  });

  // Menu buttons lead to the same handlers as the commands, with the same checks.
  composer.callbackQuery(/^m:(profile|privacy|invite|joins|lang)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    switch (ctx.match[1]) {
      case "profile":
        if (!isRegistered(ctx)) return void (await ctx.reply(ctx.t("not-registered")));
        return enterScene(ctx, PROFILE_SCENE);
      case "privacy":
        return sendPrivacy(ctx);
      case "invite":
        if (!(await canInvite(ctx))) return void (await ctx.reply(ctx.t("not-allowed")));
        return enterScene(ctx, INVITE_SCENE);
      case "joins":
        return listJoinRequests(ctx);
      case "lang":
        return enterScene(ctx, LANGUAGE_SCENE);
    }
  });
  return composer;
}
