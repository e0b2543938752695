import { expect } from "vitest";
import type { TestBot } from "./harness.ts";
import { callback, command, textMessage, type TestUser } from "./updates.ts";
import { addOrganization, type OrganizationView } from "../../src/organizations.ts";
import { createInvite, INVITE_PREFIX, type InviteRole } from "../../src/invites.ts";

/** Drives whole dialogs the way a person would: reads the last message, presses its buttons. */

export async function org(shortName: string, timezone = "Europe/Moscow", network?: string): Promise<OrganizationView> {
  const res = await addOrganization({ shortName, timezone, network });
  if (!res.ok) throw res.error;
  return res.value;
}

export async function inviteFor(organizationId: string, role: InviteRole, uses = 1, ttlMs = 7 * 86_400_000, now = new Date()): Promise<string> {
  const inv = await createInvite({ organizationId, role, uses, ttlMs, createdBy: "test", now });
  return `${INVITE_PREFIX}${inv.token}`;
}

/** Presses the button whose callback data matches (or whose label contains) `what` on the last message to the user. */
export async function press(t: TestBot, user: TestUser, what: string | RegExp): Promise<void> {
  const matches = (b: { text: string; data?: string }) =>
    typeof what === "string" ? b.data === what || b.text.includes(what) : what.test(b.data ?? "");
  // Like a person, look at the newest message that carries such a button (it may be above a hint).
  const msg = t.fake.messagesTo(user.chatId).reverse().find((m) => m.buttons.some(matches));
  const button = msg?.buttons.find(matches);
  expect(button, `button ${String(what)} in the chat with ${user.first_name}; last: "${t.fake.lastTextTo(user.chatId)?.slice(0, 120)}"`).toBeDefined();
  await t.send(callback(user, button?.data as string));
}

export async function say(t: TestBot, user: TestUser, text: string): Promise<void> {
  await t.send(text.startsWith("/") ? command(user, text) : textMessage(user, text));
}

export interface ProfileAnswers {
  fullName: string;
  birthYear?: string;
  position?: string;
  experience?: string;
  category?: string;
  education?: string;
}

/** The whole onboarding: /start [payload] → language → consent → profile → (organization) → confirm. */
export async function register(
  t: TestBot,
  user: TestUser,
  options: { payload?: string; locale?: "ru" | "en"; role?: InviteRole; answers: ProfileAnswers; orgQuery?: string },
): Promise<void> {
  const role = options.role ?? "mentee";
  await say(t, user, options.payload ? `/start ${options.payload}` : "/start");
  await press(t, user, `ob:lang:${options.locale ?? "ru"}`);
  await press(t, user, "ob:consent:yes");
  const a = options.answers;
  await say(t, user, a.fullName);
  if (role === "mentee") await say(t, user, a.birthYear ?? "1999");
  await press(t, user, `pf:pos:${a.position ?? "educator"}`);
  if (role !== "curator") {
    await say(t, user, a.experience ?? "1");
    await press(t, user, `pf:cat:${a.category ?? "none"}`);
    await press(t, user, `pf:edu:${a.education ?? "pedagogical"}`);
  }
  if (!options.payload) {
    await say(t, user, options.orgQuery ?? "");
    await press(t, user, /^pf:org:/);
  }
  await press(t, user, "ob:confirm");
}
