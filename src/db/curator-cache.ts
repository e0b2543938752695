import type { mongo } from "mongoose";
import { User, userChanges, type UserChange, type UserRecord } from "../../models/index.ts";
import { ChangeFedCopy } from "./change-fed-copy.ts";
import { findByKeys, leanRows, readModels } from "./read-connection.ts";
import { UserMarks } from "./user-marks.ts";

export type CuratorLean = UserRecord & { _id: mongo.ObjectId };

/** Whether a stored user is a curator now: a curator role of an organization or network, not erased. */
export function isCurator(u: Pick<UserRecord, "roles" | "erasedAt">): boolean {
  return !u.erasedAt && (u.roles ?? []).some((r) => r.role === "curator");
}

/**
 * An in-process copy of the curators (people with a curator role, not erased) for `curatorsOf`, on
 * FerretDB only: there `"roles.role"`, a path into an array, is read by decoding every user (0.75–1
 * s at 20,000 users on PostgreSQL, on the connection every update waits for), and a curator is told
 * of every escalation, risk, join request, application and failed delivery. Loaded once on the
 * heavy reads' connection, then kept fresh by the user model's change notifications (see
 * ChangeFedCopy): a write naming its users re-reads them by `_id` (or Telegram id) before the next
 * use, which keeps, adds or drops each by what is stored now; a write of unknown scope reloads
 * everything. Roles are written by `_id` (`grantRole`, erasure), so a new curator is always named.
 */
export class CuratorCache extends ChangeFedCopy<CuratorLean> {
  private readonly marks = new UserMarks();

  constructor() {
    super();
    userChanges.on("change", (change: UserChange) => {
      if (this.loaded && !this.marks.add(change)) this.reloadRequested = true;
    });
  }

  protected async loadAll(): Promise<Map<string, CuratorLean>> {
    const docs = await leanRows<CuratorLean>(readModels().User.find({ "roles.role": "curator" }));
    return new Map(docs.filter(isCurator).map((d) => [d._id.toString(), d]));
  }

  protected hasMarks(): boolean {
    return this.marks.any;
  }

  protected clearMarks(): void {
    this.marks.clear();
  }

  protected async rereadMarked(): Promise<void> {
    const { ids, telegramIds } = this.marks.take();
    const read = (f: Record<string, unknown>) => User.find(f).lean() as unknown as Promise<CuratorLean[]>;
    const found = [...(await findByKeys("_id", ids, read)), ...(await findByKeys("telegramId", telegramIds, read))];
    // Named but no longer stored: dropped.
    for (const id of ids) this.docs.delete(id);
    const gone = new Set(telegramIds);
    for (const [id, d] of this.docs) if (typeof d.telegramId === "number" && gone.has(d.telegramId)) this.docs.delete(id);
    for (const d of found) {
      if (isCurator(d)) this.docs.set(d._id.toString(), d);
      else this.docs.delete(d._id.toString());
    }
  }
}

/** The process's copy of the curators; `connectDatabase` enables it on FerretDB. */
export const curatorCache = new CuratorCache();
