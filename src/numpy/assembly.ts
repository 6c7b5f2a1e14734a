/**
 * @file Building and reshaping arrays from pieces, as NumPy does: `block`, `insert`, `rollaxis`,
 * `resize`, `delete`, `fillDiagonal` (returning a new array, as JAX does, since arrays are immutable),
 * `extract`, `lexsort`, `cumulativeSum`/`cumulativeProd` (NumPy 2.1), `ldexp`, `frexp`. All
 * compositions of existing functions, so the float-valued ones differentiate and batch.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray, zeros } from "./creation.ts";
import { arange } from "./ranges.ts";
import { normAxis, rejectComplex } from "./broadcast.ts";
import { concatenate, moveaxis, reshape, broadcastTo } from "./shape.ts";
import { cumsum, cumprod } from "./reductions.ts";
import { multiply, power, abs, floor, log2 } from "./math.ts";
import { where, notEqual, isfinite } from "./logic.ts";
import { take } from "./indexing-fns.ts";
import { argsort } from "./sorting.ts";
import { tile } from "./rearrange.ts";
import { IndexError, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const insertOpts = P.options("np.insert", { axis: P.axis });
const cumulativeSumOpts = P.options("np.cumulativeSum", { axis: P.axis, includeInitial: P.bool });
const cumulativeProdOpts = P.options("np.cumulativeProd", { axis: P.axis, includeInitial: P.bool });
const deleteOpts = P.options("np.delete", { axis: P.axis });

type Nested = ArrayLike | readonly Nested[];

/**
 * `np.block(arrays)`: assembles nested lists of arrays, the innermost lists joined along the last
 * axis, the next ones along the second to last, and so on. A JS array of numbers is one array (a
 * leaf), as everywhere in autograd-ts, so the block structure is the JS arrays around the leaves.
 * @example
 * np.block([[np.eye(2), np.zeros([2, 1])], [np.ones([1, 2]), np.array([[5]])]]); // [[1, 0, 0], [0, 1, 0], [1, 1, 5]]
 */
export function block(arrays: readonly Nested[]): NDArray {
  const depth = (x: Nested): number => (Array.isArray(x) && x.length > 0 && (Array.isArray(x[0]) || typeof x[0] === "object") && !isLeafArray(x) ? 1 + depth(x[0] as Nested) : 0);
  const isLeafArray = (x: readonly unknown[]): boolean => x.every((v) => typeof v === "number" || typeof v === "boolean");
  const listDepth = 1 + depth(arrays[0] as Nested);
  const leaves: NDArray[] = [];
  const collect = (x: Nested, d: number): void => {
    if (d === 0) leaves.push(asarray(x as ArrayLike, undefined, "np.block", "arrays"));
    else for (const c of x as readonly Nested[]) collect(c, d - 1);
  };
  collect(arrays, listDepth);
  const ndim = Math.max(listDepth, ...leaves.map((l) => l.ndim));
  const up = (a: NDArray) => (a.ndim < ndim ? reshape(a, [...Array<number>(ndim - a.ndim).fill(1), ...a.shape]) : a);
  const join = (x: Nested, d: number): NDArray => {
    if (d === 0) return up(asarray(x as ArrayLike, undefined, "np.block", "arrays"));
    const parts = (x as readonly Nested[]).map((c) => join(c, d - 1));
    return concatenate(parts, { axis: -d });
  };
  return join(arrays, listDepth);
}

/**
 * `np.insert(arr, index, values, {axis})`: `values` inserted before position `index` along `axis`
 * (of the flattened array without one). `values` broadcasts to the inserted slice.
 * @example
 * np.insert([1, 2, 3], 1, 9); // [1, 9, 2, 3]
 */
export function insert(arr: ArrayLike, index: number, values: ArrayLike, opts: { axis?: number } = {}): NDArray {
  opts = insertOpts(opts);
  const op = "np.insert";
  requireStatic(op, "index", index, "an index");
  let a = asarray(arr, undefined, op, "arr");
  if (opts.axis === undefined) a = reshape(a, [a.size]);
  const axis = normAxis(op, opts.axis ?? 0, a.ndim);
  const n = a.shape[axis]!;
  if (!Number.isInteger(index) || index < -n || index > n) throw new IndexError(`${op}: index ${index} is out of bounds for axis ${axis} with size ${n}`);
  const at = index < 0 ? index + n : index;
  // As NumPy for a scalar index: values get a.ndim dimensions (leading 1s), their first axis moves to `axis`.
  let v = asarray(values, undefined, op, "values");
  if (v.ndim < a.ndim) v = reshape(v, [...Array<number>(a.ndim - v.ndim).fill(1), ...v.shape]);
  v = moveaxis(v, 0, axis);
  const slot = a.shape.map((d, i) => (i === axis ? v.shape[axis]! : d));
  v = broadcastTo(v, slot).astype(a.dtype);
  const idx = (from: number, to: number) => a.shape.map((_, i) => (i === axis ? `${from}:${to}` : ":"));
  return concatenate([a.get(...idx(0, at)), v, a.get(...idx(at, n))], { axis });
}

/**
 * `np.rollaxis(x, axis, start = 0)`: moves `axis` to just before position `start` (NumPy's older
 * spelling of `moveaxis`).
 * @example
 * np.rollaxis(np.ones([3, 4, 5]), 2).shape; // [5, 3, 4]
 */
export function rollaxis(x: ArrayLike, axis: number, start = 0): NDArray {
  const a = asarray(x, undefined, "np.rollaxis", "a");
  requireStatic("np.rollaxis", "start", start, "an axis");
  const ax = normAxis("np.rollaxis", axis, a.ndim);
  if (!Number.isInteger(start) || start < -a.ndim || start > a.ndim) throw new RangeError(`np.rollaxis: start ${start} is out of range for ${a.ndim} dimensions`);
  let s = start < 0 ? start + a.ndim : start;
  if (ax < s) s -= 1;
  return ax === s ? a : moveaxis(a, ax, s);
}

/**
 * `np.resize(x, shape)`: the flattened array repeated (or cut) to fill `shape`.
 * @example
 * np.resize([1, 2, 3], [2, 4]); // [[1, 2, 3, 1], [2, 3, 1, 2]]
 */
export function resize(x: ArrayLike, shape: number | readonly number[]): NDArray {
  const a = asarray(x, undefined, "np.resize", "a");
  requireStatic("np.resize", "shape", shape, "a shape");
  const dims = P.parseShape("np.resize", shape, "new_shape");
  const size = dims.reduce((p, d) => p * d, 1);
  if (size > 0 && a.size === 0) throw new ShapeError("np.resize: cannot fill a non-empty shape from an empty array");
  const flat = reshape(a, [a.size]);
  const reps = a.size === 0 ? 0 : Math.ceil(size / a.size);
  return reshape(tile(flat, reps).get(`:${size}`), dims);
}

/**
 * `np.fillDiagonal(a, value)`: a copy of `a` with its main diagonal set to `value` (NumPy fills in
 * place; autograd-ts arrays are immutable, so this returns the result, like JAX's
 * `fill_diagonal(..., inplace=False)`). Differentiable in both.
 * @example
 * np.fillDiagonal(np.zeros([2, 3]), 7); // [[7, 0, 0], [0, 7, 0]]
 */
export function fillDiagonal(a: ArrayLike, value: ArrayLike): NDArray {
  const A = asarray(a, undefined, "np.fillDiagonal", "a");
  if (A.ndim < 2) throw new ShapeError(`np.fillDiagonal: a must be at least 2-D, got shape [${A.shape.join(", ")}]`);
  if (A.ndim > 2 && A.shape.some((d) => d !== A.shape[0])) throw new ShapeError("np.fillDiagonal: all dimensions of an n-d array must be equal");
  const n = Math.min(...A.shape);
  const k = arange(n).astype("int32");
  return A.at(...A.shape.map(() => k)).set(value);
}

/**
 * `np.extract(condition, arr)`: the elements of `arr` (flattened) where `condition` holds.
 * @example
 * np.extract([[true, false], [false, true]], [[1, 2], [3, 4]]); // [1, 4]
 */
export function extract(condition: ArrayLike, arr: ArrayLike): NDArray {
  const c = reshape(notEqual(asarray(condition, undefined, "np.extract", "condition"), 0), [-1]);
  const a = reshape(asarray(arr, undefined, "np.extract", "arr"), [-1]);
  return a.get(c);
}

/**
 * `np.lexsort(keys)`: the indices that sort by the last key, ties broken by the one before, and so
 * on (a stable sort on each key from the first to the last).
 * @example
 * np.lexsort([[1, 5, 1, 4, 3, 4, 4], [9, 4, 0, 4, 0, 2, 1]]); // [2, 4, 6, 5, 3, 1, 0]
 */
export function lexsort(keys: ArrayLike): NDArray {
  const K = asarray(keys, undefined, "np.lexsort", "keys");
  if (K.ndim < 1) throw new ShapeError("np.lexsort: keys must have at least one dimension");
  const rows = K.ndim === 1 ? [K] : Array.from({ length: K.shape[0]! }, (_, i) => K.get(i));
  let order = arange(rows[0]!.shape[rows[0]!.ndim - 1]!).astype("int32");
  for (const key of rows) order = take(order, argsort(take(key, order), { axis: -1 }), { axis: -1 });
  return order;
}

/**
 * `np.cumulativeSum(x, {axis, includeInitial})` (NumPy 2.1): `cumsum`, with a leading 0 when
 * `includeInitial`; a 1-D array needs no axis.
 * @example
 * np.cumulativeSum([1, 2, 3], { includeInitial: true }); // [0, 1, 3, 6]
 */
export function cumulativeSum(x: ArrayLike, opts: { axis?: number; includeInitial?: boolean } = {}): NDArray {
  opts = cumulativeSumOpts(opts);
  return cumulative(x, opts, "np.cumulativeSum", cumsum, 0);
}

/**
 * `np.cumulativeProd(x, {axis, includeInitial})` (NumPy 2.1): `cumprod`, with a leading 1 when `includeInitial`.
 * @example
 * np.cumulativeProd([1, 2, 3], { includeInitial: true }); // [1, 1, 2, 6]
 */
export function cumulativeProd(x: ArrayLike, opts: { axis?: number; includeInitial?: boolean } = {}): NDArray {
  opts = cumulativeProdOpts(opts);
  return cumulative(x, opts, "np.cumulativeProd", cumprod, 1);
}

function cumulative(
  x: ArrayLike,
  opts: { axis?: number; includeInitial?: boolean },
  op: string,
  scan: (a: NDArray, o: { axis: number }) => NDArray,
  initial: number,
): NDArray {
  const a = asarray(x, undefined, op, "x");
  if (opts.axis === undefined && a.ndim !== 1) throw new TypeError(`${op}: axis is required for an array of ${a.ndim} dimensions`);
  const axis = normAxis(op, opts.axis ?? 0, a.ndim);
  const out = scan(a, { axis });
  if (!opts.includeInitial) return out;
  const first = zeros(a.shape.map((d, i) => (i === axis ? 1 : d)), { dtype: out.dtype }).add(initial).astype(out.dtype);
  return concatenate([first, out], { axis });
}

/**
 * `np.ldexp(x, e)`: x·2ᵉ, exact.
 * @example
 * np.ldexp(3, [1, -2]); // [6, 0.75]
 */
export const ldexp = (x: ArrayLike, e: ArrayLike): NDArray => {
  const [a, ex] = [asarray(x, undefined, "np.ldexp", "x1"), asarray(e, undefined, "np.ldexp", "x2")];
  rejectComplex("np.ldexp", [a, ex], ["x1", "x2"]);
  return multiply(a, power(2, ex.astype("float64")));
};

/**
 * `np.frexp(x)`: `[mantissa, exponent]` with x = m·2ᵉ and 0.5 ≤ |m| < 1 (m = e = 0 at 0, and
 * ±∞/NaN kept in m with e = 0, as NumPy).
 * @example
 * np.frexp([8, 0.3])[0]; // [0.5, 0.6]
 * np.frexp([8, 0.3])[1]; // [4, -1]
 */
export function frexp(x: ArrayLike): [NDArray, NDArray] {
  const a0 = asarray(x, undefined, "np.frexp", "x");
  rejectComplex("np.frexp", [a0], ["x"]);
  const a = a0.astype("float64");
  const regular = isfinite(a).mul(notEqual(a, 0));
  const safe = where(regular, abs(a), 1);
  // floor(log2 |x|) + 1, corrected by one where log2 rounds across a power of two
  let e = floor(log2(safe)).add(1);
  let m = a.div(power(2, e));
  e = where(abs(m).ge(1), e.add(1), where(abs(m).lt(0.5), e.sub(1), e));
  m = where(regular, a.div(power(2, e)), a);
  return [m, where(regular, e, 0).astype("int32")];
}

/**
 * `np.delete(arr, obj, {axis})`: `arr` without the entries at the integer index or indices `obj`
 * along `axis` (of the flattened array when no axis is given). Differentiable.
 * @example
 * np.delete([1, 2, 3, 4], [0, -1]); // [2, 3]
 */
export function deleteEntries(arr: ArrayLike, obj: number | readonly number[], opts: { axis?: number } = {}): NDArray {
  opts = deleteOpts(opts);
  const op = "np.delete";
  requireStatic(op, "obj", obj, "an index");
  let a = asarray(arr, undefined, op, "arr");
  if (opts.axis === undefined) a = reshape(a, [a.size]);
  const axis = normAxis(op, opts.axis ?? 0, a.ndim);
  const n = a.shape[axis]!;
  const drop = new Set(
    (typeof obj === "number" ? [obj] : obj).map((i) => {
      if (!Number.isInteger(i) || i < -n || i >= n) throw new IndexError(`${op}: index ${i} is out of bounds for axis ${axis} with size ${n}`);
      return i < 0 ? i + n : i;
    }),
  );
  const keep = Array.from({ length: n }, (_, i) => i).filter((i) => !drop.has(i));
  return take(a, asarray(keep, "int32"), { axis });
}
export { deleteEntries as delete };
