import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { User } from "../../../models/index.ts";

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
    ctx.log.info({ blocked }, "private chat membership changed");
  });
  return composer;
}
