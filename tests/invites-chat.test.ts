import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, makeUser } from "./helpers/updates.ts";
import { inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { Invite, User } from "../models/index.ts";
import { grantRole } from "../src/domain/roles.ts";
import { addOrganization, type OrganizationView, type Result } from "../src/domain/organizations.ts";

function value(result: Result<OrganizationView>): OrganizationView {
  if (!result.ok) throw result.error;
  return result.value;
}

useTestDatabase();

describe("invitations in chat", () => {
  it("a curator creates a multi-use mentor link that works; a mentee cannot invite or revoke", async () => {
    const t = buildTestBot();
    const kg = await org("МДОУ «Детский сад № 155»");
    const curator = makeUser(700301, "Куратор", "ru");
    await register(t, curator, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Орлова Светлана Юрьевна", position: "methodologist" } });
    await press(t, curator, "m:invite");
    expect(t.fake.lastMessageTo(curator.chatId)?.buttons.map((b) => b.data)).toEqual(["iv:role:mentee", "iv:role:mentor"]);
    await press(t, curator, "iv:role:mentor");
    await press(t, curator, "iv:uses:10");
    await press(t, curator, "iv:ttl:7");
    const created = t.fake.lastMessageTo(curator.chatId);
    const link = /https:\/\/t\.me\/nastavnik_test_bot\?start=(i_[A-Za-z0-9_-]{32})/.exec(created?.text ?? "");
    expect(link, created?.text).not.toBeNull();
    const invite = await Invite.findOne({ role: "mentor" }).lean();
    expect(invite).toMatchObject({ maxUses: 10, remainingUses: 10 });

    const mentor = makeUser(700302, "Наставник", "ru");
    await register(t, mentor, { payload: link?.[1], role: "mentor", answers: { fullName: "Волкова Наталья Сергеевна", experience: "18", category: "highest" } });
    expect((await User.findOne({ telegramId: mentor.id }).lean())?.roles.map((r) => r.role)).toEqual(["mentor"]);

    const mentee = makeUser(700303, "Молодой", "ru");
    await register(t, mentee, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Новикова Дарья Олеговна" } });
    await say(t, mentee, "/invite");
    expect(t.fake.lastTextTo(mentee.chatId)).toBe("Это действие вам недоступно.");
    const revoke = created?.buttons.find((b) => b.data?.startsWith("iv:rv:"))?.data as string;
    await t.send(callback(mentee, revoke));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Это действие вам недоступно.");
    expect((await Invite.findById(invite?._id).lean())?.revokedAt).toBeUndefined();

    // The revoke button works even in the middle of another dialog (which it ends).
    await say(t, curator, "/invite");
    await t.send(callback(curator, revoke));
    expect(t.fake.sent("answerCallbackQuery").at(-1)?.payload.text).toBe("Приглашение отозвано.");
    // /help lists the curator's own commands; keyboards carry no empty rows.
    await say(t, curator, "/help");
    expect(t.fake.lastTextTo(curator.chatId)).toContain("/invite — Пригласить педагогов");
    for (const call of t.fake.sent()) {
      const rows = (call.payload.reply_markup as { inline_keyboard?: unknown[][] } | undefined)?.inline_keyboard ?? [];
      expect(rows.every((r) => r.length > 0), call.method).toBe(true);
    }
    const late = makeUser(700304, "Поздно", "ru");
    await say(t, late, `/start ${link?.[1]}`);
    expect(t.fake.textsTo(late.chatId)[0]).toContain("Ссылка-приглашение недействительна");
  });

  it("an admin (ADMIN_IDS) may invite curators; a registered user accepting an invite gains the role", async () => {
    const kg = await org("Детский сад № 232 Ярославль");
    const admin = makeUser(700305, "Админ", "ru");
    const t = buildTestBot({ config: { adminIds: [admin.id] } });
    await register(t, admin, { payload: await inviteFor(kg.id, "mentor"), role: "mentor", answers: { fullName: "Админова Ирина Львовна" } });
    await say(t, admin, "/invite");
    await say(t, admin, "232");
    await press(t, admin, /^pf:org:/);
    expect(t.fake.lastMessageTo(admin.chatId)?.buttons.map((b) => b.data)).toContain("iv:role:curator");
    await press(t, admin, "iv:role:curator");
    await press(t, admin, "iv:uses:1");
    await press(t, admin, "iv:ttl:1");
    const payload = /start=(i_[A-Za-z0-9_-]{32})/.exec(t.fake.lastTextTo(admin.chatId) ?? "")?.[1];
    expect(payload).toBeDefined();

    const teacher = makeUser(700306, "Учитель", "ru");
    await register(t, teacher, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Белова Анна Игоревна" } });
    await say(t, teacher, `/start ${payload}`);
    expect(t.fake.textsTo(teacher.chatId).join("\n")).toContain("теперь у вас есть роль «куратор»");
    const roles = (await User.findOne({ telegramId: teacher.id }).lean())?.roles.map((r) => r.role);
    expect(roles).toEqual(["mentee", "curator"]);
    // Granting the same role twice changes nothing.
    const u = await User.findOne({ telegramId: teacher.id }).lean();
    expect(await grantRole(u!._id, "curator", { organizationId: kg.id }, "test", new Date())).toBe(false);
  });

  it("two kindergartens of the same name in two towns are told apart by their town when picked", async () => {
    const yar = value(await addOrganization({ shortName: "Детский сад № 5", timezone: "Europe/Moscow", municipality: "Ярославль" }));
    const ryb = value(await addOrganization({ shortName: "Детский сад № 5", timezone: "Europe/Moscow", municipality: "Рыбинск" }));
    const admin = makeUser(700307, "Админ", "ru");
    const t = buildTestBot({ config: { adminIds: [admin.id] } });
    await register(t, admin, { payload: await inviteFor(yar.id, "mentor"), role: "mentor", answers: { fullName: "Админова Ирина Львовна" } });
    await say(t, admin, "/invite");
    await say(t, admin, "сад 5");
    const buttons = t.fake.lastMessageTo(admin.chatId)?.buttons ?? [];
    expect(buttons.filter((b) => b.data?.startsWith("pf:org:")).map((b) => [b.text, b.data])).toEqual(
      expect.arrayContaining([
        ["Детский сад № 5 (Рыбинск)", `pf:org:${ryb.id}`],
        ["Детский сад № 5 (Ярославль)", `pf:org:${yar.id}`],
      ]),
    );
    await press(t, admin, `pf:org:${ryb.id}`);
    expect(t.fake.textsTo(admin.chatId).join("\n")).toContain("Детский сад № 5 (Рыбинск)");
  });
});
