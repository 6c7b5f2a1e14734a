/**
 * @file `scipy.stats.chi2`: the chi-squared distribution with `df` degrees of freedom (a gamma
 * distribution of shape df/2 and scale 2), with `loc` and `scale`; differentiable in the value and
 * every parameter.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import * as gamma from "./gamma.ts";
import { floats } from "./common.ts";

/** df/2 and scale·2, the equivalent gamma distribution's parameters. */
function asGamma(fn: string, x: ArrayLike, df: ArrayLike, loc: ArrayLike, scale: ArrayLike, first = "x"): NDArray[] {
  const [X, K, L, S] = floats(fn, [x, df, loc, scale], [first, "df", "loc", "scale"]);
  return [X!, K!.mul(0.5), L!, S!.mul(2)];
}

/**
 * log density (k/2 − 1) log x − x/2 − log Γ(k/2) − (k/2) log 2 (for loc 0, scale 1).
 * @example
 * scipy.stats.chi2.logpdf(2, 2); // -1.6931471805599454
 */
export function logpdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [X, a, L, S] = asGamma("chi2.logpdf", x, df, loc, scale);
  return gamma.logpdf(X!, a!, L!, S!);
}
/**
 * The density.
 * @example
 * scipy.stats.chi2.pdf(2, 3); // 0.2075537487102974
 */
export function pdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [X, a, L, S] = asGamma("chi2.pdf", x, df, loc, scale);
  return gamma.pdf(X!, a!, L!, S!);
}
/**
 * The CDF P(k/2, x/2).
 * @example
 * scipy.stats.chi2.cdf(2, 3); // 0.42759329552912023
 */
export function cdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [X, a, L, S] = asGamma("chi2.cdf", x, df, loc, scale);
  return gamma.cdf(X!, a!, L!, S!);
}
/**
 * The survival function Q(k/2, x/2).
 * @example
 * scipy.stats.chi2.sf(2, 3); // 0.5724067044708798
 */
export function sf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [X, a, L, S] = asGamma("chi2.sf", x, df, loc, scale);
  return gamma.sf(X!, a!, L!, S!);
}
/**
 * log CDF.
 * @example
 * scipy.stats.chi2.logcdf(2, 3); // -0.8495827792593129
 */
export function logcdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [X, a, L, S] = asGamma("chi2.logcdf", x, df, loc, scale);
  return gamma.logcdf(X!, a!, L!, S!);
}
/**
 * log survival function.
 * @example
 * scipy.stats.chi2.logsf(2, 3); // -0.5579055184563478
 */
export function logsf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [X, a, L, S] = asGamma("chi2.logsf", x, df, loc, scale);
  return gamma.logsf(X!, a!, L!, S!);
}
/**
 * The quantile function.
 * @example
 * scipy.stats.chi2.ppf(0.5, 2); // 1.3862943611198906
 */
export function ppf(q: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, a, L, S] = asGamma("chi2.ppf", q, df, loc, scale, "q");
  return gamma.ppf(Q!, a!, L!, S!);
}
/**
 * The inverse survival function, accurate for small q.
 * @example
 * scipy.stats.chi2.isf(0.1, 3); // 6.2513886311703235
 */
export function isf(q: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, a, L, S] = asGamma("chi2.isf", q, df, loc, scale, "q");
  return gamma.isf(Q!, a!, L!, S!);
}
