/**
 * @file Random-number primitives: the Threefry-2x32 hash (JAX's counter-based generator: the same
 * key and counter give the same bits on every run and machine), and a gamma sampler by inversion of
 * the CDF, whose derivative in the shape parameter is the implicit (reparameterization) gradient.
 * Both are elementwise, so they batch by lining batch axes up.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { allocate } from "../core/dtype.ts";
import { bind, bind1 } from "../core/trace.ts";
import { definePrimitive, type Primitive } from "../core/primitive.ts";
import { div, fullLike, mul, sub } from "./binary.ts";
import { exp, log, neg } from "./unary.ts";
import { matchBatch } from "./structural.ts";
import { gammaln, igammaDerivA } from "./special.ts";
import stdGammainc from "@stdlib/math-base-special-gammainc";
import stdGammaln from "@stdlib/math-base-special-gammaln";
import stdErfinv from "@stdlib/math-base-special-erfinv";

type Empty = Record<string, never>;

// ---------------------------------------------------------------- Threefry-2x32

const ROT0 = [13, 15, 26, 6];
const ROT1 = [17, 29, 16, 24];

/**
 * Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", 2011),
 * on 32-bit words held as int32 bit patterns; writes the two output words into `out`. The key
 * schedule and rotations are those of Random123 and JAX.
 */
export function threefry2x32Words(k0: number, k1: number, x0: number, x1: number, out: Int32Array): void {
  const ks = [k0 | 0, k1 | 0, (k0 ^ k1 ^ 0x1bd11bda) | 0];
  let a = (x0 + ks[0]!) | 0;
  let b = (x1 + ks[1]!) | 0;
  for (let r = 0; r < 5; r++) {
    const rot = r % 2 === 0 ? ROT0 : ROT1;
    for (let i = 0; i < 4; i++) {
      const s = rot[i]!;
      a = (a + b) | 0;
      b = (b << s) | (b >>> (32 - s));
      b ^= a;
    }
    a = (a + ks[(r + 1) % 3]!) | 0;
    b = (b + ks[(r + 2) % 3]! + r + 1) | 0;
  }
  out[0] = a;
  out[1] = b;
}

/** `threefry2x32(k0, k1, x0, x1) → (y0, y1)`, elementwise over int32 arrays of one shape. */
export const threefry2x32P: Primitive<Empty> = definePrimitive<Empty>({
  name: "threefry2x32",
  impl: ([k0, k1, x0, x1]) => {
    const n = x0!.data.length;
    const y0 = new Int32Array(n);
    const y1 = new Int32Array(n);
    const pair = new Int32Array(2);
    for (let i = 0; i < n; i++) {
      threefry2x32Words(k0!.data[i]!, k1!.data[i]!, x0!.data[i]!, x1!.data[i]!, pair);
      y0[i] = pair[0]!;
      y1[i] = pair[1]!;
    }
    return [new ConcreteArray(y0, x0!.shape, "int32"), new ConcreteArray(y1, x0!.shape, "int32")];
  },
  abstractEval: ([, , x0]) => [
    { shape: x0!.shape, dtype: "int32" },
    { shape: x0!.shape, dtype: "int32" },
  ],
  jvp: () => [null, null], // integer outputs
  transpose: "nonlinear",
  batch: (args, dims, params, size) => [bind(threefry2x32P, args.map((x, i) => matchBatch(x, dims[i]!, size, 0)), params), [0, 0]],
});

/** The lax-level Threefry: four int32 arrays of one shape in, two out. */
export const threefry2x32 = (k0: NDArray, k1: NDArray, x0: NDArray, x1: NDArray): [NDArray, NDArray] => {
  const [y0, y1] = bind(threefry2x32P, [k0, k1, x0, x1], {});
  return [y0!, y1!];
};

/** A uniform double in (0, 1) from two 32-bit words: their top 52 bits, plus half a step. */
export const wordsToOpenUniform = (hi: number, lo: number): number =>
  ((hi >>> 0) * 1048576 + ((lo >>> 0) >>> 12) + 0.5) / 4503599627370496;

// ---------------------------------------------------------------- gamma by inversion

/**
 * The x with P(a, x) = p (the regularized lower incomplete gamma function), by Halley steps kept
 * inside a bracket. Works on Q = 1 − P above the median, so upper tails keep their precision.
 */
export function gammaincinv(a: number, p: number): number {
  if (!(a > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  const lgam = stdGammaln(a);
  let x: number;
  if (a > 1) {
    // Wilson–Hilferty: (x/a)^(1/3) is nearly normal.
    const z = Math.SQRT2 * stdErfinv(2 * p - 1);
    const c = 1 / (9 * a);
    x = a * Math.pow(Math.max(1 - c + z * Math.sqrt(c), 0.05), 3);
  } else {
    // Small x: P ≈ x^a / Γ(a + 1); large x: Q ≈ x^(a−1) e^(−x) / Γ(a).
    x = upper ? Math.max(-Math.log(target) - lgam, 1e-3) : Math.exp((Math.log(p) + stdGammaln(a + 1)) / a);
  }
  let lo = 0;
  let hi = Infinity;
  for (let iter = 0; iter < 200; iter++) {
    const P = stdGammainc(x, a, true, upper);
    // f increases with x in both forms.
    const f = upper ? target - P : P - target;
    if (f === 0) return x;
    if (f > 0) hi = Math.min(hi, x);
    else lo = Math.max(lo, x);
    const density = Math.exp((a - 1) * Math.log(x) - x - lgam);
    let next = NaN;
    if (density > 0 && Number.isFinite(density)) {
      const step = f / density;
      const curvature = (a - 1) / x - 1; // f''/f'
      const denom = 1 - 0.5 * step * curvature;
      next = x - (denom > 0.5 ? step / denom : step);
    }
    if (!(next > lo && next < hi)) next = hi === Infinity ? Math.max(2 * x, lo * 2, 1) : lo === 0 && x < 1e-300 ? hi / 2 : (lo + hi) / 2;
    if (Math.abs(next - x) <= 4e-16 * Math.abs(x) || (hi < Infinity && hi - lo <= 4e-16 * hi)) return next;
    x = next;
  }
  return x;
}

/**
 * `randomGamma(k0, k1, a)`: one Gamma(a, 1) sample per element, `P⁻¹(a, u)` with u from the element's
 * key (k0, k1). Its derivative in `a` holds u fixed: dx/da = −(∂P/∂a)(a, x) / p(x; a), the implicit
 * reparameterization gradient (as JAX's `random.gamma`), itself made of differentiable primitives.
 */
export const randomGammaP: Primitive<Empty> = definePrimitive<Empty>({
  name: "randomGamma",
  impl: ([k0, k1, a]) => {
    const n = a!.data.length;
    const out = allocate(a!.dtype, n);
    const pair = new Int32Array(2);
    for (let i = 0; i < n; i++) {
      threefry2x32Words(k0!.data[i]!, k1!.data[i]!, 0, 0, pair);
      out[i] = gammaincinv(a!.data[i]!, wordsToOpenUniform(pair[0]!, pair[1]!));
    }
    return [new ConcreteArray(out, a!.shape, a!.dtype)];
  },
  abstractEval: ([, , a]) => [{ shape: a!.shape, dtype: a!.dtype }],
  jvp: ([, , a], [, , ta], [x]) => {
    if (ta === null) return [null];
    // log p(x; a) = (a − 1) log x − x − log Γ(a)
    const logDensity = sub(sub(mul(sub(a!, fullLike(a!, 1)), log(x!)), x!), gammaln(a!));
    return [mul(ta, neg(div(igammaDerivA(a!, x!, 1, false), exp(logDensity))))];
  },
  transpose: "nonlinear",
  batch: (args, dims, params, size) => [[bind1(randomGammaP, args.map((x, i) => matchBatch(x, dims[i]!, size, 0)), params)], [0]],
});

export const randomGamma = (k0: NDArray, k1: NDArray, a: NDArray): NDArray => bind1(randomGammaP, [k0, k1, a], {});
