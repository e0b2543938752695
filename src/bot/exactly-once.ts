import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Bot, MiddlewareFn } from "grammy";
import type { Update } from "grammy/types";
import { Types } from "mongoose";
import { ProcessedUpdate, UPDATE_ID_BLOCK, UPDATE_ID_BLOCK_TRUST_MS, UpdateIdBlock, updateIdBlockKey } from "../../models/index.ts";
import { engine } from "../db/engine.ts";
import { isDatabaseUnavailable, isDuplicateKeyError, refusedWrites } from "../db/errors.ts";
import type { Clock } from "../core/clock.ts";
import { Batcher } from "../core/concurrency.ts";
import type { Logger } from "../core/logger.ts";
import type { BotContext } from "./context.ts";
import type { UpdateConfirmations } from "./update-source.ts";

/**
 * Updates exactly once in effect (issue 13, Build item 3):
 * - before the handler, the update is recorded `running` with a lease and the update itself;
 *   after it, `done` (the stored update is dropped). The done marks of the updates handled within
 *   DONE_LINGER_MS share one command and the update does not wait for its own (on one connection
 *   that was half of what a lone `/help` cost); a graceful stop writes the waiting ones
 *   (`settleUpdateLedger`), a mark that fails is tried again;
 * - a redelivered update that is `done` is skipped; one still `running` whose lease expired (the
 *   process died mid-update) is handled again, by a redelivery or by `recoverUnfinishedUpdates`;
 * - while the database cannot be reached, the person gets a short apology sent without the
 *   database, and this process handles the update again once the database is back;
 * - a fresh update is handled while its record is being written, not after: its id lies in a
 *   block of ids this process took first (`UpdateIdBlock`, one unique record per 1,000 ids) and
 *   this process has not met it before, so no record of it can exist anywhere. Its record is
 *   written as before, only nobody waits for it: on one FerretDB connection that wait was 0.6–1
 *   ms of the 1.2–1.7 ms a lone `/help` took. Any other update (a redelivery, an outage's round,
 *   the recovery sweep, an id in a block another process took or this one took days ago) is
 *   recorded first, as before. A crash before the record lands is a crash mid-update, as before:
 *   Telegram delivers the unconfirmed update again. A record that cannot be written while the
 *   handler succeeded is written later as done (an update that needed no database, such as
 *   `/help` from a cached user, is then answered during an outage instead of apologised for).
 *   The record is queued when the handler has finished (or, if it still runs, after
 *   RUNNING_RECORD_AFTER_MS) and waits FRESH_LINGER_MS for company: such an update is recorded
 *   `done` at once, without its copy and with no done mark to follow (one write per update
 *   instead of two, shared by all that are due together).
 */

/** Longer than any handler runs (auto-retry included); after it a dead process's update is taken over. */
export const UPDATE_LEASE_MS = 10 * 60_000;
/** How long a done mark waits for others to share its command. */
export const DONE_LINGER_MS = 20;
/**
 * How long a fresh update's record waits for company; most handlers finish within it, and their
 * records are then written done at once (see `freshInserts`). Telegram is not kept waiting: long
 * polling confirms an update once its handler returns.
 */
export const FRESH_LINGER_MS = DONE_LINGER_MS;
/**
 * A fresh update's record joins the queue when its handler has finished, or after this long if
 * it still runs (then `running`, with its copy, and marked done later). Before, every record
 * joined at once, so a handler slower than FRESH_LINGER_MS cost its record and a done mark; 300
 * people registering at once, whose steps wait on the one FerretDB connection for a second or
 * two, spent 1.5 of the burst's 7 s on such marks. Nothing is less safe for the wait: Telegram is
 * not told an update is handled until its handler has returned or its record is stored, so a crash
 * before either delivers the update again, as a `running` record would have it handled again.
 */
export const RUNNING_RECORD_AFTER_MS = 2_000;
/**
 * At most this many fresh updates' records go in one command. More than the other group commits
 * take: a process that answers faster than its records are written (many `/help`s in a row) would
 * otherwise build a queue of them.
 */
const FRESH_BATCH_MAX = 1000;
/** A done mark that failed is tried again this often, this many times (well within the lease). */
const MARK_RETRY_MS = 10_000;
const MARK_ATTEMPTS = 30;
/** Blocks of ids remembered (with the ids met in them): older ones count as taken by someone else. */
const BLOCKS_KEPT = 50;

/** The ledgers of this process's bots, for `settleUpdateLedger`. */
const LEDGERS = new WeakMap<object, UpdateLedger>();

/** Writes the done marks that wait (a graceful stop, after the last update finished). */
export async function settleUpdateLedger(bot: object): Promise<void> {
  await LEDGERS.get(bot)?.settle();
}

export interface ExactlyOnceOptions {
  clock: Clock;
  logger: Logger;
  /** Sends the apology without the database (Telegram's language only). */
  apologize: (ctx: BotContext) => Promise<void>;
  leaseMs?: number;
  /** How long a fresh update's record waits for company (default FRESH_LINGER_MS). */
  freshLingerMs?: number;
  /** How long a fresh update's record waits for its handler before it is written `running` (default RUNNING_RECORD_AFTER_MS). */
  runningRecordAfterMs?: number;
  /** Delay before handling again after an outage, by round (default 2 s, 4 s … 60 s). */
  retryDelayMs?: (round: number) => number;
  /** Rounds before an update is given up (default 60: about an hour). */
  maxRounds?: number;
  /** Long polling: told when an update is stored (safe to confirm) or waits for the database. */
  confirmations?: UpdateConfirmations;
  /**
   * Webhook: while the database is down the update is not retried in this process; the handler
   * fails so that the webhook answers 500 and Telegram delivers the update again (it is then not
   * lost if this process dies meanwhile).
   */
  redeliveredOnError?: boolean;
}

/** The webhook answers 500 for this update: Telegram delivers it again later. */
export class UpdateNotYetHandled extends Error {
  constructor(updateId: number) {
    super(`update ${updateId} waits for the database; the sender delivers it again`);
    this.name = "UpdateNotYetHandled";
  }
}

/** What identifies a ledger record whatever its status: its `_id`, the update, when it began. */
type RecordKey = { _id: Types.ObjectId; botId: number; updateId: number; createdAt: Date };

type Claim = "mine" | "done" | "busy";
/** "mine" comes with the record's `_id`, by which it is marked done. */
type ClaimResult = { claim: "mine"; id: Types.ObjectId } | { claim: Exclude<Claim, "mine"> };

/** Holders of the ledgers of this process (one per bot; tests run several bots in one process). */
const LIVE_HOLDERS = new Set<string>();

/**
 * A holder that is certainly dead: a process of this host that no longer runs (or, with this
 * process's own pid, an earlier process — a restarted container gets pid 1 again). Its updates are
 * taken over at once instead of after the lease. Holders on other hosts wait for the lease.
 */
export function holderGone(holder: string | null | undefined): boolean {
  if (!holder || LIVE_HOLDERS.has(holder)) return false;
  const parts = holder.split(":");
  if (parts.length < 3) return false;
  const pid = Number(parts[parts.length - 2]);
  if (parts.slice(0, -2).join(":") !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export class UpdateLedger {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly rounds = new Map<number, number>();
  private readonly leaseMs: number;
  private readonly log: Logger;

  private readonly bot: Bot<BotContext>;
  private readonly options: ExactlyOnceOptions;
  /**
   * Group commit: the records of updates that arrive together are inserted by one command instead
   * of one each (measured on FerretDB: 200 records in 32 ms, one alone 4-8 ms). FerretDB serves the
   * process one command at a time, so that is what many people writing at once wait for. A lone
   * update is written at once.
   */
  private readonly inserts = new Batcher<Record<string, unknown>, "inserted" | "duplicate">((docs) => insertRecords(docs));

  constructor(bot: Bot<BotContext>, options: ExactlyOnceOptions) {
    this.bot = bot;
    this.options = options;
    this.leaseMs = options.leaseMs ?? UPDATE_LEASE_MS;
    this.freshInserts = new Batcher((make) => insertRecords(make.map((m) => m())), FRESH_BATCH_MAX, { lingerMs: options.freshLingerMs ?? FRESH_LINGER_MS });
    this.log = options.logger.child({ component: "updates" });
    LIVE_HOLDERS.add(this.holder);
    LEDGERS.set(bot, this);
  }

  /** The record of an update this process starts to handle: `running`, leased, with its copy. */
  private runningRecord(botId: number, update: Update, now: Date, _id = new Types.ObjectId()) {
    const chatId = chatOf(update);
    return {
      _id,
      botId,
      updateId: update.update_id,
      status: "running",
      holder: this.holder,
      lockedUntil: new Date(now.getTime() + this.leaseMs),
      update: JSON.stringify(update),
      ...(chatId !== undefined ? { chatId } : {}),
      attempts: 1,
      createdAt: now,
    };
  }

  /** Records the update as this process's; "mine" comes with the record's `_id`, by which it is marked done. */
  private async claim(botId: number, update: Update, now: Date): Promise<ClaimResult> {
    const record = this.runningRecord(botId, update, now);
    const { _id, lockedUntil } = record;
    const inserted = await this.inserts.run(record);
    if (inserted === "inserted") return { claim: "mine", id: _id };
    const rec = await ProcessedUpdate.findOne({ botId, updateId: update.update_id }).lean();
    if (!rec) return { claim: "busy" };
    if ((rec.status ?? "done") === "done") return { claim: "done" };
    const expired = !rec.lockedUntil || rec.lockedUntil.getTime() <= now.getTime() || holderGone(rec.holder);
    if (rec.holder !== this.holder && !expired) return { claim: "busy" };
    // This process's own earlier round (after an outage), or a dead process's update: take it over.
    const res = await ProcessedUpdate.updateOne(
      { _id: rec._id, status: "running", holder: rec.holder ?? null, attempts: rec.attempts ?? 0 },
      { $set: { holder: this.holder, lockedUntil }, $inc: { attempts: 1 } },
    );
    return res.modifiedCount > 0 ? { claim: "mine", id: rec._id } : { claim: "busy" };
  }

  /**
   * Marks the record done, by `_id`. Group commit as for the inserts: the records of updates that
   * finish together are marked by one `updateMany` with an `_id` list, where the engine reads such a
   * list by index (`engine.listsByIndex`: MongoDB, FerretDB on PostgreSQL with the project's
   * patch; measured there with 20,000 records stored: 200 marked in 0.27 s against 2.7 s one by
   * one). Elsewhere each is its own `{_id}` update: FerretDB on SQLite would decode the whole
   * ledger for a list.
   */
  private readonly dones = new Batcher<Types.ObjectId, "marked">((ids) => this.markDone(ids), 200, { lingerMs: DONE_LINGER_MS });

  /** Updates this process claimed whose done mark has not landed yet. */
  private readonly unfinished = new Set<number>();

  /** Marks the record done soon, without waiting; a failed mark is tried again (see MARK_ATTEMPTS). */
  private markLater(id: Types.ObjectId, updateId: number, log: Logger): void {
    // The effects are durable; only the mark is missing (a redelivery after the lease may repeat it once).
    this.writeLater(() => this.dones.run(id), updateId, log, { retry: "update handled, its done mark failed: trying again", gaveUp: "update handled but not marked done" });
  }

  /**
   * A write that follows a handled update (its done mark, or its done record), without waiting:
   * tried again every MARK_RETRY_MS up to MARK_ATTEMPTS times; the update stays among the
   * unfinished ones (a copy is skipped) until it lands or is given up.
   */
  private writeLater(write: () => Promise<unknown>, updateId: number, log: Logger, says: { retry?: string; gaveUp: string }, attempt = 1): void {
    write().then(
      () => this.unfinished.delete(updateId),
      (err: unknown) => {
        if (attempt >= MARK_ATTEMPTS) {
          this.unfinished.delete(updateId);
          log.warn({ err, attempts: attempt }, says.gaveUp);
          return;
        }
        if (says.retry) log.info({ err, attempt }, says.retry);
        setTimeout(() => this.writeLater(write, updateId, log, says, attempt + 1), MARK_RETRY_MS).unref?.();
      },
    );
  }

  /** Writes the records of fresh updates on their way, then the done marks that wait. */
  async settle(): Promise<void> {
    await this.freshInserts.settle();
    while (this.storing.size > 0) await Promise.all([...this.storing]);
    await this.dones.settle();
  }

  private async markDone(ids: Types.ObjectId[]): Promise<Array<"marked" | Error>> {
    const change = { $set: { status: "done", doneAt: this.options.clock.now() }, $unset: { update: 1, lockedUntil: 1, chatId: 1 } };
    if (ids.length > 1 && engine.listsByIndex) {
      await ProcessedUpdate.updateMany({ _id: { $in: ids }, holder: this.holder }, change);
      return ids.map(() => "marked");
    }
    const out: Array<"marked" | Error> = [];
    for (const id of ids) {
      out.push(
        await ProcessedUpdate.updateOne({ _id: id, holder: this.holder }, change).then(
          () => "marked" as const,
          (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
        ),
      );
    }
    return out;
  }

  middleware(): MiddlewareFn<BotContext> {
    return async (ctx, next) => {
      const update = ctx.update;
      const skipCopy = () => {
        // Being handled here, or handled with its done mark still on the way: the record says
        // `running` with this process as holder, which alone would read as an earlier round.
        this.options.confirmations?.durable(update.update_id);
        ctx.log.info({ claim: "busy" }, "duplicate update skipped");
      };
      if (this.unfinished.has(update.update_id)) return skipCopy();
      const fresh = await this.fresh(ctx.me.id, update.update_id);
      if (!fresh && this.unfinished.has(update.update_id)) return skipCopy(); // a copy started meanwhile
      if (fresh) return this.handleFresh(ctx, next);
      let claimed: ClaimResult;
      try {
        claimed = await this.claim(ctx.me.id, update, this.options.clock.now());
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        return this.outage(ctx, err);
      }
      // Stored (by this round or an earlier one): from here a crash is repaired without Telegram.
      this.options.confirmations?.durable(update.update_id);
      if (claimed.claim !== "mine") {
        ctx.log.info({ claim: claimed.claim }, "duplicate update skipped");
        return;
      }
      this.unfinished.add(update.update_id);
      let handled = false;
      try {
        await next();
        handled = ctx.outage === undefined;
      } finally {
        // Not handled (an error, or the database went away): a copy may run it again.
        if (!handled) this.unfinished.delete(update.update_id);
      }
      if (!handled) return this.outage(ctx, ctx.outage);
      this.rounds.delete(update.update_id);
      this.markLater(claimed.id, update.update_id, ctx.log);
    };
  }

  /** Blocks of update ids: when this process took one (ms of its clock), null if another process had it. */
  private readonly blocks = new Map<string, Promise<number | null>>();
  /** The ids this process met in the blocks it took (a copy of one is not fresh). */
  private readonly met = new Map<string, Set<number>>();
  /** Records of fresh updates on their way, with what follows them (a graceful stop waits for them). */
  private readonly storing = new Set<Promise<void>>();

  /**
   * Whether no record of this update can exist: its id lies in a block this process took (within
   * UPDATE_ID_BLOCK_TRUST_MS) and it has not met the id before. Takes the block when nobody has;
   * false when the block is another process's or cannot be taken now (the database is down).
   */
  private async fresh(botId: number, updateId: number): Promise<boolean> {
    if (this.rounds.has(updateId)) return false;
    const key = updateIdBlockKey(botId, updateId);
    let taken = this.blocks.get(key);
    if (!taken) {
      taken = this.takeBlock(key);
      this.blocks.set(key, taken);
      if (this.blocks.size > BLOCKS_KEPT) {
        const oldest = this.blocks.keys().next().value as string;
        this.blocks.delete(oldest);
        this.met.delete(oldest);
      }
    }
    const at = await taken;
    if (at === null || this.options.clock.now().getTime() - at >= UPDATE_ID_BLOCK_TRUST_MS) return false;
    const met = this.met.get(key) ?? new Set<number>();
    this.met.set(key, met);
    if (met.has(updateId) || this.unfinished.has(updateId)) return false;
    met.add(updateId);
    return true;
  }

  private async takeBlock(key: string): Promise<number | null> {
    const now = this.options.clock.now();
    try {
      await UpdateIdBlock.collection.insertOne({ _id: key, holder: this.holder, createdAt: now } as never);
      this.log.debug({ block: key, ids: UPDATE_ID_BLOCK }, "update id block taken");
      return now.getTime();
    } catch (err) {
      if (isDuplicateKeyError(err)) return null;
      this.blocks.delete(key); // asked again by the next update of the block
      if (!isDatabaseUnavailable(err)) this.log.warn({ err, block: key }, "update id block not taken: its updates are recorded before they are handled");
      return null;
    }
  }

  /**
   * Records of fresh updates, queued when their handlers have finished; they wait FRESH_LINGER_MS
   * for company. Such a record is written `done` at once (one write per update instead of a record
   * and a done mark, and dozens of updates share it). A handler still running after
   * RUNNING_RECORD_AFTER_MS (or failed) gets its `running` record with the update's copy, marked
   * done later as any other.
   */
  private readonly freshInserts: Batcher<() => Record<string, unknown>, "inserted" | "duplicate">;

  /** The record of an update handled before its record was written: `done`, without the copy. */
  private doneRecord(running: RecordKey) {
    const { _id, botId, updateId, createdAt } = running;
    return { _id, botId, updateId, status: "done", holder: this.holder, attempts: 1, createdAt, doneAt: this.options.clock.now() };
  }

  /** A fresh update: handled while its record is written (see the file's comment). */
  private async handleFresh(ctx: BotContext, next: () => Promise<void>): Promise<void> {
    const update = ctx.update;
    const id = update.update_id;
    this.unfinished.add(id);
    const base: RecordKey = { _id: new Types.ObjectId(), botId: ctx.me.id, updateId: id, createdAt: this.options.clock.now() };
    let handled = false;
    /** Whether the record went out `done` (the handler had finished well when it was written). */
    let asDone = false;
    // The record joins the queue when the handler has finished, or after a while if it still runs.
    let handlerDone!: () => void;
    const due = new Promise<void>((resolve) => (handlerDone = resolve));
    const waiting = setTimeout(handlerDone, this.options.runningRecordAfterMs ?? RUNNING_RECORD_AFTER_MS);
    waiting.unref?.();
    const written = due
      .then(() =>
        this.freshInserts.run(() => {
          asDone = handled;
          return asDone ? this.doneRecord(base) : this.runningRecord(base.botId, update, base.createdAt, base._id);
        }),
      )
      .then(
        (r) => {
          // Stored (or stored by someone): safe to confirm, however long the handler still runs.
          this.options.confirmations?.durable(id);
          return r;
        },
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      );
    try {
      await next();
      handled = ctx.outage === undefined;
    } finally {
      clearTimeout(waiting);
      handlerDone();
      const follow = written.then((result) => this.afterFresh(ctx, base, result, handled, asDone));
      this.storing.add(follow);
      void follow.finally(() => this.storing.delete(follow));
      if (!handled) this.unfinished.delete(id);
    }
    if (!handled) return this.outage(ctx, ctx.outage);
    this.rounds.delete(id);
  }

  /** What follows a fresh update's record: nothing (written done), its done mark, or (not written) a done record later. */
  private afterFresh(ctx: BotContext, record: RecordKey, result: "inserted" | "duplicate" | Error, handled: boolean, asDone: boolean): void {
    const id = record.updateId;
    if (result === "inserted") {
      if (asDone) this.unfinished.delete(id);
      else if (handled) this.markLater(record._id, id, ctx.log);
      return;
    }
    if (result === "duplicate") {
      // Cannot happen while blocks are taken as they are; said loudly if it ever does.
      if (handled) this.unfinished.delete(id);
      ctx.log.error({ block: updateIdBlockKey(ctx.me.id, id) }, "a fresh update was recorded already: it may have been handled twice");
      return;
    }
    if (!handled) return; // the outage's rounds record and handle it
    ctx.log.info({ err: result }, "update handled, its record not written: written later as done");
    this.writeLater(() => this.inserts.run(this.doneRecord(record)), id, ctx.log, { gaveUp: "update handled but never recorded" });
  }

  /** The database is unreachable: apologise once (no database needed) and handle the update again later. */
  private async outage(ctx: BotContext, err: unknown): Promise<void> {
    const id = ctx.update.update_id;
    const round = (this.rounds.get(id) ?? 0) + 1;
    this.rounds.set(id, round);
    if (round === 1 && !ctx.apologised) {
      ctx.apologised = true;
      await this.options.apologize(ctx);
    }
    if (this.options.redeliveredOnError) {
      ctx.log.warn({ err, round }, "database unreachable: the update is left for Telegram to deliver again");
      throw new UpdateNotYetHandled(id);
    }
    const max = this.options.maxRounds ?? 60;
    if (round > max) {
      this.rounds.delete(id);
      this.options.confirmations?.durable(id); // given up: it must not hold back the offset forever
      ctx.log.error({ err }, "database unreachable for too long: update given up");
      return;
    }
    this.options.confirmations?.pending(id);
    const delay = (this.options.retryDelayMs ?? ((r: number) => Math.min(2_000 * 2 ** (r - 1), 60_000)))(round);
    ctx.log.warn({ err, round, retryInMs: delay }, "database unreachable: the update will be handled again");
    const update = ctx.update;
    const timer = setTimeout(() => {
      this.bot.handleUpdate(update).catch((e: unknown) => this.log.error({ err: e, update_id: id }, "retried update failed"));
    }, delay);
    timer.unref?.();
  }
}

/**
 * Inserts new ledger records in one command; per record "inserted", "duplicate" (the update is
 * recorded already: a redelivery, or another process has it) or that record's own error. Records
 * are validated and cast by the model first; an invalid one fails alone and is not sent.
 */
async function insertRecords(docs: Array<Record<string, unknown>>): Promise<Array<"inserted" | "duplicate" | Error>> {
  const out: Array<"inserted" | "duplicate" | Error> = [];
  const valid: Array<Record<string, unknown>> = [];
  const at: number[] = [];
  // The model's static validate casts and checks a plain record, at half the cost of a document
  // (about 10 against 20 µs per record, 2026-12-05). It fills no defaults: the records name every field.
  const checked = await Promise.all(
    docs.map((data) =>
      ProcessedUpdate.validate(data).then(
        (cast: Record<string, unknown>) => cast,
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      ),
    ),
  );
  for (const [i, cast] of checked.entries()) {
    out.push(cast instanceof Error ? cast : "inserted");
    if (!(cast instanceof Error)) {
      valid.push(cast);
      at.push(i);
    }
  }
  if (valid.length === 0) return out;
  try {
    await ProcessedUpdate.collection.insertMany(valid, { ordered: false });
  } catch (err) {
    // Per-record refusals (a duplicate key) come as write errors; anything else failed them all.
    const refused = refusedWrites(err);
    if (refused.length === 0) throw err;
    for (const we of refused) {
      const i = at[we.index] as number;
      out[i] = isDuplicateKeyError(we) ? "duplicate" : Object.assign(new Error(we.errmsg ?? "ledger record not inserted"), { code: we.code });
    }
  }
  return out;
}

function chatOf(update: Update): number | undefined {
  return update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id ?? update.my_chat_member?.chat.id;
}

/**
 * Handles again the updates whose process died mid-way (recorded `running`, lease expired or the
 * process known dead on this host), from the stored update. Runs at start and then every minute; returns how many were taken up.
 */
export async function recoverUnfinishedUpdates(bot: Bot<BotContext>, clock: Clock, logger: Logger): Promise<number> {
  const now = clock.now().getTime();
  const running = await ProcessedUpdate.find({ status: "running" }, { updateId: 1, lockedUntil: 1, update: 1, holder: 1 }).lean();
  let taken = 0;
  for (const r of running) {
    if (!r.update || (r.lockedUntil && r.lockedUntil.getTime() > now && !holderGone(r.holder))) continue;
    let update: Update;
    try {
      update = JSON.parse(r.update) as Update;
    } catch {
      continue;
    }
    taken++;
    logger.info({ update_id: r.updateId }, "handling an update again: its process stopped mid-way");
    await bot.handleUpdate(update);
  }
  if (taken > 0) await settleUpdateLedger(bot);
  return taken;
}
