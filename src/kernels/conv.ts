/**
 * @file The convolution kernel (XLA's ConvGeneralDilated in the canonical layout: lhs [N, C, …],
 * rhs [O, I, …], out [N / batchGroups, O, …]): im2col into the matrix product, one product per
 * image and group, with a table of input offsets shared by every image and channel. A float32
 * convolution is computed in float32: see `convData`.
 */
import { matmulData } from "./matmul.ts";

/** The geometry of one convolution, canonical layout; spatial lists have one entry per spatial axis. */
export interface ConvGeometry {
  readonly lhsShape: readonly number[];
  readonly rhsShape: readonly number[];
  readonly outShape: readonly number[];
  readonly strides: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
  readonly lhsDilation: readonly number[];
  readonly rhsDilation: readonly number[];
  readonly featureGroupCount: number;
  readonly batchGroupCount: number;
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * For every (kernel position, output position) pair, the flat offset of the input element it reads
 * within one channel's spatial block, or −1 where it reads padding or a hole of the lhs dilation.
 * Laid out [kernel position][output position], as the rows and columns of the im2col matrix.
 */
export function offsetTable(g: ConvGeometry): Int32Array {
  const nd = g.strides.length;
  const inSp = g.lhsShape.slice(2);
  const kSp = g.rhsShape.slice(2);
  const outSp = g.outShape.slice(2);
  const K = prod(kSp);
  const P = prod(outSp);
  // Per axis: where kernel tap k at output y reads, as an input index or −1.
  const axisIndex = (d: number, y: number, k: number): number => {
    const p = y * g.strides[d]! + k * g.rhsDilation[d]! - g.padding[d]![0];
    const ld = g.lhsDilation[d]!;
    if (p < 0 || p % ld !== 0) return -1;
    const i = p / ld;
    return i < inSp[d]! ? i : -1;
  };
  const table = new Int32Array(K * P);
  const kIdx = new Array<number>(nd).fill(0);
  for (let kk = 0; kk < K; kk++) {
    const yIdx = new Array<number>(nd).fill(0);
    for (let pp = 0; pp < P; pp++) {
      let off = 0;
      for (let d = 0; d < nd; d++) {
        const i = axisIndex(d, yIdx[d]!, kIdx[d]!);
        if (i < 0) {
          off = -1;
          break;
        }
        off = off * inSp[d]! + i;
      }
      table[kk * P + pp] = off;
      for (let d = nd - 1; d >= 0 && ++yIdx[d]! === outSp[d]!; d--) yIdx[d] = 0;
    }
    for (let d = nd - 1; d >= 0 && ++kIdx[d]! === kSp[d]!; d--) kIdx[d] = 0;
  }
  return table;
}

/** The output array: float64, or float32 for a float32 convolution (every accumulation then rounds to float32). */
export type ConvOut = Float64Array | Float32Array;

/** The sizes both kernels loop over, with the output (zeros) and the offset table. */
function layout(g: ConvGeometry, f32: boolean) {
  const [nOut, O] = [g.outShape[0]!, g.outShape[1]!];
  const [C, I] = [g.lhsShape[1]!, g.rhsShape[1]!];
  const P = prod(g.outShape.slice(2));
  const groups = Math.max(g.featureGroupCount, g.batchGroupCount);
  return {
    nOut,
    O,
    C,
    I,
    P,
    groups,
    inSize: prod(g.lhsShape.slice(2)),
    K: prod(g.rhsShape.slice(2)),
    oPer: O / groups,
    out: f32 ? new Float32Array(nOut * O * P) : new Float64Array(nOut * O * P),
  };
}

/**
 * out = conv(lhs, rhs) by im2col: for each output image and group, the matrix of input patches
 * [I·K, P] (I channels per group, K kernel taps, P output positions) times the group's kernels
 * [O/Q, I·K], written straight into the output rows of that group.
 */
export function convIm2col(lhs: Float64Array, rhs: Float64Array, g: ConvGeometry, f32 = false): ConvOut {
  const { nOut, O, C, I, P, groups, inSize, K, oPer, out } = layout(g, f32);
  if (out.length === 0) return out;
  const table = offsetTable(g);
  const col = new Float64Array(I * K * P);
  const scratch = f32 ? new Float64Array(oPer * P) : null;
  const rows = I * K;
  for (let b = 0; b < nOut; b++) {
    for (let q = 0; q < groups; q++) {
      // Feature groups take channel block q of the image; batch groups take image q·nOut + b.
      const image = g.batchGroupCount > 1 ? q * nOut + b : b;
      const c0 = g.featureGroupCount > 1 ? q * I : 0;
      for (let c = 0; c < I; c++) {
        const src = (image * C + c0 + c) * inSize;
        const dst = c * K * P;
        for (let t = 0; t < K * P; t++) {
          const off = table[t]!;
          col[dst + t] = off < 0 ? 0 : lhs[src + off]!;
        }
      }
      const w = rhs.subarray(q * oPer * rows, (q + 1) * oPer * rows);
      const o = out.subarray((b * O + q * oPer) * P, (b * O + (q + 1) * oPer) * P);
      if (o instanceof Float64Array) matmulData(w, col, o, 1, oPer, rows, P);
      else productF32(w, col, o, oPer, rows, P, scratch!);
    }
  }
  return out;
}

/**
 * out = conv(lhs, rhs) by direct loops over (image, output channel, channel, tap, position), with
 * the same offset table. Kept beside im2col because it is faster for few output positions
 * (the patch matrix costs more than it saves) — see `convData`.
 */
export function convDirect(lhs: Float64Array, rhs: Float64Array, g: ConvGeometry, f32 = false): ConvOut {
  const { nOut, O, C, I, P, groups, inSize, K, oPer, out } = layout(g, f32);
  if (out.length === 0) return out;
  const table = offsetTable(g);
  for (let b = 0; b < nOut; b++) {
    for (let o = 0; o < O; o++) {
      const q = Math.floor(o / oPer);
      const image = g.batchGroupCount > 1 ? q * nOut + b : b;
      const c0 = g.featureGroupCount > 1 ? q * I : 0;
      const dst = (b * O + o) * P;
      for (let c = 0; c < I; c++) {
        const src = (image * C + c0 + c) * inSize;
        const wRow = (o * I + c) * K;
        for (let kk = 0; kk < K; kk++) {
          const w = rhs[wRow + kk]!;
          const t0 = kk * P;
          for (let p = 0; p < P; p++) {
            const off = table[t0 + p]!;
            if (off >= 0) out[dst + p] = out[dst + p]! + w * lhs[src + off]!;
          }
        }
      }
    }
  }
  return out;
}

/**
 * o = w · col in float32 ([m, k] times [k, n], row-major): each output accumulates its k products
 * in order, every step rounded to float32 (the product of two float32 values is exact in float64,
 * so each step is a float32 multiply-add rounded once, or twice in rare ties, as an FMA). The sums
 * live in a float64 `scratch` (m·n) between roundings — `Math.fround` on float64 storage measured
 * about twice as fast as float32 storage — and four output rows share each pass over `col`.
 */
function productF32(w: Float64Array, col: Float64Array, o: Float32Array, m: number, k: number, n: number, scratch: Float64Array): void {
  const fr = Math.fround;
  scratch.fill(0);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    for (let r = 0; r < k; r++) {
      const a0 = w[i * k + r]!, a1 = w[(i + 1) * k + r]!, a2 = w[(i + 2) * k + r]!, a3 = w[(i + 3) * k + r]!;
      const src = r * n;
      for (let p = 0; p < n; p++) {
        const c = col[src + p]!;
        scratch[r0 + p] = fr(scratch[r0 + p]! + a0 * c);
        scratch[r1 + p] = fr(scratch[r1 + p]! + a1 * c);
        scratch[r2 + p] = fr(scratch[r2 + p]! + a2 * c);
        scratch[r3 + p] = fr(scratch[r3 + p]! + a3 * c);
      }
    }
  }
  for (; i < m; i++) {
    const row = i * n;
    for (let r = 0; r < k; r++) {
      const a = w[i * k + r]!;
      const src = r * n;
      for (let p = 0; p < n; p++) scratch[row + p] = fr(scratch[row + p]! + a * col[src + p]!);
    }
  }
  o.set(scratch.subarray(0, m * n));
}

/**
 * The convolution by the faster kernel for its size (measured: `npx tsx bench/conv-kernel.ts`).
 * With `f32`, the result is accumulated in float32 — channels, then kernel taps, in order, each
 * step rounded — as XLA's CPU convolution does: JAX 0.10.2's float32 convolutions equal the float64
 * result rounded to float32 in only 10–30% of outputs (errors grow with the number of products,
 * ≈ 4.5·10⁻⁷ of the largest output for 576 products, vs 4·10⁻⁸ for the rounded float64 sum), and
 * give 16777216 for [2²⁴, 1, 1, 1] ⊛ [1, 1, 1, 1] where a float64 sum rounds to 16777220.
 */
export function convData(lhs: Float64Array, rhs: Float64Array, g: ConvGeometry, f32 = false): ConvOut {
  const P = prod(g.outShape.slice(2));
  const rows = g.rhsShape[1]! * prod(g.rhsShape.slice(2));
  const oPer = g.outShape[1]! / Math.max(g.featureGroupCount, g.batchGroupCount);
  return P * rows * oPer >= IM2COL_MIN_WORK ? convIm2col(lhs, rhs, g, f32) : convDirect(lhs, rhs, g, f32);
}

/** Multiply-adds per image and group from which im2col beats the direct loops. */
const IM2COL_MIN_WORK = 4096;
