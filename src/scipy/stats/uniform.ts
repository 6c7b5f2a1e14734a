/**
 * @file `scipy.stats.uniform`: the uniform distribution on [loc, loc + scale]; differentiable in
 * the value and both parameters (inside the support).
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, subtract, divide } from "../../numpy/math.ts";
import { where, greaterEqual, lessEqual, logicalAnd, clip } from "../../numpy/logic.ts";
import { floats, standardize } from "./common.ts";

/**
 * log density −log(scale) on [loc, loc + scale], −∞ outside.
 * @example
 * scipy.stats.uniform.logpdf(0.5, 0, 2); // -0.6931471805599453
 */
export function logpdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, s] = standardize("uniform.logpdf", x, loc, scale);
  const inside = logicalAnd(greaterEqual(z!, 0), lessEqual(z!, 1));
  return where(inside, log(s!).neg(), -Infinity);
}
/**
 * The density 1/scale on the support, 0 outside.
 * @example
 * scipy.stats.uniform.pdf(1, 0, 4); // 0.25
 */
export function pdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, s] = standardize("uniform.pdf", x, loc, scale);
  const inside = logicalAnd(greaterEqual(z!, 0), lessEqual(z!, 1));
  return where(inside, divide(1, s!), 0);
}
/**
 * The CDF (x − loc)/scale clipped to [0, 1].
 * @example
 * scipy.stats.uniform.cdf(0.25); // 0.25
 */
export function cdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  return clip(standardize("uniform.cdf", x, loc, scale)[0]!, 0, 1);
}
/**
 * log CDF.
 * @example
 * scipy.stats.uniform.logcdf(1, 0, 4); // -1.3862943611198906
 */
export const logcdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => log(cdf(x, loc, scale));
/**
 * The survival function 1 − CDF.
 * @example
 * scipy.stats.uniform.sf(1, 0, 4); // 0.75
 */
export function sf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  return clip(subtract(1, standardize("uniform.sf", x, loc, scale)[0]!), 0, 1);
}
/**
 * log survival function.
 * @example
 * scipy.stats.uniform.logsf(1, 0, 4); // -0.2876820724517809
 */
export const logsf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => log(sf(x, loc, scale));
/**
 * The quantile function loc + q·scale (NaN outside [0, 1]).
 * @example
 * scipy.stats.uniform.ppf(0.1, 0, 4); // 0.4
 */
export function ppf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("uniform.ppf", [q, loc, scale], ["q", "loc", "scale"]);
  return where(logicalAnd(greaterEqual(Q!, 0), lessEqual(Q!, 1)), L!.add(Q!.mul(S!)), NaN);
}
/**
 * The inverse survival function loc + (1 − q)·scale.
 * @example
 * scipy.stats.uniform.isf(0.1, 0, 4); // 3.6
 */
export function isf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("uniform.isf", [q, loc, scale], ["q", "loc", "scale"]);
  return where(logicalAnd(greaterEqual(Q!, 0), lessEqual(Q!, 1)), L!.add(subtract(1, Q!).mul(S!)), NaN);
}
