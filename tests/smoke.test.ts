import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../src/db/embedded.ts";
import { startEmulator, type Emulator } from "./helpers/emulator.ts";

/**
 * End to end: the bot runs as its own process (`node src/main.ts`, as `npm start` does) against
 * telegram-test-api through TELEGRAM_API_ROOT, on the test database server.
 */
const TOKEN = "5550001:AAF-smoke-test-token-emulator-000000";
let emulator: Emulator;
let bot: ChildProcess;
let output = "";
let healthPort = 0;

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return res.json();
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n--- bot output ---\n${output.slice(-3000)}`);
}

function botTexts(): string[] {
  return emulator.server
    .getUpdatesHistory(TOKEN)
    .map((u) => u.message as { text?: string; from?: { is_bot?: boolean } } | undefined)
    .filter((m) => m?.from?.is_bot === true || m?.from === undefined)
    .map((m) => m?.text ?? "");
}

const user = { id: 4242, first_name: "Дарья", is_bot: false, language_code: "ru" };
const chat = { id: 4242, type: "private", first_name: "Дарья" };

beforeAll(async () => {
  emulator = await startEmulator(await freePort());
  healthPort = await freePort();
  const uri = new URL(inject("mongoUri"));
  uri.pathname = `/smoke_${Date.now()}`;
  bot = spawn(process.execPath, ["src/main.ts"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emulator.url,
      MONGODB_URI: uri.toString(),
      PORT: String(healthPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      HEAVY_THREAD_HEAP_MB: "512",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  bot.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  bot.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  await until("the bot to start", () => output.includes('"msg":"bot started"'), 60_000); // a loaded 2-core machine needs 10 s and more
}, 90_000);

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await emulator.stop();
});

describe("smoke: the bot process against telegram-test-api", () => {
  it("answers /start, runs a dialog with buttons, reports health, and shuts down cleanly", async () => {
    const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, db: "connected" });
    // The digest's and the export's threads get the configured heap limit, and the log says so.
    expect(output).toMatch(/"heapLimitMb":512,"source":"configured".*"msg":"heavy-work threads \(large digests and exports\): heap limit"/);

    await post("/sendCommand", {
      botToken: TOKEN,
      from: user,
      chat,
      date: Math.floor(Date.now() / 1000),
      text: "/start",
      entities: [{ offset: 0, length: 6, type: "bot_command" }],
    });
    await until("the onboarding greeting", () => botTexts().find((t) => t.startsWith("Здравствуйте! Я «Наставник»")));

    await post("/sendCommand", {
      botToken: TOKEN,
      from: user,
      chat,
      date: Math.floor(Date.now() / 1000),
      text: "/language",
      entities: [{ offset: 0, length: 9, type: "bot_command" }],
    });
    const prompt = await until("the language prompt", () =>
      emulator.server
        .getUpdatesHistory(TOKEN)
        .find((u) => (u.message as { text?: string } | undefined)?.text === "Выберите язык общения:"),
    );
    await post("/sendCallback", {
      botToken: TOKEN,
      from: user,
      data: "lang:en",
      message: { ...(prompt.message as object), message_id: prompt.messageId, chat },
      date: Math.floor(Date.now() / 1000),
    });
    await until("the switch to English", () => botTexts().find((t) => t === "Done: I now speak English."));

    // setMyCommands is not implemented by the emulator: the bot logged it and went on.
    expect(output).toContain("setMyCommands failed; continuing");
    expect(output).not.toContain(TOKEN);

    bot.kill("SIGTERM");
    const code = await until("the process to exit", () => (bot.exitCode === null ? undefined : bot.exitCode), 20_000);
    expect(code).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});
