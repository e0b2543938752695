import type { BotContext } from "./context.ts";

/** Enters a conversation after leaving any active one (design §6: one dialog at a time). */
export async function enterScene(ctx: BotContext, id: string, ...args: unknown[]): Promise<void> {
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(id, ...args);
}
