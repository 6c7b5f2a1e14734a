/**
 * @file Dense linear algebra on complex matrices, one row-major matrix at a time, complex values
 * interleaved (re, im) in Float64Arrays: LU with partial pivoting (solve, inverse, determinant,
 * log-determinant), triangular solves, Hermitian Cholesky and Householder QR (complex-spectral.ts
 * has the SVD and the Hermitian eigendecomposition). Offsets count complex elements.
 */
import { cdiv } from "./eig.ts";

/**
 * LU with partial pivoting of the complex n×n matrix in `lu` (overwritten, at complex offset `off`):
 * P·A = L·U, L unit lower below the diagonal, U upper. Pivots by |re| + |im| as LAPACK's zgetrf.
 * `perm[i]` is the row of A that became row i. Returns the permutation's sign and the first pivot
 * that is zero, NaN or, with `tol > 0`, at most `tol` in magnitude (−1 if none).
 */
export function cluFactor(lu: Float64Array, off: number, n: number, perm: Int32Array, tol = 0): { sign: number; badPivot: number } {
  const o = 2 * off;
  let sign = 1;
  let badPivot = -1;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = -1;
    for (let i = k; i < n; i++) {
      const m = Math.abs(lu[o + 2 * (i * n + k)]!) + Math.abs(lu[o + 2 * (i * n + k) + 1]!);
      if (m > best) {
        best = m;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < 2 * n; j++) {
        const t = lu[o + 2 * k * n + j]!;
        lu[o + 2 * k * n + j] = lu[o + 2 * p * n + j]!;
        lu[o + 2 * p * n + j] = t;
      }
      const t = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = t;
      sign = -sign;
    }
    const pr = lu[o + 2 * (k * n + k)]!;
    const pi = lu[o + 2 * (k * n + k) + 1]!;
    if (pr === 0 && pi === 0) {
      if (badPivot < 0) badPivot = k;
      continue;
    }
    if (badPivot < 0 && (Number.isNaN(pr) || Number.isNaN(pi) || Math.hypot(pr, pi) <= tol)) badPivot = k;
    for (let i = k + 1; i < n; i++) {
      const [fr, fi] = cdiv(lu[o + 2 * (i * n + k)]!, lu[o + 2 * (i * n + k) + 1]!, pr, pi);
      lu[o + 2 * (i * n + k)] = fr;
      lu[o + 2 * (i * n + k) + 1] = fi;
      if (fr === 0 && fi === 0) continue;
      for (let j = k + 1; j < n; j++) {
        const ur = lu[o + 2 * (k * n + j)]!;
        const ui = lu[o + 2 * (k * n + j) + 1]!;
        lu[o + 2 * (i * n + j)] = lu[o + 2 * (i * n + j)]! - (fr * ur - fi * ui);
        lu[o + 2 * (i * n + j) + 1] = lu[o + 2 * (i * n + j) + 1]! - (fr * ui + fi * ur);
      }
    }
  }
  return { sign, badPivot };
}

/**
 * Solves op(A)·X = B for X (n×k, complex), A (n×n at complex offset `aOff`) read only in its lower
 * or upper triangle, op(A) = A, Aᵀ (`trans`) or Aᴴ (`trans` and `conj`); a unit diagonal when
 * `unit`. X into `x` at `xOff` (`x` may be `b`). Returns the first zero diagonal (−1 if none).
 */
export function cTriangularSolve(
  a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, x: Float64Array, xOff: number,
  n: number, k: number, lower: boolean, trans: boolean, conj: boolean, unit: boolean,
): number {
  const ao = 2 * aOff;
  const xo = 2 * xOff;
  if (x !== b || xOff !== bOff) for (let i = 0; i < 2 * n * k; i++) x[xo + i] = b[2 * bOff + i]!;
  if (!unit) {
    for (let i = 0; i < n; i++) if (a[ao + 2 * (i * n + i)] === 0 && a[ao + 2 * (i * n + i) + 1] === 0) return i;
  }
  const forward = lower !== trans;
  const cs = conj ? -1 : 1;
  // op(A)[i][j] as (re, im).
  const idx = trans ? (i: number, j: number): number => ao + 2 * (j * n + i) : (i: number, j: number): number => ao + 2 * (i * n + j);
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    const jStart = forward ? 0 : i + 1;
    const jEnd = forward ? i : n;
    for (let j = jStart; j < jEnd; j++) {
      const p = idx(i, j);
      const ar = a[p]!;
      const ai = cs * a[p + 1]!;
      if (ar === 0 && ai === 0) continue;
      for (let c = 0; c < k; c++) {
        const xr = x[xo + 2 * (j * k + c)]!;
        const xi = x[xo + 2 * (j * k + c) + 1]!;
        x[xo + 2 * (i * k + c)] = x[xo + 2 * (i * k + c)]! - (ar * xr - ai * xi);
        x[xo + 2 * (i * k + c) + 1] = x[xo + 2 * (i * k + c) + 1]! - (ar * xi + ai * xr);
      }
    }
    if (!unit) {
      const p = idx(i, i);
      const dr = a[p]!;
      const di = cs * a[p + 1]!;
      for (let c = 0; c < k; c++) {
        const q = xo + 2 * (i * k + c);
        [x[q], x[q + 1]] = cdiv(x[q]!, x[q + 1]!, dr, di);
      }
    }
  }
  return -1;
}

/**
 * Solves A·X = B with the factors of `cluFactor` (`lu` at complex offset `luOff`, `perm`): B (n×k at
 * `bOff` in `b`) into `x` at `xOff`.
 */
export function cluSolve(lu: ArrayLike<number>, luOff: number, perm: Int32Array, b: ArrayLike<number>, bOff: number, x: Float64Array, xOff: number, n: number, k: number): void {
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2 * k; c++) x[2 * xOff + 2 * i * k + c] = b[2 * bOff + 2 * perm[i]! * k + c]!;
  }
  cTriangularSolve(lu, luOff, x, xOff, x, xOff, n, k, true, false, false, true);
  cTriangularSolve(lu, luOff, x, xOff, x, xOff, n, k, false, false, false, false);
}

/** The inverse of the complex n×n matrix at complex offset `off` of `a`, or null when singular. */
export function cInvert(a: ArrayLike<number>, off: number, n: number): Float64Array | null {
  const lu = Float64Array.from({ length: 2 * n * n }, (_, i) => a[2 * off + i]!);
  const perm = new Int32Array(n);
  if (cluFactor(lu, 0, n, perm).badPivot >= 0) return null;
  const eye = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) eye[2 * (i * n + i)] = 1;
  const x = new Float64Array(2 * n * n);
  cluSolve(lu, 0, perm, eye, 0, x, 0, n, n);
  return x;
}

/**
 * sign(det A) (a unit complex number, or 0) and log|det A| of the complex n×n matrix at complex
 * offset `off`, as NumPy's slogdet: [signRe, signIm, logAbs], logAbs = −∞ for a singular matrix.
 */
export function cSlogdet(a: ArrayLike<number>, off: number, n: number): [number, number, number] {
  const lu = Float64Array.from({ length: 2 * n * n }, (_, i) => a[2 * off + i]!);
  const perm = new Int32Array(n);
  const { sign } = cluFactor(lu, 0, n, perm);
  let sr = sign;
  let si = 0;
  let logAbs = 0;
  for (let i = 0; i < n; i++) {
    const dr = lu[2 * (i * n + i)]!;
    const di = lu[2 * (i * n + i) + 1]!;
    const m = Math.hypot(dr, di);
    if (m === 0) return [0, 0, -Infinity];
    logAbs += Math.log(m);
    const ur = dr / m;
    const ui = di / m;
    [sr, si] = [sr * ur - si * ui, sr * ui + si * ur];
  }
  // Renormalise the accumulated phase against rounding drift.
  const sm = Math.hypot(sr, si);
  return [sr / sm, si / sm, logAbs];
}

/** det A of the complex n×n matrix at complex offset `off`, as [re, im] (the product of LU's pivots). */
export function cDeterminant(a: ArrayLike<number>, off: number, n: number): [number, number] {
  const lu = Float64Array.from({ length: 2 * n * n }, (_, i) => a[2 * off + i]!);
  const perm = new Int32Array(n);
  const { sign } = cluFactor(lu, 0, n, perm);
  let dr = sign;
  let di = 0;
  for (let i = 0; i < n; i++) {
    const ur = lu[2 * (i * n + i)]!;
    const ui = lu[2 * (i * n + i) + 1]!;
    [dr, di] = [dr * ur - di * ui, dr * ui + di * ur];
  }
  return [dr, di];
}

/**
 * Cholesky factor L (lower, L·Lᴴ = A, real positive diagonal) of the Hermitian n×n matrix at complex
 * offset `off`, reading its lower triangle only (the diagonal's imaginary parts are ignored, as
 * LAPACK's zpotrf). Returns the first leading minor that is not positive (−1 if A is positive
 * definite); L's upper triangle is left as it was in `l`.
 */
export function cCholesky(a: ArrayLike<number>, off: number, n: number, l: Float64Array, lOff: number): number {
  const ao = 2 * off;
  const lo = 2 * lOff;
  for (let j = 0; j < n; j++) {
    let d = a[ao + 2 * (j * n + j)]!;
    for (let p = 0; p < j; p++) d -= l[lo + 2 * (j * n + p)]! ** 2 + l[lo + 2 * (j * n + p) + 1]! ** 2;
    if (d <= 0) return j;
    const ljj = Math.sqrt(d);
    l[lo + 2 * (j * n + j)] = ljj;
    l[lo + 2 * (j * n + j) + 1] = 0;
    for (let i = j + 1; i < n; i++) {
      let sr = a[ao + 2 * (i * n + j)]!;
      let si = a[ao + 2 * (i * n + j) + 1]!;
      // s −= Σ L_ip·conj(L_jp)
      for (let p = 0; p < j; p++) {
        const xr = l[lo + 2 * (i * n + p)]!;
        const xi = l[lo + 2 * (i * n + p) + 1]!;
        const yr = l[lo + 2 * (j * n + p)]!;
        const yi = l[lo + 2 * (j * n + p) + 1]!;
        sr -= xr * yr + xi * yi;
        si -= xi * yr - xr * yi;
      }
      l[lo + 2 * (i * n + j)] = sr / ljj;
      l[lo + 2 * (i * n + j) + 1] = si / ljj;
    }
  }
  return -1;
}

/**
 * Householder QR of the complex m×n matrix at complex offset `off`, k = min(m, n): Q (m×k, or m×m
 * when `full`) with orthonormal columns and R (k×n, or m×n when `full`) upper triangular with a real
 * diagonal, as LAPACK's zgeqrf: reflector j is H = I − τ·v·vᴴ mapping its column to β·e₁ with
 * β = −sign(Re α)·‖column‖ real.
 */
export function cqr(a: ArrayLike<number>, off: number, m: number, n: number, full: boolean, q: Float64Array, r: Float64Array): void {
  const k = Math.min(m, n);
  const w = Float64Array.from({ length: 2 * m * n }, (_, i) => a[2 * off + i]!);
  const vs = new Float64Array(2 * k * m);
  const taus = new Float64Array(2 * k);
  const W = (i: number, c: number): number => 2 * (i * n + c);
  for (let j = 0; j < k; j++) {
    let sub = 0;
    for (let i = j + 1; i < m; i++) sub += w[W(i, j)]! ** 2 + w[W(i, j) + 1]! ** 2;
    const ar = w[W(j, j)]!;
    const ai = w[W(j, j) + 1]!;
    if (sub === 0 && ai === 0) continue; // nothing to annihilate and a real diagonal: H = I
    const beta = (ar >= 0 ? -1 : 1) * Math.sqrt(ar * ar + ai * ai + sub);
    // τ = (β − α)/β, v = (1, x₂…/(α − β)).
    const tr = (beta - ar) / beta;
    const ti = -ai / beta;
    taus[2 * j] = tr;
    taus[2 * j + 1] = ti;
    vs[2 * (j * m + j)] = 1;
    for (let i = j + 1; i < m; i++) {
      const [vr, vi] = cdiv(w[W(i, j)]!, w[W(i, j) + 1]!, ar - beta, ai);
      vs[2 * (j * m + i)] = vr;
      vs[2 * (j * m + i) + 1] = vi;
    }
    // Apply Hᴴ = I − conj(τ)·v·vᴴ to the columns right of j.
    for (let c = j + 1; c < n; c++) {
      let dr = 0;
      let di = 0;
      for (let i = j; i < m; i++) {
        const vr = vs[2 * (j * m + i)]!;
        const vi = vs[2 * (j * m + i) + 1]!;
        const xr = w[W(i, c)]!;
        const xi = w[W(i, c) + 1]!;
        dr += vr * xr + vi * xi;
        di += vr * xi - vi * xr;
      }
      // f = conj(τ)·(vᴴx)
      const fr = tr * dr + ti * di;
      const fi = tr * di - ti * dr;
      for (let i = j; i < m; i++) {
        const vr = vs[2 * (j * m + i)]!;
        const vi = vs[2 * (j * m + i) + 1]!;
        w[W(i, c)] = w[W(i, c)]! - (fr * vr - fi * vi);
        w[W(i, c) + 1] = w[W(i, c) + 1]! - (fr * vi + fi * vr);
      }
    }
    w[W(j, j)] = beta;
    w[W(j, j) + 1] = 0;
    for (let i = j + 1; i < m; i++) {
      w[W(i, j)] = 0;
      w[W(i, j) + 1] = 0;
    }
  }
  const rRows = full ? m : k;
  for (let i = 0; i < rRows; i++) {
    for (let c = 0; c < n; c++) {
      const keep = i <= c && i < m;
      r[2 * (i * n + c)] = keep ? w[W(i, c)]! : 0;
      r[2 * (i * n + c) + 1] = keep ? w[W(i, c) + 1]! : 0;
    }
  }
  // Q = H₀·H₁·…·H_{k−1}·I[:, :qcols], last reflector first.
  const qc = full ? m : k;
  q.fill(0, 0, 2 * m * qc);
  for (let i = 0; i < Math.min(m, qc); i++) q[2 * (i * qc + i)] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const tr = taus[2 * j]!;
    const ti = taus[2 * j + 1]!;
    if (tr === 0 && ti === 0) continue;
    for (let c = 0; c < qc; c++) {
      let dr = 0;
      let di = 0;
      for (let i = j; i < m; i++) {
        const vr = vs[2 * (j * m + i)]!;
        const vi = vs[2 * (j * m + i) + 1]!;
        const xr = q[2 * (i * qc + c)]!;
        const xi = q[2 * (i * qc + c) + 1]!;
        dr += vr * xr + vi * xi;
        di += vr * xi - vi * xr;
      }
      const fr = tr * dr - ti * di;
      const fi = tr * di + ti * dr;
      for (let i = j; i < m; i++) {
        const vr = vs[2 * (j * m + i)]!;
        const vi = vs[2 * (j * m + i) + 1]!;
        q[2 * (i * qc + c)] = q[2 * (i * qc + c)]! - (fr * vr - fi * vi);
        q[2 * (i * qc + c) + 1] = q[2 * (i * qc + c) + 1]! - (fr * vi + fi * vr);
      }
    }
  }
}
