/**
 * @file Strided copies: one odometer loop serves transpose, broadcast and slicing, since each is
 * "read the source with these strides and write the destination contiguously".
 */
import type { TypedArray } from "../core/dtype.ts";

/** Row-major strides of a contiguous array of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export const sizeOf = (shape: readonly number[]): number => {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
};

/**
 * Writes `dst[k]`, for k running over `shape` in row-major order, from
 * `src[offset + Σ idx[a]·strides[a]]`. Strides may be 0 (broadcast) or negative (reversed slices).
 */
export function stridedCopy(
  src: TypedArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
  dst: TypedArray,
): void {
  const n = shape.length;
  const total = sizeOf(shape);
  if (total === 0) return;
  if (n === 0) {
    dst[0] = src[offset]!;
    return;
  }
  const last = n - 1;
  const lastN = shape[last]!;
  const lastS = strides[last]!;
  const idx = new Int32Array(n);
  let off = offset;
  let o = 0;
  for (;;) {
    if (lastS === 1) {
      for (let i = 0; i < lastN; i++) dst[o++] = src[off + i]!;
    } else {
      for (let i = 0, p = off; i < lastN; i++, p += lastS) dst[o++] = src[p]!;
    }
    let ax = last - 1;
    while (ax >= 0) {
      idx[ax]!++;
      off += strides[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      off -= strides[ax]! * shape[ax]!;
      idx[ax] = 0;
      ax--;
    }
    if (ax < 0) return;
  }
}

/**
 * Adds `src` (contiguous over `shape`) into `dst` at `offset + Σ idx[a]·strides[a]`: the transpose
 * of `stridedCopy`, used for the gradients of slices. With overlapping positions (stride 0) it sums.
 */
export function stridedAddInto(
  src: TypedArray,
  dst: TypedArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
): void {
  const n = shape.length;
  const total = sizeOf(shape);
  if (total === 0) return;
  if (n === 0) {
    dst[offset] += src[0]!;
    return;
  }
  const last = n - 1;
  const lastN = shape[last]!;
  const lastS = strides[last]!;
  const idx = new Int32Array(n);
  let off = offset;
  let o = 0;
  for (;;) {
    for (let i = 0, p = off; i < lastN; i++, p += lastS) dst[p] += src[o++]!;
    let ax = last - 1;
    while (ax >= 0) {
      idx[ax]!++;
      off += strides[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      off -= strides[ax]! * shape[ax]!;
      idx[ax] = 0;
      ax--;
    }
    if (ax < 0) return;
  }
}

/** A contiguous copy of `src` (of `shape`) with its axes permuted by `perm`. */
export function transposeData(src: TypedArray, shape: readonly number[], perm: readonly number[], dst: TypedArray): void {
  const strides = contiguousStrides(shape);
  stridedCopy(
    src,
    0,
    perm.map((p) => strides[p]!),
    perm.map((p) => shape[p]!),
    dst,
  );
}
