/**
 * @file Indexing functions: `take`, `takeAlongAxis`, `choose`, `select` (differentiable in the
 * values), and `nonzero`, `flatnonzero`, `argwhere`, `searchsorted` (integer results, zero gradient).
 */
import { ConcreteArray, type NDArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { broadcastShapes, normAxis, prepare } from "./broadcast.ts";
import { where } from "./logic.ts";
import * as s from "../primitives/structural.ts";
import { add, fullLike, max, min, mod } from "../primitives/binary.ts";
import { eq, le, lt, select as laxSelect } from "../primitives/compare.ts";
import { reduceSum } from "../primitives/reduce.ts";
import { isComplex, promote } from "../core/dtype.ts";
import { gather, searchsorted as laxSearchsorted } from "../primitives/gather.ts";
import { concreteOf, indexArray, intArray, nonzeroOf } from "./fancy.ts";
import { AxisError, fmtShape, IndexError, ShapeError, TracerConversionError } from "../core/errors.ts";
import * as P from "../core/parse.ts";

const takeOpts = P.options("np.take", { axis: P.axisOrNull, mode: P.oneOf("raise", "wrap", "clip") });
const takeAlongAxisOpts = P.options("np.takeAlongAxis", { axis: P.axisOrNull }, { positional: "axis" });
const searchsortedOpts = P.options("np.searchsorted", { side: P.oneOf("left", "right") });

/** How `take` treats out-of-range indices: raise (NumPy's default), wrap around, or clip to the ends. */
export type TakeMode = "raise" | "wrap" | "clip";

/** Integer indices for an axis of `n` under `mode` (`raise`: checked and wrapped once, as in NumPy). */
function modeIndices(op: string, indices: ArrayLike, n: number, axis: number, mode: TakeMode): NDArray {
  if (mode === "raise") return indexArray(op, indices, n, axis);
  const idx = intArray(op, indices);
  if (n === 0) throw new IndexError(`${op}: cannot take from an empty axis ${axis}`);
  if (mode === "wrap") return mod(idx, fullLike(idx, n));
  if (mode === "clip") return min(max(idx, fullLike(idx, 0)), fullLike(idx, n - 1));
  throw new TypeError(`${op}: mode must be "raise", "wrap" or "clip", got ${JSON.stringify(mode)}`);
}

/**
 * `np.take(a, indices, {axis, mode})`: elements of `a` at `indices` along `axis` (of the flattened
 * array when `axis` is omitted). Differentiable in `a`; repeated indices accumulate gradient.
 * @example
 * np.take(np.array([4, 5, 6]), [2, 0, 2]); // [6, 4, 6]
 */
export function take(a: ArrayLike, indices: ArrayLike, opts: { axis?: number | null; mode?: TakeMode } = {}): NDArray {
  opts = takeOpts(opts);
  let x = asarray(a, undefined, "np.take", "a");
  let axis = 0;
  if (opts.axis === undefined || opts.axis === null) x = s.reshape(x, [x.size]);
  else axis = normAxis("np.take", opts.axis, x.ndim);
  return gather(x, modeIndices("np.take", indices, x.shape[axis]!, axis, opts.mode ?? "raise"), axis);
}

/**
 * `np.takeAlongAxis(a, indices, axis = -1)` (or `{axis}`): picks along `axis` with an index array of `a`'s rank (the
 * other axes broadcast), as returned by `argsort`/`argmax` with `keepdims`; `axis = null` works on
 * the flattened array.
 * @example
 * np.takeAlongAxis(np.array([[10, 30, 20]]), np.array([[1]], { dtype: "int32" }), 1); // [[30]]
 */
export function takeAlongAxis(a: ArrayLike, indices: ArrayLike, axisOrOpts?: number | null | { axis?: number | null }): NDArray {
  const given = takeAlongAxisOpts(axisOrOpts).axis;
  const axis = given === undefined ? -1 : given; // NumPy ≥ 2.3's default
  const op = "np.takeAlongAxis";
  let x = asarray(a, undefined, op, "arr");
  let idx = asarray(indices, undefined, op, "indices");
  if (axis === null) {
    if (idx.ndim !== 1) throw new ShapeError(`${op}: with axis null, indices must be 1-D, got shape ${fmtShape(idx.shape)}`);
    x = s.reshape(x, [x.size]);
  }
  const ax = axis === null ? 0 : normAxis(op, axis, x.ndim);
  if (idx.ndim !== x.ndim) {
    throw new ShapeError(
      `${op}: indices and arr must have the same number of dimensions, got shapes ${fmtShape(idx.shape)} and ${fmtShape(x.shape)}`,
    );
  }
  const n = x.shape[ax]!;
  idx = indexArray(op, idx, n, ax);
  // Broadcast every axis but `axis`, then read row r of the moved-last array at r·n + idx.
  const others = (shape: readonly number[]) => shape.filter((_, i) => i !== ax);
  const common = broadcastShapes(op, others(x.shape), others(idx.shape));
  const withAxis = (d: number) => {
    const sh = common.slice();
    sh.splice(ax, 0, d);
    return sh;
  };
  const xm = s.moveaxis(s.broadcastTo(x, withAxis(n)), ax, x.ndim - 1);
  const im = s.moveaxis(s.broadcastTo(idx, withAxis(idx.shape[ax]!)), ax, x.ndim - 1);
  const k = im.shape[im.ndim - 1]!;
  const rows = common.reduce((p, d) => p * d, 1);
  const base = new Int32Array(rows * k).map((_, i) => Math.floor(i / k) * n);
  const flat = add(im, new ConcreteArray(base, im.shape, "int32"));
  const out = gather(s.reshape(xm, [rows * n]), flat, 0);
  return s.moveaxis(out, x.ndim - 1, ax);
}

/**
 * `np.choose(a, choices)`: `choices[a[i]][i]`, with `a` and every choice broadcast together.
 * Differentiable in the choices.
 * @example
 * np.choose(np.array([0, 1, 0], { dtype: "int32" }), [[1, 2, 3], [10, 20, 30]]); // [1, 20, 3]
 */
export function choose(a: ArrayLike, choices: readonly ArrayLike[]): NDArray {
  const op = "np.choose";
  if (choices.length === 0) throw new TypeError(`${op}: choices must not be empty`);
  const sel = asarray(a, undefined, op, "a");
  const c = concreteOf(sel);
  if (sel.dtype !== "int32" && !(c !== null && c.data.every(Number.isInteger))) {
    throw new TypeError(`${op}: a must hold integers, got ${sel.dtype} of shape ${fmtShape(sel.shape)}`);
  }
  if (c !== null) {
    const bad = c.data.find((v) => v < 0 || v >= choices.length);
    if (bad !== undefined) throw new IndexError(`${op}: invalid entry ${bad} in the choice array a (there are ${choices.length} choices)`);
  }
  const vals = prepare(op, choices, false, choices.map((_, i) => `choices[${i}]`));
  const shape = broadcastShapes(op, sel.shape, vals[0]!.shape);
  const idx = s.broadcastTo(s.convert(sel, "int32"), shape);
  let out = s.broadcastTo(vals[0]!, shape);
  for (let i = 1; i < vals.length; i++) out = laxSelect(eq(idx, fullLike(idx, i)), s.broadcastTo(vals[i]!, shape), out);
  return out;
}

/**
 * `np.select(condlist, choicelist, default = 0)`: from the first condition that holds, its choice;
 * `default` where none does. Differentiable in the choices and the default.
 * @example
 * const x = np.array([-2, 0, 3]);
 * np.select([x.lt(0), x.gt(0)], [x.neg(), x.mul(10)], -1); // [2, -1, 30]
 */
export function select(condlist: readonly ArrayLike[], choicelist: readonly ArrayLike[], defaultValue: ArrayLike = 0): NDArray {
  const op = "np.select";
  if (condlist.length !== choicelist.length) {
    throw new ShapeError(`${op}: list of cases must be same length as list of conditions (${condlist.length} conditions, ${choicelist.length} choices)`);
  }
  condlist.forEach((c, i) => {
    const cond = asarray(c, undefined, op, `condlist[${i}]`);
    if (cond.dtype !== "bool") throw new TypeError(`${op}: condlist[${i}] must be a boolean array, got ${cond.dtype}`);
  });
  let out = asarray(defaultValue, undefined, op, "default");
  for (let i = condlist.length - 1; i >= 0; i--) out = where(condlist[i]!, choicelist[i]!, out);
  return out;
}

/** The concrete value of `x` for functions whose output shape depends on it. */
function needConcrete(op: string, x: NDArray): ConcreteArray {
  const c = concreteOf(x);
  if (c === null) {
    throw new TracerConversionError(
      `${op}: the result's shape depends on the values of its argument, which is traced here (e.g. batched by vmap). ` +
        "Use np.where(cond, x, y) to keep shapes fixed, or call it outside the transformation.",
    );
  }
  return c;
}

/**
 * `np.nonzero(x)`: the indices of the nonzero elements, one int32 array per axis (a JS array).
 * Needs a concrete `x` (not batched by `vmap`).
 * @example
 * const [rows, cols] = np.nonzero(np.array([[0, 1], [2, 0]]));
 * rows; // [0, 1]
 * cols; // [1, 0]
 */
export function nonzero(x: ArrayLike): NDArray[] {
  const a = asarray(x, undefined, "np.nonzero", "a");
  if (a.ndim === 0) {
    throw new ShapeError("np.nonzero: calling nonzero on 0-d arrays is not allowed; use np.nonzero(np.atleast1d(x)) instead");
  }
  return nonzeroOf(needConcrete("np.nonzero", a));
}

/**
 * `np.flatnonzero(x)`: indices of the nonzero elements of the flattened array.
 * @example
 * np.flatnonzero([[0, 2], [3, 0]]); // [1, 2]
 */
export function flatnonzero(x: ArrayLike): NDArray {
  const a = asarray(x, undefined, "np.flatnonzero", "a");
  return nonzeroOf(needConcrete("np.flatnonzero", s.reshape(a, [a.size])) as ConcreteArray)[0]!;
}

/**
 * `np.argwhere(x)`: the indices of the nonzero elements as an int32 array of shape `[count, ndim]`.
 * @example
 * np.argwhere(np.array([[0, 1], [2, 0]])); // [[0, 1], [1, 0]]
 */
export function argwhere(x: ArrayLike): NDArray {
  const a = asarray(x, undefined, "np.argwhere", "a");
  const c = needConcrete("np.argwhere", a);
  if (a.ndim === 0) return new ConcreteArray(new Int32Array(0), [c.data[0] ? 1 : 0, 0], "int32");
  const cols = nonzeroOf(c) as ConcreteArray[];
  const count = cols[0]!.size;
  const out = new Int32Array(count * a.ndim);
  cols.forEach((col, d) => col.data.forEach((v, i) => (out[i * a.ndim + d] = v)));
  return new ConcreteArray(out, [count, a.ndim], "int32");
}

/**
 * `np.searchsorted(a, v, {side})`: where to insert each value of `v` into the sorted 1-D `a` to keep
 * it sorted (`"left"`: before equal elements, `"right"`: after). int32, zero gradient; batchable.
 * @example
 * np.searchsorted(np.array([1, 2, 2, 3]), [2, 2.5], { side: "right" }); // [3, 3]
 */
export function searchsorted(a: ArrayLike, v: ArrayLike, opts: { side?: "left" | "right" } = {}): NDArray {
  opts = searchsortedOpts(opts);
  const op = "np.searchsorted";
  const side = opts.side ?? "left";
  if (side !== "left" && side !== "right") {
    throw new TypeError(`${op}: side must be "left" or "right", got ${JSON.stringify(side)}`);
  }
  const arr = asarray(a, undefined, op, "a");
  if (arr.ndim !== 1) throw new AxisError(`${op}: a must be 1-D, got shape ${fmtShape(arr.shape)}`);
  const vals = asarray(v, undefined, op, "v");
  if (isComplex(arr.dtype) || isComplex(vals.dtype)) return searchsortedLexicographic(arr, vals, side);
  return laxSearchsorted(arr, vals, side);
}

/**
 * `searchsorted` on complex values, ordered as NumPy orders them (by real part, then imaginary):
 * the insertion index of `v` in sorted `a` is how many elements of `a` are below it (`"left"`) or
 * not above it (`"right"`) — counted over all of `a`, O(n·m), from the lexicographic comparisons.
 */
function searchsortedLexicographic(a: NDArray, v: NDArray, side: "left" | "right"): NDArray {
  const dt = promote(a.dtype, v.dtype);
  const av = s.reshape(s.convert(a, dt), [...Array<number>(v.ndim).fill(1), a.shape[0]!]);
  const vv = s.reshape(s.convert(v, dt), [...v.shape, 1]);
  const shape = [...v.shape, a.shape[0]!];
  const below = (side === "left" ? lt : le)(s.broadcastTo(av, shape), s.broadcastTo(vv, shape));
  return reduceSum(s.convert(below, "int32"), [v.ndim]);
}
