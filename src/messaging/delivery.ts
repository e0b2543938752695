import { GrammyError, type Api } from "grammy";
import type { Types } from "mongoose";
import { systemClock, type Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { User } from "../../models/index.ts";

/**
 * Sending to users within Telegram's limits (design §5): about 25 messages per second overall
 * and one per second per chat. 429 answers are handled by auto-retry on the Api (it waits
 * `retry_after` and sends again, so nothing is dropped); a 403 marks the user unreachable.
 */

export interface SendLimiterOptions {
  /** Messages allowed in any window of `windowMs` across all chats. Default 25. */
  perWindow?: number;
  /** Default 1000 ms. */
  windowMs?: number;
  /** Minimum gap between two messages to one chat. Default 1000 ms. */
  perChatIntervalMs?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A sliding-window limiter: `acquire(chatId)` resolves when a message to that chat may be sent.
 * Every grant is at least `perChatIntervalMs` after the previous grant to the same chat, and no
 * window of `windowMs` holds more than `perWindow` grants. Requests for one chat are served in
 * order; a chat that must wait does not hold up the others.
 */
export class SendLimiter {
  private readonly perWindow: number;
  private readonly windowMs: number;
  private readonly perChatIntervalMs: number;
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Times of the last `perWindow` grants, ascending. */
  private readonly recent: number[] = [];
  private lastGrant = Number.NEGATIVE_INFINITY;
  /** Earliest next grant per chat. */
  private readonly chatReadyAt = new Map<string, number>();
  /** The last request queued per chat (requests of one chat wait for each other). */
  private readonly chatTail = new Map<string, Promise<void>>();

  constructor(options: SendLimiterOptions = {}) {
    this.perWindow = options.perWindow ?? 25;
    this.windowMs = options.windowMs ?? 1000;
    this.perChatIntervalMs = options.perChatIntervalMs ?? 1000;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    if (this.perWindow < 1) throw new Error("perWindow must be at least 1");
  }

  /** Resolves when a message to `chatId` may go; returns the granted time (ms since the epoch, limiter clock). */
  async acquire(chatId: number | string): Promise<number> {
    const key = String(chatId);
    const previous = this.chatTail.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.chatTail.set(key, mine);
    try {
      if (previous) await previous;
      // 1. This chat's own pace.
      const now = await this.sleepUntil(this.chatReadyAt.get(key) ?? Number.NEGATIVE_INFINITY);
      // 2. The overall window: reserve the earliest slot (grants are handed out in time order).
      const at = this.reserve(now);
      this.chatReadyAt.set(key, at + this.perChatIntervalMs);
      await this.sleepUntil(at);
      return at;
    } finally {
      done();
      if (this.chatTail.get(key) === mine) this.chatTail.delete(key);
    }
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  /** Sleeps until the clock shows `t` (a timer may fire a little early); returns the time then. */
  private async sleepUntil(t: number): Promise<number> {
    let now = this.nowMs();
    while (now < t) {
      await this.sleep(t - now);
      now = this.nowMs();
    }
    return now;
  }

  private reserve(now: number): number {
    let at = Math.max(now, this.lastGrant);
    if (this.recent.length >= this.perWindow) {
      at = Math.max(at, (this.recent[this.recent.length - this.perWindow] as number) + this.windowMs);
    }
    this.recent.push(at);
    if (this.recent.length > this.perWindow) this.recent.splice(0, this.recent.length - this.perWindow);
    this.lastGrant = at;
    if (this.chatReadyAt.size > 10_000) {
      for (const [chat, readyAt] of this.chatReadyAt) if (readyAt <= now) this.chatReadyAt.delete(chat);
    }
    return at;
  }
}

export interface DeliveryTarget {
  _id: Types.ObjectId | string;
  telegramId?: number | null;
  unreachable?: boolean | null;
}

export type DeliveryOutcome = "sent" | "skipped" | "unreachable";

export interface DeliverOptions {
  clock?: Clock;
  logger?: Logger;
}

/**
 * Sends one message (or anything `send` does) to a user, within the limits:
 * - "skipped": the user is unreachable, erased or unknown (nothing is sent);
 * - "unreachable": Telegram answered 403 (blocked, deactivated): the user is marked
 *   `unreachable` with `unreachableSince`, and later deliveries skip them;
 * - "sent" on success. Other errors are rethrown, so the job that called it retries.
 */
export async function deliver(
  api: Api,
  limiter: SendLimiter,
  user: DeliveryTarget,
  send: (api: Api, chatId: number) => Promise<unknown>,
  options: DeliverOptions = {},
): Promise<DeliveryOutcome> {
  if (user.unreachable) return "skipped";
  // The stored flag is the truth: the job payload may be older than a block or an erasure.
  const stored = await User.findById(user._id).select({ telegramId: 1, unreachable: 1, erasedAt: 1 }).lean();
  if (!stored || stored.unreachable || stored.erasedAt || stored.telegramId == null) return "skipped";
  const chatId = stored.telegramId;
  await limiter.acquire(chatId);
  try {
    await send(api, chatId);
    return "sent";
  } catch (err) {
    if (err instanceof GrammyError && err.error_code === 403) {
      const now = (options.clock ?? systemClock).now();
      await User.updateOne({ _id: stored._id, unreachable: { $ne: true } }, { $set: { unreachable: true, unreachableSince: now } });
      options.logger?.warn({ userId: String(stored._id), description: err.description }, "recipient cannot be reached (403): marked unreachable");
      return "unreachable";
    }
    throw err;
  }
}
