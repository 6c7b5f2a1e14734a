/**
 * @file Statistics and counting as NumPy has them: `cov`, `corrcoef` (differentiable), and the
 * counting functions whose output shape depends on the data — `bincount`, `histogram`, `unique` —
 * which read their inputs' values (so they run eagerly or under `grad`, not on values batched by
 * `vmap`); their weights and selected values stay differentiable. Also `digitize`, `countNonzero`.
 */
import { NDArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray, zeros } from "./creation.ts";
import { linspace } from "./ranges.ts";
import { rejectComplex } from "./broadcast.ts";
import { atleast2d, diag, flip } from "./rearrange.ts";
import { concatenate, squeeze } from "./shape.ts";
import { mean, sum, min, max } from "./reductions.ts";
import { sqrt, subtract } from "./math.ts";
import { clip, logicalAnd, greaterEqual, lessEqual, where } from "./logic.ts";
import { matmul, outer } from "./products.ts";
import { searchsorted, take } from "./indexing-fns.ts";
import { isComplex, isInexact } from "../core/dtype.ts";
import { conj } from "../primitives/complex.ts";
import { compareNanLast } from "../primitives/sort.ts";
import { ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const covOpts = P.options("np.cov", { y: P.arrayLike, rowvar: P.bool, bias: P.bool, ddof: P.numOrArray }); // ddof may be traced
const corrcoefOpts = P.options("np.corrcoef", { y: P.arrayLike, rowvar: P.bool });
const bincountOpts = P.options("np.bincount", { weights: P.arrayLike, minlength: P.nonNegInt });
const digitizeOpts = P.options("np.digitize", { right: P.bool });
const histogramOpts = P.options("np.histogram", { bins: P.arrayLike, range: P.numPair, weights: P.arrayLike, density: P.bool });
const uniqueOpts = P.options("np.unique", { returnIndex: P.bool, returnInverse: P.bool, returnCounts: P.bool });

/**
 * `np.cov(m, {y, rowvar = true, bias = false, ddof})`: the covariance matrix of the variables in
 * the rows of `m` (columns with `rowvar: false`), observations normalised by N − 1 (N with `bias`,
 * N − ddof with `ddof`).
 * @example
 * np.cov([[0, 1, 2], [2, 1, 0]]); // [[1, -1], [-1, 1]]
 */
export function cov(m: ArrayLike, opts: { y?: ArrayLike; rowvar?: boolean; bias?: boolean; ddof?: number | NDArray } = {}): NDArray {
  opts = covOpts(opts) as typeof opts;
  const op = "np.cov";
  const rows = (v: ArrayLike) => {
    let a = asarray(v, undefined, op, "m");
    if (a.ndim > 2) throw new ShapeError(`${op}: m has more than 2 dimensions (shape [${a.shape.join(", ")}])`);
    if (!isInexact(a.dtype)) a = a.astype("float64");
    a = atleast2d(a);
    return opts.rowvar === false && a.shape[0] !== 1 ? a.T : a;
  };
  let X = rows(m);
  if (opts.y !== undefined) X = concatenate([X, rows(opts.y)], { axis: 0 });
  const n = X.shape[1]!;
  const ddof = opts.ddof ?? (opts.bias ? 0 : 1);
  const centred = X.sub(mean(X, { axis: 1, keepdims: true }));
  // ddof may be an array (traced or not): the normalisation then stays differentiable, as in JAX.
  // X·Xᴴ: the second factor conjugated for complex data, as NumPy.
  const c = matmul(centred, isComplex(centred.dtype) ? conj(centred).T : centred.T).div(typeof ddof === "number" ? n - ddof : subtract(n, ddof));
  return squeeze(c);
}

/**
 * `np.corrcoef(x, {y, rowvar})`: Pearson correlation coefficients, cov / √(var·var), clipped to
 * [−1, 1] as NumPy.
 * @example
 * np.corrcoef([[1, 2, 3], [2, 4, 7]]); // [[1, 0.9933992677987828], [0.9933992677987828, 1]]
 */
export function corrcoef(x: ArrayLike, opts: { y?: ArrayLike; rowvar?: boolean } = {}): NDArray {
  opts = corrcoefOpts(opts);
  const c = cov(x, opts);
  if (c.ndim === 0) return c.div(c);
  const d = sqrt(diag(c));
  return clip(c.div(outer(d, d)), -1, 1);
}

/** The values of an integer array as JS numbers, for functions whose output shape depends on them. */
function intValues(x: NDArray, op: string, arg: string): number[] {
  const vals = x.reshape(-1).toArray() as number[];
  if (vals.some((v) => !Number.isInteger(v))) throw new TypeError(`${op}: ${arg} must hold integers`);
  return vals;
}

/**
 * `np.bincount(x, {weights, minlength})`: how often each value 0, 1, … occurs in the non-negative
 * integers `x` (or the sum of their `weights`, differentiable).
 * @example
 * np.bincount([0, 1, 1, 3]); // [1, 2, 0, 1]
 */
export function bincount(x: ArrayLike, opts: { weights?: ArrayLike; minlength?: number } = {}): NDArray {
  opts = bincountOpts(opts);
  const op = "np.bincount";
  requireStatic(op, "minlength", opts.minlength, "a size");
  const X = asarray(x, undefined, op, "x");
  rejectComplex(op, [X], ["x"], "bincount counts non-negative integers");
  if (X.ndim !== 1) throw new ShapeError(`${op}: x must be 1-D, got shape [${X.shape.join(", ")}]`);
  const vals = intValues(X, op, "x");
  if (vals.some((v) => v < 0)) throw new RangeError(`${op}: x must be non-negative`);
  const length = Math.max(opts.minlength ?? 0, vals.length === 0 ? 0 : Math.max(...vals) + 1);
  const idx = X.astype("int32");
  if (opts.weights === undefined) return zeros([length], { dtype: "int32" }).at(idx).add(1);
  const w = asarray(opts.weights, undefined, op, "weights");
  if (w.shape.length !== 1 || w.shape[0] !== vals.length) throw new ShapeError(`${op}: weights must be 1-D like x, got shape [${w.shape.join(", ")}]`);
  return zeros([length]).at(idx).add(w);
}

/**
 * `np.digitize(x, bins, {right})`: the index of the bin each x falls in: i with
 * bins[i−1] ≤ x < bins[i] (≤ on the right with `right`), for increasing or decreasing bins.
 * @example
 * np.digitize([0.2, 6.4, 3.0, 1.6], [0, 1, 2.5, 4, 10]); // [1, 4, 3, 2]
 */
export function digitize(x: ArrayLike, bins: ArrayLike, opts: { right?: boolean } = {}): NDArray {
  opts = digitizeOpts(opts);
  const B = asarray(bins, undefined, "np.digitize", "bins");
  rejectComplex("np.digitize", [asarray(x, undefined, "np.digitize", "x"), B], ["x", "bins"]);
  if (B.ndim !== 1) throw new ShapeError(`np.digitize: bins must be 1-D, got shape [${B.shape.join(", ")}]`);
  const b = B.toArray() as number[];
  const increasing = b.every((v, i) => i === 0 || v >= b[i - 1]!);
  const decreasing = b.every((v, i) => i === 0 || v <= b[i - 1]!);
  if (!increasing && !decreasing) throw new RangeError("np.digitize: bins must be monotonically increasing or decreasing");
  const side = opts.right ? "left" : "right";
  if (increasing) return searchsorted(B, x, { side });
  return subtract(b.length, searchsorted(flip(B), x, { side })).astype("int32");
}

/**
 * `np.histogram(a, {bins = 10, range, weights, density})`: `[hist, edges]`; `bins` a count (equal
 * widths over `range`, default [min, max]) or the edges. The last bin includes its right edge.
 * Weighted counts and densities are differentiable in the weights.
 * @example
 * np.histogram([1, 2, 1], { bins: [0, 1, 2, 3] })[0]; // [0, 2, 1]
 */
export function histogram(
  a: ArrayLike,
  opts: { bins?: number | ArrayLike; range?: readonly [number, number]; weights?: ArrayLike; density?: boolean } = {},
): [NDArray, NDArray] {
  opts = histogramOpts(opts);
  const op = "np.histogram";
  const A0 = asarray(a, undefined, op, "a");
  rejectComplex(op, [A0], ["a"], "bins of complex values are not supported (NumPy drops the imaginary parts; take np.real(a) or np.abs(a) explicitly)");
  const A = A0.reshape(-1);
  const binsOpt = opts.bins ?? 10;
  if (binsOpt instanceof NDArray && binsOpt.ndim === 0) requireStatic(op, "bins", binsOpt, "a count");
  requireStatic(op, "range", opts.range, "a number");
  let edges: NDArray;
  if (typeof binsOpt === "number") {
    if (!Number.isInteger(binsOpt) || binsOpt < 1) throw new RangeError(`${op}: bins must be a positive integer, got ${binsOpt}`);
    let [lo, hi] = opts.range ?? (A.size === 0 ? [0, 1] : [min(A).item(), max(A).item()]);
    if (lo > hi) throw new RangeError(`${op}: max must be larger than min in range, got [${lo}, ${hi}]`);
    if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
    edges = linspace(lo, hi, binsOpt + 1);
  } else {
    edges = asarray(binsOpt, undefined, op, "bins").astype("float64");
    const e = edges.toArray() as number[];
    if (edges.ndim !== 1 || e.some((v, i) => i > 0 && v < e[i - 1]!)) throw new RangeError(`${op}: bins must increase monotonically`);
  }
  const nb = edges.shape[0]! - 1;
  const [first, last] = [edges.get(0), edges.get(-1)];
  const inside = logicalAnd(greaterEqual(A, first), lessEqual(A, last));
  // bin i holds edges[i] ≤ a < edges[i+1]; a = the last edge goes to the last bin
  const bin = clip(subtract(searchsorted(edges, A, { side: "right" }), 1), 0, nb - 1).astype("int32");
  const target = where(inside, bin, nb).astype("int32"); // outside values go to an extra slot, dropped below
  const w = opts.weights === undefined ? null : asarray(opts.weights, undefined, op, "weights").reshape(-1);
  if (w && w.shape[0] !== A.shape[0]) throw new ShapeError(`${op}: weights must have the shape of a, got ${w.shape[0]} values for ${A.shape[0]}`);
  const counts = zeros([nb + 1], w ? {} : { dtype: "int32" }).at(target).add(w ?? 1).get(`:${nb}`);
  if (!opts.density) return [counts, edges];
  const widths = edges.get("1:").sub(edges.get(":-1"));
  return [counts.astype("float64").div(sum(counts).mul(widths)), edges];
}

/**
 * `np.unique(ar, {returnIndex, returnInverse, returnCounts})`: the sorted distinct values of the
 * flattened array; with options, `[values, index?, inverse?, counts?]` in NumPy 2's order and shapes
 * (the inverse shaped like `ar`). The values
 * are taken from `ar` (at the first occurrences), so they carry its derivative.
 * @example
 * np.unique([3, 1, 3, 2]); // [1, 2, 3]
 */
export function unique(ar: ArrayLike): NDArray;
export function unique(ar: ArrayLike, opts: { returnIndex?: boolean; returnInverse?: boolean; returnCounts?: boolean }): NDArray[];
export function unique(ar: ArrayLike, opts?: { returnIndex?: boolean; returnInverse?: boolean; returnCounts?: boolean }): NDArray | NDArray[] {
  opts = uniqueOpts(opts);
  const input = asarray(ar, undefined, "np.unique", "ar");
  const flat = input.reshape(-1);
  const vals = flat.toArray() as number[];
  // Ascending with NaN last (NumPy's order); ties keep their order, so a run starts at its first occurrence.
  const order = vals.map((_, i) => i).sort((i, j) => compareNanLast(vals[i]!, vals[j]!) || i - j);
  const firsts: number[] = [];
  const counts: number[] = [];
  const inverse = new Array<number>(vals.length);
  for (const i of order) {
    const k = firsts.length - 1;
    const same = k >= 0 && (vals[firsts[k]!] === vals[i] || (Number.isNaN(vals[i]!) && Number.isNaN(vals[firsts[k]!]!)));
    if (same) counts[k]!++;
    else {
      firsts.push(i);
      counts.push(1);
    }
    inverse[i] = firsts.length - 1;
  }
  const values = take(flat, asarray(firsts, "int32"));
  if (!opts || (!opts.returnIndex && !opts.returnInverse && !opts.returnCounts)) return values;
  const out = [values];
  if (opts.returnIndex) out.push(asarray(firsts, "int32"));
  if (opts.returnInverse) out.push(asarray(inverse, "int32").reshape(input.shape)); // NumPy 2: shaped like ar
  if (opts.returnCounts) out.push(asarray(counts, "int32"));
  return out;
}
