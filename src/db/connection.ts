import mongoose from "mongoose";
import type { Logger } from "../logger.ts";

// No silent buffering: a query made while disconnected fails at once instead of waiting forever.
mongoose.set("bufferCommands", false);
mongoose.set("strictQuery", true);

export interface ConnectOptions {
  dbName?: string;
  logger?: Logger;
}

/** Connects the default mongoose connection with bounded timeouts and builds every index. */
export async function connectDatabase(uri: string, options: ConnectOptions = {}): Promise<typeof mongoose> {
  const m = await mongoose.connect(uri, {
    dbName: options.dbName,
    serverSelectionTimeoutMS: 10_000,
    connectTimeoutMS: 10_000,
    socketTimeoutMS: 45_000,
    maxPoolSize: 20,
    autoIndex: false,
  });
  // Indexes (unique keys in particular) must exist before the first update is handled.
  await Promise.all(Object.values(mongoose.models).map((model) => model.createIndexes()));
  options.logger?.info({ db: mongoose.connection.name }, "database connected");
  return m;
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

export function databaseState(): "connected" | "connecting" | "disconnected" {
  const state = mongoose.connection.readyState;
  if (state === 1) return "connected";
  if (state === 2) return "connecting";
  return "disconnected";
}
