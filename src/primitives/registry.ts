/** @file Every primitive, listed once: the property tests loop over this list. */
import type { Primitive } from "../core/primitive.ts";
import * as unary from "./unary.ts";
import * as binary from "./binary.ts";
import * as compare from "./compare.ts";
import * as reduce from "./reduce.ts";
import * as structural from "./structural.ts";
import * as contraction from "./contraction.ts";
import * as linalg from "./linalg.ts";
import * as linalgSpectral from "./linalg-spectral.ts";
import * as sort from "./sort.ts";
import * as gather from "./gather.ts";
import * as special from "./special.ts";
import * as random from "./random.ts";
import * as control from "./control.ts";
import * as loops from "./loops.ts";
import { pjitP } from "./pjit.ts";
import { customJvpCallP, customVjpCallP } from "./custom.ts";
import { checkpointP, checkpointNameP } from "./checkpoint.ts";
import * as conv from "./conv.ts";

const isPrimitive = (x: unknown): x is Primitive<unknown> =>
  typeof x === "object" && x !== null && "impl" in x && "jvp" in x && "batch" in x && "abstractEval" in x;

const collect = (...modules: object[]): Primitive<unknown>[] =>
  modules.flatMap((m) => Object.values(m).filter(isPrimitive));

/** All registered primitives, by name. */
export const registry: ReadonlyMap<string, Primitive<unknown>> = new Map(
  [
    ...collect(unary, binary, compare, reduce, structural, contraction, sort, gather, special, linalg, linalgSpectral, random, control, loops, conv),
    // Higher-order primitives carrying user functions (custom_vjp_lin is not listed: it exists only
    // to be transposed, and applying it forward is by design an error; custom_vjp_call's spec covers
    // it through reverse mode).
    ...([pjitP, customJvpCallP, customVjpCallP, checkpointP, checkpointNameP] as Primitive<unknown>[]),
  ].map((p) => [p.name, p]),
);
