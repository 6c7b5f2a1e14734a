/**
 * @file `scipy.special.zeta`: the Riemann and Hurwitz zeta functions by Euler–Maclaurin summation,
 * written with primitives so they are differentiable in both arguments.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { prepare, rejectComplex } from "../numpy/broadcast.ts";
import * as s from "../primitives/special.ts";
import * as u from "../primitives/unary.ts";
import * as b from "../primitives/binary.ts";
import * as c from "../primitives/compare.ts";

const k = b.fullLike;
/** Terms summed directly before the Euler–Maclaurin tail starts at q + N. */
const N = 10;
/** B₂ⱼ / (2j)! for j = 1…12: the tail's coefficients. */
const BERNOULLI_OVER_FACTORIAL = (() => {
  const b2j = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330, 854513 / 138, -236364091 / 2730];
  let fact = 1;
  return b2j.map((bj, i) => {
    fact *= (2 * i + 1) * (2 * i + 2);
    return bj / fact;
  });
})();

/**
 * ζ(x, q) = Σₙ (q + n)⁻ˣ: Σ_{n<N} (q + n)⁻ˣ + w¹⁻ˣ/(x − 1) + w⁻ˣ/2 + Σⱼ B₂ⱼ/(2j)! · x(x+1)…(x+2j−2) · w^(−x−2j+1),
 * w = q + N. The truncation error is below 1e-17 relative for q > 0 (it is also the analytic
 * continuation to x < 1).
 */
function hurwitz(x: NDArray, q: NDArray): NDArray {
  let sum = u.exp(b.mul(u.neg(x), u.log(q)));
  for (let n = 1; n < N; n++) sum = b.add(sum, b.pow(b.add(q, k(q, n)), u.neg(x)));
  const w = b.add(q, k(q, N));
  const wx = b.pow(w, u.neg(x));
  sum = b.add(sum, b.div(b.mul(wx, w), b.sub(x, k(x, 1))));
  sum = b.add(sum, b.mul(wx, k(wx, 0.5)));
  const invW2 = b.div(k(w, 1), b.mul(w, w));
  // term_j = rising(x, 2j − 1) · w^(−x−2j+1), built up by the factor (x + 2j − 1)(x + 2j)/w²
  let rising = x;
  let power = b.div(wx, w);
  for (let j = 0; j < BERNOULLI_OVER_FACTORIAL.length; j++) {
    sum = b.add(sum, b.mul(k(x, BERNOULLI_OVER_FACTORIAL[j]!), b.mul(rising, power)));
    rising = b.mul(rising, b.mul(b.add(x, k(x, 2 * j + 1)), b.add(x, k(x, 2 * j + 2))));
    power = b.mul(power, invW2);
  }
  return sum;
}

/**
 * `zeta(x, q?)`: the Riemann zeta function ζ(x) (all real x ≠ 1; for x < 0 by the reflection
 * ζ(x) = 2ˣ πˣ⁻¹ sin(πx/2) Γ(1 − x) ζ(1 − x)), or the Hurwitz zeta function ζ(x, q) for x > 1 and
 * q > 0 (NaN for q ≤ 0, where SciPy also accepts integer x). Differentiable in x and q
 * (∂ζ(x, q)/∂q = −x ζ(x + 1, q)).
 * @example
 * scipy.special.zeta(2); // π²/6 = 1.6449340668482264
 */
export function zeta(x: ArrayLike, q?: ArrayLike): NDArray {
  if (q !== undefined) {
    const [xx, qq] = prepare("scipy.special.zeta", [x, q], true, ["x", "q"]);
    rejectComplex("scipy.special.zeta", [xx!, qq!], ["x", "q"], "complex arguments are not supported here");
    const ok = c.and(c.gt(qq!, k(qq!, 0)), c.ge(xx!, k(xx!, 1)));
    const v = hurwitz(c.select(ok, xx!, k(xx!, 2)), c.select(ok, qq!, k(qq!, 1)));
    const atOne = c.eq(xx!, k(xx!, 1));
    return c.select(ok, c.select(atOne, k(v, Infinity), v), k(v, NaN));
  }
  const [xx] = prepare("scipy.special.zeta", [x], true, ["x"]);
  rejectComplex("scipy.special.zeta", [xx!], ["x"], "complex arguments are not supported here");
  const X = xx!;
  const reflect = c.lt(X, k(X, 0));
  const xd = c.select(reflect, k(X, 2), X);
  const direct = hurwitz(xd, k(X, 1));
  // ζ(x) for x < 0 from ζ(1 − x), 1 − x > 1
  const xr = c.select(reflect, X, k(X, -1));
  const one = k(xr, 1);
  const factor = b.mul(
    b.mul(b.pow(k(xr, 2), xr), b.pow(k(xr, Math.PI), b.sub(xr, one))),
    b.mul(u.sin(b.mul(xr, k(xr, Math.PI / 2))), s.gamma(b.sub(one, xr))),
  );
  const reflected = b.mul(factor, hurwitz(b.sub(one, xr), one));
  const atOne = c.eq(X, k(X, 1));
  return c.select(atOne, k(X, Infinity), c.select(reflect, reflected, direct));
}
