/**
 * @file `scipy.stats.laplace`: the Laplace (double exponential) distribution with `loc` and
 * `scale`; differentiable in the value and both parameters (the density's kink at loc takes the
 * derivative 0 there, as `abs` does).
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { abs, log, exp, subtract } from "../../numpy/math.ts";
import { where, less } from "../../numpy/logic.ts";
import { floats, logComplement, standardize } from "./common.ts";

/**
 * log density −|z| − log(2·scale).
 * @example
 * scipy.stats.laplace.logpdf(0); // -0.6931471805599453
 */
export function logpdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, s] = standardize("laplace.logpdf", x, loc, scale);
  return abs(z!).neg().sub(log(s!.mul(2)));
}
/**
 * The density.
 * @example
 * scipy.stats.laplace.pdf(1); // 0.18393972058572117
 */
export const pdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => exp(logpdf(x, loc, scale));

/** ½eᶻ below 0, 1 − ½e⁻ᶻ above, each branch fed only its own side (no overflow in derivatives). */
function cdf0(z: NDArray): NDArray {
  const below = less(z, 0);
  const zn = where(below, z, 0);
  const zp = where(below, 0, z);
  return where(below, exp(zn).mul(0.5), subtract(1, exp(zp.neg()).mul(0.5)));
}
/**
 * The CDF.
 * @example
 * scipy.stats.laplace.cdf(0); // 0.5
 */
export function cdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  return cdf0(standardize("laplace.cdf", x, loc, scale)[0]!);
}
/**
 * The survival function, CDF(−z).
 * @example
 * scipy.stats.laplace.sf(1); // 0.18393972058572117
 */
export function sf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  return cdf0(standardize("laplace.sf", x, loc, scale)[0]!.neg());
}
/**
 * log CDF.
 * @example
 * scipy.stats.laplace.logcdf(1); // -0.20326705491519534
 */
export const logcdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => logComplement(sf(x, loc, scale), cdf(x, loc, scale));
/**
 * log survival function.
 * @example
 * scipy.stats.laplace.logsf(1); // -1.6931471805599452
 */
export const logsf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => logComplement(cdf(x, loc, scale), sf(x, loc, scale));
/**
 * The quantile function: loc + scale·log(2q) below ½, loc − scale·log(2 − 2q) above.
 * @example
 * scipy.stats.laplace.ppf(0.1); // -1.6094379124341003
 */
export function ppf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("laplace.ppf", [q, loc, scale], ["q", "loc", "scale"]);
  const below = less(Q!, 0.5);
  const lo = log(where(below, Q!, 0.5).mul(2));
  const hi = log(subtract(1, where(below, 0.5, Q!)).mul(2)).neg();
  return L!.add(S!.mul(where(below, lo, hi)));
}
