import cron from "node-cron";
import type { Logger } from "../src/core/logger.ts";
import type { Clock } from "../src/core/clock.ts";
import { pruneAbandonedDialogs, pruneProcessedUpdates, purgeFinishedJobs, purgeOutbox } from "../models/index.ts";
import { reconcileMentorLoad } from "../src/domain/pairs.ts";

/**
 * Housekeeping that is safe to run on every instance: abandoned dialogs (24 h), update ids older than a week and
 * finished jobs older than 30 days (FerretDB reads every stored job on each claim, so the job
 * collection must stay small), and reconcile each mentor's load with the pairs.
 */
export async function runMaintenance(clock: Clock, logger: Logger): Promise<void> {
  const now = clock.now();
  const pruned = await pruneProcessedUpdates(now);
  const purged = await purgeFinishedJobs(new Date(now.getTime() - 30 * 86_400_000));
  await purgeOutbox(new Date(now.getTime() - 30 * 86_400_000));
  const dialogs = await pruneAbandonedDialogs(now);
  if (pruned + purged + dialogs > 0) logger.info({ pruned, purged, dialogs }, "housekeeping done");
  // Each mentor's load recomputed from the pairs; drift is repaired and reported (issue 11).
  const load = await reconcileMentorLoad(now);
  if (load.repaired.length > 0) logger.warn({ checked: load.checked, repaired: load.repaired.length, profiles: load.repaired }, "mentor load drift repaired");
}

export interface ScheduledTask {
  stop(): Promise<void> | void;
}

/** Runs maintenance now and then every hour at :17 (abandoned dialogs go within 25 h). */
export function scheduleMaintenance(clock: Clock, logger: Logger): ScheduledTask {
  const run = () => runMaintenance(clock, logger).catch((err: unknown) => logger.error({ err }, "maintenance failed"));
  void run();
  const task = cron.schedule("17 * * * *", run, { name: "maintenance", noOverlap: true });
  return { stop: () => task.stop() };
}
