/**
 * @file `np.fft`: discrete Fourier transforms, written entirely with existing primitives (reshapes,
 * slices, elementwise products, matrix products), so they are differentiable to any order, forward
 * and reverse, and batch under `vmap`, with no rules of their own.
 *
 * autograd-ts has no complex dtype. Where NumPy returns a complex array, these functions return a
 * `ComplexArray` (complex.ts): its `real` and `imag` parts as two NDArrays of one shape. Every
 * function that takes a complex array takes a `ComplexArray` or a real array.
 *
 * Algorithms: a length that is a power of two takes the radix-2 Cooley–Tukey recursion (even and
 * odd halves transformed together as one batch, log₂ n levels of whole-array operations); other
 * lengths up to 1024 a dense DFT matrix product; longer ones Bluestein's chirp-z algorithm, which
 * turns the transform into a power-of-two convolution. Roots of unity are computed directly (jk
 * reduced mod n, the angle to the first octant), so errors grow like ε·log n.
 */
import { NDArray, ConcreteArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { reshape, moveaxis, concatenate } from "./shape.ts";
import { matmul } from "./products.ts";
import { pad, flip, roll } from "./rearrange.ts";
import { normAxis } from "./broadcast.ts";
import { ComplexArray, parts } from "./complex.ts";
import { ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const fftSchema = { n: P.posInt, axis: P.axis, norm: P.oneOf("backward", "ortho", "forward") } as const;
const fftnSchema = { s: P.arrayOf(P.posInt, "an array of positive integers"), axes: P.intList, norm: P.oneOf("backward", "ortho", "forward") } as const;
const fftOpts = P.options("np.fft.fft", fftSchema, { positional: "n" });
const ifftOpts = P.options("np.fft.ifft", fftSchema, { positional: "n" });
const rfftOpts = P.options("np.fft.rfft", fftSchema, { positional: "n" });
const irfftOpts = P.options("np.fft.irfft", fftSchema, { positional: "n" });
const fftnOpts = new Map(["np.fft.fft2", "np.fft.ifft2", "np.fft.fftn", "np.fft.ifftn"].map((fn) => [fn, P.options(fn, fftnSchema)]));
const fftshiftOpts = P.options("np.fft.fftshift", { axes: P.axes });
const ifftshiftOpts = P.options("np.fft.ifftshift", { axes: P.axes });

export { ComplexArray };

/** How a transform is scaled: NumPy's `norm` ("backward": the inverse divides by n). */
export type FftNorm = "backward" | "ortho" | "forward";

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;
/** Lengths not a power of two up to this use the dense DFT matrix; longer ones Bluestein's algorithm. */
const DIRECT_MAX = 1024;

/**
 * Constant arrays (twiddles, DFT matrices, chirps), cached: built eagerly from plain numbers, so
 * tracing never sees them being made. The cache holds at most `CACHE_BYTES`; the least recently
 * used go first (a dense DFT matrix of 1024 points alone is 8 MB).
 */
const constants = new Map<string, NDArray>();
const CACHE_BYTES = 64 * 2 ** 20;
let cachedBytes = 0;
function remember(key: string, c: NDArray): void {
  constants.set(key, c);
  cachedBytes += c.size * 8;
  for (const [k, v] of constants) {
    if (cachedBytes <= CACHE_BYTES || k === key) break;
    constants.delete(k);
    cachedBytes -= v.size * 8;
  }
}
function recall(key: string): NDArray | undefined {
  const c = constants.get(key);
  if (c) {
    // Map order is insertion order: re-inserting marks it as the most recently used.
    constants.delete(key);
    constants.set(key, c);
  }
  return c;
}
function constant(key: string, shape: readonly number[], fill: (out: Float64Array) => void): NDArray {
  let c = recall(key);
  if (!c) {
    const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
    fill(data);
    c = new ConcreteArray(data, shape, "float64");
    remember(key, c);
  }
  return c;
}

/**
 * e^{2πik/n} as [cos, sin], reduced to the first octant first (as pocketfft does), so that
 * quarter turns are exact (cos(π/2) is 0, not 6e-17) and the error stays within an ulp or two.
 */
function unitRoot(k: number, n: number): [number, number] {
  const r = ((k % n) + n) % n;
  const quadrant = Math.floor((4 * r) / n);
  let rem = 4 * r - quadrant * n; // the angle within the quadrant is (π/2)·rem/n
  let [c, s] = [1, 0];
  if (2 * rem <= n) {
    const a = (Math.PI / 2) * (rem / n);
    [c, s] = [Math.cos(a), Math.sin(a)];
  } else {
    rem = n - rem;
    const a = (Math.PI / 2) * (rem / n);
    [c, s] = [Math.sin(a), Math.cos(a)];
  }
  // Rotate by the quadrant: multiply by i^quadrant.
  if (quadrant === 1) return [-s, c];
  if (quadrant === 2) return [-c, -s];
  if (quadrant === 3) return [s, -c];
  return [c, s];
}

/** cos(2πk/n) and sign·sin(2πk/n) for k < n/2: the twiddle factors e^{sign·2πik/n} of one radix-2 level. */
function twiddles(n: number, sign: number): [NDArray, NDArray] {
  const m = n / 2;
  return [
    constant(`tw-cos-${n}`, [m], (o) => o.forEach((_, k) => (o[k] = unitRoot(k, n)[0]))),
    constant(`tw-sin-${n}-${sign}`, [m], (o) => o.forEach((_, k) => (o[k] = sign * unitRoot(k, n)[1]))),
  ];
}

/** The unscaled DFT Σⱼ xⱼ e^{sign·2πijk/n} along the last axis of (re, im). */
function dftLast(re: NDArray, im: NDArray, sign: number): [NDArray, NDArray] {
  const n = re.shape[re.ndim - 1]!;
  if (n <= 1) return [re, im];
  if (isPowerOfTwo(n)) return radix2(re, im, sign);
  if (n <= DIRECT_MAX) return direct(re, im, sign);
  return bluestein(re, im, sign);
}

/**
 * Radix-2 decimation in time: X[k] = E[k] + wᵏ O[k], X[k + n/2] = E[k] − wᵏ O[k], where E and O are
 * the transforms of the even and odd samples. Both halves are transformed in one recursive call, as
 * a batch axis of size 2 (the reshape [.., n/2, 2] puts even samples at 0 and odd ones at 1).
 */
function radix2(re: NDArray, im: NDArray, sign: number): [NDArray, NDArray] {
  const n = re.shape[re.ndim - 1]!;
  if (n === 1) return [re, im];
  const m = n / 2;
  const lead = re.shape.slice(0, -1);
  const split = (x: NDArray) => moveaxis(reshape(x, [...lead, m, 2]), -1, -2);
  const [hr, hi] = radix2(split(re), split(im), sign);
  const [er, ei, or, oi] = [hr.get("...", 0, ":"), hi.get("...", 0, ":"), hr.get("...", 1, ":"), hi.get("...", 1, ":")];
  const [c, s] = twiddles(n, sign);
  const tr = or.mul(c).sub(oi.mul(s));
  const ti = or.mul(s).add(oi.mul(c));
  return [concatenate([er.add(tr), er.sub(tr)], { axis: -1 }), concatenate([ei.add(ti), ei.sub(ti)], { axis: -1 })];
}

/** The dense DFT: (re + i·im)·(C + i·sign·S) with C, S the n×n cosine and sine matrices. */
function direct(re: NDArray, im: NDArray, sign: number): [NDArray, NDArray] {
  const n = re.shape[re.ndim - 1]!;
  const fill = (o: Float64Array, part: 0 | 1, factor: number) => {
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) o[j * n + k] = factor * unitRoot((j * k) % n, n)[part];
  };
  const C = constant(`dft-cos-${n}`, [n, n], (o) => fill(o, 0, 1));
  const S = constant(`dft-sin-${n}-${sign}`, [n, n], (o) => fill(o, 1, sign));
  return [matmul(re, C).sub(matmul(im, S)), matmul(im, C).add(matmul(re, S))];
}

/**
 * Bluestein's algorithm: with cⱼ = e^{sign·πij²/n}, jk = (j² + k² − (k−j)²)/2 gives
 * Xₖ = cₖ Σⱼ (xⱼcⱼ)·conj(c_{k−j}), a convolution, computed with power-of-two transforms of length
 * M ≥ 2n − 1. j² is reduced mod 2n first, which keeps the chirp exact to rounding.
 */
function bluestein(re: NDArray, im: NDArray, sign: number): [NDArray, NDArray] {
  const n = re.shape[re.ndim - 1]!;
  let M = 1;
  while (M < 2 * n - 1) M *= 2;
  const chirp = (j: number) => unitRoot((j * j) % (2 * n), 2 * n); // e^{πij²/n}
  const cr = constant(`bs-cr-${n}`, [n], (o) => o.forEach((_, j) => (o[j] = chirp(j)[0])));
  const ci = constant(`bs-ci-${n}-${sign}`, [n], (o) => o.forEach((_, j) => (o[j] = sign * chirp(j)[1])));
  // The transform of b (bₘ = conj(cₘ) at m and M − m), computed once, eagerly.
  const key = `bs-b-${n}-${sign}`;
  let Br = recall(key);
  let Bi = recall(`${key}-im`);
  if (!Br || !Bi) {
    const br = new Float64Array(M);
    const bi = new Float64Array(M);
    for (let m = 0; m < n; m++) {
      const [x, y] = [chirp(m)[0], -sign * chirp(m)[1]];
      br[m] = x;
      bi[m] = y;
      if (m > 0) {
        br[M - m] = x;
        bi[M - m] = y;
      }
    }
    [Br, Bi] = radix2(new ConcreteArray(br, [M], "float64"), new ConcreteArray(bi, [M], "float64"), -1);
    remember(key, Br);
    remember(`${key}-im`, Bi);
  }
  const widths = [...re.shape.slice(0, -1).map(() => [0, 0]), [0, M - n]];
  const ar = pad(re.mul(cr).sub(im.mul(ci)), widths);
  const ai = pad(re.mul(ci).add(im.mul(cr)), widths);
  const [Ar, Ai] = radix2(ar, ai, -1);
  const [vr, vi] = radix2(Ar.mul(Br).sub(Ai.mul(Bi)), Ar.mul(Bi).add(Ai.mul(Br)), 1);
  const conv = (x: NDArray) => x.get("...", `:${n}`).mul(1 / M);
  const [wr, wi] = [conv(vr), conv(vi)];
  return [wr.mul(cr).sub(wi.mul(ci)), wr.mul(ci).add(wi.mul(cr))];
}

/** `x` cut or zero-padded at the end to length `n` along `axis` (NumPy's `n` argument). */
function resized(x: NDArray, n: number, axis: number, op: string): NDArray {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${op}: invalid number of data points (${n}) specified; it must be a positive integer`);
  const len = x.shape[axis]!;
  if (n === len) return x;
  if (n < len) return x.get(...x.shape.map((_, i) => (i === axis ? `:${n}` : ":")));
  return pad(x, x.shape.map((_, i) => (i === axis ? [0, n - len] : [0, 0])));
}

/** One transform along `axis`, with NumPy's `n` and `norm`; `inverse` picks the sign and default scaling. */
function transform(x: ComplexArray | ArrayLike, op: string, inverse: boolean, opts: FftOptions): ComplexArray {
  let [re, im] = parts(x, op);
  if (re.ndim === 0) throw new ShapeError(`${op}: the input must have at least one axis, got a 0-d array`);
  const axis = normAxis(op, opts.axis ?? -1, re.ndim);
  if (opts.n !== undefined) [re, im] = [resized(re, opts.n, axis, op), resized(im, opts.n, axis, op)];
  const n = re.shape[axis]!;
  if (n === 0) throw new ShapeError(`${op}: invalid number of data points (0) along axis ${axis}`);
  const last = re.ndim - 1;
  const [yr, yi] = dftLast(moveaxis(re, axis, last), moveaxis(im, axis, last), inverse ? 1 : -1);
  const scale = scaling(opts.norm ?? "backward", n, inverse, op);
  const back = (y: NDArray) => moveaxis(scale === 1 ? y : y.mul(scale), last, axis);
  return new ComplexArray(back(yr), back(yi));
}

function scaling(norm: FftNorm, n: number, inverse: boolean, op: string): number {
  if (norm === "ortho") return 1 / Math.sqrt(n);
  if (norm === "backward") return inverse ? 1 / n : 1;
  if (norm === "forward") return inverse ? 1 : 1 / n;
  throw new TypeError(`${op}: invalid norm '${String(norm)}'; use 'backward', 'ortho' or 'forward'`);
}

/** The options of the one-dimensional transforms (`fft`, `ifft`, `rfft`, `irfft`): NumPy's `n`, `axis`, `norm`. */
export interface FftOptions {
  /** Length of the transformed axis: the input is cut or zero-padded to it. */
  n?: number;
  /** The axis to transform (default −1). */
  axis?: number;
  /** Scaling, as NumPy: "backward" (default), "ortho" or "forward". */
  norm?: FftNorm;
}

/** The options of the n-dimensional transforms (`fft2`, `ifft2`, `fftn`, `ifftn`): NumPy's `s`, `axes`, `norm`. */
export interface FftNOptions {
  /** Lengths of the transformed axes (NumPy's `s`). */
  s?: readonly number[];
  /** The axes to transform (default: the last `s.length`, or all). */
  axes?: readonly number[];
  /** Scaling, as NumPy: "backward" (default), "ortho" or "forward". */
  norm?: FftNorm;
}

/**
 * `np.fft.fft(a, {n, axis, norm})`: the discrete Fourier transform Xₖ = Σⱼ aⱼ e^{−2πijk/n}.
 * @example
 * np.fft.fft([1, 2, 3, 4]).real; // [10, -2, -2, -2]
 * np.fft.fft([1, 2, 3, 4]).imag; // [0, 2, 0, -2]
 */
export const fft = (a: ComplexArray | ArrayLike, opts: FftOptions | number = {}): ComplexArray => transform(a, "np.fft.fft", false, fftOpts(opts));

/**
 * `np.fft.ifft(a, {n, axis, norm})`: the inverse transform, (1/n) Σₖ Xₖ e^{2πijk/n}.
 * @example
 * np.fft.ifft(np.fft.fft([1, 2, 3])).real; // [1, 2, 3]
 */
export const ifft = (a: ComplexArray | ArrayLike, opts: FftOptions | number = {}): ComplexArray => transform(a, "np.fft.ifft", true, ifftOpts(opts));

/** The axes and lengths of an n-dimensional transform, as NumPy chooses them. */
function axesAndSizes(ndim: number, opts: FftNOptions, op: string, defaultAxes: readonly number[] | null): [number[], (number | undefined)[]] {
  const axes = opts.axes ?? defaultAxes ?? (opts.s ? opts.s.map((_, i) => ndim - opts.s!.length + i) : Array.from({ length: ndim }, (_, i) => i));
  if (opts.s && opts.s.length !== axes.length) throw new ShapeError(`${op}: s and axes have different lengths (${opts.s.length} and ${axes.length})`);
  return [axes.map((ax) => normAxis(op, ax, ndim)), axes.map((_, i) => opts.s?.[i])];
}

function transformN(a: ComplexArray | ArrayLike, op: string, inverse: boolean, opts: FftNOptions, defaultAxes: readonly number[] | null): ComplexArray {
  opts = fftnOpts.get(op)!(opts) as FftNOptions;
  let z = a instanceof ComplexArray ? a : new ComplexArray(...parts(a, op));
  const [axes, sizes] = axesAndSizes(z.ndim, opts, op, defaultAxes);
  axes.forEach((axis, i) => {
    z = transform(z, op, inverse, { axis, n: sizes[i], norm: opts.norm });
  });
  return z;
}

/**
 * `np.fft.fft2(a, {s, axes = [−2, −1], norm})`.
 * @example
 * np.fft.fft2([[1, 2], [3, 4]]).real; // [[10, -2], [-4, 0]]
 */
export const fft2 = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): ComplexArray => transformN(a, "np.fft.fft2", false, opts, [-2, -1]);
/**
 * `np.fft.ifft2(a, {s, axes = [−2, −1], norm})`.
 * @example
 * np.fft.ifft2(np.fft.fft2([[1, 2], [3, 4]])).real; // [[1, 2], [3, 4]]
 */
export const ifft2 = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): ComplexArray => transformN(a, "np.fft.ifft2", true, opts, [-2, -1]);
/**
 * `np.fft.fftn(a, {s, axes, norm})`: over all axes by default.
 * @example
 * np.fft.fftn([[1, 2], [3, 4]]).real; // [[10, -2], [-4, 0]]
 */
export const fftn = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): ComplexArray => transformN(a, "np.fft.fftn", false, opts, null);
/**
 * `np.fft.ifftn(a, {s, axes, norm})`.
 * @example
 * np.fft.ifftn(np.fft.fftn([[1, 2], [3, 4]])).real; // [[1, 2], [3, 4]]
 */
export const ifftn = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): ComplexArray => transformN(a, "np.fft.ifftn", true, opts, null);

/** A real array for the real-input transforms (a `ComplexArray` is refused rather than silently cut to its real part). */
function realInput(a: ComplexArray | ArrayLike, op: string): NDArray {
  if (a instanceof ComplexArray) throw new TypeError(`${op}: the input must be real; pass its .real part explicitly`);
  return parts(a, op)[0];
}

/**
 * `np.fft.rfft(a, {n, axis, norm})`: the transform of a real array, terms 0 … n/2 (the rest are
 * their conjugates).
 * @example
 * np.fft.rfft([1, 2, 3, 4]).real; // [10, -2, -2]
 */
export function rfft(a: ArrayLike, opts: FftOptions | number = {}): ComplexArray {
  opts = rfftOpts(opts);
  const x = realInput(a, "np.fft.rfft");
  const full = transform(x, "np.fft.rfft", false, opts);
  const axis = normAxis("np.fft.rfft", opts.axis ?? -1, x.ndim);
  const half = Math.floor(full.shape[axis]! / 2) + 1;
  return full.get(...full.shape.map((_, i) => (i === axis ? `:${half}` : ":")));
}

/**
 * `np.fft.irfft(a, {n, axis, norm})`: the real array of length n (default 2(m − 1)) whose `rfft`
 * is `a`: the spectrum is extended by Hermitian symmetry, as NumPy does (so the imaginary parts of
 * the zero and Nyquist terms are ignored).
 * @example
 * np.fft.irfft(np.fft.rfft([1, 2, 3, 4])); // [1, 2, 3, 4]
 */
export function irfft(a: ComplexArray | ArrayLike, opts: FftOptions | number = {}): NDArray {
  opts = irfftOpts(opts);
  const op = "np.fft.irfft";
  const z0 = a instanceof ComplexArray ? a : new ComplexArray(...parts(a, op));
  if (z0.ndim === 0) throw new ShapeError(`${op}: the input must have at least one axis, got a 0-d array`);
  const axis = normAxis(op, opts.axis ?? -1, z0.ndim);
  const n = opts.n ?? 2 * (z0.shape[axis]! - 1);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${op}: invalid number of data points (${n}) specified`);
  const half = Math.floor(n / 2) + 1;
  const z = new ComplexArray(resized(z0.real, half, axis, op), resized(z0.imag, half, axis, op));
  // X[n − k] = conj(X[k]) for k = 1 … n − n/2 − 1, appended in reverse order.
  const idx = (spec: string) => z.shape.map((_, i) => (i === axis ? spec : ":"));
  const tail = z.get(...idx(`1:${n - half + 1}`)).conj();
  const rev = (x: NDArray) => flip(x, { axis });
  const full = new ComplexArray(concatenate([z.real, rev(tail.real)], { axis }), concatenate([z.imag, rev(tail.imag)], { axis }));
  return transform(full, op, true, { axis, norm: opts.norm }).real;
}

/**
 * `np.fft.fftfreq(n, d = 1)`: the frequencies of the terms of an n-point transform with sample
 * spacing d: [0, 1, …, ⌈n/2⌉ − 1, −⌊n/2⌋, …, −1] / (d·n).
 * @example
 * np.fft.fftfreq(4); // [0, 0.25, -0.5, -0.25]
 */
export function fftfreq(n: number, d = 1): NDArray {
  requireStatic("np.fft.fftfreq", "n", n, "a size");
  requireStatic("np.fft.fftfreq", "d", d, "a number");
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`np.fft.fftfreq: n must be a positive integer, got ${n}`);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = (k < Math.ceil(n / 2) ? k : k - n) / (d * n);
  return new ConcreteArray(out, [n], "float64");
}

/**
 * `np.fft.rfftfreq(n, d = 1)`: the frequencies of the terms of `rfft`: [0, 1, …, ⌊n/2⌋] / (d·n).
 * @example
 * np.fft.rfftfreq(4); // [0, 0.25, 0.5]
 */
export function rfftfreq(n: number, d = 1): NDArray {
  requireStatic("np.fft.rfftfreq", "n", n, "a size");
  requireStatic("np.fft.rfftfreq", "d", d, "a number");
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`np.fft.rfftfreq: n must be a positive integer, got ${n}`);
  const out = new Float64Array(Math.floor(n / 2) + 1);
  for (let k = 0; k < out.length; k++) out[k] = k / (d * n);
  return new ConcreteArray(out, [out.length], "float64");
}

function shifted<T extends ComplexArray | NDArray>(x: T | ArrayLike, axes: number | readonly number[] | undefined, inverse: boolean, op: string): T {
  requireStatic(op, "axes", axes, "an axis");
  const roll1 = (a: NDArray): NDArray => {
    const list = axes === undefined ? a.shape.map((_, i) => i) : typeof axes === "number" ? [axes] : axes;
    const norm = list.map((ax) => normAxis(op, ax, a.ndim));
    return roll(a, norm.map((ax) => (inverse ? -Math.floor(a.shape[ax]! / 2) : Math.floor(a.shape[ax]! / 2))), { axis: norm });
  };
  if (x instanceof ComplexArray) return new ComplexArray(roll1(x.real), roll1(x.imag)) as T;
  return roll1(asarray(x as ArrayLike, undefined, op, "x")) as T;
}

/**
 * `np.fft.fftshift(x, {axes})`: moves the zero-frequency term to the centre (all axes by default).
 * @example
 * np.fft.fftshift(np.fft.fftfreq(4)); // [-0.5, -0.25, 0, 0.25]
 */
export function fftshift(x: ArrayLike, opts?: { axes?: number | readonly number[] }): NDArray;
export function fftshift(x: ComplexArray, opts?: { axes?: number | readonly number[] }): ComplexArray;
export function fftshift(x: ComplexArray | ArrayLike, opts: { axes?: number | readonly number[] } = {}): ComplexArray | NDArray {
  return shifted(x, fftshiftOpts(opts).axes ?? undefined, false, "np.fft.fftshift");
}

/**
 * `np.fft.ifftshift(x, {axes})`: the inverse of `fftshift`.
 * @example
 * np.fft.ifftshift([-2, -1, 0, 1, 2]); // [0, 1, 2, -2, -1]
 */
export function ifftshift(x: ArrayLike, opts?: { axes?: number | readonly number[] }): NDArray;
export function ifftshift(x: ComplexArray, opts?: { axes?: number | readonly number[] }): ComplexArray;
export function ifftshift(x: ComplexArray | ArrayLike, opts: { axes?: number | readonly number[] } = {}): ComplexArray | NDArray {
  return shifted(x, ifftshiftOpts(opts).axes ?? undefined, true, "np.fft.ifftshift");
}
