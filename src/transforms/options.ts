/**
 * @file The option schemas of the transformations (`grad`, `vmap`, `jit`, `checkGrads`, …), parsed
 * once where a transformation is created: an unknown or misspelt key, or a value of the wrong type,
 * is a `TypeError` naming the transformation, the option and the value.
 */
import * as P from "../core/parse.ts";

/**
 * `argnums`: a number or a list of numbers. Only the type is checked here: whether each is an
 * integer in range, and not repeated, is checked where the function is called (a `RangeError`).
 */
const argnums = P.union(P.num, P.arrayOf(P.num, "an array of numbers"));
const gradSchema = { argnums, hasAux: P.bool, holomorphic: P.bool } as const;

export const gradOpts = P.options("grad", gradSchema);
export const holomorphicGradOpts = P.options("holomorphicGrad", { argnums, hasAux: P.bool });
export const valueAndGradOpts = P.options("valueAndGrad", gradSchema);
export const elementwiseGradOpts = P.options("elementwiseGrad", { argnums });
export const jacfwdOpts = P.options("jacfwd", { argnums, holomorphic: P.bool });
export const jacrevOpts = P.options("jacrev", { argnums, holomorphic: P.bool });
export const hessianOpts = P.options("hessian", { argnums });

/**
 * `inAxes` at the top: one spec for every argument, or an array with one per argument (as JAX's
 * tuple). Axes themselves (integers in range) and `outAxes` (a tree prefix of the output) are checked
 * by `vmap` when it runs, against the arguments and the output.
 */
const inAxesSpec = P.check<unknown>("a number, null, or an array with one entry per argument", (u) => u === null || typeof u === "number" || Array.isArray(u));
export const vmapOpts = P.options("vmap", { inAxes: inAxesSpec, outAxes: P.unknownValue });

const argnumList = P.union(P.int, P.intList);
/** `jit`'s keys and types; ranges, overlaps and `cacheSize`'s bound are checked by `jit` itself. */
export const jitOpts = P.options("jit", { staticArgnums: argnumList, donateArgnums: argnumList, cacheSize: P.num });

export const checkGradsOpts = P.options("checkGrads", {
  order: P.posInt,
  modes: P.arrayOf(P.oneOf("fwd", "rev"), 'an array of "fwd" and "rev"'),
  eps: P.check<number>("a positive number", (u) => typeof u === "number" && u > 0),
  rtol: P.nonNegNum,
  atol: P.nonNegNum,
  seed: P.int,
});
