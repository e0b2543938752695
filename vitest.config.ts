import { defineConfig } from "vitest/config";

// Time-zone arithmetic must never depend on the host zone: run the tests in a zone with DST.
process.env.TZ = process.env.TEST_TZ ?? "America/New_York";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
