import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import { startEmbeddedDatabase } from "../src/db/embedded.ts";

describe("embedded database", () => {
  it("keeps its files in the data folder, and a second process on the same folder joins the running server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nastavnik-embedded-"));
    const first = await startEmbeddedDatabase(dir);
    try {
      expect(existsSync(join(dir, "embedded-server.json"))).toBe(true);
      const second = await startEmbeddedDatabase(dir);
      expect(second.uri).toBe(first.uri);
      await second.stop();
      const conn = await mongoose.createConnection(first.uri, { dbName: "probe", serverSelectionTimeoutMS: 5000 }).asPromise();
      await conn.collection("x").insertOne({ ok: 1 });
      expect(await conn.collection("x").countDocuments()).toBe(1);
      await conn.close();
    } finally {
      await first.stop();
    }
    expect(existsSync(join(dir, "embedded-server.json"))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
