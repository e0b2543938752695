import { DateTime } from "luxon";
import mongoose from "mongoose";
import { Job } from "../models/index.ts";
import type { JobQueue, JobSpec } from "./queue.ts";

/**
 * Daily jobs (series upkeep, the pulse safety net): one run per UTC day, keyed `<type>:<date>`,
 * each run enqueuing the next. Seeding at start is idempotent by key, so every instance may do it.
 */

/** The run of a daily job for the UTC day of `day` (at its start, or right away for today). */
function dailyRun(type: string, day: DateTime, runAt: Date): JobSpec {
  return { type, key: `${type}:${day.toFormat("yyyy-MM-dd")}`, runAt, payload: null };
}

/** The next daily run after `now`: 00:00 UTC of the following day. */
export function nextDailyRun(type: string, now: Date): JobSpec {
  const tomorrow = DateTime.fromJSDate(now, { zone: "UTC" }).startOf("day").plus({ days: 1 });
  return dailyRun(type, tomorrow, tomorrow.toJSDate());
}

/** Makes sure a run is pending: today's (run now) unless it already ran, then tomorrow's. */
export async function seedDailyJob(queue: Pick<JobQueue, "enqueue">, type: string, now: Date): Promise<void> {
  if (await Job.exists({ type, status: { $in: ["pending", "running"] } })) return;
  const today = DateTime.fromJSDate(now, { zone: "UTC" }).startOf("day");
  if (await queue.enqueue(dailyRun(type, today, now))) return;
  await queue.enqueue(nextDailyRun(type, now));
}

/** Runs `seed` once the database is connected (the bot is built before it is, and commands are not buffered). */
export function onceConnected(seed: () => void): void {
  if (mongoose.connection.readyState === 1) seed();
  else mongoose.connection.once("connected", seed);
}
