/**
 * @file `np.fft`: discrete Fourier transforms of real and complex arrays, returning complex arrays
 * (complex128, or complex64 for float32/complex64 input) as NumPy does.
 *
 * Every transform is the `fft` primitive (primitives/fft.ts: the unscaled transform along one
 * axis, linear, its own transpose) plus cutting/padding, scaling and real/imaginary parts, all of
 * them primitives, so the functions are differentiable to any order, forward and reverse, and batch
 * under `vmap`. The kernels (kernels/fft.ts) take radix-2 for powers of two, a direct sum up to 64
 * points and Bluestein's algorithm above; roots of unity are exact at quarter turns, errors grow
 * like ε·log n.
 *
 * `rfft`-family functions take real input (a complex array is a `TypeError`, where NumPy would
 * drop the imaginary part with a warning); `irfft`/`hfft` return real arrays. A `ComplexArray`
 * (deprecated) is still accepted wherever an array is.
 */
import { NDArray, ConcreteArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { concatenate } from "./shape.ts";
import { flip, roll } from "./rearrange.ts";
import { pad } from "./pad.ts";
import { normAxis } from "./broadcast.ts";
import { ComplexArray, complex as makeComplex } from "./complex.ts";
import { ShapeError } from "../core/errors.ts";
import { complexDtype, isComplex } from "../core/dtype.ts";
import { convert } from "../primitives/structural.ts";
import { conj, real } from "../primitives/complex.ts";
import { fftAlong } from "../primitives/fft.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const fftSchema = { n: P.posInt, axis: P.axis, norm: P.oneOf("backward", "ortho", "forward") } as const;
const fftnSchema = { s: P.arrayOf(P.posInt, "an array of positive integers"), axes: P.intList, norm: P.oneOf("backward", "ortho", "forward") } as const;
const oneDimOpts = new Map(
  ["np.fft.fft", "np.fft.ifft", "np.fft.rfft", "np.fft.irfft", "np.fft.hfft", "np.fft.ihfft"].map((fn) => [fn, P.options(fn, fftSchema, { positional: "n" })]),
);
const fftnOpts = new Map(
  ["np.fft.fft2", "np.fft.ifft2", "np.fft.fftn", "np.fft.ifftn", "np.fft.rfft2", "np.fft.irfft2", "np.fft.rfftn", "np.fft.irfftn"].map((fn) => [fn, P.options(fn, fftnSchema)]),
);
const fftshiftOpts = P.options("np.fft.fftshift", { axes: P.axes });
const ifftshiftOpts = P.options("np.fft.ifftshift", { axes: P.axes });

export { ComplexArray };

/** How a transform is scaled: NumPy's `norm` ("backward": the inverse divides by n). */
export type FftNorm = "backward" | "ortho" | "forward";

/** An array as a complex one: complex input as it is, float32 → complex64, anything else complex128. */
function toComplex(a: ComplexArray | ArrayLike, op: string): NDArray {
  if (a instanceof ComplexArray) return makeComplex(a.real, a.imag);
  const x = asarray(a, undefined, op, "a");
  if (isComplex(x.dtype)) return x;
  return convert(x, complexDtype(x.dtype === "float32" ? "float32" : "float64"));
}

/** `x` cut or zero-padded at the end to length `n` along `axis` (NumPy's `n` argument). */
function resized(x: NDArray, n: number, axis: number, op: string): NDArray {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${op}: invalid number of data points (${n}) specified; it must be a positive integer`);
  const len = x.shape[axis]!;
  if (n === len) return x;
  if (n < len) return x.get(...x.shape.map((_, i) => (i === axis ? `:${n}` : ":")));
  return pad(x, x.shape.map((_, i) => (i === axis ? [0, n - len] : [0, 0])));
}

function scaling(norm: FftNorm, n: number, inverse: boolean, op: string): number {
  if (norm === "ortho") return 1 / Math.sqrt(n);
  if (norm === "backward") return inverse ? 1 / n : 1;
  if (norm === "forward") return inverse ? 1 : 1 / n;
  throw new TypeError(`${op}: invalid norm '${String(norm)}'; use 'backward', 'ortho' or 'forward'`);
}

/** hfft and ihfft scale as the opposite direction: "backward" ↔ "forward". */
const swapped = (norm: FftNorm | undefined): FftNorm => (norm === "ortho" ? "ortho" : norm === "forward" ? "backward" : "forward");

/** The complex transform of complex `z` along one axis, with NumPy's `n` and `norm`; `inverse` picks the sign and default scaling. */
function transform(z: NDArray, op: string, inverse: boolean, opts: FftOptions): NDArray {
  if (z.ndim === 0) throw new ShapeError(`${op}: the input must have at least one axis, got a 0-d array`);
  const axis = normAxis(op, opts.axis ?? -1, z.ndim);
  if (opts.n !== undefined) z = resized(z, opts.n, axis, op);
  const n = z.shape[axis]!;
  if (n === 0) throw new ShapeError(`${op}: invalid number of data points (0) along axis ${axis}`);
  const y = fftAlong(z, axis, inverse);
  const scale = scaling(opts.norm ?? "backward", n, inverse, op);
  return scale === 1 ? y : y.mul(scale);
}

/** The options of the one-dimensional transforms (`fft`, `ifft`, `rfft`, `irfft`, `hfft`, `ihfft`): NumPy's `n`, `axis`, `norm`. */
export interface FftOptions {
  /** Length of the transformed axis: the input is cut or zero-padded to it. */
  n?: number;
  /** The axis to transform (default −1). */
  axis?: number;
  /** Scaling, as NumPy: "backward" (default), "ortho" or "forward". */
  norm?: FftNorm;
}

/** The options of the n-dimensional transforms (`fft2`, `fftn`, `rfftn`, … and inverses): NumPy's `s`, `axes`, `norm`. */
export interface FftNOptions {
  /** Lengths of the transformed axes (NumPy's `s`). */
  s?: readonly number[];
  /** The axes to transform (default: the last `s.length`, or all). */
  axes?: readonly number[];
  /** Scaling, as NumPy: "backward" (default), "ortho" or "forward". */
  norm?: FftNorm;
}

const parse1 = (op: string, opts: FftOptions | number): FftOptions => oneDimOpts.get(op)!(opts) as FftOptions;

/**
 * `np.fft.fft(a, {n, axis, norm})`: the discrete Fourier transform Xₖ = Σⱼ aⱼ e^{−2πijk/n}, complex.
 * @example
 * np.real(np.fft.fft([1, 2, 3, 4])); // [10, -2, -2, -2]
 * np.imag(np.fft.fft([1, 2, 3, 4])); // [0, 2, 0, -2]
 */
export const fft = (a: ComplexArray | ArrayLike, opts: FftOptions | number = {}): NDArray =>
  transform(toComplex(a, "np.fft.fft"), "np.fft.fft", false, parse1("np.fft.fft", opts));

/**
 * `np.fft.ifft(a, {n, axis, norm})`: the inverse transform, (1/n) Σₖ Xₖ e^{2πijk/n}, complex.
 * @example
 * np.real(np.fft.ifft(np.fft.fft([1, 2, 3]))); // [1, 2, 3]
 */
export const ifft = (a: ComplexArray | ArrayLike, opts: FftOptions | number = {}): NDArray =>
  transform(toComplex(a, "np.fft.ifft"), "np.fft.ifft", true, parse1("np.fft.ifft", opts));

/** The axes and lengths of an n-dimensional transform, as NumPy chooses them. */
function axesAndSizes(ndim: number, opts: FftNOptions, op: string, defaultAxes: readonly number[] | null): [number[], (number | undefined)[]] {
  const axes = opts.axes ?? defaultAxes ?? (opts.s ? opts.s.map((_, i) => ndim - opts.s!.length + i) : Array.from({ length: ndim }, (_, i) => i));
  if (opts.s && opts.s.length !== axes.length) throw new ShapeError(`${op}: s and axes have different lengths (${opts.s.length} and ${axes.length})`);
  if (axes.length === 0) throw new ShapeError(`${op}: no axes to transform`);
  return [axes.map((ax) => normAxis(op, ax, ndim)), axes.map((_, i) => opts.s?.[i])];
}

function transformN(a: ComplexArray | ArrayLike, op: string, inverse: boolean, opts: FftNOptions, defaultAxes: readonly number[] | null): NDArray {
  opts = fftnOpts.get(op)!(opts) as FftNOptions;
  let z = toComplex(a, op);
  if (z.ndim === 0) throw new ShapeError(`${op}: the input must have at least one axis, got a 0-d array`);
  const [axes, sizes] = axesAndSizes(z.ndim, opts, op, defaultAxes);
  axes.forEach((axis, i) => {
    z = transform(z, op, inverse, { axis, n: sizes[i], norm: opts.norm });
  });
  return z;
}

/**
 * `np.fft.fft2(a, {s, axes = [−2, −1], norm})`.
 * @example
 * np.real(np.fft.fft2([[1, 2], [3, 4]])); // [[10, -2], [-4, 0]]
 */
export const fft2 = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): NDArray => transformN(a, "np.fft.fft2", false, opts, [-2, -1]);
/**
 * `np.fft.ifft2(a, {s, axes = [−2, −1], norm})`.
 * @example
 * np.real(np.fft.ifft2(np.fft.fft2([[1, 2], [3, 4]]))); // [[1, 2], [3, 4]]
 */
export const ifft2 = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): NDArray => transformN(a, "np.fft.ifft2", true, opts, [-2, -1]);
/**
 * `np.fft.fftn(a, {s, axes, norm})`: over all axes by default.
 * @example
 * np.real(np.fft.fftn([[1, 2], [3, 4]])); // [[10, -2], [-4, 0]]
 */
export const fftn = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): NDArray => transformN(a, "np.fft.fftn", false, opts, null);
/**
 * `np.fft.ifftn(a, {s, axes, norm})`.
 * @example
 * np.real(np.fft.ifftn(np.fft.fftn([[1, 2], [3, 4]]))); // [[1, 2], [3, 4]]
 */
export const ifftn = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): NDArray => transformN(a, "np.fft.ifftn", true, opts, null);

/** A real array for the real-input transforms (a complex one is refused rather than silently cut to its real part). */
function realInput(a: ComplexArray | ArrayLike, op: string): NDArray {
  const x = a instanceof ComplexArray ? a.real : asarray(a, undefined, op, "a");
  if (a instanceof ComplexArray || isComplex(x.dtype)) throw new TypeError(`${op}: the input must be real, got a complex array; pass np.real(a) explicitly`);
  return x;
}

/** The first ⌊n/2⌋ + 1 terms along `axis` of a full transform. */
function halfSpectrum(full: NDArray, axis: number): NDArray {
  const half = Math.floor(full.shape[axis]! / 2) + 1;
  return full.get(...full.shape.map((_, i) => (i === axis ? `:${half}` : ":")));
}

function rfftImpl(a: ComplexArray | ArrayLike, op: string, opts: FftOptions): NDArray {
  const x = realInput(a, op);
  if (x.ndim === 0) throw new ShapeError(`${op}: the input must have at least one axis, got a 0-d array`);
  const full = transform(toComplex(x, op), op, false, opts);
  return halfSpectrum(full, normAxis(op, opts.axis ?? -1, x.ndim));
}

/**
 * `np.fft.rfft(a, {n, axis, norm})`: the transform of a real array, terms 0 … ⌊n/2⌋ (the rest are
 * their conjugates), complex.
 * @example
 * np.real(np.fft.rfft([1, 2, 3, 4])); // [10, -2, -2]
 */
export const rfft = (a: ArrayLike, opts: FftOptions | number = {}): NDArray => rfftImpl(a, "np.fft.rfft", parse1("np.fft.rfft", opts));

/** The full spectrum from its first terms along `axis`, extended by Hermitian symmetry X[n − k] = conj X[k], then inverse-transformed: the real part. */
function irfftImpl(a: ComplexArray | ArrayLike, op: string, opts: FftOptions, conjugate: boolean): NDArray {
  let z = toComplex(a, op);
  if (z.ndim === 0) throw new ShapeError(`${op}: the input must have at least one axis, got a 0-d array`);
  if (conjugate) z = conj(z);
  const axis = normAxis(op, opts.axis ?? -1, z.ndim);
  const n = opts.n ?? 2 * (z.shape[axis]! - 1);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${op}: invalid number of data points (${n}) specified`);
  const half = Math.floor(n / 2) + 1;
  z = resized(z, half, axis, op);
  const idx = (spec: string) => z.shape.map((_, i) => (i === axis ? spec : ":"));
  const full = n - half > 0 ? concatenate([z, flip(conj(z.get(...idx(`1:${n - half + 1}`))), { axis })], { axis }) : z;
  // The imaginary parts of the zero (and, for even n, Nyquist) terms only reach the imaginary part
  // of the result, which `real` drops: NumPy ignores them too.
  return real(transform(full, op, true, { axis, norm: opts.norm }));
}

/**
 * `np.fft.irfft(a, {n, axis, norm})`: the real array of length n (default 2(m − 1)) whose `rfft`
 * is `a`: the spectrum is extended by Hermitian symmetry, as NumPy does (so the imaginary parts of
 * the zero and Nyquist terms are ignored).
 * @example
 * np.fft.irfft(np.fft.rfft([1, 2, 3, 4])); // [1, 2, 3, 4]
 */
export const irfft = (a: ComplexArray | ArrayLike, opts: FftOptions | number = {}): NDArray =>
  irfftImpl(a, "np.fft.irfft", parse1("np.fft.irfft", opts), false);

/**
 * `np.fft.hfft(a, {n, axis, norm})`: the transform of a Hermitian-symmetric signal given by its
 * first half `a`, a real array of length n (default 2(m − 1)): `irfft(conj(a))` scaled as a forward
 * transform.
 * @example
 * np.fft.hfft([1, 2, 3]); // [8, -2, 0, -2]
 */
export function hfft(a: ComplexArray | ArrayLike, opts: FftOptions | number = {}): NDArray {
  const o = parse1("np.fft.hfft", opts);
  return irfftImpl(a, "np.fft.hfft", { ...o, norm: swapped(o.norm) }, true);
}

/**
 * `np.fft.ihfft(a, {n, axis, norm})`: the inverse of `hfft`: `conj(rfft(a))` scaled as an inverse
 * transform, terms 0 … ⌊n/2⌋, complex.
 * @example
 * np.real(np.fft.ihfft([8, -2, 0, -2])); // [1, 2, 3]
 */
export function ihfft(a: ArrayLike, opts: FftOptions | number = {}): NDArray {
  const o = parse1("np.fft.ihfft", opts);
  return conj(rfftImpl(a, "np.fft.ihfft", { ...o, norm: swapped(o.norm) }));
}

/** rfftn: rfft along the last of the axes, then complex transforms along the others. */
function rfftnImpl(a: ArrayLike, op: string, opts: FftNOptions, defaultAxes: readonly number[] | null): NDArray {
  opts = fftnOpts.get(op)!(opts) as FftNOptions;
  const x = realInput(a, op);
  if (x.ndim === 0) throw new ShapeError(`${op}: the input must have at least one axis, got a 0-d array`);
  const [axes, sizes] = axesAndSizes(x.ndim, opts, op, defaultAxes);
  const last = axes.length - 1;
  let z = rfftImpl(x, op, { axis: axes[last]!, n: sizes[last], norm: opts.norm });
  for (let i = 0; i < last; i++) z = transform(z, op, false, { axis: axes[i]!, n: sizes[i], norm: opts.norm });
  return z;
}

/** irfftn: complex inverse transforms along all but the last of the axes, then irfft along it (length s[−1], default 2(m − 1)). */
function irfftnImpl(a: ComplexArray | ArrayLike, op: string, opts: FftNOptions, defaultAxes: readonly number[] | null): NDArray {
  opts = fftnOpts.get(op)!(opts) as FftNOptions;
  let z = toComplex(a, op);
  if (z.ndim === 0) throw new ShapeError(`${op}: the input must have at least one axis, got a 0-d array`);
  const [axes, sizes] = axesAndSizes(z.ndim, opts, op, defaultAxes);
  const last = axes.length - 1;
  for (let i = 0; i < last; i++) z = transform(z, op, true, { axis: axes[i]!, n: sizes[i], norm: opts.norm });
  return irfftImpl(z, op, { axis: axes[last]!, ...(sizes[last] === undefined ? {} : { n: sizes[last] }), norm: opts.norm }, false);
}

/**
 * `np.fft.rfft2(a, {s, axes = [−2, −1], norm})`: `rfftn` over two axes.
 * @example
 * np.real(np.fft.rfft2([[1, 2], [3, 4]])); // [[10, -2], [-4, 0]]
 */
export const rfft2 = (a: ArrayLike, opts: FftNOptions = {}): NDArray => rfftnImpl(a, "np.fft.rfft2", opts, [-2, -1]);
/**
 * `np.fft.irfft2(a, {s, axes = [−2, −1], norm})`: the inverse of `rfft2`.
 * @example
 * np.fft.irfft2(np.fft.rfft2([[1, 2], [3, 4]])); // [[1, 2], [3, 4]]
 */
export const irfft2 = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): NDArray => irfftnImpl(a, "np.fft.irfft2", opts, [-2, -1]);
/**
 * `np.fft.rfftn(a, {s, axes, norm})`: the real-input transform over several axes (all by default),
 * halved along the last.
 * @example
 * np.real(np.fft.rfftn([[1, 2], [3, 4]])); // [[10, -2], [-4, 0]]
 */
export const rfftn = (a: ArrayLike, opts: FftNOptions = {}): NDArray => rfftnImpl(a, "np.fft.rfftn", opts, null);
/**
 * `np.fft.irfftn(a, {s, axes, norm})`: the inverse of `rfftn`.
 * @example
 * np.fft.irfftn(np.fft.rfftn([[1, 2], [3, 4]])); // [[1, 2], [3, 4]]
 */
export const irfftn = (a: ComplexArray | ArrayLike, opts: FftNOptions = {}): NDArray => irfftnImpl(a, "np.fft.irfftn", opts, null);

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

function shifted(x: ComplexArray | ArrayLike, axes: number | readonly number[] | undefined, inverse: boolean, op: string): NDArray {
  requireStatic(op, "axes", axes, "an axis");
  const a = x instanceof ComplexArray ? makeComplex(x.real, x.imag) : asarray(x, undefined, op, "x");
  const list = axes === undefined ? a.shape.map((_, i) => i) : typeof axes === "number" ? [axes] : axes;
  const norm = list.map((ax) => normAxis(op, ax, a.ndim));
  return roll(a, norm.map((ax) => (inverse ? -Math.floor(a.shape[ax]! / 2) : Math.floor(a.shape[ax]! / 2))), { axis: norm });
}

/**
 * `np.fft.fftshift(x, {axes})`: moves the zero-frequency term to the centre (all axes by default).
 * @example
 * np.fft.fftshift(np.fft.fftfreq(4)); // [-0.5, -0.25, 0, 0.25]
 */
export function fftshift(x: ComplexArray | ArrayLike, opts: { axes?: number | readonly number[] } = {}): NDArray {
  return shifted(x, fftshiftOpts(opts).axes ?? undefined, false, "np.fft.fftshift");
}

/**
 * `np.fft.ifftshift(x, {axes})`: the inverse of `fftshift`.
 * @example
 * np.fft.ifftshift([-2, -1, 0, 1, 2]); // [0, 1, 2, -2, -1]
 */
export function ifftshift(x: ComplexArray | ArrayLike, opts: { axes?: number | readonly number[] } = {}): NDArray {
  return shifted(x, ifftshiftOpts(opts).axes ?? undefined, true, "np.fft.ifftshift");
}
