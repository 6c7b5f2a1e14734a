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
 * from `alpha1`; `warning` when it ends on one of MINPACK's warnings instead; null after maxIter trials.
 */
export function dcsrch(phi: Phi, phi0: number, derphi0: number, alpha1: number, o: WolfeOptions): { alpha: number; phi: number; warning?: boolean } | null {
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
    const warning =
      (s.brackt && (stp <= stmin || stp >= stmax)) ||
      (s.brackt && stmax - stmin <= xtol * stmax) ||
      (stp === stpmax && f <= ftest && g <= gtest) ||
      (stp === stpmin && (f > ftest || g >= gtest));
    // Rounding, xtol, or a bound on the step: MINPACK's warnings (SciPy's Wolfe-1 rejects the step, L-BFGS-B takes it).
    if (warning) return { alpha: stp, phi: f, warning: true };
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

/** The minimizer of the cubic through (a, fa) with slope fpa, (b, fb) and (c, fc), or null. */
function cubicmin(a: number, fa: number, fpa: number, b: number, fb: number, c: number, fc: number): number | null {
  const db = b - a;
  const dc = c - a;
  const denom = (db * dc) ** 2 * (db - dc);
  const r1 = fb - fa - fpa * db;
  const r2 = fc - fa - fpa * dc;
  const A = (dc * dc * r1 - db * db * r2) / denom;
  const B = (-(dc ** 3) * r1 + db ** 3 * r2) / denom;
  const xmin = a + (-B + Math.sqrt(B * B - 3 * A * fpa)) / (3 * A);
  return Number.isFinite(xmin) ? xmin : null;
}

/** The minimizer of the quadratic through (a, fa) with slope fpa and (b, fb), or null. */
function quadmin(a: number, fa: number, fpa: number, b: number, fb: number): number | null {
  const db = b - a;
  const B = (fb - fa - fpa * db) / (db * db);
  const xmin = a - fpa / (2 * B);
  return Number.isFinite(xmin) ? xmin : null;
}

/**
 * SciPy's `scalar_search_wolfe2` (Nocedal & Wright, Algorithm 3.5 with the zoom of 3.6 and
 * cubic/quadratic interpolation): the fallback when `dcsrch` fails, with an extra acceptance test.
 * `phi` and `derphi` are separate so that a rejected trial costs no gradient.
 */
export function scalarSearchWolfe2(
  phi: (a: number) => number,
  derphi: (a: number) => number,
  phi0: number,
  oldPhi0: number | null,
  derphi0: number,
  o: { c1: number; c2: number; amax: number | null },
  extra: (alpha: number, phi: number) => boolean,
): { alpha: number; phi: number } | null {
  const { c1, c2, amax } = o;
  let alpha0 = 0;
  let alpha1 = oldPhi0 !== null && derphi0 !== 0 ? Math.min(1, (1.01 * 2 * (phi0 - oldPhi0)) / derphi0) : 1;
  if (alpha1 < 0) alpha1 = 1;
  if (amax !== null) alpha1 = Math.min(alpha1, amax);
  let phiA1 = phi(alpha1);
  let phiA0 = phi0;
  let derphiA0 = derphi0;
  const zoom = (aLo: number, aHi: number, phiLo: number, phiHi: number, derphiLo: number) => {
    let phiRec = phi0;
    let aRec = 0;
    for (let i = 0; i <= 10; i++) {
      const dalpha = aHi - aLo;
      const [a, b] = dalpha < 0 ? [aHi, aLo] : [aLo, aHi];
      let aj: number | null = null;
      const cchk = 0.2 * dalpha;
      if (i > 0) aj = cubicmin(aLo, phiLo, derphiLo, aHi, phiHi, aRec, phiRec);
      if (i === 0 || aj === null || aj > b - cchk || aj < a + cchk) {
        const qchk = 0.1 * dalpha;
        aj = quadmin(aLo, phiLo, derphiLo, aHi, phiHi);
        if (aj === null || aj > b - qchk || aj < a + qchk) aj = aLo + 0.5 * dalpha;
      }
      const phiAj = phi(aj);
      if (phiAj > phi0 + c1 * aj * derphi0 || phiAj >= phiLo) {
        [phiRec, aRec, aHi, phiHi] = [phiHi, aHi, aj, phiAj];
      } else {
        const derphiAj = derphi(aj);
        if (Math.abs(derphiAj) <= -c2 * derphi0 && extra(aj, phiAj)) return { alpha: aj, phi: phiAj };
        if (derphiAj * (aHi - aLo) >= 0) [phiRec, aRec, aHi, phiHi] = [phiHi, aHi, aLo, phiLo];
        else [phiRec, aRec] = [phiLo, aLo];
        [aLo, phiLo, derphiLo] = [aj, phiAj, derphiAj];
      }
    }
    return null;
  };
  for (let i = 0; i < 10; i++) {
    if (alpha1 === 0 || (amax !== null && alpha0 > amax)) return null;
    if (phiA1 > phi0 + c1 * alpha1 * derphi0 || (phiA1 >= phiA0 && i > 0)) return zoom(alpha0, alpha1, phiA0, phiA1, derphiA0);
    const derphiA1 = derphi(alpha1);
    if (Math.abs(derphiA1) <= -c2 * derphi0 && extra(alpha1, phiA1)) return { alpha: alpha1, phi: phiA1 };
    if (derphiA1 >= 0) return zoom(alpha1, alpha0, phiA1, phiA0, derphiA1);
    const alpha2 = amax !== null ? Math.min(2 * alpha1, amax) : 2 * alpha1;
    [alpha0, alpha1, phiA0] = [alpha1, alpha2, phiA1];
    phiA1 = phi(alpha1);
    derphiA0 = derphiA1;
  }
  // SciPy returns the last trial (with a warning) when the loop runs out.
  return { alpha: alpha1, phi: phiA1 };
}
