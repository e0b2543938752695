import { sceneNow } from "../src/bot/scenes.ts";
import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { Network } from "../models/index.ts";
import { createInvite, inviteLink, type InviteRole } from "../src/domain/invites.ts";
import { curatorOrganizationIds, isAdmin } from "../src/domain/roles.ts";
import { orgLabel } from "../src/domain/org-names.ts";
import { escapeHtml } from "../src/core/html.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { pickOrganization, type T } from "./profile-steps.ts";
import { askOne } from "./pickers.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";
import { byShortName, organizationById, organizationsByIds } from "../src/db/organization-cache.ts";

export const INVITE_SCENE = "invite";

const USES = ["1", "10", "50"] as const;
const TTL_DAYS = ["1", "7", "30"] as const;

/**
 * /invite for curators (their organizations, roles mentee and mentor) and admins (any
 * organization, also curator invites, and curators of a network the organization belongs to):
 * organization → role → uses → expiry → the link.
 */
export async function inviteScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const telegramId = ctx.from?.id;
  if (telegramId === undefined) return;
  const adminIds = ctx.services.config.adminIds;
  const scope = await conversation.external(async () => {
    const u = await findRegisteredUser(telegramId);
    if (!u) return null;
    const admin = isAdmin(u, adminIds);
    const orgIds = admin ? [] : await curatorOrganizationIds(u);
    const orgs = byShortName([...(await organizationsByIds(orgIds)).values()]);
    return {
      userId: u._id.toString(),
      locale: u.locale ?? "ru",
      admin,
      orgs: orgs.map((o) => ({ id: o._id.toString(), name: o.shortName, label: orgLabel(o) })),
    };
  });
  const services = ctx.services;
  if (!scope || (!scope.admin && scope.orgs.length === 0)) {
    await ctx.reply(ctx.t("not-allowed"));
    return;
  }
  const locale = isLocale(scope.locale) ? scope.locale : services.config.defaultLocale;
  const t: T = (key, a) => services.t(locale, key, a);

  let org: { id: string; name: string };
  if (scope.admin) {
    org = await pickOrganization(conversation, ctx, t);
  } else if (scope.orgs.length === 1) {
    org = scope.orgs[0] as { id: string; name: string };
  } else {
    const id = await askOne(conversation, ctx, t, { prompt: t("invite-pick-org"), prefix: "iv:org", options: scope.orgs.map((o) => ({ code: o.id, label: o.label })), perRow: 1 });
    org = scope.orgs.find((o) => o.id === id) as { id: string; name: string };
  }

  const roles: InviteRole[] = scope.admin ? ["mentee", "mentor", "curator"] : ["mentee", "mentor"];
  // An admin may also invite a curator of a whole network the organization belongs to (issue 15).
  const networks = scope.admin
    ? await conversation.external(async () => {
        const o = await organizationById(org.id);
        const nets = await Network.find({ _id: { $in: o?.networkIds ?? [] } }, { name: 1 }).sort({ name: 1 }).lean();
        return nets.map((n) => ({ id: n._id.toString(), name: n.name }));
      })
    : [];
  const picked = await askOne(conversation, ctx, t, {
    prompt: t("invite-pick-role", { organization: escapeHtml(org.name) }),
    prefix: "iv:role",
    options: [
      ...roles.map((r) => ({ code: r, label: t(`role-${r}`) })),
      ...networks.map((n) => ({ code: `n:${n.id}`, label: t("nw-invite-role-network", { network: escapeHtml(n.name) }) })),
    ],
    perRow: 3,
  });
  const network = picked.startsWith("n:") ? networks.find((n) => `n:${n.id}` === picked) : undefined;
  const role = (network ? "curator" : picked) as InviteRole;
  const uses = Number(
    await askOne(conversation, ctx, t, { prompt: t("invite-pick-uses"), prefix: "iv:uses", options: USES.map((u) => ({ code: u, label: t("invite-uses", { n: Number(u) }) })), perRow: 3 }),
  );
  const days = Number(
    await askOne(conversation, ctx, t, { prompt: t("invite-pick-ttl"), prefix: "iv:ttl", options: TTL_DAYS.map((d) => ({ code: d, label: t("invite-days", { n: Number(d) }) })), perRow: 3 }),
  );

  const now = await sceneNow(conversation, ctx);
  const created = await conversation.external(async () => {
    // The scope is checked again at the moment of creation.
    const u = await findRegisteredUser(telegramId);
    const allowed = isAdmin(u, adminIds) || (role !== "curator" && (await curatorOrganizationIds(u)).includes(org.id));
    if (!allowed) return null;
    const target = network ? { networkId: network.id } : { organizationId: org.id };
    const inv = await createInvite({ ...target, role, uses, ttlMs: days * 86_400_000, createdBy: scope.userId, now });
    return { id: inv.id, token: inv.token, expiresAt: inv.expiresAt.toISOString() };
  });
  if (!created) {
    await ctx.reply(t("not-allowed"));
    return;
  }
  const link = inviteLink(ctx.me.username, created.token);
  await ctx.reply(
    network
      ? t("nw-invite-created", { network: escapeHtml(network.name), role: t(`role-${role}`), uses, days, link })
      : t("invite-created", { organization: escapeHtml(org.name), role: t(`role-${role}`), uses, days, link }),
    { reply_markup: new InlineKeyboard().text(t("invite-revoke"), `iv:rv:${created.id}`), link_preview_options: { is_disabled: true } },
  );
}
