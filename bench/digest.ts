import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Types } from "mongoose";
import { withBenchDatabase } from "./database.ts";
import { useReadConnection } from "../src/db/read-connection.ts";
import { DEFICIT_CATALOGUE } from "../src/domain/deficits.ts";
import { digestWindow, loadDigestData } from "../src/domain/digest.ts";
import { computeDigest } from "../src/domain/digest-figures.ts";
import { periodOf, rollingWeek } from "../src/domain/digest-periods.ts";
import { DigestSnapshot } from "../src/domain/digest-snapshot.ts";
import { digestThread, exportThread, figuresHere, scopeExport, scopeFigures } from "../src/domain/digest-thread.ts";
import { exportHere } from "../src/domain/export-files.ts";
import { createTranslator } from "../src/core/locales.ts";
import { keepCompiledCode } from "../src/core/compile-cache.ts";
import { renderDigest, digestChart, scopeLabel } from "../src/messaging/digest-view.ts";
import { percentile, rng } from "./matching.ts";
import { Meeting, MentorProfile, MentorshipRequest, Offer, Organization, Pair, RiskFlag, SurveyAnswer, User, usersChangedOutsideModel } from "../models/index.ts";

/**
 * `node bench/digest.ts`: digest computation for a generated deployment — by default 1,000
 * organizations, 20,000 users and 200,000 meetings (sizes from DIGEST_BENCH_ORGS,
 * DIGEST_BENCH_USERS, DIGEST_BENCH_MEETINGS) over 90 days of history (DIGEST_BENCH_DAYS; survey
 * answers over two thirds of it), and 20,000 pairs of two earlier years (DIGEST_BENCH_PAST_PAIRS)
 * with a resolved risk flag each — against the embedded database (or MONGODB_URI, in a throwaway
 * database). Rows are inserted with the raw driver in batches.
 *
 * Figures: the load of the whole deployment with every meeting and answer (what the export reads)
 * and the one a scheduled batch makes (the digest's window only); the computation of every
 * organization curator's digest (and of network curators' and the admin's whole region) from it;
 * the rendering of the text; the chart of a few; and the on-demand path (`/digest`: a scoped load
 * plus the computation) for a few curators. The run fails if the per-organization figures do not
 * add up to the region's — a fast wrong digest means nothing.
 */

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};
const ORGS = env("DIGEST_BENCH_ORGS", 1000);
const USERS = env("DIGEST_BENCH_USERS", 20_000);
const MEETINGS = env("DIGEST_BENCH_MEETINGS", 200_000);
const DAYS = env("DIGEST_BENCH_DAYS", 90);
/** Pairs of earlier years, ended before the digest's window (a region's history of two years). */
const PAST_PAIRS = env("DIGEST_BENCH_PAST_PAIRS", 20_000);
const NETWORK_SIZE = 20;
const BATCH = 5000;
const ZONES = ["Europe/Moscow", "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Vladivostok", "Europe/Samara", "Asia/Novosibirsk"];
const CODES = DEFICIT_CATALOGUE.map((d) => d.code);
const NOW = new Date("2026-11-30T06:00:00Z");
const DAY = 86_400_000;

async function insertBatched(coll: { insertMany(docs: Record<string, unknown>[], opts: { ordered: boolean }): Promise<unknown> }, docs: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) await coll.insertMany(docs.slice(i, i + BATCH), { ordered: false });
}

const pct = (xs: number[], p: number) => percentile([...xs].sort((a, b) => a - b), p);

/**
 * Inserts the generated region (sizes from the DIGEST_BENCH_* variables) into the connected
 * database with the raw driver; returns the organizations and networks it made.
 */
export async function seedRegion(random: () => number, log: (line: string) => void): Promise<{ orgs: Array<{ _id: Types.ObjectId; timezone: string; networkIds: Types.ObjectId[] }>; networks: Types.ObjectId[]; userIds: Types.ObjectId[] }> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const t0 = performance.now();
  const networks = Array.from({ length: Math.ceil(ORGS / NETWORK_SIZE / 2) }, () => new Types.ObjectId());
  const orgs = Array.from({ length: ORGS }, (_, i) => ({
    _id: new Types.ObjectId(),
    shortName: `Детский сад № ${i + 1}`,
    searchKey: `детский сад ${i + 1}`,
    timezone: pick(ZONES),
    // Half of the organizations belong to networks of NETWORK_SIZE.
    networkIds: i < networks.length * NETWORK_SIZE ? [networks[Math.floor(i / NETWORK_SIZE)] as Types.ObjectId] : [],
  }));
  await insertBatched(Organization.collection, orgs);
  const perOrg = Math.max(3, Math.floor(USERS / ORGS));
  const users: Record<string, unknown>[] = [];
  const byOrg = orgs.map(() => ({ curator: undefined as unknown as Types.ObjectId, mentors: [] as Types.ObjectId[], mentees: [] as Types.ObjectId[] }));
  orgs.forEach((o, i) => {
    for (let k = 0; k < perOrg; k++) {
      const _id = new Types.ObjectId();
      const role = k === 0 ? "curator" : k <= Math.max(1, Math.floor(perOrg / 5)) ? "mentor" : "mentee";
      const slot = byOrg[i] as (typeof byOrg)[number];
      if (role === "curator") slot.curator = _id;
      else if (role === "mentor") slot.mentors.push(_id);
      else slot.mentees.push(_id);
      users.push({
        _id,
        telegramId: 1_000_000 + users.length,
        locale: "ru",
        organizationId: o._id,
        profile: { fullName: `Педагог ${i + 1}-${k}`, position: "educator", experienceYears: 2 },
        roles: [{ role, organizationId: o._id, grantedAt: NOW }],
        registeredAt: new Date(NOW.getTime() - 200 * DAY),
        unreachable: random() < 0.01,
      });
    }
  });
  await insertBatched(User.collection, users);
  usersChangedOutsideModel();
  const mentorProfiles = byOrg.flatMap((s, i) =>
    s.mentors.map((userId) => {
      const capacity = 1 + Math.floor(random() * 4);
      const active = Math.floor(random() * (capacity + 1));
      return { _id: new Types.ObjectId(), userId, organizationId: orgs[i]?._id, competences: [pick(CODES)], capacity, activeMentees: active, freeSlots: capacity - active, forms: ["individual"], mode: "any", approved: random() < 0.9 };
    }),
  );
  await insertBatched(MentorProfile.collection, mentorProfiles);
  const requests: Record<string, unknown>[] = [];
  const pairs: Record<string, unknown>[] = [];
  const pairsByOrg: Types.ObjectId[][] = orgs.map(() => []);
  byOrg.forEach((s, i) => {
    for (const mentee of s.mentees) {
      const _id = new Types.ObjectId();
      const created = new Date(NOW.getTime() - Math.floor(random() * 120 * DAY));
      const matched = random() < 0.7;
      const history = [{ status: "new", at: created }, ...(matched ? [{ status: "matched", at: new Date(created.getTime() + Math.floor(random() * 10 * DAY)) }] : random() < 0.2 ? [{ status: "escalated", at: new Date(created.getTime() + 2 * DAY) }] : [])];
      let pairId: Types.ObjectId | undefined;
      if (matched) {
        pairId = new Types.ObjectId();
        pairsByOrg[i]?.push(pairId);
        pairs.push({ _id: pairId, requestId: _id, mentorId: pick(s.mentors), menteeId: mentee, mentorProfileId: new Types.ObjectId(), organizationId: orgs[i]?._id, kind: "long_term", status: random() < 0.8 ? "active" : "completed", formedBy: "offer", createdAt: history[1]?.at });
      }
      requests.push({ _id, menteeId: mentee, organizationId: orgs[i]?._id, topics: [pick(CODES), pick(CODES)], description: "запрос", kind: "long_term", mode: "any", status: (history.at(-1) as { status: string }).status, history, createdAt: created, updatedAt: (history.at(-1) as { at: Date }).at, ...(pairId ? { pairId } : {}) });
    }
  });
  await insertBatched(MentorshipRequest.collection, requests);
  const statuses = ["held", "held", "held", "missed", "cancelled", "confirmed"];
  const menteeOf = new Map(pairs.map((p) => [String(p._id), p.menteeId as Types.ObjectId]));
  const TOPICS = ["Адаптация ребёнка к детскому саду", "Планирование образовательной деятельности", "Работа с родителями воспитанников", "Игровые технологии в средней группе"];
  const COVERED = "Разобрали план занятия по развитию речи, обсудили, как удерживать внимание детей младшей группы и как выстроить разговор с родителями после конфликта.";
  const NEXT = "Провести занятие по плану и записать наблюдения; обсудить их на следующей встрече.";
  const meetings: Record<string, unknown>[] = [];
  const answers: Record<string, unknown>[] = [];
  for (let k = 0; k < MEETINGS; k++) {
    const i = k % ORGS;
    const s = byOrg[i] as (typeof byOrg)[number];
    const status = pick(statuses);
    const pairId = pairsByOrg[i]?.length ? pick(pairsByOrg[i] as Types.ObjectId[]) : undefined;
    const _id = new Types.ObjectId();
    // As the bot stores them: who proposed which times, the history of statuses, the host's log of
    // a held or missed meeting (what a digest need not read).
    const hostId = pick(s.mentors);
    const mentee = pairId ? menteeOf.get(String(pairId)) : undefined;
    const startAt = new Date(NOW.getTime() - Math.floor((random() * DAYS - 7) * DAY));
    const created = new Date(startAt.getTime() - 3 * DAY);
    const history = [
      { status: "proposed", at: created, by: hostId },
      { status: "confirmed", at: new Date(created.getTime() + 3_600_000), by: mentee ?? hostId },
      ...(status === "confirmed" ? [] : [{ status, at: new Date(startAt.getTime() + (status === "cancelled" ? -DAY : 2 * 3_600_000)), by: hostId }]),
    ];
    meetings.push({
      _id,
      kind: pairId ? "pair" : "group",
      ...(pairId ? { pairId } : {}),
      organizationId: orgs[i]?._id,
      hostId,
      participantIds: mentee ? [mentee] : [],
      proposedBy: hostId,
      proposals: [startAt, new Date(startAt.getTime() + DAY), new Date(startAt.getTime() + 2 * DAY)],
      status,
      startAt,
      durationMin: 30,
      topic: pick(TOPICS),
      mode: "online",
      place: "https://telemost.yandex.ru/j/12345678901234",
      history,
      sequence: history.length - 1,
      attending: [],
      declinedIds: [],
      ...(status === "held" ? { log: { covered: COVERED, nextStep: NEXT, loggedAt: history.at(-1)?.at } } : {}),
      ...(status === "missed" && mentee ? { log: { absentIds: [mentee], loggedAt: history.at(-1)?.at } } : {}),
      followupsSent: status === "held" || status === "missed" ? 1 : 0,
      unlogged: status === "confirmed" && random() < 0.3,
      createdAt: created,
      updatedAt: history.at(-1)?.at,
    });
    if (status === "held" && random() < 0.3) answers.push({ meetingId: _id, organizationId: orgs[i]?._id, role: "mentee", kind: "session", usefulness: 1 + Math.floor(random() * 5), answeredAt: new Date(NOW.getTime() - Math.floor(random() * ((DAYS * 2) / 3) * DAY)), anonymousKey: String(k) });
  }
  // Each pair records when it last met, as logHeld keeps it.
  const lastHeld = new Map<string, Date>();
  for (const m of meetings) {
    if (m.status !== "held" || !m.pairId) continue;
    const k = String(m.pairId);
    if (!lastHeld.has(k) || (lastHeld.get(k) as Date) < (m.startAt as Date)) lastHeld.set(k, m.startAt as Date);
  }
  for (const p of pairs) if (lastHeld.has(String(p._id))) p.lastHeldAt = lastHeld.get(String(p._id));
  // A completed pair ended on a day since it formed (endPair sets endedAt).
  for (const p of pairs) {
    if (p.status !== "completed") continue;
    const formed = (p.createdAt as Date).getTime();
    p.endedAt = new Date(formed + Math.floor(random() * (NOW.getTime() - formed)));
    p.endReason = "completed";
  }
  // Earlier years' pairs, all ended at least a month before now: in none of a digest's figures.
  const past = Array.from({ length: PAST_PAIRS }, () => {
    const i = Math.floor(random() * orgs.length);
    const s = byOrg[i] as (typeof byOrg)[number];
    const createdAt = new Date(NOW.getTime() - (230 + Math.floor(random() * 500)) * DAY);
    const endedAt = new Date(Math.min(createdAt.getTime() + (60 + Math.floor(random() * 200)) * DAY, NOW.getTime() - 30 * DAY));
    const done = random() < 0.85;
    return { _id: new Types.ObjectId(), requestId: new Types.ObjectId(), mentorId: pick(s.mentors), menteeId: pick(s.mentees), mentorProfileId: new Types.ObjectId(), organizationId: orgs[i]?._id, kind: "long_term", status: done ? "completed" : "terminated", formedBy: "offer", createdAt, endedAt, endReason: done ? "completed" : "mentee_left", lastHeldAt: new Date(endedAt.getTime() - 7 * DAY) };
  });
  await insertBatched(Pair.collection, pairs.concat(past));
  await insertBatched(Meeting.collection, meetings);
  await insertBatched(SurveyAnswer.collection, answers);
  const offers = requests.filter(() => random() < 0.1).map((r) => ({ requestId: r._id, organizationId: r.organizationId, mentorProfileId: new Types.ObjectId(), mentorUserId: new Types.ObjectId(), status: "timed_out", sentAt: NOW, deadlineAt: new Date(NOW.getTime() - Math.floor(random() * 20 * DAY)) }));
  await insertBatched(Offer.collection, offers);
  // Of them, a few an open risk still names (the digest lists their people).
  const risks = pairs.filter(() => random() < 0.05).concat(past.slice(0, 20)).map((p, k) => ({ key: `r${k}`, organizationId: p.organizationId, pairId: p._id, kind: "pulse_low", round: 1, score: 2, raisedAt: new Date(NOW.getTime() - Math.floor(random() * 20 * DAY)), open: true }));
  // Each pair of the earlier years had a flag, resolved then (acknowledged, or the pair ended): in
  // none of a digest's figures.
  const pastRisks = past.map((p, k) => {
    const raisedAt = new Date(p.endedAt.getTime() - (1 + Math.floor(random() * 50)) * DAY);
    return { key: `past${k}`, organizationId: p.organizationId, pairId: p._id, kind: "pulse_missed", round: 2, score: 2, raisedAt, resolvedAt: new Date(Math.min(raisedAt.getTime() + 3 * DAY, p.endedAt.getTime())) };
  });
  await insertBatched(RiskFlag.collection, [...risks, ...pastRisks]);
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${requests.length} requests, ${pairs.length} pairs (and ${past.length} of earlier years), ${meetings.length} meetings, ${answers.length} survey answers, ${offers.length} timed-out offers, ${risks.length} open risk flags (and ${pastRisks.length} resolved of earlier years), ${mentorProfiles.length} mentor profiles`);
  return { orgs, networks, userIds: users.map((u) => u._id as Types.ObjectId) };
}

export async function benchDigest(log: (line: string) => void = console.log): Promise<void> {
  // The compile cache as `npm start` keeps it under DATA_DIR (the digest's thread uses it too).
  const cacheDir = join(tmpdir(), "nastavnik-bench-compile-cache");
  const threadCodeCached = existsSync(cacheDir) && readdirSync(cacheDir, { recursive: true }).length > 0;
  keepCompiledCode(cacheDir);
  const random = rng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  return withBenchDatabase("digest", async (dbLabel) => {
    log(`Digest bench — Node ${process.version}, database: ${dbLabel}`);
    log(`deployment: ${ORGS} organizations (networks of ${NETWORK_SIZE}), ${USERS} users, ${MEETINGS} meetings over ${DAYS} days`);

    const { orgs, networks, userIds } = await seedRegion(random, log);

    // 1. The whole deployment: every meeting and answer (the export), and the scheduled batch's
    //    snapshot (meetings and answers of the digest's window, widened for every zone).
    let t = performance.now();
    const full = await loadDigestData(null, NOW);
    log(`load of the whole deployment, every meeting and answer (one read per collection): ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    const data = await new DigestSnapshot().get(NOW, digestWindow(periodOf("week", NOW, "Europe/Moscow"), NOW));
    const loadMs = performance.now() - t;
    const count = (d: typeof data, key: "meetings" | "answers") => [...d.buckets.values()].reduce((n, b) => n + b[key].length, 0);
    log(`load of the whole deployment for the weekly digests (the window ${data.window?.from.toISOString().slice(0, 10)} – ${data.window?.to.toISOString().slice(0, 10)}: ${count(data, "meetings")} of ${count(full, "meetings")} meetings, ${count(data, "answers")} of ${count(full, "answers")} answers): ${loadMs.toFixed(0)} ms`);
    // The region's admin asking /digest: the load for the rolling week's window and the computation.
    t = performance.now();
    const rolling = await loadDigestData(null, NOW, digestWindow(rollingWeek(NOW), NOW));
    const loadRolling = performance.now() - t;
    computeDigest(rolling, null, { period: rollingWeek(NOW), now: NOW, zone: "Europe/Moscow" });
    log(`the whole region's load and figures with every person read: ${(performance.now() - t).toFixed(0)} ms (load ${loadRolling.toFixed(0)} ms)`);
    // As the bot computes it: only the people its figures need (LoadOptions.people), here in this thread.
    t = performance.now();
    await figuresHere({ scope: null, now: NOW, period: rollingWeek(NOW), zone: "Europe/Moscow" });
    log(`the whole region's /digest on demand (load and figures, only the people the figures need): ${(performance.now() - t).toFixed(0)} ms`);
    // A fast digest from part of the history must still be the digest of the whole of it.
    for (const [label, d, period] of [["the batch's", data, periodOf("week", NOW, "Europe/Moscow")], ["the on-demand", rolling, rollingWeek(NOW)]] as const) {
      const figures = (from: typeof full) => JSON.stringify(computeDigest(from, null, { period, now: NOW, zone: "Europe/Moscow" }));
      if (figures(d) !== figures(full)) throw new Error(`${label} window gives other figures than the whole history`);
    }

    // 2. Every organization curator's digest from it.
    const tr = (key: string) => key;
    const perCurator: number[] = [];
    const renderMs: number[] = [];
    let sumNew = 0;
    let sumHeld = 0;
    for (const o of orgs) {
      const zone = o.timezone;
      const scope = [o._id.toString()];
      const s = performance.now();
      const f = computeDigest(data, scope, { period: periodOf("week", NOW, zone), now: NOW, zone });
      perCurator.push(performance.now() - s);
      sumNew += f.counts.newRequests;
      sumHeld += f.counts.held;
      const r = performance.now();
      renderDigest(f, { t: tr, locale: "ru", data, scope, mode: "digest", scopeLabel: scopeLabel(data, scope, tr) });
      renderMs.push(performance.now() - r);
    }
    log(`per organization curator (${orgs.length}): compute p50 ${pct(perCurator, 50).toFixed(2)} ms, p95 ${pct(perCurator, 95).toFixed(2)} ms, max ${Math.max(...perCurator).toFixed(2)} ms, total ${perCurator.reduce((a, b) => a + b, 0).toFixed(0)} ms; text p50 ${pct(renderMs, 50).toFixed(2)} ms`);

    // 3. Network curators (20 organizations each) and the whole region (admin), in Moscow time.
    const netMs: number[] = [];
    for (const n of networks) {
      const scope = orgs.filter((o) => o.networkIds[0]?.equals(n)).map((o) => o._id.toString());
      const s = performance.now();
      computeDigest(data, scope, { period: periodOf("week", NOW, "Europe/Moscow"), now: NOW, zone: "Europe/Moscow" });
      netMs.push(performance.now() - s);
    }
    log(`per network curator (${networks.length} networks of ${NETWORK_SIZE}): p50 ${pct(netMs, 50).toFixed(2)} ms, max ${Math.max(...netMs).toFixed(2)} ms`);
    t = performance.now();
    const region = computeDigest(data, null, { period: periodOf("week", NOW, "Europe/Moscow"), now: NOW, zone: "Europe/Moscow" });
    const regionMs = performance.now() - t;
    t = performance.now();
    const regionText = renderDigest(region, { t: tr, locale: "ru", data, scope: null, mode: "digest", scopeLabel: "all" });
    log(`whole region (admin, ${region.organizations} organizations): compute ${regionMs.toFixed(0)} ms, text ${(performance.now() - t).toFixed(0)} ms (${regionText.text.length} characters)`);
    log(`check: region counts new ${region.counts.newRequests}, held ${region.counts.held}; sum over organizations in their own zones: new ${sumNew}, held ${sumHeld}`);
    // Zones differ, so per-organization weeks differ from Moscow's; recompute the region per zone to check the sum exactly.
    const inZone = (zone: string) => computeDigest(data, orgs.filter((o) => o.timezone === zone).map((o) => o._id.toString()), { period: periodOf("week", NOW, zone), now: NOW, zone }).counts;
    let zNew = 0;
    let zHeld = 0;
    for (const z of new Set(ZONES)) {
      const c = inZone(z);
      zNew += c.newRequests;
      zHeld += c.held;
    }
    if (zNew !== sumNew || zHeld !== sumHeld) throw new Error(`per-organization digests do not add up: ${zNew}/${zHeld} vs ${sumNew}/${sumHeld}`);

    // 4. Charts for a few.
    const chartMs: number[] = [];
    for (const o of orgs.slice(0, 10)) {
      const f = computeDigest(data, [o._id.toString()], { period: periodOf("week", NOW, o.timezone), now: NOW, zone: o.timezone });
      const s = performance.now();
      await digestChart(f, tr, "ru");
      chartMs.push(performance.now() - s);
    }
    log(`chart PNG (10 curators): p50 ${pct(chartMs, 50).toFixed(0)} ms, max ${Math.max(...chartMs).toFixed(0)} ms`);

    // 5. On demand (/digest): a scoped load for the rolling week's window plus the computation.
    const week = rollingWeek(NOW);
    const demandWindow = digestWindow(week, NOW);
    const demand: number[] = [];
    for (const o of orgs.slice(0, 3)) {
      const s = performance.now();
      const d = await loadDigestData([o._id.toString()], NOW, demandWindow);
      computeDigest(d, [o._id.toString()], { period: week, now: NOW, zone: o.timezone });
      demand.push(performance.now() - s);
    }
    log(`on demand (/digest, scoped load + compute, 3 curators): ${demand.map((x) => x.toFixed(0)).join(", ")} ms`);
    const network = orgs.filter((o) => o.networkIds[0]?.equals(networks[0] as Types.ObjectId)).map((o) => o._id.toString());
    t = performance.now();
    const netData = await loadDigestData(network, NOW, demandWindow);
    computeDigest(netData, network, { period: week, now: NOW, zone: "Europe/Moscow" });
    log(`on demand for a network curator (${network.length} organizations): ${(performance.now() - t).toFixed(0)} ms`);

    // 6. Everyone else's updates during a heavy read: `User.findById` one after another on the main
    // connection while a digest loads, with the heavy read on the main connection (as before issue
    // 12) and on its own read connection.
    const probe = async (label: string, work: () => Promise<unknown>) => {
      const lat: number[] = [];
      let done = false;
      const loop = (async () => {
        while (!done) {
          const s = performance.now();
          await User.findById(pick(userIds), { _id: 1 }).lean();
          lat.push(performance.now() - s);
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      // The event loop's own delay tells a wait in Node (decoding, grouping) from one in the database.
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      loopDelay.enable();
      const s = performance.now();
      await work();
      const ms = performance.now() - s;
      loopDelay.disable();
      done = true;
      await loop;
      const delay = (q: number) => (loopDelay.percentile(q) / 1e6).toFixed(1);
      log(`findById ${label} (${ms.toFixed(0)} ms, ${lat.length} reads): p50 ${pct(lat, 50).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms; event loop delay p99 ${delay(99)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`);
    };
    await probe("with nothing else running", () => new Promise((r) => setTimeout(r, 1500)));
    for (const own of [false, true]) {
      useReadConnection(own);
      const where = own ? "on its own connection" : "on the main connection";
      await probe(`during a network curator's /digest, read ${where}`, () => loadDigestData(network, NOW, demandWindow));
      await probe(`during the whole region's /digest, read ${where}`, () => loadDigestData(null, NOW, demandWindow));
      await probe(`during the whole deployment's load with every meeting (the export), read ${where}`, () => loadDigestData(null, NOW));
    }
    useReadConnection(true);
    // The whole path of a region's /digest: its load and its figures, in the bot's thread and in
    // the digest's own (issue 12; the thread's start is timed once, then it is warm).
    const regionDemand = { scope: null, now: NOW, period: rollingWeek(NOW), zone: "Europe/Moscow" };
    t = performance.now();
    digestThread.idleMs = 600_000;
    const fromThread = await scopeFigures(regionDemand);
    log(`the whole region's /digest in the digest's thread, started cold: ${(performance.now() - t).toFixed(0)} ms (${threadCodeCached ? "its code in the compile cache, as every start after the first" : "its code not yet in the compile cache"})`);
    // Once more from a new thread (after an idle minute the bot's thread ends too): the thread's code now comes from the compile cache.
    await digestThread.stop();
    t = performance.now();
    await scopeFigures(regionDemand);
    log(`the whole region's /digest in a new digest's thread (the compile cache holds its code): ${(performance.now() - t).toFixed(0)} ms`);
    const expected = computeDigest(rolling, null, { period: rollingWeek(NOW), now: NOW, zone: "Europe/Moscow" });
    const differing = (Object.keys(expected) as Array<keyof typeof expected>).filter((k) => JSON.stringify(fromThread.figures[k]) !== JSON.stringify(expected[k]));
    const firstDifference = (a: unknown, b: unknown) => {
      if (!Array.isArray(a) || !Array.isArray(b)) return `${JSON.stringify(a).slice(0, 300)} instead of ${JSON.stringify(b).slice(0, 300)}`;
      const i = a.findIndex((x, k) => JSON.stringify(x) !== JSON.stringify(b[k]));
      return `${a.length} items instead of ${b.length}, item ${i}: ${JSON.stringify(a[i])} instead of ${JSON.stringify(b[i])}`;
    };
    if (differing.length) throw new Error(`the digest's thread gives other figures: ${differing.map((k) => `${k}: ${firstDifference(fromThread.figures[k], expected[k])}`).join("; ")}`);
    for (let round = 0; round < 2; round++) {
      await probe("during the whole region's /digest (load and figures) in the bot's thread", () => figuresHere(regionDemand));
      await probe("during the whole region's /digest (load and figures) in the digest's thread", () => scopeFigures(regionDemand));
    }
    // A region's XLSX export (every row, the sheets, the workbook): in the export's thread as the
    // bot builds it, then in the bot's thread as before (issue 12).
    const exportReq = { scope: null, viewer: { scope: null, direct: [], networks: [] }, now: NOW, zone: "Europe/Moscow", format: "xlsx" as const };
    const translate = createTranslator();
    const ru = (key: string, args?: Record<string, string | number>) => translate("ru", key, args);
    let workbookBytes = 0;
    await probe("during the whole region's XLSX export in the export's thread", async () => {
      workbookBytes = (await scopeExport(exportReq, ru)).files[0]?.bytes.length ?? 0;
    });
    await probe("during the whole region's XLSX export in the bot's thread", () => exportHere(exportReq, ru));
    log(`the region's workbook: ${(workbookBytes / 1e6).toFixed(1)} MB`);
    await Promise.all([digestThread.stop(), exportThread.stop()]);
    log(`scheduled batch for every curator: ${(loadMs + perCurator.reduce((a, b) => a + b, 0)).toFixed(0)} ms (load + computations; sending is paced by the rate limiter)`);
  });
}

if (import.meta.main) {
  benchDigest().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error("bench failed:", err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
