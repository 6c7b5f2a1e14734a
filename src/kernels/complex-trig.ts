/**
 * @file Scalar complex trigonometric and hyperbolic functions and their inverses, with NumPy's
 * branch cuts and C99 Annex G's special values; each writes its result into `R` (complex-scalar.ts).
 *
 * The circular functions are the hyperbolic ones turned a quarter: sin z = −i sinh(iz),
 * cos z = cosh(iz), tan z = −i tanh(iz), asin z = −i asinh(iz), atan z = −i atanh(iz), as C99
 * defines them, so their special values follow. The inverse sine and cosine use the algorithm of
 * Hull, Fairgrieve and Tang (ACM TOMS 23, 1997), which avoids cancellation near the branch points ±1.
 */
import { R, copysign, logAbs, x2y2m1 } from "./complex-scalar.ts";

const LN2 = Math.LN2;
const HALF_PI = Math.PI / 2;
const isFinite = Number.isFinite;

/** sinh z = sinh x cos y + i cosh x sin y. */
export function csinh(x: number, y: number): void {
  if (isFinite(x) && isFinite(y)) {
    if (y === 0) {
      R.re = Math.sinh(x);
      R.im = y;
    } else if (Math.abs(x) > 709) {
      // sinh x and cosh x overflow before their products with cos y, sin y do.
      const h = Math.exp(Math.abs(x) / 2);
      R.re = (x < 0 ? -1 : 1) * Math.cos(y) * h * (0.5 * h);
      R.im = Math.sin(y) * h * (0.5 * h);
    } else {
      R.re = Math.sinh(x) * Math.cos(y);
      R.im = Math.cosh(x) * Math.sin(y);
    }
    return;
  }
  csinhSpecial(x, y);
}

/** sinh z where x or y is infinite or NaN (C99 Annex G). */
function csinhSpecial(x: number, y: number): void {
  if (x === 0) {
    R.re = x;
    R.im = NaN;
  } else if (x === Infinity || x === -Infinity) {
    if (y === 0) [R.re, R.im] = [x, y];
    else if (isFinite(y)) [R.re, R.im] = [x * Math.cos(y), Infinity * Math.sin(y)];
    else [R.re, R.im] = [Infinity, NaN]; // the sign of ∞ is unspecified; glibc's is +
  } else {
    R.re = NaN;
    R.im = Number.isNaN(x) && y === 0 ? y : NaN;
  }
}

/** cosh z = cosh x cos y + i sinh x sin y. */
export function ccosh(x: number, y: number): void {
  if (isFinite(x) && isFinite(y)) {
    if (y === 0) {
      R.re = Math.cosh(x);
      R.im = x * y;
    } else if (Math.abs(x) > 709) {
      const h = Math.exp(Math.abs(x) / 2);
      R.re = Math.cos(y) * h * (0.5 * h);
      R.im = (x < 0 ? -1 : 1) * Math.sin(y) * h * (0.5 * h);
    } else {
      R.re = Math.cosh(x) * Math.cos(y);
      R.im = Math.sinh(x) * Math.sin(y);
    }
    return;
  }
  ccoshSpecial(x, y);
}

/** cosh z where x or y is infinite or NaN (C99 Annex G). */
function ccoshSpecial(x: number, y: number): void {
  if (x === 0) {
    R.re = NaN;
    R.im = 0;
  } else if (x === Infinity || x === -Infinity) {
    if (y === 0) [R.re, R.im] = [Infinity, x > 0 ? y : -y];
    else if (isFinite(y)) [R.re, R.im] = [Infinity * Math.cos(y), x * Math.sin(y)];
    else [R.re, R.im] = [Infinity, NaN];
  } else {
    R.re = NaN;
    R.im = Number.isNaN(x) && y === 0 ? y : NaN;
  }
}

/**
 * tanh z by Kahan's formula: with t = tan y, β = 1 + t², s = sinh x, ρ = √(1 + s²),
 * tanh z = (βρs + it)/(1 + βs²); no cancellation near the poles. For |x| > 22, tanh z = ±1 to
 * within ε and Im = 4 sin y cos y e^{−2|x|}.
 */
export function ctanh(x: number, y: number): void {
  if (Number.isNaN(x)) {
    R.re = NaN;
    R.im = y === 0 ? y : NaN;
    return;
  }
  if (x === Infinity || x === -Infinity) {
    R.re = copysign(1, x);
    R.im = isFinite(y) ? copysign(0, Math.sin(y) * Math.cos(y)) : copysign(0, y);
    return;
  }
  if (!isFinite(y)) {
    R.re = x === 0 ? x : NaN;
    R.im = NaN;
    return;
  }
  if (Math.abs(x) > 22) {
    R.re = copysign(1, x);
    R.im = 4 * Math.sin(y) * Math.cos(y) * Math.exp(-2 * Math.abs(x));
    return;
  }
  const t = Math.tan(y);
  const beta = 1 + t * t;
  const s = Math.sinh(x);
  const rho = Math.sqrt(1 + s * s);
  const den = 1 + beta * s * s;
  R.re = (beta * rho * s) / den;
  R.im = t / den;
}

/** sin z = −i sinh(iz). */
export function csin(x: number, y: number): void {
  csinh(-y, x);
  const re = R.re;
  R.re = R.im;
  R.im = !isFinite(x) && !isFinite(y) && !Number.isNaN(y) ? Infinity : -re; // ±∞ unspecified; glibc's +
}

/** cos z = cosh(iz). */
export function ccos(x: number, y: number): void {
  ccosh(-y, x);
}

/** tan z = −i tanh(iz). */
export function ctan(x: number, y: number): void {
  ctanh(-y, x);
  const re = R.re;
  R.re = R.im;
  R.im = -re;
}

/** The parts of asin(x + iy) for x, y ≥ 0: asin = re + i·im, and acos's real part. */
const A = { re: 0, im: 0, acosRe: 0 };
/** Above this |z|, asinh z = log 2z to within ε/4 (the next term is 1/(4z²)). */
const ASYMPTOTIC = 1e8;
/** Below this |z|, asin z = z to within ε/4 (the next term is z³/6). */
const LINEAR = 1e-9;

/**
 * asin(x + iy) for x, y ≥ 0, by Hull, Fairgrieve and Tang: with r = |z + 1|, s = |z − 1|,
 * α = (r + s)/2 and β = x/α, Re asin = asin β and Im asin = log(α + √(α² − 1)); where those lose
 * accuracy (β near 1, α near 1) both are rewritten so that nothing cancels.
 */
function asinFirstQuadrant(x: number, y: number): void {
  if (Number.isNaN(x) || Number.isNaN(y)) {
    const inf = x === Infinity || y === Infinity;
    A.re = y !== y && x === 0 ? 0 : NaN;
    A.im = inf ? Infinity : NaN;
    A.acosRe = y !== y && x === 0 ? HALF_PI : NaN;
    return;
  }
  if (x > ASYMPTOTIC || y > ASYMPTOTIC) {
    // asin z = −i asinh(iz) and asinh w = log 2w for large |w|.
    A.re = Math.atan2(x, y);
    A.im = logAbs(x, y) + LN2;
    A.acosRe = Math.atan2(y, x);
    return;
  }
  if (x < LINEAR && y < LINEAR) {
    A.re = x;
    A.im = y;
    A.acosRe = HALF_PI - x;
    return;
  }
  if (y < 1e-150 && x < 1) {
    // y² would underflow: Im asin = y/√(1 − x²) to within O(y²).
    A.re = Math.asin(x);
    A.acosRe = Math.acos(x);
    A.im = y / Math.sqrt((1 - x) * (1 + x));
    return;
  }
  const r = Math.hypot(x + 1, y);
  const s = Math.hypot(x - 1, y);
  const alpha = 0.5 * (r + s);
  const beta = x / alpha;
  // y²/(r + x + 1), written y·(y/…) so that it does not underflow before the division.
  const yyOverRp = y * (y / (r + x + 1));
  if (beta <= 0.6417) {
    A.re = Math.asin(beta);
    A.acosRe = Math.acos(beta);
  } else if (x <= 1) {
    const t = Math.sqrt(0.5 * (alpha + x) * (yyOverRp + (s + (1 - x))));
    A.re = Math.atan(x / t);
    A.acosRe = Math.atan(t / x);
  } else {
    const apx = alpha + x;
    const t = y * Math.sqrt(0.5 * (apx / (r + x + 1) + apx / (s + (x - 1))));
    A.re = Math.atan(x / t);
    A.acosRe = Math.atan(t / x);
  }
  if (alpha <= 1.5) {
    // α − 1 = am1/2; log(α + √(α² − 1)) = log1p(α − 1 + √((α − 1)(α + 1))), the product split so a
    // subnormal α − 1 keeps its digits.
    const am1 = x < 1 ? yyOverRp + y * (y / (s + (1 - x))) : yyOverRp + (s + (x - 1));
    A.im = Math.log1p(0.5 * am1 + Math.sqrt(am1) * Math.sqrt(0.5 * (alpha + 1)));
  } else {
    A.im = Math.log(alpha + Math.sqrt(alpha * alpha - 1));
  }
}

/** asin z, cuts (−∞, −1] and [1, ∞) on the real axis; on them the zero's sign picks the side. */
export function casin(x: number, y: number): void {
  asinFirstQuadrant(Math.abs(x), Math.abs(y));
  R.re = copysign(A.re, x);
  R.im = copysign(A.im, y);
}

/** acos z = π/2 − asin z, its real part computed directly (no cancellation near z = 1). */
export function cacos(x: number, y: number): void {
  asinFirstQuadrant(Math.abs(x), Math.abs(y));
  R.re = x < 0 || Object.is(x, -0) ? Math.PI - A.acosRe : A.acosRe;
  R.im = Number.isNaN(A.im) ? NaN : -copysign(A.im, y);
}

/** asinh z = −i asin(iz), cuts (−i∞, −i] and [i, i∞). */
export function casinh(x: number, y: number): void {
  asinFirstQuadrant(Math.abs(y), Math.abs(x));
  R.re = copysign(A.im, x);
  R.im = copysign(A.re, y);
}

/** acosh z = ±i acos z with the sign making Re ≥ 0, cut (−∞, 1]. */
export function cacosh(x: number, y: number): void {
  cacos(x, y);
  const re = R.re;
  R.re = Math.abs(R.im);
  R.im = Number.isNaN(re) ? NaN : copysign(re, y);
}

/**
 * atanh z = ½ log((1 + z)/(1 − z)), cuts (−∞, −1] and [1, ∞):
 * Re = ¼ log1p(4x/((1 − x)² + y²)), Im = ½ atan2(2y, 1 − x² − y²) with 1 − x² − y² exact.
 */
export function catanh(x: number, y: number): void {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (Number.isNaN(x) || Number.isNaN(y)) {
    if (ay === Infinity) [R.re, R.im] = [copysign(0, x), copysign(HALF_PI, y)];
    else if (ax === Infinity || x === 0) [R.re, R.im] = [copysign(0, x), NaN];
    else [R.re, R.im] = [NaN, NaN];
    return;
  }
  if (ax > ASYMPTOTIC || ay > ASYMPTOTIC) {
    // atanh z = 1/z ± iπ/2 + O(|z|⁻³): Re = x/|z|², Im = ±π/2 − y/|z|², without squaring |z|.
    const big = Math.max(ax, ay);
    const h = Math.hypot(ax / big, ay / big);
    const finite = isFinite(big);
    R.re = copysign(finite ? ax / big / h / h / big : 0, x);
    R.im = copysign(HALF_PI - (finite ? ay / big / h / h / big : 0), y);
    return;
  }
  if (ax === 1 && ay === 0) {
    R.re = copysign(Infinity, x);
    R.im = y;
    return;
  }
  const d = (1 - ax) * (1 - ax) + ay * ay;
  const re = d < 1e-290 ? 0.5 * (logAbs(1 + ax, ay) - logAbs(1 - ax, ay)) : 0.25 * Math.log1p((4 * ax) / d);
  R.re = copysign(re, x);
  R.im = copysign(0.5 * Math.atan2(2 * ay, -x2y2m1(ax, ay)), y);
}

/** atan z = −i atanh(iz), cuts (−i∞, −i] and [i, i∞). */
export function catan(x: number, y: number): void {
  if ((x === Infinity || x === -Infinity) && Number.isNaN(y)) {
    R.re = copysign(HALF_PI, x);
    R.im = 0;
    return;
  }
  catanh(-y, x);
  const re = R.re;
  R.re = R.im;
  R.im = -re;
}
