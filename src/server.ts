import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { BotError, webhookCallback, type Bot } from "grammy";
import { UpdateNotYetHandled } from "./bot/exactly-once.ts";
import type { BotContext } from "./bot/context.ts";
import type { Logger } from "./core/logger.ts";
import { databaseState } from "./db/connection.ts";

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** In webhook mode: the bot, the path Telegram posts to, and the secret token to check. */
  webhook?: { bot: Bot<BotContext>; path: string; secret: string };
}

/**
 * The process's HTTP server: `/healthz` always (200 when the database is connected, 503 if not),
 * and in webhook mode the webhook path, which rejects requests without the right secret token.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<Server> {
  const handleWebhook = options.webhook
    ? webhookCallback(options.webhook.bot, "http", {
        secretToken: options.webhook.secret,
        onTimeout: "return",
        timeoutMilliseconds: 55_000,
      })
    : undefined;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && url.pathname === "/healthz") {
      const db = databaseState();
      res.writeHead(db === "connected" ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: db === "connected", db }));
      return;
    }
    if (handleWebhook && options.webhook && req.method === "POST" && url.pathname === options.webhook.path) {
      handleWebhook(req, res).catch((err: unknown) => {
        if (err instanceof BotError && err.error instanceof UpdateNotYetHandled) options.logger.warn({ update_id: err.ctx.update.update_id }, "webhook answered 500: Telegram delivers the update again");
        else options.logger.error({ err }, "webhook handling failed");
        if (!res.headersSent) {
          res.writeHead(500);
          res.end();
        }
      });
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  options.logger.info({ address }, "http server listening");
  return server;
}

export function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
