/**
 * @file The Taylor rules of `jet`, keyed by primitive record: piecewise-linear primitives reuse
 * their JVP rule on every coefficient, products use Cauchy sums, the elementary functions use the
 * O(K²) recurrences of `series.ts`, and every other primitive gets a generic rule from its JVP.
 */
import type { NDArray } from "../core/ndarray.ts";
import { ConcreteArray } from "../core/ndarray.ts";
import type { Primitive } from "../core/primitive.ts";
import { bind, bind1, concreteBeneath, withMainTrace } from "../core/trace.ts";
import { evalJaxpr } from "../core/jaxpr.ts";
import { JetTracer, makeJetTrace, primalAndSeries, type JetGlobals, type JetRule, type SeriesRule } from "../interpreters/jet.ts";
import * as u from "../primitives/unary.ts";
import * as b from "../primitives/binary.ts";
import * as c from "../primitives/compare.ts";
import * as r from "../primitives/reduce.ts";
import * as st from "../primitives/structural.ts";
import * as g from "../primitives/gather.ts";
import { dotGeneralP } from "../primitives/contraction.ts";
import { argsortP } from "../primitives/sort.ts";
import * as sp from "../primitives/special.ts";
import { logisticP } from "../primitives/logistic.ts";
import { condP } from "../higher-order/control.ts";
import { scanP, whileP, type ScanParams, type WhileParams } from "../higher-order/loops.ts";
import { customVjpCallP } from "../higher-order/custom.ts";
import {
  type Coeffs, chainSeries, composeSeries, derivSeries, divSeries, expSeries, integrateSeries, logSeries, mulSeries, negSeries,
  powSeries, scale, shiftSeries, sinCosSeries, sqrtSeries,
} from "./series.ts";

type AnyPrim = Primitive<unknown>;
const { add, sub, mul, div, fullLike } = b;

/** The full coefficient list [x₀, x₁, …, x_K] of an input (zeros for a constant). */
const coeffs = (x: NDArray, s: readonly NDArray[] | null, order: number): Coeffs =>
  s === null ? [x, ...Array.from({ length: order }, () => st.zerosLike(x))] : [x, ...s];
/** The coefficients 1…K of an output (its series). */
const tail = (y: Coeffs): NDArray[] => y.slice(1);

/**
 * Piecewise-linear primitives (linear ones, selections, max/min/abs, comparisons, rounding): on
 * each smooth piece the output is linear in the inputs with coefficients fixed by the primals, so
 * the JVP rule applied to each coefficient gives the output's coefficient (and `null` for none).
 */
const viaJvp = (prim: AnyPrim): SeriesRule<unknown> => (primals, series, outs, params, order) => {
  const perOrder = Array.from({ length: order }, (_, k) => prim.jvp(primals, series.map((s) => (s === null ? null : s[k]!)), outs, params));
  return outs.map((_, i) => (perOrder.every((t) => t[i] === null) ? null : perOrder.map((t) => t[i] ?? st.zerosLike(outs[i]!))));
};

/** A bilinear primitive (mul, dotGeneral): (a ∘ b)ₖ = Σⱼ aⱼ ∘ b_{k−j}, constants skipped. */
const bilinear = (f: (x: NDArray, y: NDArray) => NDArray): SeriesRule<unknown> => ([x, y], [sx, sy], _, __, order) => {
  const a = sx === null ? null : coeffs(x!, sx, order);
  const bb = sy === null ? null : coeffs(y!, sy, order);
  const out: NDArray[] = [];
  for (let k = 1; k <= order; k++) {
    const terms: NDArray[] = [];
    if (a !== null && bb !== null) for (let j = 0; j <= k; j++) terms.push(f(a[j]!, bb[k - j]!));
    else if (a !== null) terms.push(f(a[k]!, y!));
    else terms.push(f(x!, bb![k]!));
    out.push(terms.reduce((p, q) => add(p, q)));
  }
  return [out];
};

/** A unary rule from the whole coefficient list of x and the primal output. */
const unary = (f: (x: Coeffs, out: NDArray, order: number) => Coeffs): SeriesRule<unknown> => ([x], [sx], [out], _, order) => [
  tail(f(coeffs(x!, sx!, order), out!, order)),
];

/** y with y′ = c(x)·x′ for a derivative c given as a series in x (computed first, independent of y). */
const byDerivative = (cOf: (x: Coeffs, order: number) => Coeffs) => (x: Coeffs, out: NDArray, order: number): Coeffs => {
  const cs = cOf(x, order);
  return chainSeries(x, out, (_, m) => cs[m]!, order);
};

const one = (x: NDArray): NDArray => fullLike(x, 1);
const square = (x: Coeffs, order: number): Coeffs => mulSeries(x, x, order);
/** 1 / s as a series. */
const reciprocal = (s: Coeffs, order: number): Coeffs =>
  divSeries([one(s[0]!), ...s.slice(1).map(st.zerosLike)], s, div(one(s[0]!), s[0]!), order);
/** 1 / √s as a series. */
const rsqrt = (s: Coeffs, order: number): Coeffs => reciprocal(sqrtSeries(s, u.sqrt(s[0]!), order), order);

/** tanh, tan, logistic-style recurrences: y′ = P(y) x′ with P a quadratic, cₘ from y₀…yₘ. */
const quadraticInY = (a: number, bq: number, cq: number) => (x: Coeffs, out: NDArray, order: number): Coeffs =>
  chainSeries(x, out, (y, m) => {
    // cₘ = a·δₘ₀ + b·yₘ + c·(y²)ₘ
    const sq = Array.from({ length: m + 1 }, (_, j) => mul(y[j]!, y[m - j]!)).reduce((p, q) => add(p, q));
    let cm = scale(sq, cq);
    if (bq !== 0) cm = add(cm, scale(y[m]!, bq));
    return m === 0 && a !== 0 ? add(cm, fullLike(cm, a)) : cm;
  }, order);

/** xʸ: for a constant integer exponent ≥ 0 by repeated products (exact at x = 0); for a constant one by the power recurrence; else exp(y log x). */
const powRule: SeriesRule<unknown> = ([x, y], [sx, sy], [out], _, order) => {
  if (sy === null) {
    const xs = coeffs(x!, sx, order);
    const p = y instanceof ConcreteArray ? Array.from(y.data as ArrayLike<number>) : null;
    const n = p !== null && p.length > 0 && p.every((v) => v === p[0]) ? p[0]! : NaN;
    if (Number.isInteger(n) && n >= 0 && n <= 64) return [tail(intPow(xs, n, out!, order))];
    return [tail(powSeries(xs, y!, out!, order))];
  }
  const logx = logSeries(coeffs(x!, sx, order), u.log(x!), order);
  const w = mulSeries(coeffs(y!, sy, order), logx, order);
  return [tail(expSeries(w, out!, order))];
};

/** xⁿ by squaring, with Cauchy products. */
function intPow(x: Coeffs, n: number, out: NDArray, order: number): Coeffs {
  if (n === 0) return [out, ...x.slice(1).map(st.zerosLike)];
  let result: Coeffs | null = null;
  let base = x;
  for (let e = n; e > 0; e >>= 1) {
    if (e & 1) result = result === null ? base : mulSeries(result, base, order);
    if (e > 1) base = mulSeries(base, base, order);
  }
  return [out, ...result!.slice(1)];
}

/** a / b: linear in a for a constant b, else the quotient recurrence. */
const divRule: SeriesRule<unknown> = ([x, y], [sx, sy], [out], _, order) => {
  if (sy === null) return [sx!.map((t) => div(t, y!))];
  return [tail(divSeries(coeffs(x!, sx, order), coeffs(y!, sy, order), out!, order))];
};

/** atan2(y, x): z′ = (x y′ − y x′) / (x² + y²), integrated. */
const atan2Rule: SeriesRule<unknown> = ([y, x], [sy, sx], [out], _, order) => {
  const ys = coeffs(y!, sy, order);
  const xs = coeffs(x!, sx, order);
  const xdy = mulSeries(xs, derivSeries(ys, order), order - 1);
  const ydx = mulSeries(ys, derivSeries(xs, order), order - 1);
  const num = xdy.map((t, i) => sub(t, ydx[i]!));
  const xx = mulSeries(xs, xs, order - 1);
  const yy = mulSeries(ys, ys, order - 1);
  const den = xx.map((t, i) => add(t, yy[i]!));
  const q = divSeries(num, den, div(num[0]!, den[0]!), order - 1);
  return [tail(integrateSeries(q, out!, order))];
};

const sinCos = (which: 0 | 1, sigma: 1 | -1, s0: (x: NDArray) => NDArray, c0: (x: NDArray) => NDArray) =>
  unary((x, _, order) => sinCosSeries(x, s0(x[0]!), c0(x[0]!), sigma, order)[which]);

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const erfDerivative = (x: Coeffs, order: number): Coeffs => {
  const e = expSeries(negSeries(square(x, order)), u.exp(u.neg(mul(x[0]!, x[0]!))), order);
  return e.map((t) => scale(t, TWO_OVER_SQRT_PI));
};

/** ψ⁽ᵐ⁺ⁿ⁻¹⁾(x₀) for n = 1…K: the derivatives of ψ⁽ᵐ⁻¹⁾ (m = 0: of log Γ). */
const polygammaDerivs = (x0: NDArray, m: NDArray, order: number): NDArray[] =>
  Array.from({ length: order }, (_, n) => sp.polygamma(add(m, fullLike(m, n)), x0));

/** erfinv-type functions: y′ = a·e^(y²)·x′, the series of e^(y²) grown with y. */
const expSquareInY = (a: number) => (x: Coeffs, out: NDArray, order: number): Coeffs => {
  const w: Coeffs = [];
  const e: Coeffs = [];
  return chainSeries(x, out, (y, m) => {
    w.push(Array.from({ length: m + 1 }, (_, j) => mul(y[j]!, y[m - j]!)).reduce((p, q) => add(p, q)));
    // e = exp(w): e₀ = e^(w₀), m eₘ = Σ_{j=1..m} j wⱼ e_{m−j}
    e.push(m === 0 ? u.exp(w[0]!) : scale(Array.from({ length: m }, (_, i) => scale(mul(w[i + 1]!, e[m - 1 - i]!), i + 1)).reduce((p, q) => add(p, q)), 1 / m));
    return scale(e[m]!, a);
  }, order);
};

/** exp(L) as a series, for a log-density L given as a series. */
const expOf = (l: Coeffs, order: number): Coeffs => expSeries(l, u.exp(l[0]!), order);
/** c·x (c an array constant) plus a constant d added to the value. */
const affine = (x: Coeffs, c: NDArray, d: NDArray): Coeffs => x.map((t, i) => (i === 0 ? add(mul(c, t), d) : mul(c, t)));

/**
 * The regularized incomplete gamma P(a, x) (Q with `upper`) in x, a constant (else the generic rule): ∂P/∂x = x^(a−1) e^(−x) / Γ(a),
 * the log-density (a − 1) log x − x − log Γ(a) as a series.
 */
const igammaRule: SeriesRule<unknown> = (primals, allSeries, outs, params, order) => {
  const [a, x] = primals;
  const [sa, sx] = allSeries;
  const [out] = outs;
  if (sa !== null) return viaJvpRecursion(sp.igammaP as AnyPrim)(primals, allSeries, outs, params, order);
  const xs = coeffs(x!, sx, order);
  const am1 = sub(a!, one(a!));
  const logDensity = logSeries(xs, u.log(x!), order).map((t, i) => sub(mul(am1, t), i === 0 ? add(xs[0]!, sp.gammaln(a!)) : xs[i]!));
  const density = expOf(logDensity, order);
  const y = chainSeries(xs, out!, (_, m) => density[m]!, order);
  return [tail((params as { upper: boolean }).upper ? [y[0]!, ...negSeries(y.slice(1))] : y)];
};

/** The regularized incomplete beta Iₓ(a, b) in x, a and b constant (else the generic rule): ∂I/∂x = x^(a−1)(1 − x)^(b−1) / B(a, b). */
const betaincRule: SeriesRule<unknown> = (primals, allSeries, outs, params, order) => {
  const [a, bb, x] = primals;
  const [sa, sb, sx] = allSeries;
  const [out] = outs;
  const { ma, mb } = params as { ma: number; mb: number };
  if (sa !== null || sb !== null || ma !== 0 || mb !== 0) return viaJvpRecursion(sp.betaincP as AnyPrim)(primals, allSeries, outs, params, order);
  const xs = coeffs(x!, sx, order);
  const logX = logSeries(xs, u.log(x!), order);
  const logOneMinusX = logSeries(shiftSeries(negSeries(xs), 1), u.log1p(u.neg(x!)), order);
  const logBeta = sub(add(sp.gammaln(a!), sp.gammaln(bb!)), sp.gammaln(add(a!, bb!)));
  const zero = fullLike(x!, 0);
  const l1 = affine(logX, sub(a!, one(a!)), zero);
  const l2 = affine(logOneMinusX, sub(bb!, one(bb!)), u.neg(logBeta));
  const density = expOf(l1.map((t, i) => add(t, l2[i]!)), order);
  return [tail(chainSeries(xs, out!, (_, m) => density[m]!, order))];
};

const series = (rule: SeriesRule<unknown>): JetRule<unknown> => ({ kind: "series", rule });

/** `customVjpCall` (a forward/backward pair, no tangent map): run its function on the jet tracers. */
const inlineCustom: JetRule<unknown> = { kind: "inline", call: (args, params) => (params as { f: (xs: NDArray[]) => NDArray[] }).f(args) };

/**
 * Any other primitive, from its JVP rule: along x(t), y′(t) = jvp(x(t), x′(t)), so the series of y′
 * (order K − 1) is the JVP rule run one jet level up on the series of x and x′ (the primal outputs
 * there come from the same rule at order K − 1), and yₖ = (y′)ₖ₋₁ / k. Exact, and it keeps custom JVP
 * rules (which often exist because the function's own code is singular somewhere), but it recurses
 * once per order: up to O(2ᴷ) work where a dedicated O(K²) rule has O(K²).
 */
const viaJvpRecursion = (prim: AnyPrim): SeriesRule<unknown> => (primals, series, outs, params, order) => {
  const xs = primals.map((x, i) => coeffs(x, series[i]!, order));
  const dxs = xs.map((x, i) => (series[i] === null ? null : derivSeries(x, order)));
  const globals: JetGlobals = { order: order - 1, ruleFor: jetRuleFor };
  const derivs = withMainTrace(makeJetTrace, globals, (main) => {
    const lift = (c: Coeffs) => new JetTracer(main.trace as never, c[0]!, order === 1 ? null : c.slice(1, order));
    const xsUp = xs.map(lift);
    const outsUp = bind(prim, xsUp, params);
    const tangentOuts = prim.jvp(xsUp, dxs.map((d) => (d === null ? null : lift(d))), outsUp, params);
    return tangentOuts.map((o) => {
      if (o === null) return null;
      const [p, s] = primalAndSeries(main.trace, o);
      return [p, ...(s ?? Array.from({ length: order - 1 }, () => st.zerosLike(p)))];
    });
  });
  return outs.map((_, i) => (derivs[i] === null || derivs[i] === undefined ? null : tail(integrateSeries(derivs[i]!, outs[i]!, order))));
};
/** `cond`: the branch the (concrete) index picks, evaluated on the jet tracers. */
const inlineCond: JetRule<unknown> = {
  kind: "inline",
  call: ([index, ...ops], params) => {
    const { branches } = params as { branches: readonly Parameters<typeof evalJaxpr>[0][] };
    const i = concreteBeneath(index!, "jet: lax.cond index").data[0]!;
    return evalJaxpr(branches[Math.min(Math.max(Math.trunc(i), 0), branches.length - 1)]!, ops);
  },
};

/** `scan`, unrolled on the jet tracers: each step's x sliced out, the ys stacked back. */
const inlineScan: JetRule<unknown> = {
  kind: "inline",
  call: (args, params) => {
    const { jaxpr, reverse, numConsts, numCarry } = params as ScanParams;
    const consts = args.slice(0, numConsts);
    let carry = args.slice(numConsts, numConsts + numCarry);
    const xs = args.slice(numConsts + numCarry);
    const n = (params as ScanParams).length >= 0 ? (params as ScanParams).length : xs[0]!.shape[0]!;
    const ys: NDArray[][] = jaxpr.outAvals.slice(numCarry).map(() => new Array<NDArray>(n));
    for (let step = 0; step < n; step++) {
      const i = reverse ? n - 1 - step : step;
      const xi = xs.map((x) => st.reshape(st.slice(x, [i, ...x.shape.slice(1).map(() => 0)], x.shape.map(() => 1), [1, ...x.shape.slice(1)]), x.shape.slice(1)));
      const outs = evalJaxpr(jaxpr, [...consts, ...carry, ...xi]);
      carry = outs.slice(0, numCarry);
      outs.slice(numCarry).forEach((y, j) => (ys[j]![i] = st.reshape(y, [1, ...y.shape])));
    }
    const stacked = ys.map((rows, j) => (n === 0 ? st.zerosLike({ ...jaxpr.outAvals[numCarry + j]!, shape: [0, ...jaxpr.outAvals[numCarry + j]!.shape] }) : st.concatenate(rows, 0)));
    return [...carry, ...stacked];
  },
};
/** `while`, run on the jet tracers: the predicate reads the concrete primal, as under `jvp`. */
const inlineWhile: JetRule<unknown> = {
  kind: "inline",
  call: (args, params) => {
    const { condJaxpr, bodyJaxpr, condNConsts, bodyNConsts, numStacked } = params as WhileParams;
    if (numStacked !== 0) throw new TypeError("jet: a while loop with stacked outputs (an internal form of reverse mode) has no Taylor rule");
    const cc = args.slice(0, condNConsts);
    const bc = args.slice(condNConsts, condNConsts + bodyNConsts);
    let carry = args.slice(condNConsts + bodyNConsts);
    while (concreteBeneath(evalJaxpr(condJaxpr, [...cc, ...carry])[0]!, "jet: while-loop predicate").data[0]) {
      carry = evalJaxpr(bodyJaxpr, [...bc, ...carry]).slice(0, carry.length);
    }
    return carry;
  },
};

const piecewiseLinear: AnyPrim[] = [
  u.negP, b.addP, b.subP, b.maxP, b.minP, b.modP, b.fmodP, u.absP, u.signP, u.floorP, u.ceilP, u.roundP, u.truncP, u.stopGradientP,
  c.eqP, c.neP, c.ltP, c.leP, c.gtP, c.geP, c.andP, c.orP, c.xorP, c.notP, c.isnanP, c.isinfP, c.isfiniteP, c.selectP,
  st.reshapeP, st.transposeP, st.broadcastInDimP, st.sliceP, st.unsliceP, st.concatenateP, st.convertP,
  r.reduceSumP, r.reduceMaxP, r.reduceMinP, r.argmaxP, r.argminP, r.cumsumP, argsortP,
  g.gatherP, g.scatterAddP, g.scatterP, g.searchsortedP,
] as AnyPrim[];

const LN2 = Math.LN2;
const LN10 = Math.LN10;

const table = new Map<AnyPrim, JetRule<unknown>>([
  ...piecewiseLinear.map((p): [AnyPrim, JetRule<unknown>] => [p, series(viaJvp(p))]),
  [b.mulP as AnyPrim, series(bilinear(mul))],
  [dotGeneralP as AnyPrim, series((args, s, outs, params, order) => bilinear((x, y) => bind1(dotGeneralP, [x, y], params as never))(args, s, outs, params, order))],
  [b.divP as AnyPrim, series(divRule)],
  [b.powP as AnyPrim, series(powRule)],
  [b.atan2P as AnyPrim, series(atan2Rule)],
  // y′ = y x′
  [u.expP as AnyPrim, series(unary((x, out, order) => expSeries(x, out, order)))],
  [u.exp2P as AnyPrim, series(unary((x, out, order) => expSeries(x.map((t) => scale(t, LN2)), out, order)))],
  // expm1 = exp − 1: the exp recurrence from e^x₀, the value from expm1 itself
  [u.expm1P as AnyPrim, series(unary((x, out, order) => [out, ...expSeries(x, u.exp(x[0]!), order).slice(1)]))],
  // x y′ = x′
  [u.logP as AnyPrim, series(unary((x, out, order) => logSeries(x, out, order)))],
  [u.log1pP as AnyPrim, series(unary((x, out, order) => logSeries(shiftSeries(x, 1), out, order)))],
  [u.log2P as AnyPrim, series(unary((x, out, order) => [out, ...logSeries(x, out, order).slice(1).map((t) => scale(t, 1 / LN2))]))],
  [u.log10P as AnyPrim, series(unary((x, out, order) => [out, ...logSeries(x, out, order).slice(1).map((t) => scale(t, 1 / LN10))]))],
  [u.sinP as AnyPrim, series(sinCos(0, -1, u.sin, u.cos))],
  [u.cosP as AnyPrim, series(sinCos(1, -1, u.sin, u.cos))],
  [u.sinhP as AnyPrim, series(sinCos(0, 1, u.sinh, u.cosh))],
  [u.coshP as AnyPrim, series(sinCos(1, 1, u.sinh, u.cosh))],
  // tanh′ = 1 − tanh², tan′ = 1 + tan²
  [u.tanhP as AnyPrim, series(unary(quadraticInY(1, 0, -1)))],
  [u.tanP as AnyPrim, series(unary(quadraticInY(1, 0, 1)))],
  // σ′ = σ − σ²
  [logisticP as AnyPrim, series(unary(quadraticInY(0, 1, -1)))],
  [u.sqrtP as AnyPrim, series(unary((x, out, order) => sqrtSeries(x, out, order)))],
  [u.cbrtP as AnyPrim, series(unary((x, out, order) => powSeries(x, fullLike(x[0]!, 1 / 3), out, order)))],
  // arcsin′ = 1/√(1 − x²), arccos′ = −arcsin′, arctan′ = 1/(1 + x²)
  [u.arcsinP as AnyPrim, series(unary(byDerivative((x, o) => rsqrt(negSeries(shiftSeries(square(x, o), -1)), o))))],
  [u.arccosP as AnyPrim, series(unary(byDerivative((x, o) => negSeries(rsqrt(negSeries(shiftSeries(square(x, o), -1)), o)))))],
  [u.arctanP as AnyPrim, series(unary(byDerivative((x, o) => reciprocal(shiftSeries(square(x, o), 1), o))))],
  // arcsinh′ = 1/√(x² + 1), arccosh′ = 1/√(x² − 1), arctanh′ = 1/(1 − x²)
  [u.arcsinhP as AnyPrim, series(unary(byDerivative((x, o) => rsqrt(shiftSeries(square(x, o), 1), o))))],
  [u.arccoshP as AnyPrim, series(unary(byDerivative((x, o) => rsqrt(shiftSeries(square(x, o), -1), o))))],
  [u.arctanhP as AnyPrim, series(unary(byDerivative((x, o) => reciprocal(negSeries(shiftSeries(square(x, o), -1)), o))))],
  // erf′ = 2/√π e^(−x²), erfc′ = −erf′
  [sp.erfP as AnyPrim, series(unary(byDerivative(erfDerivative)))],
  [sp.erfcP as AnyPrim, series(unary(byDerivative((x, o) => negSeries(erfDerivative(x, o)))))],
  // erfinv′ = √π/2 · e^(erfinv²), erfcinv′ = −√π/2 · e^(erfcinv²)
  [sp.erfinvP as AnyPrim, series(unary(expSquareInY(Math.sqrt(Math.PI) / 2)))],
  [sp.erfcinvP as AnyPrim, series(unary(expSquareInY(-Math.sqrt(Math.PI) / 2)))],
  // erfcx′ = 2x·erfcx − 2/√π
  [sp.erfcxP as AnyPrim, series(unary((x, out, order) => chainSeries(x, out, (y, m) => {
    const xy = scale(Array.from({ length: m + 1 }, (_, j) => mul(x[j]!, y[m - j]!)).reduce((p, q) => add(p, q)), 2);
    return m === 0 ? sub(xy, fullLike(xy, TWO_OVER_SQRT_PI)) : xy;
  }, order)))],
  // log Γ: its n-th derivative is ψ⁽ⁿ⁻¹⁾; ψ⁽ᵐ⁾: ψ⁽ᵐ⁺ⁿ⁾; Γ = ±exp(log Γ), so Γ′ = Γ·(log Γ)′
  [sp.gammalnP as AnyPrim, series(unary((x, out, order) => composeSeries(x, polygammaDerivs(x[0]!, fullLike(x[0]!, 0), order), out, order)))],
  [sp.digammaP as AnyPrim, series(unary((x, out, order) => composeSeries(x, polygammaDerivs(x[0]!, fullLike(x[0]!, 1), order), out, order)))],
  [sp.gammaP as AnyPrim, series(unary((x, out, order) => {
    const lg = composeSeries(x, polygammaDerivs(x[0]!, fullLike(x[0]!, 0), order), sp.gammaln(x[0]!), order);
    return expSeries(lg, out, order);
  }))],
  [sp.igammaP as AnyPrim, series(igammaRule)],
  [sp.betaincP as AnyPrim, series(betaincRule)],
  [sp.polygammaP as AnyPrim, series(([m, x], [sm, sx], [out], _, order) => {
    // (its order n is an integer: it carries no series)
    if (sm !== null) throw new TypeError("jet: polygamma's order n must be a constant integer, not a value with a Taylor series");
    return [tail(composeSeries(coeffs(x!, sx, order), polygammaDerivs(x!, add(m!, fullLike(m!, 1)), order), out!, order))];
  })],
  [customVjpCallP as AnyPrim, inlineCustom],
  [condP as AnyPrim, inlineCond],
  [scanP as AnyPrim, inlineScan],
  [whileP as AnyPrim, inlineWhile],
]);

const fallbacks = new Map<AnyPrim, JetRule<unknown>>();

/**
 * The jet rule of `prim`: its dedicated rule, or else the generic one from its JVP rule
 * (`viaJvpRecursion`; custom JVP rules go this way, so they are kept).
 */
export function jetRuleFor(prim: AnyPrim): JetRule<unknown> {
  const rule = table.get(prim);
  if (rule !== undefined) return rule;
  let fallback = fallbacks.get(prim);
  if (fallback === undefined) {
    fallback = series(viaJvpRecursion(prim));
    fallbacks.set(prim, fallback);
  }
  return fallback;
}

/** The primitives that have a dedicated Taylor rule (the others use `viaJvpRecursion`). */
export const primitivesWithJetRules = (): AnyPrim[] => [...table.keys()];
