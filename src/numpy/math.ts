/**
 * @file Elementwise NumPy functions: broadcasting and dtype handling around the primitives, and
 * compositions (`logaddexp`, `hypot`, `sinc`, `copysign`, …) where a textbook formula is inaccurate
 * or singular a `select` picks a safe branch and `stopGradient` holds a rescaling constant.
 */
import { ConcreteArray, type NDArray, type ArrayLike } from "../core/ndarray.ts";
import { DomainError } from "../core/errors.ts";
import { prepare, rejectComplex } from "./broadcast.ts";
import * as u from "../primitives/unary.ts";
import * as b from "../primitives/binary.ts";
import * as c from "../primitives/compare.ts";
import { convert } from "../primitives/structural.ts";
import { isComplex, isFloat, isInexact } from "../core/dtype.ts";
import * as cp from "../primitives/complex.ts";
import { ComplexArray } from "./complex.ts";
import { besselI } from "../primitives/special.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";
import { X, floatFn, sameFn, binFn, realFloatFn, realBinFn, type Bin } from "./elementwise-fns.ts";

const roundOpts = P.options("np.round", { decimals: P.int }, { positional: "decimals" });
const nanToNumOpts = P.options("np.nanToNum", { nan: P.num, posinf: P.num, neginf: P.num });

/**
 * `np.add(x1, x2)`: x1 + x2 elementwise, broadcasting, in the promoted dtype.
 * @example
 * np.add([1, 2], [10, 20]); // [11, 22]
 */
export const add = binFn("add", b.add);
/**
 * `np.subtract(x1, x2)`: x1 − x2 elementwise, broadcasting.
 * @example
 * np.subtract([5, 7], 2); // [3, 5]
 */
export const subtract = binFn("subtract", b.sub);
/**
 * `np.multiply(x1, x2)`: x1 · x2 elementwise, broadcasting.
 * @example
 * np.multiply([1, 2], [3, 4]); // [3, 8]
 */
export const multiply = binFn("multiply", b.mul);
/**
 * `np.divide(x1, x2)`: true division x1 / x2 elementwise, broadcasting; integers give float64, as NumPy.
 * @example
 * np.divide([1, 3], 2); // [0.5, 1.5]
 */
export const divide = binFn("divide", b.div, true);
/**
 * `np.true_divide(x1, x2)`: an alias of {@link divide}.
 * @example
 * np.trueDivide(1, 4); // 0.25
 */
export const trueDivide = divide;
/**
 * `np.power(x1, x2)`: x1 raised to x2, elementwise. For integer arrays a negative exponent raises a
 * `DomainError` as NumPy does ("Integers to negative integer powers are not allowed"), when the
 * exponent is a concrete value; a traced integer exponent cannot be inspected, and there a negative
 * power gives the real power truncated toward zero (2⁻¹ → 0, (−1)⁻¹ → −1, 0⁻¹ → 0).
 * @example
 * np.power([2, 3], 2); // [4, 9]
 */
export function power(x1: ArrayLike, x2: ArrayLike): NDArray {
  const [x, y] = prepare("np.power", [x1, x2], false, ["x1", "x2"]);
  if (!isInexact(x!.dtype) && y instanceof ConcreteArray && y.data.some((v) => v < 0)) {
    throw new DomainError(
      `np.power: Integers to negative integer powers are not allowed (x1 and x2 are ${x!.dtype}; x2 has a negative entry). ` +
        "Convert x1 to float first: np.power(x1.astype(\"float64\"), x2).",
    );
  }
  return b.pow(x!, y!);
}
/**
 * `np.maximum(x1, x2)`: the elementwise larger of x1 and x2, broadcasting; a NaN in either gives NaN, as NumPy.
 * @example
 * np.maximum([1, 5], [3, 2]); // [3, 5]
 */
export const maximum = binFn("maximum", b.max);
/**
 * `np.minimum(x1, x2)`: the elementwise smaller of x1 and x2, broadcasting; a NaN in either gives NaN, as NumPy.
 * @example
 * np.minimum([1, 5], [3, 2]); // [1, 2]
 */
export const minimum = binFn("minimum", b.min);
/**
 * `np.arctan2(x1, x2)`: the angle of the point (x2, x1) in radians, in [−π, π], elementwise.
 * @example
 * np.arctan2([1, 1], [1, -1]); // [0.7853981633974483, 2.356194490192345]
 */
export const arctan2 = binFn("arctan2", b.atan2, true);
/**
 * `np.mod(x1, x2)`: the remainder of floor division, with the sign of the divisor x2, as Python's `%`.
 * @example
 * np.mod([-3, 3], 2); // [1, 1]
 */
export const mod = binFn("mod", b.mod);
/**
 * `np.remainder(x1, x2)`: an alias of {@link mod} (the sign follows the divisor).
 * @example
 * np.remainder(-7, 3); // 2
 */
export const remainder = mod;
/**
 * `np.fmod(x1, x2)`: the C remainder, with the sign of the dividend x1 (JavaScript's `%`).
 * @example
 * np.fmod([-3, 3], 2); // [-1, 1]
 */
export const fmod = binFn("fmod", b.fmod);
/**
 * `np.negative(x)`: −x elementwise, keeping the dtype.
 * @example
 * np.negative([1, -2]); // [-1, 2]
 */
export const negative = sameFn("negative", u.neg);
/**
 * `np.positive(x)`: +x, the values unchanged, keeping the dtype.
 * @example
 * np.positive([1, -2]); // [1, -2]
 */
export const positive = sameFn("positive", (x) => x);

/**
 * `np.exp(x)`: eˣ elementwise (integers and bools are promoted to float64).
 * @example
 * np.exp([0, 1]); // [1, 2.718281828459045]
 */
export const exp = floatFn("exp", u.exp);
/**
 * `np.log(x)`: the natural logarithm elementwise; log 0 = −∞ and a negative x gives NaN, as NumPy.
 * @example
 * np.log([1, Math.E]); // [0, 1]
 */
export const log = floatFn("log", u.log);
/**
 * `np.sin(x)`: the sine of x (in radians) elementwise.
 * @example
 * np.sin([0, Math.PI / 2]); // [0, 1]
 */
export const sin = floatFn("sin", u.sin);
/**
 * `np.cos(x)`: the cosine of x (in radians) elementwise.
 * @example
 * np.cos([0, Math.PI]); // [1, -1]
 */
export const cos = floatFn("cos", u.cos);
/**
 * `np.tan(x)`: the tangent of x (in radians) elementwise.
 * @example
 * np.tan([0, Math.PI / 4]); // [0, 0.9999999999999999]
 */
export const tan = floatFn("tan", u.tan);
/**
 * `np.tanh(x)`: the hyperbolic tangent elementwise.
 * @example
 * np.tanh([0, 1]); // [0, 0.7615941559557649]
 */
export const tanh = floatFn("tanh", u.tanh);
/**
 * `np.sinh(x)`: the hyperbolic sine elementwise.
 * @example
 * np.sinh([0, 1]); // [0, 1.1752011936438014]
 */
export const sinh = floatFn("sinh", u.sinh);
/**
 * `np.cosh(x)`: the hyperbolic cosine elementwise.
 * @example
 * np.cosh([0, 1]); // [1, 1.5430806348152437]
 */
export const cosh = floatFn("cosh", u.cosh);
/**
 * `np.arcsin(x)`: the inverse sine, in [−π/2, π/2]; NaN outside [−1, 1].
 * @example
 * np.arcsin([0, 1]); // [0, 1.5707963267948966]
 */
export const arcsin = floatFn("arcsin", u.arcsin);
/**
 * `np.arccos(x)`: the inverse cosine, in [0, π]; NaN outside [−1, 1].
 * @example
 * np.arccos([1, 0]); // [0, 1.5707963267948966]
 */
export const arccos = floatFn("arccos", u.arccos);
/**
 * `np.arctan(x)`: the inverse tangent, in (−π/2, π/2).
 * @example
 * np.arctan([0, 1]); // [0, 0.7853981633974483]
 */
export const arctan = floatFn("arctan", u.arctan);
/**
 * `np.arcsinh(x)`: the inverse hyperbolic sine, log(x + √(x² + 1)).
 * @example
 * np.arcsinh([0, 1]); // [0, 0.881373587019543]
 */
export const arcsinh = floatFn("arcsinh", u.arcsinh);
/**
 * `np.arccosh(x)`: the inverse hyperbolic cosine, for x ≥ 1 (NaN below).
 * @example
 * np.arccosh([1, 2]); // [0, 1.3169578969248166]
 */
export const arccosh = floatFn("arccosh", u.arccosh);
/**
 * `np.arctanh(x)`: the inverse hyperbolic tangent, for |x| < 1 (±∞ at ±1).
 * @example
 * np.arctanh([0, 0.5]); // [0, 0.5493061443340549]
 */
export const arctanh = floatFn("arctanh", u.arctanh);
/**
 * `np.sqrt(x)`: the non-negative square root elementwise; NaN for a negative x, as NumPy on reals.
 * @example
 * np.sqrt([4, 2]); // [2, 1.4142135623730951]
 */
export const sqrt = floatFn("sqrt", u.sqrt);
/**
 * `np.cbrt(x)`: the real cube root elementwise (negative for negative x).
 * @example
 * np.cbrt([27, -8]); // [3, -2]
 */
export const cbrt = floatFn("cbrt", u.cbrt);
/**
 * `np.log1p(x)`: log(1 + x), accurate for small x.
 * @example
 * np.log1p([0, 1e-10]); // [0, 9.999999999500001e-11]
 */
export const log1p = floatFn("log1p", u.log1p);
/**
 * `np.expm1(x)`: eˣ − 1, accurate for small x.
 * @example
 * np.expm1([0, 1e-10]); // [0, 1.00000000005e-10]
 */
export const expm1 = floatFn("expm1", u.expm1);
/**
 * `np.i0(x)`: the modified Bessel function of the first kind of order 0 (derivative I₁).
 * @example
 * np.i0(0); // 1
 */
export const i0 = floatFn("i0", (x) => besselI(x, 0));
const absReal = sameFn("abs", u.abs);
/**
 * `np.abs(x)`: |x| elementwise; for a `ComplexArray` (from `np.fft`) the modulus √(re² + im²).
 * @example
 * np.abs([-1.5, 2]); // [1.5, 2]
 */
export function abs(x: ArrayLike): NDArray;
export function abs(x: ComplexArray | ArrayLike): NDArray;
export function abs(x: ComplexArray | ArrayLike): NDArray {
  return x instanceof ComplexArray ? x.abs() : absReal(x);
}
/**
 * `np.absolute(x)`: an alias of {@link abs}.
 * @example
 * np.absolute([-1.5, 2]); // [1.5, 2]
 */
export const absolute = abs;
/**
 * `np.sign(x)`: −1, 0 or 1 by the sign of x, keeping the dtype; its derivative is zero.
 * @example
 * np.sign([-2, 0, 3]); // [-1, 0, 1]
 */
export const sign = sameFn("sign", u.sign);
/**
 * `np.floor(x)`: the largest integer ≤ x elementwise; integer arrays come back unchanged; its derivative is zero.
 * @example
 * np.floor([-1.5, 1.5]); // [-2, 1]
 */
export const floor = sameFn("floor", (x) => (isInexact(x.dtype) ? u.floor(x) : x));
/**
 * `np.ceil(x)`: the smallest integer ≥ x elementwise; integer arrays come back unchanged; its derivative is zero.
 * @example
 * np.ceil([-1.5, 1.5]); // [-1, 2]
 */
export const ceil = sameFn("ceil", (x) => (isInexact(x.dtype) ? u.ceil(x) : x));
// Complex values round their real and imaginary parts apart, as NumPy.
const roundHalfEven = sameFn("round", (x) =>
  isComplex(x.dtype) ? cp.complex(u.round(cp.real(x)), u.round(cp.imag(x))) : isInexact(x.dtype) ? u.round(x) : x,
);

/**
 * `np.round(x, {decimals})`: half to even, as NumPy; with `decimals`, NumPy's own recipe
 * rint(x·10ᵈ)/10ᵈ. Complex values have both parts rounded (NumPy too). Its derivative is zero.
 * @example
 * np.round([0.5, 1.5, 2.675], { decimals: 0 }); // [0, 2, 3]
 */
export function round(x: ArrayLike, opts: { decimals?: number } | number = {}): NDArray {
  requireStatic("np.round", "decimals", typeof opts === "object" ? opts.decimals : opts, "a count");
  opts = roundOpts(opts);
  const d = opts.decimals ?? 0;
  if (d === 0) return roundHalfEven(x);
  const scale = 10 ** d;
  return divide(roundHalfEven(multiply(x, scale)), scale);
}
/**
 * `np.rint(x)`: rounds to the nearest integer, halves to even, as NumPy; its derivative is zero.
 * @example
 * np.rint([0.5, 1.5, 2.5]); // [0, 2, 2]
 */
export const rint = (x: ArrayLike): NDArray => roundHalfEven(x);
/**
 * `np.around(x, {decimals})`: an alias of {@link round}.
 * @example
 * np.around([0.5, 1.5]); // [0, 2]
 */
export const around = round;
/**
 * `np.trunc(x)`: rounds toward zero elementwise; its derivative is zero.
 * @example
 * np.trunc([-1.7, 1.7]); // [-1, 1]
 */
export const trunc = sameFn("trunc", (x) => (isInexact(x.dtype) ? u.trunc(x) : x));
/**
 * `np.fix(x)`: rounds toward zero, an alias of {@link trunc}.
 * @example
 * np.fix([-1.7, 1.7]); // [-1, 1]
 */
export const fix = trunc;

/**
 * `np.square(x)`: x · x elementwise, keeping the dtype.
 * @example
 * np.square([2, -3]); // [4, 9]
 */
export const square = (x: ArrayLike): NDArray => {
  const a = prepare("np.square", [x])[0]!;
  return b.mul(a, a);
};
/**
 * `np.reciprocal(x)`: 1 / x elementwise. Unlike NumPy, integer input is true-divided to float64 (NumPy gives the integer quotient, 0 for 2).
 * @example
 * np.reciprocal([2, 4]); // [0.5, 0.25]
 */
export const reciprocal = (x: ArrayLike): NDArray => divide(1, x);

const k = b.fullLike;

/**
 * `np.exp2(x)`: 2ˣ.
 * @example
 * np.exp2([0, 1, 3]); // [1, 2, 8]
 */
export const exp2 = floatFn("exp2", u.exp2);
/**
 * `np.log2(x)`.
 * @example
 * np.log2(8); // 3
 */
export const log2 = floatFn("log2", u.log2);
/**
 * `np.log10(x)`.
 * @example
 * np.log10(1000); // 3
 */
export const log10 = floatFn("log10", u.log10);

/**
 * `np.deg2rad(x)`: x · π/180.
 * @example
 * np.deg2rad(180); // 3.141592653589793
 */
export const deg2rad = realFloatFn("deg2rad", (x) => b.mul(x, k(x, Math.PI / 180)));
/**
 * `np.rad2deg(x)`: x · 180/π.
 * @example
 * np.rad2deg(Math.PI); // 180
 */
export const rad2deg = realFloatFn("rad2deg", (x) => b.mul(x, k(x, 180 / Math.PI)));
/**
 * `np.radians(x)`: degrees to radians, an alias of {@link deg2rad}.
 * @example
 * np.radians(180); // 3.141592653589793
 */
export const radians = deg2rad;
/**
 * `np.degrees(x)`: radians to degrees, an alias of {@link rad2deg}.
 * @example
 * np.degrees(Math.PI); // 180
 */
export const degrees = rad2deg;

/**
 * log(eᵃ + eᵇ) (or its base-2 twin) as m + log1p(s), m = max(a, b) held constant by `stopGradient`.
 * Since the result does not depend on m mathematically, every derivative is exact. `s` is written
 * per branch so that the larger term contributes `expm1(0) = 0` exactly: s = e^(b−m) when a ≥ b,
 * which keeps log1p accurate when the other term is tiny (NumPy's algorithm).
 */
function logAddExpWith(x: NDArray, y: NDArray, base2: boolean): NDArray {
  const pow = base2 ? u.exp2 : u.exp;
  const powm1 = base2 ? (z: NDArray) => u.expm1(b.mul(z, k(z, Math.LN2))) : u.expm1;
  const m0 = u.stopGradient(b.max(x, y));
  // ±inf (and NaN) maxima: any finite shift gives the right value (inf, −inf or NaN).
  const m = c.select(c.isfinite(m0), m0, k(m0, 0));
  const dx = b.sub(x, m);
  const dy = b.sub(y, m);
  const s = c.select(c.ge(x, y), b.add(pow(dy), powm1(dx)), b.add(pow(dx), powm1(dy)));
  const l = u.log1p(s);
  return b.add(m, base2 ? b.div(l, k(l, Math.LN2)) : l);
}

/**
 * `np.logaddexp(x1, x2)`: log(e^x1 + e^x2) without overflow.
 * @example
 * np.logaddexp(0, 0); // 0.6931471805599453
 */
export const logaddexp = realBinFn("logaddexp", (x, y) => logAddExpWith(x, y, false), true);
/**
 * `np.logaddexp2(x1, x2)`: log₂(2^x1 + 2^x2).
 * @example
 * np.logaddexp2(1, 1); // 2
 */
export const logaddexp2 = realBinFn("logaddexp2", (x, y) => logAddExpWith(x, y, true), true);

/**
 * `np.hypot(x1, x2)`: √(x1² + x2²) without overflow, as s·√((x1/s)² + (x2/s)²) with the scale
 * s = max(|x1|, |x2|) held constant (so derivatives are exact). At the origin the value is 0 and
 * the derivative 0 (the subgradient, as `abs` has at 0), not NaN.
 * @example
 * np.hypot(3, 4); // 5
 */
export const hypot = realBinFn(
  "hypot",
  (x, y) => {
    const s0 = u.stopGradient(b.max(u.abs(x), u.abs(y)));
    const zero = c.eq(s0, k(s0, 0));
    const s = c.select(c.or(zero, c.not(c.isfinite(s0))), k(s0, 1), s0);
    const xs = b.div(x, s);
    const ys = b.div(y, s);
    const r2 = b.add(b.mul(xs, xs), b.mul(ys, ys));
    const h = b.mul(s, u.sqrt(c.select(zero, k(r2, 1), r2)));
    const inf = c.or(c.isinf(x), c.isinf(y)); // hypot(inf, nan) is inf, as in C and NumPy
    return c.select(inf, k(h, Infinity), c.select(zero, k(h, 0), h));
  },
  true,
);

// sinc(x) = Σₙ (−1)ⁿ y²ⁿ / (2n+1)!, y = πx: the Maclaurin coefficients used near 0.
const SINC_SERIES = [1, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880, -1 / 39916800, 1 / 6227020800, -1 / 1307674368000];
// |πx| below which the series is used: its truncation error there is < 1e-20, while
// sin(y)/y's derivatives lose ~ n·ε/yⁿ⁺¹ to cancellation, still ~1e-12 at the switch.
const SINC_SWITCH = 0.1;

/**
 * `np.sinc(x)`: sin(πx)/(πx), 1 at 0. Near 0 a polynomial (the Maclaurin series) replaces the
 * quotient, so every derivative there is right: sinc'(0) = 0, sinc''(0) = −π²/3. Complex x works
 * too (holomorphic; the switch is on |πx|).
 * @example
 * np.sinc([0, 0.5, 1]); // [1, 0.6366197723675814, 0]
 */
export const sinc = floatFn("sinc", (x) => {
  const y = b.mul(x, k(x, Math.PI));
  const ay = u.abs(y); // real for complex y too
  const small = c.lt(ay, k(ay, SINC_SWITCH));
  const ySafe = c.select(small, k(y, 1), y);
  const quotient = b.div(u.sin(ySafe), ySafe);
  const z = b.mul(y, y);
  let series = k(z, SINC_SERIES[SINC_SERIES.length - 1]!) as NDArray;
  for (let n = SINC_SERIES.length - 2; n >= 0; n--) series = b.add(b.mul(series, z), k(z, SINC_SERIES[n]!));
  return c.select(small, series, quotient);
});

/**
 * `np.floatPower(x1, x2)`: `power` computed in float64 (integers promoted).
 * @example
 * np.floatPower(2, -1); // 0.5
 */
export const floatPower = binFn("floatPower", b.pow, true);

/**
 * `np.floorDivide(x1, x2)`: ⌊x1 / x2⌋ (integers stay integers); its derivative is zero.
 * @example
 * np.floorDivide(-7, 2); // -4
 */
export const floorDivide = (x1: ArrayLike, x2: ArrayLike): NDArray => {
  const [x, y] = prepare("np.floorDivide", [x1, x2], false, ["x1", "x2"]);
  if (isInexact(x!.dtype)) return u.floor(b.div(x!, y!));
  const q = u.floor(b.div(convert(x!, "float64"), convert(y!, "float64")));
  return convert(q, x!.dtype === "bool" ? "int32" : x!.dtype);
};

/** Whether the sign bit is set: true for negative numbers and for −0. */
const signbitOf = (x: NDArray): NDArray =>
  isFloat(x.dtype) ? c.or(c.lt(x, k(x, 0)), c.lt(b.div(k(x, 1), x), k(x, 0))) : c.lt(x, k(x, 0));

/**
 * `np.signbit(x)`: whether the sign bit is set (true for −0).
 * @example
 * np.signbit([-1, -0, 0, 2]); // [true, true, false, false]
 */
export const signbit = (x: ArrayLike): NDArray => {
  const a = prepare("np.signbit", [x], false, X)[0]!;
  rejectComplex("np.signbit", [a], X);
  return signbitOf(a);
};

/**
 * `np.copysign(x1, x2)`: |x1| with the sign of x2 (−0 counts as negative). d/dx1 = ±sign(x1),
 * d/dx2 = 0.
 * @example
 * np.copysign(3, -0); // -3
 */
export const copysign = realBinFn(
  "copysign",
  (x, y) => {
    const a = u.abs(x);
    return c.select(signbitOf(y), u.neg(a), a);
  },
  true,
);

/**
 * `np.heaviside(x1, x2)`: 0 where x1 < 0, 1 where x1 > 0, x2 where x1 = 0 (NaN stays NaN). The
 * derivative is zero in x1 and flows to x2 where x1 = 0.
 * @example
 * np.heaviside([-1, 0, 2], 0.5); // [0, 0.5, 1]
 */
export const heaviside = realBinFn(
  "heaviside",
  (x, y) => {
    const step = c.select(c.lt(x, k(x, 0)), k(y, 0), c.select(c.gt(x, k(x, 0)), k(y, 1), y));
    return isFloat(x.dtype) ? c.select(c.isnan(x), k(y, NaN), step) : step;
  },
  false,
);

/** The NaN-ignoring `fmax`/`fmin`: the other operand where one is NaN; ties share the derivative. */
const nanIgnoring = (f: Bin): Bin => (x, y) =>
  isFloat(x.dtype) ? c.select(c.isnan(y), x, c.select(c.isnan(x), y, f(x, y))) : f(x, y);

/**
 * `np.fmax(x1, x2)`: elementwise maximum that ignores NaN.
 * @example
 * np.fmax([1, NaN], [NaN, 2]); // [1, 2]
 */
export const fmax = binFn("fmax", nanIgnoring(b.max), false);
/**
 * `np.fmin(x1, x2)`: elementwise minimum that ignores NaN.
 * @example
 * np.fmin([1, NaN], [NaN, 2]); // [1, 2]
 */
export const fmin = binFn("fmin", nanIgnoring(b.min), false);

/** The largest finite value of a float dtype. */
const maxFinite = (x: NDArray): number => (x.dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE);

/**
 * `np.nanToNum(x, {nan = 0, posinf, neginf})`: NaN and ±inf replaced (by default with 0 and the
 * largest finite values). The derivative is 1 at finite elements and 0 at replaced ones.
 * @example
 * np.nanToNum([NaN, Infinity, 1]); // [0, 1.7976931348623157e308, 1]
 */
export function nanToNum(x: ArrayLike, opts: { nan?: number; posinf?: number; neginf?: number } = {}): NDArray {
  requireStatic("np.nanToNum", "nan", opts.nan, "a number");
  requireStatic("np.nanToNum", "posinf", opts.posinf, "a number");
  requireStatic("np.nanToNum", "neginf", opts.neginf, "a number");
  opts = nanToNumOpts(opts);
  const a = prepare("np.nanToNum", [x], false, ["x"])[0]!;
  if (!isFloat(a.dtype)) return a;
  const big = maxFinite(a);
  let out = c.select(c.isnan(a), k(a, opts.nan ?? 0), a);
  out = c.select(c.eq(a, k(a, Infinity)), k(a, opts.posinf ?? big), out);
  return c.select(c.eq(a, k(a, -Infinity)), k(a, opts.neginf ?? -big), out);
}

/**
 * `np.isposinf(x)`: whether each element is +∞, as a bool array.
 * @example
 * np.isposinf([Infinity, -Infinity]); // [true, false]
 */
export const isposinf = (x: ArrayLike): NDArray => {
  const a = prepare("np.isposinf", [x], false, ["x"])[0]!;
  rejectComplex("np.isposinf", [a], X, "the sign of a complex infinity is ambiguous (NumPy refuses it too)");
  return isFloat(a.dtype) ? c.eq(a, k(a, Infinity)) : c.ne(a, a);
};
/**
 * `np.isneginf(x)`: whether each element is −∞, as a bool array.
 * @example
 * np.isneginf([Infinity, -Infinity]); // [false, true]
 */
export const isneginf = (x: ArrayLike): NDArray => {
  const a = prepare("np.isneginf", [x], false, ["x"])[0]!;
  rejectComplex("np.isneginf", [a], X, "the sign of a complex infinity is ambiguous (NumPy refuses it too)");
  return isFloat(a.dtype) ? c.eq(a, k(a, -Infinity)) : c.ne(a, a);
};
