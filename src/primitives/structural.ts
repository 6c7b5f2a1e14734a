/**
 * @file Structural primitives: they move, copy or place elements without arithmetic (reshape,
 * transpose, broadcast, slice and its transpose, concatenate, dtype conversion). All are linear:
 * their JVP is the primitive applied to the tangents (`linearJvp`).
 */
import { ConcreteArray, type NDArray, type Aval } from "../core/ndarray.ts";
import { allocate, allocateUninitialized, isComplex, isInexact, realDtype, type DType, type TypedArray } from "../core/dtype.ts";
import { bind1 } from "../core/trace.ts";
import { definePrimitive, isUndefinedPrimal, one, type LinearArg, type Primitive } from "../core/primitive.ts";
import { contiguousStrides, sizeOf, stridedAddInto, stridedCopy, transposeData } from "../kernels/strided.ts";
import { reduceSum } from "./reduce.ts";
import { linearJvp } from "./elementwise.ts";
import { zerosConcrete } from "../core/ndarray.ts";
import { pairwise, sameParams } from "./planes.ts";

// ---------------------------------------------------------------- reshape

export interface ReshapeParams {
  readonly shape: readonly number[];
}

export const reshapeP: Primitive<ReshapeParams> = definePrimitive<ReshapeParams>({
  name: "reshape",
  impl: ([x], { shape }) => one(new ConcreteArray(x!.data, shape, x!.dtype)),
  abstractEval: ([x], { shape }) => [{ shape, dtype: x!.dtype }],
  jvp: linearJvp(() => reshapeP),
  transpose: ([ct], [x]) => [reshape(ct!, avalOf(x!).shape)],
  batch: ([x], [d], { shape }, size) => [[reshape(moveaxis(x!, d!, 0), [size, ...shape])], [0]],
});

/** Reshape without checks (the numpy layer validates); a no-op when the shape is unchanged. */
export const reshape = (x: NDArray, shape: readonly number[]): NDArray =>
  sameShape(x.shape, shape) ? x : bind1(reshapeP, [x], { shape });

// ---------------------------------------------------------------- transpose

export interface TransposeParams {
  readonly perm: readonly number[];
}

export const transposeP: Primitive<TransposeParams> = definePrimitive<TransposeParams>({
  name: "transpose",
  impl: pairwise(([x], { perm }) => {
    const out = allocate(x!.dtype, x!.data.length);
    transposeData(x!.data, x!.shape, perm, out);
    return one(new ConcreteArray(out, perm.map((p) => x!.shape[p]!), x!.dtype));
  }, ({ perm }) => ({ perm: [...perm, perm.length] })),
  abstractEval: ([x], { perm }) => [{ shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype }],
  jvp: linearJvp(() => transposeP),
  transpose: ([ct], _, { perm }) => [transpose(ct!, inversePerm(perm))],
  batch: ([x], [d], { perm }) => [[transpose(moveaxis(x!, d!, 0), [0, ...perm.map((p) => p + 1)])], [0]],
});

export const transpose = (x: NDArray, perm: readonly number[]): NDArray =>
  perm.every((p, i) => p === i) ? x : bind1(transposeP, [x], { perm });

export const inversePerm = (perm: readonly number[]): number[] => {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
};

/** Moves axis `from` to position `to`. */
export function moveaxis(x: NDArray, from: number, to: number): NDArray {
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

// ---------------------------------------------------------------- broadcastInDim

export interface BroadcastParams {
  /** The output shape. */
  readonly shape: readonly number[];
  /** For each input axis, the output axis it becomes (input sizes are 1 or equal to it). */
  readonly dims: readonly number[];
}

export const broadcastInDimP: Primitive<BroadcastParams> = definePrimitive<BroadcastParams>({
  name: "broadcastInDim",
  impl: pairwise(([x], { shape, dims }) => {
    const inStrides = contiguousStrides(x!.shape);
    const strides = new Array<number>(shape.length).fill(0);
    dims.forEach((d, i) => {
      if (x!.shape[i] !== 1) strides[d] = inStrides[i]!;
    });
    const total = sizeOf(shape);
    // Every element is written: a float64 output need not be zeroed first.
    const out = x!.dtype === "float64" ? allocateUninitialized(total) : allocate(x!.dtype, total);
    if (repeatsWhole(x!.data.length, strides, shape)) {
      // New leading axes only (a bias row over a batch): copies of the whole input, one after another.
      const len = x!.data.length;
      for (let o = 0; o < total; o += len) out.set(x!.data, o);
    } else stridedCopy(x!.data, 0, strides, shape, out);
    return one(new ConcreteArray(out, shape, x!.dtype));
  }, ({ shape, dims }) => ({ shape: [...shape, 2], dims: [...dims, shape.length] })),
  abstractEval: ([x], { shape }) => [{ shape, dtype: x!.dtype }],
  jvp: linearJvp(() => broadcastInDimP),
  transpose: ([ct], [x], { shape, dims }) => {
    const inShape = avalOf(x!).shape;
    const axes: number[] = [];
    for (let a = 0; a < shape.length; a++) {
      const i = dims.indexOf(a);
      if (i < 0 || (inShape[i] === 1 && shape[a] !== 1)) axes.push(a);
    }
    return [reshape(reduceSum(ct!, axes), inShape)];
  },
  batch: ([x], [d], { shape, dims }, size) => [
    [bind1(broadcastInDimP, [moveaxis(x!, d!, 0)], { shape: [size, ...shape], dims: [0, ...dims.map((a) => a + 1)] })],
    [0],
  ],
});

/**
 * Whether reading an input of `len` elements with `strides` over `shape` gives the whole input
 * again and again: zero strides on leading axes, then axes read contiguously that span all of it.
 */
function repeatsWhole(len: number, strides: readonly number[], shape: readonly number[]): boolean {
  if (len === 0) return false;
  let span = 1;
  let a = shape.length - 1;
  for (; a >= 0 && span < len; a--) {
    if (strides[a] !== span) return false;
    span *= shape[a]!;
  }
  if (span !== len) return false;
  for (; a >= 0; a--) if (strides[a] !== 0) return false;
  return true;
}

/** Broadcasts `x` to `shape` with NumPy's rule (trailing axes aligned); a no-op when equal. */
export function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  if (sameShape(x.shape, shape)) return x;
  const lead = shape.length - x.ndim;
  return bind1(broadcastInDimP, [x], { shape, dims: x.shape.map((_, i) => i + lead) });
}

/** Gives `x` (batch axis `d`, or none) a batch axis of `size` at position `to`. */
export function matchBatch(x: NDArray, d: number | null, size: number, to: number): NDArray {
  if (d !== null) return moveaxis(x, d, to);
  const shape = x.shape.slice();
  shape.splice(to, 0, size);
  return bind1(broadcastInDimP, [x], { shape, dims: x.shape.map((_, i) => (i < to ? i : i + 1)) });
}

// ---------------------------------------------------------------- slice / unslice

export interface SliceParams {
  readonly start: readonly number[];
  readonly step: readonly number[];
  readonly size: readonly number[];
}

export const sliceP: Primitive<SliceParams> = definePrimitive<SliceParams>({
  name: "slice",
  impl: pairwise(([x], { start, step, size }) => {
    const strides = contiguousStrides(x!.shape);
    let offset = 0;
    start.forEach((s, i) => (offset += s * strides[i]!));
    const out = allocate(x!.dtype, sizeOf(size));
    if (step.every((s) => s === 1)) copyRuns(x!.data, x!.shape, start, size, out);
    else stridedCopy(x!.data, offset, strides.map((s, i) => s * step[i]!), size, out);
    return one(new ConcreteArray(out, size, x!.dtype));
  }, ({ start, step, size }) => ({ start: [...start, 0], step: [...step, 1], size: [...size, 2] })),
  abstractEval: ([x], { size }) => [{ shape: size, dtype: x!.dtype }],
  jvp: linearJvp(() => sliceP),
  transpose: ([ct], [x], { start, step }) => [
    bind1(unsliceP, [ct!], { shape: avalOf(x!).shape, start, step }),
  ],
  batch: ([x], [d], { start, step, size }, n) => [
    [bind1(sliceP, [moveaxis(x!, d!, 0)], { start: [0, ...start], step: [1, ...step], size: [n, ...size] })],
    [0],
  ],
});

export interface UnsliceParams {
  readonly shape: readonly number[];
  readonly start: readonly number[];
  readonly step: readonly number[];
}

/** The transpose of `slice`: zeros of `shape` with `x` added at the sliced positions. */
export const unsliceP: Primitive<UnsliceParams> = definePrimitive<UnsliceParams>({
  name: "unslice",
  impl: pairwise(([x], { shape, start, step }) => {
    const out = zerosConcrete(shape, x!.dtype);
    const strides = contiguousStrides(shape);
    let offset = 0;
    start.forEach((s, i) => (offset += s * strides[i]!));
    stridedAddInto(x!.data, out.data, offset, strides.map((s, i) => s * step[i]!), x!.shape);
    return one(out);
  }, ({ shape, start, step }) => ({ shape: [...shape, 2], start: [...start, 0], step: [...step, 1] })),
  abstractEval: ([x], { shape }) => [{ shape, dtype: x!.dtype }],
  jvp: linearJvp(() => unsliceP),
  transpose: ([ct], [x], { start, step }) => [bind1(sliceP, [ct!], { start, step, size: avalOf(x!).shape })],
  batch: ([x], [d], { shape, start, step }, n) => [
    [bind1(unsliceP, [moveaxis(x!, d!, 0)], { shape: [n, ...shape], start: [0, ...start], step: [1, ...step] })],
    [0],
  ],
});

/** Runs at least this long are copied with `TypedArray.set` (a block copy); shorter ones element by element. */
const BLOCK_COPY_MIN = 16;

/** Copies `length` elements of `src` from `from` to `dst` at `to`, exactly (−0 stays −0). */
function copyRun(src: TypedArray, from: number, dst: TypedArray, to: number, length: number): void {
  if (length >= BLOCK_COPY_MIN) dst.set(src.subarray(from, from + length), to);
  else for (let i = 0; i < length; i++) dst[to + i] = src[from + i]!;
}

/**
 * Copies the slice of `src` (contiguous, of `shape`) at `start` of `size`, unit steps, into `out`:
 * the axes after the last one not taken whole are contiguous with it, so the slice is a run of
 * memory per index of the axes before it.
 */
function copyRuns(src: TypedArray, shape: readonly number[], start: readonly number[], size: readonly number[], out: TypedArray): void {
  const total = sizeOf(size);
  if (total === 0) return;
  const n = shape.length;
  if (n === 0) {
    out[0] = src[0]!;
    return;
  }
  const strides = contiguousStrides(shape);
  let j = n - 1;
  while (j > 0 && size[j] === shape[j]) j--;
  const run = size[j]! * strides[j]!;
  const idx = new Array<number>(j).fill(0);
  for (let o = 0; o < total; o += run) {
    let from = start[j]! * strides[j]!;
    for (let a = 0; a < j; a++) from += (start[a]! + idx[a]!) * strides[a]!;
    copyRun(src, from, out, o, run);
    for (let a = j - 1; a >= 0 && ++idx[a]! === size[a]!; a--) idx[a] = 0;
  }
}

export const slice = (x: NDArray, start: readonly number[], step: readonly number[], size: readonly number[]): NDArray =>
  sameShape(x.shape, size) && start.every((s) => s === 0) && step.every((s) => s === 1)
    ? x
    : bind1(sliceP, [x], { start, step, size });

// ---------------------------------------------------------------- concatenate

export interface ConcatParams {
  readonly axis: number;
}

export const concatenateP: Primitive<ConcatParams> = definePrimitive<ConcatParams>({
  name: "concatenate",
  impl: pairwise((xs, { axis }) => {
    const shape = concatShape(xs, axis);
    const out = allocate(xs[0]!.dtype, sizeOf(shape));
    // Each operand is one contiguous run of `x.shape[axis]·inner` elements per index of the axes before `axis`.
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const rowLength = shape[axis]! * inner;
    let at = 0;
    for (const x of xs) {
      const run = x.shape[axis]! * inner;
      for (let o = 0; o < outer; o++) copyRun(x.data, o * run, out, o * rowLength + at, run);
      at += run;
    }
    return one(new ConcreteArray(out, shape, xs[0]!.dtype));
  }, sameParams),
  abstractEval: (xs, { axis }) => [{ shape: concatShape(xs, axis), dtype: xs[0]!.dtype }],
  jvp: linearJvp(() => concatenateP),
  transpose: ([ct], xs, { axis }) => {
    let pos = 0;
    return xs.map((x) => {
      const shape = avalOf(x).shape;
      const start = shape.map((_, i) => (i === axis ? pos : 0));
      pos += shape[axis]!;
      return isUndefinedPrimal(x) ? slice(ct!, start, shape.map(() => 1), shape) : null;
    });
  },
  batch: (xs, dims, { axis }, size) => [
    [bind1(concatenateP, xs.map((x, i) => matchBatch(x, dims[i]!, size, 0)), { axis: axis + 1 })],
    [0],
  ],
});

export const concatenate = (xs: readonly NDArray[], axis: number): NDArray => bind1(concatenateP, xs, { axis });

function concatShape(xs: readonly Aval[], axis: number): number[] {
  const shape = xs[0]!.shape.slice();
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  return shape;
}

// ---------------------------------------------------------------- convert

export interface ConvertParams {
  readonly dtype: DType;
}

export const convertP: Primitive<ConvertParams> = definePrimitive<ConvertParams>({
  name: "convert",
  impl: ([x], { dtype }) => {
    if (isComplex(dtype) || isComplex(x!.dtype)) return one(convertComplex(x!, dtype));
    const out = allocate(dtype, x!.data.length);
    // bool: NaN is true (non-zero), as in NumPy/JAX. int32: as JAX on CPU (XLA's saturating
    // conversion): truncation toward zero, NaN → 0, values beyond the int32 range (±∞ too) clamp.
    if (dtype === "bool") for (let i = 0; i < out.length; i++) out[i] = x!.data[i] !== 0 ? 1 : 0;
    else if (dtype === "int32") for (let i = 0; i < out.length; i++) out[i] = Math.max(-2147483648, Math.min(2147483647, x!.data[i]!)) || 0;
    else out.set(x!.data);
    return one(new ConcreteArray(out, x!.shape, dtype));
  },
  abstractEval: ([x], { dtype }) => [{ shape: x!.shape, dtype }],
  // Between inexact dtypes the conversion is real-linear: complex → real keeps the real part (its
  // transpose puts ct back as ct + 0i), real → complex adds 0i (its transpose keeps the real part).
  jvp: ([x], [t], _, { dtype }) => [isInexact(dtype) && isInexact(x!.dtype) ? convert(t!, dtype) : null],
  transpose: ([ct], [x]) => [convert(ct!, avalOf(x!).dtype)],
  batch: ([x], [d], params) => [[bind1(convertP, [x!], params)], [d!]],
});

export const convert = (x: NDArray, dtype: DType): NDArray => (x.dtype === dtype ? x : bind1(convertP, [x], { dtype }));

/**
 * A conversion to or from a complex dtype: a real value becomes value + 0i, a complex value keeps its real part
 * when the target is real (as NumPy, which also warns: the numpy layer does), both parts between
 * complex64 and complex128.
 */
function convertComplex(x: ConcreteArray, dtype: DType): ConcreteArray {
  const n = x.size;
  if (isComplex(x.dtype) && isComplex(dtype)) {
    const out = allocate(dtype, n);
    out.set(x.data);
    return new ConcreteArray(out, x.shape, dtype);
  }
  if (isComplex(dtype)) {
    const out = allocate(dtype, n);
    for (let k = 0; k < n; k++) out[2 * k] = x.data[k]!;
    return new ConcreteArray(out, x.shape, dtype);
  }
  // Complex → real: the real part, converted to the target as a real value would be.
  const re = allocate(realDtype(x.dtype), n);
  for (let k = 0; k < n; k++) re[k] = x.data[2 * k]!;
  const part = new ConcreteArray(re, x.shape, realDtype(x.dtype));
  return dtype === part.dtype ? part : (convertP.impl([part], { dtype })[0]!);
}

// ---------------------------------------------------------------- helpers

export const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** The abstract value of a transpose-rule argument, known or not. */
export const avalOf = (x: LinearArg): Aval => (isUndefinedPrimal(x) ? x.aval : x);

/** Concrete zeros with the shape and dtype of `aval`. */
export const zerosLike = (aval: Aval): NDArray => zerosConcrete(aval.shape, aval.dtype);

