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
 * - Finished jobs (done, failed, missed, cancelled) keep their key, so a finished job is not
 *   re-created by a second enqueue; `doneAt` says when they finished.
 */
export const JOB_STATUSES = ["pending", "running", "done", "failed", "missed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINISHED_JOB_STATUSES = ["done", "failed", "missed", "cancelled"] as const satisfies readonly JobStatus[];

const jobSchema = new Schema(
  {
    type: { type: String, required: true, maxlength: 100 },
    key: { type: String, required: true, maxlength: 300 },
    payload: { type: String, required: true, default: "null", maxlength: 64_000 },
    runAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
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

/** Removes jobs that finished before `before` and claims made before it; returns how many jobs went. */
export async function purgeFinishedJobs(before: Date): Promise<number> {
  const res = await Job.deleteMany({ status: { $in: [...FINISHED_JOB_STATUSES] }, doneAt: { $lt: before } });
  await JobClaim.deleteMany({ at: { $lt: before } });
  return res.deletedCount;
}
