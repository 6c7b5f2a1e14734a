/**
 * @file Properties of issue 11's edge values: sorting, `unique` and `searchsorted` with NaN and ±∞
 * against a simple oracle (NaN last, NaNs one value); sums, means, cumulative sums and long matrix
 * products against a compensated (Neumaier / Dot2) oracle within pairwise summation's error bound;
 * and gather/scatterAdd with out-of-range traced indices (under `vmap` and `jit`): JVP against
 * central differences and VJP against JVP, so the derivative keeps the value's index mode.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { jit, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { ConcreteArray, type NDArray } from "../src/core/ndarray.ts";
import { gather, scatterAdd } from "../src/primitives/gather.ts";
import { checkJvpVsFd, checkVjpVsJvp, Rng, type Fn } from "./check.ts";
import { property } from "./harness.ts";

const EPS = 2 ** -52;

// ---------------------------------------------------------------- sorting with NaN

/** Values that sit on every edge of the order: NaN, ±∞, ±0, ties. */
const edgy = fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e300, -1e-300), fc.integer({ min: -4, max: 4 }));
const edgyArrays = fc.array(edgy, { minLength: 0, maxLength: 40 });

/** NumPy's order: ascending, NaN after everything; 0 if tied (±0 tie, NaNs tie). */
const order = (a: number, b: number): number => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a < b ? -1 : a > b ? 1 : 0);
/** The oracle's stable sorting permutation: a plain insertion sort with `order`. */
function oracleArgsort(xs: readonly number[]): number[] {
  const idx: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    let j = idx.length;
    while (j > 0 && order(xs[idx[j - 1]!]!, xs[i]!) > 0) j--;
    idx.splice(j, 0, i);
  }
  return idx;
}
const same = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || a === b;
const fail = (what: string, got: unknown, want: unknown, x: unknown): never => {
  throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)} for ${JSON.stringify(x)}`);
};
const list = (x: NDArray): number[] => Array.from((x as ConcreteArray).data);
const eqList = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => same(v, b[i]!));

describe("sorting with NaN and ±∞ against a simple oracle", () => {
  it("argsort and sort: stable, NaN last", () => {
    property(edgyArrays, 200, (xs) => {
      const perm = oracleArgsort(xs);
      const got = list(np.argsort(xs));
      if (!eqList(got, perm)) fail("np.argsort", got, perm, xs);
      const sorted = list(np.sort(xs));
      const want = perm.map((i) => xs[i]!);
      if (!eqList(sorted, want)) fail("np.sort", sorted, want, xs);
    });
  });

  it("unique: sorted distinct values with one NaN; index, inverse and counts agree", () => {
    property(edgyArrays.filter((xs) => xs.length > 0), 200, (xs) => {
      const perm = oracleArgsort(xs);
      const want: number[] = [];
      const firsts: number[] = [];
      for (const i of perm) {
        if (want.length === 0 || order(want[want.length - 1]!, xs[i]!) !== 0) {
          want.push(xs[i]!);
          firsts.push(i);
        }
      }
      const [values, index, inverse, counts] = np.unique(xs, { returnIndex: true, returnInverse: true, returnCounts: true }).map(list);
      if (!eqList(values!, want)) fail("np.unique", values, want, xs);
      if (!eqList(index!, firsts)) fail("np.unique index", index, firsts, xs);
      const rebuilt = inverse!.map((k) => values![k]!);
      if (!xs.every((v, i) => order(v, rebuilt[i]!) === 0)) fail("np.unique inverse", rebuilt, xs, xs);
      const wantCounts = want.map((v) => xs.filter((x) => order(x, v) === 0).length);
      if (!eqList(counts!, wantCounts)) fail("np.unique counts", counts, wantCounts, xs);
    });
  });

  it("searchsorted: left counts the elements before, right those not after (NaN largest)", () => {
    property(fc.tuple(edgyArrays, fc.array(edgy, { minLength: 1, maxLength: 10 })), 200, ([raw, vs]) => {
      const a = oracleArgsort(raw).map((i) => raw[i]!);
      for (const side of ["left", "right"] as const) {
        const got = list(np.searchsorted(a, vs, { side }));
        const want = vs.map((v) => a.filter((x) => (side === "left" ? order(x, v) < 0 : order(x, v) <= 0)).length);
        if (!eqList(got, want)) fail(`np.searchsorted ${side}`, got, want, [a, vs]);
      }
    });
  });

  it("median and percentile: NaN in a lane gives NaN there, else the sorted lane's middle", () => {
    property(fc.array(fc.array(edgy, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }), 100, (rows) => {
      const got = list(np.median(rows, { axis: 1 }));
      const want = rows.map((r) => (r.some(Number.isNaN) ? NaN : oracleArgsort(r).map((i) => r[i]!)[1]!));
      if (!eqList(got, want)) fail("np.median", got, want, rows);
    });
  });
});

// ---------------------------------------------------------------- accurate sums

/** Neumaier's compensated sum of `xs` (with ε²-level error: the oracle). */
function neumaier(xs: ArrayLike<number>, start = 0, count = xs.length, stride = 1): number {
  let s = 0;
  let c = 0;
  for (let k = 0; k < count; k++) {
    const v = xs[start + k * stride]!;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/** Dot2 (Ogita, Rump & Oishi): Σ aᵢ·bᵢ with each product's error kept exactly (TwoProduct by splitting). */
function dot2(a: ArrayLike<number>, aOff: number, aStride: number, b: ArrayLike<number>, bOff: number, bStride: number, k: number): number {
  const split = (x: number): [number, number] => {
    const c = 134217729 * x;
    const hi = c - (c - x);
    return [hi, x - hi];
  };
  let s = 0;
  let c = 0;
  for (let p = 0; p < k; p++) {
    const x = a[aOff + p * aStride]!;
    const y = b[bOff + p * bStride]!;
    const h = x * y;
    const [xh, xl] = split(x);
    const [yh, yl] = split(y);
    const l = xl * yl - (h - xh * yh - xl * yh - xh * yl);
    const t = s + h;
    const z = t - s;
    c += s - (t - z) + (h - z) + l;
    s = t;
  }
  return s + c;
}

/** Data of `size`: uniform in [−1, 1], positive over decades, or one constant (where sequential sums drift most). */
function data(kind: "uniform" | "decades" | "constant", size: number, seed: number): Float64Array {
  const r = new Rng(seed);
  const c = 0.1 + r.next();
  return Float64Array.from({ length: size }, () => (kind === "uniform" ? 2 * r.next() - 1 : kind === "decades" ? 10 ** (8 * r.next() - 4) : c));
}

const sumCases = fc.record({
  shape: fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 300_000 })).map((s) => [...s]),
    fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 40 })).map((s) => [...s]),
    fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 600 })).map((s) => [...s]),
  ),
  kind: fc.constantFrom("uniform", "decades", "constant") as fc.Arbitrary<"uniform" | "decades" | "constant">,
  axesMask: fc.integer({ min: 1, max: 7 }),
  seed: fc.integer(),
});

describe("sums against a compensated oracle, within pairwise summation's bound", () => {
  it("np.sum and np.mean over any axes: |error| ≤ (log₂ n + 40)·ε·Σ|x|", () => {
    property(sumCases, 40, ({ shape, kind, axesMask, seed }) => {
      const x = data(kind, shape.reduce((a, b) => a * b, 1), seed);
      const axes = shape.map((_, i) => i).filter((i) => (axesMask >> i) & 1);
      if (axes.length === 0) axes.push(0);
      const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
      const n = axes.reduce((p, a) => p * shape[a]!, 1);
      const arr = np.array(x).reshape(shape);
      const got = list(np.sum(arr, { axis: axes }));
      const gotMean = list(np.mean(arr, { axis: axes }));
      // The oracle: each output's lane gathered by a transpose, then summed with compensation.
      const lanes = list(np.transpose(arr, [...kept, ...axes]).reshape(-1));
      for (let o = 0; o < got.length; o++) {
        const exact = neumaier(lanes, o * n, n);
        let abs = 0;
        for (let k = 0; k < n; k++) abs += Math.abs(lanes[o * n + k]!);
        const bound = (Math.log2(n) + 40) * EPS * abs + 1e-300;
        if (!(Math.abs(got[o]! - exact) <= bound)) throw new Error(`np.sum over ${axes} of ${shape} (${kind}): output ${o} off by ${Math.abs(got[o]! - exact)}, bound ${bound}`);
        if (!(Math.abs(gotMean[o]! - exact / n) <= bound / n + EPS * Math.abs(exact / n))) throw new Error(`np.mean over ${axes} of ${shape} (${kind}): output ${o} off`);
      }
    });
  });

  it("np.cumsum along any axis: every prefix within 3ε·Σ|prefix| + n·ε²·Σ|x|", () => {
    property(sumCases, 40, ({ shape, kind, axesMask, seed }) => {
      const x = data(kind, shape.reduce((a, b) => a * b, 1), seed);
      const axis = (axesMask - 1) % shape.length;
      const got = list(np.cumsum(np.array(x).reshape(shape), { axis }));
      const n = shape[axis]!;
      const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const outer = x.length / (n * inner);
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) {
          const base = o * n * inner + j;
          let abs = 0;
          // The oracle's running Neumaier sum: s + c is each prefix to about ε² relative.
          let s = 0;
          let c = 0;
          for (let k = 0; k < n; k++) {
            const p = base + k * inner;
            const v = x[p]!;
            abs += Math.abs(v);
            const t = s + v;
            c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
            s = t;
            const exact = s + c;
            const bound = 3 * EPS * abs + n * EPS * EPS * abs + 1e-300;
            if (!(Math.abs(got[p]! - exact) <= bound)) throw new Error(`np.cumsum axis ${axis} of ${shape} (${kind}): prefix ${k} off by ${Math.abs(got[p]! - exact)}, bound ${bound}`);
          }
        }
      }
    });
  });

  it("np.matmul with a long inner dimension: |error| ≤ (log₂ k + 300)·ε·Σ|aᵢbᵢ|", () => {
    const cases = fc.record({
      m: fc.integer({ min: 1, max: 6 }),
      n: fc.integer({ min: 1, max: 6 }),
      k: fc.integer({ min: 1000, max: 60_000 }),
      transA: fc.boolean(),
      transB: fc.boolean(),
      kind: fc.constantFrom("uniform", "decades", "constant") as fc.Arbitrary<"uniform" | "decades" | "constant">,
      seed: fc.integer(),
    });
    property(cases, 30, ({ m, n, k, transA, transB, kind, seed }) => {
      const a = data(kind, m * k, seed);
      const b = data(kind, k * n, seed + 1);
      // Stored transposed when asked, so the kernel's transposed paths are exercised through matmul(x.T).
      const A = transA ? np.transpose(np.array(a).reshape(k, m)) : np.array(a).reshape(m, k);
      const B = transB ? np.transpose(np.array(b).reshape(n, k)) : np.array(b).reshape(k, n);
      const got = list(np.matmul(A, B));
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const [aOff, aStride] = transA ? [i, m] : [i * k, 1];
          const [bOff, bStride] = transB ? [j * k, 1] : [j, n];
          const exact = dot2(a, aOff, aStride, b, bOff, bStride, k);
          let abs = 0;
          for (let p = 0; p < k; p++) abs += Math.abs(a[aOff + p * aStride]! * b[bOff + p * bStride]!);
          const bound = (Math.log2(k) + 300) * EPS * abs;
          if (!(Math.abs(got[i * n + j]! - exact) <= bound)) throw new Error(`matmul ${m}×${k}·${k}×${n} (${kind}, transA ${transA}, transB ${transB}): [${i}, ${j}] off by ${Math.abs(got[i * n + j]! - exact)}, bound ${bound}`);
        }
      }
    });
  });
});

// ---------------------------------------------------------------- out-of-range traced indices

const indexCases = fc.record({
  n: fc.integer({ min: 1, max: 5 }),
  cols: fc.integer({ min: 1, max: 3 }),
  axis: fc.constantFrom(0, 1),
  count: fc.integer({ min: 1, max: 4 }),
  batch: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer(),
});

/** Indices in [−3, n + 3): many out of range on both sides, as int32 of shape [batch, count]. */
function wildIndices(rng: Rng, n: number, batch: number, count: number): ConcreteArray {
  return new ConcreteArray(Int32Array.from({ length: batch * count }, () => rng.int(n + 6) - 3), [batch, count], "int32");
}

describe("gather/scatterAdd with out-of-range traced indices: derivatives in the value's index mode", () => {
  it("gather under vmap and jit (clamped reads): JVP ≈ central differences, VJP = JVPᵀ", () => {
    property(indexCases, 60, ({ n, cols, axis, count, batch, seed }) => {
      const rng = new Rng(seed);
      const shape = axis === 0 ? [n, cols] : [cols, n];
      const idx = wildIndices(rng, n, batch, count);
      const viaVmap: Fn = (x) => [vmap((i: NDArray) => gather(x!, i, axis))(idx)];
      const viaJit: Fn = (x) => [jit((xx: NDArray, i: NDArray) => gather(xx, i, axis))(x!, idx)];
      for (const F of [viaVmap, viaJit]) {
        const [out] = F(rng.like({ shape, dtype: "float64" }));
        const xs = [rng.like({ shape, dtype: "float64" })];
        const vs = [rng.like({ shape, dtype: "float64" })];
        const us = [rng.like(out!)];
        checkJvpVsFd(F, xs, vs, us);
        checkVjpVsJvp(F, xs, vs, us);
      }
    });
  });

  it("scatterAdd under vmap and jit (dropped writes): JVP ≈ central differences, VJP = JVPᵀ", () => {
    property(indexCases, 60, ({ n, cols, axis, count, batch, seed }) => {
      const rng = new Rng(seed);
      const shape = axis === 0 ? [n, cols] : [cols, n];
      const uShape = axis === 0 ? [batch, count, cols] : [batch, cols, count];
      const idx = wildIndices(rng, n, batch, count);
      const viaVmap: Fn = (u) => [vmap((uu: NDArray, i: NDArray) => scatterAdd(uu, i, axis, shape))(u!, idx)];
      const viaJit: Fn = (u) => [jit((uu: NDArray, i: NDArray) => scatterAdd(uu.get(0), i.get(0), axis, shape))(u!, idx)];
      for (const F of [viaVmap, viaJit]) {
        const [out] = F(rng.like({ shape: uShape, dtype: "float64" }));
        const xs = [rng.like({ shape: uShape, dtype: "float64" })];
        const vs = [rng.like({ shape: uShape, dtype: "float64" })];
        const us = [rng.like(out!)];
        checkJvpVsFd(F, xs, vs, us);
        checkVjpVsJvp(F, xs, vs, us);
      }
    });
  });
});
