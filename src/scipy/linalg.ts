/**
 * @file `scipy.linalg`: `solveTriangular` and `sqrtm`, on stacks of matrices, differentiable and
 * batchable like `np.linalg`.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray } from "../numpy/creation.ts";
import { broadcastShapes } from "../numpy/broadcast.ts";
import * as s from "../primitives/structural.ts";
import * as L from "../primitives/linalg.ts";
import * as Sp from "../primitives/linalg-spectral.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import * as P from "../core/parse.ts";

const solveTriangularOpts = P.options("scipy.linalg.solveTriangular", {
  lower: P.bool,
  trans: P.oneOf(0, 1, 2, "N", "T", "C"),
  unitDiagonal: P.bool,
});

/** `x` as float64, with the dtype results should have (float32 stays float32); complex input is refused. */
function floatArg(op: string, x: ArrayLike, arg: string): [NDArray, "float32" | "float64"] {
  const a = asarray(x, undefined, op, arg);
  if (a.dtype === "complex128" || a.dtype === "complex64") {
    throw new TypeError(`${op}: complex input is not supported (${arg} has dtype ${a.dtype}, shape ${fmtShape(a.shape)}); np.linalg takes complex matrices`);
  }
  return [s.convert(a, "float64"), a.dtype === "float32" ? "float32" : "float64"];
}

function squareArg(op: string, x: ArrayLike): [NDArray, "float32" | "float64"] {
  const [a, dtype] = floatArg(op, x, "a");
  if (a.ndim < 2 || a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) {
    throw new ShapeError(`${op}: a must be a square matrix or a stack of them (..., M, M); got shape ${fmtShape(a.shape)}`);
  }
  return [a, dtype];
}

/** The options of {@link solveTriangular}: SciPy's `lower`, `trans`, `unit_diagonal`, camel-cased. */
export interface SolveTriangularOptions {
  /** Use a's lower triangle (default: the upper one, as SciPy). */
  lower?: boolean;
  /** 0 / "N": a·x = b; 1 / "T" and 2 / "C" (the same for real a): aᵀ·x = b. */
  trans?: 0 | 1 | 2 | "N" | "T" | "C";
  /** Take a's diagonal as ones (it is not read). */
  unitDiagonal?: boolean;
}

/**
 * `scipy.linalg.solveTriangular(a, b, {lower = false, trans = 0, unitDiagonal = false})`: x with
 * a·x = b (or aᵀ·x = b) reading only one triangle of `a`. `b` is (M,) or (..., M, K), leading
 * dimensions broadcast. A zero on the diagonal raises a `DomainError`.
 * @example
 * scipy.linalg.solveTriangular([[2, 0], [1, 1]], [2, 3], { lower: true }); // [1, 2]
 */
export function solveTriangular(a: ArrayLike, b: ArrayLike, opts: SolveTriangularOptions = {}): NDArray {
  opts = solveTriangularOpts(opts);
  const op = "scipy.linalg.solveTriangular";
  const [A, dtype] = squareArg(op, a);
  const [B] = floatArg(op, b, "b");
  const trans = opts.trans ?? 0;
  if (![0, 1, 2, "N", "T", "C"].includes(trans)) throw new TypeError(`${op}: trans must be 0, 1, 2, "N", "T" or "C", got ${JSON.stringify(trans)}`);
  const n = A.shape[A.ndim - 1]!;
  const params = { lower: opts.lower ?? false, transA: trans !== 0 && trans !== "N", unitDiagonal: opts.unitDiagonal ?? false, op };
  const lead = A.shape.slice(0, -2);
  if (B.ndim === 1) {
    if (B.shape[0] !== n) throw new ShapeError(`${op}: shapes of a ${fmtShape(A.shape)} and b ${fmtShape(B.shape)} are incompatible`);
    const x = L.triangularSolve(A, s.broadcastTo(s.reshape(B, [n, 1]), [...lead, n, 1]), params);
    return s.convert(s.reshape(x, [...lead, n]), dtype);
  }
  if (B.ndim === 0 || B.shape[B.ndim - 2] !== n) {
    throw new ShapeError(`${op}: shapes of a ${fmtShape(A.shape)} and b ${fmtShape(B.shape)} are incompatible: b must be (${n},) or (..., ${n}, K)`);
  }
  const batch = broadcastShapes(`${op} (leading dimensions of a and b)`, lead, B.shape.slice(0, -2));
  const x = L.triangularSolve(s.broadcastTo(A, [...batch, n, n]), s.broadcastTo(B, [...batch, ...B.shape.slice(-2)]), params);
  return s.convert(x, dtype);
}

/**
 * `scipy.linalg.sqrtm(a)`: the principal square root X (X·X = a). Symmetric positive
 * semidefinite matrices use the eigendecomposition; others the scaled Denman–Beavers iteration.
 * Only real results: a matrix whose square root is complex (a negative eigenvalue) raises a
 * `DomainError`, where SciPy would return a complex array. The derivative solves X·dX + dX·X = dA
 * and is undefined at singular matrices (a `DomainError`).
 * @example
 * scipy.linalg.sqrtm([[4, 0], [0, 9]]); // [[2, 0], [0, 3]]
 */
export function sqrtm(a: ArrayLike): NDArray {
  const op = "scipy.linalg.sqrtm";
  const [A, dtype] = squareArg(op, a);
  return s.convert(Sp.sqrtm(A, { op }), dtype);
}
