/**
 * @file Truncated Taylor series whose coefficients are arrays: products (Cauchy), quotients, and
 * the O(K²) recurrences for exp, log, powers, square roots and the sine/cosine pair, written with
 * primitives so they trace, batch and differentiate.
 *
 * A series is `[x₀, x₁, …, x_K]` for x(t) = Σ xₖ tᵏ (coefficients, not derivatives: xₖ = x⁽ᵏ⁾/k!).
 */
import type { NDArray } from "../core/ndarray.ts";
import { add, div, mul, sub, fullLike } from "../primitives/binary.ts";
import { neg } from "../primitives/unary.ts";

export type Coeffs = NDArray[];

export const scale = (x: NDArray, c: number): NDArray => (c === 1 ? x : mul(x, fullLike(x, c)));

/** Σ terms (at least one). */
export const total = (terms: readonly NDArray[]): NDArray => terms.reduce((a, b) => add(a, b));

/** Σⱼ wⱼ·aⱼ·b_{k−j} over j in [from, to] (nothing when the range is empty). */
function cauchy(a: Coeffs, b: Coeffs, k: number, from: number, to: number, weight: (j: number) => number = () => 1): NDArray | null {
  const terms: NDArray[] = [];
  for (let j = from; j <= to; j++) terms.push(scale(mul(a[j]!, b[k - j]!), weight(j)));
  return terms.length === 0 ? null : total(terms);
}

/** (a·b)ₖ = Σⱼ aⱼ b_{k−j}. */
export function mulSeries(a: Coeffs, b: Coeffs, order: number): Coeffs {
  return Array.from({ length: order + 1 }, (_, k) => cauchy(a, b, k, 0, k)!);
}

/** q = a / b with q₀ given: b q = a, so qₖ = (aₖ − Σ_{j≥1} bⱼ q_{k−j}) / b₀. */
export function divSeries(a: Coeffs, b: Coeffs, q0: NDArray, order: number): Coeffs {
  const q = [q0];
  for (let k = 1; k <= order; k++) q.push(div(sub(a[k]!, cauchy(b, q, k, 1, k)!), b[0]!));
  return q;
}

/**
 * y with y′ = c·x′ and y₀ given, where cₘ may depend on y₀…yₘ (`cAt` is asked for cₘ once yₘ is
 * known): k yₖ = Σ_{j=1..k} j xⱼ c_{k−j}.
 */
export function chainSeries(x: Coeffs, y0: NDArray, cAt: (y: Coeffs, m: number) => NDArray, order: number): Coeffs {
  const y = [y0];
  const c: Coeffs = [];
  for (let k = 1; k <= order; k++) {
    c.push(cAt(y, k - 1));
    y.push(scale(cauchy(x, c, k, 1, k, (j) => j)!, 1 / k));
  }
  return y;
}

/** exp: y′ = y x′. */
export const expSeries = (x: Coeffs, y0: NDArray, order: number): Coeffs => chainSeries(x, y0, (y, m) => y[m]!, order);

/** log: x y′ = x′, so yₖ = (xₖ − (1/k) Σ_{j=1..k−1} j yⱼ x_{k−j}) / x₀. */
export function logSeries(x: Coeffs, y0: NDArray, order: number): Coeffs {
  const y = [y0];
  for (let k = 1; k <= order; k++) {
    const s = cauchy(y, x, k, 1, k - 1, (j) => j);
    y.push(div(s === null ? x[k]! : sub(x[k]!, scale(s, 1 / k)), x[0]!));
  }
  return y;
}

/** xᵖ for a constant p: x y′ = p x′ y, so k x₀ yₖ = Σ_{m=1..k} (p·m − (k − m)) xₘ y_{k−m}. Needs x₀ ≠ 0. */
export function powSeries(x: Coeffs, p: NDArray, y0: NDArray, order: number): Coeffs {
  const y = [y0];
  for (let k = 1; k <= order; k++) {
    const terms: NDArray[] = [];
    for (let m = 1; m <= k; m++) terms.push(mul(sub(scale(p, m), fullLike(p, k - m)), mul(x[m]!, y[k - m]!)));
    y.push(div(total(terms), scale(x[0]!, k)));
  }
  return y;
}

/** √x: y² = x, so yₖ = (xₖ − Σ_{j=1..k−1} yⱼ y_{k−j}) / (2 y₀). */
export function sqrtSeries(x: Coeffs, y0: NDArray, order: number): Coeffs {
  const y = [y0];
  for (let k = 1; k <= order; k++) {
    const s = cauchy(y, y, k, 1, k - 1);
    y.push(div(s === null ? x[k]! : sub(x[k]!, s), scale(y0, 2)));
  }
  return y;
}

/**
 * The pair s, c with s′ = c x′ and c′ = σ s x′ (σ = −1: sin, cos; σ = +1: sinh, cosh), built together
 * so each costs O(K²).
 */
export function sinCosSeries(x: Coeffs, s0: NDArray, c0: NDArray, sigma: 1 | -1, order: number): [Coeffs, Coeffs] {
  const s = [s0];
  const c = [c0];
  for (let k = 1; k <= order; k++) {
    const sk = scale(cauchy(x, c, k, 1, k, (j) => j)!, 1 / k);
    const ck = scale(cauchy(x, s, k, 1, k, (j) => j)!, sigma / k);
    s.push(sk);
    c.push(ck);
  }
  return [s, c];
}

/** The series of x′ (coefficients 0…K−1): (x′)ₘ = (m + 1) x_{m+1}. */
export const derivSeries = (x: Coeffs, order: number): Coeffs => Array.from({ length: order }, (_, m) => scale(x[m + 1]!, m + 1));

/** y with y′ = q (q's coefficients 0…K−1) and y₀ given: yₖ = q_{k−1} / k. */
export const integrateSeries = (q: Coeffs, y0: NDArray, order: number): Coeffs => [y0, ...Array.from({ length: order }, (_, i) => scale(q[i]!, 1 / (i + 1)))];

/** −x coefficientwise. */
export const negSeries = (x: Coeffs): Coeffs => x.map(neg);

/** c + x (a constant added to the value only). */
export const shiftSeries = (x: Coeffs, c: number): Coeffs => [add(x[0]!, fullLike(x[0]!, c)), ...x.slice(1)];

/**
 * f(x) from the derivatives of f at x₀ (`derivs[n − 1]` = f⁽ⁿ⁾(x₀), n = 1…K): with δ = x − x₀,
 * y = f(x₀) + Σₙ f⁽ⁿ⁾(x₀)/n! · δⁿ (Faà di Bruno by series powers; O(K³), for functions whose
 * derivatives are primitives but follow no short recurrence).
 */
export function composeSeries(x: Coeffs, derivs: readonly NDArray[], y0: NDArray, order: number): Coeffs {
  const delta: Coeffs = [fullLike(x[0]!, 0), ...x.slice(1)];
  const y: NDArray[] = [y0, ...x.slice(1).map((t) => fullLike(t, 0))];
  let power = delta;
  let factorial = 1;
  for (let n = 1; n <= order; n++) {
    factorial *= n;
    const coef = scale(derivs[n - 1]!, 1 / factorial);
    // δⁿ has no terms below tⁿ
    for (let k = n; k <= order; k++) y[k] = add(y[k]!, mul(coef, power[k]!));
    if (n < order) power = mulSeries(power, delta, order);
  }
  return y;
}
