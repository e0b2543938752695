import type { AnyBulkWriteOperation } from "mongodb";
import { ConversationState, dialogStateChanges, modelNow } from "../../models/index.ts";
import { engine } from "./engine.ts";
import { isDuplicateKeyError, refusedWrites } from "./errors.ts";

/**
 * One dialog's write in `writeDialogStates`: its state (JSON), or null to delete it. `insert`: the
 * writer knows the chat has none stored (an insert is one statement on FerretDB, where an upsert
 * first looks); a key taken after all answers "taken" and changes nothing.
 */
export interface DialogStateWrite {
  key: string;
  state: string | null;
  insert?: boolean;
}

/**
 * Writes the states of several dialogs in as few round trips as it can (a command per kind of
 * write), each announced by its key as the model's other writes are. Writes of one dialog land in
 * the order given, in successive commands. Answers per write, in order: "written", "taken" (an
 * insert whose key is stored: nothing changed), or that write's own error; a failure of a whole
 * command throws (what it may have written is announced all the same).
 */
export async function writeDialogStates(writes: readonly DialogStateWrite[]): Promise<Array<"written" | "taken" | Error>> {
  const out: Array<"written" | "taken" | Error> = [];
  for (const round of rounds(writes)) {
    const answers = await writeRound(round.map((i) => writes[i] as DialogStateWrite));
    round.forEach((i, k) => (out[i] = answers[k] as "written" | "taken" | Error));
  }
  return out;
}

/** The writes' indexes in rounds of distinct dialogs, in order, with at most `engine.updatesPerCommand` updates each. */
function rounds(writes: readonly DialogStateWrite[]): number[][] {
  const out: Array<{ updates: number; at: number[] }> = [];
  const lastRound = new Map<string, number>();
  writes.forEach((w, i) => {
    const update = w.state !== null && !w.insert ? 1 : 0;
    let r = (lastRound.get(w.key) ?? -1) + 1;
    while (r < out.length && (out[r] as { updates: number }).updates + update > engine.updatesPerCommand) r++;
    const round = out[r] ?? (out[r] = { updates: 0, at: [] });
    round.updates += update;
    round.at.push(i);
    lastRound.set(w.key, r);
  });
  return out.map((r) => r.at);
}

/** One round: distinct dialogs. */
async function writeRound(writes: readonly DialogStateWrite[]): Promise<Array<"written" | "taken" | Error>> {
  const now = modelNow();
  const ops = writes.map((w): AnyBulkWriteOperation =>
    w.state === null
      ? { deleteOne: { filter: { key: w.key } } }
      : w.insert
        ? { insertOne: { document: { key: w.key, state: w.state, createdAt: now, updatedAt: now } } }
        : { updateOne: { filter: { key: w.key }, update: { $set: { state: w.state, updatedAt: now }, $setOnInsert: { createdAt: now } }, upsert: true } },
  );
  const out: Array<"written" | "taken" | Error> = writes.map(() => "written");
  try {
    await ConversationState.collection.bulkWrite(ops, { ordered: false });
  } catch (err) {
    const refused = refusedWrites(err);
    if (refused.length === 0) throw err;
    for (const we of refused) {
      const insert = writes[we.index]?.insert === true;
      out[we.index] = insert && isDuplicateKeyError(we) ? "taken" : Object.assign(new Error(we.errmsg ?? "dialog state not written"), { code: we.code });
    }
    // FerretDB stops an update command at its first failing statement and names only that one:
    // whether the later updates landed is not known, so none of them is answered "written".
    if (refused.some((we) => "updateOne" in (ops[we.index] as object))) {
      ops.forEach((op, i) => {
        if ("updateOne" in op && out[i] === "written") out[i] = new Error("dialog state maybe not written: an update before it in the same command failed");
      });
    }
  } finally {
    for (const w of writes) dialogStateChanges.emit("change", { key: w.key });
  }
  return out;
}
