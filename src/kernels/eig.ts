/**
 * @file The general (non-symmetric) eigenproblem on one row-major matrix at a time, real input:
 * balancing, Householder reduction to upper Hessenberg form and Francis double-shift QR (eigenvalues
 * in complex conjugate pairs, eigenvectors from the quasi-triangular Schur form by back
 * substitution), and the pieces the complex solver (eig-complex.ts) shares: balancing, complex
 * division, LAPACK's geev normalisation. Complex values are interleaved (re, im).
 */

const EPS = 2 ** -52;

/** Smith's complex division (ar + i·ai)/(br + i·bi), without overflow in the intermediate |b|². */
export function cdiv(ar: number, ai: number, br: number, bi: number): [number, number] {
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br;
    const d = br + r * bi;
    return [(ar + r * ai) / d, (ai - r * ar) / d];
  }
  const r = br / bi;
  const d = bi + r * br;
  return [(r * ar + ai) / d, (r * ai - ar) / d];
}

/**
 * Balances `h` (n×n, interleaved complex when `cplx`, else real) in place by diagonal similarity with
 * powers of two, H ← D⁻¹·H·D, so that each row and column have comparable 2-norms (Parlett–Reinsch
 * as in LAPACK's gebal since 3.5: 2-norms including the diagonal, one factor of 2 per step on each
 * side). Returns D's diagonal. Exact in binary floating point; it reduces ‖H‖ and so the absolute
 * error of the eigenvalues of badly scaled matrices.
 */
export function balance(h: Float64Array, n: number, cplx: boolean): Float64Array {
  const d = new Float64Array(n).fill(1);
  const w = cplx ? 2 : 1;
  const sq = (i: number, j: number): number => {
    const k = (i * n + j) * w;
    return cplx ? h[k]! ** 2 + h[k + 1]! ** 2 : h[k]! ** 2;
  };
  for (let done = false, rounds = 0; !done && rounds < 100; rounds++) {
    done = true;
    for (let i = 0; i < n; i++) {
      let c = 0;
      let r = 0;
      for (let j = 0; j < n; j++) {
        c += sq(j, i);
        r += sq(i, j);
      }
      c = Math.sqrt(c);
      r = Math.sqrt(r);
      if (c === 0 || r === 0) continue;
      const s = c + r;
      let f = 1;
      let g = r / 2;
      while (c < g && f < 2 ** 500) {
        f *= 2;
        c *= 2;
        r /= 2;
        g /= 2;
      }
      g = c / 2;
      while (g >= r && f > 2 ** -500) {
        f /= 2;
        c /= 2;
        g /= 2;
        r *= 2;
      }
      if (c + r >= 0.95 * s) continue;
      done = false;
      d[i] = d[i]! * f;
      // Row i by 1/f, column i by f.
      for (let j = 0; j < n * w; j++) h[i * n * w + j] = h[i * n * w + j]! / f;
      for (let j = 0; j < n; j++) {
        const k = (j * n + i) * w;
        h[k] = h[k]! * f;
        if (cplx) h[k + 1] = h[k + 1]! * f;
      }
    }
  }
  return d;
}

/**
 * Normalises each column of the n×n interleaved complex matrix `v` as LAPACK's geev: unit 2-norm,
 * then multiplied by the phase that makes its largest-magnitude component (the first, on ties) real
 * and positive. (dgeev leaves a real eigenvector's sign as it comes; here it too is made positive.)
 */
export function normaliseColumns(v: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(v[2 * (i * n + j)]!), Math.abs(v[2 * (i * n + j) + 1]!));
    if (scale === 0) continue;
    let ss = 0;
    let big = -1;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const re = v[2 * (i * n + j)]! / scale;
      const im = v[2 * (i * n + j) + 1]! / scale;
      const m2 = re * re + im * im;
      ss += m2;
      if (m2 > big) {
        big = m2;
        k = i;
      }
    }
    const nrm = scale * Math.sqrt(ss);
    const kr = v[2 * (k * n + j)]!;
    const ki = v[2 * (k * n + j) + 1]!;
    const km = Math.hypot(kr, ki);
    // Multiply by conj(v_k)/|v_k| / ‖v‖.
    const fr = kr / km / nrm;
    const fi = -ki / km / nrm;
    for (let i = 0; i < n; i++) {
      const p = 2 * (i * n + j);
      const re = v[p]!;
      const im = v[p + 1]!;
      v[p] = re * fr - im * fi;
      v[p + 1] = re * fi + im * fr;
    }
    v[2 * (k * n + j) + 1] = 0;
  }
}

/** Options of the eigen kernels: balancing (on by default, as NumPy's geev). */
export interface EigOptions {
  readonly balance?: boolean;
}

/**
 * Eigenvalues and (when `v` is given) right eigenvectors of the real n×n matrix at `a[off…]`:
 * `w` receives n interleaved complex eigenvalues (conjugate pairs adjacent, positive imaginary
 * part first), `v` the n×n interleaved complex matrix whose columns are the eigenvectors, normalised
 * by `normaliseColumns`. Returns false (outputs NaN) on non-finite input or if QR fails to converge.
 */
export function eigReal(a: ArrayLike<number>, off: number, n: number, w: Float64Array, v: Float64Array | null, opts: EigOptions = {}): boolean {
  const h = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) h[i] = a[off + i]!;
  if (!finite(h)) return fail(w, v);
  const d = opts.balance === false ? new Float64Array(n).fill(1) : balance(h, n, false);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  hessenbergReal(h, q, n);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  if (!francisQR(h, q, n, wr, wi, v !== null)) return fail(w, v);
  for (let i = 0; i < n; i++) {
    w[2 * i] = wr[i]!;
    w[2 * i + 1] = wi[i]!;
  }
  if (v === null) return true;
  realSchurVectors(h, q, n, wr, wi);
  // Column j (real eigenvalue) is its vector; a pair j, j+1 holds u + i·w in columns j and j+1.
  for (let j = 0; j < n; j++) {
    if (wi[j] === 0) {
      for (let i = 0; i < n; i++) {
        v[2 * (i * n + j)] = d[i]! * q[i * n + j]!;
        v[2 * (i * n + j) + 1] = 0;
      }
    } else if (wi[j]! > 0) {
      for (let i = 0; i < n; i++) {
        const re = d[i]! * q[i * n + j]!;
        const im = d[i]! * q[i * n + j + 1]!;
        v[2 * (i * n + j)] = re;
        v[2 * (i * n + j) + 1] = im;
        v[2 * (i * n + j + 1)] = re;
        v[2 * (i * n + j + 1) + 1] = -im;
      }
    }
  }
  normaliseColumns(v, n);
  return true;
}

/** Whether `x` holds no NaN and no ±∞. */
export function finite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i]! - x[i]! !== 0) return false;
  return true;
}

/** Fills the outputs with NaN and reports failure. */
export function fail(w: Float64Array, v: Float64Array | null): false {
  w.fill(NaN);
  v?.fill(NaN);
  return false;
}

/**
 * Householder reduction of the real n×n `h` to upper Hessenberg form in place, H ← Qᵀ·H·Q, with
 * the reflections accumulated into `q` (Q ← Q·P).
 */
function hessenbergReal(h: Float64Array, q: Float64Array, n: number): void {
  const u = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let scale = 0;
    for (let i = k + 1; i < n; i++) scale += Math.abs(h[i * n + k]!);
    if (scale === 0) continue;
    let ss = 0;
    for (let i = k + 1; i < n; i++) {
      u[i] = h[i * n + k]! / scale;
      ss += u[i]! * u[i]!;
    }
    const alpha = u[k + 1]!;
    const g = alpha > 0 ? -Math.sqrt(ss) : Math.sqrt(ss);
    // P = I − u·uᵀ/hh with u = x − g·e₁, hh = ‖x‖² − g·x₁.
    const hh = ss - alpha * g;
    u[k + 1] = alpha - g;
    // H ← P·H (rows k+1…), then H ← H·P (all rows), then Q ← Q·P.
    for (let j = 0; j < n; j++) {
      let f = 0;
      for (let i = k + 1; i < n; i++) f += u[i]! * h[i * n + j]!;
      f /= hh;
      for (let i = k + 1; i < n; i++) h[i * n + j] = h[i * n + j]! - f * u[i]!;
    }
    for (const m of [h, q]) {
      for (let i = 0; i < n; i++) {
        let f = 0;
        for (let j = k + 1; j < n; j++) f += u[j]! * m[i * n + j]!;
        f /= hh;
        for (let j = k + 1; j < n; j++) m[i * n + j] = m[i * n + j]! - f * u[j]!;
      }
    }
    for (let i = k + 2; i < n; i++) h[i * n + k] = 0;
  }
}

/**
 * Francis double-shift QR on the upper Hessenberg `h` (overwritten by the quasi-triangular real
 * Schur form T when `wantT`), accumulating the transformations into `q`. Eigenvalues into `wr`,
 * `wi`. Small subdiagonal entries deflate the problem (`negligible`); after 10 and 20 iterations
 * without a deflation an exceptional shift breaks cycles. The matrix is never shifted in place (as
 * EISPACK's hqr does), so its diagonal keeps full accuracy. False if the total iteration count
 * passes 40·n.
 */
function francisQR(h: Float64Array, q: Float64Array, n: number, wr: Float64Array, wi: Float64Array, wantT: boolean): boolean {
  const H = (i: number, j: number): number => h[i * n + j]!;
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(H(i, j));
  let iter = 0;
  let total = 0;
  let hi = n - 1;
  let p = 0;
  let qq = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let x = 0;
  let y = 0;
  let w = 0;
  // Rows and columns that the transformations must update: the whole matrix when T is wanted.
  const colEnd = (): number => (wantT ? n - 1 : hi);
  while (hi >= 0) {
    let l = hi;
    while (l > 0 && !negligible(h, n, l, hi)) l--;
    if (l === hi) {
      // One eigenvalue has converged.
      wr[hi] = H(hi, hi);
      wi[hi] = 0;
      hi--;
      iter = 0;
    } else if (l === hi - 1) {
      // A 2×2 block: two real eigenvalues (then made triangular by a rotation) or a complex pair.
      w = H(hi, hi - 1) * H(hi - 1, hi);
      p = (H(hi - 1, hi - 1) - H(hi, hi)) / 2;
      qq = p * p + w;
      z = Math.sqrt(Math.abs(qq));
      x = H(hi, hi);
      if (qq >= 0) {
        z = p >= 0 ? p + z : p - z;
        wr[hi - 1] = x + z;
        wr[hi] = z !== 0 ? x - w / z : x + z;
        wi[hi - 1] = 0;
        wi[hi] = 0;
        x = H(hi, hi - 1);
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        qq = z / s;
        r = Math.sqrt(p * p + qq * qq);
        p /= r;
        qq /= r;
        const top = wantT ? 0 : l;
        for (let j = hi - 1; j <= colEnd(); j++) {
          z = H(hi - 1, j);
          h[(hi - 1) * n + j] = qq * z + p * H(hi, j);
          h[hi * n + j] = qq * H(hi, j) - p * z;
        }
        for (let i = top; i <= hi; i++) {
          z = H(i, hi - 1);
          h[i * n + hi - 1] = qq * z + p * H(i, hi);
          h[i * n + hi] = qq * H(i, hi) - p * z;
        }
        for (let i = 0; i < n; i++) {
          z = q[i * n + hi - 1]!;
          q[i * n + hi - 1] = qq * z + p * q[i * n + hi]!;
          q[i * n + hi] = qq * q[i * n + hi]! - p * z;
        }
      } else {
        wr[hi - 1] = x + p;
        wr[hi] = x + p;
        wi[hi - 1] = z;
        wi[hi] = -z;
      }
      hi -= 2;
      iter = 0;
    } else {
      if (++total > 40 * n) return false;
      x = H(hi, hi);
      y = H(hi - 1, hi - 1);
      w = H(hi, hi - 1) * H(hi - 1, hi);
      if (iter === 10 || iter === 20) {
        // Exceptional shifts (as LAPACK's dlahqr): the shifts of [[a, −0.4375·s], [s, a]] with
        // a = H[k][k] + 0.75·s, s from the subdiagonal at the bottom (10) or the top (20) of the block.
        const k = iter === 10 ? hi : l;
        s = iter === 10 ? Math.abs(H(hi, hi - 1)) + Math.abs(H(hi - 1, hi - 2)) : Math.abs(H(l + 1, l)) + Math.abs(H(l + 2, l + 1));
        x = y = H(k, k) + 0.75 * s;
        w = -0.4375 * s * s;
      }
      iter++;
      // Two consecutive small subdiagonal elements: start the bulge at row m.
      let m = hi - 2;
      for (; m >= l; m--) {
        z = H(m, m);
        r = x - z;
        s = y - z;
        p = (r * s - w) / H(m + 1, m) + H(m, m + 1);
        qq = H(m + 1, m + 1) - z - r - s;
        r = H(m + 2, m + 1);
        s = Math.abs(p) + Math.abs(qq) + Math.abs(r);
        p /= s;
        qq /= s;
        r /= s;
        if (m === l) break;
        if (Math.abs(H(m, m - 1)) * (Math.abs(qq) + Math.abs(r)) < EPS * (Math.abs(p) * (Math.abs(H(m - 1, m - 1)) + Math.abs(z) + Math.abs(H(m + 1, m + 1))))) break;
      }
      for (let i = m + 2; i <= hi; i++) {
        h[i * n + i - 2] = 0;
        if (i > m + 2) h[i * n + i - 3] = 0;
      }
      // The double-shift step: 3×3 Householder reflections chase the bulge down to row hi.
      for (let k = m; k <= hi - 1; k++) {
        const notLast = k !== hi - 1;
        if (k !== m) {
          p = H(k, k - 1);
          qq = H(k + 1, k - 1);
          r = notLast ? H(k + 2, k - 1) : 0;
          x = Math.abs(p) + Math.abs(qq) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          qq /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + qq * qq + r * r);
        if (p < 0) s = -s;
        if (s === 0) continue;
        if (k !== m) h[k * n + k - 1] = -s * x;
        else if (l !== m) h[k * n + k - 1] = -H(k, k - 1);
        p += s;
        x = p / s;
        y = qq / s;
        z = r / s;
        qq /= p;
        r /= p;
        for (let j = k; j <= colEnd(); j++) {
          p = H(k, j) + qq * H(k + 1, j);
          if (notLast) {
            p += r * H(k + 2, j);
            h[(k + 2) * n + j] = H(k + 2, j) - p * z;
          }
          h[k * n + j] = H(k, j) - p * x;
          h[(k + 1) * n + j] = H(k + 1, j) - p * y;
        }
        const top = wantT ? 0 : l;
        for (let i = top; i <= Math.min(hi, k + 3); i++) {
          p = x * H(i, k) + y * H(i, k + 1);
          if (notLast) {
            p += z * H(i, k + 2);
            h[i * n + k + 2] = H(i, k + 2) - p * r;
          }
          h[i * n + k] = H(i, k) - p;
          h[i * n + k + 1] = H(i, k + 1) - p * qq;
        }
        for (let i = 0; i < n; i++) {
          p = x * q[i * n + k]! + y * q[i * n + k + 1]!;
          if (notLast) {
            p += z * q[i * n + k + 2]!;
            q[i * n + k + 2] = q[i * n + k + 2]! - p * r;
          }
          q[i * n + k] = q[i * n + k]! - p;
          q[i * n + k + 1] = q[i * n + k + 1]! - p * qq;
        }
      }
    }
  }
  return true;
}

const SAFE_MIN = 2 ** -1022;

/**
 * Whether the subdiagonal entry H[l][l−1] of the real Hessenberg `h` can be set to zero: below ε
 * times its diagonal neighbours, and (Ahues & Tisseur's test, LAPACK's dlahqr) small enough beside
 * the 2×2 block's eigenvalue gap that the eigenvalues keep their relative accuracy.
 */
function negligible(h: Float64Array, n: number, l: number, hi: number): boolean {
  const sub = Math.abs(h[l * n + l - 1]!);
  const small = SAFE_MIN * (n / EPS);
  if (sub <= small) return true;
  const dl = h[l * n + l]!;
  const dp = h[(l - 1) * n + l - 1]!;
  let tst = Math.abs(dp) + Math.abs(dl);
  if (tst === 0) {
    if (l >= 2) tst += Math.abs(h[(l - 1) * n + l - 2]!);
    if (l + 1 <= hi) tst += Math.abs(h[(l + 1) * n + l]!);
  }
  if (sub > EPS * tst) return false;
  const sup = Math.abs(h[(l - 1) * n + l]!);
  const ab = Math.max(sub, sup);
  const ba = Math.min(sub, sup);
  const aa = Math.max(Math.abs(dl), Math.abs(dp - dl));
  const bb = Math.min(Math.abs(dl), Math.abs(dp - dl));
  const sum = aa + ab;
  return ba * (ab / sum) <= Math.max(small, EPS * (bb * (aa / sum)));
}

/**
 * Eigenvectors of the quasi-triangular T in `t` by back substitution (overwriting `t` above the
 * diagonal), then back-transformed by Q: `q` ← Q·X. A complex pair's vector u + i·w occupies two
 * columns. A zero divisor (a repeated eigenvalue) is perturbed to ε·‖T‖, as LAPACK's trevc.
 */
function realSchurVectors(t: Float64Array, q: Float64Array, n: number, wr: Float64Array, wi: Float64Array): void {
  const T = (i: number, j: number): number => t[i * n + j]!;
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(T(i, j));
  if (norm === 0) return;
  const small = EPS * norm;
  let x = 0;
  let y = 0;
  let z = 0;
  let r = 0;
  let s = 0;
  for (let c = n - 1; c >= 0; c--) {
    const p = wr[c]!;
    const qv = wi[c]!;
    if (qv === 0) {
      let l = c;
      t[c * n + c] = 1;
      for (let i = c - 1; i >= 0; i--) {
        const w = T(i, i) - p;
        r = 0;
        for (let j = l; j <= c; j++) r += T(i, j) * T(j, c);
        if (wi[i]! < 0) {
          z = w;
          s = r;
          continue;
        }
        l = i;
        if (wi[i] === 0) {
          t[i * n + c] = w !== 0 ? -r / w : -r / small;
        } else {
          // The 2×2 block at rows i, i+1.
          x = T(i, i + 1);
          y = T(i + 1, i);
          const den = (wr[i]! - p) ** 2 + wi[i]! ** 2;
          const tt = (x * s - z * r) / den;
          t[i * n + c] = tt;
          t[(i + 1) * n + c] = Math.abs(x) > Math.abs(z) ? (-r - w * tt) / x : (-s - y * tt) / z;
        }
        const big = Math.abs(T(i, c));
        if (EPS * big * big > 1) for (let j = i; j <= c; j++) t[j * n + c] = T(j, c) / big;
      }
    } else if (qv < 0) {
      // The pair (c−1, c): the vector's real part goes to column c−1, its imaginary part to c.
      let l = c - 1;
      if (Math.abs(T(c, c - 1)) > Math.abs(T(c - 1, c))) {
        t[(c - 1) * n + c - 1] = qv / T(c, c - 1);
        t[(c - 1) * n + c] = -(T(c, c) - p) / T(c, c - 1);
      } else {
        const [re, im] = cdiv(0, -T(c - 1, c), T(c - 1, c - 1) - p, qv);
        t[(c - 1) * n + c - 1] = re;
        t[(c - 1) * n + c] = im;
      }
      t[c * n + c - 1] = 0;
      t[c * n + c] = 1;
      for (let i = c - 2; i >= 0; i--) {
        let ra = 0;
        let sa = 0;
        for (let j = l; j <= c; j++) {
          ra += T(i, j) * T(j, c - 1);
          sa += T(i, j) * T(j, c);
        }
        const w = T(i, i) - p;
        if (wi[i]! < 0) {
          z = w;
          r = ra;
          s = sa;
          continue;
        }
        l = i;
        if (wi[i] === 0) {
          const [re, im] = cdiv(-ra, -sa, w, qv);
          t[i * n + c - 1] = re;
          t[i * n + c] = im;
        } else {
          x = T(i, i + 1);
          y = T(i + 1, i);
          let vr = (wr[i]! - p) ** 2 + wi[i]! ** 2 - qv * qv;
          const vi = (wr[i]! - p) * 2 * qv;
          if (vr === 0 && vi === 0) vr = small * (Math.abs(w) + Math.abs(qv) + Math.abs(x) + Math.abs(y) + Math.abs(z));
          const [re, im] = cdiv(x * r - z * ra + qv * sa, x * s - z * sa - qv * ra, vr, vi);
          t[i * n + c - 1] = re;
          t[i * n + c] = im;
          if (Math.abs(x) > Math.abs(z) + Math.abs(qv)) {
            t[(i + 1) * n + c - 1] = (-ra - w * re + qv * im) / x;
            t[(i + 1) * n + c] = (-sa - w * im - qv * re) / x;
          } else {
            const [re2, im2] = cdiv(-r - y * re, -s - y * im, z, qv);
            t[(i + 1) * n + c - 1] = re2;
            t[(i + 1) * n + c] = im2;
          }
        }
        const big = Math.max(Math.abs(T(i, c - 1)), Math.abs(T(i, c)));
        if (EPS * big * big > 1) {
          for (let j = i; j <= c; j++) {
            t[j * n + c - 1] = T(j, c - 1) / big;
            t[j * n + c] = T(j, c) / big;
          }
        }
      }
    }
  }
  // Q ← Q·X, X upper triangular (with the pairs' one subdiagonal zero): column j uses rows ≤ j.
  for (let j = n - 1; j >= 0; j--) {
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let k = 0; k <= j; k++) acc += q[i * n + k]! * T(k, j);
      q[i * n + j] = acc;
    }
  }
}
