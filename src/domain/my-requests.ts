import type { Types } from "mongoose";
import { MentorshipRequest, OPEN_REQUEST_STATUSES, Pair, User } from "../../models/index.ts";
import { organizationsByIds } from "../db/organization-cache.ts";

/**
 * The mentee's own view of their requests ("Мои запросы", issue 11): each request with its status,
 * its history and, once matched, the mentor's name. Plain data for the bot to render.
 */
export interface MyRequest {
  id: string;
  topics: string[];
  otherTopic?: string;
  kind: string;
  status: string;
  createdAt: Date;
  history: Array<{ status: string; at: Date; note?: string }>;
  mentorName?: string;
  pairStatus?: string;
  /** Whether the mentee can still cancel it. */
  open: boolean;
  zone: string;
}


export async function listMyRequests(userId: Types.ObjectId | string, limit = 8): Promise<MyRequest[]> {
  const rows = await MentorshipRequest.find({ menteeId: userId }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
  if (rows.length === 0) return [];
  const orgIds = [...new Set(rows.map((r) => String(r.organizationId)))];
  const orgs = [...(await organizationsByIds(orgIds)).values()];
  const zone = new Map(orgs.map((o) => [String(o._id), o.timezone]));
  const pairIds = rows.map((r) => r.pairId).filter((id): id is Types.ObjectId => Boolean(id));
  const pairs = pairIds.length ? await Pair.find({ _id: { $in: pairIds } }, { mentorId: 1, status: 1 }).lean() : [];
  const mentors = pairs.length ? await User.find({ _id: { $in: pairs.map((p) => p.mentorId) } }, { profile: 1 }).lean() : [];
  return rows.map((r) => {
    const pair = r.pairId ? pairs.find((p) => p._id.equals(r.pairId as Types.ObjectId)) : undefined;
    const mentor = pair ? mentors.find((u) => u._id.equals(pair.mentorId)) : undefined;
    const createdAt = (r as { createdAt?: Date }).createdAt ?? r.history[0]?.at ?? new Date(0);
    return {
      id: String(r._id),
      topics: [...r.topics],
      ...(r.otherTopic ? { otherTopic: r.otherTopic } : {}),
      kind: r.kind,
      status: r.status,
      createdAt,
      history: r.history.map((h) => ({ status: h.status, at: h.at, ...(h.note ? { note: h.note } : {}) })),
      ...(mentor?.profile?.fullName ? { mentorName: mentor.profile.fullName } : {}),
      ...(pair ? { pairStatus: pair.status } : {}),
      open: (OPEN_REQUEST_STATUSES as readonly string[]).includes(r.status),
      zone: zone.get(String(r.organizationId)) ?? "Europe/Moscow",
    };
  });
}
