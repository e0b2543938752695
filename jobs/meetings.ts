import {
  MEETING_FOLLOWUP_JOB,
  MEETING_REMINDER_JOB,
  MEETING_UNLOGGED_JOB,
  markUnlogged,
  meetingFollowup,
  meetingReminder,
  missedReminderNotices,
  type MeetingDeps,
} from "../src/domain/meetings.ts";
import { anyHour } from "../src/domain/notices.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue } from "./queue.ts";

/**
 * Meeting reminders, follow-ups and the "unlogged" mark. A reminder is never sent once the
 * meeting has begun (the handler checks), so a long outage cannot produce reminders for the past.
 */
export function registerMeetingJobs(queue: JobQueue, outbox: OutboxDeps, deps: MeetingDeps): void {
  queue.register(
    MEETING_REMINDER_JOB,
    async (payload, info) => {
      const p = payload as { meetingId: string; startAt: string; offsetMs?: number };
      // A reminder of a meeting the person booked keeps its exact time, quiet hours or not (issue 15).
      await sendNotices(outbox, anyHour(await meetingReminder(p.meetingId, p.startAt, info.now, info.late, p.offsetMs, deps.reminderOffsetsMs)), `job:${info.job.key}`);
    },
    {
      // Late within 12 h: sent with a "late" note (if the meeting is still ahead). Older: marked
      // missed and reported to the curators of the meeting's organization.
      graceMs: 12 * 3_600_000,
      onMissed: async (job) => {
        const p = job.payload as { meetingId: string };
        await sendNotices(outbox, await missedReminderNotices(p.meetingId), `job:${job.key}:missed`);
      },
    },
  );
  queue.register(
    MEETING_FOLLOWUP_JOB,
    async (payload, info) => {
      const p = payload as { meetingId: string; attempt: number };
      await sendNotices(outbox, await meetingFollowup(p.meetingId, p.attempt, info.now, deps), `job:${info.job.key}`);
    },
    { graceMs: 30 * 24 * 3_600_000 },
  );
  queue.register(MEETING_UNLOGGED_JOB, async (payload) => markUnlogged(String((payload as { meetingId: string }).meetingId)), {
    graceMs: 365 * 24 * 3_600_000,
  });
}
