import { CuratorListEntry, User } from "../models/index.ts";
import type { Notice, NoticeButton } from "../src/domain/notices.ts";
import { stillOpen } from "../src/domain/curator-list.ts";
import { CURATOR_LIST_JOB, LIST_INSTANT_DATA, listButtonData } from "../src/messaging/curator-list.ts";
import { renderNotice } from "../src/messaging/notices.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue } from "./queue.ts";

/** Entries per message of a list (each message stays well under Telegram's 4096 characters and 100 buttons). */
export const LIST_ENTRIES_PER_MESSAGE = 8;

/**
 * A curator's daily list (issue 15): the `curator-list` job (`curator-list:<userId>:<local date>`,
 * queued when the first entry of the day is held) sends every held entry that still waits for a
 * curator in one message (split in parts of `LIST_ENTRIES_PER_MESSAGE`), each entry numbered and
 * its buttons (the callback data of its single message behind a short prefix, so every action runs
 * and is re-authorized by its own handler) labelled with its number. Entries resolved in the meantime are dropped.
 */
export async function sendDailyList(outbox: OutboxDeps, userId: string, now: Date, source: string): Promise<number> {
  const entries = await CuratorListEntry.find({ userId, status: "pending" }).sort({ createdAt: 1, _id: 1 }).lean();
  const open: Array<{ id: (typeof entries)[number]["_id"]; notice: Notice }> = [];
  const dropped = [];
  for (const e of entries) {
    if (e.createdAt.getTime() > now.getTime()) continue;
    if (e.notice && (await stillOpen(e.kind, e.ref))) open.push({ id: e._id, notice: JSON.parse(e.notice) as Notice });
    else dropped.push(e._id);
  }
  if (dropped.length > 0) await CuratorListEntry.updateMany({ _id: { $in: dropped }, status: "pending" }, { $set: { status: "dropped", doneAt: now }, $unset: { notice: 1 } });
  const curator = await User.findById(userId, { telegramId: 1, locale: 1, erasedAt: 1 }).lean();
  if (open.length === 0 || !curator || curator.erasedAt || curator.telegramId == null) return 0;
  const locale = curator.locale ?? "ru";
  const notices: Notice[] = [];
  for (let start = 0; start < open.length; start += LIST_ENTRIES_PER_MESSAGE) {
    const part = open.slice(start, start + LIST_ENTRIES_PER_MESSAGE);
    const items: string[] = [];
    const buttons: NoticeButton[][] = [];
    part.forEach((entry, i) => {
      const no = start + i + 1;
      const { text } = renderNotice({ ...entry.notice, buttons: [] }, outbox.t);
      items.push(`<b>${no}.</b> ${text}`);
      for (const row of entry.notice.buttons ?? []) {
        buttons.push(row.map((b) => ({ label: `${no}. ${b.literal ? b.label : outbox.t(entry.notice.locale, b.label)}`, literal: true, data: listButtonData(b.data) })));
      }
    });
    buttons.push([{ label: "hours-list-instant", data: LIST_INSTANT_DATA }]);
    const key = start === 0 ? "hours-list" : "hours-list-more";
    notices.push({ telegramId: curator.telegramId, locale, key, args: { count: open.length, items: items.join("\n\n") }, buttons });
  }
  const sent = await sendNotices(outbox, notices, source);
  await CuratorListEntry.updateMany({ _id: { $in: open.map((e) => e.id) }, status: "pending" }, { $set: { status: "listed", doneAt: now }, $unset: { notice: 1 } });
  return sent;
}

export function registerCuratorListJobs(queue: JobQueue, outbox: OutboxDeps): void {
  queue.register(
    CURATOR_LIST_JOB,
    async (payload, info) => {
      const userId = String((payload as { userId?: unknown } | null)?.userId ?? "");
      if (!/^[0-9a-f]{24}$/.test(userId)) return;
      await sendDailyList(outbox, userId, info.now, `job:${info.job.key}`);
    },
    // Late after an outage is still useful: what waits is re-checked when the list is built.
    { graceMs: Number.MAX_SAFE_INTEGER },
  );
}
