import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * The bot's process runs with V8's young generation capped (`--max-semi-space-size=16`, README's
 * Quick start): by default V8 sizes it from the machine's memory, up to 2 × 64 MB on these machines,
 * and a region's deployment then took 313–346 MB instead of 287–301 MB. Every way the bot is
 * started must pass the same flags.
 */
const root = new URL("../", import.meta.url);
const scripts = (JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { scripts: Record<string, string> }).scripts;
/** Node's options before the entry file of a `node ...` command line. */
const nodeOptions = (args: string[]) => args.slice(1, args.findIndex((a) => /\.(ts|js)$/.test(a))).filter((a) => a !== "--watch");

describe("the bot's Node flags", () => {
  it("npm start, npm run dev and the image's command cap V8's young generation alike", () => {
    const start = nodeOptions(scripts.start!.split(/\s+/));
    expect(start).toEqual(["--max-semi-space-size=16"]);
    expect(nodeOptions(scripts.dev!.split(/\s+/))).toEqual(start);
    const cmd = readFileSync(new URL("Dockerfile", root), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("CMD "))
      .at(-1);
    expect(cmd).toBeDefined();
    const image = JSON.parse(cmd!.slice(4)) as string[];
    expect(image.at(-1)).toBe("dist/src/main.js");
    expect(nodeOptions(image)).toEqual(start);
  });
});
