import type { UserFromGetMe } from "grammy/types";

/**
 * A fake Telegram Bot API at the `client.fetch` level: every call the bot makes (also from
 * inside conversations, whose Api objects are built from the same client options) is recorded
 * and answered with a realistic object. Faults can be injected per method.
 */

export const TEST_BOT_INFO: UserFromGetMe = {
  id: 7000000001,
  is_bot: true,
  first_name: "Наставник",
  username: "nastavnik_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export interface RecordedFile {
  filename: string;
  content: Buffer;
}

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** Files sent as multipart/form-data, by field name. */
  files: Record<string, RecordedFile>;
  /** True when the call was answered with an injected fault. */
  failed: boolean;
  /** When the call was made, by {@link FakeTelegram.now} (the simulated clock when one is set). */
  at: Date;
}

export type Fault =
  | { kind: "429"; retryAfter: number }
  | { kind: "403"; description?: string }
  | { kind: "400"; description?: string }
  | { kind: "500" }
  | { kind: "network" };

interface PendingFault {
  method: string | "*";
  fault: Fault;
  remaining: number;
  chatId?: number;
}

/** A method's answer in place of the default one, which `byDefault` gives. */
export type MethodHandler = (payload: Record<string, unknown>, byDefault: () => unknown) => unknown;

export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  /** The successful calls naming a chat, by chat: asking for a chat's messages costs what that chat got, not every call made. */
  private readonly byChat = new Map<number, ApiCall[]>();
  private faults: PendingFault[] = [];
  private nextMessageId = 1000;
  readonly botInfo: UserFromGetMe;
  /** The clock that stamps calls (a fake clock in simulations). */
  now: () => Date = () => new Date();
  /** Optional per-method result overrides. */
  private handlers = new Map<string, MethodHandler>();

  constructor(botInfo: UserFromGetMe = TEST_BOT_INFO) {
    this.botInfo = botInfo;
  }

  /** Makes the next `times` calls of `method` (or any method, `*`) fail with `fault`. */
  failNext(method: string | "*", fault: Fault, times = 1, chatId?: number): void {
    this.faults.push({ method, fault, remaining: times, chatId });
  }

  /**
   * Overrides the answer to a method (a promise is awaited: a long poll can wait). The handler is
   * given the default answer too (`byDefault`), for one that only delays or watches a call.
   */
  on(method: string, handler: MethodHandler): void {
    this.handlers.set(method, handler);
  }

  /** Gives a method its default answer again (see `on`). */
  off(method: string): void {
    this.handlers.delete(method);
  }

  clear(): void {
    this.calls.length = 0;
    this.byChat.clear();
  }

  /** Successful calls, optionally of one method. */
  sent(method?: string): ApiCall[] {
    return this.calls.filter((c) => !c.failed && (method === undefined || c.method === method));
  }

  /** Successful calls that named this chat, in order. */
  sentTo(chatId: number): ApiCall[] {
    return this.byChat.get(chatId) ?? [];
  }

  /** Texts the bot sent or edited into a chat (sendMessage, editMessageText), in order. */
  textsTo(chatId: number): string[] {
    return this.textCallsTo(chatId).map((c) => String(c.payload.text));
  }

  /** The sendMessage and editMessageText calls to a chat, in order. */
  private textCallsTo(chatId: number): ApiCall[] {
    return this.sentTo(chatId).filter((c) => c.method === "sendMessage" || c.method === "editMessageText");
  }

  lastTextTo(chatId: number): string | undefined {
    return this.textsTo(chatId).at(-1);
  }

  /** Every message (send or edit) to a chat, in order, with inline keyboards flattened. */
  messagesTo(chatId: number): Array<{ text: string; buttons: Array<{ text: string; data?: string; url?: string }> }> {
    return this.sentTo(chatId)
      .filter((c) => ["sendMessage", "editMessageText", "sendDocument", "sendPhoto"].includes(c.method))
      .map((c) => ({ text: String(c.payload.text ?? c.payload.caption ?? ""), buttons: buttonsOf(c.payload) }));
  }

  /** The last message (send or edit) to a chat, with its inline keyboard flattened. */
  lastMessageTo(chatId: number): { text: string; buttons: Array<{ text: string; data?: string; url?: string }> } | undefined {
    const call = this.textCallsTo(chatId).at(-1);
    if (!call) return undefined;
    return { text: String(call.payload.text), buttons: buttonsOf(call.payload) };
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = url.pathname.split("/").pop() ?? "";
    const { payload, files } = await parseBody(init);
    if (init?.signal?.aborted) throw new DOMException("aborted", "AbortError");

    const chatId = payload.chat_id === undefined ? undefined : Number(payload.chat_id);
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.method === "*" || f.method === method) && (f.chatId === undefined || f.chatId === chatId),
    );
    if (fault) {
      fault.remaining -= 1;
      this.faults = this.faults.filter((f) => f.remaining > 0);
      this.calls.push({ method, payload, files, failed: true, at: this.now() });
      return faultResponse(fault.fault);
    }
    const call: ApiCall = { method, payload, files, failed: false, at: this.now() };
    this.calls.push(call);
    if (payload.chat_id !== undefined) {
      const chat = Number(payload.chat_id);
      const list = this.byChat.get(chat);
      if (list) list.push(call);
      else this.byChat.set(chat, [call]);
    }
    const custom = this.handlers.get(method);
    const byDefault = () => this.defaultResult(method, payload, files);
    const result = custom ? await custom(payload, byDefault) : byDefault();
    return json(200, { ok: true, result });
  };

  private message(payload: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const chatId = Number(payload.chat_id);
    return {
      message_id: payload.message_id === undefined ? this.nextMessageId++ : Number(payload.message_id),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: chatId > 0 ? "private" : "group" },
      from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username },
      ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
      ...extra,
    };
  }

  private defaultResult(method: string, payload: Record<string, unknown>, files: Record<string, RecordedFile>): unknown {
    switch (method) {
      case "getMe":
        return this.botInfo;
      case "getUpdates":
        return [];
      case "sendMessage":
      case "editMessageText":
        return this.message(payload, { text: payload.text });
      case "editMessageReplyMarkup":
        return this.message(payload);
      case "sendDocument": {
        const file = files.document;
        return this.message(payload, {
          document: {
            file_id: `doc-${this.nextMessageId}`,
            file_unique_id: `u-${this.nextMessageId}`,
            file_name: file?.filename ?? "file",
            file_size: file?.content.length ?? 0,
          },
          caption: payload.caption,
        });
      }
      case "sendPhoto":
        return this.message(payload, {
          photo: [{ file_id: `photo-${this.nextMessageId}`, file_unique_id: `p-${this.nextMessageId}`, width: 800, height: 600 }],
          caption: payload.caption,
        });
      default:
        return true;
    }
  }
}

export function buttonsOf(payload: Record<string, unknown>): Array<{ text: string; data?: string; url?: string }> {
  const markup = payload.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string; url?: string }>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data, url: b.url }));
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function faultResponse(fault: Fault): Response {
  switch (fault.kind) {
    case "429":
      return json(429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${fault.retryAfter}`,
        parameters: { retry_after: fault.retryAfter },
      });
    case "403":
      return json(403, { ok: false, error_code: 403, description: fault.description ?? "Forbidden: bot was blocked by the user" });
    case "400":
      return json(400, { ok: false, error_code: 400, description: fault.description ?? "Bad Request: message text is empty" });
    case "500":
      return json(500, { ok: false, error_code: 500, description: "Internal Server Error" });
    case "network":
      throw new TypeError("fetch failed: ECONNRESET (injected)");
  }
}

async function readAll(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  if (typeof (body as ReadableStream).getReader === "function") {
    return Buffer.from(await new Response(body as ReadableStream).arrayBuffer());
  }
  throw new Error("fake Telegram: unsupported request body");
}

async function parseBody(init: RequestInit | undefined): Promise<{ payload: Record<string, unknown>; files: Record<string, RecordedFile> }> {
  const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
  const contentType = headers.get("content-type") ?? "";
  const raw = await readAll(init?.body);
  if (raw.length === 0) return { payload: {}, files: {} };
  if (contentType.includes("multipart/form-data")) return parseMultipart(raw, contentType);
  return { payload: JSON.parse(raw.toString("utf8")) as Record<string, unknown>, files: {} };
}

function parseMultipart(raw: Buffer, contentType: string): { payload: Record<string, unknown>; files: Record<string, RecordedFile> } {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error("fake Telegram: multipart without boundary");
  const payload: Record<string, unknown> = {};
  const files: Record<string, RecordedFile> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = raw.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === "--") break;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    const part = raw.subarray(start + 2, next - 2); // skip CRLF after delimiter and before next
    const headerEnd = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, headerEnd).toString("utf8");
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]+)"/.exec(head)?.[1];
    const filename = /filename=(?:"([^"]*)"|([^;\r\n]*))/.exec(head)?.slice(1).find((x) => x !== undefined);
    if (name) {
      if (filename !== undefined) {
        files[name] = { filename, content: Buffer.from(content) };
      } else {
        const text = content.toString("utf8");
        try {
          payload[name] = JSON.parse(text);
        } catch {
          payload[name] = text;
        }
      }
    }
    pos = next;
  }
  // grammY sends the file field as "attach://<id>"; resolve it to the field name the Bot API uses.
  for (const [key, value] of Object.entries(payload)) {
    if (typeof value === "string" && value.startsWith("attach://")) {
      const id = value.slice("attach://".length);
      if (files[id]) {
        files[key] = files[id];
        payload[key] = `attach:${files[id].filename}`;
      }
    }
  }
  return { payload, files };
}

/** What {@link injectDeliveryFaults} put in: failures by kind, and the chats that "blocked the bot" (403). */
export interface InjectedFaults {
  byKind: Record<"500" | "429" | "network" | "403", number>;
  total: number;
  blocked: Set<number>;
}

/**
 * Issue 13's fault mix for sendMessage, per chat, from a seeded generator: two 500s (15 %), a 429
 * with retry_after 1–60 s (15 %), network error + 500 + network error (15 %), a 403 (10 %).
 */
export function injectDeliveryFaults(fake: FakeTelegram, chatIds: readonly number[], seed = 13): InjectedFaults {
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: InjectedFaults = { byKind: { "500": 0, "429": 0, network: 0, "403": 0 }, total: 0, blocked: new Set() };
  for (const chatId of chatIds) {
    const r = rnd();
    const faults: Fault[] = [];
    if (r < 0.15) faults.push({ kind: "500" }, { kind: "500" });
    else if (r < 0.3) faults.push({ kind: "429", retryAfter: 1 + Math.floor(rnd() * 60) });
    else if (r < 0.45) faults.push({ kind: "network" }, { kind: "500" }, { kind: "network" });
    else if (r < 0.55) {
      faults.push({ kind: "403" });
      out.blocked.add(chatId);
    }
    for (const f of faults) {
      fake.failNext("sendMessage", f, 1, chatId);
      out.byKind[f.kind as keyof InjectedFaults["byKind"]] += 1;
      out.total += 1;
    }
  }
  return out;
}
