import { WriteGeneration } from "../../models/index.ts";
import type { Logger } from "../core/logger.ts";
import { resetCaches } from "./connection.ts";
import { dialogStateCache } from "./dialog-cache.ts";
import { curatorCache } from "./curator-cache.ts";
import { mentorRegistryCache } from "./mentor-cache.ts";
import { organizationCache } from "./organization-cache.ts";
import { userCache } from "./user-cache.ts";

/**
 * Writes made by another process than the bot. On FerretDB the bot answers the lookups every
 * update makes from in-process copies (users, dialog states, the mentor registry, the curators, the organizations)
 * that the models' change notifications keep fresh; a write by the CLI (`npm run cli -- admin
 * grant …` while the bot runs, say) notifies nobody in the bot's process. So the CLI raises a
 * counter after it wrote (`announceOutsideWrites`), and the bot reads it every
 * OUTSIDE_WRITES_CHECK_MS (one read by `_id`) and drops its copies when it grew: what the CLI did
 * shows in the bot within seconds.
 */
export const OUTSIDE_WRITES_CHECK_MS = 5_000;
const KEY = "outside-writes";

/** Tells a running bot that this process wrote to the database. */
export async function announceOutsideWrites(now = new Date()): Promise<void> {
  await WriteGeneration.updateOne({ _id: KEY }, { $inc: { n: 1 }, $set: { at: now } }, { upsert: true });
}

/** Whether any in-process copy is in use (FerretDB); on MongoDB there is nothing to drop. */
function copiesInUse(): boolean {
  return userCache.enabled || dialogStateCache.enabled || mentorRegistryCache.enabled || curatorCache.enabled || organizationCache.enabled;
}

/**
 * Loads the copies that are read whole (the mentor registry, the curators) now rather than at their
 * first use, on the heavy reads' connection: a region's curators take 1–4 s to read from 20,000
 * users, which the first person to need them (a curator told of a join request, say) would
 * otherwise wait for. Run after the bot starts and after the copies are dropped; a failed load
 * is logged and left to the first use, as before.
 */
export async function warmCopies(logger: Logger): Promise<void> {
  const started = performance.now();
  try {
    const mentors = mentorRegistryCache.enabled ? (await mentorRegistryCache.all()).length : undefined;
    const curators = curatorCache.enabled ? (await curatorCache.all()).length : undefined;
    if (mentors !== undefined || curators !== undefined) logger.info({ mentors, curators, ms: Math.round(performance.now() - started) }, "in-process copies loaded");
  } catch (err) {
    logger.warn({ err }, "in-process copies not loaded ahead (loaded at their first use)");
  }
}

export class OutsideWritesWatch {
  private seen: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;
  /** The copies' load after they were dropped, while it runs. */
  private warming: Promise<void> | undefined;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  /** Reads the counter; drops the copies when it grew since the last read. True when it did. */
  async check(): Promise<boolean> {
    const doc = await WriteGeneration.findById(KEY, { n: 1 }).lean();
    const n = doc?.n ?? 0;
    const grew = this.seen !== undefined && n !== this.seen;
    this.seen = n;
    if (grew) {
      resetCaches();
      this.logger.info({ generation: n }, "another process wrote to the database: in-process copies dropped");
      this.warming ??= warmCopies(this.logger).finally(() => (this.warming = undefined));
    }
    return grew;
  }

  /** Reads the counter now and then every OUTSIDE_WRITES_CHECK_MS, while copies are in use. */
  async start(intervalMs = OUTSIDE_WRITES_CHECK_MS): Promise<void> {
    if (!copiesInUse()) return;
    await this.check();
    this.timer = setInterval(() => {
      this.check().catch((err: unknown) => this.logger.warn({ err }, "could not read the outside-writes counter"));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops reading the counter; resolves when a load of the copies it started has ended. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.warming;
  }
}
