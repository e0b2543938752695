import { parentPort, workerData } from "node:worker_threads";
import { engine } from "../db/engine.ts";
import { CONNECTION_TIMEOUTS, openReadConnection } from "../db/read-connection.ts";
import { mongo } from "mongoose";
import { encodeFigures, extrasHere, figuresHere, type ThreadInit, type ThreadReply, type ThreadRequest } from "./digest-thread.ts";

/**
 * The digest's thread (see digest-thread.ts): one connection to where the bot's heavy reads go,
 * and for each request the scope's load and figures, answered as BSON. Requests are taken one at
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

async function answer(req: ThreadRequest): Promise<void> {
  const failed = await connected;
  if (failed) return reply({ id: req.id, error: `the digest's thread could not connect: ${failed.message}`, lost: true });
  try {
    const bytes = req.kind === "figures" ? encodeFigures(await figuresHere(req.req)) : mongo.BSON.serialize(await extrasHere(req.req), { ignoreUndefined: true });
    reply({ id: req.id, bytes });
  } catch (err) {
    reply({ id: req.id, error: err instanceof Error ? err.message : String(err), lost: false });
  }
}

function reply(r: ThreadReply): void {
  port?.postMessage(r);
}
