/**
 * @file `scipy.stats.lognorm`: the log-normal distribution with shape `s` (the σ of log x),
 * `loc` and `scale` (e^μ); differentiable in the value and every parameter.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, exp } from "../../numpy/math.ts";
import { where, greater } from "../../numpy/logic.ts";
import { ndtr, ndtri, logNdtr } from "../special.ts";
import { floats, standardize } from "./common.ts";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** y = log((x − loc)/scale) where x is inside the support (0 elsewhere), the support mask, s and scale. */
function parts(fn: string, x: ArrayLike, s: ArrayLike, loc: ArrayLike, scale: ArrayLike) {
  const [z, sc, sh] = standardize(fn, x, loc, scale, [["s", s]]);
  const inside = greater(z!, 0);
  return { y: log(where(inside, z!, 1)), inside, s: sh!, scale: sc! };
}

/**
 * log density −(log z)²/(2s²) − log s − log z − log √(2π) − log scale for z = (x − loc)/scale > 0.
 * @example
 * scipy.stats.lognorm.logpdf(1, 1); // -0.9189385332046727
 */
export function logpdf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const p = parts("lognorm.logpdf", x, s, loc, scale);
  const u = p.y.div(p.s);
  return where(p.inside, u.mul(u).mul(-0.5).sub(log(p.s)).sub(p.y).sub(LOG_SQRT_2PI).sub(log(p.scale)), -Infinity);
}
/**
 * The density.
 * @example
 * scipy.stats.lognorm.pdf(2, 0.5); // 0.15261382604754578
 */
export const pdf = (x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => exp(logpdf(x, s, loc, scale));
/**
 * The CDF Φ(log z / s).
 * @example
 * scipy.stats.lognorm.cdf(1, 0.5); // 0.5
 */
export function cdf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const p = parts("lognorm.cdf", x, s, loc, scale);
  return where(p.inside, ndtr(p.y.div(p.s)), 0);
}
/**
 * log CDF, accurate in the lower tail.
 * @example
 * scipy.stats.lognorm.logcdf(2, 0.5); // -0.08646082202922732
 */
export function logcdf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const p = parts("lognorm.logcdf", x, s, loc, scale);
  return where(p.inside, logNdtr(p.y.div(p.s)), -Infinity);
}
/**
 * The survival function Φ(−log z / s).
 * @example
 * scipy.stats.lognorm.sf(2, 0.5); // 0.08282851900169846
 */
export function sf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const p = parts("lognorm.sf", x, s, loc, scale);
  return where(p.inside, ndtr(p.y.div(p.s).neg()), 1);
}
/**
 * log survival function, accurate in the upper tail.
 * @example
 * scipy.stats.lognorm.logsf(2, 0.5); // -2.4909828445064783
 */
export function logsf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const p = parts("lognorm.logsf", x, s, loc, scale);
  return where(p.inside, logNdtr(p.y.div(p.s).neg()), 0);
}
/**
 * The quantile function loc + scale·exp(s·Φ⁻¹(q)).
 * @example
 * scipy.stats.lognorm.ppf(0.1, 0.5); // 0.5268835182960365
 */
export function ppf(q: ArrayLike, s: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, S, L, Sc] = floats("lognorm.ppf", [q, s, loc, scale], ["q", "s", "loc", "scale"]);
  return L!.add(Sc!.mul(exp(S!.mul(ndtri(Q!)))));
}
/**
 * The inverse survival function loc + scale·exp(−s·Φ⁻¹(q)).
 * @example
 * scipy.stats.lognorm.isf(0.1, 0.5); // 1.8979527073347104
 */
export function isf(q: ArrayLike, s: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, S, L, Sc] = floats("lognorm.isf", [q, s, loc, scale], ["q", "s", "loc", "scale"]);
  return L!.add(Sc!.mul(exp(S!.mul(ndtri(Q!)).neg())));
}
