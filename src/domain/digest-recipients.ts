import { Types } from "mongoose";
import { DigestPreference, User, type UserRecord } from "../../models/index.ts";
import { leanRows, readModels } from "../db/read-connection.ts";
import { isAdmin } from "./roles.ts";
import { registerErasureStep } from "./privacy.ts";
import { allOrganizations, networkMembers, organizationById, organizationsByIds, type OrganizationDoc } from "../db/organization-cache.ts";

/** Who gets a digest, of which scope, in which zone and language; their digest settings go with an erasure. */

export interface DigestRecipient {
  userId: string;
  telegramId: number;
  locale: string;
  /** null = the whole deployment (admins). */
  scope: string[] | null;
  /** Organizations curated through an organization role, and networks curated through a network role (for who is named). */
  direct: string[];
  networks: string[];
  zone: string;
  admin: boolean;
}

export const DEFAULT_ZONE = "Europe/Moscow";

/**
 * Whether a recipient's scope covers an organization now (a drill-down button names one; the
 * button is never the authority): a curator's scope as just re-read, or any existing organization
 * for an admin.
 */
export async function recipientCovers(r: Pick<DigestRecipient, "scope">, organizationId: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(organizationId)) return false;
  return r.scope ? r.scope.includes(organizationId) : Boolean(await organizationById(organizationId));
}

/** What a recipient's scope and zone are worked out from. */
type RecipientUser = UserRecord & { _id: Types.ObjectId };
type ZoneOrg = Pick<OrganizationDoc, "_id" | "timezone" | "networkIds">;
const RECIPIENT_PROJECTION = { telegramId: 1, locale: 1, roles: 1, organizationId: 1, registeredAt: 1, erasedAt: 1 };

/**
 * Everyone who gets a digest (or only `userId`): curators and admins (by role or `ADMIN_IDS`),
 * registered and not erased, each with their scope and zone. Scopes follow the rule of
 * `curatorOrganizationIds` in roles.ts (organization roles plus every member of the curator's
 * networks), resolved in memory from the organizations (their copy on FerretDB) instead of a query per curator.
 *
 * Everyone (the hourly planner): people are read on the heavy reads' connection, a slice at a
 * time. Their filter names a path into an array (`"roles.role"`), which FerretDB
 * answers by decoding every user: 0.5 s at 20,000 users, which the updates of everyone else
 * waited for once an hour on the bot's own connection. One person (a `/digest`, a digest's job):
 * that person by `_id`, and only the organizations their zone and scope name, not all of a
 * region's.
 */
export async function digestRecipients(adminIds: readonly number[], userId?: string): Promise<DigestRecipient[]> {
  if (userId !== undefined && !Types.ObjectId.isValid(userId)) return [];
  const filter: Record<string, unknown> = {
    ...(userId ? { _id: new Types.ObjectId(userId) } : {}),
    $or: [{ "roles.role": { $in: ["curator", "admin"] } }, { telegramId: { $in: [...adminIds] } }],
    erasedAt: { $exists: false },
    registeredAt: { $exists: true },
  };
  let users: RecipientUser[];
  let orgs: ZoneOrg[];
  if (userId) {
    users = await User.find(filter, RECIPIENT_PROJECTION).lean<RecipientUser[]>();
    orgs = users.length ? await organizationsNamedBy(users[0] as RecipientUser) : [];
  } else {
    const m = readModels();
    users = await leanRows<RecipientUser>(m.User.find(filter, RECIPIENT_PROJECTION));
    orgs = await allOrganizations();
  }
  const zoneById = new Map(orgs.map((o) => [o._id.toString(), o.timezone]));
  const out: DigestRecipient[] = [];
  for (const u of users) {
    if (u.telegramId == null) continue;
    const admin = isAdmin(u, adminIds);
    let scope: string[] | null = null;
    const direct = u.roles.filter((r) => r.role === "curator" && r.organizationId).map((r) => r.organizationId!.toString());
    const nets = new Set(u.roles.filter((r) => r.role === "curator" && r.networkId).map((r) => r.networkId!.toString()));
    if (!admin) {
      const members = orgs.filter((o) => (o.networkIds ?? []).some((n) => nets.has(n.toString()))).map((o) => o._id.toString());
      scope = [...new Set([...direct, ...members])];
      if (scope.length === 0) continue;
    }
    const zoneOrg = [u.organizationId?.toString(), ...(scope ?? [])].find((id) => id && zoneById.has(id));
    out.push({
      userId: u._id.toString(),
      telegramId: u.telegramId,
      locale: u.locale ?? "ru",
      scope,
      direct,
      networks: [...nets],
      zone: (zoneOrg && zoneById.get(zoneOrg)) || DEFAULT_ZONE,
      admin,
    });
  }
  return out;
}

/** The organizations one person's scope and zone can name: their own, those they curate, and the members of the networks they curate. */
async function organizationsNamedBy(u: RecipientUser): Promise<ZoneOrg[]> {
  const curated = u.roles.filter((r) => r.role === "curator");
  const ids = [u.organizationId, ...curated.map((r) => r.organizationId)].flatMap((id) => (id ? [id] : []));
  const networks = curated.flatMap((r) => (r.networkId ? [r.networkId] : []));
  const named = [...(await organizationsByIds(ids)).values(), ...(await networkMembers(networks))];
  return [...new Map(named.map((o) => [o._id.toString(), o])).values()];
}

/** Erasure: the person's digest settings go (they hold nothing else). */
registerErasureStep("digest", async (userId) => {
  const res = await DigestPreference.deleteMany({ userId });
  return { counts: { digestPreferences: res.deletedCount }, notify: [] };
});
