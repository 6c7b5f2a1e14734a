/**
 * @file `scipy.stats.bernoulli`: one trial succeeding with probability `p`, shifted by `loc`;
 * differentiable in `p`.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { exp, log, subtract } from "../../numpy/math.ts";
import { where, less, logicalAnd } from "../../numpy/logic.ts";
import { xlogy, xlog1py } from "../special.ts";
import { floats } from "./common.ts";
import { integerPart } from "./discrete.ts";

/**
 * log pmf k log p + (1 − k) log(1 − p) for k ∈ {0, 1}, −∞ elsewhere.
 * @example
 * scipy.stats.bernoulli.logpmf(1, 0.25); // -1.3862943611198906
 */
export function logpmf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, P, L] = floats("bernoulli.logpmf", [k, p, loc], ["k", "p", "loc"]);
  const { kk, valid } = integerPart(K!, L!, 0);
  const ok = logicalAnd(valid, less(kk, 2));
  const ks = where(ok, kk, 0);
  return where(ok, xlogy(ks, P!).add(xlog1py(subtract(1, ks), P!.neg())), -Infinity);
}
/**
 * The probability mass function.
 * @example
 * scipy.stats.bernoulli.pmf(0, 0.3); // 0.7000000000000002
 */
export const pmf = (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => exp(logpmf(k, p, loc));
/**
 * The CDF: 0 below 0, 1 − p on [0, 1), 1 from 1 on.
 * @example
 * scipy.stats.bernoulli.cdf(0, 0.25); // 0.75
 */
export function cdf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, P, L] = floats("bernoulli.cdf", [k, p, loc], ["k", "p", "loc"]);
  const kk = K!.sub(L!);
  return where(less(kk, 0), 0, where(less(kk, 1), subtract(1, P!), 1));
}
/**
 * The survival function: 1 below 0, p on [0, 1), 0 from 1 on.
 * @example
 * scipy.stats.bernoulli.sf(0, 0.3); // 0.3
 */
export function sf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, P, L] = floats("bernoulli.sf", [k, p, loc], ["k", "p", "loc"]);
  const kk = K!.sub(L!);
  return where(less(kk, 0), 1, where(less(kk, 1), P!, 0));
}
/**
 * log CDF.
 * @example
 * scipy.stats.bernoulli.logcdf(0, 0.3); // -0.35667494393873245
 */
export const logcdf = (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => log(cdf(k, p, loc));
/**
 * log survival function.
 * @example
 * scipy.stats.bernoulli.logsf(0, 0.3); // -1.2039728043259361
 */
export const logsf = (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => log(sf(k, p, loc));
