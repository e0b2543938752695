import { join } from "node:path";
import { keepCompiledCode } from "./core/compile-cache.ts";
import { loadDotEnv } from "./core/dotenv.ts";

/** Process entry: configuration, then the app, then signals. */
async function main(): Promise<void> {
  loadDotEnv();
  // V8's compiled code of the bot's modules is kept under DATA_DIR (read as the configuration
  // reads it; checked against each file's content, so an update of the code or of Node is safe),
  // enabled before any other module loads, the configuration's own included: loading takes about
  // 1.1 s instead of 1.7-2 s on every start after the first; the digest's and the export's
  // threads use it too.
  keepCompiledCode(join(process.env.DATA_DIR?.trim() || "./data", "compile-cache"));
  const [{ ConfigError, loadConfig }, { createLogger }, { startConfiguredDatabase }] = await Promise.all([
    import("./core/config.ts"),
    import("./core/logger.ts"),
    import("./db/embedded.ts"),
  ]);
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
  // Without MONGODB_URI, the embedded database (PostgreSQL and FerretDB) is launched now, before
  // the bot's modules load, and comes up while they do.
  const embedded = config.mongodbUri ? undefined : startConfiguredDatabase(config, logger);
  // Awaited in startApp; this only keeps an early failure from counting as unhandled meanwhile.
  embedded?.catch(() => undefined);
  // The connection (models, indexes, checks: about 0.3 s, mostly waiting for the server) is made
  // while the rest of the bot's modules load (a restart: 1.5-1.8 s with all of this, measured by
  // `node bench/start.ts`; 3.0 s before).
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
