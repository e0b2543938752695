import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { User } from "../../../models/index.ts";
import { releaseParked } from "../../messaging/outbox.ts";
import { outboxOf } from "../notify.ts";

/**
 * `my_chat_member` in a private chat tells when a user blocks or unblocks the bot. Blocking
 * marks a known user unreachable (jobs skip them, curators are told); unblocking clears it.
 */
export function reachabilityFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    const blocked = status === "kicked" || status === "left";
    await User.updateOne(
      { telegramId: ctx.myChatMember.from.id },
      blocked
        ? { $set: { unreachable: true, unreachableSince: new Date(ctx.myChatMember.date * 1000) } }
        : { $set: { unreachable: false }, $unset: { unreachableSince: 1 } },
    );
    if (!blocked) await releaseParked(outboxOf(ctx), ctx.myChatMember.from.id);
    ctx.log.info({ blocked }, "private chat membership changed");
  });
  return composer;
}

/**
 * Any message or button press from a person marked unreachable proves they can be reached again:
 * the mark is cleared and the messages parked for them (while still relevant) are sent first.
 * Runs after the user lookup, before every feature.
 */
export function reachableAgain(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on(["message", "callback_query"], async (ctx, next) => {
    if (ctx.user?.unreachable && ctx.from) {
      const sent = await releaseParked(outboxOf(ctx), ctx.from.id);
      ctx.user.unreachable = false;
      ctx.log.info({ sent }, "unreachable user wrote again: parked messages released");
    }
    return next();
  });
  return composer;
}
