/**
 * @file Mixed partial derivatives ∂ᵃ∂ᵇ of the regularized incomplete beta function Iₓ(a, b) with
 * respect to its shape parameters: the continued fraction (Numerical Recipes' betacf, modified
 * Lentz), on whichever side converges, evaluated in Taylor arithmetic in (a, b).
 */
import { Taylor, lgammaTaylor } from "./taylor.ts";

const EPS = 1e-16;
const FPMIN = 1e-300;
const MAX_ITER = 100000;

/** The continued fraction of Iₓ(p, q) / (xᵖ(1−x)^q / (p B(p, q))), p and q as Taylor numbers. */
function betacf(p: Taylor, q: Taylor, x: number): Taylor | null {
  const { n1, n2 } = p;
  const one = Taylor.constant(n1, n2, 1);
  const pq = p.add(q);
  const clamp = (t: Taylor): Taylor => {
    if (Math.abs(t.c[0]!) < FPMIN) t.c[0] = FPMIN;
    return t;
  };
  let c = one;
  let d = clamp(one.add(pq.scale(-x).div(p.add(one)))).recip();
  let h = d;
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m;
    const pm2 = p.add(Taylor.constant(n1, n2, m2));
    // d₂ₘ = m(q − m)x / ((p + 2m − 1)(p + 2m))
    const even = q.add(Taylor.constant(n1, n2, -m)).scale(m * x).div(pm2.add(Taylor.constant(n1, n2, -1)).mul(pm2));
    d = clamp(one.add(even.mul(d))).recip();
    c = clamp(one.add(even.div(c)));
    h = h.mul(d).mul(c);
    // d₂ₘ₊₁ = −(p + m)(p + q + m)x / ((p + 2m)(p + 2m + 1))
    const mm = Taylor.constant(n1, n2, m);
    const odd = p.add(mm).mul(pq.add(mm)).scale(-x).div(pm2.mul(pm2.add(one)));
    d = clamp(one.add(odd.mul(d))).recip();
    c = clamp(one.add(odd.div(c)));
    const del = d.mul(c);
    h = h.mul(del);
    if (Math.abs(del.c[0]! - 1) <= EPS && del.maxSlope() <= EPS) return h;
  }
  return null;
}

/** Iₓ(p, q) or 1 − Iₓ(p, q)'s expansion: xᵖ(1−x)^q / (p B(p, q)) · betacf, in Taylor arithmetic. */
function front(p: Taylor, q: Taylor, x: number, lbeta: Taylor): Taylor {
  return p.scale(Math.log(x)).add(q.scale(Math.log1p(-x))).add(lbeta.scale(-1)).exp().div(p);
}

/**
 * ∂^ma/∂a^ma ∂^mb/∂b^mb Iₓ(a, b) for ma + mb ≥ 1. NaN outside a, b > 0, 0 ≤ x ≤ 1, or if the
 * fraction fails to converge.
 */
export function betaincDeriv(a: number, b: number, x: number, ma: number, mb: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (x === 0 || x === 1) return 0;
  const n1 = ma + 1;
  const n2 = mb + 1;
  const A = Taylor.affine(n1, n2, a, 1, 0);
  const B = Taylor.affine(n1, n2, b, 0, 1);
  // log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b)
  const lbeta = lgammaTaylor(n1, n2, a, 1, 0).add(lgammaTaylor(n1, n2, b, 0, 1)).add(lgammaTaylor(n1, n2, a + b, 1, 1).scale(-1));
  if (x < (a + 1) / (a + b + 2)) {
    const cf = betacf(A, B, x);
    return cf === null ? NaN : front(A, B, x, lbeta).mul(cf).derivative(ma, mb);
  }
  // Iₓ(a, b) = 1 − I₁₋ₓ(b, a): derivatives change sign.
  const cf = betacf(B, A, 1 - x);
  return cf === null ? NaN : -front(B, A, 1 - x, lbeta).mul(cf).derivative(ma, mb);
}
