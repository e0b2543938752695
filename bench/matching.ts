import { Types } from "mongoose";
import { withBenchDatabase } from "./database.ts";
import { DEFICIT_CATALOGUE } from "../src/domain/deficits.ts";
import { mentorRegistryCache } from "../src/db/mentor-cache.ts";
import { findMatches, hardFilterFailures, rankMentors, toMentorCandidate, type DayPart, type MatchMode, type MatchRequest, type RankedMentor } from "../src/domain/matching.ts";
import { MentorProfile, Organization } from "../models/index.ts";

/**
 * `node bench/matching.ts`: latency of matching with 1,000 / 10,000 / 100,000 fictitious mentors in
 * 50 organizations (five networks of six, twenty on their own), against the embedded database (or
 * MONGODB_URI when set, in a throwaway database).
 *
 * Three figures per size:
 * - `engine`: rankMentors over every mentor held in memory (hard filters + score + sort), ≥ 100
 *   random requests — the cost of the engine itself;
 * - `db` / `db+prefilter`: findMatches end to end (MentorProfile query with the hard filters,
 *   without (the default) or with the topic prefilter, one Organization query, ranking), the same random
 *   requests for both, interleaved, within a time budget per size (FerretDB 1.24's SQLite backend pushes no
 *   filter but `_id` equality down, so every query scans the whole collection: at 100,000 mentors
 *   one call takes tens of seconds and only a few calls fit in the run).
 * Numbers only; the run fails if the two strategies or the in-memory engine disagree on any
 * request, or a call returns more than the limit or an excluded mentor — figures of a wrong
 * engine mean nothing.
 */

export interface MatchingBenchRow {
  mentors: number;
  strategy: "engine" | "db" | "db+prefilter";
  calls: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  meanResults: number;
}

export interface MatchingBenchOptions {
  sizes?: number[];
  /** Calls per size for each strategy (the database strategies stop earlier when their budget is spent). */
  calls?: number;
  /** Time budget of the database strategies at one size, ms; at least `minDbCalls` requests run anyway. */
  dbBudgetMs?: number;
  minDbCalls?: number;
  /** Largest size at which the prefilter strategy runs too (one call takes half a minute at 100,000 on FerretDB). */
  prefilterMaxMentors?: number;
  seed?: number;
  log?: (line: string) => void;
}

const ORGS = 50;
const NETWORKS = 5;
const NETWORK_SIZE = 6;
const ZONES = ["Europe/Moscow", "Europe/Moscow", "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Yekaterinburg", "Asia/Vladivostok", "Europe/Samara", "Asia/Novosibirsk"];
const CODES = DEFICIT_CATALOGUE.map((d) => d.code);
const MODES: MatchMode[] = ["in_person", "online", "any"];
const PARTS: DayPart[] = ["morning", "day", "evening"];
const CHUNK = 2_000;
const WARMUP = 5;
const LIMIT = 3;

/** A small deterministic PRNG (mulberry32), so every run builds the same data and requests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

export async function benchMatching(options: MatchingBenchOptions = {}): Promise<MatchingBenchRow[]> {
  const sizes = [...(options.sizes ?? [1_000, 10_000, 100_000])].sort((a, b) => a - b);
  const calls = options.calls ?? 100;
  const dbBudgetMs = options.dbBudgetMs ?? 30_000;
  const minDbCalls = options.minDbCalls ?? 1;
  const prefilterMaxMentors = options.prefilterMaxMentors ?? 10_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const random = rng(options.seed ?? 20_261_101);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const sample = <T>(list: readonly T[], n: number): T[] => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, n);
  };

  const rows: MatchingBenchRow[] = [];
  const started = performance.now();
  return withBenchDatabase("matching", async (dbLabel) => {
    log(`Matching bench — Node ${process.version}, database: ${dbLabel}, limit ${LIMIT}`);

    // Organizations: networks 0..4 hold orgs 0..29 (six each), orgs 30..49 stand alone.
    const networkIds = Array.from({ length: NETWORKS }, () => new Types.ObjectId());
    const orgs = Array.from({ length: ORGS }, (_, i) => ({
      _id: new Types.ObjectId(),
      shortName: `Детский сад № ${i + 1}`,
      searchKey: `детский сад ${i + 1}`,
      timezone: pick(ZONES),
      networkIds: i < NETWORKS * NETWORK_SIZE ? [networkIds[Math.floor(i / NETWORK_SIZE)] as Types.ObjectId] : [],
    }));
    await Organization.collection.insertMany(orgs);
    const zoneOf = new Map(orgs.map((o) => [o._id.toString(), o.timezone]));
    const partnersOf = (index: number): string[] => {
      if (index >= NETWORKS * NETWORK_SIZE) return [];
      const n = Math.floor(index / NETWORK_SIZE);
      return orgs.slice(n * NETWORK_SIZE, (n + 1) * NETWORK_SIZE).map((o) => o._id.toString()).filter((_, i) => n * NETWORK_SIZE + i !== index);
    };

    const now = new Date("2026-11-02T09:00:00Z");
    const docs: Array<Record<string, unknown> & { _id: Types.ObjectId; userId: Types.ObjectId; organizationId: Types.ObjectId }> = [];
    const makeMentor = () => {
      const capacity = 1 + Math.floor(random() * 5);
      const active = Math.floor(random() * (capacity + 1));
      const windows = Array.from({ length: Math.floor(random() * 5) }, () => {
        const startMin = 7 * 60 + Math.floor(random() * 24) * 30;
        return { weekday: 1 + Math.floor(random() * 7), startMin, endMin: Math.min(1440, startMin + 60 + Math.floor(random() * 4) * 30) };
      });
      const received = Math.floor(random() * 10);
      const answered = Math.floor(random() * (received + 1));
      const ratingCount = Math.floor(random() * 8);
      const doc = {
        _id: new Types.ObjectId(),
        userId: new Types.ObjectId(),
        organizationId: pick(orgs)._id,
        competences: sample(CODES, 1 + Math.floor(random() * 5)),
        capacity,
        activeMentees: active,
        freeSlots: capacity - active,
        forms: ["individual"],
        mode: pick(MODES),
        availability: windows,
        networkServing: random() < 0.5,
        ...(random() < 0.1 ? { pausedUntil: new Date(now.getTime() + (random() < 0.5 ? 1 : -1) * 86_400_000 * 7) } : {}),
        approved: random() < 0.85,
        offersReceived: received,
        offersAnswered: answered,
        offersTimedOut: received - answered,
        answerMsTotal: 0,
        ratingSum: ratingCount * (3 + random() * 2),
        ratingCount,
        createdAt: now,
        updatedAt: now,
      };
      docs.push(doc);
      return doc;
    };
    const makeRequest = (i: number): MatchRequest => {
      const index = Math.floor(random() * orgs.length);
      const org = orgs[index] as (typeof orgs)[number];
      return {
        id: new Types.ObjectId().toString(),
        menteeUserId: new Types.ObjectId().toString(),
        organizationId: org._id.toString(),
        networkOrgIds: partnersOf(index),
        topics: i % 10 === 9 ? [] : sample(CODES, 1 + Math.floor(random() * 3)),
        mode: pick(MODES),
        preferredTimes: Array.from({ length: Math.floor(random() * 5) }, () => ({ weekday: 1 + Math.floor(random() * 7), part: pick(PARTS) })),
        menteeTimezone: org.timezone,
        excludedMentorIds: i % 4 === 0 ? sample(docs, 3).map((d) => d._id.toString()) : [],
      };
    };
    const summarize = (mentors: number, strategy: MatchingBenchRow["strategy"], latencies: number[], results: number): MatchingBenchRow => {
      const sorted = [...latencies].sort((a, b) => a - b);
      const row: MatchingBenchRow = {
        mentors,
        strategy,
        calls: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1] ?? 0,
        meanResults: sorted.length ? results / sorted.length : 0,
      };
      log(
        `  ${strategy.padEnd(12)} ${String(row.calls).padStart(4)} calls  p50 ${row.p50.toFixed(1).padStart(8)} ms  p95 ${row.p95.toFixed(1).padStart(8)} ms  p99 ${row.p99.toFixed(1).padStart(8)} ms  max ${row.max.toFixed(1).padStart(8)} ms`,
      );
      return row;
    };
    const same = (a: RankedMentor[], b: RankedMentor[]) => JSON.stringify(a.map((r) => [r.mentorId, r.score])) === JSON.stringify(b.map((r) => [r.mentorId, r.score]));

    let inserted = 0;
    for (const [sizeIndex, size] of sizes.entries()) {
      const t0 = performance.now();
      while (inserted < size) {
        const n = Math.min(CHUNK, size - inserted);
        await MentorProfile.collection.insertMany(Array.from({ length: n }, makeMentor), { ordered: false });
        inserted += n;
      }
      log(`${size} mentors (inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      if (mentorRegistryCache.enabled) {
        // Raw inserts bypass the model's change notifications: start the registry copy cold and
        // time its one full load (what the first match after a restart pays).
        mentorRegistryCache.reset();
        const l0 = performance.now();
        await mentorRegistryCache.all();
        log(`  registry copy loaded in ${(performance.now() - l0).toFixed(0)} ms (FerretDB: findMatches then reads it in memory)`);
      }
      const candidates = docs.map((d) => toMentorCandidate(d, zoneOf.get(d.organizationId.toString()) ?? "Europe/Moscow"));
      const requests = Array.from({ length: calls }, (_, i) => makeRequest(i));
      const expected: RankedMentor[][] = [];

      // The engine alone, every mentor in memory.
      {
        if (sizeIndex === 0) for (const req of requests.slice(0, WARMUP)) rankMentors(req, candidates, now, LIMIT);
        const latencies: number[] = [];
        let results = 0;
        for (const req of requests) {
          const c0 = performance.now();
          const ranked = rankMentors(req, candidates, now, LIMIT);
          latencies.push(performance.now() - c0);
          expected.push(ranked);
          results += ranked.length;
        }
        rows.push(summarize(size, "engine", latencies, results));
      }

      // findMatches end to end: both strategies on the same requests, interleaved (the order
      // alternating) so that a change of load on the machine hits both alike; within the budget.
      if (sizeIndex === 0) for (const req of requests.slice(0, WARMUP)) await findMatches(req, { now, limit: LIMIT });
      const strategies = size > prefilterMaxMentors ? (["db"] as const) : (["db", "db+prefilter"] as const);
      const latencies = new Map<string, number[]>(strategies.map((st) => [st, []]));
      const results = new Map<string, number>(strategies.map((st) => [st, 0]));
      const b0 = performance.now();
      for (const [i, req] of requests.entries()) {
        if (i >= minDbCalls && performance.now() - b0 > dbBudgetMs) break;
        const order = i % 2 === 0 ? [...strategies] : [...strategies].reverse();
        for (const strategy of order) {
          const c0 = performance.now();
          const ranked = await findMatches(req, { now, limit: LIMIT, topicPrefilter: strategy === "db+prefilter" });
          latencies.get(strategy)?.push(performance.now() - c0);
          results.set(strategy, (results.get(strategy) ?? 0) + ranked.length);
          if (ranked.length > LIMIT) throw new Error(`more than the limit: ${ranked.length}`);
          if (ranked.some((r) => req.excludedMentorIds.includes(r.mentorId))) throw new Error("an excluded mentor was returned");
          if (!same(ranked, expected[i] as RankedMentor[])) {
            throw new Error(`${strategy} disagrees with the in-memory engine on request ${i}: ${JSON.stringify(ranked)} vs ${JSON.stringify(expected[i])}`);
          }
        }
      }
      for (const strategy of strategies) rows.push(summarize(size, strategy, latencies.get(strategy) ?? [], results.get(strategy) ?? 0));
      const ran = requests.slice(0, latencies.get("db")?.length ?? 0);
      const fallbacks = ran.filter((req) => {
        if (req.topics.length === 0) return false;
        const covering = candidates.filter((c) => c.competences.some((t) => req.topics.includes(t)) && hardFilterFailures(req, c, now).length === 0);
        return covering.length < LIMIT;
      }).length;
      if (strategies.length > 1) log(`  (prefilter: ${ran.filter((r) => r.topics.length === 0).length} of ${ran.length} requests without topics, ${fallbacks} needed the second, unfiltered query)`);
      if (strategies.length === 1) log(`  db+prefilter skipped above ${prefilterMaxMentors} mentors (time budget)`);
    }
    printTable(rows, log);
    log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return rows;
  });
}

function printTable(rows: MatchingBenchRow[], log: (line: string) => void): void {
  const header = ["mentors", "strategy", "calls", "p50 ms", "p95 ms", "p99 ms", "max ms", "p50 vs smallest"];
  const base = new Map<string, number>();
  const cells = rows.map((r) => {
    if (!base.has(r.strategy)) base.set(r.strategy, r.p50);
    const growth = r.p50 / (base.get(r.strategy) as number);
    return [String(r.mentors), r.strategy, String(r.calls), r.p50.toFixed(1), r.p95.toFixed(1), r.p99.toFixed(1), r.max.toFixed(1), `×${growth.toFixed(1)}`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (c: string[]) => c.map((x, i) => (i <= 1 ? x.padEnd(widths[i] as number) : x.padStart(widths[i] as number))).join("  ");
  log("");
  log(line(header));
  log(line(header.map((_, i) => "-".repeat(widths[i] as number))));
  for (const row of cells) log(line(row));
}

if (import.meta.main) {
  benchMatching().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error("bench failed:", err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
