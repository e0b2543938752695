/** Moved to src/simulate (the simulator builds the same updates); tests keep importing it from here. */
export * from "../../src/simulate/updates.ts";
