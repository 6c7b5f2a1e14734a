/**
 * @file Scalar complex functions (exp, log, sqrt, power, sign, reciprocal, …) on one value (x + iy),
 * with NumPy's branch cuts and the special values of C99 Annex G; each writes its result into `R`.
 *
 * Results go through the shared record `R` rather than a returned pair, so the per-element loops in
 * complex-math.ts allocate nothing. Every function is accurate for huge and tiny magnitudes: |z| is
 * never formed where it could overflow or underflow, and log near |z| = 1, log1p and expm1 near 0
 * keep their relative accuracy.
 */

/** The result of the last scalar call: real and imaginary parts. */
export const R = { re: 0, im: 0 };

const LN2 = Math.LN2;
/** ln 2 − LN2: the part of ln 2 below the double's precision. */
const LN2_LO = 2.319046813846299558e-17;
const LOG2E = Math.LOG2E;
const LOG10E = Math.LOG10E;
/** Above this magnitude a sum of two parts or a square could overflow; inputs are scaled down first. */
const HUGE = 1e300;
/** Below this magnitude squares lose precision in subnormals; inputs are scaled up first. */
const TINY = 1e-300;

const isFinite = Number.isFinite;
const copysign = (a: number, b: number): number => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a));
export { copysign };

/** The rounding error of a + b (Knuth's TwoSum): a + b = s + err exactly. */
function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

/** The rounding error of a·b (Dekker's product with Veltkamp's split): a·b = p + err exactly. */
function twoProdErr(a: number, b: number, p: number): number {
  const ca = 134217729 * a; // 2^27 + 1
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** The rounding error of a·a: a² = p + err exactly. */
function squareErr(a: number, p: number): number {
  return twoProdErr(a, a, p);
}

/**
 * x² + y² − 1 in double-double arithmetic: exact products, compensated sum. Near the unit circle
 * this difference cancels; computed naively it would carry an absolute error of ε, which log1p
 * would turn into a large relative error of log|z|.
 */
export function x2y2m1(x: number, y: number): number {
  const xx = x * x;
  const yy = y * y;
  const xe = squareErr(x, xx);
  const ye = squareErr(y, yy);
  const s1 = xx - 1;
  const e1 = twoSumErr(xx, -1, s1);
  const s2 = s1 + yy;
  const e2 = twoSumErr(s1, yy, s2);
  return s2 + (e1 + e2 + xe + ye);
}

/** log|z|, without overflow or underflow, accurate near |z| = 1. */
export function logAbs(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (!isFinite(ax) || !isFinite(ay)) return Math.log(Math.hypot(ax, ay));
  const big = Math.max(ax, ay);
  if (big > HUGE) return Math.log(Math.hypot(ax * 0.25, ay * 0.25)) + 2 * LN2;
  // hypot of subnormals rounds to few digits: scale up by 2^600 first.
  if (big < TINY) return Math.log(Math.hypot(ax * 2 ** 600, ay * 2 ** 600)) - 600 * LN2;
  const h = Math.hypot(ax, ay);
  if (h > 0.7 && h < 1.4) return 0.5 * Math.log1p(x2y2m1(ax, ay));
  return Math.log(h);
}

/** e^z. C99: exp(±∞·…) follows cis(y) scaled, exp(x ± i0) keeps the zero's sign. */
export function cexp(x: number, y: number): void {
  if (!isFinite(x)) {
    if (Number.isNaN(x)) {
      R.re = NaN;
      R.im = y === 0 ? y : NaN;
    } else if (x > 0) {
      if (y === 0) [R.re, R.im] = [x, y];
      else if (!isFinite(y)) [R.re, R.im] = [x, NaN];
      else [R.re, R.im] = [x * Math.cos(y), x * Math.sin(y)];
    } else {
      // e^{−∞ + iy} is a zero; for y infinite or NaN its direction is unspecified: +0 ± i0 (as glibc).
      [R.re, R.im] = isFinite(y) ? [0 * Math.cos(y), 0 * Math.sin(y)] : [0, copysign(0, y)];
    }
    return;
  }
  if (!isFinite(y)) {
    R.re = NaN;
    R.im = NaN;
    return;
  }
  if (y === 0) {
    R.re = Math.exp(x);
    R.im = y;
    return;
  }
  const c = Math.cos(y);
  const s = Math.sin(y);
  if (x > 709) {
    // e^x overflows while e^x·cos y may not: two factors of e^{x/2}.
    const h = Math.exp(x / 2);
    R.re = c * h * h;
    R.im = s * h * h;
    return;
  }
  const e = Math.exp(x);
  R.re = e * c;
  R.im = e * s;
}

/** e^z − 1, accurate near z = 0: Re = expm1(x)·cos y − 2 sin²(y/2), Im = e^x sin y. */
export function cexpm1(x: number, y: number): void {
  if (!isFinite(x) || !isFinite(y) || Math.abs(x) > 1) {
    cexp(x, y);
    R.re -= 1;
    return;
  }
  const h = Math.sin(y / 2);
  R.re = Math.expm1(x) * Math.cos(y) - 2 * h * h;
  R.im = y === 0 ? y : Math.exp(x) * Math.sin(y);
}

/**
 * 2^z = 2^x·cis(y ln 2). The modulus is `2 ** x` (exact for integer x; e^{x ln 2} would carry the
 * rounding of x·ln 2, up to 700 ulp), the angle y·ln 2 in double-double, cis of it to first order
 * in the low part. For |y| beyond 2^53 the angle is dominated by the rounding of y itself.
 */
export function cexp2(x: number, y: number): void {
  if (!isFinite(x) || !isFinite(y) || y === 0) {
    cexp(x * LN2, y * LN2);
    if (isFinite(x) && y === 0) R.re = 2 ** x;
    return;
  }
  const hi = y * LN2;
  const lo = Math.abs(y) < 2 ** 53 ? twoProdErr(y, LN2, hi) + y * LN2_LO : 0;
  const c = Math.cos(hi);
  const s = Math.sin(hi);
  const cr = c - s * lo;
  const ci = s + c * lo;
  if (x > 1023) {
    const h = 2 ** (x / 2);
    R.re = cr * h * h;
    R.im = ci * h * h;
    return;
  }
  const m = 2 ** x;
  R.re = m * cr;
  R.im = m * ci;
}

/** The principal logarithm: log|z| + i arg z, arg in (−π, π]; the cut along the negative reals keeps the side of the zero's sign. */
export function clog(x: number, y: number): void {
  R.re = logAbs(x, y);
  R.im = Math.atan2(y, x);
}

/** log₂ z = log z / ln 2. */
export function clog2(x: number, y: number): void {
  clog(x, y);
  R.re *= LOG2E;
  R.im *= LOG2E;
}

/** log₁₀ z = log z / ln 10. */
export function clog10(x: number, y: number): void {
  clog(x, y);
  R.re *= LOG10E;
  R.im *= LOG10E;
}

/**
 * log(1 + z), accurate near z = 0: log|1 + z| = ½ log1p(2x + x² + y²) there (NumPy computes
 * log(hypot(1 + x, y)), which returns 0 for z = 1e-20).
 */
export function clog1p(x: number, y: number): void {
  if (!isFinite(x) || !isFinite(y) || Math.abs(x) > 0.5 || Math.abs(y) > 0.5) {
    R.re = logAbs(x + 1, y);
    R.im = Math.atan2(y, x + 1);
    return;
  }
  // 2x + x² + y² = (1 + x)² + y² − 1, summed with the exact squares.
  const xx = x * x;
  const yy = y * y;
  const xe = squareErr(x, xx);
  const ye = squareErr(y, yy);
  const s1 = 2 * x + xx;
  const e1 = twoSumErr(2 * x, xx, s1);
  const s2 = s1 + yy;
  const e2 = twoSumErr(s1, yy, s2);
  R.re = 0.5 * Math.log1p(s2 + (e1 + e2 + xe + ye));
  R.im = Math.atan2(y, x + 1);
}

/**
 * The principal square root, Re ≥ 0, the cut along the negative reals (√(−4 ± i0) = ±2i).
 * t = √((|x| + |z|)/2); the other part is y/(2t), so nothing cancels.
 */
export function csqrt(x: number, y: number): void {
  if (y === Infinity || y === -Infinity) {
    R.re = Infinity;
    R.im = y;
    return;
  }
  if (Number.isNaN(x)) {
    R.re = NaN;
    R.im = NaN;
    return;
  }
  if (!isFinite(x)) {
    if (x > 0) [R.re, R.im] = [x, Number.isNaN(y) ? NaN : copysign(0, y)];
    else [R.re, R.im] = Number.isNaN(y) ? [NaN, Infinity] : [0, copysign(Infinity, y)];
    return;
  }
  if (Number.isNaN(y)) {
    R.re = NaN;
    R.im = NaN;
    return;
  }
  if (x === 0 && y === 0) {
    R.re = 0;
    R.im = y;
    return;
  }
  let ax = Math.abs(x);
  let ay = Math.abs(y);
  // √z = √(z·k)/√k: k = 1/4 keeps |x| + |z| finite, k = 2^600 keeps tiny parts out of subnormals.
  let unscale = 1;
  if (ax > HUGE || ay > HUGE) {
    ax *= 0.25;
    ay *= 0.25;
    unscale = 2;
  } else if (ax < TINY && ay < TINY) {
    ax *= 2 ** 600;
    ay *= 2 ** 600;
    unscale = 2 ** -300;
  }
  const t = Math.sqrt((ax + Math.hypot(ax, ay)) * 0.5);
  const other = ay / (2 * t);
  if (x >= 0) {
    R.re = t * unscale;
    R.im = copysign(other * unscale, y);
  } else {
    R.re = other * unscale;
    R.im = copysign(t * unscale, y);
  }
}

/**
 * z² = (x − y)(x + y) + 2ixy. NumPy forms x² − y², which cancels for x ≈ y and overflows to
 * ∞ − ∞ (or, with a fused multiply-add, to −∞) at x = y = 1e160, where the real part is 0.
 */
export function csquare(x: number, y: number): void {
  // Halved first where x + y could overflow although x² − y² does not (x = y = 1.7e308).
  const re = Math.abs(x) > HUGE || Math.abs(y) > HUGE ? 4 * ((0.5 * x - 0.5 * y) * (0.5 * x + 0.5 * y)) : (x - y) * (x + y);
  R.re = re === 0 ? 0 : re; // NumPy's x² − y² gives +0 whenever it is zero
  R.im = x * y + y * x;
}

/**
 * 1/z by Smith's method (no |z|²), as NumPy's `reciprocal`; a huge z is scaled by 2⁻⁸ first, so
 * that x + y·(y/x) does not overflow when the result is still representable.
 */
export function creciprocal(x: number, y: number): void {
  if (Math.abs(x) > HUGE || Math.abs(y) > HUGE) {
    if (isFinite(x) && isFinite(y)) {
      creciprocal(x * 2 ** -8, y * 2 ** -8);
      R.re *= 2 ** -8;
      R.im *= 2 ** -8;
      return;
    }
  }
  if (Math.abs(y) <= Math.abs(x)) {
    const r = y / x;
    const d = x + y * r;
    R.re = 1 / d;
    R.im = -r / d;
  } else {
    const r = x / y;
    const d = x * r + y;
    R.re = r / d;
    R.im = -1 / d;
  }
}

/** (a + ib)/(c + id) by Smith's method, as NumPy's `divide` (a zero divisor gives ±∞ or NaN per part). */
export function cdiv(a: number, b: number, c: number, d: number): void {
  const ac = Math.abs(c);
  const ad = Math.abs(d);
  if (ac >= ad) {
    if (ac === 0 && ad === 0) {
      R.re = a / ac;
      R.im = b / ac;
      return;
    }
    const r = d / c;
    const scale = 1 / (c + d * r);
    R.re = (a + b * r) * scale;
    R.im = (b - a * r) * scale;
  } else {
    const r = c / d;
    const scale = 1 / (d + c * r);
    R.re = (a * r + b) * scale;
    R.im = (b * r - a) * scale;
  }
}

/**
 * NumPy 2's complex sign: z/|z|, 0 at 0. An infinite part with the other finite or NaN gives
 * ±1 or ±i along it (NumPy's rule; (NaN, ∞) gives i), both infinite or a NaN otherwise gives NaN.
 * |z| is formed with scaling, so a huge finite z works (NumPy's overflows to ∞ and answers ±i).
 */
export function csign(x: number, y: number): void {
  const xi = x === Infinity || x === -Infinity;
  const yi = y === Infinity || y === -Infinity;
  if (xi || yi) {
    if (xi && yi) [R.re, R.im] = [NaN, NaN];
    else if (xi) [R.re, R.im] = [x > 0 ? 1 : -1, 0];
    else [R.re, R.im] = [0, y > 0 ? 1 : -1];
    return;
  }
  if (Number.isNaN(x) || Number.isNaN(y)) {
    R.re = NaN;
    R.im = NaN;
    return;
  }
  if (x === 0 && y === 0) {
    R.re = 0;
    R.im = 0;
    return;
  }
  // Scale by a power of two so that |z| is neither huge nor subnormal.
  const big = Math.max(Math.abs(x), Math.abs(y));
  const k = big > HUGE ? 2 ** -600 : big < TINY ? 2 ** 600 : 1;
  const sx = x * k;
  const sy = y * k;
  const h = Math.hypot(sx, sy);
  R.re = sx / h;
  R.im = sy / h;
}

/** z·w, the textbook product (as NumPy's complex multiply). */
function cmulInto(a: number, b: number, c: number, d: number): void {
  R.re = a * c - b * d;
  R.im = a * d + b * c;
}

/**
 * z^w, NumPy's rules: w = 0 gives 1 (also for z = 0 or NaN); 0^w is 0 for Re w > 0 and NaN+NaNi
 * otherwise; an integer w with |w| < 100 is computed by repeated squaring (so (1+i)² is exactly 2i;
 * negative powers take the reciprocal at the end); other w give e^{w log z} with the principal log.
 */
export function cpow(a: number, b: number, c: number, d: number): void {
  if (c === 0 && d === 0) {
    R.re = 1;
    R.im = 0;
    return;
  }
  if (a === 0 && b === 0) {
    if (c > 0) [R.re, R.im] = [0, 0];
    else [R.re, R.im] = [NaN, NaN];
    return;
  }
  if (d === 0 && Number.isInteger(c) && Math.abs(c) < 100) {
    if (c === 1) {
      [R.re, R.im] = [a, b];
      return;
    }
    if (c === 2) {
      cmulInto(a, b, a, b);
      return;
    }
    if (c === 3) {
      cmulInto(a, b, a, b);
      cmulInto(a, b, R.re, R.im);
      return;
    }
    let n = Math.abs(c);
    let pr = a;
    let pi = b;
    let qr = 1;
    let qi = 0;
    for (;;) {
      if (n & 1) {
        cmulInto(qr, qi, pr, pi);
        qr = R.re;
        qi = R.im;
      }
      n >>= 1;
      if (n === 0) break;
      cmulInto(pr, pi, pr, pi);
      pr = R.re;
      pi = R.im;
    }
    if (c < 0) {
      cdiv(1, 0, qr, qi);
    } else {
      R.re = qr;
      R.im = qi;
    }
    return;
  }
  clog(a, b);
  cmulInto(c, d, R.re, R.im);
  cexp(R.re, R.im);
}
