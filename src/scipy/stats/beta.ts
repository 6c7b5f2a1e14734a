/**
 * @file `scipy.stats.beta`: the beta distribution with shapes `a`, `b`, `loc` and `scale`;
 * differentiable in the value and every parameter, the CDF in `a` and `b` too.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, exp, subtract } from "../../numpy/math.ts";
import { where, greater, greaterEqual, lessEqual, logicalAnd } from "../../numpy/logic.ts";
import { betaln, betainc, betaincinv, xlogy, xlog1py } from "../special.ts";
import { floats, logComplement, standardize } from "./common.ts";

/** The standardized value, whether it lies in [0, 1], that value clamped inside, and the shapes. */
function parts(fn: string, x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike, scale: ArrayLike) {
  const [z, s, A, B] = standardize(fn, x, loc, scale, [["a", a], ["b", b]]);
  const inside = logicalAnd(greaterEqual(z!, 0), lessEqual(z!, 1));
  return { z: z!, s: s!, A: A!, B: B!, inside, zs: where(inside, z!, 0.5) };
}

/**
 * log density (a−1) log z + (b−1) log(1−z) − log B(a, b) − log scale on [0, 1], −∞ outside.
 * @example
 * scipy.stats.beta.logpdf(0.5, 2, 2); // 0.4054651081081644
 */
export function logpdf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const { s, A, B, inside, zs } = parts("beta.logpdf", x, a, b, loc, scale);
  const lp = xlogy(A.sub(1), zs).add(xlog1py(B.sub(1), zs.neg())).sub(betaln(A, B)).sub(log(s));
  return where(inside, lp, -Infinity);
}
/**
 * The density.
 * @example
 * scipy.stats.beta.pdf(0.25, 2, 3); // 1.6875
 */
export const pdf = (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  exp(logpdf(x, a, b, loc, scale));

/**
 * The CDF I_z(a, b), the regularized incomplete beta function.
 * @example
 * scipy.stats.beta.cdf(0.3, 1, 1); // 0.3
 */
export function cdf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const { z, A, B, inside, zs } = parts("beta.cdf", x, a, b, loc, scale);
  return where(inside, betainc(A, B, zs), where(greaterEqual(z, 0), 1, 0));
}
/**
 * The survival function I_{1−z}(b, a), accurate in the upper tail.
 * @example
 * scipy.stats.beta.sf(0.25, 2, 3); // 0.73828125
 */
export function sf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const { z, A, B, inside, zs } = parts("beta.sf", x, a, b, loc, scale);
  return where(inside, betainc(B, A, subtract(1, zs)), where(greaterEqual(z, 0), 0, 1));
}
/**
 * log CDF.
 * @example
 * scipy.stats.beta.logcdf(0.25, 2, 3); // -1.3404848250885963
 */
export const logcdf = (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  logComplement(sf(x, a, b, loc, scale), cdf(x, a, b, loc, scale));
/**
 * log survival function.
 * @example
 * scipy.stats.beta.logsf(0.25, 2, 3); // -0.3034304294199201
 */
export const logsf = (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  logComplement(cdf(x, a, b, loc, scale), sf(x, a, b, loc, scale));

/**
 * The quantile function loc + scale·I⁻¹(a, b, q); differentiable in q, a, b, loc and scale.
 * @example
 * scipy.stats.beta.ppf(0.3, 1, 1); // 0.3
 */
export function ppf(q: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, A, B, L, S] = floats("beta.ppf", [q, a, b, loc, scale], ["q", "a", "b", "loc", "scale"]);
  return L!.add(S!.mul(betaincinv(A!, B!, Q!)));
}
/**
 * The inverse survival function: loc + scale·(1 − I⁻¹(b, a, q)) for q ≤ ½, accurate for small q;
 * the quantile at 1 − q (exact there) above, where 1 − I⁻¹ would cancel.
  * @example
  * scipy.stats.beta.isf(0.1, 2, 3); // 0.6795394162781817
 */
export function isf(q: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, A, B, L, S] = floats("beta.isf", [q, a, b, loc, scale], ["q", "a", "b", "loc", "scale"]);
  const upper = greater(Q!, 0.5);
  const z = where(upper, betaincinv(A!, B!, subtract(1, Q!)), subtract(1, betaincinv(B!, A!, Q!)));
  return L!.add(S!.mul(z));
}
