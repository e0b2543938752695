import { WriteGeneration } from "../../models/index.ts";
import type { Logger } from "../core/logger.ts";
import { resetCaches } from "./connection.ts";
import { dialogStateCache } from "./dialog-cache.ts";
import { curatorCache } from "./curator-cache.ts";
import { mentorRegistryCache } from "./mentor-cache.ts";
import { userCache } from "./user-cache.ts";

/**
 * Writes made by another process than the bot. On FerretDB the bot answers the lookups every
 * update makes from in-process copies (users, dialog states, the mentor registry, the curators)
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
  return userCache.enabled || dialogStateCache.enabled || mentorRegistryCache.enabled || curatorCache.enabled;
}

export class OutsideWritesWatch {
  private seen: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;

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

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
