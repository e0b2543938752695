import { Worker, type ResourceLimits } from "node:worker_threads";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { mongo } from "mongoose";
import { engine } from "../db/engine.ts";
import { heavyReadTarget, type ReadTarget } from "../db/read-connection.ts";
import { digestWindow, ensurePeople, loadDigestData, type DigestData, type OrgRow, type Period, type UserRow } from "./digest.ts";
import { computeDigest, LIST_CAP, type DigestFigures } from "./digest-figures.ts";
import { computeIndicators, type Indicator } from "./indicators.ts";
import { wellbeingTrend, type TrendRow } from "./adaptation.ts";
import { planActual, type PlanActual } from "./plan-actual.ts";
import { DigestSnapshot } from "./digest-snapshot.ts";
import { exportHere, type ExportFile, type ExportRequest, type ScopeExport } from "./export-files.ts";
import type { ExportTranslate } from "./export.ts";
import type { Logger } from "../core/logger.ts";

/**
 * A scope's digest figures computed in a thread of its own (issue 12). A region's load holds
 * 150,000 rows for seconds: in the bot's thread, V8's young-generation collections copied them
 * in pauses of 20–38 ms each, and the computation over 1,000 kindergartens held the event loop
 * for 0.2 s, while everyone else's updates waited. The thread has its own heap and event loop and
 * its own connection to where heavy reads go (`heavyReadTarget`: the embedded reader, or the
 * server); it hands back only the figures and what naming them takes — the organizations, the
 * networks and the people the figures name — as one BSON document, so ids and dates arrive as
 * they left.
 *
 * A large scope's registry export is built the same way (`scopeExport`), in a second such thread
 * (`exportThread`): its sheets and workbook are tens of seconds of CPU for a region, which the
 * bot's event loop would be held for, and large digests asked meanwhile would wait behind.
 *
 * A scope of up to OFF_THREAD_SCOPE kindergartens is computed in the bot's thread: its rows are
 * few, and the thread's start (about 0.7 s) would cost more than it saves. A weekly digest of a
 * batch is computed in the thread whatever its scope: the batch's shared load is the region's.
 * If the thread cannot start, cannot connect or ends, the figures are computed here instead
 * (logged with `digestThread.logger`); an error of the computation itself is the caller's, as it
 * would be here.
 */

/** Scopes of more kindergartens than this (and the whole deployment) are computed in the thread. */
export const OFF_THREAD_SCOPE = 50;
/** The thread ends after this long without work (its heap is given back); the next digest starts it again. */
export const THREAD_IDLE_MS = 60_000;

export interface FiguresRequest {
  /** Organization ids; `null` = the whole deployment. */
  scope: readonly string[] | null;
  now: Date;
  period: Period;
  zone: string;
  /** Also the program indicators (a report). */
  indicators?: boolean;
  /**
   * A scheduled digest of a batch: computed from the batch's one load of the whole deployment
   * (`batchSnapshot`, in the thread whatever the scope's size) instead of a load of the scope.
   */
  batch?: boolean;
  /**
   * Whom to name: "shown" (the default), the people a digest's or report's text can show, the
   * first LIST_CAP of each list; "all", everyone its lists name (the full lists of risks and
   * mentors). A region's digest names 15 people instead of some 4,000, whose read took 0.4–0.5 s.
   */
  names?: "shown" | "all";
}

export interface ScopeFigures {
  figures: DigestFigures;
  indicators?: Indicator[];
  /**
   * What rendering the figures takes: from the thread, only the organizations, networks and the
   * people the figures name (no rows in `buckets`); computed here, the load (of a digest of its
   * own: people only as far as the figures need them, see `LoadOptions.people`).
   */
  data: DigestData;
}

/** The load the digests of a batch share, in the thread that computes them (each thread has its own). */
export const batchSnapshot = new DigestSnapshot();

/** Loads the period's window of the scope (or takes the batch's load) and computes its figures in this thread. */
export async function figuresHere(req: FiguresRequest): Promise<ScopeFigures> {
  const window = digestWindow(req.period, req.now);
  // A digest of its own reads only the people its figures need, and then those they name; a
  // batch's load serves every scope, so it holds everyone.
  const data = req.batch ? await batchSnapshot.get(req.now, window) : await loadDigestData(req.scope, req.now, window, { people: "flagged" });
  const figures = computeDigest(data, req.scope, { period: req.period, now: req.now, zone: req.zone });
  await ensurePeople(data, namedIn(figures, req.names));
  return { figures, data, ...(req.indicators ? { indicators: computeIndicators(data, req.scope, req.period, req.now) } : {}) };
}

/** The figures of a scope: in the digest's thread for a large scope (see the top of this file), else here. */
export function scopeFigures(req: FiguresRequest, onLost?: (err: unknown) => void): Promise<ScopeFigures> {
  return inThreadOrHere(digestThread, req.batch === true || large(req.scope), () => digestThread.ask({ kind: "figures", req }), () => figuresHere(req), onLost);
}

/** The part of a digest or report on adaptation, satisfaction and plan against fact (issue 16), for a scope. */
export interface ExtrasRequest {
  scope: readonly string[] | null;
  /** Survey answers completed in [from, to). */
  from: Date;
  to: Date;
  now: Date;
  zone: string;
}

export interface ScopeExtras {
  trend: TrendRow[];
  pa: PlanActual;
}

/** Reads and computes the extras of a scope in this thread. */
export async function extrasHere(req: ExtrasRequest): Promise<ScopeExtras> {
  const [trend, pa] = await Promise.all([wellbeingTrend(req.scope, req.from, req.to), planActual(req.scope, req.now, req.zone)]);
  return { trend, pa };
}

/** The extras of a scope: in the digest's thread for a large scope, else here (as {@link scopeFigures}). */
export function scopeExtras(req: ExtrasRequest, onLost?: (err: unknown) => void): Promise<ScopeExtras> {
  return inThreadOrHere(digestThread, large(req.scope), () => digestThread.ask({ kind: "extras", req }), () => extrasHere(req), onLost);
}

/**
 * A scope's registry export (see export-files.ts): in the export's thread for a large scope (a
 * region's workbook is tens of seconds of CPU and up to gigabytes of heap), else here. `t` gives
 * the Russian texts here; the thread loads its own.
 */
export function scopeExport(req: ExportRequest, t: ExportTranslate, onLost?: (err: unknown) => void): Promise<ScopeExport> {
  return inThreadOrHere(exportThread, large(req.scope), () => exportThread.ask({ kind: "export", req }), () => exportHere(req, t), onLost);
}

const large = (scope: readonly string[] | null) => !scope || scope.length > OFF_THREAD_SCOPE;

async function inThreadOrHere<T>(thread: DigestThread, offThread: boolean, there: () => Promise<T>, here: () => Promise<T>, onLost?: (err: unknown) => void): Promise<T> {
  if (!offThread) return here();
  try {
    return await there();
  } catch (err) {
    if (!(err instanceof ThreadLost)) throw err;
    if ((err.cause as { code?: string } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY") {
      const limit = thread.resourceLimits?.maxOldGenerationSizeMb;
      throw new ScopeTooLarge(`the ${thread.name} thread ran out of memory${limit ? ` (its heap limit: ${limit} MB, HEAVY_THREAD_HEAP_MB)` : ""}`, { cause: err });
    }
    if (onLost) onLost(err);
    else thread.logger?.warn({ err, thread: thread.name }, "the digest's thread did not answer: computed in the bot's thread");
    return here();
  }
}

/** The thread could not answer (it did not start, could not connect, or ended): nothing was computed. */
export class ThreadLost extends Error {
  override name = "ThreadLost";
}

/**
 * The thread ran out of memory on this scope. Nothing is computed in the bot's thread instead: it
 * would run out too, and take the bot down with it (and, the update being handled again after a
 * restart, again). The person is told to ask for less.
 */
export class ScopeTooLarge extends Error {
  override name = "ScopeTooLarge";
}

// ---- what crosses between the threads ----

/** What naming a scope's figures or files takes: its organizations, networks and the people named. */
interface Naming {
  loadedAt: Date;
  window?: { from: Date; to: Date };
  orgs: OrgRow[];
  networks: Array<{ _id: string; name: string }>;
  people: UserRow[];
}

interface Wire extends Naming {
  figures: DigestFigures;
  indicators?: Indicator[];
}

function naming(data: DigestData, people: UserRow[]): Naming {
  return {
    loadedAt: data.loadedAt,
    ...(data.window ? { window: data.window } : {}),
    orgs: [...data.orgs.values()],
    networks: [...data.networks].map(([_id, name]) => ({ _id, name })),
    people,
  };
}

/** A load without rows that names what `naming` kept. */
function namingData(w: Naming): DigestData {
  return {
    loadedAt: w.loadedAt,
    buckets: new Map(),
    people: new Map(w.people.map((u) => [u._id.toString(), u])),
    orgs: new Map(w.orgs.map((o) => [o._id.toString(), o])),
    networks: new Map(w.networks.map((n) => [n._id, n.name])),
    ...(w.window ? { window: w.window } : {}),
  };
}

/**
 * The people the figures name: the mentees of the open requests the digest's text shows (the list
 * of every open request is a screen of its own, which reads its requests itself), and of the risks
 * and the mentor lists those the text shows ("shown") or everyone on them ("all": the screens under
 * the digest that show them whole, which compute their figures again and ask for that).
 */
export function namedIn(f: DigestFigures, names: FiguresRequest["names"] = "shown"): Set<string> {
  const named = new Set<string>();
  const shown = <T,>(list: T[]) => (names === "all" ? list : list.slice(0, LIST_CAP));
  for (const o of f.openRequests.slice(0, LIST_CAP)) named.add(o.menteeId);
  for (const x of shown(f.risks)) for (const id of x.userIds) named.add(id);
  for (const m of [...shown(f.atCapacity), ...shown(f.idle)]) named.add(m.userId);
  return named;
}

/** The figures and what naming them takes, as BSON (see the top of this file). */
export function encodeFigures(r: ScopeFigures, names?: FiguresRequest["names"]): Uint8Array {
  const f = r.figures;
  const people: UserRow[] = [];
  for (const id of namedIn(f, names)) {
    const u = r.data.people.get(id);
    if (u) people.push(u);
  }
  const wire: Wire = { figures: f, ...(r.indicators ? { indicators: r.indicators } : {}), ...naming(r.data, people) };
  return mongo.BSON.serialize(wire, { ignoreUndefined: true });
}

export function decodeFigures(bytes: Uint8Array): ScopeFigures {
  const w = mongo.BSON.deserialize(bytes) as Wire;
  return { figures: w.figures, data: namingData(w), ...(w.indicators ? { indicators: w.indicators } : {}) };
}

/**
 * An export as it crosses: the naming as BSON, the files beside it (copied, some milliseconds for
 * a region's; a CSV of its meetings alone is over BSON's 16 MB).
 */
export function encodeExport(x: ScopeExport): { bytes: Uint8Array; files: ExportFile[] } {
  return { bytes: mongo.BSON.serialize(naming(x.data, []), { ignoreUndefined: true }), files: x.files };
}

export interface ThreadInit {
  target: ReadTarget;
  engine: typeof engine;
}

/** Work for the thread; what it answers is BSON (`encodeFigures` for figures, the result itself for extras). */
export type ThreadWork = { kind: "figures"; req: FiguresRequest } | { kind: "extras"; req: ExtrasRequest } | { kind: "export"; req: ExportRequest };
export type ThreadRequest = ThreadWork & { id: number };
/** The answer: BSON, and an export's files beside it. */
export type ThreadAnswer = { bytes: Uint8Array; files?: ExportFile[] };
export type ThreadReply = ({ id: number } & ThreadAnswer) | { id: number; error: string; lost: boolean };

// ---- the bot's side of the thread ----

const ENTRY = new URL(`./digest-thread-entry${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

interface Pending {
  resolve: (answer: ThreadAnswer) => void;
  reject: (err: Error) => void;
}

class DigestThread {
  /** The worker's name ("digest", "export"). */
  readonly name: string;
  /** Requests answered by the thread (tests, benchmarks). */
  answered = 0;
  /** How long the thread stays without work before it ends. */
  idleMs = THREAD_IDLE_MS;
  /** Where a computation the thread could not answer is told of (set by the process entry). */
  logger: Pick<Logger, "warn"> | undefined;
  /** The worker's heap limits (Node's defaults when unset; tests set small ones). */
  resourceLimits: ResourceLimits | undefined;
  private worker: Worker | undefined;
  private target = "";
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idle: NodeJS.Timeout | undefined;

  constructor(name: string) {
    this.name = name;
  }

  ask(work: { kind: "figures"; req: FiguresRequest }): Promise<ScopeFigures>;
  ask(work: { kind: "extras"; req: ExtrasRequest }): Promise<ScopeExtras>;
  ask(work: { kind: "export"; req: ExportRequest }): Promise<ScopeExport>;
  async ask(work: ThreadWork): Promise<ScopeFigures | ScopeExtras | ScopeExport> {
    const { bytes, files } = await this.send(work);
    if (work.kind === "figures") return decodeFigures(bytes);
    if (work.kind === "export") return { files: files ?? [], data: namingData(mongo.BSON.deserialize(bytes) as Naming) };
    return mongo.BSON.deserialize(bytes) as ScopeExtras;
  }

  private async send(work: ThreadWork): Promise<ThreadAnswer> {
    const target = heavyReadTarget();
    if (!target) throw new ThreadLost("not connected");
    const worker = await this.workerFor(target);
    const id = this.nextId++;
    clearTimeout(this.idle);
    worker.ref();
    return new Promise<ThreadAnswer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const msg: ThreadRequest = { id, ...work };
      worker.postMessage(msg);
    });
  }

  /** Whether the thread runs now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Ends the thread (pending requests are computed here instead by their callers). */
  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    clearTimeout(this.idle);
    this.fail(new ThreadLost("stopped"));
    if (!w) return;
    // One teardown at a time, and none while a thread starts (see `lifecycle`).
    const ended = lifecycle.then(() => w.terminate()).then(
      () => undefined,
      () => undefined,
    );
    lifecycle = ended;
    await ended;
  }

  private async workerFor(target: ReadTarget): Promise<Worker> {
    const key = JSON.stringify(target);
    // Wait until no thread starts or ends (see `lifecycle`); another request may start this one meanwhile.
    for (;;) {
      if (this.worker && this.target === key) return this.worker;
      if (this.worker) void this.stop();
      const settled = lifecycle;
      await settled;
      if (lifecycle === settled) break;
    }
    const init: ThreadInit = { target, engine: { ...engine } };
    const worker = new Worker(ENTRY, { workerData: init, name: this.name, ...(this.resourceLimits ? { resourceLimits: this.resourceLimits } : {}) });
    const up = new Promise<void>((resolve) => {
      worker.once("online", () => resolve());
      worker.once("exit", () => resolve());
      worker.once("error", () => resolve());
      setTimeout(resolve, 30_000).unref(); // never wait on a start for ever
    });
    lifecycle = lifecycle.then(() => up);
    this.worker = worker;
    this.target = key;
    worker.on("message", (reply: ThreadReply) => this.settle(reply));
    const lost = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      clearTimeout(this.idle);
      this.fail(new ThreadLost(err.message, { cause: err }));
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`the digest's thread ended (${code})`)));
    return worker;
  }

  private settle(reply: ThreadReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ("bytes" in reply) {
      this.answered++;
      p.resolve(reply);
    } else p.reject(reply.lost ? new ThreadLost(reply.error) : new Error(reply.error));
    if (this.pending.size === 0 && this.worker) {
      const w = this.worker;
      w.unref();
      this.idle = setTimeout(() => {
        if (this.worker === w && this.pending.size === 0) void this.stop();
      }, this.idleMs);
      this.idle.unref();
    }
  }

  private fail(err: ThreadLost): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(err);
  }
}

/**
 * The threads' starts (until the worker is online) and teardowns, one after another: Node can
 * crash (SIGSEGV) when a worker's isolate is created while another's is being disposed
 * (nodejs/node#56312), which the test suite met once with two threads ending and starting.
 */
let lifecycle: Promise<unknown> = Promise.resolve();

/** The process's digest thread (started at the first large digest, ended when idle). */
export const digestThread = new DigestThread("digest");
/**
 * The thread of large exports, the same program as the digest's: a region's export reads and
 * builds for tens of seconds, which a large digest asked meanwhile would otherwise wait behind
 * (a thread answers one request at a time).
 */
export const exportThread = new DigestThread("export");
