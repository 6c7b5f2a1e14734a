/**
 * @file The general eigen kernels (src/kernels/eig.ts) against LAPACK's geev through NumPy
 * (test/fixtures/gen-complex-linalg.py): backward error ‖A·v − λ·v‖/(‖A‖₂·‖v‖) within a small
 * factor of LAPACK's own, eigenvalues within the first-order perturbation bound of LAPACK's, and the
 * closed forms (rotation ±i, conjugate pairs, det = ∏λ, normalisation).
 */
import { describe, expect, it } from "vitest";
import ref from "./fixtures/complex-linalg.json" with { type: "json" };
import { eigReal } from "../src/kernels/eig.ts";
import { eigComplex } from "../src/kernels/eig-complex.ts";
import { cDeterminant } from "../src/kernels/complex-linalg.ts";
import { csvd } from "../src/kernels/complex-spectral.ts";
import { backwardError, eigenvalueConditions, lcg, matchedDistances, toComplex } from "./eig-helpers.ts";

const EPS = 2 ** -52;

interface EigCase {
  name: string;
  n: number;
  complex: boolean;
  w: number[];
  norm2: number;
  lapackBackward: number;
  seed?: number;
  a?: number[];
}

function inputOf(c: EigCase): Float64Array {
  if (c.seed !== undefined) return lcg(c.seed, (c.complex ? 2 : 1) * c.n * c.n);
  return Float64Array.from(c.a!);
}

function run(c: EigCase, balance = true): { w: Float64Array; v: Float64Array; a: Float64Array; ok: boolean } {
  const a = inputOf(c);
  const w = new Float64Array(2 * c.n);
  const v = new Float64Array(2 * c.n * c.n);
  const ok = (c.complex ? eigComplex : eigReal)(a, 0, c.n, w, v, { balance });
  return { w, v, a: toComplex(a, c.complex), ok };
}

describe("eig kernels against LAPACK geev", () => {
  for (const c of ref.eig as EigCase[]) {
    it(`${c.name}: backward error and eigenvalues`, () => {
      const { w, v, a, ok } = run(c);
      expect(ok).toBe(true);
      const back = backwardError(a, c.n, w, v, c.norm2);
      // Within 10× LAPACK's own backward error, or 10·n·ε when LAPACK's happens to be tiny.
      expect(back).toBeLessThanOrEqual(Math.max(10 * c.lapackBackward, 10 * c.n * EPS));
      // Eigenvalues: each within the first-order bound of both computations, κ_k·‖A‖·(n·ε)·100.
      const conds = eigenvalueConditions(v, c.n);
      const dist = matchedDistances(w, c.w, c.n);
      dist.forEach((d, k) => expect(d).toBeLessThanOrEqual(100 * c.n * EPS * (c.norm2 || 1) * Math.max(conds[k]!, 1)));
    });
  }

  it("on the well-conditioned random cases the eigenvalues agree with LAPACK's to 1e-12·‖A‖", () => {
    for (const c of (ref.eig as EigCase[]).filter((x) => x.name.startsWith("random"))) {
      const { w } = run(c);
      for (const d of matchedDistances(w, c.w, c.n)) expect(d).toBeLessThan(1e-12 * c.norm2);
    }
  });

  it("balancing: the badly scaled matrix's eigenvalues are as accurate as LAPACK's only with it", () => {
    const c = (ref.eig as EigCase[]).find((x) => x.name === "badly scaled 7")!;
    const balanced = Math.max(...matchedDistances(run(c, true).w, c.w, c.n));
    const raw = Math.max(...matchedDistances(run(c, false).w, c.w, c.n));
    const wmax = Math.max(...c.w.map(Math.abs));
    expect(balanced).toBeLessThan(1e-13 * wmax);
    expect(raw).toBeGreaterThan(balanced);
  });
});

describe("eig kernels: closed forms", () => {
  it("the rotation [[0, −1], [1, 0]] has eigenvalues ±i with vectors (1, ∓i)/√2", () => {
    const w = new Float64Array(4);
    const v = new Float64Array(8);
    eigReal([0, -1, 1, 0], 0, 2, w, v);
    expect(Array.from(w)).toEqual([0, 1, 0, -1]);
    const r = Math.SQRT1_2;
    // Columns: (r, −i·r) for +i and (r, +i·r) for −i (as NumPy's).
    [r, 0, r, 0, 0, -r, 0, r].forEach((x, i) => expect(v[i]).toBeCloseTo(x, 15));
  });

  it("a real matrix's complex eigenvalues come in exact conjugate pairs, +imaginary first", () => {
    for (const n of [5, 9, 16]) {
      const w = new Float64Array(2 * n);
      const v = new Float64Array(2 * n * n);
      eigReal(lcg(77 + n, n * n), 0, n, w, v);
      for (let k = 0; k < n; k++) {
        if (w[2 * k + 1]! > 0) {
          expect(w[2 * k + 2]).toBe(w[2 * k]);
          expect(w[2 * k + 3]! + w[2 * k + 1]!).toBe(0);
          // and so do their eigenvectors
          for (let i = 0; i < n; i++) {
            expect(v[2 * (i * n + k + 1)]).toBe(v[2 * (i * n + k)]);
            expect(v[2 * (i * n + k + 1) + 1]! + v[2 * (i * n + k) + 1]!).toBe(0);
          }
        }
      }
    }
  });

  it("det A = ∏ λ (real and complex input)", () => {
    for (const [n, cplx] of [[6, false], [7, true], [12, true]] as const) {
      const a = lcg(300 + n, (cplx ? 2 : 1) * n * n);
      const w = new Float64Array(2 * n);
      (cplx ? eigComplex : eigReal)(a, 0, n, w, null);
      let pr = 1;
      let pi = 0;
      for (let k = 0; k < n; k++) [pr, pi] = [pr * w[2 * k]! - pi * w[2 * k + 1]!, pr * w[2 * k + 1]! + pi * w[2 * k]!];
      const [dr, di] = cDeterminant(toComplex(a, cplx), 0, n);
      expect(Math.hypot(pr - dr, pi - di)).toBeLessThan(1e-12 * Math.hypot(dr, di));
    }
  });

  it("eigenvectors have unit 2-norm and a real, positive largest component (LAPACK's geev normalisation)", () => {
    for (const [n, cplx] of [[8, false], [8, true]] as const) {
      const w = new Float64Array(2 * n);
      const v = new Float64Array(2 * n * n);
      (cplx ? eigComplex : eigReal)(lcg(500 + n, (cplx ? 2 : 1) * n * n), 0, n, w, v);
      for (let k = 0; k < n; k++) {
        let nrm = 0;
        let big = -1;
        let at = 0;
        for (let i = 0; i < n; i++) {
          const m2 = v[2 * (i * n + k)]! ** 2 + v[2 * (i * n + k) + 1]! ** 2;
          nrm += m2;
          if (m2 > big) [big, at] = [m2, i];
        }
        expect(nrm).toBeCloseTo(1, 14);
        expect(v[2 * (at * n + k) + 1]).toBe(0);
        expect(v[2 * (at * n + k)]).toBeGreaterThan(0);
      }
    }
  });

  it("eigenvalues alone (no vectors) equal those computed with vectors", () => {
    const n = 11;
    const a = lcg(901, 2 * n * n);
    for (const cplx of [false, true]) {
      const w1 = new Float64Array(2 * n);
      const w2 = new Float64Array(2 * n);
      (cplx ? eigComplex : eigReal)(a, 0, n, w1, null);
      (cplx ? eigComplex : eigReal)(a, 0, n, w2, new Float64Array(2 * n * n));
      const d = matchedDistances(w1, Array.from(w2), n);
      for (const x of d) expect(x).toBeLessThan(1e-13);
    }
  });

  it("a triangular matrix's eigenvalues are its diagonal, exactly", () => {
    const n = 5;
    const a = lcg(42, n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = 0;
    const w = new Float64Array(2 * n);
    eigReal(a, 0, n, w, new Float64Array(2 * n * n));
    const diag = Array.from({ length: n }, (_, i) => a[i * n + i]!).sort();
    expect(Array.from({ length: n }, (_, k) => w[2 * k]!).sort()).toEqual(diag);
  });

  it("non-finite input gives NaN and false; empty input is fine", () => {
    const w = new Float64Array(4);
    const v = new Float64Array(8);
    expect(eigReal([1, NaN, 0, 1], 0, 2, w, v)).toBe(false);
    expect(Array.from(w).every(Number.isNaN)).toBe(true);
    expect(Array.from(v).every(Number.isNaN)).toBe(true);
    expect(eigComplex([1, 0, Infinity, 0, 0, 0, 1, 0], 0, 2, w, v)).toBe(false);
    expect(eigReal([], 0, 0, new Float64Array(0), new Float64Array(0))).toBe(true);
  });

  it("the singular values of V are finite (the eigenvectors of a diagonalisable matrix are independent)", () => {
    const c = (ref.eig as EigCase[]).find((x) => x.name === "repeated 1,1,2,2,2,3")!;
    const { v } = run(c);
    const s = new Float64Array(c.n);
    csvd(v, 0, c.n, c.n, false, s, new Float64Array(2 * c.n * c.n), new Float64Array(2 * c.n * c.n));
    expect(s[c.n - 1]! / s[0]!).toBeGreaterThan(1e-6);
  });
});
