import { describe, expect, it } from "vitest";
import { StoredKeys } from "../src/db/stored-keys.ts";

/** A loader whose reads the test answers (or fails) one by one. */
function loader<K>() {
  const calls: Array<{ resolve: (keys: K[]) => void; reject: (err: Error) => void }> = [];
  const load = () => new Promise<Iterable<K>>((resolve, reject) => calls.push({ resolve, reject }));
  return { load, calls };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("the set of stored keys (issue 12: the users and dialog copies answer 'nobody' from it)", () => {
  it("never holds fewer keys than are stored: a write that lands while the keys are read is kept, a read begun before a drop is not used", async () => {
    const { load, calls } = loader<string>();
    const keys = new StoredKeys(load);
    const first = keys.mayBeStored("b");
    expect(calls).toHaveLength(1);
    keys.mayExist("b"); // stored while the read is on its way (the read may not see it)
    calls[0]?.resolve(["a"]);
    expect(await first).toBe(true);
    expect(await keys.mayBeStored("a")).toBe(true);
    expect(await keys.mayBeStored("c")).toBe(false);
    expect(calls).toHaveLength(1); // read once
    keys.removed("a");
    expect(await keys.mayBeStored("a")).toBe(false);
    // A write of unknown scope while a read is on its way: that read is thrown away and another made.
    keys.drop();
    const again = keys.mayBeStored("d");
    await tick();
    keys.drop();
    calls[1]?.resolve(["a"]);
    await tick();
    expect(calls).toHaveLength(3);
    calls[2]?.resolve(["d"]);
    expect(await again).toBe(true);
    expect(keys.size).toBe(1);
  });

  it("without waiting: unknown until read, then the answer; a failed read is tried again at the next call", async () => {
    const { load, calls } = loader<number>();
    const keys = new StoredKeys(load);
    expect(keys.mayBeStoredNow(1)).toBeUndefined();
    expect(keys.mayBeStoredNow(1)).toBeUndefined();
    expect(calls).toHaveLength(1); // one read at a time
    calls[0]?.reject(new Error("database down"));
    await tick();
    expect(keys.mayBeStoredNow(1)).toBeUndefined();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve([1, 2]);
    await tick();
    expect(keys.mayBeStoredNow(1)).toBe(true);
    expect(keys.mayBeStoredNow(3)).toBe(false);
    keys.mayExist(3);
    expect(keys.mayBeStoredNow(3)).toBe(true);
  });
});
