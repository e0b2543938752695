import type { ConversationData, VersionedStateStorage, VersionedState } from "@grammyjs/conversations";
import { Batcher } from "../core/concurrency.ts";
import { dialogStateCache } from "../db/dialog-cache.ts";
import { writeDialogStates, type DialogStateWrite } from "../db/dialog-writes.ts";

/**
 * Bump when scene code changes in a way that makes stored replay logs invalid: the plugin then
 * discards old states instead of replaying them against different code.
 */
export const SCENES_VERSION = 2;

/**
 * Group commit of dialog-state writes: the writes of people whose updates are handled together
 * share one command per kind (measured on FerretDB: 200 deletes in 0.1 s against 0.27 s one by
 * one, 200 inserts in 24 ms against 0.22 s), and on one connection that is what a crowd's last
 * steps wait for. A write alone goes at once.
 */
const stateWrites = new Batcher<DialogStateWrite, "written" | "taken">((writes) => writeDialogStates(writes));

/**
 * Conversation state in MongoDB, one document per chat, serialized as JSON; read through the
 * in-process copy on FerretDB (`dialogStateCache`). A step's write has landed when it returns, so
 * the update's done mark (exactly-once.ts) never precedes it.
 */
export function mongoConversationStorage(): VersionedStateStorage<string, ConversationData> {
  return {
    async read(key) {
      const state = await dialogStateCache.read(key);
      return state === null ? undefined : (JSON.parse(state) as VersionedState<ConversationData>);
    },
    async write(key, state) {
      await writeState(key, JSON.stringify(state, forTheReplayLog));
    },
    async delete(key) {
      await writeState(key, null);
    },
  };
}

async function writeState(key: string, state: string | null): Promise<void> {
  try {
    // A dialog's first step: an insert where the copy knows the chat has none; a key taken after
    // all (by another process, say) is written over as before.
    const insert = state !== null && dialogStateCache.knownAbsent(key);
    if ((await stateWrites.run({ key, state, insert })) === "taken") await stateWrites.run({ key, state });
  } catch (err) {
    dialogStateCache.forget(key);
    throw err;
  }
  dialogStateCache.wrote(key, state);
}

/**
 * What a dialog's replay log keeps of each update and each Bot API result (one replacer for
 * `JSON.stringify`).
 *
 * - Privacy (issue 13): Telegram user and chat objects lose names and handles before they are
 *   stored; before consent a dialog holds no more than the chat id. Scenes read the name a person
 *   types, never Telegram's; the handle is kept current from the live update by the bot.
 * - Size: a message the bot sent (a Bot API call's `result`) and the message a pressed button
 *   hangs on (`callback_query.message`) keep only what a scene can use again (its id, chat, date,
 *   thread), not their text, entities and keyboard. Scenes use a sent message only to edit it
 *   (`scenes/pickers.ts`) and a press only for its data. The log is rewritten at every step of a
 *   dialog, so its size is paid again at each: a registration's tenth step wrote 13 KB, most of it
 *   the texts of the bot's own messages (the consent's alone 3 KB), against 7 KB without.
 */
const PERSONAL_TELEGRAM_FIELDS = new Set(["first_name", "last_name", "username", "title", "is_premium", "photo"]);
const MESSAGE_FIELDS_KEPT = ["message_id", "message_thread_id", "date", "chat", "business_connection_id", "inline_message_id"] as const;
function forTheReplayLog(this: unknown, key: string, value: unknown): unknown {
  if (this === null || typeof this !== "object") return value;
  if (PERSONAL_TELEGRAM_FIELDS.has(key)) return "id" in this ? undefined : value;
  const sentMessage = key === "result" && (this as { ok?: unknown }).ok === true;
  const pressedOn = key === "message" && "chat_instance" in this;
  return (sentMessage || pressedOn) && isMessage(value) ? pick(value) : value;
}

function isMessage(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as { message_id?: unknown }).message_id === "number" && "chat" in value;
}

function pick(message: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const field of MESSAGE_FIELDS_KEPT) if (message[field] !== undefined) kept[field] = message[field];
  return kept;
}
