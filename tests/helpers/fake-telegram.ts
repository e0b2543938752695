/** Moved to src/simulate (the simulator drives the bot with it too); tests keep importing it from here. */
export * from "../../src/simulate/fake-telegram.ts";
