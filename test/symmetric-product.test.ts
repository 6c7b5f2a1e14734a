/**
 * @file Symmetric matrix products in compiled programs (`compiler/symmetric.ts`, the kernel in
 * `kernels/matmul-symmetric.ts`): where the compiler proves C = X·diag(u)·diag(v)·Xᵀ it computes the
 * tiles on and above the diagonal and mirrors them. The result is exactly symmetric, its upper
 * triangle has eager's bits, its lower one is within the rounding bound of eager's and of a plain
 * JavaScript reference; near misses are left to the full product (eager's bits everywhere).
 *
 * The bounds: two dot products of length k of the same exact terms X[i,p]·w_p·X[j,p], each term
 * formed with a few roundings, differ by at most (2k + 8)·ε·Σ_p |X[i,p]|·W_p·|X[j,p]| (ε = 2⁻⁵³,
 * W_p the sum of the magnitudes of the terms the program adds up to w_p).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { grad, hessian, jit, setThreads, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import { matmulData, productOf } from "../src/kernels/matmul.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { mockNoKernelMemory, sameBits } from "./compiler-helpers.ts";

type A = np.NDArray;
const EPS = 2 ** -53;
const MARK = "dotGeneral (symmetric: upper tiles, mirrored)";

afterEach(() => setThreads(1));

const dataOf = (x: NDArray): Float64Array => (x as ConcreteArray).data as Float64Array;

/** A deterministic [rows, cols] matrix with entries in [-0.1, 0.1]. */
const matrixData = (rows: number, cols: number, seed: number): number[][] =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => 0.1 * Math.sin(0.37 * (i * cols + j) + seed)));

/**
 * The functions f of the Hessians of Σ f(A·x) = Aᵀ·diag(f''(A·x))·A: f itself for the library (given its numpy module),
 * f'' for the reference, |f'''| ≤ `lip` everywhere, and `terms(z)`, the sum of the magnitudes of
 * the terms the differentiated program adds up to f''(z) (read from its jaxpr).
 */
const functions = {
  tanh: { f: (lib: typeof np, z: A) => lib.tanh(z), f2: (z: number) => -2 * Math.tanh(z) * (1 - Math.tanh(z) ** 2), lip: 2, terms: (z: number) => 2 * Math.abs(Math.tanh(z)) * (1 - Math.tanh(z) ** 2) },
  sin: { f: (lib: typeof np, z: A) => lib.sin(z), f2: (z: number) => -Math.sin(z), lip: 1, terms: (z: number) => Math.abs(Math.sin(z)) },
  cube: { f: (_: typeof np, z: A) => z.mul(z).mul(z), f2: (z: number) => 6 * z, lip: 6, terms: (z: number) => 6 * Math.abs(z) },
  softplus: {
    f: (lib: typeof np, z: A) => lib.log(lib.exp(z).add(1)),
    f2: (z: number) => 1 / (1 + Math.exp(-z)) - 1 / (1 + Math.exp(-z)) ** 2,
    lip: 0.1,
    // e^z/(1 + e^z) and e^2z/(1 + e^z)²: σ and σ².
    terms: (z: number) => 1 / (1 + Math.exp(-z)) + 1 / (1 + Math.exp(-z)) ** 2,
  },
} as const;

/** The Hessian of Σ f(A·x) with A [k, n], eager and jitted, with what the bounds need. */
function hessians(name: keyof typeof functions, k: number, n: number, lib = { jit, hessian, np }) {
  const { f } = functions[name];
  const rows = matrixData(k, n, k + n);
  const A = lib.np.array(rows);
  const xs = Array.from({ length: n }, (_, i) => Math.cos(1.3 * i));
  const x = lib.np.array(xs);
  const h = lib.hessian((v: A) => lib.np.sum(f(lib.np, A.matmul(v))));
  const H = lib.jit(h);
  return { rows, xs, eager: dataOf(h(x) as A), compiled: dataOf(H(x) as A), text: H.lower(x).text };
}

/** z = A·x in plain JavaScript, and for each p the bound (k + 2)·ε·Σ_q |A[p,q]·x[q]| on the library's error in it. */
function forward(rows: number[][], xs: number[]): { z: number[]; dz: number[] } {
  const z = rows.map((r) => r.reduce((s, a, q) => s + a * xs[q]!, 0));
  const dz = rows.map((r) => (r.length + 2) * EPS * r.reduce((s, a, q) => s + Math.abs(a * xs[q]!), 0));
  return { z, dz };
}

/**
 * Exactly symmetric, the upper triangle `eager`'s bits, the lower within (2k + 8)·ε·Σ_p |A[p,i]|·W_p·|A[p,j]|
 * of it, for A = `rows` ([k, n]) and W_p = `weights[p]`.
 */
function checkMirrored(label: string, rows: number[][], weights: readonly number[], eager: Float64Array, compiled: Float64Array): void {
  const k = rows.length;
  const n = rows[0]!.length;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const at = i * n + j;
      if (!Object.is(compiled[at], compiled[j * n + i])) expect({ label, i, j, symmetric: false }).toBe(undefined);
      if (i <= j) {
        if (!Object.is(compiled[at], eager[at])) expect({ label, i, j, compiled: compiled[at] }).toEqual({ label, i, j, compiled: eager[at] });
        continue;
      }
      let s = 0;
      for (let p = 0; p < k; p++) s += Math.abs(rows[p]![i]!) * weights[p]! * Math.abs(rows[p]![j]!);
      const bound = (2 * k + 8) * EPS * s * (1 + 1e-12);
      if (!(Math.abs(compiled[at]! - eager[at]!) <= bound)) expect({ label, i, j, diff: Math.abs(compiled[at]! - eager[at]!) }).toEqual({ label, i, j, diff: `≤ ${bound}` });
    }
  }
}

/** `checkMirrored` for the Hessian of Σ f(A·x): W_p = terms(z_p). */
const checkAgainstEager = (label: string, rows: number[][], xs: number[], terms: (z: number) => number, eager: Float64Array, compiled: Float64Array): void =>
  checkMirrored(label, rows, forward(rows, xs).z.map(terms), eager, compiled);

/**
 * Within the bound of Σ_p A[p,i]·f''(z_p)·A[p,j] computed here: the two sums' rounding, plus the
 * effect of the library's z and f'' differing from these: |f''(z) − f''(z')| ≤ lip·|z − z'|, and
 * f'' computed with at most 32 roundings or ulps of an elementary function, relative to `terms`.
 */
function checkAgainstReference(label: string, rows: number[][], xs: number[], fn: (typeof functions)[keyof typeof functions], compiled: Float64Array): void {
  const k = rows.length;
  const n = xs.length;
  const { z, dz } = forward(rows, xs);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let exact = 0;
      let bound = 0;
      for (let p = 0; p < k; p++) {
        const aa = rows[p]![i]! * rows[p]![j]!;
        exact += aa * fn.f2(z[p]!);
        bound += Math.abs(aa) * ((2 * k + 8) * EPS * fn.terms(z[p]!) + fn.lip * dz[p]! + 32 * EPS * fn.terms(z[p]!));
      }
      const diff = Math.abs(compiled[i * n + j]! - exact);
      if (!(diff <= bound * (1 + 1e-12))) expect({ label, i, j, diff }).toEqual({ label, i, j, diff: `≤ ${bound}` });
    }
  }
}

describe("the symmetric product in compiled Hessians", () => {
  const shapes = [[5, 5], [37, 37], [50, 37], [64, 64], [100, 100], [130, 130]] as const;

  it("fires on hessian(Σ f(A·x)) for several f and sizes; exactly symmetric, eager's bits above the diagonal, rounding below", () => {
    for (const name of Object.keys(functions) as (keyof typeof functions)[]) {
      for (const [k, n] of shapes) {
        const label = `${name} ${k}×${n}`;
        const { rows, xs, eager, compiled, text } = hessians(name, k, n);
        expect(text, label).toContain(MARK);
        checkAgainstEager(label, rows, xs, functions[name].terms, eager, compiled);
        checkAgainstReference(label, rows, xs, functions[name], compiled);
      }
    }
  });

  it("on two threads (the upper tiles on one) and three (the whole product on three, then mirrored) as on one", () => {
    for (const threads of [1, 2, 3]) {
      setThreads(threads);
      const { rows, xs, eager, compiled, text } = hessians("tanh", 130, 130);
      expect(text).toContain(MARK);
      checkAgainstEager(`${threads} threads`, rows, xs, functions.tanh.terms, eager, compiled);
    }
  });

  it("fires on Xᵀ·X of an argument, with eager's bits (the mirrored terms are the same products)", () => {
    for (const [k, n] of [[7, 5], [40, 37], [130, 64]] as const) {
      const X = np.array(matrixData(k, n, 3));
      const f = (x: A) => np.matmul(np.transpose(x), x);
      expect(jit(f).lower(X).text).toContain(MARK);
      sameBits([f(X)], [jit(f)(X) as A]);
    }
  });

  it("fires on Xᵀ·diag(w)·X of arguments X and w (also through a reshape adding a unit axis and a transpose), and on constants equal by value and constant factors", () => {
    const k = 41;
    const n = 37;
    const rows = matrixData(k, n, 5);
    const X = np.array(rows);
    const ws = Array.from({ length: k }, (_, p) => Math.sin(p));
    const w = np.array(ws);
    const f = (x: A, v: A) => np.matmul(np.transpose(x), v.reshape([k, 1]).mul(x));
    expect(jit(f).lower(X, w).text).toContain(MARK);
    const weights = ws.map(Math.abs);
    checkMirrored("X, w", rows, weights, dataOf(f(X, w)), dataOf(jit(f)(X, w) as A));
    // A sum of two scalings, (w + 1)·X, read back through a reshape adding a unit axis and a transpose.
    const viaUnitAxis = (x: A, v: A) => {
      const x3 = x.reshape([k, 1, n]);
      const s = x3.mul(v.reshape([k, 1, 1])).add(x3);
      return np.matmul(np.transpose(s.reshape([k, n])), x);
    };
    expect(jit(viaUnitAxis).lower(X, w).text).toContain(MARK);
    checkMirrored("(w + 1)·X through [k, 1, n]", rows, weights.map((wp) => wp + 1), dataOf(viaUnitAxis(X, w)), dataOf(jit(viaUnitAxis)(X, w) as A));
    // Two constants, one a copy of the other: compared by value.
    const B = np.array(matrixData(k, n, 5));
    const g = (v: A) => np.matmul(np.transpose(B), v.reshape([k, 1]).mul(X));
    expect(jit(g).lower(w).text).toContain(MARK);
    checkMirrored("B, w·X", rows, weights, dataOf(g(w)), dataOf(jit(g)(w) as A));
    // A constant factor (not a broadcast) whose elements are equal along the free axis: W[p, j] = w_p.
    const W = np.array(ws.map((wp) => Array.from({ length: n }, () => wp)));
    const h = (x: A) => np.matmul(np.transpose(x), W.mul(x));
    expect(jit(h).lower(X).text).toContain(MARK);
    checkMirrored("X, constant W", rows, weights, dataOf(h(X)), dataOf(jit(h)(X) as A));
  });

  it("reads sums back within a budget: a deep chain of shared sums is lowered at once, left as the full product", () => {
    // y ← 1.5·y + 0.5·y, 26 times: each sum reads both terms back to the same y, 2²⁶ paths without the budget.
    const X = np.array(matrixData(9, 7, 6));
    const f = (x: A) => {
      let y = x;
      for (let i = 0; i < 26; i++) y = y.mul(1.5).add(y.mul(0.5));
      return np.matmul(np.transpose(y), x);
    };
    expect(jit(f).lower(X).text).not.toContain("symmetric");
    sameBits([f(X)], [jit(f)(X) as A]);
  }, 5000);
});

describe("near misses: the full product, eager's bits", () => {
  const k = 23;
  const n = 19;
  const A = np.array(matrixData(k, n, 1));
  const v = np.array(Array.from({ length: k }, (_, p) => Math.cos(p)));
  const u = np.array(Array.from({ length: n }, (_, j) => Math.cos(j)));
  const changed = matrixData(k, n, 1);
  changed[4]![7]! += 1e-3;
  const B = np.array(changed);
  const X = np.array(matrixData(n, n, 2));
  // A with its first column again at the end.
  const wider = np.array(matrixData(k, n, 1).map((r) => [...r, r[0]!]));
  const scaled = (x: A) => np.tanh(x).reshape([k, 1]).mul(A);
  // W[p, j] = cos(p), but for one element: not constant along the free axis j.
  const factor = Array.from({ length: k }, (_, p) => Array.from({ length: n }, () => Math.cos(p)));
  factor[3]![5]! += 0.5;
  const freeVarying = np.array(factor);
  const cases: [string, (x: A) => A, A][] = [
    ["another constant (one element differs)", (x) => np.matmul(np.transpose(B), scaled(x)), v],
    ["a scaling along a free axis", (x) => np.matmul(np.transpose(A), A.mul(np.tanh(x).reshape([1, n]))), u],
    ["a scaling along a free axis of the other operand", (x) => np.matmul(np.transpose(A.mul(np.tanh(x).reshape([1, n]))), A), u],
    ["a sum of scalings of two matrices", (x) => np.matmul(np.transpose(A), scaled(x).add(np.cos(x).reshape([k, 1]).mul(B))), v],
    ["a constant factor varying along a free axis (one element)", (x) => np.matmul(np.transpose(x), freeVarying.mul(x)), A],
    ["a full matrix factor", (x) => np.matmul(np.transpose(A), A.mul(np.tanh(x))), np.array(matrixData(k, n, 9))],
    ["a non-linear function of X", (x) => np.matmul(np.transpose(A), np.tanh(A.mul(x.reshape([k, 1])))), v],
    ["X·X (not transposed)", (x) => np.matmul(x, x), X],
    ["a non-square result", (x) => np.matmul(np.transpose(A), np.tanh(x).reshape([k, 1]).mul(wider)), v],
    ["batch axes", (x) => np.matmul(np.transpose(x, [0, 2, 1]), x), np.array([matrixData(k, n, 3), matrixData(k, n, 4)])],
    ["float32", (x) => np.matmul(np.transpose(x), x), np.array(matrixData(k, n, 3), { dtype: "float32" })],
  ];
  for (const [name, f, arg] of cases) {
    it(`does not fire: ${name}`, () => {
      expect(jit(f).lower(arg).text).not.toContain("symmetric");
      sameBits([f(arg)], [jit(f)(arg) as A]);
    });
  }
  it("does not fire on complex Xᵀ·X (symmetric, but Hermitian products are another matter)", () => {
    const z = np.complex(np.array(matrixData(k, n, 3)), np.array(matrixData(k, n, 4)));
    const f = (x: A) => np.matmul(np.transpose(x), x);
    expect(jit(f).lower(z).text).not.toContain("symmetric");
    sameBits([f(z)], [jit(f)(z) as A]);
  });
});

describe("without the WebAssembly kernel's memory, or the kernel itself", () => {
  const lowered = async (mock: () => void) => {
    vi.resetModules();
    mock();
    const lib = await import("../src/index.ts");
    const npm = await import("../src/numpy/index.ts");
    try {
      for (const [k, n] of [[37, 37], [100, 100]] as const) {
        const { rows, xs, eager, compiled, text } = hessians("tanh", k, n, { jit: lib.jit, hessian: lib.hessian, np: npm as unknown as typeof np });
        expect(text).toContain(MARK);
        checkAgainstEager(`${k}×${n}`, rows, xs, functions.tanh.terms, eager, compiled);
        checkAgainstReference(`${k}×${n}`, rows, xs, functions.tanh, compiled);
      }
    } finally {
      vi.doUnmock("../src/kernels/matmul-wasm.ts");
    }
  };
  it("fires, mirrors and stays within the bounds without shared kernel memory", () => lowered(mockNoKernelMemory));
  it("fires, mirrors and stays within the bounds on the JavaScript kernel", () =>
    lowered(() =>
      vi.doMock("../src/kernels/matmul-wasm.ts", async (importOriginal) => ({
        ...(await importOriginal<typeof import("../src/kernels/matmul-wasm.ts")>()),
        kernelMemory: () => undefined,
        kernelMemoryArray: () => undefined,
        wasmMatmul: () => false,
        wasmProduct: () => undefined,
        wasmProductPair: () => undefined,
      })),
    ));
});

describe("under transformations of the jitted function", () => {
  const k = 40;
  const n = 37;
  const rows = matrixData(k, n, 6);
  const A = np.array(rows);
  const h = hessian((v: A) => np.sum(np.tanh(A.matmul(v))));
  const H = jit(h);

  it("vmap: each Hessian of the batch within the bound of eager's", () => {
    const xs = [0.3, -0.7, 1.1].map((s) => Array.from({ length: n }, (_, i) => Math.cos(1.3 * i + s)));
    const batched = dataOf(vmap(H)(np.array(xs)) as A);
    xs.forEach((x, b) => {
      const eager = dataOf(h(np.array(x)) as A);
      const got = batched.subarray(b * n * n, (b + 1) * n * n);
      const { z } = forward(rows, x);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += Math.abs(rows[p]![i]!) * functions.tanh.terms(z[p]!) * Math.abs(rows[p]![j]!);
          expect(Math.abs(got[i * n + j]! - eager[i * n + j]!)).toBeLessThanOrEqual((2 * k + 8) * EPS * s * (1 + 1e-12));
        }
      }
    });
  });

  it("grad of Σ C ⊙ H(x): within the rounding bound of eager's gradient", () => {
    const x = np.array(Array.from({ length: n }, (_, i) => Math.cos(1.3 * i)));
    const C = np.array(matrixData(n, n, 8));
    const eager = dataOf(grad((v: A) => np.sum(h(v).mul(C)))(x) as A);
    const compiled = dataOf(grad((v: A) => np.sum((H(v) as A).mul(C)))(x) as A);
    // d/dx_q = Σ_p f'''(z_p)·(A·C·Aᵀ)_pp·A[p,q]: both sides sum terms bounded by
    // |f'''|·(|A|·|C|·|A|ᵀ)_pp·|A[p,q]| (|f'''| ≤ 2) over three contractions of lengths n, n and k.
    const absC = dataOf(np.abs(C));
    for (let q = 0; q < n; q++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        let acat = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) acat += Math.abs(rows[p]![i]!) * absC[i * n + j]! * Math.abs(rows[p]![j]!);
        s += 2 * acat * Math.abs(rows[p]![q]!);
      }
      expect(Math.abs(compiled[q]! - eager[q]!)).toBeLessThanOrEqual((2 * (2 * n + k) + 16) * EPS * s);
    }
  });
});

describe("the kernel: productOf(…, symmetric)", () => {
  /** X [m, k], A = X·diag(u), B = diag(v)·Xᵀ, stored as `tA`, `tB` say. */
  function operands(m: number, k: number, tA: boolean, tB: boolean, seed: number) {
    const rand = mulberry32(seed);
    const X = Float64Array.from({ length: m * k }, () => 2 * rand() - 1);
    const u = Float64Array.from({ length: k }, () => 2 * rand() - 1);
    const v = Float64Array.from({ length: k }, () => 2 * rand() - 1);
    const a = new Float64Array(m * k);
    const b = new Float64Array(m * k);
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        a[tA ? p * m + i : i * k + p] = X[i * k + p]! * u[p]!;
        b[tB ? i * k + p : p * m + i] = v[p]! * X[i * k + p]!;
      }
    }
    return { X, u, v, a, b };
  }

  it("upper triangle with matmulData's bits, lower mirrored within the bound, on one to three threads, into a buffer and in the kernel's memory", () => {
    for (const threads of [1, 2, 3]) {
      setThreads(threads);
      for (const [m, k] of [[5, 5], [5, 64], [37, 29], [64, 48], [100, 100], [130, 140], [12, 1100]] as const) {
        for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
          const label = `${threads} threads, [${m}, ${k}], ${tA}, ${tB}`;
          const { X, u, v, a, b } = operands(m, k, tA, tB, m * 7 + k);
          const full = new Float64Array(m * m);
          matmulData(a, b, full, 1, m, k, m, tA, tB);
          const product = productOf(1, m, k, m, tA, tB, true);
          // A product of NaNs of this shape first leaves NaN wherever the kernel keeps this shape's C.
          const nan = new Float64Array(m * k).fill(NaN);
          const poison = () => productOf(1, m, k, m, tA, tB).into(nan, nan, new Float64Array(m * m));
          const c = new Float64Array(m * m).fill(NaN);
          poison();
          product.into(a, b, c);
          const results = [c];
          poison();
          if (product.inMemory) results.push(Float64Array.from(product.inMemory(a, b)));
          for (const got of results) {
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < m; j++) {
                if (!Object.is(got[i * m + j], got[j * m + i])) expect({ label, i, j, symmetric: false }).toBe(undefined);
                if (i <= j) {
                  if (!Object.is(got[i * m + j], full[i * m + j])) expect({ label, i, j, got: got[i * m + j] }).toEqual({ label, i, j, got: full[i * m + j] });
                  continue;
                }
                let s = 0;
                for (let p = 0; p < k; p++) s += Math.abs(X[i * k + p]! * u[p]! * v[p]! * X[j * k + p]!);
                // Beyond 1024, matmulData sums blocks of 256 pairwise: at most 256 + 3 additions deep here.
                const bound = (2 * Math.min(k, 259) + 8) * EPS * s * (1 + 1e-12);
                if (!(Math.abs(got[i * m + j]! - full[i * m + j]!) <= bound)) expect({ label, i, j }).toEqual({ label, i, j, within: bound });
              }
            }
          }
        }
      }
    }
  });

  it("is single and square only", () => {
    expect(() => productOf(1, 8, 8, 9, false, false, true)).toThrow(/symmetric product must be single and square/);
    expect(() => productOf(2, 8, 8, 8, false, false, true)).toThrow(/symmetric product must be single and square/);
  });
});
