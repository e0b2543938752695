import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import type { Logger } from "../core/logger.ts";

/**
 * An embedded MongoDB-compatible server for a machine without MONGODB_URI:
 * - FerretDB 1.24 (SQLite backend) when its binary is present (built by `.ci/install-ferretdb.sh`);
 * - otherwise a real `mongod` through mongodb-memory-server, which downloads it on first use.
 */
export interface EmbeddedDatabase {
  kind: "ferretdb" | "mongod";
  uri: string;
  dataDir: string;
  stop(): Promise<void>;
}

export const FERRETDB_VERSION = "v1.24.2";

/** Where the FerretDB binary is looked for, in order. */
export function ferretdbCandidates(projectRoot = process.cwd()): string[] {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const fromPath = (process.env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, "ferretdb"));
  return [
    process.env.FERRETDB_BIN ?? "",
    join(projectRoot, ".tools", "ferretdb"),
    join(cacheHome, "nastavnik", `ferretdb-${FERRETDB_VERSION}`, "ferretdb"),
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
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`FerretDB did not listen on port ${port} within ${timeoutMs} ms`);
}

export async function startFerretdb(binary: string, dataDir: string, logger?: Logger): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir, "ferretdb");
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    binary,
    [
      "--handler=sqlite",
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      "--debug-addr=-",
      "--telemetry=disable",
      "--log-level=warn",
      "--log-format=json",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  // Never leave the server behind when this process exits, however it exits.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  let stderrTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  try {
    await waitForPort(port, child, 20_000);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}\n${stderrTail}`, { cause: err });
  }
  logger?.info({ server: "ferretdb", version: FERRETDB_VERSION, binary, dataDir: dir, port }, "embedded database started");
  return {
    kind: "ferretdb",
    uri: `mongodb://127.0.0.1:${port}/`,
    dataDir: dir,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(timer);
          res();
        });
        child.kill("SIGTERM");
      }),
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
    const marker = JSON.parse(readFileSync(path, "utf8")) as { kind: "ferretdb" | "mongod"; uri: string; pid: number };
    process.kill(marker.pid, 0);
    if (!(await portOpen(Number(new URL(marker.uri).port)))) return undefined;
    logger?.info({ server: marker.kind, uri: marker.uri, pid: marker.pid }, "using the embedded database another process runs");
    return { kind: marker.kind, uri: marker.uri, dataDir: resolve(dataDir), stop: async () => undefined };
  } catch {
    return undefined;
  }
}

function withMarker(db: EmbeddedDatabase, dataDir: string): EmbeddedDatabase {
  const path = markerPath(dataDir);
  writeFileSync(path, JSON.stringify({ kind: db.kind, uri: db.uri, pid: process.pid }));
  return {
    ...db,
    stop: async () => {
      rmSync(path, { force: true });
      await db.stop();
    },
  };
}

/** Starts FerretDB if its binary is here, else tries mongod; fails with a message saying what to do. */
export async function startEmbeddedDatabase(dataDir: string, logger?: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(resolve(dataDir), { recursive: true });
  const running = await joinRunning(dataDir, logger);
  if (running) return running;
  const binary = findFerretdb();
  if (binary) return withMarker(await startFerretdb(binary, dataDir, logger), dataDir);
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
