import type { Api } from "grammy";
import { DateTime } from "luxon";
import mongoose from "mongoose";
import type { Logger } from "../src/core/logger.ts";
import { systemClock, type Clock } from "../src/core/clock.ts";
import { parseCron, fireTimes } from "../src/core/cron.ts";
import { nextWorkingMoment, type WorkingHours } from "../src/core/working-hours.ts";
import { visibleFor, type Period } from "../src/domain/digest.ts";
import { digestRecipients, type DigestRecipient } from "../src/domain/digest-recipients.ts";
import { scopeFigures, ScopeTooLarge, type ScopeFigures } from "../src/domain/digest-thread.ts";
import { scopeLabel, sendDigest } from "../src/messaging/digest-view.ts";
import { sendWeeklyExtras } from "../src/messaging/report-extras.ts";
import type { LocaleTranslate } from "../src/messaging/notices.ts";
import { DigestPreference, Job } from "../models/index.ts";
import type { JobQueue, JobSpec } from "./queue.ts";
import { deliver, type SendLimiter } from "../src/messaging/delivery.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";

/**
 * The weekly digest through the durable job queue (issue 7):
 * - `digest-plan` runs every hour (keyed by the UTC hour, each run enqueues the next) and, for
 *   every curator and admin not muted, enqueues a `digest` job at each fire time of `DIGEST_CRON`
 *   in their own zone (or on their chosen weekday) from a day ago to an hour ahead;
 * - the `digest` job's key is `digest:<userId>:<periodStart>` (the local date the period starts):
 *   the unique key makes it once per person per period, whatever the number of instances, and
 *   a planner run after downtime re-creates nothing that was sent; a digest later than a day is
 *   dropped as missed (the next one is due within the week).
 * Data are read once per batch: every digest of a run shares one load of the whole deployment
 * (kept for `SNAPSHOT_TTL_MS` of real time, see DigestSnapshot), and each scope is computed from
 * it in memory — in the digest's thread (src/domain/digest-thread.ts), so a region's load never
 * holds the bot's event loop or heap.
 * When that shared load does not fit the thread's memory, each digest reads only its own scope
 * instead (for a day, without trying the shared load again); a scope that does not fit either is
 * not retried, and the recipient is told through the outbox, as is one whose digest failed for good.
 */
export const DIGEST_PLAN_JOB = "digest-plan";
export const DIGEST_JOB = "digest";
const HOUR = 3_600_000;
/** After the batch's shared load ran out of memory, digests read their own scope for this long. */
const OWN_LOADS_FOR_MS = 24 * HOUR;

export interface DigestJobDeps {
  digestCron: string;
  adminIds: readonly number[];
  clock?: Clock;
  /** A digest due in the recipient's quiet time goes out at their next working moment (issue 15). */
  hours?: WorkingHours;
}

export interface DigestPayload {
  userId: string;
  /** The fire time (ISO); the period is the 7 days ending at its local midnight. */
  at: string;
}

function planJob(hour: DateTime, runAt: Date): JobSpec {
  return { type: DIGEST_PLAN_JOB, key: `${DIGEST_PLAN_JOB}:${hour.toFormat("yyyy-MM-dd'T'HH")}`, runAt, payload: null };
}

/** Key of one person's digest for the period that a fire time closes. */
export function digestKey(userId: string, at: Date, zone: string): string {
  const periodStart = DateTime.fromJSDate(at, { zone }).startOf("day").minus({ days: 7 });
  return `${DIGEST_JOB}:${userId}:${periodStart.toFormat("yyyy-MM-dd")}`;
}

/** Makes sure a planner run is pending: this hour's (now) unless it ran, then the next hour's. */
export async function seedDigestPlan(queue: Pick<JobQueue, "enqueue">, now: Date): Promise<void> {
  if (await Job.exists({ type: DIGEST_PLAN_JOB, status: { $in: ["pending", "running"] } })) return;
  const hour = DateTime.fromJSDate(now, { zone: "UTC" }).startOf("hour");
  if (await queue.enqueue(planJob(hour, now))) return;
  await queue.enqueue(planJob(hour.plus({ hours: 1 }), hour.plus({ hours: 1 }).toJSDate()));
}

/** Enqueues the digests due from a day ago to an hour ahead; returns how many were new. */
export async function planDigests(queue: Pick<JobQueue, "enqueue">, now: Date, deps: DigestJobDeps): Promise<number> {
  const spec = parseCron(deps.digestCron);
  if (!spec) throw new Error(`invalid DIGEST_CRON: ${deps.digestCron}`);
  const recipients = await digestRecipients(deps.adminIds);
  const prefs = new Map((await DigestPreference.find({}).lean()).map((p) => [p.userId.toString(), p]));
  const after = new Date(now.getTime() - 24 * HOUR);
  const until = new Date(now.getTime() + HOUR + 5 * 60_000);
  let created = 0;
  const failed: string[] = [];
  for (const r of recipients) {
    const pref = prefs.get(r.userId);
    if (pref?.muted) continue;
    // One recipient's problem (a bad zone, a failed write) must not keep the others from their digest.
    try {
      for (const at of fireTimes(spec, r.zone, after, until, pref?.weekday ?? undefined)) {
        const payload: DigestPayload = { userId: r.userId, at: at.toISOString() };
        const runAt = deps.hours ? nextWorkingMoment(at, r.zone, deps.hours) : at;
        if (await queue.enqueue({ type: DIGEST_JOB, key: digestKey(r.userId, at, r.zone), runAt, payload })) created++;
      }
    } catch (err) {
      failed.push(`${r.userId}: ${(err as Error).message}`);
    }
  }
  // The job is retried (enqueueing is idempotent, so the others are not planned twice).
  if (failed.length > 0) throw new Error(`digests not planned for ${failed.length} recipient(s): ${failed.slice(0, 5).join("; ")}`);
  return created;
}

export function registerDigestJobs(queue: JobQueue, outbox: OutboxDeps, deps: DigestJobDeps, limiter: SendLimiter): void {
  const { api, t } = outbox;
  const log = outbox.log.child({ component: "digest" });
  /** When the batch's shared load last ran out of the thread's memory (ms; -Infinity: never). */
  let sharedLoadTooLargeAt = Number.NEGATIVE_INFINITY;
  /** Tells a recipient through the outbox (retried until delivered) why no digest came. */
  const tell = (r: Pick<DigestRecipient, "telegramId" | "locale">, key: string, source: string) => sendNotices(outbox, [{ telegramId: r.telegramId, locale: r.locale, key }], source);
  queue.register(
    DIGEST_PLAN_JOB,
    async (_payload, info) => {
      const next = DateTime.fromJSDate(info.now, { zone: "UTC" }).startOf("hour").plus({ hours: 1 });
      await queue.enqueue(planJob(next, next.toJSDate()));
      const created = await planDigests(queue, info.now, deps);
      if (created > 0) log.info({ created }, "digests scheduled");
    },
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
  queue.register(
    DIGEST_JOB,
    async (payload, info) => {
      const p = payload as DigestPayload;
      // Re-check who they are now: a role taken away, an erasure or a mute since planning.
      const [recipient] = await digestRecipients(deps.adminIds, p.userId);
      if (!recipient) return;
      if ((await DigestPreference.exists({ userId: p.userId, muted: true })) !== null) return;
      const period = scheduledPeriod(new Date(p.at), recipient.zone);
      const req = { scope: recipient.scope, now: info.now, period, zone: recipient.zone };
      let figures: ScopeFigures;
      try {
        const shared = info.now.getTime() - sharedLoadTooLargeAt >= OWN_LOADS_FOR_MS;
        try {
          figures = await scopeFigures({ ...req, batch: shared });
        } catch (err) {
          if (!shared || !(err instanceof ScopeTooLarge)) throw err;
          // The whole deployment's load does not fit: this digest, and the batch's next ones, read their own scope.
          sharedLoadTooLargeAt = info.now.getTime();
          log.error({ err }, "the weekly batch's shared load ran out of the thread's memory: each digest reads its own scope for a day");
          figures = await scopeFigures({ ...req, batch: false });
        }
      } catch (err) {
        if (!(err instanceof ScopeTooLarge)) throw err;
        // Trying again would run out again: the recipient is told instead.
        log.error({ err, userId: recipient.userId, kindergartens: recipient.scope?.length ?? "all" }, "weekly digest: the scope is too large for the memory of its thread");
        await tell(recipient, "dg-weekly-too-large", `job:${info.job.key}:too-large`);
        return;
      }
      await sendScheduledDigest(api, recipient, figures, t, limiter, log);
    },
    {
      graceMs: 24 * HOUR,
      lateAfterMs: 2 * HOUR,
      onFailed: async (job) => {
        const [recipient] = await digestRecipients(deps.adminIds, (job.payload as DigestPayload).userId);
        if (recipient) await tell(recipient, "dg-weekly-failed", `job:${job.key}:failed`);
      },
    },
  );
  const seed = () => {
    seedDigestPlan(queue, (deps.clock ?? systemClock).now()).catch((err: unknown) => log.warn({ err }, "could not seed the digest planner (the next start will)"));
  };
  if (mongoose.connection.readyState === 1) seed();
  else mongoose.connection.once("connected", seed);
}

/** The period of a weekly digest fired at `at`: the 7 days ending at that day's midnight in `zone`. */
export function scheduledPeriod(at: Date, zone: string): Period {
  const to = DateTime.fromJSDate(at, { zone }).startOf("day");
  return { from: to.minus({ days: 7 }).toJSDate(), to: to.toJSDate() };
}

/** Sends one recipient's weekly digest, of the figures of their scope for the period (scheduledPeriod). */
export async function sendScheduledDigest(api: Api, r: DigestRecipient, { figures, data }: ScopeFigures, t: LocaleTranslate, limiter: SendLimiter, log: Logger): Promise<void> {
  const now = figures.now;
  const tr = (key: string, args?: Record<string, string | number>) => t(r.locale, key, args);
  const outcome = await deliver(api, limiter, { _id: r.userId }, (a, chatId) =>
    sendDigest(a, chatId, figures, { t: tr, locale: r.locale, data, scope: r.scope, visible: visibleFor(data, r), mode: "digest", scopeLabel: scopeLabel(data, r.scope, tr, r.networks) }, (err) =>
      log.error({ err, userId: r.userId }, "digest chart not sent"),
    ),
  );
  log.info({ userId: r.userId, outcome }, "weekly digest");
  // As with /digest: adaptation and satisfaction over the year, and plan against fact (issue 16).
  // Sent on its own and never retried by the job, so a retry never repeats the digest; a failure is logged.
  if (outcome !== "sent") return;
  const yearAgo = new Date(now.getTime() - 365 * 86_400_000);
  await deliver(api, limiter, { _id: r.userId }, (a, chatId) => sendWeeklyExtras(a, chatId, r.scope, yearAgo, now, now, r.zone, tr, r.locale)).catch((err: unknown) =>
    log.error({ err, userId: r.userId }, "weekly digest: the adaptation and plan-and-fact part was not sent"),
  );
}
