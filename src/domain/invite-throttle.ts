import { InviteAttempt, User } from "../../models/index.ts";
import type { Notice } from "./notices.ts";
import { isAdmin } from "./roles.ts";
import { DEFAULT_INVITE_THROTTLE, type InviteThrottle } from "../core/config.ts";
import { Batcher } from "../core/concurrency.ts";

/**
 * Throttling of invite links per Telegram account: a person who sends many wrong, expired or used
 * invite links in a short time is blocked for a while — further links are not even looked up —
 * and the deployment's admins are told once per burst. Fixed window, persisted in
 * `inviteattempts` (survives a restart). Only failures count; a valid link is never blocked
 * outside a block.
 */


/**
 * Block checks that come together (300 people opening one link at once) share one read of the
 * accounts blocked now: few, since a block needs five wrong links and records over for a day are
 * deleted. Telegram ids as a list are no index read on FerretDB (see `engine.numberListsByIndex`),
 * a date range is.
 */
const blockChecks = new Batcher<{ telegramId: number; now: Date }, Date | undefined>(async (checks) => {
  if (checks.length === 1) {
    const { telegramId, now } = checks[0] as { telegramId: number; now: Date };
    const doc = await InviteAttempt.findOne({ telegramId, blockedUntil: { $gt: now } }, { blockedUntil: 1 }).lean();
    return [doc?.blockedUntil ?? undefined];
  }
  const earliest = new Date(Math.min(...checks.map((c) => c.now.getTime())));
  const blocked = new Map<number, Date>();
  for (const doc of await InviteAttempt.find({ blockedUntil: { $gt: earliest } }, { telegramId: 1, blockedUntil: 1 }).lean()) {
    if (doc.blockedUntil) blocked.set(doc.telegramId, doc.blockedUntil);
  }
  return checks.map(({ telegramId, now }) => {
    const until = blocked.get(telegramId);
    return until && until.getTime() > now.getTime() ? until : undefined;
  });
});

/** When the account's block ends, or undefined when its invite links may be checked now. */
export async function inviteBlockedUntil(telegramId: number, now: Date): Promise<Date | undefined> {
  return blockChecks.run({ telegramId, now });
}

/** A failed attempt as counted: failures in the window, and the block if this one started it. */
export interface InviteFailure {
  failures: number;
  /** Set when this failure started a block: the burst to tell admins about (once). */
  blockedUntil?: Date;
}

/** Counts a failed invite attempt of the account (a new window when the last one is over). */
export async function recordInviteFailure(telegramId: number, now: Date, limits: InviteThrottle = DEFAULT_INVITE_THROTTLE): Promise<InviteFailure> {
  const windowEnd = new Date(now.getTime() + limits.windowMs);
  // Records nobody needs any more (over for a day) go first.
  await InviteAttempt.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - 86_400_000) } });
  // The last window is over (and no block runs): start a new one.
  await InviteAttempt.updateOne(
    {
      telegramId,
      windowStart: { $lte: new Date(now.getTime() - limits.windowMs) },
      $or: [{ blockedUntil: { $exists: false } }, { blockedUntil: { $lte: now } }],
    },
    { $set: { windowStart: now, failures: 0, expiresAt: windowEnd }, $unset: { blockedUntil: 1 } },
  );
  const count = () =>
    InviteAttempt.findOneAndUpdate(
      { telegramId },
      { $inc: { failures: 1 }, $setOnInsert: { windowStart: now, expiresAt: windowEnd } },
      { upsert: true, returnDocument: "after" },
    ).lean();
  let doc;
  try {
    doc = await count();
  } catch (err) {
    // Two first failures at once: the other one inserted the record; count on it.
    if ((err as { code?: unknown }).code !== 11000) throw err;
    doc = await count();
  }
  const failures = doc?.failures ?? 1;
  if (failures !== limits.maxFailures) return { failures };
  // Exactly one failure reaches the limit ($inc is atomic): it starts the block.
  const blockedUntil = new Date(now.getTime() + limits.blockMs);
  await InviteAttempt.updateOne({ telegramId }, { $set: { blockedUntil, expiresAt: blockedUntil } });
  return { failures, blockedUntil };
}

/**
 * The note to every admin (ADMIN_IDS and the admin role) about a burst of wrong invite links from
 * one account: once per burst, sent with the failure that started the block.
 */
export async function inviteBurstNotices(telegramId: number, failure: InviteFailure, adminIds: readonly number[], now: Date, limits: InviteThrottle = DEFAULT_INVITE_THROTTLE): Promise<Notice[]> {
  const admins = await User.find(
    { $or: [{ "roles.role": "admin" }, { telegramId: { $in: [...adminIds] } }] },
    { telegramId: 1, locale: 1, roles: 1, erasedAt: 1, unreachable: 1 },
  ).lean();
  const recipients = new Map<number, string>();
  const known = new Set<number>();
  for (const a of admins) {
    if (a.telegramId == null) continue;
    known.add(a.telegramId);
    if (a.unreachable || !isAdmin(a, adminIds)) continue;
    recipients.set(a.telegramId, a.locale ?? "ru");
  }
  // ADMIN_IDS that never wrote to the bot have no record: they are told in the default language.
  for (const id of adminIds) if (!known.has(id)) recipients.set(id, "ru");
  recipients.delete(telegramId);
  const minutes = failure.blockedUntil ? minutesUntil(failure.blockedUntil, now) : Math.round(limits.blockMs / 60_000);
  return [...recipients].map(([id, locale]) => ({
    telegramId: id,
    locale,
    key: "invite-burst-admin",
    args: { account: String(telegramId), failures: failure.failures, window: Math.round(limits.windowMs / 60_000), minutes },
  }));
}

/** Whole minutes (at least 1) until a block ends, for the person's message. */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}
