import "./grammy-chain.ts"; // grammY's filters and chain without the closures built per update (see the module)
import { Bot, Composer, type Api, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { conversations } from "@grammyjs/conversations";
import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import { systemClock, type Clock } from "../core/clock.ts";
import { User } from "../../models/index.ts";
import type { BotContext, BotServices, SceneContext } from "./context.ts";
import { createI18n, localeFromTelegram, negotiateLocale, type Locale } from "./i18n.ts";
import { mongoConversationStorage, SCENES_VERSION } from "./conversation-storage.ts";
import { basicsFeature, fallbackFeature } from "./features/basics.ts";
import { languageFeature } from "./features/language.ts";
import { accountFeature } from "./features/account.ts";
import { curatorListFeature } from "./features/curator-list.ts";
import { reachabilityFeature, reachableAgain } from "./features/reachability.ts";
import { scenesComposer } from "../../scenes/index.ts";
import { registerDefaultCommands } from "./commands.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { loadUserByTelegramId } from "../db/user-cache.ts";
import { UpdateLedger, type ExactlyOnceOptions } from "./exactly-once.ts";
import type { Scheduler } from "../domain/scheduler.ts";
import { registerErasureStep } from "../domain/privacy.ts";
import { requestErasureStep } from "../domain/requests.ts";
import { matchingFeature } from "./features/matching.ts";
import { myRequestsFeature } from "./features/my-requests.ts";
import { questionsFeature } from "./features/questions.ts";
import { mentorApplicationsFeature } from "./features/mentor-applications.ts";
import { meetingsFeature } from "./features/meetings.ts";
import { surveysFeature } from "./features/surveys.ts";
import { meetingsErasureStep } from "../domain/meetings.ts";
import { groupSessionsFeature } from "./features/group-sessions.ts";
import { groupsFeature } from "./features/groups.ts";
import { groupsErasureStep } from "../domain/groups.ts";
import { trainingFeature } from "./features/training.ts";
import { programsFeature } from "./features/programs.ts";
import { pulseFeature } from "./features/pulse.ts";
import { digestFeature } from "./features/digest.ts";
import { questionnairesFeature } from "./features/questionnaires.ts";

export interface BotDeps {
  logger: Logger;
  clock?: Clock;
  /** Known bot identity; when given, `bot.init()` does not call getMe. */
  botInfo?: UserFromGetMe;
  /** Replaces the HTTP client (tests use a fake Bot API here). */
  fetch?: typeof fetch;
  /** Auto-retry limits; tests shorten them. */
  retry?: { maxRetryAttempts?: number; maxDelaySeconds?: number };
  /** Counts updates in flight, for graceful shutdown. */
  tracker?: UpdateTracker;
  /** The durable job queue that the bot's features schedule work on (its handlers: jobs/index.ts). */
  queue: Scheduler;
  /** Lease and outage-retry timing of updates (tests shorten them). */
  updates?: Partial<Pick<ExactlyOnceOptions, "leaseMs" | "freshLingerMs" | "runningRecordAfterMs" | "retryDelayMs" | "maxRounds" | "confirmations" | "redeliveredOnError">>;
}

/** Tracks updates being handled so shutdown can wait for them. */
export class UpdateTracker {
  private inFlight = new Set<Promise<unknown>>();
  highestUpdateId = -1;
  track<T>(updateId: number, work: Promise<T>): Promise<T> {
    if (updateId > this.highestUpdateId) this.highestUpdateId = updateId;
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }
  get size(): number {
    return this.inFlight.size;
  }
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

/**
 * Sets HTML parse mode on every outgoing text unless the caller chose one, and drops empty rows
 * from inline keyboards (a keyboard built row by row may end with one).
 */
export function htmlParseMode(): Transformer {
  return (prev, method, payload, signal) => {
    if (!payload || typeof payload !== "object") return prev(method, payload, signal);
    let out = payload as Record<string, unknown>;
    if (["sendMessage", "editMessageText", "sendPhoto", "sendDocument", "editMessageCaption"].includes(method) && !("parse_mode" in out)) {
      out = { ...out, parse_mode: "HTML" };
    }
    const markup = out.reply_markup as { inline_keyboard?: unknown[][] } | undefined;
    if (markup?.inline_keyboard?.some((row) => row.length === 0)) {
      out = { ...out, reply_markup: { ...markup, inline_keyboard: markup.inline_keyboard.filter((row) => row.length > 0) } };
    }
    return prev(method, out as typeof payload, signal);
  };
}

/** Buttons that always work, also in the middle of a dialog (which they end, like a command). */
export const GLOBAL_CALLBACKS = /^(m:|mq:|qq:|ap:|mr:|jr:|iv:rv:|of:|pc:|ma:|rc:|qa:|del:|mt:|gs:|sv:|pl:|pg:|fs:|sa:|bp:|pr:|dg:|qs:|qc:|gr:|ci:|tr:|tq:|rq:(o|l|as|pk|cl|ob):)/;

export function installApiTransformers(api: Api, deps: BotDeps): void {
  api.config.use(
    autoRetry({
      maxRetryAttempts: deps.retry?.maxRetryAttempts ?? 5,
      maxDelaySeconds: deps.retry?.maxDelaySeconds ?? 300,
      rethrowInternalServerErrors: false,
      rethrowHttpErrors: false,
    }),
  );
  api.config.use(htmlParseMode());
  api.config.use(callbackAnswerRecorder());
}

/** Callback queries answered during the update being handled (any Api instance, conversations too). */
const answeredCallbacks = new Set<string>();

function callbackAnswerRecorder(): Transformer {
  return (prev, method, payload, signal) => {
    if (method === "answerCallbackQuery") {
      const id = (payload as { callback_query_id?: unknown } | undefined)?.callback_query_id;
      if (typeof id === "string") answeredCallbacks.add(id);
    }
    return prev(method, payload, signal);
  };
}

/** Builds the bot with no I/O: nothing is sent until updates are handled or `bot.init()` runs. */
export function createBot(config: Config, deps: BotDeps): Bot<BotContext> {
  const clock = deps.clock ?? systemClock;
  const bot = new Bot<BotContext>(config.botToken, {
    botInfo: deps.botInfo,
    client: {
      apiRoot: config.telegramApiRoot,
      fetch: deps.fetch,
      timeoutSeconds: 60,
    },
  });
  installApiTransformers(bot.api, deps);

  const defaultLocale = config.defaultLocale as Locale;
  const i18n = createI18n<BotContext>(defaultLocale, (ctx) => negotiateLocale(ctx, defaultLocale));
  const sceneI18n = createI18n<SceneContext>(defaultLocale, (ctx) => negotiateLocale(ctx, defaultLocale));
  const baseLog = deps.logger;
  const requestDeps = { scheduler: deps.queue, offerTimeoutMs: config.offerTimeoutMs, pulseIntervalMs: config.pulseIntervalMs, flashPairIdleMs: config.flashPairIdleMs, hours: config.workingHours };
  const meetingDeps = { scheduler: deps.queue, reminderOffsetsMs: config.reminderOffsetsMs, followupDelayMs: config.sessionFollowupDelayMs };
  const services: BotServices = {
    config,
    clock,
    scheduler: deps.queue,
    requestDeps,
    meetingDeps,
    t: (locale, key, args) => i18n.t(locale, key, args),
  };

  // 1. Shutdown tracking, then one update at a time per chat and per user.
  if (deps.tracker) {
    const tracker = deps.tracker;
    bot.use((ctx, next) => tracker.track(ctx.update.update_id, next()));
  }
  bot.use(sequentialize((ctx) => [ctx.chat?.id.toString(), ctx.from?.id.toString()].filter((k) => k !== undefined)));

  // 2. A child logger per update.
  bot.use((ctx, next) => {
    ctx.log = baseLog.child({ update_id: ctx.update.update_id, chat_id: ctx.chat?.id, user_id: ctx.from?.id });
    ctx.services = services;
    return next();
  });

  // 3. Exactly once in effect: recorded running with a lease, done after the handler; while the
  //    database is down the person hears an apology and the update is handled again later.
  const ledger = new UpdateLedger(bot, {
    clock,
    logger: baseLog,
    apologize: (ctx) => replyWithApology(ctx, defaultLocale, i18n.t.bind(i18n), "error-database-wait"),
    ...deps.updates,
  });
  bot.use(ledger.middleware());

  // Text input in one Unicode form (NFC): a name typed with combining marks is the same name.
  bot.use((ctx, next) => {
    const msg = ctx.message ?? ctx.editedMessage;
    if (msg?.text) msg.text = msg.text.normalize("NFC");
    if (msg?.caption) msg.caption = msg.caption.normalize("NFC");
    return next();
  });

  // 4. Everything else behind an error boundary that answers the user in their language.
  const guarded = new Composer<BotContext>();
  bot.errorBoundary(async (err) => {
    const ctx = err.ctx;
    (ctx.log ?? baseLog).error({ err: err.error, update_id: ctx.update.update_id }, "update failed");
    if (isDatabaseUnavailable(err.error)) {
      // Handled again once the database is back (see UpdateLedger); say so now, once.
      ctx.outage = err.error;
      if (!ctx.apologised) await replyWithApology(ctx, defaultLocale, i18n.t.bind(i18n), "error-database-wait");
      ctx.apologised = true;
      return;
    }
    await replyWithApology(ctx, defaultLocale, i18n.t.bind(i18n));
  }, guarded);

  // Every button press gets an answer (an old button pressed while a dialog waits for text too),
  // so the client never spins.
  guarded.on("callback_query", async (ctx, next) => {
    const id = ctx.callbackQuery.id;
    try {
      await next();
    } catch (err) {
      answeredCallbacks.delete(id);
      throw err; // the error boundary answers with the apology
    }
    if (!answeredCallbacks.delete(id)) await ctx.answerCallbackQuery().catch((err: unknown) => ctx.log.warn({ err }, "could not answer a callback"));
  });
  guarded.use(async (ctx, next) => {
    ctx.user = ctx.from ? await loadUserByTelegramId(ctx.from.id) : null;
    // Keep the contact handle current for registered users (it is shown to pair partners).
    if (ctx.user?.registeredAt && ctx.from && (ctx.from.username ?? undefined) !== (ctx.user.username ?? undefined)) {
      await User.updateOne(
        { _id: ctx.user._id },
        ctx.from.username ? { $set: { username: ctx.from.username } } : { $unset: { username: 1 } },
      );
    }
    return next();
  });
  guarded.use(reachableAgain());
  guarded.use(i18n);
  guarded.use(
    conversations<BotContext, SceneContext>({
      storage: {
        type: "key",
        version: SCENES_VERSION,
        adapter: mongoConversationStorage(),
        getStorageKey: (ctx) => ctx.chatId?.toString(),
      },
      plugins: [
        (ctx, next) => {
          installApiTransformers(ctx.api, deps);
          ctx.log = baseLog.child({ update_id: ctx.update.update_id, chat_id: ctx.chat?.id, user_id: ctx.from?.id });
          ctx.services = services;
          return next();
        },
        sceneI18n.middleware(),
      ],
    }),
  );

  // /cancel and any other command leave an active dialog before it could swallow them.
  guarded.command("cancel", async (ctx) => {
    const active = Object.keys(ctx.conversation.active()).length > 0;
    await ctx.conversation.exitAll();
    await ctx.reply(ctx.t(active ? "cancel-done" : "cancel-nothing"), { reply_markup: { remove_keyboard: true } });
  });
  guarded.on("message:entities:bot_command", async (ctx, next) => {
    const first = ctx.message.entities[0];
    if (first?.type === "bot_command" && first.offset === 0 && Object.keys(ctx.conversation.active()).length > 0) {
      await ctx.conversation.exitAll();
    }
    return next();
  });
  guarded.on("callback_query:data", async (ctx, next) => {
    if (GLOBAL_CALLBACKS.test(ctx.callbackQuery.data) && Object.keys(ctx.conversation.active()).length > 0) {
      await ctx.conversation.exitAll();
    }
    return next();
  });

  guarded.use(scenesComposer());
  guarded.use(reachabilityFeature());
  guarded.use(languageFeature());
  guarded.use(curatorListFeature());
  guarded.use(accountFeature());
  guarded.use(matchingFeature());
  guarded.use(myRequestsFeature());
  guarded.use(questionsFeature());
  guarded.use(mentorApplicationsFeature());
  guarded.use(groupSessionsFeature());
  guarded.use(groupsFeature());
  guarded.use(trainingFeature());
  guarded.use(meetingsFeature());
  guarded.use(surveysFeature());
  guarded.use(programsFeature());
  guarded.use(pulseFeature());
  guarded.use(digestFeature());
  guarded.use(questionnairesFeature());
  guarded.use(basicsFeature());
  guarded.use(fallbackFeature());

  registerErasureStep("requests", requestErasureStep(requestDeps));
  registerErasureStep("meetings", meetingsErasureStep(meetingDeps));
  registerErasureStep("groups", groupsErasureStep(requestDeps));

  bot.catch((err) => {
    baseLog.error({ err: err.error, update_id: err.ctx.update.update_id }, "unhandled bot error");
  });

  return bot;
}

async function replyWithApology(
  ctx: BotContext,
  defaultLocale: Locale,
  t: (locale: string, key: string) => string,
  key = "error-generic",
): Promise<void> {
  let locale: string = localeFromTelegram(ctx.from?.language_code, defaultLocale);
  try {
    if (typeof ctx.i18n?.getLocale === "function") locale = await ctx.i18n.getLocale();
  } catch {
    // The locale lookup itself may be what failed (database down): keep Telegram's language.
  }
  try {
    const text = t(locale, key);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
    else if (ctx.chat) await ctx.reply(text);
  } catch (replyErr) {
    (ctx.log ?? console).error({ err: replyErr }, "could not send the apology");
  }
}

export { registerDefaultCommands };
