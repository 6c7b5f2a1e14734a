/**
 * @file `scipy.stats.norm`: the normal distribution with `loc` (mean) and `scale` (standard
 * deviation); every function differentiable in the value and both parameters.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, exp } from "../../numpy/math.ts";
import { ndtr, ndtri, logNdtr } from "../special.ts";
import { floats, standardize } from "./common.ts";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log density −z²/2 − log(scale) − log √(2π), z = (x − loc)/scale.
 * @example
 * scipy.stats.norm.logpdf(0); // -0.9189385332046727
 */
export function logpdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, s] = standardize("norm.logpdf", x, loc, scale);
  return z!.mul(z!).mul(-0.5).sub(log(s!)).sub(LOG_SQRT_2PI);
}
/**
 * The density.
 * @example
 * scipy.stats.norm.pdf(1); // 0.24197072451914337
 */
export const pdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => exp(logpdf(x, loc, scale));

/**
 * The CDF Φ(z).
 * @example
 * scipy.stats.norm.cdf(0); // 0.5
 */
export function cdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  return ndtr(standardize("norm.cdf", x, loc, scale)[0]!);
}
/**
 * log Φ(z), accurate far into the lower tail.
 * @example
 * scipy.stats.norm.logcdf(1); // -0.1727537790234499
 */
export function logcdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  return logNdtr(standardize("norm.logcdf", x, loc, scale)[0]!);
}
/**
 * The survival function 1 − Φ(z) = Φ(−z), accurate in the upper tail.
 * @example
 * scipy.stats.norm.sf(1); // 0.15865525393145707
 */
export function sf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  return ndtr(standardize("norm.sf", x, loc, scale)[0]!.neg());
}
/**
 * log(1 − Φ(z)).
 * @example
 * scipy.stats.norm.logsf(1); // -1.8410216450092634
 */
export function logsf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  return logNdtr(standardize("norm.logsf", x, loc, scale)[0]!.neg());
}
/**
 * The quantile function loc + scale·Φ⁻¹(q).
 * @example
 * scipy.stats.norm.ppf(0.975); // 1.959963984540054
 */
export function ppf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("norm.ppf", [q, loc, scale], ["q", "loc", "scale"]);
  return L!.add(S!.mul(ndtri(Q!)));
}
/**
 * The inverse survival function loc − scale·Φ⁻¹(q), accurate for small q.
 * @example
 * scipy.stats.norm.isf(0.1); // 1.2815515655446004
 */
export function isf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("norm.isf", [q, loc, scale], ["q", "loc", "scale"]);
  return L!.sub(S!.mul(ndtri(Q!)));
}
