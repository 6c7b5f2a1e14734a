/**
 * @file `scipy.stats.poisson`: the Poisson distribution with mean `mu`, shifted by `loc`;
 * differentiable in `mu` (k is discrete: its derivative is zero).
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { exp, floor } from "../../numpy/math.ts";
import { where, equal, greaterEqual, logicalAnd } from "../../numpy/logic.ts";
import { gammaln, gammainc, gammaincc, xlogy } from "../special.ts";
import { floats } from "./common.ts";

/**
 * log pmf k log μ − μ − log k! for integers k ≥ 0 (after subtracting `loc`), −∞ elsewhere.
 * @example
 * scipy.stats.poisson.logpmf(0, 2); // -2
 */
export function logpmf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, M, L] = floats("poisson.logpmf", [k, mu, loc], ["k", "mu", "loc"]);
  const kk = K!.sub(L!);
  const valid = logicalAnd(greaterEqual(kk, 0), equal(kk, floor(kk)));
  const ks = where(valid, kk, 0);
  return where(valid, xlogy(ks, M!).sub(gammaln(ks.add(1))).sub(M!), -Infinity);
}
/**
 * The probability mass function.
 * @example
 * scipy.stats.poisson.pmf(3, 2); // 0.18044704431548356
 */
export const pmf = (k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): NDArray => exp(logpmf(k, mu, loc));

/**
 * The CDF P(X ≤ k) = Q(⌊k⌋ + 1, μ).
 * @example
 * scipy.stats.poisson.cdf(0, 2); // 0.1353352832366127
 */
export function cdf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, M, L] = floats("poisson.cdf", [k, mu, loc], ["k", "mu", "loc"]);
  const kk = K!.sub(L!);
  const inside = greaterEqual(kk, 0);
  return where(inside, gammaincc(floor(where(inside, kk, 0)).add(1), M!), 0);
}
/**
 * The survival function P(X > k) = P(⌊k⌋ + 1, μ).
 * @example
 * scipy.stats.poisson.sf(3, 2); // 0.14287653950145296
 */
export function sf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, M, L] = floats("poisson.sf", [k, mu, loc], ["k", "mu", "loc"]);
  const kk = K!.sub(L!);
  const inside = greaterEqual(kk, 0);
  return where(inside, gammainc(floor(where(inside, kk, 0)).add(1), M!), 1);
}
