import { Types } from "mongoose";
import { BestPractice, MentoringGroup, MentorshipRequest, Program, User } from "../../../models/index.ts";
import { DEFAULT_ZONE } from "../digest-recipients.ts";
import { topicLabel } from "../deficits.ts";
import { personLine } from "./order.ts";
import { day, field, heading, pack, para, slug, table, title, type Block, type DocFile, type DocTranslate } from "./docx.ts";
import { organizationById } from "../../db/organization-cache.ts";

/**
 * The personalised program in the structure of seed 003: mentor, mentee, goal, tasks (the
 * request's deficits), term, role model, form, the plan with dates, the responsible and the
 * expected result, the project product and the delivered products. A group's program (issue 15)
 * names the group and lists its participants (current ones; who left is marked) instead of one
 * mentee, and its tasks are the deficits of all their requests.
 */
export async function programDocx(programId: string, t: DocTranslate): Promise<DocFile | null> {
  if (!Types.ObjectId.isValid(programId)) return null;
  const p = await Program.findById(programId).lean();
  if (!p) return null;
  const group = p.groupId ? await MentoringGroup.findById(p.groupId, { title: 1, memberIds: 1, participants: 1 }).lean() : null;
  // Each participant once (a seat taken again after leaving counts once), in the order they joined.
  const seats = group ? [...new Map(group.participants.map((x) => [x.userId.toString(), x])).values()] : [];
  const requestIds = group ? seats.map((x) => x.requestId) : p.requestId ? [p.requestId] : [];
  const [org, people, requests] = await Promise.all([
    organizationById(p.organizationId),
    User.find({ _id: { $in: [p.mentorId, ...(p.menteeId ? [p.menteeId] : []), ...seats.map((x) => x.userId)] } }, { profile: 1, erasedAt: 1 }).lean(),
    MentorshipRequest.find({ _id: { $in: requestIds } }, { topics: 1, otherTopic: 1 }).lean(),
  ]);
  const zone = org?.timezone || DEFAULT_ZONE;
  const mentor = people.find((u) => u._id.equals(p.mentorId));
  const mentee = p.menteeId ? people.find((u) => u._id.equals(p.menteeId as Types.ObjectId)) : undefined;
  const topics = [...new Set(requests.flatMap((r) => [...r.topics.map((c) => topicLabel(c, "ru")), ...(r.otherTopic ? [r.otherTopic] : [])]))];
  const participants = seats.map((x, n) => {
    const left = !group?.memberIds.some((m) => String(m) === String(x.userId));
    return `${n + 1}. ${personLine(people.find((u) => u._id.equals(x.userId)), t)}${left ? ` (${t("doc-participant-left")})` : ""}`;
  });
  const responsible = t("doc-responsible");
  const blocks: Block[] = [
    para(org?.fullName || org?.shortName || "", { center: true, bold: true }),
    title(t("doc-program-title")),
    field(t("doc-col-mentor"), personLine(mentor, t)),
    ...(group
      ? [field(t("doc-group"), group.title), field(t("doc-participants"), ""), ...(participants.length ? participants.map((line) => para(line)) : [para("—")])]
      : [field(t("doc-col-mentee"), personLine(mentee, t))]),
    field(t("doc-goal"), p.goal ?? ""),
    field(t("doc-tasks"), topics.length ? t("doc-tasks-text", { topics: topics.join("; ") }) : ""),
    field(t("doc-col-term"), p.startDate && p.endDate ? t("doc-term-months", { from: day(p.startDate, zone), to: day(p.endDate, zone), months: p.months ?? 0 }) : t("doc-term-months-only", { months: p.months ?? 0 })),
    field(t("xl-col-role-model"), p.roleModel ? t(`xl-role-model-${p.roleModel}`) : ""),
    field(t("xl-col-program-form"), p.form ? t(`program-form-${p.form}`) : ""),
    heading(t("doc-plan")),
    p.items.length
      ? table(
          [t("xl-col-no"), t("doc-col-activity"), t("doc-col-due"), t("doc-col-responsible"), t("doc-col-expected"), t("doc-col-done")],
          p.items.map((i, n) => [String(n + 1), i.title, day(i.due, zone), responsible, i.expected ?? "", i.status === "done" ? day(i.doneAt, zone) || t("xl-item-done") : ""]),
        )
      : para(t("doc-plan-empty")),
    heading(t("doc-result")),
    para(p.product || "—"),
    ...(p.products.length ? [field(t("xl-col-products"), p.products.map((x) => x.text ?? x.url ?? x.fileName ?? "").filter(Boolean).join("; "))] : []),
    field(t("xl-col-program-status"), t(`xl-program-${p.status}`)),
    ...(p.approvedAt ? [field(t("doc-approved"), day(p.approvedAt, zone))] : []),
    para(""),
    field(t("doc-col-mentor"), "____________________"),
    ...(group ? [] : [field(t("doc-col-mentee"), "____________________")]),
    field(t("doc-curator"), "____________________"),
  ];
  const content = await pack(blocks, { title: t("doc-program-title") });
  const who = group ? group.title : (mentee?.profile?.fullName?.split(" ")[0] ?? "");
  return { filename: `programma-${slug(who || org?.shortName || "")}-${day(p.startDate ?? p.createdAt, zone)}.docx`, content };
}

/** The best-practice card in the form of seed 003 («Информационная карта»). */
export async function practiceDocx(practiceId: string, t: DocTranslate): Promise<DocFile | null> {
  if (!Types.ObjectId.isValid(practiceId)) return null;
  const c = await BestPractice.findById(practiceId).lean();
  if (!c) return null;
  const contacts = [c.email, c.phone].filter(Boolean).join(", ");
  const blocks: Block[] = [
    title(t("doc-practice-title")),
    field(t("doc-practice-author"), [c.authorName, contacts].filter(Boolean).join(", ")),
    field(t("doc-practice-org"), c.organizationName ?? ""),
    field(t("xl-col-position"), c.position ?? ""),
    field(t("xl-col-position-years"), c.experienceYears === undefined || c.experienceYears === null ? "" : String(c.experienceYears)),
    field(t("doc-practice-topic"), c.topic ?? ""),
    heading(t("doc-practice-description")),
    para(t("doc-practice-note"), { bold: true }),
    para([c.goal, c.results, c.roleModel ? `${t("xl-col-role-model")}: ${t(`xl-role-model-${c.roleModel}`)}` : ""].filter(Boolean).join("\n") || "—"),
    para(t("doc-practice-content"), { bold: true }),
    para(c.content || "—"),
    para(t("doc-practice-case"), { bold: true }),
    para([...c.links, ...c.attachments.map((a) => a.fileName ?? t(`doc-attachment-${a.kind ?? "file"}`))].join("\n") || "—"),
  ];
  const content = await pack(blocks, { title: t("doc-practice-title") });
  return { filename: `praktika-${slug(c.topic ?? "")}.docx`, content };
}
