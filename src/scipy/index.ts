/** @file The `autograd-ts/scipy` entry point: `special`, `stats`, `signal`, `linalg`, `integrate` and `optimize`. */
import "../numpy/methods.ts";
export * as special from "./special.ts";
export * as stats from "./stats/index.ts";
export * as signal from "./signal.ts";
export * as linalg from "./linalg.ts";
export * as integrate from "./integrate.ts";
export * as optimize from "./optimize/index.ts";
