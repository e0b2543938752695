import { describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { makeUser } from "./helpers/updates.ts";
import { org, register, say } from "./helpers/scenario.ts";
import { keyedReads } from "../src/db/keyed-reads.ts";
import { engine } from "../src/db/engine.ts";
import { claimInvite, createInvite, findUsableInvite, INVITE_PREFIX } from "../src/domain/invites.ts";
import { Consent, Invite, InviteAttempt, User } from "../models/index.ts";
import { completeRegistration, hasValidPdConsent, recordPdConsent } from "../src/domain/registration.ts";
import { grantRole } from "../src/domain/roles.ts";
import { findUserByTelegramId } from "../src/db/user-cache.ts";

/** Issue 12: what many people ask at once goes by one command (registrations by one link at once). */
useTestDatabase();

type Row = { key: string | number; n: number };

/** A keyed read over `rows`, counting its queries. */
function counted(rows: Row[]) {
  const queries: Array<{ many?: Array<string | number>; one?: string | number }> = [];
  const read = keyedReads<string | number, Row>({
    many: async (keys) => {
      queries.push({ many: keys });
      return rows.filter((r) => keys.includes(r.key));
    },
    one: async (key) => {
      queries.push({ one: key });
      return rows.filter((r) => r.key === key);
    },
    keyOf: (r) => r.key,
  });
  return { read, queries };
}

async function withEngine<T>(lists: { listsByIndex: boolean; numberListsByIndex: boolean }, run: () => Promise<T>): Promise<T> {
  const saved = { listsByIndex: engine.listsByIndex, numberListsByIndex: engine.numberListsByIndex };
  Object.assign(engine, lists);
  try {
    return await run();
  } finally {
    Object.assign(engine, saved);
  }
}

describe("reads by key that come together", () => {
  const rows: Row[] = [
    { key: "a", n: 1 },
    { key: "a", n: 2 },
    { key: "b", n: 3 },
    { key: 7, n: 4 },
    { key: 8, n: 5 },
  ];

  it("share one `$in` query where the engine reads a list by index; each key gets its own documents, none gets another's", async () => {
    const { read, queries } = counted(rows);
    const got = await withEngine({ listsByIndex: true, numberListsByIndex: true }, () => Promise.all(["a", "b", "c", "a", "b"].map((k) => read(k))));
    expect(got.map((docs) => docs.map((d) => d.n))).toEqual([[1, 2], [3], [], [1, 2], [3]]);
    // The first goes alone at once; the ones asked meanwhile share one query, each key once.
    expect(queries).toEqual([{ one: "a" }, { many: ["b", "c", "a"] }]);
  });

  it("go one key after another where the engine cannot read a list by index (FerretDB on SQLite; Telegram ids on FerretDB)", async () => {
    const strings = counted(rows);
    await withEngine({ listsByIndex: false, numberListsByIndex: false }, () => Promise.all(["a", "b", "a"].map((k) => strings.read(k))));
    expect(strings.queries).toEqual([{ one: "a" }, { one: "b" }, { one: "a" }]);
    const numbers = counted(rows);
    const got = await withEngine({ listsByIndex: true, numberListsByIndex: false }, () => Promise.all([7, 8, 9, 8].map((k) => numbers.read(k))));
    expect(got.map((docs) => docs.map((d) => d.n))).toEqual([[4], [5], [], [5]]);
    expect(numbers.queries).toEqual([{ one: 7 }, { one: 8 }, { one: 9 }]);
  });

  it("a failed query fails the reads that shared it, and the next read goes again", async () => {
    let fail = true;
    const read = keyedReads<string, Row>({
      many: async (keys) => {
        if (fail) throw new Error("connection lost");
        return rows.filter((r) => keys.includes(r.key as string));
      },
      one: async (key) => rows.filter((r) => r.key === key),
      keyOf: (r) => r.key as string,
    });
    const results = await withEngine({ listsByIndex: true, numberListsByIndex: true }, () => Promise.allSettled(["a", "b", "c"].map((k) => read(k))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected"]);
    fail = false;
    expect((await read("b")).map((d) => d.n)).toEqual([3]);
  });
});

describe("an invite's uses taken by many at once", () => {
  it("never more than it has: five claims on three uses give exactly three, and five on five take them by one write", async () => {
    const kg = await org("Детский сад № 51");
    const now = new Date();
    const three = await createInvite({ organizationId: kg.id, role: "mentee", uses: 3, ttlMs: 3_600_000, createdBy: "test", now });
    const claimed = await Promise.all(Array.from({ length: 5 }, () => claimInvite(three.id, now)));
    expect(claimed.filter(Boolean)).toHaveLength(3);
    expect((await Invite.findById(three.id).lean())?.remainingUses).toBe(0);
    expect(await findUsableInvite(`${INVITE_PREFIX}${three.token}`, now)).toBeUndefined();

    const five = await createInvite({ organizationId: kg.id, role: "mentee", uses: 5, ttlMs: 3_600_000, createdBy: "test", now });
    const updates = vi.spyOn(Invite, "updateOne");
    try {
      expect(await Promise.all(Array.from({ length: 5 }, () => claimInvite(five.id, now)))).toEqual([true, true, true, true, true]);
      expect(updates.mock.calls.length).toBe(2); // the first alone, the four that came meanwhile together
    } finally {
      updates.mockRestore();
    }
    expect((await Invite.findById(five.id).lean())?.remainingUses).toBe(0);
    // An expired or revoked invite gives none, together or alone.
    const expired = await createInvite({ organizationId: kg.id, role: "mentee", uses: 5, ttlMs: 1000, createdBy: "test", now });
    expect(await Promise.all([claimInvite(expired.id, new Date(now.getTime() + 2000)), claimInvite(expired.id, new Date(now.getTime() + 2000))])).toEqual([false, false]);
  });

  it("twelve people register by one link with ten uses at once: ten get their role by one write each, two are told the link no longer works", async () => {
    const t = buildTestBot();
    const kg = await org("Детский сад № 52");
    const invite = await createInvite({ organizationId: kg.id, role: "mentee", uses: 10, ttlMs: 3_600_000, createdBy: "test", now: new Date() });
    const people = Array.from({ length: 12 }, (_, i) => makeUser(861_000 + i, `Сразу${i}`));
    const writes = vi.spyOn(User, "findOneAndUpdate");
    try {
      await Promise.all(people.map((p, i) => register(t, p, { payload: `${INVITE_PREFIX}${invite.token}`, answers: { fullName: `Одновременная Анна ${["Ивановна", "Петровна", "Сергеевна", "Олеговна", "Павловна", "Юрьевна", "Игоревна", "Романовна", "Денисовна", "Глебовна", "Ильинична", "Львовна"][i]}` } })));
      // The profile and the role by one write (those who confirm together by one command); no
      // profile is written without its role, and the two whose claim failed write nothing more.
      const updates = writes.mock.calls.map((c) => c[1] as { $set?: { profile?: unknown }; $push?: { roles?: unknown } });
      expect(updates.filter((u) => u.$set?.profile !== undefined).length).toBeLessThanOrEqual(10);
      expect(updates.filter((u) => u.$set?.profile !== undefined && u.$push?.roles === undefined)).toHaveLength(0);
    } finally {
      writes.mockRestore();
    }
    const registered = await User.find({ telegramId: { $in: people.map((p) => p.id) }, registeredAt: { $exists: true } }).lean();
    expect(registered).toHaveLength(10);
    for (const u of registered) expect(u.roles?.map((r) => [r.role, String(r.organizationId), r.grantedBy])).toEqual([["mentee", kg.id, `invite:${invite.id}`]]);
    expect((await Invite.findById(invite.id).lean())?.remainingUses).toBe(0);
    const refused = people.filter((p) => !registered.some((u) => u.telegramId === p.id));
    expect(refused).toHaveLength(2);
    for (const p of refused) expect(t.fake.lastTextTo(p.chatId)).toMatch(/ссылк/i);
    // Every consent recorded, with its person (written together, the users' ids came back with the write).
    const consents = await Consent.find({ telegramId: { $in: people.map((p) => p.id) } }).lean();
    expect(consents.map((c) => c.decision)).toEqual(people.map(() => "given"));
    const users = await User.find({ telegramId: { $in: people.map((p) => p.id) } }, { telegramId: 1 }).lean();
    expect(new Set(consents.map((c) => `${c.telegramId}:${String(c.userId)}`))).toEqual(new Set(users.map((u) => `${u.telegramId}:${String(u._id)}`)));
    expect(consents.every((c) => c.version && c.textHash && c.channel === "telegram")).toBe(true);
  });

  it("a blocked account among people who open links at the same moment stays blocked, the others are not: one read for them all", async () => {
    const now = Date.parse("2026-12-01T09:00:00Z");
    const t = buildTestBot({ clock: { now: () => new Date(now) } });
    const kg = await org("Детский сад № 53");
    const link = `/start ${INVITE_PREFIX}${(await createInvite({ organizationId: kg.id, role: "mentee", uses: 10, ttlMs: 3_600_000, createdBy: "test", now: new Date(now) })).token}`;
    const blocked = makeUser(861_100, "Блок");
    await InviteAttempt.create({ telegramId: blocked.id, windowStart: new Date(now - 60_000), failures: 5, blockedUntil: new Date(now + 600_000), expiresAt: new Date(now + 600_000) });
    // Another account's block is over: it may open links again.
    const over = makeUser(861_101, "Было");
    await InviteAttempt.create({ telegramId: over.id, windowStart: new Date(now - 3_600_000), failures: 5, blockedUntil: new Date(now - 1000), expiresAt: new Date(now - 1000) });
    const others = Array.from({ length: 4 }, (_, i) => makeUser(861_110 + i, `Новая${i}`));
    const reads = [vi.spyOn(InviteAttempt, "findOne"), vi.spyOn(InviteAttempt, "find")];
    try {
      await Promise.all([blocked, over, ...others].map((u) => say(t, u, link)));
      // The first alone, the five that came meanwhile by one read.
      expect(reads.map((r) => r.mock.calls.length)).toEqual([1, 1]);
    } finally {
      for (const r of reads) r.mockRestore();
    }
    expect(t.fake.lastTextTo(blocked.chatId)).toMatch(/^Слишком много попыток/);
    for (const u of [over, ...others]) expect(t.fake.lastMessageTo(u.chatId)?.buttons.map((b) => b.data)).toEqual(["ob:lang:ru", "ob:lang:en"]);
  });

  it("consent decisions read by the person's user, many at once: the latest decides, a refusal or a withdrawal after a consent counts", async () => {
    const at = (m: number) => new Date(Date.parse("2026-12-01T09:00:00Z") + m * 60_000);
    const decide = (telegramId: number, decision: "given" | "refused", m: number) => recordPdConsent({ telegramId, locale: "ru", decision, text: "Согласие", now: at(m) });
    const [given, refusedAfter, onlyRefused, withdrawn, nobody] = [862_001, 862_002, 862_003, 862_004, 862_005];
    await decide(given, "given", 1);
    await decide(refusedAfter, "given", 1);
    await decide(refusedAfter, "refused", 2);
    await decide(onlyRefused, "refused", 1);
    await decide(withdrawn, "given", 1);
    await Consent.updateMany({ telegramId: withdrawn }, { $set: { withdrawnAt: at(3) } });
    // The refusal after a consent names the person's user, as the consent does.
    const user = await User.findOne({ telegramId: refusedAfter }, { _id: 1 }).lean();
    expect((await Consent.find({ telegramId: refusedAfter }).lean()).map((c) => String(c.userId))).toEqual([String(user?._id), String(user?._id)]);
    const ids = [given, refusedAfter, onlyRefused, withdrawn, nobody];
    expect(await Promise.all(ids.map((id) => hasValidPdConsent(id)))).toEqual([true, false, false, false, false]);
    await decide(refusedAfter, "given", 4);
    expect(await hasValidPdConsent(refusedAfter)).toBe(true);
  });

  it("people who confirm together by one link: newcomers get profile and role by one command, one who holds a role already gets it added", async () => {
    const kg = await org("Детский сад № 54");
    const other = await org("Детский сад № 55");
    const now = new Date("2026-12-01T10:00:00Z");
    const invite = await createInvite({ organizationId: kg.id, role: "mentee", uses: 3, ttlMs: 3_600_000, createdBy: "test", now });
    const ids = [863_001, 863_002, 863_003];
    for (const telegramId of ids) await recordPdConsent({ telegramId, locale: "ru", decision: "given", text: "Согласие", now });
    const holder = await User.findOne({ telegramId: ids[2] }).lean();
    await grantRole(holder!._id, "mentor", { organizationId: other.id }, "test", now, []);
    const names = ["Первая Анна Ивановна", "Вторая Анна Ивановна", "Третья Анна Ивановна"];
    const results = await Promise.all(
      ids.map((telegramId, i) =>
        completeRegistration({ telegramId, locale: "ru", profile: { fullName: names[i], position: "educator" }, invite: { id: invite.id, organizationId: kg.id, role: "mentee" }, now }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(["registered", "registered", "registered"]);
    const users = await User.find({ telegramId: { $in: ids } }).sort({ telegramId: 1 }).lean();
    expect(users.map((u) => u.profile?.fullName)).toEqual(names);
    expect(users.map((u) => u.registeredAt?.getTime())).toEqual(ids.map(() => now.getTime()));
    expect(users.map((u) => (u.roles ?? []).map((r) => `${r.role}@${String(r.organizationId)}`))).toEqual([[`mentee@${kg.id}`], [`mentee@${kg.id}`], [`mentor@${other.id}`, `mentee@${kg.id}`]]);
    expect((await Invite.findById(invite.id).lean())?.remainingUses).toBe(0);
    // What the bot's copy of users says is what is stored.
    for (const u of users) expect((await findUserByTelegramId(u.telegramId as number))?.roles?.length).toBe(u.roles?.length);
  });
});
