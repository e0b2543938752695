import { createHash, randomBytes } from "node:crypto";
import { Types } from "mongoose";
import { Invite } from "../../models/index.ts";

/**
 * Invitation links. A token is 24 random bytes in base64url (32 characters); the start payload is
 * `i_<token>` (34 characters, within Telegram's 64). Only the token's SHA-256 is stored.
 */
export const INVITE_PREFIX = "i_";
export type InviteRole = "mentee" | "mentor" | "curator";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

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
  const invite = await Invite.findOne({
    tokenHash: hashToken(token),
    revokedAt: { $exists: false },
    expiresAt: { $gt: now },
    remainingUses: { $gt: 0 },
  }).lean();
  if (!invite) return undefined;
  return {
    id: invite._id.toString(),
    ...(invite.organizationId ? { organizationId: invite.organizationId.toString() } : {}),
    ...(invite.networkId ? { networkId: invite.networkId.toString() } : {}),
    role: invite.role as InviteRole,
  };
}

/** Takes one use of the invite atomically; false when it was used up, revoked or expired meanwhile. */
export async function claimInvite(inviteId: string, now: Date): Promise<boolean> {
  const res = await Invite.updateOne(
    { _id: inviteId, revokedAt: { $exists: false }, expiresAt: { $gt: now }, remainingUses: { $gt: 0 } },
    { $inc: { remainingUses: -1 } },
  );
  return res.modifiedCount === 1;
}

export async function revokeInvite(inviteId: string, now: Date): Promise<boolean> {
  const res = await Invite.updateOne({ _id: inviteId, revokedAt: { $exists: false } }, { $set: { revokedAt: now } });
  return res.modifiedCount === 1;
}
