/**
 * @file `scipy.stats.logistic`: the logistic distribution with `loc` and `scale`; differentiable
 * in the value and both parameters, written with a smooth, overflow-free softplus.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, exp } from "../../numpy/math.ts";
import { expit, logit } from "../special.ts";
import { floats, softplus, standardize } from "./common.ts";

/**
 * log density −z − 2 log(1 + e⁻ᶻ) − log scale.
 * @example
 * scipy.stats.logistic.logpdf(0); // -1.3862943611198906
 */
export function logpdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, s] = standardize("logistic.logpdf", x, loc, scale);
  return z!.neg().sub(softplus(z!.neg()).mul(2)).sub(log(s!));
}
/**
 * The density.
 * @example
 * scipy.stats.logistic.pdf(1); // 0.19661193324148185
 */
export const pdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => exp(logpdf(x, loc, scale));
/**
 * The CDF, the sigmoid of z.
 * @example
 * scipy.stats.logistic.cdf(0); // 0.5
 */
export const cdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  expit(standardize("logistic.cdf", x, loc, scale)[0]!);
/**
 * log CDF −log(1 + e⁻ᶻ).
 * @example
 * scipy.stats.logistic.logcdf(1); // -0.31326168751822286
 */
export const logcdf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  softplus(standardize("logistic.logcdf", x, loc, scale)[0]!.neg()).neg();
/**
 * The survival function, the sigmoid of −z.
 * @example
 * scipy.stats.logistic.sf(1); // 0.2689414213699951
 */
export const sf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  expit(standardize("logistic.sf", x, loc, scale)[0]!.neg());
/**
 * log survival function −log(1 + eᶻ).
 * @example
 * scipy.stats.logistic.logsf(1); // -1.3132616875182228
 */
export const logsf = (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  softplus(standardize("logistic.logsf", x, loc, scale)[0]!).neg();
/**
 * The quantile function loc + scale·logit(q).
 * @example
 * scipy.stats.logistic.ppf(0.1); // -2.197224577336219
 */
export function ppf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("logistic.ppf", [q, loc, scale], ["q", "loc", "scale"]);
  return L!.add(S!.mul(logit(Q!)));
}
/**
 * The inverse survival function loc − scale·logit(q).
 * @example
 * scipy.stats.logistic.isf(0.1); // 2.197224577336219
 */
export function isf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, L, S] = floats("logistic.isf", [q, loc, scale], ["q", "loc", "scale"]);
  return L!.sub(S!.mul(logit(Q!)));
}
