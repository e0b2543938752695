import { SURVEY_LAUNCH_JOB, SURVEY_REMIND_JOB, campaignLaunchNotices, campaignReminderNotices } from "../src/domain/survey-campaigns.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue } from "./queue.ts";

/**
 * Survey campaigns (issue 16): the launch sends each recipient the first question (through the
 * rate limiter); the reminder runs once before the deadline (dropped when it would come after it).
 */
export function registerSurveyJobs(queue: JobQueue, outbox: OutboxDeps): void {
  queue.register(
    SURVEY_LAUNCH_JOB,
    async (payload, info) => {
      const p = payload as { campaignId?: unknown } | null;
      await sendNotices(outbox, await campaignLaunchNotices(String(p?.campaignId ?? "")), `job:${info.job.key}`);
    },
    { graceMs: 7 * 86_400_000 },
  );
  queue.register(
    SURVEY_REMIND_JOB,
    async (payload, info) => {
      const p = payload as { campaignId?: unknown } | null;
      await sendNotices(outbox, await campaignReminderNotices(String(p?.campaignId ?? ""), info.now), `job:${info.job.key}`);
    },
    { graceMs: 7 * 86_400_000 },
  );
}
