import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { freePort } from "../src/db/embedded.ts";

/**
 * Issue 13, Build item 3 with the real process (`node src/main.ts`): kill -9 at several points of
 * an update, and a database outage. Telegram here is a small Bot API server that keeps Telegram's
 * rules for long polling: an update is forgotten only when a getUpdates call's `offset` passes it,
 * and redelivered until then. The database is reached through a TCP proxy the test can cut.
 */
const TOKEN = "5550002:AAF-crash-test-token-emulator-0000000";

interface Sent {
  method: string;
  chatId: number;
  text: string;
}

/** A Bot API with Telegram's offset rule; `hold` makes sendMessage to a chat hang (the process dies before Telegram answers). */
class MiniTelegram {
  private queue: Array<Record<string, unknown> & { update_id: number }> = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  readonly sent: Sent[] = [];
  readonly offsets: number[] = [];
  hold = new Set<number>();
  private server!: Server;
  private waiters: Array<() => void> = [];
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  message(chatId: number, text: string): number {
    const id = this.nextUpdateId++;
    const from = { id: chatId, is_bot: false, first_name: "Коллега", language_code: "ru" };
    const entities = text.startsWith("/") ? [{ offset: 0, length: text.split(" ")[0]!.length, type: "bot_command" }] : undefined;
    this.queue.push({ update_id: id, message: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "Коллега" }, from, text, ...(entities ? { entities } : {}) } });
    for (const w of this.waiters.splice(0)) w();
    return id;
  }

  /** Updates Telegram still holds (not yet confirmed by an offset). */
  get unconfirmed(): number[] {
    return this.queue.map((u) => u.update_id);
  }

  textsTo(chatId: number): string[] {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const method = (req.url ?? "").split("/").pop() ?? "";
    const reply = (result: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, result }));
    };
    switch (method) {
      case "getMe":
        return reply({ id: 5550002, is_bot: true, first_name: "Наставник", username: "nastavnik_crash_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
      case "getUpdates": {
        const offset = Number(body.offset ?? 0);
        this.offsets.push(offset);
        if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
        if (this.queue.length === 0) {
          const timeout = Math.min(Number(body.timeout ?? 0), 2) * 1000;
          await new Promise<void>((r) => {
            const timer = setTimeout(r, timeout);
            this.waiters.push(() => (clearTimeout(timer), r()));
          });
        }
        return reply(this.queue.slice(0, Number(body.limit ?? 100)));
      }
      case "sendMessage": {
        const chatId = Number(body.chat_id);
        if (this.hold.has(chatId)) return; // never answered, never delivered: the process dies waiting
        this.sent.push({ method, chatId, text: String(body.text) });
        return reply({ message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private" }, text: body.text });
      }
      default:
        return reply(true);
    }
  }
}

/** A TCP proxy to the database that the test can cut (an outage) and restore. */
class DbProxy {
  private server!: TcpServer;
  private sockets = new Set<Socket>();
  private down = false;
  port = 0;
  private readonly target: URL;

  constructor(target: URL) {
    this.target = target;
  }

  async start(): Promise<void> {
    this.server = createTcpServer((client) => {
      if (this.down) return client.destroy();
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

let telegram: MiniTelegram;
let proxy: DbProxy;
let dbName = "";
const processes: ChildProcess[] = [];

async function startBot(): Promise<{ child: ChildProcess; output: () => string }> {
  const uri = new URL(inject("mongoUri"));
  uri.host = `127.0.0.1:${proxy.port}`;
  uri.pathname = `/${dbName}`;
  let output = "";
  const child = spawn(process.execPath, ["src/main.ts"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: telegram.url,
      MONGODB_URI: uri.toString(),
      PORT: String(await freePort()),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  processes.push(child);
  return { child, output: () => output };
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000, log?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${log ? `\n--- bot output ---\n${log().slice(-3000)}` : ""}`);
}

async function kill9(child: ChildProcess): Promise<void> {
  child.kill("SIGKILL");
  await until("the process to die", () => child.exitCode !== null || child.signalCode !== null);
}

const HELP = /Что умеет/;
const SORRY = /^Извините, сейчас не получается/;

beforeAll(async () => {
  telegram = new MiniTelegram();
  await telegram.start();
  const target = new URL(inject("mongoUri"));
  proxy = new DbProxy(target);
  await proxy.start();
  dbName = `crash_${Date.now()}`;
});

afterAll(async () => {
  for (const p of processes) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  await telegram.stop();
  await proxy.stop();
});

describe("the real process: kill -9 and a database outage", () => {
  it("kill -9 while an answer is on its way: the next process answers the update once, at once", async () => {
    const a = await startBot();
    await until("the bot to start", () => a.output().includes('"msg":"bot started"'), 60_000, a.output);
    const chat = 9101;
    telegram.hold.add(chat);
    const id = telegram.message(chat, "/help");
    // The update is handled up to the reply, which hangs: it is stored, so Telegram may forget it.
    await until("the update to be confirmed", () => !telegram.unconfirmed.includes(id), 30_000, a.output);
    await kill9(a.child);
    telegram.hold.delete(chat);
    expect(telegram.textsTo(chat)).toEqual([]);

    const b = await startBot();
    await until("the answer from the next process", () => telegram.textsTo(chat).length > 0, 60_000, b.output);
    await new Promise((r) => setTimeout(r, 1500));
    expect(telegram.textsTo(chat)).toHaveLength(1);
    expect(telegram.textsTo(chat)[0]).toMatch(HELP);
    expect(b.output()).toContain("handling an update again: its process stopped mid-way");
    await kill9(b.child);
  }, 120_000);

  it("database outage: three people writing hear an apology, every message is answered once it is back, and kill -9 during the outage loses nothing", async () => {
    const a = await startBot();
    await until("the bot to start", () => a.output().includes('"msg":"bot started"'), 60_000, a.output);
    const chats = [9201, 9202, 9203];
    proxy.cut();
    const ids: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const c of chats) ids.push(telegram.message(c, "/help"));
      await new Promise((r) => setTimeout(r, 700));
    }
    await until("an apology to each", () => chats.every((c) => telegram.textsTo(c).some((t) => SORRY.test(t))), 40_000, a.output);
    // Nothing that waits for the database is confirmed to Telegram.
    expect(ids.filter((id) => !telegram.unconfirmed.includes(id)), a.output().split("\n").filter((l) => /"level":(40|50)/.test(l)).slice(0, 6).join("\n")).toEqual([]);

    // The process dies during the outage; the next one starts when the database is back.
    await kill9(a.child);
    proxy.restore();
    const b = await startBot();
    await until("every message answered", () => chats.every((c) => telegram.textsTo(c).filter((t) => HELP.test(t)).length === 3), 60_000, b.output);
    await until("every update confirmed", () => ids.every((id) => !telegram.unconfirmed.includes(id)), 30_000, b.output);
    await new Promise((r) => setTimeout(r, 1500));
    for (const c of chats) {
      const texts = telegram.textsTo(c);
      expect(texts.filter((t) => HELP.test(t))).toHaveLength(3); // each message once
      expect(texts.filter((t) => SORRY.test(t)).length).toBeGreaterThanOrEqual(1);
      expect(texts.filter((t) => SORRY.test(t)).length).toBeLessThanOrEqual(3); // an apology per message at most
    }

    // The same outage without a crash: the running process answers once the database is back.
    proxy.cut();
    const later = chats.map((c) => telegram.message(c, "/help"));
    await until("apologies", () => chats.every((c) => telegram.textsTo(c).filter((t) => SORRY.test(t)).length >= 2), 40_000, b.output);
    proxy.restore();
    await until("the answers", () => chats.every((c) => telegram.textsTo(c).filter((t) => HELP.test(t)).length === 4), 90_000, b.output);
    await until("confirmed", () => later.every((id) => !telegram.unconfirmed.includes(id)), 30_000, b.output);
    await kill9(b.child);
  }, 240_000);
});
