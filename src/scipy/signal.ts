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

const modeSchema = { mode: P.oneOf("full", "same", "valid") } as const;
const convolveOpts = P.options("scipy.signal.convolve", modeSchema);
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

/**
 * `scipy.signal.convolve(in1, in2, {mode})`: N-d convolution; `'full'` (default), `'same'` (the size
 * of `in1`, centred) or `'valid'` (where the inputs overlap completely). Differentiable in both.
 * @example
 * scipy.signal.convolve([1, 2, 3], [0, 1, 0.5]); // [0, 1, 2.5, 4, 1.5]
 */
export function convolve(in1: ArrayLike, in2: ArrayLike, opts: { mode?: ConvolveMode } = {}): NDArray {
  opts = convolveOpts(opts);
  const [a, b] = inputs("scipy.signal.convolve", in1, in2);
  return convolveNd("scipy.signal.convolve", a, b, checkMode("scipy.signal.convolve", opts.mode ?? "full"));
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

/** `scipy.signal.convolve2d(in1, in2, {mode})`: `convolve` for 2-D inputs (zero-filled boundary only). */
export function convolve2d(in1: ArrayLike, in2: ArrayLike, opts: { mode?: ConvolveMode } = {}): NDArray {
  opts = convolve2dOpts(opts);
  const [a, b] = inputs("scipy.signal.convolve2d", in1, in2, 2);
  return convolveNd("scipy.signal.convolve2d", a, b, checkMode("scipy.signal.convolve2d", opts.mode ?? "full"));
}

/** `scipy.signal.correlate2d(in1, in2, {mode})`: `correlate` for 2-D inputs (zero-filled boundary only). */
export function correlate2d(in1: ArrayLike, in2: ArrayLike, opts: { mode?: ConvolveMode } = {}): NDArray {
  opts = correlate2dOpts(opts);
  const [a, b] = inputs("scipy.signal.correlate2d", in1, in2, 2);
  return convolveNd("scipy.signal.correlate2d", a, flipAll(b), checkMode("scipy.signal.correlate2d", opts.mode ?? "full"));
}
