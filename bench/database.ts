import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import { connectDatabase, disconnectDatabase } from "../src/db/connection.ts";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../src/db/embedded.ts";

/**
 * Runs a benchmark against its own database: `MONGODB_URI` when set (a database of its own there,
 * dropped afterwards), else an embedded server in a temporary folder (removed afterwards).
 * `fn` gets a label of the database for the report.
 */
export async function withBenchDatabase<T>(name: string, fn: (label: string) => Promise<T>): Promise<T> {
  const external = process.env.MONGODB_URI;
  const tmp = external ? undefined : mkdtempSync(join(tmpdir(), `nastavnik-bench-${name}-`));
  let db: EmbeddedDatabase | undefined;
  let connected = false;
  try {
    if (tmp) db = await startEmbeddedDatabase(tmp);
    await connectDatabase(external ?? (db as EmbeddedDatabase).uri, { dbName: `nastavnik_bench_${name}_${process.pid}`, readUri: db?.readUri });
    connected = true;
    return await fn(db ? `embedded ${db.kind}${db.backend ? ` on ${db.backend}` : ""}` : "MONGODB_URI");
  } finally {
    if (connected) {
      if (external) await mongoose.connection.dropDatabase().catch(() => undefined);
      await disconnectDatabase().catch(() => undefined);
    }
    await db?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
