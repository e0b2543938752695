import { Types } from "mongoose";
import { User, type Role, type UserRecord } from "../../models/index.ts";
import { curatorCache, type CuratorLean } from "../db/curator-cache.ts";
import { networkMemberIds, organizationById } from "../db/organization-cache.ts";

/**
 * Authorization over roles. Every check runs on the server against the user's current document;
 * nothing here trusts what a button said.
 */
type RoleHolder = Pick<UserRecord, "roles" | "erasedAt"> & { telegramId?: number | null };

export function isAdmin(user: RoleHolder | null | undefined, adminIds: readonly number[]): boolean {
  if (!user || user.erasedAt) return false;
  if (user.telegramId != null && adminIds.includes(user.telegramId)) return true;
  return (user.roles ?? []).some((r) => r.role === "admin");
}

export function hasRole(user: RoleHolder | null | undefined, role: Role, organizationId?: string): boolean {
  if (!user || user.erasedAt) return false;
  return (user.roles ?? []).some((r) => r.role === role && (organizationId === undefined || r.organizationId?.toString() === organizationId));
}

/** Organizations a curator manages: those of their organization roles plus every member of their networks. */
export async function curatorOrganizationIds(user: RoleHolder | null | undefined): Promise<string[]> {
  if (!user || user.erasedAt) return [];
  const direct = (user.roles ?? []).filter((r) => r.role === "curator" && r.organizationId).map((r) => r.organizationId!.toString());
  const networks = (user.roles ?? []).filter((r) => r.role === "curator" && r.networkId).map((r) => r.networkId!);
  if (networks.length === 0) return [...new Set(direct)];
  return [...new Set([...direct, ...(await networkMemberIds(networks))])];
}

export async function isCuratorOf(user: RoleHolder | null | undefined, organizationId: string): Promise<boolean> {
  return (await curatorOrganizationIds(user)).includes(organizationId);
}

/**
 * Curators of an organization: with a role on it, or on a network it belongs to (filtered in code:
 * FerretDB lacks `$elemMatch` with `$or`). On FerretDB from the in-process copy of the curators
 * (see `curatorCache`).
 */
export async function curatorsOf(organizationId: string): Promise<CuratorLean[]> {
  const org = await organizationById(organizationId);
  const networkIds = (org?.networkIds ?? []).map((n) => n.toString());
  const candidates = curatorCache.enabled ? await curatorCache.all() : ((await User.find({ "roles.role": "curator", erasedAt: { $exists: false } }).lean()) as unknown as CuratorLean[]);
  return candidates.filter((u) =>
    u.roles.some(
      (r) =>
        r.role === "curator" &&
        (r.organizationId?.toString() === organizationId || (r.networkId !== undefined && r.networkId !== null && networkIds.includes(r.networkId.toString()))),
    ),
  );
}

/** The roles a user holds, as much of them as `grantRole` compares. */
type HeldRoles = ReadonlyArray<{ role: string; organizationId?: unknown; networkId?: unknown }>;

/**
 * Adds a role unless the user already holds it in that scope. Optimistic: the push only applies
 * if the roles array did not change since it was read (no `$not`/`$elemMatch` update filters,
 * which FerretDB lacks).
 */
/** A role as the user's `roles` hold it: the role and its scope. */
export function roleEntry(role: Role, scope: { organizationId?: string; networkId?: string }): { role: Role; organizationId?: Types.ObjectId; networkId?: Types.ObjectId } {
  return {
    role,
    ...(scope.organizationId ? { organizationId: new Types.ObjectId(scope.organizationId) } : {}),
    ...(scope.networkId ? { networkId: new Types.ObjectId(scope.networkId) } : {}),
  };
}

/** A filter part: the user holds no role yet (`roles` empty, or missing on documents from before it was written at once). */
export const HOLDS_NO_ROLE = { $or: [{ roles: { $size: 0 } }, { roles: { $exists: false } }] };

export async function grantRole(
  userId: Types.ObjectId | string,
  role: Role,
  scope: { organizationId?: string; networkId?: string },
  grantedBy: string,
  now: Date,
  /** The user's roles as just read or written by the caller: the first try goes without reading them. */
  knownRoles?: HeldRoles,
): Promise<boolean> {
  const entry = roleEntry(role, scope);
  for (let attempt = 0; attempt < 5; attempt++) {
    let roles: HeldRoles;
    if (attempt === 0 && knownRoles) {
      roles = knownRoles;
    } else {
      const user = await User.findById(userId, { roles: 1 }).lean();
      if (!user) return false;
      roles = user.roles ?? [];
    }
    const held = roles.some(
      (r) =>
        r.role === role &&
        String(r.organizationId ?? "") === String(entry.organizationId ?? "") &&
        String(r.networkId ?? "") === String(entry.networkId ?? ""),
    );
    if (held) return false;
    // Lean and whole: the user cache takes the document as written instead of reading it again.
    const written = await User.findOneAndUpdate(
      roles.length === 0 ? { _id: userId, ...HOLDS_NO_ROLE } : { _id: userId, roles: { $size: roles.length } },
      { $push: { roles: { ...entry, grantedAt: now, grantedBy } } },
      { returnDocument: "after" },
    ).lean();
    if (written) return true;
  }
  throw new Error("could not grant the role: the user's roles kept changing");
}
