/** @file Shape manipulation: reshape, transpose, axes, broadcasting, joining. */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { broadcastShapes, normAxes, normAxis } from "./broadcast.ts";
import * as s from "../primitives/structural.ts";
import { promote } from "../core/dtype.ts";
import { AxisError, fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const squeezeOpts = P.options("np.squeeze", { axis: P.axes }, { positional: "axis" });
const concatenateOpts = P.options("np.concatenate", { axis: P.axis }, { positional: "axis" });
const stackOpts = P.options("np.stack", { axis: P.axis }, { positional: "axis" });

/**
 * `np.reshape(x, shape)`; one dimension may be `-1`.
 * @example
 * np.reshape(np.arange(6), [2, -1]); // [[0, 1, 2], [3, 4, 5]]
 */
export function reshape(x: ArrayLike, shape: number | readonly number[]): NDArray {
  const a = asarray(x, undefined, "np.reshape", "a");
  requireStatic("np.reshape", "shape", shape, "a shape");
  const want = P.parseShape("np.reshape", shape, "newshape", true);
  const known = want.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const unknown = want.filter((d) => d === -1).length;
  const bad = () =>
    new ShapeError(`np.reshape: cannot reshape an array of size ${a.size} (shape ${fmtShape(a.shape)}) into shape ${fmtShape(want)}`);
  if (unknown === 1) {
    if (known === 0 || a.size % known !== 0) throw bad();
    want[want.indexOf(-1)] = a.size / known;
  } else if (known !== a.size) throw bad();
  return s.reshape(a, want);
}

/**
 * `np.transpose(x, axes?)`: reverses the axes, or permutes them.
 * @example
 * np.transpose([[1, 2, 3]]); // [[1], [2], [3]]
 */
export function transpose(x: ArrayLike, axes?: readonly number[]): NDArray {
  const a = asarray(x, undefined, "np.transpose", "a");
  if (axes === undefined || axes === null) return s.transpose(a, a.shape.map((_, i) => a.ndim - 1 - i));
  if (!Array.isArray(axes)) throw new TypeError(`np.transpose: axes must be an array of integers; got ${P.describe(axes)}`);
  if (axes.length !== a.ndim) {
    throw new AxisError(`np.transpose: axes ${JSON.stringify(axes)} don't match an array of shape ${fmtShape(a.shape)}`);
  }
  const perm = axes.map((ax) => normAxis("np.transpose", ax, a.ndim));
  if (new Set(perm).size !== perm.length) throw new AxisError(`np.transpose: repeated axis in ${JSON.stringify(axes)}`);
  return s.transpose(a, perm);
}

/**
 * `np.swapaxes(x, axis1, axis2)`: the array with the two axes interchanged (a transpose).
 * @example
 * np.swapaxes([[1, 2, 3]], 0, 1); // [[1], [2], [3]]
 */
export function swapaxes(x: ArrayLike, a1: number, a2: number): NDArray {
  const a = asarray(x, undefined, "np.swapaxes", "a");
  const perm = a.shape.map((_, i) => i);
  const i = normAxis("np.swapaxes", a1, a.ndim);
  const j = normAxis("np.swapaxes", a2, a.ndim);
  [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  return s.transpose(a, perm);
}

/**
 * `np.moveaxis(x, source, destination)`: the array with the source axes moved to the destination positions, the other axes keeping their order.
 * @example
 * np.moveaxis(np.zeros([2, 3, 4]), 0, -1).shape; // [3, 4, 2]
 */
export function moveaxis(x: ArrayLike, source: number | readonly number[], destination: number | readonly number[]): NDArray {
  const a = asarray(x, undefined, "np.moveaxis", "a");
  requireStatic("np.moveaxis", "source", source, "an axis");
  requireStatic("np.moveaxis", "destination", destination, "an axis");
  const src = P.parseInts("np.moveaxis", "source", source).map((ax) => normAxis("np.moveaxis", ax, a.ndim));
  const dst = P.parseInts("np.moveaxis", "destination", destination).map((ax) => normAxis("np.moveaxis", ax, a.ndim));
  if (src.length !== dst.length) {
    throw new AxisError(`np.moveaxis: source ${JSON.stringify(source)} and destination ${JSON.stringify(destination)} must have the same number of elements`);
  }
  if (new Set(src).size !== src.length || new Set(dst).size !== dst.length) throw new AxisError("np.moveaxis: repeated axis");
  // The other axes keep their order; each source axis is then placed at its destination.
  const perm = a.shape.map((_, i) => i).filter((i) => !src.includes(i));
  const pairs = dst.map((d, k) => [d, src[k]!] as const).sort((p, q) => p[0] - q[0]);
  for (const [d, sAx] of pairs) perm.splice(d, 0, sAx);
  return s.transpose(a, perm);
}

/**
 * `np.expandDims(x, axis)`: inserts size-1 axes at the given positions of the result.
 * @example
 * np.expandDims([1, 2], 0); // [[1, 2]]
 */
export function expandDims(x: ArrayLike, axis: number | readonly number[]): NDArray {
  const a = asarray(x, undefined, "np.expandDims", "a");
  const list = typeof axis === "number" ? [axis] : axis;
  const outNdim = a.ndim + list.length;
  const axes = normAxes("np.expandDims", list, outNdim);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < outNdim; i++) shape.push(axes.includes(i) ? 1 : a.shape[k++]!);
  return s.reshape(a, shape);
}

/**
 * `np.squeeze(x, {axis})`: removes size-1 axes (all of them, or the given ones, which must be 1).
 * @example
 * np.squeeze([[[1], [2]]]); // [1, 2]
 */
export function squeeze(x: ArrayLike, opts: { axis?: number | readonly number[] | null } | number | readonly number[] = {}): NDArray {
  const { axis } = squeezeOpts(opts);
  const a = asarray(x, undefined, "np.squeeze", "a");
  const axes =
    axis === undefined || axis === null ? a.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normAxes("np.squeeze", axis, a.ndim);
  for (const ax of axes) {
    if (a.shape[ax] !== 1) {
      throw new ShapeError(`np.squeeze: cannot select axis ${ax} of shape ${fmtShape(a.shape)}: its size is not 1`);
    }
  }
  return s.reshape(a, a.shape.filter((_, i) => !axes.includes(i)));
}

/**
 * `np.ravel(x)`: the array flattened to one axis in row-major (C) order; `order` is not supported.
 * @example
 * np.ravel([[1, 2], [3, 4]]); // [1, 2, 3, 4]
 */
export const ravel = (x: ArrayLike): NDArray => {
  const a = asarray(x, undefined, "np.ravel", "a");
  return s.reshape(a, [a.size]);
};

/**
 * `np.broadcastTo(x, shape)`.
 * @example
 * np.broadcastTo([1, 2], [2, 2]); // [[1, 2], [1, 2]]
 */
export function broadcastTo(x: ArrayLike, shape: readonly number[]): NDArray {
  const a = asarray(x, undefined, "np.broadcastTo", "array");
  requireStatic("np.broadcastTo", "shape", shape, "a shape");
  P.parseShape("np.broadcastTo", shape);
  const out = broadcastShapes("np.broadcastTo", a.shape, shape);
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`np.broadcastTo: cannot broadcast an array of shape ${fmtShape(a.shape)} to ${fmtShape(shape)}`);
  }
  return s.broadcastTo(a, shape);
}

/**
 * `np.broadcast_arrays(...xs)`: the arguments broadcast against each other to their common shape.
 * @example
 * np.broadcastArrays([1, 2], [[0], [10]])[0]; // [[1, 2], [1, 2]]
 */
export function broadcastArrays(...xs: ArrayLike[]): NDArray[] {
  const arrays = xs.map((x, i) => asarray(x, undefined, "np.broadcastArrays", `arrays[${i}]`));
  const shape = broadcastShapes("np.broadcastArrays", ...arrays.map((a) => a.shape));
  return arrays.map((a) => s.broadcastTo(a, shape));
}

/**
 * `np.concatenate(arrays, {axis = 0})`.
 * @example
 * np.concatenate([[1, 2], [3]]); // [1, 2, 3]
 */
export function concatenate(xs: readonly ArrayLike[], opts: { axis?: number } | number = {}): NDArray {
  if (!Array.isArray(xs)) throw new TypeError(`np.concatenate: arrays must be a JS array of arrays, as in np.concatenate([a, b]); got ${P.describe(xs)}`);
  opts = concatenateOpts(opts);
  if (xs.length === 0) throw new TypeError("np.concatenate: need at least one array to concatenate");
  const arrays = xs.map((x, i) => asarray(x, undefined, "np.concatenate", `arrays[${i}]`));
  const nd = arrays[0]!.ndim;
  if (nd === 0) throw new ShapeError("np.concatenate: zero-dimensional arrays cannot be concatenated");
  const axis = normAxis("np.concatenate", opts.axis ?? 0, nd);
  const dtype = arrays.map((a) => a.dtype).reduce(promote);
  arrays.forEach((a, i) => {
    if (a.ndim !== nd || a.shape.some((d, j) => j !== axis && d !== arrays[0]!.shape[j])) {
      throw new ShapeError(
        `np.concatenate: all input array dimensions except axis ${axis} must match; got ${arrays.map((b) => fmtShape(b.shape)).join(", ")} (arrays[${i}] differs)`,
      );
    }
  });
  const cast = arrays.map((a) => s.convert(a, dtype));
  return cast.length === 1 ? cast[0]! : s.concatenate(cast, axis);
}

/**
 * `np.stack(arrays, {axis = 0})`: joins along a new axis.
 * @example
 * np.stack([[1, 2], [3, 4]], { axis: 1 }); // [[1, 3], [2, 4]]
 */
export function stack(xs: readonly ArrayLike[], opts: { axis?: number } | number = {}): NDArray {
  if (!Array.isArray(xs)) throw new TypeError(`np.stack: arrays must be a JS array of arrays, as in np.stack([a, b]); got ${P.describe(xs)}`);
  opts = stackOpts(opts);
  if (xs.length === 0) throw new TypeError("np.stack: need at least one array to stack");
  const arrays = xs.map((x, i) => asarray(x, undefined, "np.stack", `arrays[${i}]`));
  arrays.forEach((a) => {
    if (a.ndim !== arrays[0]!.ndim || a.shape.some((d, j) => d !== arrays[0]!.shape[j])) {
      throw new ShapeError(`np.stack: all input arrays must have the same shape; got ${arrays.map((b) => fmtShape(b.shape)).join(", ")}`);
    }
  });
  const axis = normAxis("np.stack", opts.axis ?? 0, arrays[0]!.ndim + 1);
  return concatenate(arrays.map((a) => expandDims(a, axis)), { axis });
}

