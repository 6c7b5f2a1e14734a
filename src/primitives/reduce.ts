/**
 * @file Reductions over axes (`sum`, `max`, `min`), arg-reductions, and the cumulative sum.
 * Axes are normalized and sorted by the numpy layer; `keepdims` is a reshape there.
 */
import { ConcreteArray, type NDArray, type Aval } from "../core/ndarray.ts";
import { allocate } from "../core/dtype.ts";
import { bind1 } from "../core/trace.ts";
import { reduceData, argReduceData, cumsumData, type ReduceOp } from "../kernels/reduce.ts";
import { definePrimitive, one, type Primitive } from "../core/primitive.ts";
import { broadcastInDimP, moveaxis, avalOf, convert, slice } from "./structural.ts";
import { div, mul } from "./binary.ts";
import { eq } from "./compare.ts";
import { linearJvp } from "./elementwise.ts";
import { pairwise, realOnly, sameParams } from "./planes.ts";
import { isComplex } from "../core/dtype.ts";
import { transposeData } from "../kernels/strided.ts";
import { lexExtremumRows } from "../kernels/complex.ts";

export interface AxesParams {
  readonly axes: readonly number[];
}

const reducedShape = (shape: readonly number[], axes: readonly number[]): number[] =>
  shape.filter((_, i) => !axes.includes(i));

/** Broadcasts a reduced value back over the reduced axes of `shape`. */
export function unreduce(y: NDArray, shape: readonly number[], axes: readonly number[]): NDArray {
  const dims = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return bind1(broadcastInDimP, [y], { shape, dims });
}

function reducer(op: ReduceOp, jvp: Primitive<AxesParams>["jvp"], linear: boolean): Primitive<AxesParams> {
  const name = op === "sum" ? "reduceSum" : op === "max" ? "reduceMax" : op === "min" ? "reduceMin" : "reduceProd";
  const kernel = ([x]: readonly ConcreteArray[], { axes }: AxesParams): ConcreteArray[] => {
    const shape = reducedShape(x!.shape, axes);
    let n = 1;
    for (const d of shape) n *= d;
    const out = allocate(x!.dtype, n);
    reduceData(op, x!.data, x!.shape, axes, out);
    return one(new ConcreteArray(out, shape, x!.dtype));
  };
  const prim: Primitive<AxesParams> = definePrimitive<AxesParams>({
    name,
    // A sum acts on the real and imaginary parts alike; max and min order complex values as NumPy.
    impl: op === "sum" ? pairwise(kernel, sameParams) : op === "max" || op === "min" ? withComplex(kernel, complexExtremum(op === "max" ? 1 : -1)) : realOnly(name, kernel),
    abstractEval: ([x], { axes }) => [{ shape: reducedShape(x!.shape, axes), dtype: x!.dtype }],
    jvp,
    transpose: linear ? ([ct], [x], { axes }) => [unreduce(ct!, avalOf(x!).shape, axes)] : "nonlinear",
    batch: ([x], [d], { axes }) => [[bind1(prim, [moveaxis(x!, d!, 0)], { axes: axes.map((a) => a + 1) })], [0]],
  });
  return prim;
}

/** The kernel for real operands, or `complexKernel` when the operand is complex. */
const withComplex =
  <P>(kernel: (args: readonly ConcreteArray[], p: P) => ConcreteArray[], complexKernel: (args: readonly ConcreteArray[], p: P) => ConcreteArray[]) =>
  (args: readonly ConcreteArray[], p: P): ConcreteArray[] =>
    isComplex(args[0]!.dtype) ? complexKernel(args, p) : kernel(args, p);

/**
 * The positions, along the reduced axes (flattened, in order), of the lexicographic extremum of a
 * complex array (NumPy's order; the first of ties; a NaN wins), with the reduced shape.
 */
function lexPositions(x: ConcreteArray, axes: readonly number[], sign: 1 | -1): [Int32Array, number[], Float64Array | Float32Array, number] {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
  const shape = reducedShape(x.shape, axes);
  const rows = shape.reduce((p, d) => p * d, 1);
  // Reduced axes last; the trailing axis of 2 keeps each element's (re, im) together.
  const moved = allocate(x.dtype, x.size) as Float64Array | Float32Array;
  transposeData(x.data, [...x.shape, 2], [...perm, x.ndim], moved);
  const index = new Int32Array(rows);
  lexExtremumRows(moved, rows, n, sign, index);
  return [index, shape, moved, n];
}

const complexExtremum = (sign: 1 | -1) => ([x]: readonly ConcreteArray[], { axes }: AxesParams): ConcreteArray[] => {
  const [index, shape, moved, n] = lexPositions(x!, axes, sign);
  const out = allocate(x!.dtype, index.length);
  for (let r = 0; r < index.length; r++) {
    out[2 * r] = moved[2 * (r * n + index[r]!)]!;
    out[2 * r + 1] = moved[2 * (r * n + index[r]!) + 1]!;
  }
  return one(new ConcreteArray(out, shape, x!.dtype));
};

export const reduceSumP: Primitive<AxesParams> = reducer("sum", linearJvp(() => reduceSumP), true);

// Ties share the derivative equally: d max = Σ (t · [x = max]) / #[x = max].
const extremumJvp: Primitive<AxesParams>["jvp"] = ([x], [t], [out], { axes }) => {
  const mask = convert(eq(x!, unreduce(out!, x!.shape, axes)), x!.dtype);
  return [div(reduceSum(mul(t!, mask), axes), reduceSum(mask, axes))];
};
export const reduceMaxP = reducer("max", extremumJvp, false);
export const reduceMinP = reducer("min", extremumJvp, false);

export const reduceSum = (x: NDArray, axes: readonly number[]): NDArray =>
  axes.length === 0 ? x : bind1(reduceSumP, [x], { axes });
export const reduceMax = (x: NDArray, axes: readonly number[]): NDArray =>
  axes.length === 0 ? x : bind1(reduceMaxP, [x], { axes });
export const reduceMin = (x: NDArray, axes: readonly number[]): NDArray =>
  axes.length === 0 ? x : bind1(reduceMinP, [x], { axes });

export interface AxisParams {
  readonly axis: number;
}

function argReducer(name: string, sign: 1 | -1): Primitive<AxisParams> {
  const prim: Primitive<AxisParams> = definePrimitive<AxisParams>({
    name,
    impl: withComplex(([x], { axis }) => {
      const shape = reducedShape(x!.shape, [axis]);
      let n = 1;
      for (const d of shape) n *= d;
      const out = new Int32Array(n);
      argReduceData(sign, x!.data, x!.shape, axis, out);
      return one(new ConcreteArray(out, shape, "int32"));
    }, ([x], { axis }) => {
      const [index, shape] = lexPositions(x!, [axis], sign);
      return one(new ConcreteArray(index, shape, "int32"));
    }),
    abstractEval: ([x], { axis }): Aval[] => [{ shape: reducedShape(x!.shape, [axis]), dtype: "int32" }],
    jvp: () => [null],
    transpose: "nonlinear",
    batch: ([x], [d], { axis }) => [[bind1(prim, [moveaxis(x!, d!, 0)], { axis: axis + 1 })], [0]],
  });
  return prim;
}
export const argmaxP = argReducer("argmax", 1);
export const argminP = argReducer("argmin", -1);
export const argmax = (x: NDArray, axis: number): NDArray => bind1(argmaxP, [x], { axis });
export const argmin = (x: NDArray, axis: number): NDArray => bind1(argminP, [x], { axis });

/** Cumulative sum along `axis` (`reverse`: from the end), compensated; linear, its transpose runs the other way. */
export interface CumsumParams {
  readonly axis: number;
  readonly reverse: boolean;
}
export const cumsumP: Primitive<CumsumParams> = definePrimitive<CumsumParams>({
  name: "cumsum",
  impl: pairwise(([x], { axis, reverse }) => {
    const shape = x!.shape;
    const out = allocate(x!.dtype, x!.data.length);
    const n = shape[axis]!;
    let inner = 1;
    for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
    cumsumData(x!.data, x!.data.length / Math.max(1, n * inner), n, inner, reverse, out);
    return one(new ConcreteArray(out, shape, x!.dtype));
  }, sameParams),
  abstractEval: ([x]) => [x!],
  jvp: linearJvp(() => cumsumP),
  transpose: ([ct], _, { axis, reverse }) => [bind1(cumsumP, [ct!], { axis, reverse: !reverse })],
  batch: ([x], [d], { axis, reverse }) => [[bind1(cumsumP, [moveaxis(x!, d!, 0)], { axis: axis + 1, reverse })], [0]],
});
export const cumsum = (x: NDArray, axis: number, reverse = false): NDArray => bind1(cumsumP, [x], { axis, reverse });

/** Reverses `x` along `axes` (a slice with step −1). */
export const flip = (x: NDArray, axes: readonly number[]): NDArray =>
  slice(
    x,
    x.shape.map((d, i) => (axes.includes(i) ? d - 1 : 0)),
    x.shape.map((_, i) => (axes.includes(i) ? -1 : 1)),
    x.shape,
  );
