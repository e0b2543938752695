import type { Types } from "mongoose";
import { Job, keyPrefixes, Meeting, MentorshipRequest, Migration, Offer, Organization, Pair, Program, RiskFlag, SurveyAnswer } from "../../models/index.ts";
import { orgUniqueKey } from "../core/org-keys.ts";
import { bulkWriteInChunks } from "./bulk.ts";

/**
 * Runs `migrate` unless this database records it done under `name`, then records it (with what
 * it returned). For backfills that read a whole collection to find what they fill: at a region's
 * size (30,000 survey answers, 10,000 offers) the offers' and answers' one added 1.5 s to every
 * start on FerretDB, which pushes no `$exists` down. The code writes the field on every new
 * document, so once done there is nothing left to fill. A crash before the record only means it
 * runs again (each is idempotent). Returns what `migrate` returned, 0 when skipped.
 */
export async function once(name: string, migrate: () => Promise<number>): Promise<number> {
  if ((await Migration.findById(name, { _id: 1 }).lean()) !== null) return 0;
  const changed = await migrate();
  await Migration.updateOne({ _id: name }, { $set: { doneAt: new Date(), changed } }, { upsert: true });
  return changed;
}

/**
 * Gives offers and survey answers stored before they carried `organizationId` the organization of
 * their request or meeting, so digests can read them by organization. Idempotent: only documents
 * without the field are read, and each parent is read once. Returns how many were filled.
 */
export async function backfillOrganizationIds(): Promise<number> {
  let filled = 0;
  const fill = async (
    rows: Array<{ _id: Types.ObjectId; parent: Types.ObjectId }>,
    orgOf: (id: Types.ObjectId) => Promise<Types.ObjectId | undefined | null>,
    write: (ids: Types.ObjectId[], organizationId: Types.ObjectId) => Promise<unknown>,
  ) => {
    const byParent = new Map<string, { parent: Types.ObjectId; ids: Types.ObjectId[] }>();
    for (const r of rows) {
      const entry = byParent.get(r.parent.toString()) ?? { parent: r.parent, ids: [] };
      entry.ids.push(r._id);
      byParent.set(r.parent.toString(), entry);
    }
    for (const { parent, ids } of byParent.values()) {
      const organizationId = await orgOf(parent);
      if (!organizationId) continue;
      await write(ids, organizationId);
      filled += ids.length;
    }
  };
  const offers = await Offer.find({ organizationId: { $exists: false } }, { requestId: 1 }).lean();
  await fill(
    offers.map((o) => ({ _id: o._id, parent: o.requestId })),
    async (id) => (await MentorshipRequest.findById(id, { organizationId: 1 }).lean())?.organizationId,
    (ids, organizationId) => Offer.updateMany({ _id: { $in: ids } }, { $set: { organizationId } }),
  );
  const answers = await SurveyAnswer.find({ organizationId: { $exists: false } }, { meetingId: 1 }).lean();
  await fill(
    answers.map((a) => ({ _id: a._id, parent: a.meetingId })),
    async (id) => (await Meeting.findById(id, { organizationId: 1 }).lean())?.organizationId,
    (ids, organizationId) => SurveyAnswer.updateMany({ _id: { $in: ids } }, { $set: { organizationId } }),
  );
  return filled;
}

/**
 * Marks the unresolved risk flags stored before flags carried `open` (see the model) as open, so
 * the curators' lists and the digests, which read open flags by it, find them. Idempotent.
 * Returns how many were marked.
 */
export async function backfillOpenRiskFlags(): Promise<number> {
  const res = await RiskFlag.updateMany({ resolvedAt: { $exists: false }, open: { $exists: false } }, { $set: { open: true } });
  return res.modifiedCount;
}

/**
 * Gives the jobs stored before jobs carried `prefixes` (see keyPrefixes) theirs, so that
 * `cancelByPrefix`, which reads by them, finds them. Only live jobs are in `jobs`: a region's
 * pending reminders, read once. Idempotent. Returns how many were filled.
 */
export async function backfillJobKeyPrefixes(): Promise<number> {
  const docs = await Job.find({ prefixes: { $exists: false } }, { key: 1 }).lean();
  if (docs.length === 0) return 0;
  await bulkWriteInChunks(
    Job,
    docs.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: { prefixes: keyPrefixes(d.key) } } } })),
    { ordered: false },
  );
  return docs.length;
}

/**
 * Gives organizations stored before they carried `uniqueKey` (short name plus municipality or
 * region) that key. Idempotent: only documents without it are read; bulk writes of a few at a time. Returns how
 * many were filled.
 */
export async function backfillOrganizationUniqueKeys(): Promise<number> {
  const docs = await Organization.find({ uniqueKey: { $exists: false } }, { searchKey: 1, municipality: 1, region: 1 }).lean();
  if (docs.length === 0) return 0;
  await bulkWriteInChunks(
    Organization,
    docs.map((d) => ({
      updateOne: { filter: { _id: d._id }, update: { $set: { uniqueKey: orgUniqueKey(d.searchKey, d.municipality, d.region) } } },
    })),
    { ordered: false },
  );
  return docs.length;
}

/** The start of each pair's latest held meeting, by pair id: what its `lastHeldAt` says. */
export async function latestHeldMeetings(): Promise<Map<string, { pairId: Types.ObjectId; at: Date }>> {
  const held = await Meeting.find({ kind: "pair", status: "held" }, { pairId: 1, startAt: 1 }).lean();
  const last = new Map<string, { pairId: Types.ObjectId; at: Date }>();
  for (const m of held) {
    if (!m.pairId || !m.startAt) continue;
    const k = m.pairId.toString();
    const seen = last.get(k);
    if (!seen || seen.at < m.startAt) last.set(k, { pairId: m.pairId, at: m.startAt });
  }
  return last;
}

/**
 * Gives the pairs stored before they carried `lastHeldAt` (issue 12) the start of their latest
 * held meeting, as logHeld keeps it since: one read of the held pair meetings (by two equalities
 * every FerretDB pushes down), then `$max` per pair, so a meeting logged meanwhile is never undone.
 * Idempotent. Returns how many pairs were given it.
 */
export async function backfillPairLastHeld(): Promise<number> {
  const last = await latestHeldMeetings();
  if (last.size === 0) return 0;
  await bulkWriteInChunks(
    Pair,
    [...last.values()].map(({ pairId, at }) => ({ updateOne: { filter: { _id: pairId }, update: { $max: { lastHeldAt: at } } } })),
    { ordered: false },
  );
  return last.size;
}

/**
 * Drops the one-program-per-pair index of before group programs (`pairId_1`, unique but not
 * sparse: it would let only one program without a pair exist). The sparse replacement is built by
 * the usual index creation that follows. Idempotent; returns whether an index was dropped.
 */
export async function dropOldProgramPairIndex(): Promise<boolean> {
  const indexes = await Program.collection.indexes().catch(() => [] as Array<{ name?: string }>);
  if (!indexes.some((i) => i.name === "pairId_1")) return false;
  await Program.collection.dropIndex("pairId_1");
  return true;
}
