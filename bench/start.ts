import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * `node bench/start.ts`: cold start and memory of `npm start` (the process `src/main.ts` with its
 * embedded database, as a deployment without MONGODB_URI runs it). A fresh DATA_DIR is started
 * twice: the first start creates the database (PostgreSQL's initdb, or SQLite's files), the second
 * finds it. "Start" = from spawning the process to its "bot started" log line (database up,
 * connected, indexes built, bot identified). Memory = PSS of the bot process plus every process it started
 * (FerretDB, PostgreSQL), read from /proc once the bot has started and answered nothing yet.
 * The Bot API is a local stub answering getMe and empty long polls. EMBEDDED_DB picks the backend
 * (`BENCH_START_BACKENDS`, default "postgresql,sqlite"). BENCH_START_TIMELINE=1 prints each start's log
 * lines with their time since the spawn.
 */

const TOKEN = "123456789:AAE-bench-start-token-0123456789abcdefghij";

/**
 * BENCH_START_REGION=1: a third start after a region's data is stored in the same DATA_DIR
 * (raw inserts into the bot's database while it is stopped): 1,000 kindergartens, 20,000 teachers
 * (4,000 of them mentors with profiles), 100,000 meetings, 30,000 survey answers, 10,000 offers,
 * 100,000 handled updates in the ledger and 10,000 pending jobs. A restart must not grow with them.
 */
const REGION = process.env.BENCH_START_REGION === "1";
/** Node's arguments as `npm start` gives them (package.json), so that the start and its memory are `npm start`'s. */
const START_ARGS = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { scripts: { start: string } }).scripts.start.split(/\s+/).slice(1);

async function storeRegion(dataDir: string, backend: string): Promise<string> {
  const { startEmbeddedDatabase } = await import("../src/db/embedded.ts");
  const { default: mongoose, Types } = await import("mongoose");
  const db = await startEmbeddedDatabase(dataDir, undefined, { backend: backend as "postgresql" | "sqlite" });
  const conn = await mongoose.createConnection(db.uri, { dbName: "nastavnik" }).asPromise();
  try {
    const insert = async (name: string, n: number, make: (i: number) => Record<string, unknown>) => {
      for (let i = 0; i < n; i += 5000) await conn.collection(name).insertMany(Array.from({ length: Math.min(5000, n - i) }, (_, k) => make(i + k)), { ordered: false });
    };
    const now = new Date();
    const orgs = Array.from({ length: 1000 }, () => new Types.ObjectId());
    const users = Array.from({ length: 20_000 }, () => new Types.ObjectId());
    const org = (i: number) => orgs[i % orgs.length];
    await insert("organizations", orgs.length, (i) => ({ _id: orgs[i], shortName: `Детский сад № ${i + 1}`, searchKey: `детский сад ${i + 1}`, uniqueKey: `детский сад ${i + 1}|`, timezone: "Europe/Moscow", networkIds: [] }));
    await insert("users", users.length, (i) => ({ _id: users[i], telegramId: 7_000_000 + i, locale: "ru", organizationId: org(i), profile: { fullName: `Педагог ${i}`, position: "educator", experienceYears: 3 }, roles: [{ role: i % 5 === 0 ? "mentor" : "mentee", grantedAt: now }], registeredAt: now, unreachable: false, createdAt: now, updatedAt: now }));
    await insert("mentorprofiles", 4000, (i) => ({ userId: users[i * 5], organizationId: org(i * 5), competences: ["F1", "F2"], capacity: 3, activeMentees: i % 4, forms: ["long_term", "flash"], approved: true, approvedAt: now, createdAt: now, updatedAt: now }));
    await insert("meetings", 100_000, (i) => ({ kind: "pair", pairId: new Types.ObjectId(), organizationId: org(i), hostId: users[(i % 4000) * 5], participantIds: [users[i % users.length]], status: "held", startAt: new Date(now.getTime() - (i % 365) * 86_400_000), durationMin: 30, mode: "online" }));
    await insert("surveyanswers", 30_000, (i) => ({ meetingId: new Types.ObjectId(), organizationId: org(i), role: "mentee", kind: "session", usefulness: 1 + (i % 5), answeredAt: now, anonymousKey: `a${i}` }));
    await insert("offers", 10_000, (i) => ({ requestId: new Types.ObjectId(), organizationId: org(i), mentorProfileId: new Types.ObjectId(), mentorUserId: users[(i % 4000) * 5], status: "declined", sentAt: now, deadlineAt: now, answeredAt: now }));
    await insert("processedupdates", 100_000, (i) => ({ botId: 123456789, updateId: 1_000_000 + i, status: "done", createdAt: now, doneAt: now }));
    await insert("jobs", 10_000, (i) => ({ key: `bench-reminder:${i}`, type: "bench-none", status: "pending", runAt: new Date(now.getTime() + 7 * 86_400_000), dueHour: Math.floor((now.getTime() + 7 * 86_400_000) / 3_600_000), payload: {}, attempts: 0, createdAt: now }));
    return "1,000 kindergartens, 20,000 users, 4,000 mentor profiles, 100,000 meetings, 30,000 answers, 10,000 offers, 100,000 ledger records, 10,000 jobs";
  } finally {
    await conn.close();
    await db.stop();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function botApiStub(): Promise<Server> {
  const server = createServer((req, res) => {
    const method = (req.url ?? "").split("/").pop() ?? "";
    const reply = (result: unknown) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, result }));
    };
    req.resume();
    req.on("end", () => {
      if (method === "getMe") reply({ id: 123456789, is_bot: true, first_name: "Bench", username: "bench_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      else if (method === "getUpdates") setTimeout(() => reply([]), 500);
      else reply(true);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Memory of a process and all its descendants, in MB (proportional set size where the kernel gives it). */
function treeRssMb(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      // PSS (shared pages divided among their users: PostgreSQL's backends share its buffers), else RSS.
      let kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      try {
        kb = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, "utf8"))?.[1] ?? kb);
      } catch {
        // no smaps_rollup (older kernel, or not ours to read): RSS
      }
      rss.set(Number(entry), kb);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop() as number;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total / 1024;
}

async function startOnce(dataDir: string, backend: string, apiRoot: string): Promise<{ ms: number; rssMb: number; kind: string }> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, START_ARGS, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, DATA_DIR: dataDir, EMBEDDED_DB: backend, PORT: String(await freePort()), HOST: "127.0.0.1", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes('"msg":"bot started"')) {
          clearInterval(timer);
          resolve();
        } else if (child.exitCode !== null || performance.now() - t0 > 120_000) {
          clearInterval(timer);
          reject(new Error(`the bot did not start:\n${output.slice(-2000)}`));
        }
      }, 20);
    });
    const ms = performance.now() - t0;
    if (process.env.BENCH_START_TIMELINE) {
      // The log's own times, as ms since the spawn: where a start spends its time.
      const spawnedAt = Date.now() - ms;
      for (const line of output.split("\n")) {
        const at = /"time":(\d+)/.exec(line)?.[1];
        const msg = /"msg":"([^"]*)"/.exec(line)?.[1];
        const took = /"ms":(\d+)/.exec(line)?.[1];
        if (at && msg) console.log(`  ${String(Number(at) - Math.round(spawnedAt)).padStart(5)} ms  ${msg}${took ? ` (took ${took} ms)` : ""}`);
      }
    }
    await new Promise((r) => setTimeout(r, 3000)); // settled: first polls made, the in-process copies loaded
    const kind = /"backend":"(\w+)"/.exec(output)?.[1] ?? /"kind":"(\w+)"/.exec(output)?.[1] ?? backend;
    return { ms, rssMb: treeRssMb(child.pid as number), kind };
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

export async function benchStart(log: (line: string) => void = console.log): Promise<void> {
  const server = await botApiStub();
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const backends = (process.env.BENCH_START_BACKENDS ?? "postgresql,sqlite").split(",").filter(Boolean);
  const rows: string[][] = [];
  try {
    for (const backend of backends) {
      const dir = mkdtempSync(join(tmpdir(), `nastavnik-bench-start-${backend}-`));
      try {
        const first = await startOnce(dir, backend, apiRoot);
        const second = await startOnce(dir, backend, apiRoot);
        const row = [backend, first.ms.toFixed(0), second.ms.toFixed(0), first.rssMb.toFixed(0), second.rssMb.toFixed(0)];
        if (REGION) {
          const t = performance.now();
          const stored = await storeRegion(dir, backend);
          log(`… ${backend}: a region's data stored in ${((performance.now() - t) / 1000).toFixed(0)} s (${stored})`);
          const third = await startOnce(dir, backend, apiRoot);
          row.push(third.ms.toFixed(0), third.rssMb.toFixed(0));
        }
        rows.push(row);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    server.close();
  }
  log(`Start bench — Node ${process.version}: \`npm start\` (src/main.ts) on a fresh DATA_DIR, then again on the same`);
  log("(start = spawn → \"bot started\"; memory = PSS of the bot and the database processes it runs, together)");
  const header = ["embedded backend", "first start ms", "next start ms", "memory MB (first)", "memory MB (next)", ...(REGION ? ["start with a region ms", "memory MB (region)"] : [])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i] as number) : x.padStart(widths[i] as number))).join("  ");
  log(line(header));
  log(line(header.map((_, i) => "-".repeat(widths[i] as number))));
  for (const r of rows) log(line(r));
}

if (import.meta.main) {
  benchStart().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error("bench failed:", err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
