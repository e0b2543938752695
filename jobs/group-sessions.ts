import { systemClock, type Clock } from "../src/core/clock.ts";
import type { MeetingDeps } from "../src/domain/meetings.ts";
import type { Notice } from "../src/domain/notices.ts";
import { GROUP_NOTICES_JOB, SERIES_ANNOUNCE_JOB, SERIES_MATERIALIZE_JOB, announceSeries, materializeAllSeries } from "../src/domain/group-sessions.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue, JobSpec } from "./queue.ts";
import { nextDailyRun, onceConnected, seedDailyJob } from "./daily.ts";

export interface GroupSessionJobDeps extends MeetingDeps {
  /** For seeding the first materialize run; default the system clock. */
  clock?: Clock;
}

/** The next daily run after `now`: 00:00 UTC of the following day. */
export function nextMaterializeJob(now: Date): JobSpec {
  return nextDailyRun(SERIES_MATERIALIZE_JOB, now);
}

/**
 * Makes sure a materialize run is pending: today's (run now) unless it already ran, then
 * tomorrow's. Idempotent by key, so every instance may call it at start.
 */
export function seedSeriesMaterialize(queue: Pick<JobQueue, "enqueue">, now: Date): Promise<void> {
  return seedDailyJob(queue, SERIES_MATERIALIZE_JOB, now);
}

/**
 * Group sessions: the daily `series-materialize` run (keeps four weeks of occurrences ahead for
 * every active series and enqueues its own next run, keyed by date), the one-time announcement
 * of a new series, and the delivery of cancellation/move notices. Reminders and follow-ups of
 * the occurrences are the meeting jobs of jobs/meetings.ts.
 */
export function registerGroupSessionJobs(queue: JobQueue, outbox: OutboxDeps, deps: GroupSessionJobDeps): void {
  const logger = outbox.log;
  const log = logger.child({ component: "group-sessions" });
  queue.register(
    SERIES_MATERIALIZE_JOB,
    async (_payload, info) => {
      // The next run first: a failure below is retried by the queue, and the chain never breaks.
      await queue.enqueue(nextMaterializeJob(info.now));
      const res = await materializeAllSeries(info.now, deps, (seriesId, err) => log.error({ err, seriesId }, "could not materialize a series"));
      if (res.created > 0) log.info({ created: res.created }, "series occurrences created");
      if (res.failed > 0) throw new Error(`${res.failed} series could not be materialized`);
    },
    // Late is fine (it is idempotent and catches up); it must never be dropped as missed.
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
  queue.register(
    SERIES_ANNOUNCE_JOB,
    async (payload, info) => {
      const seriesId = String((payload as { seriesId: string }).seriesId);
      await sendNotices(outbox, await announceSeries(seriesId, info.now), `job:${info.job.key}`);
    },
    { graceMs: 7 * 24 * 3_600_000 },
  );
  queue.register(
    GROUP_NOTICES_JOB,
    async (payload, info) => {
      const notices = ((payload as { notices?: Notice[] } | null)?.notices ?? []).filter((n) => typeof n?.telegramId === "number");
      await sendNotices(outbox, notices, `job:${info.job.key}`);
    },
    { graceMs: 7 * 24 * 3_600_000 },
  );
  onceConnected(() => {
    seedSeriesMaterialize(queue, (deps.clock ?? systemClock).now()).catch((err: unknown) =>
      log.warn({ err }, "could not seed the series-materialize job (the next start will)"),
    );
  });
}
