/**
 * @file `scipy.special`: the special-function primitives behind NumPy-style broadcasting, and
 * compositions of them (`beta`, `expit`, `xlogy`, `logsumexp`, …). Every function is
 * differentiable to any order in forward and reverse mode and works under `vmap`.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray } from "../numpy/creation.ts";
import { rejectComplex } from "../numpy/broadcast.ts";
import { abs, exp as npExp, log as npLog, sign, subtract } from "../numpy/math.ts";
import { equal, where } from "../numpy/logic.ts";
import { max, sum } from "../numpy/reductions.ts";
import * as s from "../primitives/special.ts";
import * as u from "../primitives/unary.ts";
import * as b from "../primitives/binary.ts";
import * as c from "../primitives/compare.ts";
import { convert } from "../primitives/structural.ts";
import { logistic } from "../primitives/logistic.ts";
import { isFloat } from "../core/dtype.ts";
import * as P from "../core/parse.ts";

const axisSchema = { axis: P.union(P.int, P.intList) } as const;
const logsumexpOpts = P.options("scipy.special.logsumexp", { axis: P.axes, keepdims: P.bool, b: P.arrayLike, returnSign: P.bool });
const softmaxOpts = P.options("scipy.special.softmax", axisSchema);
const logSoftmaxOpts = P.options("scipy.special.logSoftmax", axisSchema);

import { fn1, floats, safe, isZero, k } from "./special-args.ts";

// ----------------------------------------------------------------------------- gamma family

/**
 * Γ(x).
 * @example
 * scipy.special.gamma(5); // 24
 */
export const gamma = fn1("gamma", s.gamma);
/**
 * log |Γ(x)|.
 * @example
 * scipy.special.gammaln(10); // 12.801827480081469
 */
export const gammaln = fn1("gammaln", s.gammaln);
/**
 * ψ(x) = d log Γ(x) / dx.
 * @example
 * scipy.special.digamma(1); // -0.5772156649015329
 */
export const digamma = fn1("digamma", s.digamma);
/**
 * `scipy.special.psi(x)`: an alias of {@link digamma}, ψ(x) = d log Γ(x) / dx.
 * @example
 * scipy.special.psi(1); // -0.5772156649015329
 */
export const psi = digamma;

/**
 * ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function; `n` a non-negative integer (or an array of
 * them; NaN elsewhere). Differentiable in `x`; `n` has no derivative.
 * @example
 * scipy.special.polygamma(1, 1); // 1.6449340668482264
 */
export function polygamma(n: ArrayLike, x: ArrayLike): NDArray {
  const [nn, xx] = floats("polygamma", [n, x], ["n", "x"]);
  return s.polygamma(nn!, xx!);
}

/**
 * The sign of Γ(x): 1 for x > 0 (and +0), alternating ±1 between the negative integers, NaN at
 * them, −1 at −0 — as SciPy. Its derivative is zero.
 * @example
 * scipy.special.gammasgn([-0.5, -1.5, 2]); // [-1, 1, 1]
 */
export const gammasgn = fn1("gammasgn", (x) => {
  const odd = c.eq(b.mod(u.floor(x), k(x, 2)), k(x, 1));
  const between = c.select(odd, k(x, -1), k(x, 1));
  const zeroSign = c.select(c.gt(b.div(k(x, 1), x), k(x, 0)), k(x, 1), k(x, -1)); // ±0 → ±1
  const negative = c.select(c.eq(x, u.floor(x)), k(x, NaN), between);
  return c.select(c.gt(x, k(x, 0)), k(x, 1), c.select(isZero(x), zeroSign, negative));
});

/**
 * The multivariate log-gamma function log Γ_d(a) = d(d−1)/4 log π + Σⱼ₌₁..d log Γ(a − (j−1)/2).
 * @example
 * scipy.special.multigammaln(3, 1); // 0.6931471805599453
 */
export function multigammaln(a: ArrayLike, d: number): NDArray {
  if (!Number.isInteger(d) || d < 1) throw new TypeError(`scipy.special.multigammaln: d must be a positive integer; got ${d}`);
  const x = floats("multigammaln", [a], ["a"])[0]!;
  let out = k(x, ((d * (d - 1)) / 4) * Math.log(Math.PI)) as NDArray;
  for (let j = 1; j <= d; j++) out = b.add(out, s.gammaln(b.sub(x, k(x, (j - 1) / 2))));
  return out;
}

/**
 * log |B(a, b)| = log Γ(a) + log Γ(b) − log Γ(a + b).
 * @example
 * scipy.special.betaln(2, 3); // -2.4849066497880004
 */
export function betaln(a: ArrayLike, bb: ArrayLike): NDArray {
  const [x, y] = floats("betaln", [a, bb], ["a", "b"]);
  return b.sub(b.add(s.gammaln(x!), s.gammaln(y!)), s.gammaln(b.add(x!, y!)));
}

/**
 * B(a, b) = Γ(a)Γ(b)/Γ(a + b), as sign · exp(betaln).
 * @example
 * scipy.special.beta(2, 3); // 0.08333333333333333
 */
export function beta(a: ArrayLike, bb: ArrayLike): NDArray {
  const [x, y] = floats("beta", [a, bb], ["a", "b"]);
  const sign = b.mul(b.mul(gammasgn(x!), gammasgn(y!)), gammasgn(b.add(x!, y!)));
  return b.mul(sign, u.exp(betaln(x!, y!)));
}

/**
 * The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a). Differentiable in both
 * arguments, to any order (the derivatives in `a` come from the series or continued fraction in
 * Taylor arithmetic; JAX and autograd give at most the first).
 * @example
 * scipy.special.gammainc(1, 2); // 0.8646647167633873
 */
export function gammainc(a: ArrayLike, x: ArrayLike): NDArray {
  const [aa, xx] = floats("gammainc", [a, x], ["a", "x"]);
  return s.igamma(aa!, xx!, false);
}

/**
 * The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), accurate in its tail.
 * @example
 * scipy.special.gammaincc(1, 2); // 0.1353352832366127
 */
export function gammaincc(a: ArrayLike, x: ArrayLike): NDArray {
  const [aa, xx] = floats("gammaincc", [a, x], ["a", "x"]);
  return s.igamma(aa!, xx!, true);
}

/**
 * The regularized incomplete beta function Iₓ(a, b). Differentiable in all three arguments, to any
 * order.
 * @example
 * scipy.special.betainc(1, 1, 0.3); // 0.3
 */
export function betainc(a: ArrayLike, bb: ArrayLike, x: ArrayLike): NDArray {
  const [aa, bbb, xx] = floats("betainc", [a, bb, x], ["a", "b", "x"]);
  return s.betainc(aa!, bbb!, xx!);
}

/**
 * The inverse of `gammainc` in x: the x with P(a, x) = y. Differentiable in `a` and `y` to any
 * order (implicitly, from P's derivatives at the solution).
 * @example
 * scipy.special.gammaincinv(1, 0.5); // 0.6931471805599453
 */
export function gammaincinv(a: ArrayLike, y: ArrayLike): NDArray {
  const [aa, yy] = floats("gammaincinv", [a, y], ["a", "y"]);
  return s.igammaInv(aa!, yy!, false);
}

/**
 * The inverse of `gammaincc` in x: the x with Q(a, x) = y, accurate for small y.
 * @example
 * scipy.special.gammainccinv(1, 0.5); // 0.6931471805599453
 */
export function gammainccinv(a: ArrayLike, y: ArrayLike): NDArray {
  const [aa, yy] = floats("gammainccinv", [a, y], ["a", "y"]);
  return s.igammaInv(aa!, yy!, true);
}

/**
 * The inverse of `betainc` in x: the x with Iₓ(a, b) = y. Differentiable in all three arguments.
 * @example
 * scipy.special.betaincinv(1, 1, 0.3); // 0.3
 */
export function betaincinv(a: ArrayLike, bb: ArrayLike, y: ArrayLike): NDArray {
  const [aa, bbb, yy] = floats("betaincinv", [a, bb, y], ["a", "b", "y"]);
  return s.betaincInv(aa!, bbb!, yy!);
}

// --------------------------------------------------------------------------- error function

/**
 * erf(x).
 * @example
 * scipy.special.erf(0); // 0
 */
export const erf = fn1("erf", s.erf);
/**
 * erfc(x) = 1 − erf(x), accurate for large x.
 * @example
 * scipy.special.erfc(1); // 0.15729920705028516
 */
export const erfc = fn1("erfc", s.erfc);
/**
 * erfcx(x) = e^(x²) erfc(x).
 * @example
 * scipy.special.erfcx(1); // 0.427583576155807
 */
export const erfcx = fn1("erfcx", s.erfcx);
/**
 * erf⁻¹(y) on (−1, 1).
 * @example
 * scipy.special.erfinv(scipy.special.erf(0.3)); // 0.3
 */
export const erfinv = fn1("erfinv", s.erfinv, "y");
/**
 * erfc⁻¹(y) on (0, 2).
 * @example
 * scipy.special.erfcinv(0.5); // 0.4769362762044699
 */
export const erfcinv = fn1("erfcinv", s.erfcinv, "y");

/**
 * The standard normal CDF Φ(x) = erfc(−x/√2)/2.
 * @example
 * scipy.special.ndtr(0); // 0.5
 */
export const ndtr = fn1("ndtr", (x) => b.mul(k(x, 0.5), s.erfc(b.mul(x, k(x, -Math.SQRT1_2)))));
/**
 * Φ⁻¹(p) = −√2 erfc⁻¹(2p).
 * @example
 * scipy.special.ndtri(0.5); // 0
 */
export const ndtri = fn1("ndtri", (p) => b.mul(k(p, -Math.SQRT2), s.erfcinv(b.add(p, p))), "y");

/**
 * log Φ(x), accurate in both tails: log1p(−erfc(x/√2)/2) above 0 and log(erfcx(−x/√2)/2) − x²/2
 * below (each branch fed only inputs from its own side, so neither leaks NaN into derivatives).
 * @example
 * scipy.special.logNdtr(-40); // -804.6084420137539
 */
export const logNdtr = fn1("logNdtr", (x) => {
  const pos = c.gt(x, k(x, 0));
  const xp = safe(pos, x, 1);
  const xn = c.select(pos, k(x, -1), x);
  const upper = u.log1p(b.mul(k(x, -0.5), s.erfc(b.mul(xp, k(x, Math.SQRT1_2)))));
  const lower = b.sub(u.log(b.mul(k(x, 0.5), s.erfcx(b.mul(xn, k(x, -Math.SQRT1_2))))), b.mul(k(x, 0.5), b.mul(xn, xn)));
  return c.select(pos, upper, lower);
});

// ----------------------------------------------------------------------- logistic, entropy

/**
 * The logistic sigmoid 1/(1 + e⁻ˣ) (the `logistic` primitive: computed from e^(−|x|) ≤ 1 so
 * neither tail overflows, and accurate in relative terms down to the smallest subnormal).
 * @example
 * scipy.special.expit(0); // 0.5
 * scipy.special.expit(-745); // 5e-324
 */
export const expit = fn1("expit", logistic);

/**
 * log(p / (1 − p)), the inverse of `expit`.
 * @example
 * scipy.special.logit(0.5); // 0
 */
export const logit = fn1("logit", (p) => b.sub(u.log(p), u.log1p(u.neg(p))), "p");

/**
 * x·log(y), 0 where x = 0 (for any y but NaN). The derivative is log(y) in x and x/y in y, as JAX.
 * @example
 * scipy.special.xlogy(0, 0); // 0
 */
export function xlogy(x: ArrayLike, y: ArrayLike): NDArray {
  const [xx, yy] = floats("xlogy", [x, y], ["x", "y"]);
  const off = c.and(isZero(xx!), c.or(c.le(yy!, k(yy!, 0)), c.eq(yy!, k(yy!, Infinity))));
  return b.mul(xx!, u.log(c.select(off, k(yy!, 1), yy!)));
}

/**
 * x·log(1 + y), 0 where x = 0 (for any y but NaN).
 * @example
 * scipy.special.xlog1py(0, -1); // 0
 */
export function xlog1py(x: ArrayLike, y: ArrayLike): NDArray {
  const [xx, yy] = floats("xlog1py", [x, y], ["x", "y"]);
  const off = c.and(isZero(xx!), c.or(c.le(yy!, k(yy!, -1)), c.eq(yy!, k(yy!, Infinity))));
  return b.mul(xx!, u.log1p(c.select(off, k(yy!, 0), yy!)));
}

/**
 * The elementwise entropy −x log x (0 at 0, −∞ below). At the boundary x = 0 the derivative is
 * taken as 0 (the one-sided derivative is +∞).
 * @example
 * scipy.special.entr(1); // 0
 */
export const entr = fn1("entr", (x) => {
  const pos = c.gt(x, k(x, 0));
  const xs = safe(pos, x, 1);
  const inner = u.neg(b.mul(xs, u.log(xs)));
  return c.select(pos, inner, c.select(isZero(x), k(x, 0), b.add(x, k(x, -Infinity))));
});

/** Kinds of (x, y) pairs for `relEntr`/`klDiv`: both positive, the x = 0 edge, or outside (+∞). */
function relEntrParts(name: string, x: ArrayLike, y: ArrayLike) {
  const [xx, yy] = floats(name, [x, y], ["x", "y"]);
  const X = xx!;
  const Y = yy!;
  const ok = c.and(c.gt(X, k(X, 0)), c.gt(Y, k(Y, 0)));
  const edge = c.and(isZero(X), c.ge(Y, k(Y, 0)));
  const xs = safe(ok, X, 1);
  const ys = safe(ok, Y, 1);
  // NaN in, NaN out; outside the domain, +∞.
  const outside = c.select(c.or(c.isnan(X), c.isnan(Y)), k(X, NaN), k(X, Infinity));
  return { X, Y, ok, edge, xs, ys, outside };
}

/**
 * x log(x/y) for x, y > 0; 0 for x = 0 ≤ y; +∞ otherwise.
 * @example
 * scipy.special.relEntr(1, 1); // 0
 */
export function relEntr(x: ArrayLike, y: ArrayLike): NDArray {
  const { X, ok, edge, xs, ys, outside } = relEntrParts("relEntr", x, y);
  return c.select(ok, b.mul(xs, u.log(b.div(xs, ys))), c.select(edge, k(X, 0), outside));
}

/**
 * x log(x/y) − x + y for x, y > 0; y for x = 0 ≤ y; +∞ otherwise.
 * @example
 * scipy.special.klDiv(1, 1); // 0
 */
export function klDiv(x: ArrayLike, y: ArrayLike): NDArray {
  const { Y, ok, edge, xs, ys, outside } = relEntrParts("klDiv", x, y);
  return c.select(ok, b.add(b.sub(b.mul(xs, u.log(b.div(xs, ys))), xs), ys), c.select(edge, Y, outside));
}

// ------------------------------------------------------------------------- log-sum-exp family

interface AxisOpts {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/** Options of `logsumexp`: SciPy's `b` (weights, broadcast against `a`) and `return_sign`. */
export interface LogsumexpOpts extends AxisOpts {
  /** Weights: the result is log Σ b·exp(a). Entries with b = 0 are left out, as in SciPy and JAX. */
  b?: ArrayLike;
  /** Return `[log |Σ b·exp(a)|, sign of the sum]` rather than NaN where the weighted sum is negative. */
  returnSign?: boolean;
}

/**
 * `logsumexp(a, {axis, keepdims, b, returnSign})` = log Σ b·exp(a) (b = 1 by default), computed
 * stably by shifting by the maximum over the entries with b ≠ 0 (the shift is held constant for
 * differentiation: it cancels exactly). A negative weighted sum gives NaN, or with `returnSign`
 * the log of its magnitude and its sign (−1, 0 or 1) as a pair. Where b = 0 the derivative in b
 * is 0 (those entries are masked, as JAX does).
 * @example
 * scipy.special.logsumexp([0, 0]); // 0.6931471805599453
 * scipy.special.logsumexp([0, 0], { b: [2, -1] }); // 0
 * const [value, sign] = scipy.special.logsumexp([0, Math.log(3)], { b: [1, -1], returnSign: true });
 * value; // 0.6931471805599453
 * sign; // -1
 */
export function logsumexp(x: ArrayLike, opts?: LogsumexpOpts & { returnSign?: false }): NDArray;
export function logsumexp(x: ArrayLike, opts: LogsumexpOpts & { returnSign: true }): [NDArray, NDArray];
export function logsumexp(x: ArrayLike, opts: LogsumexpOpts = {}): NDArray | [NDArray, NDArray] {
  opts = logsumexpOpts(opts);
  let a = asarray(x, undefined, "scipy.special.logsumexp", "a");
  rejectComplex("scipy.special.logsumexp", [a], ["a"], "complex logsumexp is not supported (take np.log(np.sum(np.exp(a))))");
  if (!isFloat(a.dtype)) a = convert(a, "float64");
  let weights: NDArray | null = null;
  if (opts.b !== undefined) {
    [a, weights] = floats("logsumexp", [a, opts.b], ["a", "b"]) as [NDArray, NDArray];
    a = where(equal(weights, 0), -Infinity, a);
  }
  const m = u.stopGradient(max(a, { axis: opts.axis, keepdims: true }));
  const finiteM = where(m.sub(m).eq(0), m, 0); // 0 where the max is ±inf (or NaN)
  const terms = npExp(subtract(a, finiteM));
  const total = sum(weights ? terms.mul(weights) : terms, { axis: opts.axis, keepdims: true });
  const squeeze = (v: NDArray): NDArray => (opts.keepdims ? v : sum(v, { axis: opts.axis }));
  if (!opts.returnSign) return squeeze(npLog(total).add(finiteM));
  return [squeeze(npLog(abs(total)).add(finiteM)), squeeze(sign(total))];
}

/**
 * `softmax(x, {axis = -1})`: exp(x) / Σ exp(x).
 * @example
 * scipy.special.softmax([0, 0]); // [0.5, 0.5]
 */
export function softmax(x: ArrayLike, opts: { axis?: number | readonly number[] } = {}): NDArray {
  opts = softmaxOpts(opts);
  const a = asarray(x, undefined, "scipy.special.softmax", "x");
  return npExp(logSoftmax(a, opts));
}

/**
 * `logSoftmax(x, {axis = -1})`: x − logsumexp(x).
 * @example
 * scipy.special.logSoftmax([0, 0]); // [-0.6931471805599453, -0.6931471805599453]
 */
export function logSoftmax(x: ArrayLike, opts: { axis?: number | readonly number[] } = {}): NDArray {
  opts = logSoftmaxOpts(opts);
  const a = asarray(x, undefined, "scipy.special.logSoftmax", "x");
  return subtract(a, logsumexp(a, { axis: opts.axis ?? -1, keepdims: true }));
}

// --------------------------------------------------------------- small elementwise helpers

/**
 * `rgamma(x)`: 1/Γ(x), an entire function: 0 at the poles of Γ (0, −1, −2, …) with its true
 * derivative there ((−1)ⁿ n! at −n), by the reflection 1/Γ(x) = sin(πx)·Γ(1 − x)/π for x < ½
 * (sin(πx) reduced to the nearest integer first, so its zeros are exact).
 * @example
 * scipy.special.rgamma([4, 0, -1]); // [0.16666666666666666, 0, 0]
 */
export const rgamma = fn1("rgamma", (x) => {
  const direct = c.ge(x, k(x, 0.5));
  const xd = c.select(direct, x, k(x, 1));
  const xr = c.select(direct, k(x, 0), x);
  // sin(πx) with exact zeros at the integers: x = n + r with n the nearest integer, |r| ≤ ½
  const n = u.floor(b.add(xr, k(xr, 0.5)));
  const sign = b.sub(k(xr, 1), b.mul(b.mod(n, k(n, 2)), k(n, 2)));
  const sinpi = b.mul(sign, u.sin(b.mul(b.sub(xr, n), k(xr, Math.PI))));
  const reflected = b.div(b.mul(sinpi, s.gamma(b.sub(k(xr, 1), xr))), k(xr, Math.PI));
  return c.select(direct, b.div(k(x, 1), s.gamma(xd)), reflected);
});

/**
 * `huber(delta, r)`: r²/2 for |r| ≤ δ, δ(|r| − δ/2) beyond (∞ for δ < 0), as SciPy.
 * @example
 * scipy.special.huber(1, [0.5, 3]); // [0.125, 2.5]
 */
export function huber(delta: ArrayLike, r: ArrayLike): NDArray {
  const [d, x] = floats("huber", [delta, r], ["delta", "r"]);
  const small = c.le(u.abs(x!), d!);
  const inner = b.mul(b.mul(x!, x!), k(x!, 0.5));
  const outer = b.mul(d!, b.sub(u.abs(x!), b.mul(d!, k(x!, 0.5))));
  return c.select(c.lt(d!, k(d!, 0)), k(x!, Infinity), c.select(small, inner, outer));
}

/**
 * `pseudoHuber(delta, r)`: δ²(√(1 + (r/δ)²) − 1), smooth everywhere (0 for δ = 0, where its
 * derivative in δ is |r|).
 * @example
 * scipy.special.pseudoHuber(1, [0, 1]); // [0, 0.41421356237309515]
 */
export function pseudoHuber(delta: ArrayLike, r: ArrayLike): NDArray {
  const [d, x] = floats("pseudoHuber", [delta, r], ["delta", "r"]);
  const zero = c.eq(d!, k(d!, 0));
  const ds = c.select(zero, k(d!, 1), d!);
  const q = b.div(x!, ds);
  const v = b.mul(b.mul(ds, ds), u.expm1(b.mul(u.log1p(b.mul(q, q)), k(q, 0.5))));
  // at δ = 0: the leading terms δ|r| − δ², which carry the derivatives there
  return c.select(zero, b.sub(b.mul(d!, u.abs(x!)), b.mul(d!, d!)), v);
}

/**
 * (e^{λL} − 1)/λ, or its Taylor series L + λL²/2 + λ²L³/6 + λ³L⁴/24 at λ = 0 exactly, so that the
 * derivatives in λ (to third order) are right there too.
 */
function expm1Over(l: NDArray, L: NDArray): NDArray {
  const zero = c.eq(l, k(l, 0));
  const ls = c.select(zero, k(l, 1), l);
  const L2 = b.mul(L, L);
  const series = b.add(L, b.mul(l, b.add(b.mul(L2, k(L, 0.5)), b.mul(l, b.add(b.mul(b.mul(L2, L), k(L, 1 / 6)), b.mul(l, b.mul(b.mul(L2, L2), k(L, 1 / 24))))))));
  return c.select(zero, series, b.div(u.expm1(b.mul(ls, L)), ls));
}

/** log1p(λy)/λ, or its series y − λy²/2 + λ²y³/3 − λ³y⁴/4 at λ = 0 (see `expm1Over`). */
function log1pOver(l: NDArray, y: NDArray): NDArray {
  const zero = c.eq(l, k(l, 0));
  const ls = c.select(zero, k(l, 1), l);
  const y2 = b.mul(y, y);
  const series = b.sub(y, b.mul(l, b.sub(b.mul(y2, k(y, 0.5)), b.mul(l, b.sub(b.mul(b.mul(y2, y), k(y, 1 / 3)), b.mul(l, b.mul(b.mul(y2, y2), k(y, 0.25))))))));
  return c.select(zero, series, b.div(u.log1p(b.mul(ls, y)), ls));
}

/**
 * `boxcox(x, λ)`: (x^λ − 1)/λ, log x at λ = 0 (as expm1(λ log x)/λ, accurate near 0, and
 * differentiable in λ at 0).
 * @example
 * scipy.special.boxcox([1, 4], 0.5); // [0, 2]
 */
export function boxcox(x: ArrayLike, lmbda: ArrayLike): NDArray {
  const [xx, l] = floats("boxcox", [x, lmbda], ["x", "lmbda"]);
  return expm1Over(l!, u.log(xx!));
}

/**
 * `boxcox1p(x, λ)`: `boxcox(1 + x, λ)`, accurate for small x.
 * @example
 * scipy.special.boxcox1p(3, 0.5); // 2
 */
export function boxcox1p(x: ArrayLike, lmbda: ArrayLike): NDArray {
  const [xx, l] = floats("boxcox1p", [x, lmbda], ["x", "lmbda"]);
  return expm1Over(l!, u.log1p(xx!));
}

/**
 * `invBoxcox(y, λ)`: the inverse of `boxcox`, (1 + λy)^(1/λ) (eʸ at λ = 0).
 * @example
 * scipy.special.invBoxcox([0, 2], 0.5); // [1, 4]
 */
export function invBoxcox(y: ArrayLike, lmbda: ArrayLike): NDArray {
  const [yy, l] = floats("invBoxcox", [y, lmbda], ["y", "lmbda"]);
  return u.exp(log1pOver(l!, yy!));
}

/**
 * `invBoxcox1p(y, λ)`: the inverse of `boxcox1p`.
 * @example
 * scipy.special.invBoxcox1p(2, 0.5); // 3
 */
export function invBoxcox1p(y: ArrayLike, lmbda: ArrayLike): NDArray {
  const [yy, l] = floats("invBoxcox1p", [y, lmbda], ["y", "lmbda"]);
  return u.expm1(log1pOver(l!, yy!));
}

/**
 * `exp2(x)` = 2ˣ elementwise.
 * @example
 * scipy.special.exp2(3); // 8
 */
export const exp2 = fn1("exp2", (x) => b.pow(k(x, 2), x));
/**
 * `exp10(x)` = 10ˣ elementwise.
 * @example
 * scipy.special.exp10(2); // 100
 */
export const exp10 = fn1("exp10", (x) => b.pow(k(x, 10), x));
/**
 * `cbrt(x)` = ∛x elementwise, the real cube root (negative for negative x).
 * @example
 * scipy.special.cbrt(-27); // -3
 */
export const cbrt = fn1("cbrt", (x) => b.mul(u.sign(x), b.pow(u.abs(x), k(x, 1 / 3))));
/**
 * `log1p(x)` = log(1 + x), accurate for small x (SciPy's spelling of `np.log1p`, real arguments only).
 * @example
 * scipy.special.log1p(1e-10); // 9.999999999500001e-11
 */
export const log1p = fn1("log1p", u.log1p);
/**
 * `expm1(x)` = eˣ − 1, accurate for small x (SciPy's spelling of `np.expm1`, real arguments only).
 * @example
 * scipy.special.expm1(1e-10); // 1.00000000005e-10
 */
export const expm1 = fn1("expm1", u.expm1);

export { zeta } from "./zeta.ts";
export { i0, i1, j0, j1, y0, y1, jn, yn, iv, ive, i0e, i1e } from "./bessel.ts";
