/**
 * @file `scipy.stats.gamma`: the gamma distribution with shape `a`, `loc` and `scale`;
 * differentiable in the value and every parameter, the CDF in `a` too.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, exp } from "../../numpy/math.ts";
import { where, greaterEqual } from "../../numpy/logic.ts";
import { gammaln, gammainc, gammaincc, gammaincinv, gammainccinv, xlogy } from "../special.ts";
import { floats, logComplement, standardize } from "./common.ts";

/**
 * log density (a−1) log z − z − log Γ(a) − log scale for z = (x − loc)/scale ≥ 0, −∞ below.
 * @example
 * scipy.stats.gamma.logpdf(1, 1); // -1
 */
export function logpdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, s, A] = standardize("gamma.logpdf", x, loc, scale, [["a", a]]);
  const inside = greaterEqual(z!, 0);
  const zs = where(inside, z!, 1);
  return where(inside, xlogy(A!.sub(1), zs).sub(zs).sub(gammaln(A!)).sub(log(s!)), -Infinity);
}
/**
 * The density.
 * @example
 * scipy.stats.gamma.pdf(1, 2); // 0.36787944117144233
 */
export const pdf = (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => exp(logpdf(x, a, loc, scale));

/**
 * The CDF P(a, z), the regularized lower incomplete gamma function.
 * @example
 * scipy.stats.gamma.cdf(2, 1); // 0.8646647167633873
 */
export function cdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, , A] = standardize("gamma.cdf", x, loc, scale, [["a", a]]);
  const inside = greaterEqual(z!, 0);
  return where(inside, gammainc(A!, where(inside, z!, 1)), 0);
}
/**
 * The survival function Q(a, z), accurate in the upper tail.
 * @example
 * scipy.stats.gamma.sf(1, 2); // 0.7357588823428847
 */
export function sf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, , A] = standardize("gamma.sf", x, loc, scale, [["a", a]]);
  const inside = greaterEqual(z!, 0);
  return where(inside, gammaincc(A!, where(inside, z!, 1)), 1);
}
/**
 * log CDF.
 * @example
 * scipy.stats.gamma.logcdf(1, 2); // -1.3308932682040548
 */
export const logcdf = (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  logComplement(sf(x, a, loc, scale), cdf(x, a, loc, scale));
/**
 * log survival function.
 * @example
 * scipy.stats.gamma.logsf(1, 2); // -0.3068528194400546
 */
export const logsf = (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  logComplement(cdf(x, a, loc, scale), sf(x, a, loc, scale));

/**
 * The quantile function loc + scale·P⁻¹(a, q); differentiable in q, a, loc and scale.
 * @example
 * scipy.stats.gamma.ppf(0.5, 1); // 0.6931471805599453
 */
export function ppf(q: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, A, L, S] = floats("gamma.ppf", [q, a, loc, scale], ["q", "a", "loc", "scale"]);
  return L!.add(S!.mul(gammaincinv(A!, Q!)));
}
/**
 * The inverse survival function loc + scale·Q⁻¹(a, q), accurate for small q.
 * @example
 * scipy.stats.gamma.isf(0.1, 2); // 3.889720169867429
 */
export function isf(q: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, A, L, S] = floats("gamma.isf", [q, a, loc, scale], ["q", "a", "loc", "scale"]);
  return L!.add(S!.mul(gammainccinv(A!, Q!)));
}
