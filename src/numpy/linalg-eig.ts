/**
 * @file `np.linalg.eig` and `np.linalg.eigvals` for general real or complex square matrices, and the
 * complex helpers the rest of `np.linalg` shares (moduli, complex log-determinants, operand pairs).
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { isComplex, type DType } from "../core/dtype.ts";
import { ShapeError, fmtShape } from "../core/errors.ts";
import { asarray } from "./creation.ts";
import * as s from "../primitives/structural.ts";
import * as E from "../primitives/linalg-eig.ts";
import { complex, imag, real } from "../primitives/complex.ts";
import { add, div, fullLike, mul } from "../primitives/binary.ts";
import { eq, select } from "../primitives/compare.ts";
import { abs, log, sqrt } from "../primitives/unary.ts";
import { reduceSum } from "../primitives/reduce.ts";

/** |x|² elementwise, real (x·x for real x). */
export function absSquared(x: NDArray): NDArray {
  if (!isComplex(x.dtype)) return mul(x, x);
  const re = real(x);
  const im = imag(x);
  return add(mul(re, re), mul(im, im));
}

/** |x| elementwise, real; for complex x with gradient 0 at x = 0 (the subgradient), not NaN. */
export function modulus(x: NDArray): NDArray {
  if (!isComplex(x.dtype)) return abs(x);
  const ss = absSquared(x);
  const zero = eq(ss, fullLike(ss, 0));
  return select(zero, fullLike(ss, 0), sqrt(select(zero, fullLike(ss, 1), ss)));
}

/** Both operands complex128 when either is complex (the primitives take equal dtypes). */
export function toComplexPair(a: NDArray, b: NDArray): [NDArray, NDArray] {
  if (isComplex(a.dtype) === isComplex(b.dtype)) return [a, b];
  return [s.convert(a, "complex128"), s.convert(b, "complex128")];
}

/**
 * The complex slogdet from LU's diagonal `d` (`[..., n]`) and the permutation's sign: sign =
 * sign(P)·∏ dᵢ/|dᵢ| (0 for a singular matrix, as NumPy) and log|det| = Σ log|dᵢ| (−∞ then).
 */
export function complexSlogdet(d: NDArray, permSign: NDArray): [NDArray, NDArray] {
  const mod = modulus(d);
  const zero = eq(mod, fullLike(mod, 0));
  const unit = div(d, complex(select(zero, fullLike(mod, 1), mod), fullLike(mod, 0)));
  const nd = d.ndim;
  const logAbs = reduceSum(log(mod), [nd - 1]);
  let sign = permSign;
  const n = d.shape[nd - 1]!;
  for (let i = 0; i < n; i++) {
    const start = d.shape.map(() => 0);
    start[nd - 1] = i;
    const col = s.reshape(s.slice(unit, start, d.shape.map(() => 1), [...d.shape.slice(0, -1), 1]), d.shape.slice(0, -1));
    sign = mul(sign, col);
  }
  const anyZero = eq(reduceSum(s.convert(zero, "float64"), [nd - 1]), fullLike(logAbs, 0));
  const zeroC = complex(fullLike(logAbs, 0), fullLike(logAbs, 0));
  return [select(anyZero, sign, zeroC), logAbs];
}

/**
 * A stack of square matrices `[..., n, n]`, as float64 or complex128, and the complex dtype of the
 * results: complex64 for float32 or complex64 input, else complex128 (as NumPy).
 */
function squareInput(op: string, x: ArrayLike): [NDArray, DType] {
  const a = asarray(x, undefined, op, "a");
  if (a.ndim < 2) {
    throw new ShapeError(`${op}: ${a.ndim}-dimensional array given (shape ${fmtShape(a.shape)}); a must be at least two-dimensional`);
  }
  const [m, n] = a.shape.slice(-2);
  if (m !== n) throw new ShapeError(`${op}: last 2 dimensions of a must be square; got shape ${fmtShape(a.shape)}`);
  const out: DType = a.dtype === "float32" || a.dtype === "complex64" ? "complex64" : "complex128";
  return [s.convert(a, isComplex(a.dtype) ? "complex128" : "float64"), out];
}

/**
 * `np.linalg.eig(a)`: `[w, v]`, the eigenvalues and right eigenvectors (columns of v, a·v = v·diag(w))
 * of each matrix of the stack, real or complex; both complex always (NumPy returns real arrays when
 * every eigenvalue of a real matrix is real; here the dtype never depends on the values). Written
 * here: Householder reduction to Hessenberg form with balancing, then Francis double-shift QR
 * (real input) or single-shift QR (complex input), and back substitution for the vectors.
 * Eigenvalues of a real matrix come in exact conjugate pairs, the one with positive imaginary part
 * first. Each eigenvector has unit 2-norm and its largest component real and positive (LAPACK's
 * geev normalisation; geev leaves a real eigenvector's sign as it comes). The order of the
 * eigenvalues is that of the Schur form, not sorted (NumPy's may differ for the same matrix).
 *
 * Derivatives: ẇ = diag(V⁻¹·ȧ·V) (JAX's rule), and for v the derivative of the normalised vectors.
 * The eigenvector derivative is undefined at repeated eigenvalues: a `DomainError` if a derivative
 * flows there (use `eigvals` when only eigenvalues are needed); at a defective matrix no derivative
 * exists. A non-finite entry gives NaN results.
 * @example
 * const [w, v] = np.linalg.eig([[0, -1], [1, 0]]);
 * w.toArray(); // [{ re: 0, im: 1 }, { re: 0, im: -1 }]
 */
export function eig(a: ArrayLike): [NDArray, NDArray] {
  const op = "np.linalg.eig";
  const [A, dtype] = squareInput(op, a);
  const [w, v] = E.eig(A, { op });
  return [s.convert(w, dtype), s.convert(v, dtype)];
}

/**
 * `np.linalg.eigvals(a)`: the eigenvalues of `eig` alone (complex). Their first derivative is
 * defined at repeated eigenvalues of a diagonalisable matrix too.
 * @example
 * np.linalg.eigvals([[2, 0], [0, 3]]).toArray(); // [{ re: 2, im: 0 }, { re: 3, im: 0 }]
 */
export function eigvals(a: ArrayLike): NDArray {
  const op = "np.linalg.eigvals";
  const [A, dtype] = squareInput(op, a);
  return s.convert(E.eigvals(A, { op }), dtype);
}
