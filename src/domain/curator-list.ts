import { Types } from "mongoose";
import { CuratorListEntry, JoinRequest, MentorApplication, MentorProfile, MentorshipRequest, Program, RiskFlag } from "../../models/index.ts";
import type { Notice } from "./notices.ts";
import { registerErasureStep } from "./privacy.ts";

/**
 * What a curator's daily list gathers (issue 15) and when an entry is no longer worth showing.
 * Domain services tag the notices they address to curators with `forDailyList`; the outbox
 * (src/messaging/curator-list.ts) holds them for the list or sends them at once, per curator.
 * What cannot wait (a request whose offers all ran out with no mentor) is not tagged: it comes at once.
 */
export const CURATOR_LIST_KINDS = ["join", "escalation", "application", "mentor", "program", "risk"] as const;
export type CuratorListKind = (typeof CURATOR_LIST_KINDS)[number];

/** The same notices, marked as entries of the recipients' daily lists. */
export function forDailyList(notices: Notice[], kind: CuratorListKind, ref: Types.ObjectId | string): Notice[] {
  return notices.map((n) => ({ ...n, curatorItem: { kind, ref: String(ref) } }));
}

/** Whether the thing an entry is about still waits for a curator (else the entry is dropped, not shown stale). */
export async function stillOpen(kind: string, ref: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(ref)) return false;
  switch (kind) {
    case "join":
      return (await JoinRequest.exists({ _id: ref, status: "pending" })) !== null;
    case "escalation":
      return (await MentorshipRequest.exists({ _id: ref, status: "escalated" })) !== null;
    case "application":
      return (await MentorApplication.exists({ _id: ref, status: "pending" })) !== null;
    case "mentor":
      return (await MentorProfile.exists({ _id: ref, approved: false })) !== null;
    case "program":
      return (await Program.exists({ _id: ref, status: "pending_curator" })) !== null;
    case "risk": {
      const flag = await RiskFlag.findById(ref, { resolvedAt: 1 }).lean();
      return flag !== null && !flag.resolvedAt;
    }
    default:
      return false;
  }
}

/**
 * Erasure: a curator's held entries go (they hold other people's names), and so do entries still
 * waiting that are about the person (their join request, application, profile, request, flag).
 */
registerErasureStep("curator-list", async (userId) => {
  const ids = (docs: Array<{ _id: Types.ObjectId }>) => docs.map((d) => d._id.toString());
  const refs = [
    ...ids(await JoinRequest.find({ userId }, { _id: 1 }).lean()),
    ...ids(await MentorApplication.find({ userId }, { _id: 1 }).lean()),
    ...ids(await MentorProfile.find({ userId }, { _id: 1 }).lean()),
    ...ids(await MentorshipRequest.find({ menteeId: userId }, { _id: 1 }).lean()),
    ...ids(await RiskFlag.find({ userId }, { _id: 1 }).lean()),
  ];
  const own = await CuratorListEntry.deleteMany({ userId });
  const about = refs.length > 0 ? await CuratorListEntry.deleteMany({ ref: { $in: refs }, status: "pending" }) : { deletedCount: 0 };
  return { counts: { curatorListEntries: own.deletedCount + about.deletedCount }, notify: [] };
});
