/**
 * @file Rearranging arrays: stacking, splitting, tiling, flipping, rolling, diagonals and
 * triangles (`vstack`, `split`, `tile`, `repeat`, `flip`, `roll`, `diagonal`, `tril`,
 * `meshgrid`, …), all compositions of the structural primitives (reshape, transpose, broadcast,
 * strided slice, unslice, concatenate, select), so every one is
 * differentiable to any order and batches under `vmap`.
 */
import { NDArray, ConcreteArray, type ArrayLike } from "../core/ndarray.ts";
import { asarray, full } from "./creation.ts";
import { normAxes, normAxis } from "./broadcast.ts";
import { broadcastTo, concatenate } from "./shape.ts";
import * as s from "../primitives/structural.ts";
import { select } from "../primitives/compare.ts";
import { reduceSum } from "../primitives/reduce.ts";
import { bind1 } from "../core/trace.ts";
import { AxisError, fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const splitOpts = P.options("np.split", { axis: P.axis });
const arraySplitOpts = P.options("np.arraySplit", { axis: P.axis });
const repeatOpts = P.options("np.repeat", { axis: P.axisOrNull });
const flipOpts = P.options("np.flip", { axis: P.axes });
const rollOpts = P.options("np.roll", { axis: P.axes });
const rot90Opts = P.options("np.rot90", { axes: P.axisPair });
const diagonalSchema = { offset: P.int, axis1: P.axis, axis2: P.axis } as const;
const diagonalOpts = P.options("np.diagonal", diagonalSchema);
const traceOpts = P.options("np.trace", diagonalSchema);
const meshgridOpts = P.options("np.meshgrid", { indexing: P.oneOf("xy", "ij"), sparse: P.bool });
const appendOpts = P.options("np.append", { axis: P.axisOrNull });

type Axis = number | readonly number[] | null | undefined;

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** `x` with size-`n` `axis` made by broadcasting its size-1 `axis`. */
function stretch(x: NDArray, axis: number, n: number): NDArray {
  const shape = x.shape.slice();
  shape[axis] = n;
  return bind1(s.broadcastInDimP, [x], { shape, dims: range(x.ndim) });
}

/** The strided slice `start::step` (`count` elements) of one axis. */
export function sliceAxis(x: NDArray, axis: number, start: number, step: number, count: number): NDArray {
  const size = x.shape.slice();
  size[axis] = count;
  const st = x.shape.map((_, i) => (i === axis && count > 0 ? start : 0));
  return s.slice(x, st, x.shape.map((_, i) => (i === axis ? step : 1)), size);
}

/**
 * `x` along `axis` at the given concrete indices (repeats and any order allowed). The indices are cut
 * into arithmetic runs, each one strided slice (a run of one index repeated is a broadcast), then
 * joined, so the result differentiates like any slice.
 */
export function takeAxis(x: NDArray, axis: number, idx: readonly number[]): NDArray {
  if (idx.length === 0) return sliceAxis(x, axis, 0, 1, 0);
  const pieces: NDArray[] = [];
  let i = 0;
  while (i < idx.length) {
    let j = i + 1;
    const step = j < idx.length ? idx[j]! - idx[i]! : 1;
    while (j < idx.length && idx[j]! - idx[j - 1]! === step) j++;
    const count = j - i;
    pieces.push(step === 0 ? stretch(sliceAxis(x, axis, idx[i]!, 1, 1), axis, count) : sliceAxis(x, axis, idx[i]!, step, count));
    i = j;
  }
  return pieces.length === 1 ? pieces[0]! : s.concatenate(pieces, axis);
}

/**
 * `np.flatten(x)`: the same as `np.ravel` (a copy in NumPy; arrays are immutable here).
 * @example
 * np.flatten([[1, 2], [3, 4]]); // [1, 2, 3, 4]
 */
export const flatten = (x: ArrayLike): NDArray => {
  const a = asarray(x, undefined, "np.flatten", "a");
  return s.reshape(a, [a.size]);
};

// ---------------------------------------------------------------- atleast, stacking

function atleast(name: string, nd: number, x: ArrayLike, i: number): NDArray {
  const a = asarray(x, undefined, `np.${name}`, `arys[${i}]`);
  if (a.ndim >= nd) return a;
  // NumPy: 1d: () → (1,); 2d: () → (1, 1), (n,) → (1, n); 3d: () → (1, 1, 1), (n,) → (1, n, 1), (m, n) → (m, n, 1).
  if (nd === 3 && a.ndim === 2) return s.reshape(a, [...a.shape, 1]);
  if (nd === 3) return s.reshape(a, [1, a.size, 1]);
  return s.reshape(a, nd === 2 ? [1, a.size] : [1]);
}

/**
 * `np.atleast1d(x)`: `x` with at least one axis; with several arguments, a JS array of them.
 * @example
 * np.atleast1d(5).shape; // [1]
 */
export function atleast1d(x: ArrayLike): NDArray;
export function atleast1d(...xs: ArrayLike[]): NDArray[];
export function atleast1d(...xs: ArrayLike[]): NDArray | NDArray[] {
  const out = xs.map((x, i) => atleast("atleast1d", 1, x, i));
  return out.length === 1 ? out[0]! : out;
}
/**
 * `np.atleast2d(x)`: a 1-D `(n,)` becomes `(1, n)`.
 * @example
 * np.atleast2d([1, 2]); // [[1, 2]]
 */
export function atleast2d(x: ArrayLike): NDArray;
export function atleast2d(...xs: ArrayLike[]): NDArray[];
export function atleast2d(...xs: ArrayLike[]): NDArray | NDArray[] {
  const out = xs.map((x, i) => atleast("atleast2d", 2, x, i));
  return out.length === 1 ? out[0]! : out;
}
/**
 * `np.atleast3d(x)`: `(n,)` becomes `(1, n, 1)` and `(m, n)` becomes `(m, n, 1)`, as NumPy.
 * @example
 * np.atleast3d([1, 2]).shape; // [1, 2, 1]
 */
export function atleast3d(x: ArrayLike): NDArray;
export function atleast3d(...xs: ArrayLike[]): NDArray[];
export function atleast3d(...xs: ArrayLike[]): NDArray | NDArray[] {
  const out = xs.map((x, i) => atleast("atleast3d", 3, x, i));
  return out.length === 1 ? out[0]! : out;
}

const nonEmpty = (name: string, xs: readonly ArrayLike[]): void => {
  if (!Array.isArray(xs) || xs.length === 0) throw new TypeError(`np.${name}: need a non-empty JS array of arrays`);
};

/**
 * `np.vstack(arrays)`: 1-D arrays become rows, then joined along axis 0.
 * @example
 * np.vstack([[1, 2], [3, 4]]); // [[1, 2], [3, 4]]
 */
export function vstack(xs: readonly ArrayLike[]): NDArray {
  nonEmpty("vstack", xs);
  return concatenate(xs.map((x, i) => atleast("vstack", 2, x, i)), { axis: 0 });
}
/**
 * `np.row_stack(arrays)`: an alias of {@link vstack}.
 * @example
 * np.rowStack([[1, 2], [3, 4]]); // [[1, 2], [3, 4]]
 */
export const rowStack = vstack;

/**
 * `np.hstack(arrays)`: joined along axis 1 (axis 0 for 1-D arrays).
 * @example
 * np.hstack([[1, 2], [3]]); // [1, 2, 3]
 */
export function hstack(xs: readonly ArrayLike[]): NDArray {
  nonEmpty("hstack", xs);
  const arrays = xs.map((x, i) => atleast("hstack", 1, x, i));
  return concatenate(arrays, { axis: arrays[0]!.ndim === 1 ? 0 : 1 });
}

/**
 * `np.dstack(arrays)`: joined along a third axis (see `atleast3d`).
 * @example
 * np.dstack([[1, 2], [3, 4]]); // [[[1, 3], [2, 4]]]
 */
export function dstack(xs: readonly ArrayLike[]): NDArray {
  nonEmpty("dstack", xs);
  return concatenate(xs.map((x, i) => atleast("dstack", 3, x, i)), { axis: 2 });
}

/**
 * `np.columnStack(arrays)`: 1-D arrays become columns; 2-D arrays are joined as they are.
 * @example
 * np.columnStack([[1, 2], [3, 4]]); // [[1, 3], [2, 4]]
 */
export function columnStack(xs: readonly ArrayLike[]): NDArray {
  nonEmpty("columnStack", xs);
  const arrays = xs.map((x, i) => {
    const a = asarray(x, undefined, "np.columnStack", `tup[${i}]`);
    return a.ndim < 2 ? s.reshape(a, [a.size, 1]) : a;
  });
  return concatenate(arrays, { axis: 1 });
}

// ---------------------------------------------------------------- splitting

function splitImpl(name: string, x: ArrayLike, sections: number | readonly number[], axisOpt: number | undefined, even: boolean): NDArray[] {
  const a = asarray(x, undefined, `np.${name}`, "ary");
  requireStatic(`np.${name}`, "sections", sections, "a count");
  P.parseInts(`np.${name}`, "indices_or_sections", sections);
  if (a.ndim === 0) throw new AxisError(`np.${name}: a 0-d array cannot be split`);
  const axis = normAxis(`np.${name}`, axisOpt ?? 0, a.ndim);
  const n = a.shape[axis]!;
  let bounds: number[];
  if (typeof sections === "number") {
    if (!Number.isInteger(sections) || sections <= 0) throw new RangeError(`np.${name}: number of sections must be a positive integer, got ${sections}`);
    if (even && n % sections !== 0) {
      throw new ShapeError(`np.${name}: array split does not result in an equal division: axis ${axis} of size ${n} into ${sections} sections`);
    }
    // NumPy's array_split: the first n % sections pieces get one extra element.
    const base = Math.floor(n / sections);
    const extra = n % sections;
    bounds = [0];
    for (let i = 0; i < sections; i++) bounds.push(bounds[i]! + base + (i < extra ? 1 : 0));
  } else {
    // Indices clamp to the axis like Python slices; a decreasing pair gives an empty piece.
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    bounds = [0, ...sections.map(clamp), n];
  }
  const out: NDArray[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const lo = bounds[i]!;
    out.push(sliceAxis(a, axis, Math.min(lo, n), 1, Math.max(0, bounds[i + 1]! - lo)));
  }
  return out;
}

/**
 * `np.split(x, sectionsOrIndices, {axis})`: a JS array of sub-arrays. A number must divide the axis
 * evenly; an array of indices cuts before each of them.
 * @example
 * np.split(np.arange(6), 3).length; // 3
 */
export const split = (x: ArrayLike, sections: number | readonly number[], opts: { axis?: number } = {}): NDArray[] =>
  splitImpl("split", x, sections, splitOpts(opts).axis, true);
/**
 * `np.arraySplit(x, sections, {axis})`: as `split`, but the pieces may differ in size by one.
 * @example
 * np.arraySplit(np.arange(5), 2)[0]; // [0, 1, 2]
 */
export const arraySplit = (x: ArrayLike, sections: number | readonly number[], opts: { axis?: number } = {}): NDArray[] =>
  splitImpl("arraySplit", x, sections, arraySplitOpts(opts).axis, false);
/**
 * `np.hsplit(x, sectionsOrIndices)`: {@link split} along axis 1 (axis 0 for a 1-D array).
 * @example
 * np.hsplit([[1, 2, 3, 4]], 2)[1]; // [[3, 4]]
 */
export const hsplit = (x: ArrayLike, sections: number | readonly number[]): NDArray[] =>
  splitImpl("hsplit", x, sections, asarray(x).ndim === 1 ? 0 : 1, true);
/**
 * `np.vsplit(x, sectionsOrIndices)`: {@link split} along axis 0.
 * @example
 * np.vsplit([[1, 2], [3, 4]], 2)[1]; // [[3, 4]]
 */
export const vsplit = (x: ArrayLike, sections: number | readonly number[]): NDArray[] => splitImpl("vsplit", x, sections, 0, true);
/**
 * `np.dsplit(x, sectionsOrIndices)`: {@link split} along axis 2 (the array needs at least 3 axes).
 * @example
 * np.dsplit([[[1, 2, 3, 4]]], [1])[1]; // [[[2, 3, 4]]]
 */
export const dsplit = (x: ArrayLike, sections: number | readonly number[]): NDArray[] => splitImpl("dsplit", x, sections, 2, true);

// ---------------------------------------------------------------- tile, repeat

/**
 * `np.tile(x, reps)`: `x` repeated `reps[i]` times along each axis (shorter `x` or `reps` are padded
 * with leading ones, as NumPy).
 * @example
 * np.tile([1, 2], 2); // [1, 2, 1, 2]
 */
export function tile(x: ArrayLike, reps: number | readonly number[]): NDArray {
  let a = asarray(x, undefined, "np.tile", "A");
  requireStatic("np.tile", "reps", reps, "a count");
  const r = P.parseInts("np.tile", "reps", reps);
  if (r.some((v) => !Number.isInteger(v) || v < 0)) throw new RangeError(`np.tile: reps ${JSON.stringify(reps)} must be non-negative integers`);
  P.checkSize("np.tile", a.size * r.reduce((p, d) => p * d, 1), `tiling shape ${fmtShape(a.shape)} by ${P.describe(reps)}`);
  const nd = Math.max(a.ndim, r.length);
  while (r.length < nd) r.unshift(1);
  a = s.reshape(a, [...new Array<number>(nd - a.ndim).fill(1), ...a.shape]);
  // Broadcast (a0, a1, …) to (r0, a0, r1, a1, …), then merge each pair.
  const wide = a.shape.flatMap((d, i) => [r[i]!, d]);
  const b = bind1(s.broadcastInDimP, [a], { shape: wide, dims: a.shape.map((_, i) => 2 * i + 1) });
  return s.reshape(b, a.shape.map((d, i) => d * r[i]!));
}

/**
 * `np.repeat(x, repeats, {axis})`: each element repeated; `repeats` is a number or one count per
 * element (concrete: the output shape depends on it). Without `axis`, over the flattened array.
 * @example
 * np.repeat([1, 2], 2); // [1, 1, 2, 2]
 */
export function repeat(x: ArrayLike, repeats: number | readonly number[] | NDArray, opts: { axis?: number | null } = {}): NDArray {
  opts = repeatOpts(opts);
  let a = asarray(x, undefined, "np.repeat", "a");
  if (opts.axis === null || opts.axis === undefined) a = s.reshape(a, [a.size]);
  const axis = normAxis("np.repeat", opts.axis ?? 0, a.ndim);
  const n = a.shape[axis]!;
  let counts: number[];
  requireStatic("np.repeat", "repeats", repeats, "a count");
  if (typeof repeats === "number") counts = [repeats];
  else if (repeats instanceof NDArray) {
    if (!(repeats instanceof ConcreteArray)) {
      throw new TypeError("np.repeat: repeats must be concrete (the output shape depends on it)");
    }
    counts = Array.from(repeats.data);
  } else counts = [...repeats];
  if (counts.some((c) => !Number.isInteger(c) || c < 0)) throw new RangeError(`np.repeat: repeats must be non-negative integers, got ${JSON.stringify(counts)}`);
  if (counts.length === 1) {
    const r = counts[0]!;
    // (…, n, …) → (…, n, r, …) → (…, n·r, …)
    const wide = [...a.shape.slice(0, axis + 1), r, ...a.shape.slice(axis + 1)];
    const b = bind1(s.broadcastInDimP, [a], { shape: wide, dims: a.shape.map((_, i) => (i <= axis ? i : i + 1)) });
    const shape = a.shape.slice();
    shape[axis] = n * r;
    return s.reshape(b, shape);
  }
  if (counts.length !== n) {
    throw new ShapeError(`np.repeat: repeats has ${counts.length} entries but axis ${axis} of shape ${fmtShape(a.shape)} has ${n} elements`);
  }
  return takeAxis(a, axis, counts.flatMap((c, i) => new Array<number>(c).fill(i)));
}

// ---------------------------------------------------------------- flips and rotations

/**
 * `np.flip(x, {axis})`: reverses the order of elements along the given axes (all by default).
 * @example
 * np.flip([1, 2, 3]); // [3, 2, 1]
 */
export function flip(x: ArrayLike, opts: { axis?: Axis } = {}): NDArray {
  opts = flipOpts(opts);
  const a = asarray(x, undefined, "np.flip", "m");
  const axes = normAxes("np.flip", opts.axis, a.ndim);
  if (axes.length === 0 || a.size === 0) return a;
  const start = a.shape.map((d, i) => (axes.includes(i) ? d - 1 : 0));
  const step = a.shape.map((_, i) => (axes.includes(i) ? -1 : 1));
  return s.slice(a, start, step, a.shape);
}

/**
 * `np.fliplr(x)`: flips axis 1 (needs at least 2 axes).
 * @example
 * np.fliplr([[1, 2], [3, 4]]); // [[2, 1], [4, 3]]
 */
export function fliplr(x: ArrayLike): NDArray {
  const a = asarray(x, undefined, "np.fliplr", "m");
  if (a.ndim < 2) throw new AxisError(`np.fliplr: input must be at least 2-d, got shape ${fmtShape(a.shape)}`);
  return flip(a, { axis: 1 });
}
/**
 * `np.flipud(x)`: flips axis 0 (needs at least 1 axis).
 * @example
 * np.flipud([[1, 2], [3, 4]]); // [[3, 4], [1, 2]]
 */
export function flipud(x: ArrayLike): NDArray {
  const a = asarray(x, undefined, "np.flipud", "m");
  if (a.ndim < 1) throw new AxisError("np.flipud: input must be at least 1-d, got a 0-d array");
  return flip(a, { axis: 0 });
}

/**
 * `np.roll(x, shift, {axis})`: elements shifted cyclically along the axes (without `axis`, over the
 * flattened array, then reshaped). `shift` and `axis` may be matching arrays.
 * @example
 * np.roll([1, 2, 3, 4], 1); // [4, 1, 2, 3]
 */
export function roll(x: ArrayLike, shift: number | readonly number[], opts: { axis?: number | readonly number[] | null } = {}): NDArray {
  opts = rollOpts(opts);
  const a = asarray(x, undefined, "np.roll", "a");
  requireStatic("np.roll", "shift", shift, "an offset");
  requireStatic("np.roll", "axis", opts.axis, "an axis");
  if (opts.axis === null || opts.axis === undefined) {
    if (typeof shift !== "number") throw new TypeError("np.roll: without axis, shift must be one number");
    return s.reshape(roll(s.reshape(a, [a.size]), shift, { axis: 0 }), a.shape);
  }
  const axes = (typeof opts.axis === "number" ? [opts.axis] : [...opts.axis]).map((ax) => normAxis("np.roll", ax, a.ndim));
  let shifts = typeof shift === "number" ? [shift] : [...shift];
  if (shifts.length === 1) shifts = axes.map(() => shifts[0]!);
  if (shifts.length !== axes.length) {
    throw new ShapeError(`np.roll: shift ${JSON.stringify(shift)} and axis ${JSON.stringify(opts.axis)} must have the same length`);
  }
  // Shifts on a repeated axis add up, as in NumPy.
  const total = new Map<number, number>();
  axes.forEach((ax, i) => total.set(ax, (total.get(ax) ?? 0) + shifts[i]!));
  let out = a;
  for (const [ax, sh] of total) {
    const n = a.shape[ax]!;
    if (n === 0) continue;
    const k = ((sh % n) + n) % n;
    if (k !== 0) out = takeAxis(out, ax, range(n).map((i) => (i - k + n) % n));
  }
  return out;
}

/**
 * `np.rot90(x, k = 1, {axes = [0, 1]})`: rotates by 90° k times, from the first axis towards the second.
 * @example
 * np.rot90([[1, 2], [3, 4]]); // [[2, 4], [1, 3]]
 */
export function rot90(x: ArrayLike, k = 1, opts: { axes?: readonly [number, number] } = {}): NDArray {
  opts = rot90Opts(opts);
  const a = asarray(x, undefined, "np.rot90", "m");
  requireStatic("np.rot90", "k", k, "a count");
  requireStatic("np.rot90", "axes", opts.axes, "an axis");
  const ax = opts.axes ?? [0, 1];
  if (ax.length !== 2) throw new AxisError("np.rot90: axes must hold exactly two axes");
  if (a.ndim < 2) throw new AxisError(`np.rot90: the array must be at least 2-d, got shape ${fmtShape(a.shape)}`);
  const a0 = normAxis("np.rot90", ax[0], a.ndim);
  const a1 = normAxis("np.rot90", ax[1], a.ndim);
  if (a0 === a1) throw new AxisError(`np.rot90: axes must be different, got ${JSON.stringify(ax)}`);
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return a;
  if (turns === 2) return flip(a, { axis: [a0, a1] });
  const perm = range(a.ndim);
  [perm[a0], perm[a1]] = [perm[a1]!, perm[a0]!];
  return turns === 1 ? s.transpose(flip(a, { axis: a1 }), perm) : flip(s.transpose(a, perm), { axis: a1 });
}

// ---------------------------------------------------------------- diagonals and triangles

/**
 * The `offset` diagonal of axes `ax1`, `ax2` of `x`, as a new last axis (NumPy's `diagonal`): the two
 * axes are moved to the end and merged, then one strided slice with step `m + 1` reads the diagonal.
 */
export function diagonalAxes(x: NDArray, offset: number, ax1: number, ax2: number): NDArray {
  const rest = range(x.ndim).filter((i) => i !== ax1 && i !== ax2);
  const t = s.transpose(x, [...rest, ax1, ax2]);
  const n = x.shape[ax1]!;
  const m = x.shape[ax2]!;
  const count = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
  const start = count === 0 ? 0 : offset >= 0 ? offset : -offset * m;
  const lead = rest.map((i) => x.shape[i]!);
  const flat = s.reshape(t, [...lead, n * m]);
  return sliceAxis(flat, lead.length, start, m + 1, count);
}

/**
 * `np.diagonal(x, {offset, axis1, axis2})`: the diagonal, as the last axis of the result.
 * @example
 * np.diagonal([[1, 2], [3, 4]]); // [1, 4]
 */
export function diagonal(x: ArrayLike, opts: { offset?: number; axis1?: number; axis2?: number } = {}): NDArray {
  opts = diagonalOpts(opts);
  const a = asarray(x, undefined, "np.diagonal", "a");
  requireStatic("np.diagonal", "offset", opts.offset, "an offset");
  if (a.ndim < 2) throw new AxisError(`np.diagonal: the array must be at least 2-d, got shape ${fmtShape(a.shape)}`);
  const ax1 = normAxis("np.diagonal", opts.axis1 ?? 0, a.ndim);
  const ax2 = normAxis("np.diagonal", opts.axis2 ?? 1, a.ndim);
  if (ax1 === ax2) throw new AxisError(`np.diagonal: axis1 and axis2 cannot be the same (both ${ax1})`);
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(offset)) throw new TypeError(`np.diagonal: offset must be an integer, got ${offset}`);
  return diagonalAxes(a, offset, ax1, ax2);
}

/**
 * `np.trace(x, {offset, axis1, axis2})`: the sum along a diagonal.
 * @example
 * np.trace(np.eye(3)); // 3
 */
export function trace(x: ArrayLike, opts: { offset?: number; axis1?: number; axis2?: number } = {}): NDArray {
  requireStatic("np.trace", "offset", opts.offset, "an offset");
  opts = traceOpts(opts);
  let d = diagonal(asarray(x, undefined, "np.trace", "a"), opts);
  if (d.dtype === "bool") d = s.convert(d, "int32");
  return reduceSum(d, [d.ndim - 1]);
}

/**
 * `np.diag(v, k = 0)`: a 1-D `v` becomes a square matrix with `v` on its k-th diagonal; a 2-D `v`
 * gives its k-th diagonal.
 * @example
 * np.diag([1, 2]); // [[1, 0], [0, 2]]
 */
export function diag(v: ArrayLike, k = 0): NDArray {
  const a = asarray(v, undefined, "np.diag", "v");
  requireStatic("np.diag", "k", k, "an offset");
  if (a.ndim === 2) return diagonalAxes(a, k, 0, 1);
  if (a.ndim !== 1) throw new ShapeError(`np.diag: input must be 1- or 2-d, got shape ${fmtShape(a.shape)}`);
  const n = a.shape[0]! + Math.abs(k);
  if (a.shape[0] === 0) return full([n, n], 0, { dtype: a.dtype });
  const placed = bind1(s.unsliceP, [a], { shape: [n * n], start: [k >= 0 ? k : -k * n], step: [n + 1] });
  return s.reshape(placed, [n, n]);
}

/**
 * `np.diagflat(v, k = 0)`: `diag` of the flattened input.
 * @example
 * np.diagflat([[1, 2]]); // [[1, 0], [0, 2]]
 */
export const diagflat = (v: ArrayLike, k = 0): NDArray => diag(flatten(asarray(v, undefined, "np.diagflat", "v")), k);

function triangle(name: string, x: ArrayLike, k: number, lower: boolean): NDArray {
  P.parseInt(`np.${name}`, "k", k);
  const a = asarray(x, undefined, `np.${name}`, "m");
  requireStatic(`np.${name}`, "k", k, "an offset");
  if (a.ndim === 0) throw new AxisError(`np.${name}: input must be at least 1-d`);
  const rows = a.ndim === 1 ? a.shape[0]! : a.shape[a.ndim - 2]!;
  const cols = a.shape[a.ndim - 1]!;
  const mask = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mask[i * cols + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
  const shape = a.ndim === 1 ? [rows, cols] : a.shape;
  const m = s.broadcastTo(new ConcreteArray(mask, [rows, cols], "bool"), shape);
  return select(m, s.broadcastTo(a, shape), full(shape, 0, { dtype: a.dtype }));
}

/**
 * `np.tril(x, k = 0)`: zeros above the k-th diagonal of the last two axes.
 * @example
 * np.tril([[1, 2], [3, 4]]); // [[1, 0], [3, 4]]
 */
export const tril = (x: ArrayLike, k = 0): NDArray => triangle("tril", x, k, true);
/**
 * `np.triu(x, k = 0)`: zeros below the k-th diagonal of the last two axes.
 * @example
 * np.triu([[1, 2], [3, 4]]); // [[1, 2], [0, 4]]
 */
export const triu = (x: ArrayLike, k = 0): NDArray => triangle("triu", x, k, false);

// ---------------------------------------------------------------- meshgrid

/**
 * `np.meshgrid(...xs, {indexing, sparse})`: coordinate arrays; `indexing: "xy"` (default) swaps the
 * first two output axes, as NumPy.
 * @example
 * np.meshgrid([1, 2, 3], [4, 5])[0].shape; // [2, 3]
 */
export function meshgrid(...args: (ArrayLike | { indexing?: "xy" | "ij"; sparse?: boolean })[]): NDArray[] {
  const last = args[args.length - 1];
  const isOpts = last !== undefined && typeof last === "object" && !(last instanceof NDArray) && !Array.isArray(last) && !ArrayBuffer.isView(last);
  const opts = meshgridOpts(isOpts ? last : undefined);
  const xs = (isOpts ? args.slice(0, -1) : args) as ArrayLike[];
  const indexing = opts.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") throw new TypeError(`np.meshgrid: indexing must be 'xy' or 'ij', got '${String(indexing)}'`);
  const vs = xs.map((x, i) => flatten(asarray(x, undefined, "np.meshgrid", `xi[${i}]`)));
  const pos = vs.map((_, i) => (indexing === "xy" && vs.length >= 2 && i < 2 ? 1 - i : i));
  const shape = new Array<number>(vs.length);
  vs.forEach((v, i) => (shape[pos[i]!] = v.size));
  return vs.map((v, i) => {
    if (opts.sparse) return s.reshape(v, shape.map((d, j) => (j === pos[i] ? d : 1)));
    return bind1(s.broadcastInDimP, [v], { shape, dims: [pos[i]!] });
  });
}

/**
 * `np.append(x, values, {axis})`: without `axis`, both are flattened first.
 * @example
 * np.append([[1, 2]], [3]); // [1, 2, 3]
 */
export function append(x: ArrayLike, values: ArrayLike, opts: { axis?: number | null } = {}): NDArray {
  opts = appendOpts(opts);
  const a = asarray(x, undefined, "np.append", "arr");
  requireStatic("np.append", "axis", opts.axis, "an axis");
  const v = asarray(values, undefined, "np.append", "values");
  if (opts.axis === null || opts.axis === undefined) return concatenate([flatten(a), flatten(v)]);
  return concatenate([a, v], { axis: opts.axis });
}
