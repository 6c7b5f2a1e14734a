/**
 * @file Derivatives of the regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x)
 * with respect to the shape a, of any order: the series (for P) or Legendre's continued fraction
 * (for Q), whichever converges, evaluated in Taylor arithmetic in a.
 */
import { Taylor, lgammaTaylor } from "./taylor.ts";

const EPS = 1e-16;
const FPMIN = 1e-300;
const MAX_ITER = 100000;

/** The prefactor xᵃ e⁻ˣ / Γ(a) of both expansions, as a Taylor number in a. */
function prefactor(a: number, x: number, len: number): Taylor {
  const logx = Math.log(x);
  return Taylor.affine(len, 1, a * logx - x, logx, 0).add(lgammaTaylor(len, 1, a, 1, 0).scale(-1)).exp();
}

/** P(a + ε, x) = xᵃe⁻ˣ/Γ(a) · Σₙ xⁿ / (a(a+1)⋯(a+n)); converges fast for x < a + 1. */
function seriesP(a: number, x: number, len: number): Taylor | null {
  let del = Taylor.affine(len, 1, a, 1, 0).recip();
  let sum = del;
  for (let n = 1; n < MAX_ITER; n++) {
    del = del.mul(Taylor.affine(len, 1, a + n, 1, 0).recip()).scale(x);
    sum = sum.add(del);
    let done = true;
    for (let j = 0; j < len; j++) {
      const d = Math.abs(del.c[j]!);
      if (d > EPS * Math.abs(sum.c[j]!) && d > FPMIN) done = false;
    }
    if (done) return prefactor(a, x, len).mul(sum);
  }
  return null;
}

/** Q(a + ε, x) by Legendre's continued fraction (modified Lentz); converges fast for x ≥ a + 1. */
function fractionQ(a: number, x: number, len: number): Taylor | null {
  let b = Taylor.affine(len, 1, x + 1 - a, -1, 0);
  let c = Taylor.constant(len, 1, 1 / FPMIN);
  let d = b.recip();
  let h = d;
  const two = Taylor.constant(len, 1, 2);
  for (let i = 1; i < MAX_ITER; i++) {
    const an = Taylor.affine(len, 1, -i * (i - a), i, 0); // aᵢ = −i(i − a)
    b = b.add(two);
    d = an.mul(d).add(b);
    if (Math.abs(d.c[0]!) < FPMIN) d.c[0] = FPMIN;
    c = b.add(an.div(c));
    if (Math.abs(c.c[0]!) < FPMIN) c.c[0] = FPMIN;
    d = d.recip();
    const del = d.mul(c);
    h = h.mul(del);
    if (Math.abs(del.c[0]! - 1) <= EPS && del.maxSlope() <= EPS) return prefactor(a, x, len).mul(h);
  }
  return null;
}

/**
 * ∂ᵐ/∂aᵐ of P(a, x) (`upper` false) or Q(a, x) (`upper` true), for m ≥ 1. NaN outside a > 0,
 * x ≥ 0, or if an expansion fails to converge.
 */
export function igammaDerivA(a: number, x: number, m: number, upper: boolean): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0 || x === Infinity) return 0;
  const useSeries = x < a + 1;
  const t = useSeries ? seriesP(a, x, m + 1) : fractionQ(a, x, m + 1);
  if (t === null) return NaN;
  const d = t.derivative(m, 0);
  // ∂ᵐQ = −∂ᵐP for m ≥ 1: the series gives P, the fraction Q.
  return useSeries === upper ? -d : d;
}
