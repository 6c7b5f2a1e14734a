/**
 * @file Strong-Wolfe line search of MINPACK-2's `dcsrch` (Moré & Thuente 1994), as SciPy's
 * `line_search_wolfe1` runs it for BFGS, CG and Newton-CG; written from the paper's algorithm.
 */

/** φ(α) and φ'(α) at one step length (one function-and-gradient evaluation). */
export type Phi = (alpha: number) => [number, number];

interface Step {
  stx: number;
  fx: number;
  dx: number;
  sty: number;
  fy: number;
  dy: number;
  brackt: boolean;
}

/** Safeguarded cubic/quadratic step of Moré–Thuente (`dcstep`): updates the interval in `s` and returns the new trial step. */
function dcstep(s: Step, stp: number, fp: number, dp: number, stpmin: number, stpmax: number): number {
  const { stx, fx, dx, sty, fy, dy } = s;
  const sgnd = dp * Math.sign(dx);
  const cubicGamma = (theta: number, a: number, b: number, clamp: boolean) => {
    const sc = Math.max(Math.abs(theta), Math.abs(a), Math.abs(b));
    const rad = (theta / sc) ** 2 - (a / sc) * (b / sc);
    return sc * Math.sqrt(clamp ? Math.max(0, rad) : rad);
  };
  let stpf: number;
  if (fp > fx) {
    // A higher function value: the minimum is bracketed.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    let gamma = cubicGamma(theta, dx, dp, false);
    if (stp < stx) gamma = -gamma;
    const r = (gamma - dx + theta) / (gamma - dx + gamma + dp);
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    s.brackt = true;
  } else if (sgnd < 0) {
    // Derivatives of opposite sign: bracketed.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    let gamma = cubicGamma(theta, dx, dp, false);
    if (stp > stx) gamma = -gamma;
    const r = (gamma - dp + theta) / (gamma - dp + gamma + dx);
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    s.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // Same sign, the derivative's magnitude decreases.
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    let gamma = cubicGamma(theta, dx, dp, true);
    if (stp > stx) gamma = -gamma;
    const r = (gamma - dp + theta) / (gamma + (dx - dp) + gamma);
    const stpc = r < 0 && gamma !== 0 ? stp + r * (stx - stp) : stp > stx ? stpmax : stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (s.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else if (s.brackt) {
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    let gamma = cubicGamma(theta, dy, dp, false);
    if (stp > sty) gamma = -gamma;
    const r = (gamma - dp + theta) / (gamma - dp + gamma + dy);
    stpf = stp + r * (sty - stp);
  } else {
    stpf = stp > stx ? stpmax : stpmin;
  }
  if (fp > fx) {
    s.sty = stp;
    s.fy = fp;
    s.dy = dp;
  } else {
    if (sgnd < 0) {
      s.sty = stx;
      s.fy = fx;
      s.dy = dx;
    }
    s.stx = stp;
    s.fx = fp;
    s.dx = dp;
  }
  return stpf;
}

export interface WolfeOptions {
  readonly c1: number;
  readonly c2: number;
  readonly xtol: number;
  readonly amin: number;
  readonly amax: number;
  readonly maxIter: number;
}

/**
 * A step α > 0 with φ(α) ≤ φ(0) + c1·α·φ'(0) and |φ'(α)| ≤ c2·|φ'(0)| (strong Wolfe), starting
 * from `alpha1`, or null when the search ends on a warning (rounding, xtol, a bound, or maxIter).
 */
export function dcsrch(phi: Phi, phi0: number, derphi0: number, alpha1: number, o: WolfeOptions): { alpha: number; phi: number; atMax?: boolean } | null {
  const { c1: ftol, c2: gtol, xtol, amin: stpmin, amax: stpmax } = o;
  if (!(derphi0 < 0) || !(alpha1 >= stpmin) || !(alpha1 <= stpmax)) return null;
  let stp = alpha1;
  let brackt = false;
  let stage = 1;
  const ginit = derphi0;
  const finit = phi0;
  const gtest = ftol * ginit;
  let width = stpmax - stpmin;
  let width1 = width / 0.5;
  const s: Step = { stx: 0, fx: finit, dx: ginit, sty: 0, fy: finit, dy: ginit, brackt };
  let stmin = 0;
  let stmax = stp + 4 * stp;
  for (let it = 0; it < o.maxIter; it++) {
    const [f, g] = phi(stp);
    const ftest = finit + stp * gtest;
    if (stage === 1 && f <= ftest && g >= 0) stage = 2;
    if (f <= ftest && Math.abs(g) <= gtol * -ginit) return { alpha: stp, phi: f };
    // The largest step allowed still decreases enough (L-BFGS-B accepts it: a bound is met).
    if (stp === stpmax && f <= ftest && g <= gtest) return { alpha: stp, phi: f, atMax: true };
    const warning =
      (s.brackt && (stp <= stmin || stp >= stmax)) ||
      (s.brackt && stmax - stmin <= xtol * stmax) ||
      (stp === stpmax && f <= ftest && g <= gtest) ||
      (stp === stpmin && (f > ftest || g >= gtest));
    if (warning) return null;
    if (stage === 1 && f <= s.fx && f > ftest) {
      // The modified function ψ(α) = φ(α) − φ(0) − c1·α·φ'(0) while no step has met sufficient decrease.
      const m: Step = { ...s, fx: s.fx - s.stx * gtest, fy: s.fy - s.sty * gtest, dx: s.dx - gtest, dy: s.dy - gtest };
      const next = dcstep(m, stp, f - stp * gtest, g - gtest, stmin, stmax);
      Object.assign(s, { stx: m.stx, sty: m.sty, brackt: m.brackt, fx: m.fx + m.stx * gtest, fy: m.fy + m.sty * gtest, dx: m.dx + gtest, dy: m.dy + gtest });
      stp = next;
    } else {
      stp = dcstep(s, stp, f, g, stmin, stmax);
    }
    brackt = s.brackt;
    if (brackt) {
      if (Math.abs(s.sty - s.stx) >= 0.66 * width1) stp = s.stx + 0.5 * (s.sty - s.stx);
      width1 = width;
      width = Math.abs(s.sty - s.stx);
      stmin = Math.min(s.stx, s.sty);
      stmax = Math.max(s.stx, s.sty);
    } else {
      stmin = stp + 1.1 * (stp - s.stx);
      stmax = stp + 4 * (stp - s.stx);
    }
    stp = Math.min(Math.max(stp, stpmin), stpmax);
    if ((brackt && (stp <= stmin || stp >= stmax)) || (brackt && stmax - stmin <= xtol * stmax)) stp = s.stx;
  }
  return null;
}
