import { describe, expect, it, vi } from "vitest";
import ExcelJS from "exceljs";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, type TestBot } from "./helpers/harness.ts";
import { callback, makeUser, type TestUser } from "./helpers/updates.ts";
import { clock, inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { meeting, mentorProfile, pair, person, request } from "./helpers/digest-fixture.ts";
import { Invite, User } from "../models/index.ts";
import { runCli } from "../src/cli.ts";
import { findUsableInvite } from "../src/domain/invites.ts";
import { digestRecipients, type DigestRecipient } from "../src/domain/digest-recipients.ts";
import { readModels } from "../src/db/read-connection.ts";
import { joinNetwork, type OrganizationView } from "../src/domain/organizations.ts";
import { Types } from "mongoose";

useTestDatabase({ resetBetweenTests: true });

/** Monday 30.11.2026 08:00 in Moscow: 10:00 in Yekaterinburg, 12:00 in Novosibirsk. */
const MONDAY = new Date("2026-11-30T05:00:00Z");
const NETWORK = "Радуга";
const BOT_ENV = { ...process.env, BOT_USERNAME: "nastavnik_test_bot", BOT_TOKEN: "" };

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, BOT_ENV);
  return { code, out, err };
}

interface Kindergarten {
  org: OrganizationView;
  mentee: string;
  mentor: string;
}

/** Three kindergartens of the network in three zones and a fourth outside it, each with a mentee, a mentor, a request, a pair and a held meeting in the week. */
async function seedNetwork(): Promise<{ kgs: Kindergarten[]; outside: Kindergarten }> {
  const specs: Array<[string, string, string | undefined, string, string]> = [
    ["МДОУ «Детский сад № 12» Ярославль", "Europe/Moscow", NETWORK, "Снегирёва Алина Павловна", "Жаворонкова Елена Ивановна"],
    ["МАДОУ «Детский сад № 45» Екатеринбург", "Asia/Yekaterinburg", NETWORK, "Клёнова Дарья Сергеевна", "Рябинина Ольга Петровна"],
    ["МБДОУ «Детский сад № 8» Новосибирск", "Asia/Novosibirsk", NETWORK, "Ольхова Ксения Игоревна", "Кедрова Наталья Юрьевна"],
    ["МДОУ «Детский сад № 99» Вологда", "Europe/Moscow", undefined, "Посторонняя Виолетта Андреевна", "Чужакова Раиса Петровна"],
  ];
  const out: Kindergarten[] = [];
  for (const [i, [name, tz, network, menteeName, mentorName]] of specs.entries()) {
    const o = await org(name, tz, network);
    const mentee = await person(o.id, menteeName);
    const mentorId = await person(o.id, mentorName, { roles: [{ role: "mentor", organizationId: new Types.ObjectId(o.id), grantedAt: new Date("2026-09-01T00:00:00Z") }] });
    await mentorProfile(o.id, mentorId, 3, 1);
    const open = await person(o.id, `Ожидающая ${i + 1} ${menteeName.split(" ")[0]}`);
    await request(o.id, open, "2026-11-26T06:00:00Z", [], ["E1"]);
    const req = await request(o.id, mentee, "2026-11-24T06:00:00Z", [["matched", "2026-11-24T09:00:00Z"]], ["C3"]);
    const p = await pair(o.id, req, mentorId, mentee, "2026-11-24T09:00:00Z");
    await meeting(o.id, mentorId, "2026-11-25T09:00:00Z", "held", { kind: "pair", pairId: p, participantIds: [mentee] });
    out.push({ org: o, mentee: menteeName, mentor: mentorName });
  }
  return { kgs: out.slice(0, 3), outside: out[3] as Kindergarten };
}

/** The whole onboarding through a network curator's link: the person picks her own workplace. */
async function registerNetworkCurator(t: TestBot, u: TestUser, payload: string, workplaceQuery: string, fullName: string): Promise<void> {
  await say(t, u, `/start ${payload}`);
  await press(t, u, "ob:lang:ru");
  await press(t, u, "ob:consent:yes");
  await say(t, u, fullName);
  await press(t, u, "pf:pos:methodologist");
  expect(t.fake.lastTextTo(u.chatId)).toContain("Напишите название вашего детского сада");
  await say(t, u, workplaceQuery);
  await press(t, u, /^pf:org:/);
  expect(t.fake.lastTextTo(u.chatId)).toContain(`сеть «${NETWORK}»`);
  await press(t, u, "ob:confirm");
}

const texts = (t: TestBot, u: TestUser) => t.fake.textsTo(u.chatId);
const lastAlert = (t: TestBot) => String(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");

async function workbookRows(t: TestBot, u: TestUser, sheet: string): Promise<string[]> {
  const doc = t.fake.sent("sendDocument").filter((c) => Number(c.payload.chat_id) === u.chatId).at(-1);
  const content = doc?.files.document?.content;
  expect(content).toBeDefined();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(sheet);
  expect(ws, sheet).toBeDefined();
  const rows: string[] = [];
  ws?.eachRow((row) => rows.push((row.values as unknown[]).map((v) => (v && typeof v === "object" && "text" in v ? String((v as { text: unknown }).text) : String(v ?? ""))).join(" | ")));
  return rows;
}

describe("a network curator (issue 15)", () => {
  it("the CLI's network invite makes a curator of every kindergarten of the network, in three zones; a fourth never appears; drill-downs are re-authorized", { timeout: 90_000 }, async () => {
    const { kgs, outside } = await seedNetwork();
    const [yar, ekb, nsk] = kgs as [Kindergarten, Kindergarten, Kindergarten];

    // CLI: wrong combinations are usage errors; an unknown network fails; the right one prints the link.
    expect((await cli(["invite", "--network", NETWORK, "--role", "mentor"])).code).toBe(2);
    expect((await cli(["invite", "--network", NETWORK, "--org", yar.org.id, "--role", "curator"])).code).toBe(2);
    const unknown = await cli(["invite", "--network", "Нет такой", "--role", "curator"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err.join("\n")).toContain("not found");
    const run = await cli(["invite", "--network", NETWORK, "--role", "curator"]);
    expect(run.code, run.err.join("\n")).toBe(0);
    expect(run.err.join("\n")).toContain(`invite for network «${NETWORK}» (3 organizations) as curator`);
    const payload = /start=(i_[A-Za-z0-9_-]{32})$/.exec(run.out[0] ?? "")?.[1] as string;
    const usable = await findUsableInvite(payload, new Date());
    expect(usable).toEqual({ id: expect.any(String), networkId: expect.any(String), role: "curator" });
    expect((await Invite.findById(usable?.id).lean())?.organizationId).toBeUndefined();

    const c = clock(MONDAY);
    const t = buildTestBot({ clock: c });
    const curator = makeUser(715001, "Методист", "ru");
    await registerNetworkCurator(t, curator, payload, "№ 12", "Методова Вера Николаевна");
    expect(texts(t, curator).join("\n")).toContain(`Вы зарегистрированы: куратор сети «${NETWORK}» (место работы: ${yar.org.shortName})`);
    const stored = await User.findOne({ telegramId: curator.id }).lean();
    expect(stored?.organizationId?.toString()).toBe(yar.org.id);
    expect(stored?.roles.map((r) => ({ role: r.role, network: r.networkId?.toString(), org: r.organizationId?.toString() }))).toEqual([
      { role: "curator", network: usable?.networkId, org: undefined },
    ]);
    const [recipient] = await digestRecipients([], stored?._id.toString());
    expect(new Set(recipient?.scope)).toEqual(new Set(kgs.map((k) => k.org.id)));
    expect(recipient?.zone).toBe("Europe/Moscow");

    // /digest: the network by name, a line per kindergarten, one drill-down button each; nothing of the fourth.
    await say(t, curator, "/digest");
    const digest = texts(t, curator).find((x) => x.includes("Сводка за")) ?? "";
    expect(digest).toContain(`— сеть «${NETWORK}» (3 детских сада)`);
    expect(digest).toContain("Новые: 6 (+6) · пары сформированы: 3 (+3)");
    expect(digest).toContain("По организациям (3)");
    for (const k of kgs) expect(digest).toContain(`${k.org.shortName}: новые 2, пары 1, встречи 1, ждут 1`);
    expect(digest).not.toContain(outside.org.shortName);
    expect(digest).not.toContain("Посторонняя");
    const digestMsg = t.fake.messagesTo(curator.chatId).find((m) => m.text.includes("Сводка за"));
    const drill = (digestMsg?.buttons ?? []).filter((b) => b.data?.startsWith("dg:k:d:"));
    expect(drill.map((b) => b.text).sort()).toEqual(kgs.map((k) => `🏫 ${k.org.shortName}`).sort());
    expect(drill.every((b) => Buffer.byteLength(b.data ?? "") <= 64)).toBe(true);
    expect(drill.some((b) => b.data?.includes(outside.org.id))).toBe(false);

    // Drill-down into Yekaterinburg: that kindergarten alone, its people named.
    await press(t, curator, new RegExp(`^dg:k:d:${ekb.org.id}:`));
    const one = texts(t, curator).filter((x) => x.includes("Сводка за")).at(-1) ?? "";
    expect(one).toContain(`— ${ekb.org.shortName}`);
    expect(one).toContain("Новые: 2 (+2) · пары сформированы: 1 (+1)");
    expect(one).toContain("Ожидающая 2 Клёнова");
    expect(one).not.toContain("Ожидающая 1");
    expect(one).not.toContain("По организациям");

    // A forged button for the kindergarten outside the network: a polite alert, nothing sent.
    const before = t.fake.sent().length;
    const period = (digestMsg?.buttons.find((b) => b.data?.startsWith("dg:k:d:"))?.data ?? "").split(":").slice(4).join(":");
    for (const data of [`dg:k:d:${outside.org.id}:${period}`, `dg:k:r:${outside.org.id}:${period}`, `dg:dk:${outside.org.id}:${period}`, `dg:doc:o:${period}:${outside.org.id}`, `dg:xk:${outside.org.id}`, `dg:x:xlsx:${outside.org.id}`, `mr:k:${outside.org.id}`]) {
      await t.send(callback(curator, data));
      expect(lastAlert(t), data).toBe("Этот детский сад не входит в круг ваших полномочий.");
    }
    expect(t.fake.sent().slice(before).filter((x) => x.method !== "answerCallbackQuery")).toEqual([]);

    // /report: the same breakdown with report drill-downs; documents per kindergarten.
    await say(t, curator, "/report");
    await press(t, curator, "dg:p:last_week");
    const report = texts(t, curator).filter((x) => x.includes("Отчёт за")).at(-1) ?? "";
    expect(report).toContain(`Отчёт за 23.11–29.11.2026 — сеть «${NETWORK}» (3 детских сада)`);
    expect(report).not.toContain(outside.org.shortName);
    await press(t, curator, new RegExp(`^dg:k:r:${nsk.org.id}:`));
    const nskReport = texts(t, curator).filter((x) => x.includes("Отчёт за")).at(-1) ?? "";
    expect(nskReport).toContain(`Отчёт за 23.11–29.11.2026 — ${nsk.org.shortName}`);
    expect(nskReport).toContain("Показатели программы");
    const offer = t.fake.messagesTo(curator.chatId).filter((m) => m.buttons.some((b) => b.data?.startsWith("dg:dk:"))).at(-1);
    expect(offer?.text).toContain("по всей сети или по отдельному детскому саду");
    expect(offer?.buttons.filter((b) => b.data?.startsWith("dg:dk:"))).toHaveLength(3);
    await press(t, curator, new RegExp(`^dg:dk:${yar.org.id}:`));
    const doc = t.fake.sent("sendDocument").at(-1);
    expect(String(doc?.files.document?.filename)).toContain("otchet-");
    expect(String(doc?.files.document?.filename)).toContain("12");

    // /export: a line of key figures per kindergarten, the whole network's workbook, and one kindergarten's.
    await say(t, curator, "/export");
    const ask = t.fake.lastMessageTo(curator.chatId);
    for (const k of kgs) expect(ask?.text).toContain(`• ${k.org.shortName}: наставляемых 2, наставников 1, активных пар 1, ждут наставника 1`);
    expect(ask?.text).not.toContain(outside.org.shortName);
    expect(ask?.buttons.filter((b) => b.data?.startsWith("dg:xk:"))).toHaveLength(3);
    await press(t, curator, "dg:x:xlsx");
    const all = await workbookRows(t, curator, "База наставляемых");
    for (const k of kgs) expect(all.join("\n")).toContain(k.mentee);
    expect(all.join("\n")).not.toContain("Посторонняя");
    expect(all.join("\n")).not.toContain(outside.org.shortName);
    expect(all.length).toBe(1 + 6);
    const pairs = await workbookRows(t, curator, "Пары и программы");
    expect(pairs.join("\n")).not.toContain("Чужакова");
    expect(pairs.length).toBe(1 + 3);
    await press(t, curator, `dg:xk:${ekb.org.id}`);
    expect(t.fake.lastTextTo(curator.chatId)).toContain(ekb.org.shortName);
    await press(t, curator, `dg:x:xlsx:${ekb.org.id}`);
    const single = await workbookRows(t, curator, "База наставляемых");
    expect(single.length).toBe(1 + 2);
    expect(single.join("\n")).toContain(ekb.mentee);
    expect(single.join("\n")).not.toContain(yar.mentee);

    // /mentors: the registry per kindergarten, then one kindergarten's registry.
    await say(t, curator, "/mentors");
    const breakdown = t.fake.messagesTo(curator.chatId).filter((m) => m.text.includes("Реестр наставников по детским садам")).at(-1);
    for (const k of kgs) expect(breakdown?.text).toContain(`• ${k.org.shortName}: одобрено 1, ждут одобрения 0, нагрузка 1/3, свободных мест 2`);
    expect(breakdown?.text).not.toContain(outside.org.shortName);
    const list = t.fake.lastTextTo(curator.chatId) ?? "";
    expect(list).toContain(`${yar.mentor} (${yar.org.shortName})`);
    expect(list).not.toContain(outside.mentor);
    await press(t, curator, `mr:k:${nsk.org.id}`);
    const nskList = t.fake.lastTextTo(curator.chatId) ?? "";
    expect(nskList).toContain(`Реестр наставников</b> (1): — ${nsk.org.shortName}`);
    expect(nskList).toContain(nsk.mentor);
    expect(nskList).not.toContain(yar.mentor);

    // The scope is read at the time of the press: once the fourth kindergarten joins the network, its button works.
    expect((await joinNetwork(NETWORK, outside.org.id)).ok).toBe(true);
    await t.send(callback(curator, `dg:k:d:${outside.org.id}:${period}`));
    expect(texts(t, curator).filter((x) => x.includes("Сводка за")).at(-1)).toContain(`— ${outside.org.shortName}`);
  });

  it("an admin invites a network curator in chat; a registered teacher accepting it gains the network role", async () => {
    const { kgs, outside } = await seedNetwork();
    const admin = makeUser(715010, "Админ", "ru");
    const t = buildTestBot({ clock: clock(MONDAY), config: { adminIds: [admin.id] } });
    await register(t, admin, { payload: await inviteFor(outside.org.id, "mentor", 1, 7 * 86_400_000, MONDAY), role: "mentor", answers: { fullName: "Админова Ирина Львовна" } });
    // An organization outside networks offers no network role.
    await say(t, admin, "/invite");
    await say(t, admin, "№ 99");
    await press(t, admin, /^pf:org:/);
    expect(t.fake.lastMessageTo(admin.chatId)?.buttons.map((b) => b.data)).toEqual(["iv:role:mentee", "iv:role:mentor", "iv:role:curator"]);
    await say(t, admin, "/cancel");
    await say(t, admin, "/invite");
    await say(t, admin, "№ 45");
    await press(t, admin, /^pf:org:/);
    const roles = t.fake.lastMessageTo(admin.chatId)?.buttons ?? [];
    const networkButton = roles.find((b) => b.data?.startsWith("iv:role:n:"));
    expect(networkButton?.text).toBe(`Куратор сети «${NETWORK}»`);
    await press(t, admin, networkButton?.data as string);
    await press(t, admin, "iv:uses:1");
    await press(t, admin, "iv:ttl:7");
    const created = t.fake.lastMessageTo(admin.chatId);
    expect(created?.text).toContain(`Приглашение готово: сеть «${NETWORK}» (все её детские сады), роль «куратор»`);
    const payload = /start=(i_[A-Za-z0-9_-]{32})/.exec(created?.text ?? "")?.[1];
    const invite = await Invite.findOne({ networkId: { $exists: true } }).lean();
    expect(invite).toMatchObject({ role: "curator", maxUses: 1 });
    expect(invite?.organizationId).toBeUndefined();

    const teacher = makeUser(715011, "Учитель", "ru");
    await register(t, teacher, { payload: await inviteFor(kgs[1]!.org.id, "mentee", 1, 7 * 86_400_000, MONDAY), answers: { fullName: "Белова Анна Игоревна" } });
    await say(t, teacher, `/start ${payload}`);
    expect(texts(t, teacher).join("\n")).toContain(`теперь у вас есть роль «куратор» во всех детских садах сети «${NETWORK}»`);
    const u = await User.findOne({ telegramId: teacher.id }).lean();
    expect(u?.roles.map((r) => [r.role, Boolean(r.networkId)])).toEqual([
      ["mentee", false],
      ["curator", true],
    ]);
    await say(t, teacher, "/digest");
    const digest = texts(t, teacher).filter((x) => x.includes("Сводка за")).at(-1) ?? "";
    expect(digest).toContain(`сеть «${NETWORK}» (3 детских сада)`);
    expect(digest).not.toContain(outside.org.shortName);
    // A curator (not an admin) cannot revoke the network invite.
    await t.send(callback(teacher, `iv:rv:${invite?._id}`));
    expect(lastAlert(t)).toBe("Это действие вам недоступно.");
  });
});

describe("who gets a digest (digestRecipients)", () => {
  it("one person's entry is the one everyone's list gives them, read from only the organizations it names; everyone's list is read on the heavy reads' connection", async () => {
    const ekb = await org("МАДОУ «Детский сад № 45» Екатеринбург", "Asia/Yekaterinburg", NETWORK);
    const nsk = await org("МБДОУ «Детский сад № 8» Новосибирск", "Asia/Novosibirsk", NETWORK);
    const vol = await org("МДОУ «Детский сад № 99» Вологда", "Europe/Moscow");
    const irk = await org("МБДОУ «Детский сад № 3» Иркутск", "Asia/Irkutsk");
    const network = new Types.ObjectId(ekb.networkIds[0]);
    const role = (r: string, where: { organizationId?: string; networkId?: Types.ObjectId }) => ({ role: r, grantedAt: new Date("2026-09-01T00:00:00Z"), ...(where.organizationId ? { organizationId: new Types.ObjectId(where.organizationId) } : {}), ...(where.networkId ? { networkId: where.networkId } : {}) });
    let tg = 880_000;
    const someone = (orgId: string, roles: unknown[], extra: Record<string, unknown> = {}) => person(orgId, `Куратор ${tg}`, { telegramId: tg++, roles, ...extra });
    // A network curator working in Vologda (outside the network): the network's kindergartens, Vologda's zone.
    await someone(vol.id, [role("curator", { networkId: network })], { locale: "en" });
    // A curator of Irkutsk working in Novosibirsk, and of Yekaterinburg through the network.
    await someone(nsk.id, [role("curator", { organizationId: irk.id }), role("curator", { networkId: network })]);
    // A curator whose own kindergarten is gone: the zone of the one curated.
    await someone(new Types.ObjectId().toString(), [role("curator", { organizationId: irk.id })]);
    // A curator of a kindergarten that is gone: in scope, the default zone.
    await someone(new Types.ObjectId().toString(), [role("curator", { organizationId: new Types.ObjectId().toString() })]);
    // An admin by role in Novosibirsk, and one by ADMIN_IDS with no kindergarten.
    await someone(nsk.id, [role("admin", {})]);
    const adminById = tg;
    const noKindergarten = await someone(new Types.ObjectId().toString(), []);
    await User.collection.updateOne({ _id: noKindergarten }, { $unset: { organizationId: 1 } });
    // Not recipients: a mentee, an erased curator, a curator who has not finished registering.
    await someone(irk.id, [role("mentee", { organizationId: irk.id })]);
    await someone(irk.id, [role("curator", { organizationId: irk.id })], { erasedAt: new Date() });
    const unfinished = await someone(irk.id, [role("curator", { organizationId: irk.id })]);
    await User.collection.updateOne({ _id: unfinished }, { $unset: { registeredAt: 1 } });

    const finds = [vi.spyOn(User, "find"), vi.spyOn(readModels().User, "find")];
    // In no particular order: by Telegram id here.
    const everyone = (await digestRecipients([adminById])).sort((a, b) => a.telegramId - b.telegramId);
    expect(finds.map((f) => f.mock.calls.length)).toEqual([0, 1]);
    finds.forEach((f) => f.mockRestore());
    const sorted = (r: DigestRecipient) => ({ ...r, scope: r.scope && [...r.scope].sort() });
    expect(everyone.map((r) => [r.telegramId, r.zone, r.scope?.length ?? "all", r.locale, r.admin])).toEqual([
      [880_000, "Europe/Moscow", 2, "en", false],
      [880_001, "Asia/Novosibirsk", 3, "ru", false],
      [880_002, "Asia/Irkutsk", 1, "ru", false],
      [880_003, "Europe/Moscow", 1, "ru", false],
      [880_004, "Asia/Novosibirsk", "all", "ru", true],
      [880_005, "Europe/Moscow", "all", "ru", true],
    ]);
    expect(new Set(everyone[1]?.scope)).toEqual(new Set([irk.id, ekb.id, nsk.id]));
    for (const r of everyone) expect((await digestRecipients([adminById], r.userId)).map(sorted)).toEqual([sorted(r)]);
  });
});
