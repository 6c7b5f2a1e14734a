/**
 * @file The argument handling `scipy.special`'s functions share: broadcasting and float promotion
 * under the function's name, complex arguments refused, and small select helpers.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { prepare, rejectComplex } from "../numpy/broadcast.ts";
import * as b from "../primitives/binary.ts";
import * as c from "../primitives/compare.ts";

export type Un = (x: NDArray) => NDArray;
export const k = b.fullLike;

const REAL_ONLY = "complex arguments are not supported here";

/** A float function of one real argument (integers and bools are promoted to float64; complex is a `TypeError`). */
export const fn1 = (name: string, f: Un, arg = "x") => (x: ArrayLike): NDArray => {
  const a = prepare(`scipy.special.${name}`, [x], true, [arg])[0]!;
  rejectComplex(`scipy.special.${name}`, [a], [arg], REAL_ONLY);
  return f(a);
};
/** Broadcasts float arguments together under the function's name; complex ones are a `TypeError`. */
export const floats = (name: string, args: readonly ArrayLike[], names: readonly string[]): NDArray[] => {
  const xs = prepare(`scipy.special.${name}`, args, true, names);
  rejectComplex(`scipy.special.${name}`, xs, names, REAL_ONLY);
  return xs;
};

/** `x` where `cond` holds, else the constant `v`: keeps a branch's inputs inside its domain. */
export const safe = (cond: NDArray, x: NDArray, v: number): NDArray => c.select(cond, x, k(x, v));
export const isZero = (x: NDArray): NDArray => c.eq(x, k(x, 0));
