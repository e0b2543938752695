import type { Logger } from "../src/core/logger.ts";
import { systemClock, type Clock } from "../src/core/clock.ts";
import { ADAPTATION_JOB, SATISFACTION_SWEEP_JOB, sendAdaptation, sweepSatisfaction } from "../src/domain/adaptation.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue } from "./queue.ts";
import { nextDailyRun, onceConnected, seedDailyJob } from "./daily.ts";

/**
 * Adaptation surveys at 1, 3 and 12 months after the start of work (a milestone missed by more
 * than a week of outage is dropped), and the daily sweep that sends the satisfaction survey at a
 * program's start and end (issue 16).
 */
export function registerAdaptationJobs(queue: JobQueue, outbox: OutboxDeps, logger: Logger, clock: Clock = systemClock): void {
  const log = logger.child({ component: "adaptation" });
  queue.register(
    ADAPTATION_JOB,
    async (payload, info) => {
      const p = payload as { userId?: unknown; months?: unknown; at?: unknown } | null;
      await sendNotices(outbox, await sendAdaptation(String(p?.userId ?? ""), Number(p?.months), String(p?.at ?? "")), `job:${info.job.key}`);
    },
    { graceMs: 7 * 86_400_000 },
  );
  queue.register(
    SATISFACTION_SWEEP_JOB,
    async (_payload, info) => {
      await queue.enqueue(nextDailyRun(SATISFACTION_SWEEP_JOB, info.now));
      await sendNotices(outbox, await sweepSatisfaction(info.now), `job:${info.job.key}`);
    },
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
  onceConnected(() => {
    seedDailyJob(queue, SATISFACTION_SWEEP_JOB, clock.now()).catch((err: unknown) => log.warn({ err }, "could not seed the satisfaction sweep (the next start will)"));
  });
}
