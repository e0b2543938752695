import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import { startEmbeddedDatabase } from "../src/db/embedded.ts";
import { execFileSync } from "node:child_process";
import { findPostgresBin, linkLibraries, npmPostgresBin, startPostgres } from "../src/db/postgres.ts";
import { freePort } from "../src/db/embedded.ts";

const withPostgres = findPostgresBin() !== undefined;
/** PostgreSQL's binaries of the optional npm package for this platform (linux-x64 on this machine kind). */
const npmBin = npmPostgresBin();

describe("embedded database", () => {
  it("keeps its files in the data folder, and a second process on the same folder joins the running server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nastavnik-embedded-"));
    const first = await startEmbeddedDatabase(dir, undefined, { ephemeral: true });
    try {
      expect(existsSync(join(dir, "embedded-server.json"))).toBe(true);
      const second = await startEmbeddedDatabase(dir);
      expect(second.uri).toBe(first.uri);
      expect(second.backend).toBe(first.backend);
      // The heavy reads' process too (FerretDB on PostgreSQL), so the CLI's exports go there.
      expect(second.readUri).toBe(first.readUri);
      expect(first.readUri !== undefined).toBe(first.backend === "postgresql");
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

  // PostgreSQL is part of this machine kind (Debian's postgresql-15); where it is missing the
  // default is SQLite and there is nothing to move.
  it.runIf(withPostgres)("runs FerretDB on PostgreSQL where it can be had, and moves an earlier SQLite run's data and indexes there once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nastavnik-embedded-"));
    const old = await startEmbeddedDatabase(dir, undefined, { backend: "sqlite" });
    expect(old.backend).toBe("sqlite");
    let conn = await mongoose.createConnection(old.uri, { dbName: "nastavnik", serverSelectionTimeoutMS: 5000 }).asPromise();
    await conn.collection("users").insertMany(Array.from({ length: 1234 }, (_, i) => ({ telegramId: 1000 + i, name: `Учитель ${i}` })));
    await conn.collection("users").createIndex({ telegramId: 1 }, { unique: true, sparse: true });
    await conn.collection("jobs").insertOne({ key: "k1" });
    await conn.close();
    await old.stop();

    const moved = await startEmbeddedDatabase(dir, undefined, { ephemeral: true });
    try {
      expect(moved.backend).toBe("postgresql");
      conn = await mongoose.createConnection(moved.uri, { dbName: "nastavnik", serverSelectionTimeoutMS: 5000 }).asPromise();
      expect(await conn.collection("users").countDocuments()).toBe(1234);
      expect(await conn.collection("jobs").countDocuments()).toBe(1);
      expect(await conn.collection("users").findOne({ telegramId: 1500 })).toMatchObject({ name: "Учитель 500" });
      await expect(conn.collection("users").insertOne({ telegramId: 1000 })).rejects.toThrow(/duplicate key/i);
      await conn.close();
    } finally {
      await moved.stop();
    }
    expect(existsSync(join(dir, "ferretdb-sqlite-before-postgresql"))).toBe(true);
    // The next start finds the cluster and copies nothing again. It launches PostgreSQL on the
    // last run's port at once; when something else holds that port, it moves to a free one.
    const lastPort = Number(readFileSync(join(dir, "postgres.port"), "utf8"));
    const squatter = createServer((socket) => socket.destroy()); // a program that is not PostgreSQL
    await new Promise<void>((res, rej) => squatter.once("error", rej).listen(lastPort, "127.0.0.1", () => res()));
    const again = await startEmbeddedDatabase(dir, undefined, { ephemeral: true });
    try {
      conn = await mongoose.createConnection(again.uri, { dbName: "nastavnik", serverSelectionTimeoutMS: 5000 }).asPromise();
      expect(await conn.collection("users").countDocuments()).toBe(1234);
      await conn.close();
    } finally {
      await again.stop();
      await new Promise((res) => squatter.close(res));
    }
    const nextPort = Number(readFileSync(join(dir, "postgres.port"), "utf8"));
    expect(nextPort).not.toBe(lastPort);
    // With the port free, the run after that uses it again.
    const third = await startEmbeddedDatabase(dir, undefined, { ephemeral: true });
    await third.stop();
    expect(Number(readFileSync(join(dir, "postgres.port"), "utf8"))).toBe(nextPort);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it.runIf(withPostgres)("serves FerretDB's profiler of the bot's server and of the reader at their own addresses (one address for both made the reader's start fail, and the bot fell back to SQLite)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nastavnik-pprof-"));
    const [main, reader] = [await freePort(), await freePort()];
    const saved = { main: process.env.NASTAVNIK_FERRETDB_DEBUG_ADDR, reader: process.env.NASTAVNIK_FERRETDB_READER_DEBUG_ADDR };
    process.env.NASTAVNIK_FERRETDB_DEBUG_ADDR = `127.0.0.1:${main}`;
    process.env.NASTAVNIK_FERRETDB_READER_DEBUG_ADDR = `127.0.0.1:${reader}`;
    try {
      const db = await startEmbeddedDatabase(dir, undefined, { ephemeral: true });
      try {
        expect(db.backend).toBe("postgresql");
        expect(db.readUri).toBeDefined();
        for (const port of [main, reader]) expect((await fetch(`http://127.0.0.1:${port}/debug/pprof/`)).status).toBe(200);
      } finally {
        await db.stop();
      }
    } finally {
      for (const [name, value] of [["NASTAVNIK_FERRETDB_DEBUG_ADDR", saved.main], ["NASTAVNIK_FERRETDB_READER_DEBUG_ADDR", saved.reader]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.runIf(withPostgres)("acknowledges a write as a standalone MongoDB does (on disk within 0.1 s), or after the disk flush with EMBEDDED_DB_COMMIT=flush; keeps the GIN indexes' pending lists small", async () => {
    const bin = findPostgresBin() as string;
    const dir = mkdtempSync(join(tmpdir(), "nastavnik-commit-"));
    const show = (url: string) => execFileSync(join(bin, "psql"), [url, "-Atc", "SELECT current_setting('synchronous_commit') || ' ' || current_setting('wal_writer_delay') || ' ' || current_setting('fsync') || ' ' || current_setting('gin_pending_list_limit')"], { encoding: "utf8" }).trim();
    try {
      for (const [commit, expected] of [[undefined, "off 30ms on 64kB"], ["flush", "on 200ms on 64kB"], ["interval", "off 30ms on 64kB"]] as const) {
        const cluster = await startPostgres(bin, dir, freePort(), commit ? { commit } : {});
        try {
          expect(show(cluster.url)).toBe(expected);
        } finally {
          await cluster.stop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("PostgreSQL from the npm package (issue 12: PostgreSQL wherever `npm ci` ran)", () => {
  it("makes the shared libraries' version links that npm did not (a dependency's install script runs only when allowed)", () => {
    const pkg = mkdtempSync(join(tmpdir(), "nastavnik-npm-pg-"));
    mkdirSync(join(pkg, "native", "lib"), { recursive: true });
    writeFileSync(join(pkg, "native", "lib", "libpq.so.5.16"), "library");
    writeFileSync(
      join(pkg, "native", "pg-symlinks.json"),
      JSON.stringify([
        { source: "native/lib/libpq.so.5.16", target: "native/lib/libpq.so.5" },
        { source: "native/lib/libpq.so.5.16", target: "native/lib/libpq.so" },
      ]),
    );
    linkLibraries(pkg);
    expect(readlinkSync(join(pkg, "native", "lib", "libpq.so.5"))).toBe("libpq.so.5.16");
    expect(readFileSync(join(pkg, "native", "lib", "libpq.so"), "utf8")).toBe("library");
    linkLibraries(pkg); // links already there are left as they are
    expect(readlinkSync(join(pkg, "native", "lib", "libpq.so"))).toBe("libpq.so.5.16");
    rmSync(pkg, { recursive: true, force: true });
  });

  it.runIf(npmBin !== undefined)("serves the embedded database, reads by index, and a cluster of its major version keeps these binaries", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "nastavnik-npm-pg-"));
    const db = await startEmbeddedDatabase(dir, undefined, { backend: "postgresql", postgresBin: npmBin, ephemeral: true });
    try {
      expect(db.backend).toBe("postgresql");
      const conn = await mongoose.createConnection(db.uri, { dbName: "probe", serverSelectionTimeoutMS: 5000 }).asPromise();
      const coll = conn.collection("items");
      await coll.createIndex({ k: 1 });
      await coll.insertMany(Array.from({ length: 300 }, (_, k) => ({ k, text: `пункт ${k}` })));
      expect((await coll.find({ k: 42 }).toArray()).map((d) => d.text)).toEqual(["пункт 42"]);
      // The project's FerretDB build reads it through its GIN index on this PostgreSQL too.
      expect(JSON.stringify(await coll.find({ k: 42 }).explain())).toMatch(/"Index Name":"[^"]+_gin"/);
      await conn.close();
      const major = Number(readFileSync(join(dir, "postgres", "PG_VERSION"), "utf8"));
      expect(execFileSync(join(npmBin as string, "postgres"), ["--version"], { encoding: "utf8" })).toContain(`PostgreSQL) ${major}.`);
      // Another major's binaries would refuse this cluster: the data folder picks the npm ones
      // even where an installed PostgreSQL of another major comes first.
      expect(findPostgresBin(undefined, dir)).toBe(npmBin);
      const installed = findPostgresBin();
      if (installed !== npmBin) {
        const other = mkdtempSync(join(tmpdir(), "nastavnik-npm-pg-"));
        mkdirSync(join(other, "postgres"));
        const installedMajor = /PostgreSQL\) (\d+)\./.exec(execFileSync(join(installed as string, "postgres"), ["--version"], { encoding: "utf8" }))?.[1];
        writeFileSync(join(other, "postgres", "PG_VERSION"), `${installedMajor}\n`);
        expect(findPostgresBin(undefined, other)).toBe(installed);
        rmSync(other, { recursive: true, force: true });
      }
    } finally {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
