import { Types } from "mongoose";
import { MentoringGroup, Program } from "../../../models/index.ts";
import { isCuratorOf } from "../roles.ts";

export { orderDocx, organizationsWithPairs } from "./order.ts";
export { programDocx, practiceDocx } from "./program.ts";
export { reportDocx } from "./report.ts";
export type { DocFile, DocTranslate } from "./docx.ts";

/**
 * Who may get a document (issue 14): an organization's documents only within the viewer's scope
 * (`null` = the whole deployment, for admins); a program to its mentor, its mentee and the
 * organization's curators (a group's program to its lead mentor, its current participants and the
 * curators); a practice card to whoever may view it (see
 * canViewPractice).
 */
export function inScope(scope: readonly string[] | null, organizationId: string): boolean {
  return scope === null || scope.includes(organizationId);
}

type Viewer = NonNullable<Parameters<typeof isCuratorOf>[0]> & { _id: Types.ObjectId };

export async function mayGetProgram(programId: string, viewer: Viewer, admin: boolean): Promise<boolean> {
  if (!Types.ObjectId.isValid(programId)) return false;
  const p = await Program.findById(programId, { mentorId: 1, menteeId: 1, groupId: 1, organizationId: 1 }).lean();
  if (!p) return false;
  if (admin || p.mentorId.equals(viewer._id) || p.menteeId?.equals(viewer._id)) return true;
  if (p.groupId && (await MentoringGroup.exists({ _id: p.groupId, $or: [{ memberIds: viewer._id }, { coMentorId: viewer._id }] }))) return true;
  return isCuratorOf(viewer, p.organizationId.toString());
}
