import { describe, expect, inject, it, vi } from "vitest";
import { Types } from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { ferretdbVersion } from "../src/db/connection.ts";
import { UserCache, userCache } from "../src/db/user-cache.ts";
import { upsertUsers, User, userChanges, usersChangedOutsideModel } from "../models/index.ts";

useTestDatabase();

const person = (telegramId: number) => ({ telegramId, locale: "ru" as const, roles: [], registeredAt: new Date() });

/** Both modes of the user copy must answer what the collection says after every kind of write. */
async function followsWrites(cache: UserCache, base: number): Promise<void> {
  const a = await User.create(person(base + 1));
  const b = await User.create(person(base + 2));
  expect((await cache.byTelegramId(base + 1))?.locale).toBe("ru");
  expect(await cache.byTelegramId(base + 3)).toBeNull();
  // A write by _id, by Telegram id, a save, a write of unknown scope, a raw write that says so.
  await User.updateOne({ _id: a._id }, { $set: { locale: "en" } });
  expect((await cache.byTelegramId(base + 1))?.locale).toBe("en");
  await User.updateOne({ telegramId: base + 1 }, { $set: { locale: "ru" } });
  expect((await cache.byTelegramId(base + 1))?.locale).toBe("ru");
  expect((await cache.byTelegramId(base + 2))?.locale).toBe("ru");
  b.locale = "en";
  await b.save();
  expect((await cache.byTelegramId(base + 2))?.locale).toBe("en");
  await User.updateMany({ telegramId: { $gte: base, $lt: base + 10 } }, { $set: { unreachable: true } });
  expect((await cache.byTelegramId(base + 1))?.unreachable).toBe(true);
  await User.collection.updateOne({ _id: a._id }, { $set: { locale: "en" } });
  usersChangedOutsideModel();
  expect((await cache.byTelegramId(base + 1))?.locale).toBe("en");
  // A person who registers later is found; one who is deleted is gone.
  await User.create(person(base + 3));
  expect((await cache.byTelegramId(base + 3))?.telegramId).toBe(base + 3);
  await User.deleteOne({ _id: b._id });
  expect(await cache.byTelegramId(base + 2)).toBeNull();
  // What the cache hands out is a copy: changing it changes nothing stored.
  const copy = await cache.byTelegramId(base + 1);
  if (copy) copy.locale = "ru";
  expect((await cache.byTelegramId(base + 1))?.locale).toBe("en");
}

describe("the users copy (issue 12)", () => {
  it("is on in the mode the engine calls for: recent users on patched FerretDB-PostgreSQL, everyone on other FerretDB, off on MongoDB", async () => {
    const version = await ferretdbVersion(inject("mongoUri"));
    if (version === undefined) {
      expect(userCache.enabled).toBe(false);
      return;
    }
    expect(userCache.enabled).toBe(true);
    const explained = (await User.find({ _id: new Types.ObjectId() }).explain()) as unknown as { queryPlanner?: { Plan?: object } };
    const postgres = explained.queryPlanner?.Plan !== undefined && "Node Type" in explained.queryPlanner.Plan;
    expect(userCache.mode).toBe(postgres && version.includes("-nastavnik") ? "recent" : "all");
  });

  it("the whole-collection mode follows every write", async () => {
    const cache = new UserCache();
    cache.mode = "all";
    await followsWrites(cache, 61_000_000);
  });

  it("the recent-users mode follows every write, keeps only its bound, and does not keep a lookup that raced with a change", async () => {
    const cache = new UserCache({ recentMax: 3 });
    cache.mode = "recent";
    await followsWrites(cache, 62_000_000);

    await User.insertMany(Array.from({ length: 6 }, (_, i) => person(63_000_000 + i)));
    for (let i = 0; i < 6; i++) expect((await cache.byTelegramId(63_000_000 + i))?.telegramId).toBe(63_000_000 + i);
    expect(cache.recentSize).toBe(3);

    // A change lands while a lookup is on its way: the answer is given but not kept, so a write
    // the cache never heard of (raw, unannounced) shows on the next lookup.
    await User.create(person(64_000_001));
    const racing = cache.byTelegramId(64_000_001);
    userChanges.emit("change", { ids: [], telegramIds: [64_000_999] });
    expect((await racing)?.locale).toBe("ru");
    await User.collection.updateOne({ telegramId: 64_000_001 }, { $set: { locale: "en" } });
    expect((await cache.byTelegramId(64_000_001))?.locale).toBe("en");
    // Without a race the lookup is kept: the same unannounced write is not seen (what the
    // announcement in usersChangedOutsideModel is for).
    await User.collection.updateOne({ telegramId: 64_000_001 }, { $set: { locale: "ru" } });
    expect((await cache.byTelegramId(64_000_001))?.locale).toBe("en");
  });

  it("the recent-users mode keeps the document a lean findOneAndUpdate hands back, and reads again after any other write", async () => {
    const cache = new UserCache({ recentMax: 10 });
    cache.mode = "recent";
    const tg = 65_000_001;
    // An upsert that returns the document after the write: kept as returned, nothing read. An
    // unannounced raw write after it shows that the next lookup did not read the collection.
    const created = await User.findOneAndUpdate({ telegramId: tg }, { $set: { locale: "en" }, $setOnInsert: { telegramId: tg, roles: [] } }, { upsert: true, returnDocument: "after" }).lean();
    await User.collection.updateOne({ telegramId: tg }, { $set: { locale: "ru" } });
    const kept = await cache.byTelegramId(tg);
    expect(kept?._id.toString()).toBe(created?._id.toString());
    expect(kept?.locale).toBe("en");
    // The same from a write by _id, and the copy handed out is a copy.
    await User.findOneAndUpdate({ _id: created?._id }, { $set: { locale: "ru" } }, { returnDocument: "after" }).lean();
    await User.collection.updateOne({ telegramId: tg }, { $set: { locale: "en" } });
    const again = await cache.byTelegramId(tg);
    expect(again?.locale).toBe("ru");
    if (again) again.locale = "en";
    expect((await cache.byTelegramId(tg))?.locale).toBe("ru");
    // Not kept, read again on the next lookup: the document before the write, a hydrated result
    // (which would carry schema defaults the stored one lacks). (A projection is not kept either;
    // FerretDB 1.24 refuses one in findAndModify.)
    await User.findOneAndUpdate({ telegramId: tg }, { $set: { unreachable: false } }, { returnDocument: "before" }).lean();
    await User.collection.updateOne({ telegramId: tg }, { $set: { locale: "en" } });
    expect((await cache.byTelegramId(tg))?.locale).toBe("en");
    await User.collection.updateOne({ telegramId: tg }, { $set: { locale: "ru" } });
    usersChangedOutsideModel();
    await User.findOneAndUpdate({ telegramId: tg }, { $set: { unreachable: false } }, { returnDocument: "after" });
    await User.collection.updateOne({ telegramId: tg }, { $set: { locale: "en" } });
    expect((await cache.byTelegramId(tg))?.locale).toBe("en");
  });

  it("upsertUsers writes several people's users by one command, each announced with the document as written; a mongoose bulk write announces everyone", async () => {
    const cache = new UserCache({ recentMax: 10 });
    cache.mode = "recent";
    const known = await User.create(person(67_500_001));
    await User.create(person(67_500_004));
    const writes = userChanges.listenerCount("change");
    const bulk = vi.spyOn(User.collection, "bulkWrite");
    await upsertUsers([
      { filter: { _id: known._id }, telegramId: 67_500_001, $set: { locale: "en" }, $setOnInsert: { roles: [] } },
      { filter: { telegramId: 67_500_002 }, telegramId: 67_500_002, $set: { locale: "en" }, $setOnInsert: { roles: [], unreachable: false } },
      { filter: { telegramId: 67_500_003 }, telegramId: 67_500_003, $set: { locale: "ru" }, $setOnInsert: { roles: [], unreachable: false } },
      { filter: { telegramId: 67_500_004 }, telegramId: 67_500_004, $set: { locale: "en" } },
    ]);
    expect(bulk).toHaveBeenCalledTimes(1);
    bulk.mockRestore();
    expect(userChanges.listenerCount("change")).toBe(writes);
    const stored = await User.find({ telegramId: { $in: [67_500_001, 67_500_002, 67_500_003, 67_500_004] } }).sort({ telegramId: 1 }).lean();
    expect(stored.map((u) => [u.telegramId, u.locale])).toEqual([
      [67_500_001, "en"],
      [67_500_002, "en"],
      [67_500_003, "ru"],
      [67_500_004, "en"],
    ]);
    expect(stored[1]?.unreachable).toBe(false);
    expect(stored.every((u) => u.createdAt instanceof Date && u.updatedAt instanceof Date)).toBe(true);
    expect(String(stored[0]?._id)).toBe(String(known._id)); // found by _id, not created again
    // Kept as written (the user named by `_id`, the ones created): an unannounced raw write after
    // it is not seen, so nothing was read. One stored before and named by its Telegram id is read
    // again when next needed.
    await User.collection.updateMany({ telegramId: { $in: [67_500_001, 67_500_002, 67_500_004] } }, { $set: { locale: "ru" } });
    expect((await cache.byTelegramId(67_500_001))?.locale).toBe("en");
    expect((await cache.byTelegramId(67_500_002))?.locale).toBe("en");
    expect((await cache.byTelegramId(67_500_004))?.locale).toBe("ru");
    // The newcomers' ids reach the set of stored ones (no "nobody here" for them).
    expect((await cache.byTelegramId(67_500_003))?.locale).toBe("ru");
    // A bulk write through mongoose names its users nowhere the copy sees: everything is read again.
    await User.bulkWrite([{ updateOne: { filter: { telegramId: 67_500_001 }, update: { $set: { locale: "ru" } } } }]);
    expect((await cache.byTelegramId(67_500_001))?.locale).toBe("ru");
    expect((await cache.byTelegramId(67_500_002))?.locale).toBe("ru");
  });

  it("the recent-users mode knows every stored Telegram id: a newcomer costs no read and pushes nobody out, and every way the model stores an id reaches it", async () => {
    const cache = new UserCache({ recentMax: 3 });
    cache.mode = "recent";
    const base = 66_000_000;
    const other = new Types.ObjectId();
    await User.create({ ...person(base), organizationId: other });
    // The ids are read once, in the background: the first lookups read the collection meanwhile.
    expect(await cache.byTelegramId(base + 1)).toBeNull();
    await vi.waitFor(() => expect(cache.storedSize).toBeGreaterThan(0));
    expect((await cache.byTelegramId(base))?.telegramId).toBe(base);
    // A newcomer now costs no read: someone stored behind the model's back, unannounced, is not
    // seen (a read would find them), and newcomers do not push the people who wrote out of the bound.
    await User.collection.insertOne({ ...person(base + 2), createdAt: new Date(), updatedAt: new Date() });
    for (let i = 2; i < 12; i++) expect(await cache.byTelegramId(base + i)).toBeNull();
    // (Kept: the first person and the answer read before the ids were known.)
    expect(cache.recentSize).toBe(2);
    // Announced, the ids are read again, and they are found.
    usersChangedOutsideModel();
    expect(cache.storedSize).toBeUndefined();
    expect((await cache.byTelegramId(base + 2))?.telegramId).toBe(base + 2);
    await vi.waitFor(() => expect(cache.storedSize).toBeGreaterThan(0));
    // Every way the model stores an id, once the ids are known.
    const stores: Array<[number, () => Promise<unknown>]> = [
      [base + 20, () => User.create(person(base + 20))],
      [base + 21, () => new User(person(base + 21)).save()],
      [base + 22, () => User.insertMany([person(base + 22), person(base + 23)])],
      [base + 23, async () => undefined],
      [base + 24, () => User.updateOne({ telegramId: base + 24 }, { $set: { locale: "en" }, $setOnInsert: { roles: [] } }, { upsert: true })],
      [base + 25, () => User.updateOne({ organizationId: other, telegramId: { $exists: false } }, { $set: { telegramId: base + 25 } }, { upsert: true })],
      [base + 26, () => User.findOneAndUpdate({ telegramId: base + 26 }, { $set: { locale: "en" } }, { upsert: true })],
      [base + 27, () => User.findOneAndUpdate({ telegramId: base }, { $set: { telegramId: base + 27 } })],
      [base + 28, () => User.replaceOne({ telegramId: base + 27 }, person(base + 28))],
    ];
    for (const [tg, store] of stores) {
      await store();
      expect(cache.storedSize, `the ids are still known after storing ${tg}`).toBeDefined();
      expect((await cache.byTelegramId(tg))?.telegramId, `found after storing ${tg}`).toBe(tg);
    }
    // Writes that store no id keep the set as it is: updates of other fields, by any filter, and deletes.
    await User.updateMany({ organizationId: other }, { $set: { unreachable: true } });
    await User.deleteOne({ telegramId: base + 20 });
    expect(cache.storedSize).toBeDefined();
    expect(await cache.byTelegramId(base + 20)).toBeNull();
    // An update of telegramId that is not a plain value: the ids are read again.
    await User.updateOne({ telegramId: base + 21 }, { $inc: { telegramId: 1000 } });
    expect(cache.storedSize).toBeUndefined();
    expect((await cache.byTelegramId(base + 1021))?.telegramId).toBe(base + 1021);
  });
});
