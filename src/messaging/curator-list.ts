import { DateTime } from "luxon";
import type { Types } from "mongoose";
import { CuratorListEntry, DigestPreference, User, type CuratorListMode } from "../../models/index.ts";
import type { Notice } from "../domain/notices.ts";
import type { Scheduler } from "../domain/scheduler.ts";
import { zoneOfOrganization } from "../domain/meetings.ts";
import "../domain/curator-list.ts";
import { ALWAYS_WORKING, nextWorkdayStart, type WorkingHours } from "../core/working-hours.ts";
import { isDuplicateKeyError } from "../db/errors.ts";

/**
 * Curators' daily list (issue 15): the one function every curator notice passes (through the
 * outbox's `sendNotices`, from bot code and jobs alike). A notice tagged `curatorItem` goes to a
 * curator who takes the list as a held entry, and a `curator-list` job is queued for the start of
 * their next working day (08:00 in their zone; one job per curator per local date, by key); to a
 * curator who chose "at once" it goes as it is. Untagged notices (what cannot wait) pass through.
 */
export const CURATOR_LIST_JOB = "curator-list";
/** Callback data of the "send each at once" button under every part of a list. */
export const LIST_INSTANT_DATA = "cl:m:i";
/** The same switches on the digest settings screen (which is then shown again). */
export const SETTINGS_INSTANT_DATA = "cl:s:i";
export const SETTINGS_DAILY_DATA = "cl:s:d";
/** Prefix of an entry's button under a list: the entry's own callback data follows. */
export const LIST_BUTTON_PREFIX = "L:";

/** An entry's callback data as a button of the list (unchanged when the prefix would not fit Telegram's 64 bytes). */
export function listButtonData(data: string): string {
  return Buffer.byteLength(LIST_BUTTON_PREFIX + data, "utf8") <= 64 ? LIST_BUTTON_PREFIX + data : data;
}

export interface CuratorListDeps {
  scheduler: Scheduler;
  /** The deployment's default (`CURATOR_LIST`); unset: every notice at once (no list). */
  curatorList?: CuratorListMode;
  hours?: WorkingHours;
}

/** Key of a curator's list job for the local date of `at`. */
export function curatorListKey(userId: string, at: Date, zone: string): string {
  return `${CURATOR_LIST_JOB}:${userId}:${DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd")}`;
}

/** The curator's mode: their own choice, else the deployment's default. */
export async function listModeOf(userId: Types.ObjectId | string, fallback: CuratorListMode): Promise<CuratorListMode> {
  const pref = await DigestPreference.findOne({ userId }, { listMode: 1 }).lean();
  return pref?.listMode ?? fallback;
}

/** Holds the list entries of curators who take the daily list; returns the notices to send now. */
export async function holdForDailyList(deps: CuratorListDeps, notices: Notice[], now: Date): Promise<Notice[]> {
  if (!deps.curatorList || !notices.some((n) => n.curatorItem)) return notices;
  const now_: Notice[] = [];
  for (const n of notices) {
    const item = n.curatorItem;
    const user = item ? await User.findOne({ telegramId: n.telegramId }, { _id: 1, organizationId: 1 }).lean() : null;
    if (!item || !user || (await listModeOf(user._id, deps.curatorList)) === "instant") {
      now_.push(n);
      continue;
    }
    const key = `${n.telegramId}:${item.kind}:${item.ref}`;
    const fields = { notice: JSON.stringify(n), status: "pending" as const, createdAt: now };
    try {
      await CuratorListEntry.create({ key, userId: user._id, telegramId: n.telegramId, kind: item.kind, ref: item.ref, ...fields });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Told again after it was listed or dropped (e.g. escalated a second time): it waits again.
      await CuratorListEntry.updateOne({ key, status: { $ne: "pending" } }, { $set: fields, $unset: { doneAt: 1 } });
    }
    const zone = await zoneOfOrganization(user.organizationId);
    const at = nextWorkdayStart(now, zone, deps.hours ?? ALWAYS_WORKING);
    const userId = user._id.toString();
    await deps.scheduler.enqueue({ type: CURATOR_LIST_JOB, key: curatorListKey(userId, at, zone), runAt: at, payload: { userId } });
  }
  return now_;
}
