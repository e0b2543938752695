import type { Api } from "grammy";
import type { Logger } from "../src/core/logger.ts";
import { OFFER_REMINDER_JOB, OFFER_TIMEOUT_JOB, remindOffer, timeOutOffer, type RequestDeps } from "../src/domain/requests.ts";
import { sendNotices, type LocaleTranslate } from "../src/messaging/notices.ts";
import type { JobQueue } from "./queue.ts";
import type { SendLimiter } from "../src/messaging/delivery.ts";

/** Offer reminders (half-time) and timeouts (move on to the next candidate, escalate when none is left). */
export function registerOfferJobs(queue: JobQueue, api: Api, deps: RequestDeps, t: LocaleTranslate, logger: Logger, limiter?: SendLimiter): void {
  queue.register(
    OFFER_REMINDER_JOB,
    async (payload, info) => {
      // A reminder that comes too late to be useful is dropped by the grace window below.
      const notices = await remindOffer(String((payload as { offerId: string }).offerId));
      await sendNotices(api, notices, t, logger, limiter);
      void info;
    },
    { graceMs: 6 * 3_600_000 },
  );
  queue.register(
    OFFER_TIMEOUT_JOB,
    async (payload, info) => {
      const notices = await timeOutOffer(String((payload as { offerId: string }).offerId), info.now, deps);
      await sendNotices(api, notices, t, logger, limiter);
    },
    // A timeout is never "missed": after downtime it still moves the request on.
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
}
