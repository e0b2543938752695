import { Types } from "mongoose";
import { Network, SurveyCampaign, SurveyResponse, User, type CampaignAudience, type ResponseStatus, type UserRecord } from "../../models/index.ts";
import { formatDateInZone } from "../core/datetime.ts";
import { DateTime } from "luxon";
import { notice, type Notice } from "./notices.ts";
import { findSet, findSetVersion, setText, type QuestionSetDefinition } from "./question-sets.ts";
import { questionNotice, startResponse, type ResponseLean } from "./questionnaires.ts";
import { curatorOrganizationIds, isAdmin } from "./roles.ts";
import type { Scheduler } from "./scheduler.ts";
import { allOrganizations, byShortName, networkMembers, organizationById, organizationsByIds } from "../db/organization-cache.ts";

/**
 * Survey campaigns (issue 16): a curator sends a question set to a role within a scope (one of
 * their organizations, or a network they curate) with a deadline. Launch creates one response per
 * recipient and a job that sends the first questions; one reminder job runs before the deadline.
 * Summaries never name anyone: anonymous sets do not even keep the link once answered.
 */

export const SURVEY_LAUNCH_JOB = "survey-launch";
export const SURVEY_REMIND_JOB = "survey-remind";
const DAY = 86_400_000;

export type Viewer = Pick<UserRecord, "roles" | "erasedAt"> & { _id: Types.ObjectId; telegramId?: number | null };

export interface CampaignScope {
  /** `o<orgId>` or `n<networkId>`: short enough for a button. */
  code: string;
  name: string;
  organizationIds: string[];
  timezone: string;
}

/** The scopes a curator may send to: each organization curated directly, each network curated (admins: every organization). */
export async function campaignScopes(user: Viewer, adminIds: readonly number[]): Promise<CampaignScope[]> {
  const out: CampaignScope[] = [];
  const curated = user.roles.filter((r) => r.role === "curator");
  const orgs = isAdmin(user, adminIds) ? byShortName(await allOrganizations()).slice(0, 20) : (await organizationsByIds(curated.flatMap((r) => (r.organizationId ? [r.organizationId] : [])))).values();
  for (const o of orgs) out.push({ code: `o${o._id.toString()}`, name: o.shortName, organizationIds: [o._id.toString()], timezone: o.timezone });
  for (const r of curated.filter((x) => x.networkId)) {
    const network = await Network.findById(r.networkId).lean();
    const members = await networkMembers([r.networkId!]);
    if (network && members.length) out.push({ code: `n${network._id.toString()}`, name: network.name, organizationIds: members.map((m) => m._id.toString()), timezone: members[0]?.timezone ?? "Europe/Moscow" });
  }
  return out;
}

/** Registered people of the scope with the audience's role there (never the sender). */
async function recipients(organizationIds: string[], audience: CampaignAudience, exceptUserId: string) {
  const roles = audience === "all" ? ["mentee", "mentor"] : [audience];
  const users = await User.find({ organizationId: { $in: organizationIds.map((id) => new Types.ObjectId(id)) }, registeredAt: { $exists: true }, erasedAt: { $exists: false } }).lean();
  return users.filter((u) => !u._id.equals(exceptUserId) && u.roles.some((r) => roles.includes(r.role) && r.organizationId && organizationIds.includes(r.organizationId.toString())));
}

/** How many people a campaign would reach, for the confirmation. */
export async function countRecipients(user: Viewer, adminIds: readonly number[], scopeCode: string, audience: CampaignAudience): Promise<number | null> {
  const scope = (await campaignScopes(user, adminIds)).find((s) => s.code === scopeCode);
  return scope ? (await recipients(scope.organizationIds, audience, user._id.toString())).length : null;
}

/** The deadline for "in N days": the end of that local day in the scope's zone. */
export function deadlineIn(days: number, zone: string, now: Date): Date {
  return DateTime.fromJSDate(now, { zone }).startOf("day").plus({ days: days + 1 }).minus({ seconds: 1 }).toJSDate();
}

/** When the one reminder goes: a day before the deadline, or half-way when the deadline is closer than two days. */
export function reminderAt(deadline: Date, now: Date): Date {
  const left = deadline.getTime() - now.getTime();
  return new Date(left >= 2 * DAY ? deadline.getTime() - DAY : now.getTime() + Math.floor(left / 2));
}

export type LaunchResult = { ok: true; campaignId: string; recipients: number } | { ok: false; reason: "not_allowed" | "no_set" | "deadline" | "nobody" };

/** Creates the campaign and its responses, and schedules the sending and the reminder. */
export async function launchCampaign(
  input: { user: Viewer; adminIds: readonly number[]; setCode: string; audience: CampaignAudience; scopeCode: string; deadline: Date; now: Date },
  scheduler: Scheduler,
): Promise<LaunchResult> {
  const { user, now } = input;
  const scope = (await campaignScopes(user, input.adminIds)).find((s) => s.code === input.scopeCode);
  if (!scope) return { ok: false, reason: "not_allowed" };
  const set = await findSet(input.setCode);
  if (!set) return { ok: false, reason: "no_set" };
  if (input.deadline.getTime() <= now.getTime() + 3_600_000) return { ok: false, reason: "deadline" };
  const people = await recipients(scope.organizationIds, input.audience, user._id.toString());
  if (people.length === 0) return { ok: false, reason: "nobody" };
  const campaign = await SurveyCampaign.create({
    setCode: set.code,
    setVersion: set.version,
    anonymous: set.anonymous,
    audience: input.audience,
    organizationIds: scope.organizationIds.map((id) => new Types.ObjectId(id)),
    networkId: scope.code.startsWith("n") ? new Types.ObjectId(scope.code.slice(1)) : undefined,
    createdBy: user._id,
    deadline: input.deadline,
    launchedAt: now,
    recipients: people.length,
  });
  const cid = campaign._id.toString();
  for (const p of people) {
    await startResponse({ key: `c:${cid}:${p._id.toString()}`, occasion: `campaign:${cid}`, set, respondentId: p._id.toString(), organizationId: p.organizationId?.toString(), campaignId: cid, now });
  }
  await scheduler.enqueue({ type: SURVEY_LAUNCH_JOB, key: `survey-launch:${cid}`, runAt: now, payload: { campaignId: cid } });
  await scheduler.enqueue({ type: SURVEY_REMIND_JOB, key: `survey-remind:${cid}`, runAt: reminderAt(input.deadline, now), payload: { campaignId: cid } });
  return { ok: true, campaignId: cid, recipients: people.length };
}

interface CampaignLean {
  _id: Types.ObjectId;
  setCode: string;
  setVersion: number;
  anonymous: boolean;
  organizationIds: Types.ObjectId[];
  createdBy: Types.ObjectId;
  deadline: Date;
  status: "active" | "closed";
  recipients: number;
}

async function campaignResponses(campaignId: string, statuses: ResponseStatus[]): Promise<{ set: QuestionSetDefinition; campaign: CampaignLean; rows: ResponseLean[] } | null> {
  if (!Types.ObjectId.isValid(campaignId)) return null;
  const campaign = await SurveyCampaign.findById(campaignId).lean<CampaignLean>();
  if (!campaign) return null;
  const set = await findSetVersion(campaign.setCode, campaign.setVersion);
  if (!set) return null;
  const rows = await SurveyResponse.find({ campaignId: campaign._id, status: { $in: statuses } }).lean<ResponseLean[]>();
  return { set, campaign, rows };
}

/** The launch job: the first question (with the set's intro) to each recipient who has not started. */
export async function campaignLaunchNotices(campaignId: string): Promise<Notice[]> {
  const loaded = await campaignResponses(campaignId, ["open"]);
  if (!loaded || loaded.campaign.status !== "active") return [];
  const out: Notice[] = [];
  for (const r of loaded.rows.filter((x) => x.cursor === 0)) out.push(...questionNotice(r, loaded.set, await User.findById(r.respondentId).lean(), { intro: true }));
  return out;
}

/** The reminder job: once, to everyone who has not finished (open or paused), with a "continue" button. */
export async function campaignReminderNotices(campaignId: string, now: Date): Promise<Notice[]> {
  const loaded = await campaignResponses(campaignId, ["open", "paused"]);
  if (!loaded || loaded.campaign.status !== "active" || loaded.campaign.deadline.getTime() <= now.getTime()) return [];
  const out: Notice[] = [];
  for (const r of loaded.rows) {
    const res = await SurveyResponse.updateOne({ _id: r._id, remindedAt: { $exists: false } }, { $set: { remindedAt: now } });
    if (res.modifiedCount !== 1) continue;
    const user = await User.findById(r.respondentId).lean();
    const org = await organizationById(user?.organizationId);
    const locale = user?.locale === "en" ? "en" : "ru";
    out.push(
      ...notice(
        user,
        "qs-reminder",
        { title: setText(loaded.set.title, locale), deadline: formatDateInZone(loaded.campaign.deadline, org?.timezone ?? "Europe/Moscow", locale), answered: r.cursor, total: loaded.set.questions.length },
        [[{ label: "qs-btn-continue", data: `qs:r:${r._id.toString()}` }]],
      ),
    );
  }
  return out;
}

/** Whether the viewer may see a campaign: its sender, a curator of one of its organizations, or an admin. */
export async function canSeeCampaign(viewer: Viewer, adminIds: readonly number[], campaign: { createdBy: Types.ObjectId; organizationIds: Types.ObjectId[] }): Promise<boolean> {
  if (isAdmin(viewer, adminIds) || campaign.createdBy.equals(viewer._id)) return true;
  const mine = new Set(await curatorOrganizationIds(viewer));
  return campaign.organizationIds.some((o) => mine.has(o.toString()));
}

export interface QuestionSummary {
  text: string;
  type: string;
  answered: number;
  average?: number;
  distribution?: number[];
  options?: Array<{ label: string; count: number }>;
  texts?: string[];
}

export interface CampaignSummary {
  id: string;
  title: string;
  anonymous: boolean;
  deadline: Date;
  timezone: string;
  recipients: number;
  done: number;
  inProgress: number;
  questions: QuestionSummary[];
}

/** Totals per question over the finished responses; free texts without names, at most 5 per question. */
export function summarize(set: QuestionSetDefinition, rows: Array<Pick<ResponseLean, "answers">>, locale: string): QuestionSummary[] {
  return set.questions.map((q) => {
    const answers = rows.flatMap((r) => r.answers.filter((a) => a.q === q.id && !a.skipped));
    const out: QuestionSummary = { text: setText(q.text, locale), type: q.type, answered: answers.length };
    if (q.type === "scale") {
      const scores = answers.map((a) => a.score).filter((s): s is number => typeof s === "number");
      out.distribution = [1, 2, 3, 4, 5].map((n) => scores.filter((s) => s === n).length);
      if (scores.length) out.average = scores.reduce((s, x) => s + x, 0) / scores.length;
    }
    if (q.type === "single" || q.type === "multiple") {
      out.options = q.options.map((o) => ({
        label: setText(o.text, locale),
        count: answers.filter((a) => a.choice === o.id || (a.choices ?? []).includes(o.id)).length,
      }));
    }
    if (q.type === "text") out.texts = answers.map((a) => a.text ?? "").filter(Boolean).slice(-5);
    return out;
  });
}

/** The summary of a campaign for a viewer allowed to see it. */
export async function campaignSummary(campaignId: string, viewer: Viewer, adminIds: readonly number[], locale: string): Promise<CampaignSummary | null> {
  const loaded = await campaignResponses(campaignId, ["open", "paused", "done", "expired"]);
  if (!loaded || !(await canSeeCampaign(viewer, adminIds, loaded.campaign))) return null;
  const { set, campaign, rows } = loaded;
  const done = rows.filter((r) => r.status === "done");
  const org = await organizationById(campaign.organizationIds[0]);
  return {
    id: campaign._id.toString(),
    title: setText(set.title, locale),
    anonymous: campaign.anonymous,
    deadline: campaign.deadline,
    timezone: org?.timezone ?? "Europe/Moscow",
    recipients: campaign.recipients,
    done: done.length,
    inProgress: rows.filter((r) => (r.status === "open" || r.status === "paused") && r.cursor > 0).length,
    questions: summarize(set, done, locale),
  };
}

/** The viewer's campaigns (sent by them or to organizations they curate), newest first. */
export async function listCampaigns(viewer: Viewer, adminIds: readonly number[], locale: string): Promise<Array<{ id: string; title: string; deadline: Date; done: number; recipients: number }>> {
  const orgs = isAdmin(viewer, adminIds) ? null : (await curatorOrganizationIds(viewer)).map((id) => new Types.ObjectId(id));
  const filter = orgs ? { $or: [{ createdBy: viewer._id }, { organizationIds: { $in: orgs } }] } : {};
  const campaigns = await SurveyCampaign.find(filter).sort({ _id: -1 }).limit(8).lean();
  const out = [];
  for (const c of campaigns) {
    const set = await findSetVersion(c.setCode, c.setVersion);
    const done = await SurveyResponse.countDocuments({ campaignId: c._id, status: "done" });
    out.push({ id: c._id.toString(), title: set ? setText(set.title, locale) : c.setCode, deadline: c.deadline, done, recipients: c.recipients });
  }
  return out;
}
