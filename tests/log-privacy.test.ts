import { describe, expect, it } from "vitest";
import { GrammyError } from "grammy";
import { useTestDatabase } from "./helpers/db.ts";
import { buildTestBot, LogSink } from "./helpers/harness.ts";
import { clock } from "./helpers/scenario.ts";
import { makeUser, textMessage, command } from "./helpers/updates.ts";
import { createLogger } from "../src/core/logger.ts";
import { GROUP_NOTICES_JOB } from "../src/domain/group-sessions.ts";

/** Issue 13, Build item 5: no log line carries names, handles, phones or message texts. */
useTestDatabase();

const NAME = "Секретова Мирослава";
const HANDLE = "secret_handle_77";
const PHONE = "+79991234567";
const FREE_TEXT = "мой личный ответ про семью";

function assertClean(lines: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    for (const secret of [NAME, "Секретова", HANDLE, PHONE, FREE_TEXT]) expect(line, line).not.toContain(secret);
  }
}

describe("logs without personal data", () => {
  it("a GrammyError's payload (full sendMessage parameters) and logged payloads are stripped", () => {
    const sink = new LogSink();
    const log = createLogger({ level: "debug", destination: sink });
    const err = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: "Bad Request: can't parse entities" },
      "sendMessage",
      { chat_id: 1, text: `Привет, ${NAME} (@${HANDLE}, ${PHONE}): ${FREE_TEXT}`, reply_markup: { inline_keyboard: [[{ text: NAME, callback_data: "x" }]] } },
    );
    log.error({ err }, "notice not delivered");
    log.warn({ payload: { text: FREE_TEXT }, from: { first_name: NAME, username: HANDLE }, contact: { phone_number: PHONE } }, "something");
    log.error({ err: new Error("wrapped", { cause: err }) }, "nested");
    assertClean(sink.raw);
    const first = sink.lines[0] as unknown as { err: { message: string; description: string; method: string } };
    // What helps to debug stays: the method, the code and Telegram's description.
    expect(first.err.message).toContain("can't parse entities");
    expect(first.err.method).toBe("sendMessage");
  });

  it("every log line of failing sends (bot replies and outbox notices) is free of personal data", async () => {
    const c = clock();
    const t = buildTestBot({ clock: c });
    const u = makeUser(820_001, NAME.split(" ")[1] as string, "ru", { username: HANDLE, last_name: "Секретова" });
    // The bot's own replies fail with 400 and 500s; the error boundary logs them.
    t.fake.failNext("sendMessage", { kind: "400", description: "Bad Request: message is too long" }, 3, u.chatId);
    await t.send(command(u, "/start"));
    await t.send(textMessage(u, `${NAME} ${FREE_TEXT} ${PHONE}`));
    // A notice with the name in it fails in every way the outbox knows.
    const colleague = makeUser(820_002, "Коллега");
    for (const kind of ["500", "network", "400"] as const) {
      t.fake.failNext("sendMessage", kind === "400" ? { kind, description: "Bad Request: chat not found" } : { kind }, 1, colleague.chatId);
      await t.queue.enqueue({
        type: GROUP_NOTICES_JOB,
        key: `privacy-${kind}`,
        runAt: c.now(),
        payload: { notices: [{ telegramId: colleague.chatId, locale: "ru", key: "outbox-failed-curator", args: { who: `${NAME} @${HANDLE} ${PHONE}`, reason: FREE_TEXT } }] },
      });
      await t.queue.tick();
      c.advance(60_000);
    }
    expect(t.fake.calls.some((x) => x.failed)).toBe(true);
    expect(t.logs.lines.some((l) => l.level >= 40)).toBe(true);
    assertClean(t.logs.raw);
  });
});
