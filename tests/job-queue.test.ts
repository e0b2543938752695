import { beforeEach, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { LogSink } from "./helpers/harness.ts";
import { createLogger } from "../src/core/logger.ts";
import { Job, JobClaim, keyPrefixes, purgeFinishedJobs } from "../models/index.ts";
import { clearJobs, storedJob, storedJobs } from "./helpers/jobs.ts";
import { JobQueue, type JobQueueOptions, type JobRunInfo, type QueuedJob } from "../jobs/queue.ts";

useTestDatabase();

// 2026-03-08 is the day New York (the tests' host zone) moves its clocks: the queue must not care.
const START = Date.parse("2026-03-08T06:30:00.000Z");
let current = new Date(START);
const clock = { now: () => current };
const advance = (ms: number) => {
  current = new Date(current.getTime() + ms);
};
const at = (offsetMs: number) => new Date(START + offsetMs);
const MIN = 60_000;

let logs: LogSink;

function makeQueue(options: Partial<JobQueueOptions> = {}): JobQueue {
  return new JobQueue({ clock, logger: createLogger({ level: "debug", destination: logs }), ...options });
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending I/O callbacks and promise continuations run. */
const settle = async (rounds = 5) => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

beforeEach(async () => {
  current = new Date(START);
  logs = new LogSink();
  await clearJobs();
});

describe("enqueue, cancel, reschedule", () => {
  it("enqueue is idempotent by key, and the key of a finished job is not re-created", async () => {
    const q = makeQueue();
    const calls: unknown[] = [];
    q.register("note", async (payload) => {
      calls.push(payload);
    });
    expect(await q.enqueue({ type: "note", key: "note:1", runAt: at(0), payload: { n: 1 } })).toBe(true);
    expect(await q.enqueue({ type: "note", key: "note:1", runAt: at(5 * MIN), payload: { n: 2 } })).toBe(false);
    expect(await Job.countDocuments({ key: "note:1" })).toBe(1);
    expect((await q.get("note:1"))?.payload).toEqual({ n: 1 });

    expect(await q.tick()).toEqual({ ran: 1, failed: 0, missed: 0 });
    expect((await q.get("note:1"))?.status).toBe("done");
    expect(await q.enqueue({ type: "note", key: "note:1", runAt: at(0), payload: { n: 3 } })).toBe(false);
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 });
    expect(calls).toEqual([{ n: 1 }]);
    expect(await storedJobs()).toHaveLength(1);
    expect(await Job.countDocuments({})).toBe(0); // the finished job left the live collection
    await expect(q.enqueue({ type: "note", key: "note:bad", runAt: new Date(Number.NaN) })).rejects.toThrow(/runAt/);
  });

  it("purgeFinishedJobs removes old finished jobs and old claims, and keeps the rest", async () => {
    const q = makeQueue();
    q.register("note", async () => undefined);
    await q.enqueue({ type: "note", key: "old-done", runAt: at(-40 * 24 * 60 * MIN) });
    current = at(-40 * 24 * 60 * MIN);
    await q.tick();
    current = new Date(START);
    await q.enqueue({ type: "note", key: "old-pending", runAt: at(-40 * 24 * 60 * MIN) }); // an unregistered-type backlog stays
    await Job.updateOne({ key: "old-pending" }, { $set: { type: "other" } });
    await q.enqueue({ type: "note", key: "recent-done", runAt: at(0) });
    await q.tick();
    expect(await purgeFinishedJobs(at(-30 * 24 * 60 * MIN))).toBe(1);
    expect((await storedJobs()).map((j) => j.key)).toEqual(["old-pending", "recent-done"]);
    expect(await JobClaim.countDocuments({})).toBe(1); // the recent job's claim
  });

  it("cancel and cancelByPrefix cancel pending jobs only, and take the prefix literally", async () => {
    const q = makeQueue();
    const ran: string[] = [];
    q.register("r", async (_p, info) => {
      ran.push(info.job.key);
    });
    const keys = ["offer:a.b:1", "offer:a.b:2", "offer:aXb:1", "x(1)+[y]:1", "x(1)+[y]:2", "x(1)+[z]:1", "solo"];
    for (const key of keys) expect(await q.enqueue({ type: "r", key, runAt: at(MIN) })).toBe(true);

    expect(await q.cancel("solo")).toBe(true);
    expect(await q.cancel("solo")).toBe(false);
    expect(await q.cancel("no-such-key")).toBe(false);
    expect((await q.get("solo"))?.status).toBe("cancelled");
    expect(await q.enqueue({ type: "r", key: "solo", runAt: at(MIN) })).toBe(false);

    // A prefix ending at ":" is read by the jobs' indexed prefixes, never by a $regex (FerretDB
    // decodes every pending job for one); any other prefix by the key.
    const cancels = vi.spyOn(Job, "updateMany");
    expect(await q.cancelByPrefix("offer:a.b:")).toBe(2); // "." is not a wildcard: offer:aXb:1 stays
    expect(cancels.mock.calls[0]?.[0]).toEqual({ prefixes: "offer:a.b:", status: "pending" });
    cancels.mockRestore();
    expect(keyPrefixes("meeting:6759:reminder:24h")).toEqual(["meeting:", "meeting:6759:", "meeting:6759:reminder:"]);
    expect(keyPrefixes("solo")).toEqual([]);
    expect(await q.enqueue({ type: "r", key: "offer:a.c1", runAt: at(MIN) })).toBe(true);
    expect(await q.cancelByPrefix("offer:a.c")).toBe(1);
    expect(await q.cancelByPrefix("x(1)+[y]:")).toBe(2);
    expect(await q.cancelByPrefix("x(1)+[y]:")).toBe(0);
    await expect(q.cancelByPrefix("")).rejects.toThrow(/prefix/);

    advance(MIN);
    expect(await q.tick()).toEqual({ ran: 2, failed: 0, missed: 0 });
    expect(ran.sort()).toEqual(["offer:aXb:1", "x(1)+[z]:1"]);
    expect(await q.cancel("offer:aXb:1")).toBe(false); // already done
  });

  it("upsertSchedule moves a pending job, creates a missing one, and leaves a finished one alone", async () => {
    const q = makeQueue();
    const seen: Array<{ key: string; payload: unknown; now: string }> = [];
    q.register("reminder", async (payload, info) => {
      seen.push({ key: info.job.key, payload, now: info.now.toISOString() });
    });
    expect(await q.enqueue({ type: "reminder", key: "reminder:m1:-1h", runAt: at(60 * MIN), payload: { v: 1 } })).toBe(true);
    expect(await q.upsertSchedule({ type: "reminder", key: "reminder:m1:-1h", runAt: at(120 * MIN), payload: { v: 2 } })).toBe(true);
    expect(await Job.countDocuments({})).toBe(1);
    const moved = await q.get("reminder:m1:-1h");
    expect(moved?.runAt.toISOString()).toBe(at(120 * MIN).toISOString());
    expect(moved?.dueAt.toISOString()).toBe(at(120 * MIN).toISOString());
    expect(moved?.payload).toEqual({ v: 2 });

    expect(await q.upsertSchedule({ type: "reminder", key: "reminder:m2:-1h", runAt: at(120 * MIN), payload: { v: 9 } })).toBe(true);

    advance(60 * MIN); // the old time: nothing runs
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 });
    advance(60 * MIN);
    expect(await q.tick()).toEqual({ ran: 2, failed: 0, missed: 0 });
    expect(seen.map((s) => [s.key, s.payload])).toEqual([
      ["reminder:m1:-1h", { v: 2 }],
      ["reminder:m2:-1h", { v: 9 }],
    ]);
    expect(await q.upsertSchedule({ type: "reminder", key: "reminder:m1:-1h", runAt: at(300 * MIN), payload: { v: 3 } })).toBe(false);
    expect((await q.get("reminder:m1:-1h"))?.status).toBe("done");
  });
});

describe("running jobs", () => {
  it("runs a due job once with its payload; a job not yet due waits for its time", async () => {
    const q = makeQueue();
    const calls: Array<{ payload: unknown; info: JobRunInfo }> = [];
    q.register("reminder", async (payload, info) => {
      calls.push({ payload, info });
    });
    // Arrays of arrays and non-ASCII text survive (the payload is stored as JSON text).
    const payload = { grid: [[1, 2], [3]], text: "Напоминание: встреча в 15:00", when: at(0).toISOString() };
    await q.enqueue({ type: "reminder", key: "due", runAt: at(0), payload });
    await q.enqueue({ type: "reminder", key: "later", runAt: at(1000) });

    expect(await q.tick()).toEqual({ ran: 1, failed: 0, missed: 0 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.payload).toEqual(payload);
    expect(calls[0]?.info).toMatchObject({ lateByMs: 0, late: false });
    expect(calls[0]?.info.now.toISOString()).toBe(at(0).toISOString());
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 });

    const done = await q.get("due");
    expect(done).toMatchObject({ status: "done", attempts: 1 });
    expect(done?.doneAt?.toISOString()).toBe(at(0).toISOString());
    expect(done?.lockedUntil).toBeUndefined();
    expect((await q.get("later"))?.status).toBe("pending");

    advance(999);
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 });
    advance(1);
    expect(await q.tick()).toEqual({ ran: 1, failed: 0, missed: 0 });
    expect(calls.map((c) => c.info.job.key)).toEqual(["due", "later"]);
  });

  it("retries a failing job with back-off, then marks it failed after maxAttempts and reports it once", async () => {
    const q = makeQueue({ maxAttempts: 3 });
    let calls = 0;
    const reports: Array<[string, string, string | undefined]> = [];
    q.register(
      "flaky",
      async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
      { onFailed: async (job, lastError) => void reports.push([job.key, lastError, (await q.get(job.key))?.status]) },
    );
    await q.enqueue({ type: "flaky", key: "flaky:1", runAt: at(0) });

    expect(await q.tick()).toEqual({ ran: 0, failed: 1, missed: 0 });
    let job = await q.get("flaky:1");
    expect(job).toMatchObject({ status: "pending", attempts: 1, lastError: "Error: boom 1" });
    expect(job?.runAt.toISOString()).toBe(at(30_000).toISOString()); // 30 s
    expect(job?.lockedBy).toBeUndefined();
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 });

    advance(30_000);
    expect(await q.tick()).toEqual({ ran: 0, failed: 1, missed: 0 });
    job = await q.get("flaky:1");
    expect(job).toMatchObject({ status: "pending", attempts: 2 });
    expect(job?.runAt.toISOString()).toBe(at(90_000).toISOString()); // then 60 s

    advance(59_999);
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 });
    expect(reports).toEqual([]); // retries are not reported
    advance(1);
    expect(await q.tick()).toEqual({ ran: 0, failed: 1, missed: 0 });
    // Reported once, after it was marked failed.
    expect(reports).toEqual([["flaky:1", "Error: boom 3", "failed"]]);
    job = await q.get("flaky:1");
    expect(job).toMatchObject({ status: "failed", attempts: 3, lastError: "Error: boom 3" });
    expect(job?.doneAt?.toISOString()).toBe(at(90_000).toISOString());

    advance(3_600_000);
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 });
    expect(calls).toBe(3);
    expect(logs.errors().map((l) => l.msg)).toEqual(["job failed for good after the last attempt"]);
    expect(logs.errors()[0]).toMatchObject({ job: "flaky:1", type: "flaky" });
  });

  it("leaves jobs of unregistered types alone", async () => {
    const q = makeQueue();
    q.register("known", async () => undefined);
    await q.enqueue({ type: "unknown", key: "u:1", runAt: at(-MIN) });
    await q.enqueue({ type: "known", key: "k:1", runAt: at(-MIN) });
    expect(await q.tick()).toEqual({ ran: 1, failed: 0, missed: 0 });
    expect(await q.get("u:1")).toMatchObject({ status: "pending", attempts: 0 });
    expect((await q.get("u:1"))?.lockedBy).toBeUndefined();
    expect(await JobClaim.countDocuments({ jobId: (await Job.findOne({ key: "u:1" }))?._id })).toBe(0);
    expect(await makeQueue().tick()).toEqual({ ran: 0, failed: 0, missed: 0 }); // nothing registered at all
  });
});

describe("due work by hour bucket (issue 12)", () => {
  const HOUR = 60 * MIN;
  /** Ticks hours apart run work late: that is not what is tested here. */
  const late = { graceMs: Number.MAX_SAFE_INTEGER };
  /** The pending-job reads a tick makes, as their filters. */
  async function pendingReads(run: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
    const reads: Array<Record<string, unknown>> = [];
    const { default: mongoose } = await import("mongoose");
    mongoose.set("debug", (collection: string, method: string, filter: Record<string, unknown>) => {
      if (collection === "jobs" && method === "find" && filter.status === "pending") reads.push(filter);
    });
    try {
      await run();
    } finally {
      mongoose.set("debug", false);
    }
    return reads;
  }

  it("after its first round a tick reads only the hours since the last one; work for next week runs on time", async () => {
    const q = makeQueue();
    const ran: string[] = [];
    q.register("note", async (_p, info) => {
      ran.push(`${info.job.key}@${clock.now().toISOString()}`);
    }, late);
    await q.enqueue({ type: "note", key: "later", runAt: at(7 * 24 * HOUR) });
    await q.enqueue({ type: "note", key: "now", runAt: at(-MIN) });
    // The first round reads every pending job; the next reads this hour's bucket only.
    const first = await pendingReads(() => q.tick());
    expect(first.length).toBeGreaterThan(0);
    expect(first[0]).toEqual({ status: "pending" });
    // Its later reads (after the due work ran) take the hours from the earliest due job on.
    expect(first.slice(1).every((filter) => JSON.stringify(Object.keys(filter)) === '["status","dueHour"]')).toBe(true);
    advance(10 * MIN);
    await q.enqueue({ type: "note", key: "soon", runAt: at(20 * MIN) });
    const second = await pendingReads(() => q.tick());
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((filter) => JSON.stringify(filter) === JSON.stringify({ status: "pending", dueHour: Math.floor(START / HOUR) }))).toBe(true);
    // Ticking every 3 hours for a week: each tick reads the hours since the one before.
    for (let i = 0; i < 56; i++) {
      advance(3 * HOUR);
      const reads = await pendingReads(() => q.tick());
      const hour = Math.floor(clock.now().getTime() / HOUR);
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.every((filter) => Object.keys(filter).length === 2 && (filter.dueHour as number) >= hour - 3 && (filter.dueHour as number) <= hour)).toBe(true);
    }
    expect(ran.map((r) => r.split("@")[0])).toEqual(["now", "soon", "later"]);
    expect(ran[2]).toBe(`later@${new Date(START + 10 * MIN + 168 * HOUR).toISOString()}`);
  });

  it("a retried job, a released one and a rescheduled one keep running from their bucket; a job stored before buckets gets one", async () => {
    const q = makeQueue();
    let fail = true;
    const ran: string[] = [];
    q.register(
      "flaky",
      async (_p, info) => {
        if (fail) {
          fail = false;
          throw new Error("boom");
        }
        ran.push(info.job.key);
      },
      late,
    );
    q.register("note", async (_p, info) => {
      ran.push(info.job.key);
    }, late);
    await q.enqueue({ type: "flaky", key: "flaky", runAt: at(-MIN) });
    await q.enqueue({ type: "note", key: "moved", runAt: at(30 * 24 * HOUR) });
    // Written by an earlier version: no bucket.
    await Job.collection.insertOne({ type: "note", key: "old", payload: "null", runAt: at(5 * HOUR), dueAt: at(5 * HOUR), status: "pending", attempts: 0, claimSeq: 0, createdAt: at(-HOUR) });
    expect(await q.tick()).toEqual({ ran: 0, failed: 1, missed: 0 });
    expect((await Job.findOne({ key: "old" }).lean())?.dueHour).toBe(Math.floor(START / HOUR) + 5);
    expect(await q.upsertSchedule({ type: "note", key: "moved", runAt: at(2 * HOUR) })).toBe(true);
    for (let i = 0; i < 12; i++) {
      advance(HOUR);
      await q.tick();
    }
    expect(ran).toEqual(["flaky", "moved", "old"]);
  });

  it("a due job another instance claimed but never took is looked at again, in a later hour, once its claim is stale", async () => {
    const q = makeQueue({ instanceId: "A" });
    const ran: string[] = [];
    q.register(
      "note",
      async (_p, info) => {
        ran.push(info.job.key);
      },
      late,
    );
    await q.enqueue({ type: "note", key: "orphan", runAt: at(29 * MIN) });
    advance(29 * MIN + 50_000); // 06:59:50
    const job = await Job.findOne({ key: "orphan" }).lean();
    // Instance B inserted claim 1 and died before marking the job running.
    await JobClaim.create({ _id: `${job?._id.toString()}:1`, jobId: job?._id, seq: 1, by: "B", at: clock.now() });
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 });
    advance(30_000); // 07:00:20, a new hour: the claim is still fresh
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 });
    advance(60_000); // the claim is older than a lease now
    expect(await q.tick()).toEqual({ ran: 1, failed: 0, missed: 0 });
    expect(ran).toEqual(["orphan"]);
  });
});

describe("several instances and crashes", () => {
  it("two instances ticking at once run each of 200 due jobs exactly once", async () => {
    const calls = new Map<string, number>();
    const byInstance = { A: 0, B: 0 };
    const queues = (["A", "B"] as const).map((name) => {
      const q = makeQueue({ instanceId: `instance-${name}`, batchSize: 20 });
      q.register("bulk", async (_payload, info) => {
        calls.set(info.job.key, (calls.get(info.job.key) ?? 0) + 1);
        byInstance[name]++;
        await new Promise((r) => setImmediate(r)); // let the other instance interleave
      });
      return q;
    });
    const keys = Array.from({ length: 200 }, (_, i) => `bulk:${String(i).padStart(3, "0")}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key, j) => queues[0]?.enqueue({ type: "bulk", key, runAt: at(-(i + j) * 1000) })));
    }

    const results = await Promise.all(queues.map((q) => q.tick()));
    const again = await Promise.all(queues.map((q) => q.tick())); // anything left over (none expected)

    expect(calls.size).toBe(200);
    expect([...calls.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(byInstance.A + byInstance.B).toBe(200);
    expect(results.reduce((n, r) => n + r.ran, 0) + again.reduce((n, r) => n + r.ran, 0)).toBe(200);
    expect((await storedJobs()).filter((j) => j.status === "done")).toHaveLength(200);
    expect(logs.errors()).toEqual([]);
  }, 60_000); // FerretDB scans the collection on every update: ~10 s of database work

  it("a runner killed mid-batch: another instance takes its jobs over once the lease has expired", async () => {
    const a = makeQueue({ instanceId: "A", batchSize: 10 });
    const b = makeQueue({ instanceId: "B", batchSize: 10 });
    const calls: string[] = [];
    const started = deferred();
    a.register("work", async (_p, info) => {
      calls.push(`A:${info.job.key}`);
      started.resolve();
      await new Promise(() => undefined); // the process "dies" here: this never returns
    });
    b.register("work", async (_p, info) => {
      calls.push(`B:${info.job.key}`);
    });
    await a.enqueue({ type: "work", key: "w1", runAt: at(-3000) });
    await a.enqueue({ type: "work", key: "w2", runAt: at(-2000) });
    await a.enqueue({ type: "work", key: "w3", runAt: at(-1000) });

    void a.tick(); // never settles
    await started.promise;
    expect(await Job.countDocuments({ status: "running", lockedBy: "A" })).toBe(3); // w1 in flight, w2 and w3 claimed

    expect(await b.tick()).toEqual({ ran: 0, failed: 0, missed: 0 }); // A's lease is still valid
    advance(60_000 + 1000);
    expect(await b.tick()).toEqual({ ran: 3, failed: 0, missed: 0 });

    // The only duplicate is the job that was in flight when A died.
    expect(calls).toEqual(["A:w1", "B:w1", "B:w2", "B:w3"]);
    const jobs = await storedJobs();
    expect(jobs.map((j) => [j.key, j.status, j.lockedBy, j.attempts])).toEqual([
      ["w1", "done", "B", 2],
      ["w2", "done", "B", 2],
      ["w3", "done", "B", 2],
    ]);
  });

  it("a job whose lease was taken over while it waited in the batch is not run by its first owner", async () => {
    const a = makeQueue({ instanceId: "A" });
    const b = makeQueue({ instanceId: "B" });
    const calls: string[] = [];
    a.register("slow", async () => {
      calls.push("A:slow");
      advance(61_000); // this handler outlives the lease of the rest of the batch
      expect(await b.tick()).toEqual({ ran: 1, failed: 0, missed: 0 });
    });
    a.register("work", async (_p, info) => {
      calls.push(`A:${info.job.key}`);
    });
    b.register("work", async (_p, info) => {
      calls.push(`B:${info.job.key}`);
    });
    await a.enqueue({ type: "slow", key: "slow", runAt: at(-2000) });
    await a.enqueue({ type: "work", key: "w", runAt: at(-1000) });

    expect(await a.tick()).toEqual({ ran: 1, failed: 0, missed: 0 });
    expect(calls).toEqual(["A:slow", "B:w"]);
    expect(await q_status("slow")).toBe("done");
    expect(await q_status("w")).toBe("done");
    expect(logs.lines.some((l) => l.msg === "lease lost before the job started; another instance has it" && l.job === "w")).toBe(true);
  });

  it("a job that waited in the batch longer than a third of the lease gets a fresh lease and runs", async () => {
    const q = makeQueue({ instanceId: "A" });
    const leases: string[] = [];
    q.register("work", async (_p, info) => {
      leases.push((await Job.findOne({ key: info.job.key }).lean())?.lockedUntil?.toISOString() ?? "");
      advance(30_000);
    });
    await q.enqueue({ type: "work", key: "w1", runAt: at(-2000) });
    await q.enqueue({ type: "work", key: "w2", runAt: at(-1000) });
    expect(await q.tick()).toEqual({ ran: 2, failed: 0, missed: 0 });
    expect(leases).toEqual([at(60_000).toISOString(), at(90_000).toISOString()]);
  });
});

async function q_status(key: string): Promise<string | undefined> {
  return (await storedJob(key))?.status;
}

describe("downtime, start and stop", () => {
  it("catches up after downtime: late within grace runs with late=true, older jobs are missed and reported", async () => {
    const q = makeQueue();
    const runs: Array<{ key: string; late: boolean; lateByMs: number }> = [];
    const missed: QueuedJob[] = [];
    q.register(
      "reminder",
      async (_p, info) => {
        runs.push({ key: info.job.key, late: info.late, lateByMs: info.lateByMs });
      },
      { onMissed: async (job) => void missed.push(job) },
    );
    await q.enqueue({ type: "reminder", key: "two-hours-late", runAt: at(-120 * MIN), payload: { meetingId: "m1" } });
    await q.enqueue({ type: "reminder", key: "five-minutes-late", runAt: at(-5 * MIN) });
    await q.enqueue({ type: "reminder", key: "on-time", runAt: at(0) });

    expect(await q.tick()).toEqual({ ran: 2, failed: 0, missed: 1 });
    expect(runs).toEqual([
      { key: "five-minutes-late", late: true, lateByMs: 5 * MIN },
      { key: "on-time", late: false, lateByMs: 0 },
    ]);
    expect(missed.map((j) => [j.key, j.payload, j.dueAt.toISOString()])).toEqual([["two-hours-late", { meetingId: "m1" }, at(-120 * MIN).toISOString()]]);
    const job = await q.get("two-hours-late");
    expect(job?.status).toBe("missed");
    expect(job?.doneAt?.toISOString()).toBe(at(0).toISOString());
  });

  it("a missed job whose report fails is reported again later", async () => {
    const q = makeQueue();
    let reports = 0;
    q.register("reminder", async () => undefined, {
      graceMs: MIN,
      onMissed: async () => {
        reports++;
        if (reports === 1) throw new Error("curator chat unavailable");
      },
    });
    await q.enqueue({ type: "reminder", key: "r", runAt: at(-10 * MIN) });
    expect(await q.tick()).toEqual({ ran: 0, failed: 1, missed: 0 });
    expect((await q.get("r"))?.status).toBe("pending");
    advance(30_000);
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 1 });
    expect(reports).toBe(2);
    expect((await q.get("r"))?.status).toBe("missed");
  });

  it("stop() mid-batch lets the job in flight finish and puts the claimed, not started ones back", async () => {
    const q = makeQueue({ instanceId: "A" });
    const gate = deferred();
    const started = deferred();
    const calls: string[] = [];
    q.register("work", async (_p, info) => {
      calls.push(info.job.key);
      if (info.job.key === "s1") {
        started.resolve();
        await gate.promise;
      }
    });
    for (let i = 1; i <= 4; i++) await q.enqueue({ type: "work", key: `s${i}`, runAt: at(-10_000 + i) });

    const ticking = q.tick();
    await started.promise;
    let stopped = false;
    const stopping = q.stop().then(() => {
      stopped = true;
    });
    // The claimed jobs that had not started go back at once, while s1 is still running.
    await vi.waitFor(async () => {
      const waiting = await Job.find({ key: { $in: ["s2", "s3", "s4"] } }).lean();
      expect(waiting.map((j) => [j.status, j.lockedBy ?? null, j.lockedUntil ?? null, j.attempts])).toEqual([
        ["pending", null, null, 0],
        ["pending", null, null, 0],
        ["pending", null, null, 0],
      ]);
    });
    await settle();
    expect(stopped).toBe(false); // it waits for s1

    gate.resolve();
    await stopping;
    expect(await ticking).toEqual({ ran: 1, failed: 0, missed: 0 });
    expect(calls).toEqual(["s1"]);
    expect(await q_status("s1")).toBe("done");
    expect(await q.tick()).toEqual({ ran: 0, failed: 0, missed: 0 }); // a stopped queue does nothing

    const other = makeQueue({ instanceId: "B" });
    other.register("work", async (_p, info) => void calls.push(info.job.key));
    expect(await other.tick()).toEqual({ ran: 3, failed: 0, missed: 0 });
    expect(calls).toEqual(["s1", "s2", "s3", "s4"]);
  });


  it("claims the next batch while a batch runs (one batch ahead, no more); stop() puts both back", async () => {
    const q = makeQueue({ instanceId: "A", batchSize: 2 });
    const gate = deferred();
    const started = deferred();
    const calls: string[] = [];
    q.register("work", async (_p, info) => {
      calls.push(info.job.key);
      if (info.job.key === "p1") {
        started.resolve();
        await gate.promise;
      }
    });
    for (let i = 1; i <= 5; i++) await q.enqueue({ type: "work", key: `p${i}`, runAt: at(-10_000 + i) });

    const ticking = q.tick();
    await started.promise;
    // p1 runs; p2 waits in its batch; p3 and p4 are claimed meanwhile; p5 is left for later.
    await vi.waitFor(async () => {
      const jobs = await Job.find({ key: { $in: ["p2", "p3", "p4", "p5"] } }).sort({ key: 1 }).lean();
      expect(jobs.map((j) => [j.key, j.status, j.lockedBy ?? null])).toEqual([
        ["p2", "running", "A"],
        ["p3", "running", "A"],
        ["p4", "running", "A"],
        ["p5", "pending", null],
      ]);
    });
    const stopping = q.stop();
    await vi.waitFor(async () => {
      const waiting = await Job.find({ key: { $in: ["p2", "p3", "p4", "p5"] } }).lean();
      expect(waiting.map((j) => [j.status, j.lockedBy ?? null, j.attempts])).toEqual(Array(4).fill(["pending", null, 0]));
    });
    gate.resolve();
    await stopping;
    expect(await ticking).toEqual({ ran: 1, failed: 0, missed: 0 });

    const other = makeQueue({ instanceId: "B", batchSize: 2 });
    other.register("work", async (_p, info) => void calls.push(info.job.key));
    expect(await other.tick()).toEqual({ ran: 4, failed: 0, missed: 0 });
    expect(calls).toEqual(["p1", "p2", "p3", "p4", "p5"]);
  });
  it("start() ticks at once and on its cron schedule; stop() ends it", async () => {
    const q = makeQueue();
    const ran = deferred<string>();
    const later = deferred<string>();
    q.register("work", async (_p, info) => {
      if (info.job.key === "first") ran.resolve(info.job.key);
      else later.resolve(info.job.key);
    });
    expect(() => q.start("not a cron")).toThrow(/invalid cron/);
    await q.enqueue({ type: "work", key: "first", runAt: at(0) });
    q.start("* * * * * *");
    expect(() => q.start()).toThrow(/already started/);
    expect(await ran.promise).toBe("first");
    await q.enqueue({ type: "work", key: "second", runAt: at(0) });
    expect(await later.promise).toBe("second"); // picked up by a cron tick within a second
    await q.stop();
    expect((await storedJobs()).filter((j) => j.status === "done")).toHaveLength(2);
  });
});
