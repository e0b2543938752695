import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import type { Types } from "mongoose";
import type { Clock } from "../src/core/clock.ts";
import type { Logger } from "../src/core/logger.ts";
import { isDuplicateKeyError } from "../src/db/errors.ts";
import { dueHourOf, FINISHED_JOB_STATUSES, hourOf, Job, keyPrefixes, JobClaim, JobHistory, JobKey, type JobHistoryRecord, type JobRecord, type JobStatus } from "../models/index.ts";

/**
 * The durable job queue (design §4). node-cron is only the timer: the truth is the `jobs`
 * collection. A tick claims due jobs, runs their handlers and marks them done, or reschedules
 * them with back-off, or gives up after `maxAttempts`.
 *
 * Claiming: the candidate is read, then the instance inserts a `JobClaim` with the id
 * `<jobId>:<claimSeq + 1>`; the unique `_id` lets exactly one instance win that claim number,
 * and only the winner then moves the job to `running` with a conditional update (atomic on
 * MongoDB) and re-reads it. FerretDB 1.24 runs `findOneAndUpdate` and every conditional update
 * as "read, then write by _id" (not atomic: two instances both "claim" the same job), so the
 * insert is what makes the claim exclusive on both databases. `claimSeq` is then the fencing
 * token for every later write of that run.
 *
 * Guarantees: one instance runs a job at a time (leases are renewed while a handler runs); a
 * job whose runner died is taken over after its lease expires (at-least-once: at most one
 * duplicate per crash, the job that was in flight); jobs late by more than their grace window
 * are `missed` and reported instead of run. All times are UTC instants from the injected
 * clock; the host time zone is never used.
 *
 * Hot data stays small: `jobs` holds only live work (pending, running). A key is reserved for
 * ever by inserting its `JobKey` (unique `_id`, checked by index on every backend); a job that
 * finishes is inserted into `JobHistory` (`_id` = key) and leaves `jobs`. Every write to the
 * history and the keys is an insert, so none of them reads the growing collections. The tick reads
 * `{status: "pending", dueHour: h}` for the hours since its last complete round and
 * `{status: "running"}` (top-level equality: what FerretDB 1.24 pushes down, to an index with the
 * project's build) and picks due work in code, so its cost grows neither with the history nor
 * with the work scheduled for later.
 */

export interface QueuedJob {
  id: string;
  type: string;
  key: string;
  /** The parsed JSON payload (`undefined` if the stored text is not valid JSON). */
  payload: unknown;
  /** Next time the job may run (moved by retries). */
  runAt: Date;
  /** The time it was scheduled for; lateness is measured from here. */
  dueAt: Date;
  status: JobStatus;
  attempts: number;
  lastError?: string;
  lockedBy?: string;
  lockedUntil?: Date;
  doneAt?: Date;
  createdAt: Date;
}

export interface JobRunInfo {
  job: QueuedJob;
  /** The queue clock's time when the handler started. */
  now: Date;
  /** How long after `dueAt` the handler started (0 when on time). */
  lateByMs: number;
  /** True when `lateByMs` exceeds the type's `lateAfterMs`: say so honestly in the message. */
  late: boolean;
}

export type JobHandler = (payload: unknown, info: JobRunInfo) => Promise<void>;

export interface JobTypeOptions {
  /** Later than this after `dueAt`, the job is `missed` instead of run. Default 15 min. */
  graceMs?: number;
  /** Later than this after `dueAt`, the handler is told `late: true`. Default 1 min (ticks come every 15 s). */
  lateAfterMs?: number;
  /** Called for a missed job (e.g. to tell the curator); the handler is never called for it. */
  onMissed?: (job: QueuedJob) => Promise<void>;
  /**
   * Called once a job has failed for good (its last attempt threw, or its runner died on every
   * attempt), after it is marked failed: to tell the person who waited for it. A report that
   * throws is logged; the job stays failed.
   */
  onFailed?: (job: QueuedJob, lastError: string) => Promise<void>;
}

export interface JobSpec {
  type: string;
  /** Unique key, e.g. `reminder:<meetingId>:<offset>`. */
  key: string;
  /** UTC instant. */
  runAt: Date;
  /** Any JSON-serialisable value (Dates become ISO strings). */
  payload?: unknown;
}

export interface TickResult {
  /** Handlers that completed (job done). */
  ran: number;
  /** Handlers (or onMissed reports) that threw: rescheduled with back-off, or failed for good. */
  failed: number;
  /** Jobs marked missed (too late to run). */
  missed: number;
}

export interface JobQueueOptions {
  clock: Clock;
  logger: Logger;
  /** Identifies this process in leases; default `<host>:<pid>:<random>`. */
  instanceId?: string;
  /** How long a claim is valid without renewal. Default 60 s; renewed every third of it while a handler runs. */
  leaseMs?: number;
  /** Jobs claimed at once. Default 50. */
  batchSize?: number;
  /** Handler runs before a job is marked failed. Default 5. */
  maxAttempts?: number;
  /** Delay before retry number `attempt + 1`, given the attempts made so far (≥ 1). */
  backoffMs?: (attempt: number) => number;
}

export const DEFAULT_GRACE_MS = 15 * 60_000;
export const DEFAULT_LATE_AFTER_MS = 60_000;
export const DEFAULT_TICK_CRON = "*/15 * * * * *";
/** Beyond this many hours since the last complete tick, the tick reads every pending job instead of hour by hour. */
const MAX_BUCKETS = 48;

/** 30 s, 1 min, 2 min, 4 min … capped at 1 h. */
export function defaultBackoffMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** Escapes a string for use inside a regular expression (MongoDB PCRE and FerretDB RE2 alike). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface Registration {
  handler: JobHandler;
  graceMs: number;
  lateAfterMs: number;
  onMissed?: (job: QueuedJob) => Promise<void>;
  onFailed?: (job: QueuedJob, lastError: string) => Promise<void>;
}

/** A job this instance holds a claim on. */
interface ClaimedJob {
  job: QueuedJob;
  objectId: Types.ObjectId;
  seq: number;
  /** The stored document as read when claimed (written to the history when the job finishes). */
  stored: Lean;
  /** Queue-clock time of the last lease write. */
  leasedAt: number;
  payloadValid: boolean;
}

type Lean = JobRecord;

const ZERO: TickResult = { ran: 0, failed: 0, missed: 0 };

function toQueuedJob(doc: Lean): { job: QueuedJob; payloadValid: boolean } {
  let payload: unknown;
  let payloadValid = true;
  try {
    payload = JSON.parse(doc.payload);
  } catch {
    payloadValid = false;
  }
  const job: QueuedJob = {
    id: doc._id.toString(),
    type: doc.type,
    key: doc.key,
    payload,
    runAt: doc.runAt,
    dueAt: doc.dueAt,
    status: doc.status,
    attempts: doc.attempts,
    createdAt: doc.createdAt,
  };
  if (doc.lastError != null) job.lastError = doc.lastError;
  if (doc.lockedBy != null) job.lockedBy = doc.lockedBy;
  if (doc.lockedUntil != null) job.lockedUntil = doc.lockedUntil;
  if (doc.doneAt != null) job.doneAt = doc.doneAt;
  return { job, payloadValid };
}

function historyToQueuedJob(rec: JobHistoryRecord): QueuedJob {
  return toQueuedJob({ ...rec, _id: rec.jobId, key: rec._id } as Lean).job;
}

/** The hour bucket a pending job is read in (one stored before buckets: its run time's). */
function bucketOf(job: Lean): number {
  return job.dueHour ?? hourOf(job.runAt);
}

/** Oldest `runAt` first, then creation order. */
function byRunAt(a: Lean, b: Lean): number {
  const d = a.runAt.getTime() - b.runAt.getTime();
  if (d !== 0) return d;
  const x = a._id.toString();
  const y = b._id.toString();
  return x < y ? -1 : x > y ? 1 : 0;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 2000);
}

function checkSpec(spec: JobSpec): void {
  if (!spec.type) throw new Error("job type is required");
  if (!spec.key) throw new Error("job key is required");
  if (!(spec.runAt instanceof Date) || Number.isNaN(spec.runAt.getTime())) throw new Error(`job ${spec.key}: runAt must be a valid Date`);
}

export class JobQueue {
  readonly instanceId: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly types = new Map<string, Registration>();
  private task: ScheduledTask | undefined;
  private current: Promise<TickResult> | undefined;
  private stopping = false;
  /** Claimed jobs that have not started yet, of the running batch and the next (released on stop). */
  private notStarted: ClaimedJob[] = [];
  /** Finished jobs left in `jobs` (a move cut short, older data) are moved on the first tick. */
  private swept = false;
  /**
   * The earliest hour bucket that may hold due pending work this process has not tried: the
   * hour of the last complete tick's cutoff, or of an older due job it could not claim.
   * Undefined until the first complete tick, which reads every pending job.
   */
  private fromHour: number | undefined;

  constructor(options: JobQueueOptions) {
    this.clock = options.clock;
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.log = options.logger.child({ component: "job-queue", instance: this.instanceId });
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 50;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? defaultBackoffMs;
    if (this.leaseMs < 1000) throw new Error("leaseMs must be at least 1000");
    if (this.batchSize < 1 || this.maxAttempts < 1) throw new Error("batchSize and maxAttempts must be at least 1");
  }

  /** Registers the handler of a job type. Jobs of unregistered types are never claimed. */
  register(type: string, handler: JobHandler, options: JobTypeOptions = {}): void {
    if (this.types.has(type)) throw new Error(`job type already registered: ${type}`);
    this.types.set(type, {
      handler,
      graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
      lateAfterMs: options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS,
      onMissed: options.onMissed,
      onFailed: options.onFailed,
    });
  }

  /**
   * Creates the job unless one with this key exists (in any state: a done or cancelled job is
   * not re-created). Returns true when created.
   */
  async enqueue(spec: JobSpec): Promise<boolean> {
    checkSpec(spec);
    const payload = JSON.stringify(spec.payload ?? null);
    if (!(await this.reserveKey(spec.key))) return false;
    try {
      await Job.create({
        type: spec.type,
        key: spec.key,
        prefixes: keyPrefixes(spec.key),
        payload,
        runAt: spec.runAt,
        dueAt: spec.runAt,
        dueHour: dueHourOf(spec.runAt, this.clock.now()),
        status: "pending",
        attempts: 0,
        claimSeq: 0,
        createdAt: this.clock.now(),
      });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /**
   * Inserts the key's `JobKey`. True when this call owns the key: it inserted it, or the key was
   * reserved by an enqueue that died before creating its job (no live job, no history, reserved
   * longer than a lease ago). Keys older than the job history go (see `purgeFinishedJobs`).
   */
  private async reserveKey(key: string): Promise<boolean> {
    const now = this.clock.now();
    try {
      await JobKey.create({ _id: key, at: now });
      return true;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    if (await Job.exists({ key })) return false;
    if (await JobHistory.exists({ _id: key })) return false;
    const rec = await JobKey.findById(key).lean();
    if (!rec) return this.reserveKey(key); // purged in between
    return rec.at.getTime() + this.leaseMs <= now.getTime() && !(await Job.exists({ key }));
  }

  /** Inserts a finished job into the history (`_id` = key) and removes it from `jobs`. */
  private async moveToHistory(doc: Lean): Promise<void> {
    const set: Record<string, unknown> = {
      _id: doc.key,
      jobId: doc._id,
      type: doc.type,
      payload: doc.payload,
      runAt: doc.runAt,
      dueAt: doc.dueAt,
      status: doc.status,
      attempts: doc.attempts,
      claimSeq: doc.claimSeq,
      doneAt: doc.doneAt ?? this.clock.now(),
      createdAt: doc.createdAt,
    };
    if (doc.lastError != null) set.lastError = doc.lastError;
    if (doc.lockedBy != null) set.lockedBy = doc.lockedBy;
    try {
      await JobHistory.create(set);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // a move done before, cut short: the record is there
    }
    await Job.deleteOne({ _id: doc._id, status: doc.status });
  }

  /** Moves every finished job still in `jobs` with this status to the history. */
  private async sweep(status: JobStatus): Promise<void> {
    for (const doc of await Job.find({ status }).lean()) await this.moveToHistory(doc);
  }

  /**
   * Like `enqueue`, but when a pending job with this key exists, moves it to the new `runAt`
   * and payload (rescheduling). Returns false when the key belongs to a job that is running or
   * finished (use a new key to schedule again).
   */
  async upsertSchedule(spec: JobSpec): Promise<boolean> {
    checkSpec(spec);
    const payload = JSON.stringify(spec.payload ?? null);
    for (let round = 0; round < 3; round++) {
      const moved = await Job.updateOne(
        { key: spec.key, status: "pending" },
        { $set: { type: spec.type, payload, runAt: spec.runAt, dueAt: spec.runAt, dueHour: dueHourOf(spec.runAt, this.clock.now()) } },
      );
      if (moved.matchedCount > 0) return true;
      if (await this.enqueue(spec)) return true;
      const existing = await Job.findOne({ key: spec.key }).lean();
      if (existing && existing.status !== "pending") return false;
      if (!existing && (await JobHistory.exists({ _id: spec.key }))) return false; // finished
      // Raced with a concurrent create or release: try again.
    }
    return false;
  }

  /** Cancels a pending job. Returns false when there is none (a running job finishes its run). */
  async cancel(key: string): Promise<boolean> {
    const res = await Job.updateOne({ key, status: "pending" }, { $set: { status: "cancelled", doneAt: this.clock.now() } });
    if (res.modifiedCount === 0) return false;
    const doc = await Job.findOne({ key, status: "cancelled" }).lean();
    if (doc) await this.moveToHistory(doc);
    return true;
  }

  /**
   * Cancels every pending job whose key starts with `prefix` (taken literally). Returns how many.
   * A prefix ending at a ":" (every caller's: `meeting:<id>:` …) is read by the jobs' indexed
   * `prefixes` (see keyPrefixes); any other by a `$regex` on the key, which FerretDB answers by
   * decoding every pending job.
   */
  async cancelByPrefix(prefix: string): Promise<number> {
    if (!prefix) throw new Error("cancelByPrefix needs a non-empty prefix");
    const res = await Job.updateMany(
      prefix.endsWith(":") ? { prefixes: prefix, status: "pending" } : { key: { $regex: `^${escapeRegex(prefix)}` }, status: "pending" },
      { $set: { status: "cancelled", doneAt: this.clock.now() } },
    );
    if (res.modifiedCount > 0) await this.sweep("cancelled");
    return res.modifiedCount;
  }

  async get(key: string): Promise<QueuedJob | null> {
    const doc = await Job.findOne({ key }).lean();
    if (doc) return toQueuedJob(doc).job;
    const rec = await JobHistory.findById(key).lean();
    return rec ? historyToQueuedJob(rec) : null;
  }

  /**
   * Runs due jobs of the registered types until none is left (jobs that become due during the
   * tick wait for the next one). Returns at once, with zeros, while another tick of this
   * instance is running or after `stop()`.
   */
  tick(): Promise<TickResult> {
    if (this.current) {
      this.log.debug("tick skipped: the previous tick is still running");
      return Promise.resolve({ ...ZERO });
    }
    if (this.stopping) return Promise.resolve({ ...ZERO });
    const run = this.runTick().finally(() => {
      this.current = undefined;
    });
    this.current = run;
    return run;
  }

  /** Ticks on a cron schedule (seconds field included; UTC) and once right away. */
  start(cronExpression: string = DEFAULT_TICK_CRON): void {
    if (this.task) throw new Error("job queue already started");
    if (!cron.validate(cronExpression)) throw new Error(`invalid cron expression: ${cronExpression}`);
    this.stopping = false;
    this.task = cron.schedule(cronExpression, () => this.scheduledTick(), {
      name: `job-queue:${this.instanceId}`,
      timezone: "Etc/UTC",
    });
    this.scheduledTick();
    this.log.info({ cron: cronExpression, types: [...this.types.keys()] }, "job queue started");
  }

  /**
   * Stops ticking, releases the jobs this instance claimed but has not started (back to
   * pending), and waits (up to `timeoutMs`) for the job in flight to finish.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopping = true;
    const task = this.task;
    this.task = undefined;
    if (task) {
      await task.stop();
      await task.destroy();
    }
    await this.releaseNotStarted();
    const current = this.current;
    if (current) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        current.then(
          () => false,
          () => false,
        ),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.timeoutMs ?? 25_000))),
      ]);
      clearTimeout(timer);
      if (timedOut) this.log.warn("job queue stopped while a job was still running (its lease will expire and it will be retried)");
    }
  }

  private scheduledTick(): void {
    if (this.current || this.stopping) {
      if (this.current) this.log.debug("tick skipped: the previous tick is still running");
      return;
    }
    this.tick().then(
      (r) => {
        if (r.ran + r.failed + r.missed > 0) this.log.info(r, "job queue tick");
      },
      (err: unknown) => this.log.error({ err }, "job queue tick failed"),
    );
  }

  private async runTick(): Promise<TickResult> {
    const result = { ...ZERO };
    const types = [...this.types.keys()];
    if (types.length === 0) return result;
    if (!this.swept) {
      for (const status of FINISHED_JOB_STATUSES) await this.sweep(status);
      this.swept = true;
    }
    const cutoff = this.clock.now();
    // Where the next tick starts reading: this tick's hour, unless a due job is left behind.
    let nextFromHour = hourOf(cutoff);
    let candidates = await this.dueCandidates(new Set(types), cutoff, this.fromHour);
    // Later reads of this tick need only the hours from the earliest due job found on.
    const scanFrom = candidates.reduce((h, c) => (c.status === "pending" ? Math.min(h, bucketOf(c)) : h), hourOf(cutoff));
    // Claims a batch; each claim joins `notStarted` until it runs (stop releases what is left).
    const claimBatch = async (batch: Lean[]): Promise<ClaimedJob[]> => {
      const claimed: ClaimedJob[] = [];
      for (const candidate of batch) {
        if (this.stopping) break;
        const c = await this.claim(candidate, cutoff);
        if (c) {
          claimed.push(c);
          this.notStarted.push(c);
        }
        // Not ours now (another instance's claim, perhaps orphaned): look at its hour again next time.
        else if (candidate.status === "pending") nextFromHour = Math.min(nextFromHour, bucketOf(candidate));
      }
      return claimed;
    };
    // The next batch is claimed while this one runs (its handlers mostly wait for the send
    // limiter), so the claims' round trips do not stand between one batch's sends and the next.
    const startClaiming = (): Promise<ClaimedJob[]> | undefined => {
      if (this.stopping || candidates.length === 0) return undefined;
      const claiming = claimBatch(candidates.splice(0, this.batchSize));
      claiming.catch(() => undefined); // awaited below; this only keeps it from counting as unhandled meanwhile
      return claiming;
    };
    let claiming = startClaiming();
    try {
      while (claiming && !this.stopping) {
        const claimed = await claiming;
        claiming = startClaiming();
        if (claimed.length === 0 && !claiming) break; // everything was taken by other instances
        for (const next of claimed) {
          if (this.stopping) break;
          this.notStarted.splice(this.notStarted.indexOf(next), 1);
          await this.runOne(next, result);
        }
        if (!claiming && !this.stopping) {
          candidates = await this.dueCandidates(new Set(types), cutoff, scanFrom);
          claiming = startClaiming();
        }
      }
    } finally {
      // On stop or on an error, what was claimed but not started goes back to pending.
      if (claiming) await claiming.catch(() => undefined);
      await this.releaseNotStarted();
    }
    if (!this.stopping) this.fromHour = nextFromHour;
    return result;
  }

  /**
   * Due work of the registered types, oldest first: pending jobs due by `cutoff`, and running
   * jobs whose lease has expired. Read with top-level equality only; the rest is done here.
   * Pending jobs are read by hour bucket (`dueHourOf`) from `fromHour` to the cutoff's hour, so
   * jobs due next week cost nothing now; the first tick of a process (or one after a gap of
   * more than MAX_BUCKETS hours) reads every pending job and gives a bucket to any that lack one.
   */
  private async dueCandidates(types: Set<string>, cutoff: Date, fromHour: number | undefined): Promise<Lean[]> {
    const toHour = hourOf(cutoff);
    let pending: Lean[];
    if (fromHour === undefined || toHour - fromHour > MAX_BUCKETS) {
      pending = await Job.find({ status: "pending" }).lean();
      for (const job of pending) {
        if (job.dueHour != null) continue;
        job.dueHour = dueHourOf(job.runAt, job.createdAt);
        await Job.updateOne({ _id: job._id, status: "pending", runAt: job.runAt, dueHour: null }, { $set: { dueHour: job.dueHour } });
      }
    } else {
      pending = [];
      for (let hour = fromHour; hour <= toHour; hour++) pending.push(...(await Job.find({ status: "pending", dueHour: hour }).lean()));
    }
    const running = await Job.find({ status: "running" }).lean();
    const now = this.clock.now().getTime();
    return [
      ...pending.filter((j) => types.has(j.type) && j.runAt.getTime() <= cutoff.getTime()),
      ...running.filter((j) => types.has(j.type) && j.lockedUntil != null && j.lockedUntil.getTime() <= now),
    ].sort(byRunAt);
  }

  /** Claims one candidate; undefined when another instance has it or it changed meanwhile. */
  private async claim(candidate: Lean, cutoff: Date): Promise<ClaimedJob | undefined> {
    const now = this.clock.now();
    const seq = await this.takeClaim(candidate, now);
    if (seq === undefined) return undefined;
    const branch =
      candidate.status === "pending"
        ? { status: "pending" as const, runAt: { $lte: cutoff } }
        : { status: "running" as const, lockedUntil: { $lte: now } };
    const res = await Job.updateOne(
      { _id: candidate._id, claimSeq: candidate.claimSeq, ...branch },
      {
        $set: { status: "running", lockedBy: this.instanceId, lockedUntil: new Date(now.getTime() + this.leaseMs), claimSeq: seq },
        $inc: { attempts: 1 },
      },
    );
    if (res.matchedCount === 0) {
      // Cancelled or moved between the read and the claim: give the claim number back.
      await JobClaim.deleteOne({ _id: `${candidate._id.toString()}:${seq}`, by: this.instanceId });
      return undefined;
    }
    // Re-read (no projection on findOneAndUpdate, and on FerretDB the write above may have
    // raced with a cancel or a reschedule): run only what is really ours.
    const fresh = await Job.findById(candidate._id).lean();
    if (!fresh || fresh.status !== "running" || fresh.claimSeq !== seq || fresh.lockedBy !== this.instanceId) return undefined;
    const { job, payloadValid } = toQueuedJob(fresh);
    return { job, objectId: fresh._id, seq, stored: fresh, leasedAt: now.getTime(), payloadValid };
  }

  /**
   * Inserts the claim `<jobId>:<seq>` for the next claim number. A claim that exists but is
   * older than a lease while the job never moved past it is orphaned (its owner died between
   * the insert and the job update): the next number is tried.
   */
  private async takeClaim(candidate: Lean, now: Date): Promise<number | undefined> {
    const jobId = candidate._id.toString();
    for (let seq = candidate.claimSeq + 1; seq <= candidate.claimSeq + 3; seq++) {
      try {
        await JobClaim.create({ _id: `${jobId}:${seq}`, jobId: candidate._id, seq, by: this.instanceId, at: now });
        return seq;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const holder = await JobClaim.findById(`${jobId}:${seq}`).lean();
      if (holder && holder.at.getTime() + this.leaseMs > now.getTime()) return undefined; // held by a live claim
      const job = await Job.findById(candidate._id).lean();
      if (!job || job.claimSeq >= seq) return undefined; // someone else moved it on
    }
    return undefined;
  }

  private async runOne(c: ClaimedJob, result: TickResult): Promise<void> {
    const reg = this.types.get(c.job.type);
    const now = this.clock.now();
    const log = this.log.child({ job: c.job.key, type: c.job.type, attempt: c.job.attempts });
    // A job that waited in the batch gets a fresh lease before it starts (and we confirm it is ours).
    if (now.getTime() - c.leasedAt >= this.leaseMs / 3 && !(await this.renew(c))) {
      log.warn("lease lost before the job started; another instance has it");
      return;
    }
    if (!reg) return; // cannot happen: only registered types are claimed
    if (!c.payloadValid) {
      await this.finish(c, "failed", { lastError: "payload is not valid JSON" });
      log.error("job failed: payload is not valid JSON");
      result.failed++;
      return;
    }
    if (c.job.attempts > this.maxAttempts) {
      // Only expired leases get here: the runner died every time (a crash in the handler?).
      const lastError = `gave up after ${c.job.attempts - 1} runs whose lease expired`;
      await this.finish(c, "failed", { lastError });
      log.error("job failed: its runner died on every attempt");
      result.failed++;
      await this.reportFailed(reg, c, lastError, log);
      return;
    }
    const lateByMs = Math.max(0, now.getTime() - c.job.dueAt.getTime());
    if (lateByMs > reg.graceMs) {
      await this.handleMissed(c, reg, lateByMs, result, log);
      return;
    }

    const heartbeat = setInterval(() => {
      this.renew(c).then(
        (ok) => {
          if (!ok) log.warn("lease lost while the job was running");
        },
        (err: unknown) => log.warn({ err }, "lease renewal failed"),
      );
    }, Math.max(1000, Math.floor(this.leaseMs / 3)));
    heartbeat.unref();
    try {
      await reg.handler(c.job.payload, { job: c.job, now, lateByMs, late: lateByMs > reg.lateAfterMs });
    } catch (err) {
      clearInterval(heartbeat);
      await this.retryOrFail(c, err, result, log);
      return;
    }
    clearInterval(heartbeat);
    await this.finish(c, "done", {});
    result.ran++;
  }

  private async handleMissed(c: ClaimedJob, reg: Registration, lateByMs: number, result: TickResult, log: Logger): Promise<void> {
    let lastError: string | undefined;
    if (reg.onMissed) {
      try {
        await reg.onMissed(c.job);
      } catch (err) {
        if (c.job.attempts < this.maxAttempts) {
          await this.retryOrFail(c, err, result, log);
          return;
        }
        result.failed++;
        lastError = `missed, and reporting it failed: ${errorText(err)}`;
        log.error({ err }, "could not report a missed job");
      }
    }
    await this.finish(c, "missed", lastError ? { lastError } : {});
    result.missed++;
    log.warn({ lateByMs, dueAt: c.job.dueAt.toISOString() }, "job missed: too late to run");
  }

  private async retryOrFail(c: ClaimedJob, err: unknown, result: TickResult, log: Logger): Promise<void> {
    result.failed++;
    const lastError = errorText(err);
    if (c.job.attempts >= this.maxAttempts) {
      await this.finish(c, "failed", { lastError });
      log.error({ err }, "job failed for good after the last attempt");
      await this.reportFailed(this.types.get(c.job.type), c, lastError, log);
      return;
    }
    const delay = this.backoffMs(c.job.attempts);
    const runAt = new Date(this.clock.now().getTime() + delay);
    const res = await Job.updateOne(
      { _id: c.objectId, claimSeq: c.seq, status: "running" },
      { $set: { status: "pending", runAt, dueHour: dueHourOf(runAt, this.clock.now()), lastError }, $unset: { lockedBy: 1, lockedUntil: 1 } },
    );
    if (res.matchedCount === 0) log.warn("job changed while it was running; retry not scheduled");
    log.warn({ err, retryAt: runAt.toISOString() }, "job failed; will retry");
  }

  /** Tells whoever waited for a job that failed for good (the type's `onFailed`); a report that fails is logged. */
  private async reportFailed(reg: Registration | undefined, c: ClaimedJob, lastError: string, log: Logger): Promise<void> {
    if (!reg?.onFailed) return;
    try {
      await reg.onFailed(c.job, lastError);
    } catch (err) {
      log.error({ err }, "could not report a job that failed for good");
    }
  }

  private async finish(c: ClaimedJob, status: "done" | "failed" | "missed", extra: { lastError?: string }): Promise<void> {
    const res = await Job.updateOne(
      { _id: c.objectId, claimSeq: c.seq, status: "running" },
      { $set: { status, doneAt: this.clock.now(), ...extra }, $unset: { lockedUntil: 1 } },
    );
    if (res.matchedCount === 0) {
      this.log.warn({ job: c.job.key, status }, "job changed while it was running (lease lost?)");
      return;
    }
    const { lockedUntil: _lease, ...rest } = c.stored;
    await this.moveToHistory({ ...rest, status, doneAt: this.clock.now(), ...extra });
  }

  /** Extends the lease; false when the job is no longer ours. */
  private async renew(c: ClaimedJob): Promise<boolean> {
    const now = this.clock.now();
    const res = await Job.updateOne(
      { _id: c.objectId, claimSeq: c.seq, status: "running", lockedBy: this.instanceId },
      { $set: { lockedUntil: new Date(now.getTime() + this.leaseMs) } },
    );
    if (res.matchedCount > 0) c.leasedAt = now.getTime();
    return res.matchedCount > 0;
  }

  /** Puts claimed-but-not-started jobs back to pending, as if never claimed. */
  private async releaseNotStarted(): Promise<void> {
    const jobs = this.notStarted.splice(0);
    let released = 0;
    for (const c of jobs) {
      try {
        const res = await Job.updateOne(
          { _id: c.objectId, claimSeq: c.seq, status: "running", lockedBy: this.instanceId },
          { $set: { status: "pending", dueHour: dueHourOf(c.job.runAt, this.clock.now()) }, $unset: { lockedBy: 1, lockedUntil: 1 }, $inc: { attempts: -1 } },
        );
        released += res.modifiedCount;
      } catch (err) {
        this.log.warn({ err, job: c.job.key }, "could not release a claimed job; its lease will expire");
      }
    }
    if (released > 0) this.log.info({ released }, "released claimed jobs that had not started");
  }
}
