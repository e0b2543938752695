import { parentPort, workerData } from "node:worker_threads";
import { engine } from "../db/engine.ts";
import { CONNECTION_TIMEOUTS, openReadConnection } from "../db/read-connection.ts";
import { mongo } from "mongoose";
import { encodeExport, encodeFigures, extrasHere, figuresHere, type ThreadAnswer, type ThreadInit, type ThreadReply, type ThreadRequest } from "./digest-thread.ts";
import { exportHere } from "./export-files.ts";
import { createTranslator, type Translate } from "../core/locales.ts";

/**
 * The digest's thread (see digest-thread.ts): one connection to where the bot's heavy reads go,
 * and for each request the scope's load and figures (or extras, or export files), answered as BSON
 * (an export's files beside it). Requests are taken one at
 * a time in order, as they would wait for the read connection anyway.
 */

const init = workerData as ThreadInit;
const port = parentPort;
if (!port) throw new Error("digest-thread-entry runs only as a worker thread");
Object.assign(engine, init.engine);

const connected = openReadConnection(init.target.uri, { ...(init.target.dbName ? { dbName: init.target.dbName } : {}), ...CONNECTION_TIMEOUTS }).then(
  () => undefined,
  (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
);

let queue: Promise<void> = Promise.resolve();

port.on("message", (req: ThreadRequest) => {
  queue = queue.then(() => answer(req));
});

/** The Russian texts of an export, loaded with the first one. */
let translate: Translate | undefined;

async function work(req: ThreadRequest): Promise<ThreadAnswer> {
  if (req.kind === "figures") return { bytes: encodeFigures(await figuresHere(req.req), req.req.names) };
  if (req.kind === "extras") return { bytes: mongo.BSON.serialize(await extrasHere(req.req), { ignoreUndefined: true }) };
  translate ??= createTranslator();
  const t = translate;
  return encodeExport(await exportHere(req.req, (key, args) => t("ru", key, args)));
}

async function answer(req: ThreadRequest): Promise<void> {
  const failed = await connected;
  if (failed) return reply({ id: req.id, error: `the digest's thread could not connect: ${failed.message}`, lost: true });
  try {
    const a = await work(req);
    reply({ id: req.id, ...a });
  } catch (err) {
    reply({ id: req.id, error: err instanceof Error ? err.message : String(err), lost: false });
  }
}

function reply(r: ThreadReply): void {
  port?.postMessage(r);
}
