/** @file Reductions over a set of axes (sums pairwise), the compensated cumulative sum, and arg-reductions along one axis. */
import type { TypedArray } from "../core/dtype.ts";
import { contiguousStrides, sizeOf } from "./strided.ts";
import { simdExtremum, simdMath, simdPairwiseSum } from "./simd.ts";

/**
 * Float64 lanes at least this long are reduced by the WebAssembly SIMD kernels (`simd.ts`), which
 * add in the same order as the JavaScript loop below (bit-for-bit equal sums) and pay a copy into
 * their memory: measured in bench/simd.ts, a gain of 10–30% at 10⁶ elements, none below ~10³.
 */
const SIMD_REDUCE_MIN = 4096;

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
 * Sums go pairwise (`sumData`); for the others the loop walks the source in order and sends each element to its output slot (stride 0 along
 * reduced axes), so no transposed copy is made. NaN propagates through max/min as in NumPy.
 */
export function reduceData(
  op: ReduceOp,
  src: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  dst: TypedArray,
): void {
  if (op === "sum") {
    sumData(src, shape, axes, dst);
    return;
  }
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
        case "prod":
          for (let i = 0; i < lastN; i++) acc *= src[s++]!;
          break;
        case "max":
          if (lastN >= SIMD_REDUCE_MIN && src instanceof Float64Array && simdMath() !== null) {
            const v = simdExtremum(simdMath()!, "max", src, s, lastN);
            s += lastN;
            if (v > acc || v !== v) acc = v;
            break;
          }
          for (let i = 0; i < lastN; i++) {
            const v = src[s++]!;
            if (v > acc || v !== v) acc = v;
          }
          break;
        case "min":
          if (lastN >= SIMD_REDUCE_MIN && src instanceof Float64Array && simdMath() !== null) {
            const v = simdExtremum(simdMath()!, "min", src, s, lastN);
            s += lastN;
            if (v < acc || v !== v) acc = v;
            break;
          }
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

/**
 * Pairwise summation as NumPy's `pairwise_sum`: runs of at most 128 elements are summed in a loop
 * with 8 interleaved accumulators (fewer than 8 elements: one, in order), longer ones are split in
 * halves at a multiple of 8, so the rounding error grows as ε·log₂(n) instead of ε·n and the
 * additions are NumPy's, in NumPy's order.
 */
const LEAF = 128;

/** Row blocks this short are added row by row (one accumulator per column, hence a shorter leaf). */
export const ROW_LEAF = 32;

/** Σ src[start + k], k < n, by pairwise summation (long float64 runs on the SIMD kernel, same additions). */
export function pairwiseSum(src: TypedArray, start: number, n: number): number {
  if (n >= SIMD_REDUCE_MIN && src instanceof Float64Array) {
    const m = simdMath();
    if (m !== null) return simdPairwiseSum(m, src, start, n);
  }
  return pairwiseJs(src, start, n);
}

/** `pairwiseSum` in JavaScript only (also for other dtypes and short runs). */
export function pairwiseJs(src: TypedArray, start: number, n: number): number {
  if (n > LEAF) {
    const half = (n >> 1) & ~7;
    return pairwiseJs(src, start, half) + pairwiseJs(src, start + half, n - half);
  }
  if (n < 8) {
    let res = 0;
    for (let k = 0; k < n; k++) res += src[start + k]!;
    return res;
  }
  let r0 = src[start]!;
  let r1 = src[start + 1]!;
  let r2 = src[start + 2]!;
  let r3 = src[start + 3]!;
  let r4 = src[start + 4]!;
  let r5 = src[start + 5]!;
  let r6 = src[start + 6]!;
  let r7 = src[start + 7]!;
  const end = start + (n & ~7);
  let i = start + 8;
  for (; i < end; i += 8) {
    r0 += src[i]!;
    r1 += src[i + 1]!;
    r2 += src[i + 2]!;
    r3 += src[i + 3]!;
    r4 += src[i + 4]!;
    r5 += src[i + 5]!;
    r6 += src[i + 6]!;
    r7 += src[i + 7]!;
  }
  let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
  for (; i < start + n; i++) res += src[i]!;
  return res;
}

/**
 * Sums the rows `r0 ≤ r < r0 + nr` of each block `src[base + r·inner + i]` into `out[i]`, pairwise
 * over rows: row blocks of `ROW_LEAF` are added in order, and block sums combine in halves. `scratch[d]`
 * is the buffer for recursion depth d (each of length `inner`).
 */
function pairwiseRows(src: TypedArray, base: number, r0: number, nr: number, inner: number, out: Float64Array, scratch: Float64Array[], depth: number): void {
  if (nr <= ROW_LEAF) {
    // Rows added in order, four per pass over `out` (each element's additions as one row at a time).
    let p = base + r0 * inner;
    for (let i = 0; i < inner; i++) out[i] = src[p + i]!;
    let r = 1;
    for (; r + 4 <= nr; r += 4) {
      const p1 = p + inner;
      const p2 = p1 + inner;
      const p3 = p2 + inner;
      p = p3 + inner;
      for (let i = 0; i < inner; i++) out[i] = out[i]! + src[p1 + i]! + src[p2 + i]! + src[p3 + i]! + src[p + i]!;
    }
    for (; r < nr; r++) {
      p += inner;
      for (let i = 0; i < inner; i++) out[i] += src[p + i]!;
    }
    return;
  }
  const half = nr >> 1;
  pairwiseRows(src, base, r0, half, inner, out, scratch, depth + 1);
  while (scratch.length <= depth) scratch.push(new Float64Array(inner));
  const tmp = scratch[depth]!;
  pairwiseRows(src, base, r0 + half, nr - half, inner, tmp, scratch, depth + 1);
  for (let i = 0; i < inner; i++) out[i] += tmp[i]!;
}

/**
 * Sums a contiguous array viewed as `[outer, n, inner]` over its middle axis into `dst`
 * (`[outer, inner]`), pairwise. Lanes along the last axis (inner = 1) sum directly; otherwise whole
 * rows of `inner` elements are added at once, so the source is still read in order.
 */
function sumMiddle(src: TypedArray, outer: number, n: number, inner: number, dst: TypedArray): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) dst[o] = n === 0 ? 0 : pairwiseSum(src, o * n, n);
    return;
  }
  const row = new Float64Array(inner);
  const scratch: Float64Array[] = [];
  for (let o = 0; o < outer; o++) {
    if (n === 0) row.fill(0);
    else pairwiseRows(src, o * n * inner, 0, n, inner, row, scratch, 0);
    dst.set(row, o * inner);
  }
}

/**
 * `reduceData` for sums: the reduced axes are grouped into runs of neighbouring axes, and each run
 * (from the last) is summed pairwise as the middle axis of `[outer, n, inner]`. The error bound is
 * ε·Σ log₂(run length) times the sum of magnitudes, not ε·n.
 */
function sumData(src: TypedArray, shape: readonly number[], axes: readonly number[], dst: TypedArray): void {
  if (axes.length === 0) {
    dst.set(src);
    return;
  }
  const sorted = [...axes].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const a of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[1] === a) last[1] = a + 1;
    else runs.push([a, a + 1]);
  }
  let cur: TypedArray = src;
  let curShape = [...shape];
  for (let k = runs.length - 1; k >= 0; k--) {
    const [lo, hi] = runs[k]!;
    const outer = sizeOf(curShape.slice(0, lo));
    const n = sizeOf(curShape.slice(lo, hi));
    const inner = sizeOf(curShape.slice(hi));
    const next = k === 0 ? dst : new Float64Array(outer * inner);
    sumMiddle(cur, outer, n, inner, next);
    cur = next;
    curShape = [...curShape.slice(0, lo), ...curShape.slice(hi)];
  }
}

/**
 * Cumulative sum along the middle axis of `[outer, n, inner]` (`reverse`: from the end), with
 * compensation (Neumaier's scheme, with Knuth's branch-free two-sum): the running sum's lost
 * low-order part is carried separately, so each prefix is correct to about one rounding whatever
 * its length.
 */
export function cumsumData(src: TypedArray, outer: number, n: number, inner: number, reverse: boolean, dst: TypedArray): void {
  const step = reverse ? -inner : inner;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let p = o * n * inner + (reverse ? (n - 1) * inner : 0) + j;
      let acc = 0;
      let comp = 0;
      for (let s = 0; s < n; s++, p += step) {
        const v = src[p]!;
        const t = acc + v;
        // Knuth's two-sum: the exact rounding error of acc + v, without a branch.
        const vPart = t - acc;
        comp += acc - (t - vPart) + (v - vPart);
        acc = t;
        dst[p] = t + comp;
      }
      if (acc - acc !== 0) fixNonFinite(src, dst, o * n * inner + j, n, inner, reverse);
    }
  }
}

/** Redoes a lane whose running sum overflowed or met a NaN, uncompensated (the compensation term is NaN there). */
function fixNonFinite(src: TypedArray, dst: TypedArray, base: number, n: number, inner: number, reverse: boolean): void {
  let acc = 0;
  let comp = 0;
  for (let s = 0; s < n; s++) {
    const p = base + (reverse ? n - 1 - s : s) * inner;
    const v = src[p]!;
    const t = acc + v;
    if (t - t === 0) {
      const vPart = t - acc;
      comp += acc - (t - vPart) + (v - vPart);
      dst[p] = t + comp;
    } else dst[p] = t;
    acc = t;
  }
}
