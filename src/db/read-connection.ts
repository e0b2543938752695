import mongoose, { Types, type Connection, type ConnectOptions, type Query } from "mongoose";
import { limiter, YIELD_EVERY } from "../core/concurrency.ts";
import { engine, LIST_PUSHDOWN_MAX } from "./engine.ts";
import {
  BestPractice,
  FinalSurvey,
  Meeting,
  MentoringGroup,
  MentorProfile,
  MentorshipRequest,
  Network,
  Offer,
  Organization,
  Pair,
  Program,
  RiskFlag,
  SelfAssessment,
  SurveyAnswer,
  SurveyResponse,
  User,
} from "../../models/index.ts";

/** Bounds on connecting and on a reply, for every connection the process opens. */
export const CONNECTION_TIMEOUTS = { serverSelectionTimeoutMS: 10_000, connectTimeoutMS: 10_000, socketTimeoutMS: 45_000 };

/** The models heavy reads (digest, report, export) use. */
const MODELS = { BestPractice, FinalSurvey, Meeting, MentoringGroup, MentorProfile, MentorshipRequest, Network, Offer, Organization, Pair, Program, RiskFlag, SelfAssessment, SurveyAnswer, SurveyResponse, User };
export type ReadModels = typeof MODELS;

/**
 * A second connection for heavy reads. On FerretDB the process keeps its one connection for
 * everything else (conditional updates stay atomic only so, see `isFerretdb`), and FerretDB answers
 * one command of a connection at a time: a digest load of several seconds there would hold up
 * every update behind it. Reads only, never a write, so atomicity is not at stake; they see what
 * was committed, as any read does. On MongoDB the pool serves both and no second connection opens.
 */
let connection: Connection | undefined;
let models: ReadModels | undefined;
let enabled = true;

/** Where a process of its own (the digest's thread) connects to read what the heavy reads read. */
export interface ReadTarget {
  uri: string;
  dbName?: string;
}
/** The read connection's server and database, while it is open. */
let readTarget: ReadTarget | undefined;
/** The default connection's, set by `connectDatabase`. */
let mainTarget: ReadTarget | undefined;

/** Records the default connection's server and database (see {@link heavyReadTarget}); `undefined` once disconnected. */
export function setMainTarget(target: ReadTarget | undefined): void {
  mainTarget = target;
}

/** Where heavy reads go now: the read connection's server while it is open, else the bot's own; undefined when not connected. */
export function heavyReadTarget(): ReadTarget | undefined {
  return enabled && connection?.readyState === 1 && readTarget ? readTarget : mainTarget;
}

/** The port the read connection talks to (undefined when none is open): the embedded reader's, or the main server's. */
export function readConnectionPort(): number | undefined {
  return connection?.port;
}

/**
 * Opens the read connection to the same database (replacing an earlier one): on the embedded
 * database's reader (`EmbeddedDatabase.readUri`, a second FerretDB process at a lower CPU
 * priority) where there is one, else on the same server.
 */
export async function openReadConnection(uri: string, options: Pick<ConnectOptions, "dbName" | "serverSelectionTimeoutMS" | "connectTimeoutMS" | "socketTimeoutMS">): Promise<Connection> {
  await closeReadConnection();
  const conn = mongoose.createConnection(uri, { ...options, maxPoolSize: 2, autoIndex: false, autoCreate: false });
  await conn.asPromise();
  connection = conn;
  readTarget = { uri, ...(options.dbName ? { dbName: options.dbName } : {}) };
  models = Object.fromEntries(Object.entries(MODELS).map(([key, m]) => [key, conn.model(m.modelName, m.schema, m.collection.collectionName)])) as unknown as ReadModels;
  return conn;
}

export async function closeReadConnection(): Promise<void> {
  const conn = connection;
  connection = undefined;
  models = undefined;
  readTarget = undefined;
  await conn?.close().catch(() => undefined);
}

/** Whether heavy reads use the read connection when one is open (a benchmark compares both). */
export function useReadConnection(on: boolean): void {
  enabled = on;
}

/** The models for a heavy read: on the read connection when it is open, else the default ones. */
export function readModels(): ReadModels {
  return enabled && models && connection?.readyState === 1 ? models : MODELS;
}

/**
 * The documents a heavy read's query finds, lean, decoded YIELD_EVERY at a time with a turn of the
 * event loop between. Mongoose's `lean()` gets them with the driver's `toArray`, which decodes the
 * whole batch a reply brings at once: FerretDB sends up to 16 MB in one, tens of thousands of a
 * region's meetings, and everyone's updates waited up to 0.3 s for that. The filter is cast by the
 * query's model, as `find` does; the projection is the query's.
 */
export async function leanRows<T>(query: Query<unknown, unknown>): Promise<T[]> {
  const model = query.model;
  const collection = model.db.db?.collection(model.collection.collectionName);
  if (!collection) return (await query.lean()) as T[];
  const cursor = collection.find(query.cast(model), { projection: query.projection() ?? undefined });
  const rows: T[] = [];
  try {
    while (await cursor.hasNext()) {
      for (const doc of cursor.readBufferedDocuments(YIELD_EVERY)) rows.push(doc as T);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    await cursor.close();
  }
  return rows;
}

/**
 * Where the engine does not read an `$in` by index, up to this many keys (organizations of a scope,
 * people by `_id`) are read with one equality query each; more with one `$in` (which such a
 * FerretDB answers by decoding the whole collection anyway). See `findByKeys`.
 */
export const PER_ORGANIZATION_MAX = 100;
/** Queries of one scoped read in flight at once. */
export const READ_CONCURRENCY = 6;

/**
 * Queries of a read of the whole deployment (a region's digest, the export, the weekly batch) in
 * flight at once: one on the read connection, so FerretDB decodes one collection at a time on
 * one of the two cores and leaves the other to everyone's updates (and the connection's second
 * slot to a curator's `/digest` meanwhile); measured while a region's `/digest` loaded, a
 * `findById` took p50 6.1–6.4 ms, p99 41–69 ms with its collections read two at a time, p50
 * 2.8–4.7 ms, p99 18–61 ms one at a time, in about the same time. On MongoDB, no limit.
 */
export function wholeReadConcurrency(): number {
  return engine.decodesEveryRead && readModels() !== MODELS ? 1 : Number.POSITIVE_INFINITY;
}

export type Filter = Record<string, unknown>;

/** The scope's organization ids as ObjectIds (invalid ones dropped, each once); `null` = everything. */
export function scopeIds(scope: readonly string[] | null): Types.ObjectId[] | null {
  return scope ? [...new Set(scope.filter((id) => Types.ObjectId.isValid(id)))].map((id) => new Types.ObjectId(id)) : null;
}

/**
 * `run(filter)` for a scope: once with `base` when the scope is everything (`null`), else by
 * `organizationId` as `findByKeys` reads a list of keys. On MongoDB each is an indexed query.
 */
export async function findInScope<T>(
  ids: readonly Types.ObjectId[] | null,
  run: (filter: Filter) => Promise<T[]>,
  base: Filter = {},
  limit: <R>(fn: () => Promise<R>) => Promise<R> = limiter(READ_CONCURRENCY),
): Promise<T[]> {
  if (!ids) return limit(() => run(base));
  return findByKeys("organizationId", ids, run, base, limit);
}

/**
 * `run(filter)` for the documents whose `field` is one of `keys`, results concatenated in the keys'
 * order (sorting is the caller's), at most `limit` queries at a time:
 * - where the engine reads an `$in` by index (`engine.listsByIndex`: MongoDB, FerretDB on
 *   PostgreSQL with the project's patch), one `{...base, [field]: {$in: keys}}` per
 *   LIST_PUSHDOWN_MAX keys;
 * - else one `{...base, [field]: key}` per key, an equality every FerretDB pushes down to its
 *   backend, up to PER_ORGANIZATION_MAX keys; more in one `$in` (which such a FerretDB answers by
 *   decoding every document of the collection in Go).
 * One key is always an equality, no key no query.
 */
export async function findByKeys<T, K>(
  field: string,
  keys: readonly K[],
  run: (filter: Filter) => Promise<T[]>,
  base: Filter = {},
  limit: <R>(fn: () => Promise<R>) => Promise<R> = limiter(READ_CONCURRENCY),
): Promise<T[]> {
  if (keys.length === 0) return [];
  if (keys.length === 1) return limit(() => run({ ...base, [field]: keys[0] }));
  let filters: Filter[];
  if (engine.listsByIndex) {
    filters = [];
    for (let i = 0; i < keys.length; i += LIST_PUSHDOWN_MAX) filters.push({ ...base, [field]: { $in: keys.slice(i, i + LIST_PUSHDOWN_MAX) } });
  } else if (keys.length > PER_ORGANIZATION_MAX) filters = [{ ...base, [field]: { $in: keys } }];
  else filters = keys.map((key) => ({ ...base, [field]: key }));
  return (await Promise.all(filters.map((f) => limit(() => run(f))))).flat();
}

/**
 * The documents matching any of `branches`, each merged with `common`, each document once, in
 * `_id` order (for ObjectIds, the order they were created in). One query per branch instead of one
 * `$or`: FerretDB pushes no `$or` down, so `{$or: [{hostId: me}, {participantIds: me}]}` decoded
 * every meeting stored (3 s at a region's 200,000, on the connection every update waits for),
 * while each branch is an equality it reads by index (5 ms both). On MongoDB each is an indexed
 * query too. A branch naming a field of `common` is combined with it by `$and` (both must hold, as
 * in the `$or`).
 */
export async function findAnyOf<T extends { _id: unknown }>(run: (filter: Filter) => Promise<T[]>, branches: readonly Filter[], common: Filter = {}): Promise<T[]> {
  const filters = branches.map((b) => (Object.keys(b).some((k) => k in common) ? { $and: [common, b] } : { ...common, ...b }));
  const byId = new Map<string, T>();
  for (const part of await Promise.all(filters.map((f) => run(f)))) for (const doc of part) byId.set(String(doc._id), doc);
  return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, doc]) => doc);
}
