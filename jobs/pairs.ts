import type { Api } from "grammy";
import type { Logger } from "../src/core/logger.ts";
import { checkIdlePair, PAIR_IDLE_JOB } from "../src/domain/pairs.ts";
import type { Scheduler } from "../src/domain/scheduler.ts";
import { sendNotices, type LocaleTranslate } from "../src/messaging/notices.ts";
import type { SendLimiter } from "../src/messaging/delivery.ts";
import type { JobQueue } from "./queue.ts";

/** The idle check of flash pairs: a pair without a meeting for FLASH_PAIR_IDLE closes. */
export function registerPairJobs(queue: JobQueue, api: Api, deps: { scheduler: Scheduler; idleMs: number }, t: LocaleTranslate, logger: Logger, limiter?: SendLimiter): void {
  queue.register(
    PAIR_IDLE_JOB,
    async (payload, info) => {
      const notices = await checkIdlePair(String((payload as { pairId: string }).pairId), info.now, deps);
      await sendNotices(api, notices, t, logger, limiter);
    },
    // Closing an idle pair is never "missed": after downtime it still runs.
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
}
