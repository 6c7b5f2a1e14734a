/**
 * @file `scipy.stats.nbinom`: the number of failures before the `n`-th success with success
 * probability `p` (n > 0 real), shifted by `loc`; differentiable in `n` and `p`.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { exp, log, subtract } from "../../numpy/math.ts";
import { where, less } from "../../numpy/logic.ts";
import { gammaln, xlog1py, betainc } from "../special.ts";
import { floats } from "./common.ts";
import { integerPart } from "./discrete.ts";

/**
 * log pmf log Γ(n + k) − log Γ(k + 1) − log Γ(n) + n log p + k log(1 − p) for integers k ≥ 0.
 * @example
 * scipy.stats.nbinom.logpmf(0, 1, 0.5); // -0.6931471805599453
 */
export function logpmf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, N, P, L] = floats("nbinom.logpmf", [k, n, p, loc], ["k", "n", "p", "loc"]);
  const { valid, ks } = integerPart(K!, L!, 0);
  const coeff = gammaln(N!.add(ks)).sub(gammaln(ks.add(1))).sub(gammaln(N!));
  return where(valid, coeff.add(N!.mul(log(P!))).add(xlog1py(ks, P!.neg())), -Infinity);
}
/**
 * The probability mass function.
 * @example
 * scipy.stats.nbinom.pmf(2, 3, 0.4); // 0.13824000000000003
 */
export const pmf = (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => exp(logpmf(k, n, p, loc));
/**
 * The CDF P(X ≤ k) = Iₚ(n, ⌊k⌋ + 1).
 * @example
 * scipy.stats.nbinom.cdf(0, 1, 0.5); // 0.5
 */
export function cdf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, N, P, L] = floats("nbinom.cdf", [k, n, p, loc], ["k", "n", "p", "loc"]);
  const { kk, fk } = integerPart(K!, L!, 0);
  return where(less(kk, 0), 0, betainc(N!, fk.add(1), P!));
}
/**
 * The survival function P(X > k) = I₁₋ₚ(⌊k⌋ + 1, n).
 * @example
 * scipy.stats.nbinom.sf(2, 3, 0.4); // 0.68256
 */
export function sf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [K, N, P, L] = floats("nbinom.sf", [k, n, p, loc], ["k", "n", "p", "loc"]);
  const { kk, fk } = integerPart(K!, L!, 0);
  return where(less(kk, 0), 1, betainc(fk.add(1), N!, subtract(1, P!)));
}
/**
 * log CDF.
 * @example
 * scipy.stats.nbinom.logcdf(2, 3, 0.4); // -1.1474664548856288
 */
export const logcdf = (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => log(cdf(k, n, p, loc));
/**
 * log survival function.
 * @example
 * scipy.stats.nbinom.logsf(2, 3, 0.4); // -0.3819048436991514
 */
export const logsf = (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray => log(sf(k, n, p, loc));
