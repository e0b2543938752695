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
