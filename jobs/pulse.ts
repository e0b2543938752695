import { systemClock, type Clock } from "../src/core/clock.ts";
import { PULSE_ROUND_JOB, PULSE_SWEEP_JOB, ensurePulseRounds, runPulseRound, type PulseDeps } from "../src/domain/pulse.ts";
export { cancelPulses } from "../src/domain/pulse.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue } from "./queue.ts";
import { nextDailyRun, onceConnected, seedDailyJob } from "./daily.ts";

export interface PulseJobDeps extends PulseDeps {
  /** For seeding the first sweep; default the system clock. */
  clock?: Clock;
}

/**
 * Pulse check-ins: the round of a pair (`pulse:<pairId>:<round>`; a round due during an outage runs
 * late, once, and is never dropped) and the daily sweep that gives every active long-term pair
 * without a pending round its next one (pairs formed before pulses existed, broken chains).
 */
export function registerPulseJobs(queue: JobQueue, outbox: OutboxDeps, deps: PulseJobDeps): void {
  const logger = outbox.log;
  const log = logger.child({ component: "pulse" });
  queue.register(
    PULSE_ROUND_JOB,
    async (payload, info) => {
      const p = payload as { pairId?: unknown; round?: unknown } | null;
      const notices = await runPulseRound(String(p?.pairId ?? ""), Number(p?.round), info.now, info.job.dueAt, deps);
      await sendNotices(outbox, notices, `job:${info.job.key}`);
    },
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
  queue.register(
    PULSE_SWEEP_JOB,
    async (_payload, info) => {
      await queue.enqueue(nextDailyRun(PULSE_SWEEP_JOB, info.now));
      const created = await ensurePulseRounds(info.now, deps);
      if (created > 0) log.info({ created }, "pulse rounds scheduled for pairs without one");
    },
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
  onceConnected(() => {
    seedDailyJob(queue, PULSE_SWEEP_JOB, (deps.clock ?? systemClock).now()).catch((err: unknown) =>
      log.warn({ err }, "could not seed the pulse sweep (the next start will)"),
    );
  });
}
