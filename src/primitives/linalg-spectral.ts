/**
 * @file Linear-algebra primitives, part two: the symmetric eigendecomposition, the SVD and what is
 * built on them with its own derivative (pseudo-inverse, matrix square root and the Sylvester solve
 * of its JVP), and `guardedDiv`, the division by eigenvalue gaps that turns a derivative through a
 * repeated eigenvalue into a clear error. Helpers and conventions as in linalg.ts.
 */
import { type NDArray, type Aval, type ConcreteArray } from "../core/ndarray.ts";
import { isComplex, realDtype, type DType } from "../core/dtype.ts";
import { bind, bind1 } from "../core/trace.ts";
import { definePrimitive, isUndefinedPrimal, type Primitive } from "../core/primitive.ts";
import { convert, matchBatch } from "./structural.ts";
import { add, sub, mul, div, addT, fullLike, max } from "./binary.ts";
import { neg, abs, stopGradient } from "./unary.ts";
import { argmax, reduceMax, reduceSum } from "./reduce.ts";
import { eq } from "./compare.ts";
import { complex, conj, imag, real } from "./complex.ts";
import * as K from "../kernels/linalg.ts";
import * as C from "../kernels/complex-linalg.ts";
import * as CS from "../kernels/complex-spectral.ts";
import { cdiv } from "../kernels/eig.ts";
import { DomainError, fmtShape } from "../core/errors.ts";
import { EPS, at, batchAtFront, diagonal, eyeOf, lowerSym, mH, mm, mT, pattern, result, spread, spreadScalar, stackOf, type OpParams, type FactorParams } from "./linalg.ts";

// ---------------------------------------------------------------- guardedDiv

/** The user function, and what a failure means there, for the error message. */
export interface MessageParams {
  readonly op: string;
  readonly what: string;
}

export interface GuardedDivParams extends MessageParams {
  /** |d| at most this is a zero divisor. */
  readonly rtol: number;
}

/**
 * `x / d` elementwise, where a (near-)zero `d` is allowed only with `x = 0` exactly (giving 0):
 * the eigenvector and singular-vector derivatives divide by eigenvalue gaps this way, so a repeated
 * eigenvalue gives a clear error when, and only when, a derivative actually flows through the gap.
 * Linear in `x`; d(x/d) = dx/d − (x/d)·dd/d.
 */
export const guardedDivP: Primitive<GuardedDivParams> = definePrimitive<GuardedDivParams>({
  name: "guardedDiv",
  impl: ([x, d], p) => {
    if (isComplex(x!.dtype)) return [guardedDivComplex(x!, d!, p)];
    const out = new Float64Array(x!.size);
    const xd = x!.data;
    const dd = d!.data;
    for (let i = 0; i < out.length; i++) {
      if (Math.abs(dd[i]!) > p.rtol) out[i] = xd[i]! / dd[i]!;
      else if (xd[i] !== 0) throw new DomainError(`${p.op}: ${p.what}`);
    }
    return [result(out, x!.shape, x!.dtype)];
  },
  abstractEval: ([x]) => [x!],
  jvp: ([, d], [tx, td], [out], p) => [addT(tx && guardedDiv(tx, d!, p), td && neg(guardedDiv(mul(out!, td), d!, p)))],
  transpose: ([ct], [x, d], p) => {
    if (isUndefinedPrimal(d)) throw new TypeError("guardedDiv: the divisor is linear in a transpose, which is not a linear map");
    return [isUndefinedPrimal(x) ? guardedDiv(ct!, d as NDArray, p) : null, null];
  },
  batch: ([x, d], [dx, dd], p, size) => {
    const to = (dx ?? dd)!;
    return [[guardedDiv(matchBatch(x!, dx!, size, to), matchBatch(d!, dd!, size, to), p)], [to]];
  },
});

export const guardedDiv = (x: NDArray, d: NDArray, p: GuardedDivParams): NDArray => bind1(guardedDivP, [x, d], p);

/** The complex kernel of `guardedDivP`: |d| ≤ rtol is a zero divisor. */
function guardedDivComplex(x: ConcreteArray, d: ConcreteArray, p: GuardedDivParams): ConcreteArray {
  const out = new Float64Array(2 * x.size);
  const xd = x.data;
  const dd = d.data;
  for (let i = 0; i < x.size; i++) {
    const xr = xd[2 * i]!;
    const xi = xd[2 * i + 1]!;
    if (Math.hypot(dd[2 * i]!, dd[2 * i + 1]!) > p.rtol) [out[2 * i], out[2 * i + 1]] = cdiv(xr, xi, dd[2 * i]!, dd[2 * i + 1]!);
    else if (xr !== 0 || xi !== 0) throw new DomainError(`${p.op}: ${p.what}`);
  }
  return result(out, x.shape, x.dtype);
}

/** A positive scale per matrix, held constant for differentiation (the quotients below do not depend on it). */
const scaleOf = (w: NDArray): NDArray => {
  const m = reduceMax(abs(w), [w.ndim - 1]);
  return stopGradient(max(m, fullLike(m, Number.MIN_VALUE)));
};

/**
 * G with G_ij = x_ij / (w_j − w_i) off the diagonal and 0 on it (x: `[..., n, n]`, w: `[..., n]`,
 * real or complex; the quotient has x's dtype), raising `what` when two w coincide (to `rtol` of
 * max |w|) where x is nonzero.
 */
export function gapQuotient(x: NDArray, w: NDArray, op: string, what: string): NDArray {
  const n = w.shape[w.ndim - 1]!;
  const scale = spreadScalar(convert(scaleOf(w), x.dtype), n, n);
  const wx = convert(w, x.dtype);
  const gaps = add(div(sub(spread(wx, n, "rows"), spread(wx, n, "cols")), scale), eyeOf(x.shape, x.dtype));
  const q = guardedDiv(x, gaps, { rtol: 100 * Math.max(n, 1) * EPS, op, what });
  return div(mul(q, pattern(x, (i, j) => (i === j ? 0 : 1))), scale);
}

// ---------------------------------------------------------------- eigh, eigvalsh

/** The symmetric matrix of the lower triangle of matrix `i` of a stack. */
function lowerSymmetric(a: ConcreteArray, i: number, n: number): Float64Array {
  const s = new Float64Array(n * n);
  const off = i * n * n;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c <= r; c++) {
      s[r * n + c] = a.data[off + r * n + c]!;
      s[c * n + r] = a.data[off + r * n + c]!;
    }
  }
  return s;
}

function eigenKernel(a: ConcreteArray, vectors: boolean): ConcreteArray[] {
  const n = a.shape[a.ndim - 1]!;
  const count = stackOf(a.shape, 2);
  const cw = isComplex(a.dtype) ? 2 : 1;
  const w = new Float64Array(count * n);
  const v = new Float64Array(vectors ? a.size * cw : 0);
  for (let i = 0; i < count; i++) {
    const vi = vectors ? new Float64Array(n * n * cw) : null;
    const wi = new Float64Array(n);
    if (cw === 2) CS.cHermitianEigen(a.data, i * n * n, n, wi, vi);
    else K.symmetricEigen(lowerSymmetric(a, i, n), n, wi, vi);
    w.set(wi, i * n);
    if (vi) v.set(vi, i * n * n * cw);
  }
  const wOut = result(w, a.shape.slice(0, -1), realDtype(a.dtype));
  return vectors ? [wOut, result(v, a.shape, a.dtype)] : [wOut];
}

/** The tag eigvalsh and singularValues add to `op` when their JVP uses the vectors (only higher orders differentiate those). */
const SECOND = " (second derivative)";

/** The error for a derivative through a repeated eigenvalue or singular value. */
function repeated(op: string, values: "eigenvalues" | "singular values", alt: string): string {
  if (op.endsWith(SECOND)) {
    return `${values} are not twice differentiable where two of them coincide: the second derivative is undefined at repeated ${values}`;
  }
  const vectors = values === "eigenvalues" ? "eigenvectors" : "singular vectors";
  return `the derivative of the ${vectors} is undefined at repeated ${values} (a derivative flows through two ${values} that coincide). ${alt}`;
}

/**
 * The tangent of eigenvectors normalised as LAPACK's geev (unit 2-norm, largest-magnitude component
 * real and positive), from the tangent `d` of unnormalised ones at `v` (columns, `[..., n, n]`):
 * d − v·Re(vᴴd) − i·v·Im(d_k)/v_k per column, k the row of the column's largest |v| (chosen on the
 * primal, so constant). Complex values only.
 */
export function normalisedTangent(v: NDArray, d: NDArray): NDArray {
  const nd = v.ndim;
  const n = v.shape[nd - 1]!;
  const re = reduceSum(real(mul(conj(v), d)), [nd - 2]);
  const big = argmax(real(mul(conj(v), v)), nd - 2);
  const rows = pattern({ shape: v.shape, dtype: "int32" }, (i) => i);
  const mask = convert(eq(rows, spread(big, n, "rows")), v.dtype);
  const dk = reduceSum(mul(mask, d), [nd - 2]);
  const vk = reduceSum(real(mul(mask, v)), [nd - 2]);
  const fix = complex(re, div(imag(dk), vk));
  return sub(d, mul(v, spread(fix, n, "rows")));
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of the symmetric (complex: Hermitian)
 * matrices whose lower triangles `a: [..., n, n]` holds; eigenvalues are real. JVP with
 * M = Vᴴ·dA·V: dw = Re diag(M), dV = V·(F ∘ M), F_ij = 1/(w_j − w_i) off the diagonal (repeated
 * eigenvalues: a `DomainError` if used), plus, for complex values, the phase that keeps each
 * vector's largest component real (`normalisedTangent`).
 */
export const eighP: Primitive<OpParams> = definePrimitive<OpParams>({
  name: "eigh",
  impl: ([a]) => eigenKernel(a!, true),
  abstractEval: ([a]) => [{ shape: a!.shape.slice(0, -1), dtype: realDtype(a!.dtype) }, a!],
  jvp: (_, [ta], [w, v], p) => {
    const m = mm(mH(v!), mm(lowerSym(ta!), v!));
    const what = repeated(p.op, "eigenvalues", "If only eigenvalues are needed, use np.linalg.eigvalsh.");
    const dv = mm(v!, gapQuotient(m, w!, p.op, what));
    if (!isComplex(v!.dtype)) return [diagonal(m), dv];
    return [real(diagonal(m)), normalisedTangent(v!, dv)];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => eighP),
});

/**
 * Eigenvalues only. Its own primitive so that its first derivative, diag(Vᵀ·dA·V), never touches the
 * eigenvector derivative (fine at repeated eigenvalues); V comes from `eigh`, so higher orders do.
 */
export const eigvalshP: Primitive<OpParams> = definePrimitive<OpParams>({
  name: "eigvalsh",
  impl: ([a]) => eigenKernel(a!, false),
  abstractEval: ([a]) => [{ shape: a!.shape.slice(0, -1), dtype: realDtype(a!.dtype) }],
  jvp: ([a], [ta], _, p) => {
    const v = bind(eighP, [a!], { op: p.op + SECOND })[1]!;
    const prod = mul(isComplex(v.dtype) ? conj(v) : v, mm(lowerSym(ta!), v));
    return [reduceSum(isComplex(prod.dtype) ? real(prod) : prod, [v.ndim - 2])];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => eigvalshP),
});

export const eigh = (a: NDArray, p: OpParams): [NDArray, NDArray] => bind(eighP, [a], p) as [NDArray, NDArray];
export const eigvalsh = (a: NDArray, p: OpParams): NDArray => bind1(eigvalshP, [a], p);

// ---------------------------------------------------------------- svd, singularValues

function svdKernel(a: ConcreteArray, full: boolean, dtype: DType = a.dtype): ConcreteArray[] {
  const [m, n] = a.shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const [uc, vr] = full ? [m, n] : [k, k];
  const count = stackOf(a.shape, 2);
  const lead = a.shape.slice(0, -2);
  const w = isComplex(a.dtype) ? 2 : 1;
  const s = new Float64Array(count * k);
  const u = new Float64Array(count * m * uc * w);
  const vt = new Float64Array(count * vr * n * w);
  for (let i = 0; i < count; i++) {
    const si = new Float64Array(k);
    const ui = new Float64Array(m * uc * w);
    const vi = new Float64Array(vr * n * w);
    (w === 2 ? CS.csvd : K.svd)(a.data, i * m * n, m, n, full, si, ui, vi);
    s.set(si, i * k);
    u.set(ui, i * m * uc * w);
    vt.set(vi, i * vr * n * w);
  }
  return [
    result(u, [...lead, m, uc], dtype),
    result(s, [...lead, k], realDtype(dtype)),
    result(vt, [...lead, vr, n], dtype),
  ];
}

function svdAvals(a: Aval, full: boolean): Aval[] {
  const lead = a.shape.slice(0, -2);
  const [m, n] = a.shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  return [
    { shape: [...lead, m, full ? m : k], dtype: a.dtype },
    { shape: [...lead, k], dtype: realDtype(a.dtype) },
    { shape: [...lead, full ? n : k, n], dtype: a.dtype },
  ];
}

/** `x_ij / s_j` (x: `[..., r, k]`, real or complex; s: `[..., k]` real), raising where some s_j is zero and x nonzero. */
function perColumn(x: NDArray, sReal: NDArray, op: string): NDArray {
  const r = x.shape[x.ndim - 2]!;
  const k = sReal.shape[sReal.ndim - 1]!;
  const s = convert(sReal, x.dtype);
  const scale = spreadScalar(convert(scaleOf(sReal), x.dtype), r, k);
  const what =
    "the derivative of the singular vectors of a rank-deficient non-square matrix is undefined (a singular value is zero). " +
    "If only singular values are needed, use computeUv: false.";
  const q = guardedDiv(x, div(spread(s, r, "rows"), scale), { rtol: 100 * Math.max(r, k, 1) * EPS, op, what });
  return div(q, scale);
}

/**
 * A = U·diag(s)·Vᴴ for `a: [..., m, n]`, singular values descending (real). JVP (JAX's rule) with
 * dS = Uᴴ·dA·V and F_ij = 1/(s_j² − s_i²): ds = Re diag(dS),
 * dU = U·(F ∘ (dS·S + S·dSᴴ) + ½(dS − dSᴴ)∘I·S⁻¹) [+ (I − U·Uᴴ)·dA·V·S⁻¹ when m > n],
 * dV = V·(F ∘ (S·dS + dSᴴ·S)) [+ (I − V·Vᴴ)·dAᴴ·U·S⁻¹ when n > m]. The ½(dS − dSᴴ) diagonal
 * term (zero for real values) fixes the phase freedom of complex singular vector pairs as JAX does:
 * U and V are determined only up to a common phase per column, so only functions invariant to it
 * (U·S·Vᴴ, |U|, uₖ·vₖᴴ …) have derivatives that match finite differences.
 */
export const svdP: Primitive<FactorParams> = definePrimitive<FactorParams>({
  name: "svd",
  impl: ([a], p) => svdKernel(a!, p.full),
  abstractEval: ([a], p) => svdAvals(a!, p.full),
  jvp: ([a], [ta], [u, s, vt], p) => {
    const [m, n] = a!.shape.slice(-2) as [number, number];
    if (p.full && m !== n) {
      throw new TypeError(
        `${p.op}: the derivative of the full SVD of a non-square matrix (shape ${fmtShape(a!.shape)}) is undefined: ` +
          "the extra singular vectors are arbitrary. Use fullMatrices: false.",
      );
    }
    const cplx = isComplex(a!.dtype);
    const v = mH(vt!);
    const dS = mm(mH(u!), mm(ta!, v));
    const k = s!.shape[s!.ndim - 1]!;
    const s2 = mul(s!, s!);
    const sc = convert(s!, a!.dtype);
    const dSS = mul(dS, spread(sc, k, "rows"));
    const SdS = mul(spread(sc, k, "cols"), dS);
    const what = repeated(p.op, "singular values", "If only singular values are needed, use computeUv: false.");
    let du = mm(u!, gapQuotient(add(dSS, mH(dSS)), s2, p.op, what));
    let dv = mm(v, gapQuotient(add(SdS, mH(SdS)), s2, p.op, what));
    if (cplx) {
      const skew = mul(sub(dS, mH(dS)), pattern(dS, (i, j) => (i === j ? 0.5 : 0)));
      du = add(du, mm(u!, perColumn(skew, s!, p.op)));
    }
    if (m > n) {
      const dAV = mm(ta!, v);
      du = add(du, perColumn(sub(dAV, mm(u!, mm(mH(u!), dAV))), s!, p.op));
    }
    if (n > m) {
      const dAU = mm(mH(ta!), u!);
      dv = add(dv, perColumn(sub(dAU, mm(v, mm(vt!, dAU))), s!, p.op));
    }
    const ds = diagonal(dS);
    return [du, cplx ? real(ds) : ds, mH(dv)];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => svdP),
});

/** Singular values only; its first derivative diag(Uᵀ·dA·V) is defined at repeated singular values (see `eigvalshP`). */
export const singularValuesP: Primitive<OpParams> = definePrimitive<OpParams>({
  name: "singularValues",
  impl: ([a]) => [svdKernel(a!, false)[1]!],
  abstractEval: ([a]) => [svdAvals(a!, false)[1]!],
  jvp: ([a], [ta], _, p) => {
    const [u, , vt] = bind(svdP, [a!], { full: false, op: p.op + SECOND });
    if (!isComplex(a!.dtype)) return [reduceSum(mul(u!, mm(ta!, mT(vt!))), [u!.ndim - 2])];
    return [reduceSum(real(mul(conj(u!), mm(ta!, mH(vt!)))), [u!.ndim - 2])];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => singularValuesP),
});

export const svd = (a: NDArray, p: FactorParams): [NDArray, NDArray, NDArray] => bind(svdP, [a], p) as [NDArray, NDArray, NDArray];
export const singularValues = (a: NDArray, p: OpParams): NDArray => bind1(singularValuesP, [a], p);

// ---------------------------------------------------------------- pinv

export interface PinvParams {
  /** Singular values ≤ rcond·max(s) count as zero. */
  readonly rcond: number;
  readonly op: string;
}

/**
 * The Moore–Penrose pseudo-inverse of `a: [..., m, n]` (shape `[..., n, m]`) from the SVD. JVP at
 * constant rank (Golub & Pereyra, 1973), P = A⁺:
 * dP = −P·dA·P + P·Pᴴ·dAᴴ·(I − A·P) + (I − P·A)·dAᴴ·Pᴴ·P (ᴴ = ᵀ for real values).
 */
export const pinvP: Primitive<PinvParams> = definePrimitive<PinvParams>({
  name: "pinv",
  impl: ([a], p) => {
    if (isComplex(a!.dtype)) return [pinvComplex(a!, p)];
    const [u, s, vt] = svdKernel(a!, false, "float64") as [ConcreteArray, ConcreteArray, ConcreteArray];
    const [m, n] = a!.shape.slice(-2) as [number, number];
    const k = Math.min(m, n);
    const count = stackOf(a!.shape, 2);
    const out = new Float64Array(count * n * m);
    for (let b = 0; b < count; b++) {
      const cut = p.rcond * (k > 0 ? s.data[b * k]! : 0);
      if (cut !== cut) {
        // The SVD of a matrix with NaN or ±∞ is NaN, and so is its pseudo-inverse (as JAX).
        out.fill(NaN, b * n * m, (b + 1) * n * m);
        continue;
      }
      for (let l = 0; l < k; l++) {
        const sv = s.data[b * k + l]!;
        if (!(sv > cut)) continue;
        for (let i = 0; i < n; i++) {
          const f = vt.data[b * k * n + l * n + i]! / sv;
          for (let j = 0; j < m; j++) out[b * n * m + i * m + j]! += f * u.data[b * m * k + j * k + l]!;
        }
      }
    }
    return [result(out, [...a!.shape.slice(0, -2), n, m], a!.dtype)];
  },
  abstractEval: ([a]) => {
    const [m, n] = a!.shape.slice(-2) as [number, number];
    return [{ shape: [...a!.shape.slice(0, -2), n, m], dtype: a!.dtype }];
  },
  jvp: ([a], [ta], [pa]) => {
    const p = pa!;
    const dAt = mH(ta!);
    const t1 = neg(mm(p, mm(ta!, p)));
    const t2 = mm(mm(p, mH(p)), sub(dAt, mm(mm(dAt, a!), p)));
    const t3 = mm(sub(dAt, mm(mm(p, a!), dAt)), mm(mH(p), p));
    return [add(t1, add(t2, t3))];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => pinvP),
});

export const pinv = (a: NDArray, p: PinvParams): NDArray => bind1(pinvP, [a], p);

function pinvComplex(a: ConcreteArray, p: PinvParams): ConcreteArray {
  const [m, n] = a.shape.slice(-2) as [number, number];
  const count = stackOf(a.shape, 2);
  const out = new Float64Array(2 * count * n * m);
  for (let b = 0; b < count; b++) CS.cPinv(a.data, b * m * n, m, n, p.rcond, out, b * n * m);
  return result(out, [...a.shape.slice(0, -2), n, m], a.dtype);
}

// ---------------------------------------------------------------- sqrtm, sylvester

/**
 * Solves X·Y + Y·X = C for `x, c: [..., n, n]`. Linear in C, with transpose C ↦ the solve with Xᵀ;
 * in X, dY = −sylvester(X, dX·Y + Y·dX). Raises where X has eigenvalues λᵢ + λⱼ = 0.
 */
export const sylvesterP: Primitive<MessageParams> = definePrimitive<MessageParams>({
  name: "sylvester",
  impl: ([x, c], p) => {
    const n = x!.shape[x!.ndim - 1]!;
    const out = new Float64Array(c!.size);
    const count = stackOf(x!.shape, 2);
    for (let i = 0; i < count; i++) {
      if (!K.sylvester(x!.data, i * n * n, c!.data, i * n * n, n, out, i * n * n)) {
        throw new DomainError(`${p.op}: ${p.what} (${at(x!.shape, 2, i)})`);
      }
    }
    return [result(out, c!.shape, c!.dtype)];
  },
  abstractEval: ([, c]) => [c!],
  jvp: ([x], [tx, tc], [y], p) => [
    addT(tc && sylvester(x!, tc, p), tx && neg(sylvester(x!, add(mm(tx, y!), mm(y!, tx)), p))),
  ],
  transpose: ([ct], [x, c], p) => {
    if (isUndefinedPrimal(x)) throw new TypeError("sylvester: the coefficient matrix is linear in a transpose, which is not a linear map");
    return [null, isUndefinedPrimal(c) ? sylvester(mT(x as NDArray), ct!, p) : null];
  },
  batch: batchAtFront(() => sylvesterP),
});

export const sylvester = (x: NDArray, c: NDArray, p: MessageParams): NDArray => bind1(sylvesterP, [x, c], p);

/** Symmetric matrices (to this relative tolerance) take the eigendecomposition path of `sqrtm`. */
const SYMMETRIC_RTOL = 1e-12;

function sqrtmOne(a: Float64Array, n: number, op: string, where: string): Float64Array {
  if (K.isSymmetric(a, 0, n, SYMMETRIC_RTOL)) {
    const s = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = (a[i * n + j]! + a[j * n + i]!) / 2;
    const w = new Float64Array(n);
    const v = new Float64Array(n * n);
    K.symmetricEigen(s, n, w, v);
    const big = Math.max(0, ...Array.from(w, Math.abs));
    if (n > 0 && w[0]! < -100 * n * EPS * big) {
      throw new DomainError(
        `${op}: the symmetric matrix has a negative eigenvalue ${w[0]}, so its principal square root is complex, ` +
          `which autograd-ts does not support (${where})`,
      );
    }
    const out = new Float64Array(n * n);
    for (let l = 0; l < n; l++) {
      const r = Math.sqrt(Math.max(w[l]!, 0));
      if (r === 0) continue;
      for (let i = 0; i < n; i++) {
        const f = r * v[i * n + l]!;
        for (let j = 0; j <= i; j++) out[i * n + j]! += f * v[j * n + l]!;
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j]!;
    return out;
  }
  const y = K.sqrtmGeneral(a, n);
  if (y === null) {
    throw new DomainError(
      `${op}: no real principal square root found: the matrix is singular or has eigenvalues on or near the ` +
        `closed negative real axis (complex results are not supported) (${where})`,
    );
  }
  return y;
}

/**
 * The principal square root X (X·X = A) of `a: [..., n, n]`: by eigendecomposition for symmetric
 * positive semidefinite matrices, by the scaled Denman–Beavers iteration otherwise (real results
 * only). JVP: X·dX + dX·X = dA, a Sylvester equation.
 */
export const sqrtmP: Primitive<OpParams> = definePrimitive<OpParams>({
  name: "sqrtm",
  impl: ([a], p) => {
    const n = a!.shape[a!.ndim - 1]!;
    const out = new Float64Array(a!.size);
    const count = stackOf(a!.shape, 2);
    for (let i = 0; i < count; i++) {
      out.set(sqrtmOne(Float64Array.from(a!.data.subarray(i * n * n, (i + 1) * n * n)), n, p.op, at(a!.shape, 2, i)), i * n * n);
    }
    return [result(out, a!.shape, a!.dtype)];
  },
  abstractEval: ([a]) => [a!],
  jvp: (_, [ta], [x], p) => [
    sylvester(x!, ta!, {
      op: p.op,
      what: "the derivative is undefined: the square root is singular (the matrix has a zero eigenvalue)",
    }),
  ],
  transpose: "nonlinear",
  batch: batchAtFront(() => sqrtmP),
});

export const sqrtm = (a: NDArray, p: OpParams): NDArray => bind1(sqrtmP, [a], p);

// ---------------------------------------------------------------- det, adjugate

/**
 * The determinant of `a: [..., n, n]` (shape `[...]`), from LU. JVP: d det = tr(adj(A)·dA), with the
 * adjugate rather than det(A)·A⁻¹, so the gradient at a singular matrix is the adjugate's transpose
 * (as JAX), not an error: for [[1, 2], [2, 4]] it is [[4, −2], [−2, 1]], and 0 at rank ≤ n − 2.
 */
export const detP: Primitive<OpParams> = definePrimitive<OpParams>({
  name: "det",
  impl: ([a]) => {
    const n = a!.shape[a!.ndim - 1]!;
    const count = stackOf(a!.shape, 2);
    const cplx = isComplex(a!.dtype);
    const out = new Float64Array(count * (cplx ? 2 : 1));
    for (let i = 0; i < count; i++) {
      if (cplx) [out[2 * i], out[2 * i + 1]] = C.cDeterminant(a!.data, i * n * n, n);
      else out[i] = K.determinant(a!.data, i * n * n, n);
    }
    return [result(out, a!.shape.slice(0, -2), a!.dtype)];
  },
  abstractEval: ([a]) => [{ shape: a!.shape.slice(0, -2), dtype: a!.dtype }],
  jvp: ([a], [ta], _, p) => [reduceSum(mul(mT(adjugate(a!, p)), ta!), [a!.ndim - 2, a!.ndim - 1])],
  transpose: "nonlinear",
  batch: batchAtFront(() => detP),
});

export const det = (a: NDArray, p: OpParams): NDArray => bind1(detP, [a], p);

/**
 * The adjugate adj(A) of `a: [..., n, n]`, singular matrices included (kernel: from the SVD). JVP:
 * for n = 2 adj(A) = tr(A)·I − A is linear, so d adj = tr(dA)·I − dA; for n ≥ 3, from adj = det·A⁻¹,
 * d adj = (tr(adj·dA)·adj − adj·dA·adj) / det, which needs det ≠ 0 (at a singular matrix the second
 * derivative of `det` is NaN); adj of a 1×1 matrix is the constant 1.
 */
export const adjugateP: Primitive<OpParams> = definePrimitive<OpParams>({
  name: "adjugate",
  impl: ([a]) => {
    const n = a!.shape[a!.ndim - 1]!;
    const count = stackOf(a!.shape, 2);
    const cplx = isComplex(a!.dtype);
    const out = new Float64Array(a!.size * (cplx ? 2 : 1));
    for (let i = 0; i < count; i++) (cplx ? CS.cAdjugate : K.adjugate)(a!.data, i * n * n, n, out, i * n * n);
    return [result(out, a!.shape, a!.dtype)];
  },
  abstractEval: ([a]) => [a!],
  jvp: ([a], [ta], [adj], p) => {
    const n = a!.shape[a!.ndim - 1]!;
    const nd = a!.ndim;
    if (n <= 1) return [fullLike(ta!, 0)];
    const trace = reduceSum(mul(ta!, eyeOf(ta!.shape, ta!.dtype)), [nd - 2, nd - 1]);
    if (n === 2) return [sub(mul(spreadScalar(trace, n, n), eyeOf(ta!.shape, ta!.dtype)), ta!)];
    const dDet = reduceSum(mul(mT(adj!), ta!), [nd - 2, nd - 1]);
    const num = sub(mul(spreadScalar(dDet, n, n), adj!), mm(adj!, mm(ta!, adj!)));
    return [div(num, spreadScalar(det(a!, p), n, n))];
  },
  transpose: "nonlinear",
  batch: batchAtFront(() => adjugateP),
});

export const adjugate = (a: NDArray, p: OpParams): NDArray => bind1(adjugateP, [a], p);
