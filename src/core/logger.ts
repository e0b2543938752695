import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

const REDACTED = "[REDACTED]";

/**
 * Wraps a destination so that every occurrence of a secret (the bot token, the webhook secret)
 * is replaced in the serialized log line, wherever it appears: messages, URLs, error stacks.
 */
export function redactingDestination(dest: DestinationStream, secrets: string[]): DestinationStream {
  const active = secrets.filter((s) => s && s.length >= 8);
  if (active.length === 0) return dest;
  return {
    write(line: string) {
      let out = line;
      for (const secret of active) out = out.split(secret).join(REDACTED);
      // grammY and URLs may also carry the token URL-encoded (":" → "%3A").
      for (const secret of active) out = out.split(encodeURIComponent(secret)).join(REDACTED);
      return dest.write(out);
    },
  };
}

/**
 * Keys whose values are personal data or message content (issue 13): Bot API payloads (texts,
 * captions, keyboards), Telegram user fields (names, handles, phones), profile names and free
 * answers. They are dropped from everything logged, at any depth (errors included: GrammyError
 * carries the whole `sendMessage` payload).
 */
const PERSONAL_KEYS = new Set([
  "payload",
  "text",
  "caption",
  "reply_markup",
  "inline_keyboard",
  "entities",
  "first_name",
  "last_name",
  "firstName",
  "lastName",
  "fullName",
  "full_name",
  "username",
  "phone",
  "phone_number",
  "phoneNumber",
  "contact",
  "from",
  "chat",
  "who",
  "answer",
  "answers",
  "comment",
  "document",
  "notice",
  "args",
]);
const OMITTED = "[omitted]";

/** A copy of `value` without personal keys (depth-limited; cycles cut). */
export function stripPersonalData(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth > 8 || seen.has(value)) return "[…]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => stripPersonalData(v, depth + 1, seen));
  if (value instanceof Date) return value;
  if (value instanceof Error) return stripPersonalData(pino.stdSerializers.err(value), depth + 1, seen);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = PERSONAL_KEYS.has(k) ? OMITTED : stripPersonalData(v, depth + 1, seen);
  return out;
}

/** pino's error serializer without personal data (GrammyError's `payload`, nested causes alike). */
export function safeErrorSerializer(err: unknown): unknown {
  return stripPersonalData(err);
}

export interface LoggerOptions {
  level: string;
  secrets?: string[];
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const dest = options.destination ?? pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level: options.level,
      base: { app: "nastavnik" },
      redact: {
        paths: ["token", "botToken", "*.token", "*.botToken", "config.botToken", "headers[\"x-telegram-bot-api-secret-token\"]"],
        censor: REDACTED,
      },
      serializers: { err: safeErrorSerializer, error: safeErrorSerializer },
      formatters: { log: (object) => stripPersonalData(object) as Record<string, unknown> },
    },
    redactingDestination(dest, options.secrets ?? []),
  );
}
