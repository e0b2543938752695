import type { ChildProcess } from "node:child_process";

/**
 * A database server process this process started: killed if this process exits however it
 * exits, its last stderr kept for error messages, and a stop that sends `signal` and kills it
 * after `graceMs`.
 */
export interface Supervised {
  stderrTail(): string;
  stop(signal: NodeJS.Signals, graceMs: number): Promise<void>;
}

export function supervise(child: ChildProcess): Supervised {
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  return {
    stderrTail: () => tail,
    stop: (signal, graceMs) =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.once("exit", () => {
          clearTimeout(timer);
          res();
        });
        child.kill(signal);
      }),
  };
}
