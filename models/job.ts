import { Schema, model, Types, type InferSchemaType } from "mongoose";

/**
 * The durable job queue (design §4). One document per scheduled piece of work, identified by a
 * unique `key` (for example `offer-timeout:<offerId>`), so the same job is never created twice.
 *
 * - `runAt` is the next time the job may run (UTC instant; moved forward by retries);
 *   `dueAt` is the time it was scheduled for (lateness is measured from it).
 * - `payload` is JSON text, so any shape (arrays of arrays too) is stored safely on FerretDB.
 * - `lockedBy` / `lockedUntil` form the lease of the instance running it; `claimSeq` numbers the
 *   claims of the job and is the fencing token (see `JobClaim`).
 * - Only live jobs (pending, running) stay here: a job that finishes (done, failed, missed,
 *   cancelled) is moved to its `JobKey` record, so the tick reads a small collection whatever
 *   the history holds (FerretDB 1.24 reads every stored document for a filtered read).
 */
export const JOB_STATUSES = ["pending", "running", "done", "failed", "missed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINISHED_JOB_STATUSES = ["done", "failed", "missed", "cancelled"] as const satisfies readonly JobStatus[];

const jobSchema = new Schema(
  {
    type: { type: String, required: true, maxlength: 100 },
    key: { type: String, required: true, maxlength: 300 },
    /** Every start of `key` that ends at a ":" (see keyPrefixes): what `cancelByPrefix` reads by. */
    prefixes: { type: [String], default: undefined },
    payload: { type: String, required: true, default: "null", maxlength: 64_000 },
    runAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    /** See `dueHourOf`: the hour bucket the tick reads this pending job in. */
    dueHour: { type: Number },
    status: { type: String, enum: JOB_STATUSES, required: true, default: "pending" },
    attempts: { type: Number, required: true, default: 0 },
    claimSeq: { type: Number, required: true, default: 0 },
    lastError: { type: String, maxlength: 2000 },
    lockedBy: { type: String, maxlength: 200 },
    lockedUntil: { type: Date },
    doneAt: { type: Date },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
jobSchema.index({ key: 1 }, { unique: true });
// Due work: pending by runAt, and running jobs whose lease has expired.
jobSchema.index({ status: 1, runAt: 1 });
jobSchema.index({ status: 1, lockedUntil: 1 });
jobSchema.index({ status: 1, dueHour: 1 });
jobSchema.index({ prefixes: 1 });

/**
 * The starts of a job key that end at a ":", shortest first: `meeting:<id>:reminder` gives
 * `meeting:` and `meeting:<id>:`. A job stores them, so cancelling every pending job of a meeting,
 * a program or a pair (`cancelByPrefix("meeting:<id>:")`) is an equality on an indexed field. With
 * a `$regex` on the key, FerretDB decoded every pending job for each such cancel (0.18–0.25 s at
 * 10,000 pending jobs, on the connection every update waits for), since it pushes no regex down.
 */
export function keyPrefixes(key: string): string[] {
  const out: string[] = [];
  for (let i = key.indexOf(":"); i >= 0; i = key.indexOf(":", i + 1)) out.push(key.slice(0, i + 1));
  return out;
}

const HOUR_MS = 3_600_000;

/** The hour (hours since the epoch) of an instant. */
export function hourOf(at: Date): number {
  return Math.floor(at.getTime() / HOUR_MS);
}

/**
 * The hour bucket of a job that becomes pending `now` to run at `runAt`: the hour of whichever is
 * later. So a pending job's bucket is never earlier than the hour it became pending in, and the
 * tick can read due work by equality, hour by hour since its last complete round, instead of every
 * pending job (FerretDB 1.24 pushes equality down, never a range; see `JobQueue.dueCandidates`).
 * Every write that makes a job pending sets it.
 */
export function dueHourOf(runAt: Date, now: Date): number {
  return hourOf(runAt.getTime() > now.getTime() ? runAt : now);
}

export type JobRecord = InferSchemaType<typeof jobSchema> & { _id: Types.ObjectId };
export const Job = model("Job", jobSchema);

/**
 * One claim of one job: `_id` is `<jobId>:<claimSeq>`. Inserting it is the claim; the unique
 * `_id` lets exactly one instance win each claim number. This is the only atomic primitive that
 * both MongoDB and FerretDB 1.24 offer: FerretDB runs `findOneAndUpdate` and conditional
 * updates as a read followed by an unconditional write, so two instances can both "win" one.
 * Claims are insert-only; old ones are removed together with old finished jobs.
 */
const jobClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    jobId: { type: Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    by: { type: String, required: true, maxlength: 200 },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
jobClaimSchema.index({ at: 1 });

export const JobClaim = model("JobClaim", jobClaimSchema);

/**
 * One job key, ever: `_id` is the key, inserted at enqueue before the job. The insert is what
 * makes a key unique across live and finished jobs at once (an insert checks the unique `_id` by
 * index on every backend, where a read by key would scan). Insert-only.
 */
const jobKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: "job_keys" },
);

export const JobKey = model("JobKey", jobKeySchema);

/**
 * A finished job (done, failed, missed, cancelled), moved out of `jobs`: `_id` is its key, so a
 * finished key is found by `_id` (the one read FerretDB pushes down on every backend).
 * Insert-only; removed after 30 days with its key.
 */
const jobHistorySchema = new Schema(
  {
    _id: { type: String, required: true },
    jobId: { type: Types.ObjectId, required: true },
    type: { type: String, required: true, maxlength: 100 },
    payload: { type: String, required: true, maxlength: 64_000 },
    runAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    /** See `dueHourOf`: the hour bucket the tick reads this pending job in. */
    dueHour: { type: Number },
    status: { type: String, enum: FINISHED_JOB_STATUSES, required: true },
    attempts: { type: Number, required: true },
    claimSeq: { type: Number, required: true },
    lastError: { type: String, maxlength: 2000 },
    lockedBy: { type: String, maxlength: 200 },
    doneAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: "job_history" },
);
jobHistorySchema.index({ doneAt: 1 });

export type JobHistoryRecord = InferSchemaType<typeof jobHistorySchema> & { _id: string };
export const JobHistory = model("JobHistory", jobHistorySchema);

/**
 * Removes finished jobs older than `before` with their keys (the key may then be used again),
 * and claims made before it; returns how many jobs went. Finished jobs still in `jobs` (a move
 * cut short) go too.
 */
export async function purgeFinishedJobs(before: Date): Promise<number> {
  const live = await Job.deleteMany({ status: { $in: [...FINISHED_JOB_STATUSES] }, doneAt: { $lt: before } });
  const old = (await JobHistory.find({ doneAt: { $lt: before } }, { _id: 1 }).lean()).map((h) => h._id);
  for (let i = 0; i < old.length; i += 500) {
    const keys = old.slice(i, i + 500);
    await JobKey.deleteMany({ _id: { $in: keys } });
    await JobHistory.deleteMany({ _id: { $in: keys } });
  }
  await JobClaim.deleteMany({ at: { $lt: before } });
  return live.deletedCount + old.length;
}
