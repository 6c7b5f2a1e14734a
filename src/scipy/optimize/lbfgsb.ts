/**
 * @file L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995; Morales & Nocedal 2011, "version 3.0" as SciPy
 * runs it): the generalized Cauchy point along the projected gradient path, subspace minimization
 * over the free variables with the compact limited-memory matrix, then a Moré–Thuente search.
 * Written from the papers' algorithm; the middle 2m × 2m systems are solved densely, the subspace
 * matrix K from products cached as the reference code caches them (lbfgsb-formk.ts), so its
 * restarts happen where SciPy's do.
 */
import { dcsrch } from "./linesearch.ts";
import type { FG, OnIter, RawResult } from "./methods.ts";
import { Counted } from "./methods.ts";
import { FormkCache } from "./lbfgsb-formk.ts";

export interface LbfgsbOpts {
  m: number;
  ftol: number;
  gtol: number;
  maxiter: number;
  maxfun: number;
  maxls: number;
  lower: Float64Array;
  upper: Float64Array;
}

const dotv = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** Solves the dense system A·x = b (Gaussian elimination with partial pivoting); null if singular. */
function solveDense(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (M[p]![c] === 0) return null;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k] = M[r]![k]! - f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}

/** Cholesky factor (lower) of a symmetric matrix, or null where a pivot is not positive (LINPACK's dpofa test). */
function cholesky(A: number[][]): number[][] | null {
  const n = A.length;
  const L = A.map(() => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let s = A[j]![j]!;
    for (let k = 0; k < j; k++) s -= L[j]![k]! ** 2;
    if (!(s > 0)) return null;
    L[j]![j] = Math.sqrt(s);
    for (let i = j + 1; i < n; i++) {
      let t = A[i]![j]!;
      for (let k = 0; k < j; k++) t -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = t / L[j]![j]!;
    }
  }
  return L;
}

/**
 * Whether L-BFGS-B's factorization of K succeeds: Cholesky of D + YᵀZZᵀY/θ, then of the Schur
 * complement θSᵀAAᵀS + NᵀN with N = L⁻¹(R_zᵀ − L_aᵀ). When it fails, the memory is refreshed (as SciPy does).
 */
function kFactorizes(K: number[][], col: number): boolean {
  const P11 = Array.from({ length: col }, (_, i) => Array.from({ length: col }, (_, j) => -K[i]![j]!));
  const L1 = cholesky(P11);
  if (L1 === null) return false;
  // N = L1⁻¹ B with B = −(upper-right block of K) = R_zᵀ − L_aᵀ.
  const N = Array.from({ length: col }, () => new Array<number>(col).fill(0));
  for (let c = 0; c < col; c++) {
    for (let r = 0; r < col; r++) {
      let v = -K[r]![col + c]!;
      for (let k = 0; k < r; k++) v -= L1[r]![k]! * N[k]![c]!;
      N[r]![c] = v / L1[r]![r]!;
    }
  }
  const P22 = Array.from({ length: col }, (_, i) => Array.from({ length: col }, (_, j) => K[col + i]![col + j]! + N.reduce((a, row) => a + row[i]! * row[j]!, 0)));
  return cholesky(P22) !== null;
}

/** L-BFGS-B with SciPy's stopping rules (‖proj g‖∞ ≤ gtol, relative decrease ≤ ftol, maxiter, maxfun). */
export function lbfgsb(fg: FG, x0: Float64Array, o: LbfgsbOpts, onIter: OnIter = () => {}): RawResult {
  const n = x0.length;
  const { lower: l, upper: u } = o;
  const hasL = (i: number) => l[i]! > -Infinity;
  const hasU = (i: number) => u[i]! < Infinity;
  const cnstnd = Array.from({ length: n }, (_, i) => hasL(i) || hasU(i)).some(Boolean);
  const boxed = Array.from({ length: n }, (_, i) => hasL(i) && hasU(i)).every(Boolean);
  const c = new Counted(fg);
  let x = x0.map((v, i) => Math.min(Math.max(v, l[i]!), u[i]!));
  let [f, g] = c.at(x);
  // The limited memory: pairs s = Δx, y = Δg (oldest first) and θ (B₀ = θI).
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  let theta = 1;
  // The reference code's cached products of K (see lbfgsb-formk.ts), what changed since they were
  // last brought up to date, and the free set at the previous Cauchy point.
  const cache = new FormkCache(o.m);
  let added = false;
  let updates = 0;
  let prevFree = new Uint8Array(n);
  const projgr = () => {
    let m = 0;
    for (let i = 0; i < n; i++) {
      let gi = g[i]!;
      if (gi < 0) {
        if (hasU(i)) gi = Math.max(x[i]! - u[i]!, gi);
      } else if (hasL(i)) gi = Math.min(x[i]! - l[i]!, gi);
      m = Math.max(m, Math.abs(gi));
    }
    return m;
  };
  /** M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹ applied to v (2·col entries). */
  const middle = (v: number[]): number[] | null => {
    const col = S.length;
    const K: number[][] = Array.from({ length: 2 * col }, () => new Array<number>(2 * col).fill(0));
    for (let i = 0; i < col; i++) {
      for (let j = 0; j < col; j++) {
        if (i === j) K[i]![j] = -dotv(S[i]!, Y[i]!);
        if (i > j) {
          K[col + i]![j] = dotv(S[i]!, Y[j]!);
          K[j]![col + i] = dotv(S[i]!, Y[j]!);
        }
        K[col + i]![col + j] = theta * dotv(S[i]!, S[j]!);
      }
    }
    return solveDense(K, v);
  };
  /** The row of W = [Y, θS] for variable i. */
  const wRow = (i: number) => [...Y.map((y) => y[i]!), ...S.map((s) => theta * s[i]!)];

  let k = 0;
  let status = 0;
  let message = "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL";
  let sbgnrm = projgr();
  while (sbgnrm > o.gtol) {
    const col = S.length;
    let z: Float64Array;
    let free: number[];
    let cVec: number[] = new Array<number>(2 * col).fill(0);
    // 1. The generalized Cauchy point (skipped without bounds once pairs exist: z = x).
    const where = new Int8Array(n); // 0 free, 1 at lower, 2 at upper
    if (!cnstnd && col > 0) {
      z = Float64Array.from(x);
      free = Array.from({ length: n }, (_, i) => i);
    } else {
      const d = new Float64Array(n);
      const p = new Array<number>(2 * col).fill(0);
      let f1 = 0;
      const breaks: { t: number; i: number }[] = [];
      let bnded = true;
      for (let i = 0; i < n; i++) {
        const neggi = -g[i]!;
        const atL = hasL(i) && x[i]! - l[i]! <= 0;
        const atU = hasU(i) && u[i]! - x[i]! <= 0;
        if (atL && neggi <= 0) where[i] = 1;
        else if (atU && neggi >= 0) where[i] = 2;
        if (where[i] !== 0) continue;
        d[i] = neggi;
        f1 -= neggi * neggi;
        const w = wRow(i);
        for (let j = 0; j < 2 * col; j++) p[j] = p[j]! + w[j]! * neggi;
        if (hasL(i) && neggi < 0) breaks.push({ t: (x[i]! - l[i]!) / -neggi, i });
        else if (hasU(i) && neggi > 0) breaks.push({ t: (u[i]! - x[i]!) / neggi, i });
        else if (Math.abs(neggi) > 0) bnded = false;
      }
      const xcp = Float64Array.from(x);
      let dtm = 0;
      let tsum = 0;
      if (breaks.length > 0 || d.some((v) => v !== 0)) {
        let f2 = -theta * f1;
        const f2Org = f2;
        if (col > 0) {
          const v = middle(p);
          if (v === null) break;
          f2 -= dotv(v, p);
        }
        dtm = -f1 / f2;
        breaks.sort((a, b) => a.t - b.t);
        let tj = 0;
        let allFixed = false;
        for (let b = 0; b < breaks.length; b++) {
          const { t, i: ibp } = breaks[b]!;
          const dt = t - tj;
          tj = t;
          if (dtm < dt) break;
          tsum += dt;
          const dibp = d[ibp]!;
          d[ibp] = 0;
          const zibp = dibp > 0 ? u[ibp]! - x[ibp]! : l[ibp]! - x[ibp]!;
          xcp[ibp] = dibp > 0 ? u[ibp]! : l[ibp]!;
          where[ibp] = dibp > 0 ? 2 : 1;
          const nleft = breaks.length - b - 1;
          if (nleft === 0 && breaks.length === n) {
            dtm = dt;
            allFixed = true;
            break;
          }
          const dibp2 = dibp * dibp;
          f1 = f1 + dt * f2 + dibp2 - theta * dibp * zibp;
          f2 -= theta * dibp2;
          if (col > 0) {
            for (let j = 0; j < 2 * col; j++) cVec[j] = cVec[j]! + dt * p[j]!;
            const wbp = wRow(ibp);
            const v = middle(wbp)!;
            const wmc = dotv(cVec, v);
            const wmp = dotv(p, v);
            const wmw = dotv(wbp, v);
            for (let j = 0; j < 2 * col; j++) p[j] = p[j]! - dibp * wbp[j]!;
            f1 += dibp * wmc;
            f2 += 2 * dibp * wmp - dibp2 * wmw;
          }
          f2 = Math.max(Number.EPSILON * f2Org, f2);
          if (nleft > 0) dtm = -f1 / f2;
          else dtm = bnded ? 0 : -f1 / f2;
        }
        if (!allFixed) {
          if (dtm <= 0) dtm = 0;
          tsum += dtm;
          for (let i = 0; i < n; i++) xcp[i] = xcp[i]! + tsum * d[i]!;
        }
        if (col > 0) for (let j = 0; j < 2 * col; j++) cVec[j] = cVec[j]! + dtm * p[j]!;
      }
      z = xcp;
      free = [];
      for (let i = 0; i < n; i++) if (where[i]! <= 0) free.push(i);
    }
    // The variables that entered or left the free set since the previous iteration (descending, as the reference code sums them).
    const isFreeNow = new Uint8Array(n);
    for (const i of free) isFreeNow[i] = 1;
    const changed = k > 0 && cnstnd;
    const entered: number[] = [];
    const left: number[] = [];
    for (let i = n - 1; changed && i >= 0; i--) {
      if (isFreeNow[i] && !prevFree[i]) entered.push(i);
      if (!isFreeNow[i] && prevFree[i]) left.push(i);
    }
    const wrk = entered.length > 0 || left.length > 0 || added;
    prevFree = isFreeNow;
    // 2. Subspace minimization over the free variables at the Cauchy point.
    if (free.length > 0 && col > 0) {
      // Reduced gradient r = −θ(z − x) − g + W M c on the free variables (−g without bounds).
      let r: number[];
      if (!cnstnd) r = free.map((i) => -g[i]!);
      else {
        const mc = middle(cVec)!;
        r = free.map((i) => {
          const w = wRow(i);
          return -theta * (z[i]! - x[i]!) - g[i]! + dotv(w, mc);
        });
      }
      // K from the cached products, brought up to date only when something changed (as `formk`).
      const active = Array.from({ length: n }, (_, q) => n - 1 - q).filter((i) => !isFreeNow[i]);
      if (wrk) cache.update(S, Y, free, active, entered, left, added, updates > o.m);
      const K = cache.matrix(S, Y, theta);
      if (!kFactorizes(K, col)) {
        // SciPy refreshes the limited memory and restarts the iteration from the Cauchy point.
        S.length = 0;
        Y.length = 0;
        theta = 1;
        added = false;
        updates = 0;
        continue;
      }
      const wv0 = [...Y.map((y) => free.reduce((a, i, q) => a + y[i]! * r[q]!, 0)), ...S.map((s2) => theta * free.reduce((a, i, q) => a + s2[i]! * r[q]!, 0))];
      const wv = solveDense(K, wv0);
      if (wv === null) break;
      const dz = free.map((i, q) => {
        let v = r[q]!;
        for (let j = 0; j < col; j++) v += (Y[j]![i]! * wv[j]!) / theta + S[j]![i]! * wv[col + j]!;
        return v / theta;
      });
      // Projection of the subspace step; if it does not descend, backtrack into the box instead.
      const zp = Float64Array.from(z);
      let hit = false;
      free.forEach((i, q) => {
        const v = Math.min(Math.max(z[i]! + dz[q]!, l[i]!), u[i]!);
        if ((hasL(i) && v === l[i]) || (hasU(i) && v === u[i])) hit = true;
        z[i] = v;
      });
      if (hit) {
        let ddp = 0;
        for (let i = 0; i < n; i++) ddp += (z[i]! - x[i]!) * g[i]!;
        if (ddp > 0) {
          z = zp;
          let alpha = 1;
          let ibd = -1;
          free.forEach((i, q) => {
            const dk = dz[q]!;
            let t1 = alpha;
            if (dk < 0 && hasL(i)) {
              const t2 = l[i]! - z[i]!;
              t1 = t2 >= 0 ? 0 : dk * alpha < t2 ? t2 / dk : t1;
            } else if (dk > 0 && hasU(i)) {
              const t2 = u[i]! - z[i]!;
              t1 = t2 <= 0 ? 0 : dk * alpha > t2 ? t2 / dk : t1;
            }
            if (t1 < alpha) [alpha, ibd] = [t1, q];
          });
          if (alpha < 1 && ibd >= 0) {
            const i = free[ibd]!;
            z[i] = dz[ibd]! > 0 ? u[i]! : l[i]!;
            dz[ibd] = 0;
          }
          free.forEach((i, q) => (z[i] = z[i]! + alpha * dz[q]!));
        }
      }
    }
    // 3. Line search along d = z − x, inside the box.
    const d = z.map((v, i) => v - x[i]!);
    const dnorm = Math.sqrt(dotv(d, d));
    let stpmx = 1e10;
    if (cnstnd) {
      if (k === 0) stpmx = 1;
      else {
        for (let i = 0; i < n; i++) {
          const a1 = d[i]!;
          if (a1 < 0 && hasL(i)) {
            const a2 = l[i]! - x[i]!;
            if (a2 >= 0) stpmx = 0;
            else if (a1 * stpmx < a2) stpmx = a2 / a1;
          } else if (a1 > 0 && hasU(i)) {
            const a2 = u[i]! - x[i]!;
            if (a2 <= 0) stpmx = 0;
            else if (a1 * stpmx > a2) stpmx = a2 / a1;
          }
        }
      }
    }
    const stp0 = k === 0 && !boxed ? Math.min(1 / dnorm, stpmx) : 1;
    const gd0 = dotv(g, d);
    if (!(gd0 < 0)) {
      status = 2;
      message = "ABNORMAL: the search direction does not descend";
      break;
    }
    const point = (a: number) => (a === 1 ? Float64Array.from(z) : x.map((v, i) => v + a * d[i]!));
    const res = dcsrch((a) => {
      const [fa, ga] = c.at(point(a));
      return [fa, dotv(ga, d)];
    }, f, gd0, stp0, { c1: 1e-3, c2: 0.9, xtol: 0.1, amin: 0, amax: stpmx, maxIter: o.maxls });
    if (res === null) {
      status = 2;
      message = "ABNORMAL: the line search failed";
      break;
    }
    const xNew = point(res.alpha);
    const [fNew, gNew] = c.at(xNew);
    const fold = f;
    const gOld = g;
    x = xNew;
    f = fNew;
    g = gNew;
    k++;
    onIter(x);
    sbgnrm = projgr();
    if (sbgnrm <= o.gtol) break;
    if (fold - f <= o.ftol * Math.max(Math.abs(fold), Math.abs(f), 1)) {
      message = "CONVERGENCE: RELATIVE REDUCTION OF F <= FACTR*EPSMCH";
      break;
    }
    if (k >= o.maxiter) {
      status = 1;
      message = "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT";
      break;
    }
    if (c.nfev > o.maxfun) {
      status = 1;
      message = "STOP: TOTAL NO. OF F,G EVALUATIONS EXCEEDS LIMIT";
      break;
    }
    // 4. The new pair, unless its curvature is too small (then the update is skipped).
    const s = d.map((v) => res.alpha * v);
    const y = g.map((v, i) => v - gOld[i]!);
    const dr = (dotv(g, d) - gd0) * res.alpha;
    added = dr > Number.EPSILON * (-gd0 * res.alpha);
    if (added) {
      updates++;
      S.push(s);
      Y.push(y);
      if (S.length > o.m) {
        S.shift();
        Y.shift();
      }
      theta = dotv(y, y) / dr;
    }
  }
  return { x, fun: f, jac: g, nit: k, nfev: c.nfev, njev: c.njev, status, message };
}
