import { expect } from "vitest";
import { buildTestBot, type TestBot } from "./harness.ts";
import type { Config } from "../../src/core/config.ts";
import { callback, command, makeUser, textMessage, type TestUser } from "./updates.ts";
import { addOrganization, type OrganizationView } from "../../src/domain/organizations.ts";
import { createInvite, INVITE_PREFIX, type InviteRole } from "../../src/domain/invites.ts";
import { MentorProfile, User } from "../../models/index.ts";

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

/** A fake clock the bot and the job queue share. */
export function clock(start = new Date("2026-11-23T07:00:00Z")) {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

export async function mentor(
  t: TestBot,
  user: TestUser,
  orgId: string,
  opts: { topics: string[]; capacity?: string; network?: "yes" | "no"; approve?: TestUser; name: string; experience?: string; forms?: string[]; registered?: boolean },
) {
  if (!opts.registered) {
    await register(t, user, { payload: await inviteFor(orgId, "mentor"), role: "mentor", answers: { fullName: opts.name, experience: opts.experience ?? "15", category: "highest" } });
  }
  await say(t, user, "/mentor");
  const groups = [...new Set(opts.topics.map((c) => c[0] as string))];
  for (const g of groups) {
    await press(t, user, `mp:g:${g}`);
    for (const c of opts.topics.filter((x) => x.startsWith(g))) await press(t, user, `mp:i:t:${c}`);
    await press(t, user, "mp:i:done");
  }
  await press(t, user, "mp:g:done");
  await press(t, user, `mp:c:${opts.capacity ?? "2"}`);
  for (const f of opts.forms ?? ["individual"]) await press(t, user, `mp:f:t:${f}`);
  await press(t, user, "mp:f:done");
  await press(t, user, "mp:m:any");
  for (const d of ["1", "3"]) await press(t, user, `mp:d:t:${d}`);
  await press(t, user, "mp:d:done");
  await press(t, user, "mp:p:t:day");
  await press(t, user, "mp:p:done");
  await press(t, user, `mp:n:${opts.network ?? "no"}`);
  await press(t, user, "mp:z:none");
  const profile = await MentorProfile.findOne({ userId: (await User.findOne({ telegramId: user.id }).lean())?._id }).lean();
  if (opts.approve) {
    await t.send(callback(opts.approve, `ma:${profile?._id}`));
  }
  return profile;
}

export async function ask(
  t: TestBot,
  user: TestUser,
  topics: string[],
  description = "Не получается вести портфолио, нужна помощь с разделами",
  kind: "flash" | "long_term" | "question" = "long_term",
  /** An experienced teacher is asked whether she wants a younger colleague (reverse mentoring). */
  reverse?: "yes" | "no",
) {
  await say(t, user, "/request");
  const groups = [...new Set(topics.map((c) => c[0] as string))];
  for (const g of groups) {
    await press(t, user, `rq:g:${g}`);
    for (const c of topics.filter((x) => x.startsWith(g))) await press(t, user, `rq:i:t:${c}`);
    await press(t, user, "rq:i:done");
  }
  await press(t, user, "rq:g:done");
  for (const c of [...topics].sort()) await press(t, user, `rq:c:${c}:2`); // self-assessment: confidence per topic
  await say(t, user, description);
  await press(t, user, `rq:k:${kind}`);
  if (reverse) await press(t, user, `rq:rv:${reverse}`);
  if (kind !== "question") {
    // A quick question asks for no mode or times.
    await press(t, user, "rq:m:any");
    await press(t, user, "rq:d:t:1");
    await press(t, user, "rq:d:done");
    await press(t, user, "rq:p:t:day");
    await press(t, user, "rq:p:done");
  }
  await press(t, user, "rq:ok");
}


/** A Moscow mentee and a Yekaterinburg mentor in one network, paired (a long-term pair unless `kind` says otherwise). */
export async function pairUp(start = new Date("2026-11-23T07:00:00Z"), kind: "flash" | "long_term" | "question" = "long_term", config?: Partial<Config>) {
  const c = clock(start);
  const t = buildTestBot({ clock: c, config });
  const home = await org("Детский сад № 151", "Europe/Moscow", "Сеть");
  const partner = await org("МДОАУ № 56 г. Орска", "Asia/Yekaterinburg", "Сеть");
  const cur = makeUser(500001, "Куратор", "ru");
  await register(t, cur, { payload: await inviteFor(partner.id, "curator"), role: "curator", answers: { fullName: "Куратор Орская Ивановна", position: "senior_educator" } });
  const m = makeUser(500002, "Наставница", "ru", { username: "mentor_orsk" });
  await mentor(t, m, partner.id, { topics: ["E2"], network: "yes", name: "Наставница Орская Петровна", approve: cur });
  const mentee = makeUser(500003, "Kate", "en", { username: "kate_msk" });
  await register(t, mentee, { payload: await inviteFor(home.id, "mentee"), locale: "en", answers: { fullName: "Kate Morozova" } });
  await ask(t, mentee, ["E2"], "I need help making a short video for parents", kind);
  await press(t, mentee, /^rc:[0-9a-f]{24}:[0-9a-f]{24}$/);
  await press(t, m, /^of:a:/);
  return { c, t, m, mentee, home };
}
