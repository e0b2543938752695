import { describe, expect, it } from "vitest";
import { execSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Types } from "mongoose";
import { connectDatabase, disconnectDatabase } from "../src/db/connection.ts";
import { startEmbeddedDatabase } from "../src/db/embedded.ts";
import { findPostgresBin } from "../src/db/postgres.ts";
import { readConnectionPort, readModels } from "../src/db/read-connection.ts";
import { loadDigestData } from "../src/domain/digest.ts";
import { Organization, User } from "../models/index.ts";

/**
 * Issue 12: on PostgreSQL the embedded database runs a second FerretDB process for the heavy reads
 * (src/db/embedded.ts). If it ends, the heavy reads go to the bot's own server: a digest still comes.
 */
describe("the heavy reads' FerretDB process", () => {
  it.runIf(findPostgresBin() !== undefined)("serves the heavy reads, and when its process ends they go to the bot's own server", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "nastavnik-reader-"));
    const db = await startEmbeddedDatabase(dir, undefined, { backend: "postgresql", ephemeral: true });
    try {
      expect(db.readUri).toBeDefined();
      await connectDatabase(db.uri, { dbName: "reader", readUri: db.readUri, onReaderExit: db.onReaderExit });
      const org = await Organization.create({ shortName: "МБДОУ «Детский сад № 7»", searchKey: "мбдоу детский сад 7", timezone: "Europe/Moscow" });
      const readerPort = Number(new URL(db.readUri as string).port);
      expect(readConnectionPort()).toBe(readerPort);
      expect(readModels().User).not.toBe(User);
      expect((await loadDigestData(null, new Date())).buckets.has(org._id.toString())).toBe(true);

      const pid = Number(execSync("ps -eo pid=,args=").toString().split("\n").find((l) => l.includes(`--listen-addr=127.0.0.1:${readerPort}`))?.trim().split(/\s+/)[0]);
      process.kill(pid, "SIGKILL");
      await expect.poll(() => readConnectionPort(), { timeout: 5_000 }).toBeUndefined();
      expect(readModels().User).toBe(User);
      const later = await Organization.create({ shortName: "МАДОУ «Детский сад № 8»", searchKey: "мадоу детский сад 8", timezone: "Europe/Moscow" });
      const data = await loadDigestData([later._id.toString()], new Date());
      expect(data.buckets.get(later._id.toString())?.org.shortName).toBe("МАДОУ «Детский сад № 8»");
      expect(await User.countDocuments({ _id: new Types.ObjectId() })).toBe(0);
    } finally {
      await disconnectDatabase().catch(() => undefined);
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
