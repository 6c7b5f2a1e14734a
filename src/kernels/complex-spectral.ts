/**
 * @file Spectral decompositions of complex matrices, one row-major interleaved matrix at a time: the
 * SVD (one-sided Jacobi, started from AᴴA's eigenvectors from 32 columns), the Hermitian
 * eigendecomposition (Jacobi up to n = 32, unitary tridiagonalisation beyond), and the adjugate and
 * pseudo-inverse built on the SVD. Offsets count complex elements.
 */
import { hessenbergComplex } from "./eig-complex.ts";
import { jacobiRotation, symmetricEigen } from "./eigen.ts";
import { cDeterminant } from "./complex-linalg.ts";
import { productsOfOthers } from "./linalg.ts";

const EPS = 2 ** -52;

function allFinite(a: ArrayLike<number>, from: number, len: number): boolean {
  for (let i = from; i < from + len; i++) if (a[i]! - a[i]! !== 0) return false;
  return true;
}

/**
 * Rotates complex columns p and q of `g` (each `len` long, column j at complex offset j·len):
 * x' = c·x − s·e^{−iφ}·y, y' = s·x + c·e^{−iφ}·y with (cos φ, sin φ) = (er, ei), i.e. [x y]·D·J with
 * D = diag(1, e^{−iφ}) and J the real rotation [[c, s], [−s, c]].
 */
function rotateComplexPair(g: Float64Array, p: number, q: number, len: number, c: number, s: number, er: number, ei: number): void {
  for (let r = 0; r < len; r++) {
    const ix = 2 * (p * len + r);
    const iy = 2 * (q * len + r);
    const xr = g[ix]!;
    const xi = g[ix + 1]!;
    // y·e^{−iφ}
    const yr = g[iy]! * er + g[iy + 1]! * ei;
    const yi = g[iy + 1]! * er - g[iy]! * ei;
    g[ix] = c * xr - s * yr;
    g[ix + 1] = c * xi - s * yi;
    g[iy] = s * xr + c * yr;
    g[iy + 1] = s * xi + c * yi;
  }
}

/** Fills complex columns `from…cols−1` of the m×cols `q` with unit vectors orthogonal to the earlier ones. */
function completeBasis(q: Float64Array, m: number, cols: number, from: number): void {
  const v = new Float64Array(2 * m);
  for (let c = from; c < cols; c++) {
    let bestNorm = -1;
    let best = v.slice();
    for (let e = 0; e < m; e++) {
      v.fill(0);
      v[2 * e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < c; j++) {
          let dr = 0;
          let di = 0;
          for (let r = 0; r < m; r++) {
            const qr = q[2 * (r * cols + j)]!;
            const qi = q[2 * (r * cols + j) + 1]!;
            dr += qr * v[2 * r]! + qi * v[2 * r + 1]!;
            di += qr * v[2 * r + 1]! - qi * v[2 * r]!;
          }
          for (let r = 0; r < m; r++) {
            const qr = q[2 * (r * cols + j)]!;
            const qi = q[2 * (r * cols + j) + 1]!;
            v[2 * r] = v[2 * r]! - (dr * qr - di * qi);
            v[2 * r + 1] = v[2 * r + 1]! - (dr * qi + di * qr);
          }
        }
      }
      let nrm = 0;
      for (let r = 0; r < 2 * m; r++) nrm += v[r]! ** 2;
      if (nrm > bestNorm) {
        bestNorm = nrm;
        best = v.slice();
      }
      if (nrm > 0.5) break;
    }
    const nb = Math.sqrt(bestNorm);
    for (let r = 0; r < m; r++) {
      q[2 * (r * cols + c)] = best[2 * r]! / nb;
      q[2 * (r * cols + c) + 1] = best[2 * r + 1]! / nb;
    }
  }
}

/** From this many columns on, `svdTall` starts Jacobi from the eigenvectors of AᴴA (as the real SVD does). */
const PRECONDITION_MIN_N = 32;

/**
 * Starts one-sided Jacobi close to its answer: V₀ = the eigenvectors of AᴴA, then G ← G·V₀, whose
 * columns are then orthogonal to about ε·κ(A)²; Jacobi needs a sweep or two instead of eight or so
 * and still has the last word. `g` holds A's columns (column j at complex offset j·m); `vv` gets V₀
 * the same way.
 */
function precondition(g: Float64Array, vv: Float64Array, m: number, n: number): void {
  const gram = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      // (AᴴA)_ij = Σ_r conj(g_i[r])·g_j[r]
      let sr = 0;
      let si = 0;
      for (let r = 0; r < m; r++) {
        const xr = g[2 * (i * m + r)]!;
        const xi = g[2 * (i * m + r) + 1]!;
        const yr = g[2 * (j * m + r)]!;
        const yi = g[2 * (j * m + r) + 1]!;
        sr += xr * yr + xi * yi;
        si += xr * yi - xi * yr;
      }
      gram[2 * (i * n + j)] = sr;
      gram[2 * (i * n + j) + 1] = si;
    }
  }
  const w = new Float64Array(n);
  const v0 = new Float64Array(2 * n * n);
  cHermitianEigen(gram, 0, n, w, v0);
  const rotated = new Float64Array(2 * m * n);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < n; k++) {
      const cr = v0[2 * (k * n + j)]!;
      const ci = v0[2 * (k * n + j) + 1]!;
      if (cr === 0 && ci === 0) continue;
      for (let r = 0; r < m; r++) {
        const xr = g[2 * (k * m + r)]!;
        const xi = g[2 * (k * m + r) + 1]!;
        rotated[2 * (j * m + r)] = rotated[2 * (j * m + r)]! + xr * cr - xi * ci;
        rotated[2 * (j * m + r) + 1] = rotated[2 * (j * m + r) + 1]! + xr * ci + xi * cr;
      }
    }
  }
  g.set(rotated);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      vv[2 * (j * n + k)] = v0[2 * (k * n + j)]!;
      vv[2 * (j * n + k) + 1] = v0[2 * (k * n + j) + 1]!;
    }
  }
}

/**
 * One-sided Jacobi on the m×n (m ≥ n) complex matrix at complex offset `off` (read as its conjugate
 * transpose when `adj`): A·V orthogonalised column by column. s (n, descending), U (m×ucols),
 * V (n×n, row-major, complex).
 */
function svdTall(a: ArrayLike<number>, off: number, m: number, n: number, adj: boolean, s: Float64Array, u: Float64Array, ucols: number, v: Float64Array): void {
  const g = new Float64Array(2 * m * n); // column j at complex offset j·m
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < n; j++) {
      const src = 2 * off + (adj ? 2 * (j * m + r) : 2 * (r * n + j));
      g[2 * (j * m + r)] = a[src]!;
      g[2 * (j * m + r) + 1] = adj ? -a[src + 1]! : a[src + 1]!;
    }
  }
  const vv = new Float64Array(2 * n * n); // column j at complex offset j·n
  if (n >= PRECONDITION_MIN_N) precondition(g, vv, m, n);
  else for (let j = 0; j < n; j++) vv[2 * (j * n + j)] = 1;
  const tol = Math.sqrt(m) * EPS;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gr = 0;
        let gi = 0;
        for (let r = 0; r < m; r++) {
          const xr = g[2 * (p * m + r)]!;
          const xi = g[2 * (p * m + r) + 1]!;
          const yr = g[2 * (q * m + r)]!;
          const yi = g[2 * (q * m + r) + 1]!;
          alpha += xr * xr + xi * xi;
          beta += yr * yr + yi * yi;
          gr += xr * yr + xi * yi; // xᴴy
          gi += xr * yi - xi * yr;
        }
        const gm = Math.hypot(gr, gi);
        if (gm === 0 || gm <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // With y' = y·e^{−iφ}, xᴴy' = |γ| is real: a real Jacobi rotation then orthogonalises.
        const [c, sn] = jacobiRotation((beta - alpha) / (2 * gm));
        rotateComplexPair(g, p, q, m, c, sn, gr / gm, gi / gm);
        rotateComplexPair(vv, p, q, n, c, sn, gr / gm, gi / gm);
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let r = 0; r < 2 * m; r++) ss += g[2 * j * m + r]! ** 2;
    norms[j] = Math.sqrt(ss);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => norms[j]! - norms[i]!);
  let rank = 0;
  order.forEach((src, dst) => {
    const sv = norms[src]!;
    s[dst] = sv;
    if (sv > 0) rank = dst + 1;
    for (let r = 0; r < m; r++) {
      u[2 * (r * ucols + dst)] = sv > 0 ? g[2 * (src * m + r)]! / sv : 0;
      u[2 * (r * ucols + dst) + 1] = sv > 0 ? g[2 * (src * m + r) + 1]! / sv : 0;
    }
    for (let r = 0; r < n; r++) {
      v[2 * (r * n + dst)] = vv[2 * (src * n + r)]!;
      v[2 * (r * n + dst) + 1] = vv[2 * (src * n + r) + 1]!;
    }
  });
  completeBasis(u, m, ucols, rank);
}

/**
 * SVD A = U·diag(s)·Vᴴ of the complex m×n matrix at complex offset `off`, k = min(m, n): s (k, real,
 * descending), U (m×k, or m×m when `full`) and Vᴴ (k×n, or n×n when `full`), by one-sided Jacobi
 * (singular values to high relative accuracy). Non-finite input gives NaN everywhere.
 */
export function csvd(a: ArrayLike<number>, off: number, m: number, n: number, full: boolean, s: Float64Array, u: Float64Array, vh: Float64Array): void {
  if (!allFinite(a, 2 * off, 2 * m * n)) {
    s.fill(NaN);
    u.fill(NaN);
    vh.fill(NaN);
    return;
  }
  if (m >= n) {
    const v = new Float64Array(2 * n * n);
    svdTall(a, off, m, n, false, s, u, full ? m : n, v);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        vh[2 * (i * n + j)] = v[2 * (j * n + i)]!;
        vh[2 * (i * n + j) + 1] = -v[2 * (j * n + i) + 1]!;
      }
    }
    return;
  }
  // Aᴴ = U'·S·V'ᴴ, so A = V'·S·U'ᴴ: U = V' (m×m) and Vᴴ = U'ᴴ.
  const vcols = full ? n : m;
  const uPrime = new Float64Array(2 * n * vcols);
  svdTall(a, off, n, m, true, s, uPrime, vcols, u);
  for (let i = 0; i < vcols; i++) {
    for (let j = 0; j < n; j++) {
      vh[2 * (i * n + j)] = uPrime[2 * (j * vcols + i)]!;
      vh[2 * (i * n + j) + 1] = -uPrime[2 * (j * vcols + i) + 1]!;
    }
  }
}

/**
 * Eigendecomposition of the Hermitian n×n matrix at complex offset `off`, read from its lower
 * triangle (as NumPy's default UPLO="L"; the diagonal's imaginary parts are ignored): eigenvalues
 * ascending into `w` (real, n), orthonormal eigenvectors as the columns of `v` (n×n complex, when
 * given), each multiplied by the phase that makes its largest component real and positive.
 *
 * Up to n = 32, cyclic complex Jacobi: each rotation first turns a_pq real with a diagonal phase,
 * then applies a real Jacobi rotation; accurate to high relative precision. Larger matrices take
 * the unitary Householder reduction to tridiagonal form, a diagonal phase that makes it real, and
 * the real symmetric solver (LAPACK's zheev route), accurate to ε‖A‖ and O(n³) with a small constant.
 */
export function cHermitianEigen(a: ArrayLike<number>, off: number, n: number, w: Float64Array, v: Float64Array | null): void {
  if (!allFinite(a, 2 * off, 2 * n * n)) {
    w.fill(NaN);
    v?.fill(NaN);
    return;
  }
  const h = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    h[2 * (i * n + i)] = a[2 * off + 2 * (i * n + i)]!;
    for (let j = 0; j < i; j++) {
      const re = a[2 * off + 2 * (i * n + j)]!;
      const im = a[2 * off + 2 * (i * n + j) + 1]!;
      h[2 * (i * n + j)] = re;
      h[2 * (i * n + j) + 1] = im;
      h[2 * (j * n + i)] = re;
      h[2 * (j * n + i) + 1] = -im;
    }
  }
  if (n > HERMITIAN_JACOBI_MAX_N) {
    hermitianByTridiagonal(h, n, w, v);
    return;
  }
  // vv: column j at complex offset j·n (so the rotations run over contiguous memory).
  const vv = new Float64Array(2 * n * n);
  for (let j = 0; j < n; j++) vv[2 * (j * n + j)] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off2 = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += h[2 * (p * n + p)]! ** 2;
      for (let q = p + 1; q < n; q++) off2 += h[2 * (p * n + q)]! ** 2 + h[2 * (p * n + q) + 1]! ** 2;
    }
    if (off2 === 0 || off2 <= EPS * EPS * 1e-4 * diag) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const br = h[2 * (p * n + q)]!;
        const bi = h[2 * (p * n + q) + 1]!;
        const bm = Math.hypot(br, bi);
        if (bm === 0) continue;
        const app = h[2 * (p * n + p)]!;
        const aqq = h[2 * (q * n + q)]!;
        if (bm <= 0.25 * EPS * Math.sqrt(Math.abs(app * aqq))) {
          h[2 * (p * n + q)] = h[2 * (p * n + q) + 1] = 0;
          h[2 * (q * n + p)] = h[2 * (q * n + p) + 1] = 0;
          continue;
        }
        // D = diag(…, e^{−iφ} at q) with a_pq = |a_pq|·e^{iφ}: (Dᴴ·H·D)_pq = |a_pq|; then the real
        // rotation J on p, q. Overall U = D·J, H ← Uᴴ·H·U, V ← V·U.
        const er = br / bm;
        const ei = bi / bm;
        const [c, sn] = jacobiRotation((aqq - app) / (2 * bm));
        // Columns: H ← H·U (column p and q of the row-major h, stride n).
        for (let r = 0; r < n; r++) {
          const ix = 2 * (r * n + p);
          const iy = 2 * (r * n + q);
          const xr = h[ix]!;
          const xi = h[ix + 1]!;
          const yr = h[iy]! * er + h[iy + 1]! * ei;
          const yi = h[iy + 1]! * er - h[iy]! * ei;
          h[ix] = c * xr - sn * yr;
          h[ix + 1] = c * xi - sn * yi;
          h[iy] = sn * xr + c * yr;
          h[iy + 1] = sn * xi + c * yi;
        }
        // Rows: H ← Uᴴ·H, i.e. row q·e^{+iφ}, then the real rotation.
        for (let col = 0; col < n; col++) {
          const ix = 2 * (p * n + col);
          const iy = 2 * (q * n + col);
          const xr = h[ix]!;
          const xi = h[ix + 1]!;
          const yr = h[iy]! * er - h[iy + 1]! * ei;
          const yi = h[iy + 1]! * er + h[iy]! * ei;
          h[ix] = c * xr - sn * yr;
          h[ix + 1] = c * xi - sn * yi;
          h[iy] = sn * xr + c * yr;
          h[iy + 1] = sn * xi + c * yi;
        }
        h[2 * (p * n + q)] = h[2 * (p * n + q) + 1] = 0;
        h[2 * (q * n + p)] = h[2 * (q * n + p) + 1] = 0;
        h[2 * (p * n + p) + 1] = 0;
        h[2 * (q * n + q) + 1] = 0;
        rotateComplexPair(vv, p, q, n, c, sn, er, ei);
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => h[2 * (i * n + i)]! - h[2 * (j * n + j)]!);
  order.forEach((src, dst) => (w[dst] = h[2 * (src * n + src)]!));
  if (v === null) return;
  order.forEach((src, dst) => {
    let big = -1;
    let k = 0;
    for (let r = 0; r < n; r++) {
      const m2 = vv[2 * (src * n + r)]! ** 2 + vv[2 * (src * n + r) + 1]! ** 2;
      if (m2 > big) {
        big = m2;
        k = r;
      }
    }
    const km = Math.sqrt(big);
    const fr = vv[2 * (src * n + k)]! / km;
    const fi = -vv[2 * (src * n + k) + 1]! / km;
    for (let r = 0; r < n; r++) {
      const xr = vv[2 * (src * n + r)]!;
      const xi = vv[2 * (src * n + r) + 1]!;
      v[2 * (r * n + dst)] = xr * fr - xi * fi;
      v[2 * (r * n + dst) + 1] = r === k ? 0 : xr * fi + xi * fr;
    }
  });
}

/**
 * The adjugate adj(A) (adj(A)·A = det(A)·I) of the complex n×n matrix at complex offset `off`, into
 * `out` at complex offset `outOff`, singular A included: from the SVD A = U·S·Vᴴ,
 * adj(A) = det(U)·det(Vᴴ)·V·diag(∏_{j≠i} s_j)·Uᴴ (the products by prefix and suffix, no division).
 */
export function cAdjugate(a: ArrayLike<number>, off: number, n: number, out: Float64Array, outOff: number): void {
  if (n === 0) return;
  const o = 2 * outOff;
  if (n === 1) {
    out[o] = 1;
    out[o + 1] = 0;
    return;
  }
  const s = new Float64Array(n);
  const u = new Float64Array(2 * n * n);
  const vh = new Float64Array(2 * n * n);
  csvd(a, off, n, n, false, s, u, vh);
  const p = productsOfOthers(s);
  // det(U)·det(Vᴴ): a unit complex number (unitary factors), normalised against rounding.
  const [ur, ui] = cDeterminant(u, 0, n);
  const [vr, vi] = cDeterminant(vh, 0, n);
  let fr = ur * vr - ui * vi;
  let fi = ur * vi + ui * vr;
  const fm = Math.hypot(fr, fi);
  fr /= fm;
  fi /= fm;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // Σ_k conj(vh[k][i])·p_k·conj(u[j][k]) = conj(Σ_k vh[k][i]·p_k·u[j][k])
      let accR = 0;
      let accI = 0;
      for (let k = 0; k < n; k++) {
        const xr = vh[2 * (k * n + i)]!;
        const xi = vh[2 * (k * n + i) + 1]!;
        const yr = u[2 * (j * n + k)]!;
        const yi = u[2 * (j * n + k) + 1]!;
        accR += p[k]! * (xr * yr - xi * yi);
        accI += p[k]! * (xr * yi + xi * yr);
      }
      accI = -accI;
      out[o + 2 * (i * n + j)] = fr * accR - fi * accI;
      out[o + 2 * (i * n + j) + 1] = fr * accI + fi * accR;
    }
  }
}

/**
 * The pseudo-inverse A⁺ = V·S⁺·Uᴴ of the complex m×n matrix at complex offset `off` into `out`
 * (n×m, at complex offset `outOff`), singular values ≤ rcond·σ_max dropped; NaN for non-finite input.
 */
export function cPinv(a: ArrayLike<number>, off: number, m: number, n: number, rcond: number, out: Float64Array, outOff: number): void {
  const k = Math.min(m, n);
  const s = new Float64Array(k);
  const u = new Float64Array(2 * m * k);
  const vh = new Float64Array(2 * k * n);
  csvd(a, off, m, n, false, s, u, vh);
  const o = 2 * outOff;
  const cut = rcond * (k > 0 ? s[0]! : 0);
  if (cut !== cut) {
    out.fill(NaN, o, o + 2 * n * m);
    return;
  }
  out.fill(0, o, o + 2 * n * m);
  for (let l = 0; l < k; l++) {
    const sv = s[l]!;
    if (!(sv > cut)) continue;
    for (let i = 0; i < n; i++) {
      // conj(vh[l][i]) / s_l
      const fr = vh[2 * (l * n + i)]! / sv;
      const fi = -vh[2 * (l * n + i) + 1]! / sv;
      for (let j = 0; j < m; j++) {
        // · conj(u[j][l])
        const yr = u[2 * (j * k + l)]!;
        const yi = -u[2 * (j * k + l) + 1]!;
        out[o + 2 * (i * m + j)] = out[o + 2 * (i * m + j)]! + fr * yr - fi * yi;
        out[o + 2 * (i * m + j) + 1] = out[o + 2 * (i * m + j) + 1]! + fr * yi + fi * yr;
      }
    }
  }
}

const HERMITIAN_JACOBI_MAX_N = 32;

/**
 * The large-n path of `cHermitianEigen` on the full Hermitian `h`: Qᴴ·H·Q = T tridiagonal (the
 * Hessenberg reduction of a Hermitian matrix), D = diag of phases with Dᴴ·T·D = S real symmetric,
 * S = Z·Λ·Zᵀ, so the eigenvectors are Q·D·Z.
 */
function hermitianByTridiagonal(h: Float64Array, n: number, w: Float64Array, v: Float64Array | null): void {
  const q = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) q[2 * (i * n + i)] = 1;
  hessenbergComplex(h, q, n);
  const dr = new Float64Array(n);
  const di = new Float64Array(n);
  dr[0] = 1;
  const s = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    s[k * n + k] = h[2 * (k * n + k)]!;
    if (k + 1 === n) break;
    const tr = h[2 * ((k + 1) * n + k)]!;
    const ti = h[2 * ((k + 1) * n + k) + 1]!;
    const tm = Math.hypot(tr, ti);
    s[(k + 1) * n + k] = tm;
    s[k * n + k + 1] = tm;
    // d_{k+1} = t_k·d_k/|t_k| makes conj(d_{k+1})·t_k·d_k = |t_k|.
    const ur = tm === 0 ? 1 : tr / tm;
    const ui = tm === 0 ? 0 : ti / tm;
    dr[k + 1] = ur * dr[k]! - ui * di[k]!;
    di[k + 1] = ur * di[k]! + ui * dr[k]!;
  }
  const z = v === null ? null : new Float64Array(n * n);
  symmetricEigen(s, n, w, z);
  if (v === null || z === null) return;
  // V = (Q·D)·Z: scale Q's columns by the phases, then multiply by the real Z.
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < n; k++) {
      const xr = q[2 * (r * n + k)]!;
      const xi = q[2 * (r * n + k) + 1]!;
      q[2 * (r * n + k)] = xr * dr[k]! - xi * di[k]!;
      q[2 * (r * n + k) + 1] = xr * di[k]! + xi * dr[k]!;
    }
  }
  v.fill(0);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < n; k++) {
      const xr = q[2 * (r * n + k)]!;
      const xi = q[2 * (r * n + k) + 1]!;
      for (let j = 0; j < n; j++) {
        const zz = z[k * n + j]!;
        v[2 * (r * n + j)] = v[2 * (r * n + j)]! + xr * zz;
        v[2 * (r * n + j) + 1] = v[2 * (r * n + j) + 1]! + xi * zz;
      }
    }
  }
  phaseColumns(v, n);
}

/** Multiplies each column of the n×n complex `v` by the phase that makes its largest component real and positive. */
function phaseColumns(v: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let big = -1;
    let k = 0;
    for (let r = 0; r < n; r++) {
      const m2 = v[2 * (r * n + j)]! ** 2 + v[2 * (r * n + j) + 1]! ** 2;
      if (m2 > big) {
        big = m2;
        k = r;
      }
    }
    const km = Math.sqrt(big);
    if (km === 0) continue;
    const fr = v[2 * (k * n + j)]! / km;
    const fi = -v[2 * (k * n + j) + 1]! / km;
    for (let r = 0; r < n; r++) {
      const xr = v[2 * (r * n + j)]!;
      const xi = v[2 * (r * n + j) + 1]!;
      v[2 * (r * n + j)] = xr * fr - xi * fi;
      v[2 * (r * n + j) + 1] = r === k ? 0 : xr * fi + xi * fr;
    }
  }
}
