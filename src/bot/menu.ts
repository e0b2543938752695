import { InlineKeyboard, type Context } from "grammy";
import { Types } from "mongoose";
import { keyedReads } from "../db/keyed-reads.ts";
import { JoinRequest, type Role } from "../../models/index.ts";
import { findRegisteredUser } from "../db/user-cache.ts";
import { organizationById } from "../db/organization-cache.ts";
import { isAdmin } from "../domain/roles.ts";
import { escapeHtml } from "../core/html.ts";
import { BASE_COMMANDS, registerChatCommands } from "./commands.ts";
import type { Logger } from "../core/logger.ts";

/** Everything the role menu needs, as plain JSON (it is also read inside conversations). */
export interface MenuData {
  telegramId: number;
  fullName: string;
  organizationName: string;
  roles: Role[];
  admin: boolean;
  pendingJoin: string | null;
}

type PendingJoin = { userId: Types.ObjectId; organizationId: Types.ObjectId };

/** A person's pending join request; the menus of many people shown at once share one read (see `keyedReads`). */
const pendingJoinsOf = keyedReads<string, PendingJoin>({
  many: (ids) => JoinRequest.find({ userId: { $in: ids.map((id) => new Types.ObjectId(id)) }, status: "pending" }, { userId: 1, organizationId: 1 }).lean<PendingJoin[]>(),
  one: (id) => JoinRequest.find({ userId: new Types.ObjectId(id), status: "pending" }, { userId: 1, organizationId: 1 }).limit(1).lean<PendingJoin[]>(),
  keyOf: (doc) => String(doc.userId),
});

export async function loadMenu(telegramId: number, adminIds: readonly number[]): Promise<MenuData | null> {
  const user = await findRegisteredUser(telegramId, { notErased: true });
  if (!user) return null;
  const org = await organizationById(user.organizationId);
  const pending = (await pendingJoinsOf(String(user._id)))[0];
  const pendingOrg = await organizationById(pending?.organizationId);
  return {
    telegramId,
    fullName: user.profile?.fullName ?? "",
    organizationName: org?.shortName ?? "",
    roles: [...new Set((user.roles ?? []).map((r) => r.role as Role))],
    admin: isAdmin(user, adminIds),
    pendingJoin: pendingOrg?.shortName ?? null,
  };
}

export type Translate = (key: string, args?: Record<string, string | number>) => string;

/** Commands of a registered user's chat menu, by role. */
export function commandsFor(menu: MenuData): string[] {
  const names: string[] = [...BASE_COMMANDS, "profile", "privacy", "mydata", "deleteme"];
  if (menu.roles.includes("mentee")) names.push("request", "myrequests");
  if (menu.roles.includes("mentor")) names.push("mentor");
  if (menu.roles.includes("mentee") || menu.roles.includes("mentor")) names.push("session", "sessions");
  // A teacher whose join request still waits for the curator has no role: profile, privacy and language only.
  if (menu.roles.length > 0 || menu.admin) names.push("program", "practices", "surveys", "groups", "circles");
  if (menu.roles.includes("mentee")) names.push("diagnostic", "startdate");
  if (menu.admin || menu.roles.includes("curator")) names.push("invite", "joins", "requests", "mentors", "wednesday", "training");
  if (menu.admin || menu.roles.includes("curator")) names.push("digest", "report", "export");
  return names;
}

export function renderMenu(menu: MenuData, t: Translate): { text: string; keyboard: InlineKeyboard } {
  const roles = menu.roles.length ? menu.roles.map((r) => t(`role-${r}`)).join(", ") : t("menu-no-roles");
  const lines = [
    `<b>${t("menu-title")}</b>`,
    t("menu-who", { name: escapeHtml(menu.fullName), organization: escapeHtml(menu.organizationName) }),
    `${t("profile-label-role")}: ${menu.admin && !menu.roles.includes("admin") ? `${roles}, ${t("role-admin")}` : roles}`,
  ];
  if (menu.pendingJoin) lines.push(t("menu-pending", { organization: escapeHtml(menu.pendingJoin) }));
  const kb = new InlineKeyboard();
  if (menu.roles.includes("mentee")) kb.text(t("menu-request"), "m:request").text(t("menu-myrequests"), "m:myreq");
  if (menu.roles.includes("mentor")) kb.row().text(t("menu-mentor"), "m:mentor");
  // A teacher who is not a mentor may offer herself as one (stage III).
  else if (menu.roles.includes("mentee")) kb.row().text(t("menu-become-mentor"), "m:mentor");
  if (menu.roles.includes("mentee") || menu.roles.includes("mentor")) kb.row().text(t("menu-session"), "m:session").text(t("menu-sessions"), "m:sessions");
  if (menu.roles.length > 0 || menu.admin) kb.row().text(t("menu-program"), "m:program").text(t("menu-practices"), "m:practices");
  if (menu.roles.length > 0 || menu.admin) kb.row().text(t("menu-groups"), "m:groups").text(t("menu-circles"), "m:circles");
  kb.row().text(t("menu-profile"), "m:profile").text(t("menu-privacy"), "m:privacy").row();
  if (menu.admin || menu.roles.includes("curator")) {
    kb.text(t("menu-requests"), "m:requests").text(t("menu-mentors"), "m:mentors").row();
    kb.text(t("menu-invite"), "m:invite").text(t("menu-joins"), "m:joins").row();
    kb.text(t("menu-wednesday"), "m:wednesday").text(t("menu-training"), "m:training").row();
    kb.text(t("menu-digest"), "m:digest").row();
    kb.text(t("menu-report"), "m:report").text(t("menu-export"), "m:export").row();
  }
  kb.text(t("menu-language"), "m:lang");
  return { text: lines.join("\n"), keyboard: kb };
}

/** Sends the role menu and sets the chat's command list to the user's roles. */
export async function sendMenu(ctx: Context & { log: Logger }, menu: MenuData, t: Translate): Promise<void> {
  const { text, keyboard } = renderMenu(menu, t);
  await ctx.reply(text, { reply_markup: keyboard });
  await registerChatCommands(ctx.api, menu.telegramId, (key) => t(key), ctx.log, commandsFor(menu));
}
