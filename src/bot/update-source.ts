import { createConcurrentSink, createRunner, createSource, type RunnerHandle, type UpdateSupplier } from "@grammyjs/runner";
import { BotError } from "grammy";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../core/logger.ts";
import type { BotContext } from "./context.ts";

/**
 * What the update ledger tells the poller about each update (issue 13, Build item 3).
 * `durable`: the update is stored in the database (recorded `running` with its copy, or already
 * recorded by someone) — from here on a crash is repaired by a redelivery or the recovery sweep.
 * `pending`: the database could not be reached; the update lives only in this process's memory
 * until a later round records it.
 */
export interface UpdateConfirmations {
  durable(updateId: number): void;
  pending(updateId: number): void;
}

/**
 * Long polling that confirms an update to Telegram only once it is safe (issue 13, Build item 3).
 *
 * Telegram forgets every update below the `offset` of a `getUpdates` call. The stock runner asks
 * for `last + 1` as soon as a batch arrives, so a crash or a database outage right after the fetch
 * lost the batch. Here the offset never passes an update that is not yet durable: one whose
 * handler has not recorded it in the database (see {@link UpdateConfirmations}) and has not
 * finished. Telegram keeps redelivering such an update; this process skips the copies it already
 * holds, and after a crash the next process gets it again. The updates are still handled
 * concurrently by the runner's sink (one at a time per chat, see `sequentialize`).
 */
export interface PollingOptions {
  allowedUpdates?: readonly string[];
  /** Long polling timeout (default 30 s). */
  timeoutSeconds?: number;
  /**
   * When only updates already in hand came back, the next call waits until one of them is safe
   * (the offset can move) or this long at most (default 1 s).
   */
  idleWaitMs?: number;
}

export class DurableUpdateSource implements UpdateConfirmations {
  /** Handed to the bot and not yet safe to confirm. */
  private readonly unsafe = new Set<number>();
  /** Waiting for the database (an outage round); stays unsafe even when its handler returns. */
  private readonly waiting = new Set<number>();
  /** Handed to the bot at or above the offset: Telegram may send them again, they are skipped. */
  private readonly handed = new Set<number>();
  private next = 0;
  /** Wakes the poller's wait for an update to become safe (see `supply`). */
  private wake: (() => void) | undefined;

  private readonly logger: Logger;
  private readonly options: PollingOptions;

  constructor(logger: Logger, options: PollingOptions = {}) {
    this.logger = logger.child({ component: "polling" });
    this.options = options;
  }

  /** The offset to send: the lowest update not yet safe, or one past the highest handed out. */
  offset(): number {
    let low = this.next;
    for (const id of this.unsafe) if (id < low) low = id;
    return low;
  }

  /** Updates handed out and not yet safe to confirm. */
  get unconfirmed(): number {
    return this.unsafe.size;
  }

  durable(updateId: number): void {
    this.waiting.delete(updateId);
    this.safe(updateId);
  }

  pending(updateId: number): void {
    if (this.handed.has(updateId)) this.waiting.add(updateId);
  }

  /** The handler returned (or threw): safe unless it is waiting for the database. */
  settled(updateId: number): void {
    if (!this.waiting.has(updateId)) this.safe(updateId);
  }

  /** No longer holds the offset; wakes the poller's wait when the offset moved. */
  private safe(updateId: number): void {
    if (!this.unsafe.has(updateId)) return;
    const before = this.wake ? this.offset() : 0;
    this.unsafe.delete(updateId);
    if (this.wake && this.offset() !== before) this.wake();
  }

  /** Takes a fetched batch: returns the updates not handed out before, and remembers them. */
  accept(updates: readonly Update[]): Update[] {
    const offset = this.offset();
    for (const id of this.handed) if (id < offset) this.handed.delete(id);
    const fresh: Update[] = [];
    for (const u of updates) {
      if (u.update_id < offset || this.handed.has(u.update_id)) continue;
      this.handed.add(u.update_id);
      this.unsafe.add(u.update_id);
      if (u.update_id >= this.next) this.next = u.update_id + 1;
      fresh.push(u);
    }
    return fresh;
  }

  private async fetch(bot: Bot<BotContext>, limit: number, signal: AbortSignal): Promise<Update[]> {
    let retryIn = 100;
    for (;;) {
      try {
        return await bot.api.getUpdates(
          {
            offset: this.offset(),
            limit: Math.max(1, Math.min(limit, 100)),
            timeout: this.options.timeoutSeconds ?? 30,
            ...(this.options.allowedUpdates ? { allowed_updates: [...this.options.allowedUpdates] as never } : {}),
          },
          signal as Parameters<typeof bot.api.getUpdates>[1],
        );
      } catch (err) {
        if (signal.aborted) throw err;
        const code = (err as { error_code?: number }).error_code;
        if (code === 401 || code === 409) throw err; // wrong token, or another poller/webhook
        const after = (err as { parameters?: { retry_after?: number } }).parameters?.retry_after;
        const wait = code === 429 && typeof after === "number" ? after * 1000 : retryIn;
        this.logger.warn({ err, retryInMs: wait }, "getUpdates failed; trying again");
        await sleep(wait, signal);
        retryIn = Math.min(retryIn * 2, 30_000);
      }
    }
  }

  /** Resolves once the offset moved (an update in hand is safe), or after `ms`. */
  private async untilSafe(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await sleep(ms, signal, (resolve) => (this.wake = resolve));
    } finally {
      this.wake = undefined;
    }
  }

  /** Starts polling with the runner's concurrent sink; `stop()` on the handle ends it. */
  run(bot: Bot<BotContext>): RunnerHandle {
    const supplier: UpdateSupplier<Update> = {
      supply: async (batchSize, runnerSignal) => {
        const signal = runnerSignal as unknown as AbortSignal; // the runner's shim type, a standard signal at run time
        await bot.init();
        for (;;) {
          const batch = await this.fetch(bot, batchSize, signal);
          const fresh = this.accept(batch);
          if (fresh.length > 0) return fresh;
          // Only updates already in hand came back (Telegram answers at once while any is
          // unconfirmed): instead of asking again in a tight loop, wait until one of them is safe,
          // so that the next call confirms it and waits for new updates (a person who writes
          // meanwhile is not kept waiting for a fixed pause).
          if (batch.length > 0) await this.untilSafe(this.options.idleWaitMs ?? 1000, signal);
        }
      },
    };
    const sink = createConcurrentSink<Update>(
      {
        consume: async (update) => {
          try {
            await bot.handleUpdate(update);
          } finally {
            this.settled(update.update_id);
          }
        },
      },
      async (error) => {
        try {
          if (error instanceof BotError) await bot.errorHandler(error as BotError<BotContext>);
          else this.logger.error({ err: error }, "update failed outside the bot");
        } catch (err) {
          this.logger.error({ err }, "the bot's error handler failed");
        }
      },
    );
    const runner = createRunner(createSource(supplier), sink);
    runner.start();
    return runner;
  }
}

function sleep(ms: number, signal: AbortSignal, wake?: (resolve: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error("aborted"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    wake?.(() => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
