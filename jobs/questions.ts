import type { Api } from "grammy";
import type { Logger } from "../src/core/logger.ts";
import { QUESTION_DEADLINE_JOB, questionDeadline } from "../src/domain/questions.ts";
import { sendNotices, type LocaleTranslate } from "../src/messaging/notices.ts";
import type { SendLimiter } from "../src/messaging/delivery.ts";
import type { JobQueue } from "./queue.ts";

/** A quick question nobody answered by its deadline goes to the curators. */
export function registerQuestionJobs(queue: JobQueue, api: Api, t: LocaleTranslate, logger: Logger, limiter?: SendLimiter): void {
  queue.register(
    QUESTION_DEADLINE_JOB,
    async (payload, info) => {
      const notices = await questionDeadline(String((payload as { questionId: string }).questionId), info.now);
      await sendNotices(api, notices, t, logger, limiter);
    },
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
}
