/** @file The `autograd-ts/scipy` entry point: `special` (and, as they land, `stats`, `signal`). */
import "../numpy/methods.ts";
export * as special from "./special.ts";
export * as signal from "./signal.ts";
