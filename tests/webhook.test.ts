import { afterAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { command, makeUser } from "./helpers/updates.ts";
import { closeHttpServer, startHttpServer } from "../src/server.ts";

useTestDatabase();

let server: Server | undefined;
afterAll(async () => {
  if (server) await closeHttpServer(server);
});

describe("webhook mode", () => {
  it("accepts updates only with the secret token and serves /healthz", async () => {
    const t = buildTestBot({ config: { botMode: "webhook" } });
    server = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      logger: t.logger,
      webhook: { bot: t.bot, path: "/telegram/hook", secret: "hook_secret-1" },
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const u = makeUser(401, "Вебхук", "ru");
    const post = (secret: string | undefined, body: unknown) =>
      fetch(`${base}/telegram/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) },
        body: JSON.stringify(body),
      });

    expect((await post(undefined, command(u, "/help"))).status).toBe(401);
    expect((await post("wrong", command(u, "/help"))).status).toBe(401);
    expect(t.fake.textsTo(u.chatId)).toHaveLength(0);

    expect((await post("hook_secret-1", command(u, "/help"))).status).toBe(200);
    expect(t.fake.lastTextTo(u.chatId)).toContain("Что умеет");

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, db: "connected" });
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });
});
