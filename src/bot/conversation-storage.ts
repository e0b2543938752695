import type { ConversationData, VersionedStateStorage, VersionedState } from "@grammyjs/conversations";
import { ConversationState } from "../../models/index.ts";
import { dialogStateCache } from "../db/dialog-cache.ts";
import { isDuplicateKeyError } from "../db/errors.ts";

/**
 * Bump when scene code changes in a way that makes stored replay logs invalid: the plugin then
 * discards old states instead of replaying them against different code.
 */
export const SCENES_VERSION = 2;

/**
 * Conversation state in MongoDB, one document per chat, serialized as JSON; read through the
 * in-process copy on FerretDB (`dialogStateCache`).
 */
export function mongoConversationStorage(): VersionedStateStorage<string, ConversationData> {
  return {
    async read(key) {
      const state = await dialogStateCache.read(key);
      return state === null ? undefined : (JSON.parse(state) as VersionedState<ConversationData>);
    },
    async write(key, state) {
      const json = JSON.stringify(state, withoutPersonalFields);
      try {
        // A dialog's first step: an insert where the copy knows the chat has none (a key taken after
        // all, by another process say, is written as before).
        let inserted = false;
        if (dialogStateCache.knownAbsent(key)) {
          try {
            await ConversationState.create({ key, state: json });
            inserted = true;
          } catch (err) {
            if (!isDuplicateKeyError(err)) throw err;
          }
        }
        if (!inserted) await ConversationState.updateOne({ key }, { $set: { state: json } }, { upsert: true });
      } catch (err) {
        dialogStateCache.forget(key);
        throw err;
      }
      dialogStateCache.wrote(key, json);
    },
    async delete(key) {
      try {
        await ConversationState.deleteOne({ key });
      } catch (err) {
        dialogStateCache.forget(key);
        throw err;
      }
      dialogStateCache.wrote(key, null);
    },
  };
}

/**
 * The replay log holds whole updates; their Telegram user and chat objects lose names and
 * handles before they are stored (issue 13): before consent a dialog holds no more than the chat
 * id. Scenes read the name a person types, never Telegram's; the handle is kept current from the
 * live update by the bot.
 */
const PERSONAL_TELEGRAM_FIELDS = new Set(["first_name", "last_name", "username", "title", "is_premium", "photo"]);
function withoutPersonalFields(this: unknown, key: string, value: unknown): unknown {
  return PERSONAL_TELEGRAM_FIELDS.has(key) && this !== null && typeof this === "object" && "id" in this ? undefined : value;
}
