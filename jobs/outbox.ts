import type { Api } from "grammy";
import type { Logger } from "../src/core/logger.ts";
import type { Clock } from "../src/core/clock.ts";
import type { WorkingHours } from "../src/core/working-hours.ts";
import type { CuratorListMode } from "../models/index.ts";
import { OUTBOX_SEND_JOB, attemptDelivery, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { LocaleTranslate } from "../src/messaging/notices.ts";
import type { SendLimiter } from "../src/messaging/delivery.ts";
import type { JobQueue } from "./queue.ts";

/**
 * The outbox dispatcher: one `outbox-send` job per attempt of a record (the safety net made at
 * creation, each retry at its `retry_after` or back-off time). Never "missed": a message waits as
 * long as it takes.
 */
export function registerOutboxJobs(queue: JobQueue, api: Api, t: LocaleTranslate, logger: Logger, clock: Clock, limiter?: SendLimiter, hours?: WorkingHours, curatorList?: CuratorListMode): OutboxDeps {
  const deps: OutboxDeps = { api, t, log: logger, scheduler: queue, clock, limiter, hours, curatorList };
  queue.register(
    OUTBOX_SEND_JOB,
    async (payload) => {
      const id = String((payload as { id?: unknown } | null)?.id ?? "");
      if (!/^[0-9a-f]{24}$/.test(id)) return;
      await attemptDelivery(deps, id);
    },
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
  return deps;
}
