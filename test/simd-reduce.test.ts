/**
 * @file Reductions on the WebAssembly SIMD kernels: the pairwise sum adds in NumPy's order (checked
 * against a direct transcription of NumPy's `pairwise_sum`) and is bit-for-bit the JavaScript
 * one; its error stays within the pairwise bound (1e7 × 0.1, random data against a compensated
 * sum); max/min propagate NaN wherever it sits; the dot kernel is the pairwise sum of the products;
 * sums over a leading axis add whole rows in blocks of 32, in order, blocks combined in halves.
 */
import { describe, expect, it } from "vitest";
import { pairwiseJs, pairwiseSum, reduceData } from "../src/kernels/reduce.ts";
import { CHUNK, simdExtremum, simdMath, simdPairwiseDot, simdPairwiseSum } from "../src/kernels/simd.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import * as np from "autograd-ts/numpy";

const m = simdMath()!;
const EPS = 2 ** -53;

/** NumPy's pairwise_sum, written out as its C source reads (the reference for the order of additions). */
function numpyPairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => a[start + k]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] = r[k]! + a[start + i + k]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpyPairwise(a, start, n2) + numpyPairwise(a, start + n2, n - n2);
}

/** Σ x exactly enough (Neumaier's compensated sum: error ≈ ε·|Σx| + n·ε²·Σ|x|). */
function compensated(x: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

const LENGTHS = [1, 7, 8, 9, 15, 16, 127, 128, 129, 255, 256, 1000, CHUNK - 1, CHUNK, CHUNK + 1, 4095, 4096, 4097, 3 * CHUNK + 5, 100_003];

describe("pairwise sum", () => {
  it.each(LENGTHS)("n = %i: the Wasm and JavaScript sums are NumPy's additions, bit for bit", (n) => {
    const rand = mulberry32(n);
    // Mixed magnitudes, so that a different order of additions shows in the last bits.
    const x = Float64Array.from({ length: n + 3 }, () => (rand() - 0.4) * 10 ** Math.floor(rand() * 8));
    const ref = numpyPairwise(x, 3, n);
    expect(pairwiseJs(x, 3, n)).toBe(ref);
    expect(simdPairwiseSum(m, x, 3, n)).toBe(ref);
    expect(pairwiseSum(x, 3, n)).toBe(ref);
  });

  it("1e7 × 0.1: within the pairwise bound (naive summation is off by 1.6e-4)", () => {
    const n = 1e7;
    const x = new Float64Array(n).fill(0.1);
    const s = np.sum(np.asarray(x)).item() as number;
    const exact = n * 0.1000000000000000055511151231257827; // 0.1 as a double is 0.1000000000000000055511151231257827…
    // Pairwise: |error| ≤ (⌈log₂(n/128)⌉ + 8)·ε·Σ|x| (8 accumulators' leaf, then one rounding per level).
    const bound = (Math.ceil(Math.log2(n / 128)) + 8) * EPS * exact;
    expect(Math.abs(s - exact)).toBeLessThanOrEqual(bound);
    expect(Math.abs(s - exact)).toBeLessThan(1e-9);
    let naive = 0;
    for (let i = 0; i < n; i++) naive += x[i]!;
    expect(Math.abs(naive - exact)).toBeGreaterThan(1e-5);
  });

  it("random data of 1e6: error within the pairwise bound against a compensated sum", () => {
    const rand = mulberry32(7);
    const x = Float64Array.from({ length: 1e6 }, () => rand() - 0.3);
    const exact = compensated(x);
    const abs = x.reduce((a, v) => a + Math.abs(v), 0);
    const s = pairwiseSum(x, 0, x.length);
    expect(Math.abs(s - exact)).toBeLessThanOrEqual((Math.ceil(Math.log2(1e6 / 128)) + 8) * EPS * abs);
  });

  it("np.sum and np.mean of a long float64 array go through it; the axis sums of lanes too", () => {
    const rand = mulberry32(3);
    const x = Float64Array.from({ length: 3 * 5000 }, () => rand() * 3 - 1);
    expect(np.sum(np.asarray(x)).item()).toBe(numpyPairwise(x, 0, x.length));
    expect(np.mean(np.asarray(x)).item()).toBe(numpyPairwise(x, 0, x.length) / x.length);
    const rows = np.sum(np.reshape(np.asarray(x), [3, 5000]), { axis: 1 }).toArray();
    expect(rows).toEqual([0, 1, 2].map((r) => numpyPairwise(x, r * 5000, 5000)));
  });
});

describe("max, min and dot kernels", () => {
  it.each([8, 16, 24, 2048, 2056, 5003, 100_000])("n = %i: max and min as the JavaScript loop, NaN anywhere propagates", (n) => {
    const rand = mulberry32(n + 1);
    const x = Float64Array.from({ length: n }, () => (rand() - 0.5) * 1e3);
    x[Math.floor(rand() * n)] = Infinity;
    let mx = -Infinity;
    let mn = Infinity;
    for (const v of x) {
      mx = Math.max(mx, v);
      mn = Math.min(mn, v);
    }
    expect(simdExtremum(m, "max", x, 0, n)).toBe(mx);
    expect(simdExtremum(m, "min", x, 0, n)).toBe(mn);
    for (const at of [0, n >> 1, n - 1]) {
      const y = x.slice();
      y[at] = NaN;
      expect(simdExtremum(m, "max", y, 0, n)).toBeNaN();
      expect(simdExtremum(m, "min", y, 0, n)).toBeNaN();
    }
  });

  it.each([8, 24, 2048, 5000])("n = %i: a maximum or minimum of ±0 is Math's (+0 over −0 for max, −0 for min)", (n) => {
    const rand = mulberry32(n + 3);
    // Zeros of both signs among negatives (max) or positives (min), the −0s first or last.
    for (const [zeros, other] of [[[-0, 0], -1], [[0, -0], -1], [[-0, 0], 1], [[0, -0], 1]] as const) {
      const x = Float64Array.from({ length: n }, () => (rand() < 0.5 ? other * (1 + rand()) : rand() < 0.5 ? zeros[0] : zeros[1]));
      x[0] = zeros[0];
      x[n - 1] = zeros[1];
      const op = other < 0 ? "max" : "min";
      const expected = x.reduce((a, v) => (op === "max" ? Math.max(a, v) : Math.min(a, v)), op === "max" ? -Infinity : Infinity);
      expect(Object.is(simdExtremum(m, op, x, 0, n), expected)).toBe(true);
      expect(Object.is(expected, op === "max" ? 0 : -0)).toBe(true);
    }
  });

  it("np.max and np.min of long arrays, with and without NaN", () => {
    const x = Float64Array.from({ length: 10_001 }, (_, i) => Math.sin(i));
    expect(np.max(np.asarray(x)).item()).toBe(Math.max(...x.subarray(0, 10_001)));
    expect(np.min(np.asarray(x)).item()).toBe(Math.min(...x.subarray(0, 10_001)));
    x[9999] = NaN;
    expect(np.max(np.asarray(x)).item()).toBeNaN();
  });

  it.each([8, 9, 129, 2048, 4097, 50_001])("n = %i: dot is the pairwise sum of the products", (n) => {
    const rand = mulberry32(n + 2);
    const x = Float64Array.from({ length: n }, () => rand() - 0.5);
    const y = Float64Array.from({ length: n }, () => rand() * 4);
    const products = x.map((v, i) => v * y[i]!);
    expect(simdPairwiseDot(m, x, 0, y, 0, n)).toBe(numpyPairwise(products, 0, n));
    // np.dot of two long vectors goes to the kernel; short ones stay on the matrix-product kernel.
    if (n >= 4096) expect(np.dot(np.asarray(x), np.asarray(y)).item()).toBe(numpyPairwise(products, 0, n));
  });
});

describe("sums over a leading axis (rows added as whole rows)", () => {
  /** The order reduceData follows: blocks of up to 32 rows added one row after another, blocks combined in halves. */
  const rowsReference = (x: Float64Array, r0: number, nr: number, inner: number): Float64Array => {
    if (nr <= 32) {
      const out = x.slice(r0 * inner, (r0 + 1) * inner);
      for (let r = 1; r < nr; r++) for (let i = 0; i < inner; i++) out[i] += x[(r0 + r) * inner + i]!;
      return out;
    }
    const half = nr >> 1;
    const lo = rowsReference(x, r0, half, inner);
    const hi = rowsReference(x, r0 + half, nr - half, inner);
    return lo.map((v, i) => v + hi[i]!);
  };

  it.each([1, 2, 3, 4, 5, 6, 8, 9, 31, 32, 33, 100, 256])("%i rows: each column summed in that order, to the bit (−0 kept)", (nr) => {
    const rand = mulberry32(nr);
    for (const inner of [3, 512]) {
      // Magnitudes from 1e-8 to 1e8, so that another order rounds differently.
      const x = Float64Array.from({ length: nr * inner }, () => (rand() - 0.5) * 10 ** (16 * rand() - 8));
      for (let i = 0; i < inner; i += 7) for (let r = 0; r < nr; r++) x[r * inner + i] = -0;
      const got = new Float64Array(inner);
      reduceData("sum", x, [nr, inner], [0], got);
      const want = rowsReference(x, 0, nr, inner);
      expect(got.findIndex((v, i) => !Object.is(v, want[i])), `${nr}×${inner}`).toBe(-1);
    }
  });
});
