/**
 * @file The convolution kernel (XLA's ConvGeneralDilated in the canonical layout: lhs [N, C, …],
 * rhs [O, I, …], out [N / batchGroups, O, …]): im2col into the matrix product, one product per
 * image and group, with a table of input offsets shared by every image and channel.
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

/** The sizes both kernels loop over, with the output (zeros) and the offset table. */
function layout(g: ConvGeometry) {
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
    out: new Float64Array(nOut * O * P),
  };
}

/**
 * out = conv(lhs, rhs) by im2col: for each output image and group, the matrix of input patches
 * [I·K, P] (I channels per group, K kernel taps, P output positions) times the group's kernels
 * [O/Q, I·K], written straight into the output rows of that group.
 */
export function convIm2col(lhs: Float64Array, rhs: Float64Array, g: ConvGeometry): Float64Array {
  const { nOut, O, C, I, P, groups, inSize, K, oPer, out } = layout(g);
  if (out.length === 0) return out;
  const table = offsetTable(g);
  const col = new Float64Array(I * K * P);
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
      matmulData(w, col, o, 1, oPer, rows, P);
    }
  }
  return out;
}

/**
 * out = conv(lhs, rhs) by direct loops over (image, output channel, channel, tap, position), with
 * the same offset table. Kept beside im2col because it is faster for few output positions
 * (the patch matrix costs more than it saves) — see `convData`.
 */
export function convDirect(lhs: Float64Array, rhs: Float64Array, g: ConvGeometry): Float64Array {
  const { nOut, O, C, I, P, groups, inSize, K, oPer, out } = layout(g);
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

/** The convolution by the faster kernel for its size (measured: `npx tsx bench/conv-kernel.ts`). */
export function convData(lhs: Float64Array, rhs: Float64Array, g: ConvGeometry): Float64Array {
  const P = prod(g.outShape.slice(2));
  const rows = g.rhsShape[1]! * prod(g.rhsShape.slice(2));
  const oPer = g.outShape[1]! / Math.max(g.featureGroupCount, g.batchGroupCount);
  return P * rows * oPer >= IM2COL_MIN_WORK ? convIm2col(lhs, rhs, g) : convDirect(lhs, rhs, g);
}

/** Multiply-adds per image and group from which im2col beats the direct loops. */
const IM2COL_MIN_WORK = 4096;
