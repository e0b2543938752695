import { forDailyList } from "./curator-list.ts";
import type { Gender } from "./russian.ts";
import { createHash } from "node:crypto";
import { Types } from "mongoose";
import { Consent, JoinRequest, Network, User, POSITIONS } from "../../models/index.ts";
import type { Position , QUALIFICATION_CATEGORIES, EDUCATION_PROFILES } from "../../models/index.ts";
import { organizationById } from "../db/organization-cache.ts";
import { keyedReads } from "../db/keyed-reads.ts";
import { updateUser, upsertUser } from "../db/user-writes.ts";
import { findUserByTelegramId, userWriteFilter } from "../db/user-cache.ts";
import { Batcher } from "../core/concurrency.ts";
import { claimInvite, inviteRoleScope, type InviteRole } from "./invites.ts";
import { curatorsOf, grantRole, HOLDS_NO_ROLE, roleEntry } from "./roles.ts";
import { notice, type Notice } from "./notices.ts";
import { escapeHtml } from "../core/html.ts";

/**
 * Registration: profile validation, consent records and the final step of onboarding. Transport-
 * free: the dialog in scenes/onboarding.ts calls these inside `conversation.external`.
 */

/** Version of the personal-data consent text in locales (`consent-pd-text`). Bump when the text changes. */
export const PD_CONSENT_VERSION = "2026-11-01";

export type ProfileField = "fullName" | "birthYear" | "position" | "experienceYears" | "qualificationCategory" | "educationProfile" | "gender";

export interface ProfileDraft {
  fullName?: string;
  birthYear?: number;
  position?: Position;
  positionOther?: string;
  experienceYears?: number;
  qualificationCategory?: (typeof QUALIFICATION_CATEGORIES)[number];
  educationProfile?: (typeof EDUCATION_PROFILES)[number];
  /** Grammatical gender when the one read from the patronymic is wrong. */
  gender?: Gender;
}

/** Which profile questions each role answers. */
export function profileFieldsFor(role: InviteRole): ProfileField[] {
  switch (role) {
    case "mentee":
      return ["fullName", "birthYear", "position", "experienceYears", "qualificationCategory", "educationProfile"];
    case "mentor":
      return ["fullName", "position", "experienceYears", "qualificationCategory", "educationProfile"];
    case "curator":
      return ["fullName", "position"];
  }
}

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

/** Full name: 2–4 words of letters (Cyrillic or Latin), hyphens and apostrophes; 5–100 characters. */
export function validateFullName(text: string): Validation<string> {
  const value = text.trim().replace(/\s+/g, " ");
  if (value.length < 5 || value.length > 100) return { ok: false, error: "profile-error-name-length" };
  if (!/^[\p{L}][\p{L}'’.-]*( [\p{L}][\p{L}'’.-]*){1,3}$/u.test(value)) return { ok: false, error: "profile-error-name-format" };
  return { ok: true, value };
}

export function validateBirthYear(text: string, now: Date): Validation<number> {
  const year = Number(text.trim());
  const current = now.getUTCFullYear();
  if (!/^\d{4}$/.test(text.trim()) || year < current - 90 || year > current - 16) return { ok: false, error: "profile-error-birth-year" };
  return { ok: true, value: year };
}

export function validateExperience(text: string): Validation<number> {
  const value = Number(text.trim().replace(",", "."));
  if (!/^\d{1,2}([.,]\d)?$/.test(text.trim()) || value < 0 || value > 60) return { ok: false, error: "profile-error-experience" };
  return { ok: true, value: Math.floor(value) };
}

export function validatePositionOther(text: string): Validation<string> {
  const value = text.trim().replace(/\s+/g, " ");
  if (value.length < 3 || value.length > 80) return { ok: false, error: "profile-error-position-other" };
  return { ok: true, value };
}

export function isPosition(value: string): value is Position {
  return (POSITIONS as readonly string[]).includes(value);
}

/**
 * Young specialist (молодой специалист): under 35 and at most 3 years of teaching experience.
 * Derived from the birth year and experience, never typed.
 */
export function isYoungSpecialist(profile: { birthYear?: number | null; experienceYears?: number | null } | null | undefined, now: Date): boolean {
  if (!profile || profile.birthYear == null || profile.experienceYears == null) return false;
  return now.getUTCFullYear() - profile.birthYear < 35 && profile.experienceYears <= 3;
}

export function textHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Records a decision on the personal-data consent. A refusal stores only the refusal record.
 * Giving consent creates (or reuses) the user's document with the chosen language.
 */
export async function recordPdConsent(input: {
  telegramId: number;
  locale: "ru" | "en";
  decision: "given" | "refused";
  text: string;
  now: Date;
}): Promise<void> {
  let userId: Types.ObjectId | undefined;
  if (input.decision === "given") {
    // Shares a command with the others who consent at the same moment (see `upsertUser`); the
    // user cache takes the document as written instead of reading it again.
    const { telegramId } = input;
    userId = await upsertUser({ filter: await userWriteFilter(telegramId), telegramId, $set: { locale: input.locale }, $setOnInsert: { ...USER_INSERT_DEFAULTS } });
  }
  // A refusal names the person's user too, where there is one (see `hasValidPdConsent`).
  userId ??= (await findUserByTelegramId(input.telegramId))?._id;
  await consentInserts.run({
    ...(userId ? { userId } : {}),
    telegramId: input.telegramId,
    type: "pd_processing",
    decision: input.decision,
    version: PD_CONSENT_VERSION,
    textHash: textHash(input.text),
    decidedAt: input.now,
  });
}

/**
 * Consent records that come together go by one command (300 newcomers who consent in the same
 * second wrote 300 records one after another on FerretDB's one connection). Each is validated as
 * `Consent.create` would; a record that fails validation fails alone.
 */
const consentInserts = new Batcher<Record<string, unknown>, "inserted">(async (records) => {
  const out: Array<"inserted" | Error> = records.map(() => "inserted");
  const valid: Array<Record<string, unknown>> = [];
  for (const [i, r] of records.entries()) {
    const doc = new Consent(r);
    const invalid = await doc.validate().then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    if (invalid) out[i] = invalid;
    else valid.push(doc.toObject());
  }
  if (valid.length > 0) await Consent.insertMany(valid, { lean: true });
  return out;
});

/**
 * Fields every user document has from its first write. Upserts must set them explicitly: the
 * schema's defaults are not applied to an upserted document on every server, and lean reads never
 * apply them.
 */
export const USER_INSERT_DEFAULTS = { roles: [], unreachable: false } as const;

/** Start-up repair of documents written before {@link USER_INSERT_DEFAULTS}: gives them the missing fields. */
export async function repairUserDefaults(): Promise<number> {
  const roles = await User.updateMany({ roles: { $exists: false } }, { $set: { roles: [] } });
  const reach = await User.updateMany({ unreachable: { $exists: false } }, { $set: { unreachable: false } });
  return roles.modifiedCount + reach.modifiedCount;
}

type ConsentDecision = { telegramId?: number | null; userId?: Types.ObjectId | null; decision: string; decidedAt: Date; withdrawnAt?: Date | null };
const DECISION_FIELDS = { telegramId: 1, userId: 1, decision: 1, decidedAt: 1, withdrawnAt: 1 } as const;

/**
 * People's personal-data consent decisions by their user's `_id`, many people's by one read (see
 * `keyedReads`; a list of Telegram ids is no index read on FerretDB, a list of `_id`s is).
 */
const pdDecisionsOfUser = keyedReads<string, ConsentDecision>({
  many: (ids) => Consent.find({ userId: { $in: ids.map((id) => new Types.ObjectId(id)) }, type: "pd_processing" }, DECISION_FIELDS).lean<ConsentDecision[]>(),
  one: (id) => Consent.find({ userId: new Types.ObjectId(id), type: "pd_processing" }, DECISION_FIELDS).lean<ConsentDecision[]>(),
  keyOf: (doc) => String(doc.userId),
});

/**
 * Whether the person's latest personal-data consent decision is a consent not withdrawn. A consent
 * given creates the person's user, and every decision of someone with a user names it, so they
 * are read by the user where there is one (the decisions of people with none, by Telegram id).
 */
export async function hasValidPdConsent(telegramId: number): Promise<boolean> {
  const user = await findUserByTelegramId(telegramId);
  const decisions = user
    ? await pdDecisionsOfUser(String(user._id))
    : await Consent.find({ telegramId, type: "pd_processing" }, DECISION_FIELDS).sort({ decidedAt: -1 }).limit(1).lean<ConsentDecision[]>();
  let last: ConsentDecision | undefined;
  for (const c of decisions) if (!last || c.decidedAt.getTime() > last.decidedAt.getTime()) last = c;
  return last?.decision === "given" && !last.withdrawnAt;
}

export interface CompleteRegistrationInput {
  telegramId: number;
  username?: string;
  locale: "ru" | "en";
  profile: ProfileDraft;
  /** Registration through an invite (a network invite has no organization: the person picks theirs). */
  invite?: { id: string; organizationId?: string; networkId?: string; role: InviteRole };
  /** Self-registration as a mentee, or a network curator's own workplace: the organization picked by search. */
  organizationId?: string;
  now: Date;
}

export type CompleteRegistrationResult =
  | { status: "registered"; role: InviteRole; organizationName: string; /** A network curator's network. */ networkName?: string }
  | { status: "pending"; joinRequestId: string; organizationName: string; notices: Notice[] }
  | { status: "invite_failed" }
  | { status: "no_consent" };

/** Saves the confirmed profile and grants the role (invite) or files a join request (self-registration). */
export async function completeRegistration(input: CompleteRegistrationInput): Promise<CompleteRegistrationResult> {
  if (!(await hasValidPdConsent(input.telegramId))) return { status: "no_consent" };
  const organizationId = input.invite?.organizationId ?? input.organizationId;
  if (!organizationId) throw new Error("registration without an organization");
  const org = await organizationById(organizationId);
  if (!org) return { status: "invite_failed" };
  if (input.invite && !(await claimInvite(input.invite.id, input.now))) return { status: "invite_failed" };

  const profile = {
    $set: {
      locale: input.locale,
      profile: input.profile,
      organizationId: org._id,
      registeredAt: input.now,
      ...(input.username ? { username: input.username } : {}),
    },
    $unset: { erasedAt: 1 as const },
  };
  const scope = input.invite && inviteRoleScope({ organizationId, networkId: input.invite.networkId });
  const registered = async (invite: NonNullable<CompleteRegistrationInput["invite"]>): Promise<CompleteRegistrationResult> => {
    const networkName = invite.networkId ? await networkNameOf(invite.networkId) : undefined;
    return { status: "registered", role: invite.role, organizationName: org.shortName, ...(networkName ? { networkName } : {}) };
  };
  // By an invite, a newcomer (no role yet) gets the profile and the role by one write, shared
  // with the others who register at the same moment; anyone else the profile first, then the
  // role as `grantRole` gives it.
  const known = input.invite && scope ? await findUserByTelegramId(input.telegramId) : null;
  if (input.invite && scope && known) {
    const role = { ...roleEntry(input.invite.role, scope), grantedAt: input.now, grantedBy: `invite:${input.invite.id}` };
    const written = await updateUser({ _id: known._id, telegramId: input.telegramId, where: HOLDS_NO_ROLE, ...profile, $push: { roles: role } });
    // Written together, the user comes back whether or not it held no role: the role tells.
    const roles = (written?.roles ?? []) as Array<{ grantedBy?: unknown; grantedAt?: unknown }>;
    if (roles.some((r) => r.grantedBy === role.grantedBy && r.grantedAt instanceof Date && r.grantedAt.getTime() === role.grantedAt.getTime())) return registered(input.invite);
  }
  const user = await User.findOneAndUpdate({ telegramId: input.telegramId }, profile, { returnDocument: "after" }).lean(); // as above
  if (!user) return { status: "no_consent" };

  if (input.invite && scope) {
    await grantRole(user._id, input.invite.role, scope, `invite:${input.invite.id}`, input.now, user.roles ?? []);
    return registered(input.invite);
  }
  const existing = await JoinRequest.findOne({ userId: user._id, organizationId: org._id, status: "pending" }).lean();
  const request = existing ?? (await JoinRequest.create({ userId: user._id, organizationId: org._id }));
  const curators = await curatorsOf(organizationId);
  const args = { name: escapeHtml(input.profile.fullName ?? ""), organization: escapeHtml(org.shortName) };
  const buttons = [[{ label: "join-approve", data: `jr:a:${request._id}` }, { label: "join-reject", data: `jr:r:${request._id}` }]];
  // A curator who cannot be reached still finds the request under /joins.
  const notices = forDailyList(curators.flatMap((c) => notice(c, "join-request-new", args, buttons)), "join", request._id);
  return { status: "pending", joinRequestId: request._id.toString(), organizationName: org.shortName, notices };
}

/** Adds a role from an invite to an already registered user. */
export async function acceptInviteForRegistered(
  telegramId: number,
  invite: { id: string; organizationId?: string; networkId?: string; role: InviteRole },
  now: Date,
): Promise<{ ok: boolean; organizationName?: string; networkName?: string }> {
  const user = await User.findOne({ telegramId, registeredAt: { $exists: true } });
  if (!user) return { ok: false };
  if (!(await claimInvite(invite.id, now))) return { ok: false };
  await grantRole(user._id, invite.role, inviteRoleScope(invite), `invite:${invite.id}`, now);
  if (invite.networkId) return { ok: true, networkName: await networkNameOf(invite.networkId) };
  const org = await organizationById(invite.organizationId);
  return { ok: true, organizationName: org?.shortName };
}

/** The name of a network (undefined when it is gone). */
export async function networkNameOf(networkId: string): Promise<string | undefined> {
  return (await Network.findById(networkId, { name: 1 }).lean())?.name;
}
