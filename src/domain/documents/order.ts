import { pairForm } from "../export.ts";
import { Types } from "mongoose";
import { findAnyOf } from "../../db/read-connection.ts";
import { MentoringGroup, Pair, Program, User } from "../../../models/index.ts";
import type { Period } from "../digest.ts";
import { DEFAULT_ZONE } from "../digest-recipients.ts";
import { day, field, longDay, pack, para, slug, table, title, type Block, type DocFile, type DocTranslate } from "./docx.ts";
import { organizationById, organizationsByIds } from "../../db/organization-cache.ts";

type Person = { profile?: { fullName?: string | null; position?: string | null; positionOther?: string | null } | null; erasedAt?: Date | null } | null | undefined;

/** "Петрова Анна Сергеевна, воспитатель" — or the erased-person label. */
export function personLine(p: Person, t: DocTranslate): string {
  if (!p || p.erasedAt || !p.profile?.fullName) return t("xl-erased");
  const position = p.profile.position === "other" ? p.profile.positionOther : p.profile.position ? t(`position-${p.profile.position}`).toLowerCase() : "";
  return position ? `${p.profile.fullName}, ${position}` : p.profile.fullName;
}

/** The last day of a period whose end is exclusive. */
export const lastDayOf = (p: Period) => new Date(p.to.getTime() - 1);

/**
 * The order on assigning mentoring pairs (seed 003: «Приказ о закреплении наставнических пар с
 * письменного согласия их участников»): every pair of the organization formed in the period, with
 * its form, term and both consent dates. Quick questions are not pairs of a program and are left out.
 */
export async function orderDocx(organizationId: string, period: Period, t: DocTranslate, now: Date): Promise<DocFile | null> {
  if (!Types.ObjectId.isValid(organizationId)) return null;
  const org = await organizationById(organizationId);
  if (!org) return null;
  const zone = org.timezone || DEFAULT_ZONE;
  const formed = await Pair.find({ organizationId: org._id, kind: { $ne: "question" }, createdAt: { $gte: period.from, $lt: period.to } }).sort({ createdAt: 1, _id: 1 }).lean();
  // Seats of mentoring groups are listed by group, with every participant (issue 15).
  const pairs = formed.filter((p) => !p.groupId);
  const seats = formed.filter((p) => p.groupId);
  const groups = await MentoringGroup.find({ _id: { $in: [...new Set(seats.map((p) => String(p.groupId)))] } }).sort({ createdAt: 1, _id: 1 }).lean();
  const ids = [...formed.flatMap((p) => [p.mentorId, p.menteeId]), ...groups.flatMap((g) => (g.coMentorId ? [g.coMentorId] : []))];
  const [people, programs] = await Promise.all([
    User.find({ _id: { $in: ids } }, { profile: 1, erasedAt: 1 }).lean(),
    findAnyOf((f) => Program.find(f, { pairId: 1, groupId: 1, startDate: 1, endDate: 1, months: 1 }).lean(), [{ pairId: { $in: pairs.map((p) => p._id) } }, { groupId: { $in: groups.map((g) => g._id) } }]),
  ]);
  const termOf = (program: (typeof programs)[number] | undefined, kind: string) =>
    program?.startDate && program.endDate ? t("doc-term", { from: day(program.startDate, zone), to: day(program.endDate, zone) }) : t(`doc-term-${kind}`);
  const who = (id: Types.ObjectId) => personLine(people.find((u) => u._id.equals(id)), t);
  const from = day(period.from, zone);
  const to = day(lastDayOf(period), zone);
  const rows = pairs.map((p, i) => {
    const term = termOf(programs.find((x) => x.pairId?.equals(p._id)), p.kind);
    return [String(i + 1), who(p.mentorId), who(p.menteeId), pairForm(p, t), term, day(p.mentorConsentAt, zone) || t("doc-no-consent"), day(p.menteeConsentAt, zone) || t("doc-no-consent")];
  });
  const groupRows = groups.map((g, i) => {
    const mine = seats.filter((p) => p.groupId?.equals(g._id));
    const mentors = [who(g.mentorId), ...(g.coMentorId ? [who(g.coMentorId)] : [])].join("; ");
    // Participants in alphabetical order, as lists in an order are kept.
    const participants = mine
      .map((p) => `${who(p.menteeId)} (${day(p.menteeConsentAt, zone) || t("doc-no-consent")})`)
      .sort((a, b) => a.localeCompare(b, "ru"))
      .join("; ");
    // A group with an approved program has its term; otherwise it is long-term like its seats.
    return [String(i + 1), g.title, mentors, participants, t("form-group"), termOf(programs.find((x) => x.groupId?.equals(g._id)), "long_term"), day(g.mentorConsentAt, zone) || t("doc-no-consent")];
  });
  const orgName = org.fullName || org.shortName;
  const blocks: Block[] = [
    para(orgName, { center: true, bold: true }),
    title(t("doc-order-title")),
    para(t("doc-order-date", { date: longDay(now, zone) }), { right: true }),
    para(t("doc-order-subject"), { center: true, bold: true }),
    para(t("doc-order-preamble", { organization: orgName })),
    para(t("doc-order-item-1", { from, to })),
    rows.length
      ? table([t("xl-col-no"), t("doc-col-mentor"), t("doc-col-mentee"), t("xl-col-form"), t("doc-col-term"), t("xl-col-mentor-consent"), t("xl-col-mentee-consent")], rows)
      : para(t("doc-order-none")),
    ...(groupRows.length
      ? [para(t("doc-order-groups")), table([t("xl-col-no"), t("doc-col-group"), t("doc-col-mentor"), t("doc-col-participants"), t("xl-col-form"), t("doc-col-term"), t("xl-col-mentor-consent")], groupRows)]
      : []),
    para(t("doc-order-item-2")),
    para(t("doc-order-item-3")),
    field(t("doc-head"), "____________________ / ____________________"),
    para(t("doc-order-familiar")),
  ];
  const content = await pack(blocks, { title: t("doc-order-subject") });
  return { filename: `prikaz-pary-${slug(org.shortName)}-${from}-${to}.docx`, content };
}

/** Organizations of the scope (`null` = all) with program pairs formed in the period, by name. */
export async function organizationsWithPairs(scope: readonly string[] | null, period: Period): Promise<string[]> {
  const ids = scope?.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
  const orgIds = await Pair.distinct("organizationId", { ...(ids ? { organizationId: { $in: ids } } : {}), kind: { $ne: "question" }, createdAt: { $gte: period.from, $lt: period.to } });
  const orgs = [...(await organizationsByIds(orgIds)).values()];
  return orgs.sort((a, b) => a.shortName.localeCompare(b.shortName, "ru")).map((o) => o._id.toString());
}
