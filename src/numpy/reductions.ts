/** @file Reductions with NumPy's `axis`/`keepdims` options, and compositions of them (`mean`, `var`, …). */
import type { NDArray, ArrayLike, ReduceOptions } from "./ndarray.ts";
import { asarray } from "./creation.ts";
import { normAxes, normAxis } from "./broadcast.ts";
import * as r from "../primitives/reduce.ts";
import { reshape, convert, transpose, concatenate, slice } from "../primitives/structural.ts";
import { mul as laxMul } from "../primitives/binary.ts";
import { full } from "./creation.ts";
import { isFloat } from "./dtype.ts";
import { ShapeError } from "../errors.ts";
import { divide, multiply, subtract } from "./math.ts";

const keep = (y: NDArray, shape: readonly number[], axes: readonly number[], keepdims?: boolean): NDArray =>
  keepdims ? reshape(y, shape.map((d, i) => (axes.includes(i) ? 1 : d))) : y;

/** `np.sum(x, {axis, keepdims})`; bools and integers sum as int32. */
export function sum(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  let a = asarray(x, undefined, "np.sum", "a");
  if (a.dtype === "bool") a = convert(a, "int32");
  const axes = normAxes("np.sum", opts.axis, a.ndim);
  return keep(r.reduceSum(a, axes), a.shape, axes, opts.keepdims);
}

function extremum(name: string, f: (x: NDArray, axes: readonly number[]) => NDArray) {
  return (x: ArrayLike, opts: ReduceOptions = {}): NDArray => {
    const a = asarray(x, undefined, `np.${name}`, "a");
    const axes = normAxes(`np.${name}`, opts.axis, a.ndim);
    for (const ax of axes) {
      if (a.shape[ax] === 0) throw new ShapeError(`np.${name}: zero-size array along axis ${ax} has no ${name}imum`);
    }
    return keep(f(a, axes), a.shape, axes, opts.keepdims);
  };
}
export const max = extremum("max", r.reduceMax);
export const min = extremum("min", r.reduceMin);
export const amax = max;
export const amin = min;

/** `np.mean(x, {axis, keepdims})`. */
export function mean(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  const a = asarray(x, undefined, "np.mean", "a");
  const axes = normAxes("np.mean", opts.axis, a.ndim);
  const n = axes.reduce((p, ax) => p * a.shape[ax]!, 1);
  return divide(sum(isFloat(a.dtype) ? a : convert(a, "float64"), opts), n);
}

/** `np.var(x, {axis, keepdims, ddof})`. */
export function variance(x: ArrayLike, opts: ReduceOptions & { ddof?: number } = {}): NDArray {
  const a = asarray(x, undefined, "np.var", "a");
  const axes = normAxes("np.var", opts.axis, a.ndim);
  const n = axes.reduce((p, ax) => p * a.shape[ax]!, 1);
  const d = subtract(a, mean(a, { axis: axes, keepdims: true }));
  return divide(sum(multiply(d, d), { axis: axes, keepdims: opts.keepdims ?? false }), n - (opts.ddof ?? 0));
}

/** `np.std(x, {axis, keepdims, ddof})`. */
export const std = (x: ArrayLike, opts: ReduceOptions & { ddof?: number } = {}): NDArray =>
  variance(x, opts).sqrt();

function argFn(name: string, f: (x: NDArray, axis: number) => NDArray) {
  return (x: ArrayLike, opts: { axis?: number | null; keepdims?: boolean } = {}): NDArray => {
    let a = asarray(x, undefined, `np.${name}`, "a");
    if (a.size === 0) throw new ShapeError(`np.${name}: attempt to get ${name} of an empty sequence`);
    if (opts.axis === null || opts.axis === undefined) {
      a = reshape(a, [a.size]);
      return f(a, 0);
    }
    const axis = normAxis(`np.${name}`, opts.axis, a.ndim);
    return keep(f(a, axis), a.shape, [axis], opts.keepdims);
  };
}
export const argmax = argFn("argmax", r.argmax);
export const argmin = argFn("argmin", r.argmin);

/** `np.cumsum(x, {axis})`; without an axis, over the flattened array. */
export function cumsum(x: ArrayLike, opts: { axis?: number | null } = {}): NDArray {
  let a = asarray(x, undefined, "np.cumsum", "a");
  if (a.dtype === "bool") a = convert(a, "int32");
  if (opts.axis === null || opts.axis === undefined) return r.cumsum(reshape(a, [a.size]), 0);
  return r.cumsum(a, normAxis("np.cumsum", opts.axis, a.ndim));
}

/**
 * `np.prod(x, {axis, keepdims})`, as a tree of pairwise products: exact at zeros (where the
 * `prod / x` trick fails) and differentiable to any order, in log₂(n) steps.
 */
export function prod(x: ArrayLike, opts: ReduceOptions = {}): NDArray {
  let a = asarray(x, undefined, "np.prod", "a");
  if (a.dtype === "bool") a = convert(a, "int32");
  const axes = normAxes("np.prod", opts.axis, a.ndim);
  const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => a.shape[i]!);
  let n = axes.reduce((p, ax) => p * a.shape[ax]!, 1);
  let y = reshape(transpose(a, [...kept, ...axes]), [...keptShape, n]);
  const lead = keptShape.map(() => 0);
  const unit = keptShape.map(() => 1);
  while (n > 1) {
    if (n % 2 === 1) {
      y = concatenate([y, full([...keptShape, 1], 1, { dtype: y.dtype })], y.ndim - 1);
      n++;
    }
    const half = [...keptShape, n / 2];
    y = laxMul(slice(y, [...lead, 0], [...unit, 2], half), slice(y, [...lead, 1], [...unit, 2], half));
    n /= 2;
  }
  const out = n === 1 ? reshape(y, keptShape) : full(keptShape, 1, { dtype: a.dtype });
  return keep(out, a.shape, axes, opts.keepdims);
}
