import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import type { DestinationStream } from "pino";
import { connectDatabase, disconnectDatabase } from "../src/db/connection.ts";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../src/db/embedded.ts";
import { createLogger } from "../src/core/logger.ts";
import { systemClock } from "../src/core/clock.ts";
import { Job, JobClaim, JobHistory, JobKey } from "../models/index.ts";
import { JobQueue } from "../jobs/queue.ts";
import { SendLimiter } from "../src/messaging/delivery.ts";

/**
 * `node bench/queue.ts`: dispatch throughput of the durable job queue on a real database (the
 * embedded one in a temporary folder, or MONGODB_URI when set), with a handler that only records
 * its calls (no Telegram). Numbers only, but the run fails on any duplicate or lost job.
 *
 * Sizes: BENCH_QUEUE_JOBS (rate limit off) and BENCH_QUEUE_LIMITED_JOBS (rate limit on).
 * Defaults: 10,000 and 1,000 on MongoDB; 500 and 200 on FerretDB, which serves the process one
 * command at a time (about 25 ms a job; on the stock build, and on SQLite, every filtered read
 * also scans its collection). The per-job time is printed so the scaling can be read off;
 * 10,000 rate-limited reminders: BENCH_QUEUE_LIMITED_JOBS=10000 (about 7 minutes).
 *
 * Stored jobs: BENCH_QUEUE_STORED (comma-separated, default 0,500,5000,50000) finished jobs are
 * put in the history first (as the queue stores them), then BENCH_QUEUE_STORED_DUE due jobs
 * (default 200) are dispatched: the goal is a flat ms/job whatever the history holds. The same
 * with BENCH_QUEUE_LATER (default 500,5000,10000) pending jobs due next week stored instead, in a
 * running process (its first tick, which reads every pending job once, not measured).
 */

const TYPE = "reminder";
const ENQUEUE_CONCURRENCY = 20;

interface Scenario {
  name: string;
  jobs: number;
  instances: number;
  limiter?: SendLimiter;
  /** Finished jobs stored before the run. */
  stored?: number;
  /** Pending jobs due next week stored before the run (future reminders, as a region keeps them). */
  later?: number;
}

/** Stores `n` finished jobs the way the queue keeps them (their key's history record). */
async function storeFinishedJobs(n: number): Promise<void> {
  const at = new Date(Date.now() - 86_400_000);
  for (let i = 0; i < n; i += 1000) {
    const docs = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
      _id: `reminder:old:${i + j}`,
      jobId: new mongoose.Types.ObjectId(),
      type: TYPE,
      payload: JSON.stringify({ chatId: 2_000_000 + i + j }),
      runAt: at,
      dueAt: at,
      status: "done",
      attempts: 1,
      claimSeq: 1,
      lockedBy: "bench-old",
      doneAt: at,
      createdAt: at,
    }));
    await JobKey.insertMany(docs.map((d) => ({ _id: d._id, at })), { ordered: false });
    await JobHistory.insertMany(docs, { ordered: false });
  }
}

interface Row {
  scenario: string;
  jobs: number;
  enqueuePerSec: number;
  dispatchMs: number;
  perSec: number;
  unit: string;
  msPerJob: number;
  duplicates: number;
  lost: number;
  maxInOneSecond?: number;
}

class ErrorCounter implements DestinationStream {
  readonly errors: string[] = [];
  write(line: string): void {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    if ((entry.level ?? 0) >= 50) this.errors.push(`${entry.msg ?? ""}${entry.err?.message ? `: ${entry.err.message}` : ""}`);
  }
}

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

/** The most grants in any window of one second. */
function maxInOneSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function runScenario(s: Scenario, sink: ErrorCounter): Promise<Row> {
  await Job.deleteMany({});
  await JobKey.deleteMany({});
  await JobHistory.deleteMany({});
  await JobClaim.deleteMany({});
  if (s.stored) await storeFinishedJobs(s.stored);
  const logger = createLogger({ level: "warn", destination: sink });
  const calls = new Map<string, number>();
  const grants: number[] = [];
  const queues = Array.from({ length: s.instances }, (_, i) => {
    const queue = new JobQueue({ clock: systemClock, logger, instanceId: `bench-${i + 1}` });
    queue.register(
      TYPE,
      async (payload, info) => {
        if (s.limiter) {
          grants.push(await s.limiter.acquire((payload as { chatId: number }).chatId));
        }
        calls.set(info.job.key, (calls.get(info.job.key) ?? 0) + 1);
      },
      // A long run must not turn into "missed" jobs: lateness is not what is measured here.
      { graceMs: Number.MAX_SAFE_INTEGER },
    );
    return queue;
  });

  if (s.later) {
    const nextWeek = new Date(Date.now() + 7 * 86_400_000);
    for (let i = 0; i < s.later; i += ENQUEUE_CONCURRENCY) {
      const chunk = Array.from({ length: Math.min(ENQUEUE_CONCURRENCY, s.later - i) }, (_, j) => i + j);
      await Promise.all(chunk.map((n) => (queues[0] as JobQueue).enqueue({ type: TYPE, key: `reminder:later:${n}`, runAt: nextWeek, payload: { chatId: 3_000_000 + n } })));
    }
    // A running process: its first tick (which reads every pending job once) is behind it.
    for (const queue of queues) await queue.tick();
  }
  const runAt = new Date(Date.now() - 1000);
  const t0 = performance.now();
  for (let i = 0; i < s.jobs; i += ENQUEUE_CONCURRENCY) {
    const chunk = Array.from({ length: Math.min(ENQUEUE_CONCURRENCY, s.jobs - i) }, (_, j) => i + j);
    await Promise.all(
      chunk.map((n) => (queues[0] as JobQueue).enqueue({ type: TYPE, key: `reminder:bench:${n}`, runAt, payload: { chatId: 1_000_000 + n } })),
    );
  }
  const enqueueMs = performance.now() - t0;

  const t1 = performance.now();
  await Promise.all(
    queues.map(async (queue) => {
      for (;;) {
        const r = await queue.tick();
        if (r.ran + r.failed + r.missed === 0) break;
      }
    }),
  );
  const dispatchMs = performance.now() - t1;

  let duplicates = 0;
  for (const n of calls.values()) duplicates += Math.max(0, n - 1);
  const done = (await JobHistory.countDocuments({ status: "done" })) - (s.stored ?? 0);
  const lost = Math.max(s.jobs - calls.size, s.jobs - done);
  return {
    scenario: s.name,
    jobs: s.jobs,
    enqueuePerSec: (s.jobs / enqueueMs) * 1000,
    dispatchMs,
    perSec: (s.jobs / dispatchMs) * 1000,
    unit: s.limiter ? "msg/s" : "jobs/s",
    msPerJob: dispatchMs / s.jobs,
    duplicates,
    lost,
    ...(s.limiter ? { maxInOneSecond: maxInOneSecond(grants) } : {}),
  };
}

export async function benchQueue(): Promise<void> {
  const fromEnv = process.env.MONGODB_URI;
  const tmp = fromEnv ? undefined : mkdtempSync(join(tmpdir(), "nastavnik-bench-queue-"));
  let db: EmbeddedDatabase | undefined;
  let connected = false;
  try {
    let uri = fromEnv;
    if (!uri) {
      db = await startEmbeddedDatabase(tmp as string);
      uri = db.uri;
    }
    await connectDatabase(uri, { dbName: `nastavnik_bench_queue_${process.pid}` });
    connected = true;
    const info = (await mongoose.connection.db?.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string } | undefined;
    const ferret = info?.ferretdbVersion !== undefined;
    const dbLabel = ferret ? `FerretDB ${info?.ferretdbVersion} (${db?.backend ?? "external"})` : `MongoDB ${info?.version ?? "?"}`;
    const jobs = envInt("BENCH_QUEUE_JOBS") ?? (ferret ? 500 : 10_000);
    const limitedJobs = envInt("BENCH_QUEUE_LIMITED_JOBS") ?? (ferret ? 200 : 1_000);
    const storedDue = envInt("BENCH_QUEUE_STORED_DUE") ?? 200;
    const sizes = (raw: string) =>
      raw
        .split(",")
        .filter(Boolean)
        .map((x) => Number(x));
    const storedSizes = sizes(process.env.BENCH_QUEUE_STORED ?? "0,500,5000,50000");
    const laterSizes = sizes(process.env.BENCH_QUEUE_LATER ?? "500,5000,10000");

    const sink = new ErrorCounter();
    const scenarios: Scenario[] = [
      { name: "rate limit off, 1 instance", jobs, instances: 1 },
      { name: "rate limit off, 2 instances at once", jobs, instances: 2 },
      { name: "rate limit on (25/s, 1/s per chat), 1 instance", jobs: limitedJobs, instances: 1, limiter: new SendLimiter() },
      ...storedSizes.map((stored) => ({ name: `${stored} finished jobs stored, 1 instance`, jobs: storedDue, instances: 1, stored })),
      ...laterSizes.map((later) => ({ name: `${later} pending jobs due next week stored, 1 instance`, jobs: storedDue, instances: 1, later })),
    ];
    // Warm-up (collections created, JIT, connection pool), not measured.
    await runScenario({ name: "warm-up", jobs: 20, instances: 1 }, sink);
    const rows: Row[] = [];
    for (const s of scenarios) {
      console.log(`… ${s.name}: ${s.jobs} due jobs`);
      rows.push(await runScenario(s, sink));
    }
    printTable(rows, dbLabel, ferret, jobs, limitedJobs);

    const broken = rows.filter((r) => r.duplicates > 0 || r.lost > 0);
    if (broken.length > 0) throw new Error(`duplicates or lost jobs: ${broken.map((r) => r.scenario).join("; ")}`);
    if (sink.errors.length > 0) throw new Error(`errors logged: ${sink.errors.slice(0, 3).join("; ")}`);
  } finally {
    if (connected) {
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await disconnectDatabase().catch(() => undefined);
    }
    await db?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

function printTable(rows: Row[], dbLabel: string, ferret: boolean, jobs: number, limitedJobs: number): void {
  const header = ["scenario", "jobs", "enqueue/s", "dispatch s", "throughput", "ms/job", "duplicates", "lost", "max in 1 s"];
  const cells = rows.map((r) => [
    r.scenario,
    String(r.jobs),
    r.enqueuePerSec.toFixed(0),
    (r.dispatchMs / 1000).toFixed(1),
    `${r.perSec.toFixed(1)} ${r.unit}`,
    r.msPerJob.toFixed(1),
    String(r.duplicates),
    String(r.lost),
    r.maxInOneSecond === undefined ? "-" : String(r.maxInOneSecond),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i] as number) : x.padStart(widths[i] as number))).join("  ");
  console.log("");
  console.log(`Nastavnik job-queue bench — Node ${process.version}, database: ${dbLabel}`);
  console.log(`(due "reminder" jobs whose handler only records its calls; queue defaults: lease 60 s, batch 50;`);
  console.log(` the rate-limited run uses ${limitedJobs} jobs to distinct chats against a real-time 25 msg/s limiter${ferret ? "" : " (~40 s)"};`);
  console.log(' "max in 1 s" = most grants the limiter gave in any one-second window; 20 warm-up jobs not counted)');
  if (ferret) {
    console.log(` on FerretDB ${jobs} jobs by default instead of 10,000 (one command at a time, about 25 ms a job: set`);
    console.log(` BENCH_QUEUE_JOBS / BENCH_QUEUE_LIMITED_JOBS for more; a stock FerretDB build scans every collection per read)`);
  }
  console.log(line(header));
  console.log(line(header.map((_, i) => "-".repeat(widths[i] as number))));
  for (const row of cells) console.log(line(row));
}

if (import.meta.main) {
  benchQueue().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error("bench failed:", err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
