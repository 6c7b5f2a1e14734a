/**
 * @file The general eigenproblem for complex input, one row-major interleaved matrix at a time:
 * balancing, unitary Householder reduction to Hessenberg form, single-shift QR with Wilkinson shifts
 * on the complex Schur form, and eigenvectors by back substitution, normalised as LAPACK's geev.
 */
import { balance, cdiv, fail, finite, normaliseColumns, type EigOptions } from "./eig.ts";

const EPS = 2 ** -52;

/**
 * Eigenvalues and (when `v` is given) right eigenvectors of the complex n×n matrix at `a[2·off…]`
 * (interleaved): `w` receives n interleaved eigenvalues, `v` the eigenvectors as columns,
 * normalised by `normaliseColumns`. Unitary Hessenberg reduction, then single-shift QR with
 * Wilkinson shifts on the complex Schur form, then back substitution. Returns false (outputs NaN)
 * on non-finite input or if QR fails to converge.
 */
export function eigComplex(a: ArrayLike<number>, off: number, n: number, w: Float64Array, v: Float64Array | null, opts: EigOptions = {}): boolean {
  const h = new Float64Array(2 * n * n);
  for (let i = 0; i < 2 * n * n; i++) h[i] = a[2 * off + i]!;
  if (!finite(h)) return fail(w, v);
  const d = opts.balance === false ? new Float64Array(n).fill(1) : balance(h, n, true);
  const q = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) q[2 * (i * n + i)] = 1;
  hessenbergComplex(h, q, n);
  if (!complexSchur(h, q, n, v !== null)) return fail(w, v);
  for (let i = 0; i < n; i++) {
    w[2 * i] = h[2 * (i * n + i)]!;
    w[2 * i + 1] = h[2 * (i * n + i) + 1]!;
  }
  if (v === null) return true;
  triangularVectors(h, q, n, v);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      v[2 * (i * n + j)] = v[2 * (i * n + j)]! * d[i]!;
      v[2 * (i * n + j) + 1] = v[2 * (i * n + j) + 1]! * d[i]!;
    }
  }
  normaliseColumns(v, n);
  return true;
}

/** Unitary Householder reduction of the complex `h` to Hessenberg form, H ← Pᴴ·H·P, Q ← Q·P. */
export function hessenbergComplex(h: Float64Array, q: Float64Array, n: number): void {
  const ur = new Float64Array(n);
  const ui = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let scale = 0;
    for (let i = k + 1; i < n; i++) scale += Math.abs(h[2 * (i * n + k)]!) + Math.abs(h[2 * (i * n + k) + 1]!);
    if (scale === 0) continue;
    let ss = 0;
    for (let i = k + 1; i < n; i++) {
      ur[i] = h[2 * (i * n + k)]! / scale;
      ui[i] = h[2 * (i * n + k) + 1]! / scale;
      ss += ur[i]! ** 2 + ui[i]! ** 2;
    }
    const nx = Math.sqrt(ss);
    const ar = ur[k + 1]!;
    const ai = ui[k + 1]!;
    const am = Math.hypot(ar, ai);
    // g = −e^{i·arg α}·‖x‖; u = x − g·e₁; P = I − u·uᴴ/hh with hh = ‖x‖² + |α|·‖x‖.
    const pr = am === 0 ? 1 : ar / am;
    const pi = am === 0 ? 0 : ai / am;
    ur[k + 1] = ar + pr * nx;
    ui[k + 1] = ai + pi * nx;
    const hh = ss + am * nx;
    // H ← P·H: each column c, f = uᴴ·h_c / hh, h_c −= f·u.
    for (let c = 0; c < n; c++) {
      let fr = 0;
      let fi = 0;
      for (let i = k + 1; i < n; i++) {
        const xr = h[2 * (i * n + c)]!;
        const xi = h[2 * (i * n + c) + 1]!;
        fr += ur[i]! * xr + ui[i]! * xi;
        fi += ur[i]! * xi - ui[i]! * xr;
      }
      fr /= hh;
      fi /= hh;
      for (let i = k + 1; i < n; i++) {
        h[2 * (i * n + c)] = h[2 * (i * n + c)]! - (fr * ur[i]! - fi * ui[i]!);
        h[2 * (i * n + c) + 1] = h[2 * (i * n + c) + 1]! - (fr * ui[i]! + fi * ur[i]!);
      }
    }
    // M ← M·P for M = H and Q: each row r, f = (row·u)/hh, row −= f·uᴴ.
    for (const m of [h, q]) {
      for (let r = 0; r < n; r++) {
        let fr = 0;
        let fi = 0;
        for (let j = k + 1; j < n; j++) {
          const xr = m[2 * (r * n + j)]!;
          const xi = m[2 * (r * n + j) + 1]!;
          fr += xr * ur[j]! - xi * ui[j]!;
          fi += xr * ui[j]! + xi * ur[j]!;
        }
        fr /= hh;
        fi /= hh;
        for (let j = k + 1; j < n; j++) {
          // f·conj(u_j)
          m[2 * (r * n + j)] = m[2 * (r * n + j)]! - (fr * ur[j]! + fi * ui[j]!);
          m[2 * (r * n + j) + 1] = m[2 * (r * n + j) + 1]! - (fi * ur[j]! - fr * ui[j]!);
        }
      }
    }
    for (let i = k + 2; i < n; i++) {
      h[2 * (i * n + k)] = 0;
      h[2 * (i * n + k) + 1] = 0;
    }
  }
}

/**
 * Applies the complex Givens rotation G = [[c, s], [−conj(s), c]] (c real) to rows i, i+1 of `m`
 * over columns c0…c1, and Gᴴ to columns i, i+1 over rows r0…r1 of `m` (when r1 ≥ r0).
 */
function rotateRows(m: Float64Array, n: number, i: number, c: number, sr: number, si: number, c0: number, c1: number): void {
  for (let j = c0; j <= c1; j++) {
    const p = 2 * (i * n + j);
    const qx = 2 * ((i + 1) * n + j);
    const xr = m[p]!;
    const xi = m[p + 1]!;
    const yr = m[qx]!;
    const yi = m[qx + 1]!;
    // x' = c·x + s·y, y' = −conj(s)·x + c·y
    m[p] = c * xr + sr * yr - si * yi;
    m[p + 1] = c * xi + sr * yi + si * yr;
    m[qx] = c * yr - (sr * xr + si * xi);
    m[qx + 1] = c * yi - (sr * xi - si * xr);
  }
}

function rotateCols(m: Float64Array, n: number, i: number, c: number, sr: number, si: number, r0: number, r1: number): void {
  for (let r = r0; r <= r1; r++) {
    const p = 2 * (r * n + i);
    const qx = p + 2;
    const xr = m[p]!;
    const xi = m[p + 1]!;
    const yr = m[qx]!;
    const yi = m[qx + 1]!;
    // [x y]·Gᴴ: x' = c·x + conj(s)·y, y' = −s·x + c·y
    m[p] = c * xr + sr * yr + si * yi;
    m[p + 1] = c * xi + sr * yi - si * yr;
    m[qx] = c * yr - (sr * xr - si * xi);
    m[qx + 1] = c * yi - (sr * xi + si * xr);
  }
}

/** The rotation [c, s] with c real, G·(f, g)ᵀ = (r, 0)ᵀ. */
function givens(fr: number, fi: number, gr: number, gi: number): [number, number, number] {
  const fa = Math.hypot(fr, fi);
  const ga = Math.hypot(gr, gi);
  if (ga === 0) return [1, 0, 0];
  if (fa === 0) {
    // s = conj(g)/|g|
    return [0, gr / ga, -gi / ga];
  }
  const nrm = Math.hypot(fa, ga);
  const c = fa / nrm;
  // s = (f/|f|)·conj(g)/nrm
  const ur = fr / fa;
  const ui = fi / fa;
  return [c, (ur * gr + ui * gi) / nrm, (ui * gr - ur * gi) / nrm];
}

/**
 * Single-shift QR on the complex Hessenberg `h`, reducing it to upper triangular T (the whole of T
 * when `wantT`, else only the diagonal is meaningful) with the rotations accumulated into `q`.
 * Wilkinson shifts (the trailing 2×2 block's eigenvalue nearer its last diagonal entry); exceptional
 * shifts after 10 and 20 iterations without a deflation. False after 40·n iterations in all.
 */
function complexSchur(h: Float64Array, q: Float64Array, n: number, wantT: boolean): boolean {
  const re = (i: number, j: number): number => h[2 * (i * n + j)]!;
  const im = (i: number, j: number): number => h[2 * (i * n + j) + 1]!;
  const mag1 = (i: number, j: number): number => Math.abs(re(i, j)) + Math.abs(im(i, j));
  let hi = n - 1;
  let iter = 0;
  let total = 0;
  while (hi > 0) {
    let l = hi;
    for (; l > 0; l--) {
      let s = mag1(l - 1, l - 1) + mag1(l, l);
      if (s === 0) {
        s = 0;
        for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) s += mag1(i, j);
      }
      if (mag1(l, l - 1) <= EPS * s) {
        h[2 * (l * n + l - 1)] = 0;
        h[2 * (l * n + l - 1) + 1] = 0;
        break;
      }
    }
    if (l === hi) {
      hi--;
      iter = 0;
      continue;
    }
    if (++total > 40 * n) return false;
    iter++;
    let mr: number;
    let mi: number;
    if (iter % 10 === 0) {
      // Exceptional shift: off the diagonal by the size of the last subdiagonal entries.
      const e = Math.abs(re(hi, hi - 1)) + (hi - 2 >= l ? Math.abs(re(hi - 1, hi - 2)) : 0);
      mr = re(hi, hi) + 0.75 * e;
      mi = im(hi, hi);
    } else {
      [mr, mi] = wilkinson(re(hi - 1, hi - 1), im(hi - 1, hi - 1), re(hi - 1, hi), im(hi - 1, hi), re(hi, hi - 1), im(hi, hi - 1), re(hi, hi), im(hi, hi));
    }
    // Implicit single shift: the first rotation from (H[l][l] − μ, H[l+1][l]), then chase.
    const c0 = wantT ? 0 : l;
    const c1 = wantT ? n - 1 : hi;
    for (let k = l; k < hi; k++) {
      let g: [number, number, number];
      if (k === l) {
        g = givens(re(l, l) - mr, im(l, l) - mi, re(l + 1, l), im(l + 1, l));
      } else {
        g = givens(re(k, k - 1), im(k, k - 1), re(k + 1, k - 1), im(k + 1, k - 1));
      }
      const [c, sr, si] = g;
      rotateRows(h, n, k, c, sr, si, k === l ? k : k - 1, c1);
      if (k > l) {
        h[2 * ((k + 1) * n + k - 1)] = 0;
        h[2 * ((k + 1) * n + k - 1) + 1] = 0;
      }
      rotateCols(h, n, k, c, sr, si, c0, Math.min(k + 2, hi));
      rotateCols(q, n, k, c, sr, si, 0, n - 1);
    }
  }
  return true;
}

/** The eigenvalue of [[a, b], [c, d]] nearer d (all complex), computed stably. */
function wilkinson(ar: number, ai: number, br: number, bi: number, cr: number, ci: number, dr: number, di: number): [number, number] {
  // μ = d + t − sign·√(t² + bc) with t = (a − d)/2, the root nearer d.
  const tr = (ar - dr) / 2;
  const ti = (ai - di) / 2;
  const scale = Math.max(Math.abs(tr), Math.abs(ti), Math.sqrt(Math.hypot(br, bi) * Math.hypot(cr, ci)), Number.MIN_VALUE);
  const str = tr / scale;
  const sti = ti / scale;
  const bcr = (br * cr - bi * ci) / scale / scale;
  const bci = (br * ci + bi * cr) / scale / scale;
  const zr = str * str - sti * sti + bcr;
  const zi = 2 * str * sti + bci;
  // Principal square root of z.
  const zm = Math.hypot(zr, zi);
  let sr = Math.sqrt((zm + zr) / 2);
  let si = Math.sqrt(Math.max((zm - zr) / 2, 0));
  if (zi < 0) si = -si;
  // Choose the sign making |t + sqrt| large, so μ = d − bc/(t + sqrt) is the root nearer d.
  if (str * sr + sti * si < 0) {
    sr = -sr;
    si = -si;
  }
  const denr = (str + sr) * scale;
  const deni = (sti + si) * scale;
  if (denr === 0 && deni === 0) return [dr, di];
  const [qr, qi] = cdiv(br * cr - bi * ci, br * ci + bi * cr, denr, deni);
  return [dr - qr, di - qi];
}

/**
 * Eigenvectors of the upper triangular complex T (`t`, n×n interleaved) back-transformed by Q into
 * `v`: x_k solves (T − t_kk·I)·x = 0 with x_k = 1, divisors below ε·‖T‖ replaced by that (LAPACK's
 * trevc), rescaled when entries grow past 1/ε.
 */
function triangularVectors(t: Float64Array, q: Float64Array, n: number, v: Float64Array): void {
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) norm += Math.abs(t[2 * (i * n + j)]!) + Math.abs(t[2 * (i * n + j) + 1]!);
  const small = Math.max(EPS * norm, Number.MIN_VALUE);
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  v.fill(0);
  for (let k = 0; k < n; k++) {
    const lr = t[2 * (k * n + k)]!;
    const li = t[2 * (k * n + k) + 1]!;
    xr.fill(0);
    xi.fill(0);
    xr[k] = 1;
    for (let i = k - 1; i >= 0; i--) {
      let sr = 0;
      let si = 0;
      for (let j = i + 1; j <= k; j++) {
        const ar = t[2 * (i * n + j)]!;
        const ai = t[2 * (i * n + j) + 1]!;
        sr += ar * xr[j]! - ai * xi[j]!;
        si += ar * xi[j]! + ai * xr[j]!;
      }
      let dr = t[2 * (i * n + i)]! - lr;
      let di = t[2 * (i * n + i) + 1]! - li;
      if (Math.abs(dr) + Math.abs(di) < small) {
        dr = small;
        di = 0;
      }
      [xr[i], xi[i]] = cdiv(-sr, -si, dr, di);
      const big = Math.abs(xr[i]!) + Math.abs(xi[i]!);
      if (big > 1 / EPS) {
        for (let j = i; j <= k; j++) {
          xr[j] = xr[j]! / big;
          xi[j] = xi[j]! / big;
        }
      }
    }
    // Column k of V = Q·x.
    for (let r = 0; r < n; r++) {
      let accR = 0;
      let accI = 0;
      for (let j = 0; j <= k; j++) {
        const ar = q[2 * (r * n + j)]!;
        const ai = q[2 * (r * n + j) + 1]!;
        accR += ar * xr[j]! - ai * xi[j]!;
        accI += ar * xi[j]! + ai * xr[j]!;
      }
      v[2 * (r * n + k)] = accR;
      v[2 * (r * n + k) + 1] = accI;
    }
  }
}
