/**
 * @file `scipy.signal`: N-d `convolve` and `correlate` (and their 2-D forms), differentiable in both
 * inputs; the computation is `numpy/signal.ts`'s sliding-window contraction.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray } from "../numpy/creation.ts";
import { convolveCore, modeWindow, checkMode, type ConvolveMode } from "../numpy/signal.ts";
import * as s from "../primitives/structural.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import * as P from "../core/parse.ts";
import { isFloat, isInexact, promote } from "../core/dtype.ts";
import { conv } from "../primitives/conv.ts";
import { flip } from "../primitives/reduce.ts";

const modeSchema = { mode: P.oneOf("full", "same", "valid") } as const;
const axesPair = P.check("a pair [axesOfIn1, axesOfIn2] of integer lists", (u) => Array.isArray(u) && u.length === 2 && u.every((l) => Array.isArray(l) && l.every(Number.isInteger)));
const convolveOpts = P.options("scipy.signal.convolve", { ...modeSchema, axes: axesPair, dotAxes: axesPair });
const correlateOpts = P.options("scipy.signal.correlate", modeSchema);
const convolve2dOpts = P.options("scipy.signal.convolve2d", modeSchema);
const correlate2dOpts = P.options("scipy.signal.correlate2d", modeSchema);

export type { ConvolveMode };

function inputs(op: string, in1: ArrayLike, in2: ArrayLike, ndim?: number): [NDArray, NDArray] {
  const a = asarray(in1, undefined, op, "in1");
  const b = asarray(in2, undefined, op, "in2");
  if (a.ndim !== b.ndim) {
    throw new ShapeError(`${op}: in1 and in2 should have the same dimensionality, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  if (ndim !== undefined && a.ndim !== ndim) throw new ShapeError(`${op}: inputs must both be ${ndim}-D arrays, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return [a, b];
}

function convolveNd(op: string, a: NDArray, b: NDArray, mode: ConvolveMode): NDArray {
  if (a.ndim === 0) return a.mul(b);
  if (mode === "valid") {
    const aBig = a.shape.every((d, i) => d >= b.shape[i]!);
    const bBig = b.shape.every((d, i) => d >= a.shape[i]!);
    if (!aBig && !bBig) {
      throw new ShapeError(
        `${op}: for 'valid' mode, one must be at least as large as the other in every dimension; got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
      );
    }
    if (!aBig) [a, b] = [b, a];
  }
  const win = a.shape.map((na, i) => modeWindow(mode, na, b.shape[i]!));
  return convolveCore(a, b, win.map((w) => w[0]), win.map((w) => w[1]));
}

const flipAll = (x: NDArray): NDArray => (x.size === 0 ? x : s.slice(x, x.shape.map((n) => n - 1), x.shape.map(() => -1), x.shape));

/** Options of `convolve`: autograd's `axes` (convolved) and `dotAxes` (contracted) pairs. */
export interface ConvolveOptions {
  readonly mode?: ConvolveMode;
  /** `[axesOfIn1, axesOfIn2]`, convolved pairwise (default: every axis of both). */
  readonly axes?: readonly [readonly number[], readonly number[]];
  /** `[axesOfIn1, axesOfIn2]`, summed over pairwise, as a tensor dot (default: none). */
  readonly dotAxes?: readonly [readonly number[], readonly number[]];
}

/**
 * `scipy.signal.convolve(in1, in2, {mode})`: N-d convolution; `'full'` (default), `'same'` (the size
 * of `in1`, centred) or `'valid'` (where the inputs overlap completely). Differentiable in both.
 * With autograd's `axes`/`dotAxes` (`autograd.scipy.signal.convolve(A, B, axes, dot_axes, mode)`),
 * only the `axes` pairs are convolved and the `dotAxes` pairs are summed over; the result is laid
 * out [in1's other axes…, in2's other axes…, convolved axes…] and computed as one
 * `lax.convGeneralDilated` (the other axes become batch and output features).
 * @example
 * scipy.signal.convolve([1, 2, 3], [0, 1, 0.5]); // [0, 1, 2.5, 4, 1.5]
 * const images = np.ones([5, 2, 6, 6]), kernels = np.ones([2, 3, 3, 3]);
 * scipy.signal.convolve(images, kernels, { axes: [[2, 3], [2, 3]], dotAxes: [[1], [0]], mode: "valid" }).shape; // [5, 3, 4, 4]
 */
export function convolve(in1: ArrayLike, in2: ArrayLike, opts: ConvolveOptions = {}): NDArray {
  const op = "scipy.signal.convolve";
  opts = convolveOpts(opts) as ConvolveOptions;
  const mode = checkMode(op, opts.mode ?? "full");
  if (opts.axes === undefined && opts.dotAxes === undefined) {
    const [a, b] = inputs(op, in1, in2);
    return convolveNd(op, a, b, mode);
  }
  return convolveAxes(op, asarray(in1, undefined, op, "in1"), asarray(in2, undefined, op, "in2"), mode, opts);
}

function axisList(op: string, arg: string, axes: unknown, x: NDArray): number[] {
  if (!Array.isArray(axes) || !axes.every((a) => Number.isInteger(a) && a >= -x.ndim && a < x.ndim)) {
    throw new ShapeError(`${op}: ${arg} ${JSON.stringify(axes)} must be axes of an array of shape ${fmtShape(x.shape)}`);
  }
  return axes.map((a: number) => (a < 0 ? a + x.ndim : a));
}

/** autograd's convolve over chosen axes, as one canonical-layout convolution. */
function convolveAxes(op: string, a0: NDArray, b0: NDArray, mode: ConvolveMode, opts: ConvolveOptions): NDArray {
  const pair = (x: unknown, name: string) => {
    if (x !== undefined && (!Array.isArray(x) || x.length !== 2)) throw new TypeError(`${op}: ${name} must be a pair [axesOfIn1, axesOfIn2], got ${JSON.stringify(x)}`);
  };
  pair(opts.axes, "axes");
  pair(opts.dotAxes, "dotAxes");
  const dt = promote(a0.dtype, b0.dtype);
  // Complex operands stay complex: the convolution primitive is bilinear over complex numbers.
  const [a, b] = [s.convert(a0, isInexact(dt) ? dt : "float64"), s.convert(b0, isInexact(dt) ? dt : "float64")];
  const shapes = `in1 ${fmtShape(a.shape)}, in2 ${fmtShape(b.shape)}`;
  const [ca, cb] = opts.axes ? [axisList(op, "axes[0]", opts.axes[0], a), axisList(op, "axes[1]", opts.axes[1], b)] : [a.shape.map((_, i) => i), b.shape.map((_, i) => i)];
  const [da, db] = opts.dotAxes ? [axisList(op, "dotAxes[0]", opts.dotAxes[0], a), axisList(op, "dotAxes[1]", opts.dotAxes[1], b)] : [[], []];
  if (ca.length !== cb.length || da.length !== db.length) {
    throw new ShapeError(`${op}: axes and dotAxes must pair as many axes of in1 as of in2 (${shapes}, axes ${JSON.stringify(opts.axes)}, dotAxes ${JSON.stringify(opts.dotAxes)})`);
  }
  if (da.some((x, i) => a.shape[x] !== b.shape[db[i]!])) throw new ShapeError(`${op}: dotAxes differ in size (${shapes}, dotAxes ${JSON.stringify(opts.dotAxes)})`);
  const used = (x: NDArray, c: number[], d: number[]) => {
    if (new Set([...c, ...d]).size !== c.length + d.length) throw new ShapeError(`${op}: an axis is repeated in axes/dotAxes (${shapes})`);
    return x.shape.map((_, i) => i).filter((i) => !c.includes(i) && !d.includes(i));
  };
  const [ia, ib] = [used(a, ca, da), used(b, cb, db)];
  const na = ca.map((x) => a.shape[x]!);
  const nb = cb.map((x) => b.shape[x]!);
  // Valid mode needs the larger array to slide over the smaller one: swap if in2 is the larger.
  const swap = mode === "valid" && na.some((n, i) => n < nb[i]!);
  if (mode === "valid" && !(na.every((n, i) => n >= nb[i]!) || nb.every((n, i) => n >= na[i]!))) {
    throw new ShapeError(`${op}: for 'valid' mode, one array must be at least as large as the other along every convolved axis (${shapes})`);
  }
  const size = (x: NDArray, axes: number[]) => axes.reduce((p, i) => p * x.shape[i]!, 1);
  /** [other axes flattened, dot axes flattened, convolved axes…] */
  const canonical = (x: NDArray, other: number[], dot: number[], c: number[]) =>
    s.reshape(s.transpose(x, [...other, ...dot, ...c]), [size(x, other), size(x, dot), ...c.map((i) => x.shape[i]!)]);
  const [lhs, rhs, kSizes] = swap
    ? [canonical(b, ib, db, cb), canonical(a, ia, da, ca), na]
    : [canonical(a, ia, da, ca), canonical(b, ib, db, cb), nb];
  // A true convolution is a correlation with the kernel flipped; padding picks full/same/valid.
  const padding = kSizes.map((k): [number, number] =>
    mode === "full" ? [k - 1, k - 1] : mode === "same" ? [k - 1 - Math.floor((k - 1) / 2), Math.floor((k - 1) / 2)] : [0, 0],
  );
  const ones = kSizes.map(() => 1);
  const kernel = flip(rhs, kSizes.map((_, i) => i + 2));
  const out = conv(lhs, kernel, { strides: ones, padding, lhsDilation: ones, rhsDilation: ones, featureGroupCount: 1, batchGroupCount: 1 });
  const ordered = swap ? s.transpose(out, [1, 0, ...kSizes.map((_, i) => i + 2)]) : out;
  return s.reshape(ordered, [...ia.map((i) => a.shape[i]!), ...ib.map((i) => b.shape[i]!), ...ordered.shape.slice(2)]);
}

/**
 * `scipy.signal.correlate(in1, in2, {mode})`: N-d cross-correlation, `convolve(in1, flip(in2))`.
 * @example
 * scipy.signal.correlate([1, 2, 3], [1, 1], { mode: "valid" }); // [3, 5]
 */
export function correlate(in1: ArrayLike, in2: ArrayLike, opts: { mode?: ConvolveMode } = {}): NDArray {
  opts = correlateOpts(opts);
  const [a, b] = inputs("scipy.signal.correlate", in1, in2);
  return convolveNd("scipy.signal.correlate", a, flipAll(b), checkMode("scipy.signal.correlate", opts.mode ?? "full"));
}

/**
 * `scipy.signal.convolve2d(in1, in2, {mode})`: `convolve` for 2-D inputs (zero-filled boundary only).
 * @example
 * scipy.signal.convolve2d([[1, 2], [3, 4]], [[1, 1]]); // [[1, 3, 2], [3, 7, 4]]
 */
export function convolve2d(in1: ArrayLike, in2: ArrayLike, opts: { mode?: ConvolveMode } = {}): NDArray {
  opts = convolve2dOpts(opts);
  const [a, b] = inputs("scipy.signal.convolve2d", in1, in2, 2);
  return convolveNd("scipy.signal.convolve2d", a, b, checkMode("scipy.signal.convolve2d", opts.mode ?? "full"));
}

/**
 * `scipy.signal.correlate2d(in1, in2, {mode})`: `correlate` for 2-D inputs (zero-filled boundary only).
 * @example
 * scipy.signal.correlate2d([[1, 2], [3, 4]], [[1, 2]], { mode: "valid" }); // [[5], [11]]
 */
export function correlate2d(in1: ArrayLike, in2: ArrayLike, opts: { mode?: ConvolveMode } = {}): NDArray {
  opts = correlate2dOpts(opts);
  const [a, b] = inputs("scipy.signal.correlate2d", in1, in2, 2);
  return convolveNd("scipy.signal.correlate2d", a, flipAll(b), checkMode("scipy.signal.correlate2d", opts.mode ?? "full"));
}
