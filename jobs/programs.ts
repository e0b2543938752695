import type { Api } from "grammy";
import type { Logger } from "../src/core/logger.ts";
import { PROGRAM_END_JOB, PROGRAM_ITEM_JOB, programEnd, programItemDue, type ProgramDeps } from "../src/domain/programs.ts";
import { sendNotices, type LocaleTranslate } from "../src/messaging/notices.ts";
import type { JobQueue } from "./queue.ts";
import type { SendLimiter } from "../src/messaging/delivery.ts";

/**
 * Program jobs: the due-day reminder of a plan item (useless a week late: then dropped) and the
 * end of a program on its end date (always run, however late: the pair must still be closed).
 */
export function registerProgramJobs(queue: JobQueue, api: Api, deps: ProgramDeps, t: LocaleTranslate, logger: Logger, limiter?: SendLimiter): void {
  queue.register(
    PROGRAM_ITEM_JOB,
    async (payload) => {
      const p = payload as { programId: string; itemId: string };
      await sendNotices(api, await programItemDue(p.programId, p.itemId), t, logger, limiter);
    },
    { graceMs: 7 * 24 * 3_600_000 },
  );
  queue.register(
    PROGRAM_END_JOB,
    async (payload, info) => {
      const p = payload as { programId: string };
      await sendNotices(api, await programEnd(p.programId, info.now, deps), t, logger, limiter);
    },
    { graceMs: 365 * 24 * 3_600_000 },
  );
}
