import { createHash, randomBytes } from "node:crypto";
import { Types } from "mongoose";
import { Invite } from "../../models/index.ts";
import { Batcher } from "../core/concurrency.ts";
import { keyedReads } from "../db/keyed-reads.ts";

/**
 * Invitation links. A token is 24 random bytes in base64url (32 characters); the start payload is
 * `i_<token>` (34 characters, within Telegram's 64). Only the token's SHA-256 is stored.
 */
export const INVITE_PREFIX = "i_";
export type InviteRole = "mentee" | "mentor" | "curator";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

type StoredInvite = { _id: Types.ObjectId; tokenHash: string; organizationId?: Types.ObjectId | null; networkId?: Types.ObjectId | null; role: string; remainingUses: number; expiresAt: Date; revokedAt?: Date | null };

/** Invites by their token's hash; the many people who open one link at once share one read (see `keyedReads`). */
const invitesByTokenHash = keyedReads<string, StoredInvite>({
  many: (hashes) => Invite.find({ tokenHash: { $in: hashes } }).lean<StoredInvite[]>(),
  one: (tokenHash) => Invite.find({ tokenHash }).lean<StoredInvite[]>(),
  keyOf: (doc) => doc.tokenHash,
});

export function inviteLink(botUsername: string, token: string): string {
  return `https://t.me/${botUsername}?start=${INVITE_PREFIX}${token}`;
}

/** Who may use an invite where: an organization, or (curators only) a whole network. */
export type InviteScope = { organizationId: Types.ObjectId | string; networkId?: undefined } | { networkId: Types.ObjectId | string; organizationId?: undefined };

export type CreateInviteInput = InviteScope & {
  role: InviteRole;
  uses: number;
  ttlMs: number;
  createdBy: string;
  now: Date;
};

export async function createInvite(input: CreateInviteInput): Promise<{ token: string; id: string; expiresAt: Date }> {
  if (!Number.isInteger(input.uses) || input.uses < 1 || input.uses > 1000) throw new RangeError("uses must be 1–1000");
  if (!(input.ttlMs > 0)) throw new RangeError("ttl must be positive");
  if ((input.organizationId === undefined) === (input.networkId === undefined)) throw new RangeError("an invite is for an organization or for a network");
  if (input.networkId !== undefined && input.role !== "curator") throw new RangeError("a network invite is for curators only");
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  const doc = await Invite.create({
    tokenHash: hashToken(token),
    ...(input.organizationId !== undefined
      ? { organizationId: new Types.ObjectId(String(input.organizationId)) }
      : { networkId: new Types.ObjectId(String(input.networkId)) }),
    role: input.role,
    maxUses: input.uses,
    remainingUses: input.uses,
    expiresAt,
    createdBy: input.createdBy,
  });
  return { token, id: doc._id.toString(), expiresAt };
}

export interface UsableInvite {
  id: string;
  /** The organization of an organization invite; unset for a network invite. */
  organizationId?: string;
  /** The network of a network curator's invite. */
  networkId?: string;
  role: InviteRole;
}

/** The role scope an invite grants. */
export function inviteRoleScope(invite: Pick<UsableInvite, "organizationId" | "networkId">): { organizationId?: string; networkId?: string } {
  return invite.networkId ? { networkId: invite.networkId } : { organizationId: invite.organizationId };
}

/** The invite behind a start payload if it is usable now; otherwise undefined (one generic failure). */
export async function findUsableInvite(payload: string | undefined, now: Date): Promise<UsableInvite | undefined> {
  if (!payload?.startsWith(INVITE_PREFIX)) return undefined;
  const token = payload.slice(INVITE_PREFIX.length);
  if (!/^[A-Za-z0-9_-]{20,60}$/.test(token)) return undefined;
  const invite = (await invitesByTokenHash(hashToken(token)))[0];
  if (!invite || invite.revokedAt || invite.expiresAt.getTime() <= now.getTime() || invite.remainingUses <= 0) return undefined;
  return {
    id: invite._id.toString(),
    ...(invite.organizationId ? { organizationId: invite.organizationId.toString() } : {}),
    ...(invite.networkId ? { networkId: invite.networkId.toString() } : {}),
    role: invite.role as InviteRole,
  };
}

/** Takes one use of the invite atomically; false when it was used up, revoked or expired meanwhile. */
export async function claimInvite(inviteId: string, now: Date): Promise<boolean> {
  return claims.run({ inviteId, now });
}

/** Takes `uses` uses of the invite at once, or none; false when fewer are left, or it was revoked or expired. */
async function takeUses(inviteId: string, uses: number, now: Date): Promise<boolean> {
  const res = await Invite.updateOne(
    { _id: inviteId, revokedAt: { $exists: false }, expiresAt: { $gt: now }, remainingUses: { $gte: uses } },
    { $inc: { remainingUses: -uses } },
  );
  return res.modifiedCount === 1;
}

/**
 * Claims that come together share a command per invite: the people who register by one link at
 * the same moment (a kindergarten's staff after a meeting) took its uses one update after
 * another, each a round trip the others waited behind. Together they take all their uses at once
 * (at the latest of their moments); when fewer are left, each tries alone, in order, so exactly
 * as many as there were uses get one.
 */
const claims = new Batcher<{ inviteId: string; now: Date }, boolean>(async (items) => {
  const byInvite = new Map<string, number[]>();
  items.forEach((c, i) => byInvite.set(c.inviteId, [...(byInvite.get(c.inviteId) ?? []), i]));
  const out: Array<boolean | Error> = items.map(() => false);
  for (const [inviteId, places] of byInvite) {
    const latest = new Date(Math.max(...places.map((i) => (items[i] as { now: Date }).now.getTime())));
    if (places.length > 1 && (await takeUses(inviteId, places.length, latest))) {
      for (const i of places) out[i] = true;
      continue;
    }
    for (const i of places) {
      out[i] = await takeUses(inviteId, 1, (items[i] as { now: Date }).now).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    }
  }
  return out;
});

export async function revokeInvite(inviteId: string, now: Date): Promise<boolean> {
  const res = await Invite.updateOne({ _id: inviteId, revokedAt: { $exists: false } }, { $set: { revokedAt: now } });
  return res.modifiedCount === 1;
}
