/**
 * @file The `autograd-ts/numpy` entry point: a NumPy-like array library whose every function is
 * differentiable and batchable.
 */
import "./methods.ts";

export { NDArray, type ArrayLike, type Index, type SliceSpec, type Nested, type Aval, type Complex } from "../core/ndarray.ts";
export type { DType } from "../core/dtype.ts";
export * from "./creation.ts";
export * from "./ranges.ts";
export * from "./math.ts";
export * from "./logic.ts";
export * from "./reductions.ts";
export * from "./nan-reductions.ts";
export { variance as var } from "./reductions.ts";
export * from "./sorting.ts";
export * from "./shape.ts";
export * from "./products.ts";
export * as linalg from "./linalg.ts";
export {
  flatten, atleast1d, atleast2d, atleast3d, vstack, rowStack, hstack, dstack, columnStack, split, arraySplit, hsplit, vsplit,
  dsplit, tile, repeat, flip, fliplr, flipud, roll, rot90, diagonal, trace, diag, diagflat, tril, triu, meshgrid, append,
} from "./rearrange.ts";
export { pad, type PadMode } from "./pad.ts";
export { trapezoid, trapz, gradient, ediff1d, unwrap, interp, polyval, polyfit, vander, polyder, polyint, polyadd, polysub, polymul } from "./numerical.ts";
export { cov, corrcoef, bincount, digitize, histogram, unique } from "./statistics.ts";
export { block, insert, rollaxis, resize, fillDiagonal, extract, lexsort, cumulativeSum, cumulativeProd, ldexp, frexp, delete } from "./assembly.ts";
export { einsum, kron, cross } from "./einsum.ts";
export { convolve, correlate, type ConvolveMode } from "./signal.ts";
export * as random from "./random.ts";
export * as fft from "./fft.ts";
export { ComplexArray, real, imag, angle, conj, conjugate, complex, iscomplexobj, isrealobj, iscomplex, isreal } from "./complex.ts";
export { slice } from "./indexing.ts";
export { take, takeAlongAxis, choose, select, nonzero, flatnonzero, argwhere, searchsorted, type TakeMode } from "./indexing-fns.ts";
export { broadcastShapes } from "./broadcast.ts";

import type { NDArray, Index, AtView } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { ConcreteArray } from "../core/ndarray.ts";

/**
 * `np.at(x, ...idx)`: the same as `x.at(...idx)`.
 * @example
 * np.at(np.zeros(3), 1).set(5); // [0, 5, 0]
 */
export const at = (x: NDArray, ...idx: Index[]): AtView => x.at(...idx);

/**
 * `np.shape(x)`: the shape of `x` as a JS array.
 * @example
 * np.shape([[1, 2, 3]]); // [1, 3]
 */
export const shape = (x: Parameters<typeof asarray>[0]): readonly number[] => asarray(x).shape;
/**
 * `np.ndim(x)`: the number of axes of `x`.
 * @example
 * np.ndim([[1, 2, 3]]); // 2
 */
export const ndim = (x: Parameters<typeof asarray>[0]): number => asarray(x).ndim;
/**
 * `np.size(x)`: the number of elements of `x`.
 * @example
 * np.size([[1, 2, 3]]); // 3
 */
export const size = (x: Parameters<typeof asarray>[0]): number => asarray(x).size;

/**
 * Whether `x` is a concrete (non-traced) array.
 * @example
 * np.isConcrete(np.ones(2)); // true
 */
export const isConcrete = (x: unknown): x is ConcreteArray => x instanceof ConcreteArray;
