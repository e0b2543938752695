import { MentorProfile, mentorProfileChanges } from "../../models/index.ts";
import { ChangeFedCopy } from "./change-fed-copy.ts";
import { leanRows, readModels } from "./read-connection.ts";

/**
 * An in-process copy of the mentor registry for matching on FerretDB, whose SQLite backend scans
 * the whole collection for every filtered query (≈ 3 s at 10,000 mentors). Loaded once, then kept
 * fresh by the model's change notifications (see ChangeFedCopy): a write to one profile re-reads
 * that profile by `_id` (the one lookup FerretDB indexes) before the next match; a write of
 * unknown scope reloads everything.
 */
export interface CachedMentorDoc {
  _id: { toString(): string };
  userId: { toString(): string };
  organizationId: { toString(): string };
  [key: string]: unknown;
}

export class MentorRegistryCache extends ChangeFedCopy<CachedMentorDoc> {
  private dirty = new Set<string>();

  constructor() {
    super();
    mentorProfileChanges.on("change", (ids: string[] | "all") => {
      if (ids === "all") this.reloadRequested = true;
      else for (const id of ids) this.dirty.add(id);
    });
  }

  protected async loadAll(): Promise<Map<string, CachedMentorDoc>> {
    // On the heavy reads' connection, decoded a slice at a time: a region's registry (tens of
    // thousands of profiles) must not hold up the updates of everyone else.
    const docs = await leanRows<CachedMentorDoc>(readModels().MentorProfile.find({}));
    return new Map(docs.map((d) => [d._id.toString(), d]));
  }

  protected hasMarks(): boolean {
    return this.dirty.size > 0;
  }

  protected clearMarks(): void {
    this.dirty.clear();
  }

  protected async rereadMarked(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const doc = (await MentorProfile.findById(id).lean()) as unknown as CachedMentorDoc | null;
      if (doc) this.docs.set(id, doc);
      else this.docs.delete(id);
    }
  }
}

/** The process's registry cache; `connectDatabase` enables it on FerretDB. */
export const mentorRegistryCache = new MentorRegistryCache();
