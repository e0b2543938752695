import mongoose, { Types, type Connection, type ConnectOptions } from "mongoose";
import { limiter } from "../core/concurrency.ts";
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

/** Opens the read connection to the same server and database (replacing an earlier one). */
export async function openReadConnection(uri: string, options: Pick<ConnectOptions, "dbName" | "serverSelectionTimeoutMS" | "connectTimeoutMS" | "socketTimeoutMS">): Promise<void> {
  await closeReadConnection();
  const conn = mongoose.createConnection(uri, { ...options, maxPoolSize: 2, autoIndex: false, autoCreate: false });
  await conn.asPromise();
  connection = conn;
  models = Object.fromEntries(Object.entries(MODELS).map(([key, m]) => [key, conn.model(m.modelName, m.schema, m.collection.collectionName)])) as unknown as ReadModels;
}

export async function closeReadConnection(): Promise<void> {
  const conn = connection;
  connection = undefined;
  models = undefined;
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
 * Where the engine does not read an `$in` by index, scopes of up to this many organizations are
 * read with one equality query per organization; a larger one with one `$in` (which such a
 * FerretDB answers by decoding the whole collection anyway).
 */
export const PER_ORGANIZATION_MAX = 100;
/** Queries of one scoped read in flight at once. */
export const READ_CONCURRENCY = 6;

export type Filter = Record<string, unknown>;

/** The scope's organization ids as ObjectIds (invalid ones dropped, each once); `null` = everything. */
export function scopeIds(scope: readonly string[] | null): Types.ObjectId[] | null {
  return scope ? [...new Set(scope.filter((id) => Types.ObjectId.isValid(id)))].map((id) => new Types.ObjectId(id)) : null;
}

/**
 * `run(filter)` for a scope: once with `base` when the scope is everything (`null`), else
 * `{...base, organizationId: {$in: ids}}` where the engine reads such a list by index (MongoDB;
 * FerretDB on PostgreSQL with the project's patch, up to LIST_PUSHDOWN_MAX organizations), else
 * one query `{...base, organizationId: id}` per organization, at most `limit` allows at a time,
 * results concatenated in the scope's order (sorting is the caller's). Stock FerretDB 1.24 pushes a
 * top-level equality down to its backend but never an `$in`, for which it decodes every document of
 * the collection in Go; beyond PER_ORGANIZATION_MAX organizations one `$in` is sent regardless.
 */
export async function findInScope<T>(
  ids: readonly Types.ObjectId[] | null,
  run: (filter: Filter) => Promise<T[]>,
  base: Filter = {},
  limit: <R>(fn: () => Promise<R>) => Promise<R> = limiter(READ_CONCURRENCY),
): Promise<T[]> {
  if (!ids) return limit(() => run(base));
  if (ids.length === 0) return [];
  if (ids.length === 1) return limit(() => run({ ...base, organizationId: ids[0] }));
  if (ids.length > PER_ORGANIZATION_MAX || (engine.listsByIndex && ids.length <= LIST_PUSHDOWN_MAX)) return limit(() => run({ ...base, organizationId: { $in: ids } }));
  return (await Promise.all(ids.map((id) => limit(() => run({ ...base, organizationId: id }))))).flat();
}
