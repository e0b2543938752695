import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../src/db/embedded.ts";

declare module "vitest" {
  export interface ProvidedContext {
    mongoUri: string;
    /** The embedded database's reader for heavy reads (FerretDB on PostgreSQL), or "" */
    readUri: string;
  }
}

/**
 * One database server for the whole run: MONGODB_URI when set, else the embedded provider
 * (FerretDB when its binary is present, mongod through mongodb-memory-server otherwise).
 * Each test file then uses its own database on it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.MONGODB_URI;
  if (fromEnv) {
    project.provide("mongoUri", fromEnv);
    project.provide("readUri", "");
    return async () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), "nastavnik-test-db-"));
  const db: EmbeddedDatabase = await startEmbeddedDatabase(dir, undefined, { ephemeral: true });
  process.stdout.write(`test database: ${db.kind} on ${db.backend ?? "its own files"} at ${db.uri}${db.readUri ? `, heavy reads at ${db.readUri}` : ""} (files in ${db.dataDir})\n`);
  project.provide("mongoUri", db.uri);
  project.provide("readUri", db.readUri ?? "");
  return async () => {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
