/**
 * @file Helpers the reduction modules share (`reductions.ts`, `nan-reductions.ts`): reinserting
 * reduced axes for `keepdims`, counting truthy elements, and the flatten-or-axis convention of the
 * cumulative functions. Internal: not part of `np`.
 */
import type { NDArray, ArrayLike, ReduceOptions } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { normAxes, normAxis } from "./broadcast.ts";
import * as s from "../primitives/structural.ts";
import { reshape } from "../primitives/structural.ts";
import { fullLike } from "../primitives/binary.ts";
import { ne } from "../primitives/compare.ts";
import { reduceSum } from "../primitives/reduce.ts";

/** `y` with the reduced `axes` of `shape` put back as length-1 axes when `keepdims`. */
export const keep = (y: NDArray, shape: readonly number[], axes: readonly number[], keepdims?: boolean): NDArray =>
  keepdims ? reshape(y, shape.map((d, i) => (axes.includes(i) ? 1 : d))) : y;

export type VarOptions = ReduceOptions & { ddof?: number | NDArray };

/** How many elements are truthy (`x != 0`; NaN counts) over the axes, as int32. */
export function countTrue(op: string, m: NDArray, opts: ReduceOptions): NDArray {
  const axes = normAxes(op, opts.axis, m.ndim);
  return keep(reduceSum(s.convert(m, "int32"), axes), m.shape, axes, opts.keepdims);
}

/** A bool array of `x != 0` (bools as they are). */
export const truthy = (a: NDArray): NDArray => (a.dtype === "bool" ? a : ne(a, fullLike(a, 0)));

/** `x` flattened when `axis` is null or missing (bools as int32), else `x` and its normalised axis. */
export function flatOrAxis(op: string, x: ArrayLike, axis: number | null | undefined): [NDArray, number] {
  let a = asarray(x, undefined, op, "a");
  if (a.dtype === "bool") a = s.convert(a, "int32");
  if (axis === null || axis === undefined) return [s.reshape(a, [a.size]), 0];
  return [a, normAxis(op, axis, a.ndim)];
}
