import { afterAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import mongoose from "mongoose";
import { useTestDatabase } from "./helpers/db.ts";
import { connectDatabase } from "../src/db/connection.ts";
import { buildTestBot } from "./helpers/harness.ts";
import { command, makeUser } from "./helpers/updates.ts";
import { closeHttpServer, startHttpServer } from "../src/server.ts";

const db = useTestDatabase();

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

  it("while the database is down the webhook answers 500 (Telegram delivers again), apologises once, and answers the redelivery", async () => {
    const t = buildTestBot({ config: { botMode: "webhook" }, updates: { redeliveredOnError: true } });
    const hook = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      logger: t.logger,
      webhook: { bot: t.bot, path: "/telegram/hook", secret: "hook_secret-2" },
    });
    try {
      const base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
      const u = makeUser(402, "Вебхук2", "ru");
      const update = command(u, "/help");
      const post = () =>
        fetch(`${base}/telegram/hook`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "hook_secret-2" },
          body: JSON.stringify(update),
        });
      await mongoose.disconnect();
      expect((await post()).status).toBe(500);
      expect((await post()).status).toBe(500); // Telegram's second try, still down
      expect(t.fake.textsTo(u.chatId)).toHaveLength(1);
      expect(t.fake.lastTextTo(u.chatId)).toMatch(/^Извините, сейчас не получается/);
      await connectDatabase(db.uri, { dbName: db.dbName, readUri: db.readUri });
      expect((await post()).status).toBe(200);
      expect(t.fake.textsTo(u.chatId)).toHaveLength(2);
      expect(t.fake.lastTextTo(u.chatId)).toContain("Что умеет");
      expect((await post()).status).toBe(200); // a copy after success changes nothing
      expect(t.fake.textsTo(u.chatId)).toHaveLength(2);
    } finally {
      await closeHttpServer(hook);
    }
  });
});
