import { describe, expect, inject, it, vi } from "vitest";
import type { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { Network, Organization, User, usersChangedOutsideModel } from "../models/index.ts";
import { curatorCache } from "../src/db/curator-cache.ts";
import { isFerretdb } from "../src/db/connection.ts";
import { readModels } from "../src/db/read-connection.ts";
import { curatorsOf, grantRole } from "../src/domain/roles.ts";
import { eraseUser } from "../src/domain/privacy.ts";

useTestDatabase({ resetBetweenTests: true });

const NOW = new Date("2026-11-30T09:00:00Z");
let nextTg = 7100;
const person = async (organizationId: Types.ObjectId, roles: Array<Record<string, unknown>> = []) =>
  User.create({ telegramId: nextTg++, organizationId, registeredAt: NOW, roles: roles.map((r) => ({ grantedAt: NOW, ...r })), profile: { fullName: `Педагог ${nextTg}` } });

/** Who `curatorsOf` names, by Telegram id, sorted. */
const named = async (orgId: Types.ObjectId) => (await curatorsOf(orgId.toString())).map((u) => u.telegramId).sort();

/** The same answer read by the query the copy replaces (as on MongoDB). */
async function byQuery(orgId: Types.ObjectId) {
  const enabled = curatorCache.enabled;
  curatorCache.enabled = false;
  try {
    return await named(orgId);
  } finally {
    curatorCache.enabled = enabled;
  }
}

describe("the curators' copy (FerretDB)", () => {
  it("names an organization's and its networks' curators as the query does, through grants, erasures and writes of every kind, and reads no user while nothing changed", async () => {
    expect(curatorCache.enabled).toBe(await isFerretdb(inject("mongoUri")));
    curatorCache.enabled = true;
    const network = await Network.create({ name: "Сеть детских садов «Радуга»", searchKey: "сеть детских садов радуга" });
    const org = await Organization.create({ shortName: "МБДОУ «Детский сад № 5»", searchKey: "детский сад 5", uniqueKey: "детский сад 5|", timezone: "Europe/Moscow", networkIds: [network._id] });
    const other = await Organization.create({ shortName: "МБДОУ «Детский сад № 7»", searchKey: "детский сад 7", uniqueKey: "детский сад 7|", timezone: "Europe/Moscow" });
    const own = await person(org._id, [{ role: "curator", organizationId: org._id }]);
    const viaNetwork = await person(other._id, [{ role: "curator", networkId: network._id }]);
    const elsewhere = await person(other._id, [{ role: "curator", organizationId: other._id }]);
    const teacher = await person(org._id, [{ role: "mentee", organizationId: org._id }]);
    const expectBoth = async (orgId: Types.ObjectId, telegramIds: number[]) => {
      expect(await named(orgId)).toEqual([...telegramIds].sort());
      expect(await byQuery(orgId)).toEqual([...telegramIds].sort());
    };
    await expectBoth(org._id, [own.telegramId as number, viaNetwork.telegramId as number]);
    await expectBoth(other._id, [elsewhere.telegramId as number]);

    // Nothing written since: no user is read (the copy answers).
    const mainFind = vi.spyOn(User, "find");
    const readFind = vi.spyOn(readModels().User, "find");
    try {
      await named(org._id);
      expect([mainFind.mock.calls.length, readFind.mock.calls.length]).toEqual([0, 0]);
    } finally {
      mainFind.mockRestore();
      readFind.mockRestore();
    }

    // A role granted is seen by the next call; an erased curator is gone.
    expect(await grantRole(teacher._id, "curator", { organizationId: org._id.toString() }, "test", NOW)).toBe(true);
    await expectBoth(org._id, [own.telegramId as number, viaNetwork.telegramId as number, teacher.telegramId as number]);
    expect((await eraseUser(viaNetwork.telegramId as number, NOW)).erased).toBe(true);
    await expectBoth(org._id, [own.telegramId as number, teacher.telegramId as number]);
    // A write naming the user by Telegram id only; a write of unknown scope; a raw driver write announced as such.
    await User.updateOne({ telegramId: teacher.telegramId }, { $set: { roles: [] } });
    await expectBoth(org._id, [own.telegramId as number]);
    await User.updateMany({ organizationId: other._id }, { $set: { roles: [{ role: "curator", organizationId: org._id, grantedAt: NOW }] } });
    await expectBoth(org._id, [own.telegramId as number, elsewhere.telegramId as number]);
    await User.collection.updateOne({ _id: own._id }, { $set: { roles: [] } });
    usersChangedOutsideModel();
    await expectBoth(org._id, [elsewhere.telegramId as number]);
    await User.deleteOne({ _id: elsewhere._id });
    await expectBoth(org._id, []);
  });
});
