import mongoose, { type Model, type mongo } from "mongoose";
import type { Logger } from "../core/logger.ts";
import { backfillUpdateIdBlocks, User } from "../../models/index.ts";
import { dialogStateCache } from "./dialog-cache.ts";
import { curatorCache } from "./curator-cache.ts";
import { organizationCache } from "./organization-cache.ts";
import { mentorRegistryCache } from "./mentor-cache.ts";
import { userCache } from "./user-cache.ts";
import { backfillJobKeyPrefixes, backfillOpenRiskFlags, backfillOrganizationIds, backfillOrganizationUniqueKeys, backfillPairLastHeld, dropOldProgramPairIndex, once } from "./backfill.ts";
import { UPDATES_PER_COMMAND, UPDATES_PER_COMMAND_UNPATCHED, engine } from "./engine.ts";
import { closeReadConnection, CONNECTION_TIMEOUTS, openReadConnection, readConnectionPort, setMainTarget } from "./read-connection.ts";
import { FERRETDB_BUILD, type EmbeddedDatabase } from "./embedded.ts";
import type { Config } from "../core/config.ts";

// No silent buffering: a query made while disconnected fails at once instead of waiting forever.
mongoose.set("bufferCommands", false);
mongoose.set("strictQuery", true);

export interface ConnectOptions {
  dbName?: string;
  logger?: Logger;
  /** The embedded database's reader (`EmbeddedDatabase.readUri`) for the heavy reads, if it has one. */
  readUri?: string;
  /** `EmbeddedDatabase.onReaderExit`: if the reader's process ends, heavy reads go to the main server. */
  onReaderExit?(listener: () => void): void;
  /** The driver's command events (`commandSucceeded` with its duration): for the bench's timings. */
  monitorCommands?: boolean;
}

/** The first build of the project's FerretDB whose reader follows the other process's catalogue (.ci/ferretdb/reader-catalogue.patch). */
export const READER_BUILD = 11;

/**
 * True when the server is FerretDB. FerretDB 1.24 does not run a conditional update atomically
 * against concurrent ones on other connections (measured: 4 of 10 concurrent
 * `findOneAndUpdate({status: "pending"})` calls "won"). Every race-sensitive step of this code is
 * a conditional single-document update, atomic on MongoDB; on FerretDB the process therefore uses
 * a single connection, so its commands reach the server one at a time.
 */
export async function isFerretdb(uri: string): Promise<boolean> {
  return (await ferretdbVersion(uri)) !== undefined;
}

/** FerretDB's version (`FERRETDB_BUILD` of embedded.ts when built by `.ci/install-ferretdb.sh`), undefined on MongoDB. */
export async function ferretdbVersion(uri: string): Promise<string | undefined> {
  const probe = await mongoose.createConnection(uri, { ...CONNECTION_TIMEOUTS, maxPoolSize: 1 }).asPromise();
  try {
    return await ferretdbVersionOn(probe);
  } finally {
    await probe.close();
  }
}

/** `ferretdbVersion` of the server an open connection talks to. */
async function ferretdbVersionOn(conn: mongoose.Connection): Promise<string | undefined> {
  const info = (await conn.db?.admin().command({ buildInfo: 1 })) as Record<string, unknown> | undefined;
  if (!info || !("ferretdb" in info || "ferretdbVersion" in info || "ferretdbFeatures" in info)) return undefined;
  return typeof info.ferretdbVersion === "string" ? info.ferretdbVersion : "unknown";
}

/** Connects the default mongoose connection with bounded timeouts and builds every index. */
export async function connectDatabase(uri: string, options: ConnectOptions = {}): Promise<typeof mongoose> {
  const version = await ferretdbVersion(uri);
  const ferret = version !== undefined;
  if (ferret) options.logger?.info({ version }, "FerretDB detected: one connection, so conditional updates stay atomic");
  // The project's build (.ci/install-ferretdb.sh) lets PostgreSQL use indexes for FerretDB's reads.
  if (ferret && !version.includes("-nastavnik")) {
    options.logger?.warn({ version }, "FerretDB built without the project's patches: on PostgreSQL every read scans its whole table; build it with `bash .ci/install-ferretdb.sh`");
  } else if (ferret && version !== FERRETDB_BUILD) {
    options.logger?.warn({ version, current: FERRETDB_BUILD }, "FerretDB built with older patches of the project: reads are slower than they can be; rebuild it with `bash .ci/install-ferretdb.sh`");
  }
  const m = await mongoose.connect(uri, {
    dbName: options.dbName,
    ...CONNECTION_TIMEOUTS,
    maxPoolSize: ferret ? 1 : 20,
    autoIndex: false,
    monitorCommands: options.monitorCommands ?? false,
  });
  if (await dropOldProgramPairIndex()) options.logger?.info("the programs' pair index rebuilt as sparse (group programs have no pair)");
  // Indexes (unique keys in particular) must exist before the first update is handled.
  await Promise.all(Object.values(mongoose.models).map((model) => buildIndexes(model)));
  const backfilled = await once("offers-answers-organization-id", backfillOrganizationIds);
  if (backfilled > 0) options.logger?.info({ backfilled }, "offers and survey answers given their organization");
  const lastHeld = await once("pairs-last-held", backfillPairLastHeld);
  if (lastHeld > 0) options.logger?.info({ pairs: lastHeld }, "pairs given when they last met");
  const keyed = await once("organizations-unique-key", backfillOrganizationUniqueKeys);
  if (keyed > 0) options.logger?.info({ keyed }, "organizations given their unique key (name plus municipality)");
  const opened = await once("risk-flags-open", backfillOpenRiskFlags);
  if (opened > 0) options.logger?.info({ flags: opened }, "unresolved risk flags marked open");
  const prefixed = await once("job-key-prefixes", backfillJobKeyPrefixes);
  if (prefixed > 0) options.logger?.info({ jobs: prefixed }, "jobs given their key prefixes");
  const blocks = await once("update-id-blocks", backfillUpdateIdBlocks);
  if (blocks > 0) options.logger?.info({ blocks }, "the update ledger's earlier records given their id blocks");
  // Heavy reads (digest, report, export) get a connection of their own on FerretDB, so they do not
  // hold up the updates queued on the main one (see read-connection.ts).
  if (ferret) await openHeavyReads(uri, options);
  else await closeReadConnection();
  setMainTarget({ uri, ...(options.dbName ? { dbName: options.dbName } : {}) });
  resetCaches();
  mentorRegistryCache.enabled = ferret;
  curatorCache.enabled = ferret;
  organizationCache.enabled = ferret;
  userCache.enabled = ferret;
  dialogStateCache.enabled = ferret;
  const plans = ferret ? await probePlans(version) : { indexedReads: true, listsByIndex: true };
  userCache.mode = ferret && plans.indexedReads ? "recent" : "all";
  engine.listsByIndex = plans.listsByIndex;
  engine.numberListsByIndex = !ferret;
  engine.decodesEveryRead = ferret;
  engine.updatesPerCommand = ferret && !(nastavnikBuild(version) >= 10) ? UPDATES_PER_COMMAND_UNPATCHED : UPDATES_PER_COMMAND;
  options.logger?.info({ db: mongoose.connection.name, userCache: userCache.enabled ? userCache.mode : "off", listsByIndex: engine.listsByIndex }, "database connected");
  return m;
}

/**
 * A model's schema indexes in one createIndexes command (mongoose sends one command per index:
 * 108 at every start, 0.1 s on FerretDB when they exist and 1.8 s on a first start; 36 this way).
 * The schemas use only `unique`, `sparse` and `name`, which the command takes as they are.
 */
async function buildIndexes(model: Model<unknown>): Promise<void> {
  const specs = model.schema.indexes().map(([key, options]) => ({ ...options, key }) as mongo.IndexDescription);
  if (specs.length > 0) await model.collection.createIndexes(specs);
}

/**
 * Opens the read connection on the embedded database's reader where it is a build that follows the
 * other process's catalogue (watching for its process to end), else on the bot's own server.
 */
async function openHeavyReads(uri: string, options: ConnectOptions): Promise<void> {
  const settings = { dbName: options.dbName, ...CONNECTION_TIMEOUTS };
  if (options.readUri) {
    const version = await openReadConnection(options.readUri, settings).then(ferretdbVersionOn, () => undefined);
    if (version !== undefined && nastavnikBuild(version) >= READER_BUILD) {
      const port = readConnectionPort();
      options.onReaderExit?.(() => {
        if (readConnectionPort() !== port) return; // connected elsewhere since
        options.logger?.error("the heavy reads' FerretDB stopped: heavy reads go to the bot's own");
        void closeReadConnection();
      });
      return;
    }
    options.logger?.warn({ version }, "the heavy reads' FerretDB is an older build or unreachable: heavy reads go to the bot's own");
  }
  await openReadConnection(uri, settings);
}

/** The project's build number of a FerretDB version ("v1.24.2-nastavnik.10" → 10), NaN for any other. */
export function nastavnikBuild(version: string): number {
  const m = /-nastavnik\.(\d+)$/.exec(version);
  return m ? Number(m[1]) : Number.NaN;
}

/**
 * What FerretDB reads by index, from its plans:
 * - `indexedReads`: it runs on PostgreSQL and was built with the project's index patch
 *   (.ci/install-ferretdb.sh), so a read by an indexed field is an index read, not a scan. The
 *   backend shows in the plan's form: PostgreSQL's plan nodes under `queryPlanner.Plan`.
 * - `listsByIndex`: an `_id` `$in` is pushed down to the backend (FerretDB's own `filterPushdown`).
 */
async function probePlans(version: string): Promise<{ indexedReads: boolean; listsByIndex: boolean }> {
  if (!version.includes("-nastavnik")) return { indexedReads: false, listsByIndex: false };
  type Explained = { queryPlanner?: { Plan?: object }; filterPushdown?: boolean };
  const id = new mongoose.Types.ObjectId();
  const [one, list] = (await Promise.all([User.find({ _id: id }).explain(), User.find({ _id: { $in: [id, new mongoose.Types.ObjectId()] } }).explain()])) as unknown as Explained[];
  const plan = one?.queryPlanner?.Plan;
  const indexedReads = plan !== undefined && "Node Type" in plan;
  return { indexedReads, listsByIndex: indexedReads && list?.filterPushdown === true };
}

/**
 * Empties the in-process caches (mentor registry, users, dialog states). A new connection starts cold; a write
 * that bypasses the models (raw driver deletes in tests) must call this too.
 */
export function resetCaches(): void {
  mentorRegistryCache.reset();
  curatorCache.reset();
  organizationCache.reset();
  userCache.reset();
  dialogStateCache.reset();
}

/** Connects to MONGODB_URI, or else to the embedded server (its database "nastavnik"). */
export async function connectConfiguredDatabase(config: Pick<Config, "mongodbUri">, logger: Logger, embedded: EmbeddedDatabase | undefined): Promise<void> {
  const uri = config.mongodbUri || embedded?.uri;
  if (!uri) throw new Error("no database: MONGODB_URI is unset and no embedded server was started");
  await connectDatabase(uri, { logger, ...(config.mongodbUri ? {} : { dbName: "nastavnik", readUri: embedded?.readUri, onReaderExit: embedded?.onReaderExit }) });
}

export async function disconnectDatabase(): Promise<void> {
  setMainTarget(undefined);
  await closeReadConnection();
  await mongoose.disconnect();
}

export function databaseState(): "connected" | "connecting" | "disconnected" {
  const state = mongoose.connection.readyState;
  if (state === 1) return "connected";
  if (state === 2) return "connecting";
  return "disconnected";
}
