import { checkIdlePair, PAIR_IDLE_JOB } from "../src/domain/pairs.ts";
import type { Scheduler } from "../src/domain/scheduler.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue } from "./queue.ts";

/** The idle check of flash pairs: a pair without a meeting for FLASH_PAIR_IDLE closes. */
export function registerPairJobs(queue: JobQueue, outbox: OutboxDeps, deps: { scheduler: Scheduler; idleMs: number }): void {
  queue.register(
    PAIR_IDLE_JOB,
    async (payload, info) => {
      const notices = await checkIdlePair(String((payload as { pairId: string }).pairId), info.now, deps);
      await sendNotices(outbox, notices, `job:${info.job.key}`);
    },
    // Closing an idle pair is never "missed": after downtime it still runs.
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
}
