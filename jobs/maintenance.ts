import cron from "node-cron";
import type { Logger } from "../src/core/logger.ts";
import type { Clock } from "../src/core/clock.ts";
import { pruneProcessedUpdates, purgeFinishedJobs, purgeOutbox } from "../models/index.ts";

/**
 * Housekeeping that is safe to run on every instance: forget update ids older than a week and
 * finished jobs older than 30 days (FerretDB reads every stored job on each claim, so the job
 * collection must stay small).
 */
export async function runMaintenance(clock: Clock, logger: Logger): Promise<void> {
  const now = clock.now();
  const pruned = await pruneProcessedUpdates(now);
  const purged = await purgeFinishedJobs(new Date(now.getTime() - 30 * 86_400_000));
  await purgeOutbox(new Date(now.getTime() - 30 * 86_400_000));
  if (pruned + purged > 0) logger.info({ pruned, purged }, "housekeeping done");
}

export interface ScheduledTask {
  stop(): Promise<void> | void;
}

/** Runs maintenance now and then every night at 03:17 (server time; the work is zone-independent). */
export function scheduleMaintenance(clock: Clock, logger: Logger): ScheduledTask {
  const run = () => runMaintenance(clock, logger).catch((err: unknown) => logger.error({ err }, "maintenance failed"));
  void run();
  const task = cron.schedule("17 3 * * *", run, { name: "maintenance", noOverlap: true });
  return { stop: () => task.stop() };
}
