/** @file Reductions over a set of axes, and arg-reductions along one axis. */
import type { TypedArray } from "../core/dtype.ts";
import { contiguousStrides, sizeOf } from "./strided.ts";

export type ReduceOp = "sum" | "max" | "min" | "prod";

const identity: Record<ReduceOp, number> = { sum: 0, max: -Infinity, min: Infinity, prod: 1 };

/** The reduction's identity in the output's own number type (±Infinity does not fit integers). */
function identityFor(op: ReduceOp, dst: TypedArray): number {
  if (dst instanceof Int32Array) return op === "max" ? -2147483648 : op === "min" ? 2147483647 : identity[op];
  if (dst instanceof Uint8Array) return op === "max" ? 0 : op === "min" ? 1 : identity[op];
  return identity[op];
}

/**
 * Reduces `src` (of `shape`) over `axes` into `dst`, whose layout is `shape` without those axes.
 * The loop walks the source in order and sends each element to its output slot (stride 0 along
 * reduced axes), so no transposed copy is made. NaN propagates through max/min as in NumPy.
 */
export function reduceData(
  op: ReduceOp,
  src: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  dst: TypedArray,
): void {
  dst.fill(identityFor(op, dst));
  const n = shape.length;
  const total = sizeOf(shape);
  if (total === 0) return;
  if (n === 0) {
    dst[0] = src[0]!;
    return;
  }
  const reduced = new Array<boolean>(n).fill(false);
  for (const a of axes) reduced[a] = true;
  const keptShape = shape.filter((_, i) => !reduced[i]);
  const keptStrides = contiguousStrides(keptShape);
  const outStrides: number[] = [];
  let k = 0;
  for (let i = 0; i < n; i++) outStrides.push(reduced[i] ? 0 : keptStrides[k++]!);
  const last = n - 1;
  const lastN = shape[last]!;
  const lastS = outStrides[last]!;
  const idx = new Int32Array(n);
  let off = 0;
  let s = 0;
  for (;;) {
    if (lastS === 0) {
      let acc = dst[off]!;
      switch (op) {
        case "sum":
          for (let i = 0; i < lastN; i++) acc += src[s++]!;
          break;
        case "prod":
          for (let i = 0; i < lastN; i++) acc *= src[s++]!;
          break;
        case "max":
          for (let i = 0; i < lastN; i++) {
            const v = src[s++]!;
            if (v > acc || v !== v) acc = v;
          }
          break;
        case "min":
          for (let i = 0; i < lastN; i++) {
            const v = src[s++]!;
            if (v < acc || v !== v) acc = v;
          }
          break;
      }
      if (acc !== acc) acc = NaN;
      dst[off] = acc;
    } else {
      for (let i = 0, p = off; i < lastN; i++, p += lastS) {
        const v = src[s++]!;
        const d = dst[p]!;
        switch (op) {
          case "sum":
            dst[p] = d + v;
            break;
          case "prod":
            dst[p] = d * v;
            break;
          case "max":
            if (v > d || v !== v) dst[p] = v;
            break;
          case "min":
            if (v < d || v !== v) dst[p] = v;
            break;
        }
      }
    }
    let ax = last - 1;
    while (ax >= 0) {
      idx[ax]!++;
      off += outStrides[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      off -= outStrides[ax]! * shape[ax]!;
      idx[ax] = 0;
      ax--;
    }
    if (ax < 0) return;
  }
}

/** Index of the first maximum (`sign = 1`) or minimum (`sign = -1`) along `axis`; NaN wins, as in NumPy. */
export function argReduceData(
  sign: 1 | -1,
  src: TypedArray,
  shape: readonly number[],
  axis: number,
  dst: Int32Array,
): void {
  const n = shape[axis]!;
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let best = src[base]!;
      let bi = 0;
      if (best === best) {
        for (let i = 1; i < n; i++) {
          const v = src[base + i * inner]!;
          if (v !== v) {
            bi = i;
            break;
          }
          if (sign * (v - best) > 0) {
            best = v;
            bi = i;
          }
        }
      }
      dst[o * inner + j] = bi;
    }
  }
}
