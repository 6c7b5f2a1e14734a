/**
 * @file Linear-algebra primitives on stacks of matrices `[..., m, n]`, part one: the matrix
 * helpers every rule uses, triangular solve, LU, Cholesky and QR (linalg-spectral.ts has the
 * eigen- and singular-value decompositions). JVP rules are written with primitives, so derivatives
 * of any order work; `triangularSolve` is linear in b and has a transpose rule, so reverse mode is
 * JVP + transpose. Batching moves the batch axis to the front.
 */
import { ConcreteArray, type NDArray, type Aval } from "../core/ndarray.ts";
import { allocate, isComplex, type DType } from "../core/dtype.ts";
import { bind, bind1 } from "../core/trace.ts";
import { definePrimitive, isUndefinedPrimal, type Primitive, type BatchRule } from "../core/primitive.ts";
import { broadcastInDimP, matchBatch, moveaxis, reshape, transpose, slice, concatenate } from "./structural.ts";
import { add, sub, mul, addT, fullLike } from "./binary.ts";
import { neg } from "./unary.ts";
import { complex, conj, real } from "./complex.ts";
import { dotGeneral } from "./contraction.ts";
import * as K from "../kernels/linalg.ts";
import * as C from "../kernels/complex-linalg.ts";
import { DomainError, fmtShape } from "../core/errors.ts";

export const EPS = 2 ** -52;

// ---------------------------------------------------------------- matrix helpers (all primitives)

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Batched matrix product of `[..., n, k]` and `[..., k, m]` with equal leading dimensions. */
export function mm(a: NDArray, b: NDArray): NDArray {
  const nb = a.ndim - 2;
  return dotGeneral(a, b, { lhsContract: [nb + 1], rhsContract: [nb], lhsBatch: range(nb), rhsBatch: range(nb) });
}

/** The conjugate transpose (the plain transpose `mT` for real values). */
export const mH = (x: NDArray): NDArray => (isComplex(x.dtype) ? conj(mT(x)) : mT(x));

/** The real part of a complex array as a complex array (x itself for real values). */
export const realPart = (x: NDArray): NDArray => (isComplex(x.dtype) ? complex(real(x), fullLike(real(x), 0)) : x);

/** Swaps the last two axes. */
export function mT(x: NDArray): NDArray {
  const perm = range(x.ndim);
  perm[x.ndim - 2] = x.ndim - 1;
  perm[x.ndim - 1] = x.ndim - 2;
  return transpose(x, perm);
}

/**
 * A kernel result in the caller's dtype (kernels compute in float64): `data` holds one slot per
 * element for real dtypes, two interleaved (re, im) for complex ones.
 */
export function result(data: Float64Array, shape: readonly number[], dtype: DType): ConcreteArray {
  if (dtype === "float64" || dtype === "complex128") return new ConcreteArray(data, shape, dtype);
  const out = dtype === "complex64" ? new Float32Array(data.length) : allocate(dtype, data.length);
  out.set(data);
  return new ConcreteArray(out, shape, dtype);
}

/** A constant shaped and typed like `like` whose value at `[..., i, j]` is `f(i, j)`. */
export function pattern(like: Aval, f: (i: number, j: number) => number): ConcreteArray {
  const { shape } = like;
  const m = shape[shape.length - 2]!;
  const n = shape[shape.length - 1]!;
  const w = isComplex(like.dtype) ? 2 : 1;
  const data = new Float64Array(prod(shape) * w);
  for (let b = 0; b < data.length; b += m * n * w) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[b + (i * n + j) * w] = f(i, j);
  }
  return result(data, shape, like.dtype);
}

/** The identity matrices of `shape` (`[..., n, n]`). */
export const eyeOf = (shape: readonly number[], dtype: DType = "float64"): ConcreteArray =>
  pattern({ shape, dtype }, (i, j) => (i === j ? 1 : 0));
/** Entries on and below the k-th diagonal (the rest zero). */
export const tril = (x: NDArray, k = 0): NDArray => mul(x, pattern(x, (i, j) => (j - i <= k ? 1 : 0)));
/** Entries on and above the k-th diagonal (the rest zero). */
export const triu = (x: NDArray, k = 0): NDArray => mul(x, pattern(x, (i, j) => (j - i >= k ? 1 : 0)));
/**
 * The symmetric (Hermitian, for complex values) matrix that a function reading only the lower
 * triangle of `x` sees: tril(x) + tril(x, −1)ᵀ (or tril(x, −1)ᴴ).
 */
export const lowerSym = (x: NDArray): NDArray => add(tril(x), mH(tril(x, -1)));

/** The diagonals of `[..., n, n]`, as `[..., n]` (a reshape and a strided slice: linear). */
export function diagonal(x: NDArray): NDArray {
  const lead = x.shape.slice(0, -2);
  const n = x.shape[x.ndim - 1]!;
  if (n === 0) return reshape(x, [...lead, 0]);
  const flat = reshape(x, [...lead, n * n]);
  return slice(flat, [...lead.map(() => 0), 0], [...lead.map(() => 1), n + 1], [...lead, n]);
}

/** `[..., k]` → `[..., r, k]` with every row equal to the vector (`rows`), or `[..., k, r]` with every column (`cols`). */
export function spread(v: NDArray, r: number, as: "rows" | "cols"): NDArray {
  const nb = v.ndim - 1;
  const k = v.shape[nb]!;
  const lead = v.shape.slice(0, nb);
  const shape = as === "rows" ? [...lead, r, k] : [...lead, k, r];
  return bind1(broadcastInDimP, [v], { shape, dims: [...range(nb), as === "rows" ? nb + 1 : nb] });
}

/** `[...]` → `[..., m, n]`, constant over the last two axes. */
export const spreadScalar = (v: NDArray, m: number, n: number): NDArray =>
  bind1(broadcastInDimP, [v], { shape: [...v.shape, m, n], dims: range(v.ndim) });

/** Where in a stack a kernel failed: "a has shape (3, 3)" or "a has shape (5, 3, 3); matrix [2]". */
export function at(shape: readonly number[], core: number, b: number): string {
  const lead = shape.slice(0, shape.length - core);
  if (lead.length === 0) return `a has shape ${fmtShape(shape)}`;
  const idx: number[] = [];
  for (let i = lead.length - 1, r = b; i >= 0; i--) {
    idx.unshift(r % lead[i]!);
    r = Math.floor(r / lead[i]!);
  }
  return `a has shape ${fmtShape(shape)}; matrix [${idx.join(", ")}] of the stack`;
}

/** Batching for primitives on stacks of matrices: every batch axis to the front, then one call. */
export function batchAtFront<P>(prim: () => Primitive<P>): BatchRule<P> {
  return (args, dims, params, size) => {
    const outs = bind(prim(), args.map((x, i) => matchBatch(x, dims[i]!, size, 0)), params);
    return [outs, outs.map(() => 0)];
  };
}

/** How many matrices (of `core` trailing axes) a stack of `shape` holds. */
export const stackOf = (shape: readonly number[], core: number): number => prod(shape.slice(0, shape.length - core));

// ---------------------------------------------------------------- triangularSolve

export interface TriangularSolveParams {
  /** Read A's lower triangle (else its upper one). */
  readonly lower: boolean;
  /** Solve Aᵀ·X = B (else A·X = B); for complex values the plain transpose (not Aᴴ). */
  readonly transA: boolean;
  /** Take A's diagonal as ones (not read). */
  readonly unitDiagonal: boolean;
  /** The user function, for errors. */
  readonly op: string;
}

/**
 * Solves op(A)·X = B for `a: [..., n, n]`, `b: [..., n, k]` (equal leading dimensions), reading
 * only one triangle of A. Linear in B (transpose: solve with op(A)ᵀ); in A,
 * dX = −op(A)⁻¹·op(dA)·X with dA restricted to the triangle read.
 */
export const triangularSolveP: Primitive<TriangularSolveParams> = definePrimitive<TriangularSolveParams>({
  name: "triangularSolve",
  impl: ([a, b], p) => {
    const n = b!.shape[b!.ndim - 2]!;
    const k = b!.shape[b!.ndim - 1]!;
    const cplx = isComplex(b!.dtype);
    const out = new Float64Array(b!.size * (cplx ? 2 : 1));
    const count = stackOf(b!.shape, 2);
    for (let i = 0; i < count; i++) {
      const bad = cplx
        ? C.cTriangularSolve(a!.data, i * n * n, b!.data, i * n * k, out, i * n * k, n, k, p.lower, p.transA, false, p.unitDiagonal)
        : K.triangularSolve(a!.data, i * n * n, b!.data, i * n * k, out, i * n * k, n, k, p.lower, p.transA, p.unitDiagonal);
      if (bad >= 0) {
        throw new DomainError(`${p.op}: singular matrix: diagonal element ${bad} of the triangular factor is zero (${at(a!.shape, 2, i)})`);
      }
    }
    return [result(out, b!.shape, b!.dtype)];
  },
  abstractEval: ([, b]) => [b!],
  jvp: ([a], [ta, tb], [x], p) => {
    const fromB = tb && triangularSolve(a!, tb, p);
    let fromA: NDArray | null = null;
    if (ta) {
      const part = p.lower ? tril(ta, p.unitDiagonal ? -1 : 0) : triu(ta, p.unitDiagonal ? 1 : 0);
      fromA = neg(triangularSolve(a!, mm(p.transA ? mT(part) : part, x!), p));
    }
    return [addT(fromB, fromA)];
  },
  transpose: ([ct], [a, b], p) => {
    if (isUndefinedPrimal(a)) throw new TypeError("triangularSolve: the matrix is linear in a transpose, which is not a linear map");
    return [null, isUndefinedPrimal(b) ? triangularSolve(a as NDArray, ct!, { ...p, transA: !p.transA }) : null];
  },
  batch: ([a, b], [da, db], p, size) => {
    if (da === null) {
      // One matrix for the whole batch: the batch becomes extra right-hand-side columns.
      const bb = moveaxis(b!, db!, b!.ndim - 1);
      const shape = bb.shape;
      const cols = reshape(bb, [...shape.slice(0, -2), shape[shape.length - 2]! * size]);
      return [[reshape(triangularSolve(a!, cols, p), shape)], [shape.length - 1]];
    }
    return [[triangularSolve(moveaxis(a!, da, 0), matchBatch(b!, db!, size, 0), p)], [0]];
  },
});

export const triangularSolve = (a: NDArray, b: NDArray, p: TriangularSolveParams): NDArray => bind1(triangularSolveP, [a, b], p);

// ---------------------------------------------------------------- lu

export interface LuParams {
  readonly op: string;
  /** Raise a `DomainError` for a (numerically) singular matrix: a pivot ≤ n·ε·max|a|. */
  readonly check: boolean;
}

/**
 * P·A = L·U with partial pivoting, for `a: [..., n, n]`. Outputs the packed factors (L unit lower
 * below the diagonal, U on and above), the permutation matrix P and its determinant (±1).
 * JVP: with X = L⁻¹·P·dA·U⁻¹, dL = L·tril(X, −1) and dU = triu(X)·U.
 */
export const luP: Primitive<LuParams> = definePrimitive<LuParams>({
  name: "lu",
  impl: ([a], p) => {
    if (isComplex(a!.dtype)) return luComplex(a!, p);
    const n = a!.shape[a!.ndim - 1]!;
    const count = stackOf(a!.shape, 2);
    const lu = Float64Array.from(a!.data);
    const perm = new Float64Array(a!.size);
    const sign = new Float64Array(count);
    const order = new Int32Array(n);
    for (let i = 0; i < count; i++) {
      const off = i * n * n;
      let big = 0;
      for (let e = 0; e < n * n; e++) big = Math.max(big, Math.abs(lu[off + e]!));
      // With NaN or ±∞ in the matrix no pivot says "singular" (it is NaN or ∞ noise): the factors
      // carry them into the result, as NumPy and JAX do. Only an exactly zero pivot still raises.
      const finite = big - big === 0;
      const r = K.luFactor(lu, off, n, order, p.check && finite ? n * EPS * big : 0);
      const bad = r.badPivot >= 0 && (finite || lu[off + r.badPivot * n + r.badPivot] === 0);
      if (p.check && bad) {
        const exact = lu[off + r.badPivot * n + r.badPivot] === 0;
        throw new DomainError(
          `${p.op}: singular matrix: pivot ${r.badPivot} of its LU factorization is ${exact ? "zero" : "zero to working precision (|pivot| ≤ n·ε·max|a|)"} (${at(a!.shape, 2, i)})`,
        );
      }
      sign[i] = r.sign;
      for (let row = 0; row < n; row++) perm[off + row * n + order[row]!] = 1;
    }
    return [
      result(lu, a!.shape, a!.dtype),
      result(perm, a!.shape, a!.dtype),
      result(sign, a!.shape.slice(0, -2), a!.dtype),
    ];
  },
  abstractEval: ([a]) => [a!, a!, { shape: a!.shape.slice(0, -2), dtype: a!.dtype }],
  jvp: (_, [ta], [lu, perm], p) => {
    const op = `${p.op} (derivative)`;
    const y = triangularSolve(lu!, mm(perm!, ta!), { lower: true, transA: false, unitDiagonal: true, op });
    const x = mT(triangularSolve(lu!, mT(y), { lower: false, transA: true, unitDiagonal: false, op }));
    const l = add(tril(lu!, -1), eyeOf(lu!.shape, lu!.dtype));
    return [add(mm(l, tril(x, -1)), mm(triu(x), triu(lu!))), null, null];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => luP),
});

/** The complex kernel of `luP`: the same outputs, complex (the permutation and its sign real-valued). */
function luComplex(a: ConcreteArray, p: LuParams): ConcreteArray[] {
  const n = a.shape[a.ndim - 1]!;
  const count = stackOf(a.shape, 2);
  const lu = Float64Array.from(a.data);
  const perm = new Float64Array(2 * a.size);
  const sign = new Float64Array(2 * count);
  const order = new Int32Array(n);
  for (let i = 0; i < count; i++) {
    const off = i * n * n;
    let big = 0;
    for (let e = 0; e < n * n; e++) big = Math.max(big, Math.hypot(lu[2 * (off + e)]!, lu[2 * (off + e) + 1]!));
    const finite = big - big === 0;
    const r = C.cluFactor(lu, off, n, order, p.check && finite ? n * EPS * big : 0);
    const d = 2 * (off + r.badPivot * n + r.badPivot);
    const exact = r.badPivot >= 0 && lu[d] === 0 && lu[d + 1] === 0;
    if (p.check && r.badPivot >= 0 && (finite || exact)) {
      throw new DomainError(
        `${p.op}: singular matrix: pivot ${r.badPivot} of its LU factorization is ${exact ? "zero" : "zero to working precision (|pivot| ≤ n·ε·max|a|)"} (${at(a.shape, 2, i)})`,
      );
    }
    sign[2 * i] = r.sign;
    for (let row = 0; row < n; row++) perm[2 * (off + row * n + order[row]!)] = 1;
  }
  return [result(lu, a.shape, a.dtype), result(perm, a.shape, a.dtype), result(sign, a.shape.slice(0, -2), a.dtype)];
}

export const lu = (a: NDArray, p: LuParams): [NDArray, NDArray, NDArray] => bind(luP, [a], p) as [NDArray, NDArray, NDArray];

// ---------------------------------------------------------------- cholesky

export interface OpParams {
  readonly op: string;
}

/**
 * The lower Cholesky factor of `a: [..., n, n]` (L·Lᵀ = A, or L·Lᴴ = A for complex Hermitian A),
 * reading its lower triangle. JVP (Murray, 2016): dL = L·Φ(L⁻¹·dS·L⁻ᴴ), with dS the symmetric
 * (Hermitian) tangent seen through the lower triangle and Φ taking the lower triangle with the
 * real part of the diagonal halved.
 */
export const choleskyP: Primitive<OpParams> = definePrimitive<OpParams>({
  name: "cholesky",
  impl: ([a], p) => {
    const n = a!.shape[a!.ndim - 1]!;
    const cplx = isComplex(a!.dtype);
    const out = new Float64Array(a!.size * (cplx ? 2 : 1));
    const count = stackOf(a!.shape, 2);
    for (let i = 0; i < count; i++) {
      const bad = (cplx ? C.cCholesky : K.cholesky)(a!.data, i * n * n, n, out, i * n * n);
      if (bad >= 0) {
        throw new DomainError(
          `${p.op}: matrix is not positive definite: its leading minor of order ${bad + 1} is not positive (${at(a!.shape, 2, i)})`,
        );
      }
    }
    return [result(out, a!.shape, a!.dtype)];
  },
  abstractEval: ([a]) => [a!],
  jvp: (_, [ta], [l], p) => {
    const op = `${p.op} (derivative)`;
    const lower = { lower: true, transA: false, unitDiagonal: false, op };
    const y = triangularSolve(l!, lowerSym(ta!), lower); // L⁻¹·dS
    const z = triangularSolve(l!, mH(y), lower); // L⁻¹·dS·L⁻ᴴ (dS is symmetric, or Hermitian)
    // Φ(Z): the strict lower triangle and half the diagonal (real: L's diagonal stays real).
    const phi = add(mul(z, pattern(z, (i, j) => (i > j ? 1 : 0))), mul(realPart(z), pattern(z, (i, j) => (i === j ? 0.5 : 0))));
    return [mm(l!, phi)];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => choleskyP),
});

export const cholesky = (a: NDArray, p: OpParams): NDArray => bind1(choleskyP, [a], p);

// ---------------------------------------------------------------- qr

/** Params of the factorizations with a thin and a full form (QR, SVD). */
export interface FactorParams {
  /** Square orthogonal factors (Q m×m; U m×m and Vᵀ n×n) rather than thin ones (m×k, k×n), k = min(m, n). */
  readonly full: boolean;
  readonly op: string;
}

/** The last-axis columns `start … start+size−1` of `x`. */
function columns(x: NDArray, start: number, size: number): NDArray {
  const zeros = x.shape.map(() => 0);
  zeros[x.ndim - 1] = start;
  return slice(x, zeros, x.shape.map(() => 1), [...x.shape.slice(0, -1), size]);
}

/**
 * QR JVP for m ≥ n, thin (Townsend, 2018): with Z = dA·R⁻¹, C = Qᴴ·Z, Ω = tril(C, −1) − tril(C, −1)ᴴ
 * (plus i·Im(C_jj) on the diagonal for complex values, which keeps R's diagonal real, as JAX):
 * dQ = Q·(Ω − C) + Z, dR = (C − Ω)·R.
 */
function qrTangentTall(dA: NDArray, q: NDArray, r: NDArray, op: string): [NDArray, NDArray] {
  const z = mT(triangularSolve(r, mT(dA), { lower: false, transA: true, unitDiagonal: false, op }));
  const c = mm(mH(q), z);
  const low = tril(c, -1);
  let omega = sub(low, mH(low));
  if (isComplex(c.dtype)) omega = add(omega, mul(sub(c, realPart(c)), pattern(c, (i, j) => (i === j ? 1 : 0))));
  return [add(mm(q, sub(omega, c)), z), mm(sub(c, omega), r)];
}

/**
 * Householder QR of `a: [..., m, n]`: Q with orthonormal columns and R upper triangular (thin:
 * m×k and k×n; `full`: m×m and m×n). For m < n, A = [X | Y] with X square gives
 * dR = [dR_X | dQᵀ·Y + Qᵀ·dY]. The derivative needs R's leading k×k block nonsingular.
 */
export const qrP: Primitive<FactorParams> = definePrimitive<FactorParams>({
  name: "qr",
  impl: ([a], p) => {
    const [m, n] = a!.shape.slice(-2) as [number, number];
    const k = Math.min(m, n);
    const [qc, rr] = p.full ? [m, m] : [k, k];
    const count = stackOf(a!.shape, 2);
    const lead = a!.shape.slice(0, -2);
    const w = isComplex(a!.dtype) ? 2 : 1;
    const q = new Float64Array(count * m * qc * w);
    const r = new Float64Array(count * rr * n * w);
    for (let i = 0; i < count; i++) {
      const qi = new Float64Array(m * qc * w);
      const ri = new Float64Array(rr * n * w);
      (w === 2 ? C.cqr : K.qr)(a!.data, i * m * n, m, n, p.full, qi, ri);
      q.set(qi, i * m * qc * w);
      r.set(ri, i * rr * n * w);
    }
    return [result(q, [...lead, m, qc], a!.dtype), result(r, [...lead, rr, n], a!.dtype)];
  },
  abstractEval: ([a], p) => {
    const lead = a!.shape.slice(0, -2);
    const [m, n] = a!.shape.slice(-2) as [number, number];
    const k = p.full ? m : Math.min(m, n);
    return [
      { shape: [...lead, m, k], dtype: a!.dtype },
      { shape: [...lead, k, n], dtype: a!.dtype },
    ];
  },
  jvp: ([a], [ta], [q, r], p) => {
    const [m, n] = a!.shape.slice(-2) as [number, number];
    const op = `${p.op} (derivative)`;
    if (m >= n) {
      if (p.full && m > n) {
        throw new TypeError(
          `${p.op}: the derivative of the complete QR of a tall matrix (shape ${fmtShape(a!.shape)}) is undefined: ` +
            "the extra columns of Q are arbitrary. Use mode \"reduced\".",
        );
      }
      return qrTangentTall(ta!, q!, r!, op);
    }
    const [dq, dRx] = qrTangentTall(columns(ta!, 0, m), q!, columns(r!, 0, m), op);
    const y = columns(a!, m, n - m);
    const dRy = add(mm(mH(dq), y), mm(mH(q!), columns(ta!, m, n - m)));
    return [dq, concatenate([dRx, dRy], a!.ndim - 1)];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => qrP),
});

export const qr = (a: NDArray, p: FactorParams): [NDArray, NDArray] => bind(qrP, [a], p) as [NDArray, NDArray];

