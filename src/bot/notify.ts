import type { Notice } from "../domain/notices.ts";
import { sendNotices, type OutboxDeps } from "../messaging/outbox.ts";
import type { SceneContext } from "./context.ts";

/** The outbox as the bot's handlers use it (no limiter: these are single messages caused by one person). */
export function outboxOf(ctx: SceneContext): OutboxDeps {
  return { api: ctx.api, t: ctx.services.t, log: ctx.log, scheduler: ctx.services.scheduler, clock: ctx.services.clock, hours: ctx.services.config.workingHours, curatorList: ctx.services.config.curatorList };
}

/**
 * Tells other people (counterparts, curators) about what this update did, through the outbox:
 * durable, retried until delivered, keyed by the update so a redelivered update sends nothing
 * twice. Notices to others wait for their working hours (issue 15). Inside a conversation call it within `conversation.external` (it writes to the database).
 */
export async function notify(ctx: SceneContext, notices: Notice[]): Promise<number> {
  if (notices.length === 0) return 0;
  // What goes to the person who acted is a reply: never held back by working hours.
  const own = (n: Notice): Notice => (n.telegramId === ctx.from?.id ? { ...n, anyHour: true } : n);
  return sendNotices(outboxOf(ctx), notices.map(own), `u:${ctx.me.id}:${ctx.update.update_id}`);
}
