import { describe, expect, it } from "vitest";
import { Worker } from "node:worker_threads";
import { heavyThreadHeap, memoryBudget, MIN_THREAD_HEAP_MB } from "../src/core/memory.ts";

const MB = 1024 * 1024;
const GB = 1024 * MB;

describe("the heavy-work threads' heap limit", () => {
  it("takes the container's limit when one is set below the machine's memory, else the machine's", () => {
    expect(memoryBudget(1 * GB, 24 * GB)).toBe(1 * GB);
    // cgroup v2 says "max": Node reports a huge number (or 0 where it cannot tell).
    expect(memoryBudget(2 ** 44, 24 * GB)).toBe(24 * GB);
    expect(memoryBudget(0, 8 * GB)).toBe(8 * GB);
  });

  it("gives each thread a third of a small budget, so that two of them beside the bot stay within it", () => {
    // A 1 GB container: Node would give each thread about half of it (an out-of-memory kill of
    // the whole bot when two work at once); a third is 341 MB.
    expect(heavyThreadHeap(undefined, 1 * GB, 524 * MB)).toEqual({ mb: 341, source: "budget", nodeDefaultMb: 524, budgetMb: 1024 });
    // Never below the floor, even in a tiny container.
    expect(heavyThreadHeap(undefined, 256 * MB, 256 * MB).mb).toBe(MIN_THREAD_HEAP_MB);
  });

  it("keeps Node's own default where a third of the memory is more (a large machine: nothing changes)", () => {
    expect(heavyThreadHeap(undefined, 24 * GB, 4288 * MB)).toEqual({ mb: undefined, source: "node", nodeDefaultMb: 4288, budgetMb: 24 * 1024 });
  });

  it("takes HEAVY_THREAD_HEAP_MB as it is, even above Node's default", () => {
    expect(heavyThreadHeap(6000, 24 * GB, 4288 * MB)).toMatchObject({ mb: 6000, source: "configured" });
    expect(heavyThreadHeap(200, 1 * GB, 524 * MB)).toMatchObject({ mb: 200, source: "configured" });
  });

  it("is a limit V8 applies to the thread", async () => {
    const { mb } = heavyThreadHeap(200);
    const limit = await new Promise<number>((resolve, reject) => {
      const w = new Worker('require("node:worker_threads").parentPort.postMessage(require("node:v8").getHeapStatistics().heap_size_limit)', {
        eval: true,
        resourceLimits: { maxOldGenerationSizeMb: mb as number },
      });
      w.once("message", (m: number) => void w.terminate().then(() => resolve(m)));
      w.once("error", reject);
    });
    // The old generation's limit plus the young generation's: well under Node's default here.
    expect(limit / MB).toBeGreaterThanOrEqual(200);
    expect(limit / MB).toBeLessThan(450);
  });
});
