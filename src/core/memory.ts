import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";

/**
 * The heap limit of the threads that build a large scope's digest and export
 * (`src/domain/digest-thread.ts`). Node gives a worker thread the same default heap limit as the
 * process's main thread, derived from the machine's (or the container's) memory; two such threads
 * beside the main one, the database's processes in the same container, can together pass the
 * container's limit, and the kernel then kills the whole bot instead of V8 ending the thread that
 * ran out. A thread that reaches its own limit ends alone, and the person is told that the server
 * lacks the memory (`ScopeTooLarge`).
 */

/** No heavy thread gets less than this: a kindergarten's own digest needs far less. */
export const MIN_THREAD_HEAP_MB = 128;
const MB = 1024 * 1024;

/**
 * What the process may use, in bytes: the container's (cgroup) limit when one is set below the
 * machine's memory, else the machine's memory.
 */
export function memoryBudget(constrained: number = process.constrainedMemory(), total: number = totalmem()): number {
  return constrained > 0 && constrained < total ? constrained : total;
}

export interface ThreadHeap {
  /** The limit to give each heavy thread; undefined: Node's own default. */
  mb: number | undefined;
  /** Where it comes from: HEAVY_THREAD_HEAP_MB, a third of the budget, or Node's default (lower than a third). */
  source: "configured" | "budget" | "node";
  /** Node's default heap limit of a thread in this process, in MB. */
  nodeDefaultMb: number;
  budgetMb: number;
}

/**
 * Each heavy thread's heap limit: `configured` (HEAVY_THREAD_HEAP_MB) when set; else a third of
 * the budget (both threads may work at once, beside the bot's own thread), at least
 * MIN_THREAD_HEAP_MB, and never more than Node's own default, which is kept when it is lower.
 */
export function heavyThreadHeap(
  configured: number | undefined,
  budgetBytes: number = memoryBudget(),
  nodeDefaultBytes: number = getHeapStatistics().heap_size_limit,
): ThreadHeap {
  const nodeDefaultMb = Math.floor(nodeDefaultBytes / MB);
  const budgetMb = Math.floor(budgetBytes / MB);
  if (configured !== undefined) return { mb: configured, source: "configured", nodeDefaultMb, budgetMb };
  const third = Math.max(MIN_THREAD_HEAP_MB, Math.floor(budgetMb / 3));
  return third < nodeDefaultMb ? { mb: third, source: "budget", nodeDefaultMb, budgetMb } : { mb: undefined, source: "node", nodeDefaultMb, budgetMb };
}
