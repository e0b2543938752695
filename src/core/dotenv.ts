import { existsSync } from "node:fs";

/** Reads `.env` (if present) into process.env without overriding what is already set. */
export function loadDotEnv(path = ".env"): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
