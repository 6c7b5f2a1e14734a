/**
 * @file `scipy.stats.binom`: the number of successes in `n` trials of probability `p`, shifted by
 * `loc`; differentiable in `p`.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { exp, log, subtract } from "../../numpy/math.ts";
import { where, less, lessEqual, greaterEqual, logicalAnd } from "../../numpy/logic.ts";
import { gammaln, xlogy, xlog1py, betainc } from "../special.ts";
import { floats } from "./common.ts";
import { integerPart } from "./discrete.ts";

/**
 * log pmf log C(n, k) + k log p + (n − k) log(1 − p) for integers 0 ≤ k ≤ n, −∞ elsewhere.
 * @example
 * scipy.stats.binom.logpmf(1, 2, 0.5); // -0.6931471805599453
 */
export function logpmf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, N, P, L] = floats("binom.logpmf", [k, n, p, loc], ["k", "n", "p", "loc"]);
  const { kk, valid } = integerPart(K!, L!, 0);
  const ok = logicalAnd(valid, lessEqual(kk, N!));
  const ks = where(ok, kk, 0);
  const nk = N!.sub(ks);
  const combiln = gammaln(N!.add(1)).sub(gammaln(ks.add(1))).sub(gammaln(nk.add(1)));
  return where(ok, combiln.add(xlogy(ks, P!)).add(xlog1py(nk, P!.neg())), -Infinity);
}
/**
 * The probability mass function.
 * @example
 * scipy.stats.binom.pmf(2, 5, 0.3); // 0.3086999999999998
 */
export const pmf = (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => exp(logpmf(k, n, p, loc));

/** ⌊k − loc⌋ clamped into [0, n − 1] for the regularized incomplete beta, and the two outside regions. */
function cdfParts(fn: string, k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike) {
  const [K, N, P, L] = floats(fn, [k, n, p, loc], ["k", "n", "p", "loc"]);
  const { fk, kk } = integerPart(K!, L!, 0);
  const below = less(kk, 0);
  const top = greaterEqual(fk, N!);
  const j = where(top, 0, fk);
  const nn = where(top, 1, N!);
  return { below, top, j, nn, P: P! };
}
/**
 * The CDF P(X ≤ k) = I₁₋ₚ(n − ⌊k⌋, ⌊k⌋ + 1).
 * @example
 * scipy.stats.binom.cdf(1, 2, 0.5); // 0.75
 */
export function cdf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const { below, top, j, nn, P } = cdfParts("binom.cdf", k, n, p, loc);
  return where(below, 0, where(top, 1, betainc(nn.sub(j), j.add(1), subtract(1, P))));
}
/**
 * The survival function P(X > k) = Iₚ(⌊k⌋ + 1, n − ⌊k⌋).
 * @example
 * scipy.stats.binom.sf(2, 5, 0.3); // 0.16308
 */
export function sf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const { below, top, j, nn, P } = cdfParts("binom.sf", k, n, p, loc);
  return where(below, 1, where(top, 0, betainc(j.add(1), nn.sub(j), P)));
}
/**
 * log CDF.
 * @example
 * scipy.stats.binom.logcdf(2, 5, 0.3); // -0.17802679251108663
 */
export const logcdf = (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => log(cdf(k, n, p, loc));
/**
 * log survival function.
 * @example
 * scipy.stats.binom.logsf(2, 5, 0.3); // -1.8135144010310844
 */
export const logsf = (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => log(sf(k, n, p, loc));
