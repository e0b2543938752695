import type { Update, User as TgUser } from "grammy/types";

/** Builders for realistic Telegram updates. Commands carry `bot_command` entities. */

let nextUpdateId = 1;
let nextMessageId = 1;

export interface TestUser extends TgUser {
  /** The private chat id equals the user id in Telegram. */
  chatId: number;
}

export function makeUser(id: number, firstName: string, languageCode = "ru", extra: Partial<TgUser> = {}): TestUser {
  return { id, is_bot: false, first_name: firstName, language_code: languageCode, chatId: id, ...extra };
}

function from(user: TestUser): TgUser {
  const { chatId: _chat, ...rest } = user;
  void _chat;
  return rest;
}

function chat(user: TestUser) {
  return { id: user.chatId, type: "private" as const, first_name: user.first_name };
}

export function updateId(): number {
  return nextUpdateId++;
}

export function textMessage(user: TestUser, text: string): Update {
  return message(user, { text });
}

/** `/start payload` style text with a `bot_command` entity over the command. */
export function command(user: TestUser, text: string): Update {
  const cmd = text.split(" ")[0] as string;
  return message(user, { text, entities: [{ type: "bot_command", offset: 0, length: cmd.length }] });
}

export function callback(user: TestUser, data: string, messageId = 1000, messageText = "…"): Update {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: `cb-${nextUpdateId}`,
      from: from(user),
      chat_instance: `ci-${user.id}`,
      data,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: chat(user),
        from: { id: 7000000001, is_bot: true, first_name: "Наставник" },
        text: messageText,
      },
    },
  } as Update;
}

export function sticker(user: TestUser): Update {
  return message(user, { sticker: { file_id: "stk", file_unique_id: "stk-u", type: "regular", width: 512, height: 512, is_animated: false, is_video: false } });
}

/** A photo message (two sizes, like Telegram sends them; the largest is last). */
export function photo(user: TestUser, fileId = "photo-file"): Update {
  return message(user, {
    photo: [
      { file_id: `${fileId}-small`, file_unique_id: `${fileId}-s`, width: 90, height: 90 },
      { file_id: fileId, file_unique_id: `${fileId}-l`, width: 1280, height: 960 },
    ],
  });
}

/** A private message from `user` with the given content. */
function message(user: TestUser, content: Record<string, unknown>): Update {
  return {
    update_id: nextUpdateId++,
    message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: chat(user), from: from(user), ...content },
  } as Update;
}

export function myChatMember(user: TestUser, status: "kicked" | "member"): Update {
  const bot = { id: 7000000001, is_bot: true, first_name: "Наставник" };
  return {
    update_id: nextUpdateId++,
    my_chat_member: {
      chat: chat(user),
      from: from(user),
      date: Math.floor(Date.now() / 1000),
      old_chat_member: status === "kicked" ? { status: "member", user: bot } : { status: "kicked", user: bot, until_date: 0 },
      new_chat_member: status === "kicked" ? { status: "kicked", user: bot, until_date: 0 } : { status: "member", user: bot },
    },
  } as Update;
}
