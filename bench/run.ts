import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot, type Context } from "grammy";
import { conversations, type ConversationFlavor } from "@grammyjs/conversations";
import type { Update } from "grammy/types";
import type { DestinationStream } from "pino";
import { connectDatabase, disconnectDatabase } from "../src/db/connection.ts";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../src/db/embedded.ts";
import { JobQueue } from "../jobs/queue.ts";
import { systemClock } from "../src/core/clock.ts";
import { createBot } from "../src/bot/create-bot.ts";
import { withGrammysChain } from "../src/bot/grammy-chain.ts";
import { settleUpdateLedger } from "../src/bot/exactly-once.ts";
import { createLogger } from "../src/core/logger.ts";
import mongoose from "mongoose";
import { ConversationState, User, usersChangedOutsideModel } from "../models/index.ts";
import { userCache } from "../src/db/user-cache.ts";
import { FakeTelegram } from "../tests/helpers/fake-telegram.ts";
import { testConfig } from "../tests/helpers/harness.ts";
import { callback, command, makeUser, textMessage, type TestUser } from "../tests/helpers/updates.ts";
import { addOrganization } from "../src/domain/organizations.ts";
import { createInvite, INVITE_PREFIX } from "../src/domain/invites.ts";

/**
 * `npm run bench`: update throughput through the whole bot (every middleware, i18n, conversations
 * with their state in the database) on the embedded database, with a fake Bot API in-process.
 * Numbers only — nothing here asserts on time. Functional checks (every update answered as
 * expected, no errors logged) make the run fail, since figures of a broken bot mean nothing.
 *
 * Sizes: the scenarios run once per stored-user count in BENCH_USERS (comma-separated, default
 * 0,2000,20000: registered users put in the database before the scenarios), next to an anchor
 * measured in the same run: grammY + conversations on memory storage answering /help.
 * BENCH_HELP_UPDATES (default 500) and BENCH_LANGUAGE_ROUND_TRIPS (default 100) scale the runs.
 * At each size, BENCH_CONCURRENT_USERS (default 300, as issue 12 asks) people also use the bot at once, each
 * /language → button → /help, and the latency of every one of their updates is counted; and
 * BENCH_SEQUENTIAL_REGISTRATIONS (default 20) people register by one kindergarten's invitation
 * link one after another, ten taps each (a dialog's cost per step), then BENCH_REGISTERING_USERS
 * (default 300; on SQLite BENCH_SQLITE_REGISTERING_USERS, default 30) people do so at once.
 * The whole set runs once per embedded backend in BENCH_BACKENDS (default "postgresql,sqlite";
 * the anchor is measured again in each), one table at the end; SQLite's sizes come from
 * BENCH_SQLITE_USERS (default 0,2000).
 */

const HELP_UPDATES = Number(process.env.BENCH_HELP_UPDATES ?? 500);
const counts = (raw: string) => raw.split(",").filter(Boolean).map(Number);
const USER_COUNTS = counts(process.env.BENCH_USERS ?? "0,2000,20000");
/** SQLite is slower by far (FerretDB decodes whole collections there): its sizes separately. */
const SQLITE_USER_COUNTS = counts(process.env.BENCH_SQLITE_USERS ?? process.env.BENCH_USERS ?? "0,2000");
const HELP_USERS = 50;
const CONCURRENCY = 10;
const LANGUAGE_ROUND_TRIPS = Number(process.env.BENCH_LANGUAGE_ROUND_TRIPS ?? 100);
const LANGUAGE_USERS = 20;
/**
 * Updates handled before each measurement (the anchor's too), not counted (`BENCH_WARMUP_UPDATES`).
 * V8 optimises the code in steps over thousands of updates: with 20, the first size a run measured
 * ran on code not yet optimised (its first 26 `/help`s took 2.2 ms each, the rest 0.2 ms); with
 * 1,000, the bot's handlers still took 0.52 ms per `/help` in the next 500 and 0.15 ms after 6,000
 * (2026-12-05), so the first size still looked slowest and the anchor, warmed as little, ran at a
 * sixth of its own steady pace. A deployment runs warm for days: both are measured warm.
 */
const WARMUP_UPDATES = Number(process.env.BENCH_WARMUP_UPDATES ?? 8000);
const CONCURRENT_USERS = Number(process.env.BENCH_CONCURRENT_USERS ?? 300);
/** People who register at once by one kindergarten's invitation link, each through the whole dialog. */
const REGISTERING_USERS = Number(process.env.BENCH_REGISTERING_USERS ?? 300);
const SQLITE_REGISTERING_USERS = Number(process.env.BENCH_SQLITE_REGISTERING_USERS ?? 30);
/** People who register one after another (the dialog's cost per step with nobody else writing). */
const SEQUENTIAL_REGISTRATIONS = Number(process.env.BENCH_SEQUENTIAL_REGISTRATIONS ?? 20);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "postgresql,sqlite").split(",").filter(Boolean) as Array<"postgresql" | "sqlite">;

/** BENCH_COMMANDS=1: the database calls each scenario made, per update (collection.method), after its row. */
const COMMANDS = process.env.BENCH_COMMANDS === "1";
const calls = new Map<string, number>();
if (COMMANDS) mongoose.set("debug", (collection: string, method: string) => void calls.set(`${collection}.${method}`, (calls.get(`${collection}.${method}`) ?? 0) + 1));

/** With BENCH_COMMANDS=1: the driver's time per command name (ms from sending it to its reply), and how many, on the bot's connection. */
const commandTimes = new Map<string, { n: number; ms: number }>();
function timeCommands(): void {
  if (!COMMANDS) return;
  const client = mongoose.connection.getClient();
  const names = new Map<number, string>();
  client.on("commandStarted", (e: { requestId: number; commandName: string; command: Record<string, unknown> }) => {
    const collection = e.command[e.commandName];
    names.set(e.requestId, typeof collection === "string" ? `${collection}.${e.commandName}` : e.commandName);
  });
  client.on("commandSucceeded", (e: { requestId: number; commandName: string; duration: number }) => {
    const name = names.get(e.requestId) ?? e.commandName;
    names.delete(e.requestId);
    const t = commandTimes.get(name) ?? { n: 0, ms: 0 };
    t.n++;
    t.ms += e.duration;
    commandTimes.set(name, t);
  });
}

/** The calls counted since the last report, per update, largest first, and the driver's time per command; the count starts again. */
function commandsPerUpdate(updates: number): string | undefined {
  if (!COMMANDS || updates === 0) return undefined;
  const rows = [...calls.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${(n / updates).toFixed(2)}`);
  const total = [...calls.values()].reduce((a, b) => a + b, 0);
  const times = [...commandTimes.entries()].sort((a, b) => b[1].ms - a[1].ms).map(([k, t]) => `${k} ${t.n}× ${(t.ms / t.n).toFixed(1)} ms = ${(t.ms / 1000).toFixed(2)} s`);
  calls.clear();
  commandTimes.clear();
  return `${(total / updates).toFixed(2)} per update: ${rows.join(", ")}\n  the driver's time per command: ${times.join(", ")}`;
}

interface Result {
  backend: string;
  scenario: string;
  updates: number;
  totalMs: number;
  latencies: number[];
  rssMb: number;
  /** This process's CPU time (user and system) over the scenario: the bot's, not the database's; less swayed by other machines' load than the wall time. */
  cpuMs?: number;
  /** With BENCH_COMMANDS=1: the database calls per update. */
  commands?: string;
}

class ErrorCounter implements DestinationStream {
  readonly errors: string[] = [];
  write(line: string): void {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    if ((entry.level ?? 0) >= 50) this.errors.push(`${entry.msg ?? ""}${entry.err?.message ? `: ${entry.err.message}` : ""}`);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

/** Stores registered users until `total` are there (raw inserts, as a region's registry would hold). */
async function storeUsers(total: number): Promise<void> {
  const have = await User.countDocuments({});
  const docs = [];
  for (let i = have; i < total; i++) {
    docs.push({
      telegramId: 5_000_000 + i,
      locale: "ru",
      profile: { fullName: `Педагог ${i}`, position: "educator", experienceYears: 3 },
      roles: [{ role: i % 10 === 0 ? "mentor" : "mentee", grantedAt: new Date() }],
      registeredAt: new Date(),
      unreachable: false,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
  }
  for (let i = 0; i < docs.length; i += 1000) await User.collection.insertMany(docs.slice(i, i + 1000));
  usersChangedOutsideModel();
}

/**
 * After the raw insert of users the user cache reads the stored Telegram ids again, in the
 * background (about 1 s at 20,000; until then a newcomer's lookup is a read). A running bot has
 * done so long before a person writes: the scenarios start after it.
 */
async function storedIdsRead(): Promise<void> {
  if (!userCache.enabled || userCache.mode !== "recent") return;
  const t0 = performance.now();
  while (userCache.storedSize === undefined) {
    await userCache.byTelegramId(1); // starts the read when none runs
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log(`… stored Telegram ids read again after the insert (${Math.round(performance.now() - t0)} ms more)`);
}

/** The anchor: grammY with the conversations plugin on its default memory storage, answering /help. */
async function anchor(fake: FakeTelegram, users: TestUser[]): Promise<Result> {
  // Plain grammY: built with its own chain, not the bot's (src/bot/grammy-chain.ts).
  const bot = withGrammysChain(() => {
    const plain = new Bot<ConversationFlavor<Context>>(testConfig().botToken, { botInfo: fake.botInfo, client: { fetch: fake.fetch as never } });
    plain.use(conversations());
    plain.command("help", (ctx) => ctx.reply("help"));
    return plain;
  });
  await bot.init();
  for (let i = 0; i < WARMUP_UPDATES; i++) await bot.handleUpdate(command(users[i % users.length] as TestUser, "/help"));
  const latencies: number[] = [];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < HELP_UPDATES; i++) {
    const r0 = performance.now();
    await bot.handleUpdate(command(users[i % users.length] as TestUser, "/help"));
    latencies.push(performance.now() - r0);
  }
  const result = { backend: "-", scenario: "anchor: grammY + conversations (memory), /help", updates: HELP_UPDATES, totalMs: performance.now() - t0, cpuMs: cpuSince(c0), latencies, rssMb: rssMb() };
  fake.clear();
  return result;
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const backend of BACKENDS) await runOn(backend, results);
  printTable(results);
}

async function runOn(backend: "postgresql" | "sqlite", results: Result[]): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "nastavnik-bench-"));
  let db: EmbeddedDatabase | undefined;
  let connected = false;
  try {
    db = await startEmbeddedDatabase(tmp, undefined, { backend });
    const label = `${db.kind}${db.backend ? ` on ${db.backend}` : ""}`;
    console.log(`… database: embedded ${label}`);
    await connectDatabase(db.uri, { dbName: "nastavnik_bench", readUri: db.readUri, monitorCommands: COMMANDS });
    connected = true;
    timeCommands();
    const fake = new FakeTelegram();
    const sink = new ErrorCounter();
    const config = testConfig({ logLevel: "warn" });
    const logger = createLogger({ level: "warn", secrets: [config.botToken], destination: sink });
    const bot = createBot(config, {
      logger,
      queue: new JobQueue({ clock: systemClock, logger }),
      botInfo: fake.botInfo,
      fetch: fake.fetch,
      retry: { maxRetryAttempts: 3, maxDelaySeconds: 5 },
    });
    await bot.init();

    const timed = async (update: Update, latencies: number[]) => {
      const t0 = performance.now();
      await bot.handleUpdate(update);
      latencies.push(performance.now() - t0);
    };
    /** Ms since `t0`, once the ledger's records and done marks still on their way are written (they count in the time). */
    const settledSince = async (t0: number) => {
      await settleUpdateLedger(bot);
      return performance.now() - t0;
    };
    const check = (what: string, ok: boolean) => {
      if (!ok) throw new Error(`functional check failed: ${what}`);
    };
    const helpUsers: TestUser[] = Array.from({ length: HELP_USERS }, (_, i) => makeUser(800_000 + i, `User${i}`, i % 2 ? "en" : "ru"));
    const helpUpdates = () => Array.from({ length: HELP_UPDATES }, (_, i) => command(helpUsers[i % HELP_USERS] as TestUser, "/help"));
    results.push(await anchor(fake, helpUsers));
    let round = 0;

    for (const stored of backend === "sqlite" ? SQLITE_USER_COUNTS : USER_COUNTS) {
    console.log(`… ${stored} users stored`);
    await storeUsers(stored);
    // Warm-up (JIT, connection pool, first user lookups), not measured.
    for (let i = 0; i < WARMUP_UPDATES; i++) await bot.handleUpdate(command(helpUsers[i % HELP_USERS] as TestUser, "/help"));
    await settleUpdateLedger(bot); // the warm-up's records are not written in the measured time
    await storedIdsRead();
    fake.clear();

    // (a) /help, one update after another.
    {
      calls.clear();
      commandTimes.clear();
      const updates = helpUpdates();
      const latencies: number[] = [];
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (const u of updates) await timed(u, latencies);
      const totalMs = await settledSince(t0);
      check(`${HELP_UPDATES} help replies (sequential)`, fake.sent("sendMessage").length === HELP_UPDATES);
      results.push({ backend: label, scenario: `${stored} users: /help, sequential (${HELP_USERS} senders)`, updates: updates.length, totalMs, cpuMs: cpuSince(c0), latencies, rssMb: rssMb(), commands: commandsPerUpdate(updates.length) });
      fake.clear();
    }

    // (b) /help, CONCURRENCY senders taking updates from one queue.
    {
      calls.clear();
      commandTimes.clear();
      const queue = helpUpdates();
      const latencies: number[] = [];
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < queue.length) {
            const u = queue[next++] as Update;
            await timed(u, latencies);
          }
        }),
      );
      const totalMs = await settledSince(t0);
      check(`${HELP_UPDATES} help replies (concurrent)`, fake.sent("sendMessage").length === HELP_UPDATES);
      results.push({
        backend: label,
        scenario: `${stored} users: /help, ${CONCURRENCY} concurrent senders`,
        updates: queue.length,
        totalMs, cpuMs: cpuSince(c0),
        latencies,
        rssMb: rssMb(),
        commands: commandsPerUpdate(queue.length),
      });
      fake.clear();
    }

    // (c) /language → button press, the dialog state written to and read from the database.
    {
      calls.clear();
      commandTimes.clear();
      const users = Array.from({ length: LANGUAGE_USERS }, (_, i) => makeUser(900_000 + round * 1000 + i, `Lang${i}`, "ru"));
      const latencies: number[] = [];
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < LANGUAGE_ROUND_TRIPS; i++) {
        const u = users[i % LANGUAGE_USERS] as TestUser;
        const locale = i % 2 === 0 ? "en" : "ru";
        const r0 = performance.now();
        await bot.handleUpdate(command(u, "/language"));
        await bot.handleUpdate(callback(u, `lang:${locale}`));
        latencies.push(performance.now() - r0);
        check(
          `round trip ${i + 1} switched to ${locale}`,
          fake.lastTextTo(u.chatId) === (locale === "en" ? "Done: I now speak English." : "Готово: теперь я говорю по-русски."),
        );
      }
      const totalMs = await settledSince(t0);
      check("no dialog state left behind", (await ConversationState.countDocuments({})) === 0);
      results.push({
        backend: label,
        scenario: `${stored} users: /language → button ×${LANGUAGE_ROUND_TRIPS} (${LANGUAGE_USERS} senders)`,
        updates: LANGUAGE_ROUND_TRIPS * 2,
        totalMs, cpuMs: cpuSince(c0),
        latencies,
        rssMb: rssMb(),
        commands: commandsPerUpdate(LANGUAGE_ROUND_TRIPS * 2),
      });
    }

    // (d) CONCURRENT_USERS people at once, each /language → button → /help: every update's latency.
    {
      calls.clear();
      commandTimes.clear();
      const users = Array.from({ length: CONCURRENT_USERS }, (_, i) => makeUser(1_500_000 + round * 10_000 + i, `Many${i}`, "ru"));
      const latencies: number[] = [];
      fake.clear();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await Promise.all(
        users.map(async (u) => {
          await timed(command(u, "/language"), latencies);
          await timed(callback(u, "lang:en"), latencies);
          await timed(command(u, "/help"), latencies);
        }),
      );
      const totalMs = await settledSince(t0);
      for (const u of users) check(`concurrent user ${u.id} switched and got help`, fake.textsTo(u.chatId).includes("Done: I now speak English.") && fake.textsTo(u.chatId).length >= 3);
      check("no dialog state left behind (concurrent)", (await ConversationState.countDocuments({})) === 0);
      results.push({ backend: label, scenario: `${stored} users: ${CONCURRENT_USERS} people at once, /language → button → /help`, updates: latencies.length, totalMs, cpuMs: cpuSince(c0), latencies, rssMb: rssMb(), commands: commandsPerUpdate(latencies.length) });
      fake.clear();
    }
    // (e) People open one kindergarten's invitation link and register: consent, name, year of
    //     birth, position, experience, category, education, confirmation (a dialog of 10 steps).
    //     First SEQUENTIAL_REGISTRATIONS people one after another, then REGISTERING_USERS at once.
    const registrations = async (count: number, atOnce: boolean) => {
      calls.clear();
      commandTimes.clear();
      const org = await addOrganization({ shortName: `МБДОУ «Детский сад № ${100 + round}${atOnce ? "" : "а"}»`, timezone: "Europe/Moscow" });
      if (!org.ok) throw org.error;
      const invite = await createInvite({ organizationId: org.value.id, role: "mentee", uses: count, ttlMs: 86_400_000, createdBy: "bench", now: new Date() });
      const users = Array.from({ length: count }, (_, i) => makeUser(2_500_000 + round * 10_000 + (atOnce ? 0 : 5_000) + i, `Reg${i}`, "ru"));
      const latencies: number[] = [];
      /** The button of the newest message to the user whose callback data is `data` (as a person presses it). */
      const press = (u: TestUser, data: string) => {
        const found = fake
          .messagesTo(u.chatId)
          .reverse()
          .some((m) => m.buttons.some((b) => b.data === data));
        check(`user ${u.id} sees the button ${data}`, found);
        return timed(callback(u, data), latencies);
      };
      const say = (u: TestUser, text: string) => timed(text.startsWith("/") ? command(u, text) : textMessage(u, text), latencies);
      /** With BENCH_COMMANDS=1: each tap's latencies by its place in the dialog (where the tail is). */
      const byTap: number[][] = Array.from({ length: 10 }, () => []);
      const register = async (u: TestUser) => {
        const taps = [
          () => say(u, `/start ${INVITE_PREFIX}${invite.token}`),
          () => press(u, "ob:lang:ru"),
          () => press(u, "ob:consent:yes"),
          () => say(u, "Иванова Мария Петровна"),
          () => say(u, "1998"),
          () => press(u, "pf:pos:educator"),
          () => say(u, "2"),
          () => press(u, "pf:cat:none"),
          () => press(u, "pf:edu:pedagogical"),
          () => press(u, "ob:confirm"),
        ];
        for (const [i, tap] of taps.entries()) {
          await tap();
          byTap[i]?.push(latencies.at(-1) as number);
        }
      };
      fake.clear();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      if (atOnce) await Promise.all(users.map(register));
      else for (const u of users) await register(u);
      const totalMs = await settledSince(t0);
      const registered = await User.countDocuments({ organizationId: org.value.id, registeredAt: { $exists: true } });
      check(`${count} registered (${registered})`, registered === count);
      check("no dialog state left behind (registration)", (await ConversationState.countDocuments({})) === 0);
      const scenario = atOnce ? `${count} people registering at once by an invitation (10 taps each)` : `registration by an invitation (10 taps), ${count} people one after another`;
      const commands = commandsPerUpdate(latencies.length);
      const taps = byTap.map((l, i) => {
        const sorted = [...l].sort((a, b) => a - b);
        return `${i + 1}: ${(percentile(sorted, 50) / 1000).toFixed(2)}/${(percentile(sorted, 99) / 1000).toFixed(2)}/${((sorted.at(-1) ?? 0) / 1000).toFixed(2)}`;
      });
      results.push({ backend: label, scenario: `${stored} users: ${scenario}`, updates: latencies.length, totalMs, cpuMs: cpuSince(c0), latencies, rssMb: rssMb(), commands: commands && `${commands}\n  by tap, p50/p99/max s: ${taps.join(", ")}` });
      fake.clear();
    };
    if (SEQUENTIAL_REGISTRATIONS > 0) await registrations(SEQUENTIAL_REGISTRATIONS, false);
    const registering = backend === "sqlite" ? SQLITE_REGISTERING_USERS : REGISTERING_USERS;
    if (registering > 0) await registrations(registering, true);
    round++;
    printTable(results); // so far (a long run shows its figures as it goes)
    }
    check(`no errors logged (${sink.errors.slice(0, 3).join("; ")})`, sink.errors.length === 0);
  } finally {
    if (connected) await disconnectDatabase().catch(() => undefined);
    await db?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** CPU ms of this process since `c0` (a `process.cpuUsage()`). */
function cpuSince(c0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
}

function printTable(results: Result[]): void {
  const header = ["database", "scenario", "updates", "total ms", "updates/s", "p50 ms", "p99 ms", "CPU ms/upd", "RSS MB"];
  const rows = results.map((r) => {
    const sorted = [...r.latencies].sort((a, b) => a - b);
    return [
      r.backend,
      r.scenario,
      String(r.updates),
      r.totalMs.toFixed(0),
      ((r.updates / r.totalMs) * 1000).toFixed(0),
      percentile(sorted, 50).toFixed(2),
      percentile(sorted, 99).toFixed(2),
      r.cpuMs === undefined ? "-" : (r.cpuMs / r.updates).toFixed(3),
      r.rssMb.toFixed(0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  console.log(`Nastavnik bench — Node ${process.version}, embedded databases (FerretDB 1.24 on each backend), fake Bot API in-process`);
  console.log(`(latency = one handleUpdate; for the dialog, /language plus the button press; ${WARMUP_UPDATES} warm-up updates not counted;`);
  console.log(" CPU and RSS are this process's, the bot's: the database servers run separately)");
  console.log(line(header));
  console.log(line(header.map((_, i) => "-".repeat(widths[i] as number))));
  for (const row of rows) console.log(line(row));
  for (const r of results) if (r.commands) console.log(`database calls, ${r.backend} ${r.scenario}: ${r.commands}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error("bench failed:", err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
