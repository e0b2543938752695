import { ConfigError, loadConfig, loadDotEnv } from "./core/config.ts";
import { createLogger } from "./core/logger.ts";
import { startApp } from "./app.ts";

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
  let app;
  try {
    app = await startApp(config, logger);
  } catch (err) {
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
