/**
 * Network curators (issue 15): figures a network's views show per kindergarten. Transport-free.
 */

/** A mentor profile as far as the registry breakdown needs it. */
export interface RegistryProfileRow {
  organizationId: { toString(): string };
  approved?: boolean | null;
  activeMentees: number;
  capacity: number;
  freeSlots: number;
  pausedUntil?: Date | null;
}

export interface KindergartenRegistryLine {
  organizationId: string;
  name: string;
  /** Approved mentors. */
  approved: number;
  /** Profiles waiting for a curator's approval. */
  pending: number;
  /** Mentees held by approved mentors, and their total capacity. */
  active: number;
  capacity: number;
  /** Free places of approved mentors who are not paused. */
  free: number;
}

/** The mentor registry of each kindergarten of a scope, by name (kindergartens without mentors included). */
export function registryByKindergarten(
  orgIds: readonly string[],
  names: ReadonlyMap<string, string>,
  profiles: readonly RegistryProfileRow[],
  now: Date,
): KindergartenRegistryLine[] {
  const lines = new Map<string, KindergartenRegistryLine>();
  for (const id of orgIds) lines.set(id, { organizationId: id, name: names.get(id) ?? "—", approved: 0, pending: 0, active: 0, capacity: 0, free: 0 });
  for (const p of profiles) {
    const l = lines.get(p.organizationId.toString());
    if (!l) continue;
    if (!p.approved) {
      l.pending++;
      continue;
    }
    l.approved++;
    l.active += p.activeMentees;
    l.capacity += p.capacity;
    if (!(p.pausedUntil && p.pausedUntil > now)) l.free += Math.max(0, p.freeSlots);
  }
  return [...lines.values()].sort((a, b) => a.name.localeCompare(b.name, "ru"));
}
