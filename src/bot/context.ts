import type { Context } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Conversation, ConversationFlavor } from "@grammyjs/conversations";
import type { Logger } from "../core/logger.ts";
import type { UserDocument } from "../../models/index.ts";
import type { Config } from "../core/config.ts";
import type { Clock } from "../core/clock.ts";
import type { Scheduler } from "../domain/scheduler.ts";
import type { RequestDeps } from "../domain/requests.ts";
import type { MeetingDeps } from "../domain/meetings.ts";

/** What every handler and scene may use besides the update: configuration, clock, translations. */
export interface BotServices {
  config: Config;
  clock: Clock;
  /** The durable job queue (offer timeouts, reminders, follow-ups). */
  scheduler: Scheduler;
  /** What the request/offer services need (built once from the config). */
  requestDeps: RequestDeps;
  /** What the meeting services need (built once from the config). */
  meetingDeps: MeetingDeps;
  /** Translation in an explicit locale (for messages to other people and in dialogs). */
  t(locale: string, key: string, args?: Record<string, string | number>): string;
}

/** Context inside conversations: i18n, a logger and the services are installed again there (design §6). */
export type SceneContext = Context & I18nFlavor & { log: Logger; services: BotServices };

/** Context of the outside middleware tree. */
export type OuterContext = SceneContext & {
  /** The user's document, if one exists (it is created only by an explicit action). */
  user: UserDocument | null;
  /** Set by the error boundary when the database could not be reached (the update is handled again later). */
  outage?: unknown;
  /** The person already got an apology for this update. */
  apologised?: boolean;
};

export type BotContext = ConversationFlavor<OuterContext>;

export type SceneConversation = Conversation<BotContext, SceneContext>;

/** A registered person who has not erased their data (the precondition of every role action). */
export function isRegistered(ctx: { user?: { registeredAt?: Date | null; erasedAt?: Date | null } | null }): boolean {
  return Boolean(ctx.user?.registeredAt && !ctx.user.erasedAt);
}

/** The language of this update's replies, as the date and number formatters take it. */
export async function uiLocale(ctx: I18nFlavor): Promise<"ru" | "en"> {
  return (await ctx.i18n.getLocale()) === "en" ? "en" : "ru";
}
