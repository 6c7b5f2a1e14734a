/**
 * @file `scipy.stats.t`: Student's t distribution with `df` degrees of freedom, `loc` and `scale`;
 * differentiable in the value and every parameter (the CDF's derivative in `df` through the
 * incomplete beta function's shape derivatives).
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, log1p, exp, subtract, minimum, sqrt } from "../../numpy/math.ts";
import { where, equal, greater, less } from "../../numpy/logic.ts";
import { gammaln, betainc, betaincinv } from "../special.ts";
import { customJvp } from "../../transforms/custom.ts";
import { jvp } from "../../transforms/jvp.ts";
import { floats, logComplement, standardize } from "./common.ts";

/** log density of the standard t: log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − (ν+1)/2 · log(1 + t²/ν). */
function logpdf0(t: NDArray, nu: NDArray): NDArray {
  const half = nu.add(1).mul(0.5);
  return gammaln(half).sub(gammaln(nu.mul(0.5))).sub(log(nu.mul(Math.PI)).mul(0.5)).sub(half.mul(log1p(t.mul(t).div(nu))));
}

/**
 * The standard t CDF, from the incomplete beta function as Boost computes it: near the centre
 * (t² < ν) ½ ± ½ I_{t²/(ν+t²)}(½, ν/2), in the tails ½ I_{ν/(ν+t²)}(ν/2, ½), so that neither
 * argument is formed as 1 minus a number near 1. At t = 0 the centre form has a square-root
 * singularity in t (the value is ½ whatever ν), so there the expansion ½ + t·pdf(0, ν) stands in,
 * which has the right value and the right ∂²/∂t∂ν.
 */
function cdfValue(t: NDArray, nu: NDArray): NDArray {
  const zero = equal(t, 0);
  const ts = where(zero, 1, t);
  const t2 = ts.mul(ts);
  const centre = less(t2, nu);
  const above = greater(ts, 0);
  const half = betainc(0.5, nu.mul(0.5), where(centre, t2.div(nu.add(t2)), 0.5)).mul(0.5);
  const inner = where(above, half.add(0.5), subtract(0.5, half));
  const tail = betainc(nu.mul(0.5), 0.5, where(centre, 0.5, nu.div(nu.add(t2)))).mul(0.5);
  const outer = where(above, subtract(1, tail), tail);
  const near = t.mul(exp(logpdf0(t.mul(0), nu))).add(0.5);
  return where(zero, near, where(centre, inner, outer));
}

/** The CDF with its exact derivative in t, the density, to every order; the ν-derivative by composition. */
const cdf0 = customJvp(cdfValue, ([t, nu]: NDArray[], [dt, dnu]: NDArray[]) => [
  cdfValue(t!, nu!),
  exp(logpdf0(t!, nu!)).mul(dt!).add(jvp((n: NDArray) => cdfValue(t!, n), [nu!], [dnu!])[1]),
]);

/**
 * log density.
 * @example
 * scipy.stats.t.logpdf(0, 1); // -1.1447298858494002
 */
export function logpdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, s, nu] = standardize("t.logpdf", x, loc, scale, [["df", df]]);
  return logpdf0(z!, nu!).sub(log(s!));
}
/**
 * The density.
 * @example
 * scipy.stats.t.pdf(1, 3); // 0.206748335783172
 */
export const pdf = (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => exp(logpdf(x, df, loc, scale));

/**
 * The CDF.
 * @example
 * scipy.stats.t.cdf(1, 1); // 0.75
 */
export function cdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, , nu] = standardize("t.cdf", x, loc, scale, [["df", df]]);
  return cdf0(z!, nu!);
}
/**
 * log CDF.
 * @example
 * scipy.stats.t.logcdf(1, 3); // -0.21753569164062553
 */
export const logcdf = (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  logComplement(sf(x, df, loc, scale), cdf(x, df, loc, scale));
/**
 * The survival function 1 − CDF, accurate in the upper tail.
 * @example
 * scipy.stats.t.sf(1, 3); // 0.19550110947788524
 */
export function sf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, , nu] = standardize("t.sf", x, loc, scale, [["df", df]]);
  return cdf0(z!.neg(), nu!);
}
/**
 * log survival function.
 * @example
 * scipy.stats.t.logsf(1, 3); // -1.632189224494123
 */
export const logsf = (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray =>
  logComplement(cdf(x, df, loc, scale), sf(x, df, loc, scale));

/**
 * The standard t quantile from the inverse incomplete beta function, by the CDF's two forms: with
 * p = min(q, 1 − q), in the tails (p < ¼) I_x(ν/2, ½) = 2p and t² = ν(1 − x)/x; near the centre
 * I_y(½, ν/2) = 1 − 2p and t² = νy/(1 − y), so that neither x nor y sits next to 1.
 */
function ppfValue(q: NDArray, nu: NDArray): NDArray {
  const p = minimum(q, subtract(1, q));
  const tail = less(p, 0.25);
  const x = betaincinv(nu.mul(0.5), 0.5, where(tail, p.mul(2), 0.25));
  const y = betaincinv(0.5, nu.mul(0.5), where(tail, 0.5, subtract(1, p.mul(2))));
  const t2 = where(tail, nu.mul(subtract(1, x)).div(x), nu.mul(y).div(subtract(1, y)));
  return where(less(q, 0.5), sqrt(t2).neg(), sqrt(t2));
}

/**
 * The quantile with derivatives from the CDF at the solution (implicit differentiation):
 * dt = (dq − ∂F/∂ν dν) / pdf(t), which stays finite at q = ½ where the square roots above do not.
 */
const ppf0: (q: NDArray, nu: NDArray) => NDArray = customJvp(ppfValue, ([q, nu]: NDArray[], [dq, dnu]: NDArray[]) => {
  const t: NDArray = ppf0(q!, nu!);
  const dF = jvp((n: NDArray) => cdfValue(t, n), [nu!], [dnu!])[1];
  return [t, dq!.sub(dF).div(exp(logpdf0(t, nu!)))];
});

/**
 * The quantile function loc + scale·t⁻¹(q); differentiable in q, df, loc and scale.
 * @example
 * scipy.stats.t.ppf(0.75, 1); // 1.0000000000000002
 */
export function ppf(q: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, nu, L, S] = floats("t.ppf", [q, df, loc, scale], ["q", "df", "loc", "scale"]);
  return L!.add(S!.mul(ppf0(Q!, nu!)));
}
/**
 * The inverse survival function loc − scale·t⁻¹(q) (the distribution is symmetric).
 * @example
 * scipy.stats.t.isf(0.1, 3); // 1.6377443536962089
 */
export function isf(q: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [Q, nu, L, S] = floats("t.isf", [q, df, loc, scale], ["q", "df", "loc", "scale"]);
  return L!.sub(S!.mul(ppf0(Q!, nu!)));
}
