import { QUESTION_DEADLINE_JOB, questionDeadline } from "../src/domain/questions.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue } from "./queue.ts";

/** A quick question nobody answered by its deadline goes to the curators. */
export function registerQuestionJobs(queue: JobQueue, outbox: OutboxDeps): void {
  queue.register(
    QUESTION_DEADLINE_JOB,
    async (payload, info) => {
      const notices = await questionDeadline(String((payload as { questionId: string }).questionId), info.now);
      await sendNotices(outbox, notices, `job:${info.job.key}`);
    },
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
}
