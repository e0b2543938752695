import { enableCompileCache } from "node:module";
import { join } from "node:path";
import { ConfigError, loadConfig, loadDotEnv } from "./core/config.ts";
import { createLogger } from "./core/logger.ts";
import { startConfiguredDatabase } from "./db/embedded.ts";

/** Process entry: configuration, then the app, then signals. */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example and README.md (Configuration).\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, secrets: [config.botToken, config.webhookSecret ?? ""] });
  // V8's compiled code of the bot's modules is kept under DATA_DIR (checked against each file's
  // content, so an update of the code or of Node is safe): loading them takes about 1.1 s instead
  // of 1.7-2 s on every start after the first (a restart measured by `node bench/start.ts`: 3.0 s
  // against 3.4 s without it).
  enableCompileCache(join(config.dataDir, "compile-cache"));
  // Without MONGODB_URI, the embedded database (PostgreSQL and FerretDB) starts while the bot's
  // modules load, its steps running between theirs (restart: 3.0 s against 3.6-4.1 s before both).
  const embedded = config.mongodbUri ? undefined : startConfiguredDatabase(config, logger);
  // Awaited in startApp; this only keeps an early failure from counting as unhandled meanwhile.
  embedded?.catch(() => undefined);
  // The connection (models, indexes, checks: about 0.5 s, mostly waiting for the server) is made
  // while the rest of the bot's modules load (restart 2.3 s before this, measured as above).
  const connected = import("./db/connection.ts").then(async ({ connectConfiguredDatabase }) =>
    connectConfiguredDatabase(config, logger, embedded ? await embedded : undefined),
  );
  connected.catch(() => undefined);
  let app;
  try {
    const { startApp } = await import("./app.ts");
    app = await startApp(config, logger, { embedded, connected });
  } catch (err) {
    // A database that started while the app failed to load must not outlive the process.
    await embedded?.then((db) => db.stop()).catch(() => undefined);
    logger.fatal({ err }, "start-up failed");
    await new Promise((r) => setTimeout(r, 100));
    process.exit(1);
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      app
        .stop(signal)
        .then(() => process.exit(0))
        .catch((err: unknown) => {
          logger.error({ err }, "shutdown failed");
          process.exit(1);
        });
    });
  }
}

void main();
