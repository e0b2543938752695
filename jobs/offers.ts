import { OFFER_REMINDER_JOB, OFFER_TIMEOUT_JOB, remindOffer, timeOutOffer, type RequestDeps } from "../src/domain/requests.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue } from "./queue.ts";

/** Offer reminders (half-time) and timeouts (move on to the next candidate, escalate when none is left). */
export function registerOfferJobs(queue: JobQueue, outbox: OutboxDeps, deps: RequestDeps): void {
  queue.register(
    OFFER_REMINDER_JOB,
    async (payload, info) => {
      // A reminder that comes too late to be useful is dropped by the grace window below.
      const notices = await remindOffer(String((payload as { offerId: string }).offerId));
      await sendNotices(outbox, notices, `job:${info.job.key}`);
      void info;
    },
    { graceMs: 6 * 3_600_000 },
  );
  queue.register(
    OFFER_TIMEOUT_JOB,
    async (payload, info) => {
      const notices = await timeOutOffer(String((payload as { offerId: string }).offerId), info.now, deps);
      await sendNotices(outbox, notices, `job:${info.job.key}`);
    },
    // A timeout is never "missed": after downtime it still moves the request on.
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
}
