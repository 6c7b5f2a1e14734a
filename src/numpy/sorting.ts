/**
 * @file Sorting and order statistics: `sort`, `argsort`, `partition`, `median`, `quantile`,
 * `percentile` and their NaN-ignoring forms. A sort is a gather by the `argsort` permutation, so
 * the derivative of each output element is that of the input element it came from.
 */
import { ConcreteArray, type NDArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { normAxes, normAxis, rejectComplex } from "./broadcast.ts";
import { isFloat, isInexact, realDtype } from "../core/dtype.ts";
import { argsort as laxArgsort } from "../primitives/sort.ts";
import { select, isnan, not, eq, ge } from "../primitives/compare.ts";
import { floor } from "../primitives/unary.ts";
import { reduceSum } from "../primitives/reduce.ts";
import { gather } from "../primitives/gather.ts";
import { add, sub, mul, max, min, fullLike } from "../primitives/binary.ts";
import * as s from "../primitives/structural.ts";
import { AxisError, fmtShape, IndexError, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const sortOpts = P.options("np.sort", { axis: P.axisOrNull });
const argsortOpts = P.options("np.argsort", { axis: P.axisOrNull });
const partitionOpts = P.options("np.partition", { axis: P.axisOrNull });
const argpartitionOpts = P.options("np.argpartition", { axis: P.axisOrNull });
const quantileSchema = { axis: P.axes, keepdims: P.bool } as const;
const medianOpts = P.options("np.median", quantileSchema);
const nanmedianOpts = P.options("np.nanmedian", quantileSchema);
const quantileOpts = P.options("np.quantile", quantileSchema);
const percentileOpts = P.options("np.percentile", quantileSchema);
const nanquantileOpts = P.options("np.nanquantile", quantileSchema);
const nanpercentileOpts = P.options("np.nanpercentile", quantileSchema);

/**
 * `x` gathered along its last axis by the integer array `idx` (same leading shape):
 * `out[..., i] = x[..., idx[..., i]]`, linear in `x`. The lanes are flattened into one axis and
 * lane r reads at r·n + idx, so one `gather` serves them all.
 */
function takeLast(x: NDArray, idx: NDArray): NDArray {
  const n = x.shape[x.ndim - 1]!;
  const m = idx.shape[idx.ndim - 1]!;
  const offsets = new ConcreteArray(Int32Array.from({ length: idx.size }, (_, i) => Math.floor(i / m) * n), idx.shape, "int32");
  return gather(s.reshape(x, [x.size]), add(idx, offsets), 0);
}

/** Sorts `x` along its last axis; returns the sorted values. */
const sortLast = (x: NDArray): NDArray => (x.shape[x.ndim - 1]! <= 1 ? x : takeLast(x, laxArgsort(x, x.ndim - 1)));

/** Runs `f` on `x` with `axis` moved last (or on the flattened array for `axis: null`). */
function alongAxis(op: string, x: NDArray, axis: number | null, f: (y: NDArray) => NDArray): NDArray {
  if (axis === null) return f(s.reshape(x, [x.size]));
  if (x.ndim === 0) throw new AxisError(`${op}: axis ${axis} is out of bounds for an array of dimension 0`);
  const ax = normAxis(op, axis, x.ndim);
  return s.moveaxis(f(s.moveaxis(x, ax, x.ndim - 1)), x.ndim - 1, ax);
}

/**
 * `np.sort(x, {axis = -1})` (`axis: null` sorts the flattened array): ascending, NaN last. The
 * derivative follows each element to its sorted position (ties: to the first in order).
 * @example
 * np.sort([3, 1, 2]); // [1, 2, 3]
 */
export function sort(x: ArrayLike, opts: { axis?: number | null } = {}): NDArray {
  opts = sortOpts(opts);
  const a = asarray(x, undefined, "np.sort", "a");
  return alongAxis("np.sort", a, opts.axis === undefined ? -1 : opts.axis, sortLast);
}

/**
 * `np.argsort(x, {axis = -1})`: the indices that sort `x` (stable, NaN last), as int32.
 * @example
 * np.argsort([3, 1, 2]); // [1, 2, 0]
 */
export function argsort(x: ArrayLike, opts: { axis?: number | null } = {}): NDArray {
  opts = argsortOpts(opts);
  const a = asarray(x, undefined, "np.argsort", "a");
  return alongAxis("np.argsort", a, opts.axis === undefined ? -1 : opts.axis, (y) => laxArgsort(y, y.ndim - 1));
}

/** Checks `kth` against the length of the partitioned axis (`alongAxis` checks the axis itself). */
function checkKth(op: string, a: NDArray, axis: number | null, kth: number | readonly number[]): void {
  requireStatic(op, "kth", kth, "an index");
  if (axis !== null && a.ndim === 0) return;
  const n = axis === null ? a.size : a.shape[normAxis(op, axis, a.ndim)]!;
  for (const k of typeof kth === "number" ? [kth] : kth) {
    if (!Number.isInteger(k) || k < -n || k >= n) throw new IndexError(`${op}: kth(=${k}) out of bounds (${n})`);
  }
}

/**
 * `np.partition(x, kth, {axis = -1})`: the element at each `kth` position in sorted place, smaller
 * ones before it, larger after. (Returns the fully sorted array, which satisfies that contract.)
 * @example
 * np.partition([3, 4, 2, 1], 2); // [1, 2, 3, 4]
 */
export function partition(x: ArrayLike, kth: number | readonly number[], opts: { axis?: number | null } = {}): NDArray {
  opts = partitionOpts(opts);
  const a = asarray(x, undefined, "np.partition", "a");
  const axis = opts.axis === undefined ? -1 : opts.axis;
  checkKth("np.partition", a, axis, kth);
  return alongAxis("np.partition", a, axis, sortLast);
}

/**
 * `np.argpartition(x, kth, {axis = -1})`: indices that partition `x` (here: that sort it).
 * @example
 * np.argpartition([3, 4, 2, 1], 1); // [3, 2, 0, 1]
 */
export function argpartition(x: ArrayLike, kth: number | readonly number[], opts: { axis?: number | null } = {}): NDArray {
  opts = argpartitionOpts(opts);
  const a = asarray(x, undefined, "np.argpartition", "a");
  const axis = opts.axis === undefined ? -1 : opts.axis;
  checkKth("np.argpartition", a, axis, kth);
  return alongAxis("np.argpartition", a, axis, (y) => laxArgsort(y, y.ndim - 1));
}

/**
 * The sorted values of `x` over `axes` (moved last and flattened into one axis of size n), with the
 * shape of the kept axes. `f` reads the order statistics off the sorted lanes.
 */
function overAxes(op: string, x: NDArray, axis: number | readonly number[] | null | undefined, keepdims: boolean | undefined, f: (sorted: NDArray, n: number) => NDArray): NDArray {
  const axes = normAxes(op, axis, x.ndim);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => x.shape[i]!);
  const n = axes.reduce((p, ax) => p * x.shape[ax]!, 1);
  const lanes = s.reshape(s.transpose(x, [...kept, ...axes]), [...keptShape, n]);
  const out = f(sortLast(lanes), n);
  if (!keepdims) return out;
  const extra = out.ndim - keptShape.length; // quantile's leading q axes
  return s.reshape(out, [...out.shape.slice(0, extra), ...x.shape.map((d, i) => (axes.includes(i) ? 1 : d))]);
}

/** Lane element `i` of sorted lanes (`[..., n]` → `[...]`). */
const lane = (sorted: NDArray, i: number): NDArray => {
  const lead = sorted.shape.slice(0, -1);
  return s.reshape(s.slice(sorted, [...lead.map(() => 0), i], sorted.shape.map(() => 1), [...lead, 1]), lead);
};

/** NaN where a lane holds a NaN (sorted last), else `v`. */
const nanIfAny = (sorted: NDArray, n: number, v: NDArray): NDArray =>
  isInexact(v.dtype) && n > 0 ? select(isnan(lane(sorted, n - 1)), fullLike(v, NaN), v) : v;

/** Linear interpolation between sorted positions at fractional position `pos` ∈ [0, n − 1]. */
function interpolate(sorted: NDArray, n: number, pos: number): NDArray {
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const t = pos - lo;
  const a = lane(sorted, lo);
  if (t === 0 || hi === lo) return a;
  const b = lane(sorted, hi);
  // NumPy's lerp: a + (b − a)·t, or b − (b − a)·(1 − t) for t ≥ ½ (exact at both ends).
  const d = sub(b, a);
  return t >= 0.5 ? sub(b, mul(d, fullLike(d, 1 - t))) : add(a, mul(d, fullLike(d, t)));
}

/** `x` as float64 unless already inexact (complex values stay complex: NumPy's median takes them). */
const toFloat = (x: NDArray): NDArray => (isInexact(x.dtype) ? x : s.convert(x, "float64"));

/**
 * `np.median(x, {axis, keepdims})`: the middle of the sorted values (the mean of the two middle
 * ones for an even count); NaN if a NaN is present. The derivative flows to the middle element(s).
 * @example
 * np.median([3, 1, 4, 2]); // 2.5
 */
export function median(x: ArrayLike, opts: { axis?: number | readonly number[] | null; keepdims?: boolean } = {}): NDArray {
  opts = medianOpts(opts);
  const a = toFloat(asarray(x, undefined, "np.median", "a"));
  return overAxes("np.median", a, opts.axis, opts.keepdims, (sorted, n) => {
    if (n === 0) return fullLike({ shape: sorted.shape.slice(0, -1), dtype: a.dtype }, NaN);
    // As NumPy: the middle element, or the mean (x + y)/2 of the two middle ones.
    const mid = n % 2 === 1 ? lane(sorted, (n - 1) / 2) : mul(add(lane(sorted, n / 2 - 1), lane(sorted, n / 2)), fullLike({ shape: sorted.shape.slice(0, -1), dtype: a.dtype }, 0.5));
    return nanIfAny(sorted, n, mid);
  });
}

/**
 * `np.quantile(x, q, {axis, keepdims})` with linear interpolation (NumPy's default method); `q` in
 * [0, 1], a number or a list (its shape leads the result's). Differentiable in `x`.
 * @example
 * np.quantile([1, 2, 3, 4, 5], [0.25, 0.5]); // [2, 3]
 */
export function quantile(
  x: ArrayLike,
  q: number | readonly number[],
  opts: { axis?: number | readonly number[] | null; keepdims?: boolean } = {},
): NDArray {
  opts = quantileOpts(opts);
  return quantileImpl("np.quantile", x, q, 1, opts);
}

/**
 * `np.percentile(x, q, {axis, keepdims})`: `quantile` with `q` in percent.
 * @example
 * np.percentile([1, 2, 3], 50); // 2
 */
export function percentile(
  x: ArrayLike,
  q: number | readonly number[],
  opts: { axis?: number | readonly number[] | null; keepdims?: boolean } = {},
): NDArray {
  opts = percentileOpts(opts);
  return quantileImpl("np.percentile", x, q, 100, opts);
}

/**
 * `np.nanmedian(x, {axis, keepdims})`: the median of the non-NaN values (NaN for an all-NaN slice).
 * @example
 * np.nanmedian([3, NaN, 1, 2]); // 2
 */
export function nanmedian(x: ArrayLike, opts: { axis?: number | readonly number[] | null; keepdims?: boolean } = {}): NDArray {
  opts = nanmedianOpts(opts);
  const a = toFloat(asarray(x, undefined, "np.nanmedian", "a"));
  return overAxes("np.nanmedian", a, opts.axis, opts.keepdims, (sorted, n) => {
    const c = validCount(sorted, n);
    const k = (v: number) => fullLike(c, v);
    // The middle positions ⌊(c − 1)/2⌋ and ⌈(c − 1)/2⌉ of the c valid values (the first c, NaN sorting last).
    const last = max(sub(c, k(1)), k(0));
    const lo = floor(mul(last, k(0.5)));
    const pair = add(laneAt(sorted, lo), laneAt(sorted, sub(last, lo)));
    const mid = mul(pair, fullLike(pair, 0.5)); // in the values' dtype (complex stays complex)
    return select(eq(c, k(0)), fullLike(mid, NaN), mid);
  });
}

/**
 * `np.nanquantile(x, q, {axis, keepdims})`: `quantile` of the non-NaN values.
 * @example
 * np.nanquantile([1, NaN, 2, 3, 4, 5], 0.25); // 2
 */
export function nanquantile(
  x: ArrayLike,
  q: number | readonly number[],
  opts: { axis?: number | readonly number[] | null; keepdims?: boolean } = {},
): NDArray {
  opts = nanquantileOpts(opts);
  return quantileImpl("np.nanquantile", x, q, 1, opts, true);
}

/**
 * `np.nanpercentile(x, q, {axis, keepdims})`: `percentile` of the non-NaN values.
 * @example
 * np.nanpercentile([1, NaN, 3], 50); // 2
 */
export function nanpercentile(
  x: ArrayLike,
  q: number | readonly number[],
  opts: { axis?: number | readonly number[] | null; keepdims?: boolean } = {},
): NDArray {
  opts = nanpercentileOpts(opts);
  return quantileImpl("np.nanpercentile", x, q, 100, opts, true);
}

/** The number of non-NaN values of each sorted lane, as float64. */
const validCount = (sorted: NDArray, n: number): NDArray => {
  const dtype = realDtype(sorted.dtype); // a count: real for complex values too
  return n === 0 ? fullLike({ shape: sorted.shape.slice(0, -1), dtype }, 0) : reduceSum(s.convert(not(isnan(sorted)), dtype), [sorted.ndim - 1]);
};

/** Lane element at a per-lane position (`pos`: integer-valued floats of the lanes' shape). */
function laneAt(sorted: NDArray, pos: NDArray): NDArray {
  const lead = sorted.shape.slice(0, -1);
  return s.reshape(takeLast(sorted, s.reshape(s.convert(pos, "int32"), [...lead, 1])), lead);
}

/** `interpolate` at quantile `q` of the first c values of each lane, c its non-NaN count (NaN where c = 0). */
function nanInterpolate(sorted: NDArray, n: number, q: number): NDArray {
  const c = validCount(sorted, n);
  const k = (v: number) => fullLike(c, v);
  if (n === 0) return k(NaN);
  const last = max(sub(c, k(1)), k(0));
  const pos = mul(last, k(q));
  const lo = floor(pos);
  const hi = min(add(lo, k(1)), last);
  const t = sub(pos, lo);
  const a = laneAt(sorted, lo);
  const b = laneAt(sorted, hi);
  const d = sub(b, a);
  const v = select(ge(t, k(0.5)), sub(b, mul(d, sub(k(1), t))), add(a, mul(d, t)));
  return select(eq(c, k(0)), k(NaN), select(eq(t, k(0)), a, v));
}

function quantileImpl(
  op: string,
  x: ArrayLike,
  q: number | readonly number[],
  scale: number,
  opts: { axis?: number | readonly number[] | null; keepdims?: boolean },
  ignoreNan = false,
): NDArray {
  requireStatic(op, "q", q, "a number");
  const qs = typeof q === "number" ? [q] : [...q];
  for (const v of qs) {
    if (typeof v !== "number" || !(v >= 0 && v <= scale)) {
      throw new RangeError(`${op}: q must be in the range [0, ${scale}], got ${JSON.stringify(q)}`);
    }
  }
  const a = toFloat(asarray(x, undefined, op, "a"));
  rejectComplex(op, [a], ["a"], "quantiles need real values (NumPy refuses complex ones too)");
  return overAxes(op, a, opts.axis, opts.keepdims, (sorted, n) => {
    const outShape = sorted.shape.slice(0, -1);
    if (n === 0 && !ignoreNan) throw new ShapeError(`${op}: cannot take a quantile of an empty array (shape ${fmtShape(a.shape)})`);
    const vals = qs.map((v) =>
      ignoreNan ? nanInterpolate(sorted, n, v / scale) : nanIfAny(sorted, n, interpolate(sorted, n, (v / scale) * (n - 1))),
    );
    if (typeof q === "number") return vals[0]!;
    if (vals.length === 0) return fullLike({ shape: [0, ...outShape], dtype: a.dtype }, 0);
    return s.concatenate(vals.map((v) => s.reshape(v, [1, ...outShape])), 0);
  });
}
