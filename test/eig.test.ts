/**
 * @file `np.linalg.eig` and `np.linalg.eigvals`: closed forms (rotation ±i, A·v = λ·v, det = ∏λ,
 * triangular matrices), dtypes and stacks, errors, and the derivative rules (JVP against central
 * differences in a real and an imaginary direction, VJP against JVP, second order, vmap against a
 * loop) on matrices with well-separated eigenvalues.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as np from "autograd-ts/numpy";
import { ConcreteArray, DomainError, NDArray, ShapeError, grad, jit, jvp, vmap } from "autograd-ts";
import { numRuns, seed } from "../property-tests/config.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { checkDerivatives, checkVmap, slots } from "./complex-check.ts";

const fcSeed = seed === undefined ? {} : { seed };

/** Uniform(−1, 1) entries of `shape` from `s`. */
function uniformArray(s: number, shape: number[]): NDArray {
  const r = mulberry32(s);
  return np.array(Float64Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => 2 * r() - 1)).reshape(shape);
}

/** max |a·v − v·diag(w)| over the entries' parts. */
function residual(a: NDArray, w: NDArray, v: NDArray): number {
  const av = slots(np.matmul(np.astype(a, "complex128"), v));
  const vw = slots(np.multiply(v, w.reshape(1, -1)));
  return Math.max(...av.map((x, i) => Math.abs(x - vw[i]!)));
}

/**
 * A = S·Λ·S⁻¹ with S = I + 0.3·random and eigenvalues about 1.5 apart: for a real matrix Λ is
 * diagonal, often with one 2×2 block [[a, b], [−b, a]] (eigenvalues a ± bi, |b| ≥ 0.8); for a
 * complex one S and Λ are complex.
 */
export function separatedMatrix(s: number, n: number, cplx: boolean): NDArray {
  const r = mulberry32(s);
  const u = () => 2 * r() - 1;
  const base = np.array(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) + 0.3 * u())));
  if (cplx) {
    const S = np.complex(base, np.array(Array.from({ length: n }, () => Array.from({ length: n }, () => 0.3 * u()))));
    const L = np.diag(np.complex(np.array(Array.from({ length: n }, (_, i) => 1.5 * i - 2 + 0.3 * u())), np.array(Array.from({ length: n }, () => 0.6 * u()))));
    return np.matmul(np.matmul(S, L), np.linalg.inv(S));
  }
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) m[i]![i] = 1.5 * i - 2 + 0.2 * u();
  if (n >= 2 && r() < 0.7) {
    const a = (m[0]![0]! + m[1]![1]!) / 2;
    const b = 0.8 + 0.5 * r();
    m[0]![0] = a;
    m[1]![1] = a;
    m[0]![1] = b;
    m[1]![0] = -b;
  }
  return np.matmul(np.matmul(base, np.array(m)), np.linalg.inv(base));
}

/**
 * eig with its eigenvalues ordered by real part, then imaginary part (the order chosen on the values,
 * so constant for differentiation). The QR algorithm's own order is not continuous in the matrix:
 * deflation can take two well-separated eigenvalues in either order for nearby inputs, which is
 * right for values but makes finite differences of the raw outputs meaningless.
 */
function sortedEig(x: NDArray): [NDArray, NDArray] {
  const [w, v] = np.linalg.eig(x);
  const key = np.add(np.real(w), np.multiply(np.imag(w), 1e-3));
  const order = np.argsort(key);
  return [np.take(w, order), np.take(v, order, { axis: 1 })];
}

/** Whether every eigenvector's largest |component| beats the runner-up by 5% (the normalisation is smooth there). */
function clearLargest(v: NDArray): boolean {
  const n = v.shape[0]!;
  const d = slots(v);
  for (let j = 0; j < n; j++) {
    const mags = Array.from({ length: n }, (_, i) => Math.hypot(d[2 * (i * n + j)]!, d[2 * (i * n + j) + 1]!)).sort((x, y) => y - x);
    if (n > 1 && mags[0]! < 1.05 * mags[1]!) return false;
  }
  return true;
}

describe("np.linalg.eig: values", () => {
  it("the rotation [[0, −1], [1, 0]] has eigenvalues ±i and vectors (1, ∓i)/√2 (as NumPy)", () => {
    const [w, v] = np.linalg.eig([[0, -1], [1, 0]]);
    expect(w.dtype).toBe("complex128");
    expect(w.toArray()).toEqual([{ re: 0, im: 1 }, { re: 0, im: -1 }]);
    const r = Math.SQRT1_2;
    [r, 0, r, 0, 0, -r, 0, r].forEach((x, i) => expect(slots(v)[i]).toBeCloseTo(x, 15));
  });

  it("a 3-D rotation by θ has eigenvalues e^{±iθ} and 1", () => {
    const t = 0.7;
    const w = np.linalg.eigvals([[Math.cos(t), -Math.sin(t), 0], [Math.sin(t), Math.cos(t), 0], [0, 0, 1]]);
    const d = slots(w);
    [Math.cos(t), Math.sin(t), Math.cos(t), -Math.sin(t), 1, 0].forEach((x, i) => expect(d[i]).toBeCloseTo(x, 15));
  });

  it("A·v = λ·v for real and complex random matrices of sizes 1…12, and det A = ∏ λ", () => {
    for (const n of [1, 2, 3, 5, 8, 12]) {
      for (const cplx of [false, true]) {
        const re = uniformArray(n, [n, n]);
        const a = cplx ? np.complex(re, uniformArray(100 + n, [n, n])) : re;
        const [w, v] = np.linalg.eig(a);
        expect(residual(a, w, v)).toBeLessThan(1e-13 * n);
        const det = slots(np.linalg.det(np.astype(a, "complex128")));
        const prod = slots(np.prod(w));
        expect(Math.hypot(prod[0]! - det[0]!, prod[1]! - det[1]!)).toBeLessThan(1e-12 * Math.max(1, Math.hypot(det[0]!, det[1]!)));
      }
    }
  });

  it("eigvals equals eig's eigenvalues; a stack gives a stack", () => {
    const a = uniformArray(5, [3, 4, 4]);
    const [w, v] = np.linalg.eig(a);
    expect(w.shape).toEqual([3, 4]);
    expect(v.shape).toEqual([3, 4, 4]);
    expect(Array.from(slots(np.linalg.eigvals(a)))).toEqual(Array.from(slots(w)));
    for (let b = 0; b < 3; b++) expect(residual(a.get(b), w.get(b), v.get(b))).toBeLessThan(1e-13);
  });

  it("dtypes: float32 and complex64 give complex64, integers and float64 complex128 (as NumPy)", () => {
    expect(np.linalg.eigvals(np.array([[1, 2], [3, 4]], { dtype: "float32" })).dtype).toBe("complex64");
    expect(np.linalg.eig(np.astype(np.array([[1, 2], [3, 4]]), "complex64"))[1].dtype).toBe("complex64");
    expect(np.linalg.eigvals(np.array([[1, 2], [3, 4]], { dtype: "int32" })).dtype).toBe("complex128");
  });

  it("a triangular matrix's eigenvalues are its diagonal; a diagonal matrix's vectors are the unit vectors", () => {
    const w = np.linalg.eigvals([[3, 1, 2], [0, -1, 5], [0, 0, 2]]);
    expect(Array.from(slots(np.real(w))).sort((x, y) => x - y)).toEqual([-1, 2, 3]);
    const [, v] = np.linalg.eig([[2, 0], [0, 5]]);
    expect(v.toArray()).toEqual([[{ re: 1, im: 0 }, { re: 0, im: 0 }], [{ re: 0, im: 0 }, { re: 1, im: 0 }]]);
  });

  it("NaN or ±∞ in the matrix gives NaN eigenvalues and vectors (as JAX)", () => {
    const [w, v] = np.linalg.eig([[1, NaN], [0, 1]]);
    expect(slots(w).every(Number.isNaN)).toBe(true);
    expect(slots(v).every(Number.isNaN)).toBe(true);
  });

  it("works under jit", () => {
    const a = uniformArray(6, [4, 4]);
    expect(Array.from(slots(jit((x: NDArray) => np.linalg.eigvals(x))(a)))).toEqual(Array.from(slots(np.linalg.eigvals(a))));
  });
});

describe("np.linalg.eig: errors name the function, the argument and the shape", () => {
  it("non-square, 1-D, 0-d", () => {
    expect(() => np.linalg.eig([[1, 2, 3], [4, 5, 6]])).toThrow(ShapeError);
    expect(() => np.linalg.eig([[1, 2, 3], [4, 5, 6]])).toThrow("np.linalg.eig: last 2 dimensions of a must be square; got shape (2, 3)");
    expect(() => np.linalg.eigvals([1, 2])).toThrow("np.linalg.eigvals: 1-dimensional array given (shape (2,)); a must be at least two-dimensional");
    expect(() => np.linalg.eig(3)).toThrow("np.linalg.eig: 0-dimensional array given (shape ()); a must be at least two-dimensional");
  });

  it("a string or undefined argument is a TypeError naming the function", () => {
    expect(() => np.linalg.eig("abc" as unknown as number[][])).toThrow(/np\.linalg\.eig/);
    expect(() => np.linalg.eigvals(undefined as unknown as number[][])).toThrow(/np\.linalg\.eigvals/);
  });

  it("the eigenvector derivative at a repeated eigenvalue is a DomainError; the eigenvalues' is fine", () => {
    const f = (a: NDArray) => np.real(np.linalg.eig(a)[1]).sum();
    expect(() => grad(f)(np.eye(3))).toThrow(DomainError);
    expect(() => grad(f)(np.eye(3))).toThrow(/np\.linalg\.eig: the derivative of the eigenvectors is undefined at repeated eigenvalues/);
    // d Σλ = tr(dA): the gradient of Re Σλ is the identity, repeated eigenvalues or not.
    const g = grad((a: NDArray) => np.real(np.linalg.eigvals(a)).sum())(np.eye(3));
    expect(Array.from(slots(g))).toEqual(Array.from(slots(np.eye(3))));
  });
});

describe("np.linalg.eig: derivatives", () => {
  it("d Σλ = tr(dA) and d∏λ = d det A (closed forms through eigvals)", () => {
    const a = separatedMatrix(3, 4, false);
    const g = grad((x: NDArray) => np.real(np.linalg.eigvals(x)).sum())(a);
    slots(g).forEach((x, i) => expect(x).toBeCloseTo(i % 5 === 0 ? 1 : 0, 12));
    const gDet = slots(grad((x: NDArray) => np.real(np.prod(np.linalg.eigvals(x))))(a));
    const want = slots(grad((x: NDArray) => np.linalg.det(x))(a));
    gDet.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 10));
  });

  it("λ̇ = diag(V⁻¹·Ȧ·V) (JAX's rule): at the rotation, Ȧ = e₁e₁ᵀ moves both ±i by 1/2, Ȧ = e₂e₁ᵀ by ±i/2", () => {
    const rot = np.array([[0, -1], [1, 0]]);
    const [, t11] = jvp((x: NDArray) => np.linalg.eigvals(x), [rot], [np.array([[1, 0], [0, 0]])]);
    slots(t11).forEach((x, i) => expect(x).toBeCloseTo([0.5, 0, 0.5, 0][i]!, 15));
    const [, t21] = jvp((x: NDArray) => np.linalg.eigvals(x), [rot], [np.array([[0, 0], [1, 0]])]);
    slots(t21).forEach((x, i) => expect(x).toBeCloseTo([0, 0.5, 0, -0.5][i]!, 15));
  });

  for (const cplx of [false, true]) {
    const kind = cplx ? "complex" : "real";
    it(`eig (${kind} input): JVP vs central differences (both real directions), VJP vs JVP, second order`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.integer(), (n, s) => {
          const a = separatedMatrix(s, n, cplx);
          fc.pre(clearLargest(np.linalg.eig(a)[1]));
          checkDerivatives((x) => sortedEig(x), a, s);
        }),
        { numRuns: numRuns(12), ...fcSeed },
      );
    });

    it(`eigvals (${kind} input): JVP, VJP, second order`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.integer(), (n, s) => {
          const sorted = (x: NDArray) => {
            const w = np.linalg.eigvals(x);
            return np.take(w, np.argsort(np.add(np.real(w), np.multiply(np.imag(w), 1e-3))));
          };
          checkDerivatives(sorted, separatedMatrix(s, n, cplx), s);
        }),
        { numRuns: numRuns(12), ...fcSeed },
      );
    });

    it(`eig and eigvals (${kind} input): vmap equals a loop, for values and gradients`, () => {
      const stack = np.stack([0, 1, 2].map((k) => separatedMatrix(40 + k, 3, cplx)));
      checkVmap((x) => np.linalg.eig(x), stack);
      checkVmap((x) => np.linalg.eigvals(x), stack);
      const f = (x: NDArray) => {
        const w = np.linalg.eigvals(x);
        return np.real(np.multiply(w, np.conj(w))).sum();
      };
      checkVmap((x) => grad(f)(x), stack);
    });
  }

  it("a real-valued loss of complex input has gradient ∂f/∂x − i·∂f/∂y (Σ|λ|² against differences)", () => {
    const a = separatedMatrix(7, 3, true);
    const f = (x: NDArray) => {
      const w = np.linalg.eigvals(x);
      return np.real(np.multiply(w, np.conj(w))).sum();
    };
    const g = slots(grad(f)(a));
    const h = 1e-6;
    const base = slots(a);
    const mk = (d: Float64Array) => new ConcreteArray(d, [3, 3], "complex128");
    for (const k of [0, 4, 8]) {
      for (const part of [0, 1]) {
        const p = base.slice();
        const m = base.slice();
        p[2 * k + part] = p[2 * k + part]! + h;
        m[2 * k + part] = m[2 * k + part]! - h;
        const fd = ((f(mk(p)).item() as number) - (f(mk(m)).item() as number)) / (2 * h);
        // g = ∂f/∂x − i·∂f/∂y: the real slot holds ∂f/∂x, the imaginary slot −∂f/∂y.
        expect(g[2 * k + part]).toBeCloseTo(part === 0 ? fd : -fd, 6);
      }
    }
  });
});
