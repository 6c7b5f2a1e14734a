/**
 * @file `np.linalg` on complex input: values against NumPy (test/fixtures/gen-complex-linalg.py) and
 * against defining identities, dtypes, errors, and the derivative rules of every complex path
 * (solve, inv, det, slogdet, cholesky, eigh/eigvalsh, qr, svd, norm, pinv, lstsq): JVP against
 * central differences along a real and an imaginary direction, VJP against JVP (non-conjugating
 * pairing, JAX's convention), second order, and vmap against a loop.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as np from "autograd-ts/numpy";
import { linalg as sla } from "autograd-ts/scipy";
import { DomainError, NDArray, ShapeError, grad } from "autograd-ts";
import ref from "./fixtures/complex-linalg.json" with { type: "json" };
import { numRuns, seed } from "../property-tests/config.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { lcg } from "./eig-helpers.ts";
import { checkDerivatives, checkVmap, slots, type MatFn } from "./complex-check.ts";

const fcSeed = seed === undefined ? {} : { seed };

/** The fixture's random complex m×n matrix (interleaved Park–Miller values). */
const fixtureMatrix = (s: number, m: number, n: number): NDArray => {
  const d = lcg(s, 2 * m * n);
  const re = np.array(Float64Array.from({ length: m * n }, (_, i) => d[2 * i]!)).reshape(m, n);
  const im = np.array(Float64Array.from({ length: m * n }, (_, i) => d[2 * i + 1]!)).reshape(m, n);
  return np.complex(re, im);
};

function expectSlots(x: NDArray, want: readonly number[], tol: number): void {
  const got = slots(x);
  expect(got.length).toBe(want.length);
  let scale = 1;
  for (const w of want) scale = Math.max(scale, Math.abs(w));
  got.forEach((g, i) => expect(Math.abs(g - want[i]!) / scale).toBeLessThan(tol));
}

/** A complex matrix from `s`: I·shift + uniform(−1, 1) parts (shift makes it well-conditioned). */
function randomComplex(s: number, m: number, n: number, shift = 0): NDArray {
  const r = mulberry32(s);
  const part = () => np.array(Float64Array.from({ length: m * n }, () => 2 * r() - 1)).reshape(m, n);
  const a = np.complex(part(), part());
  return shift === 0 ? a : np.add(a, np.multiply(np.eye(m, n), shift));
}

/** Hermitian positive definite B·Bᴴ + I/2 (Hermitian, not PD, with `shift` < 0). */
function hermitian(s: number, n: number, shift = 0.5): NDArray {
  const b = randomComplex(s, n, n);
  return np.add(np.matmul(b, np.conj(b.T)), np.multiply(np.eye(n), shift));
}

/** (t + tᴴ)/2: Hermitian tangents for functions that read one triangle of a Hermitian matrix. */
const hermitianPart = (t: NDArray): NDArray => np.multiply(np.add(t, np.conj(t.T)), 0.5);

/** Hermitian with eigenvalues ≥ 0.5 apart: U·diag(w)·Uᴴ with U unitary from a QR. */
function hermitianSeparated(s: number, n: number): NDArray {
  const [u] = np.linalg.qr(randomComplex(s, n, n, 2));
  const w = np.array(Array.from({ length: n }, (_, i) => 1.2 * i - 1.5 + 0.4 * mulberry32(s + 1)()));
  return np.matmul(np.multiply(u, w.reshape(1, -1)), np.conj(u.T));
}

/** Whether each column's largest |entry| beats the runner-up by 5% (the eigenvector phase convention is smooth there). */
function clearLargest(v: NDArray): boolean {
  const [n, k] = v.shape as [number, number];
  const d = slots(v);
  for (let j = 0; j < k; j++) {
    const mags = Array.from({ length: n }, (_, i) => Math.hypot(d[2 * (i * k + j)]!, d[2 * (i * k + j) + 1]!)).sort((x, y) => y - x);
    if (n > 1 && mags[0]! < 1.05 * mags[1]!) return false;
  }
  return true;
}

/** |x|² elementwise (a gauge-invariant view of singular vectors). */
const abs2 = (x: NDArray): NDArray => np.real(np.multiply(x, np.conj(x)));

describe("complex np.linalg: values against NumPy", () => {
  for (const c of ref.dense) {
    it(`solve, inv, det, slogdet, cholesky, eigvalsh (n = ${c.n})`, () => {
      const a = fixtureMatrix(c.seedA, c.n, c.n);
      const b = fixtureMatrix(c.seedB, c.n, 2);
      expectSlots(np.linalg.solve(a, b), c.solve, 1e-13);
      expectSlots(np.linalg.inv(a), c.inv, 1e-13);
      expectSlots(np.linalg.det(a), c.det, 1e-13);
      const [sign, logAbs] = np.linalg.slogdet(a);
      expectSlots(sign, c.slogdet.slice(0, 2), 1e-13);
      expect(logAbs.dtype).toBe("float64");
      expect(Math.abs((logAbs.item() as number) - c.slogdet[2]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(c.slogdet[2]!)));
      const h = np.add(np.matmul(a, np.conj(a.T)), np.multiply(np.eye(c.n), c.n));
      expectSlots(np.linalg.cholesky(h), c.cholesky, 1e-13);
      expectSlots(np.linalg.eigvalsh(h), c.eigvalsh, 1e-14);
    });
  }

  for (const c of ref.rect) {
    it(`qr (reduced, complete, r) and singular values (${c.m}×${c.n})`, () => {
      const a = fixtureMatrix(c.seed, c.m, c.n);
      const [q, r] = np.linalg.qr(a);
      expectSlots(q, c.q, 1e-13);
      expectSlots(r, c.r, 1e-13);
      const [qc, rc] = np.linalg.qr(a, "complete");
      expectSlots(qc, c.qc, 1e-13);
      expectSlots(rc, c.rc, 1e-13);
      expectSlots(np.linalg.qr(a, "r"), c.r, 1e-13);
      const sv = np.linalg.svd(a, { computeUv: false });
      expect(sv.dtype).toBe("float64");
      expectSlots(sv, c.s, 1e-14);
      const [u, s, vh] = np.linalg.svd(a, { fullMatrices: false });
      expectSlots(np.matmul(np.multiply(u, s.reshape(1, -1)), vh), Array.from(slots(a)), 1e-14);
    });
  }

  it("eigh: H·V = V·diag(w), V unitary, w real; UPLO='U' reads the upper triangle (conjugated)", () => {
    const h = hermitian(3, 5);
    const [w, v] = np.linalg.eigh(h);
    expect(w.dtype).toBe("float64");
    expectSlots(np.matmul(h, v), Array.from(slots(np.multiply(v, w.reshape(1, -1)))), 1e-14);
    expectSlots(np.matmul(np.conj(v.T), v), Array.from(slots(np.astype(np.eye(5), "complex128"))), 1e-14);
    // Junk below the diagonal: UPLO='U' must not read it.
    const upperOnly = np.add(np.triu(h), np.multiply(np.tril(np.ones([5, 5]), -1), 7));
    expectSlots(np.linalg.eigvalsh(upperOnly, "U"), Array.from(slots(w)), 1e-14);
  });

  it("norms: Frobenius, 2, nuc, 1, ∞ of a matrix and 1, 2, ∞, 0 of a vector are real and equal their definitions", () => {
    const a = randomComplex(9, 3, 4);
    const mods = slots(np.abs(a));
    const m = (i: number, j: number) => mods[i * 4 + j]!;
    const fro = Math.sqrt(mods.reduce((acc, x) => acc + x * x, 0));
    expect(np.linalg.norm(a).item()).toBeCloseTo(fro, 14);
    expect(np.linalg.norm(a).dtype).toBe("float64");
    const sv = slots(np.linalg.svd(a, { computeUv: false }));
    expect(np.linalg.norm(a, 2).item()).toBeCloseTo(sv[0]!, 14);
    expect(np.linalg.norm(a, "nuc").item()).toBeCloseTo(sv.reduce((x, y) => x + y, 0), 14);
    expect(np.linalg.norm(a, 1).item()).toBeCloseTo(Math.max(...[0, 1, 2, 3].map((j) => m(0, j) + m(1, j) + m(2, j))), 14);
    expect(np.linalg.norm(a, Infinity).item()).toBeCloseTo(Math.max(...[0, 1, 2].map((i) => m(i, 0) + m(i, 1) + m(i, 2) + m(i, 3))), 14);
    const v = np.array([{ re: 3, im: 4 }, { re: 0, im: 0 }, { re: 0, im: -1 }]);
    expect(np.linalg.norm(v).item()).toBeCloseTo(Math.sqrt(26), 14);
    expect(np.linalg.norm(v, 1).item()).toBeCloseTo(6, 14);
    expect(np.linalg.norm(v, Infinity).item()).toBeCloseTo(5, 14);
    expect(np.linalg.norm(v, 0).item()).toBe(2);
  });

  it("pinv and lstsq: A·A⁺·A = A, (A·A⁺)ᴴ = A·A⁺; lstsq solves the normal equations; residuals and s are real", () => {
    const a = randomComplex(11, 5, 3);
    const p = np.linalg.pinv(a);
    expectSlots(np.matmul(np.matmul(a, p), a), Array.from(slots(a)), 1e-14);
    const ap = np.matmul(a, p);
    expectSlots(np.conj(ap.T), Array.from(slots(ap)), 1e-14);
    const b = randomComplex(12, 5, 2);
    const [x, residuals, rank, s] = np.linalg.lstsq(a, b);
    // Aᴴ·(A·x − b) = 0
    expectSlots(np.matmul(np.conj(a.T), np.subtract(np.matmul(a, x), b)), new Array(12).fill(0), 1e-13);
    expect(residuals.dtype).toBe("float64");
    expect(s.dtype).toBe("float64");
    expect(rank.item()).toBe(3);
    const r = slots(np.subtract(np.matmul(a, x), b));
    const col0 = [0, 1, 2, 3, 4].reduce((acc, i) => acc + r[4 * i]! ** 2 + r[4 * i + 1]! ** 2, 0);
    expect(slots(residuals)[0]).toBeCloseTo(col0, 13);
  });

  it("mixed real and complex operands promote (solve, lstsq); complex64 in gives complex64 out", () => {
    const a = randomComplex(13, 3, 3, 2);
    const x = np.linalg.solve(a, [1, 2, 3]);
    expect(x.dtype).toBe("complex128");
    expectSlots(np.matmul(a, x), [1, 0, 2, 0, 3, 0], 1e-14);
    const xr = np.linalg.solve([[2, 0], [0, 4]], np.array([{ re: 2, im: 2 }, { re: 0, im: 4 }]));
    expect(xr.toArray()).toEqual([{ re: 1, im: 1 }, { re: 0, im: 1 }]);
    expect(np.linalg.inv(np.astype(a, "complex64")).dtype).toBe("complex64");
    expect(np.linalg.svd(np.astype(a, "complex64"), { computeUv: false }).dtype).toBe("float32");
  });
});

describe("complex np.linalg: errors", () => {
  it("singular, not positive definite, non-square: name the function and the shape", () => {
    const sing = np.array([[{ re: 1, im: 0 }, { re: 2, im: 1 }], [{ re: 1, im: 1 }, { re: 1, im: 3 }]]);
    expect(() => np.linalg.inv(sing)).toThrow(DomainError);
    expect(() => np.linalg.inv(sing)).toThrow(/np\.linalg\.inv: singular matrix: pivot 1 of its LU factorization is zero \(a has shape \(2, 2\)\)/);
    expect(np.linalg.slogdet(sing).map((x) => x.toArray())).toEqual([{ re: 0, im: 0 }, -Infinity]);
    expect(() => np.linalg.cholesky(hermitian(2, 3, -100))).toThrow(/np\.linalg\.cholesky: matrix is not positive definite/);
    expect(() => np.linalg.eigh(randomComplex(1, 2, 3))).toThrow(ShapeError);
    expect(() => np.linalg.eigh(randomComplex(1, 2, 3))).toThrow("np.linalg.eigh: last 2 dimensions of a must be square; got shape (2, 3)");
    expect(() => np.linalg.solve(randomComplex(1, 3, 3), [1, 2])).toThrow(/np\.linalg\.solve: b of shape \(2,\) does not match a of shape \(3, 3\)/);
    expect(() => np.linalg.det(np.array([{ re: 1, im: 1 }]))).toThrow(/np\.linalg\.det: 1-dimensional array given/);
  });

  it("scipy.linalg refuses complex input with a TypeError (never silently the real part)", () => {
    const a = randomComplex(3, 2, 2, 2);
    expect(() => sla.sqrtm(a)).toThrow("scipy.linalg.sqrtm: complex input is not supported (a has dtype complex128, shape (2, 2)); np.linalg takes complex matrices");
    expect(() => sla.solveTriangular(np.eye(2), np.array([{ re: 1, im: 1 }, { re: 0, im: 0 }]))).toThrow(/scipy\.linalg\.solveTriangular: complex input is not supported \(b has dtype complex128/);
  });

  it("matrixRank and cond of complex matrices", () => {
    expect(np.linalg.matrixRank(np.array([{ re: 0, im: 0 }, { re: 0, im: 0 }]))).toBe(0);
    expect(np.linalg.matrixRank(np.array([{ re: 0, im: 1 }, { re: 0, im: 0 }]))).toBe(1);
    // Rank 1: the second row is i times the first.
    expect(np.linalg.matrixRank(np.array([[{ re: 1, im: 0 }, { re: 2, im: 1 }], [{ re: 0, im: 1 }, { re: -1, im: 2 }]]))).toBe(1);
    const d = np.astype(np.diag(np.array([2, 0.5])), "complex128");
    expect(np.linalg.cond(np.multiply(d, np.complex(0, 1))).item()).toBeCloseTo(4, 14);
  });

  it("a derivative through repeated singular values or eigenvalues is a DomainError", () => {
    const f = (a: NDArray) => np.real(np.linalg.svd(a, { fullMatrices: false })[0]).sum();
    expect(() => grad(f)(np.astype(np.eye(3), "complex128"))).toThrow(/repeated singular values/);
    const g = (a: NDArray) => np.real(np.linalg.eigh(a)[1]).sum();
    expect(() => grad(g)(np.astype(np.eye(3), "complex128"))).toThrow(/repeated eigenvalues/);
  });
});

interface Case {
  readonly name: string;
  readonly f: MatFn;
  readonly input: (s: number, n: number) => NDArray;
  readonly hermitian?: boolean;
  /** A precondition on the input (the function smooth there). */
  readonly ok?: (a: NDArray) => boolean;
  readonly second?: boolean;
}

const bFixed = randomComplex(77, 4, 2);
const rhs = (a: NDArray): NDArray => bFixed.get(np.slice(0, a.shape[0]!));

const cases: Case[] = [
  { name: "solve (in a)", f: (a) => np.linalg.solve(a, rhs(a)), input: (s, n) => randomComplex(s, n, n, 2) },
  { name: "solve (in b)", f: (b) => np.linalg.solve(np.add(np.eye(b.shape[0]!), np.multiply(randomComplex(5, b.shape[0]!, b.shape[0]!), 0.3)), b), input: (s, n) => randomComplex(s, n, 2) },
  { name: "inv", f: (a) => np.linalg.inv(a), input: (s, n) => randomComplex(s, n, n, 2) },
  { name: "det", f: (a) => np.linalg.det(a), input: (s, n) => randomComplex(s, n, n, 1) },
  { name: "slogdet", f: (a) => np.linalg.slogdet(a), input: (s, n) => randomComplex(s, n, n, 2) },
  { name: "cholesky", f: (a) => np.linalg.cholesky(a), input: (s, n) => hermitian(s, n), hermitian: true },
  { name: "cholesky (upper)", f: (a) => np.linalg.cholesky(a, { upper: true }), input: (s, n) => hermitian(s, n), hermitian: true },
  { name: "eigh", f: (a) => np.linalg.eigh(a), input: (s, n) => hermitianSeparated(s, n), hermitian: true, ok: (a) => clearLargest(np.linalg.eigh(a)[1]) },
  { name: "eigvalsh", f: (a) => np.linalg.eigvalsh(a), input: (s, n) => hermitianSeparated(s, n), hermitian: true },
  { name: "qr (reduced, tall)", f: (a) => np.linalg.qr(a), input: (s, n) => randomComplex(s, n + 1, n, 1) },
  { name: "qr (reduced, wide)", f: (a) => np.linalg.qr(a), input: (s, n) => randomComplex(s, n, n + 1, 2) },
  {
    name: "svd (gauge-invariant: s, |U|², |Vᴴ|², u₀·v₀ᴴ)",
    f: (a) => {
      const [u, s, vh] = np.linalg.svd(a, { fullMatrices: false });
      return [s, abs2(u), abs2(vh), np.outer(u.get(":", 0), vh.get(0))];
    },
    input: (s, n) => np.multiply(hermitianSeparated(s, n), np.complex(Math.cos(0.3), Math.sin(0.3))),
    ok: (a) => Math.min(...slots(np.linalg.svd(a, { computeUv: false })).map((x, i, arr) => (i === 0 ? x : arr[i - 1]! - x))) > 0.2,
  },
  { name: "svd (tall, gauge-invariant)", f: (a) => { const [u, s] = np.linalg.svd(a, { fullMatrices: false }); return [s, abs2(u)]; }, input: (s, n) => randomComplex(s, n + 2, n, 1.5), ok: (a) => separatedSv(a) },
  { name: "singular values", f: (a) => np.linalg.svd(a, { computeUv: false }), input: (s, n) => randomComplex(s, n, n + 1, 1.5), ok: (a) => separatedSv(a) },
  { name: "norm (fro, 2, nuc, 1, ∞)", f: (a) => ["fro", 2, "nuc", 1, Infinity].map((o) => np.linalg.norm(a, o as "fro")), input: (s, n) => randomComplex(s, n, n, 1.5), ok: (a) => separatedSv(a) && clearMax(a) },
  { name: "vector norm", f: (a) => np.linalg.norm(a.reshape(-1)), input: (s, n) => randomComplex(s, n, n) },
  { name: "pinv", f: (a) => np.linalg.pinv(a), input: (s, n) => randomComplex(s, n + 1, n, 1.5) },
  { name: "lstsq", f: (a) => np.linalg.lstsq(a, bFixed.get(np.slice(0, a.shape[0]!))).slice(0, 2) as NDArray[], input: (s, n) => randomComplex(s, Math.min(n + 1, 4), n, 1.5) },
];

/** Singular values pairwise ≥ 0.2 apart (their order, and the vectors, are smooth there). */
function separatedSv(a: NDArray): boolean {
  const s = slots(np.linalg.svd(a, { computeUv: false }));
  return s.every((x, i) => i === 0 || s[i - 1]! - x > 0.2);
}

/** The largest column and row sums of |a| are unique by a margin (the 1- and ∞-norms are smooth there). */
function clearMax(a: NDArray): boolean {
  const m = np.abs(a);
  const gaps = (x: NDArray) => {
    const v = Array.from(slots(x)).sort((p, q) => q - p);
    return v.length < 2 || v[0]! - v[1]! > 0.05;
  };
  return gaps(np.sum(m, { axis: 0 })) && gaps(np.sum(m, { axis: 1 }));
}

describe("complex np.linalg: derivatives (property tests)", () => {
  for (const c of cases) {
    it(`${c.name}: JVP vs central differences (real and imaginary directions), VJP vs JVP, second order`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.integer(), (n, s) => {
          const a = c.input(s, n);
          fc.pre(c.ok === undefined || c.ok(a));
          checkDerivatives(c.f, a, s, { ...(c.hermitian ? { project: hermitianPart } : {}) });
        }),
        { numRuns: numRuns(8), ...fcSeed },
      );
    });
  }

  it("vmap equals a loop for every complex path (values and a gradient)", () => {
    for (const c of cases) {
      const members = [1, 2, 3].map((k) => c.input(100 + k, 3));
      const stack = np.stack(members);
      checkVmap(c.f, stack);
    }
    const loss = (a: NDArray) => np.real(np.sum(np.multiply(np.linalg.inv(a), np.conj(np.linalg.inv(a)))));
    checkVmap((a) => grad(loss)(a), np.stack([1, 2].map((k) => randomComplex(k, 3, 3, 2))));
  });

  it("grad of a real loss of complex input is ∂f/∂x − i·∂f/∂y: grad |det A|² = 2·conj(det A)·adj(A)ᵀ", () => {
    const a = randomComplex(21, 3, 3, 1);
    const f = (x: NDArray) => np.real(np.multiply(np.linalg.det(x), np.conj(np.linalg.det(x))));
    const g = grad(f)(a);
    // d|det|² = 2·Re(c ∘ dA) summed, c = conj(det)·adjᵀ; so ∂f/∂x = 2·Re c, ∂f/∂y = −2·Im c and the
    // gradient ∂f/∂x − i·∂f/∂y is 2c = 2·conj(det)·det·A⁻ᵀ.
    const det = np.linalg.det(a);
    const want = np.multiply(np.multiply(np.multiply(np.conj(det), det), 2), np.linalg.inv(a).T);
    expectSlots(g, Array.from(slots(want)), 1e-12);
  });
});
