/**
 * @file The option schemas of the transformations (`grad`, `vmap`, `jit`, `checkGrads`, …), parsed
 * once where a transformation is created: an unknown or misspelt key, or a value of the wrong type,
 * is a `TypeError` naming the transformation, the option and the value.
 */
import * as P from "../core/parse.ts";

/** `argnums`: one argument index or a list of them (range and repeats are checked at the call). */
const argnums = P.union(P.int, P.intList);
const gradSchema = { argnums, hasAux: P.bool } as const;

export const gradOpts = P.options("grad", gradSchema);
export const valueAndGradOpts = P.options("valueAndGrad", gradSchema);
export const elementwiseGradOpts = P.options("elementwiseGrad", { argnums });
export const jacfwdOpts = P.options("jacfwd", { argnums });
export const jacrevOpts = P.options("jacrev", { argnums });
export const hessianOpts = P.options("hessian", { argnums });

/** A batch-axis spec: an integer, `null`, or a tree prefix of the arguments (an array or a plain object). */
const axisSpec = P.check<unknown>(
  "an integer, null, or an array/object of them (a tree prefix)",
  (u) => u === null || Number.isInteger(u) || Array.isArray(u) || (typeof u === "object" && Object.getPrototypeOf(u) === Object.prototype),
);
/** `inAxes` at the top: one spec for every argument, or an array with one per argument (as JAX's tuple). */
const inAxesSpec = P.check<unknown>("an integer, null, or an array with one entry per argument", (u) => u === null || Number.isInteger(u) || Array.isArray(u));
export const vmapOpts = P.options("vmap", { inAxes: inAxesSpec, outAxes: axisSpec });

export const jitOpts = P.options("jit", { staticArgnums: P.intList });

export const checkGradsOpts = P.options("checkGrads", {
  order: P.posInt,
  modes: P.arrayOf(P.oneOf("fwd", "rev"), 'an array of "fwd" and "rev"'),
  eps: P.check<number>("a positive number", (u) => typeof u === "number" && u > 0),
  rtol: P.nonNegNum,
  atol: P.nonNegNum,
  seed: P.int,
});
