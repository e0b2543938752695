import type { Update } from "grammy/types";
import type { Bot } from "grammy";
import { DEFAULT_INVITE_THROTTLE, type Config } from "../core/config.ts";
import { createLogger, type Logger } from "../core/logger.ts";
import { createBot, type BotDeps } from "../bot/create-bot.ts";
import { settleUpdateLedger } from "../bot/exactly-once.ts";
import { setModelClock } from "../../models/index.ts";
import type { BotContext } from "../bot/context.ts";
import type { Clock } from "../core/clock.ts";
import { FakeTelegram } from "./fake-telegram.ts";
import { JobQueue } from "../../jobs/queue.ts";
import { systemClock } from "../core/clock.ts";
import { ALWAYS_WORKING } from "../core/working-hours.ts";
import { registerJobHandlers } from "../../jobs/index.ts";
import { createTranslator, type Locale } from "../core/locales.ts";

export const TEST_TOKEN = "7000000001:AAH-test-token-for-the-fake-bot-api-0000";

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    botToken: TEST_TOKEN,
    botMode: "polling",
    port: 0,
    host: "127.0.0.1",
    dataDir: "./data",
    adminIds: [],
    defaultLocale: "ru",
    logLevel: "debug",
    offerTimeoutMs: 48 * 3_600_000,
    reminderOffsetsMs: [24 * 3_600_000, 3_600_000],
    sessionFollowupDelayMs: 30 * 60_000,
    pulseIntervalMs: 28 * 86_400_000,
    flashPairIdleMs: 21 * 86_400_000,
    jobsTick: "*/15 * * * * *",
    digestCron: "0 9 * * 1",
    // Tests that are not about working hours run around the clock (tests/working-hours.test.ts turns them on).
    workingHours: ALWAYS_WORKING,
    // And curators get each notice at once (tests/curator-list.test.ts turns the daily list on).
    curatorList: "instant",
    inviteThrottle: DEFAULT_INVITE_THROTTLE,
    ...overrides,
  };
}

/** Captures structured log lines in memory. */
export class LogSink {
  readonly lines: Array<Record<string, unknown> & { msg?: string; level: number }> = [];
  readonly raw: string[] = [];
  write(line: string): void {
    this.raw.push(line);
    this.lines.push(JSON.parse(line) as Record<string, unknown> & { level: number });
  }
  errors(): Array<Record<string, unknown>> {
    return this.lines.filter((l) => l.level >= 50);
  }
}

export interface TestBot {
  bot: Bot<BotContext>;
  /** The bot's job queue on the test database; tick it after advancing the clock. */
  queue: JobQueue;
  fake: FakeTelegram;
  logs: LogSink;
  logger: Logger;
  /** Handles updates one after another, as Telegram would deliver them. */
  send(...updates: Update[]): Promise<void>;
}

export interface TestBotOptions {
  fake?: FakeTelegram;
  config?: Partial<Config>;
  clock?: Clock;
  logs?: LogSink;
  /** Update lease and outage-retry timing (see src/bot/exactly-once.ts). */
  updates?: BotDeps["updates"];
}

/** The real bot, wired to the fake Bot API and the test database. */
export function buildTestBot(options: TestBotOptions = {}): TestBot {
  const fake = options.fake ?? new FakeTelegram();
  const logs = options.logs ?? new LogSink();
  const config = testConfig(options.config);
  const logger = createLogger({ level: "debug", secrets: [config.botToken], destination: logs });
  // Records written by this bot carry its (possibly simulated) time in createdAt/updatedAt.
  const modelClock = options.clock;
  setModelClock(modelClock ? () => modelClock.now() : () => new Date());
  const queue = new JobQueue({ clock: options.clock ?? systemClock, logger, instanceId: `test-${Math.random().toString(36).slice(2, 8)}` });
  const bot = createBot(config, {
    logger,
    queue,
    clock: options.clock,
    botInfo: fake.botInfo,
    fetch: fake.fetch,
    retry: { maxRetryAttempts: 3, maxDelaySeconds: 5 },
    updates: options.updates,
  });
  const t = createTranslator(config.defaultLocale as Locale);
  registerJobHandlers(queue, bot.api, config, { logger, clock: options.clock, t });
  return {
    bot,
    queue,
    fake,
    logs,
    logger,
    async send(...updates) {
      for (const u of updates) await bot.handleUpdate(u);
      // The done marks wait a moment to share a command (see exactly-once.ts): written now, so
      // that what a test or the simulator reads next is what a settled process would show.
      await settleUpdateLedger(bot);
    },
  };
}
