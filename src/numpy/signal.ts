/**
 * @file Discrete convolution and correlation (`np.convolve`, `np.correlate`, and the N-d core that
 * `scipy.signal` uses), built from differentiable pieces: zero padding, sliding windows made of one
 * broadcast, two reshapes and a slice per axis, and one `dotGeneral` with the flipped kernel.
 * Gradients flow to both arguments.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray, zeros } from "./creation.ts";
import { isComplex, promote } from "../core/dtype.ts";
import * as cp from "../primitives/complex.ts";
import * as s from "../primitives/structural.ts";
import { dotGeneral } from "../primitives/contraction.ts";
import { bind1 } from "../core/trace.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import * as P from "../core/parse.ts";

const modeOption = P.oneOf("full", "same", "valid");
const convolveOpts = P.options("np.convolve", { mode: modeOption });
const correlateOpts = P.options("np.correlate", { mode: modeOption });

/** The output length of {@link convolve}/{@link correlate}, as NumPy's `mode`: `'full'`, `'same'` or `'valid'`. */
export type ConvolveMode = "full" | "same" | "valid";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Zeros added along `axis`: `before` in front, `after` behind. */
function zeroPad(x: NDArray, axis: number, before: number, after: number): NDArray {
  if (before === 0 && after === 0) return x;
  const block = (w: number) => zeros(x.shape.map((d, i) => (i === axis ? w : d)), { dtype: x.dtype });
  return s.concatenate([...(before > 0 ? [block(before)] : []), x, ...(after > 0 ? [block(after)] : [])], axis);
}

/**
 * The sliding windows of length `n` along `axis` (of length L): that axis becomes two, `(n, L − n + 1)`,
 * with `out[j, k] = x[j + k]`. Broadcast `x` to n rows, flatten, append n zeros and read it back as
 * rows of length L + 1: each row then starts one element later than the one above.
 */
function windows(x: NDArray, axis: number, n: number): NDArray {
  const t = s.moveaxis(x, axis, x.ndim - 1);
  const lead = t.shape.slice(0, -1);
  const L = t.shape[t.ndim - 1]!;
  const k = L - n + 1;
  const rows = bind1(s.broadcastInDimP, [t], { shape: [...lead, n, L], dims: [...lead.map((_, i) => i), lead.length + 1] });
  const flat = s.concatenate([s.reshape(rows, [...lead, n * L]), zeros([...lead, n], { dtype: x.dtype })], lead.length);
  const skewed = s.reshape(flat, [...lead, n, L + 1]);
  const w = s.slice(skewed, [...lead.map(() => 0), 0, 0], [...lead.map(() => 1), 1, 1], [...lead, n, k]);
  // Put the (n, k) pair back where `axis` was.
  const perm = range(lead.length);
  perm.splice(axis, 0, lead.length, lead.length + 1);
  return s.transpose(w, perm);
}

/**
 * The N-d convolution `out[k] = Σ_j a[k − j] · b[j]`, restricted per axis to the outputs
 * `start[i] … start[i] + len[i] − 1` of the full convolution (whose length is `na + nb − 1`).
 */
export function convolveCore(a: NDArray, b: NDArray, start: readonly number[], len: readonly number[]): NDArray {
  const d = a.ndim;
  let dtype = promote(a.dtype, b.dtype);
  if (dtype === "bool") dtype = "int32";
  let x = s.convert(a, dtype);
  const kernel = s.convert(b, dtype);
  if (len.some((l) => l === 0) || a.size === 0 || b.size === 0) return zeros(len, { dtype });
  // Output k reads padded[k + j] · flip(b)[j]: pad so that window k = start starts at padded[0].
  for (let i = d - 1; i >= 0; i--) {
    const n = b.shape[i]!;
    const before = n - 1 - start[i]!;
    const after = len[i]! + n - 1 - a.shape[i]! - before;
    // The windows of full/same/valid outputs never reach outside the zero-padded input.
    if (before < 0 || after < 0) throw new RangeError(`convolveCore: window [${start[i]}, +${len[i]}) outside the full output on axis ${i}`);
    x = zeroPad(x, i, before, after);
    x = windows(x, i, n);
  }
  // x: (n0, k0, n1, k1, …); contract the window axes with the flipped kernel.
  const flipped = s.slice(kernel, kernel.shape.map((n) => n - 1), kernel.shape.map(() => -1), kernel.shape);
  return dotGeneral(x, flipped, { lhsContract: range(d).map((i) => 2 * i), rhsContract: range(d), lhsBatch: [], rhsBatch: [] });
}

/** Start and length, per axis, of SciPy's `mode` outputs for sizes `na` (the reference) and `nb`. */
export function modeWindow(mode: ConvolveMode, na: number, nb: number): [number, number] {
  switch (mode) {
    case "full":
      return [0, na + nb - 1];
    case "same":
      return [Math.floor((nb - 1) / 2), na];
    case "valid":
      return [nb - 1, na - nb + 1];
  }
}

export function checkMode(op: string, mode: string): ConvolveMode {
  if (mode !== "full" && mode !== "same" && mode !== "valid") {
    throw new TypeError(`${op}: mode must be 'full', 'same' or 'valid', got '${mode}'`);
  }
  return mode;
}

function vectors(op: string, a: ArrayLike, v: ArrayLike): [NDArray, NDArray] {
  const x = asarray(a, undefined, op, "a");
  const y = asarray(v, undefined, op, "v");
  if (x.ndim !== 1 || y.ndim !== 1) throw new ShapeError(`${op}: both inputs must be 1-D, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  if (x.size === 0) throw new ShapeError(`${op}: a cannot be empty`);
  if (y.size === 0) throw new ShapeError(`${op}: v cannot be empty`);
  return [x, y];
}

/**
 * `np.convolve(a, v, {mode})`: the discrete linear convolution of two 1-D arrays. `'full'` (default,
 * length M + N − 1), `'same'` (length max(M, N)), `'valid'` (length max(M, N) − min(M, N) + 1).
 * Differentiable in both arguments.
 * @example
 * np.convolve([1, 2, 3], [0, 1, 0.5]); // [0, 1, 2.5, 4, 1.5]
 */
export function convolve(a: ArrayLike, v: ArrayLike, opts: { mode?: ConvolveMode } = {}): NDArray {
  opts = convolveOpts(opts);
  const mode = checkMode("np.convolve", opts.mode ?? "full");
  let [x, y] = vectors("np.convolve", a, v);
  // NumPy makes the longer input the reference (convolution is commutative).
  if (y.size > x.size) [x, y] = [y, x];
  const [start, len] = modeWindow(mode, x.size, y.size);
  return convolveCore(x, y, [start], [len]);
}

/**
 * `np.correlate(a, v, {mode})`: `c[k] = Σ_n a[n + k] · v[n]`; mode `'valid'` by default, as NumPy.
 * @example
 * np.correlate([1, 2, 3], [0, 1, 0.5]); // [3.5]
 */
export function correlate(a: ArrayLike, v: ArrayLike, opts: { mode?: ConvolveMode } = {}): NDArray {
  opts = correlateOpts(opts);
  const mode = checkMode("np.correlate", opts.mode ?? "valid");
  const [x, y] = vectors("np.correlate", a, v);
  const rev = (z: NDArray) => s.slice(z, [z.size - 1], [-1], z.shape);
  // Σₙ a[n + k]·conj(v[n]), as NumPy (the conjugate matters for complex input).
  const conj = (z: NDArray) => (isComplex(z.dtype) ? cp.conj(z) : z);
  // NumPy computes a shorter `a` as the reversed (and conjugated) correlation of the swapped pair.
  if (y.size > x.size) return conj(rev(correlate(y, x, { mode })));
  return convolve(x, rev(conj(y)), { mode });
}
