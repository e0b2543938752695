import type { Server } from "node:http";
import type { RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { Config } from "./core/config.ts";
import type { Logger } from "./core/logger.ts";
import { once } from "./db/backfill.ts";
import { connectConfiguredDatabase, disconnectDatabase } from "./db/connection.ts";
import { OutsideWritesWatch, warmCopies } from "./db/outside-writes.ts";
import { startConfiguredDatabase, type EmbeddedDatabase } from "./db/embedded.ts";
import { createBot, UpdateTracker } from "./bot/create-bot.ts";
import { recoverUnfinishedUpdates, settleUpdateLedger } from "./bot/exactly-once.ts";
import { DurableUpdateSource } from "./bot/update-source.ts";
import { registerDefaultCommands } from "./bot/commands.ts";
import { createTranslator, type Locale } from "./core/locales.ts";
import type { BotContext } from "./bot/context.ts";
import { closeHttpServer, startHttpServer } from "./server.ts";
import { systemClock, type Clock } from "./core/clock.ts";
import { scheduleMaintenance } from "../jobs/maintenance.ts";
import { JobQueue } from "../jobs/queue.ts";
import { registerJobHandlers } from "../jobs/index.ts";
import { setModelClock } from "../models/index.ts";
import { seedDeficitCatalogue } from "./domain/deficits.ts";
import { repairUserDefaults } from "./domain/registration.ts";
import { digestThread, exportThread } from "./domain/digest-thread.ts";
import { heavyThreadHeap } from "./core/memory.ts";

export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

export interface RunningApp {
  bot: Bot<BotContext>;
  stop(reason: string): Promise<void>;
}

/**
 * Starts database, bot and HTTP server; returns a handle whose stop() shuts down gracefully.
 * `options.clock` replaces the system clock for the job queue, the bot and maintenance (the demo
 * uses it to jump ahead in time).
 */
export async function startApp(
  config: Config,
  logger: Logger,
  options: { clock?: Clock; embedded?: Promise<EmbeddedDatabase>; connected?: Promise<void> } = {},
): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  // Record timestamps follow the app's clock (the demo runs on a simulated one).
  if (options.clock) setModelClock(() => clock.now());
  let embedded: EmbeddedDatabase | undefined;
  if (!config.mongodbUri) {
    // The process entry may have started it already, while this module graph was loading.
    embedded = await (options.embedded ?? startConfiguredDatabase(config, logger));
  }
  const tracker = new UpdateTracker();
  const queue = new JobQueue({ clock, logger });
  // Polling confirms an update to Telegram only once it is stored; a webhook answers 500 while
  // the database is down so that Telegram delivers the update again (issue 13, Build item 3).
  const polling = config.botMode === "webhook" ? undefined : new DurableUpdateSource(logger, { allowedUpdates: ALLOWED_UPDATES });
  const bot = createBot(config, {
    logger,
    tracker,
    queue,
    clock,
    updates: polling ? { confirmations: polling } : { redeliveredOnError: true },
  });
  const t = createTranslator(config.defaultLocale as Locale);
  digestThread.logger = logger.child({ component: "digest-thread" });
  exportThread.logger = digestThread.logger;
  const heap = heavyThreadHeap(config.heavyThreadHeapMb);
  const resourceLimits = heap.mb !== undefined ? { maxOldGenerationSizeMb: heap.mb } : undefined;
  digestThread.resourceLimits = exportThread.resourceLimits = resourceLimits;
  logger.info({ heapLimitMb: heap.mb ?? heap.nodeDefaultMb, source: heap.source, memoryMb: heap.budgetMb }, "heavy-work threads (large digests and exports): heap limit");
  registerJobHandlers(queue, bot.api, config, { logger, clock, t });
  try {
    // The process entry may have connected already, while this module graph was loading.
    await (options.connected ?? connectConfiguredDatabase(config, logger, embedded));
    await bot.init();
    const added = await seedDeficitCatalogue();
    if (added > 0) logger.info({ added }, "deficit catalogue loaded");
    // Once per database: both filters are `$exists`, which FerretDB answers by decoding every
    // user (2.8 s of every restart at 20,000 users); users are created with the fields since.
    const repaired = await once("user-defaults", repairUserDefaults);
    if (repaired > 0) logger.warn({ repaired }, "user documents given their missing default fields");
  } catch (err) {
    await disconnectDatabase().catch(() => undefined);
    await embedded?.stop();
    throw err;
  }
  logger.info({ username: bot.botInfo.username, apiRoot: config.telegramApiRoot ?? "https://api.telegram.org" }, "bot identified");

  await registerDefaultCommands(bot.api, (locale, key) => t(locale, key), config.defaultLocale as Locale, logger);

  const maintenance = scheduleMaintenance(clock, logger);
  queue.start(config.jobsTick);
  // What the CLI writes meanwhile reaches the in-process copies within seconds (FerretDB only).
  const outsideWrites = new OutsideWritesWatch(logger);
  await outsideWrites.start().catch((err: unknown) => logger.warn({ err }, "could not read the outside-writes counter"));

  let runner: RunnerHandle | undefined;
  let server: Server;
  if (config.botMode === "webhook") {
    const url = new URL(config.webhookUrl as string);
    server = await startHttpServer({
      host: config.host,
      port: config.port,
      logger,
      webhook: { bot, path: url.pathname, secret: config.webhookSecret as string },
    });
    await bot.api.setWebhook(url.toString(), {
      secret_token: config.webhookSecret,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    logger.info({ mode: "webhook", path: url.pathname }, "bot started");
  } else {
    server = await startHttpServer({ host: config.host, port: config.port, logger });
    try {
      await bot.api.deleteWebhook();
    } catch (err) {
      logger.warn({ err }, "deleteWebhook failed; continuing");
    }
    runner = (polling as DurableUpdateSource).run(bot);
    logger.info({ mode: "polling" }, "bot started");
  }

  // Updates whose process died mid-way are handled again from their stored copy (issue 13).
  const recover = () => recoverUnfinishedUpdates(bot, clock, logger).catch((err: unknown) => logger.warn({ err }, "update recovery failed"));
  void recover();
  // The copies read whole are loaded now, not by the first person who needs them.
  const warming = warmCopies(logger);
  const recovery = setInterval(() => void recover(), 60_000);
  recovery.unref();

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) =>
    (stopping ??= (async () => {
      logger.info({ reason }, "shutting down: no new updates, finishing the ones in flight");
      clearInterval(recovery);
      const watchStopped = outsideWrites.stop();
      if (runner?.isRunning()) await runner.stop();
      await maintenance.stop();
      await queue.stop();
      await closeHttpServer(server);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([tracker.drain(), new Promise((r) => (timer = setTimeout(r, 25_000)))]);
      clearTimeout(timer);
      // The done marks that wait to share a command are written before the database closes.
      await settleUpdateLedger(bot).catch((err: unknown) => logger.warn({ err }, "done marks of the last updates not written (they are handled again after the lease)"));
      if (runner && polling && tracker.highestUpdateId >= 0) {
        // Confirm what is stored or handled so Telegram does not deliver it again (an update still
        // waiting for the database stays unconfirmed and comes back to the next start).
        try {
          await bot.api.getUpdates({ offset: polling.offset(), limit: 1, timeout: 0 });
        } catch (err) {
          logger.warn({ err }, "could not confirm the last update offset (duplicates are skipped on restart)");
        }
      }
      await Promise.all([digestThread.stop(), exportThread.stop(), warming, watchStopped]);
      await disconnectDatabase();
      await embedded?.stop();
      logger.info("stopped");
    })());
  return { bot, stop };
}
