import { Job, JobClaim, JobHistory, JobKey } from "../../models/index.ts";

/** A stored job as the tests see it, whether live (in `jobs`) or finished (in its key's history record). */
export interface StoredJob {
  key: string;
  type: string;
  status: string;
  attempts: number;
  runAt: Date;
  lockedBy?: string;
}

/** Every stored job, live or finished, sorted by key. */
export async function storedJobs(): Promise<StoredJob[]> {
  const live = (await Job.find({}).lean()).map((j) => ({ key: j.key, type: j.type, status: j.status, attempts: j.attempts, runAt: j.runAt, ...(j.lockedBy ? { lockedBy: j.lockedBy } : {}) }));
  const finished = (await JobHistory.find({}).lean()).map((k) => ({
    key: k._id,
    type: k.type,
    status: k.status,
    attempts: k.attempts,
    runAt: k.runAt,
    ...(k.lockedBy ? { lockedBy: k.lockedBy } : {}),
  }));
  return [...live, ...finished].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The stored job with this key, live or finished. */
export async function storedJob(key: string): Promise<StoredJob | undefined> {
  return (await storedJobs()).find((j) => j.key === key);
}

/** Empties the queue's collections: live jobs, keys, history and claims. */
export async function clearJobs(): Promise<void> {
  await Job.deleteMany({});
  await JobKey.deleteMany({});
  await JobHistory.deleteMany({});
  await JobClaim.deleteMany({});
}
