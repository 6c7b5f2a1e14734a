/** @file Every primitive, listed once: the property tests loop over this list. */
import type { Primitive } from "./core/primitive.ts";
import * as unary from "./primitives/unary.ts";
import * as binary from "./primitives/binary.ts";
import * as compare from "./primitives/compare.ts";
import * as reduce from "./primitives/reduce.ts";
import * as structural from "./primitives/structural.ts";
import * as complex from "./primitives/complex.ts";
import * as contraction from "./primitives/contraction.ts";
import * as linalg from "./primitives/linalg.ts";
import * as linalgSpectral from "./primitives/linalg-spectral.ts";
import * as linalgEig from "./primitives/linalg-eig.ts";
import * as sort from "./primitives/sort.ts";
import * as gather from "./primitives/gather.ts";
import * as special from "./primitives/special.ts";
import * as logistic from "./primitives/logistic.ts";
import * as random from "./primitives/random.ts";
import * as control from "./higher-order/control.ts";
import * as loops from "./higher-order/loops.ts";
import { pjitP } from "./higher-order/pjit.ts";
import { customJvpCallP, customVjpCallP } from "./higher-order/custom.ts";
import { checkpointP, checkpointNameP } from "./higher-order/checkpoint.ts";
import * as conv from "./primitives/conv.ts";
import * as fft from "./primitives/fft.ts";

const isPrimitive = (x: unknown): x is Primitive<unknown> =>
  typeof x === "object" && x !== null && "impl" in x && "jvp" in x && "batch" in x && "abstractEval" in x;

const collect = (...modules: object[]): Primitive<unknown>[] =>
  modules.flatMap((m) => Object.values(m).filter(isPrimitive));

/** All registered primitives, by name. */
export const registry: ReadonlyMap<string, Primitive<unknown>> = new Map(
  [
    ...collect(unary, binary, compare, reduce, structural, complex, contraction, sort, gather, special, logistic, linalg, linalgSpectral, linalgEig, random, control, loops, conv, fft),
    // Higher-order primitives carrying user functions (custom_vjp_lin is not listed: it exists only
    // to be transposed, and applying it forward is by design an error; custom_vjp_call's spec covers
    // it through reverse mode).
    ...([pjitP, customJvpCallP, customVjpCallP, checkpointP, checkpointNameP] as Primitive<unknown>[]),
    // debug_callback (./debug.ts) is not listed either: it has no outputs, so finite differences,
    // forward-vs-reverse and vmap-vs-loop have nothing to compare; test/debug.test.ts tests its
    // rules directly (per-member batching, no tangents or cotangents, kept by dce).
  ].map((p) => [p.name, p]),
);
