/** @file Shared argument handling for the `scipy.stats` distributions. */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { prepare, rejectComplex } from "../../numpy/broadcast.ts";
import { exp, log, log1p } from "../../numpy/math.ts";
import { where, greater, less } from "../../numpy/logic.ts";

/** Converts the arguments to float arrays of one broadcast shape, naming `scipy.stats.<fn>` in errors. */
export const floats = (fn: string, args: readonly ArrayLike[], names: readonly string[]): NDArray[] => {
  const xs = prepare(`scipy.stats.${fn}`, args, true, names);
  rejectComplex(`scipy.stats.${fn}`, xs, names, "the distributions take real values only");
  return xs;
};

/** The standardized value (x − loc)/scale and the broadcast scale. */
export function standardize(fn: string, x: ArrayLike, loc: ArrayLike, scale: ArrayLike, extra: readonly [string, ArrayLike][] = []): NDArray[] {
  const all = floats(fn, [x, loc, scale, ...extra.map((e) => e[1])], ["x", "loc", "scale", ...extra.map((e) => e[0])]);
  const [X, L, S] = all;
  return [X!.sub(L!).div(S!), S!, ...all.slice(3)];
}

/**
 * log(1 + eʸ) without overflow, smooth at every point: each branch of the `where` sees only inputs
 * from its own side, so neither leaks infinities into derivatives.
 */
export function softplus(y: NDArray): NDArray {
  const pos = greater(y, 0);
  const yp = where(pos, y, 0);
  const yn = where(pos, 0, y);
  return where(pos, yp.add(log1p(exp(yp.neg()))), log1p(exp(yn)));
}

/**
 * log q for a probability q = 1 − p given both: log1p(−p) where p < ½ (q near 1, where log q
 * would lose digits), log q elsewhere; each branch fed only its own side's values.
 */
export function logComplement(p: NDArray, q: NDArray): NDArray {
  const small = less(p, 0.5);
  return where(small, log1p(where(small, p, 0).neg()), log(where(small, 1, q)));
}
