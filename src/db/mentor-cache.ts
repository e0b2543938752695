import { MentorProfile, mentorProfileChanges } from "../../models/index.ts";

/**
 * An in-process copy of the mentor registry for matching on FerretDB, whose SQLite backend scans
 * the whole collection for every filtered query (≈ 3 s at 10,000 mentors). Loaded once, then kept
 * fresh by the model's change notifications: a write to one profile re-reads that profile by
 * `_id` (the one lookup FerretDB indexes) before the next match; a write of unknown scope reloads
 * everything. Enabled only on FerretDB, where one process owns the database (embedded mode); on
 * MongoDB the indexed query is used and several instances need no shared cache.
 */
export interface CachedMentorDoc {
  _id: { toString(): string };
  userId: { toString(): string };
  organizationId: { toString(): string };
  [key: string]: unknown;
}

export class MentorRegistryCache {
  enabled = false;
  private docs = new Map<string, CachedMentorDoc>();
  private loaded = false;
  private reloadRequested = false;
  private dirty = new Set<string>();
  private pending: Promise<void> | undefined;

  constructor() {
    mentorProfileChanges.on("change", (ids: string[] | "all") => {
      if (ids === "all") this.reloadRequested = true;
      else for (const id of ids) this.dirty.add(id);
    });
  }

  /** Forget everything (tests switch databases; a new connection starts cold). */
  reset(): void {
    this.docs.clear();
    this.loaded = false;
    this.reloadRequested = false;
    this.dirty.clear();
  }

  /** All registry documents, fresh as of the last completed write. */
  async all(): Promise<CachedMentorDoc[]> {
    // One refresh at a time; callers arriving meanwhile wait for it and then refresh what is left.
    while (this.pending) await this.pending;
    if (!this.loaded || this.reloadRequested || this.dirty.size > 0) {
      this.pending = this.refresh().finally(() => (this.pending = undefined));
      await this.pending;
    }
    return [...this.docs.values()];
  }

  private async refresh(): Promise<void> {
    if (!this.loaded || this.reloadRequested) {
      this.reloadRequested = false;
      this.dirty.clear();
      const docs = (await MentorProfile.find({}).lean()) as unknown as CachedMentorDoc[];
      this.docs = new Map(docs.map((d) => [d._id.toString(), d]));
      this.loaded = true;
    }
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
