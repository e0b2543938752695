import type { Types } from "mongoose";
import { Organization, organizationChanges, type OrganizationRecord } from "../../models/index.ts";
import { ChangeFedCopy } from "./change-fed-copy.ts";
import { leanRows, readModels } from "./read-connection.ts";

export type OrganizationDoc = OrganizationRecord & { _id: Types.ObjectId };

/**
 * An in-process copy of the organizations on FerretDB, where each read is a command on the one
 * connection every update waits for (about 1 ms at rest, and a queue behind it under load): a
 * person registering read the kindergarten three times, and every menu reads it. A region holds
 * about a thousand organizations, written seldom (added, joined to a network, a setting changed,
 * an import); any write through the model reloads the copy whole before its next use, on the heavy
 * reads' connection. Enabled by `connectDatabase` on FerretDB only; elsewhere a read by `_id`.
 */
export class OrganizationCache extends ChangeFedCopy<OrganizationDoc> {
  constructor() {
    super();
    organizationChanges.on("change", () => {
      if (this.loaded) this.reloadRequested = true;
    });
  }

  protected async loadAll(): Promise<Map<string, OrganizationDoc>> {
    const docs = await leanRows<OrganizationDoc>(readModels().Organization.find({}));
    return new Map(docs.map((d) => [d._id.toString(), d]));
  }

  protected hasMarks(): boolean {
    return false;
  }

  protected clearMarks(): void {}

  protected async rereadMarked(): Promise<void> {}
}

/** The process's copy of the organizations; `connectDatabase` enables it on FerretDB. */
export const organizationCache = new OrganizationCache();

/** An organization by its id, as stored (a shared object: do not change it); null when there is none. */
export async function organizationById(id: Types.ObjectId | string | null | undefined): Promise<OrganizationDoc | null> {
  if (id == null) return null;
  if (organizationCache.enabled) return (await organizationCache.get(String(id))) ?? null;
  return Organization.findById(id).lean<OrganizationDoc>();
}

/**
 * Organizations by their ids (ObjectIds or strings), keyed by id in the order given (absent ids are
 * left out): from the copy on FerretDB, one `$in` read elsewhere. Shared objects: do not change them.
 */
export async function organizationsByIds(ids: Iterable<unknown>): Promise<Map<string, OrganizationDoc>> {
  const keys = [...new Set(Array.from(ids, String))];
  const found = new Map<string, OrganizationDoc>();
  if (keys.length === 0) return found;
  if (organizationCache.enabled) {
    for (const key of keys) {
      const doc = await organizationCache.get(key);
      if (doc) found.set(key, doc);
    }
    return found;
  }
  const docs = new Map((await Organization.find({ _id: { $in: keys } }).lean<OrganizationDoc[]>()).map((d) => [d._id.toString(), d]));
  for (const key of keys) {
    const doc = docs.get(key);
    if (doc) found.set(key, doc);
  }
  return found;
}

/** Every organization (shared objects: do not change them): the copy on FerretDB, one read elsewhere. */
export async function allOrganizations(): Promise<OrganizationDoc[]> {
  if (organizationCache.enabled) return organizationCache.all();
  return Organization.find({}).lean<OrganizationDoc[]>();
}

/** The organizations that belong to any of these networks (shared objects: do not change them). */
export async function networkMembers(networkIds: Iterable<unknown>): Promise<OrganizationDoc[]> {
  const networks = new Set(Array.from(networkIds, String));
  if (networks.size === 0) return [];
  if (organizationCache.enabled) return (await organizationCache.all()).filter((o) => (o.networkIds ?? []).some((n) => networks.has(String(n))));
  return Organization.find({ networkIds: { $in: [...networks] } }).lean<OrganizationDoc[]>();
}

/** The ids of the organizations that belong to any of these networks. */
export async function networkMemberIds(networkIds: Iterable<unknown>): Promise<string[]> {
  return (await networkMembers(networkIds)).map((o) => o._id.toString());
}

/** Organizations in the order MongoDB sorts `{ shortName: 1 }` (by code point), for lists. */
export function byShortName<T extends { shortName: string }>(orgs: T[]): T[] {
  return [...orgs].sort((a, b) => (a.shortName < b.shortName ? -1 : a.shortName > b.shortName ? 1 : 0));
}
