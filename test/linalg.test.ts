/**
 * @file `np.linalg` and `scipy.linalg`: values against ml-matrix (an independent implementation)
 * and against the defining identities, derivatives of order 2 in both modes against finite
 * differences, autograd's conventions (symmetrised Cholesky gradient, eigh reading the lower
 * triangle), `vmap` and leading batch dimensions against loops, and every error path.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, hessian, jvp, vjp, vmap, DomainError, ShapeError } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { linalg as sl } from "autograd-ts/scipy";
import { Matrix, CholeskyDecomposition, EigenvalueDecomposition, LuDecomposition, QrDecomposition, SingularValueDecomposition, determinant, inverse, pseudoInverse, solve as mlSolve } from "ml-matrix";

type F = (x: np.NDArray) => np.NDArray;

// ---------------------------------------------------------------- fixtures

/** A seeded generator (Park–Miller) of values in [−0.5, 0.5). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 16807) % 2147483647;
    return a / 2147483647 - 0.5;
  };
}

const rand = (shape: number[], seed = 1): np.NDArray => {
  const r = rng(seed);
  return np.array(Float64Array.from({ length: shape.reduce((p, d) => p * d, 1) }, r)).reshape(shape);
};

/** A well-conditioned square matrix (random plus a multiple of I), non-symmetric. */
const wellConditioned = (n: number, seed = 1): np.NDArray => rand([n, n], seed).add(np.eye(n).mul(2));
/** A symmetric positive definite matrix B·Bᵀ + n·I. */
const spd = (n: number, seed = 1): np.NDArray => {
  const b = rand([n, n], seed);
  return np.matmul(b, b.T).add(np.eye(n).mul(n * 0.5));
};
/** The symmetric part, inside differentiated functions (autograd's tests do this for eigh, cholesky). */
const sym = (x: np.NDArray): np.NDArray => x.add(np.swapaxes(x, -1, -2)).mul(0.5);

const toMl = (x: np.NDArray): Matrix => new Matrix(x.toArray() as number[][]);
const fromMl = (m: Matrix): number[][] => m.to2DArray();
const I = (n: number) => np.eye(n);
const T = (x: np.NDArray) => np.swapaxes(x, -1, -2);
/** Columns scaled so that each one's largest-magnitude entry is positive (eigenvector signs are arbitrary). */
function signFixed(cols: number[][]): number[][] {
  const n = cols[0]!.length;
  const out = cols.map((r) => r.slice());
  for (let j = 0; j < n; j++) {
    let big = 0;
    for (const row of cols) if (Math.abs(row[j]!) > Math.abs(big)) big = row[j]!;
    if (big < 0) for (const row of out) row[j] = -row[j]!;
  }
  return out;
}

const A3 = wellConditioned(3, 11);
const S4 = spd(4, 5);
const S3 = spd(3, 6);
const tall = rand([5, 3], 7);
const wide = rand([3, 5], 8);

// ---------------------------------------------------------------- values

// Tolerances: two backward-stable algorithms agree to about n·ε·cond(a) relative; these matrices
// have cond(a) ≲ 10, so 1e-12 for values and 1e-10 for solves leave margins of 10²–10⁴. Singular
// and eigen-vectors are accurate only to ε·‖a‖/gap (gaps here ≳ 0.1), hence 1e-9 and 1e-8.
describe("values against ml-matrix", () => {
  const A = wellConditioned(5, 3);
  it("inv, det, solve", () => {
    expect(np.linalg.inv(A)).toBeAllclose(fromMl(inverse(toMl(A))), { rtol: 1e-10, atol: 1e-12 });
    expect(np.linalg.det(A)).toBeAllclose(determinant(toMl(A)), { rtol: 1e-12 });
    const b = rand([5, 2], 4);
    expect(np.linalg.solve(A, b)).toBeAllclose(fromMl(mlSolve(toMl(A), toMl(b))), { rtol: 1e-10, atol: 1e-12 });
  });

  it("the LU behind det has ml-matrix's pivots", () => {
    // Both use partial pivoting, so |det| = ∏|U_ii| agree factor by factor.
    const lu = new LuDecomposition(toMl(A));
    const [sign, logdet] = np.linalg.slogdet(A);
    expect(sign).toBeAllclose(Math.sign(lu.determinant));
    expect(logdet).toBeAllclose(Math.log(Math.abs(lu.determinant)), { rtol: 1e-12 });
  });

  it("cholesky", () => {
    expect(np.linalg.cholesky(S4)).toBeAllclose(fromMl(new CholeskyDecomposition(toMl(S4)).lowerTriangularMatrix), { rtol: 1e-12, atol: 1e-14 });
    expect(np.linalg.cholesky(S4, { upper: true })).toBeAllclose(np.linalg.cholesky(S4).T);
  });

  it("eigh: eigenvalues ascending, eigenvectors up to sign", () => {
    const evd = new EigenvalueDecomposition(toMl(S4), { assumeSymmetric: true });
    const [w, v] = np.linalg.eigh(S4);
    expect(w).toBeAllclose(evd.realEigenvalues, { rtol: 1e-12 });
    expect(v).toBeAllclose(signFixed(fromMl(evd.eigenvectorMatrix)), { rtol: 1e-9, atol: 1e-12 });
    expect(np.linalg.eigvalsh(S4)).toBeAllclose(w, { rtol: 1e-13 });
  });

  it("svd: singular values, and vectors up to sign", () => {
    for (const X of [A, tall, wide]) {
      const ref = new SingularValueDecomposition(toMl(X), { autoTranspose: true });
      const [u, s, vh] = np.linalg.svd(X, { fullMatrices: false });
      expect(s).toBeAllclose(ref.diagonal, { rtol: 1e-12 });
      expect(np.linalg.svd(X, { computeUv: false })).toBeAllclose(s);
      // Columns agree up to one sign per singular triple (the sign of ⟨u_j, u_ref_j⟩).
      const k = s.shape[0]!;
      const uRef = np.array(fromMl(ref.leftSingularVectors)).get(":", `:${k}`);
      const vRef = np.array(fromMl(ref.rightSingularVectors)).get(":", `:${k}`);
      const sgn = np.sign(np.sum(u.mul(uRef), { axis: 0 }));
      expect(u.mul(sgn)).toBeAllclose(uRef, { rtol: 1e-8, atol: 1e-10 });
      expect(vh.T.mul(sgn)).toBeAllclose(vRef, { rtol: 1e-8, atol: 1e-10 });
    }
  });

  it("qr: the same Householder sign convention as ml-matrix (LAPACK's)", () => {
    const ref = new QrDecomposition(toMl(tall));
    const [q, r] = np.linalg.qr(tall);
    expect(q).toBeAllclose(fromMl(ref.orthogonalMatrix), { rtol: 1e-10, atol: 1e-12 });
    expect(r).toBeAllclose(fromMl(ref.upperTriangularMatrix), { rtol: 1e-10, atol: 1e-12 });
  });

  it("pinv and lstsq", () => {
    for (const X of [tall, wide]) expect(np.linalg.pinv(X)).toBeAllclose(fromMl(pseudoInverse(toMl(X))), { rtol: 1e-9, atol: 1e-12 });
    const b = rand([5], 9);
    const [x, residuals, rank, s] = np.linalg.lstsq(tall, b);
    const ref = mlSolve(toMl(tall), Matrix.columnVector(b.toArray() as number[]));
    expect(x).toBeAllclose(ref.to1DArray(), { rtol: 1e-10, atol: 1e-12 });
    expect(residuals).toBeAllclose([np.sum(np.square(b.sub(np.matmul(tall, x)))).item()], { rtol: 1e-10 });
    expect(rank.dtype).toBe("int32");
    expect(rank.item()).toBe(3);
    expect(s).toBeAllclose(np.linalg.svd(tall, { computeUv: false }));
  });
});

describe("values: identities", () => {
  it("a·inv(a) = I and solve, over a stack", () => {
    const A = rand([2, 3, 4, 4], 2).add(I(4).mul(2));
    expect(np.matmul(A, np.linalg.inv(A))).toBeAllclose(np.broadcastTo(I(4), [2, 3, 4, 4]), { atol: 1e-13 });
    const b = rand([3, 4, 2], 3);
    expect(np.matmul(A, np.linalg.solve(A, b))).toBeAllclose(np.broadcastTo(b, [2, 3, 4, 2]), { atol: 1e-13 });
    expect(np.matmul(A, np.linalg.solve(A, [1, 2, 3, 4]).expandDims(-1)).squeeze({ axis: -1 })).toBeAllclose(np.broadcastTo(np.array([1, 2, 3, 4]), [2, 3, 4]), { atol: 1e-12 });
  });

  it("det, slogdet and the product of eigenvalues", () => {
    const [sign, logdet] = np.linalg.slogdet(A3);
    expect(sign.mul(np.exp(logdet))).toBeAllclose(np.linalg.det(A3), { rtol: 1e-13 });
    expect(np.linalg.det(S4)).toBeAllclose(np.prod(np.linalg.eigvalsh(S4)), { rtol: 1e-12 });
    expect(np.linalg.det([[1, 2], [3, 4]])).toBeAllclose(-2, { rtol: 1e-15 });
    expect(np.linalg.slogdet([[-2, 0], [0, 3]])).toEqual([expect.toBeAllclose(-1), expect.toBeAllclose(Math.log(6))]);
  });

  it("cholesky: L·Lᵀ = a, L lower; only the lower triangle is read", () => {
    const l = np.linalg.cholesky(S4);
    expect(np.matmul(l, l.T)).toBeAllclose(S4, { rtol: 1e-13 });
    expect(np.linalg.cholesky(np.tril(S4))).toBeAllclose(l);
  });

  it("eigh: a·V = V·diag(w), V orthogonal; UPLO chooses the triangle read", () => {
    const [w, v] = np.linalg.eigh(S4);
    expect(np.matmul(S4, v)).toBeAllclose(v.mul(w), { atol: 1e-12 });
    expect(np.matmul(v.T, v)).toBeAllclose(I(4), { atol: 1e-14 });
    expect(np.linalg.eigh(np.tril(S4))[0]).toBeAllclose(w);
    expect(np.linalg.eigh(np.triu(S4), { UPLO: "U" })[0]).toBeAllclose(w);
  });

  it("eigh on hard matrices: degenerate, graded over 16 decades, Wilkinson's, Hilbert's, 150×150 (QL above n = 32, Jacobi below)", () => {
    const sym = (n: number, f: (i: number, j: number) => number) =>
      np.array(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => f(Math.max(i, j), Math.min(i, j)))));
    const cases: [string, np.NDArray][] = [
      ["all ones (one eigenvalue 7, six 0)", sym(7, () => 1)],
      ["graded", sym(5, (i, j) => (i === j ? 10 ** (4 * i - 8) : 1e-3 * Math.sin(i + j)))],
      ["Wilkinson W21+", sym(21, (i, j) => (i === j ? Math.abs(10 - i) : i - j === 1 ? 1 : 0))],
      ["Hilbert 10", sym(10, (i, j) => 1 / (i + j + 1))],
      ["zero", sym(4, () => 0)],
      ["random 150", sym(150, (i, j) => Math.sin(0.7 * (i * 150 + j) + 1))],
      ["ones 40", sym(40, () => 1)],
      ["tridiagonal 60", sym(60, (i, j) => (i === j ? 2 : i - j === 1 ? -1 : 0))],
      ["Wilkinson W41+", sym(41, (i, j) => (i === j ? Math.abs(20 - i) : i - j === 1 ? 1 : 0))],
      ["graded 40", sym(40, (i, j) => (i === j ? 10 ** ((16 * i) / 39 - 8) : 1e-9 * Math.sin(i + j)))],
    ];
    for (const [name, a] of cases) {
      const n = a.shape[0]!;
      const [w, v] = np.linalg.eigh(a);
      const scale = Math.max(np.max(np.abs(a)).item(), 1e-300);
      expect(np.max(np.abs(np.matmul(v.mul(w), v.T).sub(a))).item() / scale, name).toBeLessThan(1e-13);
      expect(np.matmul(v.T, v), name).toBeAllclose(I(n), { atol: 1e-13 });
      expect(np.all(np.diff(w).ge(0)).item(), name).toBeTruthy();
    }
    // ones(7): eigenvalues 0 (×6) and 7; Wilkinson's W21+ has its two largest equal to 13 digits
    expect(np.linalg.eigvalsh(sym(7, () => 1))).toBeAllclose([0, 0, 0, 0, 0, 0, 7], { atol: 1e-14 });
    const wil = np.linalg.eigvalsh(sym(21, (i, j) => (i === j ? Math.abs(10 - i) : i - j === 1 ? 1 : 0))).toArray() as number[];
    expect(wil[20]! - wil[19]!).toBeLessThan(1e-12);
    expect(wil[20]).toBeCloseTo(10.746194182903393, 13);
  });
  it("svd: u·diag(s)·vh = a, thin and full, tall and wide", () => {
    for (const X of [A3, tall, wide]) {
      const [u, s, vh] = np.linalg.svd(X, { fullMatrices: false });
      expect(np.matmul(u.mul(s), vh)).toBeAllclose(X, { atol: 1e-13 });
      const [uf, sf, vhf] = np.linalg.svd(X);
      const [m, n] = X.shape as [number, number];
      expect(uf.shape).toEqual([m, m]);
      expect(vhf.shape).toEqual([n, n]);
      expect(np.matmul(uf.T, uf)).toBeAllclose(I(m), { atol: 1e-14 });
      expect(np.matmul(vhf, vhf.T)).toBeAllclose(I(n), { atol: 1e-14 });
      const k = Math.min(m, n);
      expect(np.matmul(uf.get(":", `:${k}`).mul(sf), vhf.get(`:${k}`))).toBeAllclose(X, { atol: 1e-13 });
    }
  });

  it("svd from 32 columns on (Jacobi started from AᵀA's eigenvectors): tall, wide, rank 2, graded", () => {
    const rand = mulberry32(5);
    const mk = (m: number, n: number, f: (i: number, j: number) => number) =>
      np.array(Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => f(i, j))));
    const graded = mk(60, 60, () => rand() - 0.5).mul(np.power(10, np.linspace(0, -12, 60)));
    const rank2 = mk(100, 100, (i, j) => Math.sin(0.7 * (i * 100 + j) + 1));
    for (const [name, a] of [["tall", mk(120, 80, () => rand() - 0.5)], ["wide", mk(50, 90, () => rand() - 0.5)], ["rank 2", rank2], ["graded", graded]] as const) {
      const [u, s, vh] = np.linalg.svd(a, { fullMatrices: false });
      const k = s.shape[0]!;
      const scale = s.get(0).item();
      expect(np.max(np.abs(np.matmul(u.mul(s), vh).sub(a))).item() / scale, name).toBeLessThan(1e-14);
      expect(np.matmul(u.T, u), name).toBeAllclose(I(k), { atol: 1e-13 });
      expect(np.matmul(vh, vh.T), name).toBeAllclose(I(k), { atol: 1e-13 });
      expect(np.all(np.diff(s).le(0)).item(), name).toBeTruthy();
    }
    // NumPy 2.4: rank 2 up to the rounding of its entries (σ₃ = 6.4946e-12), to absolute accuracy ε‖A‖
    const s2 = np.linalg.svd(rank2, { computeUv: false });
    expect(s2.get(":3")).toBeAllclose([50.37639698568831, 49.6217700056074, 6.494575293420305e-12], { rtol: 1e-14, atol: 1e-13 });
    expect(np.max(s2.get("3:")).item()).toBeLessThan(1e-11);
  });
  it("svd of a rank-deficient and of a zero matrix still gives orthonormal factors", () => {
    const X = np.array([[1, 2], [2, 4], [3, 6]]);
    const [u, s] = np.linalg.svd(X);
    expect(s.get(1).item()).toBeLessThan(1e-14);
    expect(np.matmul(u.T, u)).toBeAllclose(I(3), { atol: 1e-14 });
    const [u0, s0, vh0] = np.linalg.svd(np.zeros([3, 2]));
    expect(s0).toBeAllclose([0, 0]);
    expect(np.matmul(u0.T, u0)).toBeAllclose(I(3));
    expect(np.matmul(vh0, vh0.T)).toBeAllclose(I(2));
  });

  it("qr: Q orthonormal, R upper, Q·R = a in every mode", () => {
    for (const X of [A3, tall, wide]) {
      const [q, r] = np.linalg.qr(X);
      expect(np.matmul(q.T, q)).toBeAllclose(I(q.shape[1]!), { atol: 1e-14 });
      expect(np.triu(r)).toBeAllclose(r);
      expect(np.matmul(q, r)).toBeAllclose(X, { atol: 1e-14 });
      const [qc, rc] = np.linalg.qr(X, { mode: "complete" });
      expect(np.matmul(qc.T, qc)).toBeAllclose(I(X.shape[0]!), { atol: 1e-14 });
      expect(np.matmul(qc, rc)).toBeAllclose(X, { atol: 1e-14 });
      expect(np.linalg.qr(X, { mode: "r" })).toBeAllclose(r);
    }
  });

  it("pinv: the four Penrose conditions", () => {
    for (const X of [tall, wide, np.array([[1, 2], [2, 4], [3, 6]])]) {
      const p = np.linalg.pinv(X);
      expect(np.matmul(np.matmul(X, p), X)).toBeAllclose(X, { atol: 1e-13 });
      expect(np.matmul(np.matmul(p, X), p)).toBeAllclose(p, { atol: 1e-13 });
      expect(np.matmul(X, p)).toBeAllclose(np.matmul(X, p).T, { atol: 1e-13 });
      expect(np.matmul(p, X)).toBeAllclose(np.matmul(p, X).T, { atol: 1e-13 });
    }
  });

  it("matrixPower: repeated products, the identity, the inverse", () => {
    expect(np.linalg.matrixPower(A3, 5)).toBeAllclose(np.matmul(np.matmul(np.matmul(np.matmul(A3, A3), A3), A3), A3), { rtol: 1e-12 });
    expect(np.linalg.matrixPower(A3, 0)).toBeAllclose(I(3));
    expect(np.linalg.matrixPower(A3, -2)).toBeAllclose(np.linalg.inv(np.matmul(A3, A3)), { rtol: 1e-12 });
    expect(np.linalg.matrixPower([[1, 1], [0, 1]], 3)).toBeAllclose([[1, 3], [0, 1]]);
  });

  it("norm: vector and matrix orders against their definitions", () => {
    const v = np.array([3, -4, 1]);
    expect(np.linalg.norm(v)).toBeAllclose(Math.sqrt(26));
    expect(np.linalg.norm(v, { ord: 1 })).toBeAllclose(8);
    expect(np.linalg.norm(v, { ord: Infinity })).toBeAllclose(4);
    expect(np.linalg.norm(v, { ord: -Infinity })).toBeAllclose(1);
    expect(np.linalg.norm(v, { ord: 0 })).toBeAllclose(3);
    expect(np.linalg.norm(v, { ord: 3 })).toBeAllclose(Math.cbrt(27 + 64 + 1));
    const m = np.array([[1, -2], [3, 4]]);
    const s = np.linalg.svd(m, { computeUv: false });
    expect(np.linalg.norm(m)).toBeAllclose(Math.sqrt(30));
    expect(np.linalg.norm(m, { ord: "fro" })).toBeAllclose(Math.sqrt(30));
    expect(np.linalg.norm(m, { ord: "nuc" })).toBeAllclose(np.sum(s));
    expect(np.linalg.norm(m, { ord: 2 })).toBeAllclose(s.get(0));
    expect(np.linalg.norm(m, { ord: -2 })).toBeAllclose(s.get(1));
    expect(np.linalg.norm(m, { ord: 1 })).toBeAllclose(6); // max column sum
    expect(np.linalg.norm(m, { ord: -1 })).toBeAllclose(4);
    expect(np.linalg.norm(m, { ord: Infinity })).toBeAllclose(7); // max row sum
    expect(np.linalg.norm(m, { ord: -Infinity })).toBeAllclose(3);
    // axis and keepdims
    const x = rand([2, 3, 4], 5);
    expect(np.linalg.norm(x, { axis: 1 })).toBeAllclose(np.sqrt(np.sum(np.square(x), { axis: 1 })));
    expect(np.linalg.norm(x, { axis: [2, 1], keepdims: true }).shape).toEqual([2, 1, 1]);
    expect(np.linalg.norm(x, { ord: 1, axis: [1, 2] })).toBeAllclose(np.max(np.sum(np.abs(x), { axis: 1 }), { axis: -1 }));
    expect(np.linalg.norm(x, { ord: "nuc", axis: [2, 1] })).toBeAllclose(np.linalg.norm(np.swapaxes(x, 1, 2), { ord: "nuc", axis: [1, 2] }));
    expect(np.linalg.norm(x, { keepdims: true }).shape).toEqual([1, 1, 1]);
  });

  it("solveTriangular reads one triangle, transposes on request", () => {
    const l = np.tril(A3);
    const b = rand([3, 2], 4);
    expect(sl.solveTriangular(A3, b, { lower: true })).toBeAllclose(np.linalg.solve(l, b), { rtol: 1e-12 });
    expect(sl.solveTriangular(A3, b)).toBeAllclose(np.linalg.solve(np.triu(A3), b), { rtol: 1e-12 });
    expect(sl.solveTriangular(A3, b, { lower: true, trans: "T" })).toBeAllclose(np.linalg.solve(l.T, b), { rtol: 1e-12 });
    expect(sl.solveTriangular(A3, b, { lower: true, trans: 1, unitDiagonal: true })).toBeAllclose(
      np.linalg.solve(np.tril(A3, -1).add(I(3)).T, b), { rtol: 1e-12 });
    expect(sl.solveTriangular([[2, 0], [1, 1]], [2, 3], { lower: true })).toBeAllclose([1, 2]);
  });

  it("sqrtm: X·X = a for symmetric PSD (singular too) and general matrices", () => {
    const X = sl.sqrtm(S4);
    expect(np.matmul(X, X)).toBeAllclose(S4, { rtol: 1e-12 });
    expect(X).toBeAllclose(X.T);
    expect(np.linalg.eigvalsh(X).get(0).item()).toBeGreaterThan(0);
    expect(sl.sqrtm([[1, 1], [1, 1]])).toBeAllclose(np.full([2, 2], Math.SQRT1_2), { rtol: 1e-14 });
    expect(sl.sqrtm([[4, 0], [0, 9]])).toBeAllclose([[2, 0], [0, 3]]);
    for (const G of [A3, np.array([[1, -1], [1, 1]]), np.array([[-1, 0.5], [-0.5, -1]])]) {
      const Y = sl.sqrtm(G);
      expect(np.matmul(Y, Y)).toBeAllclose(G, { atol: 1e-13 });
    }
    // The principal root of a rotation by 90° is the rotation by 45°.
    expect(sl.sqrtm([[0, -1], [1, 0]])).toBeAllclose([[Math.SQRT1_2, -Math.SQRT1_2], [Math.SQRT1_2, Math.SQRT1_2]], { atol: 1e-14 });
  });

  it("empty matrices and float32", () => {
    expect(np.linalg.det(np.zeros([0, 0]))).toBeAllclose(1);
    expect(np.linalg.inv(np.zeros([2, 0, 0])).shape).toEqual([2, 0, 0]);
    const a32 = np.array([[2, 1], [1, 3]], { dtype: "float32" });
    expect(np.linalg.inv(a32).dtype).toBe("float32");
    expect(np.linalg.eigh(a32)[1].dtype).toBe("float32");
    expect(np.linalg.inv([[2, 0], [0, 4]]).dtype).toBe("float64");
    expect(np.linalg.inv([[2, 0], [0, 4]])).toBeAllclose([[0.5, 0], [0, 0.25]]);
  });
});

// ---------------------------------------------------------------- derivatives

describe("derivatives of order 2, forward and reverse, against finite differences", () => {
  const square: [string, F, np.NDArray][] = [
    ["inv", (x) => np.linalg.inv(x), A3],
    ["det", (x) => np.linalg.det(x), A3],
    ["slogdet", (x) => np.linalg.slogdet(x)[1], A3],
    ["solve (matrix b)", (x) => np.linalg.solve(x, [[1, 2], [3, 4], [5, 6]]), A3],
    ["solve (in b)", (b) => np.linalg.solve(A3, b), rand([3, 2], 4)],
    ["cholesky", (x) => np.linalg.cholesky(sym(x).add(S3)), A3.mul(0.3)],
    ["eigh eigenvalues", (x) => np.linalg.eigh(sym(x))[0], A3],
    ["eigh eigenvectors", (x) => np.linalg.eigh(sym(x))[1], A3],
    ["eigvalsh", (x) => np.linalg.eigvalsh(sym(x)), A3],
    ["eigh reads the lower triangle", (x) => np.linalg.eigh(x)[1], A3],
    ["pinv (square)", (x) => np.linalg.pinv(x), A3],
    ["matrixPower 3", (x) => np.linalg.matrixPower(x, 3), A3],
    ["matrixPower −2", (x) => np.linalg.matrixPower(x, -2), A3],
    ["sqrtm (symmetric)", (x) => sl.sqrtm(sym(x).add(S3)), A3.mul(0.3)],
    ["sqrtm (general)", (x) => sl.sqrtm(x), A3],
    ["solveTriangular lower", (x) => sl.solveTriangular(x, [[1, 2], [3, 4], [5, 6]], { lower: true }), A3],
    ["solveTriangular upper transposed unit", (x) => sl.solveTriangular(x, [1, 2, 3], { trans: "T", unitDiagonal: true }), A3],
    ["norm fro", (x) => np.linalg.norm(x), A3],
    ["norm nuc", (x) => np.linalg.norm(x, { ord: "nuc" }), A3],
    ["norm 2", (x) => np.linalg.norm(x, { ord: 2 }), A3],
    ["norm −2", (x) => np.linalg.norm(x, { ord: -2 }), A3],
    ["norm 1", (x) => np.linalg.norm(x, { ord: 1 }), A3],
    ["vector norm p = 3", (x) => np.linalg.norm(x, { ord: 3, axis: 1 }), A3],
  ];
  for (const [name, f, x] of square) it(name, () => checkGrads(f, [x], { order: 2 }));

  for (const [label, X] of [["tall", tall], ["wide", wide]] as const) {
    const fs: [string, F][] = [
      ["svd u", (x) => np.linalg.svd(x, { fullMatrices: false })[0]],
      ["svd s", (x) => np.linalg.svd(x, { fullMatrices: false })[1]],
      ["svd vh", (x) => np.linalg.svd(x, { fullMatrices: false })[2]],
      ["svd computeUv false", (x) => np.linalg.svd(x, { computeUv: false })],
      ["qr q", (x) => np.linalg.qr(x)[0]],
      ["qr r", (x) => np.linalg.qr(x)[1]],
      ["pinv", (x) => np.linalg.pinv(x)],
      ["lstsq", (x) => np.linalg.lstsq(x, np.ones([x.shape[0]!, 2]))[0]],
      ["norm 2", (x) => np.linalg.norm(x, { ord: 2 })],
    ];
    for (const [name, f] of fs) it(`${name} (${label})`, () => checkGrads(f, [X], { order: 2 }));
  }

  it("a stack of matrices, through several functions", () => {
    const As = rand([2, 3, 3], 12).add(I(3).mul(2));
    checkGrads((x: np.NDArray) => np.linalg.slogdet(x)[1].add(np.sum(np.linalg.inv(x), { axis: [-1, -2] })), [As], { order: 2 });
    checkGrads((x: np.NDArray) => np.linalg.eigh(sym(x))[1], [As], { order: 1 });
    checkGrads((x: np.NDArray) => np.linalg.svd(x)[0], [As], { order: 1 });
  });

  it("third order through cholesky and solve", () => {
    checkGrads((x: np.NDArray) => np.sum(np.linalg.cholesky(sym(x).add(S3))), [A3.mul(0.2)], { order: 3 });
    checkGrads((x: np.NDArray) => np.sum(np.linalg.solve(x, [1, 2, 3])), [A3], { order: 3 });
  });
});

describe("closed forms and autograd's conventions", () => {
  it("d det = det·A⁻ᵀ, d logdet = A⁻ᵀ, d Σ inv(A)·C = −A⁻ᵀ·C·A⁻ᵀ", () => {
    const Ainv = np.linalg.inv(A3);
    expect(grad((x: np.NDArray) => np.linalg.det(x))(A3)).toBeAllclose(Ainv.T.mul(np.linalg.det(A3)), { rtol: 1e-12 });
    expect(grad((x: np.NDArray) => np.linalg.slogdet(x)[1])(A3)).toBeAllclose(Ainv.T, { rtol: 1e-12 });
    const C = rand([3, 3], 13);
    expect(grad((x: np.NDArray) => np.sum(np.linalg.inv(x).mul(C)))(A3)).toBeAllclose(
      np.matmul(np.matmul(Ainv.T, C), Ainv.T).neg(), { rtol: 1e-12 });
  });

  it("the Cholesky gradient is symmetrised, and the value reads the lower triangle only", () => {
    const C = rand([4, 4], 14);
    const f = (x: np.NDArray) => np.sum(np.linalg.cholesky(x).mul(C));
    const g = grad(f)(S4);
    expect(g).toBeAllclose(g.T, { rtol: 1e-12 });
    // It is the gradient with respect to a symmetric perturbation: the one of f(sym(x)).
    expect(g).toBeAllclose(grad((x: np.NDArray) => f(sym(x)))(S4), { rtol: 1e-12 });
    // Junk in the upper triangle changes neither the value nor the gradient.
    const junk = np.tril(S4).add(np.triu(rand([4, 4], 3), 1));
    expect(np.linalg.cholesky(junk)).toBeAllclose(np.linalg.cholesky(S4));
  });

  it("the eigh gradient lives on the lower triangle: (G + Gᵀ) below, diag(G) on the diagonal", () => {
    const C = rand([4, 4], 15);
    const f = (x: np.NDArray) => np.sum(np.linalg.eigh(x)[1].mul(C)).add(np.sum(np.linalg.eigh(x)[0]));
    const g = grad(f)(S4);
    expect(np.triu(g, 1)).toBeAllclose(np.zeros([4, 4]));
    const gs = grad((x: np.NDArray) => f(sym(x)))(S4); // symmetric gradient G_s; lower = 2·G_s off the diagonal
    expect(np.tril(g, -1)).toBeAllclose(np.tril(gs, -1).mul(2), { rtol: 1e-10 });
    expect(np.diagonal(g)).toBeAllclose(np.diagonal(gs), { rtol: 1e-10 });
    // d Σw = d tr(A) for the matrix the lower triangle defines: the identity.
    expect(grad((x: np.NDArray) => np.sum(np.linalg.eigvalsh(x)))(S4)).toBeAllclose(I(4), { atol: 1e-13 });
  });

  it("jvp and vjp of eigh agree with the first-order perturbation formulas", () => {
    const dA = sym(rand([4, 4], 16));
    const [w, v] = np.linalg.eigh(S4);
    const [, [dw, dv]] = jvp((x: np.NDArray) => np.linalg.eigh(x), [S4], [dA]) as [unknown, np.NDArray[]];
    const m = np.matmul(np.matmul(v.T, dA), v);
    expect(dw).toBeAllclose(np.diagonal(m), { rtol: 1e-10 });
    // dV = V·(F ∘ M), F_ij = 1/(w_j − w_i) off the diagonal.
    const gaps = w.reshape([1, 4]).sub(w.reshape([4, 1])).add(I(4));
    expect(dv).toBeAllclose(np.matmul(v, m.div(gaps).mul(np.ones([4, 4]).sub(I(4)))), { rtol: 1e-9, atol: 1e-12 });
    // The VJP is the transpose of the JVP: ⟨ct, J dA⟩ = ⟨Jᵀ ct, dA⟩.
    const ct: [np.NDArray, np.NDArray] = [rand([4], 17), rand([4, 4], 18)];
    const [, back] = vjp((x: np.NDArray) => np.linalg.eigh(x), S4);
    const lhs = np.sum(ct[0]!.mul(dw!)).add(np.sum(ct[1]!.mul(dv!)));
    expect(np.sum((back(ct) as np.NDArray[])[0]!.mul(dA))).toBeAllclose(lhs, { rtol: 1e-10 });
  });

  it("hessian of logdet is −A⁻ᵀ ⊗ A⁻¹ (as a 4-d array)", () => {
    const H = hessian((x: np.NDArray) => np.linalg.slogdet(x)[1])(A3) as np.NDArray;
    const Ai = np.linalg.inv(A3);
    // ∂²/∂A_ij ∂A_kl log det A = −(A⁻¹)_jk (A⁻¹)_li
    const want = np.einsum("jk,li->ijkl", Ai, Ai).neg();
    expect(H).toBeAllclose(want, { rtol: 1e-10, atol: 1e-12 });
  });
});

// ---------------------------------------------------------------- batching

describe("vmap and leading dimensions against loops", () => {
  const stack = rand([4, 3, 3], 21).add(I(3).mul(2));
  const tallStack = rand([4, 4, 3], 22);
  const cases: [string, (x: np.NDArray) => np.NDArray | np.NDArray[], np.NDArray][] = [
    ["inv", (x) => np.linalg.inv(x), stack],
    ["det", (x) => np.linalg.det(x), stack],
    ["slogdet", (x) => np.linalg.slogdet(x), stack],
    ["solve", (x) => np.linalg.solve(x, [1, 2, 3]), stack],
    ["cholesky", (x) => np.linalg.cholesky(np.matmul(x, T(x))), stack],
    ["eigh", (x) => np.linalg.eigh(sym(x)), stack],
    ["eigvalsh", (x) => np.linalg.eigvalsh(x), stack],
    ["svd", (x) => np.linalg.svd(x, { fullMatrices: false }), tallStack],
    ["svd full (square)", (x) => np.linalg.svd(x), stack],
    ["qr", (x) => np.linalg.qr(x), tallStack],
    ["pinv", (x) => np.linalg.pinv(x), tallStack],
    ["norm nuc", (x) => np.linalg.norm(x, { ord: "nuc", axis: [-2, -1] }), tallStack],
    ["matrixPower", (x) => np.linalg.matrixPower(x, 3), stack],
    ["sqrtm", (x) => sl.sqrtm(x), stack],
    ["solveTriangular", (x) => sl.solveTriangular(x, [[1], [2], [3]], { lower: true }), stack],
  ];
  const asList = (y: np.NDArray | np.NDArray[]) => (Array.isArray(y) ? y : [y]);
  const loop = (f: (x: np.NDArray) => np.NDArray | np.NDArray[], xs: np.NDArray) => {
    const per = Array.from({ length: xs.shape[0]! }, (_, i) => asList(f(xs.get(i))));
    return per[0]!.map((_, k) => np.stack(per.map((p) => p[k]!)));
  };

  for (const [name, f, xs] of cases) {
    it(`${name}: vmap, a leading dimension, and vmap of grad`, () => {
      const want = loop(f, xs);
      asList(vmap(f)(xs)).forEach((y, k) => expect(y).toBeAllclose(want[k]!, { rtol: 1e-12, atol: 1e-14 }));
      if (name !== "solve" && name !== "lstsq") {
        asList(f(xs)).forEach((y, k) => expect(y).toBeAllclose(want[k]!, { rtol: 1e-12, atol: 1e-14 }));
      }
      const loss = (x: np.NDArray) => asList(f(x)).reduce((acc: np.NDArray, y) => acc.add(np.sum(np.sin(y))), np.array(0));
      const g = grad(loss);
      expect(vmap(g)(xs)).toBeAllclose(np.stack(Array.from({ length: xs.shape[0]! }, (_, i) => g(xs.get(i)))), { rtol: 1e-10, atol: 1e-13 });
    });
  }

  it("vmap over b only, with one matrix (the batch becomes extra right-hand sides)", () => {
    const bs = rand([5, 3], 23);
    const f = (b: np.NDArray) => sl.solveTriangular(A3, b, { lower: true });
    expect(vmap(f)(bs)).toBeAllclose(np.stack(Array.from({ length: 5 }, (_, i) => f(bs.get(i)))), { rtol: 1e-13 });
    const g = (b: np.NDArray) => np.linalg.solve(A3, b);
    expect(vmap(g, { inAxes: 1 })(bs.T)).toBeAllclose(np.stack(Array.from({ length: 5 }, (_, i) => g(bs.get(i)))), { rtol: 1e-12 });
  });

  it("nested vmap and per-example gradients of a Gaussian log-likelihood", () => {
    const xs = rand([2, 5, 3, 3], 24);
    expect(vmap(vmap((x: np.NDArray) => np.linalg.det(x)))(xs)).toBeAllclose(np.linalg.det(xs), { rtol: 1e-13 });
    // log N(y; 0, Σ) with Σ = L·Lᵀ, per example.
    const loglik = (sigma: np.NDArray, y: np.NDArray) => {
      const l = np.linalg.cholesky(sigma);
      const z = sl.solveTriangular(l, y, { lower: true });
      return np.sum(np.square(z)).mul(-0.5).sub(np.sum(np.log(np.diagonal(l))));
    };
    const ys = rand([6, 4], 25);
    const g = vmap(grad(loglik), { inAxes: [null, 0] })(S4, ys);
    const want = np.stack(Array.from({ length: 6 }, (_, i) => grad(loglik)(S4, ys.get(i))));
    expect(g).toBeAllclose(want, { rtol: 1e-10 });
    // Σ⁻¹ y yᵀ Σ⁻¹ / 2 − Σ⁻¹ / 2, symmetrised as autograd: the closed form.
    const Si = np.linalg.inv(S4);
    const y0 = ys.get(0).reshape([4, 1]);
    const closed = np.matmul(np.matmul(Si, np.matmul(y0, y0.T)), Si).sub(Si).mul(0.5);
    expect(g.get(0)).toBeAllclose(closed, { rtol: 1e-10 });
  });
});

// ---------------------------------------------------------------- limits and errors

describe("singular and degenerate inputs: a clear error or the documented limit", () => {
  it("solve / inv of a singular matrix raise a DomainError naming the function and shape", () => {
    expect(() => np.linalg.solve([[1, 2], [2, 4]], [1, 2])).toThrow(DomainError);
    expect(() => np.linalg.solve([[1, 2], [2, 4]], [1, 2])).toThrow(/np\.linalg\.solve: singular matrix: pivot 1 .* is zero \(a has shape \(2, 2\)\)/);
    expect(() => np.linalg.inv([[1, 2, 3], [4, 5, 6], [7, 8, 9]])).toThrow(/np\.linalg\.inv: singular matrix: .*zero to working precision.*\(3, 3\)/);
    expect(() => np.linalg.inv([[[1, 0], [0, 1]], [[1, 2], [2, 4]]])).toThrow(/shape \(2, 2, 2\); matrix \[1\] of the stack/);
    expect(() => vmap((x: np.NDArray) => np.linalg.inv(x))(np.array([[[1, 0], [0, 1]], [[0, 0], [0, 0]]]))).toThrow(DomainError);
    expect(() => np.linalg.matrixPower([[1, 2], [2, 4]], -1)).toThrow(/np\.linalg\.inv: singular/);
  });

  it("det / slogdet of a singular matrix: 0 and [0, −∞] as NumPy; the gradient there is the adjugate (JAX)", () => {
    expect(np.linalg.det([[1, 2], [2, 4]])).toBeAllclose(0);
    const [sign, logdet] = np.linalg.slogdet([[1, 2], [2, 4]]);
    expect(sign).toBeAllclose(0);
    expect(logdet.item()).toBe(-Infinity);
    // jax.grad(jnp.linalg.det)(jnp.array([[1., 2], [2, 4]])) = [[4, -2], [-2, 1]] (JAX 0.10.2)
    expect(grad((x: np.NDArray) => np.linalg.det(x))(np.array([[1, 2], [2, 4]]))).toBeAllclose([[4, -2], [-2, 1]], { atol: 1e-14 });
  });

  it("cholesky of a matrix that is not positive definite", () => {
    expect(() => np.linalg.cholesky([[1, 2], [2, 1]])).toThrow(DomainError);
    expect(() => np.linalg.cholesky([[1, 2], [2, 1]])).toThrow(/np\.linalg\.cholesky: matrix is not positive definite: its leading minor of order 2 is not positive \(a has shape \(2, 2\)\)/);
    expect(() => np.linalg.cholesky([[-1]])).toThrow(/order 1/);
  });

  it("repeated eigenvalues: eigenvalue derivatives fine, eigenvector derivatives raise only when used", () => {
    const D = np.array([[2, 0, 0], [0, 2, 0], [0, 0, 5]]);
    const c = np.array([1, 2, 3]);
    expect(grad((x: np.NDArray) => np.sum(np.linalg.eigvalsh(x).mul(c)))(I(3))).toBeAllclose(np.diag(c));
    expect(grad((x: np.NDArray) => np.sum(np.linalg.eigh(x)[0].mul(c)))(I(3))).toBeAllclose(np.diag(c));
    expect(jvp((x: np.NDArray) => np.linalg.eigvalsh(x), [D], [np.ones([3, 3])])[1]).toBeAllclose([1, 1, 1]);
    // The eigenvector of the simple eigenvalue 5 is differentiable; those of 2 are not.
    expect(() => grad((x: np.NDArray) => np.sum(np.linalg.eigh(x)[1].get(":", 2)))(D)).not.toThrow();
    expect(() => grad((x: np.NDArray) => np.sum(np.linalg.eigh(x)[1]))(D)).toThrow(DomainError);
    expect(() => grad((x: np.NDArray) => np.sum(np.linalg.eigh(x)[1]))(D)).toThrow(
      /np\.linalg\.eigh: the derivative of the eigenvectors is undefined at repeated eigenvalues.*use np\.linalg\.eigvalsh/,
    );
    // Forward mode computes every output's tangent, so eigh's raises even if only w is used.
    expect(() => jvp((x: np.NDArray) => np.linalg.eigh(x)[0], [D], [np.ones([3, 3])])).toThrow(DomainError);
    // Eigenvalues are not twice differentiable where they meet.
    expect(() => hessian((x: np.NDArray) => np.sum(np.linalg.eigvalsh(x)))(D)).toThrow(/not twice differentiable/);
  });

  it("repeated or zero singular values: s differentiable, u and vh raise when used", () => {
    const r1 = np.array([[1, 2], [2, 4], [3, 6]]);
    expect(grad((x: np.NDArray) => np.sum(np.linalg.svd(x, { computeUv: false })))(r1).shape).toEqual([3, 2]);
    expect(() => grad((x: np.NDArray) => np.sum(np.linalg.svd(x, { fullMatrices: false })[0]))(r1)).toThrow(
      /np\.linalg\.svd: the derivative of the singular vectors of a rank-deficient non-square matrix is undefined/,
    );
    const orth = np.array([[0, 1], [1, 0]]);
    expect(() => grad((x: np.NDArray) => np.sum(np.linalg.svd(x)[0]))(orth)).toThrow(/repeated singular values/);
    expect(grad((x: np.NDArray) => np.linalg.norm(x, { ord: "nuc" }))(orth)).toBeAllclose(orth);
  });

  it("full SVD / complete QR of a non-square matrix have no derivative: a TypeError says what to use", () => {
    expect(() => grad((x: np.NDArray) => np.sum(np.linalg.svd(x)[0]))(tall)).toThrow(/Use fullMatrices: false/);
    expect(() => grad((x: np.NDArray) => np.sum(np.linalg.qr(x, { mode: "complete" })[0]))(tall)).toThrow(/Use mode "reduced"/);
    expect(() => grad((x: np.NDArray) => np.sum(np.linalg.qr(x)[1]))(np.array([[1, 0], [2, 0], [3, 0]]))).toThrow(/np\.linalg\.qr \(derivative\): singular matrix/);
  });

  it("sqrtm: complex roots and derivatives at singular matrices raise", () => {
    expect(() => sl.sqrtm([[1, 0], [0, -1]])).toThrow(/scipy\.linalg\.sqrtm: the symmetric matrix has a negative eigenvalue -1/);
    expect(() => sl.sqrtm([[-1, 1], [0, -2]])).toThrow(/scipy\.linalg\.sqrtm: no real principal square root/);
    expect(() => grad((x: np.NDArray) => np.sum(sl.sqrtm(x)))(np.array([[1, 1], [1, 1]]))).toThrow(/the square root is singular/);
  });

  it("solveTriangular with a zero on the diagonal", () => {
    expect(() => sl.solveTriangular([[1, 0], [2, 0]], [1, 2], { lower: true })).toThrow(
      /scipy\.linalg\.solveTriangular: singular matrix: diagonal element 1 of the triangular factor is zero/,
    );
    expect(sl.solveTriangular([[0, 0], [2, 0]], [1, 2], { lower: true, unitDiagonal: true })).toBeAllclose([1, 0]);
  });

  it("gradients of the 2-norm and Frobenius norm at zero are 0, not NaN", () => {
    expect(grad((x: np.NDArray) => np.linalg.norm(x))(np.zeros([3]))).toBeAllclose([0, 0, 0]);
    expect(grad((x: np.NDArray) => np.linalg.norm(x, { ord: "fro" }))(np.zeros([2, 2]))).toBeAllclose(np.zeros([2, 2]));
  });
});

describe("argument errors name the function and the shapes", () => {
  it("non-square and too few dimensions", () => {
    expect(() => np.linalg.inv([[1, 2, 3], [4, 5, 6]])).toThrow(ShapeError);
    expect(() => np.linalg.inv([[1, 2, 3], [4, 5, 6]])).toThrow(/np\.linalg\.inv: last 2 dimensions of a must be square; got shape \(2, 3\)/);
    expect(() => np.linalg.det([1, 2])).toThrow(/np\.linalg\.det: 1-dimensional array given \(shape \(2,\)\)/);
    expect(() => np.linalg.cholesky(np.ones([2, 3]))).toThrow(/np\.linalg\.cholesky: last 2 dimensions/);
    expect(() => np.linalg.eigh(np.ones([3, 2]))).toThrow(/np\.linalg\.eigh: last 2 dimensions/);
    expect(() => np.linalg.svd([1, 2, 3])).toThrow(/np\.linalg\.svd: 1-dimensional/);
    expect(() => sl.sqrtm(np.ones([2, 3]))).toThrow(/scipy\.linalg\.sqrtm: a must be a square matrix/);
    expect(() => np.linalg.matrixPower(np.ones([2, 3]), 2)).toThrow(/np\.linalg\.matrixPower: a must be a stack of square matrices/);
  });

  it("mismatched right-hand sides", () => {
    expect(() => np.linalg.solve(I(3), [1, 2])).toThrow(/np\.linalg\.solve: b of shape \(2,\) does not match a of shape \(3, 3\)/);
    expect(() => np.linalg.solve(I(3), np.ones([2, 2]))).toThrow(/b must be \(3,\) or \(\.\.\., 3, K\)/);
    expect(() => np.linalg.solve(np.ones([2, 3, 3]), np.ones([4, 3, 1]))).toThrow(/could not be broadcast/);
    expect(() => sl.solveTriangular(I(3), [1, 2])).toThrow(/scipy\.linalg\.solveTriangular: shapes of a \(3, 3\) and b \(2,\) are incompatible/);
    expect(() => np.linalg.lstsq(np.ones([3, 2]), [1, 2])).toThrow(/np\.linalg\.lstsq: incompatible dimensions/);
    expect(() => np.linalg.lstsq(np.ones([2, 3, 2]), [1, 2, 3])).toThrow(/use vmap for stacks/);
  });

  it("bad options", () => {
    expect(() => np.linalg.norm([1, 2], { ord: "fro" })).toThrow(/invalid norm order "fro" for vectors/);
    expect(() => np.linalg.norm(np.ones([2, 2]), { ord: 3 })).toThrow(/invalid norm order 3 for matrices/);
    expect(() => np.linalg.norm(np.ones([2, 2, 2]), { ord: 1 })).toThrow(/improper number of dimensions/);
    expect(() => np.linalg.norm(np.ones([2, 2]), { axis: [0, 0] })).toThrow(/duplicate axes/);
    expect(() => np.linalg.norm(np.ones([2, 2]), { axis: 2 })).toThrow(/axis 2 is out of bounds/);
    expect(() => np.linalg.matrixPower(I(2), 1.5)).toThrow(/exponent must be an integer/);
    expect(() => np.linalg.qr(I(2), { mode: "raw" as "r" })).toThrow(/mode must be/);
    expect(() => np.linalg.eigh(I(2), { UPLO: "X" as "L" })).toThrow(/np\.linalg\.eigh: option UPLO must be one of "L", "U"; got "X"/);
    expect(() => sl.solveTriangular(I(2), [1, 2], { trans: 3 as 0 })).toThrow(/trans must be/);
    expect(() => np.linalg.inv("abc" as unknown as number)).toThrow(TypeError);
  });
});

describe("documentation examples", () => {
  it("run as written", () => {
    expect(np.linalg.solve([[3, 1], [1, 2]], [9, 8])).toBeAllclose([2, 3]);
    expect(np.linalg.inv([[2, 0], [0, 4]])).toBeAllclose([[0.5, 0], [0, 0.25]]);
    expect(np.linalg.det([[1, 2], [3, 4]])).toBeAllclose(-2);
    const [sign, logdet] = np.linalg.slogdet([[-2, 0], [0, 3]]);
    expect([sign.item(), logdet.item()]).toEqual([-1, Math.log(6)]);
    expect(np.linalg.cholesky([[4, 2], [2, 5]])).toBeAllclose([[2, 0], [1, 2]]);
    expect(np.linalg.eigh([[2, 1], [1, 2]])[0]).toBeAllclose([1, 3]);
    expect(np.linalg.eigvalsh([[2, 1], [1, 2]])).toBeAllclose([1, 3]);
    expect(np.linalg.pinv([[1, 0], [0, 0]])).toBeAllclose([[1, 0], [0, 0]]);
    expect(np.linalg.lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 3])[0]).toBeAllclose([1, 1]);
    expect(np.linalg.matrixPower([[1, 1], [0, 1]], 3)).toBeAllclose([[1, 3], [0, 1]]);
    expect(np.linalg.norm([3, 4])).toBeAllclose(5);
    expect(np.linalg.norm([[1, 2], [3, 4]], { ord: "fro" })).toBeAllclose(Math.sqrt(30));
    expect(sl.solveTriangular([[2, 0], [1, 1]], [2, 3], { lower: true })).toBeAllclose([1, 2]);
    expect(sl.sqrtm([[4, 0], [0, 9]])).toBeAllclose([[2, 0], [0, 3]]);
  });
});
