import type { Api } from "grammy";
import type { Config } from "../src/core/config.ts";
import type { Logger } from "../src/core/logger.ts";
import { systemClock, type Clock } from "../src/core/clock.ts";
import { SendLimiter } from "../src/messaging/delivery.ts";
import type { LocaleTranslate } from "../src/messaging/notices.ts";
import type { JobQueue } from "./queue.ts";
import { registerOfferJobs } from "./offers.ts";
import { registerMeetingJobs } from "./meetings.ts";
import { registerGroupSessionJobs } from "./group-sessions.ts";
import { registerProgramJobs } from "./programs.ts";
import { registerPulseJobs } from "./pulse.ts";
import { registerDigestJobs } from "./digest.ts";
import { registerOutboxJobs } from "./outbox.ts";
import { registerCuratorListJobs } from "./curator-list.ts";
import { registerPairJobs } from "./pairs.ts";
import { registerQuestionJobs } from "./questions.ts";
import { registerSurveyJobs } from "./surveys.ts";
import { registerAdaptationJobs } from "./adaptation.ts";

export interface JobWiring {
  logger: Logger;
  clock?: Clock;
  /** Translates a locale key for a recipient (the bot's Fluent bundles). */
  t: LocaleTranslate;
}

/**
 * Registers every job handler on the queue. The process entry (and the test harness) calls this
 * beside `createBot`: jobs send through the same API object but never import the bot.
 */
export function registerJobHandlers(queue: JobQueue, api: Api, config: Config, wiring: JobWiring): void {
  const clock = wiring.clock ?? systemClock;
  const { t, logger } = wiring;
  // One limiter per process for everything jobs send (design §5).
  const limiter = new SendLimiter();
  const requestDeps = { scheduler: queue, offerTimeoutMs: config.offerTimeoutMs, pulseIntervalMs: config.pulseIntervalMs, flashPairIdleMs: config.flashPairIdleMs, hours: config.workingHours };
  const meetingDeps = { scheduler: queue, reminderOffsetsMs: config.reminderOffsetsMs, followupDelayMs: config.sessionFollowupDelayMs };
  // Every notice of a job goes through the outbox (retried until delivered, parked or reported).
  const outbox = registerOutboxJobs(queue, api, t, logger, clock, limiter, config.workingHours, config.curatorList);
  registerCuratorListJobs(queue, outbox);
  registerOfferJobs(queue, outbox, requestDeps);
  registerPairJobs(queue, outbox, { scheduler: queue, idleMs: config.flashPairIdleMs });
  registerQuestionJobs(queue, outbox);
  registerMeetingJobs(queue, outbox, meetingDeps);
  registerGroupSessionJobs(queue, outbox, { ...meetingDeps, clock });
  registerProgramJobs(queue, outbox, { scheduler: queue });
  registerPulseJobs(queue, outbox, { scheduler: queue, intervalMs: config.pulseIntervalMs, clock });
  registerDigestJobs(queue, outbox, { digestCron: config.digestCron, adminIds: config.adminIds, clock, hours: config.workingHours }, limiter);
  registerSurveyJobs(queue, outbox);
  registerAdaptationJobs(queue, outbox, logger, clock);
}
