/**
 * @file `np.linalg`: factorizations, solves, determinants, norms and friends on stacks of matrices
 * `[..., m, n]`, written with the linear-algebra primitives, so every function is differentiable in
 * both modes, to any order, and batchable. Functions that return a tuple in NumPy return a JS array.
 * Every function takes real or complex matrices (complex64 in, complex64 out; a real operand meets
 * a complex one as complex128); results that are real by nature (norms, singular values, Hermitian
 * eigenvalues, log|det|, least-squares residuals) are real. Complex derivatives follow JAX's
 * convention (transposes not conjugated; see docs/complex-internals.md).
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { DomainError } from "../core/errors.ts";
import { asarray } from "./creation.ts";
import { broadcastShapes, normAxes, normAxis } from "./broadcast.ts";
import { isComplex, promote, realDtype, type DType } from "../core/dtype.ts";
import * as s from "../primitives/structural.ts";
import * as L from "../primitives/linalg.ts";
import * as Sp from "../primitives/linalg-spectral.ts";
import { stopGradient } from "../primitives/unary.ts";
import { absSquared, complexSlogdet, modulus, toComplexPair } from "./linalg-eig.ts";
import { abs, add, log, multiply, power, sign, sqrt, subtract } from "./math.ts";
import { equal, greater, notEqual, where } from "./logic.ts";
import { max, min, prod, sum } from "./reductions.ts";
import { matmul } from "./products.ts";
import { AxisError, fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const ordOption = P.nullable(P.union(P.num, P.oneOf("fro", "nuc")));
const uploOption = P.oneOf("L", "U");
const choleskyOpts = P.options("np.linalg.cholesky", { upper: P.bool });
const eighOpts = P.options("np.linalg.eigh", { UPLO: uploOption }, { positional: "UPLO" });
const eigvalshOpts = P.options("np.linalg.eigvalsh", { UPLO: uploOption }, { positional: "UPLO" });
const svdOpts = P.options("np.linalg.svd", { fullMatrices: P.bool, computeUv: P.bool });
const qrOpts = P.options("np.linalg.qr", { mode: P.oneOf("reduced", "complete", "r") }, { positional: "mode" });
const pinvOpts = P.options("np.linalg.pinv", { rcond: P.nonNegNum }, { positional: "rcond" });
const lstsqOpts = P.options("np.linalg.lstsq", { rcond: P.nullable(P.num) }, { positional: "rcond" });
const normOpts = P.options("np.linalg.norm", { ord: ordOption, axis: P.axes, keepdims: P.bool }, { positional: "ord" });
const matrixRankOpts = P.options("np.linalg.matrixRank", { tol: P.nullable(P.nonNegNum) }, { positional: "tol" });
const condOpts = P.options("np.linalg.cond", { p: ordOption }, { positional: "p" });
const tensorinvOpts = P.options("np.linalg.tensorinv", { ind: P.posInt }, { positional: "ind" });

const EPS = 2 ** -52;

// ---------------------------------------------------------------- argument checking

/**
 * `x` as float64, or complex128 when complex (integers and bools promoted), with the dtype the
 * results should have.
 */
function floatArg(op: string, x: ArrayLike, arg: string): [NDArray, DType] {
  const a = asarray(x, undefined, op, arg);
  if (isComplex(a.dtype)) return [s.convert(a, "complex128"), a.dtype];
  const dtype: DType = a.dtype === "float32" ? "float32" : "float64";
  return [s.convert(a, "float64"), dtype];
}

/** Results back in the caller's dtype (float32 in, float32 out; complex64 in, complex64 out, as NumPy). */
const back = (x: NDArray, dtype: DType): NDArray => s.convert(x, dtype);
/** Real-valued results (norms, singular values, Hermitian eigenvalues) in the real dtype matching the caller's. */
const backReal = (x: NDArray, dtype: DType): NDArray => s.convert(x, realDtype(dtype));

/** A stack of matrices `[..., m, n]`: at least two dimensions. */
function matrixArg(op: string, x: ArrayLike, arg = "a"): [NDArray, DType] {
  const [a, dtype] = floatArg(op, x, arg);
  if (a.ndim < 2) {
    throw new ShapeError(`${op}: ${a.ndim}-dimensional array given (shape ${fmtShape(a.shape)}); ${arg} must be at least two-dimensional`);
  }
  return [a, dtype];
}

/** A stack of square matrices `[..., n, n]`. */
function squareArg(op: string, x: ArrayLike, arg = "a"): [NDArray, DType] {
  const [a, dtype] = matrixArg(op, x, arg);
  const [m, n] = a.shape.slice(-2);
  if (m !== n) {
    throw new ShapeError(`${op}: last 2 dimensions of ${arg} must be square; got shape ${fmtShape(a.shape)}`);
  }
  return [a, dtype];
}

/**
 * Right-hand sides `b` for a solve with `a: [..., n, n]`, as NumPy 2: a 1-D `b` (n,) is one vector
 * for every matrix, otherwise `b: [..., n, k]` with leading dimensions broadcast against a's.
 * Returns both broadcast to common leading dimensions, and how to shape the solution back.
 */
function rhsArgs(op: string, a: NDArray, bIn: NDArray): [NDArray, NDArray, (x: NDArray) => NDArray] {
  const n = a.shape[a.ndim - 1]!;
  const lead = a.shape.slice(0, -2);
  if (bIn.ndim === 1) {
    if (bIn.shape[0] !== n) {
      throw new ShapeError(`${op}: b of shape ${fmtShape(bIn.shape)} does not match a of shape ${fmtShape(a.shape)}: ${bIn.shape[0]} != ${n}`);
    }
    const b = s.broadcastTo(s.reshape(bIn, [n, 1]), [...lead, n, 1]);
    return [a, b, (x) => s.reshape(x, [...lead, n])];
  }
  if (bIn.ndim === 0 || bIn.shape[bIn.ndim - 2] !== n) {
    throw new ShapeError(
      `${op}: b of shape ${fmtShape(bIn.shape)} does not match a of shape ${fmtShape(a.shape)}: ` +
        `b must be (${n},) or (..., ${n}, K)`,
    );
  }
  const batch = broadcastShapes(`${op} (leading dimensions of a and b)`, lead, bIn.shape.slice(0, -2));
  return [s.broadcastTo(a, [...batch, n, n]), s.broadcastTo(bIn, [...batch, ...bIn.shape.slice(-2)]), (x) => x];
}

/** The triangular solves with packed LU factors: x = U⁻¹·L⁻¹·(P·b). */
function luSolve(lu: NDArray, perm: NDArray, b: NDArray, op: string): NDArray {
  const y = L.triangularSolve(lu, L.mm(perm, b), { lower: true, transA: false, unitDiagonal: true, op });
  return L.triangularSolve(lu, y, { lower: false, transA: false, unitDiagonal: false, op });
}

// ---------------------------------------------------------------- solve, inv, det

/**
 * `np.linalg.solve(a, b)`: x with a·x = b, by LU with partial pivoting. `b` is (n,) or (..., n, k).
 * A singular matrix raises a `DomainError`, and so does a numerically singular one, whose LU has
 * a pivot below n·ε·max|a| (a condition number beyond about 1/ε), where NumPy returns noise.
 * NaN or ±∞ in `a` is carried through the factorization as NumPy and JAX do (NaN results, or
 * LAPACK's value for ∞), never reported as singularity.
 * @example
 * np.linalg.solve([[3, 1], [1, 2]], [9, 8]); // [2, 3]
 */
export function solve(a: ArrayLike, b: ArrayLike): NDArray {
  const op = "np.linalg.solve";
  const [A0, dtype] = squareArg(op, a);
  const [B0, dtypeB] = floatArg(op, b, "b");
  const [A, B] = toComplexPair(A0, B0);
  const [A2, B2, shapeBack] = rhsArgs(op, A, B);
  const [lu, perm] = L.lu(A2, { op, check: true });
  return back(shapeBack(luSolve(lu, perm, B2, op)), promote(dtype, dtypeB));
}

/**
 * `np.linalg.inv(a)`: the inverse of each matrix of the stack; singular and numerically singular
 * matrices raise a `DomainError` (see `solve`).
 * @example
 * np.linalg.inv([[2, 0], [0, 4]]); // [[0.5, 0], [0, 0.25]]
 */
export function inv(a: ArrayLike): NDArray {
  const op = "np.linalg.inv";
  const [A, dtype] = squareArg(op, a);
  const [lu, perm] = L.lu(A, { op, check: true });
  return back(luSolve(lu, perm, s.broadcastTo(L.eyeOf(A.shape.slice(-2), A.dtype), A.shape), op), dtype);
}

/** The LU factors' diagonal and the permutation's sign, for `det` and `slogdet`. */
function luDiagonal(op: string, a: ArrayLike): [NDArray, NDArray, DType] {
  const [A, dtype] = squareArg(op, a);
  const [lu, , permSign] = L.lu(A, { op, check: false });
  return [L.diagonal(lu), permSign, dtype];
}

/**
 * `np.linalg.det(a)`: sign(P)·∏ diag(U) from the LU factorization; its derivative is
 * tr(adj(A)·dA), so at a singular matrix the gradient is the adjugate's transpose (as JAX), e.g.
 * [[4, −2], [−2, 1]] at [[1, 2], [2, 4]], and zero at rank ≤ n − 2.
 * @example
 * np.linalg.det([[1, 2], [3, 4]]); // -2
 */
export function det(a: ArrayLike): NDArray {
  const op = "np.linalg.det";
  const [A, dtype] = squareArg(op, a);
  return back(Sp.det(A, { op }), dtype);
}

/**
 * `np.linalg.slogdet(a)`: `[sign, logabsdet]` with det = sign·exp(logabsdet), without overflow; a
 * singular matrix gives `[0, -Infinity]`, as NumPy. For complex `a` the sign is a complex number of
 * modulus 1 and logabsdet is real.
 * @example
 * const [sign, logdet] = np.linalg.slogdet([[-2, 0], [0, 3]]);
 * sign; // -1
 * logdet; // 1.791759469228055
 */
export function slogdet(a: ArrayLike): [NDArray, NDArray] {
  const [d, permSign, dtype] = luDiagonal("np.linalg.slogdet", a);
  if (isComplex(d.dtype)) {
    const [sgnC, logAbs] = complexSlogdet(d, permSign);
    return [back(sgnC, dtype), backReal(logAbs, dtype)];
  }
  const sgn = multiply(permSign, prod(sign(d), { axis: -1 }));
  return [back(sgn, dtype), back(sum(log(abs(d)), { axis: -1 }), dtype)];
}

export { eig, eigvals } from "./linalg-eig.ts";

// ---------------------------------------------------------------- cholesky, eigh, svd, qr

/**
 * The value of `a` with the tangent of its symmetric (complex: Hermitian) part (a + aᴴ)/2: NumPy's
 * values (which read one triangle) with autograd's symmetrised gradients.
 */
function symmetricTangent(a: NDArray): NDArray {
  const sym = multiply(add(a, L.mH(a)), 0.5);
  return add(stopGradient(a), subtract(sym, stopGradient(sym)));
}

/**
 * `np.linalg.cholesky(a, {upper = false})`: L lower triangular with L·Lᵀ = a (complex Hermitian
 * `a`: L·Lᴴ = a), or U = Lᴴ with `upper`, reading the lower triangle as NumPy. As in autograd the gradient is symmetrised: it is
 * the gradient for a symmetric perturbation (dA + dAᵀ)/2. Not positive definite: a `DomainError`
 * (as NumPy); a NaN in `a` propagates into L instead (as NumPy and JAX).
 * @example
 * np.linalg.cholesky([[4, 2], [2, 5]]); // [[2, 0], [1, 2]]
 */
export function cholesky(a: ArrayLike, opts: { upper?: boolean } = {}): NDArray {
  opts = choleskyOpts(opts);
  const op = "np.linalg.cholesky";
  const [A, dtype] = squareArg(op, a);
  const l = L.cholesky(symmetricTangent(A), { op });
  return back(opts.upper ? L.mH(l) : l, dtype);
}

type Uplo = "L" | "U";

function uploArg(op: string, A: NDArray, uplo: Uplo | undefined): NDArray {
  if (uplo === undefined || uplo === "L") return A;
  if (uplo === "U") return L.mH(A);
  throw new TypeError(`${op}: UPLO must be "L" or "U", got ${JSON.stringify(uplo)}`);
}

/**
 * `np.linalg.eigh(a, {UPLO = "L"})`: `[w, v]`, eigenvalues ascending and eigenvectors as columns
 * of the symmetric (complex: Hermitian) matrices given by one triangle of `a` (the other is not
 * read, and gets no gradient, as in autograd); `w` is real. Each eigenvector is multiplied by the
 * sign (complex: phase) that makes its largest component real and positive. The
 * eigenvector derivative is undefined at repeated eigenvalues: reverse mode raises a `DomainError`
 * only if a derivative actually flows through them (so gradients of functions of `w` alone are
 * fine); forward mode computes every output's tangent and raises there: use `eigvalsh` for `w`.
 * @example
 * const [w, v] = np.linalg.eigh([[2, 1], [1, 2]]);
 * w; // [1, 3]
 * np.matmul(v.mul(w), v.T); // [[2, 1], [1, 2]]
 */
export function eigh(a: ArrayLike, opts: { UPLO?: Uplo } | Uplo = {}): [NDArray, NDArray] {
  opts = eighOpts(opts);
  const op = "np.linalg.eigh";
  const [A, dtype] = squareArg(op, a);
  const [w, v] = Sp.eigh(uploArg(op, A, opts.UPLO), { op });
  return [backReal(w, dtype), back(v, dtype)];
}

/**
 * `np.linalg.eigvalsh(a, {UPLO = "L"})`: the eigenvalues of `eigh` alone. Their first derivative
 * is defined at repeated eigenvalues too, in both modes; second derivatives there raise.
 * @example
 * np.linalg.eigvalsh([[2, 1], [1, 2]]); // [1, 3]
 */
export function eigvalsh(a: ArrayLike, opts: { UPLO?: Uplo } | Uplo = {}): NDArray {
  opts = eigvalshOpts(opts);
  const op = "np.linalg.eigvalsh";
  const [A, dtype] = squareArg(op, a);
  return backReal(Sp.eigvalsh(uploArg(op, A, opts.UPLO), { op }), dtype);
}

/** The options of {@link svd}: NumPy's `full_matrices` and `compute_uv`, camel-cased. */
export interface SvdOptions {
  /** U (m×m) and Vᵀ (n×n) square, as NumPy's default; `false` gives the thin m×k and k×n. */
  fullMatrices?: boolean;
  /** `false`: return only the singular values. */
  computeUv?: boolean;
}

/**
 * `np.linalg.svd(a, {fullMatrices = true, computeUv = true})`: `[u, s, vh]` with
 * a = u·diag(s)·vh, s descending; `computeUv: false` gives `s` alone. Derivatives of u and vh are
 * undefined for the extra columns of a full non-square SVD (use `fullMatrices: false`) and at
 * repeated singular values (a `DomainError` if a derivative flows there); those of `s` always exist.
 * @example
 * const [u, s, vh] = np.linalg.svd([[0, 2], [3, 0], [0, 0]], { fullMatrices: false });
 * s; // [3, 2]
 * np.matmul(u.mul(s), vh); // [[0, 2], [3, 0], [0, 0]]
 */
export function svd(a: ArrayLike, opts: SvdOptions & { computeUv: false }): NDArray;
export function svd(a: ArrayLike, opts?: SvdOptions): [NDArray, NDArray, NDArray];
export function svd(a: ArrayLike, opts: SvdOptions = {}): NDArray | [NDArray, NDArray, NDArray] {
  opts = svdOpts(opts);
  const op = "np.linalg.svd";
  const [A, dtype] = matrixArg(op, a);
  if (opts.computeUv === false) return backReal(Sp.singularValues(A, { op }), dtype);
  const [u, sv, vh] = Sp.svd(A, { full: opts.fullMatrices ?? true, op });
  return [back(u, dtype), backReal(sv, dtype), back(vh, dtype)];
}

/**
 * `np.linalg.qr(a, {mode = "reduced"})`: `[q, r]` with q orthonormal columns and r upper
 * triangular (Householder; as LAPACK, r's diagonal may be negative); `"complete"` gives square q,
 * `"r"` gives r alone. The derivative needs full rank, and `"reduced"` for tall matrices.
 * @example
 * const [q, r] = np.linalg.qr([[3, 1], [4, 2]]);
 * r; // [[-5, -2.2], [0, 0.4]]
 * np.matmul(q, r); // [[3, 1], [4, 2]]
 */
export function qr(a: ArrayLike, opts: { mode: "r" } | "r"): NDArray;
export function qr(a: ArrayLike, opts?: { mode?: "reduced" | "complete" } | "reduced" | "complete"): [NDArray, NDArray];
export function qr(a: ArrayLike, opts: { mode?: "reduced" | "complete" | "r" } | "reduced" | "complete" | "r" = {}): NDArray | [NDArray, NDArray] {
  opts = qrOpts(opts);
  const op = "np.linalg.qr";
  const mode = opts.mode ?? "reduced";
  if (mode !== "reduced" && mode !== "complete" && mode !== "r") {
    throw new TypeError(`${op}: mode must be "reduced", "complete" or "r", got ${JSON.stringify(mode)}`);
  }
  const [A, dtype] = matrixArg(op, a);
  const [q, r] = L.qr(A, { full: mode === "complete", op });
  return mode === "r" ? back(r, dtype) : [back(q, dtype), back(r, dtype)];
}

// ---------------------------------------------------------------- pinv, lstsq, matrixPower

/**
 * `np.linalg.pinv(a, {rcond = 1e-15})`: the Moore–Penrose pseudo-inverse from the SVD, singular
 * values ≤ rcond·max(s) treated as zero. Its derivative assumes the rank does not change nearby.
 * A matrix with NaN or ±∞ gives NaN (as JAX; the SVD, `eigh` and `lstsq` do the same).
 * @example
 * np.linalg.pinv([[1, 0], [0, 0]]); // [[1, 0], [0, 0]]
 */
export function pinv(a: ArrayLike, opts: { rcond?: number } | number = {}): NDArray {
  opts = pinvOpts(opts);
  const op = "np.linalg.pinv";
  requireStatic(op, "rcond", opts.rcond, "a number");
  const [A, dtype] = matrixArg(op, a);
  return back(Sp.pinv(A, { rcond: opts.rcond ?? 1e-15, op }), dtype);
}

/**
 * `np.linalg.lstsq(a, b, {rcond})`: `[x, residuals, rank, s]`, the least-squares solution of
 * a·x ≈ b by the pseudo-inverse (singular values ≤ rcond·max(s) dropped; default ε·max(m, n)).
 * `residuals` are the squared residual norms per column when m > n, else empty; unlike NumPy they
 * are also given for rank-deficient `a` (shapes cannot depend on values under a transformation).
 * `rank` is an int32 0-d array.
 * @example
 * const [x, residuals, rank] = np.linalg.lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 4]);
 * x; // [0.8333333333333334, 1.5]
 * residuals; // [0.16666666666666666]
 * rank; // 2
 */
export function lstsq(a: ArrayLike, b: ArrayLike, opts: { rcond?: number | null } | number | null = {}): [NDArray, NDArray, NDArray, NDArray] {
  opts = lstsqOpts(opts);
  const op = "np.linalg.lstsq";
  requireStatic(op, "rcond", opts.rcond, "a number");
  const [A0, dtype0] = matrixArg(op, a);
  const [B0, dtypeB] = floatArg(op, b, "b");
  const [A, B] = toComplexPair(A0, B0);
  const dtype = isComplex(dtypeB) && !isComplex(dtype0) ? promote(dtype0, dtypeB) : dtype0;
  if (A.ndim !== 2) throw new ShapeError(`${op}: a must be two-dimensional, got shape ${fmtShape(A.shape)} (use vmap for stacks)`);
  const [m, n] = A.shape as [number, number];
  if ((B.ndim !== 1 && B.ndim !== 2) || B.shape[0] !== m) {
    throw new ShapeError(`${op}: incompatible dimensions: a has shape ${fmtShape(A.shape)}, b has shape ${fmtShape(B.shape)} (b must be (${m},) or (${m}, K))`);
  }
  const rcond = opts.rcond ?? EPS * Math.max(m, n);
  const x = matmul(Sp.pinv(A, { rcond, op }), B);
  const sv = Sp.singularValues(A, { op });
  const cut = multiply(max(sv, { axis: -1, keepdims: true }), rcond);
  const rank = sv.size === 0 ? s.convert(asarray(0), "int32") : s.convert(sum(greater(sv, cut)), "int32");
  let residuals: NDArray;
  if (m > n) {
    const r2 = absSquared(subtract(B, matmul(A, x)));
    residuals = B.ndim === 1 ? s.reshape(sum(r2), [1]) : sum(r2, { axis: 0 });
  } else {
    residuals = asarray(new Float64Array(0));
  }
  return [back(x, dtype), backReal(residuals, dtype), rank, backReal(sv, dtype)];
}

/**
 * `np.linalg.matrixPower(a, n)`: aⁿ for an integer n by repeated squaring; n = 0 gives the
 * identity, n < 0 the power of the inverse.
 * @example
 * np.linalg.matrixPower([[1, 1], [0, 1]], 3); // [[1, 3], [0, 1]]
 */
export function matrixPower(a: ArrayLike, n: number): NDArray {
  const op = "np.linalg.matrixPower";
  requireStatic(op, "n", n, "a count");
  if (!Number.isInteger(n)) throw new TypeError(`${op}: exponent must be an integer, got ${n}`);
  let A = asarray(a, undefined, op, "a");
  if (A.ndim < 2 || A.shape[A.ndim - 1] !== A.shape[A.ndim - 2]) {
    throw new ShapeError(`${op}: a must be a stack of square matrices (..., M, M); got shape ${fmtShape(A.shape)}`);
  }
  if (n === 0) return s.broadcastTo(s.convert(L.eyeOf(A.shape.slice(-2)), A.dtype), A.shape);
  if (n < 0) {
    A = inv(A);
    n = -n;
  }
  let result: NDArray | null = null;
  let base = A;
  for (;;) {
    if (n & 1) result = result === null ? base : matmul(result, base);
    n = Math.floor(n / 2);
    if (n === 0) break;
    base = matmul(base, base);
  }
  return result!;
}

// ---------------------------------------------------------------- norm

type Ord = number | "fro" | "nuc" | null | undefined;

/** √(Σ |x|²) with a zero gradient at x = 0 (the subgradient), instead of 0/0. */
function sqrtSumSquares(x: NDArray, axis: number[], keepdims: boolean): NDArray {
  const ss = sum(absSquared(x), { axis, keepdims });
  const zero = equal(ss, 0);
  return where(zero, 0, sqrt(where(zero, 1, ss)));
}

function vectorNorm(op: string, x: NDArray, ord: Ord, axis: number, keepdims: boolean): NDArray {
  const ax = [axis];
  if (ord === null || ord === undefined || ord === 2) return sqrtSumSquares(x, ax, keepdims);
  if (typeof ord === "string") throw new TypeError(`${op}: invalid norm order "${ord}" for vectors`);
  if (ord === Infinity) return max(modulus(x), { axis: ax, keepdims });
  if (ord === -Infinity) return min(modulus(x), { axis: ax, keepdims });
  if (ord === 0) return sum(s.convert(notEqual(absSquared(x), 0), "float64"), { axis: ax, keepdims });
  if (ord === 1) return sum(modulus(x), { axis: ax, keepdims });
  // (Σ |x|ᵖ)^(1/p), with a zero gradient where the whole vector is zero.
  const sp = sum(power(modulus(x), ord), { axis: ax, keepdims });
  const zero = equal(sp, 0);
  return where(zero, 0, power(where(zero, 1, sp), 1 / ord));
}

function matrixNorm(op: string, x: NDArray, ord: Ord, axes: [number, number], keepdims: boolean): NDArray {
  const [r, c] = axes;
  if (ord === null || ord === undefined || ord === "fro") return sqrtSumSquares(x, [r, c], keepdims);
  const restore = (y: NDArray) => (keepdims ? s.reshape(y, x.shape.map((d, i) => (i === r || i === c ? 1 : d))) : y);
  if (ord === "nuc" || ord === 2 || ord === -2) {
    const rest = x.shape.map((_, i) => i).filter((i) => i !== r && i !== c);
    const sv = Sp.singularValues(s.transpose(x, [...rest, r, c]), { op });
    const reduce = ord === "nuc" ? sum : ord === 2 ? max : min;
    return restore(reduce(sv, { axis: -1 }));
  }
  // 1 / −1: max / min over columns of the column sums (|x| summed down axis r); ±∞: the same for rows.
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    const [sumAxis, otherAxis] = Math.abs(ord) === 1 ? [r, c] : [c, r];
    const sums = sum(modulus(x), { axis: sumAxis, keepdims: true });
    const best = ord > 0 ? max(sums, { axis: otherAxis, keepdims: true }) : min(sums, { axis: otherAxis, keepdims: true });
    return keepdims ? best : s.reshape(best, x.shape.filter((_, i) => i !== r && i !== c));
  }
  throw new TypeError(`${op}: invalid norm order ${String(ord)} for matrices (use null, "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity)`);
}

/**
 * `np.linalg.norm(x, {ord, axis, keepdims})`: vector norms (ord 1, 2, ±∞, 0, any p) over one
 * axis, matrix norms ("fro", "nuc", 1, −1, 2, −2, ±∞) over two. Without `axis`: the 2-norm of the
 * flattened array when `ord` is not given, else a vector norm of a 1-D or a matrix norm of a 2-D
 * array. The 2-norm and Frobenius norm have gradient 0 at 0.
 * @example
 * np.linalg.norm([3, 4]); // 5
 * np.linalg.norm([[1, 2], [3, 4]], { ord: "fro" }); // 5.477225575051661
 */
export function norm(x: ArrayLike, opts: { ord?: Ord; axis?: number | readonly number[] | null; keepdims?: boolean } | Ord = {}): NDArray {
  opts = normOpts(opts);
  const op = "np.linalg.norm";
  requireStatic(op, "ord", opts.ord, "a number");
  requireStatic(op, "axis", opts.axis, "an axis");
  const [a, dtype] = floatArg(op, x, "x");
  const keepdims = opts.keepdims ?? false;
  const { ord } = opts;
  let axis = opts.axis;
  if (axis === null || axis === undefined) {
    if (ord === null || ord === undefined) {
      const flat = sqrtSumSquares(s.reshape(a, [a.size]), [0], false);
      return backReal(keepdims ? s.reshape(flat, a.shape.map(() => 1)) : flat, dtype);
    }
    if (a.ndim !== 1 && a.ndim !== 2) {
      throw new ShapeError(`${op}: improper number of dimensions to norm: shape ${fmtShape(a.shape)} with ord ${String(ord)} needs axis`);
    }
    axis = a.ndim === 1 ? [0] : [0, 1];
  }
  const axes = typeof axis === "number" ? [normAxis(op, axis, a.ndim)] : axis.map((ax) => normAxis(op, ax, a.ndim));
  if (axes.length === 1) return backReal(vectorNorm(op, a, ord, axes[0]!, keepdims), dtype);
  if (axes.length === 2) {
    if (axes[0] === axes[1]) throw new AxisError(`${op}: duplicate axes given: ${JSON.stringify(axis)}`);
    normAxes(op, axes, a.ndim);
    return backReal(matrixNorm(op, a, ord, axes as [number, number], keepdims), dtype);
  }
  throw new AxisError(`${op}: improper number of dimensions to norm: axis ${JSON.stringify(axis)} (give one axis or two)`);
}

/**
 * `np.linalg.svdvals(x)`: the singular values, descending (`svd` without the vectors).
 * @example
 * np.linalg.svdvals([[3, 0], [0, -4]]); // [4, 3]
 */
export const svdvals = (x: ArrayLike): NDArray => svd(x, { computeUv: false });

/**
 * `np.linalg.matrixRank(A, {tol})`: the number of singular values above `tol` (default
 * σ_max·max(M, N)·ε, as NumPy); a 1-D array has rank 1 unless it is all zeros.
 * @example
 * np.linalg.matrixRank([[1, 2], [2, 4]]); // 1
 */
export function matrixRank(A: ArrayLike, opts: { tol?: number | null } | number | null = {}): number {
  opts = matrixRankOpts(opts);
  requireStatic("np.linalg.matrixRank", "tol", opts.tol, "a number");
  const a = asarray(A, undefined, "np.linalg.matrixRank", "A");
  if (a.ndim < 2) return Number((absSquared(s.convert(a.reshape(-1), isComplex(a.dtype) ? "complex128" : "float64")).toArray() as number[]).some((v) => v !== 0));
  if (a.ndim > 2) throw new ShapeError(`np.linalg.matrixRank: one matrix at a time, got shape ${fmtShape(a.shape)}`);
  const sv = svdvals(a).toArray() as number[];
  if (sv.some((v) => Number.isNaN(v))) {
    // NumPy raises here too ("SVD did not converge"); JAX answers 0, a finite wrong rank.
    throw new DomainError(`np.linalg.matrixRank: A contains NaN or infinity (shape ${fmtShape(a.shape)}): its rank is undefined`);
  }
  const tol = opts.tol ?? (sv[0] ?? 0) * Math.max(a.shape[0]!, a.shape[1]!) * 2 ** -52;
  return sv.filter((v) => v > tol).length;
}

/**
 * `np.linalg.cond(x, {p})`: the condition number, σ_max/σ_min for p = 2 (default) or −2 for its
 * inverse, else ‖x‖ₚ·‖x⁻¹‖ₚ. Differentiable.
 * @example
 * np.linalg.cond([[2, 0], [0, 0.5]]); // 4
 */
export function cond(x: ArrayLike, opts: { p?: Ord } | Ord = {}): NDArray {
  opts = condOpts(opts);
  const p = opts.p ?? 2;
  if (p === 2 || p === -2) {
    const sv = svdvals(x);
    const [big, small] = [sv.get("...", 0), sv.get("...", -1)];
    return p === 2 ? big.div(small) : small.div(big);
  }
  const a = asarray(x, undefined, "np.linalg.cond", "x");
  const axes = { ord: p, axis: [-2, -1] };
  return norm(a, axes).mul(norm(inv(a), axes));
}

/**
 * `np.linalg.multiDot(arrays)`: the product of a chain of matrices, in the order of multiplications
 * that costs fewest flops (the classic matrix-chain dynamic programme); a 1-D first (last) array is
 * a row (column) vector, as in NumPy.
 * @example
 * np.linalg.multiDot([[[1, 2]], [[3], [4]], [[5, 6]]]); // [[55, 66]]
 */
export function multiDot(arrays: readonly ArrayLike[]): NDArray {
  const op = "np.linalg.multiDot";
  if (arrays.length < 2) throw new TypeError(`${op}: expecting at least two arrays, got ${arrays.length}`);
  const ms = arrays.map((x, i) => asarray(x, undefined, op, `arrays[${i}]`));
  const firstVec = ms[0]!.ndim === 1;
  const lastVec = ms[ms.length - 1]!.ndim === 1;
  if (firstVec) ms[0] = ms[0]!.reshape(1, -1);
  if (lastVec) ms[ms.length - 1] = ms[ms.length - 1]!.reshape(-1, 1);
  ms.forEach((m, i) => {
    if (m.ndim !== 2) throw new ShapeError(`${op}: arrays[${i}] must be 2-D (or 1-D at either end), got shape ${fmtShape(m.shape)}`);
  });
  const n = ms.length;
  const dims = [ms[0]!.shape[0]!, ...ms.map((m) => m.shape[1]!)];
  // cost[i][j]: fewest multiply-adds for ms[i] … ms[j]; split[i][j]: where the last product splits it.
  const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let len = 1; len < n; len++) {
    for (let i = 0; i + len < n; i++) {
      const j = i + len;
      cost[i]![j] = Infinity;
      for (let k = i; k < j; k++) {
        const c = cost[i]![k]! + cost[k + 1]![j]! + dims[i]! * dims[k + 1]! * dims[j + 1]!;
        if (c < cost[i]![j]!) [cost[i]![j], split[i]![j]] = [c, k];
      }
    }
  }
  const chain = (i: number, j: number): NDArray => (i === j ? ms[i]! : matmul(chain(i, split[i]![j]!), chain(split[i]![j]! + 1, j)));
  let out = chain(0, n - 1);
  if (firstVec && lastVec) return out.reshape([]);
  if (firstVec) out = out.reshape(-1);
  else if (lastVec) out = out.reshape(-1);
  return out;
}

/**
 * `np.linalg.tensorsolve(a, b)`: the x with `tensordot(a, x, x.ndim) = b`, x of shape
 * a.shape[b.ndim:] (whose size must equal b's): a reshaped to a square matrix and solved.
 * @example
 * np.linalg.tensorsolve(np.eye(4).reshape(2, 2, 2, 2), [[1, 2], [3, 4]]); // [[1, 2], [3, 4]]
 */
export function tensorsolve(a: ArrayLike, b: ArrayLike): NDArray {
  const op = "np.linalg.tensorsolve";
  const A = asarray(a, undefined, op, "a");
  const B = asarray(b, undefined, op, "b");
  const xShape = A.shape.slice(B.ndim);
  const n = xShape.reduce((p, d) => p * d, 1);
  if (B.size !== n || A.size !== n * n) {
    throw new ShapeError(`${op}: a of shape ${fmtShape(A.shape)} and b of shape ${fmtShape(B.shape)} do not make a square system (the solution's shape would be ${fmtShape(xShape)})`);
  }
  return solve(A.reshape(n, n), B.reshape(n)).reshape(xShape);
}

/**
 * `np.linalg.tensorinv(a, {ind = 2})`: the inverse of a with respect to tensordot over its first
 * `ind` axes: shape a.shape[ind:] + a.shape[:ind].
 * @example
 * np.linalg.tensorinv(np.eye(4).reshape(4, 2, 2), { ind: 1 }).shape; // [2, 2, 4]
 */
export function tensorinv(a: ArrayLike, opts: { ind?: number } | number = {}): NDArray {
  opts = tensorinvOpts(opts);
  const op = "np.linalg.tensorinv";
  requireStatic(op, "ind", opts.ind, "a count");
  const A = asarray(a, undefined, op, "a");
  const ind = opts.ind ?? 2;
  if (!Number.isInteger(ind) || ind <= 0) throw new RangeError(`${op}: ind must be a positive integer, got ${ind}`);
  const rows = A.shape.slice(0, ind).reduce((p, d) => p * d, 1);
  const cols = A.shape.slice(ind).reduce((p, d) => p * d, 1);
  if (rows !== cols) throw new ShapeError(`${op}: a of shape ${fmtShape(A.shape)} is not square over its first ${ind} axes (${rows} vs ${cols})`);
  return inv(A.reshape(rows, cols)).reshape([...A.shape.slice(ind), ...A.shape.slice(0, ind)]);
}
