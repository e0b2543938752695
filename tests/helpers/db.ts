import { inject, afterAll, beforeAll, beforeEach } from "vitest";
import mongoose from "mongoose";
import { randomBytes } from "node:crypto";
import { connectDatabase, resetCaches } from "../../src/db/connection.ts";
import { resetModelClock } from "../../models/index.ts";

/**
 * Connects this test file to its own database on the server the global setup provides, and drops
 * it afterwards. Call once at the top level of a test file.
 */
export function useTestDatabase(options: { resetBetweenTests?: boolean } = {}): { uri: string; dbName: string; readUri?: string } {
  const uri = inject("mongoUri");
  const readUri = inject("readUri") || undefined;
  const dbName = `t_${randomBytes(5).toString("hex")}`;
  beforeAll(async () => {
    await connectDatabase(uri, { dbName, readUri });
  });
  // A test that ran on a simulated clock leaves the model clock set: each test starts on the system clock.
  beforeEach(() => resetModelClock());
  if (options.resetBetweenTests) {
    beforeEach(async () => {
      await Promise.all(Object.values(mongoose.connection.collections).map((c) => c.deleteMany({})));
      resetCaches(); // the raw deletes above bypass the models' change notifications
    });
  }
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return { uri, dbName, readUri };
}
