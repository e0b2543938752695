import type { ConversationData, VersionedStateStorage, VersionedState } from "@grammyjs/conversations";
import { ConversationState } from "../../models/index.ts";

/**
 * Bump when scene code changes in a way that makes stored replay logs invalid: the plugin then
 * discards old states instead of replaying them against different code.
 */
export const SCENES_VERSION = 2;

/** Conversation state in MongoDB, one document per chat, serialized as JSON. */
export function mongoConversationStorage(): VersionedStateStorage<string, ConversationData> {
  return {
    async read(key) {
      const doc = await ConversationState.findOne({ key }).lean();
      return doc ? (JSON.parse(doc.state) as VersionedState<ConversationData>) : undefined;
    },
    async write(key, state) {
      await ConversationState.updateOne({ key }, { $set: { state: JSON.stringify(state) } }, { upsert: true });
    },
    async delete(key) {
      await ConversationState.deleteOne({ key });
    },
  };
}
