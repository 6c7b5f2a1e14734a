/**
 * @file The general eigendecomposition as primitives: `eig` (eigenvalues and right eigenvectors of
 * real or complex square matrices; complex results) and `eigvals`, with JAX's derivative of the
 * eigenvalues, λ̇ = diag(V⁻¹·Ȧ·V), and the eigenvector derivative of the LAPACK-normalised vectors.
 */
import { ConcreteArray, type NDArray, type Aval } from "../core/ndarray.ts";
import { complexDtype, isComplex } from "../core/dtype.ts";
import { bind } from "../core/trace.ts";
import { definePrimitive, type Primitive } from "../core/primitive.ts";
import { convert } from "./structural.ts";
import { eigReal } from "../kernels/eig.ts";
import { eigComplex } from "../kernels/eig-complex.ts";
import { DomainError } from "../core/errors.ts";
import { at, batchAtFront, diagonal, lu, mm, result, stackOf, triangularSolve, type OpParams } from "./linalg.ts";
import { gapQuotient, normalisedTangent } from "./linalg-spectral.ts";

function eigKernel(a: ConcreteArray, vectors: boolean, op: string): ConcreteArray[] {
  const n = a.shape[a.ndim - 1]!;
  const count = stackOf(a.shape, 2);
  const cplx = isComplex(a.dtype);
  const w = new Float64Array(2 * count * n);
  const v = vectors ? new Float64Array(2 * count * n * n) : null;
  const wi = new Float64Array(2 * n);
  const vi = vectors ? new Float64Array(2 * n * n) : null;
  for (let i = 0; i < count; i++) {
    const ok = (cplx ? eigComplex : eigReal)(a.data, i * n * n, n, wi, vi);
    if (!ok && allFinite(a, i, n * n * (cplx ? 2 : 1))) {
      throw new DomainError(`${op}: the QR algorithm did not converge (${at(a.shape, 2, i)})`);
    }
    // Non-finite input gives NaN eigenvalues and vectors (as JAX; NumPy raises).
    w.set(wi, 2 * i * n);
    if (v) v.set(vi!, 2 * i * n * n);
  }
  const cd = complexDtype(a.dtype);
  const wOut = result(w, a.shape.slice(0, -1), cd);
  return v ? [wOut, result(v, a.shape, cd)] : [wOut];
}

function allFinite(a: ConcreteArray, i: number, len: number): boolean {
  for (let k = i * len; k < (i + 1) * len; k++) if (a.data[k]! - a.data[k]! !== 0) return false;
  return true;
}

const eigAvals = (a: Aval, vectors: boolean): Aval[] => {
  const cd = complexDtype(a.dtype);
  const w = { shape: a.shape.slice(0, -1), dtype: cd };
  return vectors ? [w, { shape: a.shape, dtype: cd }] : [w];
};

/** V⁻¹·(Ȧ·V) by V's LU factors, Ȧ taken complex. */
function similar(v: NDArray, ta: NDArray, op: string): NDArray {
  const dA = convert(ta, v.dtype);
  const [f, perm] = lu(v, { op, check: false });
  const y = triangularSolve(f, mm(perm, mm(dA, v)), { lower: true, transA: false, unitDiagonal: true, op });
  return triangularSolve(f, y, { lower: false, transA: false, unitDiagonal: false, op });
}

/** The tag `eigvals` adds to `op` when its JVP takes the vectors from `eig`. */
const SECOND = " (second derivative)";

/**
 * Eigenvalues `w: [..., n]` and right eigenvectors `v: [..., n, n]` (columns; unit 2-norm, largest
 * component real and positive) of `a: [..., n, n]`, real or complex; both complex. JVP with
 * M = V⁻¹·Ȧ·V: ẇ = diag(M) (JAX's), and V̇ = V·(F ∘ M), F_ij = 1/(w_j − w_i) off the diagonal,
 * projected onto the normalisation (`normalisedTangent`). The eigenvector derivative does not exist
 * at repeated eigenvalues (nor, numerically, near them): a `DomainError` if a derivative flows
 * there. For a defective matrix V is singular and no derivative exists at all.
 */
export const eigP: Primitive<OpParams> = definePrimitive<OpParams>({
  name: "eig",
  impl: ([a], p) => eigKernel(a!, true, p.op),
  abstractEval: ([a]) => eigAvals(a!, true),
  jvp: (_, [ta], [w, v], p) => {
    const op = `${p.op} (derivative)`;
    const m = similar(v!, ta!, op);
    const what = p.op.endsWith(SECOND)
      ? "eigenvalues are not twice differentiable where two of them coincide: the second derivative is undefined at repeated eigenvalues"
      : "the derivative of the eigenvectors is undefined at repeated eigenvalues (a derivative flows through two eigenvalues that coincide). If only eigenvalues are needed, use np.linalg.eigvals.";
    return [diagonal(m), normalisedTangent(v!, mm(v!, gapQuotient(m, w!, p.op, what)))];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => eigP),
});

/**
 * Eigenvalues only. Its first derivative diag(V⁻¹·Ȧ·V) needs no eigenvalue gaps, so it exists at
 * repeated (non-defective) eigenvalues; V comes from `eig`, so higher orders use its derivative.
 */
export const eigvalsP: Primitive<OpParams> = definePrimitive<OpParams>({
  name: "eigvals",
  impl: ([a], p) => eigKernel(a!, false, p.op),
  abstractEval: ([a]) => eigAvals(a!, false),
  jvp: ([a], [ta], _, p) => {
    const v = bind(eigP, [a!], { op: p.op + SECOND })[1]!;
    return [diagonal(similar(v, ta!, `${p.op} (derivative)`))];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => eigvalsP),
});

export const eig = (a: NDArray, p: OpParams): [NDArray, NDArray] => bind(eigP, [a], p) as [NDArray, NDArray];
export const eigvals = (a: NDArray, p: OpParams): NDArray => bind(eigvalsP, [a], p)[0]!;
