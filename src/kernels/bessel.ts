/**
 * @file Scalar kernels of the integer-order Bessel functions Jₙ, Yₙ, Iₙ: orders 0 and 1 of J and Y
 * from stdlib (Cephes, as SciPy), higher orders by the recurrence in its stable direction. The
 * derivative rules reach order n + k for the k-th derivative, so every order must be accurate.
 */
import besselj0 from "@stdlib/math-base-special-besselj0";
import besselj1 from "@stdlib/math-base-special-besselj1";
import bessely0 from "@stdlib/math-base-special-bessely0";
import bessely1 from "@stdlib/math-base-special-bessely1";

const BIG = 1e250;

/** Jₙ(x) for an integer n ≥ 0. */
export function besselJn(n: number, x: number): number {
  if (Number.isNaN(x)) return NaN;
  // J₋ₓ: Jₙ(−x) = (−1)ⁿ Jₙ(x)
  if (x < 0) return (n % 2 === 0 ? 1 : -1) * besselJn(n, -x);
  if (n === 0) return besselj0(x);
  if (n === 1) return besselj1(x);
  if (x === 0) return 0;
  if (x === Infinity) return 0;
  if (x > n) {
    // Upward recurrence Jₖ₊₁ = (2k/x) Jₖ − Jₖ₋₁ is stable while k < x.
    let jm = besselj0(x);
    let j = besselj1(x);
    for (let k = 1; k < n; k++) {
      const jp = ((2 * k) / x) * j - jm;
      jm = j;
      j = jp;
    }
    return j;
  }
  // Miller's algorithm: downward recurrence from far above n (where Jₙ is the minimal solution),
  // scaled to J₀ or J₁ — whichever is further from a zero (their zeros interlace).
  const start = n + 20 + Math.floor(Math.sqrt(160 * n));
  let fp = 0;
  let f = 1e-300;
  let fn = 0;
  let f1 = 0;
  let scale = 1;
  for (let k = start; k > 0; k--) {
    const fm = ((2 * k) / x) * f - fp;
    fp = f;
    f = fm;
    if (Math.abs(f) > BIG) {
      f /= BIG;
      fp /= BIG;
      fn /= BIG;
      f1 /= BIG;
    }
    if (k - 1 === n) fn = f;
    if (k - 1 === 1) f1 = f;
  }
  // Now f = f₀ (unnormalized J₀), f1 = f₁.
  scale = Math.abs(f) > Math.abs(f1) ? besselj0(x) / f : besselj1(x) / f1;
  return fn * scale;
}

/** Yₙ(x) for an integer n ≥ 0 (x > 0; −∞ at 0, NaN below). */
export function besselYn(n: number, x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (n === 0) return bessely0(x);
  if (n === 1) return bessely1(x);
  if (x === Infinity) return 0;
  // Upward recurrence is stable for Y (the dominant solution) at every k.
  let ym = bessely0(x);
  let y = bessely1(x);
  for (let k = 1; k < n && Number.isFinite(y); k++) {
    const yp = ((2 * k) / x) * y - ym;
    ym = y;
    y = yp;
  }
  return y;
}

/**
 * The power series of Iₙ(x)·e^(−x) for x ≥ 0: terms relative to the first, rescaled whenever the
 * sum grows large, with the first term's logarithm and −x kept apart and applied once at the end,
 * so that nothing overflows or underflows on the way.
 */
function scaledSeries(n: number, x: number): number {
  let logBase = -x;
  for (let k = 1; k <= n; k++) logBase += Math.log(x / 2 / k);
  if (x === 0) return n === 0 ? 1 : 0;
  let t = 1;
  let s = 1;
  const q = (x / 2) * (x / 2);
  for (let k = 1; k < 100000; k++) {
    t *= q / (k * (k + n));
    s += t;
    if (s > 1e280) {
      s /= 1e280;
      t /= 1e280;
      logBase += 280 * Math.LN10;
    }
    if (t <= s * 1e-17) break;
  }
  return s * Math.exp(logBase);
}

/** Iₙ(x) for an integer n ≥ 0: power series for moderate |x|, the asymptotic series for large |x|. */
export function besselIn(n: number, x: number): number {
  return besselInScaled(n, x, false);
}

/**
 * Iₙ(x)·e^(−|x|) for an integer n ≥ 0 (SciPy's `ive`): finite for every x, where Iₙ itself
 * overflows beyond |x| ≈ 713. The power series is summed in scaled form (`scaledSeries`); the
 * asymptotic series is scaled exactly, by leaving out its eˣ.
 */
export function besselInScaled(n: number, x: number, scaled = true): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return (n % 2 === 0 ? 1 : -1) * besselInScaled(n, -x, scaled);
  if (x === Infinity) return scaled ? 0 : Infinity;
  if (x <= 30 + n * n) {
    // Iₙ(x) = Σₖ (x/2)^(2k+n) / (k! (k+n)!): every term positive, no cancellation.
    if (scaled) return scaledSeries(n, x);
    let t = 1;
    for (let k = 1; k <= n; k++) t *= x / 2 / k;
    if (t === 0) return 0;
    let s = t;
    const q = (x / 2) * (x / 2);
    for (let k = 1; k < 10000; k++) {
      t *= q / (k * (k + n));
      s += t;
      if (t <= s * 1e-17) break;
    }
    return s;
  }
  // Iₙ(x) ~ eˣ / √(2πx) · Σₖ (−1)ᵏ Πⱼ₌₁..ₖ (4n² − (2j−1)²) / (k! (8x)ᵏ), summed to its smallest term.
  const mu = 4 * n * n;
  let t = 1;
  let s = 1;
  for (let k = 1; k < 500; k++) {
    const next = (-t * (mu - (2 * k - 1) * (2 * k - 1))) / (k * 8 * x);
    if (Math.abs(next) >= Math.abs(t)) break;
    t = next;
    s += t;
    if (Math.abs(t) <= Math.abs(s) * 1e-17) break;
  }
  if (scaled) return s / Math.sqrt(2 * Math.PI * x);
  // Two half-exponentials, so that Iₙ overflows only where it must (x ≈ 713, not 709).
  const e = Math.exp(x / 2);
  return e * ((e * s) / Math.sqrt(2 * Math.PI * x));
}
