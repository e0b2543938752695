import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";

/**
 * The Bot API emulator `telegram-test-api` (a CommonJS dev dependency) started in-process,
 * behind a small proxy that answers the Bot API methods the emulator lacks (see
 * {@link startBotApiProxy}). Only what the demo uses is typed here.
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
    /** A document's caption (documents are stored by the proxy, see {@link startBotApiProxy}). */
    caption?: string;
    document?: { file_name?: string; mime_type?: string; file_size?: number };
    reply_markup?: unknown;
    from?: { id: number; is_bot?: boolean; first_name?: string };
    chat?: { id: number };
  };
  callbackQuery?: { data?: string; from?: { id: number } };
  callbackId?: number;
}

export interface EmulatorServer {
  start(): Promise<void>;
  stop(): Promise<boolean>;
  getUpdatesHistory(token: string): EmulatorEntry[];
  config: { apiURL: string };
}

/** A file the bot sent with sendDocument (answered by the proxy; the emulator has no such method). */
export interface SentDocument {
  chatId: number;
  /** The message id the proxy gave it (from the emulator's counter, so it sorts with the other messages). */
  messageId: number;
  filename: string;
  /** As sent: HTML when the bot uses parse mode HTML. */
  caption: string;
  content: string;
}

/** The text of an answerCallbackQuery: the toast (or alert) Telegram shows to the user who pressed. */
export interface Popup {
  /** Who pressed the button, looked up by the callback query id. */
  chatId?: number;
  text: string;
  showAlert: boolean;
  /** The emulator's last message id when it was answered: orders popups among the messages. */
  afterMessageId: number;
  /** Arrival order among popups. */
  seq: number;
}

export interface Emulator {
  /** The emulator itself: the client side (a user sends messages, commands, presses buttons). */
  url: string;
  /** What the bot uses as TELEGRAM_API_ROOT: the proxy in front of the emulator. */
  apiRoot: string;
  server: EmulatorServer;
  /** Documents the bot sent, in order. */
  documents: SentDocument[];
  /** Callback answers with a text, in order. */
  popups: Popup[];
  stop(): Promise<void>;
}

/** The parts of the emulator's internals that {@link telegramEdits} and the proxy use. */
interface EmulatorInternals {
  storage: { botMessages: EmulatorEntry[]; userMessages: EmulatorEntry[] };
  messageId: number;
  addBotMessage(message: Record<string, unknown>, botToken: string): { message_id: number };
  editMessageText(body: Record<string, unknown>): void;
  editMessageReplyMarkup(body: Record<string, unknown>): void;
  emit(event: string): boolean;
  on(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
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

/** Emulator events for a new user update (message, command, button press). */
const USER_UPDATE_EVENTS = ["AddedUserMessage", "AddedUserCommand", "AddedUserCallbackQuery"];

/** The longest a getUpdates call is held when nothing is waiting (Telegram holds it up to `timeout`). */
const LONG_POLL_MAX_MS = 1_000;

/** Methods the emulator does not implement that the proxy answers itself. */
const ANSWERED_BY_PROXY = new Set(["sendDocument", "sendPhoto", "setMyCommands", "sendChatAction"]);

const MIME_TYPES: Record<string, string> = { ics: "text/calendar", json: "application/json", txt: "text/plain", csv: "text/csv", pdf: "application/pdf" };

/** Telegram HTML → plain text (Telegram answers with a caption's plain text; the transcript shows it too). */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[\u2068\u2069]/g, "");
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The request's parameters: JSON, url-encoded or multipart (files as File objects). */
async function parseParams(body: Buffer, contentType: string): Promise<Record<string, unknown>> {
  if (body.length === 0) return {};
  if (contentType.startsWith("application/json")) return JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  if (contentType.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
  if (contentType.startsWith("multipart/form-data")) return parseMultipart(body, contentType);
  return {};
}

/**
 * multipart/form-data as Telegram reads it. Not undici's `formData()`: it refuses a part whose
 * file name has raw UTF-8 (a Russian document name), which Telegram accepts.
 */
function parseMultipart(body: Buffer, contentType: string): Record<string, unknown> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return {};
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const params: Record<string, unknown> = {};
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    // A part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    if (split !== -1) {
      const headers = part.subarray(0, split).toString("utf8");
      const content = part.subarray(split + 4);
      const name = /;\s*name="([^"]*)"/.exec(headers)?.[1];
      // grammY writes the file name unquoted (`filename=программа.docx`).
      const file = /;\s*filename=(?:"([^"]*)"|([^;\r\n]*))/.exec(headers);
      const filename = file ? (file[1] ?? file[2] ?? "").trim() : undefined;
      if (name !== undefined) params[name] = filename !== undefined ? new File([new Uint8Array(content)], filename) : content.toString("utf8");
    }
    start = next;
  }
  return params;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A tiny Bot API proxy in front of the emulator. It answers `sendDocument` (the file is stored
 * in the emulator's history as a bot message with `caption` and `document`, so it appears in
 * order with the other messages and its buttons can be pressed), `setMyCommands` and
 * `sendChatAction` itself with results shaped like Telegram's; it records the text of every
 * `answerCallbackQuery` (the toast the user sees) and forwards everything else unchanged.
 *
 * One more Telegram habit: the emulator answers getUpdates at once even when nothing is there, so
 * a polling bot spins. A getUpdates with a `timeout` that finds nothing is held here (up to
 * {@link LONG_POLL_MAX_MS}) until a user update arrives, then asked again — long polling.
 */
async function startBotApiProxy(
  emulatorUrl: string,
  internals: EmulatorInternals,
  host: string,
): Promise<{ url: string; documents: SentDocument[]; popups: Popup[]; close(): Promise<void> }> {
  const documents: SentDocument[] = [];
  const popups: Popup[] = [];
  const botInfo = new Map<string, Record<string, unknown>>();

  const getMe = async (token: string) => {
    let me = botInfo.get(token);
    if (!me) {
      const answer = (await (await fetch(`${emulatorUrl}/bot${token}/getMe`)).json()) as { result: Record<string, unknown> };
      me = { ...answer.result, is_bot: true };
      botInfo.set(token, me);
    }
    return me;
  };

  const sendDocument = async (token: string, params: Record<string, unknown>, field: "document" | "photo" = "document") => {
    // The file is either the part itself or `attach://<name>` pointing at another part.
    let file = params[field];
    if (typeof file === "string" && file.startsWith("attach://")) file = params[file.slice("attach://".length)];
    if (!(file instanceof Blob)) return { ok: false, error_code: 400, description: "Bad Request: the demo proxy accepts only uploaded documents" };
    const filename = file instanceof File && file.name ? file.name : "document";
    const content = field === "photo" ? `PNG, ${file.size} bytes` : await file.text();
    const chatId = Number(params.chat_id);
    const caption = typeof params.caption === "string" ? params.caption : "";
    const markup = parseJson(params.reply_markup) as { inline_keyboard?: unknown[] } | undefined;
    const extension = filename.includes(".") ? (filename.split(".").pop() as string).toLowerCase() : "";
    const document = {
      file_name: filename,
      mime_type: MIME_TYPES[extension] ?? "application/octet-stream",
      file_id: `BQACAgIAAxkDAAI${Math.random().toString(36).slice(2, 12)}`,
      file_unique_id: `AgAD${Math.random().toString(36).slice(2, 10)}`,
      file_size: Buffer.byteLength(content),
    };
    // A photo is shown in the transcript like a document (its file name), with its size as the content.
    const photo = field === "photo" ? { photo: [{ file_id: document.file_id, file_unique_id: document.file_unique_id, width: 1600, height: 480, file_size: file.size }] } : {};
    const stored = internals.addBotMessage(
      { chat_id: chatId, caption, ...(params.parse_mode ? { parse_mode: params.parse_mode } : {}), ...(markup ? { reply_markup: markup } : {}), document },
      token,
    );
    documents.push({ chatId, messageId: stored.message_id, filename, caption, content });
    return {
      ok: true,
      result: {
        message_id: stored.message_id,
        from: await getMe(token),
        chat: { id: chatId, type: "private" },
        date: Math.floor(Date.now() / 1000),
        ...(field === "photo" ? photo : { document }),
        ...(caption ? { caption: plainText(caption) } : {}),
        ...(markup?.inline_keyboard?.length ? { reply_markup: markup } : {}),
      },
    };
  };

  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers: Record<string, string> = {};
    if (req.headers["content-type"]) headers["content-type"] = req.headers["content-type"];
    const answer = await fetch(`${emulatorUrl}${req.url ?? "/"}`, {
      method: req.method ?? "POST",
      headers,
      ...(req.method === "GET" || req.method === "HEAD" ? {} : { body: new Uint8Array(body) }),
    });
    const text = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json", "content-length": text.length });
    res.end(text);
  };

  /** Resolves when a user update arrives or after `ms`, whichever is first. */
  const nextUserUpdate = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        for (const e of USER_UPDATE_EVENTS) internals.off(e, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      for (const e of USER_UPDATE_EVENTS) internals.on(e, done);
    });

  const longPoll = async (req: IncomingMessage, res: ServerResponse, body: Buffer, timeoutSeconds: number) => {
    let closed = false;
    res.on("close", () => (closed = true));
    const deadline = Date.now() + Math.min(timeoutSeconds * 1000, LONG_POLL_MAX_MS);
    for (;;) {
      const answer = await fetch(`${emulatorUrl}${req.url ?? "/"}`, {
        method: "POST",
        headers: { "content-type": req.headers["content-type"] ?? "application/json" },
        body: new Uint8Array(body),
      });
      const text = Buffer.from(await answer.arrayBuffer());
      const parsed = JSON.parse(text.toString("utf8")) as { ok?: boolean; result?: unknown[] };
      const empty = answer.ok && parsed.ok === true && Array.isArray(parsed.result) && parsed.result.length === 0;
      if (!empty || Date.now() >= deadline) {
        res.writeHead(answer.status, { "content-type": "application/json", "content-length": text.length });
        res.end(text);
        return;
      }
      await nextUserUpdate(deadline - Date.now());
      // The bot gave up (it is stopping): do not fetch again, or the updates would be marked read and lost.
      if (closed) return;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);

    const route = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(req.url ?? "");
    const method = route?.[2] ?? "";
    if (method === "getUpdates") {
      const params = await parseParams(body, req.headers["content-type"] ?? "");
      const timeout = Number(params.timeout ?? 0);
      if (timeout > 0) return longPoll(req, res, body, timeout);
    }
    if (!route || !(ANSWERED_BY_PROXY.has(method) || method === "answerCallbackQuery")) return forward(req, res, body);
    const token = route[1] as string;
    const params = await parseParams(body, req.headers["content-type"] ?? "");
    if (method === "answerCallbackQuery") {
      if (typeof params.text === "string" && params.text !== "") {
        const pressed = internals.storage.userMessages.find((u) => String(u.callbackId) === String(params.callback_query_id));
        popups.push({
          chatId: pressed?.callbackQuery?.from?.id,
          text: params.text,
          showAlert: params.show_alert === true || params.show_alert === "true",
          afterMessageId: internals.messageId - 1,
          seq: popups.length,
        });
      }
      return forward(req, res, body);
    }
    if (method === "sendDocument" || method === "sendPhoto") {
      const answer = await sendDocument(token, params, method === "sendPhoto" ? "photo" : "document");
      return send(res, answer.ok ? 200 : 400, answer);
    }
    // setMyCommands, sendChatAction: Telegram answers `true`.
    return send(res, 200, { ok: true, result: true });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error_code: 500, description: `demo proxy: ${(err as Error).message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    documents,
    popups,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function startEmulator(port: number, host = "127.0.0.1"): Promise<Emulator> {
  const TelegramServer = require("telegram-test-api") as new (config: Record<string, unknown>) => EmulatorServer;
  // storeTimeout (seconds) keeps the whole history for the run.
  const server = new TelegramServer({ port, host, storeTimeout: 600 });
  const internals = server as unknown as EmulatorInternals;
  telegramEdits(internals);
  await server.start();
  const url = `http://${host}:${port}`;
  let proxy: Awaited<ReturnType<typeof startBotApiProxy>>;
  try {
    proxy = await startBotApiProxy(url, internals, host);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    url,
    apiRoot: proxy.url,
    server,
    documents: proxy.documents,
    popups: proxy.popups,
    stop: async () => {
      await proxy.close();
      await server.stop();
    },
  };
}
