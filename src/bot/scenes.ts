import { createConversation, type ConversationBuilder, type ConversationFlavor } from "@grammyjs/conversations";
import type { Context, MiddlewareFn } from "grammy";

type DialogRunner<OC extends Context> = { id: string; run: MiddlewareFn<OC> };

/** Per update: the dialogs of `dialogsMiddleware` (shared), and those registered so far (made on first need). */
const dialogsOf = new WeakMap<object, ReadonlyMap<string, DialogRunner<Context>>>();
const registeredIn = new WeakMap<object, Set<string>>();

function registered(ctx: object): Set<string> {
  let ids = registeredIn.get(ctx);
  if (!ids) registeredIn.set(ctx, (ids = new Set()));
  return ids;
}

/**
 * The dialogs as one middleware. The plugin's way is one `createConversation` middleware per
 * dialog, each run for every update: it registers its dialog for `ctx.conversation.enter` and
 * resumes it when active. With 30 dialogs that was the largest part of a `/help` from someone in
 * no dialog (a profile of 20,000 `/help`s: 8 % of the CPU in that one function, more in grammY's
 * chain around it). Here only the active dialogs run, in the list's order, as they would in the
 * chain; a dialog about to be entered is registered by `enterScene` (its middleware run with
 * nothing after it, which registers it and skips, as it is not active), at most once per update.
 * An update from someone in no dialog allocates nothing here. `create` is the plugin's
 * `createConversation` (a test counts its middleware's runs).
 */
export function dialogsMiddleware<OC extends ConversationFlavor<Context>, IC extends Context>(
  list: ReadonlyArray<readonly [id: string, builder: ConversationBuilder<OC, IC>]>,
  create: (builder: ConversationBuilder<OC, IC>, id: string) => MiddlewareFn<OC> = (builder, id) => createConversation<OC, IC>(builder, id),
): MiddlewareFn<OC> {
  const runners: DialogRunner<OC>[] = list.map(([id, builder]) => ({ id, run: create(builder, id) }));
  const byId: ReadonlyMap<string, DialogRunner<Context>> = new Map(runners.map((r) => [r.id, r as unknown as DialogRunner<Context>]));
  return async (ctx, next) => {
    dialogsOf.set(ctx, byId);
    const active = ctx.conversation.active();
    let first = 0;
    while (first < runners.length && !active[(runners[first] as DialogRunner<OC>).id]) first++;
    if (first === runners.length) return next();
    const resume = async (from: number): Promise<void> => {
      for (let i = from; i < runners.length; i++) {
        const runner = runners[i] as DialogRunner<OC>;
        if (!active[runner.id]) continue;
        registered(ctx).add(runner.id);
        await runner.run(ctx, () => resume(i + 1));
        return;
      }
      await next();
    };
    await resume(first);
  };
}

/** Enters a conversation after leaving any active one (design §6: one dialog at a time). */
export async function enterScene(ctx: ConversationFlavor<Context>, id: string, ...args: unknown[]): Promise<void> {
  await ctx.conversation.exitAll();
  const runner = dialogsOf.get(ctx)?.get(id);
  if (runner && !registered(ctx).has(id)) {
    registered(ctx).add(id);
    await runner.run(ctx, async () => {});
  }
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
