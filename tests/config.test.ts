import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { ConfigError, loadConfig } from "../src/core/config.ts";

const TOKEN = "123456789:AAE-abcdefghijklmnopqrstuvwxyz012345";

function problems(env: Record<string, string | undefined>): Record<string, string> {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return Object.fromEntries((err as ConfigError).problems.map((p) => [p.variable, `${p.message} | ${p.expects}`]));
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("applies defaults to a minimal valid environment", () => {
    const c = loadConfig({ BOT_TOKEN: TOKEN });
    expect(c).toMatchObject({ botMode: "polling", port: 8080, defaultLocale: "ru", logLevel: "info", adminIds: [], dataDir: "./data", embeddedDbCommit: "interval" });
    expect(c.mongodbUri).toBeUndefined();
  });

  it("parses every variable", () => {
    const c = loadConfig({
      BOT_TOKEN: TOKEN,
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.org/tg",
      WEBHOOK_SECRET: "s3cret_-x",
      PORT: "9090",
      MONGODB_URI: "mongodb://db:27017/nastavnik",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      ADMIN_IDS: "111, 222",
      DEFAULT_LOCALE: "en",
      LOG_LEVEL: "warn",
      EMBEDDED_DB_COMMIT: "flush",
      HEAVY_THREAD_HEAP_MB: "768",
    });
    expect(c).toMatchObject({
      embeddedDbCommit: "flush",
      heavyThreadHeapMb: 768,
      botMode: "webhook",
      webhookUrl: "https://bot.example.org/tg",
      port: 9090,
      telegramApiRoot: "http://127.0.0.1:8081",
      adminIds: [111, 222],
      defaultLocale: "en",
      logLevel: "warn",
    });
  });

  it("lists every problem at once with what each variable expects", () => {
    const p = problems({ BOT_MODE: "webhook", PORT: "99999", ADMIN_IDS: "12,abc", DEFAULT_LOCALE: "de", MONGODB_URI: "postgres://x", EMBEDDED_DB_COMMIT: "fsync", HEAVY_THREAD_HEAP_MB: "64" });
    expect(Object.keys(p).sort()).toEqual(
      ["ADMIN_IDS", "BOT_TOKEN", "DEFAULT_LOCALE", "EMBEDDED_DB_COMMIT", "HEAVY_THREAD_HEAP_MB", "MONGODB_URI", "PORT"].sort(),
    );
    expect(p.HEAVY_THREAD_HEAP_MB).toMatch(/^must be at least 128 \| heap limit in MB/);
    expect(p.EMBEDDED_DB_COMMIT).toMatch(/^must be interval or flush \| when the embedded PostgreSQL acknowledges a write/);
    expect(p.BOT_TOKEN).toMatch(/^is required \| the bot token from @BotFather/);
    expect(p.ADMIN_IDS).toContain('"abc" is not a Telegram user id');
  });

  it("takes DIGEST_CRON as a 5-field cron (Monday 09:00 by default) and explains a bad one", () => {
    expect(loadConfig({ BOT_TOKEN: TOKEN }).digestCron).toBe("0 9 * * 1");
    expect(loadConfig({ BOT_TOKEN: TOKEN, DIGEST_CRON: "30 8 * * 5" }).digestCron).toBe("30 8 * * 5");
    for (const bad of ["0 9 * *", "0 25 * * 1", "*/15 * * * * *", "every monday"]) {
      expect(problems({ BOT_TOKEN: TOKEN, DIGEST_CRON: bad }).DIGEST_CRON, bad).toMatch(/must be a cron expression with 5 fields .*\| five-field cron expression/);
    }
  });

  it("requires the webhook URL and secret in webhook mode", () => {
    const p = problems({ BOT_TOKEN: TOKEN, BOT_MODE: "webhook" });
    expect(p.WEBHOOK_URL).toMatch(/required in webhook mode/);
    expect(p.WEBHOOK_SECRET).toMatch(/required in webhook mode/);
  });

  it("rejects a malformed token without echoing it", () => {
    const err = (() => {
      try {
        loadConfig({ BOT_TOKEN: "not-a-token-value" });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.message).toContain("BOT_TOKEN does not look like a bot token");
    expect(err?.message).not.toContain("not-a-token-value");
  });

  it("makes the process exit non-zero with the list and no stack trace", () => {
    const res = spawnSync(process.execPath, ["src/main.ts"], {
      env: { PATH: process.env.PATH, BOT_MODE: "sideways", HOME: process.env.HOME },
      encoding: "utf8",
      cwd: process.cwd(),
      // Loading every module of the bot takes seconds on a busy machine.
      timeout: 80_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("Invalid configuration (2 problems)");
    expect(res.stderr).toContain("BOT_TOKEN is required");
    expect(res.stderr).toContain("BOT_MODE must be polling or webhook");
    expect(res.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});
