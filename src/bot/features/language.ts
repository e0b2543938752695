import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { LANGUAGE_SCENE } from "../../../scenes/index.ts";
import { enterScene } from "../scenes.ts";

export function languageFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("language", (ctx) => enterScene(ctx, LANGUAGE_SCENE));
  return composer;
}
