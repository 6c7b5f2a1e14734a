/**
 * @file `scipy.stats.geom`: the number of trials up to and including the first success (k ≥ 1)
 * with success probability `p`, shifted by `loc`; differentiable in `p`.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { exp, expm1, log, log1p } from "../../numpy/math.ts";
import { where } from "../../numpy/logic.ts";
import { xlog1py } from "../special.ts";
import { floats } from "./common.ts";
import { integerPart } from "./discrete.ts";

/**
 * log pmf (k − 1) log(1 − p) + log p for integers k ≥ 1, −∞ elsewhere.
 * @example
 * scipy.stats.geom.logpmf(1, 0.25); // -1.3862943611198906
 */
export function logpmf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, P, L] = floats("geom.logpmf", [k, p, loc], ["k", "p", "loc"]);
  const { valid, ks } = integerPart(K!, L!, 1);
  return where(valid, xlog1py(ks.sub(1), P!.neg()).add(log(P!)), -Infinity);
}
/**
 * The probability mass function.
 * @example
 * scipy.stats.geom.pmf(2, 0.3); // 0.21
 */
export const pmf = (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => exp(logpmf(k, p, loc));

/** ⌊k − loc⌋·log(1 − p) = log P(X > k) on the support, and whether k is on it. */
function logTail(fn: string, k: ArrayLike, p: ArrayLike, loc: ArrayLike): { above: NDArray; lt: NDArray } {
  const [K, P, L] = floats(fn, [k, p, loc], ["k", "p", "loc"]);
  const { above, fk } = integerPart(K!, L!, 1);
  return { above, lt: fk.mul(log1p(P!.neg())) };
}
/**
 * The CDF 1 − (1 − p)^⌊k⌋ (as −expm1, accurate for small p).
 * @example
 * scipy.stats.geom.cdf(2, 0.5); // 0.75
 */
export function cdf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const { above, lt } = logTail("geom.cdf", k, p, loc);
  return where(above, expm1(lt).neg(), 0);
}
/**
 * The survival function (1 − p)^⌊k⌋.
 * @example
 * scipy.stats.geom.sf(2, 0.3); // 0.49000000000000005
 */
export function sf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const { above, lt } = logTail("geom.sf", k, p, loc);
  return where(above, exp(lt), 1);
}
/**
 * log CDF.
 * @example
 * scipy.stats.geom.logcdf(2, 0.3); // -0.6733445532637656
 */
export function logcdf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const { above, lt } = logTail("geom.logcdf", k, p, loc);
  return where(above, log(expm1(lt).neg()), -Infinity);
}
/**
 * log survival function ⌊k⌋·log(1 − p).
 * @example
 * scipy.stats.geom.logsf(2, 0.3); // -0.7133498878774647
 */
export function logsf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const { above, lt } = logTail("geom.logsf", k, p, loc);
  return where(above, lt, 0);
}
