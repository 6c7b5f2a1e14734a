/**
 * @file Special functions (SciPy's `scipy.special`) as elementwise primitives: kernels from stdlib,
 * which match SciPy to about an ulp, and JVP rules that call the next member of the family
 * (gammaln → digamma → polygamma(1) → polygamma(2) …, Jₙ → Jₙ₋₁, Jₙ₊₁), so every derivative is
 * itself a primitive and derivatives of any order need no extra code.
 */
import type { NDArray } from "../core/ndarray.ts";
import { bind1 } from "../core/trace.ts";
import type { JvpRule, Primitive } from "../core/primitive.ts";
import { add, addT, div, fullLike, mul, pow, sub } from "./binary.ts";
import { exp, log, log1p, neg, sign } from "./unary.ts";
import { and, ge, gt, select } from "./compare.ts";
import { elementwise, scalarKernel } from "./elementwise.ts";
import stdGamma from "@stdlib/math-base-special-gamma";
import stdGammaln from "@stdlib/math-base-special-gammaln";
import stdDigamma from "@stdlib/math-base-special-digamma";
import stdTrigamma from "@stdlib/math-base-special-trigamma";
import stdPolygamma from "@stdlib/math-base-special-polygamma";
import stdErf from "@stdlib/math-base-special-erf";
import stdErfc from "@stdlib/math-base-special-erfc";
import stdErfcx from "@stdlib/math-base-special-erfcx";
import stdErfinv from "@stdlib/math-base-special-erfinv";
import stdErfcinv from "@stdlib/math-base-special-erfcinv";
import stdGammainc from "@stdlib/math-base-special-gammainc";
import stdBetainc from "@stdlib/math-base-special-betainc";
import stdGammaincinv from "@stdlib/math-base-special-gammaincinv";
import stdBetaincinv from "@stdlib/math-base-special-betaincinv";
import { besselIn, besselInScaled, besselJn, besselYn } from "../kernels/bessel.ts";
import { igammaDerivA as igammaDerivAScalar } from "../kernels/igamma.ts";
import { betaincDeriv } from "../kernels/betainc.ts";

type Empty = Record<string, never>;
type Scalar<P> = (args: readonly number[], params: P) => number;

/**
 * An elementwise primitive of `arity` float arguments of one shape, from a scalar kernel. The
 * output takes the dtype of the last argument (the variable x; earlier ones are orders and shape
 * parameters).
 */
const special = <P>(name: string, arity: number, f: Scalar<P>, jvp: JvpRule<P>): Primitive<P> =>
  elementwise<P>({ name, kernel: scalarKernel(arity, f), outDtype: (avals) => avals[arity - 1]!.dtype, jvp });

/** A primitive of one argument whose tangent is `t · derivative(x, out)`. */
const special1 = <P = Empty>(name: string, f: (x: number, params: P) => number, d: (x: NDArray, out: NDArray, params: P) => NDArray) =>
  special<P>(name, 1, (a, p) => f(a[0]!, p), ([x], [t], [out], p) => [mul(t!, d(x!, out!, p))]);

const k = fullLike;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SQRT_PI_OVER_TWO = Math.sqrt(Math.PI) / 2;
const sq = (x: NDArray): NDArray => mul(x, x);

// --------------------------------------------------------------------------- the gamma family

// d log Γ(x) = ψ(x) dx (log |Γ(x)| for negative x, as SciPy; its derivative is still ψ)
export const gammalnP = special1("gammaln", (x) => stdGammaln(x), (x) => digamma(x));
// d Γ(x) = Γ(x) ψ(x) dx
export const gammaP = special1("gamma", (x) => stdGamma(x), (x, out) => mul(out, digamma(x)));
// d ψ(x) = ψ⁽¹⁾(x) dx
export const digammaP = special1("digamma", (x) => stdDigamma(x), (x) => polygamma(k(x, 1), x));

/** ψ⁽ⁿ⁾(x) for an integer n ≥ 0 (NaN otherwise). */
function polygammaScalar(n: number, x: number): number {
  if (!(n >= 0) || !Number.isInteger(n)) return NaN;
  if (n === 0) return stdDigamma(x);
  if (n === 1) return stdTrigamma(x);
  return stdPolygamma(n, x);
}
// d ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁺¹⁾(x) dx; the order n is an integer and has no derivative.
export const polygammaP = special<Empty>("polygamma", 2, ([n, x]) => polygammaScalar(n!, x!), ([n, x], [, tx]) => [
  tx && mul(tx, polygamma(add(n!, k(n!, 1)), x!)),
]);

// ---------------------------------------------------------------------- the error function family

// d erf(x) = 2/√π e^(−x²) dx; d erfc = −d erf
export const erfP = special1("erf", (x) => stdErf(x), (x) => mul(k(x, TWO_OVER_SQRT_PI), exp(neg(sq(x)))));
export const erfcP = special1("erfc", (x) => stdErfc(x), (x) => mul(k(x, -TWO_OVER_SQRT_PI), exp(neg(sq(x)))));
// erfcx(x) = e^(x²) erfc(x): d erfcx(x) = (2x erfcx(x) − 2/√π) dx
export const erfcxP = special1("erfcx", (x) => stdErfcx(x), (x, out) => sub(mul(add(x, x), out), k(x, TWO_OVER_SQRT_PI)));
// d erfinv(y) = √π/2 e^(erfinv(y)²) dy; d erfcinv(y) = −√π/2 e^(erfcinv(y)²) dy
export const erfinvP = special1("erfinv", (y) => stdErfinv(y), (_, out) => mul(k(out, SQRT_PI_OVER_TWO), exp(sq(out))));
export const erfcinvP = special1("erfcinv", (y) => stdErfcinv(y), (_, out) => mul(k(out, -SQRT_PI_OVER_TWO), exp(sq(out))));

// ------------------------------------------------------------------------------------ Bessel

/** The integer order of a Bessel primitive. */
export interface OrderParams {
  readonly n: number;
}
const half = (x: NDArray): NDArray => mul(x, k(x, 0.5));
// d Jₙ = (Jₙ₋₁ − Jₙ₊₁)/2 dx, d J₀ = −J₁ dx; the same for Yₙ.
export const besselJP = special1<OrderParams>("besselJ", (x, { n }) => besselJn(n, x), (x, _, { n }) =>
  n === 0 ? neg(besselJ(x, 1)) : half(sub(besselJ(x, n - 1), besselJ(x, n + 1))),
);
export const besselYP = special1<OrderParams>("besselY", (x, { n }) => besselYn(n, x), (x, _, { n }) =>
  n === 0 ? neg(besselY(x, 1)) : half(sub(besselY(x, n - 1), besselY(x, n + 1))),
);
// d Iₙ = (Iₙ₋₁ + Iₙ₊₁)/2 dx, d I₀ = I₁ dx
export const besselIP = special1<OrderParams>("besselI", (x, { n }) => besselIn(n, x), (x, _, { n }) =>
  n === 0 ? besselI(x, 1) : half(add(besselI(x, n - 1), besselI(x, n + 1))),
);
// Iₙ(x)e^(−|x|): d/dx = ½(Ie₍ₙ₋₁₎ + Ie₍ₙ₊₁₎) − sign(x)·Ieₙ (Ie₋₁ = Ie₁)
export const besselIeP = special1<OrderParams>("besselIe", (x, { n }) => besselInScaled(n, x), (x, out, { n }) =>
  sub(n === 0 ? besselIe(x, 1) : half(add(besselIe(x, n - 1), besselIe(x, n + 1))), mul(sign(x), out)),
);

// ---------------------------------------------------------------------- incomplete gamma / beta

/** `upper`: Q(a, x) = 1 − P(a, x) rather than P(a, x). */
export interface IgammaParams {
  readonly upper: boolean;
}
/** ∂ᵐ/∂aᵐ of P or Q. */
export interface IgammaDerivParams {
  readonly m: number;
  readonly upper: boolean;
}

/**
 * The density x^(a−1) e^(−x) / Γ(a) = ∂P/∂x, and the log x it uses (with x → 1 where x ≤ 0, so
 * that the other branch stays finite).
 */
function gammaDensity(a: NDArray, x: NDArray): [NDArray, NDArray] {
  const pos = gt(x, k(x, 0));
  const logx = log(select(pos, x, k(x, 1)));
  const dens = select(
    pos,
    exp(sub(sub(mul(sub(a, k(a, 1)), logx), x), gammaln(a))),
    // x = 0: xᵃ⁻¹ is 0, 1 or ∞ as a >, =, < 1 (x < 0 is outside the domain: NaN)
    mul(pow(x, sub(a, k(a, 1))), exp(neg(gammaln(a)))),
  );
  return [logx, dens];
}

/**
 * ∂ᵐ/∂aᵐ of the density D = e^G, G = (a−1) log x − x − log Γ(a): D times the complete Bell
 * polynomial of G's a-derivatives G′ = log x − ψ(a), G⁽ʲ⁾ = −ψ⁽ʲ⁻¹⁾(a).
 */
function gammaDensityDerivA(a: NDArray, x: NDArray, m: number): NDArray {
  const [logx, dens] = gammaDensity(a, x);
  const g = (j: number): NDArray => (j === 1 ? sub(logx, digamma(a)) : neg(polygamma(k(a, j - 1), a)));
  return mul(dens, bell(m, g, a));
}

/**
 * The complete Bell polynomial Yₘ(g(1), …, g(m)), which is (dᵐ/daᵐ e^G) / e^G when G⁽ʲ⁾ = g(j):
 * Y₀ = 1, Yₙ = Σⱼ C(n−1, j) g(j+1) Yₙ₋₁₋ⱼ. `like` gives the shape and dtype of the constant 1.
 */
function bell(m: number, g: (j: number) => NDArray, like: NDArray): NDArray {
  const gs = Array.from({ length: m }, (_, j) => g(j + 1));
  const ys: NDArray[] = [k(like, 1)];
  for (let n = 1; n <= m; n++) {
    let s: NDArray | null = null;
    let binom = 1; // C(n−1, j)
    for (let j = 0; j < n; j++) {
      const term = mul(mul(k(gs[j]!, binom), gs[j]!), ys[n - 1 - j]!);
      s = s === null ? term : add(s, term);
      binom = (binom * (n - 1 - j)) / (j + 1);
    }
    ys.push(s!);
  }
  return ys[m]!;
}

const sgn = (upper: boolean, x: NDArray): NDArray => (upper ? neg(x) : x);

// P(a, x) (Q with `upper`): ∂P/∂x = x^(a−1)e^(−x)/Γ(a); ∂P/∂a = igammaDerivA (Taylor arithmetic).
export const igammaP = special<IgammaParams>(
  "igamma",
  2,
  ([a, x], { upper }) => (a === 0 && x! > 0 ? (upper ? 0 : 1) : stdGammainc(x!, a!, true, upper)),
  ([a, x], [ta, tx], _, { upper }) => [
    addT(ta && mul(ta, igammaDerivA(a!, x!, 1, upper)), tx && mul(tx, sgn(upper, gammaDensity(a!, x!)[1]))),
  ],
);
export const igammaDerivAP = special<IgammaDerivParams>(
  "igammaDerivA",
  2,
  ([a, x], { m, upper }) => igammaDerivAScalar(a!, x!, m, upper),
  ([a, x], [ta, tx], _, { m, upper }) => [
    addT(ta && mul(ta, igammaDerivA(a!, x!, m + 1, upper)), tx && mul(tx, sgn(upper, gammaDensityDerivA(a!, x!, m)))),
  ],
);

/** ∂ᵃ/∂a ∂ᵇ/∂b of Iₓ(a, b) (orders ≥ 0, the value itself at (0, 0)). */
export interface BetaincParams {
  readonly ma: number;
  readonly mb: number;
}

/**
 * ∂^ma_a ∂^mb_b of the density x^(a−1)(1−x)^(b−1)/B(a, b) = ∂Iₓ/∂x, which is e^G with
 * G = (a−1) log x + (b−1) log(1−x) − log Γ(a) − log Γ(b) + log Γ(a+b): the exponential of G's
 * Taylor expansion in (a, b), written with primitives. Zero outside 0 < x < 1.
 */
function betaDensityDeriv(a: NDArray, b: NDArray, x: NDArray, ma: number, mb: number): NDArray {
  const open = and(gt(x, k(x, 0)), gt(k(x, 1), x));
  const safe = select(open, x, k(x, 0.5));
  const lx = log(safe);
  const l1x = log1p(neg(safe));
  const ab = add(a, b);
  const psi = (j: number, v: NDArray): NDArray => (j === 0 ? digamma(v) : polygamma(k(v, j), v));
  // G's Taylor coefficients Gᵢⱼ = ∂ⁱ_a ∂ʲ_b G / (i! j!), for (i, j) ≠ (0, 0).
  const coef = (i: number, j: number): NDArray => {
    const fact = factorial(i) * factorial(j);
    const cross = psi(i + j - 1, ab); // from log Γ(a + b)
    if (j === 0) {
      const own = i === 1 ? sub(lx, digamma(a)) : neg(psi(i - 1, a));
      return div(add(own, cross), k(a, fact));
    }
    if (i === 0) {
      const own = j === 1 ? sub(l1x, digamma(b)) : neg(psi(j - 1, b));
      return div(add(own, cross), k(a, fact));
    }
    return div(cross, k(a, fact));
  };
  const g0 = add(sub(add(mul(sub(a, k(a, 1)), lx), mul(sub(b, k(b, 1)), l1x)), add(gammaln(a), gammaln(b))), gammaln(ab));
  const e = mul(taylorExp(g0, coef, ma, mb), k(x, factorial(ma) * factorial(mb)));
  // At x = 0 and x = 1 the density itself is x^(a−1)(1−x)^(b−1)/B(a, b) (0, finite or ∞); its
  // shape derivatives there are taken as 0, like the density's outside [0, 1].
  const edge = and(ge(x, k(x, 0)), ge(k(x, 1), x));
  const atEdge =
    ma + mb === 0
      ? select(edge, mul(mul(pow(x, sub(a, k(a, 1))), pow(sub(k(x, 1), x), sub(b, k(b, 1)))), exp(neg(g0Beta(a, b)))), k(x, 0))
      : k(x, 0);
  return select(open, e, atEdge);
}

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). */
const g0Beta = (a: NDArray, b: NDArray): NDArray => sub(add(gammaln(a), gammaln(b)), gammaln(add(a, b)));

/** The (ma, mb) Taylor coefficient of exp(G), from G's constant g0 and coefficients coef(i, j). */
function taylorExp(g0: NDArray, coef: (i: number, j: number) => NDArray, ma: number, mb: number): NDArray {
  const n2 = mb + 1;
  const G = new Map<number, NDArray>();
  const gc = (i: number, j: number): NDArray => {
    const key = i * n2 + j;
    if (!G.has(key)) G.set(key, coef(i, j));
    return G.get(key)!;
  };
  const E: NDArray[] = [exp(g0)];
  // E₀ⱼ from E′ = G′E in b; Eᵢⱼ from the same in a.
  for (let i = 0; i <= ma; i++) {
    for (let j = 0; j <= mb; j++) {
      if (i === 0 && j === 0) continue;
      let s: NDArray | null = null;
      if (i === 0) {
        for (let q = 1; q <= j; q++) {
          const term = mul(mul(k(g0, q), gc(0, q)), E[j - q]!);
          s = s === null ? term : add(s, term);
        }
        E[j] = div(s!, k(g0, j));
      } else {
        for (let p = 1; p <= i; p++) {
          for (let q = 0; q <= j; q++) {
            const term = mul(mul(k(g0, p), gc(p, q)), E[(i - p) * n2 + (j - q)]!);
            s = s === null ? term : add(s, term);
          }
        }
        E[i * n2 + j] = div(s!, k(g0, i));
      }
    }
  }
  return E[ma * n2 + mb]!;
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

// Iₓ(a, b) and its shape derivatives: ∂/∂a raises ma, ∂/∂b raises mb, ∂/∂x is the density's.
export const betaincP = special<BetaincParams>(
  "betainc",
  3,
  ([a, b, x], { ma, mb }) => (ma + mb === 0 ? stdBetainc(x!, a!, b!, true, false) : betaincDeriv(a!, b!, x!, ma, mb)),
  ([a, b, x], [ta, tb, tx], _, { ma, mb }) => [
    addT(
      addT(ta && mul(ta, betaincRaw(a!, b!, x!, ma + 1, mb)), tb && mul(tb, betaincRaw(a!, b!, x!, ma, mb + 1))),
      tx && mul(tx, betaDensityDeriv(a!, b!, x!, ma, mb)),
    ),
  ],
);

// The inverses, by implicit differentiation of F(θ, x) = p at the solution x:
// dx = (dp − Σ ∂F/∂θᵢ dθᵢ) / (∂F/∂x), every term written with the forward functions' primitives.

/** x with P(a, x) = p (Q(a, x) = p with `upper`), for 0 ≤ p ≤ 1. */
export const igammaInvP = special<IgammaParams>(
  "igammaInv",
  2,
  ([a, p], { upper }) => stdGammaincinv(p!, a!, upper),
  ([a], [ta, tp], [x], { upper }) => {
    const slope = sgn(upper, gammaDensity(a!, x!)[1]);
    const rhs = addT(tp, ta && neg(mul(ta, igammaDerivA(a!, x!, 1, upper))));
    return [rhs && div(rhs, slope)];
  },
);

/** x with Iₓ(a, b) = p, for 0 ≤ p ≤ 1. */
export const betaincInvP = special<Empty>(
  "betaincInv",
  3,
  ([a, b, p]) => stdBetaincinv(p!, a!, b!, false),
  ([a, b], [ta, tb, tp], [x]) => {
    const shapes = addT(ta && mul(ta, betaincRaw(a!, b!, x!, 1, 0)), tb && mul(tb, betaincRaw(a!, b!, x!, 0, 1)));
    const rhs = addT(tp, shapes && neg(shapes));
    return [rhs && div(rhs, betaDensityDeriv(a!, b!, x!, 0, 0))];
  },
);

// ----------------------------------------------------------------------- lax-level functions

const apply1 = (p: Primitive<Empty>) => (x: NDArray): NDArray => bind1(p, [x], {});
export const gammaln = apply1(gammalnP);
export const gamma = apply1(gammaP);
export const digamma = apply1(digammaP);
export const erf = apply1(erfP);
export const erfc = apply1(erfcP);
export const erfcx = apply1(erfcxP);
export const erfinv = apply1(erfinvP);
export const erfcinv = apply1(erfcinvP);
/** ψ⁽ⁿ⁾(x), `n` an array of integers shaped like `x`. */
export const polygamma = (n: NDArray, x: NDArray): NDArray => bind1(polygammaP, [n, x], {});
export const besselJ = (x: NDArray, n: number): NDArray => bind1(besselJP, [x], { n });
export const besselY = (x: NDArray, n: number): NDArray => bind1(besselYP, [x], { n });
export const besselI = (x: NDArray, n: number): NDArray => bind1(besselIP, [x], { n });
/** Iₙ(x)·e^(−|x|), finite where Iₙ overflows. */
export const besselIe = (x: NDArray, n: number): NDArray => bind1(besselIeP, [x], { n });
/** The regularized lower (upper) incomplete gamma function P(a, x) (Q(a, x)). */
export const igamma = (a: NDArray, x: NDArray, upper: boolean): NDArray => bind1(igammaP, [a, x], { upper });
/** ∂ᵐ/∂aᵐ of P(a, x) (Q(a, x) with `upper`). */
export const igammaDerivA = (a: NDArray, x: NDArray, m: number, upper: boolean): NDArray =>
  bind1(igammaDerivAP, [a, x], { m, upper });
/** The regularized incomplete beta function Iₓ(a, b). */
export const betainc = (a: NDArray, b: NDArray, x: NDArray): NDArray => bind1(betaincP, [a, b, x], { ma: 0, mb: 0 });
const betaincRaw = (a: NDArray, b: NDArray, x: NDArray, ma: number, mb: number): NDArray =>
  bind1(betaincP, [a, b, x], { ma, mb });
/** The inverse of P(a, ·) (of Q(a, ·) with `upper`) at `p`. */
export const igammaInv = (a: NDArray, p: NDArray, upper: boolean): NDArray => bind1(igammaInvP, [a, p], { upper });
/** The inverse of Iₓ(a, b) in x, at `p`. */
export const betaincInv = (a: NDArray, b: NDArray, p: NDArray): NDArray => bind1(betaincInvP, [a, b, p], {});
