/** @file The `autograd-ts/scipy` entry point: `special`, `stats` and `signal`. */
import "../numpy/methods.ts";
export * as special from "./special.ts";
export * as stats from "./stats/index.ts";
export * as signal from "./signal.ts";
