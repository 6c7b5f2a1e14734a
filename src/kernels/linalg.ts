/**
 * @file Float64 kernels of dense linear algebra on one row-major matrix at a time (the primitives
 * loop over leading batch dimensions): LU with partial pivoting, triangular solve, Cholesky,
 * the symmetric eigendecomposition (re-exported from eigen.ts), SVD (one-sided Jacobi, started from
 * AᵀA's eigenvectors from n = 32), Householder QR, the principal matrix square
 * root (Denman–Beavers) and the Sylvester equation X·Y + Y·X = C. Inputs are read at an offset into
 * a stack's data; outputs go to caller-provided or fresh buffers.
 */
import { matmulData } from "./matmul.ts";
import { allFinite, jacobiRotation, rotatePair, symmetricEigen } from "./eigen.ts";

export { symmetricEigen };

const EPS = 2 ** -52;

/**
 * LU with partial pivoting of the n×n matrix at `a[off…]`, in place in `lu` (a copy):
 * P·A = L·U with L unit lower (stored below the diagonal) and U upper. `perm[i]` is the row of A
 * that became row i. Returns the permutation's sign and the first pivot that is zero or, with
 * `tol > 0`, at most `tol` in magnitude (−1 if none). Zero columns are skipped, as LAPACK does.
 */
export function luFactor(lu: Float64Array, off: number, n: number, perm: Int32Array, tol: number): { sign: number; badPivot: number } {
  let sign = 1;
  let badPivot = -1;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[off + k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[off + i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[off + k * n + j]!;
        lu[off + k * n + j] = lu[off + p * n + j]!;
        lu[off + p * n + j] = t;
      }
      const t = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = t;
      sign = -sign;
    }
    const pivot = lu[off + k * n + k]!;
    if (badPivot < 0 && (pivot === 0 || Math.abs(pivot) <= tol || Number.isNaN(pivot))) badPivot = k;
    if (pivot === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const f = (lu[off + i * n + k]! /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[off + i * n + j]! -= f * lu[off + k * n + j]!;
    }
  }
  return { sign, badPivot };
}

/**
 * Solves op(A)·X = B for X (n×k), where A (n×n at `a[aOff…]`) is read only in its lower or upper
 * triangle and op(A) is A or Aᵀ; the diagonal is taken as ones when `unit`. Writes X into `x` at
 * `xOff` (B is read from `b` at `bOff`; `x` may be `b`). Returns the first zero diagonal (−1 if none).
 */
export function triangularSolve(
  a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, x: Float64Array, xOff: number,
  n: number, k: number, lower: boolean, trans: boolean, unit: boolean,
): number {
  if (x !== b) for (let i = 0; i < n * k; i++) x[xOff + i] = b[bOff + i]!;
  if (!unit) {
    for (let i = 0; i < n; i++) if (a[aOff + i * n + i] === 0) return i;
  }
  // op(A) is lower triangular (forward substitution) for A lower untransposed or A upper transposed.
  const forward = lower !== trans;
  // op(A)[i][j] = A[i][j], or A[j][i] when transposed.
  const at = trans ? (i: number, j: number) => a[aOff + j * n + i]! : (i: number, j: number) => a[aOff + i * n + j]!;
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    const row = xOff + i * k;
    const jStart = forward ? 0 : i + 1;
    const jEnd = forward ? i : n;
    for (let j = jStart; j < jEnd; j++) {
      const f = at(i, j);
      if (f === 0) continue;
      const rj = xOff + j * k;
      for (let c = 0; c < k; c++) x[row + c]! -= f * x[rj + c]!;
    }
    if (!unit) {
      const d = at(i, i);
      for (let c = 0; c < k; c++) x[row + c]! /= d;
    }
  }
  return -1;
}

/**
 * Cholesky factor L (lower, L·Lᵀ = A) of the n×n matrix at `a[off…]`, reading its lower triangle
 * only. Returns the order of the first leading minor that is not positive (−1 if A is positive
 * definite, or if a NaN in A makes the minors unknown: L then holds NaN from there on).
 */
export function cholesky(a: ArrayLike<number>, off: number, n: number, l: Float64Array, lOff: number): number {
  for (let j = 0; j < n; j++) {
    let d = a[off + j * n + j]!;
    for (let p = 0; p < j; p++) d -= l[lOff + j * n + p]! ** 2;
    // A NaN pivot is no verdict on definiteness: it propagates (NumPy and JAX give NaN there).
    if (d <= 0) return j;
    const ljj = Math.sqrt(d);
    l[lOff + j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[off + i * n + j]!;
      for (let p = 0; p < j; p++) s -= l[lOff + i * n + p]! * l[lOff + j * n + p]!;
      l[lOff + i * n + j] = s / ljj;
    }
  }
  return -1;
}

/** Fills columns `from…cols−1` of the m×cols matrix `q` (row-major) with unit vectors orthogonal to the earlier columns. */
function completeBasis(q: Float64Array, m: number, cols: number, from: number): void {
  const v = new Float64Array(m);
  for (let c = from; c < cols; c++) {
    // The unit vector with the largest component outside the span so far, made orthogonal (twice, for accuracy).
    let bestNorm = -1;
    let best = new Float64Array(m);
    for (let e = 0; e < m; e++) {
      v.fill(0);
      v[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < c; j++) {
          let d = 0;
          for (let r = 0; r < m; r++) d += q[r * cols + j]! * v[r]!;
          for (let r = 0; r < m; r++) v[r]! -= d * q[r * cols + j]!;
        }
      }
      let nrm = 0;
      for (let r = 0; r < m; r++) nrm += v[r]! ** 2;
      if (nrm > bestNorm) {
        bestNorm = nrm;
        best = v.slice();
      }
      if (nrm > 0.5) break;
    }
    const nb = Math.sqrt(bestNorm);
    for (let r = 0; r < m; r++) q[r * cols + c] = best[r]! / nb;
  }
}

/** From this many columns on, `svdTall` starts Jacobi from the eigenvectors of AᵀA. */
const PRECONDITION_MIN_N = 32;

/**
 * Starts one-sided Jacobi close to its answer: V₀ = the eigenvectors of AᵀA (one fast symmetric
 * eigendecomposition), then G ← G·V₀, whose columns are already orthogonal to about ε·κ(A)².
 * Jacobi then needs one or two sweeps instead of eight or so, and still has the last word, so the
 * singular values keep its accuracy. `g` holds A's columns (g[j·m + r] = A[r][j]); `vv` receives
 * V₀ the same way.
 */
function precondition(g: Float64Array, vv: Float64Array, m: number, n: number): void {
  const gram = new Float64Array(n * n);
  matmulData(g, g, gram, 1, n, m, n, false, true); // G·Gᵀ with G = g as n×m, i.e. AᵀA
  const w = new Float64Array(n);
  const v0 = new Float64Array(n * n);
  symmetricEigen(gram, n, w, v0);
  const rotated = new Float64Array(n * m);
  matmulData(v0, g, rotated, 1, n, n, m, true, false); // V₀ᵀ·G: row j is column j of A·V₀
  g.set(rotated);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vv[j * n + i] = v0[i * n + j]!;
}

/**
 * SVD of the m×n matrix at `a[off…]` (m ≥ n) by one-sided Jacobi: A·V is orthogonalized column by
 * column. Below 32 columns it starts from V = I and the singular values come out to high relative
 * accuracy; from 32 columns it starts from AᵀA's eigenvectors (`precondition`), which cuts the
 * sweeps from 9–15 to 2–3 (n = 300: 167 against 715 ms) at LAPACK's absolute accuracy ~ε‖A‖
 * (measured ≤ 3.2e-15·σ₁ against NumPy). Writes s (n, descending), U
 * (m×ucols, ucols = n or m; columns past the rank completed to an orthonormal basis) and V (n×n).
 */
function svdTall(a: ArrayLike<number>, off: number, m: number, n: number, trans: boolean, s: Float64Array, u: Float64Array, ucols: number, v: Float64Array): void {
  // Work on columns: g[j*m + r] = A[r][j] (A read transposed when `trans`).
  const g = new Float64Array(m * n);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < n; j++) g[j * m + r] = trans ? a[off + j * m + r]! : a[off + r * n + j]!;
  }
  const vv = new Float64Array(n * n); // column-major too: vv[j*n + r] = V[r][j]
  if (n >= PRECONDITION_MIN_N) precondition(g, vv, m, n);
  else for (let j = 0; j < n; j++) vv[j * n + j] = 1;
  // Columns count as orthogonal when |cos| ≤ √m·ε, the rounding level of their m-term dot product
  // (LAPACK's dgesvj uses the same): a tighter test keeps rotating on rounding noise.
  const tol = Math.sqrt(m) * EPS;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let r = 0; r < m; r++) {
          const x = g[p * m + r]!;
          const y = g[q * m + r]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const [c, sn] = jacobiRotation((beta - alpha) / (2 * gamma));
        rotatePair(g, p * m, q * m, 1, m, c, sn);
        rotatePair(vv, p * n, q * n, 1, n, c, sn);
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let r = 0; r < m; r++) ss += g[j * m + r]! ** 2;
    norms[j] = Math.sqrt(ss);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => norms[j]! - norms[i]!);
  let rank = 0;
  order.forEach((src, dst) => {
    const sv = norms[src]!;
    s[dst] = sv;
    if (sv > 0) rank = dst + 1;
    for (let r = 0; r < m; r++) u[r * ucols + dst] = sv > 0 ? g[src * m + r]! / sv : 0;
    for (let r = 0; r < n; r++) v[r * n + dst] = vv[src * n + r]!;
  });
  completeBasis(u, m, ucols, rank);
}

/**
 * SVD A = U·diag(s)·Vᵀ of the m×n matrix at `a[off…]`, k = min(m, n): s (k, descending), U
 * (m×k, or m×m when `full`) and Vᵀ (k×n, or n×n when `full`).
 */
export function svd(a: ArrayLike<number>, off: number, m: number, n: number, full: boolean, s: Float64Array, u: Float64Array, vt: Float64Array): void {
  if (!allFinite(a, off, m * n)) {
    // NaN or ±∞ in the input: every output is NaN (as JAX; NumPy raises "SVD did not converge").
    s.fill(NaN);
    u.fill(NaN);
    vt.fill(NaN);
    return;
  }
  if (m >= n) {
    const ucols = full ? m : n;
    const v = new Float64Array(n * n);
    svdTall(a, off, m, n, false, s, u, ucols, v);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[i * n + j] = v[j * n + i]!;
    return;
  }
  // Aᵀ = U'·S·V'ᵀ, so A = V'·S·U'ᵀ: U = V' (m×m) and Vᵀ = U'ᵀ.
  const vcols = full ? n : m;
  const uPrime = new Float64Array(n * vcols);
  svdTall(a, off, n, m, true, s, uPrime, vcols, u);
  for (let i = 0; i < vcols; i++) for (let j = 0; j < n; j++) vt[i * n + j] = uPrime[j * vcols + i]!;
}

/**
 * Householder QR of the m×n matrix at `a[off…]`, k = min(m, n): Q (m×k, or m×m when `full`) with
 * orthonormal columns and R (k×n, or m×n when `full`) upper triangular. As LAPACK, each reflector
 * maps its column to −sign(a_jj)·‖column‖, so R's diagonal may be negative.
 */
export function qr(a: ArrayLike<number>, off: number, m: number, n: number, full: boolean, q: Float64Array, r: Float64Array): void {
  const k = Math.min(m, n);
  const w = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) w[i] = a[off + i]!;
  const vs = new Float64Array(k * m); // reflector j in vs[j*m + j…m−1], vs[j*m + j] = 1
  const taus = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let norm2 = 0;
    for (let i = j; i < m; i++) norm2 += w[i * n + j]! ** 2;
    const alpha = w[j * n + j]!;
    const sub = norm2 - alpha * alpha;
    if (sub === 0) continue; // already zero below the diagonal: H = I (LAPACK's tau = 0)
    const beta = (alpha >= 0 ? -1 : 1) * Math.sqrt(norm2);
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    vs[j * m + j] = 1;
    for (let i = j + 1; i < m; i++) vs[j * m + i] = w[i * n + j]! * scale;
    taus[j] = tau;
    // Apply H = I − τ·v·vᵀ to the columns right of j; column j becomes (β, 0, …).
    for (let c = j + 1; c < n; c++) {
      let d = 0;
      for (let i = j; i < m; i++) d += vs[j * m + i]! * w[i * n + c]!;
      d *= tau;
      for (let i = j; i < m; i++) w[i * n + c]! -= d * vs[j * m + i]!;
    }
    w[j * n + j] = beta;
    for (let i = j + 1; i < m; i++) w[i * n + j] = 0;
  }
  const rRows = full ? m : k;
  for (let i = 0; i < rRows; i++) for (let c = 0; c < n; c++) r[i * n + c] = i <= c && i < m ? w[i * n + c]! : 0;
  // Q = H₀·H₁·…·H_{k−1} applied to the first qcols columns of the identity, last reflector first.
  const qcols = full ? m : k;
  for (let i = 0; i < m; i++) for (let c = 0; c < qcols; c++) q[i * qcols + c] = i === c ? 1 : 0;
  for (let j = k - 1; j >= 0; j--) {
    const tau = taus[j]!;
    if (tau === 0) continue;
    for (let c = 0; c < qcols; c++) {
      let d = 0;
      for (let i = j; i < m; i++) d += vs[j * m + i]! * q[i * qcols + c]!;
      d *= tau;
      for (let i = j; i < m; i++) q[i * qcols + c]! -= d * vs[j * m + i]!;
    }
  }
}

/** The n×n product C = A·B of row-major matrices (small helper for the iterative kernels). */
function matmulSquare(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < n; p++) {
      const f = a[i * n + p]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j]! += f * b[p * n + j]!;
    }
  }
  return c;
}

/** The inverse of the n×n matrix `a` by LU, or `null` when a pivot is zero or tiny (≤ n·ε·max|a|). */
export function invert(a: Float64Array, n: number): Float64Array | null {
  const lu = a.slice();
  const perm = new Int32Array(n);
  let big = 0;
  for (let i = 0; i < n * n; i++) big = Math.max(big, Math.abs(a[i]!));
  if (luFactor(lu, 0, n, perm, n * EPS * big).badPivot >= 0) return null;
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + perm[i]!] = 1;
  triangularSolve(lu, 0, x, 0, x, 0, n, n, true, false, true);
  triangularSolve(lu, 0, x, 0, x, 0, n, n, false, false, false);
  return x;
}

/** Whether the n×n matrix at `a[off…]` is symmetric to within `rtol` of its largest entry. */
export function isSymmetric(a: ArrayLike<number>, off: number, n: number, rtol: number): boolean {
  let big = 0;
  for (let i = 0; i < n * n; i++) big = Math.max(big, Math.abs(a[off + i]!));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) if (Math.abs(a[off + i * n + j]! - a[off + j * n + i]!) > rtol * big) return false;
  }
  return true;
}

/**
 * The principal square root of a general n×n matrix by the product form of the Denman–Beavers
 * iteration with determinant scaling (Higham, Functions of Matrices, §6.3): M → I, Y → A^½.
 * Returns `null` when it cannot converge (a singular matrix, or eigenvalues on or near the
 * closed negative real axis, where no real principal square root exists).
 */
export function sqrtmGeneral(a: Float64Array, n: number): Float64Array | null {
  let y = a.slice();
  let mm = a.slice();
  for (let it = 0; it < 100; it++) {
    const inv = invert(mm, n);
    if (inv === null) return null;
    // μ = |det M|^(−1/2n), from the LU of M (computed again; n is small beside the iteration count).
    const lu = mm.slice();
    const perm = new Int32Array(n);
    luFactor(lu, 0, n, perm, 0);
    let logdet = 0;
    for (let i = 0; i < n; i++) logdet += Math.log(Math.abs(lu[i * n + i]!));
    const mu = it < 6 ? Math.exp(-logdet / (2 * n)) : 1;
    const mu2 = mu * mu;
    // Y ← μ·Y·(I + μ⁻²·M⁻¹)/2, M ← (I + (μ²·M + μ⁻²·M⁻¹)/2)/2
    const t = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) t[i] = inv[i]! / mu2;
    for (let i = 0; i < n; i++) t[i * n + i]! += 1;
    const yt = matmulSquare(y, t, n);
    let change = 0;
    let ynorm = 0;
    const next = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) {
      next[i] = (mu * yt[i]!) / 2;
      change = Math.max(change, Math.abs(next[i]! - y[i]!));
      ynorm = Math.max(ynorm, Math.abs(next[i]!));
    }
    y = next;
    let dist = 0;
    const mNext = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const e = i * n + j;
        mNext[e] = ((i === j ? 1 : 0) + (mu2 * mm[e]! + inv[e]! / mu2) / 2) / 2;
        dist = Math.max(dist, Math.abs(mNext[e]! - (i === j ? 1 : 0)));
      }
    }
    mm = mNext;
    if (!Number.isFinite(dist)) return null;
    if (dist <= 10 * n * EPS && change <= 1e3 * n * EPS * ynorm) return y;
  }
  return null;
}

/**
 * Solves X·Y + Y·X = C for Y (all n×n). For symmetric X, in its eigenbasis:
 * Y = V·((Vᵀ·C·V) ⊘ (λᵢ + λⱼ))·Vᵀ. Otherwise by the matrix sign function (Roberts):
 * sign([[X, −C], [0, −X]]) = [[I, −2Y], [0, −I]] when X's eigenvalues have positive real parts.
 * Returns `null` when some λᵢ + λⱼ is zero or tiny, or the sign iteration fails.
 */
export function sylvester(x: ArrayLike<number>, xOff: number, c: ArrayLike<number>, cOff: number, n: number, y: Float64Array, yOff: number): boolean {
  if (isSymmetric(x, xOff, n, 0)) {
    const s = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) s[i] = x[xOff + i]!;
    const w = new Float64Array(n);
    const v = new Float64Array(n * n);
    symmetricEigen(s, n, w, v);
    let big = 0;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(w[i]!));
    // M = Vᵀ·C·V, divided elementwise, then V·M·Vᵀ.
    const cm = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) cm[i] = c[cOff + i]!;
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[i * n + j] = v[j * n + i]!;
    const m = matmulSquare(matmulSquare(vt, cm, n), v, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const d = w[i]! + w[j]!;
        if (!(Math.abs(d) > 100 * n * EPS * big)) return false;
        m[i * n + j]! /= d;
      }
    }
    const out = matmulSquare(matmulSquare(v, m, n), vt, n);
    for (let i = 0; i < n * n; i++) y[yOff + i] = out[i]!;
    return true;
  }
  const n2 = 2 * n;
  let z = new Float64Array(n2 * n2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      z[i * n2 + j] = x[xOff + i * n + j]!;
      z[i * n2 + n + j] = -c[cOff + i * n + j]!;
      z[(n + i) * n2 + n + j] = -x[xOff + i * n + j]!;
    }
  }
  for (let it = 0; it < 100; it++) {
    const inv = invert(z, n2);
    if (inv === null) return false;
    const lu = z.slice();
    luFactor(lu, 0, n2, new Int32Array(n2), 0);
    let logdet = 0;
    for (let i = 0; i < n2; i++) logdet += Math.log(Math.abs(lu[i * n2 + i]!));
    const mu = it < 6 ? Math.exp(-logdet / n2) : 1;
    let change = 0;
    let big = 0;
    const next = new Float64Array(n2 * n2);
    for (let i = 0; i < n2 * n2; i++) {
      next[i] = (mu * z[i]! + inv[i]! / mu) / 2;
      change = Math.max(change, Math.abs(next[i]! - z[i]!));
      big = Math.max(big, Math.abs(next[i]!));
    }
    z = next;
    if (!Number.isFinite(change)) return false;
    if (change <= 1e3 * n2 * EPS * big) {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[yOff + i * n + j] = -z[i * n2 + n + j]! / 2;
      return true;
    }
  }
  return false;
}

/** The determinant of the n×n matrix at `a[off…]`, from its LU factorization (sign(P)·∏ diag U). */
export function determinant(a: ArrayLike<number>, off: number, n: number): number {
  const lu = Float64Array.from({ length: n * n }, (_, i) => a[off + i]!);
  const { sign } = luFactor(lu, 0, n, new Int32Array(n), 0);
  let d = sign;
  for (let i = 0; i < n; i++) d *= lu[i * n + i]!;
  return d;
}

/**
 * The adjugate adj(A) (adj(A)·A = det(A)·I) of the n×n matrix at `a[off…]`, into `out` at `outOff`,
 * defined and accurate for singular A too: from the SVD A = U·S·Vᵀ,
 * adj(A) = adj(Vᵀ)·adj(S)·adj(U) = det(U)·det(V)·V·diag(∏_{j≠i} s_j)·Uᵀ. The products leave one
 * factor out by prefix and suffix products, without dividing, so a zero singular value is exact.
 */
export function adjugate(a: ArrayLike<number>, off: number, n: number, out: Float64Array, outOff: number): void {
  if (n === 0) return;
  if (n === 1) {
    out[outOff] = 1;
    return;
  }
  const s = new Float64Array(n);
  const u = new Float64Array(n * n);
  const vt = new Float64Array(n * n);
  svd(a, off, n, n, false, s, u, vt);
  const p = productsOfOthers(s);
  // det(U) and det(V) are ±1 (orthogonal factors): their sign is all that is needed.
  const sign = Math.sign(determinant(u, 0, n)) * Math.sign(determinant(vt, 0, n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += vt[k * n + i]! * p[k]! * u[j * n + k]!;
      out[outOff + i * n + j] = sign * acc;
    }
  }
}

/** `p[i]` = the product of every `s[j]` but `s[i]` (prefix times suffix products: no division, so zeros are fine). */
export function productsOfOthers(s: Float64Array): Float64Array {
  const n = s.length;
  const p = new Float64Array(n);
  let prefix = 1;
  for (let i = 0; i < n; i++) {
    p[i] = prefix;
    prefix *= s[i]!;
  }
  let suffix = 1;
  for (let i = n - 1; i >= 0; i--) {
    p[i]! *= suffix;
    suffix *= s[i]!;
  }
  return p;
}
