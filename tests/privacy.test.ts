import { describe, expect, it, vi } from "vitest";
import mongoose from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { makeUser } from "./helpers/updates.ts";
import { inviteFor, org, press, register, say } from "./helpers/scenario.ts";
import { Consent, Erasure, User } from "../models/index.ts";
import { DEFICIT_CATALOGUE, seedDeficitCatalogue } from "../src/domain/deficits.ts";
import { DeficitTopic } from "../models/index.ts";

useTestDatabase();

async function scanDatabase(needles: string[]): Promise<string[]> {
  const db = mongoose.connection.db;
  if (!db) throw new Error("no db");
  const hits: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      const text = JSON.stringify(doc);
      for (const n of needles) if (text.includes(n)) hits.push(`${name}: ${n}`);
    }
  }
  return hits;
}

describe("privacy", () => {
  it("/privacy explains, /mydata sends everything as JSON", async () => {
    const t = buildTestBot();
    const kg = await org("Детский сад № 12 Ярославль");
    const u = makeUser(800201, "Мария", "ru", { username: "maria_k" });
    await register(t, u, { payload: await inviteFor(kg.id, "mentee"), answers: { fullName: "Ковалёва Мария Игоревна", birthYear: "1997" } });
    await say(t, u, "/privacy");
    expect(t.fake.lastTextTo(u.chatId)).toContain("Какие данные хранит «Наставник»");
    await say(t, u, "/mydata");
    const doc = t.fake.sent("sendDocument").at(-1);
    expect(doc?.files.document?.filename).toBe("nastavnik-my-data.json");
    const data = JSON.parse(doc?.files.document?.content.toString("utf8") ?? "{}");
    expect(data.telegramId).toBe(u.id);
    expect(data.profile.fullName).toBe("Ковалёва Мария Игоревна");
    expect(data.account.username).toBe("maria_k");
    expect(data.organization.shortName).toBe("Детский сад № 12 Ярославль");
    expect(data.consents[0]).toMatchObject({ type: "pd_processing", decision: "given" });
    expect(data.roles[0].role).toBe("mentee");
  });

  it("/deleteme asks first, then leaves no personal data in any collection", async () => {
    const t = buildTestBot();
    const kg = await org("Детский сад Солнышко");
    const curator = makeUser(800202, "Куратор", "ru");
    await register(t, curator, { payload: await inviteFor(kg.id, "curator"), role: "curator", answers: { fullName: "Лебедева Галина Петровна", position: "senior_educator" } });
    const u = makeUser(800203, "Юлия", "ru", { username: "yulia_unique_handle" });
    await register(t, u, { orgQuery: "Солнышко", answers: { fullName: "Зайцева Юлия Романовна", birthYear: "2000" } });

    await say(t, u, "/deleteme");
    await press(t, u, "del:no");
    expect(t.fake.lastTextTo(u.chatId)).toBe("Хорошо, ничего не удалено.");
    expect(await User.countDocuments({ telegramId: u.id })).toBe(1);

    await say(t, u, "/deleteme");
    await press(t, u, "del:yes");
    expect(t.fake.lastTextTo(u.chatId)).toContain("Ваши персональные данные удалены");
    expect(await scanDatabase(["Зайцева", "Юлия Романовна", String(u.id), "yulia_unique_handle"])).toEqual([]);
    const tomb = await User.findOne({ erasedAt: { $exists: true } }).lean();
    expect(tomb?.roles).toEqual([]);
    expect(await Consent.countDocuments({ withdrawnAt: { $exists: true } })).toBe(1);
    const erasure = await Erasure.findOne({}).lean();
    expect(JSON.parse(erasure?.counts ?? "{}")).toMatchObject({ user: 1, consents: 1, joinRequests: 1 });
    // The curator's data is untouched; the erased person is a newcomer again.
    expect(await User.countDocuments({ telegramId: curator.id, registeredAt: { $exists: true } })).toBe(1);
    await say(t, u, "/start");
    expect(t.fake.lastMessageTo(u.chatId)?.buttons.map((b) => b.data)).toEqual(["ob:lang:ru", "ob:lang:en"]);
    await say(t, u, "/mydata");
    expect(t.fake.lastTextTo(u.chatId)).toBe("О вас не хранится никаких данных.");
  });

  it("the deficit catalogue loads idempotently, and refreshes only what differs", async () => {
    expect(await seedDeficitCatalogue()).toBe(25);
    const writes = vi.spyOn(DeficitTopic, "bulkWrite");
    expect(await seedDeficitCatalogue()).toBe(0);
    expect(writes).not.toHaveBeenCalled(); // an unchanged catalogue is not written again
    expect(await DeficitTopic.countDocuments({})).toBe(DEFICIT_CATALOGUE.length);
    // A stale label and a lost topic are mended, and only they are written.
    await DeficitTopic.updateOne({ code: "G2" }, { $set: { labelEn: "old wording", order: 99 } });
    await DeficitTopic.deleteOne({ code: "B3" });
    expect(await seedDeficitCatalogue()).toBe(1);
    expect(await DeficitTopic.countDocuments({})).toBe(DEFICIT_CATALOGUE.length);
    expect(await DeficitTopic.findOne({ code: "G2" }).lean()).toMatchObject({ labelEn: "Low motivation for results", order: 22 });
    expect(writes.mock.calls.flatMap(([ops]) => ops.map((op) => ("updateOne" in op ? op.updateOne.filter : op)))).toEqual([{ code: "B3" }, { code: "G2" }]);
    writes.mockRestore();
    expect(DEFICIT_CATALOGUE).toHaveLength(25);
    const g1 = await DeficitTopic.findOne({ code: "G1" }).lean();
    expect(g1).toMatchObject({ group: "G", labelRu: "Низкая самооценка своей деятельности", labelEn: "Low self-assessment of one's own work" });
  });
});
