import { forDailyList } from "./curator-list.ts";
import { Types } from "mongoose";
import { MentorApplication, User } from "../../models/index.ts";
import { isDuplicateKeyError } from "../db/errors.ts";
import { notice, type Notice } from "./notices.ts";
import { curatorsOf, grantRole, hasRole, isCuratorOf } from "./roles.ts";
import { genderArg } from "./russian.ts";
import { escapeHtml } from "../core/html.ts";

/**
 * Stage III: a teacher offers herself as a mentor; a curator of her organization (or its network)
 * approves (the mentor role is granted; she then fills the registry profile, approved as "ready"
 * by the curator as before) or declines with a reason. Every decision once, re-checked on the server.
 */
export type ApplicationResult = { ok: true; notices: Notice[] } | { ok: false; reason: "not_allowed" | "state" | "already_mentor" | "pending" };

export async function applyAsMentor(userId: string, motivation: string, now: Date): Promise<ApplicationResult> {
  const user = await User.findById(userId).lean();
  if (!user?.registeredAt || user.erasedAt || !user.organizationId) return { ok: false, reason: "not_allowed" };
  if (hasRole(user, "mentor")) return { ok: false, reason: "already_mentor" };
  let app;
  try {
    app = await MentorApplication.create({ userId: user._id, organizationId: user.organizationId, motivation: motivation.trim().slice(0, 1000), pendingKey: String(user._id) });
  } catch (err) {
    if (isDuplicateKeyError(err)) return { ok: false, reason: "pending" };
    throw err;
  }
  void now;
  const curators = await curatorsOf(String(user.organizationId));
  const name = escapeHtml(user.profile?.fullName ?? "—");
  const notices = forDailyList(curators.flatMap((c) =>
    notice(c, "mentor-application-new", { name, motivation: escapeHtml(app.motivation) }, [
      [
        { label: "mentor-application-approve", data: `ap:a:${app._id}` },
        { label: "mentor-application-decline", data: `ap:d:${app._id}` },
      ],
    ]),
  ), "application", app._id);
  return { ok: true, notices };
}

/** Whether this person may decide on the application now (a curator of its organization, or an admin; still pending). */
export async function canDecide(applicationId: string, decider: Parameters<typeof isCuratorOf>[0], admin: boolean): Promise<boolean> {
  if (!Types.ObjectId.isValid(applicationId)) return false;
  const app = await MentorApplication.findById(applicationId).lean();
  if (!app || app.status !== "pending") return false;
  return admin || (await isCuratorOf(decider, String(app.organizationId)));
}

export async function decideApplication(
  applicationId: string,
  decider: Parameters<typeof isCuratorOf>[0] & { _id: Types.ObjectId },
  admin: boolean,
  decision: "approved" | "declined",
  reason: string | undefined,
  now: Date,
): Promise<ApplicationResult> {
  if (!(await canDecide(applicationId, decider, admin))) return { ok: false, reason: "state" };
  if (decision === "declined" && !reason?.trim()) return { ok: false, reason: "not_allowed" };
  const app = await MentorApplication.findOneAndUpdate(
    { _id: applicationId, status: "pending" },
    { $set: { status: decision, decidedBy: decider._id, decidedAt: now, ...(reason?.trim() ? { reason: reason.trim().slice(0, 500) } : {}) }, $unset: { pendingKey: 1 } },
    { returnDocument: "after" },
  ).lean();
  if (!app) return { ok: false, reason: "state" };
  const applicant = await User.findById(app.userId).lean();
  const curatorProfile = (await User.findById(decider._id, { profile: 1 }).lean())?.profile;
  const curatorName = escapeHtml(curatorProfile?.fullName ?? "—");
  const curatorGender = genderArg(curatorProfile);
  if (decision === "approved") {
    await grantRole(app.userId, "mentor", { organizationId: String(app.organizationId) }, `application:${app._id}`, now);
    return { ok: true, notices: notice(applicant, "mentor-application-approved", { curator: curatorName, curatorGender }, [[{ label: "menu-mentor", data: "m:mentor" }]]) };
  }
  return { ok: true, notices: notice(applicant, "mentor-application-declined", { curator: curatorName, curatorGender, reason: escapeHtml(app.reason ?? "") }) };
}

/** Erasure: the person's applications lose their texts. */
export async function applicationsErasure(userId: Types.ObjectId): Promise<number> {
  await MentorApplication.updateMany({ userId, status: "pending" }, { $set: { status: "withdrawn" }, $unset: { pendingKey: 1 } });
  const res = await MentorApplication.updateMany({ userId }, { $set: { motivation: "—" }, $unset: { reason: 1 } });
  return res.modifiedCount;
}
