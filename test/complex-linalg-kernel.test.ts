/**
 * @file The complex dense kernels (src/kernels/complex-linalg.ts) against NumPy/LAPACK
 * (test/fixtures/gen-complex-linalg.py) and against their defining identities: A·X = B, A·A⁻¹ = I,
 * L·Lᴴ = A, Q·R = A with QᴴQ = I, U·S·Vᴴ = A, A·v = λ·v for the Hermitian eigendecomposition.
 */
import { describe, expect, it } from "vitest";
import ref from "./fixtures/complex-linalg.json" with { type: "json" };
import { cCholesky, cDeterminant, cInvert, cSlogdet, cTriangularSolve, cluFactor, cluSolve, cqr } from "../src/kernels/complex-linalg.ts";
import { cHermitianEigen, csvd } from "../src/kernels/complex-spectral.ts";
import { lcg } from "./eig-helpers.ts";

/** C = A·B for interleaved complex A (m×k) and B (k×n); `ah`/`bh` read A or B conjugate-transposed (then stored k×m / n×k). */
function cmatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, ah = false, bh = false): Float64Array {
  const c = new Float64Array(2 * m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0;
      let si = 0;
      for (let p = 0; p < k; p++) {
        const ia = ah ? 2 * (p * m + i) : 2 * (i * k + p);
        const ib = bh ? 2 * (j * k + p) : 2 * (p * n + j);
        const ar = a[ia]!;
        const ai = ah ? -a[ia + 1]! : a[ia + 1]!;
        const br = b[ib]!;
        const bi = bh ? -b[ib + 1]! : b[ib + 1]!;
        sr += ar * br - ai * bi;
        si += ar * bi + ai * br;
      }
      c[2 * (i * n + j)] = sr;
      c[2 * (i * n + j) + 1] = si;
    }
  }
  return c;
}

/** max |a − b| over interleaved entries, relative to max |b| (or 1). */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / Math.max(s, 1e-300);
}

function eye(n: number): Float64Array {
  const e = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) e[2 * (i * n + i)] = 1;
  return e;
}

function hermitianPD(a: Float64Array, n: number): Float64Array {
  const h = cmatmul(a, a, n, n, n, false, true);
  for (let i = 0; i < n; i++) h[2 * (i * n + i)] = h[2 * (i * n + i)]! + n;
  return h;
}

describe("complex LU: solve, inverse, determinant, slogdet against NumPy", () => {
  for (const c of ref.dense) {
    it(`n = ${c.n}`, () => {
      const n = c.n;
      const a = lcg(c.seedA, 2 * n * n);
      const b = lcg(c.seedB, 4 * n);
      const lu = a.slice();
      const perm = new Int32Array(n);
      expect(cluFactor(lu, 0, n, perm).badPivot).toBe(-1);
      const x = new Float64Array(4 * n);
      cluSolve(lu, 0, perm, b, 0, x, 0, n, 2);
      expect(relDiff(x, c.solve)).toBeLessThan(1e-13);
      expect(relDiff(cmatmul(a, x, n, n, 2), b)).toBeLessThan(1e-14);
      const inv = cInvert(a, 0, n)!;
      expect(relDiff(inv, c.inv)).toBeLessThan(1e-13);
      expect(relDiff(cmatmul(a, inv, n, n, n), eye(n))).toBeLessThan(1e-14);
      expect(relDiff(cDeterminant(a, 0, n), c.det)).toBeLessThan(1e-13);
      const [sr, si, logAbs] = cSlogdet(a, 0, n);
      expect(Math.hypot(sr - c.slogdet[0]!, si - c.slogdet[1]!)).toBeLessThan(1e-13);
      expect(Math.abs(logAbs - c.slogdet[2]!)).toBeLessThan(1e-13 * Math.max(1, Math.abs(c.slogdet[2]!)));
    });
  }

  it("a singular matrix: zero pivot reported, inverse null, det 0, slogdet (0, −∞)", () => {
    // Row 1 = (1 + i)·row 0, exactly cancelled by the elimination.
    const a = new Float64Array([1, 0, 2, 1, 1, 1, 1, 3]);
    expect(cluFactor(a.slice(), 0, 2, new Int32Array(2)).badPivot).toBeGreaterThanOrEqual(0);
    expect(cInvert(a, 0, 2)).toBeNull();
    expect(Math.hypot(...cDeterminant(a, 0, 2))).toBe(0);
    expect(cSlogdet(a, 0, 2)).toEqual([0, 0, -Infinity]);
  });

  it("the determinant of a permutation times a diagonal has the permutation's sign", () => {
    // [[0, i], [2, 0]]: det = −2i.
    expect(cDeterminant([0, 0, 0, 1, 2, 0, 0, 0], 0, 2)).toEqual([-0, -2]);
  });
});

describe("complex triangular solve", () => {
  it("op(A) = A, Aᵀ, Aᴴ for lower and upper A", () => {
    const n = 5;
    const a = lcg(11, 2 * n * n);
    for (let i = 0; i < n; i++) a[2 * (i * n + i)] = a[2 * (i * n + i)]! + 3;
    const b = lcg(12, 2 * n * 3);
    for (const lower of [true, false]) {
      const t = a.slice();
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (lower ? j > i : j < i) t[2 * (i * n + j)] = t[2 * (i * n + j) + 1] = 0;
      for (const [trans, conj] of [[false, false], [true, false], [true, true]] as const) {
        const x = new Float64Array(2 * n * 3);
        expect(cTriangularSolve(a, 0, b, 0, x, 0, n, 3, lower, trans, conj, false)).toBe(-1);
        // op(T)·X: build op(T) explicitly.
        const op = new Float64Array(2 * n * n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const s = trans ? 2 * (j * n + i) : 2 * (i * n + j);
            op[2 * (i * n + j)] = t[s]!;
            op[2 * (i * n + j) + 1] = conj ? -t[s + 1]! : t[s + 1]!;
          }
        }
        expect(relDiff(cmatmul(op, x, n, n, 3), b)).toBeLessThan(1e-14);
      }
    }
  });
});

describe("Hermitian Cholesky and eigendecomposition against NumPy", () => {
  for (const c of ref.dense) {
    it(`n = ${c.n}`, () => {
      const n = c.n;
      const h = hermitianPD(lcg(c.seedA, 2 * n * n), n);
      const l = new Float64Array(2 * n * n);
      expect(cCholesky(h, 0, n, l, 0)).toBe(-1);
      expect(relDiff(l, c.cholesky)).toBeLessThan(1e-13);
      expect(relDiff(cmatmul(l, l, n, n, n, false, true), h)).toBeLessThan(1e-14);
      const w = new Float64Array(n);
      const v = new Float64Array(2 * n * n);
      cHermitianEigen(h, 0, n, w, v);
      expect(relDiff(w, c.eigvalsh)).toBeLessThan(1e-14);
      // H·V = V·diag(w), VᴴV = I.
      const wd = new Float64Array(2 * n * n);
      for (let i = 0; i < n; i++) wd[2 * (i * n + i)] = w[i]!;
      expect(relDiff(cmatmul(h, v, n, n, n), cmatmul(v, wd, n, n, n))).toBeLessThan(1e-14);
      expect(relDiff(cmatmul(v, v, n, n, n, true), eye(n))).toBeLessThan(1e-14);
    });
  }

  it("eigh above n = 32 (the tridiagonal path) agrees with Jacobi's identities: H·V = V·Λ, VᴴV = I, ascending", () => {
    for (const n of [33, 48]) {
      const h = hermitianPD(lcg(70 + n, 2 * n * n), n);
      for (let i = 0; i < n; i++) h[2 * (i * n + i)] = h[2 * (i * n + i)]! - 2 * n; // indefinite
      const w = new Float64Array(n);
      const v = new Float64Array(2 * n * n);
      cHermitianEigen(h, 0, n, w, v);
      const wd = new Float64Array(2 * n * n);
      for (let i = 0; i < n; i++) wd[2 * (i * n + i)] = w[i]!;
      expect(relDiff(cmatmul(h, v, n, n, n), cmatmul(v, wd, n, n, n))).toBeLessThan(1e-14);
      expect(relDiff(cmatmul(v, v, n, n, n, true), eye(n))).toBeLessThan(1e-13);
      for (let k = 1; k < n; k++) expect(w[k]).toBeGreaterThanOrEqual(w[k - 1]!);
      // The trace is the sum of the eigenvalues.
      let tr = 0;
      for (let i = 0; i < n; i++) tr += h[2 * (i * n + i)]!;
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - tr)).toBeLessThan(1e-12 * n * n);
    }
  });

  it("Cholesky of an indefinite matrix reports the failing minor; only the lower triangle is read", () => {
    // [[1, junk], [2 − i, 1]]: 1 − |2 − i|² < 0 at minor 1.
    expect(cCholesky([1, 0, 99, 99, 2, -1, 1, 0], 0, 2, new Float64Array(8), 0)).toBe(1);
    const l = new Float64Array(8);
    expect(cCholesky([4, 0, 99, 99, 2, -2, 3, 0], 0, 2, l, 0)).toBe(-1);
    expect(Array.from(l)).toEqual([2, 0, 0, 0, 1, -1, 1, 0]);
  });

  it("eigh of the Pauli matrix σ_y = [[0, −i], [i, 0]] gives ±1 with vectors (1, ±i)/√2 up to phase", () => {
    const w = new Float64Array(2);
    const v = new Float64Array(8);
    cHermitianEigen([0, 0, 0, -1, 0, 1, 0, 0], 0, 2, w, v);
    expect(w[0]).toBeCloseTo(-1, 15);
    expect(w[1]).toBeCloseTo(1, 15);
    const r = Math.SQRT1_2;
    // σ_y·(1, −i) = (−1, i)·… : λ = −1 ↔ (1, −i)/√2, λ = 1 ↔ (1, i)/√2 (largest component real: the first).
    [r, 0, r, 0, 0, -r, 0, r].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 15));
  });

  it("eigh reads the lower triangle only (NumPy's UPLO='L'), NaN in gives NaN out", () => {
    const w = new Float64Array(2);
    cHermitianEigen([2, 0, 7, 7, 0, 1, 2, 0], 0, 2, w, null);
    expect(w[0]).toBeCloseTo(1, 15);
    expect(w[1]).toBeCloseTo(3, 15);
    cHermitianEigen([NaN, 0, 0, 0, 0, 0, 1, 0], 0, 2, w, null);
    expect(Number.isNaN(w[0])).toBe(true);
  });
});

describe("complex QR and SVD against NumPy", () => {
  for (const c of ref.rect) {
    it(`${c.m}×${c.n}`, () => {
      const { m, n } = c;
      const k = Math.min(m, n);
      const a = lcg(c.seed, 2 * m * n);
      for (const full of [false, true]) {
        const qc = full ? m : k;
        const q = new Float64Array(2 * m * qc);
        const r = new Float64Array(2 * qc * n);
        cqr(a, 0, m, n, full, q, r);
        expect(relDiff(q, full ? c.qc : c.q)).toBeLessThan(1e-13);
        expect(relDiff(r, full ? c.rc : c.r)).toBeLessThan(1e-13);
        expect(relDiff(cmatmul(q, r, m, qc, n), a)).toBeLessThan(1e-14);
        expect(relDiff(cmatmul(q, q, qc, m, qc, true), eye(qc))).toBeLessThan(1e-14);
        for (let i = 0; i < Math.min(qc, n); i++) expect(r[2 * (i * n + i) + 1]).toBe(0);
      }
      for (const full of [false, true]) {
        const uc = full ? m : k;
        const vr = full ? n : k;
        const s = new Float64Array(k);
        const u = new Float64Array(2 * m * uc);
        const vh = new Float64Array(2 * vr * n);
        csvd(a, 0, m, n, full, s, u, vh);
        expect(relDiff(s, c.s)).toBeLessThan(1e-14);
        const us = new Float64Array(2 * m * k);
        for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) for (const p of [0, 1]) us[2 * (i * k + j) + p] = u[2 * (i * uc + j) + p]! * s[j]!;
        expect(relDiff(cmatmul(us, vh.subarray(0, 2 * k * n), m, k, n), a)).toBeLessThan(1e-14);
        expect(relDiff(cmatmul(u, u, uc, m, uc, true), eye(uc))).toBeLessThan(1e-14);
        expect(relDiff(cmatmul(vh, vh, vr, n, vr, false, true), eye(vr))).toBeLessThan(1e-14);
      }
    });
  }

  it("from 32 columns on (Jacobi started from AᴴA's eigenvectors): U·S·Vᴴ = A, UᴴU = I, VVᴴ = I, descending", () => {
    for (const [m, n] of [[40, 33], [33, 36]] as const) {
      const a = lcg(3 + m, 2 * m * n);
      const k = Math.min(m, n);
      const s = new Float64Array(k);
      const u = new Float64Array(2 * m * k);
      const vh = new Float64Array(2 * k * n);
      csvd(a, 0, m, n, false, s, u, vh);
      const us = new Float64Array(2 * m * k);
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) for (const p of [0, 1]) us[2 * (i * k + j) + p] = u[2 * (i * k + j) + p]! * s[j]!;
      expect(relDiff(cmatmul(us, vh, m, k, n), a)).toBeLessThan(1e-14);
      expect(relDiff(cmatmul(u, u, k, m, k, true), eye(k))).toBeLessThan(1e-14);
      expect(relDiff(cmatmul(vh, vh, k, n, k, false, true), eye(k))).toBeLessThan(1e-14);
      for (let j = 1; j < k; j++) expect(s[j]).toBeLessThanOrEqual(s[j - 1]!);
    }
  });

  it("an ill-conditioned 8×6 (σ from 1 to 1e-12): singular values to high relative accuracy", () => {
    const c = ref.illSvd;
    const s = new Float64Array(6);
    csvd(Float64Array.from(c.a), 0, 8, 6, false, s, new Float64Array(2 * 8 * 6), new Float64Array(2 * 36));
    // The exact values are c.s; both ours and LAPACK's are within a few ε·σ₁ absolutely, and
    // one-sided Jacobi keeps the small ones to a relative 1e-4 (limited by the matrix's rounding).
    s.forEach((x, i) => expect(Math.abs(x - c.s[i]!)).toBeLessThan(1e-14));
    s.forEach((x, i) => expect(Math.abs(x - c.s[i]!) / c.s[i]!).toBeLessThan(1e-3));
  });

  it("SVD of a zero matrix and of non-finite input", () => {
    const s = new Float64Array(2);
    const u = new Float64Array(8);
    const vh = new Float64Array(8);
    csvd(new Float64Array(8), 0, 2, 2, false, s, u, vh);
    expect(Array.from(s)).toEqual([0, 0]);
    expect(relDiff(cmatmul(u, u, 2, 2, 2, true), eye(2))).toBeLessThan(1e-15);
    csvd([NaN, 0, 0, 0, 0, 0, 1, 0], 0, 2, 2, false, s, u, vh);
    expect(Number.isNaN(s[0])).toBe(true);
  });
});
