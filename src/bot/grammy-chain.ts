import { Composer, type Context, type Middleware } from "grammy";

/**
 * grammY's `Composer.filter` (behind `command`, `callbackQuery`, `on`, `hears`, `chatType` …)
 * is `branch`, which is `lazy`: at every filter an update passes, a new Composer with its chain of
 * closures is built for that update and dropped. The bot registers about 200 filters (most of them
 * `callbackQuery`) and an update passes most of them, so a `/help` allocated about 0.6 MB, and
 * Node spent a fifth of its time collecting it (measured: 312 MB for 500 updates; a scavenge of
 * 3–4 ms every 20 ms of steady traffic).
 *
 * This is the same filter without that allocation: the predicate (sync or async) is asked once per
 * update; when it holds, the filter's composer runs with the outer `next`, else the update goes on
 * to `next`, exactly as grammY's `branch(predicate, composer, pass)` does. The returned composer is
 * read at each update, so middleware added to it later (`bot.filter(…).use(…)`) runs as before.
 *
 * `filter` and `use` (below) are installed on grammY's Composer once, by importing this module (the
 * bot does, before it builds its handlers); every composer and bot of the process uses them. Both
 * rest on grammY 1.x's Composer keeping its chain in `handler` (`constructor`, `use`, `middleware`
 * are all that touch it); `tests/grammy-filter.test.ts` states the behaviour they keep.
 */
function filter<C extends Context>(this: Composer<C>, predicate: (ctx: C) => boolean | Promise<boolean>, ...middleware: Array<Middleware<C>>): Composer<C> {
  const composer = new Composer<C>(...middleware);
  this.use((ctx, next) => {
    const pass: unknown = predicate(ctx);
    if (isThenable(pass)) return Promise.resolve(pass).then((ok) => (ok ? composer.middleware()(ctx, next) : next()));
    return pass ? composer.middleware()(ctx, next) : next();
  });
  return composer;
}

type Step = (ctx: Context, next: () => Promise<void>) => unknown;
/** What `use` appended to a composer, in order (its constructor's middleware first). */
const STEPS = Symbol("grammY composer steps");
type Patched = { handler: Step; [STEPS]?: Array<{ handler: Step }> };

/**
 * grammY's `Composer.use` nests every middleware in two `async` closures (`concat`, and the
 * `next` it makes), and an update pays for both at every middleware it passes: with about 200 of
 * them ahead of `/help`, handling `/help` before the chain took half the time (2,000 `/help`s:
 * 160–320 ms against 300–680 ms, 2026-12-05), and most of what a `/help` allocated was that chain.
 *
 * This `use` keeps the middleware of a composer in a list and runs it by index: one `next` per
 * step, a promise only where a middleware makes one. The behaviour is grammY's: in order, each
 * `next` returns a promise of the rest of the chain, a `next` called twice throws ("`next` already
 * called before!"), an error (thrown or rejected) reaches the caller, and a composer `use` returns
 * can be extended later (its middleware is read at each update).
 */
function use<C extends Context>(this: Composer<C>, ...middleware: Array<Middleware<C>>): Composer<C> {
  const composer = new Composer<C>(...middleware);
  const self = this as unknown as Patched;
  let steps = self[STEPS];
  if (!steps) {
    const first = self.handler;
    steps = self[STEPS] = first === PASS ? [] : [{ handler: first }];
    self.handler = run(steps);
  }
  steps.push(composer as unknown as { handler: Step });
  return composer;
}

const PASS = (new Composer() as unknown as Patched).handler;

/** What a middleware or a `next` returned, as the promise grammY's `await` would make of it. */
function settled(out: unknown): Promise<void> {
  if (out instanceof Promise) return out as Promise<void>;
  return isThenable(out) ? Promise.resolve(out as PromiseLike<void>) : Promise.resolve();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function";
}

function run(steps: Array<{ handler: Step }>): Step {
  return (ctx, next) => {
    const at = (i: number): Promise<void> => {
      try {
        if (i === steps.length) return settled(next());
        let called = false;
        const onward = () => {
          if (called) return Promise.reject(new Error("`next` already called before!"));
          called = true;
          return at(i + 1);
        };
        return settled((steps[i] as { handler: Step }).handler(ctx, onward));
      } catch (err) {
        return Promise.reject(err); // as thrown, as grammY passes it on
      }
    };
    return at(0);
  };
}

type Methods = { filter: unknown; use: unknown };
const prototype = Composer.prototype as unknown as Methods;
const grammys: Methods = { filter: prototype.filter, use: prototype.use };
prototype.filter = filter;
prototype.use = use;

/**
 * Builds with grammY's own `use` and `filter`: the composers and bot made in `build` keep grammY's
 * chain for good (it is made when middleware is added). For the bench's anchor, which is plain
 * grammY: with this module's chain it ran at half its rate (about 20,000 against 41,000 `/help`s
 * per s, 2026-12-05), so the bot's share of it looked twice as large as it was.
 */
export function withGrammysChain<T>(build: () => T): T {
  Object.assign(prototype, grammys);
  try {
    return build();
  } finally {
    prototype.filter = filter;
    prototype.use = use;
  }
}
