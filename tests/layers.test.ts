import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, dirname, normalize } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Layers point down only: process entry (src/*.ts, src/demo) → bot (src/bot, scenes) and jobs →
 * messaging (src/messaging: rendering and delivery shared by bot and jobs) → domain services
 * (src/domain) → models, db, core (config, logger, clock, dates, html). This test reads every
 * import of the project and fails on one that points up or sideways between bot and jobs.
 */
const ROOT = join(import.meta.dirname, "..");

function layerOf(file: string): string | null {
  if (file.startsWith("src/bot/") || file.startsWith("scenes/")) return "bot";
  if (file.startsWith("jobs/")) return "jobs";
  if (file.startsWith("src/messaging/")) return "messaging";
  if (file.startsWith("src/domain/")) return "domain";
  if (file.startsWith("src/core/") || file.startsWith("src/db/")) return "core";
  if (file.startsWith("models/")) return "models";
  if (file.startsWith("src/")) return "entry";
  return null;
}

const ALLOWED: Record<string, string[]> = {
  entry: ["entry", "bot", "jobs", "messaging", "domain", "core", "models"],
  bot: ["bot", "messaging", "domain", "core", "models"],
  jobs: ["jobs", "messaging", "domain", "core", "models"],
  messaging: ["messaging", "domain", "core", "models"],
  domain: ["domain", "core", "models"],
  core: ["core", "models"],
  models: ["models"],
};

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return tsFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("layers", () => {
  it("every import points down (and bot and jobs never import each other)", () => {
    const violations: string[] = [];
    for (const file of ["src", "scenes", "jobs", "models"].flatMap(tsFiles)) {
      const from = layerOf(file);
      if (!from) continue;
      const text = readFileSync(join(ROOT, file), "utf8");
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^"';]*?from\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = relative(ROOT, normalize(join(ROOT, dirname(file), m[1] as string)));
        const to = layerOf(target);
        if (to && !ALLOWED[from]?.includes(to)) violations.push(`${file} (${from}) → ${target} (${to})`);
      }
      if ((from === "domain" || from === "core" || from === "models") && /from\s*["'](grammy|@grammyjs\/[^"']+)["']/.test(text)) {
        violations.push(`${file} (${from}) imports grammY`);
      }
    }
    expect(violations).toEqual([]);
  });
});
