/**
 * @file `scipy.stats.vonmises`: the von Mises (circular normal) distribution with concentration
 * `kappa`, `loc` and `scale`, periodic in x as SciPy's; differentiable in the value and every
 * parameter.
 */
import type { NDArray, ArrayLike } from "../../core/ndarray.ts";
import { log, exp, cos, sin, maximum, divide, round } from "../../numpy/math.ts";
import { where, less, clip } from "../../numpy/logic.ts";
import { i0e, ndtr } from "../special.ts";
import { standardize } from "./common.ts";

const LOG_2PI = Math.log(2 * Math.PI);
/** Terms of the CDF's Fourier series (SciPy uses at most 52 for kappa < 50; more only adds digits). */
const TERMS = 64;
/** Where the backward recurrence for Iₙ/Iₙ₋₁ starts (far enough past TERMS for kappa < 50). */
const RECURRENCE_START = 110;
/** Above this kappa the CDF is SciPy's normal approximation. */
const KAPPA_NORMAL = 50;

/**
 * log density κ(cos z − 1) − log(2π I₀e(κ)) − log scale (I₀e(κ) = e⁻ᵏ I₀(κ), so large κ do not overflow).
 * @example
 * scipy.stats.vonmises.logpdf(0, 1); // -1.0737914249165241
 */
export function logpdf(x: ArrayLike, kappa: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [z, s, k] = standardize("vonmises.logpdf", x, loc, scale, [["kappa", kappa]]);
  return k!.mul(cos(z!).sub(1)).sub(log(i0e(k!))).sub(LOG_2PI).sub(log(s!));
}
/**
 * The density e^(κ cos z) / (2π I₀(κ) scale).
 * @example
 * scipy.stats.vonmises.pdf(0.5, 2); // 0.4038525333518378
 */
export const pdf = (x: ArrayLike, kappa: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => exp(logpdf(x, kappa, loc, scale));

/**
 * The CDF on [−π, π] by its Fourier series ½ + z/(2π) + (1/π) Σₙ (Iₙ(κ)/I₀(κ)) sin(nz)/n, the Bessel
 * ratios Iₙ/Iₙ₋₁ = 1/(2n/κ + Iₙ₊₁/Iₙ) from a backward recurrence (all primitives, so
 * differentiable in κ).
 */
function seriesCdf(z: NDArray, k: NDArray): NDArray {
  const ratios: NDArray[] = [];
  let r: NDArray = k.mul(0);
  for (let n = RECURRENCE_START; n >= 1; n--) {
    r = divide(1, divide(2 * n, k).add(r));
    if (n <= TERMS) ratios[n] = r;
  }
  let v: NDArray = k.mul(0);
  // Horner from the top: V = R₁(sin z + R₂(sin 2z / 2 + R₃(…)))
  for (let n = TERMS; n >= 1; n--) v = ratios[n]!.mul(sin(z.mul(n)).div(n).add(v));
  return clip(z.div(2 * Math.PI).add(0.5).add(v.div(Math.PI)), 0, 1);
}

/** SciPy's normal approximation for large κ: Φ(b sin(z/2)), b = √(2/π) / I₀e(κ). */
function normalCdf(z: NDArray, k: NDArray): NDArray {
  const bb = divide(Math.sqrt(2 / Math.PI), i0e(k));
  return ndtr(bb.mul(sin(z.div(2))));
}

/** F(±z_r) + offset: the CDF on [−π, π] at z_r = z − 2πm (m the nearest integer to z/(2π)), by series or normal approximation. */
function reduced(fn: string, x: ArrayLike, kappa: ArrayLike, loc: ArrayLike, scale: ArrayLike, sign: 1 | -1): NDArray {
  const [z, , k] = standardize(fn, x, loc, scale, [["kappa", kappa]]);
  const m = round(z!.div(2 * Math.PI));
  const zr = z!.sub(m.mul(2 * Math.PI)).mul(sign);
  const small = less(k!, KAPPA_NORMAL);
  // Each branch sees only kappas of its own side (and positive ones), so neither leaks NaN into derivatives.
  const ks = where(small, maximum(k!, 1e-300), 1);
  const kl = where(small, KAPPA_NORMAL, k!);
  return where(small, seriesCdf(zr, ks), normalCdf(zr, kl)).add(m.mul(sign));
}

/**
 * The CDF, continued periodically as SciPy's: F(z − 2πm) + m with m the nearest integer to z/(2π).
 * @example
 * scipy.stats.vonmises.cdf(0, 2); // 0.5
 */
export const cdf = (x: ArrayLike, kappa: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => reduced("vonmises.cdf", x, kappa, loc, scale, 1);
/**
 * The survival function 1 − CDF, computed by symmetry as F(−z_r) − m (so the upper tail keeps its
 * digits, where SciPy's 1 − F cancels).
  * @example
  * scipy.stats.vonmises.sf(0.5, 2); // 0.2618077855814809
 */
export const sf = (x: ArrayLike, kappa: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => reduced("vonmises.sf", x, kappa, loc, scale, -1);
/**
 * log CDF.
 * @example
 * scipy.stats.vonmises.logcdf(0.5, 2); // -0.303551035152071
 */
export const logcdf = (x: ArrayLike, kappa: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => log(cdf(x, kappa, loc, scale));
/**
 * log survival function.
 * @example
 * scipy.stats.vonmises.logsf(0.5, 2); // -1.340144687287404
 */
export const logsf = (x: ArrayLike, kappa: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray => log(sf(x, kappa, loc, scale));
