import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { clock, inviteFor, org, press, register } from "./helpers/scenario.ts";
import { callback, command, makeUser } from "./helpers/updates.ts";
import { ConversationState, User } from "../models/index.ts";
import { runMaintenance } from "../jobs/maintenance.ts";

/** Issue 13, Build item 4: dialog state before consent holds no more than the chat id, and abandoned dialogs expire. */
useTestDatabase();

describe("dialog state before consent", () => {
  it("keeps no name or handle, and an abandoned onboarding is removed after 24 h by maintenance", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const u = makeUser(840_001, "Зинаида", "ru", { username: "zina_private_handle", last_name: "Потаённая" });
    await t.send(command(u, "/start"));
    await press(t, u, "ob:lang:ru");
    const doc = await ConversationState.findOne({ key: String(u.chatId) }).lean();
    expect(doc).not.toBeNull();
    for (const needle of ["Зинаида", "zina_private_handle", "Потаённая"]) expect(doc?.state).not.toContain(needle);
    expect(await User.countDocuments({ telegramId: u.id, registeredAt: { $exists: true } })).toBe(0);

    // Still there within 24 h; gone after.
    await runMaintenance(c, t.logger);
    expect(await ConversationState.countDocuments({ key: String(u.chatId) })).toBe(1);
    await ConversationState.collection.updateOne({ key: String(u.chatId) }, { $set: { updatedAt: new Date(c.now().getTime() - 25 * 3_600_000) } });
    await runMaintenance(c, t.logger);
    expect(await ConversationState.countDocuments({ key: String(u.chatId) })).toBe(0);
  });
});

describe("input (Build item 7)", () => {
  it("a name typed in NFD (combining marks) is accepted and stored in NFC", async () => {
    const t = buildTestBot();
    const kg = await org("Детский сад № 31");
    const u = makeUser(840_010, "Зоя");
    const nfd = "Зоя Йотова Андреевна".normalize("NFD");
    expect(nfd).not.toBe(nfd.normalize("NFC"));
    await register(t, u, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: nfd } });
    const stored = await User.findOne({ telegramId: u.id }).lean();
    expect(stored?.registeredAt).toBeDefined();
    expect(stored?.profile?.fullName).toBe("Зоя Йотова Андреевна".normalize("NFC"));
  });

  it("an old button pressed while a text answer is awaited is answered (the client does not spin)", async () => {
    const t = buildTestBot();
    const kg = await org("Детский сад № 32");
    const u = makeUser(840_011, "Фаина");
    await t.send(command(u, `/start ${await inviteFor(kg.id, "mentee")}`));
    await press(t, u, "ob:lang:ru");
    await press(t, u, "ob:consent:yes");
    // Now the dialog waits for the full name as text; an old button is pressed.
    const old = callback(u, "ob:lang:en");
    await t.send(old);
    const cbId = (old as { callback_query: { id: string } }).callback_query.id;
    expect(t.fake.sent("answerCallbackQuery").filter((c) => c.payload.callback_query_id === cbId)).toHaveLength(1);
  });
});
