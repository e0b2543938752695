import type { BotContext } from "./context.ts";

/** Enters a conversation after leaving any active one (design §6: one dialog at a time). */
export async function enterScene(ctx: BotContext, id: string, ...args: unknown[]): Promise<void> {
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(id, ...args);
}

/**
 * "Now" inside a conversation, from the bot's clock (tests use a fake one), recorded so that a
 * replay of the dialog sees the same instant.
 */
export async function sceneNow(
  conversation: { external<R>(op: () => R | Promise<R>): Promise<R> },
  ctx: { services: { clock: { now(): Date } } },
): Promise<Date> {
  return new Date(await conversation.external(() => ctx.services.clock.now().toISOString()));
}
