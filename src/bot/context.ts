import type { Context } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Conversation, ConversationFlavor } from "@grammyjs/conversations";
import type { Logger } from "../logger.ts";
import type { UserDocument } from "../../models/index.ts";

/** Context inside conversations: i18n and a logger are installed again there (design §6). */
export type SceneContext = Context & I18nFlavor & { log: Logger };

/** Context of the outside middleware tree. */
export type OuterContext = SceneContext & {
  /** The user's document, if one exists (it is created only by an explicit action). */
  user: UserDocument | null;
};

export type BotContext = ConversationFlavor<OuterContext>;

export type SceneConversation = Conversation<BotContext, SceneContext>;
