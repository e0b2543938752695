import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The compile cache of `npm start` (src/core/compile-cache.ts) reaches the digest's and the
 * export's worker threads. Each case runs in a child process: Node allows one compile cache per
 * process, and what a worker thread writes there is read from the directory afterwards.
 */

const dir = mkdtempSync(join(tmpdir(), "nastavnik-compile-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const child = join(dir, "child.ts");
writeFileSync(
  child,
  `import { Worker } from "node:worker_threads";
import { enableCompileCache } from "node:module";
import { keepCompiledCode } from ${JSON.stringify(join(process.cwd(), "src/core/compile-cache.ts"))};
const [cache, mod, how] = process.argv.slice(2);
if (how === "project") keepCompiledCode(cache); else enableCompileCache(cache);
new Worker(new URL("file://" + mod)).on("exit", (code) => process.exit(code));
`,
);
const worker = join(dir, "thread.mjs");
writeFileSync(worker, "export function twice(a) { return a * 2; }\n");

/** Files in the cache after a child process enabled it (`how`) and ran a worker thread. */
function cachedByThread(how: "project" | "api-only"): string[] {
  const cache = join(dir, `cache-${how}`);
  execFileSync(process.execPath, [child, cache, worker, how], { env: { ...process.env, NODE_COMPILE_CACHE: "" }, stdio: "pipe" });
  return readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe("the compile cache", () => {
  it("is used by a worker thread started after it is enabled (Node's own setting alone is not)", () => {
    // The control: the worker loads its module without the cache when only the API enabled it.
    expect(cachedByThread("api-only")).toEqual([]);
    // The project's setting: the worker's module is compiled into the directory.
    expect(cachedByThread("project")).toHaveLength(1);
  });
});
