import type { Api } from "grammy";
import type { Logger } from "../src/core/logger.ts";
import { SURVEY_LAUNCH_JOB, SURVEY_REMIND_JOB, campaignLaunchNotices, campaignReminderNotices } from "../src/domain/survey-campaigns.ts";
import { sendNotices, type LocaleTranslate } from "../src/messaging/notices.ts";
import type { JobQueue } from "./queue.ts";
import type { SendLimiter } from "../src/messaging/delivery.ts";

/**
 * Survey campaigns (issue 16): the launch sends each recipient the first question (through the
 * rate limiter); the reminder runs once before the deadline (dropped when it would come after it).
 */
export function registerSurveyJobs(queue: JobQueue, api: Api, t: LocaleTranslate, logger: Logger, limiter?: SendLimiter): void {
  const log = logger.child({ component: "surveys" });
  queue.register(
    SURVEY_LAUNCH_JOB,
    async (payload) => {
      const p = payload as { campaignId?: unknown } | null;
      await sendNotices(api, await campaignLaunchNotices(String(p?.campaignId ?? "")), t, log, limiter);
    },
    { graceMs: 7 * 86_400_000 },
  );
  queue.register(
    SURVEY_REMIND_JOB,
    async (payload, info) => {
      const p = payload as { campaignId?: unknown } | null;
      await sendNotices(api, await campaignReminderNotices(String(p?.campaignId ?? ""), info.now), t, log, limiter);
    },
    { graceMs: 7 * 86_400_000 },
  );
}
