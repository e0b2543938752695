import { Types } from "mongoose";
import { MentorProfile } from "../../models/index.ts";

/**
 * The mentor registry's fields of seed 003 that matching does not use (issue 14): years in the
 * current position, achievements, professional training. The mentor fills them in chat; the
 * export's mentor registry shows them.
 */
export interface RegistryFields {
  positionYears?: number;
  achievements?: string;
  training?: string;
}

export const REGISTRY_TEXT_MAX = 1000;
export const POSITION_YEARS_MAX = 70;

export async function registryFieldsOf(userId: string): Promise<RegistryFields | null> {
  if (!Types.ObjectId.isValid(userId)) return null;
  const p = await MentorProfile.findOne({ userId: new Types.ObjectId(userId) }, { positionYears: 1, achievements: 1, training: 1 }).lean();
  if (!p) return null;
  return { positionYears: p.positionYears ?? undefined, achievements: p.achievements ?? undefined, training: p.training ?? undefined };
}

/** "7", "7 лет", "7,5" → 7; undefined unless a whole number of years 0–70. */
export function parsePositionYears(text: string): number | undefined {
  const m = /^\s*(\d{1,2})(?:[.,]\d+)?\s*(?:г|год|года|лет|years?|y)?\.?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n <= POSITION_YEARS_MAX ? n : undefined;
}

/** Saves the given fields of the mentor's own profile (only those present); false when there is no profile. */
export async function saveRegistryFields(userId: string, fields: RegistryFields): Promise<boolean> {
  if (!Types.ObjectId.isValid(userId)) return false;
  const set: Record<string, unknown> = {};
  if (fields.positionYears !== undefined) set.positionYears = Math.max(0, Math.min(POSITION_YEARS_MAX, Math.trunc(fields.positionYears)));
  if (fields.achievements !== undefined) set.achievements = fields.achievements.trim().slice(0, REGISTRY_TEXT_MAX);
  if (fields.training !== undefined) set.training = fields.training.trim().slice(0, REGISTRY_TEXT_MAX);
  const res = await MentorProfile.updateOne({ userId: new Types.ObjectId(userId) }, Object.keys(set).length ? { $set: set } : { $set: {} });
  return res.matchedCount === 1;
}
