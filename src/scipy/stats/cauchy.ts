/**
 * @file `scipy.stats.cauchy`: the Cauchy distribution with `loc` (median) and `scale` (half width
 * at half maximum); differentiable in the value and both parameters.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, log1p, exp, arctan2, tan, subtract } from "../../numpy/math.ts";
import { floats, standardize } from "./common.ts";

const LOG_PI = Math.log(Math.PI);

/**
 * log density −log π − log scale − log(1 + z²).
 * @example
 * scipy.stats.cauchy.logpdf(0); // -1.1447298858494002
 */
export function logpdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, s] = standardize("cauchy.logpdf", x, loc, scale);
  return log1p(z!.mul(z!)).neg().sub(log(s!)).sub(LOG_PI);
}
/**
 * The density 1/(π·scale·(1 + z²)).
 * @example
 * scipy.stats.cauchy.pdf(1); // 0.15915494309189535
 */
export const pdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => exp(logpdf(x, loc, scale));
/**
 * The CDF ½ + arctan(z)/π, computed as atan2(1, −z)/π so the lower tail keeps its digits.
 * @example
 * scipy.stats.cauchy.cdf(1); // 0.75
 */
export function cdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const z = standardize("cauchy.cdf", x, loc, scale)[0]!;
  return arctan2(1, z.neg()).div(Math.PI);
}
/**
 * The survival function ½ − arctan(z)/π = atan2(1, z)/π.
 * @example
 * scipy.stats.cauchy.sf(1); // 0.25
 */
export function sf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const z = standardize("cauchy.sf", x, loc, scale)[0]!;
  return arctan2(1, z).div(Math.PI);
}
/**
 * log CDF.
 * @example
 * scipy.stats.cauchy.logcdf(1); // -0.2876820724517809
 */
export const logcdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => log(cdf(x, loc, scale));
/**
 * log survival function.
 * @example
 * scipy.stats.cauchy.logsf(1); // -1.3862943611198906
 */
export const logsf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => log(sf(x, loc, scale));
/**
 * The quantile function loc + scale·tan(π(q − ½)).
 * @example
 * scipy.stats.cauchy.ppf(0.1); // -3.077683537175254
 */
export function ppf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("cauchy.ppf", [q, loc, scale], ["q", "loc", "scale"]);
  return L!.add(S!.mul(tan(Q!.sub(0.5).mul(Math.PI))));
}
/**
 * The inverse survival function loc + scale·tan(π(½ − q)).
 * @example
 * scipy.stats.cauchy.isf(0.1); // 3.077683537175254
 */
export function isf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("cauchy.isf", [q, loc, scale], ["q", "loc", "scale"]);
  return L!.add(S!.mul(tan(subtract(0.5, Q!).mul(Math.PI))));
}
