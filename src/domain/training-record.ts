import type { Types } from "mongoose";
import { Meeting, MentorProfile } from "../../models/index.ts";

/**
 * A mentor's training record (issue 16): how many training seminars she attended and when the
 * last one was, computed from the held training meetings and written onto her mentor profile for
 * matching and the registry. Kept apart from training.ts so that group-sessions.ts (whose
 * attendance log triggers it) does not import the training service.
 */

interface HeldTraining {
  startAt?: Date | null;
  log?: { absentIds?: Types.ObjectId[] | null } | null;
}

export interface TrainingRecord {
  attended: number;
  lastAt: Date | null;
}

/** Trainings a person attended: held training meetings she was signed up for and not marked absent. */
export async function trainingRecordOf(userId: Types.ObjectId): Promise<TrainingRecord> {
  const held = await Meeting.find({ purpose: "training", status: "held", participantIds: userId }, { startAt: 1, "log.absentIds": 1 }).lean<HeldTraining[]>();
  let attended = 0;
  let lastAt: Date | null = null;
  for (const m of held) {
    if ((m.log?.absentIds ?? []).some((id) => id.equals(userId))) continue;
    attended++;
    if (m.startAt && (!lastAt || m.startAt > lastAt)) lastAt = m.startAt;
  }
  return { attended, lastAt };
}

/**
 * Recomputes the count and last date on the mentor profiles of these people from the meetings
 * (idempotent: a repeated call never counts twice). People without a profile yet get theirs when
 * they create one (`syncTrainingRecord`).
 */
export async function recomputeTrainingRecords(userIds: readonly Types.ObjectId[]): Promise<void> {
  for (const userId of userIds) await syncTrainingRecord(userId);
}

/** Writes one person's training record onto her mentor profile (by the profile's `_id`, so the matching cache sees it). */
export async function syncTrainingRecord(userId: Types.ObjectId): Promise<void> {
  const profile = await MentorProfile.findOne({ userId }, { _id: 1 }).lean();
  if (!profile) return;
  const rec = await trainingRecordOf(userId);
  await MentorProfile.updateOne(
    { _id: profile._id },
    rec.lastAt ? { $set: { trainingsAttended: rec.attended, lastTrainingAt: rec.lastAt } } : { $set: { trainingsAttended: 0 }, $unset: { lastTrainingAt: 1 } },
  );
}
