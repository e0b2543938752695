import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { callback, command, makeUser } from "./helpers/updates.ts";

useTestDatabase();

describe("Bot API faults", () => {
  it("waits out a 429 with retry_after and delivers the message", async () => {
    const t = buildTestBot();
    const u = makeUser(201, "Лимит", "ru");
    t.fake.failNext("sendMessage", { kind: "429", retryAfter: 1 });
    const started = Date.now();
    await t.send(command(u, "/help"));
    const attempts = t.fake.calls.filter((c) => c.method === "sendMessage");
    expect(attempts.map((a) => a.failed)).toEqual([true, false]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(t.fake.lastTextTo(u.chatId)).toContain("Что умеет");
  });

  it("retries 5xx answers and network errors", async () => {
    const t = buildTestBot();
    const u = makeUser(202, "Сеть", "ru");
    t.fake.failNext("sendMessage", { kind: "500" });
    t.fake.failNext("sendMessage", { kind: "network" });
    await t.send(command(u, "/help"));
    expect(t.fake.calls.filter((c) => c.method === "sendMessage").map((c) => c.failed)).toEqual([true, true, false]);
    expect(t.fake.textsTo(u.chatId)).toHaveLength(1);
  });

  it("retries inside conversations too", async () => {
    const t = buildTestBot();
    const u = makeUser(203, "Диалог", "ru");
    await t.send(command(u, "/language"));
    t.fake.failNext("editMessageText", { kind: "429", retryAfter: 1 });
    await t.send(callback(u, "lang:en"));
    expect(t.fake.calls.filter((c) => c.method === "editMessageText").map((c) => c.failed)).toEqual([true, false]);
    expect(t.fake.lastTextTo(u.chatId)).toBe("Done: I now speak English.");
  });

  it("a 403 (bot blocked) ends the update through the error boundary without crashing", async () => {
    const t = buildTestBot();
    const u = makeUser(204, "Заблокировал", "ru");
    t.fake.failNext("sendMessage", { kind: "403" }, 2, u.chatId);
    await t.send(command(u, "/help"));
    expect(t.fake.calls.filter((c) => c.method === "sendMessage" && c.failed)).toHaveLength(2);
    expect(t.logs.errors().some((l) => l.msg === "update failed")).toBe(true);
    expect(t.logs.errors().some((l) => l.msg === "could not send the apology")).toBe(true);
    // The bot keeps working for everybody else.
    const v = makeUser(205, "Другой", "ru");
    await t.send(command(v, "/help"));
    expect(t.fake.textsTo(v.chatId)).toHaveLength(1);
  });
});
