/**
 * @file `scipy.stats.expon`: the exponential distribution with `loc` and `scale` (the mean 1/λ);
 * differentiable in the value and both parameters.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, log1p, exp, expm1 } from "../../numpy/math.ts";
import { where, greaterEqual } from "../../numpy/logic.ts";
import { floats, standardize } from "./common.ts";

/** z = (x − loc)/scale, the scale, whether z ≥ 0, and z with the negative side replaced by 0. */
function parts(fn: string, x: ArrayLike, loc: ArrayLike, scale: ArrayLike) {
  const [z, s] = standardize(fn, x, loc, scale);
  const inside = greaterEqual(z!, 0);
  return { s: s!, inside, zs: where(inside, z!, 0) };
}

/**
 * log density −z − log scale for z ≥ 0, −∞ below.
 * @example
 * scipy.stats.expon.logpdf(1); // -1
 */
export function logpdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const { s, inside, zs } = parts("expon.logpdf", x, loc, scale);
  return where(inside, zs.neg().sub(log(s)), -Infinity);
}
/**
 * The density.
 * @example
 * scipy.stats.expon.pdf(1); // 0.36787944117144233
 */
export const pdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => exp(logpdf(x, loc, scale));
/**
 * The CDF 1 − e⁻ᶻ (computed as −expm1(−z), accurate near 0).
 * @example
 * scipy.stats.expon.cdf(1); // 0.6321205588285577
 */
export function cdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const { inside, zs } = parts("expon.cdf", x, loc, scale);
  return where(inside, expm1(zs.neg()).neg(), 0);
}
/**
 * log CDF log(1 − e⁻ᶻ).
 * @example
 * scipy.stats.expon.logcdf(1); // -0.45867514538708193
 */
export function logcdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  return log(cdf(x, loc, scale));
}
/**
 * The survival function e⁻ᶻ.
 * @example
 * scipy.stats.expon.sf(1); // 0.36787944117144233
 */
export function sf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const { inside, zs } = parts("expon.sf", x, loc, scale);
  return where(inside, exp(zs.neg()), 1);
}
/**
 * log survival function −z.
 * @example
 * scipy.stats.expon.logsf(1); // -1.0
 */
export function logsf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const { inside, zs } = parts("expon.logsf", x, loc, scale);
  return where(inside, zs.neg(), 0);
}
/**
 * The quantile function loc − scale·log(1 − q).
 * @example
 * scipy.stats.expon.ppf(0.5); // 0.6931471805599453
 */
export function ppf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("expon.ppf", [q, loc, scale], ["q", "loc", "scale"]);
  return L!.sub(S!.mul(log1p(Q!.neg())));
}
/**
 * The inverse survival function loc − scale·log(q).
 * @example
 * scipy.stats.expon.isf(0.1); // 2.3025850929940455
 */
export function isf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("expon.isf", [q, loc, scale], ["q", "loc", "scale"]);
  return L!.sub(S!.mul(log(Q!)));
}
