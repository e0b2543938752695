import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Types } from "mongoose";
import { describe, expect, inject, it, vi } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { inviteFor, org, register } from "./helpers/scenario.ts";
import { makeUser } from "./helpers/updates.ts";
import { Organization, User } from "../models/index.ts";
import { isFerretdb } from "../src/db/connection.ts";
import { allOrganizations, byShortName, networkMemberIds, organizationById, organizationCache, organizationsByIds } from "../src/db/organization-cache.ts";
import { organizationsRequiringTraining, organizationZones } from "../src/domain/matching.ts";
import { userCache } from "../src/db/user-cache.ts";
import { readModels } from "../src/db/read-connection.ts";
import { addNetwork, joinNetwork } from "../src/domain/organizations.ts";

useTestDatabase({ resetBetweenTests: true });

describe("the organizations' copy (FerretDB)", () => {
  it("answers by id as stored, through additions and writes of every kind, and reads nothing while nothing changed", async () => {
    expect(organizationCache.enabled).toBe(await isFerretdb(inject("mongoUri")));
    const enabled = organizationCache.enabled;
    organizationCache.enabled = true;
    const loads = vi.spyOn(readModels().Organization, "find");
    const byId = vi.spyOn(Organization, "findById");
    try {
      const a = await org("МБДОУ «Детский сад № 5»");
      expect((await organizationById(a.id))?.shortName).toBe("МБДОУ «Детский сад № 5»");
      expect(await organizationById("0123456789abcdef01234567")).toBeNull();
      expect(await organizationById(undefined)).toBeNull();
      loads.mockClear();
      for (let i = 0; i < 5; i++) await organizationById(a.id);
      expect(loads).not.toHaveBeenCalled(); // nothing changed: no read at all

      // Added after the copy was loaded.
      const b = await org("МАДОУ «Детский сад № 7»", "Asia/Yekaterinburg");
      expect((await organizationById(b.id))?.timezone).toBe("Asia/Yekaterinburg");
      // Written by an update query, by a document's save, by insertMany.
      await Organization.updateOne({ _id: a.id }, { $set: { mentorTrainingRequired: true } });
      expect((await organizationById(a.id))?.mentorTrainingRequired).toBe(true);
      const network = await addNetwork("Сеть детских садов «Радуга»");
      if (!network.ok) throw network.error;
      await joinNetwork(network.value.id, b.id);
      expect((await organizationById(b.id))?.networkIds?.map(String)).toEqual([network.value.id]);
      const doc = await Organization.findById(a.id);
      if (!doc) throw new Error("stored");
      doc.website = "https://ds5.example.ru";
      await doc.save();
      expect((await organizationById(a.id))?.website).toBe("https://ds5.example.ru");
      const [c] = await Organization.insertMany([{ shortName: "МБДОУ «Детский сад № 9»", searchKey: "детский сад 9", timezone: "Europe/Moscow" }]);
      expect((await organizationById(String(c?._id)))?.shortName).toBe("МБДОУ «Детский сад № 9»");
      await Organization.deleteOne({ _id: c?._id });
      expect(await organizationById(String(c?._id))).toBeNull();
      // Every answer equals what a read by id says.
      for (const id of [a.id, b.id]) expect(JSON.stringify(await organizationById(id))).toBe(JSON.stringify(await Organization.findById(id).lean()));
    } finally {
      loads.mockRestore();
      byId.mockRestore();
      organizationCache.enabled = enabled;
    }
  });

  it("without the copy (MongoDB) reads by id", async () => {
    const enabled = organizationCache.enabled;
    organizationCache.enabled = false;
    const byId = vi.spyOn(Organization, "findById");
    try {
      const a = await org("МБДОУ «Детский сад № 11»");
      expect((await organizationById(a.id))?.shortName).toBe("МБДОУ «Детский сад № 11»");
      expect(byId).toHaveBeenCalledTimes(1);
    } finally {
      byId.mockRestore();
      organizationCache.enabled = enabled;
    }
  });

  it("a person registering by an invitation reads neither the kindergarten nor themself back from the database on FerretDB", async () => {
    if (!organizationCache.enabled || !userCache.enabled || userCache.mode !== "recent") return; // MongoDB: indexed reads, no copies
    const t = await buildTestBot();
    const kindergarten = await org("МБДОУ «Детский сад № 14»");
    const invite = await inviteFor(kindergarten.id, "mentee");
    // The copies are loaded, as they are long before anyone registers: the kindergartens, and the
    // Telegram ids stored (read in the background; until then a newcomer's lookup is a read).
    await organizationById(kindergarten.id);
    while (userCache.storedSize === undefined) {
      await userCache.byTelegramId(1);
      await new Promise((r) => setTimeout(r, 10));
    }
    const reads = [vi.spyOn(Organization, "findById"), vi.spyOn(Organization, "findOne"), vi.spyOn(User, "findOne"), vi.spyOn(User, "findById")];
    try {
      const user = makeUser(779_100_001, "Мария", "ru");
      await register(t, user, { payload: invite, answers: { fullName: "Соколова Мария Андреевна" } });
      expect(t.fake.lastTextTo(user.chatId)).toContain("МБДОУ «Детский сад № 14»");
      const where = reads.flatMap((r) => r.mock.calls.map((c) => JSON.stringify(c[0]))).join("; ");
      expect(reads.map((r) => r.mock.calls.length), where).toEqual([0, 0, 0, 0]);
      const stored = await User.findOne({ telegramId: user.id }).lean();
      expect(stored?.roles?.map((r) => [r.role, String(r.organizationId)])).toEqual([["mentee", kindergarten.id]]);
    } finally {
      reads.forEach((r) => r.mockRestore());
    }
  });

  it("by ids, by network and all at once: the same answers from the copy (FerretDB) and from queries (MongoDB), fresh after a write", async () => {
    const enabled = organizationCache.enabled;
    const a = await org("МБДОУ «Детский сад № 21»", "Asia/Yekaterinburg");
    const b = await org("МАДОУ «Детский сад № 3»");
    const c = await org("МБДОУ «Детский сад № 8»");
    const network = await addNetwork("Сеть детских садов «Солнышко»");
    if (!network.ok) throw network.error;
    await joinNetwork(network.value.id, a.id);
    await joinNetwork(network.value.id, c.id);
    const missing = "0123456789abcdef01234567";
    const answers = async () => ({
      byIds: [...(await organizationsByIds([a.id, new Types.ObjectId(b.id), a.id, missing])).entries()].map(([id, o]) => [id, o.shortName]),
      members: (await networkMemberIds([network.value.id, missing])).sort(),
      all: byShortName(await allOrganizations()).map((o) => o.shortName),
      zones: [...(await organizationZones([a.id, b.id, missing])).values()],
      training: [...(await organizationsRequiringTraining([a.id, b.id, c.id]))],
    });
    try {
      for (const copy of [true, false]) {
        organizationCache.enabled = copy;
        expect(await answers()).toEqual({
          byIds: [[a.id, "МБДОУ «Детский сад № 21»"], [b.id, "МАДОУ «Детский сад № 3»"]],
          members: [a.id, c.id].sort(),
          all: ["МАДОУ «Детский сад № 3»", "МБДОУ «Детский сад № 21»", "МБДОУ «Детский сад № 8»"],
          zones: ["Asia/Yekaterinburg", "Europe/Moscow", "Europe/Moscow"],
          training: [],
        });
      }
      // A write is seen by the very next read: no minute of staleness for a zone or the training rule.
      organizationCache.enabled = enabled;
      await Organization.updateOne({ _id: b.id }, { $set: { timezone: "Asia/Novosibirsk", mentorTrainingRequired: true } });
      await Organization.updateOne({ _id: c.id }, { $pull: { networkIds: new Types.ObjectId(network.value.id) } });
      expect((await organizationZones([b.id])).get(b.id)).toBe("Asia/Novosibirsk");
      expect([...(await organizationsRequiringTraining([a.id, b.id]))]).toEqual([b.id]);
      expect(await networkMemberIds([network.value.id])).toEqual([a.id]);
    } finally {
      organizationCache.enabled = enabled;
    }
  });

  it("the bot, its dialogs and its services read organizations through the copy's helpers, never by a query of their own", () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), "..");
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir)).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(join(root, path)).isDirectory()) return files(path);
        return path.endsWith(".ts") ? [path] : [];
      });
    // The copy itself, and the organizations' own service (adding, editing and importing them).
    const owners = new Set([join("src", "db", "organization-cache.ts"), join("src", "domain", "organizations.ts")]);
    const readers = ["src/bot", "src/domain", "src/messaging", "scenes", "jobs"]
      .flatMap(files)
      .filter((f) => !owners.has(f) && /(?<![\w.])Organization\.(find|findOne|findById|exists|countDocuments|distinct|aggregate)\(/.test(readFileSync(join(root, f), "utf8")));
    expect(readers).toEqual([]);
  });
});
