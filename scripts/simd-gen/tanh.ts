/**
 * @file The table-driven, branch-free tanh kernel: a point b per row of `TANH_TABLE`, tanh b and
 * sech² b, and a short fitted series of the rest.
 */
import * as dd from "../double-double.ts";
import { TANH_TABLE } from "./layout.ts";
import { c } from "./constants.ts";
import { add, and, div, fabs, fmin, get, horner, inPlaceTwo, mul, or, set, SIGN, sub } from "./wat.ts";
import { fitError, fitEven } from "./fit.ts";
import { ACCURATE, accuratePoint, lanesOf, loadRows, residue, ROW0_LIMIT, rowOf, rowOffsets, rowSpan } from "./tables.ts";

/** |x| is clamped to this (tanh x rounds to 1 from 19.06 on). */
export const TANH_CLAMP = 20;
/** The last row: that of TANH_CLAMP. */
const TANH_LAST = rowOf(TANH_CLAMP);
/** From this |x| on tanh x rounds to 1: atanh(1 − 2⁻⁵⁴) = ½·ln((2 − 2⁻⁵⁴)/2⁻⁵⁴). */
export const TANH_ONE = dd.logDD(dd.div(dd.sub([2, 0], [2 ** -54, 0]), [2 ** -54, 0]))[0] / 2;

/**
 * The point b of a row [lo, …) with middle `centre`, and tanh b as a double within ACCURATE ulp:
 * - below 8, near the centre (a window a 2⁻³² part of b, or 2⁹ ulps of tanh b's worth of change;
 *   tanh(c + d) ≈ T + W·d − T·W·d², W = sech² c);
 * - from 8 on (tanh b within 2⁻²² of 1, where it moves by far less than an ulp per ulp of b), the
 *   point where tanh b is exactly 1 − n·2⁻⁵³, n the nearest count for the centre (at least 1: up
 *   to TANH_ONE the result may be below 1), b = atanh(1 − n·2⁻⁵³);
 * - a row all beyond TANH_ONE: tanh b = 1 exactly as the result rounds (and sech² b is taken as 0).
 */
function tanhPoint(lo: number, centre: number): [number, number] {
  if (lo >= TANH_ONE) return [centre, 1];
  let b: number | undefined;
  if (centre >= 8) {
    const n = Math.max(1, Math.round(dd.sub([1, 0], dd.tanhDD(centre))[0] * 2 ** 53));
    const e: dd.DD = [n * 2 ** -53, 0];
    b = dd.logDD(dd.div(dd.sub([2, 0], e), e))[0] / 2;
    if (residue(dd.tanhDD(b)) > ACCURATE) b = undefined;
  } else {
    const t = dd.tanhDD(centre);
    const w = dd.sech2DD(centre);
    const window = Math.max(dd.ulpOf(centre) * 2 ** 20, (2 ** 9 * dd.ulpOf(t[0])) / w[0]);
    const near = (d: number): dd.DD => {
      const wd = dd.mul(w, [d, 0]);
      return dd.sub(dd.add(t, wd), dd.mul(dd.mul(t, wd), [d, 0]));
    };
    b = accuratePoint(centre, window, dd.tanhDD, near);
  }
  if (b === undefined) throw new Error(`gen-simd-math: no accurate tanh point near ${centre}`);
  return [b, dd.tanhDD(b)[0]];
}

/** The rows of `TANH_TABLE` ([tanh b, sech² b, b, 0]): row 0 (|x| < ROW0_LIMIT) b = 0, then one per 2⁻⁵ of each binade up to TANH_CLAMP's. */
export function tanhTable(): number[][] {
  const rows: number[][] = [[0, 1, 0, 0]];
  for (let j = 1; j <= TANH_LAST; j++) {
    const { lo, centre } = rowSpan(j);
    const [b, t] = tanhPoint(lo, centre);
    // The error bound below takes |b − centre| small next to the row's half-width where tanh is not flat.
    if (centre < 8 && Math.abs(b - centre) > (centre - lo) * 2 ** -10) throw new Error(`gen-simd-math: tanh point ${b} far from ${centre}`);
    rows.push([t, t === 1 ? 0 : dd.sech2DD(b)[0], b, 0]);
  }
  return rows;
}

/** tanh r − r = r·z·P(z) (so that z·P(z) = tanh r / r − 1). */
const tanhTarget = (a: number): dd.DD => dd.sub(dd.div(dd.tanhDD(a), [a, 0]), [1, 0]);

/**
 * The 4 coefficients of P with tanh r ≈ r + r·z·P(z), z = r²: a least-squares fit (`fitEven`) on
 * row 0's range |r| < ROW0_LIMIT. The generator measures the error relative to tanh r and refuses
 * more than 2⁻⁶² there (row 0's result is this polynomial), 2⁻³⁴ up to |r| = 0.13 and 2⁻⁸ up to 0.8
 * (the rows from 8 on, where δ is weighted by W < 2⁻²¹, resp. W < 2⁻⁵⁰ where b was moved to an
 * exact 1 − n·2⁻⁵³).
 */
const TANH_SERIES = fitEven(4, 1, ROW0_LIMIT * ROW0_LIMIT, tanhTarget);
for (const [upTo, limit] of [[ROW0_LIMIT, 2 ** -62], [0.13, 2 ** -34], [0.8, 2 ** -8]] as const) {
  // r·(z·P − (tanh r/r − 1)) relative to tanh r.
  const e = fitError(TANH_SERIES, 1, upTo, tanhTarget, (a) => Math.tanh(a) / a);
  if (e > limit) throw new Error(`gen-simd-math: the tanh series' error ${e} up to ${upTo} exceeds ${limit}`);
}

const TANH_LOCALS = ["x", "y", "u", "a", "la", "lb", "ha", "hb", "t", "w", "b", "r", "z", "q"];

/**
 * tanh on f64x2, two vectors a step, with no branch: each lane's row of `TANH_TABLE`
 * (`rowOffsets`: all |x| < 2⁻⁵ take row 0; NaN, ±∞ and |x| beyond 20 the last) holds a point b,
 * T = tanh b (a double within 2⁻⁷ ulp of it: `tanhPoint`) and W = 1 − T² = sech² b. Then with
 * a = min(|x|, 20) (NaN stays), r = a − b (exact: within a factor 2 of each other, Sterbenz;
 * r = a in row 0) and t = tanh r,
 *
 *   tanh a = (T + t)/(1 + T·t) = T + δ,  δ = W·t/(1 + T·t),
 *
 * and the sign of x put back (±0 too).
 *
 * Error, in ulps of the result: in row 0, b = 0, T = 0, W = 1 and y = t = r + (r·z)·P(z) rounded
 * once (the correction is below 2⁻¹⁰·r, so its own roundings and the fit's error, 2⁻⁶², count for
 * under 0.01 ulp): at most 0.51 ulp. In the other rows |r| ≤ 2⁻⁶·b (plus b's offset from the
 * centre, a 2⁻¹⁰ part of that, below 8), so |δ| ≤ 0.021·tanh a; δ carries about 5 roundings (t's
 * last, W's, the product, 1 + T·t and the quotient), 5·2⁻⁵³ of δ, so at most 0.11 ulp of the
 * result; T's distance to tanh b, 2⁻⁷ ulp; the final rounding ½ ulp: at most 0.63 ulp. From 8 on,
 * where W < 2⁻²¹ and r grows to 0.8 (in the rows whose b is moved to an exact 1 − n·2⁻⁵³), t's
 * series error (at most 2⁻³⁴, resp. 2⁻⁸ of t there) is weighted by W·|t| and stays below 0.01 ulp.
 * Measured: 0.525 ulp at most (test/simd-tanh.test.ts).
 */
export const tanhKernel = inPlaceTwo("tanh", TANH_LOCALS, [
  ...rowOffsets(get("x"), TANH_LAST),
  set("a", fmin(fabs(get("x")), c(TANH_CLAMP))),
  ...loadRows(TANH_TABLE),
  set("t", lanesOf(0, get("la"), get("lb"))),
  set("w", lanesOf(1, get("la"), get("lb"))),
  set("b", lanesOf(0, get("ha"), get("hb"))),
  set("r", sub(get("a"), get("b"))),
  set("z", mul(get("r"), get("r"))),
  set("q", add(get("r"), mul(mul(get("r"), get("z")), horner(get("z"), TANH_SERIES)))),
  set("q", div(mul(get("q"), get("w")), add(c(1), mul(get("t"), get("q"))))),
  set("y", or(add(get("t"), get("q")), and(get("x"), SIGN))),
]);
