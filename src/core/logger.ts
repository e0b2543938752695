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
      serializers: { err: pino.stdSerializers.err },
    },
    redactingDestination(dest, options.secrets ?? []),
  );
}
