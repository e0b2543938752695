import { createRequire } from "node:module";

/**
 * The Bot API emulator `telegram-test-api` (a CommonJS dev dependency) started in-process.
 * Only what the demo uses is typed here.
 */
const require = createRequire(import.meta.url);

/** One stored entry of the emulator's history: a bot message (`message` = the sendMessage payload) or a user update. */
export interface EmulatorEntry {
  time: number;
  botToken: string;
  updateId: number;
  messageId: number;
  message?: {
    chat_id?: number | string;
    text?: string;
    reply_markup?: unknown;
    from?: { id: number; is_bot?: boolean; first_name?: string };
    chat?: { id: number };
  };
  callbackQuery?: { data?: string };
}

export interface EmulatorServer {
  start(): Promise<void>;
  stop(): Promise<boolean>;
  getUpdatesHistory(token: string): EmulatorEntry[];
  config: { apiURL: string };
}

export interface Emulator {
  url: string;
  server: EmulatorServer;
  stop(): Promise<void>;
}

/** The parts of the emulator's internals that {@link telegramEdits} replaces. */
interface EmulatorInternals {
  storage: { botMessages: EmulatorEntry[] };
  editMessageText(body: Record<string, unknown>): void;
  editMessageReplyMarkup(body: Record<string, unknown>): void;
  emit(event: string): boolean;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * Message edits as Telegram does them. telegram-test-api merges an edit into the stored message,
 * so an `editMessageText` without `reply_markup` keeps the old keyboard (Telegram removes it),
 * and an `editMessageReplyMarkup` without a keyboard is ignored (Telegram removes the keyboard).
 */
function telegramEdits(server: EmulatorInternals): void {
  const find = (body: Record<string, unknown>) =>
    server.storage.botMessages.find(
      (e) => e.message !== undefined && String(e.messageId) === String(body.message_id) && String(e.message.chat_id) === String(body.chat_id),
    );
  const markupOf = (body: Record<string, unknown>) => {
    const markup = parseJson(body.reply_markup) as { inline_keyboard?: unknown[] } | undefined;
    return markup && Array.isArray(markup.inline_keyboard) && markup.inline_keyboard.length > 0 ? markup : undefined;
  };
  server.editMessageText = (body) => {
    const entry = find(body);
    if (!entry?.message) return;
    const { reply_markup: _markup, entities, ...rest } = body;
    const next: NonNullable<EmulatorEntry["message"]> & Record<string, unknown> = { ...entry.message, ...rest };
    if (entities !== undefined) next.entities = parseJson(entities);
    const markup = markupOf(body);
    if (markup) next.reply_markup = markup;
    else delete next.reply_markup;
    entry.message = next;
    server.emit("EditedMessageText");
  };
  server.editMessageReplyMarkup = (body) => {
    const entry = find(body);
    if (!entry?.message) return;
    const next = { ...entry.message };
    const markup = markupOf(body);
    if (markup) next.reply_markup = markup;
    else delete next.reply_markup;
    entry.message = next;
    server.emit("EditedMessageReplyMarkup");
  };
}

export async function startEmulator(port: number, host = "127.0.0.1"): Promise<Emulator> {
  const TelegramServer = require("telegram-test-api") as new (config: Record<string, unknown>) => EmulatorServer;
  // storeTimeout (seconds) keeps the whole history for the run.
  const server = new TelegramServer({ port, host, storeTimeout: 600 });
  telegramEdits(server as unknown as EmulatorInternals);
  await server.start();
  return {
    url: `http://${host}:${port}`,
    server,
    stop: async () => {
      await server.stop();
    },
  };
}

