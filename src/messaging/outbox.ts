import { createHash } from "node:crypto";
import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { Types } from "mongoose";
import { OutboxClaim, OutboxMessage, User, type OutboxMessageRecord, type OutboxStatus } from "../../models/index.ts";
import type { Notice } from "../domain/notices.ts";
import { notice as noticeFor } from "../domain/notices.ts";
import type { Scheduler } from "../domain/scheduler.ts";
import { curatorsOf } from "../domain/roles.ts";
import { zoneOfOrganization } from "../domain/meetings.ts";
import { nextWorkingMoment, type WorkingHours } from "../core/working-hours.ts";
import { holdForDailyList } from "./curator-list.ts";
import type { CuratorListMode } from "../../models/index.ts";
import { systemClock, type Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import { renderNotice, type LocaleTranslate } from "./notices.ts";

/**
 * The outbox (issue 13): every notice to a person goes through one durable record per recipient
 * and message (models/outbox.ts), is tried at once, and is retried by `outbox-send` jobs until
 * Telegram takes it or it reaches a final state:
 * - 429: retried after `retry_after`, whatever its size; 5xx, network errors and anything
 *   unexpected: retried with back-off (5 s … 1 h), never dropped;
 * - 403: the recipient is marked unreachable and the message parked (sent when they write again,
 *   while still relevant: `releaseParked`);
 * - another 4xx (a message Telegram will never take): `failed`, and a curator of the
 *   recipient's organization is told with Telegram's reason.
 * Attempts are claimed (`OutboxClaim`) so two senders never send one record twice.
 * Working hours (issue 15): no attempt is made in the recipient's quiet time (night, weekend, in
 * their organization's zone) unless the notice is marked `anyHour` (a reminder of a meeting they
 * booked, a reply to their own action); the record waits for their next working moment.
 */

export const OUTBOX_SEND_JOB = "outbox-send";
/** How long one sender owns an attempt (the HTTP timeout is 60 s). */
export const OUTBOX_LEASE_MS = 2 * 60_000;
/** A safety-net job per record runs this long after creation, in case the first attempt was interrupted. */
export const OUTBOX_SAFETY_MS = OUTBOX_LEASE_MS + 30_000;
/** A parked message older than this is no longer worth sending when the person comes back. */
export const PARKED_RELEVANCE_MS = 7 * 86_400_000;

export interface OutboxDeps {
  api: Api;
  t: LocaleTranslate;
  log: Logger;
  scheduler: Scheduler;
  clock?: Clock;
  /** Quiet time of recipients (issue 15): what falls there waits for their next working moment. Unset: none. */
  hours?: WorkingHours;
  /** The deployment's default for curators' daily lists (issue 15); unset: curator notices go at once. */
  curatorList?: CuratorListMode;
  /** Bulk sends from jobs respect Telegram's limits (~25/s overall, 1/s per chat). */
  limiter?: { acquire(chatId: number): Promise<unknown> };
}

export type AttemptOutcome = OutboxStatus | "busy" | "later";

/** Delay before retry number `attempt + 1` of a 5xx or network failure: 5 s, 15 s, 30 s, 1 min … capped at 1 h. */
export function outboxBackoffMs(attempt: number): number {
  const steps = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000];
  return steps[Math.max(0, attempt - 1)] ?? 3_600_000;
}

/** The API without auto-retry or conversation hooks: the outbox does its own waiting, durably. */
const rawApis = new WeakMap<Api, Api>();
function rawApi(api: Api): Api {
  let raw = rawApis.get(api);
  if (!raw) {
    raw = new Api(api.token, api.options);
    rawApis.set(api, raw);
  }
  return raw;
}

function digest(n: Notice): string {
  const { telegramId: _id, locale: _locale, ...content } = n;
  return createHash("sha256").update(JSON.stringify(content)).digest("base64url").slice(0, 22);
}

/**
 * Records the notices in the outbox (idempotent per `source`: a job or update that runs again
 * creates nothing new) and tries each at once. `source` names what caused them: the job key
 * (`job:<key>`) or the update (`u:<update_id>`). Returns how many were delivered now; the rest
 * are retried, parked or reported by the outbox.
 */
export async function sendNotices(deps: OutboxDeps, notices: Notice[], source: string): Promise<number> {
  const clock = deps.clock ?? systemClock;
  let sent = 0;
  // Curators who take the daily list get these in it (issue 15).
  for (const n of await holdForDailyList(deps, notices, clock.now())) {
    const key = `${source}:${n.telegramId}:${digest(n)}`;
    const now = clock.now();
    const _id = new Types.ObjectId();
    // The safety net first: if this process dies before the attempt, the job sends it.
    await deps.scheduler.enqueue({ type: OUTBOX_SEND_JOB, key: `outbox:${_id.toString()}:0`, runAt: new Date(now.getTime() + OUTBOX_SAFETY_MS), payload: { id: _id.toString() } });
    let id = _id.toString();
    try {
      await OutboxMessage.create({
        _id,
        key,
        source: source.slice(0, 300),
        telegramId: n.telegramId,
        notice: JSON.stringify(n),
        status: "pending",
        attempts: 0,
        claimSeq: 0,
        nextAttemptAt: now,
        ...(n.expiresAt ? { expiresAt: new Date(n.expiresAt) } : {}),
        createdAt: now,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Created by an earlier run of the same source: try it again if it is still pending.
      const existing = await OutboxMessage.findOne({ key }, { _id: 1, status: 1 }).lean();
      if (!existing || existing.status !== "pending") continue;
      id = existing._id.toString();
    }
    if ((await attemptDelivery(deps, id)) === "sent") sent++;
  }
  return sent;
}

type Verdict = { kind: "sent" } | { kind: "blocked"; reason: string } | { kind: "retry"; afterMs: number; reason: string } | { kind: "failed"; reason: string };

/** What an error from Telegram means for the message. */
export function classifySendError(err: unknown, attempt: number): Verdict {
  if (err instanceof GrammyError) {
    const reason = `${err.error_code}: ${err.description}`.slice(0, 300);
    if (err.error_code === 403) return { kind: "blocked", reason };
    if (err.error_code === 429) {
      const after = Number(err.parameters?.retry_after);
      return { kind: "retry", afterMs: Number.isFinite(after) && after > 0 ? after * 1000 : outboxBackoffMs(attempt), reason };
    }
    // 5xx: Telegram's trouble; 401/404/409: ours (token, webhook conflict); none is the message's fault.
    if (err.error_code >= 500 || [401, 404, 409].includes(err.error_code)) return { kind: "retry", afterMs: outboxBackoffMs(attempt), reason };
    return { kind: "failed", reason };
  }
  if (err instanceof HttpError) return { kind: "retry", afterMs: outboxBackoffMs(attempt), reason: "network error" };
  return { kind: "retry", afterMs: outboxBackoffMs(attempt), reason: err instanceof Error ? err.name : "error" };
}

async function scheduleAttempt(deps: OutboxDeps, id: string, tag: string, at: Date): Promise<void> {
  await deps.scheduler.enqueue({ type: OUTBOX_SEND_JOB, key: `outbox:${id}:${tag}`, runAt: at, payload: { id } });
}

async function transmit(api: Api, n: Notice, t: LocaleTranslate): Promise<void> {
  const { text, keyboard } = renderNotice(n, t);
  const rows = keyboard?.inline_keyboard.filter((row) => row.length > 0) ?? [];
  const markup = rows.length ? { reply_markup: { inline_keyboard: rows } } : {};
  if (n.media) {
    const extra = { caption: text, parse_mode: "HTML" as const, ...markup };
    if (n.media.kind === "photo") await api.sendPhoto(n.telegramId, n.media.fileId, extra);
    else await api.sendDocument(n.telegramId, n.media.fileId, extra);
  } else if (n.document) {
    const file = new InputFile(Buffer.from(n.document.content, "utf8"), n.document.filename);
    await api.sendDocument(n.telegramId, file, { caption: text, parse_mode: "HTML", ...markup });
  } else {
    await api.sendMessage(n.telegramId, text, { parse_mode: "HTML", ...markup });
  }
}

/** Claims the next attempt of a record; the claim sequence number, or undefined when someone else holds it. */
async function claim(deps: OutboxDeps, rec: OutboxMessageRecord, now: Date): Promise<number | undefined> {
  const id = rec._id.toString();
  const seq = rec.claimSeq + 1;
  try {
    await OutboxClaim.create({ _id: `${id}:${seq}`, at: now });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const other = await OutboxClaim.findById(`${id}:${seq}`).lean();
    const freeAt = (other?.at.getTime() ?? now.getTime()) + OUTBOX_LEASE_MS;
    if (freeAt > now.getTime()) {
      await scheduleAttempt(deps, id, `c${seq}`, new Date(freeAt));
      return undefined;
    }
    // Its holder died before taking the lease: step over the dead claim.
    await OutboxMessage.updateOne({ _id: rec._id, claimSeq: rec.claimSeq }, { $set: { claimSeq: seq } });
    const again = await OutboxMessage.findById(rec._id).lean();
    if (!again || again.status !== "pending" || again.claimSeq !== seq) return undefined;
    return claim(deps, again, now);
  }
  const res = await OutboxMessage.updateOne(
    { _id: rec._id, claimSeq: rec.claimSeq, status: "pending" },
    { $set: { claimSeq: seq, lockedUntil: new Date(now.getTime() + OUTBOX_LEASE_MS) } },
  );
  return res.matchedCount > 0 ? seq : undefined;
}

/** One attempt at one record (the inline attempt and the `outbox-send` job alike). */
export async function attemptDelivery(deps: OutboxDeps, id: string): Promise<AttemptOutcome> {
  const clock = deps.clock ?? systemClock;
  const now = clock.now();
  const rec = await OutboxMessage.findById(id).lean();
  if (!rec) return "stale";
  if (rec.status !== "pending") return rec.status;
  if (rec.lockedUntil && rec.lockedUntil.getTime() > now.getTime()) {
    await scheduleAttempt(deps, id, `l${rec.claimSeq}`, rec.lockedUntil);
    return "busy";
  }
  if (rec.nextAttemptAt.getTime() > now.getTime()) return "later"; // its own job is scheduled for then
  const waitUntil = await quietUntil(deps, rec, now);
  if (waitUntil) {
    await OutboxMessage.updateOne({ _id: rec._id, claimSeq: rec.claimSeq, status: "pending" }, { $set: { nextAttemptAt: waitUntil } });
    await scheduleAttempt(deps, id, `q${waitUntil.getTime()}`, waitUntil);
    return "later";
  }
  const seq = await claim(deps, rec, now);
  if (seq === undefined) return "busy";
  const fence = { _id: rec._id, claimSeq: seq };
  const n = JSON.parse(rec.notice) as Notice;
  const finish = async (status: OutboxStatus, extra: Record<string, unknown> = {}) => {
    // A finished record keeps no text (names, free answers): only its locale key (and whether it may come at any hour).
    const content = status === "parked" ? {} : { notice: JSON.stringify({ key: n.key, ...(n.anyHour ? { anyHour: true } : {}) }) };
    await OutboxMessage.updateOne(fence, { $set: { status, doneAt: clock.now(), attempts: rec.attempts + 1, ...content, ...extra }, $unset: { lockedUntil: 1 } });
    return status;
  };

  const recipient = await User.findOne({ telegramId: rec.telegramId }, { unreachable: 1, erasedAt: 1, organizationId: 1, profile: 1 }).lean();
  if (recipient?.erasedAt) return finish("stale", { lastError: "recipient erased" });
  if (rec.expiresAt && rec.expiresAt.getTime() <= now.getTime()) return finish("stale", { lastError: "expired" });
  if (recipient?.unreachable) return finish("parked", { lastError: "recipient unreachable" });

  let verdict: Verdict;
  try {
    if (deps.limiter) await deps.limiter.acquire(rec.telegramId);
    await transmit(rawApi(deps.api), n, deps.t);
    verdict = { kind: "sent" };
  } catch (err) {
    verdict = classifySendError(err, rec.attempts + 1);
  }
  const log = deps.log.child({ component: "outbox", outboxId: id, key: n.key });
  switch (verdict.kind) {
    case "sent":
      return finish("sent");
    case "blocked":
      await User.updateOne({ telegramId: rec.telegramId, unreachable: { $ne: true } }, { $set: { unreachable: true, unreachableSince: clock.now() } });
      log.warn({ reason: verdict.reason }, "recipient cannot be reached (403): marked unreachable, message parked");
      return finish("parked", { lastError: verdict.reason });
    case "retry": {
      const at = new Date(clock.now().getTime() + verdict.afterMs);
      await scheduleAttempt(deps, id, String(rec.attempts + 1), at);
      await OutboxMessage.updateOne(fence, { $set: { nextAttemptAt: at, attempts: rec.attempts + 1, lastError: verdict.reason }, $unset: { lockedUntil: 1 } });
      log.warn({ reason: verdict.reason, attempt: rec.attempts + 1, retryInMs: verdict.afterMs }, "message not delivered yet: will retry");
      return "pending";
    }
    case "failed": {
      await finish("failed", { lastError: verdict.reason });
      log.error({ reason: verdict.reason }, "message refused by Telegram: failed, reporting to a curator");
      await reportFailure(deps, rec, recipient, verdict.reason);
      return "failed";
    }
  }
}

/** The recipient's next working moment when `now` is their quiet time and the message may not come now; else undefined. */
async function quietUntil(deps: OutboxDeps, rec: OutboxMessageRecord, now: Date): Promise<Date | undefined> {
  if (!deps.hours) return undefined;
  if ((JSON.parse(rec.notice) as Notice).anyHour) return undefined;
  const user = await User.findOne({ telegramId: rec.telegramId }, { organizationId: 1 }).lean();
  const next = nextWorkingMoment(now, await zoneOfOrganization(user?.organizationId), deps.hours);
  return next.getTime() > now.getTime() ? next : undefined;
}

type RecipientLean = { organizationId?: Types.ObjectId | null; profile?: { fullName?: string | null } | null } | null;

async function reportFailure(deps: OutboxDeps, rec: OutboxMessageRecord, recipient: RecipientLean, reason: string): Promise<void> {
  // A report about a report is not sent (it could loop).
  if (rec.source.startsWith("failed:")) return;
  const curators = recipient?.organizationId ? await curatorsOf(recipient.organizationId.toString()) : [];
  const notices = curators
    .filter((c) => c.telegramId !== rec.telegramId)
    .flatMap((c) => {
      const who = recipient?.profile?.fullName ?? deps.t(c.locale ?? "ru", "outbox-failed-someone");
      return noticeFor(c, "outbox-failed-curator", { who, reason });
    });
  if (notices.length === 0) deps.log.warn({ component: "outbox", outboxId: rec._id.toString() }, "failed message: no curator to tell");
  await sendNotices(deps, notices, `failed:${rec._id.toString()}`);
  await OutboxMessage.updateOne({ _id: rec._id }, { $set: { reportedAt: (deps.clock ?? systemClock).now() } });
}

/**
 * The person wrote again: clear `unreachable` and send what was parked for them while it is
 * still relevant (younger than `PARKED_RELEVANCE_MS` and not expired); the rest becomes stale.
 * Returns how many were delivered.
 */
export async function releaseParked(deps: OutboxDeps, telegramId: number): Promise<number> {
  const now = (deps.clock ?? systemClock).now();
  await User.updateOne({ telegramId, unreachable: true }, { $set: { unreachable: false }, $unset: { unreachableSince: 1 } });
  const parked = await OutboxMessage.find({ telegramId, status: "parked" }, { _id: 1, createdAt: 1, expiresAt: 1 }).sort({ createdAt: 1, _id: 1 }).lean();
  let sent = 0;
  for (const p of parked) {
    const stale = now.getTime() - p.createdAt.getTime() > PARKED_RELEVANCE_MS || (p.expiresAt && p.expiresAt.getTime() <= now.getTime());
    if (stale) {
      await OutboxMessage.updateOne({ _id: p._id, status: "parked" }, { $set: { status: "stale", doneAt: now, lastError: "parked too long" } });
      continue;
    }
    const res = await OutboxMessage.updateOne({ _id: p._id, status: "parked" }, { $set: { status: "pending", nextAttemptAt: now }, $unset: { doneAt: 1 } });
    if (res.modifiedCount === 0) continue;
    await scheduleAttempt(deps, p._id.toString(), `r${now.getTime()}`, new Date(now.getTime() + OUTBOX_SAFETY_MS));
    if ((await attemptDelivery(deps, p._id.toString())) === "sent") sent++;
  }
  return sent;
}
