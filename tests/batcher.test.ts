import { describe, expect, it } from "vitest";
import { Batcher } from "../src/core/concurrency.ts";

/** A flush that records its batches and takes `ms` per call (a database command's round trip). */
function recorder(ms: number) {
  const batches: number[][] = [];
  const flush = async (items: number[]) => {
    batches.push(items);
    await new Promise((r) => setTimeout(r, ms));
    return items.map((i) => (i < 0 ? new Error(`refused ${i}`) : i * 10));
  };
  return { batches, flush };
}

describe("group commit (Batcher)", () => {
  it("without lingering: a lone item goes at once, the ones that come during a flush share the next", async () => {
    const r = recorder(20);
    const b = new Batcher(r.flush);
    const first = b.run(1);
    const rest = [2, 3, 4].map((i) => b.run(i));
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
  });

  it("lingering: items that come one after another share a flush, a flush does not run back to back, and settle writes what waits", async () => {
    const r = recorder(5);
    const b = new Batcher(r.flush, 200, { lingerMs: 30 });
    const results: Array<Promise<number>> = [];
    for (let i = 1; i <= 6; i++) {
      results.push(b.run(i));
      await new Promise((res) => setTimeout(res, 2)); // one after another, a moment apart
    }
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(r.batches.length).toBeLessThan(6);
    expect(r.batches.flat()).toEqual([1, 2, 3, 4, 5, 6]);

    const waiting = b.run(7);
    expect(b.waiting).toBe(1);
    await b.settle();
    expect(b.waiting).toBe(0);
    expect(await waiting).toBe(70);
    expect(r.batches.at(-1)).toEqual([7]);
  });

  it("a full batch goes without waiting; an item's own error rejects it alone", async () => {
    const r = recorder(1);
    const b = new Batcher(r.flush, 3, { lingerMs: 10_000 });
    const full = [1, -2, 3].map((i) => b.run(i).catch((err: Error) => err.message));
    expect(await Promise.all(full)).toEqual([10, "refused -2", 30]);
    expect(r.batches).toEqual([[1, -2, 3]]);
  });
});
