import { createRequire } from "node:module";

/** telegram-test-api (a Bot API emulator) started in-process on a free port. */
const require = createRequire(import.meta.url);
type EmulatorServer = {
  start(): Promise<void>;
  stop(): Promise<boolean>;
  getUpdatesHistory(token: string): Array<Record<string, unknown>>;
  config: { apiURL: string };
};
const TelegramServer = require("telegram-test-api") as new (config: Record<string, unknown>) => EmulatorServer;

export interface Emulator {
  url: string;
  server: EmulatorServer;
  stop(): Promise<void>;
}

export async function startEmulator(port: number): Promise<Emulator> {
  const server = new TelegramServer({ port, host: "127.0.0.1", storeTimeout: 600 });
  await server.start();
  return { url: `http://127.0.0.1:${port}`, server, stop: async () => void (await server.stop()) };
}
