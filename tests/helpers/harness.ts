/** Moved to src/simulate (the simulator builds the same bot); tests keep importing it from here. */
export * from "../../src/simulate/harness.ts";
