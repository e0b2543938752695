/**
 * The clock behind every schema's `createdAt`/`updatedAt`. Production keeps the system clock; a
 * process that runs on a simulated clock (the demo, the simulator, tests) sets it once, so that
 * records written "on day 40" carry day 40 and period figures read them as such.
 */
let current: () => Date = () => new Date();

export function setModelClock(now: () => Date): void {
  current = now;
}

export function resetModelClock(): void {
  current = () => new Date();
}

/** The model clock's instant (for stamps written outside a timestamped save, e.g. during erasure). */
export function modelNow(): Date {
  return current();
}

/** Schema option: timestamps stamped by the model clock. */
export const TIMESTAMPS = { createdAt: "createdAt", updatedAt: "updatedAt", currentTime: () => current() } as const;
