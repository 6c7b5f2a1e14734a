/**
 * @file The numerical methods of `scipy.optimize.minimize` on plain vectors: BFGS, CG
 * (Polak–Ribière), Newton-CG and Nelder–Mead (L-BFGS-B is `lbfgsb.ts`), with SciPy's defaults and
 * stopping rules; the derivatives they need come in as callbacks.
 */
import { dcsrch, scalarSearchWolfe2, type WolfeOptions } from "./linesearch.ts";

/** f and ∇f at a point (one evaluation). */
export type FG = (x: Float64Array) => [number, Float64Array];
export type Hessp = (x: Float64Array, p: Float64Array) => Float64Array;

export interface RawResult {
  x: Float64Array;
  fun: number;
  jac: Float64Array | null;
  nit: number;
  nfev: number;
  njev: number;
  nhev?: number;
  status: number;
  message: string;
  hessInv?: Float64Array[];
}

export const MESSAGES = {
  success: "Optimization terminated successfully.",
  maxfev: "Maximum number of function evaluations has been exceeded.",
  maxiter: "Maximum number of iterations has been exceeded.",
  prLoss: "Desired error not necessarily achieved due to precision loss.",
  nan: "NaN result encountered.",
};

const dotv = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const normInf = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const norm1 = (a: Float64Array) => a.reduce((m, v) => m + Math.abs(v), 0);
const axpy = (x: Float64Array, a: number, p: Float64Array) => x.map((v, i) => v + a * p[i]!);

/**
 * Counts evaluations and remembers the last point, as SciPy's `ScalarFunction` does: a value and a
 * gradient asked for at a new point count once each in `nfev` and `njev` (both come from one pass).
 */
export class Counted {
  nfev = 0;
  njev = 0;
  private lastX: Float64Array | null = null;
  private last: [number, Float64Array] = [NaN, new Float64Array(0)];
  private fSeen = false;
  private gSeen = false;
  constructor(private readonly fg: FG) {}
  private load(x: Float64Array): void {
    if (this.lastX && this.lastX.length === x.length && this.lastX.every((v, i) => v === x[i])) return;
    this.lastX = Float64Array.from(x);
    this.last = this.fg(x);
    this.fSeen = this.gSeen = false;
  }
  f(x: Float64Array): number {
    this.load(x);
    if (!this.fSeen) [this.nfev, this.fSeen] = [this.nfev + 1, true];
    return this.last[0];
  }
  g(x: Float64Array): Float64Array {
    this.load(x);
    if (!this.gSeen) [this.njev, this.gSeen] = [this.njev + 1, true];
    return this.last[1];
  }
  at(x: Float64Array): [number, Float64Array] {
    return [this.f(x), this.g(x)];
  }
}

/**
 * SciPy's `_line_search_wolfe12`: `line_search_wolfe1` (the initial step from the previous decrease,
 * then `dcsrch`); when it fails or `extra` rejects its step, `scalar_search_wolfe2`.
 */
function lineSearch(
  c: Counted,
  xk: Float64Array,
  pk: Float64Array,
  gk: Float64Array,
  f0: number,
  fOld: number | null,
  o: Partial<WolfeOptions>,
  extra: ((alpha: number, x: Float64Array, f: number, g: Float64Array) => boolean) | null = null,
) {
  const derphi0 = dotv(gk, pk);
  let alpha1 = 1;
  if (fOld !== null && derphi0 !== 0) {
    alpha1 = Math.min(1, (1.01 * 2 * (f0 - fOld)) / derphi0);
    if (alpha1 < 0) alpha1 = 1;
  }
  const opts: WolfeOptions = { c1: 1e-4, c2: 0.9, xtol: 1e-14, amin: 1e-8, amax: 50, maxIter: 100, ...o };
  const at = (a: number) => {
    const x = axpy(xk, a, pk);
    const [f, g] = c.at(x);
    return { alpha: a, x, f, g };
  };
  const res = dcsrch((a) => {
    const r = at(a);
    return [r.f, dotv(r.g, pk)];
  }, f0, derphi0, alpha1, opts);
  if (res !== null && !res.warning) {
    const r = at(res.alpha);
    if (extra === null || extra(r.alpha, r.x, r.f, r.g)) return r;
  }
  const res2 = scalarSearchWolfe2(
    (a) => c.f(axpy(xk, a, pk)),
    (a) => dotv(c.g(axpy(xk, a, pk)), pk),
    f0,
    fOld,
    derphi0,
    { c1: opts.c1, c2: opts.c2, amax: o.amax ?? null },
    (a) => {
      if (extra === null) return true;
      const r = at(a);
      return extra(a, r.x, r.f, r.g);
    },
  );
  return res2 === null ? null : at(res2.alpha);
}

export interface GradOpts {
  gtol: number;
  maxiter: number;
}

/** Called with the iterate after every iteration (SciPy's `callback(xk)`). */
export type OnIter = (x: Float64Array) => void;
const noop: OnIter = () => {};

/** BFGS as SciPy's `_minimize_bfgs` (inverse Hessian update of Nocedal & Wright (6.17), H₀ = I). */
export function bfgs(fg: FG, x0: Float64Array, o: GradOpts, onIter: OnIter = noop): RawResult {
  const c = new Counted(fg);
  const n = x0.length;
  let H = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let xk = Float64Array.from(x0);
  let [fk, gk] = c.at(xk);
  let fOld: number | null = fk + Math.sqrt(dotv(gk, gk)) / 2;
  let k = 0;
  let status = 0;
  let gnorm = normInf(gk);
  while (gnorm > o.gtol && k < o.maxiter) {
    const pk = Float64Array.from(H, (row) => -dotv(row, gk));
    const ls = lineSearch(c, xk, pk, gk, fk, fOld, { amin: 1e-100, amax: 1e100 });
    if (ls === null) {
      status = 2;
      break;
    }
    const sk = pk.map((v) => ls.alpha * v);
    const yk = ls.g.map((v, i) => v - gk[i]!);
    fOld = fk;
    xk = ls.x;
    fk = ls.f;
    gk = ls.g;
    k++;
    onIter(xk);
    gnorm = normInf(gk);
    if (gnorm <= o.gtol) break;
    if (!Number.isFinite(fk)) {
      status = 2;
      break;
    }
    const ys = dotv(yk, sk);
    const rho = ys === 0 ? 1000 : 1 / ys;
    // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ.
    const Hy = Float64Array.from(H, (row) => dotv(row, yk));
    const yHy = dotv(yk, Hy);
    H = H.map((row, i) => row.map((v, j) => v - rho * (Hy[i]! * sk[j]! + sk[i]! * Hy[j]!) + (rho * rho * yHy + rho) * sk[i]! * sk[j]!));
  }
  return finish({ x: xk, fun: fk, jac: gk, nit: k, nfev: c.nfev, njev: c.njev, status, message: "", hessInv: H }, k >= o.maxiter, gnorm);
}

function finish(r: RawResult, hitMax: boolean, gnorm: number): RawResult {
  if (r.status === 2) r.message = MESSAGES.prLoss;
  else if (hitMax) {
    r.status = 1;
    r.message = MESSAGES.maxiter;
  } else if (Number.isNaN(gnorm) || Number.isNaN(r.fun) || r.x.some(Number.isNaN)) {
    r.status = 3;
    r.message = MESSAGES.nan;
  } else r.message = MESSAGES.success;
  return r;
}

/** Nonlinear conjugate gradients as SciPy's `_minimize_cg` (Polak–Ribière with restarts, c2 = 0.4). */
export function cg(fg: FG, x0: Float64Array, o: GradOpts, onIter: OnIter = noop): RawResult {
  const c = new Counted(fg);
  let xk = Float64Array.from(x0);
  let [fk, gk] = c.at(xk);
  let fOld: number | null = fk + Math.sqrt(dotv(gk, gk)) / 2;
  let pk = gk.map((v) => -v);
  let gnorm = normInf(gk);
  let k = 0;
  let status = 0;
  while (gnorm > o.gtol && k < o.maxiter) {
    const deltak = dotv(gk, gk);
    const step = (g: Float64Array) => {
      const beta = Math.max(0, dotv(g.map((v, i) => v - gk[i]!), g) / deltak);
      return g.map((v, i) => -v + beta * pk[i]!);
    };
    // SciPy's extra condition: the next Polak–Ribière direction must descend enough.
    const descent = (_a: number, _x: Float64Array, _f: number, g: Float64Array) => normInf(g) <= o.gtol || dotv(step(g), g) <= -0.01 * dotv(g, g);
    const ls = lineSearch(c, xk, pk, gk, fk, fOld, { c2: 0.4, amin: 1e-100, amax: 1e100 }, descent);
    if (ls === null) {
      status = 2;
      break;
    }
    const pNext = step(ls.g);
    gnorm = normInf(ls.g);
    fOld = fk;
    xk = ls.x;
    fk = ls.f;
    gk = ls.g;
    pk = pNext;
    k++;
    onIter(xk);
  }
  return finish({ x: xk, fun: fk, jac: gk, nit: k, nfev: c.nfev, njev: c.njev, status, message: "" }, k >= o.maxiter && gnorm > o.gtol, gnorm);
}

/** Truncated Newton as SciPy's `_minimize_newtoncg`: inner CG on Hessian-vector products, stop when ‖Δx‖₁ ≤ n·xtol. */
export function newtonCg(fg: FG, hessp: Hessp, x0: Float64Array, o: { xtol: number; maxiter: number }, onIter: OnIter = noop): RawResult {
  const c = new Counted(fg);
  const n = x0.length;
  const xtol = n * o.xtol;
  let xk = Float64Array.from(x0);
  let [fk, gk] = c.at(xk);
  let fOld: number | null = null;
  let update = 2 * xtol;
  let k = 0;
  let nhev = 0;
  let status = 0;
  let message = MESSAGES.success;
  while (update > xtol) {
    if (k >= o.maxiter) {
      status = 1;
      message = MESSAGES.maxiter;
      break;
    }
    const b = gk.map((v) => -v);
    const maggrad = norm1(b);
    const termcond = Math.min(0.5, Math.sqrt(maggrad)) * maggrad;
    let xsupi: Float64Array = new Float64Array(n);
    const ri = Float64Array.from(gk);
    let psupi: Float64Array = b.slice();
    let dri0 = dotv(ri, ri);
    let converged = false;
    for (let i = 0; i < 20 * n; i++) {
      if (norm1(ri) <= termcond) {
        converged = true;
        break;
      }
      const Ap = hessp(xk, psupi);
      nhev++;
      const curv = dotv(psupi, Ap);
      if (curv >= 0 && curv <= 3 * Number.EPSILON) {
        converged = true;
        break;
      }
      if (curv < 0) {
        if (i === 0) xsupi = b.map((v) => (dri0 / -curv) * v);
        converged = true;
        break;
      }
      const alpha = dri0 / curv;
      xsupi = axpy(xsupi, alpha, psupi);
      for (let j = 0; j < n; j++) ri[j] = ri[j]! + alpha * Ap[j]!;
      const dri1 = dotv(ri, ri);
      psupi = ri.map((v, j) => -v + (dri1 / dri0) * psupi[j]!);
      dri0 = dri1;
    }
    if (!converged) {
      status = 5;
      message = "Warning: CG iterations didn't converge. The Hessian is not positive definite.";
      break;
    }
    const ls = lineSearch(c, xk, xsupi, gk, fk, fOld, {});
    if (ls === null) {
      status = 2;
      message = MESSAGES.prLoss;
      break;
    }
    update = ls.alpha * norm1(xsupi);
    fOld = fk;
    xk = ls.x;
    fk = ls.f;
    gk = ls.g;
    k++;
    onIter(xk);
  }
  return { x: xk, fun: fk, jac: gk, nit: k, nfev: c.nfev, njev: c.njev, nhev, status, message };
}

/** Nelder–Mead as SciPy's `_minimize_neldermead` (standard coefficients, 5% initial simplex). */
export function nelderMead(f: (x: Float64Array) => number, x0: Float64Array, o: { xatol: number; fatol: number; maxiter: number; maxfev: number }, onIter: OnIter = noop): RawResult {
  const n = x0.length;
  let nfev = 0;
  const call = (x: Float64Array) => {
    nfev++;
    return f(x);
  };
  let sim: Float64Array[] = [Float64Array.from(x0)];
  for (let k = 0; k < n; k++) {
    const y = Float64Array.from(x0);
    y[k] = y[k] !== 0 ? 1.05 * y[k]! : 0.00025;
    sim.push(y);
  }
  let fsim = sim.map((x) => (nfev < o.maxfev ? call(x) : Infinity));
  const sort = () => {
    const idx = fsim.map((_, i) => i).sort((a, b) => fsim[a]! - fsim[b]! || a - b);
    sim = idx.map((i) => sim[i]!);
    fsim = idx.map((i) => fsim[i]!);
  };
  sort();
  let it = 1;
  const comb = (a: number, xa: Float64Array, b: number, xb: Float64Array) => xa.map((v, i) => a * v + b * xb[i]!);
  while (nfev < o.maxfev && it < o.maxiter) {
    let xspread = 0;
    let fspread = 0;
    for (let j = 1; j <= n; j++) {
      fspread = Math.max(fspread, Math.abs(fsim[0]! - fsim[j]!));
      for (let i = 0; i < n; i++) xspread = Math.max(xspread, Math.abs(sim[j]![i]! - sim[0]![i]!));
    }
    if (xspread <= o.xatol && fspread <= o.fatol) break;
    const xbar = new Float64Array(n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) xbar[i] = xbar[i]! + sim[j]![i]! / n;
    const worstX = sim[n]!;
    const xr = comb(2, xbar, -1, worstX);
    const fxr = call(xr);
    let shrink = false;
    if (fxr < fsim[0]!) {
      const xe = comb(3, xbar, -2, worstX);
      const fxe = call(xe);
      [sim[n], fsim[n]] = fxe < fxr ? [xe, fxe] : [xr, fxr];
    } else if (fxr < fsim[n - 1]!) {
      [sim[n], fsim[n]] = [xr, fxr];
    } else if (fxr < fsim[n]!) {
      const xc = comb(1.5, xbar, -0.5, worstX);
      const fxc = call(xc);
      if (fxc <= fxr) [sim[n], fsim[n]] = [xc, fxc];
      else shrink = true;
    } else {
      const xcc = comb(0.5, xbar, 0.5, worstX);
      const fxcc = call(xcc);
      if (fxcc < fsim[n]!) [sim[n], fsim[n]] = [xcc, fxcc];
      else shrink = true;
    }
    if (shrink) {
      for (let j = 1; j <= n; j++) {
        sim[j] = comb(0.5, sim[0]!, 0.5, sim[j]!);
        fsim[j] = call(sim[j]!);
      }
    }
    it++;
    sort();
    onIter(sim[0]!);
  }
  let status = 0;
  let message = MESSAGES.success;
  if (nfev >= o.maxfev) [status, message] = [1, MESSAGES.maxfev];
  else if (it >= o.maxiter) [status, message] = [2, MESSAGES.maxiter];
  return { x: sim[0]!, fun: fsim[0]!, jac: null, nit: it, nfev, njev: 0, status, message };
}
